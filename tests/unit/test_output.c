/*
 * Unit tests for output.c: the record layouts, including the keys that
 * appear only when they apply (event_time, record, end_line, context,
 * incident), multi-line records, context and incident records.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "incident.h"
#include "outbuf.h"
#include "output.h"
#include "reader.h"
#include "record.h"
#include "score.h"
#include "template.h"
#include "tokenize.h"

static char got[4096];

/* What o wrote to f, as a string in got. */
static const char *
written(FILE *f, struct outbuf *o)
{
	ssize_t n;

	assert_int_equal(outbuf_flush(o), 0);
	outbuf_free(o);
	lseek(fileno(f), 0, SEEK_SET);
	n = read(fileno(f), got, sizeof got - 1);
	assert_true(n >= 0);
	got[n] = '\0';
	fclose(f);
	return got;
}

static const char *
render_opts(const struct output_opts *opt, const struct output_input *in,
    const struct verdict *v)
{
	FILE *f = tmpfile();
	struct outbuf *o;

	assert_non_null(f);
	o = outbuf_new(fileno(f));
	output_line(o, opt, in, v);
	return written(f, o);
}

static const char *
render(enum output_format fmt, int all, const struct output_input *in,
    const struct verdict *v)
{
	struct output_opts opt;
	FILE *f = tmpfile();
	struct outbuf *o;
	ssize_t n;

	memset(&opt, 0, sizeof opt);
	opt.format = fmt;
	opt.all = all;
	assert_non_null(f);
	o = outbuf_new(fileno(f));
	output_line(o, &opt, in, v);
	assert_int_equal(outbuf_flush(o), 0);
	outbuf_free(o);
	lseek(fileno(f), 0, SEEK_SET);
	n = read(fileno(f), got, sizeof got - 1);
	assert_true(n >= 0);
	got[n] = '\0';
	fclose(f);
	return got;
}

static void
setup(struct line *ln, struct output_input *in, struct verdict *v,
    char *text)
{
	memset(ln, 0, sizeof *ln);
	memset(in, 0, sizeof *in);
	memset(v, 0, sizeof *v);
	ln->text = text;
	ln->len = strlen(text);
	in->line = ln;
	in->msg = text;
	in->msglen = ln->len;
	v->line = 7;
	v->score.bits = 12.345;
	v->score.kind = KIND_NEW;
	v->flagged = 1;
}

static void
test_plain(void **state)
{
	char text[] = "disk on fire";
	struct output_input in;
	struct verdict v;
	struct line ln;

	setup(&ln, &in, &v, text);
	assert_string_equal(render(OUTPUT_JSON, 0, &in, &v),
	    "{\"line\":7,\"score\":12.35,\"kind\":\"new\",\"template_id\":null,"
	    "\"template\":null,\"text\":\"disk on fire\"}\n");
	assert_string_equal(render(OUTPUT_LOGFMT, 1, &in, &v),
	    "line=7 score=12.35 kind=new text=\"disk on fire\" flagged=true\n");
	assert_string_equal(render(OUTPUT_TEXT, 0, &in, &v),
	    "12.3 new - disk on fire\n");
}

static void
test_event_time_and_record(void **state)
{
	char text[] = "{\"msg\":\"a \\\"b\\\"\",\"time\":\"x\"}";
	struct output_input in;
	struct verdict v;
	struct line ln;

	setup(&ln, &in, &v, text);
	in.file = "f.log";
	in.input_line = 2;
	in.msg = "a \"b\"";
	in.msglen = 5;
	in.record = 1;
	v.time = 1795651200.25;
	assert_string_equal(render(OUTPUT_JSON, 0, &in, &v),
	    "{\"line\":7,\"file\":\"f.log\",\"file_line\":2,"
	    "\"score\":12.35,\"kind\":\"new\","
	    "\"template_id\":null,\"template\":null,\"text\":\"a \\\"b\\\"\","
	    "\"event_time\":1795651200.250,"
	    "\"record\":{\"msg\":\"a \\\"b\\\"\",\"time\":\"x\"}}\n");
	assert_string_equal(render(OUTPUT_LOGFMT, 0, &in, &v),
	    "line=7 file=f.log file_line=2 score=12.35 kind=new "
	    "text=\"a \\\"b\\\"\" "
	    "event_time=1795651200.250 "
	    "record=\"{\\\"msg\\\":\\\"a \\\\\\\"b\\\\\\\"\\\",\\\"time\\\":\\\"x\\\"}\"\n");
	/* Text output prints the line as read. */
	assert_string_equal(render(OUTPUT_TEXT, 0, &in, &v),
	    "12.3 new - {\"msg\":\"a \\\"b\\\"\",\"time\":\"x\"}\n");
}

