/*
 * A template owns its token array and the text of its constant shapes in
 * one allocation, made when the template is born; generalising a
 * position only turns it into a variable, so nothing is allocated on the
 * hot path.  The printable text is rendered lazily and cached.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mask.h"
#include "template.h"
#include "tokenize.h"
#include "xmalloc.h"

#define TT_WILD	UINT32_MAX	/* off of a variable position */

struct template *
template_new(uint64_t id, const struct tokens *tk)
{
	struct template *t;
	size_t i, textlen = 0;
	char *p;

	for (i = 0; i < tk->n; i++)
		textlen += tk->tok[i].len;
	/* One block: struct, tokens, text. */
	t = xcalloc(1, sizeof *t + tk->n * sizeof *t->tok + textlen + 1);
	t->id = id;
	t->ntok = (uint32_t)tk->n;
	t->tok = (struct template_token *)(t + 1);
	t->text = p = (char *)(t->tok + tk->n);
	for (i = 0; i < tk->n; i++) {
		const struct token *k = &tk->tok[i];

		t->tok[i].hash = k->hash;
		t->tok[i].len = k->len;
		if (k->hash == token_wild_hash()) {
			t->tok[i].off = TT_WILD;
			t->nwild++;
			continue;
		}
		/* Masked shapes such as "<*>:<*>" keep their text. */
		t->tok[i].off = (uint32_t)(p - t->text);
		memcpy(p, k->shape, k->len);
		p += k->len;
	}
	return t;
}

void
template_free(struct template *t)
{
	if (t == NULL)
		return;
	free(t->rendered);
	free(t);
}

int
template_merge(struct template *t, const struct tokens *tk)
{
	uint64_t wild = token_wild_hash();
	int changed = 0;
	uint32_t i;

	for (i = 0; i < t->ntok; i++) {
		if (t->tok[i].hash == wild || t->tok[i].hash == tk->tok[i].hash)
			continue;
		t->tok[i].hash = wild;
		t->tok[i].off = TT_WILD;
		t->tok[i].len = MASK_WILD_LEN;
		t->nwild++;
		changed = 1;
	}
	if (changed) {
		free(t->rendered);
		t->rendered = NULL;
	}
	return changed;
}

int
template_matches(const struct template *t, const struct tokens *tk)
{
	uint64_t wild = token_wild_hash();
	uint32_t i;

	if (t->ntok != tk->n)
		return 0;
	for (i = 0; i < t->ntok; i++)
		if (t->tok[i].hash != wild && t->tok[i].hash != tk->tok[i].hash)
			return 0;
	return 1;
}

size_t
template_values(const struct template *t, const struct tokens *tk,
    struct template_value *vals, size_t max)
{
	size_t n = 0;
	uint32_t i;

	for (i = 0; i < t->ntok && i < tk->n && n < max; i++) {
		if (t->tok[i].off != TT_WILD &&
		    !(tk->tok[i].flags & TOKEN_VAR))
			continue;
		vals[n].p = tk->tok[i].raw;
		vals[n].len = tk->tok[i].rawlen;
		vals[n].pos = i;
		n++;
	}
	return n;
}

const char *
template_text(struct template *t, size_t *len)
{
	size_t i, n = 0;
	char *raw, *p;

	if (t->rendered != NULL) {
		if (len != NULL)
			*len = t->rendered_len;
		return t->rendered;
	}
	for (i = 0; i < t->ntok; i++)
		n += t->tok[i].len + 1;
	raw = p = xmalloc(n + 1);
	for (i = 0; i < t->ntok; i++) {
		if (i > 0)
			*p++ = ' ';
		if (t->tok[i].off == TT_WILD) {
			memcpy(p, MASK_WILD, MASK_WILD_LEN);
			p += MASK_WILD_LEN;
		} else {
			memcpy(p, t->text + t->tok[i].off, t->tok[i].len);
			p += t->tok[i].len;
		}
	}
	t->rendered = xmalloc(MASK_SHAPE_MAX((size_t)(p - raw)) + 1);
	t->rendered_len = mask_canonical(raw, (size_t)(p - raw), t->rendered);
	t->rendered[t->rendered_len] = '\0';
	free(raw);
	if (len != NULL)
		*len = t->rendered_len;
	return t->rendered;
}
