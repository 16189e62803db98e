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
	assert_non_null(strstr(cause, "--format: "));
	/* The group is open at the end of the format, 17 bytes in. */
	assert_non_null(strstr(cause, "at offset 17"));
	free(cause);
	cause = NULL;
	assert_null(format_compile("<A> <A> <Content>", &cause));
	assert_non_null(strstr(cause, "twice"));
	free(cause);
	cause = NULL;
	/* A \ at the end would escape the "$" after it: no line matches. */
	assert_null(format_compile("<Date> <Content>\\", &cause));
	assert_non_null(strstr(cause, "--format: \\ at the end"));
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

static void
test_presets(void **state)
{
	struct format *f;
	char *cause = (char *)"stale";

	/* Not a preset: NULL and no cause. */
	assert_null(format_compile_preset("<Date> <Content>", &cause));
	assert_null(cause);

	f = format_compile_preset("syslog", &cause);
	assert_non_null(f);
	assert_true(split(f, "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: "
	    "check pass; user unknown"));
	assert_span(content, "check pass; user unknown");
	assert_span(fields[format_field_index(f, "time")], "Jun 14 15:16:01");
	assert_span(fields[format_field_index(f, "host")], "combo");
	assert_span(fields[format_field_index(f, "source")],
	    "sshd(pam_unix)");
	assert_span(fields[format_field_index(f, "pid")], "19939");
	assert_true(split(f, "<34>Oct  1 22:14:15 mymachine su: 'su root' "
	    "failed"));
	assert_span(content, "'su root' failed");
	/* rsyslog's default file format since Debian 12. */
	assert_true(split(f, "2026-11-29T01:02:03.123456+01:00 web1 "
	    "app[12]: request ok"));
	assert_span(content, "request ok");
	assert_span(fields[format_field_index(f, "time")],
	    "2026-11-29T01:02:03.123456+01:00");
	assert_span(fields[format_field_index(f, "source")], "app");
	assert_false(split(f, "2015-10-18 18:01:47 not syslog"));
	format_free(f);

	f = format_compile_preset("rfc5424", &cause);
	assert_non_null(f);
	assert_true(split(f, "<165>1 2003-10-11T22:14:15.003Z host.example.com "
	    "evntslog - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"App\"]"
	    " An application event"));
	assert_span(content, "An application event");
	assert_span(fields[format_field_index(f, "source")], "evntslog");
	assert_true(split(f, "<34>1 2003-10-11T22:14:15.003Z mymachine su - "
	    "ID47 - 'su root' failed"));
	assert_span(content, "'su root' failed");
	assert_true(split(f, "<34>1 2003-10-11T22:14:15Z m su - - -"));
	assert_int_equal(content.len, 0);
	format_free(f);

	f = format_compile_preset("nginx", &cause);
	assert_non_null(f);
	assert_true(split(f, "93.180.71.3 - - [17/May/2015:08:05:32 +0000] "
	    "\"GET /downloads/product_1 HTTP/1.1\" 304 0 \"-\" \"Debian "
	    "APT-HTTP/1.3\""));
	assert_span(content, "\"GET /downloads/product_1 HTTP/1.1\" 304 0 "
	    "\"-\" \"Debian APT-HTTP/1.3\"");
	assert_span(fields[format_field_index(f, "host")], "93.180.71.3");
	format_free(f);
	f = format_compile_preset("apache", &cause);
	assert_non_null(f);
	assert_true(split(f, "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "
	    "\"GET /apache_pb.gif HTTP/1.0\" 200 2326"));
	assert_span(fields[format_field_index(f, "time")],
	    "10/Oct/2000:13:55:36 -0700");
	format_free(f);

	f = format_compile_preset("iso8601", &cause);
	assert_non_null(f);
	assert_true(split(f, "2026-11-20T08:00:01.980Z INFO  http: GET /x"));
	assert_span(content, "http: GET /x");
	assert_span(fields[format_field_index(f, "level")], "INFO");
	assert_true(split(f, "2026-11-20 08:00:01,980 something happened"));
	assert_span(content, "something happened");
	assert_null(fields[format_field_index(f, "level")].p);
	assert_false(split(f, "Nov 20 08:00:01 not iso"));
	format_free(f);

	f = format_compile_preset("journal", &cause);
	assert_non_null(f);
	assert_true(split(f, "2024-01-15T10:00:01+0100 web1 nginx[812]: "
	    "worker started"));
	assert_span(content, "worker started");
	assert_span(fields[format_field_index(f, "source")], "nginx");
	format_free(f);
	assert_non_null(strstr(format_preset_names(), "journal"));
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
		cmocka_unit_test(test_presets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
