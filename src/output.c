/*
 * Record layouts.  Text: "SCORE KIND TEMPLATE-ID LINE", the line exactly
 * as read (a CRLF line keeps its CR), with "FILE:" in front when file
 * names are shown and "[evidence]" before the line with --explain.
 * JSON: one object per line with the keys line, file (when reading a
 * file), score, kind, template_id, template and text, plus flagged with
 * --all, evidence with --explain, event_time when the engine knows it,
 * and record, the input's own JSON object untouched, with JSON lines
 * input.  Records that are not lines (burst ends, silences, held
 * findings) have the same first keys and their own after.  There is
 * never a top-level "time" key: fluent-bit's stock "json" parser would
 * take it for the record's time and fail on every line.  logfmt: the
 * same keys as key=value pairs.  The keys are a contract other programs
 * rely on: add keys, never rename or drop one.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "outbuf.h"
#include "output.h"
#include "reader.h"
#include "template.h"

static void
json_key(struct outbuf *o, const char *key)
{
	outbuf_char(o, ',');
	outbuf_char(o, '"');
	outbuf_str(o, key);
	outbuf_bytes(o, "\":", 2);
}

/* Event time in seconds, to the millisecond. */
static void
put_time(struct outbuf *o, double t)
{
	outbuf_fixed(o, t, 3);
}

/* Whole numbers without decimals; any double, NaN too, prints. */
static int
number_decimals(double v)
{
	return v == floor(v) ? 0 : 2;
}

static void
json_number(struct outbuf *o, const char *key, double v)
{
	json_key(o, key);
	outbuf_fixed(o, v, number_decimals(v));
}

/* A probability in a form people read: 0.012, 3.1e-07. */
static void
put_p(struct outbuf *o, double p)
{
	char buf[32];
	int n;

	n = snprintf(buf, sizeof buf, p >= 0.001 ? "%.3f" : "%.1e", p);
	outbuf_bytes(o, buf, (size_t)n);
}

static void
json_evidence(struct outbuf *o, const struct verdict *v)
{
	const struct evidence *ev = &v->score.ev;

	json_key(o, "evidence");
	outbuf_bytes(o, "{\"p\":", 5);
	put_p(o, ev->p);
	switch (v->score.kind) {
	case KIND_NEW:
		json_number(o, "unseen_words", ev->unseen_words);
		break;
	case KIND_VALUE:
		json_key(o, "value");
		outbuf_json(o, ev->value, ev->value_len);
		json_number(o, "variable", ev->variable + 1);
		json_number(o, "seen", ev->seen);
		json_number(o, "distinct", ev->distinct);
		json_key(o, "outlier");
		outbuf_str(o, ev->outlier ? "true" : "false");
		break;
	default:
		break;
	}
	json_number(o, "total", ev->total);
	if (v->score.kind == KIND_BURST || ev->window_count > 0) {
		json_number(o, "window_count", ev->window_count);
		json_number(o, "expected", ev->expected);
	}
	if (ev->severity != 0)
		json_number(o, "severity", ev->severity);
	if (v->score.suppressed)
		outbuf_str(o, ",\"suppressed\":true");
	outbuf_char(o, '}');
}

static void
text_evidence(struct outbuf *o, const struct verdict *v)
{
	const struct evidence *ev = &v->score.ev;

	outbuf_str(o, "[p=");
	put_p(o, ev->p);
	switch (v->score.kind) {
	case KIND_NEW:
		outbuf_str(o, ", ");
		outbuf_u64(o, ev->unseen_words);
		outbuf_str(o, " unseen words");
		break;
	case KIND_VALUE:
		outbuf_str(o, ev->outlier ? ", number " : ", value ");
		outbuf_bytes(o, ev->value, ev->value_len);
		outbuf_str(o, " at <*> #");
		outbuf_u64(o, (uint64_t)ev->variable + 1);
		outbuf_str(o, ", ");
		if (!ev->outlier && ev->distinct > 0) {
			outbuf_u64(o, ev->distinct);
			outbuf_str(o, " values in ");
		}
		outbuf_u64(o, ev->seen);
		outbuf_str(o, " seen");
		break;
	case KIND_BURST:
		outbuf_str(o, ", ");
		outbuf_fixed(o, ev->window_count, 0);
		outbuf_str(o, " in window, ");
		outbuf_fixed(o, ev->expected, 2);
		outbuf_str(o, " expected");
		break;
	case KIND_RARE:
		outbuf_str(o, ", ");
		outbuf_fixed(o, ev->total, 0);
		outbuf_str(o, " seen");
		break;
	default:
		break;
	}
	if (v->score.suppressed)
		outbuf_str(o, ", repeat not printed");
	outbuf_str(o, "] ");
}

