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
	assert_true(level("[Note]") == 0);	/* MySQL's */
	assert_true(level("WRN") == 1);		/* zerolog's */
	assert_true(level("FTL") == 4);
	assert_true(level("debug") == -2);
	assert_true(level("RAS") == -99);
	assert_true(level("") == -99);
	assert_true(level("[]") == -99);
	/* One letter is no level in a message ... */
	assert_true(level("E") == -99);
}

/* ... but it is in a field that holds the level (logcat, glog). */
static double
field(const char *s)
{
	double b;

	if (!severity_field(s, strlen(s), &b))
		return -99;
	return b;
}

static void
test_level_fields(void **state)
{
	assert_true(field("E") == 3);
	assert_true(field("W") == 1);
	assert_true(field("I") == 0);
	assert_true(field("D") == -2);
	assert_true(field("V") == -2);
	assert_true(field("F") == 4);
	assert_true(field("A") == 4);
	assert_true(field("[e]") == 3);
	assert_true(field("X") == -99);
	assert_true(field("ERROR") == 3);
	assert_true(field("info") == 0);
	assert_true(field("ER") == -99);
	/* log15's four letters (Grafana, geth). */
	assert_true(field("EROR") == 3);
	assert_true(field("dbug") == -2);
	assert_true(field("trce") == -2);
	/* A syslog priority: its low three bits, 0 emerg to 7 debug. */
	assert_true(field("<0>") == 4);
	assert_true(field("<11>") == 3);
	assert_true(field("<12>") == 1);
	assert_true(field("<14>") == 0);
	assert_true(field("<191>") == -2);
	assert_true(field("<192>") == -99);
	assert_true(field("<1x>") == -99);
	assert_true(field("<>") == -99);
	/* Redis's marks; "-" (verbose there) means no level elsewhere. */
	assert_true(field("#") == 1);
	assert_true(field("*") == 0);
	assert_true(field(".") == -2);
	assert_true(field("-") == -99);
}

/* ... and in a JSON record's level field. */
static double
record(const char *s, int priority)
{
	double b;

	if (!severity_record(s, strlen(s), priority, &b))
		return -99;
	return b;
}

static void
test_record_levels(void **state)
{
	/* journald's PRIORITY: a digit, 0 emerg to 7 debug. */
	assert_true(record("3", 1) == 3);
	assert_true(record("4", 1) == 1);
	assert_true(record("6", 1) == 0);
	assert_true(record("7", 1) == -2);
	assert_true(record("8", 1) == -99);
	assert_true(record("err", 1) == -99);
	/* ... which means nothing in a field of another name. */
	assert_true(record("3", 0) == -99);
	/* bunyan's and pino's numbers. */
	assert_true(record("10", 0) == -2);
	assert_true(record("30", 0) == 0);
	assert_true(record("40", 0) == 1);
	assert_true(record("50", 0) == 3);
	assert_true(record("60", 0) == 4);
	assert_true(record("70", 0) == -99);
	assert_true(record("35", 0) == -99);
	/* Words, as a header's field has them. */
	assert_true(record("ERROR", 0) == 3);
	assert_true(record("warning", 0) == 1);
	assert_true(record("W", 0) == 1);
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
	/* Levels only in a level field: in a sentence, words. */
	assert_true(words("Please note the backup failed") == 2);
	assert_true(words("inf values failed to load") == 2);
	/* ... or the value of a level key, as logfmt writes it. */
	assert_true(words("ts=2026-11-26T10:00:00Z level=error msg=\"x\"")
	    == 3);
	assert_true(words("lvl=\"WARN\" msg=slow") == 1);
	assert_true(words("severity=D msg=chatty") == -2);
	/* Not a level key: its value counts as a word (+2), not a level. */
	assert_true(words("levels=error cleared") == 2);
	/* A pair's value is a word of the message. */
	assert_true(words("ts=1 msg=\"failed to pull\" image=foo") == 2);
	assert_true(words("job=42 status=refused") == 2);
	assert_true(words("job=42 status=done") == 0);
	/* ... else a word that says something went wrong, once. */
	assert_true(words("connection to db refused, timeout") == 2);
	assert_true(words("Write failed: Connection reset by peer") == 2);
	/* An assertion that fired is a fault in any program. */
	assert_true(words("db hit ASSERT condition: expression=0") == 2);
	assert_true(words("assertion violated in scheduler") == 2);
	assert_true(words("all checks passing") == 0);
	/* Only whole words: "errorless" is not "error". */
	assert_true(words("errorless operation") == 0);
}

/* --severity-words: replace, extend, or none; bad lists are refused. */
static void
test_set_words(void **state)
{
	char *cause = NULL;

	assert_int_equal(severity_set_words("OOM, throttled", &cause), 0);
	assert_true(words("kernel says oom again") == 2);
	assert_true(words("request throttled: slow down") == 2);
	assert_true(words("connection refused") == 0);	/* replaced */
	/* Longer words than the built-in ones are looked at too. */
	assert_int_equal(severity_set_words("+split-brain-detected", &cause),
	    0);
	assert_true(words("cluster: split-brain-detected!") == 2);
	assert_true(words("connection refused") == 2);	/* extended */
	assert_int_equal(severity_set_words("", &cause), 0);
	assert_true(words("connection refused") == 0);
	/* Levels do not depend on the list. */
	assert_true(words("ERROR db: connection refused") == 3);

	assert_int_equal(severity_set_words("oom", &cause), 0);
	assert_int_equal(severity_set_words("ok,,--", &cause), -1);
	assert_string_equal(cause, "'--' has no letters");
	free(cause);
	/* A bad list changes nothing. */
	assert_true(words("kernel says oom again") == 2);
	assert_true(words("it is ok") == 0);
	assert_int_equal(severity_set_words(
	    "a-word-that-is-far-too-long-to-be-one", &cause), -1);
	assert_non_null(strstr(cause, "longer than 31 bytes"));
	free(cause);
	/* "+" alone is the built-in list again. */
	assert_int_equal(severity_set_words("+", &cause), 0);
	assert_true(words("connection to db refused, timeout") == 2);
	assert_true(words("kernel says oom again") == 0);
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
		cmocka_unit_test(test_level_fields),
		cmocka_unit_test(test_record_levels),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_set_words),
		cmocka_unit_test(test_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
