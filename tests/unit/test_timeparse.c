/* Unit tests for timeparse.c: the timestamp forms logs use. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "timeparse.h"

static double
parse(const char *s, int *flags)
{
	double t;
	int f = -1;

	if (!time_parse(s, strlen(s), &t, &f))
		return -1;
	if (flags != NULL)
		*flags = f;
	return t;
}

#define EXPECT(s, want) do {						\
	double got_ = parse((s), NULL);					\
	if (fabs(got_ - (want)) > 1e-3)					\
		fail_msg("%s: got %.3f want %.3f", (s), got_,		\
		    (double)(want));					\
} while (0)

/* 2015-10-18 18:01:47 UTC */
#define T_2015_10_18 1445191307.0

static void
test_iso(void **state)
{
	int f;

	EXPECT("2015-10-18 18:01:47", T_2015_10_18);
	EXPECT("2015-10-18 18:01:47,978", T_2015_10_18 + 0.978);
	EXPECT("2015-10-18T18:01:47.5Z", T_2015_10_18 + 0.5);
	EXPECT("2015-10-18T20:01:47+02:00", T_2015_10_18);
	EXPECT("2015-10-18T13:01:47 -0500", T_2015_10_18);
	EXPECT("2015/10/18 18:01:47", T_2015_10_18);
	EXPECT("2015-10-18", T_2015_10_18 - (18 * 3600 + 60 + 47));
	parse("2015-10-18 18:01:47", &f);
	assert_int_equal(f, TIME_HAS_YEAR | TIME_HAS_DATE);
	/* A zone or offset says the time is not a local clock's. */
	parse("2015-10-18T18:01:47.5Z", &f);
	assert_int_equal(f, TIME_HAS_YEAR | TIME_HAS_DATE | TIME_HAS_ZONE);
	parse("2015-10-18T13:01:47 -0500", &f);
	assert_int_equal(f, TIME_HAS_YEAR | TIME_HAS_DATE | TIME_HAS_ZONE);
	parse("2015-10-18 18:01:47 UTC", &f);
	assert_int_equal(f, TIME_HAS_YEAR | TIME_HAS_DATE | TIME_HAS_ZONE);
}

static void
test_epoch(void **state)
{
	int f;

	EXPECT("1117838570", 1117838570.0);
	EXPECT("1117838570123", 1117838570.123);
	EXPECT("1117838570.25", 1117838570.25);
	EXPECT("1117838570123456", 1117838570.123456);
	/* The fields a header scan took after it (Squid, BGL) stay out. */
	EXPECT("1706745598.123    123 10.0.0.1", 1706745598.123);
	EXPECT("1117838570 2005.06.03", 1117838570.0);
	parse("1117838570", &f);
	assert_int_equal(f, TIME_HAS_YEAR | TIME_HAS_DATE | TIME_HAS_ZONE);
}

