/*
 * Summary.  It owns the run's counters and, for each of the first
 * SUMMARY_MAX_TEMPLATES templates it sees at once (by serial, which is
 * never reused), a fixed row of SUMMARY_BINS counts over the run and the
 * axis value of its first line; later templates are counted by the
 * engine but get no sparkline.  A template the engine drops gives its
 * row back (summary_forget).  All rows share one axis:
 * bin i covers [x0 + i*width, x0 + (i+1)*width).  The width starts at one
 * line (or one second) and doubles, merging neighbouring bins, whenever
 * a line falls past the last bin, so memory stays fixed however long the
 * run.  The axis is event time (struct verdict.time) when the first line
 * has one, and line numbers otherwise; under event time a line without
 * one counts at the latest time seen, and a time before the first line's
 * counts in the first bin.  It prints only into the outbuf it is given.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "outbuf.h"
#include "summary.h"
#include "template.h"
#include "u64map.h"
#include "xmalloc.h"

#define TEMPLATE_COLUMNS	60	/* bytes of template text shown */

enum axis {
	AXIS_NONE,		/* no line yet */
	AXIS_LINE,
	AXIS_TIME,
};

struct tstat {
	uint32_t	bins[SUMMARY_BINS];
	double		first;		/* axis value of its first line */
	int		seen;
};

struct summary {
	struct tstat	*t;		/* rows */
	size_t		 n, cap;	/* rows used, made */
	struct u64map	 rows;		/* serial -> row index + 1 */
	size_t		*spare;		/* rows given back */
	size_t		 nspare;
	enum axis	 axis;
	double		 x0;
	double		 xmax;
	double		 width;
	double		 last_time;
	unsigned	 used;		/* highest bin in use, plus one */
	uint64_t	 lines;
	uint64_t	 flagged;
	uint64_t	 by_kind[KIND_HELD + 1];	/* flagged, by kind */
};

struct summary *
summary_new(void)
{
	return xcalloc(1, sizeof(struct summary));
}

void
summary_free(struct summary *s)
{
	if (s == NULL)
		return;
	free(s->t);
	free(s->spare);
	u64map_free(&s->rows);
	free(s);
}

/* Halve the resolution: bin i takes bins 2i and 2i+1. */
static void
summary_merge(struct summary *s)
{
	size_t i, j;

	for (i = 0; i < s->cap; i++) {
		uint32_t *b = s->t[i].bins;

		for (j = 0; j < SUMMARY_BINS / 2; j++) {
			uint64_t sum = (uint64_t)b[2 * j] + b[2 * j + 1];

			b[j] = sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
		}
		memset(b + SUMMARY_BINS / 2, 0,
		    (SUMMARY_BINS / 2) * sizeof *b);
	}
	s->width *= 2;
	s->used = (s->used + 1) / 2;
}

/* The row of the template with serial id, if it has one. */
static struct tstat *
row_get(const struct summary *s, uint64_t id)
{
	uintptr_t i = (uintptr_t)u64map_get(&s->rows, id);

	return i > 0 ? &s->t[i - 1] : NULL;
}

/* ... made if there is room. */
static struct tstat *
summary_row(struct summary *s, uint64_t id)
{
	struct tstat *row;
	size_t i, want;

	if (id == 0)
		return NULL;
	if ((row = row_get(s, id)) != NULL)
		return row;
	if (s->nspare > 0)
		i = s->spare[--s->nspare];
	else if (s->n < SUMMARY_MAX_TEMPLATES) {
		if (s->n == s->cap) {
			want = s->cap == 0 ? 64 : 2 * s->cap;
			if (want > SUMMARY_MAX_TEMPLATES)
				want = SUMMARY_MAX_TEMPLATES;
			s->t = xreallocarray(s->t, want, sizeof *s->t);
			memset(s->t + s->cap, 0, (want - s->cap) *
			    sizeof *s->t);
			s->cap = want;
		}
		i = s->n++;
	} else
		return NULL;
	u64map_put(&s->rows, id, (void *)(uintptr_t)(i + 1));
	return &s->t[i];
}

void
summary_forget(struct summary *s, uint64_t id)
{
	uintptr_t i = (uintptr_t)u64map_del(&s->rows, id);

	if (i == 0)
		return;
	memset(&s->t[i - 1], 0, sizeof s->t[i - 1]);
	s->spare = xreallocarray(s->spare, s->nspare + 1, sizeof *s->spare);
	s->spare[s->nspare++] = i - 1;
}

