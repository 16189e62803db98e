/*
 * Progress on a terminal for long offline runs: bytes read, lines per
 * second and the time left, redrawn in place a few times a second.
 */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stdint.h>

struct progress;

/*
 * Draw on fd.  total is the input's size in bytes, or 0 when unknown (no
 * percentage, no ETA).  Nothing is drawn before delay_ms have passed, so
 * short runs show nothing.
 */
struct progress	*progress_new(int fd, uint64_t total, unsigned delay_ms);
void		 progress_free(struct progress *);

/*
 * Count one line.  Cheap: the clock is read once every few hundred
 * calls.  Returns 1 when the caller should call progress_draw() now.
 */
int		 progress_tick(struct progress *);

/* Draw bytes (of the raw input, as total counts them) and lines. */
void		 progress_draw(struct progress *, uint64_t bytes,
		    uint64_t lines);

/* Erase what is drawn, before other output to the same terminal or at
 * the end.  Drawing starts again at the next due tick. */
void		 progress_clear(struct progress *);

#endif
