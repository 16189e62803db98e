/*
 * Record layouts.  Text: "SCORE KIND TEMPLATE-ID LINE", the line exactly
 * as read (a CRLF line keeps its CR), with "FILE:" in front when file
 * names are shown and "[evidence]" before the line with --explain.
 * JSON: one object per line with the keys line, file (when reading a
 * file), score, kind, source (with --key), template_id, template and
 * text, plus flagged with
 * --all, evidence with --explain, event_time when the engine knows it,
 * and record, the input's own JSON object untouched, with JSON lines
 * input.  Records that are not lines (burst ends, silences, held
 * findings) have the same first keys and their own after.  There is
 * never a top-level "time" key: fluent-bit's stock "json" parser would
 * take it for the record's time and fail on every line.  logfmt: the
 * same keys as key=value pairs.  The keys are a contract other programs
 * rely on: add keys, never rename or drop one.  Text may be coloured
 * (--color); JSON and logfmt never are: programs read them.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "incident.h"
#include "jsonin.h"
#include "outbuf.h"
#include "output.h"
#include "reader.h"
#include "record.h"
#include "template.h"
#include "xmalloc.h"

/*
 * Colours of text output, as SGR codes: file names and separators as
 * grep draws them, a kind by what it means, and the value a finding is
 * about where its line shows it, as grep marks a match.
 */
#define SGR_FILE	"35"
#define SGR_SEP		"36"
#define SGR_LINE	"32"
#define SGR_SCORE	"1"
#define SGR_FAINT	"2"
#define SGR_VALUE	"1;33"

static const char *
kind_sgr(enum score_kind k)
{
	switch (k) {
	case KIND_NEW:
		return "1;31";
	case KIND_VALUE:
		return "33";
	case KIND_BURST:
	case KIND_BURST_END:
		return "35";
	case KIND_RARE:
		return "36";
	case KIND_SILENCE:
		return "34";
	default:
		return SGR_FAINT;
	}
}

static void
sgr(struct outbuf *o, const struct output_opts *opt, const char *code)
{
	if (!opt->color)
		return;
	outbuf_bytes(o, "\033[", 2);
	outbuf_str(o, code);
	outbuf_char(o, 'm');
}

static void
sgr_end(struct outbuf *o, const struct output_opts *opt)
{
	if (opt->color)
		outbuf_bytes(o, "\033[m", 3);
}

/* s in colour code, then back to plain. */
static void
sgr_str(struct outbuf *o, const struct output_opts *opt, const char *code,
    const char *s)
{
	sgr(o, opt, code);
	outbuf_str(o, s);
	sgr_end(o, opt);
}

/* 1 for a "\\u" escape of a high surrogate at q, 2 of a low one, else 0:
 * q has six bytes, and "\\u" four hex digits, as jsonin checked. */
static int
surrogate_at(const char *q)
{
	char c = (char)(q[3] | 0x20);

	if (q[1] != 'u' || (q[2] | 0x20) != 'd')
		return 0;
	if (c == '8' || c == '9' || c == 'a' || c == 'b')
		return 1;
	return c >= 'c' && c <= 'f' ? 2 : 0;
}

/*
 * A record's object as read, but for a lone surrogate escape ("\\ud800"
 * without its low half), which strict parsers such as jq refuse with the
 * whole line: it becomes "\\ufffd", as the message's text has it.
 */
static void
json_record(struct outbuf *o, const char *p, size_t n)
{
	const char *end = p + n, *q, *s = p;

	while ((q = memchr(s, '\\', (size_t)(end - s))) != NULL) {
		if (end - q < 6 || surrogate_at(q) == 0) {
			if ((s = q + 2) >= end)	/* past the escaped byte */
				break;
			continue;
		}
		if (surrogate_at(q) == 1 && end - q >= 12 && q[6] == '\\' &&
		    surrogate_at(q + 6) == 2) {
			s = q + 12;	/* a pair */
			continue;
		}
		outbuf_bytes(o, p, (size_t)(q - p));
		outbuf_bytes(o, "\\ufffd", 6);
		p = s = q + 6;
	}
	outbuf_bytes(o, p, (size_t)(end - p));
}

/* Where a JSON line's object starts: after a container runtime's
 * wrapper, as jsonin_message() found it. */
static size_t
record_at(const struct line *ln)
{
	return ln->len > 0 && ln->text[0] != '{' ?
	    jsonin_wrapper(ln->text, ln->len) : 0;
}

/* Forced inline: the keys are string literals, whose strlen() the
 * compiler then knows. */
