/*
 * Timestamp parser.  The text is cut into items (numbers with their digit
 * counts, month and weekday names, single separator bytes) and the items
 * are matched against the forms logs use:
 *
 *   1117838570 / 1117838570.123 / 1117838570123   epoch s or ms
 *   2015-10-18 18:01:47,978  2026-11-20T08:00:01.980Z  +01:00 zones
 *   2005-06-03-15.42.50.675872            (dots in the time, BGL)
 *   081109 203615                         yymmdd hhmmss
 *   17/06/09 20:10:40   11/26/2026 10:00  yy/mm/dd, mm/dd/yyyy
 *   Jun 14 15:16:01     Sun Dec 04 04:47:44 2005
 *   04/Dec/2005:04:47:44 +0100            (Apache access logs)
 *   10.30 16:49:06      26.11.2026 10:00  mm.dd, dd.mm.yyyy
 *   1127 01:02:03.456789                  mmdd (glog, klog)
 *   11-27|01:02:03.456   22:15:29:606     go-ethereum; HealthApp's ms
 *
 * Ambiguous day-month orders are read big-endian (year first) unless a
 * field cannot be a month.  Nothing here allocates or looks at the locale.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "timeparse.h"

enum item_type { IT_NUM, IT_MONTH, IT_DAY, IT_WORD, IT_SEP };

struct item {
	enum item_type	type;
	unsigned long long val;	/* number, or month 1-12 */
	int		ndig;
	const char	*p;	/* where it starts */
	size_t		len;
};

