/*
 * The parse tree: Drain's fixed-depth tree (He et al., ICWS 2017) with
 * sharper decisions where Drain is weak.  Drain joins a line to the most
 * similar template of its leaf once a share of positions agree, so it
 * merges events that differ in one word and splits an event whose lines
 * differ in length.  Here the kind of a difference decides, masking does
 * most of the work (as in Drain3), and lengths are bridged by aligning
 * shapes (the longest common subsequence, as in Spell).
 *
 * Lookup.  A message of n tokens goes to the subtree for length n, then
 * down depth - 2 inner layers keyed by its first tokens (a token with a
 * variable in it goes to the "<*>" child, and so does any token once a
 * node has max_children children), and ends in a leaf holding a short
 * list of templates.  It belongs to a template that covers it: every
 * position of the template is a variable or holds the message's token.
 * Where several do, the one with the most constants wins.  A word first
 * token that no template of its own covers may still belong to one with
 * a variable first position, so the "<*>" child's leaf is tried too.  In
 * front of the tree sits a direct-mapped cache from the hash of the
 * message's whole shape sequence to the template it had, so a repeated
 * shape costs one hash and one check of the cached template.  The default
 * depth keys on the first token only: first words that differ are
 * different events (Drain's observation), later ones are weighed below.
 *
 * Learning.  A message that no template covers is compared with each
 * template of its leaf position by position, and each difference is of
 * one of two kinds:
 *
 *   hard  two different plain words (no digits, nothing masked): in logs
 *         these are almost always different events ("Transitioned from
 *         NEW to RUNNING" and "...from RUNNING to DONE", "completed" and
 *         "aborted"); so is a field's name ("message-id=<*>",
 *         "status:") against a word that names none or another
 *         field.  A mark of punctuation ("****") against anything is
 *         harder still: it never joins;
 *   soft  a masked token on either side ("blk_<*>" where the template
 *         had a word, or two different masked shapes).  Tokens with
 *         digits are likely variables.  So is a word that went to the
 *         "<*>" child because its node was full, but less surely, and
 *         so are two words not in capitals that differ in their digits
 *         only ("api1", "api2": instances of one kind) and two names in
 *         quotes ("'hugo.khan'": a value someone supplied).
 *
 * A template with no hard difference, whose share of positions that
 * already agree reaches the similarity threshold, is generalised (its
 * differing positions become "<*>"), unless it has seen so many lines
 * (DRAIN_SETTLED) that a constant position is more likely a constant than
 * a variable that never varied: then only differences where the message
 * has the masked token are taken.  Most similar wins, and a template
 * generalised takes in (merges) the templates of its leaf it now covers.
 *
 * Word variables (user names, states) need more evidence: a message that
 * differs from a template by one hard difference, past the tree's key
 * layers, starts a template of its own, a sibling.  Once a position has
 * taken variable_words distinct words among siblings that agree
 * everywhere else, it is a variable: the oldest sibling is generalised
 * there and the others are merged into it (they keep their ids and print
 * its text from then on, so lines already printed with them group with
 * it).  The words a position held when it became a variable are that
 * variable's wherever the program writes them: siblings with the same
 * first token, two of whose words are among them, are joined the same
 * way however few words they took (family_check).  A name as the first
 * token ("apt-daily.service:") is the tree's key, so the siblings it
 * makes are in different leaves: first_siblings() looks for them there.
 *
 * Lists and optional parts make one event come in several lengths
 * ("delete blk_1", "delete blk_1 blk_2 blk_3"; "12 bytes sent" and "12
 * bytes (1.2 KB) sent").  Before a new template is made, the templates
 * with the same first token and another length are aligned with the
 * message (a longest common subsequence of the shapes, equal shapes
 * weighing more than a variable against a masked token).  If the two
 * differ only in runs that are variable (each run holds or touches a
 * value, a masked token that is otherwise punctuation, or a template
 * variable; has no more words than values; holds no field name such as
 * "src:" or "user=<*>"; and does not swap constants of one side for
 * constants of the other), at most three constants stay unaligned, and
 * three fifths of each side's constants align, the message becomes a
 * variant of that template: a hidden template of its own length, found
 * by the lookup as any other, that stands for the same event and gives
 * its id and text, where the runs read as one "<*>".  The search is
 * bounded (DRAIN_ALIGN_*) so that lines that are all new stay cheap.
 *
 * The tree owns its nodes and templates.  Nodes are keyed by the XXH3
 * hash of the token's shape, so the tree never compares bytes.  Nothing
 * is allocated per line except when a template is made or changes shape;
 * the alignment uses a scratch table made with the tree.
 *
 * Bounds.  The templates a tree holds (hidden variants counted) are
 * bounded by max_templates, and the memory they take by max_bytes (a
 * message's template can take some 40 KiB), which drain_evict keeps:
 * when the tree is past either, it drops whole events, an event being a
 * template with every template merged into it and their variants, until
 * it is a sixteenth below both.  It drops the least valuable first, the
 * value of an event being
 *
 *         log2(lines) + last / half_life
 *
 * with lines the lines its templates took and last the line number of
 * the latest (half_life, in lines, is the scorer's horizon): its count
 * weighed down by half for every half_life lines since it was last seen,
 * so an event seen once long ago goes first, one seen often goes only
 * when it has been gone for long.  Ties go to the older, then to the
 * lower id.  The caller's current line's event and events it pins (an
 * open burst, a record not yet told) stay.  Everything that refers to a
 * dropped template goes with it: its places in leaves and first-token
 * lists, the cache slots holding it, the nodes left empty.  Ids are not
 * reused.  Nodes are bounded by the templates: each lies on the path of
 * one, or is pruned.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "drain.h"
#include "sbuf.h"
#include "template.h"
#include "tokenize.h"
#include "u64map.h"
#include "xmalloc.h"

/*
 * Lines a template may see before its constants resist generalisation
 * by a message whose differing tokens are not all masked.
 */
#define DRAIN_SETTLED		8

/*
 * Cache slots (a power of two).  For a variant, at most so many templates
 * looked at and aligned, and so many alignment cells filled per message,
 * so that a stream of lines that are all new stays cheap.
 */
#define DRAIN_MEMO		(1u << 14)
#define DRAIN_ALIGN_LOOKS	1024
#define DRAIN_ALIGN_TRIES	16
#define DRAIN_ALIGN_CELLS	(1u << 18)

/*
 * A leaf's list of templates.  In the tree (not in the lists by first
 * token) each template has a key beside it, so that a scan rules most
 * templates out without touching them: two 64-bit Bloom filters of its
 * (position, shape) pairs, one of all its constants, one of those that
 * are plain (not masked when the template was made), kept up to date
 * (key_set) whenever a template changes.
 */
struct leaf_key {
	uint64_t	 all;
	uint64_t	 plain;
};

/*
 * A list by first token has, beside each template, what drain_variant()
 * asks of a candidate before it looks at the template itself: a scan of
 * a thousand of them then reads 16 KiB in a row, not a thousand
 * templates scattered over the heap.  Kept up to date as the keys are.
 */
struct first_key {
	uint64_t	 bloom;		/* the template's */
	uint32_t	 ntok;
	uint32_t	 nconst;	/* positions not variables */
};

struct leaf {
	struct template	**t;
	struct leaf_key	 *k;		/* NULL: a list by first token */
	struct first_key *fk;		/* a list by first token's */
	size_t		  n, cap, kcap;	/* kcap: of k or of fk */
	uint64_t	  key;		/* a list's, in byfirst */
	int		  dirty;	/* holds templates being evicted */
};

struct node {
	struct u64map	  children;	/* token hash -> struct node */
	struct node	 *wild;		/* the "<*>" child */
	struct leaf	  leaf;		/* templates, at the last layer */
};

struct memo {
	uint64_t	 key;
	struct template	*t;
};

/* An event the eviction weighs: a root and what was merged into it. */
struct event {
	struct template	*root;
	uint64_t	 lines;
	uint64_t	 last;
	size_t		 size;		/* templates */
	size_t		 bytes;
	int		 pinned;
	double		 value;
};

struct drain {
	struct drain_params	  p;
	struct u64map		  bylen;	/* token count -> struct node */
	struct u64map		  byfirst;	/* first token -> struct leaf */
	struct template		**all;		/* the public templates */
	size_t			  nall, allcap;
	struct template		**hidden;	/* variants */
	size_t			  nhidden, hiddencap;
	size_t			  bytes;	/* of all templates */
	uint64_t		  next_id;
	struct memo		 *memo;
	size_t			  memo_mask;
	uint16_t		 *dp;		/* alignment scratch, made when
						 * first needed */
	struct drain_merge	  merge[DRAIN_MERGES]; /* what the last
						   match made variables */
	size_t			  nmerges;
	uint64_t		  vwords[DRAIN_MERGE_MAX]; /* words the last
						   match found variable */
	size_t			  nvwords;
	struct event		 *ev;		/* eviction's scratch */
	size_t			  evcap;
	struct template		**doomed;
	size_t			  doomedcap;
};

