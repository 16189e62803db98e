/*
 * The value model of one variable position, in bounded memory.
 *
 * Variety: the first VALUE_TRACKED distinct values are kept with their
 * counts; a position with at most VALUE_VARIETY of them is judged on a
 * new one.  A value never seen before is judged by the Good-Turing
 * estimate of an unseen value, P = (n1 + 1/2) / (n + 1) with n1 the
 * values seen exactly once (the half count keeps it above zero): a spot
 * that always says "50010" makes a new port unlikely, one that shows a
 * fresh id on every line makes it certain.
 * Past VALUE_VARIETY distinct values a spot not of numbers counts as
 * free (ids, timestamps); new values past them are not findings, nor are
 * they
 * where an unseen value is not unlikely (P above 1/8) or where values
 * have not come ten times each on average: a spot must have shown itself
 * stable before a change is news.
 *
 * Magnitude: on the scale L = log2(1 + |x|) two estimates of a number's
 * tail probability are made and the larger (the less surprising) kept:
 * the empirical one, two-sided, 2 (t + 1/2) / (n + 1) with t the past
 * numbers in its octave or beyond on its side of the median (two or more
 * octaves beyond the range ever seen: 1 / (n + 1), halved for each octave
 * past the first); and, where that is under 1/32, a Laplace tail
 * exp(-|L - mean| / b) from the mean and spread of L,
 * whose updates are clipped at four deviations so one wild value does not
 * widen it.  Counters and ids that keep setting new highs (or lows) are
 * recognised by how often that happens, and their growth is not a
 * finding; nor is a growing count's low value, which is the count
 * starting again (a restart).
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mask.h"
#include "stats.h"
#include "values.h"

#define NEWMAX_ALPHA	0.05f	/* memory of how often new highs come */
#define NEWMAX_FREE	0.15f	/* above this, new highs are normal */
/* Below this the rate is none: a float that fades toward zero spends
 * its last steps, and then forever, as a subnormal number, whose
 * multiply costs a hundred cycles on most CPUs. */
#define NEWMAX_FLOOR	1e-6f
#define MIN_NUMBERS	20	/* numbers before magnitude is judged */
#define RESTART_DROP	16	/* a counter this far below its high began
				   again */

void
value_slot_init(struct value_slot *s)
{
	memset(s, 0, sizeof *s);
	s->lo = s->hi = -1;
}

/*
 * Units a number may carry, by what they measure.  A position's numbers
 * are compared in the unit its first one came with: "8.214s" where
 * "45ms" is usual reads as 8214 ms, and Go's durations, which change
 * unit with size ("850ms", "1.2s", "4m12.507s"), line up.  A lone "m"
 * or "d" is a time only where the position's numbers are times, as
 * Elasticsearch writes "[1.2m]" where "[850ms]" was usual: elsewhere it
 * is metres or Kubernetes' millicores, and none.
 */
enum { DIM_NONE, DIM_TIME, DIM_SIZE, DIM_SHORT };

static const struct unit {
	const char	*name;
	int		 dim;
	double		 factor;	/* in seconds or bytes */
} units[] = {
	{ "", DIM_NONE, 1 },		/* VALUE_UNIT_NONE */
	{ "ns", DIM_TIME, 1e-9 },
	{ "us", DIM_TIME, 1e-6 },
	{ "\xc2\xb5s", DIM_TIME, 1e-6 },	/* micro sign */
	{ "\xce\xbcs", DIM_TIME, 1e-6 },	/* Greek mu */
	{ "ms", DIM_TIME, 1e-3 },
	{ "s", DIM_TIME, 1 },
	{ "sec", DIM_TIME, 1 },
	{ "secs", DIM_TIME, 1 },
	{ "min", DIM_TIME, 60 },
	{ "mins", DIM_TIME, 60 },
	{ "h", DIM_TIME, 3600 },
	{ "hr", DIM_TIME, 3600 },
	{ "hrs", DIM_TIME, 3600 },
	{ "B", DIM_SIZE, 1 },
	{ "bytes", DIM_SIZE, 1 },
	{ "K", DIM_SIZE, 1e3 },
	{ "KB", DIM_SIZE, 1e3 },
	{ "kB", DIM_SIZE, 1e3 },
	{ "kb", DIM_SIZE, 1e3 },
	{ "Ki", DIM_SIZE, 0x1p10 },
	{ "KiB", DIM_SIZE, 0x1p10 },
	{ "M", DIM_SIZE, 1e6 },
	{ "MB", DIM_SIZE, 1e6 },
	{ "mb", DIM_SIZE, 1e6 },
	{ "Mi", DIM_SIZE, 0x1p20 },
	{ "MiB", DIM_SIZE, 0x1p20 },
	{ "G", DIM_SIZE, 1e9 },
	{ "GB", DIM_SIZE, 1e9 },
	{ "gb", DIM_SIZE, 1e9 },
	{ "Gi", DIM_SIZE, 0x1p30 },
	{ "GiB", DIM_SIZE, 0x1p30 },
	{ "T", DIM_SIZE, 1e12 },
	{ "TB", DIM_SIZE, 1e12 },
	{ "Ti", DIM_SIZE, 0x1p40 },
	{ "TiB", DIM_SIZE, 0x1p40 },
	{ "m", DIM_SHORT, 60 },		/* last: state files hold indexes */
	{ "d", DIM_SHORT, 86400 },
};
#define UNIT_SECONDS	6		/* units[] index of "s" */
_Static_assert(sizeof units / sizeof units[0] == VALUE_UNITS,
    "VALUE_UNITS counts units[]");

