/*
 * A template owns its token array and the text of its constant shapes in
 * one allocation, made when the template is born; generalising a
 * position only turns it into a variable, so nothing is allocated on the
 * hot path.  The printable text is rendered lazily and cached.
 *
 * Rendering follows the line that made the template: a space before each
 * token unless it was joined to the one before ("key=" "value"), "<*>"
 * for a variable.  Positions some lines lack (TT_OPTIONAL) and runs of
 * variable length (TT_GAP) print as "<*>" too, and a run of variables
 * one of which has a variable length prints as a single "<*>": it stands
 * for any number of tokens.  So does a list, LIST_MIN variables or more.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mask.h"
#include "sbuf.h"
#include "template.h"
#include "tokenize.h"
#include "xmalloc.h"

/* Bytes of shapes and of class tags a loaded template may hold: more
 * than a message's parsed prefix can make. */
#define TEXT_MAX	(4 * TOKENS_PREFIX)
#define TAGS_MAX	((MASK_TAGS_ROOM(TOKEN_HUGE) + 256) * TOKENS_MAX)

/* Bare variables in a row that print as one "<*>": a list ("name an14
 * an15 ... an48").  Loghub's templates have runs of up to eight. */
#define LIST_MIN	10

static uint64_t
bloom_bit(uint64_t hash)
{
	return (uint64_t)1 << (hash >> 58);
}

/* Brackets and punctuation a variable may keep around it. */
static const char openers[] = "([{<\"'";
static const char closers[] = ")]}>\"',;:.";

static int
one_of(const char *set, size_t n, char c)
{
	return c != '\0' && memchr(set, c, n) != NULL;
}
#define IS_OPENER(c)	one_of(openers, sizeof openers - 1, (c))
#define IS_CLOSER(c)	one_of(closers, sizeof closers - 1, (c))

/* Does bracket closer c close one left open in p (n bytes)? */
static int
closes_inside(char c, const char *p, size_t n)
{
	static const char pairs[] = "()[]{}<>";
	const char *q = c != '\0' ? strchr(pairs, c) : NULL;
	size_t i, open = 0;

	if (q == NULL || (q - pairs) % 2 == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] == q[-1])
			open++;
		else if (p[i] == c && open > 0)
			open--;
	return open > 0;
}

/* How many closing bytes (0 to 2) words a and b both end with, when
 * each keeps a middle after o opening bytes; not the quote q; none when
 * they share more than two. */
static size_t
closers_of(const char *a, size_t an, const char *b, size_t bn, size_t o,
    char q)
{
	size_t c = 0;

	while (c < 3 && an > o + c + 1 && bn > o + c + 1 &&
	    a[an - 1 - c] == b[bn - 1 - c] && IS_CLOSER(a[an - 1 - c]) &&
	    a[an - 1 - c] != q &&
	    !closes_inside(a[an - 1 - c], a + o, an - o - c - 1))
		c++;
	/* Three or more ("Starting cron..."): more than an affix holds,
	 * and two of them would print as if the lines had two. */
	return c < 3 ? c : 0;
}

/* The TT_AFFIX bits of what words a and b both open and close with,
 * when each has a middle besides.  A closing bracket whose opener is in
 * the word belongs to the word ("jk4_init()" keeps no ")"), and quotes
 * are kept in pairs: "x" and "" keep neither quote, as the empty one has
 * no middle between them. */
static uint32_t
affix_of(const char *a, size_t an, const char *b, size_t bn)
{
	size_t o = 0, c;

	if (an > 1 && bn > 1 && a[0] == b[0] && IS_OPENER(a[0]))
		o = 1;
	c = closers_of(a, an, b, bn, o, '\0');
	if (o && (a[0] == '"' || a[0] == '\'') &&
	    (c == 0 || a[an - c] != a[0])) {
		o = 0;
		c = closers_of(a, an, b, bn, 0, a[0]);
	}
	return (o ? (uint32_t)(unsigned char)a[0] << 8 : 0) |
	    (c > 0 ? (uint32_t)(unsigned char)a[an - c] << 16 : 0) |
	    (c > 1 ? (uint32_t)(unsigned char)a[an - 1] << 24 : 0);
}

