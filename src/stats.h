/*
 * The statistics the detectors need: tail probabilities of counts, in
 * bits (-log2 P), computed in log space so tiny probabilities stay exact.
 */
#ifndef STATS_H
#define STATS_H

/* The most bits a tail can be worth: the smallest double, 2^-1074. */
#define STATS_BITS_MAX	1074.0

/* -log2 P(X >= k) for X ~ Poisson(mu); 0 when k <= 0.  Both tails are
 * finite, at most STATS_BITS_MAX. */
double	stats_poisson_tail_bits(double k, double mu);

/*
 * -log2 P(X >= k) for X negative binomial with the given mean and
 * variance (over-dispersed counts); Poisson when var <= mean.
 */
double	stats_negbin_tail_bits(double k, double mean, double var);

/*
 * -log2 P(X = k) for X negative binomial with the given mean and variance
 * (Poisson when var <= mean); k, mean > 0.  No less than the tail's bits,
 * P(X = k) being part of P(X >= k), and much cheaper.
 */
double	stats_negbin_point_bits(double k, double mean, double var);
/*
 * Never less than stats_negbin_point_bits(), from Stirling's bounds on
 * its three lgamma terms: three logs instead, for ruling most counts out
 * before the exact call.  Close but for over-dispersion so strong that
 * mean^2 / (var - mean) is well under 1.
 */
double	stats_negbin_point_bound(double k, double mean, double var);

/*
 * log2(x) for x > 0 to about 2e-4, from the exponent and a quartic on
 * the mantissa: for scores and buckets on the hot path, where libm's
 * exactness is not worth its cost.
 */
double	stats_log2(double x);

#endif
