/* Unit tests for stats.c against values computed by other means. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <float.h>
#include <math.h>

#include "stats.h"

/* -log2 of a Poisson tail summed term by term, for small cases. */
static double
poisson_tail_direct(int k, double mu)
{
	double p = 0, term = exp(-mu);
	int i;

	for (i = 0; i < k; i++) {
		p += term;
		term *= mu / (i + 1);
	}
	return -log2(1 - p);
}

static double
negbin_tail_direct(int k, double mean, double var)
{
	double r = mean * mean / (var - mean), p = r / (r + mean);
	double cdf = 0, term = pow(p, r);
	int i;

	for (i = 0; i < k; i++) {
		cdf += term;
		term *= (i + r) / (i + 1) * (1 - p);
	}
	return -log2(1 - cdf);
}

static void
test_poisson(void **state)
{
	assert_true(fabs(stats_poisson_tail_bits(1, 0.5) -
	    poisson_tail_direct(1, 0.5)) < 1e-9);
	assert_true(fabs(stats_poisson_tail_bits(3, 0.17) -
	    poisson_tail_direct(3, 0.17)) < 1e-9);
	assert_true(fabs(stats_poisson_tail_bits(12, 10) -
	    poisson_tail_direct(12, 10)) < 1e-9);
	assert_true(fabs(stats_poisson_tail_bits(5, 30) -
	    poisson_tail_direct(5, 30)) < 1e-6);
	assert_true(stats_poisson_tail_bits(0, 3) == 0);
	/* Far tails stay finite and keep growing. */
	assert_true(stats_poisson_tail_bits(200, 1) > 1000);
	assert_true(isfinite(stats_poisson_tail_bits(200, 1)));
	assert_true(stats_poisson_tail_bits(30, 0.01) >
	    stats_poisson_tail_bits(29, 0.01));
	/* ... up to what a double can say, which a state can hold. */
	assert_true(stats_poisson_tail_bits(1e9, 1) == STATS_BITS_MAX);
	assert_true(stats_negbin_tail_bits(1073741825.0, 8.5, 9) ==
	    STATS_BITS_MAX);
}

static void
test_negbin(void **state)
{
	assert_true(fabs(stats_negbin_tail_bits(3, 1.0, 4.0) -
	    negbin_tail_direct(3, 1.0, 4.0)) < 1e-9);
	assert_true(fabs(stats_negbin_tail_bits(20, 0.5, 20.0) -
	    negbin_tail_direct(20, 0.5, 20.0)) < 1e-8);
	/* Over-dispersion makes the same count less surprising. */
	assert_true(stats_negbin_tail_bits(10, 1, 30) <
	    stats_poisson_tail_bits(10, 1));
	/* var <= mean is Poisson. */
	assert_true(stats_negbin_tail_bits(4, 2, 2) ==
	    stats_poisson_tail_bits(4, 2));
}

/* -log2 P(X = k) of a negative binomial, term by term from P(X = 0). */
static double
negbin_point_direct(int k, double mean, double var)
{
	double r = mean * mean / (var - mean), p = r / (r + mean);
	double term = pow(p, r);
	int i;

	for (i = 0; i < k; i++)
		term *= (i + r) / (i + 1) * (1 - p);
	return -log2(term);
}

static void
test_negbin_point(void **state)
{
	static const double means[] = { 0.01, 0.3, 1, 4, 50, 2000 };
	static const double spread[] = { 1, 1.01, 1.5, 3, 20, 1000 };
	double k, mean, var, exact, bound;
	size_t i, j;

	assert_true(fabs(stats_negbin_point_bits(3, 1.0, 4.0) -
	    negbin_point_direct(3, 1.0, 4.0)) < 1e-9);
	assert_true(fabs(stats_negbin_point_bits(40, 0.5, 20.0) -
	    negbin_point_direct(40, 0.5, 20.0)) < 1e-8);
	/* Poisson: e^-2 2^5 / 5! */
	assert_true(fabs(stats_negbin_point_bits(5, 2, 2) -
	    -log2(exp(-2) * 32 / 120)) < 1e-9);
	/* The point is no likelier than the tail it starts. */
	assert_true(stats_negbin_point_bits(12, 3, 9) >=
	    stats_negbin_tail_bits(12, 3, 9));
	/* The bound is never under the exact bits, and close to them once
	 * the terms it bounds are not tiny. */
	for (i = 0; i < sizeof means / sizeof means[0]; i++)
		for (j = 0; j < sizeof spread / sizeof spread[0]; j++) {
			mean = means[i];
			var = mean * spread[j];
			for (k = 2 * mean + 2; k < 1e7; k = k * 1.7 + 0.3) {
				exact = stats_negbin_point_bits(k, mean, var);
				bound = stats_negbin_point_bound(k, mean, var);
				assert_true(bound >= exact);
				if (spread[j] == 1 || mean * mean /
				    (var - mean) >= 1)
					assert_true(bound - exact < 0.25);
			}
		}
}

/* The fast log2: exact at powers of two, close between, on normal and
 * subnormal numbers alike. */
static void
test_log2(void **state)
{
	double x;

	assert_true(stats_log2(1) == 0);
	assert_true(stats_log2(8) == 3);
	assert_true(stats_log2(0.125) == -3);
	assert_true(stats_log2(0x1p-1070) == -1070);	/* subnormal */
	assert_true(stats_log2(DBL_MIN) == -1022);
	assert_true(isinf(stats_log2(0)) && stats_log2(0) < 0);
	assert_true(isinf(stats_log2(-1)) && stats_log2(-1) < 0);
	for (x = 1e-300; x < 1e300; x *= 7.3)
		assert_true(fabs(stats_log2(x) - log2(x)) < 1e-3);
	assert_true(fabs(stats_log2(DBL_MAX) - 1024) < 1e-3);
	assert_true(fabs(stats_log2(3e-310) - log2(3e-310)) < 1e-3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poisson),
		cmocka_unit_test(test_negbin),
		cmocka_unit_test(test_negbin_point),
		cmocka_unit_test(test_log2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