/* The affix's opening byte and closing bytes (NUL-terminated). */
static char
affix_split(uint32_t flags, char close[3])
{
	close[0] = (char)(flags >> 16 & 0xff);
	close[1] = (char)(flags >> 24 & 0xff);
	close[2] = '\0';
	return (char)(flags >> 8 & 0xff);
}

/* Does word p (n bytes) have the affix of flags, and a middle too? */
static int
affix_fits(uint32_t flags, const char *p, size_t n)
{
	char close[3], open = affix_split(flags, close);
	size_t o = open != '\0', c = strlen(close);

	return n > o + c && (!o || p[0] == open) &&
	    memcmp(p + n - c, close, c) == 0;
}

/* Is flags' affix one affix_of() could have made? */
static int
affix_valid(uint32_t flags)
{
	char close[3], open = affix_split(flags, close);

	return (open == '\0' || IS_OPENER(open)) && (close[0] != '\0' ||
	    close[1] == '\0') && (close[0] == '\0' || IS_CLOSER(close[0])) &&
	    (close[1] == '\0' || IS_CLOSER(close[1]));
}

static int
is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A byte of a field's key or a dotted name: letters, digits, _ . - */
static int
is_name_byte(char c)
{
	return is_letter(c) || (c >= '0' && c <= '9') || c == '_' ||
	    c == '.' || c == '-';
}

/*
 * The length of the "key=" that word p (n bytes) starts with, when a
 * value follows it: a letter or '_', then letters, digits, '_', '.', '-'.
 */
static size_t
key_len(const char *p, size_t n)
{
	size_t i;

	if (n < 3 || !(is_letter(p[0]) || p[0] == '_'))
		return 0;
	for (i = 1; i < n && is_name_byte(p[i]); i++)
		;
	return i + 1 < n && p[i] == '=' ? i + 1 : 0;
}

/*
 * The length of the dotted name words a and b both start with, up to
 * and with its last '.': "com.apple." of "com.apple.cts:" and
 * "com.apple.Safari.Update:", when each has a middle after it.  A
 * family of names that differ in their last labels keeps its family.
 */
static size_t
prefix_len(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i, dot = 0;

	if (!is_letter(a[0]))
		return 0;
	for (i = 0; i < an && i < bn && a[i] == b[i] && is_name_byte(a[i]);
	    i++)
		if (a[i] == '.')
			dot = i + 1;
	return dot > 1 && dot < an && dot < bn ? dot : 0;
}

/* Is string s a "key=" key_len() or a name prefix_len() could have
 * found? */
static int
is_key(const char *s)
{
	size_t n = strlen(s);

	/* Each wants a middle after it: the NUL stands in. */
	return n > 1 && (key_len(s, n + 1) == n || prefix_len(s, n + 1, s,
	    n + 1) == n);
}

/*
 * The "key=" or dotted family a variable keeps, or NULL.  It lives in
 * the class tags' table, which a template printed without classes has
 * no other use for.
 */
static const char *
kept_key(const struct template *t, uint32_t i)
{
	return !t->show_class && t->tok[i].tag != TT_WILD ? t->tags +
	    t->tok[i].tag : NULL;
}

static int
kept_anything(const struct template *t, uint32_t i)
{
	return (t->tok[i].flags & TT_AFFIX) || kept_key(t, i) != NULL;
}

/* One block: struct, tokens, text. */
static struct template *
template_alloc(uint64_t id, size_t ntok, size_t textlen)
{
	struct template *t;

	t = xcalloc(1, sizeof *t + ntok * sizeof *t->tok + textlen + 1);
	t->bytes = sizeof *t + ntok * sizeof *t->tok + textlen + 1;
	t->id = id;
	t->ntok = (uint32_t)ntok;
	t->tok = (struct template_token *)(t + 1);
	t->text = (char *)(t->tok + ntok);
	return t;
}

