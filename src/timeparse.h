/*
 * Timestamps: turn the common ways logs write the time into seconds since
 * the epoch, so windows can follow the time the lines were written.
 */
#ifndef TIMEPARSE_H
#define TIMEPARSE_H

#include <stddef.h>

#define TIME_HAS_YEAR	0x01	/* the text named the year */
#define TIME_HAS_DATE	0x02	/* ... and the day, not only the time */
#define TIME_HAS_ZONE	0x04	/* a zone or offset, or epoch seconds: the
				   time is UTC's, not a local clock's */

/*
 * Parse s[0..len) as one timestamp.  Returns 1 and sets *t (seconds since
 * 1970-01-01 UTC, fractions kept; a zone offset is applied when written)
 * and *flags, or 0 when the text is not a timestamp this parser knows.
 * Without a year the year 2000 is assumed; without a date, 2000-01-01.
 */
int	time_parse(const char *s, size_t len, double *t, int *flags);

/*
 * What a parse keeps to read the next stamp quickly when only its minutes,
 * seconds and fraction differ, as on the lines of one hour.
 */
struct time_tail {
	size_t		 at, end;	/* the minutes on; end 0: none kept */
	int		 items;		/* 3 minutes, 5 and seconds, 7 and
					   a fraction */
	int		 ms;		/* the fraction is ":ms" (HealthApp) */
	unsigned long long hour;	/* in seconds */
	double		 day, offset;	/* in seconds */
};

/* time_parse(), keeping *tail for time_reparse(). */
int	time_parse_tail(const char *s, size_t len, double *t, int *flags,
	    struct time_tail *tail);

/*
 * s[0..len) read as time_parse() would read it, and 1, if it is the text
 * was (len bytes too, read by time_parse_tail() into *tail) with other
 * digits for the minutes and seconds; else 0 (parse it).  The flags are
 * was's.
 */
int	time_reparse(const struct time_tail *tail, const char *was,
	    const char *s, size_t len, double *t);

/*
 * A time that time_parse() read with a date but no year (so in 2000),
 * moved into the year it most likely has, seen from now (seconds since
 * the epoch): now's year, or the year before when that would put it more
 * than a day after now ("Dec 31" read on January 2nd).
 */
double	time_place_year(double t, double now);

#endif
