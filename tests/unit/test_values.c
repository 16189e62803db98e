/* Unit tests for values.c: variety, magnitude, counters, splitting. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <float.h>
#include <stdio.h>
#include <string.h>
#include <xxhash.h>

#include "values.h"

static void
learn(struct value_slot *s, const char *v)
{
	struct value val;

	value_read(&val, v, strlen(v), XXH3_64bits(v, strlen(v)));
	value_learn(s, &val);
}

static struct value_judgement
judge(const struct value_slot *s, const char *v)
{
	struct value_judgement j;
	struct value val;

	value_read(&val, v, strlen(v), XXH3_64bits(v, strlen(v)));
	value_judge(s, &val, &j);
	return j;
}

static void
test_new_value_in_few_valued_spot(void **state)
{
	static const char *const states[] = { "up", "down", "degraded" };
	struct value_slot s;
	struct value_judgement j;
	int i;

	value_slot_init(&s);
	for (i = 0; i < 300; i++)
		learn(&s, states[i % 3]);
	j = judge(&s, "down");
	assert_int_equal(j.finding, VALUE_NONE);
	j = judge(&s, "exploded");
	assert_int_equal(j.finding, VALUE_UNSEEN);
	assert_true(j.bits > 8);	/* about log2(302) */
	assert_int_equal(j.distinct, 3);
}

/*
 * The gates: a spot that said one thing 20 times and another once (P_v =
 * 1.5 / 22, under 1/8) judges a third; one with fewer than ten lines per
 * distinct value has not shown itself stable and does not.
 */
static void
test_unseen_value_gate(void **state)
{
	static const char *const few[] = { "a1", "b2", "c3", "d4", "e5",
	    "f6", "g7", "h8" };
	struct value_slot s;
	struct value_judgement j;
	int i;

	value_slot_init(&s);
	for (i = 0; i < 20; i++)
		learn(&s, "0x00004ed8");
	learn(&s, "0x0062fe04");
	j = judge(&s, "0x11b3f3c0");
	assert_int_equal(j.finding, VALUE_UNSEEN);
	assert_true(j.bits > 3 && j.bits < 4);	/* log2(22 / 1.5) */

	value_slot_init(&s);
	for (i = 0; i < 80; i++)
		learn(&s, few[i % 8]);
	learn(&s, "z9");
	j = judge(&s, "y8");
	assert_int_equal(j.finding, VALUE_NONE);
}

static void
test_new_value_in_id_spot_is_quiet(void **state)
{
	struct value_slot s;
	struct value_judgement j;
	char id[32];
	int i;

	value_slot_init(&s);
	for (i = 0; i < 300; i++) {
		snprintf(id, sizeof id, "req-%08x", (unsigned)(i * 2654435761u));
		learn(&s, id);
	}
	j = judge(&s, "req-deadbeef");
	assert_true(j.bits < 1);
}

static void
test_duration_outlier(void **state)
{
	struct value_slot s;
	struct value_judgement j;
	char v[16];
	int i;

	value_slot_init(&s);
	for (i = 0; i < 500; i++) {
		snprintf(v, sizeof v, "%dms", 1 + i % 5);
		learn(&s, v);
	}
	j = judge(&s, "3000ms");
	assert_int_equal(j.finding, VALUE_OUTLIER);
	assert_true(j.bits > 15);
	j = judge(&s, "4ms");
	assert_int_equal(j.finding, VALUE_NONE);
	j = judge(&s, "6ms");	/* new, but within an octave: not news */
	assert_true(j.finding != VALUE_OUTLIER || j.bits < 10);
}

/*
 * A position's numbers compare in the unit of its first: 8.214 s where
 * tens of milliseconds are usual is far out, and so is 14.2 GiB where
 * tens of MiB are; 0.045 s is not.
 */
static void
test_units(void **state)
{
	struct value_slot s, m;
	struct value_judgement j;
	char v[16];
	int i;

	value_slot_init(&s);
	value_slot_init(&m);
	for (i = 0; i < 500; i++) {
		snprintf(v, sizeof v, "%dms", 30 + i % 60);
		learn(&s, v);
		snprintf(v, sizeof v, "%d.%d MiB", 10 + i % 50, i % 10);
		learn(&m, v);
	}
	j = judge(&s, "8.214s");
	assert_int_equal(j.finding, VALUE_OUTLIER);
	assert_true(j.bits > 10);
	j = judge(&s, "0.045s");
	assert_true(j.bits < 3);
	j = judge(&s, "1m2s");
	assert_int_equal(j.finding, VALUE_OUTLIER);
	j = judge(&m, "14.2 GiB");
	assert_int_equal(j.finding, VALUE_OUTLIER);
	j = judge(&m, "20480 KiB");
	assert_true(j.bits < 3);
}

