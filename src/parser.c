/*
 * The parser owns the compiled header format (or, without one, uses the
 * header scanner), the user masks and the tokenizer's settings, and turns
 * a line into a struct parsed and its tokens.  It keeps pcre2 match
 * blocks and field scratch, so one thread uses one parser; it knows
 * nothing of templates or scores, which is what lets reading and parsing
 * run beside the models.
 *
 * The time of a line is read from the header fields whose names say time
 * or date, joined in the order they appear (so "Dec 10" and "06:55:46"
 * read as one), or from the time stamp the header scanner found.  Its
 * level, for the severity prior, from a field named level, severity and
 * the like (or the scanner's), and an HTTP status from a field named
 * status, code or response.  --format=none turns the header scanner off:
 * lines are parsed whole.  A JSON record's time and level fields fill in
 * what the header of its message leaves out (parser_record()).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "engine.h"
#include "format.h"
#include "headcache.h"
#include "header.h"
#include "jsonin.h"
#include "parser.h"
#include "severity.h"
#include "timeparse.h"
#include "tokcache.h"
#include "tokenize.h"
#include "usermask.h"
#include "xmalloc.h"

#define TIME_FIELDS_MAX	8
#define TIME_TEXT_MAX	128
#define STAMP_WAYS	4	/* stamps kept: the clocks of a few logs in one
				   stream (tail -F of several files) */

/* A stamp read, and what it read as: a busy log writes the same second
 * on many lines in a row, and the next minutes from the same hour. */
struct stamp_memo {
	char			 text[TIME_TEXT_MAX];
	size_t			 len;		/* 0: none */
	int			 ok, flags;
	double			 time;
	struct time_tail	 tail;		/* to read the next from */
};

struct parser {
	struct format		*format;
	int			 detect_header;
	int			 want_time;
	struct usermask		*masks;
	struct tokenizer	 tz;
	struct tokenizer	 jtz;		/* for JSON read as text */
	struct span		 fields[FORMAT_MAX_FIELDS];
	struct header		 header;
	struct headcache	*headcache;	/* when detect_header */
	struct tokcache		*tokcache;
	int			 time_field[TIME_FIELDS_MAX];
	size_t			 ntime_fields;
	int			 level_field;	/* or -1 */
	int			 status_field;	/* or -1 */
	int			 key_field;	/* or -1 */
	int			 hdr_field[SCORE_FIELDS];	/* the rest */
	const char		*hdr_name[SCORE_FIELDS];
	size_t			 nhdr;
	enum { KEY_NONE, KEY_FIELD, KEY_HOST, KEY_SOURCE } key;
	struct stamp_memo	 stamp[STAMP_WAYS];
	unsigned		 stamp_last;	/* the way last read or made */
	unsigned		 stamp_next;	/* the way a new stamp takes */
	double			(*clock)(void);
	double			 skew;		/* now at start, less the clock */
};

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

/* is_one_of() for a name that is not a C string (a JSON key). */
static int
is_one_of_n(const char *name, size_t len, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == len && strncasecmp(name, *list, len) == 0)
			return 1;
	return 0;
}

static int
is_time_name(const char *name)
{
	static const char *const names[] = {
		"time", "date", "timestamp", "datetime", "month", "day",
		"year", "ts", "@timestamp", NULL
	};

	return is_one_of(name, names) || strcasestr(name, "time") != NULL ||
	    strcasestr(name, "date") != NULL;
}

static double
clock_now(const struct parser *ps)
{
	return ps->clock != NULL ? ps->clock() : (double)time(NULL);
}