/* Bits set in x (without the popcnt instruction, a library call). */
static inline unsigned
bits_set(uint64_t x)
{
	x -= (x >> 1) & 0x5555555555555555ull;
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

/* Has x more than n bits set?  Clearing the lowest n is cheaper than
 * counting them all when n is small, as it is for a scan's tests. */
static inline int
bits_over(uint64_t x, unsigned n)
{
	switch (n) {
	case 0:
		return x != 0;
	case 1:
		return (x & (x - 1)) != 0;
	case 2:
		x &= x - 1;
		return (x & (x - 1)) != 0;
	default:
		return bits_set(x) > n;
	}
}

/* The Bloom bit of shape hash at position pos. */
static uint64_t
pos_bit(uint64_t hash, size_t pos)
{
	uint64_t h = (hash + pos * 0x9e3779b97f4a7c15ull) *
	    0xff51afd7ed558ccdull;

	return (uint64_t)1 << (h >> 58);
}

static void
key_of(const struct template *t, struct leaf_key *k)
{
	uint32_t p;

	k->all = k->plain = 0;
	for (p = 0; p < t->ntok; p++) {
		if (t->tok[p].off == TT_WILD)
			continue;
		k->all |= pos_bit(t->tok[p].hash, p);
		if (!(t->tok[p].flags & TT_WASVAR))
			k->plain |= pos_bit(t->tok[p].hash, p);
	}
}

static void
key_set(struct leaf *l, size_t i)
{
	key_of(l->t[i], &l->k[i]);
}

/* Token k of t: a variable (wild or masked)? */
static int
tvariable(const struct template *t, size_t k)
{
	return t->tok[k].off == TT_WILD || (t->tok[k].flags & TT_WASVAR);
}

static void
first_key_of(const struct template *t, struct first_key *k)
{
	uint32_t p;

	k->bloom = t->bloom;
	k->ntok = t->ntok;
	k->nconst = 0;
	for (p = 0; p < t->ntok; p++)
		k->nconst += !tvariable(t, p);
}

static void
first_key_set(struct leaf *l, size_t i)
{
	first_key_of(l->t[i], &l->fk[i]);
}

/* t changed shape: its keys follow. */
static void
key_refresh(struct template *t)
{
	if (t == NULL)
		return;
	if (t->leaf != NULL)
		key_set(t->leaf, t->leafpos);
	if (t->first != NULL)
		first_key_set(t->first, t->firstpos);
}

static void
leaf_add(struct leaf *l, struct template *t)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 4;
		l->t = xreallocarray(l->t, l->cap, sizeof *l->t);
	}
	l->t[l->n++] = t;
}

/* Add t to a leaf of the tree, its home. */
static void
leaf_home(struct leaf *l, struct template *t)
{
	leaf_add(l, t);
	if (l->kcap < l->cap) {
		l->k = xreallocarray(l->k, l->cap, sizeof *l->k);
		l->kcap = l->cap;
	}
	t->leaf = l;
	t->leafpos = l->n - 1;
	key_set(l, l->n - 1);
}

/* Add public template t to l, its list by first token. */
static void
first_add(struct leaf *l, struct template *t)
{
	leaf_add(l, t);
	if (l->kcap < l->cap) {
		l->fk = xreallocarray(l->fk, l->cap, sizeof *l->fk);
		l->kcap = l->cap;
	}
	t->first = l;
	t->firstpos = l->n - 1;
	first_key_set(l, l->n - 1);
}

/*
 * What a scan needs to know of a message to rule templates out by their
 * keys: its (position, shape) Bloom filter, and how many of its
 * positions may differ from a template without a hard difference (its
 * variables, and words sent to "<*>" by a full node).
 */
struct probe {
	uint64_t	 bits;
	unsigned	 slack;
};

static void
probe_make(const struct tokens *tk, struct probe *pr)
{
	size_t i;

	pr->bits = 0;
	pr->slack = 0;
	for (i = 0; i < tk->n; i++) {
		pr->bits |= pos_bit(tk->tok[i].hash, i);
		if (tk->tok[i].flags & TOKEN_VAR)
			pr->slack++;
	}
}

size_t
drain_last_merges(const struct drain *d, const struct drain_merge **mg)
{
	*mg = d->merge;
	return d->nmerges;
}

/* Room to tell what position pos of root held, or NULL. */
static struct drain_merge *
merge_record(struct drain *d, struct template *root, uint32_t pos)
{
	struct drain_merge *mg;

	if (d->nmerges == DRAIN_MERGES)
		return NULL;
	mg = &d->merge[d->nmerges++];
	mg->root = root;
	mg->pos = pos;
	mg->n = 0;
	return mg;
}

/* Has word h turned out a variable's value in this match? */
static int
vword(const struct drain *d, uint64_t h)
{
	size_t i;

	for (i = 0; i < d->nvwords; i++)
		if (d->vwords[i] == h)
			return 1;
	return 0;
}

static void
vword_add(struct drain *d, uint64_t h)
{
	if (!vword(d, h) && d->nvwords < DRAIN_MERGE_MAX)
		d->vwords[d->nvwords++] = h;
}

/* Position pos of t: a word, not a variable nor a masked token? */
static int
plain_at(const struct template *t, size_t pos)
{
	return t->tok[pos].off != TT_WILD && !(t->tok[pos].flags & TT_WASVAR);
}

struct drain *
drain_new(const struct drain_params *p)
{
	struct drain *d;

	d = xcalloc(1, sizeof *d);
	d->p = *p;
	if (d->p.depth < 3)
		d->p.depth = 3;
	if (d->p.max_children < 2)
		d->p.max_children = 2;
	if (d->p.variable_words == 0)
		d->p.variable_words = DRAIN_DEFAULT_VARIABLE_WORDS;
	u64map_init(&d->bylen);
	u64map_init(&d->byfirst);
	d->next_id = 1;
	d->memo_mask = (d->p.memo_slots > 0 ? d->p.memo_slots : DRAIN_MEMO)
	    - 1;
	d->memo = xcalloc(d->memo_mask + 1, sizeof *d->memo);
	return d;
}

static void
node_free(struct node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; n->children.slot != NULL && i <= n->children.mask; i++)
		node_free(n->children.slot[i].val);
	u64map_free(&n->children);
	node_free(n->wild);
	free(n->leaf.t);
	free(n->leaf.k);
	free(n);
}

void
drain_free(struct drain *d)
{
	struct leaf *l;
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; d->bylen.slot != NULL && i <= d->bylen.mask; i++)
		node_free(d->bylen.slot[i].val);
	u64map_free(&d->bylen);
	for (i = 0; d->byfirst.slot != NULL && i <= d->byfirst.mask; i++) {
		if ((l = d->byfirst.slot[i].val) != NULL) {
			free(l->t);
			free(l->fk);
			free(l);
		}
	}
	u64map_free(&d->byfirst);
	for (i = 0; i < d->nall; i++)
		template_free(d->all[i]);
	for (i = 0; i < d->nhidden; i++)
		template_free(d->hidden[i]);
	free(d->all);
	free(d->hidden);
	free(d->memo);
	free(d->dp);
	free(d->ev);
	free(d->doomed);
	free(d);
}

static struct node *
node_new(void)
{
	struct node *n;

	n = xcalloc(1, sizeof *n);
	u64map_init(&n->children);
	return n;
}

/*
 * Walk (and with learn, grow) the inner layers; NULL if no path.  With
 * wild, take the "<*>" child at the first layer whatever the token.  Bit
 * i of *crowded is set where a word took the "<*>" child because its
 * node was full: there words are variables.
 */
static struct node *
drain_descend(struct drain *d, const struct tokens *tk, int learn, int wild,
    unsigned *crowded)
{
	struct node *n, *c;
	size_t i, layers;

	*crowded = 0;
	/* Lengths are keyed as-is: u64map mixes small keys itself. */
	n = u64map_get(&d->bylen, tk->n);
	if (n == NULL) {
		if (!learn)
			return NULL;
		n = node_new();
		u64map_put(&d->bylen, tk->n, n);
	}
	layers = d->p.depth - 2;
	for (i = 0; i < layers && i < tk->n; i++) {
		const struct token *t = &tk->tok[i];
		int var = (t->flags & TOKEN_VAR) || (wild && i == 0);

		c = NULL;
		if (!var)
			c = u64map_get(&n->children, t->hash);
		if (c == NULL && !var && learn &&
		    n->children.n + 1 < d->p.max_children) {
			c = node_new();
			u64map_put(&n->children, t->hash, c);
		}
		if (c == NULL) {
			if (n->wild == NULL && learn)
				n->wild = node_new();
			c = n->wild;
			if (!var && i < 8 * sizeof *crowded)
				*crowded |= 1u << i;
		}
		if (c == NULL)
			return NULL;
		n = c;
	}
	return n;
}

/* The key of a template's or a message's first token in byfirst. */
static uint64_t
first_key(uint64_t hash, int var)
{
	return var ? token_wild_hash() : hash;
}

static uint64_t
shape_key(const struct tokens *tk)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ tk->n;
	size_t i;

	for (i = 0; i < tk->n; i++) {
		h ^= tk->tok[i].hash;
		h *= 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	return h;
}

/* Positions that are constants in t. */
static uint32_t
constants(const struct template *t)
{
	return t->ntok - t->nwild;
}

/*
 * The template of l that covers tk with the most constants, or NULL.
 * With strict, only one at least half constants, whose first position is
 * a variable (for a first token found in the "<*>" child).
 */
static struct template *
leaf_cover(const struct leaf *l, const struct tokens *tk, int strict,
    const struct probe *pr)
{
	struct template *best = NULL, *t;
	const struct leaf_key *k = l->k;
	uint64_t bits = pr->bits;
	size_t i, n = l->n;

	/* In locals: template_matches() might write what l and pr point
	 * to, as far as the compiler knows, so it would load them again. */
	for (i = 0; i < n; i++) {
		/* A constant the message lacks at its place: no cover. */
		if (k != NULL && (k[i].all & ~bits) != 0)
			continue;
		t = l->t[i];
		if (strict && (2 * constants(t) < t->ntok || t->ntok == 0 ||
		    t->tok[0].off != TT_WILD))
			continue;
		if ((best == NULL || constants(t) > constants(best)) &&
		    template_matches(t, tk))
			best = t;
	}
	return best;
}