struct template *
template_new(uint64_t id, const struct tokens *tk)
{
	struct template *t;
	size_t i, textlen = 0;
	char *p;

	for (i = 0; i < tk->n; i++)
		textlen += tk->tok[i].len;
	t = template_alloc(id, tk->n, textlen);
	p = t->text;
	for (i = 0; i < tk->n; i++) {
		const struct token *k = &tk->tok[i];

		t->tok[i].hash = k->hash;
		t->tok[i].len = k->len;
		t->tok[i].tag = TT_WILD;
		if (k->flags & TOKEN_JOINED)
			t->tok[i].flags |= TT_JOINED;
		if (k->flags & TOKEN_VAR)
			t->tok[i].flags |= TT_WASVAR;
		if (k->flags & TOKEN_PURE)
			t->tok[i].flags |= TT_PURE;
		if (k->flags & TOKEN_KEY)
			t->tok[i].flags |= TT_KEY;
		if (k->flags & TOKEN_MARK)
			t->tok[i].flags |= TT_MARK;
		if (k->flags & TOKEN_UNIT)
			t->tok[i].flags |= TT_UNIT;
		if (k->hash == token_wild_hash()) {
			t->tok[i].off = TT_WILD;
			t->nwild++;
			continue;
		}
		/* Masked shapes such as "<*>:<*>" keep their text. */
		t->tok[i].off = (uint32_t)(p - t->text);
		memcpy(p, k->shape, k->len);
		p += k->len;
		t->bloom |= bloom_bit(k->hash);
	}
	return t;
}

void
template_keep_tags(struct template *t, const struct tokens *tk)
{
	char buf[MASK_TAGS_ROOM(TOKEN_HUGE) + 256];
	size_t i, n, used = 0, cap = 0;

	t->show_class = 1;
	for (i = 0; i < t->ntok && i < tk->n; i++) {
		if ((n = token_tags(tk, i, buf, sizeof buf)) == 0)
			continue;
		if (used + n + 1 > cap) {
			t->bytes -= cap;
			while (used + n + 1 > cap)
				cap = cap ? 2 * cap : 64;
			t->tags = xreallocarray(t->tags, cap, 1);
			t->bytes += cap;
		}
		memcpy(t->tags + used, buf, n);
		t->tags[used + n] = '\0';
		t->tok[i].tag = (uint32_t)used;
		used += n + 1;
	}
}

void
template_save(const struct template *t, struct sbuf *b)
{
	size_t i, textlen = 0, tagslen = 0;
	const char *p;

	/* Shapes of positions made variables since are left out. */
	for (i = 0; i < t->ntok; i++)
		if (t->tok[i].off != TT_WILD &&
		    t->tok[i].off + t->tok[i].len > textlen)
			textlen = t->tok[i].off + t->tok[i].len;
	for (i = 0; t->tags != NULL && i < t->ntok; i++) {
		if (t->tok[i].tag == TT_WILD)
			continue;
		p = t->tags + t->tok[i].tag;
		if (t->tok[i].tag + strlen(p) + 1 > tagslen)
			tagslen = t->tok[i].tag + strlen(p) + 1;
	}
	sbuf_u64(b, t->id);
	sbuf_u64(b, t->serial);
	sbuf_u64(b, t->count);
	sbuf_u64(b, t->first_line);
	sbuf_u64(b, t->last_line);
	sbuf_u64(b, t->lines);
	sbuf_u8(b, (uint8_t)t->show_class);
	sbuf_u32(b, t->ntok);
	sbuf_str(b, t->text, textlen);
	sbuf_str(b, t->tags, tagslen);
	for (i = 0; i < t->ntok; i++) {
		sbuf_u64(b, t->tok[i].hash);
		sbuf_u32(b, t->tok[i].off);
		sbuf_u32(b, t->tok[i].len);
		sbuf_u32(b, t->tok[i].flags);
		sbuf_u32(b, t->tok[i].tag);
	}
}