/* Is u[0..n) the word w?  (A line may hold NUL bytes: no strncmp.) */
static int
is_word(const char *w, const char *u, size_t n)
{
	return strlen(w) == n && memcmp(w, u, n) == 0;
}

static int
unit_of(const char *u, size_t n)
{
	size_t i;

	if (n > 0 && u[0] == ' ') {	/* "5.2 KB": a unit token */
		u++;
		n--;
	}
	if (n == 0 || n > 5)
		return VALUE_UNIT_NONE;
	for (i = 1; i < sizeof units / sizeof units[0]; i++)
		if (is_word(units[i].name, u, n))
			return (int)i;
	return VALUE_UNIT_NONE;
}

/* Digits, and a fraction if any, from v[*k]; 0 if there are none. */
static int
decimal(const char *v, size_t len, size_t *k, double *x)
{
	size_t i = *k;
	double n = 0, scale = 1;

	if (i >= len || v[i] < '0' || v[i] > '9')
		return 0;
	for (; i < len && v[i] >= '0' && v[i] <= '9'; i++)
		n = n * 10 + (v[i] - '0');
	if (i + 1 < len && v[i] == '.' && v[i + 1] >= '0' && v[i + 1] <= '9')
		for (i++; i < len && v[i] >= '0' && v[i] <= '9'; i++) {
			n = n * 10 + (v[i] - '0');
			scale *= 10;
		}
	*k = i;
	*x = n / scale;
	return 1;
}

/*
 * A duration as Go writes it, "1h2m3.5s", "4m12.507s": numbers with
 * units from hours down, each smaller than the one before, in seconds.
 */
static int
go_duration(const char *v, size_t len, double *x)
{
	static const struct {
		const char	*name;
		double		 factor;
	} go[] = {
		{ "h", 3600 }, { "m", 60 }, { "s", 1 }, { "ms", 1e-3 },
		{ "us", 1e-6 }, { "\xc2\xb5s", 1e-6 }, { "ns", 1e-9 }
	};
	size_t k = v[0] == '-' ? 1 : 0, e, g, last = 0, parts = 0;
	double sum = 0, d;

	while (k < len) {
		if (!decimal(v, len, &k, &d))
			return 0;
		for (e = k; e < len && (v[e] < '0' || v[e] > '9'); e++)
			;
		for (g = 0; g < sizeof go / sizeof go[0]; g++)
			if (is_word(go[g].name, v + k, e - k))
				break;
		if (g == sizeof go / sizeof go[0] || (parts > 0 && g <= last))
			return 0;
		sum += d * go[g].factor;
		last = g;
		parts++;
		k = e;
	}
	if (parts < 2)
		return 0;
	*x = v[0] == '-' ? -sum : sum;
	return 1;
}

