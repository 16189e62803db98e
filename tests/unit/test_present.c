/*
 * Unit tests for present.c: the order of what is printed when findings
 * have context and make incidents, where "--" goes, and --all.
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
#include "incident.h"
#include "outbuf.h"
#include "output.h"
#include "present.h"
#include "reader.h"

static char got[8192];

/*
 * Records 1..n, "l1" ... "ln", findings where flags[i] is '!', through a
 * presenter with before, after and an incident gap of gap lines (0: no
 * incidents); returns what was printed.
 */
static const char *
present(const char *flags, unsigned before, unsigned after, double gap,
    int all)
{
	struct incident_params ip;
	struct present_params pp;
	struct output_opts opt;
	struct output_input in;
	struct presenter *p;
	struct verdict v;
	struct line ln;
	struct outbuf *o;
	char text[32];
	FILE *f = tmpfile();
	size_t i;
	ssize_t n;

	assert_non_null(f);
	o = outbuf_new(fileno(f));
	memset(&opt, 0, sizeof opt);
	opt.all = all;
	memset(&pp, 0, sizeof pp);
	pp.before = before;
	pp.after = after;
	pp.context = before > 0 || after > 0;
	ip.gap = gap;
	ip.gap_lines = 1;
	pp.incidents = gap > 0 ? &ip : NULL;
	p = present_new(o, &opt, &pp);
	for (i = 0; flags[i] != '\0'; i++) {
		snprintf(text, sizeof text, "l%zu", i + 1);
		memset(&in, 0, sizeof in);
		memset(&v, 0, sizeof v);
		memset(&ln, 0, sizeof ln);
		ln.text = text;
		ln.len = strlen(text);
		in.line = &ln;
		in.msg = text;
		in.msglen = ln.len;
		v.line = i + 1;
		v.flagged = flags[i] == '!';
		v.score.bits = v.flagged ? 12 : 1;
		v.score.kind = v.flagged ? KIND_NEW : KIND_NORMAL;
		present_record(p, &in, &v);
	}
	present_finish(p);
	present_free(p);
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
test_context(void **state)
{
	assert_string_equal(present("..!....!.", 1, 1, 0, 0),
	    "- context - l2\n"
	    "12.0 new - l3\n"
	    "- context - l4\n"
	    "--\n"
	    "- context - l7\n"
	    "12.0 new - l8\n"
	    "- context - l9\n");
	/* Groups that touch have no "--" between them. */
	assert_string_equal(present("!..!", 1, 1, 0, 0),
	    "12.0 new - l1\n"
	    "- context - l2\n"
	    "- context - l3\n"
	    "12.0 new - l4\n");
	/* Without context, findings only. */
	assert_string_equal(present("..!..", 0, 0, 0, 0), "12.0 new - l3\n");
}

/* An incident's header comes before the before-context, after "--". */
static void
test_incidents(void **state)
{
	assert_string_equal(present("..!....!.", 1, 1, 3, 0),
	    "12.0 incident 1 at line 3: first finding new\n"
	    "- context - l2\n"
	    "12.0 new - l3\n"
	    "- context - l4\n"
	    "12.0 incident-end 1 lasted 0 lines, lines 3-3: 1 finding "
	    "(1 new), 0 templates, peak at line 3\n"
	    "--\n"
	    "12.0 incident 2 at line 8: first finding new\n"
	    "- context - l7\n"
	    "12.0 new - l8\n"
	    "- context - l9\n"
	    "12.0 incident-end 2 lasted 0 lines, lines 8-8: 1 finding "
	    "(1 new), 0 templates, peak at line 8\n");
}

/* With --all, every record once, and no incident records. */
static void
test_all(void **state)
{
	assert_string_equal(present(".!.", 1, 1, 3, 1),
	    "1.0 normal - l1\n"
	    "12.0 new - l2\n"
	    "1.0 normal - l3\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_context),
		cmocka_unit_test(test_incidents),
		cmocka_unit_test(test_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
