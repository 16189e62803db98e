/*
 * The engine ties the parser to the models.  Without --key there is one
 * model for all lines.  With it, each source (a field of the header, a
 * part of the detected header, or a field of a JSON record) has a model
 * of its own, so one busy service does not make another's errors look
 * normal, and template ids count per source.
 *
 * Sources are bounded: at most max_sources models are kept, in a table
 * keyed by the XXH3 hash of the source's name and a list in order of
 * use.  A new source past the bound evicts the one used longest ago,
 * with all it learned (its open bursts end unreported); should it come
 * back it starts afresh.  A line with no source (the field is missing)
 * goes to the source "-".
 *
 * The engine allocates nothing per line: one parser and one tokens
 * buffer are reused, and only a new source or template costs memory.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "engine.h"
#include "model.h"
#include "parser.h"
#include "sbuf.h"
#include "template.h"
#include "tokenize.h"
#include "u64map.h"
#include "xmalloc.h"

#define NO_SOURCE	"-"
#define NAME_MAX_LEN	256	/* a source's name is cut here */

struct source {
	struct model	*model;
	uint64_t	 hash;
	struct source	*prev, *next;	/* by use, most recent first */
};

struct engine {
	struct engine_params	 p;
	struct parser		*parser;
	struct tokens		*tokens;
	int			 keyed;

	struct u64map		 byname;	/* hash -> struct source */
	struct source		*head, *tail;
	uint64_t		 nsources, seen, evicted;
	struct source		*last;		/* judged last */

	/* Listings, and events after the end, walk all sources. */
	struct source		**list;
	size_t			 nlist;
	size_t			 events_at;
	int			 finished;
	int			 idle;		/* events of all sources */
	uint64_t		 lines;
	uint64_t		 serials;	/* templates made in the run */

	/* Frozen, sources the model does not know share one empty model
	 * that is never kept: a frozen engine changes nothing it knows. */
	struct source		*stranger;
	char			 stranger_name[NAME_MAX_LEN + 1];
};

struct engine *
engine_new(const struct engine_params *p, char **cause)
{
	struct engine *e;

	e = xcalloc(1, sizeof *e);
	e->p = *p;
	if (e->p.max_sources == 0)
		e->p.max_sources = ENGINE_DEFAULT_MAX_SOURCES;
	if (e->p.drain.max_templates == 0)
		e->p.drain.max_templates = DRAIN_DEFAULT_MAX_TEMPLATES;
	if (e->p.drain.max_bytes == 0)
		e->p.drain.max_bytes = DRAIN_DEFAULT_MAX_BYTES;
	/* Templates fade for eviction as baselines do, in lines. */
	e->p.drain.half_life = e->p.horizon > 0 && e->p.horizon_lines ?
	    e->p.horizon : SCORE_DEFAULT_HORIZON;
	if ((e->parser = parser_new(&e->p, cause)) == NULL) {
		free(e);
		return NULL;
	}
	e->keyed = p->key != NULL;
	e->tokens = tokens_new();
	u64map_init(&e->byname);
	return e;
}

void
engine_free(struct engine *e)
{
	struct source *s, *next;

	if (e == NULL)
		return;
	for (s = e->head; s != NULL; s = next) {
		next = s->next;
		model_free(s->model);
		free(s);
	}
	if (e->stranger != NULL) {
		model_free(e->stranger->model);
		free(e->stranger);
	}
	u64map_free(&e->byname);
	free(e->list);
	parser_free(e->parser);
	free(e->tokens);
	free(e);
}

static void
unlink_source(struct engine *e, struct source *s)
{
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		e->head = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	else
		e->tail = s->prev;
	s->prev = s->next = NULL;
}

static void
push_front(struct engine *e, struct source *s)
{
	s->next = e->head;
	s->prev = NULL;
	if (e->head != NULL)
		e->head->prev = s;
	e->head = s;
	if (e->tail == NULL)
		e->tail = s;
}

static void	evict_oldest(struct engine *);

