/* Unit tests for mask.c: token shapes and the template style. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "mask.h"

static char *
shape(const char *tok)
{
	static char out[MASK_TOKEN_ROOM(256)];
	size_t n;

	assert_true(strlen(tok) <= 256);
	n = mask_token(tok, strlen(tok), out);
	if (n == 0)
		return NULL;
	out[n] = '\0';
	return out;
}

static char *
canonical(const char *s)
{
	static char out[MASK_SHAPE_MAX(512)];
	size_t n;

	n = mask_canonical(s, strlen(s), out);
	out[n] = '\0';
	return out;
}

static void
test_plain_words(void **state)
{
	/* Words without digits or slashes are their own shape. */
	assert_null(shape("PacketResponder"));
	assert_null(shape("terminating"));
	assert_null(shape("(TID"));
	assert_null(shape("dfs.DataNode$PacketResponder:"));
	/* One digit after letters is a name, not a variable. */
	assert_null(shape("ssh2"));
	assert_null(shape("jk2_init()"));
}

static void
test_numbers(void **state)
{
	assert_string_equal(shape("42"), "<*>");
	assert_string_equal(shape("-42"), "<*>");
	assert_string_equal(shape("3.14"), "<*>");
	assert_string_equal(shape("4ms"), "<*>");
	assert_string_equal(shape("67108864"), "<*>");
	assert_string_equal(shape("9)."), "<*>).");
	assert_string_equal(shape("size=42,"), "size=<*>,");
}

static void
test_addresses_and_ids(void **state)
{
	assert_string_equal(shape("10.251.73.220:50010"), "<*>:<*>");
	assert_string_equal(shape("10.0.0.1"), "<*>");
	assert_string_equal(shape("blk_-6952295868487656571"), "<*>");
	assert_string_equal(shape("blk_38865049064139660"), "<*>");
	assert_string_equal(shape("0x1f3a"), "<*>");
	assert_string_equal(shape("appattempt_1445144423722_0020_000001"),
	    "<*>");
	/* A hyphen between letters and digits is a delimiter, not a sign. */
	assert_string_equal(shape("node-246"), "node-<*>");
}

static void
test_paths(void **state)
{
	assert_string_equal(shape("/var/log/messages"), "<*>");
	assert_string_equal(shape("/10.251.42.84"), "<*>");
	assert_string_equal(shape("file=/etc/x.conf"), "file=<*>");
	/* A slash inside a word is no path. */
	assert_null(shape("TCP/IP"));
}

static void
test_literal_values(void **state)
{
	assert_string_equal(shape("true"), "<*>");
	assert_string_equal(shape("NULL"), "<*>");
	assert_string_equal(shape("root"), "<*>");
	assert_null(shape("rooted"));
}

static void
test_canonical(void **state)
{
	assert_string_equal(canonical("  a   b\tc "), "a b c");
	assert_string_equal(canonical("<*>.<*>.<*>"), "<*>");
	assert_string_equal(canonical("<*><*> x"), "<*> x");
	assert_string_equal(canonical("blk_<*> <*>ms"), "<*> <*>");
	assert_string_equal(canonical("<*>/<*>"), "<*>/<*>");
	assert_string_equal(canonical("port 22 user=admin"),
	    "port <*> user=<*>");
	assert_string_equal(canonical("(<*>)"), "(<*>)");
	/* Idempotent. */
	assert_string_equal(canonical(canonical("x <*>.<*>:<*> 1 /a/b")),
	    "x <*>:<*> <*> <*>");
}

static void
test_binary_bytes(void **state)
{
	char tok[4] = { 'a', '\0', (char)0xff, 'b' };
	char out[MASK_TOKEN_ROOM(4)];

	/* NUL and high bytes are just bytes. */
	assert_int_equal(mask_token(tok, 4, out), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_words),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_addresses_and_ids),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_literal_values),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_binary_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