static void
logfmt_number(struct outbuf *o, const char *key, double v)
{
	outbuf_char(o, ' ');
	outbuf_str(o, key);
	outbuf_char(o, '=');
	outbuf_fixed(o, v, number_decimals(v));
}

static void
logfmt_evidence(struct outbuf *o, const struct verdict *v)
{
	const struct evidence *ev = &v->score.ev;

	outbuf_str(o, " p=");
	put_p(o, ev->p);
	switch (v->score.kind) {
	case KIND_NEW:
		logfmt_number(o, "unseen_words", ev->unseen_words);
		break;
	case KIND_VALUE:
		outbuf_str(o, " value=");
		outbuf_logfmt(o, ev->value, ev->value_len);
		logfmt_number(o, "variable", ev->variable + 1);
		logfmt_number(o, "seen", ev->seen);
		logfmt_number(o, "distinct", ev->distinct);
		outbuf_str(o, ev->outlier ? " outlier=true" : " outlier=false");
		break;
	default:
		break;
	}
	logfmt_number(o, "total", ev->total);
	if (v->score.kind == KIND_BURST || ev->window_count > 0) {
		logfmt_number(o, "window_count", ev->window_count);
		logfmt_number(o, "expected", ev->expected);
	}
	if (ev->severity != 0)
		logfmt_number(o, "severity", ev->severity);
	if (v->score.suppressed)
		outbuf_str(o, " suppressed=true");
}

static void
output_json(struct outbuf *o, const struct output_opts *opt,
    const struct output_input *in, const struct verdict *v)
{
	const char *tt;
	size_t tlen;

	outbuf_bytes(o, "{\"line\":", 8);
	outbuf_u64(o, v->line);
	if (in->file != NULL) {
		json_key(o, "file");
		outbuf_json(o, in->file, strlen(in->file));
	}
	json_key(o, "score");
	outbuf_fixed(o, v->score.bits, 2);
	json_key(o, "kind");
	outbuf_char(o, '"');
	outbuf_str(o, score_kind_name(v->score.kind));
	outbuf_char(o, '"');
	json_key(o, "template_id");
	if (v->tmpl != NULL) {
		outbuf_u64(o, v->tmpl->id);
		json_key(o, "template");
		tt = template_text(v->tmpl, &tlen);
		outbuf_json(o, tt, tlen);
	} else {
		outbuf_bytes(o, "null,\"template\":null", 20);
	}
	json_key(o, "text");
	outbuf_json(o, in->msg, in->msglen);
	if (opt->all) {
		json_key(o, "flagged");
		outbuf_str(o, v->flagged ? "true" : "false");
	}
	if (opt->explain)
		json_evidence(o, v);
	if (v->time != 0) {
		json_key(o, "event_time");
		put_time(o, v->time);
	}
	if (in->record) {
		/* Checked by jsonin: one object, valid UTF-8, no newline. */
		json_key(o, "record");
		outbuf_bytes(o, in->line->text, in->line->len);
	}
	outbuf_bytes(o, "}\n", 2);
}

static void
output_logfmt(struct outbuf *o, const struct output_opts *opt,
    const struct output_input *in, const struct verdict *v)
{
	const char *tt;
	size_t tlen;

	outbuf_bytes(o, "line=", 5);
	outbuf_u64(o, v->line);
	if (in->file != NULL) {
		outbuf_bytes(o, " file=", 6);
		outbuf_logfmt(o, in->file, strlen(in->file));
	}
	outbuf_bytes(o, " score=", 7);
	outbuf_fixed(o, v->score.bits, 2);
	outbuf_bytes(o, " kind=", 6);
	outbuf_str(o, score_kind_name(v->score.kind));
	if (v->tmpl != NULL) {
		outbuf_bytes(o, " template_id=", 13);
		outbuf_u64(o, v->tmpl->id);
		outbuf_bytes(o, " template=", 10);
		tt = template_text(v->tmpl, &tlen);
		outbuf_logfmt(o, tt, tlen);
	}
	outbuf_bytes(o, " text=", 6);
	outbuf_logfmt(o, in->msg, in->msglen);
	if (opt->all)
		outbuf_str(o, v->flagged ? " flagged=true" : " flagged=false");
	if (opt->explain)
		logfmt_evidence(o, v);
	if (v->time != 0) {
		outbuf_bytes(o, " event_time=", 12);
		put_time(o, v->time);
	}
	if (in->record) {
		outbuf_bytes(o, " record=", 8);
		outbuf_logfmt(o, in->line->text, in->line->len);
	}
	outbuf_char(o, '\n');
}

