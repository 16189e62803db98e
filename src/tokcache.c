/*
 * A cache of tokenize_with()'s tokens, as headcache.c is of headers: a
 * message of the same shape as a recent one (its digits where that one's
 * are, every other byte the same, the same user mask matches) splits into
 * the same tokens, masked alike, unless the few forms whose digits masking
 * reads as values (mask_forms()) read otherwise; readings found to split
 * alike all the same (an octet past 255 in what is no address either
 * way) are kept, up to ALIKE_KEPT of them.  Splitting and masking
 * are a third of a line's instructions; a reused message costs a compare,
 * a copy of its tokens, and a hash of each token kept as its own text
 * that holds digits (its hash is of those digits).
 *
 * A tokenizer that ends tokens at a digit is never cached.  A message
 * is kept only when every shape that masking wrote is free of
 * digits (a shape that copied some from the message would need them
 * again), every shape is the token's text, one written among the shapes
 * or the constant "<*>", and it fits: TOKENS_KEPT tokens, SHAPES_KEPT
 * bytes of shapes, SPANS_KEPT user mask matches.  Slots are found as
 * headcache.c finds them: 512 of about 1,700 bytes each.  A new shape
 * takes a slot with its shape only; its tokens are kept when it comes
 * back, so that a log of free text, whose shapes seldom do, pays little
 * more than the blotted copy.  With ten logs interleaved, a quarter of
 * the lines found no slot of their shape among 128 slots; among 512, a
 * sixth (and the run took 3% less time).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "mask.h"
#include "blot.h"
#include "tokcache.h"
#include "xmalloc.h"

#define SETS		128	/* a power of two */
#define WAYS		4	/* slots a set */
#define MSG_MIN_KEPT	16	/* shorter messages are split every time */
#define MSG_MAX_KEPT	256	/* ... and longer ones */
#define TOKENS_KEPT	32
#define SHAPES_KEPT	256
#define SPANS_KEPT	4
#define ALIKE_KEPT	8	/* readings of the forms known to split alike */

/* What a slot holds besides its shape. */
enum held {
	HELD_SHAPE,		/* the shape, seen once */
	HELD_TOKENS,		/* its tokens, and how its forms read */
	HELD_NOTHING		/* its messages are split every time */
};
enum where { AT_MSG, AT_BUF, AT_STATIC };

/* A token as offsets into the message and the shapes. */
struct ktoken {
	uint64_t	 hash;
	const char	*fixed;		/* AT_STATIC: the shape itself */
	uint32_t	 flags;
	uint16_t	 raw, rawlen;
	uint16_t	 shape, len;
	uint8_t		 where;		/* enum where */
	uint8_t		 rehash;	/* AT_MSG with digits in it */
};

struct slot {
	uint16_t	 len;		/* 0: empty */
	uint8_t		 held;		/* enum held */
	const struct tokenizer *tz;
	uint16_t	 n, shapelen;
	uint8_t		 cut, nspans;
	struct token_span spans[SPANS_KEPT];
	struct mask_forms mf;
	uint32_t	 values;
	uint8_t		 nalike;
	uint32_t	 alike[ALIKE_KEPT];	/* other values, same tokens */
	struct ktoken	 tok[TOKENS_KEPT];
	char		 buf[SHAPES_KEPT];
	char		 shape[MSG_MAX_KEPT];	/* the message, blotted */
};

struct set {
	struct slot	 way[WAYS];
	unsigned	 last;
};

struct tokcache {
	struct set	 set[SETS];
};

struct tokcache *
tokcache_new(void)
{
	return xcalloc(1, sizeof(struct tokcache));
}

void
tokcache_free(struct tokcache *tc)
{
	free(tc);
}


static int
has_digit(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] >= '0' && p[i] <= '9')
			return 1;
	return 0;
}

/* Whether a message of s's shape is this one, split by tz with these
 * user mask matches. */
