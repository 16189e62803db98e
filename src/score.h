/*
 * Scoring: how surprising a line is, in bits, given what the model has
 * seen so far, which detector says so, and whether to print it.
 */
#ifndef SCORE_H
#define SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "members.h"

struct template;
struct tokens;

enum score_kind {
	KIND_NORMAL,		/* nothing surprising */
	KIND_NEW,		/* first line of a template */
	KIND_RARE,		/* a template seldom seen */
	KIND_VALUE,		/* a value unusual for its position */
	KIND_BURST,		/* a template far more often than usual */
	/* Records of their own, not log lines: */
	KIND_BURST_END,		/* a burst is over: its summary */
	KIND_SILENCE,		/* a regular template stopped arriving */
	KIND_HELD,		/* findings held back by the cap */
};

/* Why a line scored what it did; what --explain prints. */
struct evidence {
	double		 p;		/* the probability, 2^-bits */
	double		 window_count;	/* lines of the template in window */
	double		 expected;	/* ... expected there */
	double		 total;		/* lines of the template, decayed */
	uint32_t	 unseen_words;	/* new: words the log never used */
	uint32_t	 distinct;	/* value: distinct values so far */
	uint32_t	 seen;		/* value: values seen at the spot */
	int		 variable;	/* value: which <*> of the template */
	const char	*field;		/* value: or which header field, */
	size_t		 field_len;
	int		 member;	/* ... or member of a JSON record */
	const char	*value;		/* value: the value, in the line */
	size_t		 value_len;
	int		 outlier;	/* value: a number out of range */
	int		 new_shape;	/* value: of a shape never there */
	int		 share;		/* value: a seldom one, often of late
					   (window_count, expected) */
	double		 severity;	/* bits added for the line's level */
};

/* Why a finding was not printed. */
enum score_hold {
	HOLD_NONE,
	HOLD_REPEAT,		/* --repeat: told already */
	HOLD_CAP,		/* --max-alerts: the window's share is out */
	HOLD_BURST		/* its burst was told when it started */
};

struct score {
	double		 bits;		/* -log2 of the probability */
	enum score_kind	 kind;
	int		 suppressed;	/* not printed: why (HOLD_*) */
	uint64_t	 subject;	/* what it is about, for --repeat */
	struct evidence	 ev;
};

/* A record that is not a line: a burst's end, a silence, a cap summary. */
struct score_event {
	enum score_kind	 kind;
	struct template	*tmpl;		/* NULL for KIND_HELD */
	uint64_t	 line;		/* the line it is told with */
	uint64_t	 first_line;	/* burst: its first and last lines */
	uint64_t	 last_line;
	double		 bits;
	double		 count;		/* burst: lines; held: findings */
	double		 expected;	/* burst: lines expected */
	double		 duration;	/* in ticks */
	uint32_t	 held[KIND_HELD + 1];	/* held: by kind */
};

struct scorer_params {
	double		threshold;	/* bits at which a line is flagged */
	double		window;		/* ticks */
	double		horizon;	/* baselines halve this often ... */
	int		horizon_lines;	/* ... in lines (else in ticks) */
	double		repeat;		/* ticks between findings of a template */
	uint64_t	max_alerts;	/* printed findings per window, 0: all */
	int		silence;	/* look for templates that went quiet */
	uint64_t	warmup;		/* lines that only learn */
	double		severity_weight; /* scales the severity prior */
	int		exact;		/* every line's score is printed */
};

#define SCORE_DEFAULT_THRESHOLD	10.0
#define SCORE_DEFAULT_WINDOW_LINES 1000
#define SCORE_DEFAULT_WINDOW_SECS 300
#define SCORE_DEFAULT_HORIZON	100000	/* lines */
#define SCORE_DEFAULT_MAX_ALERTS 100

/*
 * A line's header fields besides its time and its message (a level, a
 * program, a host), as a format or header detection found them: field i
 * is the same field on every line of a source (p NULL where a line lacks
 * it).  Spans point into the line; names outlive the scorer's output.
 */
#define SCORE_FIELDS	8

struct header_fields {
	size_t		 n;
	const char	*p[SCORE_FIELDS];
	size_t		 len[SCORE_FIELDS];
	const char *const *name;	/* [n], the parser's */
	/* A JSON record's members: values of the line, as its template's
	 * variables are (members.n is 0 for other lines). */
	struct record_members members;
};

struct scorer;
struct vocab;

/* A scorer; vocab, the words seen, may be shared and must outlive it. */
struct scorer	*scorer_new(const struct scorer_params *, struct vocab *);
void		 scorer_free(struct scorer *);

/*
 * Score one line of template t (NULL: frozen and no template fits;
 * created: its first line) with tokens tk, at time tick (lines or
 * seconds, as the window is), then with learn count it.  sev is the
 * severity its header gives (level, status), NAN if it gives none;
 * hf its header fields, or NULL.  Fills *s and returns 1 when the line
 * is a finding to print.
 */
int		 scorer_line(struct scorer *, struct template *t, int created,
		    const struct tokens *tk, const struct header_fields *hf,
		    double tick, uint64_t line, double sev, int learn,
		    struct score *s);

/*
 * Templates were merged into root, position slot becoming a variable:
 * the value hash[i] was there on count[i] lines of from[i].  Seeds that
 * position's value model, and root's share of lines with the others'
 * (decayed as root's is), so the merge keeps its history.
 */
void		 scorer_merge(struct scorer *, struct template *root,
		    uint32_t slot, const uint64_t *hash, const uint64_t *count,
		    struct template *const *from, size_t n);


/* Let time pass without a line (end of input: flush open bursts). */
void		 scorer_finish(struct scorer *, uint64_t line);

/* Time is tick while no line comes (a quiet pipe): windows close,
 * bursts end, silences are found. */
void		 scorer_idle(struct scorer *, double tick);

/* The next record of its own, if any; 0 when there is none. */
int		 scorer_event(struct scorer *, struct score_event *);

struct sbuf;
struct sread;

/*
 * Save the scorer's whole state; load it into a new scorer made with the
 * same parameters.  lookup maps a template id to the template the tree
 * loaded.  scorer_load returns 0, or -1 with *cause set when the data is
 * not a state this scorer wrote.
 */
void		 scorer_save(const struct scorer *, struct sbuf *);
int		 scorer_load(struct scorer *, struct sread *,
		    struct template *(*lookup)(void *, uint64_t), void *arg,
		    char **cause);

/*
 * Forget a template (it is about to be freed).  scorer_pins lists the
 * templates the scorer would rather keep, in a burst or told of by a
 * record not yet taken by scorer_event (NULL for a record of none): the
 * first room of them go to out, and it returns how many there are.
 */
void		 scorer_forget(struct scorer *, struct template *);
size_t		 scorer_pins(const struct scorer *, struct template **out,
		    size_t room);

const char	*score_kind_name(enum score_kind);

#endif
