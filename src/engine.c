/*
 * The engine owns the compiled header format (or, without one, uses the
 * header scanner), the user masks, the parse tree with its templates, the
 * scorer and the tokenizer's scratch space, and runs them in order for
 * each line.  It allocates nothing per line: the tokens live in one
 * reused buffer and only a new template costs an allocation.
 * --format=none turns the header scanner off: lines are parsed whole.
 *
 * It also decides what time means.  The scorer's windows count ticks:
 * lines, or seconds.  By default, and with --window in lines, ticks are
 * line numbers: a burst is then a template taking a far larger share of
 * the recent lines than usual, which holds whatever the log's clock does
 * (sampled logs, timestamps out of order, traffic surges).  With a
 * duration, ticks are the line's own time, read from the header fields
 * whose names say time or date (joined in the order they appear, so
 * "Dec 10" and "06:55:46" read as one), or the clock when the lines
 * carry none.  Lines without a time of their own keep the last one; time
 * never runs backwards, and a year or day the header leaves out rolls
 * over when the clock would.  The event time is read whenever the header
 * has it, for the records.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "drain.h"
#include "engine.h"
#include "format.h"
#include "header.h"
#include "score.h"
#include "severity.h"
#include "template.h"
#include "timeparse.h"
#include "tokenize.h"
#include "usermask.h"
#include "xmalloc.h"

#define TIME_FIELDS_MAX	4
#define TIME_TEXT_MAX	128

enum tick_source { TICK_UNSET, TICK_LINES, TICK_EVENT, TICK_CLOCK };

struct engine {
	struct engine_params	 p;
	struct format		*format;
	struct drain		*tree;
	struct scorer		*scorer;
	struct tokens		*tokens;
	struct tokenizer	 tz;
	struct usermask		*masks;
	struct span		 fields[FORMAT_MAX_FIELDS];
	struct header		 header;	/* found without a format */
	uint64_t		 lines;

	int			 time_field[TIME_FIELDS_MAX];
	size_t			 ntime_fields;
	int			 level_field;	/* or -1 */
	int			 status_field;	/* or -1 */
	enum tick_source	 source;
	double			 last_time;	/* last event time read */
	double			 offset;	/* added for rollovers */
	double			 tick;
};

static int
is_time_name(const char *name)
{
	static const char *const names[] = {
		"time", "date", "timestamp", "datetime", "month", "day",
		"year", "ts", "@timestamp"
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(name, names[i]) == 0)
			return 1;
	return strcasestr(name, "time") != NULL ||
	    strcasestr(name, "date") != NULL;
}

static const char *const level_names[] = {
	"level", "severity", "loglevel", "log_level", "lvl", "priority", NULL
};
static const char *const status_names[] = {
	"status", "code", "status_code", "response", NULL
};

static int
is_one_of(const char *name, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcasecmp(name, *list) == 0)
			return 1;
	return 0;
}

/* The severity the header gives the line, or NAN. */
static double
header_severity(const struct engine *e)
{
	double bits = NAN, b;

	if (e->level_field >= 0) {
		struct span f = e->fields[e->level_field];

		if (f.p != NULL && severity_level(f.p, f.len, &b))
			bits = b;
	}
	if (e->status_field >= 0) {
		struct span f = e->fields[e->status_field];

		if (f.p != NULL && (b = severity_status(f.p, f.len)) != 0)
			bits = isnan(bits) ? b : bits + b;
	}
	return bits;
}