/* The source named key[0..len): found, or made (evicting if full). */
static struct source *
source_for(struct engine *e, const char *key, size_t len)
{
	struct source *s;
	uint64_t h;

	if (!e->keyed) {
		if (e->head == NULL) {
			s = xcalloc(1, sizeof *s);
			s->model = model_new(&e->p, "", 0, 0);
			push_front(e, s);
			e->nsources = e->seen = 1;
		}
		return e->head;
	}
	if (key == NULL || len == 0) {
		key = NO_SOURCE;
		len = strlen(NO_SOURCE);
	}
	if (len > NAME_MAX_LEN)
		len = NAME_MAX_LEN;
	h = XXH3_64bits(key, len);
	if ((s = u64map_get(&e->byname, h)) != NULL) {
		if (s != e->head && e->p.learn) {
			unlink_source(e, s);
			push_front(e, s);
		}
		return s;
	}
	if (!e->p.learn) {
		if (e->stranger == NULL) {
			e->stranger = xcalloc(1, sizeof *e->stranger);
			e->stranger->model = model_new(&e->p, "", 0, 1);
		}
		memcpy(e->stranger_name, key, len);
		e->stranger_name[len] = '\0';
		return e->stranger;
	}
	if (e->nsources == e->p.max_sources)
		evict_oldest(e);
	s = xcalloc(1, sizeof *s);
	s->hash = h;
	s->model = model_new(&e->p, key, len, 1);
	u64map_put(&e->byname, h, s);
	push_front(e, s);
	e->nsources++;
	e->seen++;
	return s;
}

static const char *
source_name(const struct engine *e, const struct source *s)
{
	return s == e->stranger ? e->stranger_name : model_name(s->model);
}

void
engine_judge(struct engine *e, const char *text, const struct parsed *pd,
    const struct tokens *tk, struct verdict *v)
{
	struct source *s;

	(void)text;
	v->line = ++e->lines;
	v->header = pd->header;
	v->content = pd->content;
	s = source_for(e, pd->key.p, pd->key.len);
	e->last = s;
	v->source = e->keyed ? source_name(e, s) : NULL;
	v->keyless = e->keyed && (pd->key.p == NULL || pd->key.len == 0);
	model_judge(s->model, pd, tk, v->line, v);
	if (v->created && v->tmpl != NULL)
		v->tmpl->serial = ++e->serials;
}

void
engine_line(struct engine *e, const char *text, size_t len,
    const struct json_record *rec, struct verdict *v)
{
	struct parsed pd;

	parser_line(e->parser, text, len, &pd, e->tokens);
	if (rec != NULL)
		parser_record(e->parser, rec, &pd);
	engine_judge(e, text, &pd, e->tokens, v);
}

void
engine_record(struct engine *e, const char *text, size_t len,
    const char *sig, size_t siglen, size_t nlines, struct verdict *v)
{
	struct parsed pd;

	parser_line(e->parser, text, len, &pd, e->tokens);
	if (siglen > 0)
		tokenize_append(e->tokens, sig, siglen);
	engine_judge(e, text, &pd, e->tokens, v);
	if (nlines > 1)
		e->lines += nlines - 1;
}

/* All sources in a fixed order (oldest use last), for listings. */
static void
make_list(struct engine *e)
{
	struct source *s;
	size_t n = 0;

	e->list = xreallocarray(e->list, e->nsources + 1, sizeof *e->list);
	for (s = e->head; s != NULL; s = s->next)
		e->list[n++] = s;
	if (e->stranger != NULL)
		e->list[n++] = e->stranger;
	e->nlist = n;
}

void
engine_finish(struct engine *e, int going_on)
{
	struct source *s;

	for (s = e->head; s != NULL && !going_on; s = s->next)
		model_finish(s->model, e->lines);
	if (e->stranger != NULL && !going_on)
		model_finish(e->stranger->model, e->lines);
	e->finished = 1;
	make_list(e);
	e->events_at = 0;
}

void
engine_idle(struct engine *e)
{
	struct source *s;

	if (e->finished)
		return;
	for (s = e->head; s != NULL; s = s->next)
		model_idle(s->model);
	e->idle = 1;
	make_list(e);
	e->events_at = 0;
}

int
engine_event(struct engine *e, struct score_event *ev, const char **source)
{
	if (!e->finished && !e->idle) {
		if (e->last == NULL || !model_event(e->last->model, ev))
			return 0;
		*source = e->keyed ? source_name(e, e->last) : NULL;
		return 1;
	}
	for (; e->events_at < e->nlist; e->events_at++) {
		struct model *m = e->list[e->events_at]->model;

		if (model_event(m, ev)) {
			*source = e->keyed ? source_name(e,
			    e->list[e->events_at]) : NULL;
			return 1;
		}
	}
	e->idle = 0;
	return 0;
}

int
engine_ticks_are_lines(const struct engine *e)
{
	/* All sources count alike: what the first says holds for all. */
	return e->head == NULL || model_ticks_are_lines(e->head->model);
}

void
engine_fold_merged(struct engine *e)
{
	struct template *t;
	size_t i, n = engine_templates(e);

	for (i = 0; i < n; i++) {
		t = engine_template(e, i);
		if (t->merged != NULL && t->count > 0) {
			template_root(t)->count += t->count;
			t->count = 0;
		}
	}
}