void
output_line(struct outbuf *o, const struct output_opts *opt,
    const struct output_input *in, const struct verdict *v)
{
	const struct line *ln = in->line;

	if (opt->format == OUTPUT_JSON) {
		output_json(o, opt, in, v);
		return;
	}
	if (opt->format == OUTPUT_LOGFMT) {
		output_logfmt(o, opt, in, v);
		return;
	}
	if (opt->with_filename) {
		outbuf_str(o, in->file != NULL ? in->file : "(standard input)");
		outbuf_char(o, ':');
	}
	outbuf_fixed(o, v->score.bits, 1);
	outbuf_char(o, ' ');
	outbuf_str(o, score_kind_name(v->score.kind));
	outbuf_char(o, ' ');
	if (v->tmpl != NULL)
		outbuf_u64(o, v->tmpl->id);
	else
		outbuf_char(o, '-');
	outbuf_char(o, ' ');
	if (opt->explain)
		text_evidence(o, v);
	outbuf_bytes(o, ln->text, ln->len);
	if (ln->crlf)
		outbuf_char(o, '\r');
	outbuf_char(o, '\n');
}

/* A span of ticks: "40 lines", or "12s", "5m3s", "2h7m". */
static void
put_duration(struct outbuf *o, double d, int lines)
{
	uint64_t s;

	if (lines) {
		outbuf_fixed(o, d, 0);
		outbuf_str(o, d == 1 ? " line" : " lines");
		return;
	}
	/* As outbuf_fixed() has it: no NaN, nothing below 0 or past 1e12. */
	if (!(d > 0))
		d = 0;
	if (d > 1e12)
		d = 1e12;
	s = (uint64_t)(d + 0.5);
	if (s >= 3600) {
		outbuf_u64(o, s / 3600);
		outbuf_char(o, 'h');
		s %= 3600;
		if (s / 60 > 0) {
			outbuf_u64(o, s / 60);
			outbuf_char(o, 'm');
		}
		return;
	}
	if (s >= 60) {
		outbuf_u64(o, s / 60);
		outbuf_char(o, 'm');
		s %= 60;
		if (s == 0)
			return;
	}
	outbuf_u64(o, s);
	outbuf_char(o, 's');
}

static void
held_counts(struct outbuf *o, const struct score_event *e, int json)
{
	int k, first = 1;

	for (k = KIND_NEW; k <= KIND_BURST; k++) {
		if (e->held[k] == 0)
			continue;
		if (json) {
			if (!first)
				outbuf_char(o, ',');
			outbuf_char(o, '"');
			outbuf_str(o, score_kind_name((enum score_kind)k));
			outbuf_bytes(o, "\":", 2);
			outbuf_u64(o, e->held[k]);
		} else {
			outbuf_str(o, first ? "" : ", ");
			outbuf_u64(o, e->held[k]);
			outbuf_char(o, ' ');
			outbuf_str(o, score_kind_name((enum score_kind)k));
		}
		first = 0;
	}
}

/* The keys of a record of its own, after the common ones. */
static void
event_keys(struct outbuf *o, const struct score_event *e, int lines,
    void (*num)(struct outbuf *, const char *, double))
{
	switch (e->kind) {
	case KIND_BURST_END:
		num(o, "count", e->count);
		num(o, "expected", e->expected);
		num(o, "duration", e->duration);
		num(o, "first_line", (double)e->first_line);
		num(o, "last_line", (double)e->last_line);
		break;
	case KIND_SILENCE:
		num(o, "quiet", e->duration);
		num(o, "gap", e->expected);
		num(o, "last_line", (double)e->last_line);
		break;
	case KIND_HELD:
		num(o, "count", e->count);
		break;
	default:
		break;
	}
	(void)lines;
}