/*
 * A lone "m" or "d" is minutes or days where the position holds times
 * (Elasticsearch's "[1.2m]" among "[850ms]"), and no unit elsewhere
 * (Kubernetes' millicores, "250m").
 */
static void
test_short_units(void **state)
{
	struct value_slot t, c;
	struct value_judgement j;
	char v[16];
	int i;

	value_slot_init(&t);
	value_slot_init(&c);
	for (i = 0; i < 500; i++) {
		snprintf(v, sizeof v, i % 2 ? "1%03dms" : "1.%ds", i % 10);
		learn(&t, v);
		snprintf(v, sizeof v, "%dm", 200 + i % 100);
		learn(&c, v);
	}
	j = judge(&t, "0.5m");		/* 30 s */
	assert_int_equal(j.finding, VALUE_OUTLIER);
	assert_true(j.bits > 10);
	j = judge(&t, "2d");
	assert_int_equal(j.finding, VALUE_OUTLIER);
	j = judge(&t, "1.5s");
	assert_int_equal(j.finding, VALUE_NONE);
	j = judge(&c, "250m");
	assert_int_equal(j.finding, VALUE_NONE);
	j = judge(&c, "2m");		/* not two minutes: 2, far below */
	assert_int_equal(j.finding, VALUE_OUTLIER);
}

static void
test_growing_counter_is_quiet(void **state)
{
	struct value_slot s;
	struct value_judgement j;
	char v[32];
	int i;

	value_slot_init(&s);
	for (i = 0; i < 2000; i++) {
		snprintf(v, sizeof v, "%d", 1000 + i * 7);
		learn(&s, v);
	}
	snprintf(v, sizeof v, "%d", 1000 + 2000 * 7 + 40000);
	j = judge(&s, v);
	assert_true(j.bits < 5);
	/* Nor is it news when the count starts again, as after a restart
	 * (MySQL's connection ids). */
	j = judge(&s, "12");
	assert_true(j.bits < 5);
}

/*
 * A day's running total (steps, calories) climbs and sits still in
 * turns; at midnight it starts again from 0.  A long pause says the high
 * again and again, and is no sign that the spot stopped counting.
 */
static void
test_counter_that_pauses_is_quiet(void **state)
{
	struct value_slot s;
	struct value_judgement j;
	char v[32];
	int i, total = 126000;

	value_slot_init(&s);
	for (i = 0; i < 600; i++) {
		if (i % 100 < 40)
			total += 20 + i % 7;	/* walking */
		snprintf(v, sizeof v, "%d", total);	/* or sitting */
		learn(&s, v);
	}
	j = judge(&s, "0");
	assert_int_equal(j.finding, VALUE_NONE);
	j = judge(&s, "35");
	assert_int_equal(j.finding, VALUE_NONE);
}

/*
 * A value of a shape the position never held is news beyond a new value:
 * letters where numbers and hex were, a word where numbers were.  Hex
 * without letters, or words among hex ids, are what hex does by chance.
 */
static void
test_new_shape(void **state)
{
	static const char *const flags[] = { "40000500", "40000600", "508",
	    "708", "c0000700" };
	struct value_slot s, ids, lat;
	struct value_judgement j, plain;
	char v[32];
	int i;

	value_slot_init(&s);
	for (i = 0; i < 200; i++)
		learn(&s, flags[i % 5]);
	learn(&s, "c0000800");		/* a value seen once, no shape */
	plain = judge(&s, "40000900");	/* new, of a known shape */
	assert_int_equal(plain.finding, VALUE_UNSEEN);
	assert_false(plain.new_shape);
	j = judge(&s, "t8044832");
	assert_int_equal(j.finding, VALUE_UNSEEN);
	assert_true(j.new_shape);
	assert_true(j.bits > plain.bits + 1.5);	/* 0.5 / 202, not 1.5 / 202 */

	/* Hex ids: one with no letter, or no digit, is no new shape. */
	value_slot_init(&ids);
	for (i = 0; i < 200; i++) {
		snprintf(v, sizeof v, "%08x", 0x9e3779b9u * (unsigned)i |
		    0xa0000000u);
		learn(&ids, v);
	}
	assert_false(judge(&ids, "12345678").new_shape);
	assert_false(judge(&ids, "deadbeef").new_shape);
	assert_true(judge(&ids, "g1234567").new_shape);

	/* A word where a number always was; a number is no shape news. */
	value_slot_init(&lat);
	for (i = 0; i < 200; i++) {
		snprintf(v, sizeof v, "%d", 3 + i % 5);
		learn(&lat, v);
	}
	j = judge(&lat, "null");
	assert_true(j.new_shape);
	assert_int_equal(j.finding, VALUE_UNSEEN);
	assert_false(judge(&lat, "4.5").new_shape);
}

