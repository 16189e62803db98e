/* Unit tests for tokenize.c: splitting, bounds, hashes. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "tokenize.h"

static struct tokens *tk;

static int
setup(void **state)
{
	tk = malloc(sizeof *tk);
	return tk == NULL;
}

static int
teardown(void **state)
{
	free(tk);
	return 0;
}

static void
run(const char *s)
{
	tokenize(s, strlen(s), tk);
}

static void
test_split_whitespace(void **state)
{
	run("  Received block\tblk_123 of  size 42 \r");
	assert_int_equal(tk->n, 6);
	assert_memory_equal(tk->tok[0].raw, "Received", 8);
	assert_int_equal(tk->tok[0].rawlen, 8);
	assert_memory_equal(tk->tok[2].shape, "<*>", 3);
	assert_true(tk->tok[2].flags & TOKEN_VAR);
	assert_false(tk->tok[1].flags & TOKEN_VAR);
	assert_int_equal(tk->cut, 0);
}

static void
test_equal_shapes_equal_hashes(void **state)
{
	uint64_t a, b, c;

	run("size 42");
	a = tk->tok[1].hash;
	run("size 777777");
	b = tk->tok[1].hash;
	assert_int_equal(a, b);
	assert_int_equal(a, token_wild_hash());
	run("size big");
	c = tk->tok[1].hash;
	assert_int_not_equal(a, c);
}

static void
test_empty(void **state)
{
	run("");
	assert_int_equal(tk->n, 0);
	run(" \t ");
	assert_int_equal(tk->n, 0);
}

static void
test_bounds(void **state)
{
	size_t len = TOKENS_PREFIX * 4, i;
	char *big = malloc(len);

	/* A long run of short tokens stops at TOKENS_MAX. */
	for (i = 0; i < len; i++)
		big[i] = (i % 2) ? ' ' : 'x';
	tokenize(big, len, tk);
	assert_int_equal(tk->n, TOKENS_MAX);
	assert_int_equal(tk->cut, 1);

	/* One giant token is a variable, and parsing stops at the prefix. */
	memset(big, 'a', len);
	tokenize(big, len, tk);
	assert_int_equal(tk->n, 1);
	assert_int_equal(tk->tok[0].rawlen, TOKENS_PREFIX);
	assert_true(tk->tok[0].flags & TOKEN_VAR);
	assert_int_equal(tk->cut, 1);
	free(big);
}

static void
test_many_masked_tokens_fit(void **state)
{
	char line[TOKENS_PREFIX];
	size_t i;

	/* Worst case for the shape buffer: short digit tokens everywhere. */
	for (i = 0; i + 1 < sizeof line; i += 2) {
		line[i] = '7';
		line[i + 1] = ' ';
	}
	tokenize(line, sizeof line, tk);
	assert_int_equal(tk->n, TOKENS_MAX);
	for (i = 0; i < tk->n; i++)
		assert_int_equal(tk->tok[i].hash, token_wild_hash());
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_whitespace),
		cmocka_unit_test(test_equal_shapes_equal_hashes),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_many_masked_tokens_fit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