void
summary_line(struct summary *s, const struct verdict *v)
{
	struct tstat *row;
	double x, at;
	unsigned bin;

	s->lines++;
	if (v->flagged) {
		s->flagged++;
		if ((unsigned)v->score.kind <= KIND_HELD)
			s->by_kind[v->score.kind]++;
	}
	if (s->axis == AXIS_NONE) {
		s->axis = v->time != 0 ? AXIS_TIME : AXIS_LINE;
		s->x0 = s->xmax = s->axis == AXIS_TIME ? v->time :
		    (double)v->line;
		s->width = 1;
	}
	if (s->axis == AXIS_TIME) {
		if (v->time != 0)
			s->last_time = v->time;
		x = s->last_time;
	} else
		x = (double)v->line;
	if (x > s->xmax)
		s->xmax = x;
	at = x < s->x0 ? 0 : x - s->x0;
	while (at / s->width >= SUMMARY_BINS)
		summary_merge(s);
	bin = (unsigned)(at / s->width);
	if (bin + 1 > s->used)
		s->used = bin + 1;

	if (v->tmpl == NULL || (row = summary_row(s, v->tmpl->serial)) == NULL)
		return;
	if (!row->seen) {
		row->seen = 1;
		row->first = x;
	}
	if (row->bins[bin] < UINT32_MAX)
		row->bins[bin]++;
}

