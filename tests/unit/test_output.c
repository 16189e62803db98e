/*
 * Unit tests for output.c: the record layouts, including the keys that
 * appear only when they apply (event_time, record).
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
#include "outbuf.h"
#include "output.h"
#include "reader.h"
#include "score.h"
#include "template.h"
#include "tokenize.h"

static char got[4096];

static const char *
render(enum output_format fmt, int all, const struct output_input *in,
    const struct verdict *v)
{
	struct output_opts opt = { fmt, all, 0, 0 };
	FILE *f = tmpfile();
	struct outbuf *o;
	ssize_t n;

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
	in.msg = "a \"b\"";
	in.msglen = 5;
	in.record = 1;
	v.time = 1795651200.25;
	assert_string_equal(render(OUTPUT_JSON, 0, &in, &v),
	    "{\"line\":7,\"file\":\"f.log\",\"score\":12.35,\"kind\":\"new\","
	    "\"template_id\":null,\"template\":null,\"text\":\"a \\\"b\\\"\","
	    "\"event_time\":1795651200.250,"
	    "\"record\":{\"msg\":\"a \\\"b\\\"\",\"time\":\"x\"}}\n");
	assert_string_equal(render(OUTPUT_LOGFMT, 0, &in, &v),
	    "line=7 file=f.log score=12.35 kind=new text=\"a \\\"b\\\"\" "
	    "event_time=1795651200.250 "
	    "record=\"{\\\"msg\\\":\\\"a \\\\\\\"b\\\\\\\"\\\",\\\"time\\\":\\\"x\\\"}\"\n");
	/* Text output prints the line as read. */
	assert_string_equal(render(OUTPUT_TEXT, 0, &in, &v),
	    "12.3 new - {\"msg\":\"a \\\"b\\\"\",\"time\":\"x\"}\n");
}

static const char *
render_event(enum output_format fmt, const struct score_event *e)
{
	struct output_opts opt = { fmt, 0, 0, 0 };
	FILE *f = tmpfile();
	struct outbuf *o;
	ssize_t n;

	assert_non_null(f);
	o = outbuf_new(fileno(f));
	output_event(o, &opt, e, 0);
	assert_int_equal(outbuf_flush(o), 0);
	outbuf_free(o);
	lseek(fileno(f), 0, SEEK_SET);
	n = read(fileno(f), got, sizeof got - 1);
	assert_true(n >= 0);
	got[n] = '\0';
	fclose(f);
	return got;
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_event_time_and_record),
		cmocka_unit_test(test_event_extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