int
value_number(const char *v, size_t len, double *x, int *unit)
{
	char buf[64];
	char *end;
	size_t i = 0, k, digits;
	double n = 0, scale = 1;

	*unit = VALUE_UNIT_NONE;
	if (len == 0 || len >= sizeof buf)
		return 0;
	if (v[0] == '-' || v[0] == '+')
		i++;
	if (i >= len || v[i] < '0' || v[i] > '9')
		return 0;
	if (len > i + 1 && v[i] == '0' && (v[i + 1] == 'x' || v[i + 1] == 'X'))
		return 0;	/* hex: an id, not a magnitude */
	if (len > i + 1 && v[i] == '0' && v[i + 1] >= '0' && v[i + 1] <= '9')
		return 0;	/* zero-padded: a code or a fixed-width id */
	/* Plain integers and decimals, the common case, without strtod:
	 * up to 15 digits both are exact, and one division by a power of
	 * ten rounds as strtod does. */
	for (k = i; k < len && v[k] >= '0' && v[k] <= '9'; k++)
		n = n * 10 + (v[k] - '0');
	digits = k - i;
	if (k + 1 < len && v[k] == '.' && v[k + 1] >= '0' && v[k + 1] <= '9')
		for (k++; k < len && v[k] >= '0' && v[k] <= '9'; k++) {
			n = n * 10 + (v[k] - '0');
			scale *= 10;
			digits++;
		}
	if ((digits <= 15 || (k == len && scale == 1)) && (k == len ||
	    (v[k] != '.' && v[k] != 'e' && v[k] != 'E'))) {
		/* A unit may follow ("120ms", "3.5GB"); more digits may
		 * not, but for Go's durations. */
		for (end = (char *)v + k; end < v + len; end++)
			if (*end >= '0' && *end <= '9') {
				if (!go_duration(v, len, x))
					return 0;
				*unit = UNIT_SECONDS;
				return 1;
			}
		*unit = unit_of(v + k, len - k);
		n /= scale;
		*x = v[0] == '-' ? -n : n;
		return 1;
	}
	memcpy(buf, v, len);
	buf[len] = '\0';
	*x = strtod(buf, &end);
	/* A unit may follow ("120ms", "3.5GB"); more digits may not. */
	for (k = (size_t)(end - buf); *end != '\0'; end++)
		if (*end >= '0' && *end <= '9')
			return 0;
	*unit = unit_of(v + k, len - k);
	/* Digits past a double's range ("1e999") are the farthest out of
	 * all, not no number. */
	if (isinf(*x))
		*x = copysign(DBL_MAX, *x);
	return isfinite(*x);
}

/* v's number in the unit of the position's numbers. */
static double
unit_number(const struct value_slot *s, const struct value *v)
{
	const struct unit *a = &units[v->unit], *b = &units[s->unit];

	if (a->dim == DIM_SHORT && b->dim == DIM_TIME)
		return v->x * (a->factor / b->factor);
	if (a->dim == DIM_NONE || a->dim != b->dim)
		return v->x;
	return v->x * (a->factor / b->factor);
}

/* ... and in its scale: log2(1 + |x|) is flat below 1, where seconds
 * written as fractions ("0.045") would all be one octave. */
static double
in_slot_unit(const struct value_slot *s, const struct value *v)
{
	return s->scale == 0 ? unit_number(s, v) :
	    ldexp(unit_number(s, v), -s->scale);
}

/*
 * The scale of a position is set by its first number other than 0: a
 * fraction makes the unit the power of two at or below it (0.045 s:
 * units of 1/32 s, so 0.045 is 1.44 and 1.5 is 48), anything else
 * keeps 1.  Earlier numbers were all 0, which no scale moves.
 */
#define SCALE_LOWEST	(-30)

static void
set_scale(struct value_slot *s, double x)
{
	int e;

	if (s->scaled || x == 0)
		return;
	s->scaled = 1;
	if (fabs(x) >= 1)
		return;
	(void)frexp(fabs(x), &e);	/* |x| = m 2^e, 1/2 <= m < 1 */
	s->scale = (int8_t)(e - 1 < SCALE_LOWEST ? SCALE_LOWEST : e - 1);
}

/* floor(log2(1 + |x|)), read off the exponent bits: no libm call. */
static int
octave(double x)
{
	union {
		double		d;
		uint64_t	u;
	} v;
	int e;

	v.d = 1 + fabs(x);
	e = (int)((v.u >> 52) & 0x7ff) - 1023;
	return e < 0 ? 0 : e >= VALUE_BINS ? VALUE_BINS - 1 : e;
}

static int
tracked(const struct value_slot *s, uint64_t h)
{
	int i;

	for (i = 0; i < s->ndistinct; i++)
		if (s->hash[i] == h)
			return i;
	return -1;
}

/* Not looked up yet (struct value's at). */
#define AT_UNKNOWN	(-2)

