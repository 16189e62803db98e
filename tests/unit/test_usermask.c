/* Unit tests for usermask.c: user masks, their order and prefilter. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "usermask.h"

static struct token_span spans[16];

static size_t
find(struct usermask *um, const char *s)
{
	return usermask_find(um, s, strlen(s), spans, 16);
}

static void
test_matches(void **state)
{
	struct usermask *um = usermask_new();
	char *cause = NULL;
	const char *s = "tenant acme sess-0a1b2c3d and sess-99999999 tenant "
	    "globex";

	assert_int_equal(usermask_add(um, "SESSION=sess-[0-9a-f]{8}", &cause),
	    0);
	assert_int_equal(usermask_add(um, "TENANT=(?<=tenant )\\w+", &cause),
	    0);
	assert_int_equal(usermask_compile(um, &cause), 0);
	assert_int_equal(usermask_count(um), 2);
	assert_string_equal(usermask_names(um)[1], "TENANT");
	assert_int_equal(find(um, s), 4);
	assert_int_equal(spans[0].start, 7);
	assert_int_equal(spans[0].end, 11);
	assert_int_equal(spans[0].mask, 1);
	assert_int_equal(spans[1].start, 12);
	assert_int_equal(spans[1].mask, 0);
	assert_int_equal(spans[3].mask, 1);
	assert_int_equal(find(um, "nothing here"), 0);
	/* Bounded by max. */
	assert_int_equal(usermask_find(um, s, strlen(s), spans, 1), 1);
	usermask_free(um);
}

static void
test_groups_and_empty_matches(void **state)
{
	struct usermask *um = usermask_new();
	char *cause = NULL;

	/* A mask with groups of its own, and one that can match nothing. */
	assert_int_equal(usermask_add(um, "PAIR=(a|b)(c)", &cause), 0);
	assert_int_equal(usermask_add(um, "MAYBE=x*", &cause), 0);
	assert_int_equal(usermask_compile(um, &cause), 0);
	assert_int_equal(find(um, "ac bc xx"), 3);
	assert_int_equal(spans[0].mask, 0);
	assert_int_equal(spans[2].mask, 1);
	assert_int_equal(spans[2].start, 6);
	assert_int_equal(spans[2].end, 8);
	usermask_free(um);
}

/*
 * Overlaps go to the match that starts first, ties to the mask given
 * first; a mask's own groups and backreferences are its own; a message
 * without a byte a mask needs skips it, in either case for a caseless
 * one.
 */
static void
test_order_and_prefilter(void **state)
{
	struct usermask *um = usermask_new();
	char *cause = NULL;

	assert_int_equal(usermask_add(um, "AB=ab", &cause), 0);
	assert_int_equal(usermask_add(um, "ABC=abc", &cause), 0);
	assert_int_equal(usermask_add(um, "XAB=xab", &cause), 0);
	assert_int_equal(usermask_add(um, "DUP=(\\w)\\1", &cause), 0);
	assert_int_equal(usermask_add(um, "MAIL=[a-z]+@[a-z]+\\.[a-z]+",
	    &cause), 0);
	assert_int_equal(usermask_add(um, "ERR=(?i)err-[0-9]+", &cause), 0);
	assert_int_equal(usermask_compile(um, &cause), 0);

	assert_int_equal(find(um, "abc"), 1);
	assert_int_equal(spans[0].mask, 0);	/* a tie: the first given */
	assert_int_equal(spans[0].end, 2);
	assert_int_equal(find(um, "xabc"), 1);	/* "xab" starts first */
	assert_int_equal(spans[0].mask, 2);
	assert_int_equal(spans[0].end, 3);
	assert_int_equal(find(um, "hello"), 1);	/* \1 is DUP's own (l) */
	assert_int_equal(spans[0].mask, 3);
	assert_int_equal(spans[0].start, 2);
	assert_int_equal(find(um, "to bob@example.com now"), 1);
	assert_int_equal(spans[0].mask, 4);
	assert_int_equal(spans[0].start, 3);
	assert_int_equal(spans[0].end, 18);
	assert_int_equal(find(um, "to bob at example.com now"), 0);
	assert_int_equal(find(um, "code ERR-42 then err-7"), 2);
	assert_int_equal(spans[0].mask, 5);
	assert_int_equal(spans[1].mask, 5);
	assert_int_equal(spans[1].start, 17);
	usermask_free(um);
}

