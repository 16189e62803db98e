/*
 * Incidents.  Findings whose gap to the one before is shorter than the
 * incident gap are one incident: by default 30 seconds of log time when
 * the first finding has a time, else 100 lines (a gap given in lines
 * always counts lines).  An incident opens with its first finding and is
 * over when a record comes a whole gap after its last finding, or the
 * input ends.  It names up to INCIDENT_TEMPLATES templates and
 * INCIDENT_SOURCES sources (a template is its source and id: ids count
 * per source); findings of further ones are counted.
 *
 * When an incident is over it is compared with the last INCIDENT_MEMORY
 * incidents by the Jaccard similarity of their template sets, |A and B| /
 * |A or B|: the most similar one at INCIDENT_LIKE or more (the latest of
 * equals) is the one it is like.  And every pair of its templates is
 * counted in a table of INCIDENT_PAIRS pairs; a pair counted in an
 * earlier incident too is related, and the incident names its most
 * often related pairs.  When the table is full, a new pair takes the
 * place of the pair seen in fewest incidents, the least recent of those.
 *
 * Nothing here allocates after incidents_new: every table is fixed.
 * The module prints nothing; output.c writes the records.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "incident.h"
#include "xmalloc.h"

struct past {
	uint64_t	 id;
	size_t		 n;
	uint64_t	 key[INCIDENT_TEMPLATES];	/* sorted */
};

struct pair {
	uint64_t	 a, b;		/* template keys, a < b */
	uint32_t	 incidents;
	uint64_t	 last;		/* the latest incident with both */
};

struct incidents {
	struct incident_params	 p;
	uint64_t		 next_id;
	int			 open;
	struct incident		 cur;
	struct past		 past[INCIDENT_MEMORY];
	size_t			 npast;
	size_t			 past_next;	/* the slot to fill next */
	struct pair		 pair[INCIDENT_PAIRS];
	size_t			 npairs;
};

struct incidents *
incidents_new(const struct incident_params *p)
{
	struct incidents *in;

	in = xcalloc(1, sizeof *in);
	in->p = *p;
	return in;
}

void
incidents_free(struct incidents *in)
{
	free(in);
}

static double
gap(const struct incidents *in, int by_time)
{
	if (in->p.gap > 0 && by_time == !in->p.gap_lines)
		return in->p.gap;
	return by_time ? INCIDENT_DEFAULT_GAP : INCIDENT_DEFAULT_GAP_LINES;
}