static void
judge_variety(const struct value_slot *s, int at, struct value_judgement *j)
{
	uint32_t n1 = 0;
	double p;
	int i;

	/* Few values over many lines: each seen ten times on average. */
	if (s->overflow || s->ndistinct > VALUE_VARIETY ||
	    s->n < VALUE_MIN_SEEN || s->n < 10u * s->ndistinct || at >= 0)
		return;
	for (i = 0; i < s->ndistinct; i++)
		if (s->count[i] == 1)
			n1++;
	p = ((double)n1 + 0.5) / ((double)s->n + 1);
	if (p > 1.0 / 8)
		return;
	j->finding = VALUE_UNSEEN;
	j->bits = j->unseen = -log2(p);
}

/*
 * A value seldom seen here (a share under SHARE_SELDOM) that has come
 * often of late: an error status that was one line in five hundred and
 * is now one in three, the template's rate unchanged.  Its count over
 * about the last VALUE_LATE values against its share of them, Poisson,
 * less log2(VALUE_LATE) for the spans that end at each line and could
 * have been judged.  Counted in clumps: a value whose comings find
 * others of it near (a job failing ten times in a row, a nightly batch
 * every other line) has a mean count of late at its comings above what
 * its share brings, and the excess is the size of its usual clump.  That
 * mean is one mean a spell, of the spells before this one: a storm must
 * not teach its own clump size before it is judged, nor, being long,
 * outweigh the spells before it.
 */
#define SHARE_SELDOM	(1.0 / 16)
#define DENSE_SPELLS	16	/* spells the clump size is a mean of */
#define SHARE_PAST	2	/* comings before its spell of late */
#define CLOCK_MAX	(UINT32_C(1) << 31)
#define CLOCK_REBASE	(UINT32_C(1) << 30)

/* (1 - 1/VALUE_LATE)^d by d's bits, as constants: a table the compiler
 * fills, so fading a count costs two loads and a multiply. */
#define K1	(31.0 / 32)
#define K2	(K1 * K1)
#define K4	(K2 * K2)
#define K8	(K4 * K4)
#define K16	(K8 * K8)
#define K32	(K16 * K16)
#define K64	(K32 * K32)
#define K128	(K64 * K64)
#define K256	(K128 * K128)
#define K512	(K256 * K256)
#define LOW(d)	(float)(((d) & 1 ? K1 : 1) * ((d) & 2 ? K2 : 1) * \
		    ((d) & 4 ? K4 : 1) * ((d) & 8 ? K8 : 1) * \
		    ((d) & 16 ? K16 : 1))
#define HIGH(d)	(float)(((d) & 1 ? K32 : 1) * ((d) & 2 ? K64 : 1) * \
		    ((d) & 4 ? K128 : 1) * ((d) & 8 ? K256 : 1) * \
		    ((d) & 16 ? K512 : 1))
#define ROW8(f, d)	f(d), f(d + 1), f(d + 2), f(d + 3), f(d + 4), \
			f(d + 5), f(d + 6), f(d + 7)
_Static_assert(VALUE_LATE == 32, "the tables are for 1 - 1/32");

static const float keep_low[32] = {
	ROW8(LOW, 0), ROW8(LOW, 8), ROW8(LOW, 16), ROW8(LOW, 24)
};
static const float keep_high[32] = {
	ROW8(HIGH, 0), ROW8(HIGH, 8), ROW8(HIGH, 16), ROW8(HIGH, 24)
};

/* What a count of late keeps over d values: past 1023 nothing (under
 * 1e-14). */
static float
late_keep(uint32_t d)
{
	if (d >= 1024)
		return 0;
	return keep_low[d & 31] * keep_high[d >> 5];
}

/* The position's values of late, this one among them. */
static double
late_span(const struct value_slot *s)
{
	if (s->clock >= 1023)
		return VALUE_LATE;
	return (1 - late_keep(s->clock + 1)) * VALUE_LATE;
}