/* What the caller gets for a template the lookup found. */
static struct template *
visible(struct template *t)
{
	while (t->id == 0)
		t = t->merged;
	return t;
}

static void
add_public(struct drain *d, struct template *t)
{
	if (d->nall == d->allcap) {
		d->allcap = d->allcap ? 2 * d->allcap : 64;
		d->all = xreallocarray(d->all, d->allcap, sizeof *d->all);
	}
	d->all[d->nall++] = t;
	d->bytes += t->bytes;
}

static void
add_hidden(struct drain *d, struct template *t)
{
	if (d->nhidden == d->hiddencap) {
		d->hiddencap = d->hiddencap ? 2 * d->hiddencap : 64;
		d->hidden = xreallocarray(d->hidden, d->hiddencap,
		    sizeof *d->hidden);
	}
	d->hidden[d->nhidden++] = t;
	d->bytes += t->bytes;
}

/* Does a cover every line b covers? */
static int
subsumes(const struct template *a, const struct template *b)
{
	uint32_t i;

	if (a->ntok != b->ntok)
		return 0;
	for (i = 0; i < a->ntok; i++)
		if (a->tok[i].off != TT_WILD &&
		    a->tok[i].hash != b->tok[i].hash)
			return 0;
	return 1;
}

static size_t	field_name(const char *, size_t);
static int	fields_differ(const struct template *, size_t,
		    const struct token *);

/*
 * Does u hold a word where t is a variable that is a hard difference
 * from message tk's token there, a field's name against another or
 * against a word that names none ("client=<*>", "message-id=<*>",
 * "removed")?  Then u is another event, however t was generalised.
 */
static int
fields_clash(const struct template *t, const struct template *u,
    const struct tokens *tk)
{
	size_t k;

	for (k = 0; k < t->ntok; k++) {
		if (t->tok[k].off != TT_WILD || u->tok[k].off == TT_WILD)
			continue;
		if ((field_name(u->text + u->tok[k].off, u->tok[k].len) == 0) !=
		    (field_name(tk->tok[k].shape, tk->tok[k].len) == 0) ||
		    fields_differ(u, k, &tk->tok[k]))
			return 1;
	}
	return 0;
}

/*
 * t was generalised (for message tk, if not NULL): the public templates
 * of l it now covers are the same event, merged into it.
 */
static void
merge_subsumed(struct drain *d, const struct leaf *l, struct template *t,
    const struct tokens *tk)
{
	struct template *u;
	size_t i, k;

	if (t->id == 0)
		return;
	for (i = 0; i < l->n; i++) {
		u = l->t[i];
		if (u == t || u->id == 0 || u->merged != NULL ||
		    !subsumes(t, u) || (tk != NULL && tk->n == t->ntok &&
		    fields_clash(t, u, tk)))
			continue;
		for (k = 0; k < t->ntok; k++)
			if (t->tok[k].off == TT_WILD && plain_at(u, k))
				vword_add(d, u->tok[k].hash);
		/* Its lines may lack what t's variables keep. */
		template_fit_template(t, u);
		u->merged = t;
		template_forget_text(u);
	}
}

/*
 * Generalise t to cover tk; a variant passes it on to its template.  A
 * word that was constant until now is recorded, so that the line that
 * changed it is judged as a new value where one value always was.
 */
static void
generalise(struct drain *d, struct template *t, const struct tokens *tk)
{
	struct template *root = t->merged != NULL ? t->merged : t;
	struct drain_merge *mg;
	uint32_t i, pos;

	for (i = 0; i < t->ntok; i++) {
		if (t->tok[i].off == TT_WILD ||
		    t->tok[i].hash == tk->tok[i].hash)
			continue;
		if (plain_at(t, i))
			vword_add(d, t->tok[i].hash);
		if (!(tk->tok[i].flags & TOKEN_VAR))
			vword_add(d, tk->tok[i].hash);
		pos = t->rootpos != NULL ? t->rootpos[i] : i;
		if (pos != TT_WILD && root->tok[pos].off != TT_WILD &&
		    !(root->tok[pos].flags & TT_WASVAR) && root->count > 0 &&
		    (mg = merge_record(d, root, pos)) != NULL) {
			mg->n = 1;
			mg->hash[0] = root->tok[pos].hash;
			mg->count[0] = root->count;
			mg->from[0] = root;
		}
		template_generalise(t, i, &tk->tok[i]);
		if (t->rootpos != NULL && t->rootpos[i] != TT_WILD)
			template_generalise(t->merged, t->rootpos[i],
			    &tk->tok[i]);
	}
	key_refresh(t);
	if (t->rootpos != NULL)
		key_refresh(t->merged);
}

/* The length of the field name p (n bytes) starts with, "key=" or
 * "key:" with its mark, or 0. */
static size_t
field_name(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && (isalnum((unsigned char)p[i]) || p[i] == '_' ||
	    p[i] == '.' || p[i] == '-'); i++)
		;
	return i > 0 && i < n && (p[i] == '=' || p[i] == ':') ? i + 1 : 0;
}

static int	quoted_name(const char *, size_t);

/*
 * Whether p[0..n) and q[0..m) are the same but for their runs of digits
 * ("api1" and "api12"); *digits is set when they had some at the same
 * place.
 */
static int
same_but_digits(const char *p, size_t n, const char *q, size_t m,
    int *digits)
{
	size_t i = 0, j = 0;

	*digits = 0;
	while (i < n && j < m) {
		if (isdigit((unsigned char)p[i]) &&
		    isdigit((unsigned char)q[j])) {
			while (i < n && isdigit((unsigned char)p[i]))
				i++;
			while (j < m && isdigit((unsigned char)q[j]))
				j++;
			*digits = 1;
		} else if (p[i++] != q[j++])
			return 0;
	}
	return i == n && j == m;
}

/* Two words that differ in their digits only, "api1" and "api2",
 * "web01" and "web12": instances of one kind, more likely a variable's
 * values than two events.  Not in capitals: "IPV4" and "IPV6" are
 * kinds. */
static int
digits_differ(const char *p, size_t n, const char *q, size_t m)
{
	int digits;
	size_t i;

	for (i = 0; i < n && !islower((unsigned char)p[i]); i++)
		;
	return i < n && same_but_digits(p, n, q, m, &digits) && digits;
}

/* Position k of t and token m both name fields, different ones:
 * "client=<*>" and "message-id=<*>" are two events.  Names that differ
 * in their digits only are one field's ("PSR0=", "PSR1=": an index). */
static int
fields_differ(const struct template *t, size_t k, const struct token *m)
{
	const char *p = t->text + t->tok[k].off, *q = m->shape;
	size_t a = field_name(p, t->tok[k].len), b;
	int digits;

	if (a == 0 || (b = field_name(q, m->len)) == 0)
		return 0;
	return !same_but_digits(p, a, q, b, &digits);
}

/*
 * Plain words of tk that may be a soft difference from a template's
 * constant: a word with digits in it, not in capitals (digits_differ()),
 * or a name in quotes.  Each is room for one constant the message lacks
 * before the walk in leaf_generalisable().
 */
static unsigned
soft_maybes(const struct tokens *tk)
{
	const struct token *t;
	unsigned n = 0;
	size_t i, k;
	int digit, lower;

	for (i = 0; i < tk->n; i++) {
		t = &tk->tok[i];
		if (t->flags & TOKEN_VAR)
			continue;
		if (quoted_name(t->raw, t->rawlen)) {
			n++;
			continue;
		}
		for (k = 0, digit = lower = 0; k < t->rawlen; k++) {
			digit |= isdigit((unsigned char)t->raw[k]) != 0;
			lower |= islower((unsigned char)t->raw[k]) != 0;
		}
		n += digit && lower;
	}
	return n;
}

/*
 * A template of l to generalise for tk, as the file comment says, or
 * NULL.  Sets *sibpos to the one hard difference of the best template
 * that has exactly one and nothing else, or -1.
 */
static struct template *
leaf_generalisable(struct drain *d, const struct leaf *l,
    const struct tokens *tk, unsigned crowded, const struct probe *pr,
    long *sibpos)
{
	struct template *best = NULL, *t;
	const struct leaf_key *key = l->k;	/* locals: see leaf_cover() */
	uint64_t bits = pr->bits;
	size_t i, k, n = l->n, same, hard, soft, sure, bestsame = 0;
	size_t hardpos = 0;
	unsigned slack = pr->slack + bits_set(crowded) + soft_maybes(tk);
	int lvar, tvar;

	*sibpos = -1;
	for (i = 0; i < n; i++) {
		/*
		 * Each plain constant the message lacks at its place is a
		 * difference, hard unless the message has a variable there,
		 * the word went to "<*>" or the message's word may differ
		 * softly: two hard ones rule it out, as the walk below
		 * would.
		 */
		if (key != NULL && bits_over(key[i].plain & ~bits, slack + 1))
			continue;
		t = l->t[i];
		if (t->id != 0 && t->merged != NULL)
			continue;	/* a merged sibling: its root decides */
		same = hard = soft = sure = 0;
		for (k = 0; k < tk->n; k++) {
			if (t->tok[k].off == TT_WILD ||
			    t->tok[k].hash == tk->tok[k].hash) {
				same++;
				continue;
			}
			lvar = (tk->tok[k].flags & TOKEN_VAR) != 0;
			tvar = (t->tok[k].flags & TT_WASVAR) != 0;
			if ((tk->tok[k].flags & TOKEN_MARK) ||
			    (t->tok[k].flags & TT_MARK)) {
				hard = 2;	/* "****" is structure */
				break;
			} else if ((tk->tok[k].flags & TOKEN_KEY) ?
			    !(t->tok[k].flags & (TT_KEY | TT_WASVAR)) ||
			    ((t->tok[k].flags & TT_KEY) &&
			    fields_differ(t, k, &tk->tok[k])) :
			    (t->tok[k].flags & TT_KEY) &&
			    !(tk->tok[k].flags & TOKEN_VAR)) {
				/* A field's name against a word that names
				 * none or another field: "message-id=<*>",
				 * "client=<*>" and "removed" are three
				 * events ("/a?q=1" and "/b" are not). */
				hardpos = k;
				if (++hard > 1)
					break;
			} else if (!lvar && !tvar && ((k < 8 * sizeof crowded &&
			    (crowded >> k & 1)) || (quoted_name(tk->tok[k].raw,
			    tk->tok[k].rawlen) && quoted_name(t->text +
			    t->tok[k].off, t->tok[k].len)) ||
			    digits_differ(t->text + t->tok[k].off,
			    t->tok[k].len, tk->tok[k].raw, tk->tok[k].rawlen))) {
				soft++;	/* a maybe: see the file comment */
			} else if (!lvar && !tvar) {
				hardpos = k;
				if (++hard > 1)
					break;
			} else {
				soft++;
				if (lvar && !tvar)
					sure++;
			}
		}
		if (hard == 1 && soft == 0 && t->id != 0 &&
		    hardpos >= d->p.depth - 2)
			*sibpos = (long)hardpos;
		if (hard > 0 || soft == 0)
			continue;
		if ((double)same < d->p.similarity * (double)tk->n)
			continue;
		if (t->lines >= DRAIN_SETTLED && sure < soft)
			continue;
		if (best == NULL || same > bestsame) {
			best = t;
			bestsame = same;
		}
	}
	return best;
}

