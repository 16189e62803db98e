/*
 * The engine: everything that happens to one log line between reading it
 * and printing it.  Split the header, mask, tokenize, find the template,
 * score.
 */
#ifndef ENGINE_H
#define ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "drain.h"
#include "format.h"
#include "score.h"

struct template;

struct engine_params {
	const char		*format;	/* Loghub-style, or NULL */
	const char		*format_regex;	/* pcre2, or NULL */
	int			 detect_header;	/* without a format */
	const char		*delimiters;	/* split tokens at these too */
	const char *const	*masks;		/* "NAME=REGEX" user masks */
	size_t			 nmasks;
	struct drain_params	 drain;
	struct scorer_params	 scorer;
	uint64_t		 warmup;	/* lines that only learn */
	int			 learn;		/* update the model */
};

/* What the engine concluded about a line. */
struct verdict {
	uint64_t	 line;		/* 1-based, across all inputs */
	struct template	*tmpl;		/* NULL: frozen and nothing fits */
	int		 created;	/* first line of tmpl */
	int		 flagged;
	struct score	 score;
	struct span	 content;	/* the message that was parsed */
	int		 header;	/* the format matched */
	double		 time;		/* event time, seconds since the epoch */
};

struct engine;

struct engine	*engine_new(const struct engine_params *, char **cause);
void		 engine_free(struct engine *);

/*
 * Judge one line, text[0..len) without its line ending.  The verdict
 * points into text and into the engine; both must outlive its use.
 */
void		 engine_line(struct engine *, const char *text, size_t len,
		    struct verdict *);

/* The model's templates, in creation order. */
size_t		 engine_templates(const struct engine *);
struct template	*engine_template(const struct engine *, size_t);

#endif