static void
judge_share(const struct value_slot *s, int i, struct value_judgement *j)
{
	double q, clump, k, mu, bits;

	/* i < 0: not tracked, or the position lost count. */
	if (i < 0 || s->n < VALUE_MIN_SEEN)
		return;
	/* A value with no past before this spell that has been all of
	 * the values since it began but one and one in sixteen (a new pid
	 * after a restart, a new day in a date, a new version after a
	 * deploy; a stray other line) has taken the place of another:
	 * news as a new value, if at all, and no share to pass.  Where the
	 * others still come between (a scanner's 403s among the usual
	 * requests) it is a storm. */
	q = ((double)s->count[i] + 0.5) / ((double)s->n + 1);
	if (q > SHARE_SELDOM || (s->lt[i].past < SHARE_PAST &&
	    16.0 * (s->count[i] - s->lt[i].past) >
	    15.0 * (s->clock - s->lt[i].spell_at - 1.0)))
		return;
	mu = q * late_span(s);
	clump = fmax(1, s->lt[i].dense - mu);
	/* Its count of late is at most lt[i].late + 1; most stop here. */
	if ((s->lt[i].late + 1) / clump < 3 ||
	    s->lt[i].late + 1 < 2 * mu + 2 * clump)
		return;
	k = s->lt[i].late * late_keep(s->clock - s->lt[i].at) + 1;
	if (k / clump < 3 || k < 2 * mu + 2 * clump)
		return;
	bits = stats_poisson_tail_bits(k / clump, mu / clump) -
	    log2(VALUE_LATE);
	if (bits <= 0)
		return;
	j->share = bits;
	j->late = k;
	j->late_expected = mu;
}

static double
log_scale(double x)
{
	return stats_log2(1 + fabs(x));
}

/* exp(-|L - mean| / b), b from the spread, at least a quarter octave. */
static double
laplace_tail(const struct value_slot *s, double x)
{
	double var = s->numbers > 1 ? s->lm2 / (s->numbers - 1) : 0;
	double b = fmax(sqrt(var / 2), 0.25);

	return exp(-fabs(log_scale(x) - s->lmean) / b);
}

static void
judge_magnitude(const struct value_slot *s, double x,
    struct value_judgement *j)
{
	uint32_t below = 0, above = 0, tail = 0, total = 0;
	int b = octave(x), k, dist = 0, upper;
	double p, bits;

	if (s->numbers < MIN_NUMBERS || s->numbers * 10 < s->n * 9)
		return;		/* not a numeric position (yet) */
	/* A counter: new highs are normal, and a low value is a count that
	 * started again (a restart).  Neither side of it is news. */
	if (s->newmax > NEWMAX_FREE)
		return;
	j->numeric = 1;
	/* Only the octaves ever used: lo..hi. */
	for (k = s->lo; k < b && k <= s->hi; k++)
		below += s->bins[k];
	for (k = b > s->lo ? b : s->lo; k <= s->hi; k++)
		above += s->bins[k];	/* from b up */
	total = below + above;
	upper = 2 * below + s->bins[b] >= total;	/* at/above median */
	if (upper) {
		tail = above;
		if (b > s->hi)
			dist = b - s->hi;
	} else {
		if (s->newmin > NEWMAX_FREE)
			return;		/* counting down: new lows are normal */
		tail = below + s->bins[b];
		if (b < s->lo)
			dist = s->lo - b;
	}
	/* One octave past the range is what small samples do. */
	if (dist <= 1)
		p = 2 * ((double)tail + 0.5) / ((double)total + 1);
	else
		p = ldexp(1, -(dist - 1)) / ((double)total + 1);
	/* Only a small tail can be news; skip the exp() otherwise. */
	if (p < 1.0 / 32)
		p = fmax(p, laplace_tail(s, x));
	if (p >= 1)
		return;
	bits = -log2(p);
	if (p < 1.0 / 32)
		j->magnitude = bits;	/* out of the usual range */
	if (bits > j->bits) {
		j->finding = dist > 1 ? VALUE_OUTLIER : VALUE_TAIL;
		j->bits = bits;
		j->number = x;
	}
}

int
value_free(const struct value_slot *s)
{
	return (s->overflow || s->ndistinct > VALUE_VARIETY) &&
	    s->n >= VALUE_MIN_SEEN && s->numbers * 10 < s->n * 9;
}

/* Byte classes for shape_of(), so that a byte costs one lookup. */
#define SC_DIGIT	1
#define SC_HEX		2	/* a to f, either case */
#define SC_LETTER	4	/* any other letter */

static unsigned char shape_class[256];

static void __attribute__((constructor))
shape_init(void)
{
	int c;

	for (c = '0'; c <= '9'; c++)
		shape_class[c] = SC_DIGIT;
	for (c = 'a'; c <= 'z'; c++)
		shape_class[c] = shape_class[c - 32] = c <= 'f' ? SC_HEX :
		    SC_LETTER;
}