/*
 * The bytes read off a pattern to skip a line must be in every match:
 * not one a quantifier makes optional, nor one in a group, an
 * alternative or a class, nor a letter under (?i).  Each message here
 * lacks such a byte and has a match.
 */
static void
test_prefilter_literals(void **state)
{
	static const struct {
		const char	*mask, *msg;
		unsigned	 start, end;
	} c[] = {
		{ "M=colou?r#", "color# x", 0, 6 },
		{ "M=ab{0,2}c%", "ac% x", 0, 3 },
		{ "M=x*@y+!", "@yy!", 0, 4 },
		{ "M=x{0}@!", "@!", 0, 2 },
		{ "M=(foo|bar)@#", "bar@#", 0, 5 },
		{ "M=q@|#z", "#z", 0, 2 },
		{ "M=[%&]@!", "&@!", 0, 3 },
		{ "M=(?i)K@!", "k@!", 0, 3 },
		{ "M=(?:K)?@!", "@!", 0, 2 },
		{ "M=\\x4B@!", "K@!", 0, 3 },
		{ "M=K\\d{2,}+@", "K123@", 0, 5 },
		{ "M=\\bK\\.@!", "K.@!", 0, 4 },
	};
	struct usermask *um;
	char *cause = NULL;
	size_t i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		um = usermask_new();
		assert_int_equal(usermask_add(um, c[i].mask, &cause), 0);
		assert_int_equal(usermask_compile(um, &cause), 0);
		if (find(um, c[i].msg) != 1 || spans[0].start != c[i].start ||
		    spans[0].end != c[i].end)
			fail_msg("%s on \"%s\"", c[i].mask, c[i].msg);
		usermask_free(um);
	}
}

/*
 * Masks that look beyond their own search (\\G here) are searched as one
 * alternation, where \\G means the end of the last match of any mask.
 */
static void
test_alternation(void **state)
{
	struct usermask *um = usermask_new();
	char *cause = NULL;

	assert_int_equal(usermask_add(um, "A=a", &cause), 0);
	assert_int_equal(usermask_add(um, "B=\\Gb", &cause), 0);
	assert_int_equal(usermask_compile(um, &cause), 0);
	assert_int_equal(find(um, "ab"), 2);
	assert_int_equal(spans[1].mask, 1);
	assert_int_equal(spans[1].start, 1);
	assert_int_equal(find(um, "a b"), 1);
	assert_int_equal(find(um, "xyz"), 0);
	usermask_free(um);
}

/*
 * A mask that is one class repeated skips messages without a long enough
 * run of the class; what it finds must not change: runs one short, at
 * either end, after a short one, and classes pcre2 reads its own way.
 */