static inline __attribute__((always_inline)) void
json_key(struct outbuf *o, const char *key)
{
	char buf[64];
	size_t n = strlen(key);

	/* Keys are short: one copy to the buffer instead of four calls
	 * (--all -o json writes seven a line). */
	if (n + 4 > sizeof buf) {
		outbuf_bytes(o, ",\"", 2);
		outbuf_str(o, key);
		outbuf_bytes(o, "\":", 2);
		return;
	}
	buf[0] = ',';
	buf[1] = '"';
	memcpy(buf + 2, key, n);
	buf[n + 2] = '"';
	buf[n + 3] = ':';
	outbuf_bytes(o, buf, n + 4);
}

/* The source of a record, with --key: a key of its own, a prefix. */
static void
put_json_source(struct outbuf *o, const char *source)
{
	if (source == NULL)
		return;
	json_key(o, "source");
	outbuf_json(o, source, strlen(source));
}

static void
put_logfmt_source(struct outbuf *o, const char *source)
{
	if (source == NULL)
		return;
	outbuf_str(o, " source=");
	outbuf_logfmt(o, source, strlen(source));
}

/* "web-1/17": template ids count per source. */
static void
put_text_source(struct outbuf *o, const char *source)
{
	if (source == NULL)
		return;
	outbuf_str(o, source);
	outbuf_char(o, '/');
}

/* Event time in seconds, to the millisecond. */
static void
put_time(struct outbuf *o, double t)
{
	outbuf_fixed(o, t, 3);
}

/* A line's own time, not the clock as kept from going back (lines of
 * several writers come a little out of order); else the clock's. */