/* What v[0..len) is made of (see values.h); "0x" does not count. */
static int
shape_of(const char *v, size_t len)
{
	static const unsigned char shapes[8] = {
		VALUE_SYMBOL, VALUE_DIGITS, VALUE_WORD, VALUE_HEX,
		VALUE_WORD, VALUE_ALNUM, VALUE_WORD, VALUE_ALNUM
	};
	unsigned seen = 0;
	size_t i;

	if (len > 2 && v[0] == '0' && (v[1] | 0x20) == 'x') {
		v += 2;
		len -= 2;
	}
	for (i = 0; i < len; i++)
		seen |= shape_class[(unsigned char)v[i]];
	return shapes[seen];
}

void
value_read(struct value *v, const char *p, size_t len, uint64_t h)
{
	v->hash = h;
	v->at = AT_UNKNOWN;
	v->number = value_number(p, len, &v->x, &v->unit);
	v->shape = v->number ? VALUE_DIGITS : shape_of(p, len);
}

/*
 * A value of a shape the position never held: letters where there were
 * only numbers and hex ("t8044832" where "40000500" and "c0000700"
 * came), a word where numbers were ("null"), digits where words were.
 * Shapes that hold others' values by chance do not count as new: hex
 * may lack letters ("40000500") or digits ("beef"), and letters and
 * digits may lack either.  Judged like a value never seen, by the
 * Good-Turing chance of a new shape, (s1 + 1/2) / (n + 1) with s1 the
 * shapes seen once; a new shape is a new value too, so the larger of
 * the two surprises is the value's.
 */
#define SHAPE_MIN_SEEN	(2 * VALUE_MIN_SEEN)

static const uint8_t shape_covers[VALUE_SHAPES] = {
	[VALUE_DIGITS] = 1 << VALUE_DIGITS | 1 << VALUE_HEX |
	    1 << VALUE_ALNUM,
	[VALUE_HEX] = 1 << VALUE_HEX | 1 << VALUE_ALNUM,
	[VALUE_WORD] = 1 << VALUE_WORD | 1 << VALUE_HEX | 1 << VALUE_ALNUM,
	[VALUE_ALNUM] = 1 << VALUE_ALNUM,
	[VALUE_SYMBOL] = 1 << VALUE_SYMBOL,
};

static void
judge_shape(const struct value_slot *s, const struct value *v,
    struct value_judgement *j)
{
	uint32_t n = 0, n1 = 0;
	double p, bits;
	int k;

	for (k = 0; k < VALUE_SHAPES; k++) {
		if (s->shape[k] > 0 && (shape_covers[v->shape] >> k & 1))
			return;
		n += s->shape[k];
		n1 += s->shape[k] == 1;
	}
	if (n < SHAPE_MIN_SEEN)
		return;
	p = ((double)n1 + 0.5) / ((double)n + 1);
	if (p > 1.0 / 8)
		return;
	j->new_shape = 1;
	if ((bits = -log2(p)) <= j->unseen)
		return;
	j->unseen = bits;
	if (j->finding == VALUE_NONE || (j->finding == VALUE_UNSEEN &&
	    bits > j->bits)) {
		j->finding = VALUE_UNSEEN;
		j->bits = bits;
	}
}

void
value_unit(struct value *v, const char *u, size_t n)
{
	while (n > 0 && !((u[n - 1] >= 'a' && u[n - 1] <= 'z') ||
	    (u[n - 1] >= 'A' && u[n - 1] <= 'Z')))
		n--;		/* "GiB," */
	if (v->unit == VALUE_UNIT_NONE)
		v->unit = unit_of(u, n);
}

void
value_judge(const struct value_slot *s, struct value *v,
    struct value_judgement *j)
{
	j->finding = VALUE_NONE;
	j->bits = j->unseen = j->magnitude = j->share = 0;
	j->late = j->late_expected = 0;
	j->seen = s->n;
	j->distinct = s->overflow || s->ndistinct > VALUE_VARIETY ? 0 :
	    s->ndistinct;
	j->number = 0;
	j->numeric = 0;
	j->new_shape = 0;
	v->at = s->overflow ? -1 : tracked(s, v->hash);
	judge_variety(s, v->at, j);
	if (!v->number)
		judge_shape(s, v, j);
	judge_share(s, v->at, j);
	if (v->number) {
		judge_magnitude(s, in_slot_unit(s, v), j);
		j->number = v->x;	/* as the line has it */
	}
}