static int
same_message(const struct slot *s, const struct tokenizer *tz,
    const char *msg, size_t len, const struct tokens *tk)
{
	size_t i;

	if (s->len != len || s->tz != tz || s->nspans != tk->nspans)
		return 0;
	for (i = 0; i < tk->nspans; i++)
		if (s->spans[i].start != tk->spans[i].start ||
		    s->spans[i].end != tk->spans[i].end ||
		    s->spans[i].mask != tk->spans[i].mask)
			return 0;
	return blot_same(s->shape, msg, len);
}

/* Whether p points into base[0..len): compared as integers, for p may
 * point into another object (a shape that is a constant). */
static int
within(const char *p, const char *base, size_t len)
{
	return (uintptr_t)p >= (uintptr_t)base &&
	    (uintptr_t)p < (uintptr_t)base + len;
}

/* Keep tk, msg's tokens, in s if they can be kept; 0 if not. */
static int
keep_tokens(struct slot *s, const char *msg, size_t len,
    const struct tokens *tk)
{
	const struct token *t;
	struct ktoken *k;
	size_t i;

	if (tk->n > TOKENS_KEPT || tk->shapelen > SHAPES_KEPT ||
	    has_digit(tk->buf, tk->shapelen))
		return 0;
	for (i = 0; i < tk->n; i++) {
		t = &tk->tok[i];
		k = &s->tok[i];
		k->hash = t->hash;
		k->flags = t->flags;
		k->raw = (uint16_t)(t->raw - msg);
		k->rawlen = (uint16_t)t->rawlen;
		k->len = (uint16_t)t->len;
		k->rehash = 0;
		k->fixed = NULL;
		if (within(t->shape, msg, len)) {
			k->where = AT_MSG;
			k->shape = (uint16_t)(t->shape - msg);
			k->rehash = (uint8_t)has_digit(t->shape, t->len);
		} else if (within(t->shape, tk->buf, tk->shapelen)) {
			k->where = AT_BUF;
			k->shape = (uint16_t)(t->shape - tk->buf);
		} else if (t->len == MASK_WILD_LEN &&
		    memcmp(t->shape, MASK_WILD, MASK_WILD_LEN) == 0) {
			k->where = AT_STATIC;	/* the constant "<*>" */
			k->fixed = t->shape;
		} else
			return 0;	/* somewhere not known to last */
	}
	s->n = (uint16_t)tk->n;
	s->cut = (uint8_t)tk->cut;
	s->shapelen = (uint16_t)tk->shapelen;
	memcpy(s->buf, tk->buf, tk->shapelen);
	return 1;
}

/* Split msg afresh, and keep the tokens in s if they can be kept. */
static void
split_keep(struct slot *s, const struct tokenizer *tz, const char *msg,
    size_t len, struct tokens *tk)
{
	tokenize_with(tz, msg, len, tk);
	s->nalike = 0;
	s->held = keep_tokens(s, msg, len, tk) ? HELD_TOKENS : HELD_NOTHING;
}

/* Whether two slots keep the same tokens, but for the hashes of digits
 * kept as text, which are taken afresh. */
static int
same_tokens(const struct slot *a, const struct slot *b)
{
	const struct ktoken *x, *y;
	size_t i;

	if (a->n != b->n || a->cut != b->cut || a->shapelen != b->shapelen ||
	    memcmp(a->buf, b->buf, a->shapelen) != 0)
		return 0;
	for (i = 0; i < a->n; i++) {
		x = &a->tok[i];
		y = &b->tok[i];
		if (x->where != y->where || x->rehash != y->rehash ||
		    x->flags != y->flags || x->raw != y->raw ||
		    x->rawlen != y->rawlen || x->shape != y->shape ||
		    x->len != y->len || x->fixed != y->fixed ||
		    (!x->rehash && x->hash != y->hash))
			return 0;
	}
	return 1;
}

/*
 * Forms that read otherwise than s's did (an octet past 255 where s had
 * none) mostly split alike all the same: split msg, and if its tokens
 * are s's, keep how its forms read among those known to split alike.
 */
