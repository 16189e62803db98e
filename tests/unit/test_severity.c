/* Unit tests for severity.c: levels, words, statuses. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "severity.h"
#include "tokenize.h"

static double
level(const char *s)
{
	double b = -99;

	if (!severity_level(s, strlen(s), &b))
		return -99;
	return b;
}

static void
test_levels(void **state)
{
	assert_true(level("FATAL") == 4);
	assert_true(level("[crit]") == 4);
	assert_true(level("Error:") == 3);
	assert_true(level("<warn>") == 1);
	assert_true(level("INFO") == 0);
	assert_true(level("debug") == -2);
	assert_true(level("RAS") == -99);
	assert_true(level("") == -99);
	assert_true(level("[]") == -99);
}

static double
words(const char *s)
{
	static struct tokens tk;

	tokenize(s, strlen(s), &tk);
	return severity_words(&tk);
}

static void
test_words(void **state)
{
	/* A level among the first tokens wins ... */
	assert_true(words("ERROR db: connection refused") == 3);
	assert_true(words("2026-11-26 DEBUG cache warm") == -2);
	/* ... else a word that says something went wrong, once. */
	assert_true(words("connection to db refused, timeout") == 2);
	assert_true(words("Write failed: Connection reset by peer") == 2);
	assert_true(words("all checks passing") == 0);
	/* Only whole words: "errorless" is not "error". */
	assert_true(words("errorless operation") == 0);
}

static void
test_status(void **state)
{
	assert_true(severity_status("503", 3) == 3);
	assert_true(severity_status("404", 3) == 0.5);
	assert_true(severity_status("200", 3) == 0);
	assert_true(severity_status("5xx", 3) == 0);
	assert_true(severity_status("5000", 4) == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
