/*
 * The engine: everything that happens to one log line between reading it
 * and printing it.  Split the header, mask, tokenize, find the template,
 * find the line's time, score.
 */
#ifndef ENGINE_H
#define ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "drain.h"
#include "format.h"
#include "score.h"

struct template;

enum window_unit {
	WINDOW_AUTO,		/* event time if lines have it, else lines */
	WINDOW_LINES,
	WINDOW_SECONDS,		/* event time, else the clock */
};

struct engine_params {
	const char		*format;	/* Loghub-style, or NULL */
	const char		*format_regex;	/* pcre2, or NULL */
	int			 detect_header;	/* without a format */
	const char		*delimiters;	/* split tokens at these too */
	const char *const	*masks;		/* "NAME=REGEX" user masks */
	size_t			 nmasks;
	struct drain_params	 drain;
	struct scorer_params	 scorer;	/* window etc. set from below */
	enum window_unit	 window_unit;
	double			 window;	/* 0: the default of the unit */
	double			 horizon;	/* 0: the default */
	int			 horizon_lines;	/* horizon counts lines */
	double			 repeat;	/* in the window's unit; <0: window */
	int			 repeat_set;
	uint64_t		 warmup;	/* lines that only learn */
	int			 learn;		/* update the model */
	int			 live;		/* input arrives as it is written */
	int			 need_time;	/* read every line's event time */
};

/* What the engine concluded about a line. */
struct verdict {
	uint64_t	 line;		/* 1-based, across all inputs */
	struct template	*tmpl;		/* NULL: frozen and nothing fits */
	int		 created;	/* first line of tmpl */
	int		 flagged;	/* a finding to print */
	struct score	 score;
	struct span	 content;	/* the message that was parsed */
	int		 header;	/* the format matched */
	double		 time;		/* event time (s since the epoch), 0 */
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

/* Whether input arrives live (a pipe or terminal): the clock may serve
 * as time.  Takes effect if set before the first line. */
void		 engine_set_live(struct engine *, int);

/* End of input: close open bursts and windows. */
void		 engine_finish(struct engine *);

/* Records that are not lines (burst ends, silences); 0 when none. */
int		 engine_event(struct engine *, struct score_event *);

/* Whether window ticks are lines (durations print as line counts). */
int		 engine_ticks_are_lines(const struct engine *);

/*
 * The run is over: give each template merged into another its lines, so
 * that listings count one event once.  Idempotent.
 */
void		 engine_fold_merged(struct engine *);

/* The model's templates, in creation order. */
size_t		 engine_templates(const struct engine *);
struct template	*engine_template(const struct engine *, size_t);

#endif
