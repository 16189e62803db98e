/*
 * Tokenizer.  One pass splits the message on whitespace; each token is
 * masked (mask_token) and its shape hashed with XXH3, so later stages
 * compare tokens by a 64-bit hash and never look at bytes again.
 *
 * Bounds: at most TOKENS_MAX tokens and TOKENS_PREFIX bytes of a message
 * are parsed (the rest still prints, it only does not shape the
 * template); a token longer than TOKEN_LONG is taken as a variable
 * (blobs, base64, hashes) and so never stored in a template whole.
 */
#include "config.h"

#include <string.h>
#include <xxhash.h>

#include "mask.h"
#include "tokenize.h"

static uint64_t wild_hash;

static void __attribute__((constructor))
tokenize_init(void)
{
	wild_hash = XXH3_64bits(MASK_WILD, MASK_WILD_LEN);
}

uint64_t
token_wild_hash(void)
{
	return wild_hash;
}

static int
is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

void
tokenize(const char *msg, size_t len, struct tokens *tk)
{
	const char *p = msg, *end, *s;
	char *out = tk->buf;
	struct token *t;
	size_t n;

	tk->n = 0;
	tk->cut = 0;
	if (len > TOKENS_PREFIX) {
		len = TOKENS_PREFIX;
		tk->cut = 1;
	}
	end = msg + len;
	for (;;) {
		while (p < end && is_space((unsigned char)*p))
			p++;
		if (p == end)
			break;
		if (tk->n == TOKENS_MAX) {
			tk->cut = 1;
			break;
		}
		s = p;
		while (p < end && !is_space((unsigned char)*p))
			p++;
		t = &tk->tok[tk->n++];
		t->raw = s;
		t->rawlen = (uint32_t)(p - s);
		t->flags = 0;
		if (t->rawlen > TOKEN_LONG) {
			t->shape = MASK_WILD;
			t->len = MASK_WILD_LEN;
			t->flags |= TOKEN_VAR;
		} else if ((n = mask_token(s, t->rawlen, out)) != 0) {
			t->shape = out;
			t->len = (uint32_t)n;
			out += n;
			if (memmem(t->shape, t->len, MASK_WILD,
			    MASK_WILD_LEN) != NULL)
				t->flags |= TOKEN_VAR;
		} else {
			/* A plain word, even one that spells "<*>". */
			t->shape = s;
			t->len = t->rawlen;
		}
		t->hash = XXH3_64bits(t->shape, t->len);
	}
}