static void
test_class_runs(void **state)
{
	struct usermask *um = usermask_new();
	char *cause = NULL;

	assert_int_equal(usermask_add(um, "HEX=[0-9a-f]{8}", &cause), 0);
	assert_int_equal(usermask_add(um, "PORT=\\b\\d{5,}\\b", &cause), 0);
	assert_int_equal(usermask_add(um, "BR=[]x]{4}", &cause), 0);
	assert_int_equal(usermask_add(um, "WORD=[^ ]{12}", &cause), 0);
	assert_int_equal(usermask_add(um, "XD=[[:xdigit:]]{10}", &cause), 0);
	assert_int_equal(usermask_compile(um, &cause), 0);

	assert_int_equal(find(um, "id 0123abc."), 0);	/* one short */
	assert_int_equal(find(um, "0123abcd"), 1);	/* the whole message */
	assert_int_equal(spans[0].mask, 0);
	assert_int_equal(spans[0].end, 8);
	assert_int_equal(find(um, "ab 12345x7 89abcdef0"), 1);
	assert_int_equal(spans[0].start, 11);	/* after a short run */
	assert_int_equal(spans[0].end, 19);
	assert_int_equal(find(um, "port 4242 then 65535"), 1);
	assert_int_equal(spans[0].mask, 1);
	assert_int_equal(spans[0].start, 15);
	assert_int_equal(find(um, "x123456y"), 0);	/* no \\b: no match */
	assert_int_equal(find(um, "a ]]x] b"), 1);	/* ']' in the class */
	assert_int_equal(spans[0].mask, 2);
	assert_int_equal(spans[0].start, 2);
	assert_int_equal(find(um, "go to /usr/local/bin"), 1);
	assert_int_equal(spans[0].mask, 3);
	assert_int_equal(spans[0].start, 6);
	assert_int_equal(find(um, "zz A1B2C3d4e5 zz"), 1); /* upper case too */
	assert_int_equal(spans[0].mask, 4);
	assert_int_equal(spans[0].start, 3);
	usermask_free(um);

	/* "{12,,,,,,,}" is no quantifier to pcre2 but text: one class
	 * byte and eleven more, twelve in all, and no run to look for. */
	um = usermask_new();
	assert_int_equal(usermask_add(um, "LIT=[a-c]{12,,,,,,,}", &cause), 0);
	assert_int_equal(usermask_compile(um, &cause), 0);
	assert_int_equal(find(um, "x b{12,,,,,,,} y"), 1);
	assert_int_equal(spans[0].start, 2);
	assert_int_equal(spans[0].end, 14);
	usermask_free(um);

	/* Text that looks like a quantifier's tail from its first byte
	 * (the sanitizer build reads the bytes before it). */
	um = usermask_new();
	assert_int_equal(usermask_add(um, "T=,72030}", &cause), 0);
	assert_int_equal(usermask_compile(um, &cause), 0);
	assert_int_equal(find(um, "a ,72030} b"), 1);
	assert_int_equal(spans[0].start, 2);
	usermask_free(um);
}

static void
test_errors(void **state)
{
	struct usermask *um = usermask_new();
	char *cause = NULL;

	assert_int_equal(usermask_add(um, "NOEQUALS", &cause), -1);
	assert_non_null(strstr(cause, "NAME=REGEX"));
	free(cause);
	assert_int_equal(usermask_add(um, "1BAD=x", &cause), -1);
	assert_non_null(strstr(cause, "a name is a letter"));
	free(cause);
	assert_int_equal(usermask_add(um, "EMPTY=", &cause), -1);
	assert_non_null(strstr(cause, "empty regex"));
	free(cause);
	assert_int_equal(usermask_add(um, "AVERYLONGMASKNAME17=x", &cause),
	    -1);
	assert_non_null(strstr(cause, "longer than"));
	free(cause);
	assert_int_equal(usermask_add(um, "P=(x", &cause), -1);
	assert_non_null(strstr(cause, "--mask P: invalid regex"));
	assert_non_null(strstr(cause, "offset 2"));
	free(cause);
	assert_int_equal(usermask_add(um, "A=x", &cause), 0);
	assert_int_equal(usermask_add(um, "A=y", &cause), -1);
	assert_non_null(strstr(cause, "twice"));
	free(cause);
	usermask_free(um);
	/* No masks: nothing compiled, nothing found. */
	um = usermask_new();
	assert_int_equal(usermask_compile(um, &cause), 0);
	assert_int_equal(find(um, "anything"), 0);
	usermask_free(um);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches),
		cmocka_unit_test(test_groups_and_empty_matches),
		cmocka_unit_test(test_order_and_prefilter),
		cmocka_unit_test(test_prefilter_literals),
		cmocka_unit_test(test_alternation),
		cmocka_unit_test(test_class_runs),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