void
value_fade(struct value_slot *s)
{
	int i;

	s->n = (s->n + 1) / 2;
	s->lm2 *= ((s->numbers + 1) / 2) / (double)(s->numbers ? s->numbers : 1);
	s->numbers = (s->numbers + 1) / 2;
	for (i = 0; i < s->ndistinct; i++) {
		/* The count when the spell began and the spell's sum
		 * halve with the count, so the spell's mean stays. */
		s->count[i] = (s->count[i] + 1) / 2;
		s->lt[i].past = (s->lt[i].past + 1) / 2;
		s->lt[i].sum /= 2;
	}
	for (i = 0; i < VALUE_BINS; i++)
		s->bins[i] = (s->bins[i] + 1) / 2;
	for (i = 0; i < VALUE_SHAPES; i++)
		s->shape[i] = (s->shape[i] + 1) / 2;
}

void
value_seed(struct value_slot *s, uint64_t h, uint32_t n)
{
	int i;

	if (n == 0 || s->n > UINT32_MAX / 2 - n)
		return;
	s->n += n;
	if (s->overflow)
		return;
	/* A merged history does not say how its values clumped: as if
	 * each came alone. */
	if ((i = tracked(s, h)) >= 0) {
		s->count[i] += n;
		s->lt[i].past += n;
	} else if (s->ndistinct < VALUE_TRACKED) {
		s->hash[s->ndistinct] = h;
		s->lt[s->ndistinct].past = n;
		s->lt[s->ndistinct].spell_at = s->clock;
		s->count[s->ndistinct++] = n;
	} else
		s->overflow = 1;
}

int
value_known(const struct value_slot *s, uint64_t h)
{
	return !s->overflow && s->ndistinct <= VALUE_VARIETY &&
	    tracked(s, h) >= 0;
}

static void
spell_begins(struct value_slot *s, int i)
{
	double m;

	if (s->count[i] > s->lt[i].past) {
		m = s->lt[i].sum / (s->count[i] - s->lt[i].past);
		m = m < 1 ? 1 : m > VALUE_LATE + 1 ? VALUE_LATE + 1 : m;
		s->lt[i].dense = s->lt[i].dense == 0 ? (float)m :
		    s->lt[i].dense + (float)(m - s->lt[i].dense) / DENSE_SPELLS;
	}
	s->lt[i].past = s->count[i];
	s->lt[i].spell_at = s->clock;
	s->lt[i].sum = 0;
}

/* The clock past 2^31 values: a quarter of its range back, so that it
 * never wraps (what came that long ago has faded to nothing). */
static void
clock_rebase(struct value_slot *s)
{
	int i;

	s->clock -= CLOCK_REBASE;
	for (i = 0; i < s->ndistinct; i++) {
		s->lt[i].at = s->lt[i].at > CLOCK_REBASE ?
		    s->lt[i].at - CLOCK_REBASE : 0;
		s->lt[i].spell_at = s->lt[i].spell_at > CLOCK_REBASE ?
		    s->lt[i].spell_at - CLOCK_REBASE : 0;
	}
}

