/*
 * Unit tests for record.c: which lines continue a record (Java and Python
 * traces, --record-start, lines off the format), the shape signature,
 * the bounds, line endings, and flushing.
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

#include "reader.h"
#include "record.h"

static struct recorder *
new_recorder(enum record_mode mode, const char *start, const char *format)
{
	struct record_params p;
	struct recorder *rc;
	char *cause = NULL;

	memset(&p, 0, sizeof p);
	p.mode = mode;
	p.start = start;
	p.format = format;
	rc = recorder_new(&p, &cause);
	assert_non_null(rc);
	return rc;
}

static const struct record *
push(struct recorder *rc, const char *s)
{
	const struct record *r;
	struct line ln;
	char buf[8192];
	size_t len = strlen(s);

	/* A copy that is wiped after: records must own their bytes. */
	assert_true(len < sizeof buf);
	memcpy(buf, s, len + 1);
	memset(&ln, 0, sizeof ln);
	ln.text = buf;
	ln.len = len;
	if (len > 0 && buf[len - 1] == '\r') {
		ln.len--;
		ln.crlf = 1;
	}
	r = recorder_push(rc, &ln);
	memset(buf, 'x', len);
	return r;
}

/* Feed lines; return the records they make as "n|sig|text" rows. */
static char *
records(struct recorder *rc, const char *const *lines)
{
	static char out[1 << 16];
	const struct record *r;
	size_t at = 0;

	out[0] = '\0';
	for (;; lines++) {
		r = *lines != NULL ? push(rc, *lines) : recorder_flush(rc);
		if (r != NULL)
			at += (size_t)snprintf(out + at, sizeof out - at,
			    "%zu|%.*s|%.*s\n", r->nlines, (int)r->siglen,
			    r->sig, (int)r->len, r->text);
		if (*lines == NULL)
			break;
	}
	return out;
}

static void
test_java(void **state)
{
	static const char *const lines[] = {
		"10:00:01 INFO started",
		"10:00:02 ERROR request failed",
		"java.lang.IllegalStateException: closed",
		"\tat com.example.Pool.get(Pool.java:42)",
		"\tat com.example.App.run(App.java:7)",
		"Caused by: java.io.IOException: disk gone",
		"\tat com.example.Disk.read(Disk.java:9)",
		"\t... 2 more",
		"10:00:03 INFO at ease",
		"Exception in thread \"main\" java.lang.Error",
		"\tat Main.main(Main.java:1)",
		NULL
	};
	struct recorder *rc = new_recorder(RECORD_AUTO, NULL, NULL);

	assert_string_equal(records(rc, lines),
	    "1||10:00:01 INFO started\n"
	    "7|+[java.lang.IllegalStateException,at,"
	    "Caused-by:java.io.IOException,...]|10:00:02 ERROR request failed\n"
	    "java.lang.IllegalStateException: closed\n"
	    "\tat com.example.Pool.get(Pool.java:42)\n"
	    "\tat com.example.App.run(App.java:7)\n"
	    "Caused by: java.io.IOException: disk gone\n"
	    "\tat com.example.Disk.read(Disk.java:9)\n"
	    "\t... 2 more\n"
	    "1||10:00:03 INFO at ease\n"
	    "2|+[at]|Exception in thread \"main\" java.lang.Error\n"
	    "\tat Main.main(Main.java:1)\n");
	recorder_free(rc);
}

/* Spring Boot's %wEx sets a trace off by blank lines: one record, whose
 * blank lines take no part in its signature. */
static void
test_blank_lines(void **state)
{
	static const char *const lines[] = {
		"10:00:02.123 ERROR 1 --- [main] c.e.Svc : request failed",
		"",
		"java.lang.IllegalStateException: closed",
		"\tat com.example.Pool.get(Pool.java:42)",
		"",
		"10:00:03.000  INFO 1 --- [main] c.e.Svc : next",
		NULL
	};
	struct recorder *rc = new_recorder(RECORD_AUTO, NULL, NULL);

	assert_string_equal(records(rc, lines),
	    "5|+[java.lang.IllegalStateException,at]|"
	    "10:00:02.123 ERROR 1 --- [main] c.e.Svc : request failed\n"
	    "\n"
	    "java.lang.IllegalStateException: closed\n"
	    "\tat com.example.Pool.get(Pool.java:42)\n"
	    "\n"
	    "1||10:00:03.000  INFO 1 --- [main] c.e.Svc : next\n");
	recorder_free(rc);
}

