/*
 * Numbers from the command line and config files, checked in full: the
 * whole string must be the number and it must lie in range.
 */
#ifndef NUMPARSE_H
#define NUMPARSE_H

#include <stdint.h>

/* Return 0 and set *out, or -1 and set *errstr ("invalid", "too large"...). */
int	parse_u64(const char *, uint64_t min, uint64_t max, uint64_t *out,
	    const char **errstr);
int	parse_double(const char *, double min, double max, double *out,
	    const char **errstr);

/*
 * A span of time or of lines: "30s", "5m", "1h", "2d", "250ms", a bare
 * number of seconds, or "10000l" lines.  Sets *value and *lines (1 when
 * it counts lines).
 */
int	parse_span(const char *, double *value, int *lines,
	    const char **errstr);

#endif