struct template *
template_load(struct sread *r)
{
	struct template h, *t;
	struct template_token *k;
	const char *text, *tags;
	size_t i, textlen, tagslen;
	uint64_t wild = token_wild_hash();

	memset(&h, 0, sizeof h);
	h.id = sread_u64(r);
	h.serial = sread_u64(r);
	h.count = sread_u64(r);
	h.first_line = sread_u64(r);
	h.last_line = sread_u64(r);
	h.lines = sread_u64(r);
	h.show_class = sread_u8(r);
	h.ntok = sread_u32(r);
	text = sread_str(r, &textlen, TEXT_MAX);
	tags = sread_str(r, &tagslen, TAGS_MAX);
	/* Each token takes 24 bytes of the input. */
	if (r->err || h.ntok > TOKENS_MAX || h.show_class > 1 ||
	    h.ntok > sread_left(r) / 24 ||
	    (tagslen > 0 && tags[tagslen - 1] != '\0')) {
		r->err = 1;
		return NULL;
	}
	t = template_alloc(h.id, h.ntok, textlen);
	memcpy(t->text, text, textlen);
	t->serial = h.serial;
	t->count = h.count;
	t->first_line = h.first_line;
	t->last_line = h.last_line;
	t->lines = h.lines;
	t->show_class = h.show_class;
	if (tagslen > 0) {
		t->tags = xmalloc(tagslen);
		memcpy(t->tags, tags, tagslen);
		t->bytes += tagslen;
	}
	for (i = 0; i < t->ntok; i++) {
		k = &t->tok[i];
		k->hash = sread_u64(r);
		k->off = sread_u32(r);
		k->len = sread_u32(r);
		k->flags = sread_u32(r);
		k->tag = sread_u32(r);
		/* A variable has no shape of its own; a constant's is in
		 * the text. */
		if ((k->hash == wild) != (k->off == TT_WILD) ||
		    (k->off == TT_WILD && k->len != MASK_WILD_LEN) ||
		    (k->off != TT_WILD && (uint64_t)k->off + k->len >
		    textlen) || (k->tag != TT_WILD && k->tag >= tagslen))
			r->err = 1;
		/* Only a variable keeps brackets, and only a few kinds;
		 * without classes, a tag is the "key=" it keeps. */
		if ((k->flags & TT_AFFIX) && (k->off != TT_WILD ||
		    !affix_valid(k->flags)))
			r->err = 1;
		if (!t->show_class && k->tag != TT_WILD && (k->off !=
		    TT_WILD || k->tag >= tagslen || !is_key(tags + k->tag)))
			r->err = 1;
		if (!r->err && k->off == TT_WILD && kept_anything(t, i))
			t->naffix++;
		if (k->off == TT_WILD)
			t->nwild++;
		else
			t->bloom |= bloom_bit(k->hash);
	}
	if (r->err) {
		template_free(t);
		return NULL;
	}
	return t;
}

void
template_free(struct template *t)
{
	if (t == NULL)
		return;
	free(t->rendered);
	free(t->json);
	free(t->variants);
	free(t->rootpos);
	free(t->tags);
	free(t);
}

struct template *
template_root(struct template *t)
{
	while (t->merged != NULL)
		t = t->merged;
	return t;
}

void
template_forget_text(struct template *t)
{
	free(t->rendered);
	t->rendered = NULL;
	free(t->json);
	t->json = NULL;
	t->json_long = 0;
}

int
template_set_wild(struct template *t, uint32_t i)
{
	uint32_t k;

	if (i >= t->ntok || t->tok[i].off == TT_WILD)
		return 0;
	t->tok[i].hash = token_wild_hash();
	t->tok[i].off = TT_WILD;
	t->tok[i].len = MASK_WILD_LEN;
	t->nwild++;
	t->bloom = 0;
	for (k = 0; k < t->ntok; k++)
		if (t->tok[k].off != TT_WILD)
			t->bloom |= bloom_bit(t->tok[k].hash);
	template_forget_text(template_root(t));
	return 1;
}

/* Append p[0..n) to t's tags as a string; returns its offset. */
static uint32_t
tags_add(struct template *t, const char *p, size_t n)
{
	size_t i, used = 0;

	for (i = 0; t->tags != NULL && i < t->ntok; i++)
		if (t->tok[i].tag != TT_WILD &&
		    t->tok[i].tag + strlen(t->tags + t->tok[i].tag) + 1 > used)
			used = t->tok[i].tag + strlen(t->tags +
			    t->tok[i].tag) + 1;
	t->tags = xreallocarray(t->tags, used + n + 1, 1);
	t->bytes += n + 1;
	memcpy(t->tags + used, p, n);
	t->tags[used + n] = '\0';
	return (uint32_t)used;
}

