/*
 * Count tails.  P(X >= k) for a Poisson count is the regularised lower
 * incomplete gamma function P(k, mu); for a negative binomial with r and
 * p it is the regularised incomplete beta I_{1-p}(k, r).  Both are
 * evaluated with their series or continued fractions (Lentz's method) in
 * log space, after the textbook derivations, so probabilities of 1e-300
 * still come out as finite bit counts.
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "stats.h"

#define MAX_ITER	500
#define EPS		1e-14
#define TINY		1e-300

/* ln P(a, x), the regularised lower incomplete gamma function. */
static double
log_gamma_p(double a, double x)
{
	double front, sum, term, n, b, c, d, h, an, del;
	int i;

	if (x <= 0)
		return -INFINITY;
	front = a * log(x) - x - lgamma(a);
	if (x < a + 1) {
		/* Series: P = front/a * sum x^n / ((a+1)...(a+n)). */
		sum = term = 1.0 / a;
		for (n = 1; n < MAX_ITER; n++) {
			term *= x / (a + n);
			sum += term;
			if (fabs(term) < fabs(sum) * EPS)
				break;
		}
		return front + log(sum);
	}
	/* Continued fraction for Q = 1 - P; then P = 1 - Q. */
	b = x + 1 - a;
	c = 1 / TINY;
	d = 1 / b;
	h = d;
	for (i = 1; i < MAX_ITER; i++) {
		an = -i * (i - a);
		b += 2;
		d = an * d + b;
		if (fabs(d) < TINY)
			d = TINY;
		c = b + an / c;
		if (fabs(c) < TINY)
			c = TINY;
		d = 1 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < EPS)
			break;
	}
	return log1p(-exp(front + log(h)));
}

/* Continued fraction of the incomplete beta function (modified Lentz). */
static double
beta_cf(double a, double b, double x)
{
	double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d, h, aa, del;
	int m, m2;

	d = 1 - qab * x / qap;
	if (fabs(d) < TINY)
		d = TINY;
	d = 1 / d;
	h = d;
	for (m = 1; m < MAX_ITER; m++) {
		m2 = 2 * m;
		aa = m * (b - m) * x / ((qam + m2) * (a + m2));
		d = 1 + aa * d;
		if (fabs(d) < TINY)
			d = TINY;
		c = 1 + aa / c;
		if (fabs(c) < TINY)
			c = TINY;
		d = 1 / d;
		h *= d * c;
		aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
		d = 1 + aa * d;
		if (fabs(d) < TINY)
			d = TINY;
		c = 1 + aa / c;
		if (fabs(c) < TINY)
			c = TINY;
		d = 1 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < EPS)
			break;
	}
	return h;
}

/* ln I_x(a, b), the regularised incomplete beta function. */
static double
log_beta_i(double a, double b, double x)
{
	double lfront;

	if (x <= 0)
		return -INFINITY;
	if (x >= 1)
		return 0;
	lfront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) +
	    b * log1p(-x);
	if (x < (a + 1) / (a + b + 2))
		return lfront + log(beta_cf(a, b, x)) - log(a);
	/* Symmetry: I_x(a,b) = 1 - I_{1-x}(b,a). */
	return log1p(-exp(lfront + log(beta_cf(b, a, 1 - x)) - log(b)));
}

/*
 * Bits of a probability's natural log.  A tail too far out for a double
 * (log(0) after rounding, as in the symmetry step of log_beta_i) is worth
 * the most a double can say, 1074 bits, not infinity: scores are
 * compared, summed and saved.
 */
static double
to_bits(double lnp)
{
	double bits = -lnp / M_LN2;

	if (!(bits > 0))
		return 0;	/* and NaN */
	return bits < STATS_BITS_MAX ? bits : STATS_BITS_MAX;
}

double
stats_poisson_tail_bits(double k, double mu)
{
	if (k <= 0)
		return 0;
	if (mu <= 0)
		mu = DBL_MIN;
	return to_bits(log_gamma_p(k, mu));
}

double
stats_negbin_tail_bits(double k, double mean, double var)
{
	double r, p;

	if (k <= 0)
		return 0;
	if (mean <= 0)
		mean = DBL_MIN;
	if (var <= mean * (1 + 1e-9))
		return stats_poisson_tail_bits(k, mean);
	r = mean * mean / (var - mean);
	p = r / (r + mean);
	/* P(X >= k) = I_{1-p}(k, r) */
	return to_bits(log_beta_i(k, r, 1 - p));
}

double
stats_log2(double x)
{
	double m;
	int e;

	if (!(x > 0))
		return -INFINITY;
	if (x >= DBL_MIN && x <= DBL_MAX) {
		/* Normal: read the exponent and mantissa off the bits, the
		 * same as frexp() gives without the call. */
		uint64_t u;

		memcpy(&u, &x, sizeof u);
		e = (int)(u >> 52) - 1022;
		u = (u & 0x000fffffffffffffULL) | 0x3fe0000000000000ULL;
		memcpy(&m, &u, sizeof m);
	} else
		m = frexp(x, &e);	/* x = m 2^e, m in [0.5, 1) */
	m = 2 * m - 1;		/* [0, 1): log2(1 + m) by least squares */
	return (e - 1) + m * (1.43854822 + m * (-0.67809149 + m *
	    (0.32365038 - m * 0.08429710)));
}

double
stats_negbin_point_bits(double k, double mean, double var)
{
	double r, lp;

	if (var <= mean * (1 + 1e-9))
		lp = k * log(mean) - mean - lgamma(k + 1);
	else {
		r = mean * mean / (var - mean);
		lp = lgamma(k + r) - lgamma(r) - lgamma(k + 1) +
		    r * log(r / (r + mean)) + k * log(mean / (r + mean));
	}
	return -lp / M_LN2;
}

/* Stirling's series for lgamma(y) without its last term, which lies
 * between 0 and 1 / (12 y) for every y > 0 (Binet). */
static double
stirling(double y)
{
	return (y - 0.5) * log(y) - y + 0.5 * log(2 * M_PI);
}

double
stats_negbin_point_bound(double k, double mean, double var)
{
	double r, t[5], lp = 0, size = 0;
	size_t i, n;

	/* Each lgamma by the side of Stirling's bounds that makes lp
	 * smaller, and so the bits larger. */
	if (var <= mean * (1 + 1e-9)) {
		t[0] = k * log(mean);
		t[1] = -mean;
		t[2] = -stirling(k + 1) - 1 / (12 * (k + 1));
		n = 3;
	} else {
		r = mean * mean / (var - mean);
		t[0] = stirling(k + r);
		t[1] = -stirling(r) - 1 / (12 * r);
		t[2] = -stirling(k + 1) - 1 / (12 * (k + 1));
		t[3] = r * log(r / (r + mean));
		t[4] = k * log(mean / (r + mean));
		n = 5;
	}
	for (i = 0; i < n; i++) {
		lp += t[i];
		size += fabs(t[i]);
	}
	/* Room, and plenty, for the rounding of both sums: the exact
	 * one's lgamma terms are as large as these. */
	return (-lp + 1e-12 * size) / M_LN2;
}
