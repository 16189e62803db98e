/*
 * The parser: what can be known of a line from the line alone (its
 * header, time, level, source and tokens), before any model looks at it.
 * One per thread that parses.
 */
#ifndef PARSER_H
#define PARSER_H

#include <stddef.h>

#include "format.h"
#include "score.h"

struct engine_params;
struct json_record;
struct tokens;

/* What a line was found to hold. */
struct parsed {
	struct span	 content;	/* the message that is learned */
	int		 header;	/* a header was split off */
	int		 has_time;
	int		 time_flags;	/* TIME_HAS_* */
	double		 time;		/* seconds since the epoch */
	double		 sev;		/* the header's severity, or NAN */
	struct span	 key;		/* the source, {NULL, 0}: none */
	struct header_fields fields;	/* besides time and message */
};

struct parser;

/* NULL with *cause set when the format, a mask or the key is wrong. */
struct parser	*parser_new(const struct engine_params *, char **cause);
void		 parser_free(struct parser *);

/*
 * Parse text[0..len): header split (format, or detection), time (when
 * wanted), severity and source key from the header, and the message's
 * tokens into tk.  Spans point into text.  Nothing is allocated.
 */
void		 parser_line(struct parser *, const char *text, size_t len,
		    struct parsed *, struct tokens *tk);

/*
 * What a JSON record says besides its message fills in what the
 * message's header left out: the record's time when the header had none
 * (or none was read), its level when the header gave no severity, and
 * its source (--key) in place of the header's; its other members are
 * the line's values (pd->fields.members).
 */
void		 parser_record(struct parser *, const struct json_record *,
		    struct parsed *);

#endif
