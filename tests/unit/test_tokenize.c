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
	tk = tokens_new();
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

/* A queue id of hex letters only is a variable, as one with a digit
 * is; a long word of other letters is not. */
static void
test_hex_id_without_digits(void **state)
{
	run("postfix/qmgr: BEADFACEDB: removed Acknowledged");
	assert_int_equal(tk->n, 4);
	assert_true(tk->tok[1].flags & TOKEN_VAR);
	assert_int_equal(tk->tok[1].len, 4);
	assert_memory_equal(tk->tok[1].shape, "<*>:", 4);
	assert_false(tk->tok[3].flags & TOKEN_VAR);
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

/* Fill buf[0..len) with copies of unit, cut off at the end. */
static void
fill(char *buf, size_t len, const char *unit)
{
	size_t i, n = strlen(unit);

	for (i = 0; i < len; i++)
		buf[i] = unit[i % n];
}

static void
test_long_tokens(void **state)
{
	char line[TOKENS_PREFIX];
	size_t i, len;

	/* Past TOKEN_LONG, a token in base64's alphabet is one variable. */
	fill(line, TOKEN_LONG + 1, "Zk+x/Qw=");
	tokenize(line, TOKEN_LONG + 1, tk);
	assert_int_equal(tk->n, 1);
	assert_true(tk->tok[0].flags & TOKEN_VAR);
	assert_int_equal(tk->tok[0].hash, token_wild_hash());

	/* A long list of keys keeps them, up to TOKEN_HUGE bytes. */
	fill(line, TOKEN_HUGE, "policy=3,");
	tokenize(line, TOKEN_HUGE, tk);
	assert_int_equal(tk->n, 1);
	assert_true(tk->tok[0].flags & TOKEN_VAR);
	assert_memory_equal(tk->tok[0].shape, "policy=<*>,policy=<*>,", 22);
	tokenize(line, TOKEN_HUGE + 1, tk);
	assert_int_equal(tk->tok[0].hash, token_wild_hash());

	/* The shape buffer holds a message of such tokens, each masked
	 * piece by piece. */
	for (i = 0; i + TOKEN_HUGE + 1 <= sizeof line; i += TOKEN_HUGE + 1) {
		fill(line + i, TOKEN_HUGE, "a=1,");
		line[i + TOKEN_HUGE] = ' ';
	}
	len = i;
	tokenize(line, len, tk);
	assert_int_equal(tk->n, len / (TOKEN_HUGE + 1));
	for (i = 0; i < tk->n; i++)
		assert_memory_equal(tk->tok[i].shape, "a=<*>,a=<*>,", 12);
}

static int
is(size_t i, const char *raw, const char *shape)
{
	const struct token *t = &tk->tok[i];

	return t->rawlen == strlen(raw) && memcmp(t->raw, raw, t->rawlen) ==
	    0 && t->len == strlen(shape) && memcmp(t->shape, shape, t->len) ==
	    0;
}

static void
test_delimiters(void **state)
{
	struct tokenizer tz;
	const char *s = "a=1,b=x c";

	memset(&tz, 0, sizeof tz);
	tz.delim['='] = tz.delim[','] = 1;
	tz.any_delim = 1;
	tk->nspans = 0;
	tokenize_with(&tz, s, strlen(s), tk);
	assert_int_equal(tk->n, 5);
	assert_true(is(0, "a=", "a="));
	assert_true(is(1, "1,", "<*>,"));
	assert_true(is(2, "b=", "b="));
	assert_true(is(3, "x", "x"));
	assert_true(is(4, "c", "c"));
	assert_false(tk->tok[0].flags & TOKEN_JOINED);
	assert_true(tk->tok[1].flags & TOKEN_JOINED);
	assert_true(tk->tok[3].flags & TOKEN_JOINED);
	assert_false(tk->tok[4].flags & TOKEN_JOINED);
	/* Without delimiters the same line is two tokens. */
	run(s);
	assert_int_equal(tk->n, 2);
}

/* A JSON object read as text cuts at ',' and ':' outside strings only,
 * so a value is one token whatever it holds. */
static void
test_json_delimiters(void **state)
{
	struct tokenizer tz;
	const char *s = "{\"t\":\"10:00:01\",\"q\":\"a\\\",b\",\"m\":\"x, y\"}";
	size_t i;

	memset(&tz, 0, sizeof tz);
	tz.delim[':'] = tz.delim[','] = 1;
	tz.any_delim = 1;
	tz.json = 1;
	tk->nspans = 0;
	tokenize_with(&tz, s, strlen(s), tk);
	assert_int_equal(tk->n, 7);
	assert_true(tk->tok[0].rawlen == 5 &&
	    memcmp(tk->tok[0].raw, "{\"t\":", 5) == 0);
	assert_true(tk->tok[1].rawlen == 11 &&
	    memcmp(tk->tok[1].raw, "\"10:00:01\",", 11) == 0);
	/* An escaped quote does not end the string. */
	assert_true(tk->tok[3].rawlen == 8 &&
	    memcmp(tk->tok[3].raw, "\"a\\\",b\",", 8) == 0);
	/* A comma in a string before a space: the space cuts, and the
	 * next token is not joined to it. */
	assert_true(tk->tok[5].rawlen == 3 &&
	    memcmp(tk->tok[5].raw, "\"x,", 3) == 0);
	assert_false(tk->tok[6].flags & TOKEN_JOINED);
	for (i = 1; i < 6; i++)
		assert_true(tk->tok[i].flags & TOKEN_JOINED);
}

static void
test_user_spans(void **state)
{
	static const char *const names[] = { "SESSION", "TENANT" };
	struct tokenizer tz;
	const char *s = "open sess 1234 for acme-corp now";
	char out[64];
	size_t n;

	memset(&tz, 0, sizeof tz);
	tz.mask_names = names;
	tz.nmasks = 2;
	/* "sess 1234" (a space inside) and "acme" (part of a token). */
	tk->spans[0].start = 5;
	tk->spans[0].end = 14;
	tk->spans[0].mask = 0;
	tk->spans[1].start = 19;
	tk->spans[1].end = 23;
	tk->spans[1].mask = 1;
	tk->nspans = 2;
	tokenize_with(&tz, s, strlen(s), tk);
	assert_int_equal(tk->n, 5);
	assert_true(is(1, "sess 1234", "<*>"));
	assert_true(tk->tok[1].flags & TOKEN_USER);
	assert_true(is(3, "acme-corp", "<*>-corp"));
	assert_true(is(4, "now", "now"));
	n = token_tags(tk, 1, out, sizeof out);
	assert_int_equal(n, 9);
	assert_memory_equal(out, "<SESSION>", 9);
	n = token_tags(tk, 3, out, sizeof out);
	assert_memory_equal(out, "<TENANT>-corp", n);
	assert_int_equal(token_tags(tk, 3, out, 4), 0);	/* no room */
	assert_int_equal(token_tags(tk, 4, out, sizeof out), 0);
}

static void
test_context_words(void **state)
{
	run("estimated size 5.2 KB, free (0.0 KB) now");
	/* A unit is its own shape, a variable's. */
	assert_true(is(3, "KB,", "KB,"));
	assert_true(tk->tok[3].flags & TOKEN_UNIT);
	assert_true(tk->tok[3].flags & TOKEN_VAR);
	assert_true(is(6, "KB)", "KB)"));
	run("a KB of text");	/* no number before it */
	assert_false(tk->tok[1].flags & TOKEN_VAR);
	run("at Fri Jul  1 07:57:30 2005 ok");
	assert_true(is(1, "Fri", "<*>"));
	assert_true(is(2, "Jul", "<*>"));
	assert_true(tk->tok[2].flags & TOKEN_STAMP);
	assert_false(tk->tok[6].flags & TOKEN_VAR);
	run("May I help you on Monday");	/* no number by them */
	assert_false(tk->tok[0].flags & TOKEN_VAR);
	assert_false(tk->tok[5].flags & TOKEN_VAR);
	/* An HTTP version after a request's target is part of it. */
	run("\"GET /v2/servers/detail HTTP/1.1\" status: 200");
	assert_true(is(2, "HTTP/1.1\"", "<*>\""));
	assert_true(tk->tok[2].flags & TOKEN_UNIT);
	run("\"GET / HTTP/1.1\" 200");	/* whatever the target */
	assert_true(is(2, "HTTP/1.1\"", "<*>\""));
	/* It is no time stamp: a day name after it stays a word. */
	run("\"GET /a HTTP/1.1\" Mon ok");
	assert_false(tk->tok[3].flags & TOKEN_VAR);
	run("it speaks HTTP/2 only");	/* no method before it */
	assert_true(is(2, "HTTP/2", "HTTP/<*>"));
	assert_false(tk->tok[2].flags & TOKEN_UNIT);
	run("GET /a HTTP/1.1x");	/* not a version */
	assert_false(tk->tok[2].flags & TOKEN_UNIT);
}

static void
test_kinds(void **state)
{
	run("src: a=b ***** - (12, node-7 x:: 4");
	assert_true(tk->tok[0].flags & TOKEN_KEY);
	assert_true(tk->tok[1].flags & TOKEN_KEY);
	assert_true(tk->tok[2].flags & TOKEN_MARK);
	assert_false(tk->tok[3].flags & TOKEN_MARK);	/* a lone dash */
	assert_true(tk->tok[4].flags & TOKEN_PURE);
	assert_false(tk->tok[5].flags & TOKEN_PURE);	/* "node-<*>" */
	assert_false(tk->tok[6].flags & TOKEN_KEY);
	assert_true(tk->tok[7].flags & TOKEN_PURE);
}

static void
test_nonce_words(void **state)
{
	/* A word of digits' kind never reaches the masks but for its
	 * length: a nonce of letters only is still a variable. */
	run("echo BECOME-SUCCESS-qwertyuiopasdfghjklzxcvbnmqwerty done");
	assert_int_equal(tk->n, 3);
	assert_false(tk->tok[0].flags & TOKEN_VAR);
	assert_true(tk->tok[1].flags & TOKEN_VAR);
	assert_memory_equal(tk->tok[1].shape, "BECOME-SUCCESS-<*>", 18);
	run("a-word-that-is-long-but-plain");
	assert_false(tk->tok[0].flags & TOKEN_VAR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_whitespace),
		cmocka_unit_test(test_hex_id_without_digits),
		cmocka_unit_test(test_equal_shapes_equal_hashes),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_many_masked_tokens_fit),
		cmocka_unit_test(test_long_tokens),
		cmocka_unit_test(test_delimiters),
		cmocka_unit_test(test_json_delimiters),
		cmocka_unit_test(test_user_spans),
		cmocka_unit_test(test_context_words),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_nonce_words),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
