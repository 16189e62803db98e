/* Unit tests for outbuf.c: JSON escaping, numbers, errors. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outbuf.h"

static char got[1 << 16];

/* Run fn on a fresh buffer over a temporary file; return what it wrote. */
static const char *
capture(void (*fn)(struct outbuf *, const void *), const void *arg)
{
	FILE *f = tmpfile();
	struct outbuf *o;
	ssize_t n;

	assert_non_null(f);
	o = outbuf_new(fileno(f));
	fn(o, arg);
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
put_json(struct outbuf *o, const void *arg)
{
	outbuf_json(o, arg, strlen(arg));
}

static void
test_json_escapes(void **state)
{
	assert_string_equal(capture(put_json, "plain"), "\"plain\"");
	assert_string_equal(capture(put_json, "a\"b\\c"), "\"a\\\"b\\\\c\"");
	assert_string_equal(capture(put_json, "t\tn\nr\r"),
	    "\"t\\tn\\nr\\r\"");
	assert_string_equal(capture(put_json, "\x01\x1f\x7f"),
	    "\"\\u0001\\u001f\\u007f\"");
	/* Valid UTF-8 passes through. */
	assert_string_equal(capture(put_json, "caf\xc3\xa9 \xe2\x82\xac"),
	    "\"caf\xc3\xa9 \xe2\x82\xac\"");
}

/*
 * Long strings go through sixteen bytes at a time: each special byte,
 * at every place in strings of every length up to three such blocks,
 * still comes out escaped, and nothing around it changes.
 */
static void
test_json_long(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} special[] = {
		{ "\"", "\\\"" }, { "\\", "\\\\" }, { "\n", "\\n" },
		{ "\x7f", "\\u007f" }, { "\x01", "\\u0001" },
		{ "\xff", "\xef\xbf\xbd" }, { "\xc3\xa9", "\xc3\xa9" },
		{ "~", "~" }, { " ", " " },
	};
	char in[64], want[128];
	size_t len, at, k, n, w;

	for (k = 0; k < sizeof special / sizeof special[0]; k++) {
		n = strlen(special[k].in);
		for (len = n; len <= 48; len++) {
			for (at = 0; at + n <= len; at++) {
				memset(in, 'a', len);
				memcpy(in + at, special[k].in, n);
				in[len] = '\0';
				w = 0;
				want[w++] = '"';
				memset(want + w, 'a', at);
				w += at;
				strcpy(want + w, special[k].out);
				w += strlen(special[k].out);
				memset(want + w, 'a', len - at - n);
				w += len - at - n;
				want[w++] = '"';
				want[w] = '\0';
				assert_string_equal(capture(put_json, in), want);
			}
		}
	}
}

static void
put_bad_utf8(struct outbuf *o, const void *arg)
{
	/* NUL, a lone continuation byte, a truncated sequence, overlong. */
	static const char s[] = "a\0b\x80" "c\xe2\x82" "d\xc0\xaf";

	outbuf_json(o, s, sizeof s - 1);
}

static void
put_logfmt(struct outbuf *o, const void *arg)
{
	outbuf_logfmt(o, arg, strlen(arg));
}

static void
test_logfmt(void **state)
{
	/* Plain words stay bare; anything else is quoted and escaped. */
	assert_string_equal(capture(put_logfmt, "plain"), "plain");
	assert_string_equal(capture(put_logfmt, "a/b:c,d"), "a/b:c,d");
	assert_string_equal(capture(put_logfmt, "caf\xc3\xa9"), "caf\xc3\xa9");
	assert_string_equal(capture(put_logfmt, ""), "\"\"");
	assert_string_equal(capture(put_logfmt, "two words"),
	    "\"two words\"");
	assert_string_equal(capture(put_logfmt, "k=v"), "\"k=v\"");
	assert_string_equal(capture(put_logfmt, "say \"hi\""),
	    "\"say \\\"hi\\\"\"");
	assert_string_equal(capture(put_logfmt, "back\\slash"),
	    "\"back\\\\slash\"");
	assert_string_equal(capture(put_logfmt, "t\tn\nr\r\x01"),
	    "\"t\\tn\\nr\\r\\u0001\"");
	assert_string_equal(capture(put_logfmt, "bad\xff"),
	    "\"bad\xef\xbf\xbd\"");
}

static void
test_json_invalid_bytes(void **state)
{
	assert_string_equal(capture(put_bad_utf8, NULL),
	    "\"a\\u0000b\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd"
	    "d\xef\xbf\xbd\xef\xbf\xbd\"");
}

static void
put_numbers(struct outbuf *o, const void *arg)
{
	/* Scores have two decimals and event times three. */
	static const struct {
		double	v;
		int	decimals;
	} fixed[] = {
		{ 13.296, 2 }, { 0.05, 1 }, { -2.5, 0 }, { 7, 2 },
		{ 99.999, 2 }, { 0.004, 2 }, { 1783339276.0705, 3 },
		{ 0.0005, 3 }, { -12.3456, 3 }, { 1.23456, 4 },
	};
	size_t i;

	outbuf_u64(o, 0);
	outbuf_char(o, ' ');
	outbuf_u64(o, UINT64_MAX);
	for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		outbuf_char(o, ' ');
		outbuf_fixed(o, fixed[i].v, fixed[i].decimals);
	}
}

static void
test_numbers(void **state)
{
	assert_string_equal(capture(put_numbers, NULL),
	    "0 18446744073709551615 13.30 0.1 -3 7.00 100.00 0.00 "
	    "1783339276.071 0.001 -12.346 1.2346");
}

static void
put_big(struct outbuf *o, const void *arg)
{
	static char big[100000];

	memset(big, 'x', sizeof big);
	outbuf_str(o, "<");
	outbuf_bytes(o, big, 50000);	/* straight through */
	outbuf_str(o, ">");
}

static void
test_large_write(void **state)
{
	const char *s = capture(put_big, NULL);

	assert_int_equal(strlen(s), 50002);
	assert_int_equal(s[0], '<');
	assert_int_equal(s[50001], '>');
}

static void
test_write_error_latched(void **state)
{
	struct outbuf *o;
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	o = outbuf_new(fds[1]);
	outbuf_str(o, "lost");
	assert_int_equal(outbuf_flush(o), -1);
	assert_int_equal(errno, EPIPE);
	assert_int_equal(outbuf_error(o), EPIPE);
	outbuf_str(o, "dropped");
	assert_int_equal(outbuf_pending(o), 0);
	outbuf_free(o);
	close(fds[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escapes),
		cmocka_unit_test(test_json_long),
		cmocka_unit_test(test_json_invalid_bytes),
		cmocka_unit_test(test_logfmt),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_large_write),
		cmocka_unit_test(test_write_error_latched),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