struct engine *
engine_new(const struct engine_params *p, char **cause)
{
	const unsigned char *d;
	struct engine *e;
	size_t i;

	e = xcalloc(1, sizeof *e);
	e->p = *p;
	if (p->format != NULL && strcmp(p->format, "none") == 0) {
		e->p.detect_header = 0;
	} else if (p->format != NULL) {
		e->format = format_compile_preset(p->format, cause);
		if (e->format == NULL && *cause != NULL)
			goto fail;
		if (e->format == NULL && strchr(p->format, '<') == NULL) {
			xasprintf(cause, "unknown format '%s' (a preset is one "
			    "of none, %s; a format has a <Content> field)",
			    p->format, format_preset_names());
			goto fail;
		}
		if (e->format == NULL &&
		    (e->format = format_compile(p->format, cause)) == NULL)
			goto fail;
	} else if (p->format_regex != NULL) {
		e->format = format_compile_regex(p->format_regex, cause);
		if (e->format == NULL)
			goto fail;
	}
	if (p->nmasks > 0) {
		e->masks = usermask_new();
		for (i = 0; i < p->nmasks; i++)
			if (usermask_add(e->masks, p->masks[i], cause) == -1)
				goto fail;
		if (usermask_compile(e->masks, cause) == -1)
			goto fail;
		e->tz.mask_names = usermask_names(e->masks);
		e->tz.nmasks = usermask_count(e->masks);
	}
	if (p->delimiters != NULL) {
		for (d = (const unsigned char *)p->delimiters; *d != '\0'; d++)
			e->tz.delim[*d] = 1;
		e->tz.any_delim = *p->delimiters != '\0';
	}
	e->level_field = e->status_field = -1;
	for (i = 0; e->format != NULL && i < format_nfields(e->format); i++) {
		const char *name = format_field_name(e->format, i);

		if (e->ntime_fields < TIME_FIELDS_MAX && is_time_name(name))
			e->time_field[e->ntime_fields++] = (int)i;
		if (is_one_of(name, level_names))
			e->level_field = (int)i;
		if (is_one_of(name, status_names))
			e->status_field = (int)i;
	}
	e->tree = drain_new(&p->drain);
	e->tokens = xmalloc(sizeof *e->tokens);
	return e;
fail:
	format_free(e->format);
	usermask_free(e->masks);
	free(e);
	return NULL;
}

void
engine_free(struct engine *e)
{
	if (e == NULL)
		return;
	format_free(e->format);
	usermask_free(e->masks);
	scorer_free(e->scorer);
	drain_free(e->tree);
	free(e->tokens);
	free(e);
}

static int
by_position(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->p < y->p ? -1 : x->p > y->p;
}

/* The line's event time from its header fields; 0 if it has none. */
static int
event_time(struct engine *e, double *t, int *flags)
{
	struct span sp[TIME_FIELDS_MAX];
	char buf[TIME_TEXT_MAX];
	size_t i, n = 0, len = 0;

	for (i = 0; i < e->ntime_fields; i++) {
		struct span f = e->fields[e->time_field[i]];

		if (f.p != NULL && f.len > 0)
			sp[n++] = f;
	}
	if (n == 0)
		return 0;
	if (n == 1)
		return time_parse(sp[0].p, sp[0].len, t, flags);
	qsort(sp, n, sizeof sp[0], by_position);
	for (i = 0; i < n; i++) {
		if (len + sp[i].len + 1 > sizeof buf)
			return 0;
		if (i > 0)
			buf[len++] = ' ';
		memcpy(buf + len, sp[i].p, sp[i].len);
		len += sp[i].len;
	}
	if (time_parse(buf, len, t, flags))
		return 1;
	/* The fields may not read together; the first that reads alone. */
	for (i = 0; i < n; i++)
		if (time_parse(sp[i].p, sp[i].len, t, flags))
			return 1;
	return 0;
}

static double
clock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Make the scorer once the first line says what ticks are. */
static void
engine_start(struct engine *e, int has_time)
{
	struct scorer_params sp = e->p.scorer;
	double window = e->p.window;

	switch (e->p.window_unit) {
	case WINDOW_LINES:
		e->source = TICK_LINES;
		break;
	case WINDOW_SECONDS:
		e->source = has_time ? TICK_EVENT : TICK_CLOCK;
		break;
	case WINDOW_AUTO:
		e->source = TICK_LINES;
		window = 0;
		break;
	}
	if (window <= 0)
		window = e->source == TICK_LINES ? SCORE_DEFAULT_WINDOW_LINES :
		    SCORE_DEFAULT_WINDOW_SECS;
	sp.window = window;
	if (e->p.horizon > 0) {
		sp.horizon = e->p.horizon;
		sp.horizon_lines = e->p.horizon_lines;
	} else {
		sp.horizon = SCORE_DEFAULT_HORIZON;
		sp.horizon_lines = 1;
	}
	sp.repeat = e->p.repeat_set ? e->p.repeat : -1;
	sp.warmup = e->p.warmup;
	e->scorer = scorer_new(&sp);
}