int
template_generalise(struct template *t, uint32_t i, const struct token *k)
{
	const char *old;
	size_t on, kl;
	uint32_t affix;

	if (i >= t->ntok || t->tok[i].off == TT_WILD)
		return 0;
	old = t->text + t->tok[i].off;
	on = t->tok[i].len;
	kl = t->show_class ? 0 : key_len(old, on);
	if (kl > 0 && (k->len <= kl || memcmp(k->shape, old, kl) != 0))
		kl = 0;
	if (kl == 0 && !t->show_class)
		kl = prefix_len(old, on, k->shape, k->len);
	affix = affix_of(old + kl, on - kl, k->shape + kl, k->len - kl);
	if (kl > 0)
		t->tok[i].tag = tags_add(t, old, kl);
	template_set_wild(t, i);
	t->tok[i].flags |= affix;
	if (kept_anything(t, i))
		t->naffix++;
	return 1;
}

/* Does word p (n bytes) have what position i of t kept around it? */
static int
word_fits(const struct template *t, uint32_t i, const char *p, size_t n)
{
	const char *key = kept_key(t, i);
	size_t kl = key != NULL ? strlen(key) : 0;

	if (kl > 0 && (n <= kl || memcmp(p, key, kl) != 0))
		return 0;
	return !(t->tok[i].flags & TT_AFFIX) ||
	    affix_fits(t->tok[i].flags, p + kl, n - kl);
}

static void
kept_drop(struct template *t, uint32_t i)
{
	t->tok[i].flags &= ~TT_AFFIX;
	if (!t->show_class)
		t->tok[i].tag = TT_WILD;
	t->naffix--;
	template_forget_text(template_root(t));
}

void
template_fit_word(struct template *t, uint32_t i, const char *p, size_t n)
{
	if (i < t->ntok && t->tok[i].off == TT_WILD && kept_anything(t, i) &&
	    !word_fits(t, i, p, n))
		kept_drop(t, i);
}

/* Do positions i of t and u keep the same key and affix? */
static int
same_kept(const struct template *t, const struct template *u, uint32_t i)
{
	const char *a = kept_key(t, i), *b = kept_key(u, i);

	return (t->tok[i].flags & TT_AFFIX) == (u->tok[i].flags & TT_AFFIX) &&
	    (a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0);
}

void
template_fit_template(struct template *t, const struct template *u)
{
	uint32_t i;

	if (t->ntok != u->ntok || t->naffix == 0)
		return;
	for (i = 0; i < t->ntok; i++) {
		if (t->tok[i].off != TT_WILD || !kept_anything(t, i))
			continue;
		if (u->tok[i].off != TT_WILD)
			template_fit_word(t, i, u->text + u->tok[i].off,
			    u->tok[i].len);
		else if (!same_kept(t, u, i))
			kept_drop(t, i);
	}
}

void
template_fit_affixes(struct template *t, const struct tokens *tk)
{
	struct template *root = t->rootpos != NULL ? t->merged : NULL;
	const struct token *k;
	uint32_t i;

	if (tk->n != t->ntok)
		return;
	for (i = 0; i < t->ntok; i++) {
		k = &tk->tok[i];
		if (t->naffix > 0 && kept_anything(t, i))
			template_fit_word(t, i, k->shape, k->len);
		if (root != NULL && t->rootpos[i] != TT_WILD &&
		    root->naffix > 0 && kept_anything(root, t->rootpos[i]))
			template_fit_word(root, t->rootpos[i], k->shape,
			    k->len);
	}
}

