/*
 * What a variable position of a template usually holds: its few distinct
 * values, or the spread of its numbers.  Used by the "value" detector.
 */
#ifndef VALUES_H
#define VALUES_H

#include <stddef.h>
#include <stdint.h>

#define VALUE_TRACKED	16	/* distinct values remembered per position */
#define VALUE_VARIETY	8	/* ... and at most so many for a new one to
				   be news */
#define VALUE_BINS	48	/* octaves of 1 + |x| */
#define VALUE_MIN_SEEN	20	/* observations before a position is judged */
#define VALUE_LATE	32	/* values "of late" are about this many */
#define VALUE_SHAPES	5	/* kinds of value by their characters */

struct value_slot {
	uint32_t	n;		/* values seen here */
	uint32_t	numbers;	/* of them, numbers */
	uint64_t	hash[VALUE_TRACKED];
	uint32_t	count[VALUE_TRACKED];
	uint8_t		ndistinct;
	uint8_t		overflow;	/* more distinct values than tracked */
	uint8_t		unit;		/* of the first number with one */
	int8_t		scale;		/* numbers in units of 2^scale */
	uint8_t		scaled;		/* scale set, by a number not 0 */
	int8_t		lo, hi;		/* lowest, highest octave seen */
	float		newmax;		/* how often a value set a new high */
	float		newmin;
	double		vmax, vmin;	/* highest and lowest number seen */
	double		lmean, lm2;	/* mean, squared deviations of log2 */
	uint32_t	bins[VALUE_BINS];	/* numbers by octave */
	/* Of late: each tracked value's count, fading by 1/VALUE_LATE a
	 * value learned, and its spells (a spell of a value begins when it
	 * comes after VALUE_LATE others). */
	uint32_t	clock;		/* values learned, never halved */
	struct value_late {
		uint32_t	at;	/* clock at its last coming */
		uint32_t	past;	/* its count when this spell began */
		uint32_t	spell_at;	/* ... and the clock */
		float		late;	/* its count of late, as of at */
		float		dense;	/* how it clumps: the mean count of
					   late at its comings, a mean a
					   spell; 0 before one has ended */
		float		sum;	/* this spell's counts of late at
					   its comings */
	}		lt[VALUE_TRACKED];	/* a value's 24 bytes together */
	uint32_t	shape[VALUE_SHAPES];	/* values of each shape */
};

enum value_finding {
	VALUE_NONE,
	VALUE_UNSEEN,		/* a value never seen at a low-variety spot */
	VALUE_OUTLIER,		/* a number far outside the range seen */
	VALUE_TAIL,		/* a number in the far tail of the range */
};

struct value_judgement {
	enum value_finding	finding;
	double			bits;		/* -log2 P of the finding */
	double			unseen;		/* ... of the value being new,
						   0 if that is no finding */
	double			magnitude;	/* ... of a number out of the
						   usual range (tail < 1/32), or 0 */
	double			share;		/* ... of a seldom value coming
						   this often of late, or 0 */
	int			new_shape;	/* the value is of a shape never
						   seen here (in unseen) */
	double			late;		/* its count of late */
	double			late_expected;	/* ... by its usual share */
	uint32_t		seen;		/* values seen at the position */
	uint32_t		distinct;	/* distinct values, if tracked */
	double			number;		/* the value, for outliers */
	int			numeric;	/* the spot holds numbers */
};

void	value_slot_init(struct value_slot *);

/*
 * A free position: past VALUE_MIN_SEEN values, too many distinct ones and
 * not numbers (ids, addresses).  Nothing more is judged or learned there.
 */
int	value_free(const struct value_slot *);

/* A value as the model sees it: its hash, and its number if it is one. */
#define VALUE_UNIT_NONE	0
#define VALUE_UNITS	38	/* units known, VALUE_UNIT_NONE among them */

struct value {
	uint64_t	hash;
	int		number;		/* x holds it */
	int		unit;		/* x's, or VALUE_UNIT_NONE */
	double		x;
	int		shape;		/* what it is made of: VALUE_DIGITS... */
	int		at;		/* value_judge()'s finding of it among
					   the slot's: value_learn() on the
					   same slot need not look again */
};

/* A value's shape, by the characters it has: a number (or digits),
 * digits with the letters a to f (hex), letters, letters and digits
 * (any other letter among them), or none of these ("-"). */
enum { VALUE_DIGITS, VALUE_HEX, VALUE_WORD, VALUE_ALNUM, VALUE_SYMBOL };

/* Read v (hash h) once for judging and learning. */
void	value_read(struct value *, const char *v, size_t len, uint64_t h);

/* The unit of a number read, from a token of its own after it. */
void	value_unit(struct value *, const char *u, size_t n);

/* How surprising is the value here?  Does not learn it. */
void	value_judge(const struct value_slot *, struct value *,
	    struct value_judgement *);

/* Remember that value hash h was seen n times here (a merged history). */
void	value_seed(struct value_slot *, uint64_t h, uint32_t n);

/* Does the position know value hash h (not when it has held more than
 * VALUE_VARIETY values)? */
int	value_known(const struct value_slot *, uint64_t h);

/* Remember the value at this position. */
void	value_learn(struct value_slot *, const struct value *);

/* Halve the counts, as every count halves each --horizon. */
void	value_fade(struct value_slot *);

/*
 * Split raw token raw[0..rawlen) along its shape (e.g. "<*>:<*>"): the
 * parts the shape's variables stand for.  Returns how many (at most
 * max); a token whose shape has no variable, or does not align, is one
 * part, the whole token.
 */
size_t	value_split(const char *shape, size_t shapelen, const char *raw,
	    size_t rawlen, const char **part, size_t *partlen, size_t max);

/* The number a value starts with ("42", "-3.5", "120ms"), or 0 (also
 * for hex and zero-padded digits, "0x1f", "0042": ids, not amounts). */
int	value_number(const char *v, size_t len, double *x, int *unit);

#endif