/* Template i of all sources: which source, and which of its own. */
static const struct source *
locate(const struct engine *e, size_t *i)
{
	struct source *s;
	size_t n;

	for (s = e->head; s != NULL; s = s->next) {
		n = model_templates(s->model);
		if (*i < n)
			return s;
		*i -= n;
	}
	return NULL;
}

size_t
engine_templates(const struct engine *e)
{
	struct source *s;
	size_t n = 0;

	for (s = e->head; s != NULL; s = s->next)
		n += model_templates(s->model);
	return n;
}

struct template *
engine_template(const struct engine *e, size_t i)
{
	const struct source *s = locate(e, &i);

	return s != NULL ? model_template(s->model, i) : NULL;
}

const char *
engine_template_source(const struct engine *e, size_t i)
{
	const struct source *s = locate(e, &i);

	return s != NULL && e->keyed ? model_name(s->model) : NULL;
}

uint64_t
engine_sources(const struct engine *e)
{
	return e->seen;
}

uint64_t
engine_sources_evicted(const struct engine *e)
{
	return e->evicted;
}

uint64_t
engine_max_sources(const struct engine *e)
{
	return e->p.max_sources;
}

const struct engine_params *
engine_params(const struct engine *e)
{
	return &e->p;
}

uint64_t
engine_lines(const struct engine *e)
{
	return e->lines;
}

/* --- saving and loading --- */

#define ENGINE_MAGIC	0x454e47494e4531ull	/* "ENGINE1" */

void
engine_save(const struct engine *e, struct sbuf *b)
{
	const struct source *s;
	const char *name;

	sbuf_u64(b, ENGINE_MAGIC);
	sbuf_u64(b, e->lines);
	sbuf_u64(b, e->serials);
	sbuf_u64(b, e->seen);
	sbuf_u64(b, e->evicted);
	sbuf_u8(b, (uint8_t)e->keyed);
	sbuf_u32(b, (uint32_t)e->nsources);
	/* Most recent first: the order of use survives. */
	for (s = e->head; s != NULL; s = s->next) {
		name = model_name(s->model);
		sbuf_u64(b, s->hash);
		sbuf_str(b, name, strlen(name));
		model_save(s->model, b);
	}
}

/* Drop the source used longest ago, with all it learned. */
static void
evict_oldest(struct engine *e)
{
	struct source *old = e->tail;

	unlink_source(e, old);
	if (e->keyed)
		u64map_del(&e->byname, old->hash);
	model_free(old->model);
	free(old);
	e->nsources--;
	e->evicted++;
}

int
engine_load(struct engine *e, struct sread *r, char **cause)
{
	struct source *s;
	const char *name;
	size_t len;
	uint32_t i, n;
	int keyed;
	char *why = NULL;

	if (e->head != NULL || e->lines > 0) {
		xasprintf(cause, "state loaded into a used engine");
		return -1;
	}
	if (sread_u64(r) != ENGINE_MAGIC) {
		xasprintf(cause, "no engine state where one belongs");
		return -1;
	}
	e->lines = sread_u64(r);
	e->serials = sread_u64(r);
	e->seen = sread_u64(r);
	e->evicted = sread_u64(r);
	keyed = sread_u8(r);
	/* A source takes more than its vocabulary's 2 KiB. */
	n = sread_count(r, 2048, UINT32_MAX);
	if (r->err || keyed != e->keyed || (!keyed && n > 1) ||
	    e->seen < n) {
		xasprintf(cause, "engine state is damaged");
		return -1;
	}
	for (i = 0; i < n; i++) {
		s = xcalloc(1, sizeof *s);
		s->hash = sread_u64(r);
		name = sread_str(r, &len, NAME_MAX_LEN);
		if (r->err || (!keyed && len > 0) || (keyed &&
		    (memchr(name, '\0', len) != NULL ||
		    u64map_get(&e->byname, s->hash) != NULL))) {
			free(s);
			xasprintf(cause, "source %lu of %lu is damaged",
			    (unsigned long)i + 1, (unsigned long)n);
			return -1;
		}
		s->model = model_new(&e->p, name, len, keyed);
		/* Oldest last, as saved. */
		s->prev = e->tail;
		if (e->tail != NULL)
			e->tail->next = s;
		else
			e->head = s;
		e->tail = s;
		if (keyed)
			u64map_put(&e->byname, s->hash, s);
		e->nsources++;
		if (model_load(s->model, r, &why) == -1) {
			xasprintf(cause, "source %lu of %lu: %s",
			    (unsigned long)i + 1, (unsigned long)n, why);
			free(why);
			return -1;
		}
	}
	/* Fewer sources may be kept now than then. */
	while (e->nsources > e->p.max_sources)
		evict_oldest(e);
	return 0;
}
