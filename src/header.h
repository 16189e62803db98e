/*
 * Header detection: without a format, find the header a log line starts
 * with (time stamp, host, level, source) so that only the message is
 * parsed.
 */
#ifndef HEADER_H
#define HEADER_H

#include <stddef.h>
#include <stdint.h>

#include "format.h"

/* What a header was found to hold; a field not found is {NULL, 0}.  Every
 * field lies inside the line: -j hands them on as offsets into it. */
struct header {
	struct span	 time;
	struct span	 host;
	struct span	 level;
	struct span	 source;
};

/*
 * Look for a header at the start of line[0..len).  Returns 1 and sets
 * *content to the message after it (and h's fields), or 0 when the line
 * does not look like it has one: the caller parses it whole.  A hand-
 * written scanner: no regex, no allocation, a look at no more than the
 * first few tokens.
 */
int	header_split(const char *line, size_t len, struct span *content,
	    struct header *h);

/*
 * header_split() tells most bytes by what they are, but digits only by
 * being digits, except in a few forms whose values it reads.  Lines of one
 * shape (digits where digits are, every other byte the same) whose forms
 * read alike get one answer, offsets from the line's start alike.
 */
#define HEADER_FORMS		8	/* most forms a line is read for */
#define HEADER_FORM_PRIORITY	1	/* "<34>" */
#define HEADER_FORM_GLOG	2	/* "I1127" */
#define HEADER_FORM_MONTH_DAY	3	/* "03-17" */
#define HEADER_FORM_YYMMDD	4	/* "081109 203615" */

struct header_forms {
	unsigned	 n;
	uint16_t	 at[HEADER_FORMS];	/* each one's first digit */
	uint8_t		 kind[HEADER_FORMS];
};

/* The forms in line[0..len); 0 when there are more than HEADER_FORMS (or
 * the line is longer than 64 KiB). */
int	header_forms(const char *line, size_t len, struct header_forms *);

/* How they read in line, of the shape of the line they were found in, as
 * bits that are equal when the checks that read them agree. */
unsigned header_form_values(const char *line, size_t len,
	    const struct header_forms *);

#endif