void
template_set_flags(struct template *t, uint32_t i, uint32_t flags)
{
	if (i >= t->ntok || (t->tok[i].flags & flags) == flags)
		return;
	t->tok[i].flags |= flags;
	template_forget_text(template_root(t));
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
		changed |= template_set_wild(t, i);
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

/* Is position i of t, or of what t was merged into, a variable? */
static int
is_variable(const struct template *t, uint32_t i)
{
	for (; t != NULL; t = t->merged) {
		if (i >= t->ntok)
			return 0;
		if (t->tok[i].off == TT_WILD || (t->tok[i].flags &
		    TT_OPTIONAL))
			return 1;
		if (t->merged != NULL && t->merged->ntok != t->ntok)
			return 0;
	}
	return 0;
}

size_t
template_values(const struct template *t, const struct tokens *tk,
    struct template_value *vals, size_t max)
{
	const struct template *v = t, *r = t;
	size_t i, k, n = 0;
	uint32_t pos, last = UINT32_MAX;
	int var;

	while (r->merged != NULL)
		r = r->merged;
	if (t->ntok != tk->n) {
		/* A line of another length: the variant it came by. */
		v = NULL;
		for (i = 0; i < r->nvariants; i++) {
			if (template_matches(r->variants[i], tk)) {
				v = r->variants[i];
				break;
			}
		}
		if (v == NULL)
			return 0;
	}
	if (v->rootpos == NULL && v->merged == NULL) {
		/* The usual template, merged into none: its own tokens
		 * say, without a call, and each value's slot is its
		 * place.  The bound in a local: the stores to vals would
		 * make the compiler read v->ntok and tk->n again. */
		const struct template_token *tt = v->tok;
		size_t lim = v->ntok < tk->n ? v->ntok : tk->n;

		for (i = 0; i < lim && n < max; i++) {
			if (!(tk->tok[i].flags & TOKEN_VAR) &&
			    tt[i].off != TT_WILD &&
			    !(tt[i].flags & TT_OPTIONAL))
				continue;
			vals[n].p = tk->tok[i].raw;
			vals[n].len = tk->tok[i].rawlen;
			vals[n].pos = (uint32_t)i;
			vals[n].slot = (uint32_t)i;
			n++;
		}
		return n;
	}
	for (i = 0; i < v->ntok && i < tk->n && n < max; i++) {
		var = (tk->tok[i].flags & TOKEN_VAR) != 0;
		if (v->rootpos == NULL) {
			pos = (uint32_t)i;
			var |= is_variable(v, pos);
		} else if (v->rootpos[i] == TT_WILD) {
			/* Part of the run of the variable before it, or of
			 * the one after it. */
			var = 1;
			pos = last;
			for (k = i + 1; pos == UINT32_MAX && k < v->ntok; k++)
				if (v->rootpos[k] != TT_WILD)
					pos = v->rootpos[k];
			if (pos == UINT32_MAX)
				pos = r->ntok;
		} else {
			pos = v->rootpos[i];
			var |= is_variable(v, (uint32_t)i) ||
			    is_variable(r, pos);
		}
		last = var ? pos : UINT32_MAX;
		if (!var)
			continue;
		vals[n].p = tk->tok[i].raw;
		vals[n].len = tk->tok[i].rawlen;
		vals[n].pos = (uint32_t)i;
		vals[n].slot = pos;
		n++;
	}
	return n;
}

/* One printable piece of a template while it is rendered. */
struct piece {
	const char	*s;
	size_t		 len;
	int		 joined;
	int		 var;
	int		 varlen;
	char		 open;		/* a variable's affix, or NUL */
	const char	*key;		/* ... its "key=", or NULL */
	char		 close[3];
};

/* Is position i a bare variable, "<*>" with nothing kept around it? */
static int
bare_variable(const struct template *t, size_t i)
{
	const struct template_token *k = &t->tok[i];

	return k->off == TT_WILD && !(k->flags & (TT_JOINED | TT_UNIT |
	    TT_AFFIX)) && kept_key(t, (uint32_t)i) == NULL;
}

/* Is position i a unit the template's lines agree on ("MB,")? */
static int
unit_word(const struct template *t, size_t i)
{
	const struct template_token *k = &t->tok[i];

	return (k->flags & TT_UNIT) && k->off != TT_WILD &&
	    strncmp(t->text + k->off, MASK_WILD, MASK_WILD_LEN) != 0;
}

static void
render(struct template *t)
{
	struct piece *pc, *prev;
	size_t i, j, c, n = 0, np = 0, total = 0, list_end = 0, run_end = 0;
	char *raw, *p;
	int scaled = 0;

	/*
	 * Units print as words ("memory <*> MB, disk <*> GB") unless the
	 * lines differ in one of them: then the program scales its sizes
	 * ("5.2 KB", "384.0 B"), and each unit is part of its number's
	 * "<*>", the ones that have not changed yet too.
	 */
	for (i = 0; i < t->ntok && !t->show_class; i++)
		if ((t->tok[i].flags & TT_UNIT) && !unit_word(t, i))
			scaled = 1;
	pc = xreallocarray(NULL, 2 * (size_t)t->ntok + 1, sizeof *pc);
	for (i = 0; i < t->ntok; i++) {
		const struct template_token *k = &t->tok[i];
		struct piece cur;
		int unit = !t->show_class && (k->flags & TT_UNIT);

		/* A list: LIST_MIN or more bare variables in a row print as
		 * one "<*>", as a run of variable length does. */
		if (i >= run_end && bare_variable(t, i)) {
			for (j = i + 1; j < t->ntok && bare_variable(t, j); j++)
				;
			run_end = j;
			if (j - i >= LIST_MIN && !t->show_class)
				list_end = j;
		}
		cur.joined = i > 0 && ((k->flags & TT_JOINED) || (unit &&
		    (scaled || !unit_word(t, i))));
		cur.varlen = (k->flags & TT_OPTIONAL) != 0 || i < list_end;
		cur.var = k->off == TT_WILD || cur.varlen;
		cur.open = cur.close[0] = '\0';
		cur.key = NULL;
		if (t->show_class && k->tag != TT_WILD && !cur.varlen &&
		    (k->off != TT_WILD || (k->flags & TT_WASVAR))) {
			cur.s = t->tags + k->tag;
			cur.len = strlen(cur.s);
		} else if (unit && scaled && unit_word(t, i)) {
			/* "KB)": "<*>)", the number's, and its marks. */
			cur.var = 1;
			cur.s = MASK_WILD;
			cur.len = MASK_WILD_LEN;
			for (j = 0; j < k->len && !IS_CLOSER(t->text[k->off +
			    j]); j++)
				;
			for (c = 0; c < 2 && j < k->len; c++, j++)
				cur.close[c] = t->text[k->off + j];
			cur.close[c] = '\0';
		} else if (cur.var) {
			cur.s = MASK_WILD;
			cur.len = MASK_WILD_LEN;
			if (!cur.varlen) {
				cur.open = affix_split(k->flags, cur.close);
				cur.key = kept_key(t, (uint32_t)i);
			}
		} else {
			cur.s = t->text + k->off;
			cur.len = k->len;
		}
		for (n = 0; n < 2; n++) {
			prev = np > 0 ? &pc[np - 1] : NULL;
			if (cur.var && prev != NULL && prev->var &&
			    (prev->varlen || cur.varlen) && cur.len ==
			    MASK_WILD_LEN && prev->len == MASK_WILD_LEN &&
			    cur.open == '\0' && cur.close[0] == '\0' &&
			    cur.key == NULL && prev->open == '\0' &&
			    prev->close[0] == '\0' && prev->key == NULL) {
				/* One "<*>" for a run of any length. */
				prev->varlen = 1;
			} else
				pc[np++] = cur;
			if (n == 1 || !(k->flags & TT_GAP))
				break;
			cur.s = MASK_WILD;
			cur.len = MASK_WILD_LEN;
			cur.joined = 0;
			cur.var = cur.varlen = 1;
			cur.open = cur.close[0] = '\0';
			cur.key = NULL;
		}
	}
	for (i = 0; i < np; i++)
		total += pc[i].len + 1 + 3 + (pc[i].key != NULL ?
		    strlen(pc[i].key) : 0);
	raw = p = xmalloc(total + 1);
	for (i = 0; i < np; i++) {
		if (i > 0 && !pc[i].joined)
			*p++ = ' ';
		if (pc[i].key != NULL) {	/* key="<*>": as word_fits() */
			memcpy(p, pc[i].key, strlen(pc[i].key));
			p += strlen(pc[i].key);
		}
		if (pc[i].open != '\0')
			*p++ = pc[i].open;
		memcpy(p, pc[i].s, pc[i].len);
		p += pc[i].len;
		memcpy(p, pc[i].close, strlen(pc[i].close));
		p += strlen(pc[i].close);
	}
	free(pc);
	if (t->show_class) {
		*p = '\0';
		t->rendered = raw;
		t->rendered_len = (size_t)(p - raw);
		return;
	}
	t->rendered = xmalloc(MASK_SHAPE_MAX((size_t)(p - raw)) + 1);
	t->rendered_len = mask_canonical(raw, (size_t)(p - raw), t->rendered);
	t->rendered[t->rendered_len] = '\0';
	free(raw);
}

const char *
template_text(struct template *t, size_t *len)
{
	t = template_root(t);
	if (t->rendered == NULL)
		render(t);
	if (len != NULL)
		*len = t->rendered_len;
	return t->rendered;
}