/* One trace thrown from one place has one signature at any depth. */
static void
test_signature_depth(void **state)
{
	static const char *const shallow[] = {
		"ERROR x", "java.lang.RuntimeException: a",
		"\tat a.B.c(B.java:1)", NULL
	};
	static const char *const deep[] = {
		"ERROR x", "java.lang.RuntimeException: b",
		"\tat a.B.c(B.java:1)", "\tat a.B.d(B.java:2)",
		"\tat a.B.e(B.java:3)", NULL
	};
	struct recorder *rc = new_recorder(RECORD_AUTO, NULL, NULL);
	char one[256];

	snprintf(one, sizeof one, "%s", records(rc, shallow));
	assert_non_null(strstr(one, "|+[java.lang.RuntimeException,at]|"));
	assert_non_null(strstr(records(rc, deep),
	    "|+[java.lang.RuntimeException,at]|"));
	recorder_free(rc);
}

static void
test_python(void **state)
{
	static const char *const lines[] = {
		"2026-11-26 10:00:01 ERROR job failed",
		"Traceback (most recent call last):",
		"  File \"job.py\", line 3, in <module>",
		"    run()",
		"KeyError: 'id'",
		"",
		"During handling of the above exception, another exception "
		    "occurred:",
		"",
		"Traceback (most recent call last):",
		"  File \"job.py\", line 5, in <module>",
		"ValueError: bad",
		"2026-11-26 10:00:02 INFO next",
		"",
		NULL
	};
	struct recorder *rc = new_recorder(RECORD_AUTO, NULL, NULL);

	assert_string_equal(records(rc, lines),
	    "11|+[Traceback,File,_,KeyError,chained,ValueError]|"
	    "2026-11-26 10:00:01 ERROR job failed\n"
	    "Traceback (most recent call last):\n"
	    "  File \"job.py\", line 3, in <module>\n"
	    "    run()\n"
	    "KeyError: 'id'\n"
	    "\n"
	    "During handling of the above exception, another exception "
	    "occurred:\n"
	    "\n"
	    "Traceback (most recent call last):\n"
	    "  File \"job.py\", line 5, in <module>\n"
	    "ValueError: bad\n"
	    "2||2026-11-26 10:00:02 INFO next\n\n");
	recorder_free(rc);
}

static void
test_php(void **state)
{
	static const char *const lines[] = {
		"[26-Nov-2026 10:00:01 UTC] PHP Fatal error:  Uncaught "
		    "Exception: boom in /var/www/app.php:3",
		"Stack trace:",
		"#0 /var/www/app.php(7): fail()",
		"#1 {main}",
		"  thrown in /var/www/app.php on line 3",
		"[26-Nov-2026 10:00:02 UTC] PHP Notice:  Undefined index: id",
		"#hashtag is no frame",
		NULL
	};
	struct recorder *rc = new_recorder(RECORD_AUTO, NULL, NULL);

	assert_string_equal(records(rc, lines),
	    "5|+[Stack-trace,#,_]|[26-Nov-2026 10:00:01 UTC] PHP Fatal "
	    "error:  Uncaught Exception: boom in /var/www/app.php:3\n"
	    "Stack trace:\n"
	    "#0 /var/www/app.php(7): fail()\n"
	    "#1 {main}\n"
	    "  thrown in /var/www/app.php on line 3\n"
	    "1||[26-Nov-2026 10:00:02 UTC] PHP Notice:  Undefined index: id\n"
	    "1||#hashtag is no frame\n");
	recorder_free(rc);
}

