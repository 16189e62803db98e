/* Unit tests for reader.c: line splitting over any chunking. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

/* A source that hands out a fixed string a few bytes at a time. */
struct chunked {
	const char	*s;
	size_t		 len, at, step;
	int		 eintr;	/* fail once with EINTR first */
	size_t		 eintr_at;	/* ... or once all before here is read */
};

static ssize_t
chunked_read(void *ctx, char *buf, size_t len)
{
	struct chunked *c = ctx;
	size_t n = c->len - c->at;

	if (c->eintr || (c->eintr_at != 0 && c->at == c->eintr_at)) {
		c->eintr = 0;
		c->eintr_at = 0;
		errno = EINTR;
		return -1;
	}
	if (n > c->step)
		n = c->step;
	if (n > len)
		n = len;
	memcpy(buf, c->s + c->at, n);
	c->at += n;
	return (ssize_t)n;
}

static struct reader *
open_chunked(struct chunked *c, const char *s, size_t len, size_t step)
{
	struct reader_source src = { chunked_read, NULL, c, NULL };

	c->s = s;
	c->len = len;
	c->at = 0;
	c->step = step;
	c->eintr = 0;
	c->eintr_at = 0;
	return reader_new_source(&src);
}

static void
expect_line(struct reader *r, const char *want, size_t wantlen, int crlf)
{
	struct line ln;

	assert_int_equal(reader_next(r, &ln), 1);
	assert_int_equal(ln.len, wantlen);
	assert_memory_equal(ln.text, want, wantlen);
	assert_int_equal(ln.crlf, crlf);
	assert_int_equal(ln.truncated, 0);
}

static void
test_lines_any_chunking(void **state)
{
	static const char in[] = "one\ntwo\r\n\nlast without newline";
	size_t step;

	for (step = 1; step <= sizeof in; step++) {
		struct chunked c;
		struct reader *r = open_chunked(&c, in, sizeof in - 1, step);
		struct line ln;

		expect_line(r, "one", 3, 0);
		expect_line(r, "two", 3, 1);
		expect_line(r, "", 0, 0);
		expect_line(r, "last without newline", 20, 0);
		assert_int_equal(reader_next(r, &ln), 0);
		assert_int_equal(reader_bytes(r), sizeof in - 1);
		reader_free(r);
	}
}

static void
test_nul_and_binary(void **state)
{
	static const char in[] = "a\0b\xff\n";
	struct chunked c;
	struct reader *r = open_chunked(&c, in, sizeof in - 1, 2);

	expect_line(r, "a\0b\xff", 4, 0);
	reader_free(r);
}

/* A byte order mark before the first line is passed over, at any
 * chunking; one anywhere else is data. */
static void
test_byte_order_mark(void **state)
{
	static const char in[] = "\xef\xbb\xbf" "Jun 1 a\r\n\xef\xbb\xbf" "b\n";
	size_t step;

	for (step = 1; step <= sizeof in; step++) {
		struct chunked c;
		struct reader *r = open_chunked(&c, in, sizeof in - 1, step);
		struct line ln;

		expect_line(r, "Jun 1 a", 7, 1);
		expect_line(r, "\xef\xbb\xbf" "b", 4, 0);
		assert_int_equal(reader_next(r, &ln), 0);
		reader_free(r);
	}
}

static void
test_empty_input(void **state)
{
	struct chunked c;
	struct reader *r = open_chunked(&c, "", 0, 1);
	struct line ln;

	assert_int_equal(reader_next(r, &ln), 0);
	reader_free(r);
}

static void
test_eintr_passed_up(void **state)
{
	struct chunked c;
	struct reader *r = open_chunked(&c, "x\n", 2, 10);
	struct line ln;

	c.eintr = 1;
	assert_int_equal(reader_next(r, &ln), -1);
	assert_int_equal(errno, EINTR);
	expect_line(r, "x", 1, 0);
	reader_free(r);
}

static void
test_long_lines(void **state)
{
	/* 3 MiB line, grows the buffer; then an overlong one is cut. */
	size_t big = 3u << 20, huge = READER_MAX_LINE + 1000, n;
	char *in = malloc(big + 1 + huge + 1 + 4);
	struct chunked c;
	struct reader *r;
	struct line ln;

	memset(in, 'a', big);
	in[big] = '\n';
	memset(in + big + 1, 'b', huge);
	in[big + 1 + huge] = '\n';
	memcpy(in + big + 2 + huge, "end\n", 4);
	n = big + 2 + huge + 4;
	r = open_chunked(&c, in, n, 1u << 20);
	assert_int_equal(reader_next(r, &ln), 1);
	assert_int_equal(ln.len, big);
	assert_int_equal(reader_next(r, &ln), 1);
	assert_int_equal(ln.truncated, 1);
	assert_int_equal(ln.len, READER_MAX_LINE);
	assert_int_equal(ln.text[0], 'b');
	expect_line(r, "end", 3, 0);
	assert_int_equal(reader_next(r, &ln), 0);
	reader_free(r);
	free(in);
}

/* After a line that grew the buffer well past its usual size, which it
 * then gives back, the short lines that follow come whole, those read
 * in one piece with the long line's end and those split across reads. */