void
output_event(struct outbuf *o, const struct output_opts *opt,
    const struct score_event *e, int lines)
{
	const char *tt = "";
	size_t tlen = 0;

	if (e->tmpl != NULL)
		tt = template_text(e->tmpl, &tlen);
	if (opt->format == OUTPUT_JSON) {
		outbuf_bytes(o, "{\"line\":", 8);
		outbuf_u64(o, e->line);
		json_key(o, "score");
		outbuf_fixed(o, e->bits, 2);
		json_key(o, "kind");
		outbuf_char(o, '"');
		outbuf_str(o, score_kind_name(e->kind));
		outbuf_char(o, '"');
		json_key(o, "template_id");
		if (e->tmpl != NULL) {
			outbuf_u64(o, e->tmpl->id);
			json_key(o, "template");
			outbuf_json(o, tt, tlen);
		} else {
			outbuf_str(o, "null,\"template\":null");
		}
		event_keys(o, e, lines, json_number);
		if (e->kind == KIND_HELD) {
			json_key(o, "held");
			outbuf_char(o, '{');
			held_counts(o, e, 1);
			outbuf_char(o, '}');
		}
		json_key(o, "unit");
		outbuf_str(o, lines ? "\"lines\"" : "\"seconds\"");
		outbuf_bytes(o, "}\n", 2);
		return;
	}
	if (opt->format == OUTPUT_LOGFMT) {
		outbuf_str(o, "line=");
		outbuf_u64(o, e->line);
		outbuf_str(o, " score=");
		outbuf_fixed(o, e->bits, 2);
		outbuf_str(o, " kind=");
		outbuf_str(o, score_kind_name(e->kind));
		if (e->tmpl != NULL) {
			outbuf_str(o, " template_id=");
			outbuf_u64(o, e->tmpl->id);
			outbuf_str(o, " template=");
			outbuf_logfmt(o, tt, tlen);
		}
		event_keys(o, e, lines, logfmt_number);
		outbuf_str(o, lines ? " unit=lines\n" : " unit=seconds\n");
		return;
	}
	if (e->kind == KIND_HELD) {
		outbuf_str(o, "- held - ");
		outbuf_fixed(o, e->count, 0);
		outbuf_str(o, " findings held back in this window (");
		held_counts(o, e, 0);
		outbuf_str(o, ")\n");
		return;
	}
	outbuf_fixed(o, e->bits, 1);
	outbuf_char(o, ' ');
	outbuf_str(o, score_kind_name(e->kind));
	outbuf_char(o, ' ');
	outbuf_u64(o, e->tmpl->id);
	outbuf_char(o, ' ');
	if (e->kind == KIND_BURST_END) {
		outbuf_fixed(o, e->count, 0);
		outbuf_str(o, e->count == 1 ? " line in " : " lines in ");
		put_duration(o, e->duration, lines);
		outbuf_str(o, " (");
		outbuf_fixed(o, e->expected, 1);
		outbuf_str(o, " expected), lines ");
		outbuf_u64(o, e->first_line);
		outbuf_char(o, '-');
		outbuf_u64(o, e->last_line);
	} else {
		outbuf_str(o, "no line for ");
		put_duration(o, e->duration, lines);
		outbuf_str(o, " (one every ");
		put_duration(o, e->expected, lines);
		outbuf_str(o, " before), last at line ");
		outbuf_u64(o, e->last_line);
	}
	outbuf_str(o, ": ");
	outbuf_bytes(o, tt, tlen);
	outbuf_char(o, '\n');
}

void
output_template(struct outbuf *o, const struct output_opts *opt,
    struct template *t)
{
	const char *tt;
	size_t tlen;

	tt = template_text(t, &tlen);
	if (opt->format == OUTPUT_LOGFMT) {
		outbuf_bytes(o, "template_id=", 12);
		outbuf_u64(o, t->id);
		outbuf_bytes(o, " count=", 7);
		outbuf_u64(o, t->count);
		outbuf_bytes(o, " template=", 10);
		outbuf_logfmt(o, tt, tlen);
		outbuf_char(o, '\n');
		return;
	}
	if (opt->format == OUTPUT_JSON) {
		outbuf_bytes(o, "{\"template_id\":", 15);
		outbuf_u64(o, t->id);
		json_key(o, "count");
		outbuf_u64(o, t->count);
		json_key(o, "template");
		outbuf_json(o, tt, tlen);
		outbuf_bytes(o, "}\n", 2);
		return;
	}
	outbuf_u64(o, t->id);
	outbuf_char(o, '\t');
	outbuf_u64(o, t->count);
	outbuf_char(o, '\t');
	outbuf_bytes(o, tt, tlen);
	outbuf_char(o, '\n');
}