struct parser *
parser_new(const struct engine_params *p, char **cause)
{
	const unsigned char *d;
	struct parser *ps;
	size_t i;

	ps = xcalloc(1, sizeof *ps);
	ps->detect_header = p->detect_header;
	ps->want_time = p->need_time || p->window_unit == WINDOW_SECONDS;
	ps->clock = p->clock;
	ps->skew = p->now > 0 ? p->now - clock_now(ps) : 0;
	if (p->format != NULL && strcmp(p->format, "none") == 0) {
		ps->detect_header = 0;
	} else if (p->format != NULL) {
		ps->format = format_compile_preset(p->format, cause);
		if (ps->format == NULL && *cause != NULL)
			goto fail;
		if (ps->format == NULL && strchr(p->format, '<') == NULL) {
			xasprintf(cause, "--format: unknown format '%s' (a "
			    "preset is one of none, %s; a format has a "
			    "<Content> field)", p->format,
			    format_preset_names());
			goto fail;
		}
		if (ps->format == NULL &&
		    (ps->format = format_compile(p->format, cause)) == NULL)
			goto fail;
	} else if (p->format_regex != NULL) {
		ps->format = format_compile_regex(p->format_regex, cause);
		if (ps->format == NULL)
			goto fail;
	}
	if (p->nmasks > 0) {
		ps->masks = usermask_new();
		for (i = 0; i < p->nmasks; i++)
			if (usermask_add(ps->masks, p->masks[i], cause) == -1)
				goto fail;
		if (usermask_compile(ps->masks, cause) == -1)
			goto fail;
		ps->tz.mask_names = usermask_names(ps->masks);
		ps->tz.nmasks = usermask_count(ps->masks);
	}
	if (p->delimiters != NULL) {
		for (d = (const unsigned char *)p->delimiters; *d != '\0'; d++)
			ps->tz.delim[*d] = 1;
		ps->tz.any_delim = *p->delimiters != '\0';
	}
	ps->jtz = ps->tz;
	ps->jtz.delim[','] = ps->jtz.delim[':'] = 1;
	ps->jtz.any_delim = 1;
	ps->jtz.json = 1;
	ps->level_field = ps->status_field = ps->key_field = -1;
	for (i = 0; ps->format != NULL && i < format_nfields(ps->format);
	    i++) {
		const char *name = format_field_name(ps->format, i);

		if (ps->ntime_fields < TIME_FIELDS_MAX && is_time_name(name))
			ps->time_field[ps->ntime_fields++] = (int)i;
		else if (!is_time_name(name) &&
		    strcasecmp(name, "content") != 0 &&
		    ps->nhdr < SCORE_FIELDS) {
			ps->hdr_name[ps->nhdr] = name;
			ps->hdr_field[ps->nhdr++] = (int)i;
		}
		if (is_one_of(name, level_names))
			ps->level_field = (int)i;
		if (is_one_of(name, status_names))
			ps->status_field = (int)i;
	}
	/* The source: a field of the format, or a part of the header the
	 * scanner finds (host, source); JSON fields are the caller's. */
	if (p->key != NULL && !p->key_is_json) {
		if (ps->format != NULL) {
			ps->key_field = format_field_index(ps->format, p->key);
			if (ps->key_field < 0) {
				xasprintf(cause, "--key: the format has no "
				    "field '%s'", p->key);
				goto fail;
			}
			ps->key = KEY_FIELD;
		} else if (strcasecmp(p->key, "host") == 0)
			ps->key = KEY_HOST;
		else if (strcasecmp(p->key, "source") == 0)
			ps->key = KEY_SOURCE;
		else {
			xasprintf(cause, "--key: '%s' is not a field of the "
			    "header (without --format: host or source; with "
			    "JSON input: a field of the record)", p->key);
			goto fail;
		}
	}
	if (ps->detect_header && ps->format == NULL)
		ps->headcache = headcache_new();
	ps->tokcache = tokcache_new();
	return ps;
fail:
	parser_free(ps);
	return NULL;
}

void
parser_free(struct parser *ps)
{
	if (ps == NULL)
		return;
	format_free(ps->format);
	usermask_free(ps->masks);
	headcache_free(ps->headcache);
	tokcache_free(ps->tokcache);
	free(ps);
}

static int
by_position(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->p < y->p ? -1 : x->p > y->p;
}

/*
 * A date without a year goes in the year it most likely has, not in 2000:
 * seen from now, not from the start, so that a run that follows a log for
 * days (tail -F) does not put its third day a year back.
 */
static double
place_year(const struct parser *ps, double t, int flags)
{
	if ((flags & (TIME_HAS_YEAR | TIME_HAS_DATE)) == TIME_HAS_DATE)
		return time_place_year(t, clock_now(ps) + ps->skew);
	return t;
}

/* time_parse(), and place_year(). */
static int
parse_time(const struct parser *ps, const char *p, size_t len, double *t,
    int *flags)
{
	if (!time_parse(p, len, t, flags))
		return 0;
	*t = place_year(ps, *t, *flags);
	return 1;
}