/*
 * Make position pos a variable of the siblings sib[0..nsib): the oldest
 * is generalised there and the others are merged into it.  k is a word
 * that came there (the one a message brought, or a sibling's), for the
 * brackets and key the variable keeps.  Returns the oldest.
 */
static struct template *
siblings_join(struct drain *d, struct template **sib, size_t nsib,
    size_t pos, const struct token *k)
{
	struct template *root;
	struct drain_merge *mg;
	size_t i;

	root = sib[0];
	for (i = 1; i < nsib; i++)
		if (sib[i]->id < root->id)
			root = sib[i];
	for (i = 0; i < nsib; i++)
		vword_add(d, sib[i]->tok[pos].hash);
	/* Tell the scorer what the position held, before it is lost. */
	if ((mg = merge_record(d, root, (uint32_t)pos)) != NULL) {
		mg->n = nsib;
		for (i = 0; i < nsib; i++) {
			mg->hash[i] = sib[i]->tok[pos].hash;
			mg->count[i] = sib[i]->count;
			mg->from[i] = sib[i];
		}
	}
	template_generalise(root, (uint32_t)pos, k);
	for (i = 0; i < nsib; i++)
		if (sib[i] != root)
			template_fit_word(root, (uint32_t)pos, sib[i]->text +
			    sib[i]->tok[pos].off, sib[i]->tok[pos].len);
	key_refresh(root);
	for (i = 0; i < nsib; i++) {
		if (sib[i] != root) {
			sib[i]->merged = root;
			template_forget_text(sib[i]);
		}
	}
	return root;
}

/*
 * If t agrees with tk everywhere but at pos, add it to the siblings sib
 * and its word there to the distinct words (the message's word is the
 * first of them: SIBLINGS_MAX + 1 in all).
 */
#define SIBLINGS_MAX	64

static void
sibling_take(struct template *t, const struct tokens *tk, size_t pos,
    struct template **sib, size_t *nsib, uint64_t *words, size_t *nwords)
{
	size_t k;

	for (k = 0; k < tk->n; k++)
		if (k != pos && t->tok[k].off != TT_WILD &&
		    t->tok[k].hash != tk->tok[k].hash)
			return;
	sib[(*nsib)++] = t;
	for (k = 0; k < *nwords; k++)
		if (words[k] == t->tok[pos].hash)
			return;
	words[(*nwords)++] = t->tok[pos].hash;
}

/*
 * Siblings of tk at position pos in l: templates that agree with it
 * everywhere else and hold a word at pos.  When they and tk make
 * variable_words distinct words there, merge them and return the one
 * that now covers tk.
 */
static struct template *
leaf_siblings(struct drain *d, const struct leaf *l, const struct tokens *tk,
    size_t pos)
{
	struct template *sib[SIBLINGS_MAX], *t;
	uint64_t words[SIBLINGS_MAX + 1];
	size_t i, nsib = 0, nwords = 1;

	words[0] = tk->tok[pos].hash;
	for (i = 0; i < l->n && nsib < SIBLINGS_MAX; i++) {
		t = l->t[i];
		if (t->id == 0 || t->merged != NULL || !plain_at(t, pos))
			continue;
		sibling_take(t, tk, pos, sib, &nsib, words, &nwords);
	}
	if (nsib == 0 || nwords < d->p.variable_words)
		return NULL;
	vword_add(d, tk->tok[pos].hash);
	return siblings_join(d, sib, nsib, pos, &tk->tok[pos]);
}

/*
 * A name, as units, hosts and files are named: letters or digits on
 * both sides of a '.', '-', '_', '@' or '/' ("apt-daily.service:",
 * "user@1000"), not a plain word ("Starting", "alice").
 */
static int
name_like(const char *p, size_t n)
{
	size_t i;

	for (i = 1; i + 1 < n; i++) {
		if (strchr(".-_@/", p[i]) != NULL && p[i] != '\0' &&
		    isalnum((unsigned char)p[i - 1]) &&
		    isalnum((unsigned char)p[i + 1]))
			return 1;
	}
	return 0;
}

/* A name in quotes, 'hugo.khan' or "db-2", and what punctuation follows
 * it: a value someone supplied, where a quoted plain word ('Active') may
 * as well be a state of the event. */
static int
quoted_name(const char *p, size_t n)
{
	size_t i;

	if (n < 3 || (p[0] != '\'' && p[0] != '"'))
		return 0;
	for (i = n; i > 2 && ispunct((unsigned char)p[i - 1]) &&
	    p[i - 1] != p[0]; i--)
		;
	return i > 2 && p[i - 1] == p[0] &&
	    memchr(p + 1, p[0], i - 2) == NULL && name_like(p + 1, i - 2);
}

/* A word in brackets, "(nagios)": a name, as cron writes a user's. */
static int
bracketed(const char *p, size_t n)
{
	size_t i;

	if (n < 3 || p[0] == '\0' || !strchr("([<", p[0]) ||
	    p[n - 1] != (p[0] == '(' ? ')' :
	    p[0] == '[' ? ']' : '>'))
		return 0;
	for (i = 1; i + 1 < n; i++)
		if (!isalnum((unsigned char)p[i]) && p[i] != '_' &&
		    p[i] != '-' && p[i] != '.')
			return 0;
	return 1;
}

/* A colon of its own after a first word not capitalised, "judy : ...":
 * the word is who the rest is about, as sudo writes a user.  ("Failed -
 * backup job" is a sentence: its first word is the event.) */
static int
named_by_mark(const struct tokens *tk)
{
	const struct token *m = &tk->tok[1];

	return m->rawlen == 1 && m->raw[0] == ':' &&
	    !(tk->tok[0].raw[0] >= 'A' && tk->tok[0].raw[0] <= 'Z');
}

/* Take t out of its leaf, keeping the order of the others. */
static void
leaf_remove(struct template *t)
{
	struct leaf *l = t->leaf;
	size_t i;

	for (i = t->leafpos; i + 1 < l->n; i++) {
		l->t[i] = l->t[i + 1];
		l->k[i] = l->k[i + 1];
		l->t[i]->leafpos = i;
	}
	l->n--;
	t->leaf = NULL;
}

/*
 * The tree keys on the first token, so a name there (a unit's, a
 * host's, a user's) makes an event of each name: "apt-daily.service:
 * Deactivated successfully.", "cron.service: ...".  A name is
 * name_like(), bracketed() ("(nagios)"), or a word a colon of its own
 * follows ("judy : TTY=...").  When a message whose first token
 * is a name starts a template, the templates of its length whose first
 * token is another name and that agree with it everywhere else are
 * counted; once they and the message make variable_words names, the
 * position is a variable, as leaf_siblings() does past the first: the
 * oldest is generalised there and moves to the "<*>" child, where lines
 * with names not yet seen find it, and the others are merged into it.
 * The template must keep two constants past its first token, and half
 * its tokens constants, so that short lines ("eth0 up") stay apart and
 * the lookup in the "<*>" child finds it.  Only when a template would
 * be made, and only the leaves below the length's node (at most
 * max_children) of at most FIRST_LEAF_MAX templates are looked at: a
 * name that already has more is the key of many events.
 */
#define FIRST_LEAF_MAX	64

