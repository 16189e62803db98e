/*
 * Record layouts.  Text: "SCORE KIND TEMPLATE-ID LINE", the line exactly
 * as read (a CRLF line keeps its CR), with "FILE:" in front when file
 * names are shown.  JSON: one object per line with the keys line, file
 * (when reading a file), score, kind, template_id, template and text,
 * plus flagged with --all.  The JSON keys are a contract other programs
 * rely on: add keys, never rename or drop one.
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

void
output_line(struct outbuf *o, const struct output_opts *opt, const char *file,
    const struct line *ln, const struct verdict *v)
{
	const char *tt;
	size_t tlen;

	if (opt->format == OUTPUT_JSON) {
		outbuf_bytes(o, "{\"line\":", 8);
		outbuf_u64(o, v->line);
		if (file != NULL) {
			json_key(o, "file");
			outbuf_json(o, file, strlen(file));
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
		outbuf_json(o, ln->text, ln->len);
		if (opt->all) {
			json_key(o, "flagged");
			outbuf_str(o, v->flagged ? "true" : "false");
		}
		outbuf_bytes(o, "}\n", 2);
		return;
	}
	if (opt->with_filename) {
		outbuf_str(o, file != NULL ? file : "(standard input)");
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
