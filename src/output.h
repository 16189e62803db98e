/*
 * Output records: how a judged line, or a template, is printed in each
 * output format.
 */
#ifndef OUTPUT_H
#define OUTPUT_H

struct line;
struct outbuf;
struct template;
struct verdict;

enum output_format {
	OUTPUT_TEXT,
	OUTPUT_JSON,
};

struct output_opts {
	enum output_format	format;
	int			all;		/* every line, flagged or not */
	int			with_filename;
};

/* One line's record; file is NULL for standard input. */
void	output_line(struct outbuf *, const struct output_opts *,
	    const char *file, const struct line *, const struct verdict *);

/* One row of the --templates table. */
void	output_template(struct outbuf *, const struct output_opts *,
	    struct template *);

#endif
