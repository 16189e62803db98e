/*
 * The --summary report: what a run read and flagged, its most frequent
 * templates and the ones that first appeared late, each with a small
 * histogram over the run drawn as a sparkline.
 */
#ifndef SUMMARY_H
#define SUMMARY_H

#include <stdint.h>

#define SUMMARY_BINS		32	/* columns of a sparkline */
#define SUMMARY_MAX_TEMPLATES	16384	/* templates with a histogram */
#define SUMMARY_TOP		10	/* rows in each list */

struct engine;
struct outbuf;
struct verdict;

struct summary;

struct summary	*summary_new(void);
void		 summary_free(struct summary *);

/*
 * Count one judged line.  O(1), except that the histogram bins are
 * merged pairwise for every template when the run outgrows them (a
 * logarithmic number of times in all), and a new template may grow the
 * table.  The time axis is the verdict's event time when the first line
 * has one, else line numbers.
 */
void		 summary_line(struct summary *, const struct verdict *);

/* The template with serial id was dropped: its row is free again. */
void		 summary_forget(struct summary *, uint64_t id);

/* What the run could not read as it was told, for the report. */
struct summary_extra {
	int		 json;		/* JSON lines input */
	uint64_t	 malformed;	/* lines that were not objects */
	uint64_t	 missing;	/* objects without the field */
	const char	*field;		/* its name(s) */
};

/*
 * Write the report to o: plain text for a person, sparklines in Unicode
 * block characters, or in ASCII with ascii.  Template text is cut to fit
 * and control characters in it are shown as '?'.
 */
void		 summary_print(struct summary *, struct outbuf *o,
		    const struct engine *, const struct summary_extra *,
		    int ascii);

#endif
