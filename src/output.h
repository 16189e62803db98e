/*
 * Output records: how a judged line, a record of its own (a burst's end,
 * a silence), or a template is printed in each output format.
 */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stddef.h>
#include <stdint.h>

struct incident;
struct line;
struct record;
struct outbuf;
struct score_event;
struct template;
struct verdict;

enum output_format {
	OUTPUT_TEXT,
	OUTPUT_JSON,
	OUTPUT_LOGFMT,
};

struct output_opts {
	enum output_format	format;
	int			all;		/* every line, flagged or not */
	int			with_filename;
	int			line_number;	/* -n: each line's in its input */
	int			explain;	/* add the evidence */
	int			multiline;	/* records say their end_line */
	int			color;		/* text: SGR colours, as grep's */
};

/* Where a judged line came from and what of it was judged. */
struct output_input {
	const char		*file;		/* NULL: standard input */
	const char		*file_json;	/* file quoted, if at hand */
	uint64_t		 input_line;	/* its number in its input */
	const struct line	*line;		/* as read */
	const char		*msg;		/* what was judged: the line, */
	size_t			 msglen;	/* or a JSON record's message */
	int			 msg_plain;	/* msg needs no JSON escapes */
	int			 record;	/* line is a JSON object */
	const struct record	*rec;		/* with --multiline, or NULL */
	int			 context;	/* printed as context (-A, -B) */
	uint64_t		 incident;	/* its incident, or 0 */
	/* The template as it was when it is printed later (context), in
	 * place of the verdict's: tmpl_id 0 for none. */
	int			 tmpl_given;
	uint64_t		 tmpl_id;
	const char		*tmpl_text;
	size_t			 tmpl_len;
};

/*
 * One line's record, or a multi-line record's (in->rec): in text its
 * first line after the fields, then the other lines as read; in JSON
 * and logfmt its lines joined by "\n" in text, and end_line.
 */
void	output_line(struct outbuf *, const struct output_opts *,
	    const struct output_input *, const struct verdict *);

/*
 * A record that is not a line; source: its source with --key, else
 * NULL; lines: durations count lines.
 */
void	output_event(struct outbuf *, const struct output_opts *,
	    const struct score_event *, const char *source, int lines);
/* The same, in incident (0: none) for JSON and logfmt. */
void	output_event_in(struct outbuf *, const struct output_opts *,
	    const struct score_event *, const char *source, int lines,
	    uint64_t incident);

/* s as a JSON string, quotes included, allocated; NULL if very long. */
char	*output_json_string(const char *s);

/* The "--" between groups of context, in text output. */
void	output_separator(struct outbuf *, const struct output_opts *);

/*
 * An incident's opening record (end 0) or its summary (end 1); lines:
 * its durations count lines.
 */
void	output_incident(struct outbuf *, const struct output_opts *,
	    const struct incident *, int end);

/* One row of the --templates table; source as for output_event. */
void	output_template(struct outbuf *, const struct output_opts *,
	    struct template *, const char *source);

#endif
