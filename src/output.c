/*
 * Record layouts.  Text: "SCORE KIND TEMPLATE-ID LINE", the line exactly
 * as read (a CRLF line keeps its CR), with "FILE:" in front when file
 * names are shown.  JSON: one object per line with the keys line, file
 * (when reading a file), score, kind, template_id, template and text,
 * plus flagged with --all, event_time when the engine knows it, and
 * record, the input's own JSON object untouched, with JSON lines input.
 * There is never a top-level "time" key: fluent-bit's stock "json"
 * parser would take it for the record's time and fail on every line.
 * logfmt: the same keys as key=value pairs.  The keys are a contract
 * other programs rely on: add keys, never rename or drop one.
 */
#include "config.h"

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
	outbuf_bytes(o, ln->text, ln->len);
	if (ln->crlf)
		outbuf_char(o, '\r');
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