static void
split_compare(struct slot *s, const struct tokenizer *tz, const char *msg,
    size_t len, uint32_t values, struct tokens *tk)
{
	struct slot tmp;

	tokenize_with(tz, msg, len, tk);
	if (s->nalike < ALIKE_KEPT && keep_tokens(&tmp, msg, len, tk) &&
	    same_tokens(s, &tmp))
		s->alike[s->nalike++] = values;
}

/* Whether forms that read as values do split as s's message did: as it
 * read, or as one found to split alike. */
static int
reads_alike(const struct slot *s, uint32_t values)
{
	unsigned k;

	if (values == s->values)
		return 1;
	for (k = 0; k < s->nalike; k++)
		if (s->alike[k] == values)
			return 1;
	return 0;
}

/* The tokens s keeps, for msg. */
static void
reuse(const struct slot *s, const struct tokenizer *tz, const char *msg,
    struct tokens *tk)
{
	const struct ktoken *k;
	struct token *t;
	size_t i;

	tk->tok = tk->into != NULL ? tk->into : tk->own;
	tk->tz = tz;
	tk->msg = msg;
	tk->cut = s->cut;
	tk->n = s->n;
	tk->shapelen = s->shapelen;
	memcpy(tk->buf, s->buf, s->shapelen);
	for (i = 0; i < s->n; i++) {
		k = &s->tok[i];
		t = &tk->tok[i];
		t->raw = msg + k->raw;
		t->rawlen = k->rawlen;
		t->len = k->len;
		t->flags = k->flags;
		t->shape = k->where == AT_MSG ? msg + k->shape :
		    k->where == AT_BUF ? tk->buf + k->shape : k->fixed;
		t->hash = k->rehash ? XXH3_64bits(t->shape, t->len) : k->hash;
	}
}

/* Whether tz ends tokens at a digit (--delimiters=5): then where the
 * tokens end depends on which digits a message holds, not on its shape. */
static int
digit_delimiter(const struct tokenizer *tz)
{
	int c;

	if (tz == NULL || !tz->any_delim)
		return 0;
	for (c = '0'; c <= '9'; c++)
		if (tz->delim[c])
			return 1;
	return 0;
}

void
tokcache_tokenize(struct tokcache *tc, const struct tokenizer *tz,
    const char *msg, size_t len, struct tokens *tk)
{
	struct set *set;
	struct slot *s;
	size_t i;
	unsigned w;
	uint32_t v;

	if (len < MSG_MIN_KEPT || len > MSG_MAX_KEPT ||
	    tk->nspans > SPANS_KEPT || digit_delimiter(tz)) {
		tokenize_with(tz, msg, len, tk);
		return;
	}
	set = &tc->set[(blot_hash(msg, len) >> 40) & (SETS - 1)];
	for (w = 0; w < WAYS; w++) {
		s = &set->way[w];
		if (!same_message(s, tz, msg, len, tk))
			continue;
		set->last = w;
		switch (s->held) {
		case HELD_SHAPE:
			/* The shape came back: now its tokens are worth
			 * keeping, with how this message's forms read (most
			 * shapes of a log of free text never come back). */
			if (!mask_forms(msg, len, &s->mf)) {
				s->held = HELD_NOTHING;
				break;
			}
			s->values = mask_form_values(msg, len, &s->mf);
			split_keep(s, tz, msg, len, tk);
			return;
		case HELD_TOKENS:
			if (s->mf.n > 0 && !reads_alike(s, v =
			    mask_form_values(msg, len, &s->mf))) {
				split_compare(s, tz, msg, len, v, tk);
				return;
			}
			reuse(s, tz, msg, tk);
			return;
		case HELD_NOTHING:
			break;
		}
		tokenize_with(tz, msg, len, tk);
		return;
	}
	set->last = (set->last + 1) % WAYS;
	s = &set->way[set->last];
	s->len = (uint16_t)len;
	s->tz = tz;
	s->held = HELD_SHAPE;
	s->nspans = (uint8_t)tk->nspans;
	for (i = 0; i < tk->nspans; i++)
		s->spans[i] = tk->spans[i];
	blot_copy(s->shape, msg, len);
	tokenize_with(tz, msg, len, tk);
}