static void
test_log_forms(void **state)
{
	int f;

	/* BGL: 2005-06-03-15.42.50.675872 */
	EXPECT("2005-06-03-15.42.50.675872", 1117813370.675872);
	/* HDFS: yymmdd hhmmss */
	EXPECT("081109 203615", 1226262975.0);
	/* Spark: yy/mm/dd */
	EXPECT("17/06/09 20:10:40", 1497039040.0);
	/* US dates */
	EXPECT("06/09/2017 20:10:40", 1497039040.0);
	EXPECT("06/09/2017 08:10:40 PM", 1497039040.0);
	EXPECT("Jan 31, 2024 11:59:58 PM", 1706745598.0);
	EXPECT("Feb 01, 2024 12:00:03 AM", 1706745603.0);
	/* Apache error log (ctime) and access log */
	EXPECT("Sun Dec 04 04:47:44 2005", 1133671664.0);
	EXPECT("[04/Dec/2005:05:47:44 +0100]", 1133671664.0);
	EXPECT("04/Dec/2005:04:47:44", 1133671664.0);
	/* RFC 3164: no year, 2000 assumed */
	EXPECT("Jun 14 15:16:01", 960995761.0);
	parse("Jun 14 15:16:01", &f);
	assert_int_equal(f, TIME_HAS_DATE);
	EXPECT("Dec 10 06:55:46", 976431346.0);
	EXPECT("Dec  3 06:55:46", 975826546.0);
	/* Proxifier: mm.dd */
	EXPECT("10.30 16:49:06", 972924546.0);
	/* Android's logcat: mm-dd; glog and klog: mmdd */
	EXPECT("03-17 16:13:38.811", 953309618.811);
	EXPECT("1127 01:02:03.456789", 975286923.456789);
	/* go-ethereum: mm-dd|time; HealthApp: milliseconds after a colon */
	EXPECT("11-27|01:02:03.456", 975286923.456);
	EXPECT("20171223-22:15:29:606", 1514067329.606);
	/* ... which it writes without leading zeros, as it does minutes
	 * and seconds */
	EXPECT("20171223-22:15:29:60", 1514067329.060);
	EXPECT("20171223-22:16:0:9", 1514067360.009);
	EXPECT("20171223-22:1:5:119", 1514066465.119);
	/* without a date, a colon sets off three digits only */
	EXPECT("22:15:29:606", 946684800.0 + 22 * 3600 + 15 * 60 + 29.606);
	EXPECT("22:15:29:60", 946684800.0 + 22 * 3600 + 15 * 60 + 29);
	parse("1127 01:02:03", &f);
	assert_int_equal(f, TIME_HAS_DATE);
	/* a time alone */
	EXPECT("16:49:06", 946684800.0 + 16 * 3600 + 49 * 60 + 6);
	parse("16:49:06", &f);
	assert_int_equal(f, 0);
}

/* A date without a year goes to the year it most likely has. */
static void
test_place_year(void **state)
{
	const double now = 1795759200.0;	/* 2026-11-27T06:00:00Z */
	double t;

	/* Yesterday is this year's; a day and more ahead, last year's. */
	t = parse("Nov 26 10:00:01", NULL);
	assert_true(time_place_year(t, now) == 1795687201.0);
	t = parse("Dec 31 23:00:00", NULL);
	assert_true(time_place_year(t, now) == 1767222000.0);
	/* Within a day ahead (a zone east of the clock's): this year. */
	t = parse("Nov 28 05:00:00", NULL);
	assert_true(time_place_year(t, now) == 1795842000.0);
	/* Past New Year's: December is the year before. */
	t = parse("Dec 31 23:59:00", NULL);
	assert_true(time_place_year(t, 1798763400.0) == 1798761540.0);
	/* 2000 had a February 29th, 2027 has none: March 1st stays March
	 * 1st, and February 29th is the day after February 28th. */
	t = parse("Mar 1 00:00:00", NULL);
	assert_true(time_place_year(t, 1811808000.0) == 1803859200.0);
	t = parse("Feb 29 12:00:00", NULL);
	assert_true(time_place_year(t, 1811808000.0) == 1803902400.0);
	/* In a leap year, March 1st is March 1st too. */
	t = parse("Mar 1 00:00:00", NULL);
	assert_true(time_place_year(t, 1843430400.0) == 1835481600.0);
}

static void
test_not_times(void **state)
{
	assert_true(parse("hello", NULL) < 0);
	assert_true(parse("", NULL) < 0);
	assert_true(parse("12345", NULL) < 0);
	assert_true(parse("1117838570x", NULL) < 0);
	assert_true(parse("1117838570.5.6", NULL) < 0);
	assert_true(parse("2015-13-45", NULL) < 0);
	/* Four digits before a time are a month and day only if they can
	 * be one. */
	{
		int f = 0;

		if (parse("1345 10:00:00", &f) >= 0)
			assert_false(f & TIME_HAS_DATE);
	}
	assert_true(parse("99:99:99", NULL) < 0);
	assert_true(parse("Dec 68 97:03:06", NULL) < 0);
	assert_true(parse("INFO", NULL) < 0);
}

/*
 * time_reparse() of a stamp with other minutes and seconds: either it
 * declines, or it gives what a full parse gives, to the last bit.  It
 * must take the plain cases, or it buys nothing.
 */
