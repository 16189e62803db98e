/*
 * The statistics the detectors need: tail probabilities of counts, in
 * bits (-log2 P), computed in log space so tiny probabilities stay exact.
 */
#ifndef STATS_H
#define STATS_H

/* -log2 P(X >= k) for X ~ Poisson(mu); 0 when k <= 0. */
double	stats_poisson_tail_bits(double k, double mu);

/*
 * -log2 P(X >= k) for X negative binomial with the given mean and
 * variance (over-dispersed counts); Poisson when var <= mean.
 */
double	stats_negbin_tail_bits(double k, double mean, double var);

#endif