static double
event_time(const struct verdict *v)
{
	return v->read_time != 0 ? v->read_time : v->time;
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

/* A probability in a form people read, to two significant digits as
 * the score has them: 0.25, 0.0012, 3.1e-07. */
static void
put_p(struct outbuf *o, double p)
{
	char buf[32];
	int n;

	n = snprintf(buf, sizeof buf, p >= 0.1 ? "%.2f" : p >= 0.01 ?
	    "%.3f" : p >= 0.001 ? "%.4f" : "%.1e", p);
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
		if (ev->field != NULL) {
			json_key(o, "field");
			outbuf_json(o, ev->field, ev->field_len);
		} else
			json_number(o, "variable", ev->variable + 1);
		json_number(o, "seen", ev->seen);
		json_number(o, "distinct", ev->distinct);
		json_key(o, "outlier");
		outbuf_str(o, ev->outlier ? "true" : "false");
		if (ev->new_shape)
			outbuf_str(o, ",\"new_shape\":true");
		if (ev->share)
			outbuf_str(o, ",\"share\":true");
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

/* Why a finding was not printed, in the text evidence (HOLD_*). */
static const char *const hold_words[] = {
	"", ", repeat not printed", ", over --max-alerts, not printed",
	", in its burst, not printed"
};

static void
text_evidence(struct outbuf *o, const struct output_opts *opt,
    const struct verdict *v)
{
	const struct evidence *ev = &v->score.ev;

	sgr(o, opt, SGR_FAINT);
	outbuf_str(o, "[p=");
	put_p(o, ev->p);
	switch (v->score.kind) {
	case KIND_NEW:
		outbuf_str(o, ", ");
		outbuf_u64(o, ev->unseen_words);
		outbuf_str(o, ev->unseen_words == 1 ? " unseen word" :
		    " unseen words");
		break;
	case KIND_VALUE:
		outbuf_str(o, ev->outlier ? ", number " : ", value ");
		outbuf_bytes(o, ev->value, ev->value_len);
		if (ev->field != NULL) {
			outbuf_str(o, " in ");
			outbuf_bytes(o, ev->field, ev->field_len);
		} else {
			outbuf_str(o, " at <*> #");
			outbuf_u64(o, (uint64_t)ev->variable + 1);
		}
		outbuf_str(o, ", ");
		if (!ev->outlier && ev->distinct > 0) {
			outbuf_u64(o, ev->distinct);
			outbuf_str(o, " values in ");
		}
		outbuf_u64(o, ev->seen);
		outbuf_str(o, " seen");
		if (ev->new_shape)
			outbuf_str(o, ", a new shape");
		if (ev->share) {
			outbuf_str(o, ", ");
			outbuf_fixed(o, ev->window_count, 0);
			outbuf_str(o, " of late, ");
			outbuf_fixed(o, ev->expected, 2);
			outbuf_str(o, " expected");
		}
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
	if (v->score.suppressed != HOLD_NONE)
		outbuf_str(o, hold_words[v->score.suppressed]);
	outbuf_char(o, ']');
	sgr_end(o, opt);
	outbuf_char(o, ' ');
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
		if (ev->field != NULL) {
			outbuf_str(o, " field=");
			outbuf_logfmt(o, ev->field, ev->field_len);
		} else
			logfmt_number(o, "variable", ev->variable + 1);
		logfmt_number(o, "seen", ev->seen);
		logfmt_number(o, "distinct", ev->distinct);
		outbuf_str(o, ev->outlier ? " outlier=true" : " outlier=false");
		if (ev->new_shape)
			outbuf_str(o, " new_shape=true");
		if (ev->share)
			outbuf_str(o, " share=true");
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

/* The record's template: the verdict's, or the one given with it. */
static int
line_template(const struct output_input *in, const struct verdict *v,
    uint64_t *id, const char **tt, size_t *tlen)
{
	if (in->tmpl_given) {
		*id = in->tmpl_id;
		*tt = in->tmpl_text;
		*tlen = in->tmpl_len;
		return in->tmpl_id != 0;
	}
	if (v->tmpl == NULL)
		return 0;
	*id = v->tmpl->id;
	*tt = template_text(v->tmpl, tlen);
	return 1;
}

/* s[0..len) as a JSON string, or NULL when it is too long to keep. */
static char *
json_string(const char *s, size_t len)
{
	struct outbuf *o = outbuf_new(-1);
	char *q = NULL;

	/* Made in a buffer never flushed: one that fills fails (fd -1). */
	outbuf_json(o, s, len);
	if (!outbuf_error(o) && outbuf_pending(o) < OUTBUF_SIZE)
		q = xstrndup(o->buf, outbuf_pending(o));
	outbuf_free(o);
	return q;
}

/*
 * The template as a JSON string, escaped once and kept with it: it is on
 * every record of -a -o json, and escaping it there was a twentieth of
 * the records' cost.
 */
static void
put_template_json(struct outbuf *o, struct template *t)
{
	size_t len;
	const char *text;

	t = template_root(t);
	if (t->json == NULL && !t->json_long) {
		text = template_text(t, &len);
		if ((t->json = json_string(text, len)) != NULL)
			t->json_len = strlen(t->json);
		else
			t->json_long = 1;
	}
	if (t->json != NULL) {
		outbuf_bytes(o, t->json, t->json_len);
		return;
	}
	text = template_text(t, &len);
	outbuf_json(o, text, len);
}

static uint64_t
end_line(const struct output_input *in, const struct verdict *v)
{
	return v->line + (in->rec != NULL && in->rec->nlines > 0 ?
	    in->rec->nlines - 1 : 0);
}

static void
output_json(struct outbuf *o, const struct output_opts *opt,
    const struct output_input *in, const struct verdict *v)
{
	const char *tt;
	size_t tlen;
	uint64_t id;

	outbuf_bytes(o, "{\"line\":", 8);
	outbuf_u64(o, v->line);
	if (in->file_json != NULL) {
		json_key(o, "file");
		outbuf_str(o, in->file_json);
	} else if (in->file != NULL) {
		json_key(o, "file");
		outbuf_json(o, in->file, strlen(in->file));
	}
	if (in->file != NULL) {
		json_key(o, "file_line");
		outbuf_u64(o, in->input_line);
	}
	json_key(o, "score");
	outbuf_fixed(o, v->score.bits, 2);
	json_key(o, "kind");
	outbuf_char(o, '"');
	outbuf_str(o, score_kind_name(v->score.kind));
	outbuf_char(o, '"');
	put_json_source(o, v->source);
	json_key(o, "template_id");
	if (!in->tmpl_given && v->tmpl != NULL) {
		outbuf_u64(o, v->tmpl->id);
		json_key(o, "template");
		put_template_json(o, v->tmpl);
	} else if (line_template(in, v, &id, &tt, &tlen)) {
		outbuf_u64(o, id);
		json_key(o, "template");
		outbuf_json(o, tt, tlen);
	} else
		outbuf_bytes(o, "null,\"template\":null", 20);
	json_key(o, "text");
	if (in->msg_plain) {
		outbuf_char(o, '"');
		outbuf_bytes(o, in->msg, in->msglen);
		outbuf_char(o, '"');
	} else
		outbuf_json(o, in->msg, in->msglen);
	if (opt->multiline) {
		json_key(o, "end_line");
		outbuf_u64(o, end_line(in, v));
	}
	if (in->context)
		outbuf_str(o, ",\"context\":true");
	if (opt->all) {
		json_key(o, "flagged");
		outbuf_str(o, v->flagged ? "true" : "false");
	}
	if (opt->explain && !in->context)
		json_evidence(o, v);
	if (event_time(v) != 0) {
		json_key(o, "event_time");
		put_time(o, event_time(v));
	}
	if (in->incident != 0) {
		json_key(o, "incident");
		outbuf_u64(o, in->incident);
	}
	if (in->record) {
		/* Checked by jsonin: one object, valid UTF-8, no newline. */
		size_t off = record_at(in->line);

		json_key(o, "record");
		json_record(o, in->line->text + off, in->line->len - off);
	}
	outbuf_bytes(o, "}\n", 2);
}

char *
output_json_string(const char *s)
{
	return json_string(s, strlen(s));
}

static void
output_logfmt(struct outbuf *o, const struct output_opts *opt,
    const struct output_input *in, const struct verdict *v)
{
	const char *tt;
	size_t tlen;
	uint64_t id;

	outbuf_bytes(o, "line=", 5);
	outbuf_u64(o, v->line);
	if (in->file != NULL) {
		outbuf_bytes(o, " file=", 6);
		outbuf_logfmt(o, in->file, strlen(in->file));
		outbuf_bytes(o, " file_line=", 11);
		outbuf_u64(o, in->input_line);
	}
	outbuf_bytes(o, " score=", 7);
	outbuf_fixed(o, v->score.bits, 2);
	outbuf_bytes(o, " kind=", 6);
	outbuf_str(o, score_kind_name(v->score.kind));
	put_logfmt_source(o, v->source);
	if (line_template(in, v, &id, &tt, &tlen)) {
		outbuf_bytes(o, " template_id=", 13);
		outbuf_u64(o, id);
		outbuf_bytes(o, " template=", 10);
		outbuf_logfmt(o, tt, tlen);
	}
	outbuf_bytes(o, " text=", 6);
	outbuf_logfmt(o, in->msg, in->msglen);
	if (opt->multiline) {
		outbuf_str(o, " end_line=");
		outbuf_u64(o, end_line(in, v));
	}
	if (in->context)
		outbuf_str(o, " context=true");
	if (opt->all)
		outbuf_str(o, v->flagged ? " flagged=true" : " flagged=false");
	if (opt->explain && !in->context)
		logfmt_evidence(o, v);
	if (event_time(v) != 0) {
		outbuf_bytes(o, " event_time=", 12);
		put_time(o, event_time(v));
	}
	if (in->incident != 0) {
		outbuf_str(o, " incident=");
		outbuf_u64(o, in->incident);
	}
	if (in->record) {
		size_t off = record_at(in->line);

		outbuf_bytes(o, " record=", 8);
		outbuf_logfmt(o, in->line->text + off, in->line->len - off);
	}
	outbuf_char(o, '\n');
}

/* A multi-line record's lines after its first, each as read. */
static void
text_rest(struct outbuf *o, const struct record *r)
{
	const char *p = r->text + r->first_len, *end = r->text + r->len, *nl;
	size_t i;

	for (i = 1; i < r->nlines && p < end; i++) {
		p++;	/* the "\n" that joins */
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		outbuf_bytes(o, p, (size_t)(nl - p));
		if (r->crlf[i])
			outbuf_char(o, '\r');
		outbuf_char(o, '\n');
		p = nl;
	}
}

/*
 * The line as read, the value a finding is about in colour where the
 * line holds it (a header field's, a member's, a variable's; a value of
 * a record's later line, or of a message decoded from JSON, is not
 * marked).
 */
static void
text_marked(struct outbuf *o, const struct output_opts *opt,
    const struct line *ln, const struct verdict *v)
{
	const struct evidence *ev = &v->score.ev;
	uintptr_t text = (uintptr_t)ln->text, at = (uintptr_t)ev->value;
	size_t off;

	/* Compared as integers: the value may point into another buffer,
	 * and pointers into different objects do not compare in C. */
	if (v->score.kind != KIND_VALUE || ev->value == NULL ||
	    ev->value_len == 0 || at < text || at - text > ln->len ||
	    ev->value_len > ln->len - (at - text)) {
		outbuf_bytes(o, ln->text, ln->len);
		return;
	}
	off = (size_t)(at - text);
	outbuf_bytes(o, ln->text, off);
	sgr(o, opt, SGR_VALUE);
	outbuf_bytes(o, ln->text + off, ev->value_len);
	sgr_end(o, opt);
	outbuf_bytes(o, ln->text + off + ev->value_len,
	    ln->len - off - ev->value_len);
}

void
output_line(struct outbuf *o, const struct output_opts *opt,
    const struct output_input *in, const struct verdict *v)
{
	const struct line *ln = in->line;
	const char *tt;
	size_t tlen;
	uint64_t id;

	if (opt->format == OUTPUT_JSON) {
		output_json(o, opt, in, v);
		return;
	}
	if (opt->format == OUTPUT_LOGFMT) {
		output_logfmt(o, opt, in, v);
		return;
	}
	/* Context as grep marks it: "-" where a finding has ":". */
	if (opt->with_filename) {
		sgr_str(o, opt, SGR_FILE, in->file != NULL ? in->file :
		    "(standard input)");
		sgr_str(o, opt, SGR_SEP, in->context ? "-" : ":");
	}
	if (opt->line_number) {
		sgr(o, opt, SGR_LINE);
		outbuf_u64(o, in->input_line);
		sgr_end(o, opt);
		sgr_str(o, opt, SGR_SEP, in->context ? "-" : ":");
	}
	if (in->context)
		sgr_str(o, opt, SGR_FAINT, "- context");
	else {
		sgr(o, opt, SGR_SCORE);
		outbuf_fixed(o, v->score.bits, 1);
		sgr_end(o, opt);
		outbuf_char(o, ' ');
		sgr_str(o, opt, kind_sgr(v->score.kind),
		    score_kind_name(v->score.kind));
	}
	outbuf_char(o, ' ');
	put_text_source(o, v->source);
	if (line_template(in, v, &id, &tt, &tlen))
		outbuf_u64(o, id);
	else
		outbuf_char(o, '-');
	outbuf_char(o, ' ');
	if (opt->explain && !in->context)
		text_evidence(o, opt, v);
	if (opt->color && !in->context)
		text_marked(o, opt, ln, v);
	else
		outbuf_bytes(o, ln->text, ln->len);
	if (ln->crlf)
		outbuf_char(o, '\r');
	outbuf_char(o, '\n');
	if (in->rec != NULL && in->rec->nlines > 1)
		text_rest(o, in->rec);
}

void
output_separator(struct outbuf *o, const struct output_opts *opt)
{
	if (opt->format == OUTPUT_TEXT) {
		sgr_str(o, opt, SGR_SEP, "--");
		outbuf_char(o, '\n');
	}
}

/* A span of ticks: "40 lines", or "0.2s", "12s", "5m3s", "2h7m". */
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
	if (d < 9.95) {		/* "0.2s", not "0s"; "3s", not "3.0s" */
		double tenths = floor(d * 10 + 0.5);

		outbuf_fixed(o, tenths / 10, fmod(tenths, 10) != 0 ? 1 : 0);
		outbuf_char(o, 's');
		return;
	}
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

/* Counts by kind as logfmt has an object: " name.new=3 name.value=1". */
static void
logfmt_kinds(struct outbuf *o, const char *name, const uint64_t *count,
    int last)
{
	int k;

	for (k = KIND_NEW; k <= last; k++) {
		if (count[k] == 0)
			continue;
		outbuf_char(o, ' ');
		outbuf_str(o, name);
		outbuf_char(o, '.');
		outbuf_str(o, score_kind_name((enum score_kind)k));
		outbuf_char(o, '=');
		outbuf_u64(o, count[k]);
	}
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
    const struct score_event *e, const char *source, int lines)
{
	output_event_in(o, opt, e, source, lines, 0);
}

void
output_event_in(struct outbuf *o, const struct output_opts *opt,
    const struct score_event *e, const char *source, int lines,
    uint64_t incident)
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
		put_json_source(o, source);
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
		if (incident != 0) {
			json_key(o, "incident");
			outbuf_u64(o, incident);
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
		put_logfmt_source(o, source);
		if (e->tmpl != NULL) {
			outbuf_str(o, " template_id=");
			outbuf_u64(o, e->tmpl->id);
			outbuf_str(o, " template=");
			outbuf_logfmt(o, tt, tlen);
		}
		event_keys(o, e, lines, logfmt_number);
		if (e->kind == KIND_HELD) {
			uint64_t held[KIND_HELD + 1];
			int k;

			for (k = 0; k <= KIND_HELD; k++)
				held[k] = e->held[k];
			logfmt_kinds(o, "held", held, KIND_BURST);
		}
		if (incident != 0)
			logfmt_number(o, "incident", (double)incident);
		outbuf_str(o, lines ? " unit=lines\n" : " unit=seconds\n");
		return;
	}
	if (e->kind == KIND_HELD) {
		sgr(o, opt, SGR_FAINT);
		outbuf_str(o, "- held - ");
		outbuf_fixed(o, e->count, 0);
		outbuf_str(o, " findings held back in this window (");
		held_counts(o, e, 0);
		outbuf_char(o, ')');
		sgr_end(o, opt);
		outbuf_char(o, '\n');
		return;
	}
	sgr(o, opt, SGR_SCORE);
	outbuf_fixed(o, e->bits, 1);
	sgr_end(o, opt);
	outbuf_char(o, ' ');
	sgr_str(o, opt, kind_sgr(e->kind), score_kind_name(e->kind));
	outbuf_char(o, ' ');
	put_text_source(o, source);
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

/* An event time as people read it, in UTC: 2026-11-26T10:42:07Z. */
static void
put_iso(struct outbuf *o, double t)
{
	time_t s = (time_t)t;
	struct tm tm;
	char buf[32];
	size_t n;

	if (gmtime_r(&s, &tm) == NULL ||
	    (n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm)) == 0) {
		outbuf_fixed(o, t, 0);
		return;
	}
	outbuf_bytes(o, buf, n);
}

/*
 * A template of an incident: its id, or "source/id" with --key (ids count
 * per source), as a JSON value when json.
 */
static void
put_tref(struct outbuf *o, const struct incident *c,
    const struct incident_template *t, int json)
{
	char buf[INCIDENT_NAME_MAX + 32];
	int n;

	if (t->source < 0 || (size_t)t->source >= c->nsources) {
		outbuf_u64(o, t->id);
		return;
	}
	n = snprintf(buf, sizeof buf, "%s/%llu", c->sources[t->source],
	    (unsigned long long)t->id);
	if (n < 0 || (size_t)n >= sizeof buf)
		n = 0;
	if (json)
		outbuf_json(o, buf, (size_t)n);
	else
		outbuf_bytes(o, buf, (size_t)n);
}

/* Related pair i: its two templates and the incidents they shared,
 * joined by commas. */
static void
put_related(struct outbuf *o, const struct incident *c, size_t i, int json)
{
	put_tref(o, c, &c->templates[c->related[i].a], json);
	outbuf_char(o, ',');
	put_tref(o, c, &c->templates[c->related[i].b], json);
	outbuf_char(o, ',');
	outbuf_u64(o, c->related[i].incidents);
}

/* The first finding's template, as a template of the incident. */
static int
first_tref(const struct incident *c, struct incident_template *t)
{
	t->id = c->first.template_id;
	t->source = c->first.source != NULL ? 0 : -1;
	return t->id != 0;
}

static void
incident_by_kind(struct outbuf *o, const struct incident *c, int json)
{
	int k, first = 1;

	for (k = KIND_NEW; k <= KIND_HELD; k++) {
		if (c->by_kind[k] == 0)
			continue;
		if (json) {
			outbuf_str(o, first ? "\"" : ",\"");
			outbuf_str(o, score_kind_name((enum score_kind)k));
			outbuf_bytes(o, "\":", 2);
			outbuf_u64(o, c->by_kind[k]);
		} else {
			outbuf_str(o, first ? "" : ", ");
			outbuf_u64(o, c->by_kind[k]);
			outbuf_char(o, ' ');
			outbuf_str(o, score_kind_name((enum score_kind)k));
		}
		first = 0;
	}
}

static double
incident_duration(const struct incident *c)
{
	return c->by_time ? c->end - c->start :
	    (double)(c->last_line - c->first_line);
}

static void
incident_json(struct outbuf *o, const struct incident *c, int end)
{
	struct incident_template t;
	size_t i;

	outbuf_bytes(o, "{\"line\":", 8);
	outbuf_u64(o, end ? c->last_line : c->first_line);
	json_key(o, "score");
	outbuf_fixed(o, end ? c->peak : c->first.bits, 2);
	outbuf_str(o, end ? ",\"kind\":\"incident-end\"" :
	    ",\"kind\":\"incident\"");
	outbuf_str(o, ",\"template_id\":null,\"template\":null");
	json_key(o, "incident");
	outbuf_u64(o, c->id);
	if ((end ? c->end : c->start) != 0) {
		json_key(o, "event_time");
		put_time(o, end ? c->end : c->start);
	}
	if (!end) {
		json_key(o, "first_kind");
		outbuf_char(o, '"');
		outbuf_str(o, score_kind_name(c->first.kind));
		outbuf_char(o, '"');
		json_key(o, "first_template_id");
		if (first_tref(c, &t))
			put_tref(o, c, &t, 1);
		else
			outbuf_str(o, "null");
	} else {
		json_number(o, "first_line", (double)c->first_line);
		json_number(o, "last_line", (double)c->last_line);
		json_number(o, "duration", incident_duration(c));
		json_key(o, "unit");
		outbuf_str(o, c->by_time ? "\"seconds\"" : "\"lines\"");
		json_number(o, "findings", (double)c->findings);
		json_key(o, "by_kind");
		outbuf_char(o, '{');
		incident_by_kind(o, c, 1);
		outbuf_char(o, '}');
		json_key(o, "templates");
		outbuf_char(o, '[');
		for (i = 0; i < c->ntemplates; i++) {
			if (i > 0)
				outbuf_char(o, ',');
			put_tref(o, c, &c->templates[i], 1);
		}
		outbuf_char(o, ']');
		if (c->unnamed > 0)
			json_number(o, "unnamed_findings",
			    (double)c->unnamed);
		json_number(o, "peak_line", (double)c->peak_line);
	}
	if (c->nsources > 0) {
		json_key(o, "sources");
		outbuf_char(o, '[');
		for (i = 0; i < c->nsources; i++) {
			if (i > 0)
				outbuf_char(o, ',');
			outbuf_json(o, c->sources[i], strlen(c->sources[i]));
		}
		outbuf_char(o, ']');
		if (c->more_sources > 0)
			json_number(o, "more_sources",
			    (double)c->more_sources);
	}
	if (end && c->like != 0) {
		outbuf_str(o, ",\"like\":{\"incident\":");
		outbuf_u64(o, c->like);
		json_number(o, "shared", c->like_shared);
		json_number(o, "of", c->like_union);
		outbuf_char(o, '}');
	}
	if (end && c->nrelated > 0) {
		json_key(o, "related");
		outbuf_char(o, '[');
		for (i = 0; i < c->nrelated; i++) {
			outbuf_str(o, i > 0 ? ",[" : "[");
			put_related(o, c, i, 1);
			outbuf_char(o, ']');
		}
		outbuf_char(o, ']');
	}
	outbuf_bytes(o, "}\n", 2);
}

static void
incident_logfmt(struct outbuf *o, const struct incident *c, int end)
{
	struct incident_template t;
	size_t i;

	outbuf_str(o, "line=");
	outbuf_u64(o, end ? c->last_line : c->first_line);
	outbuf_str(o, " score=");
	outbuf_fixed(o, end ? c->peak : c->first.bits, 2);
	outbuf_str(o, end ? " kind=incident-end" : " kind=incident");
	outbuf_str(o, " incident=");
	outbuf_u64(o, c->id);
	if ((end ? c->end : c->start) != 0) {
		outbuf_str(o, " event_time=");
		put_time(o, end ? c->end : c->start);
	}
	if (!end) {
		outbuf_str(o, " first_kind=");
		outbuf_str(o, score_kind_name(c->first.kind));
		if (first_tref(c, &t)) {
			outbuf_str(o, " first_template_id=");
			put_tref(o, c, &t, 0);
		}
	} else {
		logfmt_number(o, "first_line", (double)c->first_line);
		logfmt_number(o, "last_line", (double)c->last_line);
		logfmt_number(o, "duration", incident_duration(c));
		outbuf_str(o, c->by_time ? " unit=seconds" : " unit=lines");
		logfmt_number(o, "findings", (double)c->findings);
		logfmt_kinds(o, "by_kind", c->by_kind, KIND_HELD);
		outbuf_str(o, " templates=\"");
		for (i = 0; i < c->ntemplates; i++) {
			if (i > 0)
				outbuf_char(o, ' ');
			put_tref(o, c, &c->templates[i], 0);
		}
		outbuf_char(o, '"');
		logfmt_number(o, "peak_line", (double)c->peak_line);
	}
	if (c->nsources > 0) {
		outbuf_str(o, " sources=\"");
		for (i = 0; i < c->nsources; i++) {
			if (i > 0)
				outbuf_char(o, ' ');
			outbuf_str(o, c->sources[i]);
		}
		outbuf_char(o, '"');
	}
	if (end && c->like != 0) {
		logfmt_number(o, "like", (double)c->like);
		logfmt_number(o, "like_shared", c->like_shared);
		logfmt_number(o, "like_of", c->like_union);
	}
	if (end && c->nrelated > 0) {
		outbuf_str(o, " related=\"");
		for (i = 0; i < c->nrelated; i++) {
			if (i > 0)
				outbuf_char(o, ' ');
			put_related(o, c, i, 0);
		}
		outbuf_char(o, '"');
	}
	outbuf_char(o, '\n');
}

static void
incident_text(struct outbuf *o, const struct output_opts *opt,
    const struct incident *c, int end)
{
	struct incident_template t;
	size_t i;

	sgr(o, opt, SGR_SCORE);
	outbuf_fixed(o, end ? c->peak : c->first.bits, 1);
	sgr_end(o, opt);
	outbuf_char(o, ' ');
	sgr_str(o, opt, SGR_SCORE, end ? "incident-end" : "incident");
	outbuf_char(o, ' ');
	outbuf_u64(o, c->id);
	if (!end) {
		outbuf_str(o, " at ");
		if (c->start != 0) {
			put_iso(o, c->start);
			outbuf_str(o, ", ");
		}
		outbuf_str(o, "line ");
		outbuf_u64(o, c->first_line);
		outbuf_str(o, ": first finding ");
		outbuf_str(o, score_kind_name(c->first.kind));
		if (first_tref(c, &t)) {
			outbuf_char(o, ' ');
			put_tref(o, c, &t, 0);
		}
		outbuf_char(o, '\n');
		return;
	}
	outbuf_str(o, " lasted ");
	put_duration(o, incident_duration(c), !c->by_time);
	outbuf_str(o, ", lines ");
	outbuf_u64(o, c->first_line);
	outbuf_char(o, '-');
	outbuf_u64(o, c->last_line);
	outbuf_str(o, ": ");
	outbuf_u64(o, c->findings);
	outbuf_str(o, c->findings == 1 ? " finding (" : " findings (");
	incident_by_kind(o, c, 0);
	outbuf_str(o, "), ");
	outbuf_u64(o, c->ntemplates);
	outbuf_str(o, c->ntemplates == 1 ? " template" : " templates");
	for (i = 0; i < c->ntemplates; i++) {
		outbuf_char(o, ' ');
		put_tref(o, c, &c->templates[i], 0);
	}
	if (c->unnamed > 0)
		outbuf_str(o, " and others");
	if (c->nsources > 0) {
		outbuf_str(o, c->nsources + c->more_sources == 1 ?
		    ", source" : ", sources");
		for (i = 0; i < c->nsources; i++) {
			outbuf_char(o, ' ');
			outbuf_str(o, c->sources[i]);
		}
		if (c->more_sources > 0)
			outbuf_str(o, " ...");
	}
	outbuf_str(o, ", peak at line ");
	outbuf_u64(o, c->peak_line);
	if (c->like != 0) {
		outbuf_str(o, "; like incident ");
		outbuf_u64(o, c->like);
		outbuf_str(o, ": ");
		if (c->like_shared == c->like_union)
			outbuf_str(o, "same ");
		outbuf_u64(o, c->like_shared);
		if (c->like_shared != c->like_union) {
			outbuf_str(o, " of ");
			outbuf_u64(o, c->like_union);
		}
		outbuf_str(o, c->like_union == 1 ? " template" :
		    " templates");
		if (c->like_shared != c->like_union)
			outbuf_str(o, " shared");
	}
	for (i = 0; i < c->nrelated; i++) {
		outbuf_str(o, i == 0 ? "; related " : ", ");
		put_tref(o, c, &c->templates[c->related[i].a], 0);
		outbuf_char(o, '+');
		put_tref(o, c, &c->templates[c->related[i].b], 0);
		outbuf_str(o, " (");
		outbuf_u64(o, c->related[i].incidents);
		outbuf_str(o, " incidents)");
	}
	outbuf_char(o, '\n');
}

void
output_incident(struct outbuf *o, const struct output_opts *opt,
    const struct incident *c, int end)
{
	if (opt->format == OUTPUT_JSON)
		incident_json(o, c, end);
	else if (opt->format == OUTPUT_LOGFMT)
		incident_logfmt(o, c, end);
	else
		incident_text(o, opt, c, end);
}

void
output_template(struct outbuf *o, const struct output_opts *opt,
    struct template *t, const char *source)
{
	const char *tt;
	size_t tlen;

	tt = template_text(t, &tlen);
	if (opt->format == OUTPUT_LOGFMT) {
		if (source != NULL) {
			outbuf_bytes(o, "source=", 7);
			outbuf_logfmt(o, source, strlen(source));
			outbuf_char(o, ' ');
		}
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
		outbuf_char(o, '{');
		if (source != NULL) {
			outbuf_bytes(o, "\"source\":", 9);
			outbuf_json(o, source, strlen(source));
			outbuf_char(o, ',');
		}
		outbuf_bytes(o, "\"template_id\":", 14);
		outbuf_u64(o, t->id);
		json_key(o, "count");
		outbuf_u64(o, t->count);
		json_key(o, "template");
		outbuf_json(o, tt, tlen);
		outbuf_bytes(o, "}\n", 2);
		return;
	}
	put_text_source(o, source);
	outbuf_u64(o, t->id);
	outbuf_char(o, '\t');
	outbuf_u64(o, t->count);
	outbuf_char(o, '\t');
	outbuf_bytes(o, tt, tlen);
	outbuf_char(o, '\n');
}