static void
test_go_panic(void **state)
{
	static const char *const lines[] = {
		"2026/11/26 10:00:01 serving on :8080",
		"panic: runtime error: invalid memory address or nil pointer "
		    "dereference",
		"[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 "
		    "pc=0x4a1f20]",
		"",
		"goroutine 18 [running]:",
		"main.(*store).get(0x0, {0x6f1e28, 0x3})",
		"\t/src/app/store.go:41 +0x1d",
		"net/http.HandlerFunc.ServeHTTP(0xc000118000)",
		"\t/usr/lib/go/src/net/http/server.go:2136 +0x29",
		"created by net/http.(*Server).Serve in goroutine 1",
		"\t/usr/lib/go/src/net/http/server.go:3086 +0x4cf",
		"exit status 2",
		"main.main()",
		NULL
	};
	struct recorder *rc = new_recorder(RECORD_AUTO, NULL, NULL);

	/* A function line outside a goroutine's stack starts a record;
	 * so does what "go run" says after the trace. */
	assert_string_equal(records(rc, lines),
	    "1||2026/11/26 10:00:01 serving on :8080\n"
	    "10|+[signal,goroutine,func,_,created-by]|"
	    "panic: runtime error: invalid memory address or nil pointer "
	    "dereference\n"
	    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 "
	    "pc=0x4a1f20]\n"
	    "\n"
	    "goroutine 18 [running]:\n"
	    "main.(*store).get(0x0, {0x6f1e28, 0x3})\n"
	    "\t/src/app/store.go:41 +0x1d\n"
	    "net/http.HandlerFunc.ServeHTTP(0xc000118000)\n"
	    "\t/usr/lib/go/src/net/http/server.go:2136 +0x29\n"
	    "created by net/http.(*Server).Serve in goroutine 1\n"
	    "\t/usr/lib/go/src/net/http/server.go:3086 +0x4cf\n"
	    "1||exit status 2\n"
	    "1||main.main()\n");
	recorder_free(rc);
}

/*
 * A Rust panic: its message on the next line (Rust 1.73 on) whatever it
 * looks like, then "stack backtrace:", indented frames and "note:"; the
 * older one-line form takes only the note.  "note:" elsewhere starts a
 * record.
 */
static void
test_rust_panic(void **state)
{
	static const char *const lines[] = {
		"2026-11-28T10:00:01Z INFO request id=1 took 3ms",
		"thread 'main' panicked at src/main.rs:42:5:",
		"index out of bounds: the len is 3 but the index is 10",
		"note: run with `RUST_BACKTRACE=1` environment variable to "
		    "display a backtrace",
		"thread 'tokio-runtime-worker' panicked at src/db.rs:7:9:",
		"called `Option::unwrap()` on a `None` value",
		"stack backtrace:",
		"   0: rust_begin_unwind",
		"note: Some details are omitted.",
		"thread 'main' panicked at 'explicit panic', src/old.rs:2:5",
		"note: run with `RUST_BACKTRACE=1`",
		"2026-11-28T10:00:02Z INFO restarted",
		"stack backtrace:",
		"note: so is this",
		NULL
	};
	struct recorder *rc = new_recorder(RECORD_AUTO, NULL, NULL);

	assert_string_equal(records(rc, lines),
	    "1||2026-11-28T10:00:01Z INFO request id=1 took 3ms\n"
	    "3|+[index-out-of-bounds-the-len,note]|"
	    "thread 'main' panicked at src/main.rs:42:5:\n"
	    "index out of bounds: the len is 3 but the index is 10\n"
	    "note: run with `RUST_BACKTRACE=1` environment variable to "
	    "display a backtrace\n"
	    "5|+[called-Option-unwrap-on-a-None,stack-backtrace,_,note]|"
	    "thread 'tokio-runtime-worker' panicked at src/db.rs:7:9:\n"
	    "called `Option::unwrap()` on a `None` value\n"
	    "stack backtrace:\n"
	    "   0: rust_begin_unwind\n"
	    "note: Some details are omitted.\n"
	    "2|+[note]|"
	    "thread 'main' panicked at 'explicit panic', src/old.rs:2:5\n"
	    "note: run with `RUST_BACKTRACE=1`\n"
	    "1||2026-11-28T10:00:02Z INFO restarted\n"
	    "1||stack backtrace:\n"
	    "1||note: so is this\n");
	recorder_free(rc);
}

