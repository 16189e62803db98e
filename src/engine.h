/*
 * The engine: everything that happens to one log line between reading it
 * and printing it.  Parse it (parser.c), pick the model of its source,
 * find its template, find its time, score it (model.c).
 */
#ifndef ENGINE_H
#define ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "drain.h"
#include "format.h"
#include "score.h"

struct json_record;
struct parsed;
struct template;
struct tokens;

enum window_unit {
	WINDOW_AUTO,		/* lines, the default */
	WINDOW_LINES,
	WINDOW_SECONDS,		/* event time, else the clock */
};

#define ENGINE_DEFAULT_MAX_SOURCES	1000

struct engine_params {
	const char		*format;	/* Loghub-style, or NULL */
	const char		*format_regex;	/* pcre2, or NULL */
	int			 detect_header;	/* without a format */
	const char		*delimiters;	/* split tokens at these too */
	const char *const	*masks;		/* "NAME=REGEX" user masks */
	size_t			 nmasks;
	const char		*key;		/* --key: the source, or NULL */
	int			 key_is_json;	/* ... a field of a JSON record */
	uint64_t		 max_sources;	/* models kept at once */
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
	int			 need_time;	/* read every line's event time */
	/* The year of a stamp without one is placed by the clock when it is
	 * read: clock(), or time(3) when NULL, shifted to read now at the
	 * start when now is not 0 (tests fix the day). */
	double			 now;
	double			(*clock)(void);
	/* Told of each template dropped to stay within bounds, before it
	 * is freed; may be NULL. */
	void			(*forget)(void *, const struct template *);
	void			*forget_arg;
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
	double		 read_time;	/* the line's own time, before the
					   clock keeps it from going back; 0 */
	const char	*source;	/* its source with --key, else NULL */
	int		 keyless;	/* --key, and the line had no key */
};

struct engine;

struct engine	*engine_new(const struct engine_params *, char **cause);
void		 engine_free(struct engine *);

/*
 * Judge one line, text[0..len) without its line ending.  When the line
 * was a JSON record, rec holds what the record says besides its message
 * (its source, time and level: see parser_record()), else rec is NULL.
 * The verdict points into text and into the engine; both must outlive
 * its use.
 */
void		 engine_line(struct engine *, const char *text, size_t len,
		    const struct json_record *rec, struct verdict *);

/*
 * Judge a record of nlines lines (a stack trace) as one: its first line
 * text[0..len), with the word sig[0..siglen) (the shape of the others)
 * as its last token.  The line numbers of the other lines are counted,
 * so v->line is the first line's and the next verdict's line follows
 * the last.
 */
void		 engine_record(struct engine *, const char *text, size_t len,
		    const char *sig, size_t siglen, size_t nlines,
		    struct verdict *);

/*
 * The same in two steps, for a pipeline: parse with a parser of one's
 * own (parser_new with the engine's parameters, in any thread), then
 * judge here, in order.  pd's spans point into text.
 */
void		 engine_judge(struct engine *, const char *text,
		    const struct parsed *pd, const struct tokens *tk,
		    struct verdict *);

/*
 * End of input: close open bursts and windows of every source, unless a
 * run goes on from the state saved (going_on): then what is still open
 * is its to tell, once, as one long run would.
 */
void		 engine_finish(struct engine *, int going_on);

/* The input is quiet: with --silence, time goes on without a line. */
void		 engine_idle(struct engine *);

/*
 * Records that are not lines (burst ends, silences), from the source of
 * the line judged last, or from every source after engine_finish or
 * engine_idle; 0 when there are none.  ev->tmpl stays valid until the next line is judged.
 */
int		 engine_event(struct engine *, struct score_event *,
		    const char **source);

/* Whether window ticks are lines (durations print as line counts). */
int		 engine_ticks_are_lines(const struct engine *);

/*
 * The run is over: give each template merged into another its lines, so
 * that listings count one event once.  Idempotent.
 */
void		 engine_fold_merged(struct engine *);

/*
 * The templates of every source, in creation order within each;
 * engine_template_source names the source of template i (NULL without
 * --key).
 */
size_t		 engine_templates(const struct engine *);
struct template	*engine_template(const struct engine *, size_t);
const char	*engine_template_source(const struct engine *, size_t);

/* Sources seen and sources dropped to stay within max_sources. */
uint64_t	 engine_sources(const struct engine *);
uint64_t	 engine_sources_evicted(const struct engine *);
uint64_t	 engine_max_sources(const struct engine *);

/* The parameters it was made with (defaults filled in); lines judged. */
const struct engine_params *engine_params(const struct engine *);
uint64_t	 engine_lines(const struct engine *);

struct sbuf;
struct sread;

/*
 * Save everything the engine learned: its line count and template
 * serials, and every source's model (most recently used first), between
 * lines, when engine_event has nothing left to tell.  engine_load fills
 * a new engine made with the same parameters; it returns -1 with *cause
 * set when the data is not an engine's state (the engine is then only
 * fit for engine_free).  state.c wraps this in a file.
 */
void		 engine_save(const struct engine *, struct sbuf *);
int		 engine_load(struct engine *, struct sread *, char **cause);

#endif
