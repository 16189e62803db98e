/*
 * Checked number parsing, in the spirit of OpenBSD's strtonum(3): no
 * silent wrap-around, no trailing junk, a short reason on failure.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"

int
parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
    const char **errstr)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9') {
		*errstr = "invalid";
		return -1;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0') {
		*errstr = "invalid";
		return -1;
	}
	if (errno == ERANGE || v > max) {
		*errstr = "too large";
		return -1;
	}
	if (v < min) {
		*errstr = "too small";
		return -1;
	}
	*out = v;
	return 0;
}

/*
 * A decimal number, [+-]digits[.digits][e[+-]digits], and the end of
 * what it takes: strtod() also reads spaces before, hexadecimal, "inf"
 * and "nan", none of which an option means.
 */
static int
decimal(const char *s, double *v, char **end)
{
	const char *p = s;

	if (*p == '+' || *p == '-')
		p++;
	if (!((*p >= '0' && *p <= '9') || (*p == '.' && p[1] >= '0' &&
	    p[1] <= '9')))
		return -1;
	for (p = s + 1; *p != '\0'; p++)
		if (*p == 'x' || *p == 'X')
			return -1;
	errno = 0;
	*v = strtod(s, end);
	return *end == s || isnan(*v) ? -1 : 0;
}

int
parse_double(const char *s, double min, double max, double *out,
    const char **errstr)
{
	char *end;
	double v;

	if (decimal(s, &v, &end) == -1 || *end != '\0') {
		*errstr = "invalid";
		return -1;
	}
	/* ERANGE is an overflow, or an underflow to near 0. */
	if (v > max || (errno == ERANGE && fabs(v) >= 1)) {
		*errstr = "too large";
		return -1;
	}
	if (errno == ERANGE && min > 0) {
		*errstr = "too small";
		return -1;
	}
	if (v < min) {
		*errstr = "too small";
		return -1;
	}
	*out = v;
	return 0;
}

int
parse_span(const char *s, double *value, int *lines, const char **errstr)
{
	static const struct {
		const char	*suffix;
		double		 scale;
	} units[] = {
		{ "", 1 }, { "s", 1 }, { "ms", 1e-3 }, { "m", 60 },
		{ "h", 3600 }, { "d", 86400 }, { "l", 1 },
	};
	char *end;
	double v;
	size_t i;

	if (*s < '0' || *s > '9' || decimal(s, &v, &end) == -1) {
		*errstr = "invalid";
		return -1;
	}
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(end, units[i].suffix) != 0)
			continue;
		if (v <= 0 || (errno == ERANGE && v < 1)) {
			*errstr = "too small";
			return -1;
		}
		if (errno == ERANGE || v > 1e12) {
			*errstr = "too large";
			return -1;
		}
		if (units[i].suffix[0] == 'l' && v != floor(v)) {
			*errstr = "invalid";	/* a part of a line */
			return -1;
		}
		*lines = units[i].suffix[0] == 'l';
		*value = v * units[i].scale;
		return 0;
	}
	*errstr = "invalid";
	return -1;
}