static struct template *
first_siblings(struct drain *d, const struct tokens *tk,
    const struct probe *pr)
{
	struct template *sib[SIBLINGS_MAX], *t, *root;
	struct node *n, *c, *wild;
	struct leaf *l;
	uint64_t words[SIBLINGS_MAX + 1];
	size_t i, j, k, nsib = 0, nwords = 1, rest = 0;
	unsigned unused;
	int marked;

	if (tk->n < 3 || (tk->tok[0].flags & TOKEN_VAR))
		return NULL;
	if (!(marked = named_by_mark(tk)) &&
	    !name_like(tk->tok[0].raw, tk->tok[0].rawlen) &&
	    !bracketed(tk->tok[0].raw, tk->tok[0].rawlen))
		return NULL;
	for (k = 1; k < tk->n; k++)
		rest += !(tk->tok[k].flags & TOKEN_VAR);
	if (rest < 2 || (n = u64map_get(&d->bylen, tk->n)) == NULL)
		return NULL;
	words[0] = tk->tok[0].hash;
	for (i = 0; n->children.slot != NULL && i <= n->children.mask; i++) {
		if ((c = n->children.slot[i].val) == NULL)
			continue;
		/* Deeper trees: the message's path below the first layer. */
		for (k = 1; c != NULL && k < d->p.depth - 2 && k < tk->n; k++)
			c = (tk->tok[k].flags & TOKEN_VAR) ? c->wild :
			    u64map_get(&c->children, tk->tok[k].hash);
		if (c == NULL || (l = &c->leaf)->n > FIRST_LEAF_MAX)
			continue;
		for (j = 0; j < l->n && nsib < SIBLINGS_MAX; j++) {
			t = l->t[j];
			/* Its constants past the first must be the message's. */
			if ((l->k[j].all & ~(pr->bits |
			    pos_bit(t->tok[0].hash, 0))) != 0)
				continue;
			if (t->id == 0 || t->merged != NULL ||
			    !plain_at(t, 0) || t->tok[0].hash == words[0] ||
			    (!marked && !name_like(t->text + t->tok[0].off,
			    t->tok[0].len) && !bracketed(t->text +
			    t->tok[0].off, t->tok[0].len)))
				continue;
			sibling_take(t, tk, 0, sib, &nsib, words, &nwords);
		}
	}
	if (nsib == 0 || nwords < d->p.variable_words)
		return NULL;
	/*
	 * The oldest becomes the template: past its first token it must
	 * hold two constants, and half its tokens must be constants for
	 * the lookup in the "<*>" child to find it.  In order of id, so
	 * that what the join records is the same in a tree saved and
	 * loaded, whose maps hold their slots in another order.
	 */
	for (i = 1; i < nsib; i++)
		for (j = i; j > 0 && sib[j]->id < sib[j - 1]->id; j--) {
			t = sib[j];
			sib[j] = sib[j - 1];
			sib[j - 1] = t;
		}
	root = sib[0];
	if (constants(root) < 3 || 2 * (constants(root) - 1) < root->ntok)
		return NULL;
	vword_add(d, tk->tok[0].hash);
	root = siblings_join(d, sib, nsib, 0, &tk->tok[0]);
	wild = drain_descend(d, tk, 1, 1, &unused);
	leaf_remove(root);
	leaf_home(&wild->leaf, root);
	merge_subsumed(d, &wild->leaf, root, NULL);
	return root;
}

/*
 * The words a match found to be a variable's values (a user's or a
 * host's name) are that variable's wherever the program writes them.
 * Siblings that start as root does, differ in one word past the tree's
 * keys and agree everywhere else, as leaf_siblings() gathers them, are
 * that variable too when two of their words are among those, though
 * they took fewer than variable_words: "session opened for user cyrus",
 * "... news", "... test", once "session closed for user <*>" has taken
 * cyrus, news and test.  Only the templates with root's first token are
 * looked at, a short list.
 */
static void
family_check(struct drain *d, struct template *root)
{
	const struct leaf *first = root->first, *l;
	struct template *sib[SIBLINGS_MAX], *u, *t;
	struct token k;
	size_t i, j, m, p, nsib, known;

	if (first == NULL || d->nvwords < 2)
		return;
	for (i = 0; i < first->n; i++) {
		u = first->t[i];
		if (u == root || u->id == 0 || u->merged != NULL ||
		    (l = u->leaf) == NULL)
			continue;
		for (p = d->p.depth - 2; p < u->ntok; p++) {
			if (!plain_at(u, p) || !vword(d, u->tok[p].hash))
				continue;
			nsib = known = 0;
			for (j = 0; j < l->n && nsib < SIBLINGS_MAX; j++) {
				t = l->t[j];
				if (t->id == 0 || t->merged != NULL ||
				    t->ntok != u->ntok || !plain_at(t, p))
					continue;
				for (m = 0; m < u->ntok; m++)
					if (m != p && t->tok[m].hash !=
					    u->tok[m].hash)
						break;
				if (m < u->ntok)
					continue;
				sib[nsib++] = t;
				known += vword(d, t->tok[p].hash);
			}
			if (nsib < 2 || known < 2)
				continue;
			memset(&k, 0, sizeof k);
			t = sib[0] != u ? sib[0] : sib[1];
			k.shape = t->text + t->tok[p].off;
			k.len = t->tok[p].len;
			t = siblings_join(d, sib, nsib, p, &k);
			merge_subsumed(d, l, t, NULL);
			break;
		}
	}
}

/* Token k of t, j of tk: a value of a run of variable length?  Masked,
 * with nothing but punctuation besides, or wild. */
static int
tvalue(const struct template *t, size_t k)
{
	return t->tok[k].off == TT_WILD || (t->tok[k].flags & TT_PURE);
}

static int
lvalue(const struct tokens *tk, size_t j)
{
	return (tk->tok[j].flags & TOKEN_PURE) != 0;
}

/*
 * Align t with tk (longest common subsequence: equal shapes weigh 2, a
 * variable against a masked token or anything against a template
 * variable 1) and judge the runs between aligned pairs.  On success fill
 * map[j] with the position of t that token j of tk aligns with, or
 * TT_WILD, and return 1.
 */
static int
align(struct drain *d, const struct template *t, const struct tokens *tk,
    uint64_t bloom, uint32_t *map)
{
	size_t m = t->ntok, n = tk->n, w = n + 1, i, j;
	size_t ti, tj, pi, pj, rc, rv, lc, lv, aligned = 0, tconst, lconst;
	size_t loose = 0, reach = 0;
	uint16_t *s, a, b, c;
	int prevvar;

	/* What the tests at the end ask of aligned, asked first of a bound
	 * on it: the constants of t whose shapes tk may hold (bloom, its
	 * Bloom filter).  Most tries fail here, before the table. */
	tconst = lconst = 0;
	for (i = 0; i < m; i++) {
		if (tvariable(t, i))
			continue;
		tconst++;
		reach += (bloom >> (t->tok[i].hash >> 58)) & 1;
	}
	for (j = 0; j < n; j++)
		lconst += !(tk->tok[j].flags & TOKEN_VAR);
	if (reach < 2 || 5 * reach < 3 * tconst || 5 * reach < 3 * lconst)
		return 0;

	/* 132 KiB a tree never needs unless lines vary in length. */
	if (d->dp == NULL)
		d->dp = xreallocarray(NULL, (TOKENS_MAX + 1) *
		    (TOKENS_MAX + 1), sizeof *d->dp);
	s = d->dp;

#define S(i, j)	s[(i) * w + (j)]
#define MATCH(i, j) (t->tok[i].hash == tk->tok[j].hash ? 2 :		\
	(t->tok[i].off == TT_WILD || ((t->tok[i].flags & TT_WASVAR) &&	\
	(tk->tok[j].flags & TOKEN_VAR))) ? 1 : 0)

	for (j = 0; j <= n; j++)
		S(0, j) = 0;
	for (i = 1; i <= m; i++) {
		S(i, 0) = 0;
		for (j = 1; j <= n; j++) {
			a = S(i - 1, j);
			b = S(i, j - 1);
			c = MATCH(i - 1, j - 1);
			c = c ? S(i - 1, j - 1) + c : 0;
			S(i, j) = a > b ? (a > c ? a : c) : (b > c ? b : c);
		}
	}
	/* Walk back, filling map, then look at the runs. */
	for (j = 0; j < n; j++)
		map[j] = TT_WILD;
	i = m;
	j = n;
	while (i > 0 && j > 0) {
		c = MATCH(i - 1, j - 1);
		if (c && S(i, j) == S(i - 1, j - 1) + c) {
			map[j - 1] = (uint32_t)(i - 1);
			i--;
			j--;
		} else if (S(i - 1, j) >= S(i, j - 1))
			i--;
		else
			j--;
	}

	pi = 0;
	pj = 0;
	prevvar = 0;
	for (tj = 0; tj <= n; tj++) {
		if (tj < n && map[tj] == TT_WILD)
			continue;
		ti = tj < n ? map[tj] : m;
		/* The run t[pi..ti) against tk[pj..tj). */
		rc = rv = lc = lv = 0;
		for (i = pi; i < ti; i++) {
			if (t->tok[i].flags & (TT_KEY | TT_MARK))
				return 0;	/* a field of its own */
			if (tvalue(t, i))
				rv++;
			else
				rc++;
		}
		for (j = pj; j < tj; j++) {
			if (tk->tok[j].flags & (TOKEN_KEY | TOKEN_MARK))
				return 0;
			if (lvalue(tk, j))
				lv++;
			else
				lc++;
		}
		if (ti > pi || tj > pj) {
			int nextvar = tj < n && (tvalue(t, ti) ||
			    lvalue(tk, tj));

			if (rc > 0 && lc > 0)
				return 0;	/* constants swapped */
			if (rv + lv == 0 && !prevvar && !nextvar)
				return 0;	/* no variable in or by it */
			if (rc + lc > rv + lv + (prevvar || nextvar))
				return 0;	/* more words than variables */
			loose += rc + lc;
		}
		if (tj < n) {
			if (t->tok[ti].hash == tk->tok[tj].hash &&
			    !tvariable(t, ti))
				aligned++;
			prevvar = tvalue(t, ti) || lvalue(tk, tj);
		}
		pi = ti + 1;
		pj = tj + 1;
	}
#undef S
#undef MATCH
	if (aligned < 2 || loose > 3)
		return 0;
	if (5 * aligned < 3 * tconst || 5 * aligned < 3 * lconst)
		return 0;
	return 1;
}

/*
 * A template of another length that tk is a variant of: make the variant
 * and return it, or NULL.
 */