#define MAX_ITEMS	40

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static int
is_alpha(int c)
{
	c = lower(c);
	return c >= 'a' && c <= 'z';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* A month or weekday name, short or long ("Dec", "December").  A word is
 * letters only, so | 0x20 lowers each; its first three, packed, pick the
 * name in one switch rather than a walk over nineteen. */
static enum item_type
classify_word(const char *p, size_t n, unsigned long long *month)
{
#define NAME3(a, b, c)	((unsigned)(a) << 16 | (unsigned)(b) << 8 | (unsigned)(c))
	if (n < 3)
		return IT_WORD;
	switch (NAME3(p[0] | 0x20, p[1] | 0x20, p[2] | 0x20)) {
	case NAME3('j', 'a', 'n'): *month = 1; return IT_MONTH;
	case NAME3('f', 'e', 'b'): *month = 2; return IT_MONTH;
	case NAME3('m', 'a', 'r'): *month = 3; return IT_MONTH;
	case NAME3('a', 'p', 'r'): *month = 4; return IT_MONTH;
	case NAME3('m', 'a', 'y'): *month = 5; return IT_MONTH;
	case NAME3('j', 'u', 'n'): *month = 6; return IT_MONTH;
	case NAME3('j', 'u', 'l'): *month = 7; return IT_MONTH;
	case NAME3('a', 'u', 'g'): *month = 8; return IT_MONTH;
	case NAME3('s', 'e', 'p'): *month = 9; return IT_MONTH;
	case NAME3('o', 'c', 't'): *month = 10; return IT_MONTH;
	case NAME3('n', 'o', 'v'): *month = 11; return IT_MONTH;
	case NAME3('d', 'e', 'c'): *month = 12; return IT_MONTH;
	case NAME3('m', 'o', 'n'):
	case NAME3('t', 'u', 'e'):
	case NAME3('w', 'e', 'd'):
	case NAME3('t', 'h', 'u'):
	case NAME3('f', 'r', 'i'):
	case NAME3('s', 'a', 't'):
	case NAME3('s', 'u', 'n'):
		return IT_DAY;
	}
	return IT_WORD;
#undef NAME3
}

/* The digits at *p, which moves past them; *ndig says how many, and the
 * value is that of the first 19.  Every number of a stamp is read so. */
static unsigned long long
read_number(const char **p, const char *end, int *ndig)
{
	unsigned long long v = 0;

	for (*ndig = 0; *p < end && is_digit((unsigned char)**p); (*p)++)
		if ((*ndig)++ < 19)
			v = v * 10 + (unsigned)(**p - '0');
	return v;
}

static size_t
lex(const char *s, size_t len, struct item *it)
{
	const char *p = s, *end = s + len;
	size_t n = 0;

	while (p < end && n < MAX_ITEMS) {
		struct item *x = &it[n];

		x->p = p;
		if (is_digit((unsigned char)*p)) {
			/* The number in locals: stores through x could be
			 * to the text, so the compiler would read each byte
			 * again after them. */
			int ndig;
			unsigned long long val = read_number(&p, end, &ndig);

			x->type = IT_NUM;
			x->val = val;
			x->ndig = ndig;
		} else if (is_alpha((unsigned char)*p)) {
			while (p < end && is_alpha((unsigned char)*p))
				p++;
			x->type = classify_word(x->p, (size_t)(p - x->p),
			    &x->val);
		} else {
			x->type = IT_SEP;
			x->val = (unsigned char)*p++;
		}
		x->len = (size_t)(p - x->p);
		n++;
	}
	return n;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's method). */
static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

struct cursor {
	const struct item	*it;
	size_t			 n, i;
};

static const struct item *
peek(const struct cursor *c, size_t k)
{
	return c->i + k < c->n ? &c->it[c->i + k] : NULL;
}

static int
is_num(const struct item *x, int mind, int maxd)
{
	return x != NULL && x->type == IT_NUM && x->ndig >= mind &&
	    x->ndig <= maxd;
}

static inline int
is_sep(const struct item *x, const char *set)
{
	if (x == NULL || x->type != IT_SEP)
		return 0;
	/* Not strchr(): the sets are constants, so this unrolls into a
	 * compare or two (a call was a tenth of the parse). */
	for (; *set != '\0'; set++)
		if ((unsigned char)*set == x->val)
			return 1;
	return 0;
}

static void
skip_spaces(struct cursor *c)
{
	while (is_sep(peek(c, 0), " \t[(") || (peek(c, 0) != NULL &&
	    peek(c, 0)->type == IT_DAY) || is_sep(peek(c, 0), ","))
		c->i++;
}

static int
valid_date(long long y, unsigned long long m, unsigned long long d)
{
	return y >= 0 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static long long
full_year(unsigned long long y, int ndig)
{
	if (ndig > 2)
		return (long long)y;
	return y < 70 ? 2000 + (long long)y : 1900 + (long long)y;
}

/* A date at the cursor; advances past it and returns 1, or returns 0. */
static int
parse_date(struct cursor *c, long long *y, unsigned *m, unsigned *d,
    int *flags)
{
	const struct item *a = peek(c, 0), *s1 = peek(c, 1), *b = peek(c, 2);
	const struct item *s2 = peek(c, 3), *e = peek(c, 4);

	if (a == NULL)
		return 0;
	/* yyyy-mm-dd, yyyy/mm/dd, yyyy.mm.dd */
	if (is_num(a, 4, 4) && is_sep(s1, "-/.") && is_num(b, 1, 2) &&
	    s2 != NULL && s2->type == IT_SEP && s2->val == s1->val &&
	    is_num(e, 1, 2) && valid_date((long long)a->val, b->val, e->val)) {
		*y = (long long)a->val;
		*m = (unsigned)b->val;
		*d = (unsigned)e->val;
		*flags |= TIME_HAS_YEAR | TIME_HAS_DATE;
		c->i += 5;
		return 1;
	}
	/* yyyymmdd, and yymmdd when an hhmmss follows */
	if (is_num(a, 8, 8) && valid_date((long long)(a->val / 10000),
	    a->val / 100 % 100, a->val % 100)) {
		*y = (long long)(a->val / 10000);
		*m = (unsigned)(a->val / 100 % 100);
		*d = (unsigned)(a->val % 100);
		*flags |= TIME_HAS_YEAR | TIME_HAS_DATE;
		c->i += 1;
		return 1;
	}
	if (is_num(a, 6, 6) && is_sep(s1, " T") && is_num(b, 6, 6) &&
	    valid_date(0, a->val / 100 % 100, a->val % 100)) {
		*y = full_year(a->val / 10000, 2);
		*m = (unsigned)(a->val / 100 % 100);
		*d = (unsigned)(a->val % 100);
		*flags |= TIME_HAS_YEAR | TIME_HAS_DATE;
		c->i += 2;	/* leave the hhmmss to the time */
		return 1;
	}
	/* mmdd right before a time (glog, klog: "I1127 01:02:03.456789") */
	if (is_num(a, 4, 4) && is_sep(s1, " ") && is_num(b, 1, 2) &&
	    is_sep(s2, ":") && valid_date(0, a->val / 100, a->val % 100)) {
		*y = 2000;
		*m = (unsigned)(a->val / 100);
		*d = (unsigned)(a->val % 100);
		*flags |= TIME_HAS_DATE;
		c->i += 1;
		return 1;
	}
	/* dd/Mon/yyyy (access logs), dd Mon yyyy, dd-Mon-yyyy */
	if (is_num(a, 1, 2) && is_sep(s1, "/- ") && b != NULL &&
	    b->type == IT_MONTH && is_sep(s2, "/- ") && is_num(e, 2, 4) &&
	    valid_date(0, b->val, a->val)) {
		*y = full_year(e->val, e->ndig);
		*m = (unsigned)b->val;
		*d = (unsigned)a->val;
		*flags |= TIME_HAS_YEAR | TIME_HAS_DATE;
		c->i += 5;
		return 1;
	}
	/* Mon dd [yyyy], Mon dd, yyyy; a year after the time is taken later */
	if (a->type == IT_MONTH && is_sep(s1, " -") ) {
		size_t k = 2;

		while (is_sep(peek(c, k), " "))
			k++;
		b = peek(c, k);
		if (is_num(b, 1, 2) && valid_date(0, a->val, b->val)) {
			*m = (unsigned)a->val;
			*d = (unsigned)b->val;
			*y = 2000;
			*flags |= TIME_HAS_DATE;
			c->i += k + 1;
			if (is_sep(peek(c, 0), ",") || is_sep(peek(c, 0), " ")) {
				size_t j = 0;

				while (is_sep(peek(c, j), ", "))
					j++;
				if (is_num(peek(c, j), 4, 4) &&
				    !is_sep(peek(c, j + 1), ":")) {
					*y = (long long)peek(c, j)->val;
					*flags |= TIME_HAS_YEAR;
					c->i += j + 1;
				}
			}
			return 1;
		}
		return 0;
	}
	/* nn/nn/nn(nn) and nn.nn.nnnn: pick the order that can be a date */
	if (is_num(a, 1, 2) && is_sep(s1, "/.") && is_num(b, 1, 2) &&
	    s2 != NULL && s2->type == IT_SEP && s2->val == s1->val &&
	    is_num(e, 2, 4) && !is_sep(peek(c, 5), ":")) {
		unsigned long long x = a->val, z = b->val, w = e->val;

		if (e->ndig == 4) {
			/* mm/dd/yyyy, or dd/mm/yyyy when it must be */
			if (x > 12 || s1->val == '.') {
				unsigned long long t = x;

				x = z;
				z = t;
			}
			if (!valid_date((long long)w, x, z))
				return 0;
			*y = (long long)w;
			*m = (unsigned)x;
			*d = (unsigned)z;
		} else if (x > 31 || w <= 31) {
			/* yy/mm/dd */
			if (!valid_date(0, z, w))
				return 0;
			*y = full_year(x, 2);
			*m = (unsigned)z;
			*d = (unsigned)w;
		} else {
			/* mm/dd/yy or dd/mm/yy */
			if (x > 12) {
				unsigned long long t = x;

				x = z;
				z = t;
			}
			if (!valid_date(0, x, z))
				return 0;
			*y = full_year(w, 2);
			*m = (unsigned)x;
			*d = (unsigned)z;
		}
		*flags |= TIME_HAS_YEAR | TIME_HAS_DATE;
		c->i += 5;
		return 1;
	}
	/* mm.dd or mm/dd right before a time; go-ethereum's "11-27|01:02:03" */
	if (is_num(a, 1, 2) && is_sep(s1, "./-") && is_num(b, 1, 2) &&
	    is_sep(s2, " |") && is_num(e, 1, 2) && is_sep(peek(c, 5), ":") &&
	    valid_date(0, a->val, b->val)) {
		*y = 2000;
		*m = (unsigned)a->val;
		*d = (unsigned)b->val;
		*flags |= TIME_HAS_DATE;
		c->i += 3;
		return 1;
	}
	return 0;
}

/* A time of day at the cursor, in seconds; advances past it.  After a
 * date, minutes, seconds and milliseconds set off by a colon may lack
 * their leading zeros: HealthApp writes "22:16:0:19" for 22:16:00.019. */
static int
parse_clock(struct cursor *c, int dotted, int after_date, double *secs)
{
	const struct item *h = peek(c, 0), *s1 = peek(c, 1), *mi = peek(c, 2);
	const struct item *s2, *se, *fs, *fr;
	int min = after_date ? 1 : 2;
	double sec = 0;
	size_t used;

	if (is_num(h, 6, 6) && h->val % 100 < 61 && h->val / 100 % 100 < 60 &&
	    h->val / 10000 < 24) {
		*secs = (double)(h->val / 10000 * 3600 + h->val / 100 % 100 *
		    60 + h->val % 100);
		c->i += 1;
		return 1;
	}
	if (!is_num(h, 1, 2) || h->val > 24 ||
	    !(is_sep(s1, ":") || (dotted && is_sep(s1, "."))) ||
	    !is_num(mi, min, 2) || mi->val > 59)
		return 0;
	used = 3;
	s2 = peek(c, 3);
	se = peek(c, 4);
	if (s2 != NULL && s2->type == IT_SEP && s2->val == s1->val &&
	    is_num(se, min, 2) && se->val <= 60) {
		sec = (double)se->val;
		used = 5;
		fs = peek(c, 5);
		fr = peek(c, 6);
		if (is_sep(fs, ".,") && is_num(fr, 1, 19)) {
			double f = (double)fr->val;
			int k;

			for (k = 0; k < (fr->ndig < 19 ? fr->ndig : 19); k++)
				f /= 10;
			sec += f;
			used = 7;
		} else if (is_sep(fs, ":") && is_sep(s1, ":") &&
		    is_num(fr, after_date ? 1 : 3, 3)) {
			sec += (double)fr->val / 1000;	/* HealthApp's ms */
			used = 7;
		}
	}
	*secs = (double)(h->val * 3600 + mi->val * 60) + sec;
	c->i += used;
	return 1;
}

/* "Z", "UTC", "+01:00", "-0500", " +0100"; seconds to subtract.  Returns
 * whether there was one. */
static int
parse_zone(struct cursor *c, double *offset)
{
	const struct item *x;
	size_t k = 0;

	while (is_sep(peek(c, k), " "))
		k++;
	x = peek(c, k);
	if (x == NULL)
		return 0;
	if (x->type == IT_WORD && ((x->len == 1 && lower(x->p[0]) == 'z') ||
	    (x->len == 3 && (memcmp(x->p, "UTC", 3) == 0 ||
	    memcmp(x->p, "GMT", 3) == 0)))) {
		c->i += k + 1;
		return 1;
	}
	if (is_sep(x, "+-")) {
		const struct item *hh = peek(c, k + 1);
		int sign = x->val == '-' ? -1 : 1;
		unsigned long long h, m = 0;

		if (is_num(hh, 4, 4)) {
			h = hh->val / 100;
			m = hh->val % 100;
			c->i += k + 2;
		} else if (is_num(hh, 2, 2) && is_sep(peek(c, k + 2), ":") &&
		    is_num(peek(c, k + 3), 2, 2)) {
			h = hh->val;
			m = peek(c, k + 3)->val;
			c->i += k + 4;
		} else if (is_num(hh, 2, 2)) {
			h = hh->val;
			c->i += k + 2;
		} else {
			return 0;
		}
		if (h <= 14 && m < 60) {
			*offset = sign * (double)(h * 3600 + m * 60);
			return 1;
		}
	}
	return 0;
}

/* Epoch seconds (with a fraction) or milli-, micro- or nanoseconds, and
 * maybe a space and fields after them ("1706745598.123    123 10.0.0.1",
 * a stamp with the numbers after it). */
static int
parse_epoch(const struct item *it, size_t n, double *t)
{
	double v, frac = 0;
	int nd = it[0].ndig;
	size_t used = 1;

	if (n >= 3 && is_sep(&it[1], ".") && it[2].type == IT_NUM) {
		int k;

		frac = (double)it[2].val;
		for (k = 0; k < it[2].ndig && k < 19; k++)
			frac /= 10;
		used = 3;
	}
	if (used < n && !is_sep(&it[used], " "))
		return 0;
	v = (double)it[0].val;
	if (nd == 9 || nd == 10)
		*t = v + frac;
	else if (nd == 12 || nd == 13)
		*t = v / 1e3;
	else if (nd == 15 || nd == 16)
		*t = v / 1e6;
	else if (nd == 18 || nd == 19)
		*t = v / 1e9;
	else
		return 0;
	return 1;
}

/* Days from 1970-01-01 to the first of January of 2000. */
#define DAYS_TO_2000	10957

static int
is_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* t, a time in 2000, on the same day and time of year y. */
static double
in_year(double t, long long y)
{
	double shift = (double)(days_from_civil(y, 1, 1) - DAYS_TO_2000);

	/* 2000 was a leap year: from March on, a day ahead of y's. */
	if (!is_leap(y) && t >= (double)(DAYS_TO_2000 + 31 + 29) * 86400.0)
		shift -= 1;
	return t + shift * 86400.0;
}

double
time_place_year(double t, double now)
{
	/* The year of now, from the days since 1970; a civil year is
	 * 365.2425 days on average, and the guess is corrected. */
	long long today = (long long)floor(now / 86400.0);
	long long y = 1970 + (long long)((double)today / 365.2425);
	double placed;

	while (days_from_civil(y, 1, 1) > today)
		y--;
	while (days_from_civil(y + 1, 1, 1) <= today)
		y++;
	placed = in_year(t, y);
	return placed > now + 86400.0 ? in_year(t, y - 1) : placed;
}

/* The minutes and seconds of a clock's items (c->it[at], used of them),
 * with their fraction, as time_reparse() reads them again. */
static void
keep_clock(const struct cursor *c, size_t at, size_t used, const char *s,
    struct time_tail *tail)
{
	const struct item *mi, *last;

	if (used < 3)
		return;		/* no minutes of their own: 203615 */
	mi = &c->it[at + 2];
	last = &c->it[at + used - 1];
	tail->at = (size_t)(mi->p - s);
	tail->end = (size_t)(last->p + last->len - s);
	tail->items = (int)used;
	tail->hour = c->it[at].val * 3600;
	tail->ms = used == 7 && c->it[at + 5].val == ':';
}

int
time_parse_tail(const char *s, size_t len, double *t, int *flags,
    struct time_tail *tail)
{
	struct item it[MAX_ITEMS];
	struct cursor c;
	long long y = 2000;
	unsigned m = 1, d = 1;
	double secs = 0, offset = 0, day;
	int have_date, have_clock = 0, f = 0;
	size_t clock_at;
	const struct item *x;
	struct time_tail kept;

	kept.end = 0;
	if (tail != NULL)
		tail->end = 0;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == ']' ||
	    s[len - 1] == ')'))
		len--;
	c.it = it;
	c.n = lex(s, len, it);
	c.i = 0;
	skip_spaces(&c);
	if (c.i >= c.n)
		return 0;
	if (it[c.i].type == IT_NUM && parse_epoch(it + c.i, c.n - c.i, t)) {
		*flags = TIME_HAS_YEAR | TIME_HAS_DATE | TIME_HAS_ZONE;
		return 1;
	}
	have_date = parse_date(&c, &y, &m, &d, &f);
	if (have_date) {
		/* between date and time: " ", "T", "-", ":" (access logs) */
		int dotted = 0;

		x = peek(&c, 0);
		if (x != NULL && ((x->type == IT_WORD && x->len == 1 &&
		    lower(x->p[0]) == 't') || is_sep(x, " -:,|"))) {
			dotted = is_sep(x, "-");
			c.i++;
			while (is_sep(peek(&c, 0), " "))
				c.i++;
		}
		clock_at = c.i;
		have_clock = parse_clock(&c, dotted, 1, &secs);
	} else {
		clock_at = c.i;
		have_clock = parse_clock(&c, 0, 0, &secs);
	}
	if (!have_date && !have_clock)
		return 0;
	if (have_clock) {
		keep_clock(&c, clock_at, c.i - clock_at, s, &kept);
		x = peek(&c, 0);
		if (is_sep(x, " ") && peek(&c, 1) != NULL &&
		    peek(&c, 1)->type == IT_WORD && peek(&c, 1)->len == 2) {
			const char *ap = peek(&c, 1)->p;

			if (lower(ap[0]) == 'p' && lower(ap[1]) == 'm' &&
			    secs < 12 * 3600)
				secs += 12 * 3600;
			else if (lower(ap[0]) == 'a' && lower(ap[1]) == 'm' &&
			    secs >= 12 * 3600)
				secs -= 12 * 3600;
			c.i += 2;
			kept.end = 0;	/* the hour moved: not kept */
		}
		if (parse_zone(&c, &offset))
			f |= TIME_HAS_ZONE;
		/* ctime puts the year last: "Dec 04 04:47:44 2005" */
		if (!(f & TIME_HAS_YEAR)) {
			size_t k = 0;

			while (is_sep(peek(&c, k), " "))
				k++;
			if (is_num(peek(&c, k), 4, 4) &&
			    peek(&c, k)->val >= 1970 && peek(&c, k)->val < 2200) {
				y = (long long)peek(&c, k)->val;
				f |= TIME_HAS_YEAR;
			}
		}
	}
	day = (double)days_from_civil(y, m, d) * 86400.0;
	*t = day + secs - offset;
	*flags = f;
	if (tail != NULL && kept.end != 0) {
		*tail = kept;
		tail->day = day;
		tail->offset = offset;
	}
	return 1;
}

int
time_parse(const char *s, size_t len, double *t, int *flags)
{
	return time_parse_tail(s, len, t, flags, NULL);
}

/*
 * The minutes and seconds of s as parse_clock() reads them, the same sums
 * in the same order, so that they come out to the last bit as a full
 * parse's.  0 when they are values it would not take.
 */
static int
read_clock(const struct time_tail *tail, const char *s, double *secs)
{
	const char *p = s + tail->at, *end = s + tail->end;
	unsigned long long mi, se, fr;
	double sec = 0, f;
	int ndig, k;

	mi = read_number(&p, end, &ndig);
	if (mi > 59)
		return 0;
	if (tail->items >= 5) {
		p++;
		se = read_number(&p, end, &ndig);
		if (se > 60)
			return 0;
		sec = (double)se;
	}
	if (tail->items == 7) {
		p++;
		fr = read_number(&p, end, &ndig);
		if (tail->ms) {
			sec += (double)fr / 1000;
		} else {
			f = (double)fr;
			for (k = 0; k < (ndig < 19 ? ndig : 19); k++)
				f /= 10;
			sec += f;
		}
	}
	*secs = (double)(tail->hour + mi * 60) + sec;
	return 1;
}

int
time_reparse(const struct time_tail *tail, const char *was, const char *s,
    size_t len, double *t)
{
	double secs;
	size_t i;

	/* The hour's last digit first, as it is before the minutes: logs
	 * of several clocks interleaved change hours often. */
	if (tail->end == 0 || tail->end > len ||
	    s[tail->at - 2] != was[tail->at - 2] ||
	    memcmp(s, was, tail->at) != 0 ||
	    memcmp(s + tail->end, was + tail->end, len - tail->end) != 0)
		return 0;
	/* Digits where there were digits and the same bytes between them:
	 * the same items, so the same parse but for their values. */
	for (i = tail->at; i < tail->end; i++)
		if (s[i] != was[i] && !(is_digit((unsigned char)s[i]) &&
		    is_digit((unsigned char)was[i])))
			return 0;
	if (!read_clock(tail, s, &secs))
		return 0;
	*t = tail->day + secs - tail->offset;
	return 1;
}