static void
test_short_lines_after_a_long_one(void **state)
{
	size_t big = 12u << 20, nshort = 5000, n, i;
	size_t steps[] = { 7, 4096, 1u << 20 }, k;
	char *in = malloc(big + 1 + nshort * 16), want[16];

	memset(in, 'a', big);
	in[big] = '\n';
	n = big + 1;
	for (i = 0; i < nshort; i++)
		n += (size_t)sprintf(in + n, "short %zu\n", i);
	for (k = 0; k < sizeof steps / sizeof steps[0]; k++) {
		struct chunked c;
		struct reader *r = open_chunked(&c, in, n, steps[k]);
		struct line ln;

		assert_int_equal(reader_next(r, &ln), 1);
		assert_int_equal(ln.len, big);
		assert_int_equal(ln.text[big - 1], 'a');
		for (i = 0; i < nshort; i++) {
			int len = sprintf(want, "short %zu", i);

			expect_line(r, want, (size_t)len, 0);
		}
		assert_int_equal(reader_next(r, &ln), 0);
		reader_free(r);
	}
	free(in);
}

/* A line of exactly the cap is whole, not cut: with '\n', "\r\n" (its
 * '\r' the cap's last byte or the one after it), a '\r' at the end of
 * input or nothing, and whether or not an EINTR comes before the byte
 * that tells. */
static void
test_line_of_the_cap(void **state)
{
	static const struct {
		const char	*end;
		int		 cr_in_cap, crlf;
	} cases[] = {
		{ "\nend\n", 0, 0 },
		{ "\r\nend\n", 1, 1 },
		{ "\r\nend\n", 0, 1 },
		{ "\r", 0, 1 },
		{ "", 0, 0 },
	};
	size_t k, n, len;
	char *in = malloc(READER_MAX_LINE + 8);
	struct chunked c;
	struct reader *r;
	struct line ln;
	int intr;

	(void)state;
	for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		for (intr = 0; intr < 3; intr++) {
			if (intr == 2 && (cases[k].cr_in_cap ||
			    cases[k].end[0] != '\r'))
				continue;	/* no '\r' after the cap */
			len = READER_MAX_LINE - cases[k].cr_in_cap;
			memset(in, 'c', len);
			memcpy(in + len, cases[k].end, strlen(cases[k].end));
			n = len + strlen(cases[k].end);
			r = open_chunked(&c, in, n, 1u << 20);
			/* Before the byte after the cap, or between a
			 * '\r' after it and the byte after that. */
			if (intr > 0) {
				c.eintr_at = READER_MAX_LINE + (intr - 1);
				assert_int_equal(reader_next(r, &ln), -1);
				assert_int_equal(errno, EINTR);
			}
			assert_int_equal(reader_next(r, &ln), 1);
			assert_int_equal(ln.truncated, 0);
			assert_int_equal(ln.len, len);
			assert_int_equal(ln.crlf, cases[k].crlf);
			if (strstr(cases[k].end, "end") != NULL)
				expect_line(r, "end", 3, 0);
			assert_int_equal(reader_next(r, &ln), 0);
			reader_free(r);
		}
	}
	free(in);
}

/* A '\r' after the cap that no '\n' follows is the start of the part
 * that is skipped. */
static void
test_cr_after_the_cap(void **state)
{
	size_t len = READER_MAX_LINE;
	char *in = malloc(len + 16);
	struct chunked c;
	struct reader *r;
	struct line ln;

	(void)state;
	memset(in, 'c', len);
	memcpy(in + len, "\rtail\nend\n", 10);
	r = open_chunked(&c, in, len + 10, 1u << 20);
	assert_int_equal(reader_next(r, &ln), 1);
	assert_int_equal(ln.truncated, 1);
	assert_int_equal(ln.len, len);
	assert_int_equal(ln.crlf, 0);
	expect_line(r, "end", 3, 0);
	assert_int_equal(reader_next(r, &ln), 0);
	reader_free(r);
	free(in);
}

/* A line of the cap that ends in '\r' of its own, then "\r\n": the
 * '\r' stays, as it does in a short line ("abc\r\r\n"). */
static void
test_cr_of_its_own_at_the_cap(void **state)
{
	size_t len = READER_MAX_LINE;
	char *in = malloc(len + 16);
	struct chunked c;
	struct reader *r;
	struct line ln;

	(void)state;
	memset(in, 'c', len - 1);
	memcpy(in + len - 1, "\r\r\nend\n", 8);
	r = open_chunked(&c, in, len + 6, 1u << 20);
	assert_int_equal(reader_next(r, &ln), 1);
	assert_int_equal(ln.truncated, 0);
	assert_int_equal(ln.len, len);
	assert_int_equal(ln.text[len - 1], '\r');
	assert_int_equal(ln.crlf, 1);
	expect_line(r, "end", 3, 0);
	assert_int_equal(reader_next(r, &ln), 0);
	reader_free(r);
	free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_any_chunking),
		cmocka_unit_test(test_nul_and_binary),
		cmocka_unit_test(test_byte_order_mark),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_eintr_passed_up),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_short_lines_after_a_long_one),
		cmocka_unit_test(test_line_of_the_cap),
		cmocka_unit_test(test_cr_after_the_cap),
		cmocka_unit_test(test_cr_of_its_own_at_the_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
