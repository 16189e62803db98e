/*
 * Scoring: how surprising a line is, in bits, given what the model has
 * seen so far.
 */
#ifndef SCORE_H
#define SCORE_H

#include <stdint.h>

struct template;

enum score_kind {
	KIND_NORMAL,		/* nothing surprising */
	KIND_NEW,		/* first line of a template */
	KIND_RARE,		/* a template seldom seen */
};

struct score {
	double		bits;	/* -log2 of the probability of the event */
	enum score_kind	kind;
};

struct scorer_params {
	double		threshold;	/* bits at which a line is flagged */
};

#define SCORE_DEFAULT_THRESHOLD	10.0

struct scorer;

struct scorer	*scorer_new(const struct scorer_params *);
void		 scorer_free(struct scorer *);

/*
 * Score a line of template t (created: it is the template's first line),
 * then, with learn, count it.  Fills *s and returns 1 when the line is
 * flagged.
 */
int		 scorer_line(struct scorer *, struct template *t, int created,
		    int learn, struct score *s);

const char	*score_kind_name(enum score_kind);

#endif
