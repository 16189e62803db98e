/* Unit tests for drain.c and template.c: grouping and merging. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drain.h"
#include "template.h"
#include "tokenize.h"

static struct tokens *tk;
static struct drain *tree;

static int
setup(void **state)
{
	struct drain_params p = {
		DRAIN_DEFAULT_DEPTH, DRAIN_DEFAULT_SIMILARITY,
		DRAIN_DEFAULT_MAX_CHILDREN
	};

	tk = malloc(sizeof *tk);
	tree = drain_new(&p);
	return tk == NULL || tree == NULL;
}

static int
teardown(void **state)
{
	drain_free(tree);
	free(tk);
	return 0;
}

static struct template *
feed(const char *s, int learn, int *created)
{
	tokenize(s, strlen(s), tk);
	return drain_match(tree, tk, learn, created);
}

static void
test_same_shape_same_template(void **state)
{
	struct template *a, *b;
	int created;

	a = feed("PacketResponder 1 for block blk_38865 terminating", 1,
	    &created);
	assert_non_null(a);
	assert_true(created);
	assert_int_equal(a->id, 1);
	b = feed("PacketResponder 0 for block blk_-69522 terminating", 1,
	    &created);
	assert_ptr_equal(a, b);
	assert_false(created);
	assert_string_equal(template_text(a, NULL),
	    "PacketResponder <*> for block <*> terminating");
}

static void
test_merge_makes_variables(void **state)
{
	struct template *a, *b;
	int created;

	a = feed("session opened for user alice by sshd", 1, &created);
	assert_true(created);
	b = feed("session opened for user bob by sshd", 1, &created);
	assert_ptr_equal(a, b);
	assert_string_equal(template_text(a, NULL),
	    "session opened for user <*> by sshd");
	assert_int_equal(a->nwild, 1);
}

static void
test_dissimilar_lines_split(void **state)
{
	struct template *a, *b;
	int created;

	a = feed("disk sda is failing now badly", 1, &created);
	b = feed("disk sdb was replaced by operator yesterday", 1, &created);
	assert_true(created);
	assert_ptr_not_equal(a, b);
	/* Different lengths never share a template. */
	b = feed("disk sda is failing", 1, &created);
	assert_true(created);
	assert_ptr_not_equal(a, b);
}

static void
test_frozen_tree(void **state)
{
	struct template *a, *b;
	size_t before;
	int created;

	a = feed("cache hit ratio 0.91 over 1000 lookups", 1, &created);
	before = drain_count(tree);
	b = feed("cache hit ratio 0.95 over 1200 lookups", 0, &created);
	assert_ptr_equal(a, b);
	assert_false(created);
	b = feed("a line nobody has ever seen before here", 0, &created);
	assert_null(b);
	assert_int_equal(drain_count(tree), before);
}

static void
test_max_children(void **state)
{
	struct drain_params p = { 4, 0.4, 3 };
	struct drain *small = drain_new(&p);
	char line[64];
	int i, created;

	/* Past max_children, first tokens share the "<*>" child. */
	for (i = 0; i < 10; i++) {
		snprintf(line, sizeof line, "word%c says hello", 'a' + i);
		tokenize(line, strlen(line), tk);
		assert_non_null(drain_match(small, tk, 1, &created));
	}
	assert_true(drain_count(small) < 10);
	drain_free(small);
}

static void
test_values_at_variables(void **state)
{
	struct template_value vals[8];
	struct template *a;
	int created;

	feed("state of port eth0 is up now", 1, &created);
	feed("state of port eth1 is down now", 1, &created);
	a = feed("state of port eth2 is up now", 1, &created);
	assert_string_equal(template_text(a, NULL),
	    "state of port <*> is <*> now");
	assert_int_equal(template_values(a, tk, vals, 8), 2);
	assert_int_equal(vals[0].pos, 3);
	assert_int_equal(vals[0].len, 4);
	assert_memory_equal(vals[0].p, "eth2", 4);
	assert_int_equal(vals[1].pos, 5);
	assert_memory_equal(vals[1].p, "up", 2);
	/* A masked token is a value even where the template has its shape. */
	a = feed("peer 10.0.0.1:80 said hello", 1, &created);
	assert_int_equal(template_values(a, tk, vals, 8), 1);
	assert_int_equal(vals[0].len, 11);
	assert_int_equal(template_values(a, tk, vals, 0), 0);
}

static void
test_empty_message(void **state)
{
	struct template *a;
	int created;

	a = feed("", 1, &created);
	assert_non_null(a);
	assert_string_equal(template_text(a, NULL), "");
	assert_ptr_equal(feed("   ", 1, &created), a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_shape_same_template),
		cmocka_unit_test(test_merge_makes_variables),
		cmocka_unit_test(test_dissimilar_lines_split),
		cmocka_unit_test(test_frozen_tree),
		cmocka_unit_test(test_max_children),
		cmocka_unit_test(test_values_at_variables),
		cmocka_unit_test(test_empty_message),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