static int
by_key(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Compare with past incidents: the most similar at INCIDENT_LIKE. */
static void
find_like(struct incidents *in, const uint64_t *key, size_t n)
{
	struct incident *c = &in->cur;
	const struct past *pa;
	double best = 0, sim;
	size_t k, a, b, shared;

	for (k = 0; k < in->npast; k++) {
		/* Oldest first, so that the latest of equals wins. */
		pa = &in->past[(in->past_next + INCIDENT_MEMORY - in->npast +
		    k) % INCIDENT_MEMORY];

		shared = 0;
		for (a = b = 0; a < n && b < pa->n;) {
			if (key[a] == pa->key[b]) {
				shared++;
				a++;
				b++;
			} else if (key[a] < pa->key[b])
				a++;
			else
				b++;
		}
		if (shared == 0)
			continue;
		sim = (double)shared / (double)(n + pa->n - shared);
		if (sim >= INCIDENT_LIKE && sim >= best) {
			best = sim;
			c->like = pa->id;
			c->like_shared = (uint32_t)shared;
			c->like_union = (uint32_t)(n + pa->n - shared);
		}
	}
}

static void
remember(struct incidents *in, const uint64_t *key, size_t n)
{
	struct past *pa = &in->past[in->past_next];

	pa->id = in->cur.id;
	pa->n = n;
	memcpy(pa->key, key, n * sizeof *key);
	in->past_next = (in->past_next + 1) % INCIDENT_MEMORY;
	if (in->npast < INCIDENT_MEMORY)
		in->npast++;
}

/* Count the pair of template keys a and b; returns its incidents. */
static uint32_t
count_pair(struct incidents *in, uint64_t a, uint64_t b)
{
	struct pair *p, *victim = NULL;
	size_t k;

	if (a > b) {
		uint64_t t = a;

		a = b;
		b = t;
	}
	for (k = 0; k < in->npairs; k++) {
		p = &in->pair[k];
		if (p->a == a && p->b == b) {
			p->incidents++;
			p->last = in->cur.id;
			return p->incidents;
		}
		if (victim == NULL || p->incidents < victim->incidents ||
		    (p->incidents == victim->incidents &&
		    p->last < victim->last))
			victim = p;
	}
	if (in->npairs < INCIDENT_PAIRS)
		victim = &in->pair[in->npairs++];
	victim->a = a;
	victim->b = b;
	victim->incidents = 1;
	victim->last = in->cur.id;
	return 1;
}

/* Learn the incident's pairs; name the most often related ones. */
static void
relate(struct incidents *in)
{
	struct incident *c = &in->cur;
	struct incident_pair np;
	size_t i, j, k;
	uint32_t n;

	c->nrelated = 0;
	for (i = 0; i < c->ntemplates; i++) {
		for (j = i + 1; j < c->ntemplates; j++) {
			n = count_pair(in, c->templates[i].key,
			    c->templates[j].key);
			if (n < 2)
				continue;
			np.a = (uint32_t)i;
			np.b = (uint32_t)j;
			np.incidents = n;
			/* Insert by count, most first; the list is short. */
			k = c->nrelated;
			if (k == INCIDENT_RELATED) {
				if (c->related[k - 1].incidents >= n)
					continue;
				k--;
			} else
				c->nrelated++;
			while (k > 0 && c->related[k - 1].incidents < n) {
				c->related[k] = c->related[k - 1];
				k--;
			}
			c->related[k] = np;
		}
	}
}

static const struct incident *
close_incident(struct incidents *in)
{
	struct incident *c = &in->cur;
	uint64_t key[INCIDENT_TEMPLATES];
	size_t i, n = c->ntemplates;

	in->open = 0;
	for (i = 0; i < n; i++)
		key[i] = c->templates[i].key;
	qsort(key, n, sizeof *key, by_key);
	c->like = 0;
	c->like_shared = c->like_union = 0;
	if (n > 0)
		find_like(in, key, n);
	relate(in);
	remember(in, key, n);
	return c;
}

const struct incident *
incidents_advance(struct incidents *in, uint64_t line, double time)
{
	const struct incident *c = &in->cur;
	double g;

	if (!in->open)
		return NULL;
	g = gap(in, c->by_time);
	if (c->by_time) {
		if (time == 0 || time - c->end < g)
			return NULL;
	} else if ((double)(line - c->last_line) < g)
		return NULL;
	return close_incident(in);
}

static int
add_source(struct incident *c, const char *source)
{
	size_t i, len;

	if (source == NULL)
		return -1;
	len = strlen(source);
	if (len > INCIDENT_NAME_MAX)
		len = INCIDENT_NAME_MAX;
	for (i = 0; i < c->nsources; i++)
		if (strncmp(c->sources[i], source, len) == 0 &&
		    c->sources[i][len] == '\0')
			return (int)i;
	if (c->nsources == INCIDENT_SOURCES) {
		c->more_sources++;
		return -1;
	}
	memcpy(c->sources[c->nsources], source, len);
	c->sources[c->nsources][len] = '\0';
	return (int)c->nsources++;
}

static void
add_template(struct incident *c, const struct incident_finding *f, int src)
{
	struct incident_template *t;
	uint64_t seed = 0, key;
	size_t i;

	if (f->template_id == 0)
		return;
	if (f->source != NULL && src < 0) {
		c->unnamed++;	/* of a source not named */
		return;
	}
	if (f->source != NULL)
		seed = XXH3_64bits(f->source, strlen(f->source));
	key = XXH3_64bits_withSeed(&f->template_id, sizeof f->template_id,
	    seed);
	for (i = 0; i < c->ntemplates; i++) {
		if (c->templates[i].key == key) {
			c->templates[i].findings++;
			return;
		}
	}
	if (c->ntemplates == INCIDENT_TEMPLATES) {
		c->unnamed++;
		return;
	}
	t = &c->templates[c->ntemplates++];
	t->id = f->template_id;
	t->source = src;
	t->findings = 1;
	t->key = key;
}

const struct incident *
incidents_finding(struct incidents *in, const struct incident_finding *f,
    int *opened)
{
	struct incident *c = &in->cur;
	int src;

	*opened = 0;
	if (!in->open) {
		memset(c, 0, sizeof *c);
		c->id = ++in->next_id;
		c->by_time = f->time != 0 && !in->p.gap_lines;
		c->first_line = f->line;
		c->start = c->end = f->time;
		c->peak = f->bits;
		c->peak_line = f->line;
		in->open = 1;
		*opened = 1;
	}
	src = add_source(c, f->source);
	if (*opened) {
		c->first = *f;
		c->first.source = src == 0 ? c->sources[0] : NULL;
	}
	add_template(c, f, src);
	c->findings++;
	c->by_kind[f->kind <= KIND_HELD ? f->kind : KIND_NORMAL]++;
	c->last_line = f->line;
	if (f->time > c->end)
		c->end = f->time;
	if (f->bits > c->peak) {
		c->peak = f->bits;
		c->peak_line = f->line;
	}
	return c;
}

uint64_t
incidents_current(const struct incidents *in)
{
	return in->open ? in->cur.id : 0;
}

const struct incident *
incidents_finish(struct incidents *in)
{
	return in->open ? close_incident(in) : NULL;
}