/* In a Kubernetes container log, the looks are the message's, and the
 * rest of a line the runtime cut ("P") continues it whatever it is. */
static void
test_cri(void **state)
{
	static const char *const lines[] = {
		"2026-11-26T10:00:01.000000001Z stdout F GET /items 200",
		"2026-11-26T10:00:02.000000001Z stderr F Exception in thread "
		    "\"main\" java.lang.IllegalStateException: closed",
		"2026-11-26T10:00:02.000000002Z stderr F \tat "
		    "com.example.Pool.take(Pool.java:88)",
		"2026-11-26T10:00:02.000000003Z stderr F \tat "
		    "com.example.Main.main(Main.java:12)",
		"2026-11-26T10:00:03.000000001Z stdout P a line the runtime cut",
		"2026-11-26T10:00:03.000000002Z stdout F 2026-11-26 and its rest",
		"2026-11-26T10:00:04.000000001Z stdout F",
		"2026-11-26T10:00:05.000000001Z stdout F GET /items 200",
		/* The other stream between a cut line and its rest. */
		"2026-11-26T10:00:06.000000001Z stdout P cut again",
		"2026-11-26T10:00:06.000000002Z stderr F \tat "
		    "com.example.Main.main(Main.java:12)",
		"2026-11-26T10:00:06.000000003Z stdout F and its rest",
		"2026-11-26T10:00:07.000000001Z stderr P cut on stderr",
		"2026-11-26T10:00:07.000000002Z stdout F GET /items 200",
		"2026-11-26T10:00:07.000000003Z stderr F 2026-11-26 rest",
		NULL
	};
	struct recorder *rc = new_recorder(RECORD_AUTO, NULL, NULL);

	assert_string_equal(records(rc, lines),
	    "1||2026-11-26T10:00:01.000000001Z stdout F GET /items 200\n"
	    "3|+[at]|2026-11-26T10:00:02.000000001Z stderr F Exception in "
	    "thread \"main\" java.lang.IllegalStateException: closed\n"
	    "2026-11-26T10:00:02.000000002Z stderr F \tat "
	    "com.example.Pool.take(Pool.java:88)\n"
	    "2026-11-26T10:00:02.000000003Z stderr F \tat "
	    "com.example.Main.main(Main.java:12)\n"
	    "3||2026-11-26T10:00:03.000000001Z stdout P a line the runtime "
	    "cut\n"
	    "2026-11-26T10:00:03.000000002Z stdout F 2026-11-26 and its rest\n"
	    "2026-11-26T10:00:04.000000001Z stdout F\n"
	    "1||2026-11-26T10:00:05.000000001Z stdout F GET /items 200\n"
	    "3|+[at]|2026-11-26T10:00:06.000000001Z stdout P cut again\n"
	    "2026-11-26T10:00:06.000000002Z stderr F \tat "
	    "com.example.Main.main(Main.java:12)\n"
	    "2026-11-26T10:00:06.000000003Z stdout F and its rest\n"
	    "1||2026-11-26T10:00:07.000000001Z stderr P cut on stderr\n"
	    "1||2026-11-26T10:00:07.000000002Z stdout F GET /items 200\n"
	    "1||2026-11-26T10:00:07.000000003Z stderr F 2026-11-26 rest\n");
	recorder_free(rc);
}

static void
test_record_start(void **state)
{
	static const char *const lines[] = {
		"[1] begin",
		"SELECT *",
		"  FROM t",
		"[2] end",
		NULL
	};
	struct recorder *rc = new_recorder(RECORD_REGEX, "^\\[\\d+\\]",
	    NULL);
	struct record_params p;
	char *cause = NULL;

	assert_string_equal(records(rc, lines),
	    "3|+[~,_]|[1] begin\nSELECT *\n  FROM t\n"
	    "1||[2] end\n");
	recorder_free(rc);

	memset(&p, 0, sizeof p);
	p.mode = RECORD_REGEX;
	p.start = "(";
	assert_null(recorder_new(&p, &cause));
	assert_non_null(strstr(cause, "--record-start: "));
	assert_non_null(strstr(cause, "at offset 1"));
	free(cause);
}