/* Where numbers keep to a range, one far below it is news. */
static void
test_low_outlier(void **state)
{
	struct value_slot s;
	struct value_judgement j;
	char v[32];
	int i;

	value_slot_init(&s);
	for (i = 0; i < 2000; i++) {
		snprintf(v, sizeof v, "%u", 800 + (unsigned)(i * 2654435761u) %
		    400);
		learn(&s, v);
	}
	j = judge(&s, "3");
	assert_int_equal(j.finding, VALUE_OUTLIER);
	assert_true(j.bits > 10);
	j = judge(&s, "950");
	assert_int_equal(j.finding, VALUE_NONE);
}

static void
test_numbers(void **state)
{
	double x;
	int u;

	assert_true(value_number("42", 2, &x, &u) && x == 42);
	assert_int_equal(u, VALUE_UNIT_NONE);
	assert_true(value_number("-3.5", 4, &x, &u) && x == -3.5);
	assert_true(value_number("120ms", 5, &x, &u) && x == 120);
	assert_int_not_equal(u, VALUE_UNIT_NONE);
	assert_false(value_number("0x1f", 4, &x, &u));
	assert_false(value_number("0042", 4, &x, &u));
	assert_true(value_number("0.5", 3, &x, &u) && x == 0.5);
	assert_true(value_number("0", 1, &x, &u) && x == 0);
	assert_false(value_number("abc", 3, &x, &u));
	assert_false(value_number("12a3", 4, &x, &u));
	assert_false(value_number("", 0, &x, &u));
	/* Past a double's range: the farthest number there is. */
	assert_true(value_number("1e999", 5, &x, &u) && x == DBL_MAX);
	assert_true(value_number("-1e999", 6, &x, &u) && x == -DBL_MAX);
	assert_true(value_number("1e308", 5, &x, &u) && x == 1e308);
	/* Go's durations, in seconds. */
	assert_true(value_number("4m12.5s", 7, &x, &u) && x == 252.5);
	assert_true(value_number("1h0m2s", 6, &x, &u) && x == 3602);
	assert_false(value_number("2s4m", 4, &x, &u));	/* not in order */
	assert_false(value_number("5m3x", 4, &x, &u));
	/* A lone "m" is read, and test_short_units() says what it is. */
	assert_true(value_number("500m", 4, &x, &u) && x == 500);
	/* A NUL byte is no unit, nor part of one. */
	assert_false(value_number("1h\0\0\0002s", 7, &x, &u));
	assert_true(value_number("5ms\0", 4, &x, &u) && x == 5);
	assert_int_equal(u, VALUE_UNIT_NONE);
}

static void
test_split(void **state)
{
	const char *part[8];
	size_t len[8], n;

	n = value_split("<*>:<*>", 7, "10.0.0.1:50010", 14, part, len, 8);
	assert_int_equal(n, 2);
	assert_int_equal(len[0], 8);
	assert_memory_equal(part[1], "50010", 5);
	n = value_split("<*>", 3, "whole", 5, part, len, 8);
	assert_int_equal(n, 1);
	assert_int_equal(len[0], 5);
	n = value_split("user=<*>,", 9, "user=bob,", 9, part, len, 8);
	assert_int_equal(n, 1);
	assert_memory_equal(part[0], "bob", 3);
	/* Does not align: the whole token. */
	n = value_split("<*>:<*>", 7, "nocolon", 7, part, len, 8);
	assert_int_equal(n, 1);
	assert_int_equal(len[0], 7);
	n = value_split("plain", 5, "plain", 5, part, len, 8);
	assert_int_equal(n, 1);
	/* A host and port held as one token are two values ... */
	n = value_split("<*>", 3, "/10.0.0.1:50010", 15, part, len, 8);
	assert_int_equal(n, 2);
	assert_int_equal(len[0], 9);
	assert_memory_equal(part[1], "50010", 5);
	/* ... but a long number after a colon is not a port, nor one
	 * with nothing before it. */
	n = value_split("<*>", 3, "id:1234567", 10, part, len, 8);
	assert_int_equal(n, 1);
	n = value_split("<*>", 3, ":80", 3, part, len, 8);
	assert_int_equal(n, 1);
}

/*
 * A seldom value's count of late, across the clock's rebase: after two
 * billion values at one position the clock goes back a quarter of its
 * range, and the counts go on as if it had not.  (The clock is set
 * forward by hand; learning two billion values would take minutes.)
 */