static struct template *
drain_variant(struct drain *d, const struct tokens *tk, struct leaf *home)
{
	struct leaf *cands;
	struct template *t, *root, *v;
	uint32_t map[TOKENS_MAX], prev;
	const struct first_key *fk;
	uint64_t bloom = 0;
	uint32_t n, lconst = 0;
	size_t i, j, stop, tries = 0, cells = 0;
	int pending;

	if (tk->n == 0)
		return NULL;
	cands = u64map_get(&d->byfirst, first_key(tk->tok[0].hash,
	    tk->tok[0].flags & TOKEN_VAR));
	if (cands == NULL)
		return NULL;
	for (j = 0; j < tk->n; j++) {
		bloom |= (uint64_t)1 << (tk->tok[j].hash >> 58);
		lconst += !(tk->tok[j].flags & TOKEN_VAR);
	}
	/* The newest DRAIN_ALIGN_LOOKS, newest first.  The keys and the
	 * length in locals: align() and the rest might write them, as far
	 * as the compiler knows, so it would load them again each time. */
	fk = cands->fk;
	n = (uint32_t)tk->n;
	stop = cands->n > DRAIN_ALIGN_LOOKS ? cands->n - DRAIN_ALIGN_LOOKS : 0;
	for (i = cands->n; i-- > stop && tries < DRAIN_ALIGN_TRIES;) {
		/* Lengths in one compare: 0, n and far shorter lines (not a
		 * list) are out. */
		if (fk[i].ntok - 1 > n + 3 || fk[i].ntok == n)
			continue;
		if (bits_over(fk[i].bloom & ~bloom, 2))
			continue;
		/* Constants that do not align are few (see align()). */
		if (fk[i].nconst > lconst + 3 || lconst > fk[i].nconst + 3)
			continue;
		t = cands->t[i];
		if (t->merged != NULL)
			continue;
		cells += (size_t)(t->ntok + 1) * (tk->n + 1);
		if (cells > DRAIN_ALIGN_CELLS)
			break;
		tries++;
		if (!align(d, t, tk, bloom, map))
			continue;

		root = t;
		v = template_new(0, tk);
		v->merged = root;
		v->rootpos = xreallocarray(NULL, tk->n, sizeof *v->rootpos);
		memcpy(v->rootpos, map, tk->n * sizeof *map);
		v->bytes += tk->n * sizeof *v->rootpos;
		if (root->show_class)
			template_keep_tags(v, tk);
		/* The template's text: positions the variant lacks and runs
		 * it has in addition are of variable length. */
		prev = TT_WILD;
		pending = 0;
		for (j = 0; j < tk->n; j++) {
			uint32_t q, r = map[j];

			if (r == TT_WILD) {
				pending = 1;
				continue;
			}
			for (q = prev == TT_WILD ? 0 : prev + 1; q < r; q++)
				template_set_flags(root, q, TT_OPTIONAL);
			if (pending && prev != TT_WILD && r == prev + 1)
				template_set_flags(root, prev, TT_GAP);
			if (root->tok[r].off != TT_WILD &&
			    root->tok[r].hash != tk->tok[j].hash)
				template_generalise(root, r, &tk->tok[j]);
			prev = r;
			pending = 0;
		}
		for (i = prev == TT_WILD ? 0 : prev + 1; i < root->ntok; i++)
			template_set_flags(root, (uint32_t)i, TT_OPTIONAL);
		if (pending && prev != TT_WILD && prev + 1 == root->ntok)
			template_set_flags(root, prev, TT_GAP);
		key_refresh(root);
		root->variants = xreallocarray(root->variants,
		    root->nvariants + 1, sizeof *root->variants);
		root->bytes += sizeof *root->variants;
		d->bytes += sizeof *root->variants;
		root->variants[root->nvariants++] = v;
		leaf_home(home, v);
		add_hidden(d, v);
		return v;
	}
	return NULL;
}

struct template *
drain_match(struct drain *d, const struct tokens *tk, int learn, int *created)
{
	struct template *t = NULL;
	struct node *leafnode, *wildnode;
	struct memo *m;
	struct leaf *first;
	struct probe pr;
	uint64_t key, fkey;
	long sibpos;
	unsigned crowded, unused;

	*created = 0;
	d->nmerges = 0;
	d->nvwords = 0;
	key = shape_key(tk);
	m = &d->memo[key & d->memo_mask];
	if (m->t != NULL && m->key == key && template_matches(m->t, tk)) {
		t = m->t;
		goto found;
	}

	probe_make(tk, &pr);
	leafnode = drain_descend(d, tk, learn, 0, &crowded);
	if (leafnode != NULL)
		t = leaf_cover(&leafnode->leaf, tk, 0, &pr);
	if (t == NULL && tk->n > 0 && d->p.depth > 2 &&
	    !(tk->tok[0].flags & TOKEN_VAR)) {
		wildnode = drain_descend(d, tk, 0, 1, &unused);
		if (wildnode != NULL && wildnode != leafnode)
			t = leaf_cover(&wildnode->leaf, tk, 1, &pr);
	}
	if (t == NULL && !learn)
		return NULL;
	if (t != NULL)
		goto remember;

	/* Learn: generalise, merge siblings, add a variant, or start. */
	if ((t = leaf_generalisable(d, &leafnode->leaf, tk, crowded, &pr,
	    &sibpos)) != NULL) {
		generalise(d, t, tk);
		merge_subsumed(d, &leafnode->leaf, t, tk);
		family_check(d, t->merged != NULL ? t->merged : t);
	} else if (sibpos >= 0 && (t = leaf_siblings(d, &leafnode->leaf, tk,
	    (size_t)sibpos)) != NULL) {
		merge_subsumed(d, &leafnode->leaf, t, tk);
		family_check(d, t);
	} else if ((t = drain_variant(d, tk, &leafnode->leaf)) != NULL)
		;
	else if ((t = first_siblings(d, tk, &pr)) != NULL)
		;
	else {
		t = template_new(d->next_id++, tk);
		if (d->p.show_class)
			template_keep_tags(t, tk);
		leaf_home(&leafnode->leaf, t);
		add_public(d, t);
		if (tk->n > 0) {
			fkey = first_key(tk->tok[0].hash,
			    tk->tok[0].flags & TOKEN_VAR);
			if ((first = u64map_get(&d->byfirst, fkey)) == NULL) {
				first = xcalloc(1, sizeof *first);
				first->key = fkey;
				u64map_put(&d->byfirst, fkey, first);
			}
			first_add(first, t);
		}
		*created = 1;
	}
remember:
	/* Frozen, the tree stays as it is, its cache too. */
	if (learn) {
		m->key = key;
		m->t = t;
	}
found:
	if (learn) {
		t->lines++;
		/* Rare: only variables that kept brackets or a key. */
		if (t->naffix != 0 || (t->rootpos != NULL &&
		    t->merged->naffix != 0))
			template_fit_affixes(t, tk);
	}
	return visible(t);
}

size_t
drain_count(const struct drain *d)
{
	return d->nall;
}

struct template *
drain_template(const struct drain *d, size_t i)
{
	return i < d->nall ? d->all[i] : NULL;
}

/* --- bounds --- */

size_t
drain_size(const struct drain *d)
{
	return d->nall + d->nhidden;
}

size_t
drain_bytes(const struct drain *d)
{
	return d->bytes;
}

int
drain_over(const struct drain *d)
{
	return (d->p.max_templates > 0 && drain_size(d) >
	    d->p.max_templates) || (d->p.max_bytes > 0 && d->bytes >
	    d->p.max_bytes);
}

static int
by_value(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	if (x->last != y->last)
		return x->last < y->last ? -1 : 1;
	return x->root->id < y->root->id ? -1 : x->root->id > y->root->id;
}

/* Drop the doomed templates of l, keeping the order of the others. */
static void
leaf_sweep(struct leaf *l)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++) {
		if (l->t[i]->doomed)
			continue;
		l->t[n] = l->t[i];
		if (l->k != NULL) {
			l->k[n] = l->k[i];
			l->t[n]->leafpos = n;
		}
		if (l->fk != NULL) {
			l->fk[n] = l->fk[i];
			l->t[n]->firstpos = n;
		}
		n++;
	}
	l->n = n;
	l->dirty = 0;
}

/*
 * Sweep the leaves a doomed template was in, below n; returns 1 when n
 * is left empty, to be pruned.
 */
static int
node_sweep(struct node *n)
{
	uint64_t *gone = NULL;
	size_t i, ngone = 0;
	struct node *c;

	if (n->leaf.dirty)
		leaf_sweep(&n->leaf);
	for (i = 0; n->children.slot != NULL && i <= n->children.mask; i++) {
		if ((c = n->children.slot[i].val) == NULL || !node_sweep(c))
			continue;
		gone = xreallocarray(gone, ngone + 1, sizeof *gone);
		gone[ngone++] = n->children.slot[i].key;
	}
	/* Deleting moves entries: only once the walk is over. */
	for (i = 0; i < ngone; i++)
		node_free(u64map_del(&n->children, gone[i]));
	free(gone);
	if (n->wild != NULL && node_sweep(n->wild)) {
		node_free(n->wild);
		n->wild = NULL;
	}
	return n->leaf.n == 0 && n->children.n == 0 && n->wild == NULL;
}

static void
array_sweep(struct template **t, size_t *n)
{
	size_t i, k = 0;

	for (i = 0; i < *n; i++)
		if (!t[i]->doomed)
			t[k++] = t[i];
	*n = k;
}

/* Template i of all, public first. */
static struct template *
nth(const struct drain *d, size_t i)
{
	return i < d->nall ? d->all[i] : d->hidden[i - d->nall];
}