static void
put_fmt(struct outbuf *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
put_fmt(struct outbuf *o, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		outbuf_bytes(o, buf, (size_t)n < sizeof buf ? (size_t)n :
		    sizeof buf - 1);
}

/* Each template's own peak is a full block; empty columns are blank. */
static void
put_sparkline(struct outbuf *o, const struct tstat *row, unsigned cols,
    int ascii)
{
	static const char *const block[] = {
		"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
		"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"
	};
	static const char ramp[] = ".:-=+*#@";
	uint32_t max = 0;
	unsigned i, level;

	for (i = 0; row != NULL && i < cols; i++)
		if (row->bins[i] > max)
			max = row->bins[i];
	for (i = 0; i < cols; i++) {
		if (row == NULL || row->bins[i] == 0) {
			outbuf_char(o, ' ');
			continue;
		}
		level = (unsigned)(((uint64_t)row->bins[i] * 8 + max - 1) /
		    max);
		if (level < 1)
			level = 1;
		if (ascii)
			outbuf_char(o, ramp[level - 1]);
		else
			outbuf_str(o, block[level - 1]);
	}
}

/* Template text, cut at a character boundary, no control characters. */
static void
put_template(struct outbuf *o, struct template *t, int ascii)
{
	const unsigned char *p;
	size_t len, n, i;

	p = (const unsigned char *)template_text(t, &len);
	n = len;
	if (n > TEMPLATE_COLUMNS) {
		n = TEMPLATE_COLUMNS;
		while (n > 0 && (p[n] & 0xc0) == 0x80)
			n--;	/* do not split a UTF-8 sequence */
	}
	for (i = 0; i < n; i++)
		outbuf_char(o, p[i] < 0x20 || p[i] == 0x7f ? '?' : (char)p[i]);
	if (n < len)
		outbuf_str(o, ascii ? "..." : "\xe2\x80\xa6");
}

static void
put_time(struct outbuf *o, double t)
{
	char buf[32];
	time_t secs = (time_t)t;
	struct tm tm;

	if (gmtime_r(&secs, &tm) == NULL ||
	    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		put_fmt(o, "%.0f", t);
	else
		outbuf_str(o, buf);
}

static void
put_duration(struct outbuf *o, double secs)
{
	if (secs < 60)
		put_fmt(o, "%.0fs", secs);
	else if (secs < 3600)
		put_fmt(o, "%.0fm", secs / 60);
	else if (secs < 86400)
		put_fmt(o, "%.1fh", secs / 3600);
	else
		put_fmt(o, "%.1fd", secs / 86400);
}

/* "line 5990" or "2026-11-20T09:12:00Z". */
static void
put_at(struct outbuf *o, const struct summary *s, double x)
{
	if (s->axis == AXIS_TIME)
		put_time(o, x);
	else
		put_fmt(o, "line %.0f", x);
}

static int
by_count(const void *a, const void *b)
{
	const struct template *x = *(struct template *const *)a;
	const struct template *y = *(struct template *const *)b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static const struct summary *sort_summary;	/* for by_first only */

static double
first_of(const struct template *t)
{
	const struct summary *s = sort_summary;
	const struct tstat *row = row_get(s, t->serial);

	if (row != NULL && row->seen)
		return row->first;
	return s->x0;
}

static int
by_first(const void *a, const void *b)
{
	const struct template *x = *(struct template *const *)a;
	const struct template *y = *(struct template *const *)b;
	double fx = first_of(x), fy = first_of(y);

	if (fx != fy)
		return fx > fy ? -1 : 1;
	return x->id > y->id ? -1 : x->id < y->id;
}

static const struct tstat *
row_of(const struct summary *s, const struct template *t)
{
	const struct tstat *row = row_get(s, t->serial);

	return row != NULL && row->seen ? row : NULL;
}

/* Add the row of t, merged into root, to root's row. */
static void
fold_row(struct summary *s, const struct template *t,
    const struct template *root)
{
	struct tstat *from, *to;
	unsigned b;

	if (row_of(s, t) == NULL || (to = summary_row(s, root->serial)) ==
	    NULL)
		return;
	from = row_get(s, t->serial);
	if (!to->seen) {
		*to = *from;
		memset(from, 0, sizeof *from);
		return;
	}
	for (b = 0; b < SUMMARY_BINS; b++)
		to->bins[b] += from->bins[b];
	if (from->first < to->first)
		to->first = from->first;
	memset(from, 0, sizeof *from);
}

void
summary_print(struct summary *s, struct outbuf *o, const struct engine *e,
    const struct summary_extra *extra, int ascii)
{
	size_t i, k, n = engine_templates(e), shown, late;
	struct template **all;
	unsigned cols = s->used > 0 ? s->used : 1;
	double cut;

	outbuf_str(o, "aiopsfilter summary\n");
	put_fmt(o, "  lines read     %llu\n", (unsigned long long)s->lines);
	put_fmt(o, "  lines flagged  %llu (new %llu, rare %llu, value %llu, "
	    "burst %llu)\n", (unsigned long long)s->flagged,
	    (unsigned long long)s->by_kind[KIND_NEW],
	    (unsigned long long)s->by_kind[KIND_RARE],
	    (unsigned long long)s->by_kind[KIND_VALUE],
	    (unsigned long long)s->by_kind[KIND_BURST]);
	for (i = k = 0; i < n; i++)
		k += engine_template(e, i)->merged == NULL;
	put_fmt(o, "  templates      %zu\n", k);
	if (extra != NULL && extra->json) {
		put_fmt(o, "  not JSON       %llu (judged as plain text)\n",
		    (unsigned long long)extra->malformed);
		put_fmt(o, "  no %-11s %llu (judged whole)\n",
		    extra->field != NULL ? extra->field : "message",
		    (unsigned long long)extra->missing);
	}
	if (s->lines == 0)
		return;
	outbuf_str(o, "  axis           ");
	put_at(o, s, s->x0);
	outbuf_str(o, " to ");
	put_at(o, s, s->xmax);
	if (s->axis == AXIS_TIME) {
		outbuf_str(o, ", ");
		put_duration(o, s->width);
		outbuf_str(o, " a column\n");
	} else
		put_fmt(o, ", %.0f line%s a column\n", s->width,
		    s->width == 1 ? "" : "s");

	/* A template merged into another is part of that one's row. */
	all = xreallocarray(NULL, n > 0 ? n : 1, sizeof *all);
	for (i = k = 0; i < n; i++) {
		struct template *t = engine_template(e, i);

		if (t->merged != NULL)
			fold_row(s, t, template_root(t));
		else
			all[k++] = t;
	}
	n = k;

	outbuf_str(o, "\ntop templates by count\n");
	qsort(all, n, sizeof *all, by_count);
	shown = n < SUMMARY_TOP ? n : SUMMARY_TOP;
	for (i = 0; i < shown; i++) {
		put_fmt(o, "%12llu %6llu |", (unsigned long long)all[i]->count,
		    (unsigned long long)all[i]->id);
		put_sparkline(o, row_of(s, all[i]), cols, ascii);
		outbuf_str(o, "| ");
		put_template(o, all[i], ascii);
		outbuf_char(o, '\n');
	}

	/* Late: first seen in the last quarter of the axis. */
	cut = s->x0 + (s->xmax - s->x0) * 0.75;
	sort_summary = s;
	qsort(all, n, sizeof *all, by_first);
	for (late = 0; late < n && late < SUMMARY_TOP &&
	    s->xmax > s->x0 && first_of(all[late]) > cut; late++)
		continue;
	if (late > 0) {
		outbuf_str(o, "\nfirst seen late (in the last quarter of the "
		    "run), latest first\n");
		for (i = 0; i < late; i++) {
			outbuf_char(o, ' ');
			put_at(o, s, first_of(all[i]));
			put_fmt(o, " %6llu |", (unsigned long long)all[i]->id);
			put_sparkline(o, row_of(s, all[i]), cols, ascii);
			outbuf_str(o, "| ");
			put_template(o, all[i], ascii);
			outbuf_char(o, '\n');
		}
	}
	free(all);
}