static const char *
render_event(enum output_format fmt, const struct score_event *e)
{
	struct output_opts opt;
	FILE *f = tmpfile();
	struct outbuf *o;

	memset(&opt, 0, sizeof opt);
	opt.format = fmt;
	assert_non_null(f);
	o = outbuf_new(fileno(f));
	output_event(o, &opt, e, NULL, 0);
	return written(f, o);
}

/*
 * Any double prints without undefined behaviour: numbers past what a
 * long long holds, NaN, negative and endless durations (found by
 * fuzzing the state loader, whose records carry what a file said).
 */
static void
test_event_extremes(void **state)
{
	static struct tokens tk;
	struct score_event e;
	struct template *t;

	tokenize("disk on fire", 12, &tk);
	t = template_new(3, &tk);
	memset(&e, 0, sizeof e);
	e.kind = KIND_BURST_END;
	e.tmpl = t;
	e.line = 9;
	e.first_line = UINT64_MAX;
	e.last_line = 9;
	e.bits = INFINITY;
	e.count = 2.5e250;
	e.expected = NAN;
	e.duration = -5;
	assert_string_equal(render_event(OUTPUT_JSON, &e),
	    "{\"line\":9,\"score\":1000000000000.00,\"kind\":\"burst-end\","
	    "\"template_id\":3,\"template\":\"disk on fire\","
	    "\"count\":1000000000000,\"expected\":0.00,\"duration\":-5,"
	    "\"first_line\":1000000000000,\"last_line\":9,"
	    "\"unit\":\"seconds\"}\n");
	assert_string_equal(render_event(OUTPUT_TEXT, &e),
	    "1000000000000.0 burst-end 3 1000000000000 lines in 0s "
	    "(0.0 expected), lines 18446744073709551615-9: disk on fire\n");
	e.kind = KIND_SILENCE;
	e.duration = 1e300;
	e.expected = -INFINITY;
	assert_string_equal(render_event(OUTPUT_LOGFMT, &e),
	    "line=9 score=1000000000000.00 kind=silence template_id=3 "
	    "template=\"disk on fire\" quiet=1000000000000 gap=-1000000000000 "
	    "last_line=9 unit=seconds\n");
	assert_string_equal(render_event(OUTPUT_TEXT, &e),
	    "1000000000000.0 silence 3 no line for 277777777h46m (one every "
	    "0s before), last at line 9: disk on fire\n");
	template_free(t);
}

/* A stack trace is one record: its lines as read, or joined. */
static void
test_multiline(void **state)
{
	char text[] = "ERROR failed\n\tat a.B.c(B.java:1)\nCaused by: x.Y";
	const unsigned char crlf[] = { 0, 1, 0 };
	struct output_opts opt;
	struct output_input in;
	struct record rec;
	struct verdict v;
	struct line ln;

	setup(&ln, &in, &v, text);
	memset(&rec, 0, sizeof rec);
	rec.text = text;
	rec.len = strlen(text);
	rec.first_len = ln.len = 12;
	rec.nlines = 3;
	rec.crlf = crlf;
	in.rec = &rec;
	memset(&opt, 0, sizeof opt);
	opt.multiline = 1;
	/* Text: the fields on the first line, the others as read. */
	assert_string_equal(render_opts(&opt, &in, &v),
	    "12.3 new - ERROR failed\n\tat a.B.c(B.java:1)\r\n"
	    "Caused by: x.Y\n");
	opt.format = OUTPUT_JSON;
	assert_string_equal(render_opts(&opt, &in, &v),
	    "{\"line\":7,\"score\":12.35,\"kind\":\"new\",\"template_id\":null,"
	    "\"template\":null,\"text\":\"ERROR failed\\n\\tat a.B.c(B.java:1)"
	    "\\nCaused by: x.Y\",\"end_line\":9}\n");
}

/* Context is marked as grep marks it; JSON says so, with the template
 * given, and without evidence. */
