/*
 * Unit tests for context.c: after-context counting, the ring of records
 * kept for before-context (order, copies, bounds), and where "--" goes.
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

#include "context.h"
#include "engine.h"
#include "output.h"
#include "reader.h"
#include "record.h"

/* Keep record seq with text s (copied by the context, then wiped). */
static void
keep(struct context *c, uint64_t seq, const char *s, size_t len)
{
	struct output_input in;
	struct verdict v;
	struct line ln;
	char *buf;

	buf = malloc(len + 1);
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(&in, 0, sizeof in);
	memset(&v, 0, sizeof v);
	memset(&ln, 0, sizeof ln);
	ln.text = buf;
	ln.len = len;
	in.line = &ln;
	in.msg = buf;
	in.msglen = len;
	in.file = "f.log";
	v.line = seq * 10;
	v.score.bits = 1.5;
	v.source = "web-1";
	context_keep(c, seq, &in, &v);
	memset(buf, 'x', len);
	free(buf);
}

static void
test_after(void **state)
{
	struct context *c = context_new(0, 2);

	assert_false(context_after(c));
	context_finding(c);
	assert_true(context_after(c));
	assert_true(context_after(c));
	assert_false(context_after(c));
	/* A finding in the after-context starts the count again. */
	context_finding(c);
	assert_true(context_after(c));
	context_finding(c);
	assert_true(context_after(c));
	assert_true(context_after(c));
	assert_false(context_after(c));
	context_free(c);
}

static void
test_before(void **state)
{
	struct context *c = context_new(2, 0);
	struct output_input in;
	struct verdict v;
	char line[16];
	uint64_t i;

	assert_int_equal(context_oldest(c, 9), 9);
	for (i = 1; i <= 5; i++) {
		snprintf(line, sizeof line, "line %llu", (unsigned long long)i);
		keep(c, i, line, strlen(line));
	}
	/* The last two, oldest first, copied whole. */
	assert_int_equal(context_oldest(c, 6), 4);
	assert_int_equal(context_take(c, &in, &v), 4);
	assert_true(in.context);
	assert_memory_equal(in.line->text, "line 4", 6);
	assert_int_equal(in.line->len, 6);
	assert_memory_equal(in.msg, "line 4", in.msglen);
	assert_string_equal(in.file, "f.log");
	assert_string_equal(v.source, "web-1");
	assert_int_equal(v.line, 40);
	assert_null(v.tmpl);
	assert_true(in.tmpl_given);
	assert_int_equal(in.tmpl_id, 0);
	assert_int_equal(context_take(c, &in, &v), 5);
	assert_memory_equal(in.line->text, "line 5", 6);
	assert_int_equal(context_take(c, &in, &v), 0);
	/* A finding forgets what was kept. */
	keep(c, 6, "six", 3);
	context_finding(c);
	assert_int_equal(context_take(c, &in, &v), 0);
	context_free(c);
}

/* A multi-line record is kept with its lines and line endings. */
static void
test_record(void **state)
{
	struct context *c = context_new(1, 0);
	char text[] = "ERROR x\n  at y";
	const unsigned char crlf[] = { 1, 0 };
	struct output_input in;
	struct record rec;
	struct verdict v;
	struct line ln;

	memset(&in, 0, sizeof in);
	memset(&v, 0, sizeof v);
	memset(&rec, 0, sizeof rec);
	memset(&ln, 0, sizeof ln);
	rec.text = text;
	rec.len = strlen(text);
	rec.first_len = 7;
	rec.nlines = 2;
	rec.crlf = crlf;
	ln.text = text;
	ln.len = 7;
	ln.crlf = 1;
	in.line = &ln;
	in.msg = text;
	in.msglen = rec.len;
	in.rec = &rec;
	context_keep(c, 1, &in, &v);
	memset(text, '-', sizeof text - 1);
	assert_int_equal(context_take(c, &in, &v), 1);
	assert_non_null(in.rec);
	assert_int_equal(in.rec->nlines, 2);
	assert_memory_equal(in.rec->text, "ERROR x\n  at y", in.rec->len);
	assert_int_equal(in.rec->crlf[0], 1);
	assert_int_equal(in.rec->crlf[1], 0);
	assert_int_equal(in.line->len, 7);
	assert_true(in.line->crlf);
	assert_memory_equal(in.msg, "ERROR x\n  at y", in.msglen);
	context_free(c);
}

/* The copies stay within CONTEXT_KEEP_BYTES: the oldest make room. */
static void
test_bytes(void **state)
{
	struct context *c = context_new(100, 0);
	size_t big = CONTEXT_KEEP_BYTES / 4;
	struct output_input in;
	struct verdict v;
	char *s;
	uint64_t i, n = 0;

	s = malloc(CONTEXT_KEEP_BYTES + 1);
	memset(s, 'a', CONTEXT_KEEP_BYTES + 1);
	for (i = 1; i <= 10; i++)
		keep(c, i, s, big);
	while (context_take(c, &in, &v) != 0) {
		assert_int_equal(in.line->len, big);
		n++;
	}
	/* Buffers round up to powers of two: three of a quarter fit. */
	assert_true(n >= 1 && n <= 3);
	/* One bigger than the bound is not kept, nor what came before. */
	keep(c, 11, "small", 5);
	keep(c, 12, s, CONTEXT_KEEP_BYTES + 1);
	assert_int_equal(context_take(c, &in, &v), 0);
	keep(c, 13, "small", 5);
	assert_int_equal(context_oldest(c, 14), 13);
	free(s);
	context_free(c);
}

static void
test_gap(void **state)
{
	struct context *c = context_new(1, 1);

	assert_false(context_gap(c, 5));	/* nothing printed yet */
	context_mark(c, 5);
	assert_false(context_gap(c, 6));
	assert_true(context_gap(c, 8));
	context_mark(c, 8);
	assert_true(context_gap(c, 8));
	context_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_after),
		cmocka_unit_test(test_before),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_gap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
