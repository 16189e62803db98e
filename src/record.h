/*
 * Records: what is judged as one.  By default a record is one line; with
 * --multiline=auto or --record-start, a line and the continuation lines
 * after it (a stack trace), bounded in lines and bytes, with a signature
 * of the continuation lines' shapes.
 */
#ifndef RECORD_H
#define RECORD_H

#include <stddef.h>
#include <stdint.h>

struct line;

#define RECORD_MAX_LINES	1000		/* lines of one record */
#define RECORD_MAX_BYTES	(1u << 20)	/* its bytes, without endings */
#define RECORD_SIG_MAX		256		/* bytes of its signature */
#define RECORD_SIG_SHAPES	16		/* shapes its signature names */
#define RECORD_IDLE_MS		100		/* a pending record's wait */

enum record_mode {
	RECORD_LINES,		/* every line a record (the default) */
	RECORD_AUTO,		/* continuation lines found by their looks */
	RECORD_REGEX,		/* lines matching a pattern start records */
};

struct record_params {
	enum record_mode	 mode;
	const char		*start;		/* RECORD_REGEX: the pattern */
	const char		*format;	/* RECORD_AUTO: lines that do */
	const char		*format_regex;	/* not match this continue */
};

/*
 * One record.  Its lines are text[0..len) joined by "\n", without their
 * line endings; crlf[i] says whether line i ended in "\r\n".  sig is the
 * shape signature of lines 2..nlines, "" for a record of one line.
 */
struct record {
	const char		*text;
	size_t			 len;
	size_t			 first_len;	/* the first line's bytes */
	size_t			 nlines;
	const unsigned char	*crlf;
	const char		*sig;
	size_t			 siglen;
	int			 truncated;	/* its first line was cut */
	int			 capped;	/* it ended at the bounds, not
						   where its lines did */
};

struct recorder;

/* NULL with *cause set when the pattern or the format is wrong. */
struct recorder	*recorder_new(const struct record_params *, char **cause);
void		 recorder_free(struct recorder *);

/*
 * Add one line as read.  If it starts a record while another is pending,
 * returns that one, complete; else NULL.  The lines are copied: ln may go
 * once this returns.  A record returned stays valid until the next call.
 */
const struct record *recorder_push(struct recorder *, const struct line *ln);

/* The end of an input, or a pause in it: the pending record, or NULL. */
const struct record *recorder_flush(struct recorder *);

/* Whether a record is waiting for its next line. */
int		 recorder_pending(const struct recorder *);

#endif