static void
test_context(void **state)
{
	char text[] = "all quiet";
	struct output_opts opt;
	struct output_input in;
	struct verdict v;
	struct line ln;

	setup(&ln, &in, &v, text);
	v.score.kind = KIND_NORMAL;
	v.score.bits = 1;
	v.flagged = 0;
	in.context = 1;
	in.tmpl_given = 1;
	in.tmpl_id = 4;
	in.tmpl_text = "all <*>";
	in.tmpl_len = 7;
	in.file = "a.log";
	in.input_line = 3;
	in.incident = 2;
	memset(&opt, 0, sizeof opt);
	opt.with_filename = 1;
	opt.explain = 1;
	assert_string_equal(render_opts(&opt, &in, &v),
	    "a.log-- context 4 all quiet\n");
	in.context = 0;
	opt.explain = 0;
	assert_string_equal(render_opts(&opt, &in, &v),
	    "a.log:1.0 normal 4 all quiet\n");
	/* -n: the line's number in its file, marked as grep -n marks it. */
	opt.line_number = 1;
	assert_string_equal(render_opts(&opt, &in, &v),
	    "a.log:3:1.0 normal 4 all quiet\n");
	in.context = 1;
	assert_string_equal(render_opts(&opt, &in, &v),
	    "a.log-3-- context 4 all quiet\n");
	opt.with_filename = 0;
	assert_string_equal(render_opts(&opt, &in, &v),
	    "3-- context 4 all quiet\n");
	opt.with_filename = 1;
	opt.line_number = 0;
	opt.format = OUTPUT_JSON;
	opt.explain = 1;
	assert_string_equal(render_opts(&opt, &in, &v),
	    "{\"line\":7,\"file\":\"a.log\",\"file_line\":3,"
	    "\"score\":1.00,\"kind\":\"normal\","
	    "\"template_id\":4,\"template\":\"all <*>\",\"text\":\"all quiet\","
	    "\"context\":true,\"incident\":2}\n");
}

static const char *
render_incident(enum output_format fmt, const struct incident *c, int end)
{
	struct output_opts opt;
	FILE *f = tmpfile();
	struct outbuf *o;

	memset(&opt, 0, sizeof opt);
	opt.format = fmt;
	assert_non_null(f);
	o = outbuf_new(fileno(f));
	output_incident(o, &opt, c, end);
	return written(f, o);
}

static void
test_incident(void **state)
{
	static struct incident c;

	memset(&c, 0, sizeof c);
	c.id = 2;
	c.by_time = 1;
	c.first_line = 100;
	c.last_line = 140;
	c.start = 1795683000;
	c.end = 1795683042;
	c.findings = 3;
	c.by_kind[KIND_NEW] = 2;
	c.by_kind[KIND_BURST] = 1;
	c.peak = 21.25;
	c.peak_line = 120;
	c.first.kind = KIND_NEW;
	c.first.bits = 14;
	c.first.template_id = 7;
	c.templates[0].id = 7;
	c.templates[0].source = -1;
	c.templates[1].id = 9;
	c.templates[1].source = -1;
	c.ntemplates = 2;
	c.like = 1;
	c.like_shared = c.like_union = 2;
	c.related[0].a = 0;
	c.related[0].b = 1;
	c.related[0].incidents = 2;
	c.nrelated = 1;
	assert_string_equal(render_incident(OUTPUT_TEXT, &c, 0),
	    "14.0 incident 2 at 2026-11-26T08:50:00Z, line 100: first "
	    "finding new 7\n");
	assert_string_equal(render_incident(OUTPUT_TEXT, &c, 1),
	    "21.3 incident-end 2 lasted 42s, lines 100-140: 3 findings "
	    "(2 new, 1 burst), 2 templates 7 9, peak at line 120; like "
	    "incident 1: same 2 templates; related 7+9 (2 incidents)\n");
	assert_string_equal(render_incident(OUTPUT_JSON, &c, 0),
	    "{\"line\":100,\"score\":14.00,\"kind\":\"incident\","
	    "\"template_id\":null,\"template\":null,\"incident\":2,"
	    "\"event_time\":1795683000.000,\"first_kind\":\"new\","
	    "\"first_template_id\":7}\n");
	assert_string_equal(render_incident(OUTPUT_JSON, &c, 1),
	    "{\"line\":140,\"score\":21.25,\"kind\":\"incident-end\","
	    "\"template_id\":null,\"template\":null,\"incident\":2,"
	    "\"event_time\":1795683042.000,\"first_line\":100,"
	    "\"last_line\":140,\"duration\":42,\"unit\":\"seconds\","
	    "\"findings\":3,\"by_kind\":{\"new\":2,\"burst\":1},"
	    "\"templates\":[7,9],\"peak_line\":120,"
	    "\"like\":{\"incident\":1,\"shared\":2,\"of\":2},"
	    "\"related\":[[7,9,2]]}\n");
	/* With sources, templates are source/id, and sources are listed. */
	strcpy(c.sources[0], "web-1");
	strcpy(c.sources[1], "db");
	c.nsources = 2;
	c.templates[0].source = 0;
	c.templates[1].source = 1;
	c.first.source = c.sources[0];
	c.like = 0;
	c.nrelated = 0;
	c.by_time = 0;
	c.start = c.end = 0;
	assert_string_equal(render_incident(OUTPUT_TEXT, &c, 0),
	    "14.0 incident 2 at line 100: first finding new web-1/7\n");
	assert_string_equal(render_incident(OUTPUT_TEXT, &c, 1),
	    "21.3 incident-end 2 lasted 40 lines, lines 100-140: 3 findings "
	    "(2 new, 1 burst), 2 templates web-1/7 db/9, sources web-1 db, "
	    "peak at line 120\n");
	assert_string_equal(render_incident(OUTPUT_LOGFMT, &c, 1),
	    "line=140 score=21.25 kind=incident-end incident=2 first_line=100 "
	    "last_line=140 duration=40 unit=lines findings=3 by_kind.new=2 "
	    "by_kind.burst=1 templates=\"web-1/7 db/9\" peak_line=120 "
	    "sources=\"web-1 db\"\n");
}