/*
 * parse_time(), with the last answers kept: a stamp read lately reads as
 * before without a parse or a look at the clock, and one that differs
 * from one of them only in its minutes and seconds is read from them (a
 * busy log's lines of an hour).  Each of STAMP_WAYS keeps one, so that
 * logs of other stamps in the same stream do not make each other parse
 * every line again; a new stamp takes the way of one as long as itself
 * (most likely the same clock, an hour on), else the next in turn.
 */
static int
read_stamp(struct parser *ps, const char *p, size_t len, double *t,
    int *flags)
{
	struct stamp_memo *m = NULL;
	unsigned i, w;

	for (i = 0; len > 0 && i < STAMP_WAYS; i++) {
		w = (ps->stamp_last + i) % STAMP_WAYS;
		if (ps->stamp[w].len != len)
			continue;
		m = &ps->stamp[w];
		ps->stamp_last = w;
		if (memcmp(p, m->text, len) == 0) {
			*t = m->time;
			*flags = m->flags;
			return m->ok;
		}
		if (m->ok && time_reparse(&m->tail, m->text, p, len, t)) {
			*flags = m->flags;
			*t = m->time = place_year(ps, *t, *flags);
			memcpy(m->text, p, len);
			return 1;
		}
	}
	if (m == NULL) {
		w = ps->stamp_next++ % STAMP_WAYS;
		m = &ps->stamp[w];
		ps->stamp_last = w;
	}
	m->ok = time_parse_tail(p, len, t, flags, &m->tail);
	if (m->ok)
		*t = place_year(ps, *t, *flags);
	m->time = m->ok ? *t : 0;
	m->flags = m->ok ? *flags : 0;
	m->len = 0;
	if (len > 0 && len <= sizeof m->text) {
		memcpy(m->text, p, len);
		m->len = len;
	}
	return m->ok;
}

/* The line's event time from its header fields; 0 if it has none. */
static int
event_time(struct parser *ps, double *t, int *flags)
{
	struct span sp[TIME_FIELDS_MAX];
	char buf[TIME_TEXT_MAX];
	size_t i, n = 0, len = 0;

	for (i = 0; i < ps->ntime_fields; i++) {
		struct span f = ps->fields[ps->time_field[i]];

		if (f.p != NULL && f.len > 0)
			sp[n++] = f;
	}
	if (n == 0)
		return 0;
	if (n == 1)
		return read_stamp(ps, sp[0].p, sp[0].len, t, flags);
	qsort(sp, n, sizeof sp[0], by_position);
	for (i = 0; i < n; i++) {
		if (len + sp[i].len + 1 > sizeof buf)
			return 0;
		if (i > 0)
			buf[len++] = ' ';
		memcpy(buf + len, sp[i].p, sp[i].len);
		len += sp[i].len;
	}
	if (read_stamp(ps, buf, len, t, flags))
		return 1;
	/* The fields may not read together; the first that reads alone. */
	for (i = 0; i < n; i++)
		if (parse_time(ps, sp[i].p, sp[i].len, t, flags))
			return 1;
	return 0;
}

/* The severity the header fields give the line, or NAN. */
static double
header_severity(const struct parser *ps)
{
	double bits = NAN, b;

	if (ps->level_field >= 0) {
		struct span f = ps->fields[ps->level_field];

		if (f.p != NULL && severity_field(f.p, f.len, &b))
			bits = b;
	}
	if (ps->status_field >= 0) {
		struct span f = ps->fields[ps->status_field];

		if (f.p != NULL && (b = severity_status(f.p, f.len)) != 0)
			bits = isnan(bits) ? b : bits + b;
	}
	return bits;
}

