/*
 * Scoring.  A score is bits of surprise, -log2 P, of what the line shows
 * under the counts learned so far (N lines, of which each template has
 * its count c, n1 templates seen exactly once):
 *
 *   new   the template was never seen: P = (n1 + 1) / (N + 2), the
 *         Good-Turing estimate of how likely an unseen template is, with
 *         a pseudo-count so the first lines of a stream score low;
 *   rare  a known template: P = (c + 1) / (N + K + 1), its add-one
 *         smoothed frequency among K templates.
 *
 * The kind is "new" for a template's first line and "rare" for a known
 * template whose score reaches the threshold; other lines are "normal".
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "score.h"
#include "template.h"
#include "xmalloc.h"

struct scorer {
	struct scorer_params	p;
	uint64_t		lines;		/* N */
	uint64_t		templates;	/* K */
	uint64_t		singletons;	/* n1 */
};

struct scorer *
scorer_new(const struct scorer_params *p)
{
	struct scorer *sc;

	sc = xcalloc(1, sizeof *sc);
	sc->p = *p;
	return sc;
}

void
scorer_free(struct scorer *sc)
{
	free(sc);
}

const char *
score_kind_name(enum score_kind k)
{
	switch (k) {
	case KIND_NEW:
		return "new";
	case KIND_RARE:
		return "rare";
	case KIND_NORMAL:
		break;
	}
	return "normal";
}

int
scorer_line(struct scorer *sc, struct template *t, int created, int learn,
    struct score *s)
{
	double n = (double)sc->lines;
	int flagged;

	if (created || t == NULL || t->count == 0) {
		s->kind = KIND_NEW;
		s->bits = -log2(((double)sc->singletons + 1) / (n + 2));
	} else {
		s->kind = KIND_RARE;
		s->bits = -log2(((double)t->count + 1) /
		    (n + (double)sc->templates + 1));
	}
	if (s->bits < 0)
		s->bits = 0;
	flagged = s->bits >= sc->p.threshold;
	if (!flagged && s->kind == KIND_RARE)
		s->kind = KIND_NORMAL;

	if (learn && t != NULL) {
		if (t->count == 0) {
			sc->templates++;
			sc->singletons++;
		} else if (t->count == 1) {
			sc->singletons--;
		}
		t->count++;
		sc->lines++;
	}
	return flagged;
}