static void
test_late_across_clock_rebase(void **state)
{
	struct value_slot s;
	struct value_judgement j;
	double most = 0;
	int i;

	(void)state;
	value_slot_init(&s);
	for (i = 0; i < 4000; i++)
		learn(&s, i % 400 == 7 ? "500" : "200");
	s.clock = (UINT32_C(1) << 31) - 10;
	for (i = 0; i < s.ndistinct; i++)
		s.lt[i].at += s.clock - 4000;
	for (i = 0; i < 40; i++) {
		j = judge(&s, i % 2 ? "500" : "200");
		if (i % 2 && j.share > most)
			most = j.share;
		learn(&s, i % 2 ? "500" : "200");
		assert_true(s.clock < UINT32_C(1) << 31);
		assert_true(s.lt[0].at <= s.clock && s.lt[1].at <= s.clock);
	}
	assert_true(s.clock == (UINT32_C(1) << 30) + 30);
	/* Every other value: far over its one in four hundred, told before
	 * and after the rebase alike, the count going on. */
	assert_true(most > 10);
	j = judge(&s, "500");
	assert_true(j.late > 12 && j.late < 20);
}

/* The highest share score of "500" over n values, one in every `every`,
 * "200" otherwise. */
static double
storm(struct value_slot *s, int n, int every)
{
	struct value_judgement j;
	double most = 0;
	int i;

	for (i = 0; i < n; i++) {
		const char *v = i % every == every - 1 ? "500" : "200";

		j = judge(s, v);
		if (j.share > most)
			most = j.share;
		learn(s, v);
	}
	return most;
}

/*
 * A storm is news each time it comes: the first one's comings do not
 * teach the value that it comes in clumps that big.
 */
static void
test_second_storm_is_news(void **state)
{
	struct value_slot s;

	(void)state;
	value_slot_init(&s);
	assert_true(storm(&s, 10000, 500) < 5);
	assert_true(storm(&s, 200, 3) > 10);
	assert_true(storm(&s, 10000, 500) < 5);
	assert_true(storm(&s, 200, 3) > 10);
}

/*
 * A value that never goes quiet (one in twenty, a spell that never
 * ends) is judged after its counts have halved as well as before.
 */
static void
test_steady_value_judged_after_fading(void **state)
{
	struct value_slot s;
	int i;

	(void)state;
	value_slot_init(&s);
	storm(&s, 4000, 20);
	for (i = 0; i < 4; i++) {
		value_fade(&s);
		storm(&s, 2000, 20);
	}
	assert_true(storm(&s, 60, 2) > 10);
}

/* Twelve statuses, "200" most of them, over n values. */
static void
busy_statuses(struct value_slot *s, int n)
{
	static const char *const st[] = { "201", "204", "301", "302", "304",
	    "400", "401", "404", "499", "500", "502" };
	int i;

	for (i = 0; i < n; i++)
		learn(s, i % 3 ? "200" : st[i % 11]);
}

/*
 * A status never seen at a position of twelve (no news as a new value)
 * that becomes nine lines in ten, a scanner's 403s among the usual
 * requests: the others still come, so it has not taken their place, and
 * its share of late is told.  A value that is every one since it began
 * (a new day in a date, a new pid after a restart) has taken the place
 * of another and is not judged on its share.
 */
static void
test_new_value_storm_is_no_takeover(void **state)
{
	struct value_slot s;
	struct value_judgement j;
	char v[16];
	double most = 0;
	int i;

	(void)state;
	value_slot_init(&s);
	busy_statuses(&s, 6000);
	for (i = 0; i < 60; i++) {
		const char *x = i % 10 == 9 ? "200" : "403";

		j = judge(&s, x);
		if (j.share > most)
			most = j.share;
		learn(&s, x);
	}
	assert_true(most > 10);

	/* A new day, one stray line of the day before among its first. */
	value_slot_init(&s);
	for (i = 0; i < 6000; i++) {
		snprintf(v, sizeof v, "day%d", i / 1000);
		learn(&s, v);
	}
	for (i = 0; i < 200; i++) {
		const char *x = i == 3 ? "day5" : "day6";

		j = judge(&s, x);
		assert_true(j.share == 0);
		learn(&s, x);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_value_in_few_valued_spot),
		cmocka_unit_test(test_unseen_value_gate),
		cmocka_unit_test(test_new_value_in_id_spot_is_quiet),
		cmocka_unit_test(test_duration_outlier),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_short_units),
		cmocka_unit_test(test_growing_counter_is_quiet),
		cmocka_unit_test(test_counter_that_pauses_is_quiet),
		cmocka_unit_test(test_new_shape),
		cmocka_unit_test(test_low_outlier),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_late_across_clock_rebase),
		cmocka_unit_test(test_second_storm_is_news),
		cmocka_unit_test(test_steady_value_judged_after_fading),
		cmocka_unit_test(test_new_value_storm_is_no_takeover),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