static double
engine_tick(struct engine *e, uint64_t line, int has_time, double t,
    int flags)
{
	switch (e->source) {
	case TICK_LINES:
		e->tick = (double)line;
		break;
	case TICK_CLOCK:
		e->tick = clock_now();
		break;
	case TICK_EVENT:
		if (!has_time)
			break;
		/* A header without a year (or a date) wraps around. */
		if (!(flags & TIME_HAS_YEAR) && e->last_time > 0 &&
		    t < e->last_time - 180 * 86400.0)
			e->offset += (flags & TIME_HAS_DATE) ? 365 * 86400.0 :
			    86400.0;
		else if (!(flags & TIME_HAS_DATE) && e->last_time > 0 &&
		    t < e->last_time - 12 * 3600.0)
			e->offset += 86400.0;
		e->last_time = t;
		if (t + e->offset > e->tick)
			e->tick = t + e->offset;
		break;
	case TICK_UNSET:
		break;
	}
	return e->tick;
}

void
engine_line(struct engine *e, const char *text, size_t len, struct verdict *v)
{
	const struct drain_merge *m;
	double t = 0, sev = NAN, b;
	int flags = 0, has_time = 0, want_time;

	v->line = ++e->lines;
	v->header = 0;
	v->content.p = text;
	v->content.len = len;
	/* The time is read when windows or the records need it (and for
	 * the first line, which decides what windows count). */
	want_time = e->p.need_time || e->source != TICK_LINES;
	if (e->format != NULL) {
		if (format_split(e->format, text, len, &v->content,
		    e->fields)) {
			v->header = 1;
			has_time = want_time && e->ntime_fields > 0 &&
			    event_time(e, &t, &flags);
			sev = header_severity(e);
		}
	} else if (e->p.detect_header &&
	    header_split(text, len, &v->content, &e->header)) {
		v->header = 1;
		has_time = want_time && e->header.time.p != NULL &&
		    time_parse(e->header.time.p, e->header.time.len, &t,
		    &flags);
		if (e->header.level.p != NULL && severity_level(
		    e->header.level.p, e->header.level.len, &b))
			sev = b;
	}
	if (e->scorer == NULL)
		engine_start(e, has_time);
	v->time = engine_tick(e, v->line, has_time, t, flags);
	if (e->source == TICK_LINES)
		v->time = has_time ? t : 0;

	e->tokens->nspans = 0;
	if (e->masks != NULL)
		e->tokens->nspans = usermask_find(e->masks, v->content.p,
		    v->content.len < TOKENS_PREFIX ? v->content.len :
		    TOKENS_PREFIX, e->tokens->spans, TOKEN_SPANS_MAX);
	tokenize_with(&e->tz, v->content.p, v->content.len, e->tokens);
	v->tmpl = drain_match(e->tree, e->tokens, e->p.learn, &v->created);
	if ((m = drain_last_merge(e->tree)) != NULL)
		scorer_merge(e->scorer, m->root, m->pos, m->hash, m->count,
		    m->n);
	v->flagged = scorer_line(e->scorer, v->tmpl, v->created, e->tokens,
	    e->tick, v->line, sev, e->p.learn, &v->score);
	if (v->tmpl != NULL && e->p.learn) {
		if (v->created)
			v->tmpl->first_line = v->line;
		v->tmpl->last_line = v->line;
		v->tmpl->count++;
	}
}

void
engine_set_live(struct engine *e, int live)
{
	e->p.live = live;
}

void
engine_finish(struct engine *e)
{
	if (e->scorer != NULL)
		scorer_finish(e->scorer, e->lines);
}

int
engine_event(struct engine *e, struct score_event *ev)
{
	if (e->scorer == NULL)
		return 0;
	return scorer_event(e->scorer, ev);
}

int
engine_ticks_are_lines(const struct engine *e)
{
	return e->source == TICK_LINES;
}

void
engine_fold_merged(struct engine *e)
{
	struct template *t;
	size_t i, n = drain_count(e->tree);

	for (i = 0; i < n; i++) {
		t = drain_template(e->tree, i);
		if (t->merged != NULL && t->count > 0) {
			template_root(t)->count += t->count;
			t->count = 0;
		}
	}
}

size_t
engine_templates(const struct engine *e)
{
	return drain_count(e->tree);
}

struct template *
engine_template(const struct engine *e, size_t i)
{
	return drain_template(e->tree, i);
}
