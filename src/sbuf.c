/*
 * Serialisation buffers.  Fields are written byte by byte in little-endian
 * order, so a state file means the same on any host; doubles travel as
 * their IEEE-754 bits.  The reader checks every length against what is
 * left, so a truncated or hostile file can only make it fail, never read
 * out of bounds.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "xmalloc.h"

void
sbuf_init(struct sbuf *b)
{
	b->p = NULL;
	b->len = b->cap = 0;
}

void
sbuf_free(struct sbuf *b)
{
	free(b->p);
	sbuf_init(b);
}

void
sbuf_bytes(struct sbuf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		while (b->len + n > b->cap)
			b->cap = b->cap ? 2 * b->cap : 4096;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

void
sbuf_u8(struct sbuf *b, uint8_t v)
{
	sbuf_bytes(b, &v, 1);
}

void
sbuf_u32(struct sbuf *b, uint32_t v)
{
	uint8_t x[4];
	int i;

	for (i = 0; i < 4; i++)
		x[i] = (uint8_t)(v >> (8 * i));
	sbuf_bytes(b, x, 4);
}

void
sbuf_u64(struct sbuf *b, uint64_t v)
{
	uint8_t x[8];
	int i;

	for (i = 0; i < 8; i++)
		x[i] = (uint8_t)(v >> (8 * i));
	sbuf_bytes(b, x, 8);
}

void
sbuf_f64(struct sbuf *b, double v)
{
	uint64_t u;

	memcpy(&u, &v, sizeof u);
	sbuf_u64(b, u);
}

void
sbuf_str(struct sbuf *b, const void *p, size_t n)
{
	sbuf_u32(b, (uint32_t)n);
	sbuf_bytes(b, p, n);
}

void
sread_init(struct sread *r, const void *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
	r->err = 0;
	r->version = UINT32_MAX;
}

static const uint8_t *
take(struct sread *r, size_t n)
{
	const uint8_t *p;

	if (r->err || n > r->len - r->off) {
		r->err = 1;
		return NULL;
	}
	p = r->p + r->off;
	r->off += n;
	return p;
}

uint8_t
sread_u8(struct sread *r)
{
	const uint8_t *p = take(r, 1);

	return p != NULL ? p[0] : 0;
}

uint32_t
sread_u32(struct sread *r)
{
	const uint8_t *p = take(r, 4);
	uint32_t v = 0;
	int i;

	if (p != NULL)
		for (i = 3; i >= 0; i--)
			v = (v << 8) | p[i];
	return v;
}

uint64_t
sread_u64(struct sread *r)
{
	const uint8_t *p = take(r, 8);
	uint64_t v = 0;
	int i;

	if (p != NULL)
		for (i = 7; i >= 0; i--)
			v = (v << 8) | p[i];
	return v;
}

double
sread_f64(struct sread *r)
{
	uint64_t u = sread_u64(r);
	double v;

	memcpy(&v, &u, sizeof v);
	return v;
}

int
sread_bytes(struct sread *r, void *out, size_t n)
{
	const uint8_t *p = take(r, n);

	if (p == NULL) {
		memset(out, 0, n);
		return 0;
	}
	memcpy(out, p, n);
	return 1;
}

const void *
sread_str(struct sread *r, size_t *len, size_t max)
{
	uint32_t n = sread_u32(r);

	if (r->err || n > max) {
		r->err = 1;
		*len = 0;
		return NULL;
	}
	*len = n;
	return take(r, n);
}

uint32_t
sread_count(struct sread *r, size_t each, uint32_t max)
{
	uint32_t n = sread_u32(r);

	if (each == 0)
		each = 1;
	if (r->err || n > max || n > sread_left(r) / each) {
		r->err = 1;
		return 0;
	}
	return n;
}

size_t
sread_left(const struct sread *r)
{
	return r->err ? 0 : r->len - r->off;
}