int
drain_keys_ok(const struct drain *d)
{
	const struct template *t;
	const struct leaf *l;
	struct leaf_key k;
	struct first_key f;
	size_t i;

	for (i = 0; i < d->nall + d->nhidden; i++) {
		t = nth(d, i);
		if ((l = t->leaf) != NULL) {
			if (t->leafpos >= l->n || l->t[t->leafpos] != t)
				return 0;
			key_of(t, &k);
			if (k.all != l->k[t->leafpos].all ||
			    k.plain != l->k[t->leafpos].plain)
				return 0;
		}
		if ((l = t->first) != NULL) {
			if (t->firstpos >= l->n || l->t[t->firstpos] != t)
				return 0;
			first_key_of(t, &f);
			if (f.bloom != l->fk[t->firstpos].bloom ||
			    f.ntok != l->fk[t->firstpos].ntok ||
			    f.nconst != l->fk[t->firstpos].nconst)
				return 0;
		}
	}
	return 1;
}

size_t
drain_evict(struct drain *d, struct template *const *keep, size_t nkeep,
    void (*forget)(void *, struct template *), void *arg)
{
	struct template *t, *root;
	struct event *ev;
	struct leaf *l;
	uint64_t *gone = NULL;
	size_t i, k, nev = 0, total = drain_size(d), target, dropped = 0;
	size_t ngone = 0, ndoomed = 0, bytes_target, bytes = d->bytes;
	double half = d->p.half_life > 0 ? d->p.half_life : 100000;

	if (!drain_over(d))
		return 0;
	target = d->p.max_templates > 0 ? d->p.max_templates -
	    d->p.max_templates / 16 : SIZE_MAX;
	bytes_target = d->p.max_bytes > 0 ? d->p.max_bytes -
	    d->p.max_bytes / 16 : SIZE_MAX;

	/* Weigh the events: each root numbers its event in ->group. */
	if (d->evcap < total) {
		d->evcap = total;
		d->ev = xreallocarray(d->ev, d->evcap, sizeof *d->ev);
	}
	ev = d->ev;
	for (i = 0; i < total; i++)
		nth(d, i)->group = 0;
	for (i = 0; i < total; i++) {
		t = nth(d, i);
		root = template_root(t);
		if (root->group == 0) {
			memset(&ev[nev], 0, sizeof ev[nev]);
			ev[nev].root = root;
			root->group = (uint32_t)++nev;
		}
		k = root->group - 1;
		ev[k].size++;
		ev[k].bytes += t->bytes;
		if (t->id != 0)
			ev[k].lines += t->count;
		if (t->last_line > ev[k].last)
			ev[k].last = t->last_line;
	}
	for (i = 0; i < nkeep; i++) {
		if (keep[i] == NULL)
			continue;
		root = template_root(keep[i]);
		if ((k = root->group) > 0 && k <= nev && ev[k - 1].root == root)
			ev[k - 1].pinned = 1;
	}
	for (k = 0; k < nev; k++)
		ev[k].value = log2(ev[k].lines > 1 ? (double)ev[k].lines : 1) +
		    (double)ev[k].last / half;
	qsort(ev, nev, sizeof *ev, by_value);

	/* Doom the least valuable, their roots first, then the rest. */
	for (k = 0; k < nev && (total - dropped > target ||
	    bytes > bytes_target); k++) {
		if (ev[k].pinned)
			continue;
		ev[k].root->doomed = 1;
		dropped += ev[k].size;
		bytes -= ev[k].bytes;
	}
	if (dropped == 0)
		return 0;
	if (d->doomedcap < dropped) {
		d->doomedcap = dropped;
		d->doomed = xreallocarray(d->doomed, d->doomedcap,
		    sizeof *d->doomed);
	}
	for (i = 0; i < total; i++) {
		t = nth(d, i);
		if (!t->doomed && !template_root(t)->doomed)
			continue;
		t->doomed = 1;
		d->doomed[ndoomed++] = t;
		if (forget != NULL)
			forget(arg, t);
		/* Its leaf and first-token list are swept below. */
		if (t->leaf != NULL)
			((struct leaf *)t->leaf)->dirty = 1;
		if ((l = t->first) != NULL && !l->dirty) {
			l->dirty = 1;
			gone = xreallocarray(gone, ngone + 1, sizeof *gone);
			gone[ngone++] = l->key;
		}
	}

	/* Everything that points at them. */
	for (i = 0; i < ngone; i++) {
		l = u64map_get(&d->byfirst, gone[i]);
		leaf_sweep(l);
		if (l->n == 0) {
			u64map_del(&d->byfirst, gone[i]);
			free(l->t);
			free(l->fk);
			free(l);
		}
	}
	ngone = 0;
	for (i = 0; i <= d->memo_mask; i++)
		if (d->memo[i].t != NULL && d->memo[i].t->doomed)
			d->memo[i].t = NULL;
	for (i = 0; d->bylen.slot != NULL && i <= d->bylen.mask; i++) {
		if (d->bylen.slot[i].val == NULL ||
		    !node_sweep(d->bylen.slot[i].val))
			continue;
		gone = xreallocarray(gone, ngone + 1, sizeof *gone);
		gone[ngone++] = d->bylen.slot[i].key;
	}
	for (i = 0; i < ngone; i++)
		node_free(u64map_del(&d->bylen, gone[i]));
	free(gone);

	/* Close the ranks, then free them. */
	for (i = k = 0; i < d->nall; i++) {
		t = d->all[i];
		if (!t->doomed) {
			if (t->nvariants > 0)
				array_sweep(t->variants, &t->nvariants);
			d->all[k++] = t;
		}
	}
	d->nall = k;
	for (i = k = 0; i < d->nhidden; i++)
		if (!d->hidden[i]->doomed)
			d->hidden[k++] = d->hidden[i];
	d->nhidden = k;
	for (i = 0; i < ndoomed; i++) {
		d->bytes -= d->doomed[i]->bytes;
		template_free(d->doomed[i]);
	}
	d->nmerges = 0;	/* its records may name a freed root */
	return dropped;
}

/* --- saving and loading --- */

#define DRAIN_MAGIC	0x4452414931ull	/* "DRAI1" */
#define NO_REF		UINT32_MAX

/* Templates are referred to by index: the public ones, then the hidden. */
struct refs {
	struct u64map	 of;		/* template -> index + 1 */
};

static uint32_t
ref_of(const struct refs *x, const struct template *t)
{
	void *v;

	if (t == NULL || (v = u64map_get(&x->of, (uintptr_t)t)) == NULL)
		return NO_REF;
	return (uint32_t)((uintptr_t)v - 1);
}

static void
leaf_save(const struct leaf *l, const struct refs *x, struct sbuf *b)
{
	size_t i;

	sbuf_u32(b, (uint32_t)l->n);
	for (i = 0; i < l->n; i++)
		sbuf_u32(b, ref_of(x, l->t[i]));
}