/* With a format, a line that does not match it continues. */
static void
test_format(void **state)
{
	static const char *const lines[] = {
		"2026-11-26T10:00:01Z INFO a",
		"plain words here",
		"2026-11-26T10:00:02Z INFO b",
		NULL
	};
	struct recorder *rc = new_recorder(RECORD_AUTO, NULL, "iso8601");

	assert_string_equal(records(rc, lines),
	    "2|+[~]|2026-11-26T10:00:01Z INFO a\nplain words here\n"
	    "1||2026-11-26T10:00:02Z INFO b\n");
	recorder_free(rc);
	/* Without a format, it starts a record of its own. */
	rc = new_recorder(RECORD_AUTO, NULL, NULL);
	assert_string_equal(records(rc, lines),
	    "1||2026-11-26T10:00:01Z INFO a\n1||plain words here\n"
	    "1||2026-11-26T10:00:02Z INFO b\n");
	recorder_free(rc);
}

/* A record stops at RECORD_MAX_LINES lines or RECORD_MAX_BYTES bytes. */
static void
test_bounds(void **state)
{
	struct recorder *rc = new_recorder(RECORD_AUTO, NULL, NULL);
	const struct record *r;
	static char big[8000];
	size_t i, n;

	assert_null(push(rc, "ERROR start"));
	for (i = 1; i < RECORD_MAX_LINES; i++)
		assert_null(push(rc, "\tat a.B.c(B.java:1)"));
	r = push(rc, "\tat a.B.c(B.java:1)");
	assert_non_null(r);
	assert_int_equal(r->nlines, RECORD_MAX_LINES);
	/* The line that did not fit started the next one. */
	r = recorder_flush(rc);
	assert_non_null(r);
	assert_int_equal(r->nlines, 1);
	assert_int_equal(r->first_len, 19);

	memset(big, ' ', sizeof big - 1);
	assert_null(push(rc, "ERROR start"));
	n = 11;
	for (i = 0; n + 1 + strlen(big) <= RECORD_MAX_BYTES; i++) {
		assert_null(push(rc, big));
		n += 1 + strlen(big);
	}
	r = push(rc, big);
	assert_non_null(r);
	assert_int_equal(r->len, n);
	assert_true(r->len <= RECORD_MAX_BYTES);
	recorder_free(rc);
}

/* Line endings are kept per line; flushing empties the recorder. */
static void
test_crlf_and_flush(void **state)
{
	struct recorder *rc = new_recorder(RECORD_AUTO, NULL, NULL);
	const struct record *r;

	assert_false(recorder_pending(rc));
	assert_null(recorder_flush(rc));
	assert_null(push(rc, "ERROR x\r"));
	assert_true(recorder_pending(rc));
	assert_null(push(rc, "  more"));
	assert_null(push(rc, "  more\r"));
	r = recorder_flush(rc);
	assert_false(recorder_pending(rc));
	assert_int_equal(r->nlines, 3);
	assert_int_equal(r->crlf[0], 1);
	assert_int_equal(r->crlf[1], 0);
	assert_int_equal(r->crlf[2], 1);
	assert_int_equal(r->len, strlen("ERROR x\n  more\n  more"));
	assert_memory_equal(r->text, "ERROR x\n  more\n  more", r->len);
	assert_null(recorder_flush(rc));
	recorder_free(rc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_java),
		cmocka_unit_test(test_signature_depth),
		cmocka_unit_test(test_python),
		cmocka_unit_test(test_php),
		cmocka_unit_test(test_go_panic),
		cmocka_unit_test(test_rust_panic),
		cmocka_unit_test(test_cri),
		cmocka_unit_test(test_blank_lines),
		cmocka_unit_test(test_record_start),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_crlf_and_flush),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
