/* Unit tests for sbuf.c: round trips and reads past the end. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "sbuf.h"

static void
test_round_trip(void **state)
{
	struct sbuf b;
	struct sread r;
	const char *s;
	size_t n;
	char raw[3];

	sbuf_init(&b);
	sbuf_u8(&b, 0xab);
	sbuf_u32(&b, 0xdeadbeef);
	sbuf_u64(&b, 0x0123456789abcdefull);
	sbuf_f64(&b, -2.5e-300);
	sbuf_str(&b, "hello", 5);
	sbuf_bytes(&b, "xyz", 3);
	/* Little-endian on every host. */
	assert_int_equal(b.p[1], 0xef);
	assert_int_equal(b.p[4], 0xde);

	sread_init(&r, b.p, b.len);
	assert_int_equal(sread_u8(&r), 0xab);
	assert_int_equal(sread_u32(&r), 0xdeadbeef);
	assert_true(sread_u64(&r) == 0x0123456789abcdefull);
	assert_true(sread_f64(&r) == -2.5e-300);
	s = sread_str(&r, &n, 100);
	assert_int_equal(n, 5);
	assert_memory_equal(s, "hello", 5);
	assert_true(sread_bytes(&r, raw, 3));
	assert_memory_equal(raw, "xyz", 3);
	assert_int_equal(r.err, 0);
	assert_int_equal(r.off, b.len);
	sbuf_free(&b);
}

static void
test_truncated(void **state)
{
	struct sbuf b;
	struct sread r;
	size_t n, cut;
	char raw[8];

	sbuf_init(&b);
	sbuf_u64(&b, 42);
	sbuf_str(&b, "abcdef", 6);
	/* Every cut is noticed and reads stay inside the buffer. */
	for (cut = 0; cut < b.len; cut++) {
		sread_init(&r, b.p, cut);
		sread_u64(&r);
		sread_str(&r, &n, 100);
		assert_int_equal(r.err, 1);
	}
	/* A string longer than allowed is an error, not a read. */
	sread_init(&r, b.p, b.len);
	sread_u64(&r);
	assert_null(sread_str(&r, &n, 3));
	assert_int_equal(r.err, 1);
	/* After a failure everything reads as zero. */
	assert_int_equal(sread_u32(&r), 0);
	assert_false(sread_bytes(&r, raw, 8));
	assert_int_equal(raw[0], 0);
	sbuf_free(&b);
}

/* A count is checked against what the rest of the input could hold. */
static void
test_count(void **state)
{
	struct sbuf b;
	struct sread r;

	sbuf_init(&b);
	sbuf_u32(&b, 3);
	sbuf_bytes(&b, "abcdefghijkl", 12);
	sread_init(&r, b.p, b.len);
	assert_int_equal(sread_count(&r, 4, 10), 3);
	assert_int_equal(sread_left(&r), 12);
	assert_int_equal(r.err, 0);
	/* Three records of five bytes do not fit in twelve. */
	sread_init(&r, b.p, b.len);
	assert_int_equal(sread_count(&r, 5, 10), 0);
	assert_int_equal(r.err, 1);
	assert_int_equal(sread_left(&r), 0);
	/* Past the maximum. */
	sread_init(&r, b.p, b.len);
	assert_int_equal(sread_count(&r, 1, 2), 0);
	assert_int_equal(r.err, 1);
	/* A huge count in a small input. */
	sbuf_free(&b);
	sbuf_u32(&b, UINT32_MAX);
	sread_init(&r, b.p, b.len);
	assert_int_equal(sread_count(&r, 1, UINT32_MAX), 0);
	assert_int_equal(r.err, 1);
	sbuf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
