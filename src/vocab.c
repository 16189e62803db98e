/*
 * The vocabulary is a Bloom filter of 2^bits bits probed three times per
 * word.  It is filled to bits/12 words, where false positives reach 1% (a
 * new word taken for an old one: a new line scores a little lower, never
 * higher); then it is cleared and fills again, so memory never grows.
 * The single model of a run gets 2^22 bits (512 KiB, 350,000 words), each
 * of many sources 2^17 (16 KiB, 11,000 words).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "vocab.h"
#include "xmalloc.h"

struct vocab {
	uint8_t		*bits;
	uint32_t	 mask;		/* bits - 1 */
	uint32_t	 n, full;
};

struct vocab *
vocab_new(unsigned bits)
{
	struct vocab *v;

	if (bits < 10)
		bits = 10;
	if (bits > 28)
		bits = 28;
	v = xmalloc(sizeof *v);
	v->mask = (1u << bits) - 1;
	v->bits = xcalloc(1, (1u << bits) / 8);
	v->n = 0;
	v->full = (1u << bits) / 12;
	return v;
}

void
vocab_free(struct vocab *v)
{
	if (v == NULL)
		return;
	free(v->bits);
	free(v);
}

int
vocab_has(const struct vocab *v, uint64_t h)
{
	uint32_t a = (uint32_t)h, b = (uint32_t)(h >> 32);
	int i;

	for (i = 0; i < 3; i++) {
		uint32_t bit = (a + (uint32_t)i * b) & v->mask;

		if (!(v->bits[bit >> 3] & (1u << (bit & 7))))
			return 0;
	}
	return 1;
}

void
vocab_add(struct vocab *v, uint64_t h)
{
	uint32_t a = (uint32_t)h, b = (uint32_t)(h >> 32);
	int i;

	if (v->n >= v->full) {
		memset(v->bits, 0, ((size_t)v->mask + 1) / 8);
		v->n = 0;
	}
	for (i = 0; i < 3; i++) {
		uint32_t bit = (a + (uint32_t)i * b) & v->mask;

		v->bits[bit >> 3] |= (uint8_t)(1u << (bit & 7));
	}
	v->n++;
}

void
vocab_save(const struct vocab *v, struct sbuf *b)
{
	sbuf_u32(b, v->mask);
	sbuf_u32(b, v->n);
	sbuf_bytes(b, v->bits, ((size_t)v->mask + 1) / 8);
}

int
vocab_load(struct vocab *v, struct sread *r)
{
	if (sread_u32(r) != v->mask)
		return -1;	/* made for another size */
	v->n = sread_u32(r);
	sread_bytes(r, v->bits, ((size_t)v->mask + 1) / 8);
	if (r->err || v->n > v->full)
		return -1;
	return 0;
}