static int
reparse_agrees(const char *was, const char *s, int *took)
{
	struct time_tail tail;
	double tw, tr, tp;
	int fw, fp;

	if (!time_parse_tail(was, strlen(was), &tw, &fw, &tail))
		fail_msg("%s: does not parse", was);
	*took = strlen(s) == strlen(was) &&
	    time_reparse(&tail, was, s, strlen(s), &tr);
	if (!*took)
		return 1;
	if (!time_parse(s, strlen(s), &tp, &fp))
		return 0;
	return memcmp(&tr, &tp, sizeof tr) == 0 && fp == fw;
}

static void
test_reparse(void **state)
{
	/* Each form, and where its minutes start and its clock ends. */
	static const struct {
		const char	*s;
		size_t		 from, to;
	} forms[] = {
		{ "2015-10-18 18:01:47,978", 14, 23 },
		{ "2015-10-18T18:01:47.123456Z", 14, 26 },
		{ "2015-10-18T20:01:47+02:00", 14, 19 },
		{ "2005-06-03-15.42.50.675872", 14, 26 },
		{ "Dec 04 04:47:44 2005", 10, 15 },
		{ "Sun Dec 04 04:47:44 2005", 14, 19 },
		{ "Jun 14 15:16:01", 10, 15 },
		{ "04/Dec/2005:04:47:44 +0100", 15, 20 },
		{ "17/06/09 20:10:40", 12, 17 },
		{ "20171223-22:15:29:606", 12, 21 },
		{ "2026-11-26 10:42", 14, 16 },
		{ "22:15:29", 3, 8 },
	};
	char s[64];
	size_t i, k;
	int took, hits, mm, ss, j;

	(void)state;
	for (i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		hits = 0;
		/* Minutes and seconds up to 99, some of them no clock's. */
		for (mm = 0; mm < 100; mm += 7)
			for (ss = 0; ss < 100; ss += 3) {
				strcpy(s, forms[i].s);
				for (k = forms[i].from, j = 0; k < forms[i].to;
				    k++) {
					if (s[k] < '0' || s[k] > '9')
						continue;
					s[k] = (char)('0' + (j == 0 ? mm / 10 :
					    j == 1 ? mm % 10 : j == 2 ? ss / 10 :
					    j == 3 ? ss % 10 : (ss + j) % 10));
					j++;
				}
				if (!reparse_agrees(forms[i].s, s, &took))
					fail_msg("%s then %s: not as parsed",
					    forms[i].s, s);
				hits += took;
			}
		if (hits < 100)
			fail_msg("%s: read again %d times", forms[i].s, hits);
	}
	/* Minutes and seconds a clock cannot have; another hour, date or
	 * zone; other digits' places: parsed afresh. */
	assert_true(reparse_agrees("2015-10-18 18:01:47", "2015-10-18 18:60:47",
	    &took) && !took);
	assert_true(reparse_agrees("2015-10-18 18:01:47", "2015-10-18 18:01:61",
	    &took) && !took);
	assert_true(reparse_agrees("2015-10-18 18:01:47", "2015-10-18 19:01:47",
	    &took) && !took);
	assert_true(reparse_agrees("2015-10-18 18:01:47", "2015-10-19 18:01:47",
	    &took) && !took);
	assert_true(reparse_agrees("2015-10-18T18:01:47+0200",
	    "2015-10-18T18:01:47+0300", &took) && !took);
	assert_true(reparse_agrees("20171223-22:15:2:606",
	    "20171223-22:15:29:60", &took) && !took);
	assert_true(reparse_agrees("Dec 04 04:47:44 2005",
	    "Dec 04 04:47:44 2006", &took) && !took);
	/* Half past noon moves the hour: not kept. */
	assert_true(reparse_agrees("11/26/2026 12:30:00 PM",
	    "11/26/2026 12:31:00 PM", &took) && !took);
	/* The plain case is taken. */
	assert_true(reparse_agrees("2015-10-18 18:01:47,978",
	    "2015-10-18 18:02:05,001", &took) && took);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iso),
		cmocka_unit_test(test_epoch),
		cmocka_unit_test(test_log_forms),
		cmocka_unit_test(test_place_year),
		cmocka_unit_test(test_not_times),
		cmocka_unit_test(test_reparse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
