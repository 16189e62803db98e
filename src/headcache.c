/*
 * A cache of header_split()'s answers.  A busy log writes one header
 * layout line after line, with only its digits (the stamp, a pid) new, and
 * often the whole line is an earlier one's with other digits: finding
 * that takes a compare of the two lines, against some 1,800 instructions
 * to scan the header again.  header_split() gives lines of one shape the
 * same answer, unless they differ in the few forms whose digits' values
 * it reads (header_forms()), so the answer is kept as offsets and reused
 * when those read alike.
 *
 * A slot keeps a line's shape, not the line: the line blotted (blot.c),
 * so that a compare blots only the new line.  A line's set of WAYS slots
 * comes from blot_hash(); a new shape takes the slot after the one used
 * last, so that a shape in use is not put out.
 * 256 slots hold the shapes of a log of many services (the throughput
 * corpus reuses an answer for 78% of its lines); a slot is 312 bytes, and
 * nothing is allocated after headcache_new().
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "blot.h"
#include "headcache.h"
#include "xmalloc.h"

#define SETS		64	/* a power of two */
#define WAYS		4	/* slots a set */
#define LINE_MIN_KEPT	16	/* shorter ones too: their scan is short */
#define LINE_MAX_KEPT	256	/* longer lines are scanned every time */
#define NONE		UINT16_MAX

enum forms {
	FORMS_UNKNOWN,		/* not looked for: the shape has not come back */
	FORMS_READ,		/* found, and values is how they read */
	FORMS_TOO_MANY		/* every line of the shape is scanned */
};

struct slot {
	uint16_t	 len;		/* 0: empty */
	uint8_t		 forms;		/* enum forms */
	uint8_t		 found;		/* header_split()'s answer */
	uint16_t	 content;	/* where the message starts */
	uint16_t	 off[4], n[4];	/* time, host, level, source */
	struct header_forms hf;
	unsigned	 values;
	char		 shape[LINE_MAX_KEPT];	/* the line, blotted */
};

struct set {
	struct slot	 way[WAYS];
	unsigned	 last;		/* the way used last */
};

struct headcache {
	struct set	 set[SETS];
};

struct headcache *
headcache_new(void)
{
	return xcalloc(1, sizeof(struct headcache));
}

void
headcache_free(struct headcache *hc)
{
	free(hc);
}

static void
keep_span(struct slot *s, int k, const char *line, struct span sp)
{
	s->off[k] = sp.p == NULL ? NONE : (uint16_t)(sp.p - line);
	s->n[k] = (uint16_t)sp.len;
}

static struct span
span_at(const struct slot *s, int k, const char *line)
{
	struct span sp;

	sp.p = s->off[k] == NONE ? NULL : line + s->off[k];
	sp.len = s->off[k] == NONE ? 0 : s->n[k];
	return sp;
}

/* header_split()'s answer for line, kept in s. */
static int
split_keep(struct slot *s, const char *line, size_t len,
    struct span *content, struct header *h)
{
	int found = header_split(line, len, content, h);

	s->found = (uint8_t)found;
	s->content = (uint16_t)(found ? content->p - line : 0);
	keep_span(s, 0, line, h->time);
	keep_span(s, 1, line, h->host);
	keep_span(s, 2, line, h->level);
	keep_span(s, 3, line, h->source);
	return found;
}

int
headcache_split(struct headcache *hc, const char *line, size_t len,
    struct span *content, struct header *h)
{
	struct set *set;
	struct slot *s;
	unsigned w;

	if (len < LINE_MIN_KEPT || len > LINE_MAX_KEPT)
		return header_split(line, len, content, h);
	set = &hc->set[(blot_hash(line, len) >> 40) & (SETS - 1)];
	for (w = 0; w < WAYS; w++) {
		s = &set->way[w];
		if (s->len != len || !blot_same(s->shape, line, len))
			continue;
		set->last = w;
		/* The forms are looked for once a shape comes back: most
		 * that never do are not worth the look.  The slot's answer
		 * is then this line's, so that the values are its too. */
		if (s->forms == FORMS_UNKNOWN) {
			if (!header_forms(line, len, &s->hf)) {
				s->forms = FORMS_TOO_MANY;
			} else if (s->hf.n > 0) {
				s->forms = FORMS_READ;
				s->values = header_form_values(line, len,
				    &s->hf);
				return split_keep(s, line, len, content, h);
			} else
				s->forms = FORMS_READ;
		}
		if (s->forms == FORMS_TOO_MANY || (s->hf.n > 0 &&
		    header_form_values(line, len, &s->hf) != s->values))
			return header_split(line, len, content, h);
		if (s->found) {
			content->p = line + s->content;
			content->len = len - s->content;
		}
		h->time = span_at(s, 0, line);
		h->host = span_at(s, 1, line);
		h->level = span_at(s, 2, line);
		h->source = span_at(s, 3, line);
		return s->found;
	}
	/* A new shape, in the way not used last. */
	set->last = (set->last + 1) % WAYS;
	s = &set->way[set->last];
	s->len = (uint16_t)len;
	s->forms = FORMS_UNKNOWN;
	blot_copy(s->shape, line, len);
	return split_keep(s, line, len, content, h);
}
