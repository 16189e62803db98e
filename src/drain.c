/*
 * The Drain fixed-depth parse tree.
 *
 * A message of n tokens goes to the subtree for length n, then down
 * depth - 2 inner layers keyed by its first tokens (a token with a
 * variable in it goes to the "<*>" child, and so does any token once a
 * node has max_children children), and ends in a leaf holding a short
 * list of templates.  There it joins the most similar template, the
 * share of positions whose constant token it repeats, when that share
 * reaches the similarity threshold (ties go to the template with more
 * variables); joining turns every differing position into "<*>".
 * Otherwise it starts a template of its own.
 *
 * The tree owns its nodes and templates.  Nodes are keyed by the XXH3
 * hash of the token's shape, so the tree never compares bytes.
 */
#include "config.h"

#include <stdlib.h>

#include "drain.h"
#include "template.h"
#include "tokenize.h"
#include "u64map.h"
#include "xmalloc.h"

struct node {
	struct u64map	  children;	/* token hash -> struct node */
	struct node	 *wild;		/* the "<*>" child */
	struct template	**leaf;		/* templates, at the last layer */
	size_t		  nleaf, leafcap;
};

struct drain {
	struct drain_params	  p;
	struct u64map		  bylen;	/* token count -> struct node */
	struct template		**all;
	size_t			  nall, allcap;
	uint64_t		  next_id;
};

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
	u64map_init(&d->bylen);
	d->next_id = 1;
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
	free(n->leaf);
	free(n);
}

void
drain_free(struct drain *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; d->bylen.slot != NULL && i <= d->bylen.mask; i++)
		node_free(d->bylen.slot[i].val);
	u64map_free(&d->bylen);
	for (i = 0; i < d->nall; i++)
		template_free(d->all[i]);
	free(d->all);
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

/* Walk (and with learn, grow) the inner layers; NULL if no path. */
static struct node *
drain_descend(struct drain *d, const struct tokens *tk, int learn)
{
	struct node *n, *c;
	size_t i, layers;

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

		c = NULL;
		if (!(t->flags & TOKEN_VAR))
			c = u64map_get(&n->children, t->hash);
		if (c == NULL && !(t->flags & TOKEN_VAR) && learn &&
		    n->children.n + 1 < d->p.max_children) {
			c = node_new();
			u64map_put(&n->children, t->hash, c);
		}
		if (c == NULL) {
			if (n->wild == NULL && learn)
				n->wild = node_new();
			c = n->wild;
		}
		if (c == NULL)
			return NULL;
		n = c;
	}
	return n;
}

/*
 * Drain's similarity: the share of positions where the line repeats the
 * template.  A variable the masker already found in the line counts as a
 * repeat of the same variable in the template; otherwise a template
 * variable does not count, so lines must agree on constants to join.
 */
static double
similarity(const struct template *t, const struct tokens *tk)
{
	size_t i, same = 0;

	if (tk->n == 0)
		return 1.0;
	for (i = 0; i < tk->n; i++)
		if (t->tok[i].hash == tk->tok[i].hash)
			same++;
	return (double)same / (double)tk->n;
}

static struct template *
leaf_best(const struct node *leaf, const struct tokens *tk, double *simp)
{
	struct template *best = NULL;
	double bestsim = -1, sim;
	size_t i;

	for (i = 0; i < leaf->nleaf; i++) {
		struct template *t = leaf->leaf[i];

		sim = similarity(t, tk);
		if (sim > bestsim || (sim == bestsim && t->nwild > best->nwild)) {
			best = t;
			bestsim = sim;
		}
	}
	*simp = bestsim;
	return best;
}

struct template *
drain_match(struct drain *d, const struct tokens *tk, int learn, int *created)
{
	struct template *t;
	struct node *leaf;
	double sim;

	*created = 0;
	if ((leaf = drain_descend(d, tk, learn)) == NULL)
		return NULL;
	t = leaf_best(leaf, tk, &sim);
	if (t != NULL && sim >= d->p.similarity) {
		if (learn)
			template_merge(t, tk);
		return t;
	}
	if (!learn) {
		/* Frozen: only a template that covers the line fits. */
		return (t != NULL && template_matches(t, tk)) ? t : NULL;
	}
	t = template_new(d->next_id++, tk);
	if (leaf->nleaf == leaf->leafcap) {
		leaf->leafcap = leaf->leafcap ? 2 * leaf->leafcap : 4;
		leaf->leaf = xreallocarray(leaf->leaf, leaf->leafcap,
		    sizeof *leaf->leaf);
	}
	leaf->leaf[leaf->nleaf++] = t;
	if (d->nall == d->allcap) {
		d->allcap = d->allcap ? 2 * d->allcap : 64;
		d->all = xreallocarray(d->all, d->allcap, sizeof *d->all);
	}
	d->all[d->nall++] = t;
	*created = 1;
	return t;
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
