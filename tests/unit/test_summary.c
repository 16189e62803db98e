/*
 * Unit tests for summary.c: counts, the shared histogram axis and its
 * merging, late templates, event time, and what the report shows.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "outbuf.h"
#include "summary.h"
#include "template.h"

static char got[1 << 16];

static struct engine *
new_engine(void)
{
	struct engine_params p;
	char *cause = NULL;

	memset(&p, 0, sizeof p);
	p.drain.depth = DRAIN_DEFAULT_DEPTH;
	p.drain.similarity = DRAIN_DEFAULT_SIMILARITY;
	p.drain.max_children = DRAIN_DEFAULT_MAX_CHILDREN;
	p.scorer.threshold = SCORE_DEFAULT_THRESHOLD;
	p.learn = 1;
	return engine_new(&p, &cause);
}

/* Judge line and count it; time, when not 0, stands in for event time. */
static void
feed(struct engine *e, struct summary *s, const char *line, double time)
{
	struct verdict v;

	engine_line(e, line, strlen(line), NULL, &v);
	if (time != 0)
		v.time = time;
	summary_line(s, &v);
}

static const char *
report(struct summary *s, struct engine *e, int ascii)
{
	FILE *f = tmpfile();
	struct outbuf *o;
	ssize_t n;

	assert_non_null(f);
	o = outbuf_new(fileno(f));
	summary_print(s, o, e, NULL, ascii);
	assert_int_equal(outbuf_flush(o), 0);
	outbuf_free(o);
	lseek(fileno(f), 0, SEEK_SET);
	n = read(fileno(f), got, sizeof got - 1);
	assert_true(n >= 0);
	got[n] = '\0';
	fclose(f);
	return got;
}

/* The sparkline of the row whose template text starts with tmpl. */
static const char *
sparkline_of(const char *tmpl)
{
	static char line[512];
	const char *p = strstr(got, tmpl), *bar, *start;

	assert_non_null(p);
	start = p;
	while (start > got && start[-1] != '\n')
		start--;
	bar = strchr(start, '|');
	assert_non_null(bar);
	memcpy(line, bar + 1, (size_t)(p - 3 - bar));
	line[p - 3 - bar] = '\0';
	return line;
}

static void
test_counts_and_axis(void **state)
{
	struct engine *e = new_engine();
	struct summary *s = summary_new();
	char line[128];
	int i;

	for (i = 1; i <= 1000; i++) {
		snprintf(line, sizeof line, "worker %d finished job %d", i % 7, i);
		feed(e, s, line, 0);
		if (i == 100)
			feed(e, s, "early bird sings at dawn", 0);
	}
	for (i = 0; i < 5; i++)
		feed(e, s, "disk quota exceeded for volume home", 0);

	report(s, e, 0);
	assert_non_null(strstr(got, "  lines read     1006\n"));
	assert_non_null(strstr(got, "  templates      3\n"));
	/* 1006 lines in at most 32 columns: each column 32 lines. */
	assert_non_null(strstr(got, "  axis           line 1 to line 1006, "
	    "32 lines a column\n"));
	/* The busy template fills every column; the late one only its last. */
	assert_string_equal(sparkline_of("worker <*> finished"),
	    "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
	    "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
	    "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
	    "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
	    "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
	    "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
	    "\xe2\x96\x88\xe2\x96\x83");
	assert_non_null(strstr(got, "first seen late"));
	assert_non_null(strstr(got, " line 1002      3 |"));
	/* The early one is not late. */
	assert_null(strstr(strstr(got, "first seen late"), "early bird"));

	/* ASCII: the same, without a byte outside ASCII. */
	report(s, e, 1);
	for (i = 0; got[i] != '\0'; i++)
		assert_true((unsigned char)got[i] < 0x80);
	assert_string_equal(sparkline_of("disk quota"),
	    "                               @");
	summary_free(s);
	engine_free(e);
}

static void
test_event_time(void **state)
{
	struct engine *e = new_engine();
	struct summary *s = summary_new();
	double t0 = 1795651200;	/* 2026-11-26T00:00:00Z */
	int i;

	for (i = 0; i < 3600; i++)
		feed(e, s, "heartbeat ok", t0 + i);
	/* No time: counts at the latest time seen. */
	feed(e, s, "no timestamp here at all", 0);
	/* Before the start: the first column. */
	feed(e, s, "clock skew from the past", t0 - 100);
	report(s, e, 1);
	assert_non_null(strstr(got, "  axis           2026-11-26T00:00:00Z to "
	    "2026-11-26T00:59:59Z, 2m a column\n"));
	/* An hour in 128-second columns: 29 of them. */
	assert_string_equal(sparkline_of("no timestamp"),
	    "                            @");
	assert_string_equal(sparkline_of("clock skew"),
	    "@                            ");
	assert_non_null(strstr(got, " 2026-11-26T00:59:59Z      2 |"));
	summary_free(s);
	engine_free(e);
}

static void
test_hostile_template_text(void **state)
{
	struct engine *e = new_engine();
	struct summary *s = summary_new();

	feed(e, s, "escape \033[2J clears \007 the screen", 0);
	/* A euro sign in bytes 58 to 60, across the 60-byte cut. */
	feed(e, s, "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk "
	    "lmn\xe2\x82\xac and more words after the cut", 0);
	report(s, e, 0);
	assert_null(strchr(got, '\033'));
	assert_null(strchr(got, '\007'));
	assert_non_null(strstr(got, "escape ?[<*> clears ? the screen"));
	/* Cut at 60 bytes, on a character boundary, with an ellipsis. */
	assert_non_null(strstr(got, " kkkk lmn\xe2\x80\xa6\n"));
	report(s, e, 1);
	assert_non_null(strstr(got, " kkkk lmn...\n"));
	summary_free(s);
	engine_free(e);
}

/* Ids past the cap are counted but get no row: memory stays bounded. */
static void
test_bounded(void **state)
{
	struct summary *s = summary_new();
	struct template t;
	struct verdict v;
	uint64_t i;

	memset(&t, 0, sizeof t);
	memset(&v, 0, sizeof v);
	v.tmpl = &t;
	for (i = 1; i <= 100000; i++) {
		t.id = i * 7;
		v.line = i;
		summary_line(s, &v);
	}
	v.tmpl = NULL;
	summary_line(s, &v);
	summary_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_and_axis),
		cmocka_unit_test(test_event_time),
		cmocka_unit_test(test_hostile_template_text),
		cmocka_unit_test(test_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