/* The header's fields besides time and message, for the scorer. */
static void
header_fields(const struct parser *ps, struct parsed *pd)
{
	static const char *const detected[] = { "host", "level", "source" };
	const struct span *sp[3];
	struct header_fields *hf = &pd->fields;
	size_t i;

	if (ps->format != NULL) {
		for (i = 0; i < ps->nhdr; i++) {
			hf->p[i] = ps->fields[ps->hdr_field[i]].p;
			hf->len[i] = ps->fields[ps->hdr_field[i]].len;
		}
		hf->n = ps->nhdr;
		hf->name = ps->hdr_name;
		return;
	}
	sp[0] = &ps->header.host;
	sp[1] = &ps->header.level;
	sp[2] = &ps->header.source;
	for (i = 0; i < 3; i++) {
		hf->p[i] = sp[i]->p;
		hf->len[i] = sp[i]->len;
	}
	hf->n = 3;
	hf->name = detected;
}

/*
 * A JSON object read as text ("{"level":"info","msg":"done"}"), when the
 * user split at nothing else: it is cut at its ',' and ':' too, so that
 * each key and value is a token of its own and not one giant variable.
 */
static int
json_as_text(const struct parser *ps, const struct span *m)
{
	return !ps->tz.any_delim && m->len > 2 && m->p[0] == '{' &&
	    m->p[1] == '"' && jsonin_looks_like(m->p, m->len);
}

void
parser_line(struct parser *ps, const char *text, size_t len,
    struct parsed *pd, struct tokens *tk)
{
	double b;

	pd->content.p = text;
	pd->content.len = len;
	pd->header = 0;
	pd->has_time = 0;
	pd->time_flags = 0;
	pd->time = 0;
	pd->sev = NAN;
	pd->key.p = NULL;
	pd->key.len = 0;
	pd->fields.n = 0;
	pd->fields.name = NULL;
	pd->fields.members.n = 0;
	if (ps->format != NULL) {
		if (format_split(ps->format, text, len, &pd->content,
		    ps->fields)) {
			pd->header = 1;
			header_fields(ps, pd);
			pd->has_time = ps->want_time && ps->ntime_fields > 0 &&
			    event_time(ps, &pd->time, &pd->time_flags);
			pd->sev = header_severity(ps);
			if (ps->key == KEY_FIELD)
				pd->key = ps->fields[ps->key_field];
		}
	} else if (ps->detect_header && headcache_split(ps->headcache, text,
	    len, &pd->content, &ps->header)) {
		pd->header = 1;
		header_fields(ps, pd);
		pd->has_time = ps->want_time && ps->header.time.p != NULL &&
		    read_stamp(ps, ps->header.time.p, ps->header.time.len,
		    &pd->time, &pd->time_flags);
		if (ps->header.level.p != NULL && severity_field(
		    ps->header.level.p, ps->header.level.len, &b))
			pd->sev = b;
		if (ps->key == KEY_HOST)
			pd->key = ps->header.host;
		else if (ps->key == KEY_SOURCE)
			pd->key = ps->header.source;
	}

	tk->nspans = 0;
	if (ps->masks != NULL)
		tk->nspans = usermask_find(ps->masks, pd->content.p,
		    pd->content.len < TOKENS_PREFIX ? pd->content.len :
		    TOKENS_PREFIX, tk->spans, TOKEN_SPANS_MAX);
	tokcache_tokenize(ps->tokcache, json_as_text(ps, &pd->content) ?
	    &ps->jtz : &ps->tz, pd->content.p, pd->content.len, tk);
}

void
parser_record(struct parser *ps, const struct json_record *rec,
    struct parsed *pd)
{
	double b;
	size_t i;

	if (rec->key.p != NULL)
		pd->key = rec->key;
	if (!pd->has_time && ps->want_time && rec->time.p != NULL)
		pd->has_time = read_stamp(ps, rec->time.p, rec->time.len,
		    &pd->time, &pd->time_flags);
	if (isnan(pd->sev) && rec->level.p != NULL &&
	    severity_record(rec->level.p, rec->level.len, rec->priority, &b))
		pd->sev = b;
	pd->fields.members.n = rec->members.n;
	memcpy(pd->fields.members.m, rec->members.m,
	    rec->members.n * sizeof rec->members.m[0]);
	/* An HTTP status among them counts as a header's does. */
	for (i = 0; i < rec->members.n; i++)
		if (is_one_of_n(rec->members.m[i].key,
		    rec->members.m[i].keylen, status_names) &&
		    (b = severity_status(rec->members.m[i].val,
		    rec->members.m[i].vallen)) != 0) {
			pd->sev = isnan(pd->sev) ? b : pd->sev + b;
			break;
		}
}