static int
by_key(const void *a, const void *b)
{
	const struct u64map_entry *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/*
 * A map's entries in the order of their keys, whatever the history of
 * the table: the same tree is saved as the same bytes.
 */
static struct u64map_entry *
sorted(const struct u64map *m)
{
	struct u64map_entry *e;
	size_t i, n = 0;

	e = xreallocarray(NULL, m->n > 0 ? m->n : 1, sizeof *e);
	for (i = 0; m->slot != NULL && i <= m->mask; i++)
		if (m->slot[i].val != NULL)
			e[n++] = m->slot[i];
	qsort(e, n, sizeof *e, by_key);
	return e;
}

static void
node_save(const struct node *n, const struct refs *x, struct sbuf *b)
{
	struct u64map_entry *e = sorted(&n->children);
	size_t i;

	leaf_save(&n->leaf, x, b);
	sbuf_u32(b, (uint32_t)n->children.n);
	for (i = 0; i < n->children.n; i++) {
		sbuf_u64(b, e[i].key);
		node_save(e[i].val, x, b);
	}
	free(e);
	sbuf_u8(b, n->wild != NULL);
	if (n->wild != NULL)
		node_save(n->wild, x, b);
}

void
drain_save(const struct drain *d, struct sbuf *b)
{
	struct u64map_entry *e;
	struct refs x;
	struct template *t;
	size_t i, k, total = d->nall + d->nhidden;

	u64map_init(&x.of);
	for (i = 0; i < total; i++) {
		t = i < d->nall ? d->all[i] : d->hidden[i - d->nall];
		u64map_put(&x.of, (uintptr_t)t, (void *)(uintptr_t)(i + 1));
	}
	sbuf_u64(b, DRAIN_MAGIC);
	sbuf_u64(b, d->next_id);
	sbuf_u32(b, (uint32_t)(d->memo_mask + 1));
	sbuf_u32(b, (uint32_t)d->nall);
	sbuf_u32(b, (uint32_t)d->nhidden);
	for (i = 0; i < total; i++)
		template_save(i < d->nall ? d->all[i] : d->hidden[i - d->nall],
		    b);
	for (i = 0; i < total; i++) {
		t = i < d->nall ? d->all[i] : d->hidden[i - d->nall];
		sbuf_u32(b, ref_of(&x, t->merged));
		sbuf_u32(b, (uint32_t)t->nvariants);
		for (k = 0; k < t->nvariants; k++)
			sbuf_u32(b, ref_of(&x, t->variants[k]));
		sbuf_u8(b, t->rootpos != NULL);
		for (k = 0; t->rootpos != NULL && k < t->ntok; k++)
			sbuf_u32(b, t->rootpos[k]);
	}

	e = sorted(&d->bylen);
	sbuf_u32(b, (uint32_t)d->bylen.n);
	for (i = 0; i < d->bylen.n; i++) {
		sbuf_u64(b, e[i].key);
		node_save(e[i].val, &x, b);
	}
	free(e);
	e = sorted(&d->byfirst);
	sbuf_u32(b, (uint32_t)d->byfirst.n);
	for (i = 0; i < d->byfirst.n; i++) {
		sbuf_u64(b, e[i].key);
		leaf_save(e[i].val, &x, b);
	}
	free(e);
	for (i = k = 0; i <= d->memo_mask; i++)
		k += d->memo[i].t != NULL;
	sbuf_u32(b, (uint32_t)k);
	for (i = 0; i <= d->memo_mask; i++) {
		if (d->memo[i].t == NULL)
			continue;
		sbuf_u32(b, (uint32_t)i);
		sbuf_u64(b, d->memo[i].key);
		sbuf_u32(b, ref_of(&x, d->memo[i].t));
	}
	u64map_free(&x.of);
}

/* Template i of a tree being loaded, or NULL. */
static struct template *
ref_template(const struct drain *d, uint32_t i)
{
	if (i < d->nall)
		return d->all[i];
	if (i - d->nall < d->nhidden)
		return d->hidden[i - d->nall];
	return NULL;
}

/*
 * A leaf's templates: all of length len (leaves of the tree), or public
 * (the lists by first token, len SIZE_MAX).
 */
static int
leaf_load(struct drain *d, struct leaf *l, struct sread *r, size_t len)
{
	struct template *t;
	uint32_t i, n;

	n = sread_count(r, 4, UINT32_MAX);
	for (i = 0; i < n; i++) {
		if ((t = ref_template(d, sread_u32(r))) == NULL ||
		    (len != SIZE_MAX && (t->ntok != len || t->leaf != NULL)) ||
		    (len == SIZE_MAX && t->id == 0))
			return -1;
		if (len != SIZE_MAX)
			leaf_home(l, t);	/* a template has one */
		else {
			if (t->first != NULL)
				return -1;	/* ... and one list */
			first_add(l, t);
		}
	}
	return r->err ? -1 : 0;
}

/* A node at layer (0: a length's) of the subtree for length len. */
static int
node_load(struct drain *d, struct node *n, struct sread *r, size_t layer,
    size_t len)
{
	struct node *c;
	uint64_t key;
	uint32_t i, nc;
	int wild;

	if (leaf_load(d, &n->leaf, r, len) == -1)
		return -1;
	nc = sread_count(r, 9, d->p.max_children);
	for (i = 0; i < nc; i++) {
		key = sread_u64(r);
		if (r->err || layer >= d->p.depth - 2 ||
		    u64map_get(&n->children, key) != NULL)
			return -1;
		c = node_new();
		u64map_put(&n->children, key, c);
		if (node_load(d, c, r, layer + 1, len) == -1)
			return -1;
	}
	wild = sread_u8(r);
	if (r->err || wild > 1 || (wild && layer >= d->p.depth - 2))
		return -1;
	if (wild) {
		n->wild = node_new();
		return node_load(d, n->wild, r, layer + 1, len);
	}
	return 0;
}

/* The links of template t (index i), and the rules they keep. */
static int
links_load(struct drain *d, struct template *t, struct sread *r)
{
	struct template *v;
	uint32_t m, k, n;

	m = sread_u32(r);
	if (m != NO_REF && (t->merged = ref_template(d, m)) == NULL)
		return -1;
	/* A variant (hidden, id 0) stands for a public template. */
	if (t->merged == t || (t->id == 0 && (t->merged == NULL ||
	    t->merged->id == 0)))
		return -1;
	n = sread_count(r, 4, UINT32_MAX);
	if (n > 0) {
		t->variants = xreallocarray(NULL, n, sizeof *t->variants);
		t->bytes += n * sizeof *t->variants;
		d->bytes += n * sizeof *t->variants;
		for (k = 0; k < n; k++) {
			v = ref_template(d, sread_u32(r));
			if (v == NULL || v->id != 0)
				return -1;
			t->variants[t->nvariants++] = v;
		}
	}
	if (sread_u8(r)) {
		if (t->id != 0 || sread_left(r) / 4 < t->ntok)
			return -1;
		t->rootpos = xreallocarray(NULL, t->ntok > 0 ? t->ntok : 1,
		    sizeof *t->rootpos);
		t->bytes += t->ntok * sizeof *t->rootpos;
		d->bytes += t->ntok * sizeof *t->rootpos;
		for (k = 0; k < t->ntok; k++) {
			t->rootpos[k] = sread_u32(r);
			if (t->rootpos[k] != TT_WILD &&
			    t->rootpos[k] >= t->merged->ntok)
				return -1;
		}
	}
	return r->err ? -1 : 0;
}

/* No template is merged, through others, into itself. */
static int
links_acyclic(const struct drain *d)
{
	struct u64map state;	/* template -> 1: on the path, 2: done */
	struct template *t, *u;
	size_t i, total = d->nall + d->nhidden;
	int ok = 1;

	u64map_init(&state);
	for (i = 0; i < total && ok; i++) {
		t = i < d->nall ? d->all[i] : d->hidden[i - d->nall];
		for (u = t; u != NULL && ok; u = u->merged) {
			uintptr_t s = (uintptr_t)u64map_get(&state,
			    (uintptr_t)u);

			if (s == 2)
				break;
			if (s == 1)
				ok = 0;
			else
				u64map_put(&state, (uintptr_t)u, (void *)1);
		}
		for (u = t; u != NULL && ok; u = u->merged) {
			if ((uintptr_t)u64map_get(&state, (uintptr_t)u) == 2)
				break;
			u64map_put(&state, (uintptr_t)u, (void *)2);
		}
	}
	u64map_free(&state);
	return ok;
}

static int
drain_load_fail(struct sread *r, char **cause, const char *what)
{
	r->err = 1;
	xasprintf(cause, "parse tree's %s damaged", what);
	return -1;
}

int
drain_load(struct drain *d, struct sread *r, char **cause)
{
	struct u64map ids;
	struct template *t;
	struct leaf *l;
	struct node *n;
	uint64_t key, maxid = 0;
	uint32_t i, nall, nhidden, count, slot;
	int dup = 0;

	if (d->nall > 0 || d->nhidden > 0 || d->bylen.n > 0) {
		xasprintf(cause, "parse tree loaded into a used one");
		return -1;
	}
	if (sread_u64(r) != DRAIN_MAGIC) {
		xasprintf(cause, "no parse tree where one belongs");
		return -1;
	}
	d->next_id = sread_u64(r);
	if (sread_u32(r) != d->memo_mask + 1 || r->err)
		return drain_load_fail(r, cause, "cache is");
	/* A template takes over 50 bytes. */
	nall = sread_count(r, 50, UINT32_MAX);
	nhidden = sread_count(r, 50, UINT32_MAX);
	if (r->err || (uint64_t)nall + nhidden > sread_left(r) / 50)
		return drain_load_fail(r, cause, "size is");
	u64map_init(&ids);
	for (i = 0; i < nall + nhidden; i++) {
		if ((t = template_load(r)) == NULL)
			break;
		if (i < nall) {
			add_public(d, t);
			if (t->id == 0 || u64map_get(&ids, t->id) != NULL)
				dup = 1;
			else
				u64map_put(&ids, t->id, t);
			if (t->id > maxid)
				maxid = t->id;
		} else {
			add_hidden(d, t);
			if (t->id != 0)
				dup = 1;
		}
	}
	u64map_free(&ids);
	if (i < nall + nhidden || dup || d->next_id <= maxid ||
	    d->next_id == UINT64_MAX)
		return drain_load_fail(r, cause, "templates are");
	for (i = 0; i < nall + nhidden; i++)
		if (links_load(d, ref_template(d, i), r) == -1)
			return drain_load_fail(r, cause, "links are");
	/* Variants are their template's; a cycle would never end a walk. */
	for (i = 0; i < nall + nhidden; i++) {
		size_t k;

		t = ref_template(d, i);
		for (k = 0; k < t->nvariants; k++)
			if (t->variants[k]->merged != t)
				return drain_load_fail(r, cause, "links are");
	}
	if (!links_acyclic(d))
		return drain_load_fail(r, cause, "links are");

	count = sread_count(r, 17, TOKENS_MAX + 1);
	for (i = 0; i < count; i++) {
		key = sread_u64(r);
		if (r->err || key > TOKENS_MAX ||
		    u64map_get(&d->bylen, key) != NULL)
			return drain_load_fail(r, cause, "nodes are");
		n = node_new();
		u64map_put(&d->bylen, key, n);
		if (node_load(d, n, r, 0, (size_t)key) == -1)
			return drain_load_fail(r, cause, "nodes are");
	}
	count = sread_count(r, 12, UINT32_MAX);
	for (i = 0; i < count; i++) {
		key = sread_u64(r);
		if (r->err || u64map_get(&d->byfirst, key) != NULL)
			return drain_load_fail(r, cause, "index is");
		l = xcalloc(1, sizeof *l);
		l->key = key;
		u64map_put(&d->byfirst, key, l);
		if (leaf_load(d, l, r, SIZE_MAX) == -1)
			return drain_load_fail(r, cause, "index is");
	}
	count = sread_count(r, 16, (uint32_t)(d->memo_mask + 1));
	for (i = 0; i < count; i++) {
		slot = sread_u32(r);
		key = sread_u64(r);
		t = ref_template(d, sread_u32(r));
		if (r->err || slot > d->memo_mask || t == NULL ||
		    d->memo[slot].t != NULL)
			return drain_load_fail(r, cause, "cache is");
		d->memo[slot].key = key;
		d->memo[slot].t = t;
	}
	return r->err ? drain_load_fail(r, cause, "end is") : 0;
}
