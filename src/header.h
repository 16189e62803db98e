/*
 * Header detection: without a format, find the header a log line starts
 * with (time stamp, host, level, source) so that only the message is
 * parsed.
 */
#ifndef HEADER_H
#define HEADER_H

#include <stddef.h>

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

#endif