/* The evidence's p has two significant digits, as the score has them,
 * and a finding not printed says why. */
static void
test_evidence_p_and_hold(void **state)
{
	static const struct { double p; const char *want; } ps[] = {
		{ 0.5, "0.50" }, { 0.0128, "0.013" }, { 0.00128, "0.0013" },
		{ 0.000128, "1.3e-04" }
	};
	char text[] = "backup started", want[128];
	struct output_opts opt;
	struct output_input in;
	struct verdict v;
	struct line ln;
	size_t i;

	(void)state;
	setup(&ln, &in, &v, text);
	memset(&opt, 0, sizeof opt);
	opt.explain = 1;
	v.score.kind = KIND_RARE;
	v.score.bits = 9.6;
	v.score.ev.total = 3;
	for (i = 0; i < sizeof ps / sizeof ps[0]; i++) {
		v.score.ev.p = ps[i].p;
		snprintf(want, sizeof want, "9.6 rare - [p=%s, 3 seen] "
		    "backup started\n", ps[i].want);
		assert_string_equal(render_opts(&opt, &in, &v), want);
	}
	v.flagged = 0;
	v.score.suppressed = HOLD_REPEAT;
	assert_string_equal(render_opts(&opt, &in, &v),
	    "9.6 rare - [p=1.3e-04, 3 seen, repeat not printed] "
	    "backup started\n");
	v.score.kind = KIND_BURST;
	v.score.suppressed = HOLD_BURST;
	v.score.ev.window_count = 9;
	v.score.ev.expected = 0.5;
	assert_string_equal(render_opts(&opt, &in, &v),
	    "9.6 burst - [p=1.3e-04, 9 in window, 0.50 expected, in its "
	    "burst, not printed] backup started\n");
	/* A new line's unseen words, one or more. */
	v.score.kind = KIND_NEW;
	v.score.suppressed = HOLD_NONE;
	v.flagged = 1;
	v.score.ev.unseen_words = 1;
	assert_string_equal(render_opts(&opt, &in, &v),
	    "9.6 new - [p=1.3e-04, 1 unseen word] backup started\n");
	v.score.ev.unseen_words = 2;
	assert_string_equal(render_opts(&opt, &in, &v),
	    "9.6 new - [p=1.3e-04, 2 unseen words] backup started\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_event_time_and_record),
		cmocka_unit_test(test_event_extremes),
		cmocka_unit_test(test_multiline),
		cmocka_unit_test(test_context),
		cmocka_unit_test(test_evidence_p_and_hold),
		cmocka_unit_test(test_incident),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
