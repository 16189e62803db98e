/*
 * Context, as grep prints it: the records before and after each finding
 * (-B, -A, -C) and where a "--" goes between groups that do not touch.
 */
#ifndef CONTEXT_H
#define CONTEXT_H

#include <stdint.h>

#define CONTEXT_MAX		10000		/* most records of -A, -B */
#define CONTEXT_KEEP_BYTES	(16u << 20)	/* bytes kept for -B */

struct output_input;
struct verdict;

struct context;

struct context	*context_new(unsigned before, unsigned after);
void		 context_free(struct context *);

/*
 * Records count from 1 in the order they are judged.  After a finding,
 * call context_finding(): the next `after` records that are not findings
 * are after-context, which context_after() says (and counts) for each.
 */
void		 context_finding(struct context *);
int		 context_after(struct context *);

/*
 * Keep a copy of record seq, not printed, as possible before-context:
 * the last `before` such records are kept, copied (the template's id and
 * text, the source, the bytes), within CONTEXT_KEEP_BYTES in all; when a
 * record does not fit, the oldest are forgotten.
 */
void		 context_keep(struct context *, uint64_t seq,
		    const struct output_input *, const struct verdict *);

/* The number of the oldest record kept, or seq when none is. */
uint64_t	 context_oldest(const struct context *, uint64_t seq);

/*
 * Take the oldest record kept: fill *in and *v to print it (as context,
 * with its template given in *in) and return its number; 0 when none is
 * kept.  What they point to stays valid until the next call.
 */
uint64_t	 context_take(struct context *, struct output_input *in,
		    struct verdict *v);

/*
 * Whether a "--" goes before record seq, printed next: something was
 * printed before and it was not record seq - 1.  context_mark() notes
 * that record seq was printed (0: nothing yet).
 */
int		 context_gap(const struct context *, uint64_t seq);
void		 context_mark(struct context *, uint64_t seq);

/*
 * Another input starts: as grep's, context stays within an input (none
 * kept is before-context to the next one, no after-context runs on into
 * it), and its first group gets a "--" after anything printed.
 */
void		 context_input(struct context *);

#endif