void
value_learn(struct value_slot *s, const struct value *v)
{
	uint64_t h = v->hash;
	double x;
	int i, b;

	if (s->n >= UINT32_MAX / 2)
		value_fade(s);
	s->n++;
	s->shape[v->shape]++;
	if (!s->overflow) {
		i = v->at != AT_UNKNOWN ? v->at : tracked(s, h);
		/* A new one's counts are 0: slots start zeroed, and a
		 * value once tracked stays. */
		if (i < 0 && s->ndistinct < VALUE_TRACKED) {
			i = s->ndistinct++;
			s->hash[i] = h;
		}
		if (i >= 0) {
			/* A new spell after VALUE_LATE others, the last
			 * one's mean into the clump size; then this one,
			 * into its faded count. */
			if (s->clock - s->lt[i].at > VALUE_LATE ||
			    s->count[i] == 0)
				spell_begins(s, i);
			s->lt[i].late *= late_keep(s->clock - s->lt[i].at);
			s->count[i]++;
			s->lt[i].late += 1;
			s->lt[i].at = s->clock;
			s->lt[i].sum += s->lt[i].late;
		} else
			s->overflow = 1;
	}
	if (++s->clock >= CLOCK_MAX)
		clock_rebase(s);
	if (!v->number)
		return;
	if (s->unit == VALUE_UNIT_NONE && units[v->unit].dim != DIM_SHORT)
		s->unit = (uint8_t)v->unit;
	set_scale(s, unit_number(s, v));
	x = in_slot_unit(s, v);
	s->numbers++;
	/* Welford's running mean and variance of L, clipped. */
	{
		double l = log_scale(x), d = l - s->lmean, sd, lim;

		/* (|d| - 1)^2 > 16 var first: a square root only to clip. */
		if (s->numbers > 20 && fabs(d) > 1 && (fabs(d) - 1) *
		    (fabs(d) - 1) > 16 * s->lm2 / (s->numbers - 2)) {
			sd = sqrt(s->lm2 / (s->numbers - 2));
			lim = 4 * sd + 1;
			l = d > 0 ? s->lmean + lim : s->lmean - lim;
		}
		d = l - s->lmean;
		s->lmean += d / s->numbers;
		s->lm2 += d * (l - s->lmean);
	}
	b = octave(x);
	if (s->bins[b] == UINT32_MAX)
		value_fade(s);
	s->bins[b]++;
	/* Exact values, not octaves: a counter is new on every line it
	 * moves.  Its high said again is no move (a day's steps while one
	 * sits still), or a long pause would unmake the counter and its
	 * next start seem an outlier. */
	if (s->numbers == 1 || x != s->vmax)
		s->newmax = (1 - NEWMAX_ALPHA) * s->newmax +
		    NEWMAX_ALPHA * (s->numbers > 1 && x > s->vmax);
	if (s->numbers == 1 || x != s->vmin)
		s->newmin = (1 - NEWMAX_ALPHA) * s->newmin +
		    NEWMAX_ALPHA * (s->numbers > 1 && x < s->vmin);
	if (s->newmax < NEWMAX_FLOOR)
		s->newmax = 0;
	if (s->newmin < NEWMAX_FLOOR)
		s->newmin = 0;
	/* A count that started again (far below its highs) climbs below
	 * its old highs: its highs count from the start, or it would soon
	 * seem no counter, and its next start an outlier. */
	if (s->numbers == 1 || x > s->vmax ||
	    (s->newmax > NEWMAX_FREE && fabs(x) * RESTART_DROP < s->vmax))
		s->vmax = x;
	if (s->numbers == 1 || x < s->vmin || (s->newmin > NEWMAX_FREE &&
	    s->vmin >= 0 && x > s->vmin * RESTART_DROP))
		s->vmin = x;
	if (s->hi < 0 || b > s->hi)
		s->hi = (int8_t)b;
	if (s->lo < 0 || b < s->lo)
		s->lo = (int8_t)b;
}

/*
 * "host:port" held whole (a path, a name) is two values: the port of a
 * service is few-valued even where the host is not, and the other way
 * round.  Splits part n - 1 at a final ':' followed by 1 to 5 digits.
 */
static size_t
split_port(const char **part, size_t *partlen, size_t n, size_t max)
{
	const char *p = part[n - 1];
	size_t len = partlen[n - 1], i = len;

	if (n == max)
		return n;
	while (i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9')
		i--;
	if (i < 2 || i == len || len - i > 5 || p[i - 1] != ':')
		return n;
	partlen[n - 1] = i - 1;
	part[n] = p + i;
	partlen[n] = len - i;
	return n + 1;
}

size_t
value_split(const char *shape, size_t shapelen, const char *raw,
    size_t rawlen, const char **part, size_t *partlen, size_t max)
{
	const char *s = shape, *se = shape + shapelen;
	const char *r = raw, *re = raw + rawlen, *q;
	size_t n = 0;

	if (max == 0)
		return 0;
	while (s < se) {
		if (se - s >= MASK_WILD_LEN &&
		    memcmp(s, MASK_WILD, MASK_WILD_LEN) == 0) {
			s += MASK_WILD_LEN;
			/* Up to the next literal byte of the shape, or the end. */
			if (s == se)
				q = re;
			else if ((q = memchr(r, *s, (size_t)(re - r))) == NULL)
				goto whole;
			if (n == max || q == r)
				goto whole;
			part[n] = r;
			partlen[n++] = (size_t)(q - r);
			r = q;
			continue;
		}
		if (r == re || *r != *s)
			goto whole;
		r++;
		s++;
	}
	if (n > 0 && r == re)
		return split_port(part, partlen, n, max);
whole:
	part[0] = raw;
	partlen[0] = rawlen;
	return split_port(part, partlen, 1, max);
}
