/* Unit tests for format.c: Loghub formats, regex formats, errors. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

static struct span content, fields[FORMAT_MAX_FIELDS];

static int
split(struct format *f, const char *s)
{
	return format_split(f, s, strlen(s), &content, fields);
}

static void
assert_span(struct span sp, const char *want)
{
	assert_non_null(sp.p);
	assert_int_equal(sp.len, strlen(want));
	assert_memory_equal(sp.p, want, sp.len);
}

static void
test_loghub_hdfs(void **state)
{
	struct format *f;
	char *cause = NULL;

	f = format_compile("<Date> <Time> <Pid> <Level> <Component>: "
	    "<Content>", &cause);
	assert_non_null(f);
	assert_int_equal(format_nfields(f), 6);
	assert_true(split(f, "081109 203615 148 INFO dfs.DataNode$Packet"
	    "Responder: PacketResponder 1 for block blk_38 terminating"));
	assert_span(content, "PacketResponder 1 for block blk_38 "
	    "terminating");
	assert_span(fields[format_field_index(f, "level")], "INFO");
	assert_span(fields[format_field_index(f, "Component")],
	    "dfs.DataNode$PacketResponder");
	/* Not the format: the caller parses the whole line. */
	assert_false(split(f, "garbage"));
	format_free(f);
}

static void
test_loghub_optional_group(void **state)
{
	struct format *f;
	char *cause = NULL;
	int pid;

	f = format_compile("<Month> <Date> <Time> <Level> "
	    "<Component>(\\[<PID>\\])?: <Content>", &cause);
	assert_non_null(f);
	pid = format_field_index(f, "PID");
	assert_true(split(f, "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: "
	    "check pass; user unknown"));
	assert_span(fields[pid], "19939");
	assert_span(content, "check pass; user unknown");
	assert_true(split(f, "Jun 15 04:06:18 combo su: session opened"));
	assert_null(fields[pid].p);
	assert_span(fields[format_field_index(f, "Component")], "su");
	format_free(f);
}

static void
test_spaces_match_runs(void **state)
{
	struct format *f;
	char *cause = NULL;

	f = format_compile("<Time> <Level> <Content>", &cause);
	assert_non_null(f);
	assert_true(split(f, "10:00   WARN    disk  almost full"));
	assert_span(content, "disk  almost full");
	format_free(f);
}

static void
test_regex_format(void **state)
{
	struct format *f;
	char *cause = NULL;

	f = format_compile_regex("^(?<time>\\S+) (?<content>.*)$", &cause);
	assert_non_null(f);
	assert_true(split(f, "12:00:01 hello there"));
	assert_span(content, "hello there");
	format_free(f);
}

static void
test_errors(void **state)
{
	char *cause = NULL;

	assert_null(format_compile("<Date> <Time>", &cause));
	assert_non_null(strstr(cause, "no Content field"));
	free(cause);
	cause = NULL;
	assert_null(format_compile("<Date> (<Content>", &cause));
	assert_non_null(strstr(cause, "invalid format"));
	assert_non_null(strstr(cause, "offset"));
	free(cause);
	cause = NULL;
	assert_null(format_compile("<A> <A> <Content>", &cause));
	assert_non_null(strstr(cause, "twice"));
	free(cause);
	cause = NULL;
	assert_null(format_compile_regex("(?<x>a)", &cause));
	assert_non_null(strstr(cause, "no Content field"));
	free(cause);
}

static void
test_binary_line(void **state)
{
	struct format *f;
	char *cause = NULL;
	const char line[] = "t1 \0\xff bytes";

	f = format_compile("<Time> <Content>", &cause);
	assert_non_null(f);
	assert_true(format_split(f, line, sizeof line - 1, &content, fields));
	assert_int_equal(content.len, sizeof line - 1 - 3);
	format_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loghub_hdfs),
		cmocka_unit_test(test_loghub_optional_group),
		cmocka_unit_test(test_spaces_match_runs),
		cmocka_unit_test(test_regex_format),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_binary_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
