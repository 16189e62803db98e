/*
 * fuzz_tokens: the token cache against the tokenizer.  The first byte
 * chooses how to split (whitespace, delimiters "=,:", JSON read as text,
 * delimiters "=5" with a digit among them)
 * and whether a user mask match covers a stretch of the message (its
 * place from the second byte); the rest is the message.  tokcache_tokenize()
 * must give what tokenize_with() gives, token for token, shape bytes,
 * hashes and flags alike, for the message and for the message with its
 * digits turned, all together and one at a time, once the cache holds a
 * message of its shape (the cache lives across inputs, as a run's does).
 * A digit that masking reads as a value where mask_forms() does not know
 * it shows as a difference here.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tokcache.h"
#include "tokenize.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MSG_MAX		300

static struct tokenizer	 tz[4];
static struct tokens	*fresh, *cached;
static struct tokcache	*tc;

static void
setup(void)
{
	const char *d;
	int i;

	for (i = 1; i < 3; i++) {
		for (d = "=,:"; *d != '\0'; d++)
			tz[i].delim[(unsigned char)*d] = 1;
		tz[i].any_delim = 1;
	}
	tz[2].json = 1;
	tz[3].delim['='] = tz[3].delim['5'] = 1;
	tz[3].any_delim = 1;
	fresh = tokens_new();
	cached = tokens_new();
	tc = tokcache_new();
}

/* Whether shape p of one message and q of the other are the same bytes. */
static int
same_bytes(const char *p, const char *q, size_t n)
{
	return n == 0 || memcmp(p, q, n) == 0;
}

static void
check(const struct tokenizer *t, const char *msg, size_t len,
    const struct token_span *span, size_t nspans)
{
	size_t i;

	fresh->nspans = cached->nspans = nspans;
	for (i = 0; i < nspans; i++)
		fresh->spans[i] = cached->spans[i] = span[i];
	tokenize_with(t, msg, len, fresh);
	tokcache_tokenize(tc, t, msg, len, cached);
	if (fresh->n != cached->n || fresh->cut != cached->cut ||
	    fresh->shapelen != cached->shapelen || fresh->tz != cached->tz ||
	    fresh->msg != cached->msg ||
	    !same_bytes(fresh->buf, cached->buf, fresh->shapelen))
		abort();
	for (i = 0; i < fresh->n; i++) {
		const struct token *a = &fresh->tok[i], *b = &cached->tok[i];

		if (a->raw != b->raw || a->rawlen != b->rawlen ||
		    a->len != b->len || a->flags != b->flags ||
		    a->hash != b->hash || !same_bytes(a->shape, b->shape,
		    a->len))
			abort();
		/* A shape lies where the tokenizer puts it: in the message,
		 * in the shapes, or a constant. */
		if ((a->shape == a->raw) != (b->shape == b->raw))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *msg = (const char *)data + 2;
	char buf[MSG_MAX];
	struct token_span span;
	const struct tokenizer *t;
	size_t len, i, j, nspans = 0;
	int k;

	if (tc == NULL)
		setup();
	if (size < 2 || size - 2 > MSG_MAX)
		return 0;
	len = size - 2;
	t = data[0] % 5 == 0 ? NULL : &tz[data[0] % 5 - 1];
	if ((data[0] & 0x10) && len > 0) {
		span.start = data[1] % len;
		span.end = span.start + 1 + (data[1] >> 4) % (len - span.start);
		span.mask = 0;
		nspans = 1;
	}
	check(t, msg, len, &span, nspans);
	for (k = 1; k < 10; k += 4) {
		memcpy(buf, msg, len);
		for (i = 0; i < len; i++)
			if (buf[i] >= '0' && buf[i] <= '9')
				buf[i] = (char)('0' + (buf[i] - '0' + k +
				    (int)i) % 10);
		check(t, buf, len, &span, nspans);
	}
	for (j = 0; j < len; j++) {
		if (msg[j] < '0' || msg[j] > '9')
			continue;
		for (k = 0; k < 10; k += 3) {
			memcpy(buf, msg, len);
			buf[j] = (char)('0' + k);
			check(t, buf, len, &span, nspans);
		}
	}
	return 0;
}
