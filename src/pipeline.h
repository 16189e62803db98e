/*
 * The reading side of -j: a thread of its own opens the inputs, reads and
 * decompresses them, takes JSON records apart and parses each line
 * (header, time, tokens), and hands the results over in batches to the
 * thread that judges, which sees them in input order exactly as if it had
 * done the work itself.
 */
#ifndef PIPELINE_H
#define PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "parser.h"
#include "reader.h"

struct engine_params;
struct tokens;

#define PIPE_NO_OFFSET	UINT64_MAX	/* a line's offset is not known */

struct pipeline_params {
	char *const		*paths;		/* "-" is standard input */
	size_t			 npaths;
	const struct engine_params *engine;	/* the parser's settings */
	int			 parse;		/* parse lines (not records) */
	/* JSON input: jsonin_new()'s arguments; json 0 for plain text. */
	int			 json;
	const char		*json_field;
	const char		*json_key;
	int			 json_only_braces;
	/* Say of each message whether a JSON string holds it as it is: the
	 * reading thread's scan spares the judge's when every line is
	 * printed as JSON. */
	int			 mark_plain;
};

enum pipe_kind {
	PIPE_LINE,		/* a line of the input */
	PIPE_OPEN,		/* an input starts */
	PIPE_CLOSE,		/* ... and ends (or could not be read) */
};

/* What the reading thread found; pointers stay valid until the next. */
struct pipe_item {
	enum pipe_kind	 kind;
	size_t		 input;		/* index into paths */

	/* PIPE_LINE: */
	struct line	 ln;		/* as read */
	const char	*msg;		/* what is judged: the line, or */
	size_t		 msglen;	/* a JSON record's message */
	int		 record;	/* the line is a JSON record */
	int		 plain;		/* with mark_plain: msg needs no
					   escape in a JSON string */
	struct parsed	 pd;		/* with parse; a record's source,
					   time and level applied */

	/* PIPE_OPEN: */
	int		 regular;	/* a regular file */
	uint64_t	 size;		/* ... of that many bytes */

	/* PIPE_LINE, for progress: bytes of the input read when the line's
	 * batch was handed over (of the file, before decompression), or
	 * PIPE_NO_OFFSET when the reader had left the line's input by then. */
	uint64_t	 offset;

	/* PIPE_LINE and PIPE_CLOSE, JSON input: counts so far of */
	uint64_t	 malformed;	/* lines that were not records */
	uint64_t	 missing;	/* ... records without the field */

	/* PIPE_CLOSE: */
	int		 failed;	/* err says why (no such file ...) */
	const char	*err;
	uint64_t	 bytes;		/* read from the input */
};

struct pipeline;

/* Start reading; NULL with *cause set when the parser cannot be made. */
struct pipeline	*pipeline_new(const struct pipeline_params *, char **cause);

/*
 * The next item, in input order: 1, or 0 at the end of the inputs.  A
 * parsed line's tokens are copied into tk.
 */
int		 pipeline_next(struct pipeline *, struct pipe_item *,
		    struct tokens *tk);

/* Whether the next item is at hand, waiting at most ms for it. */
int		 pipeline_ready(struct pipeline *, int ms);
/*
 * Whether a pipe has been quiet for ms: no item at hand and no bytes came
 * for ms.  A partial line arriving bit by bit is not quiet, as one thread
 * reading it sees.  It does not wait.
 */
int		 pipeline_quiet(struct pipeline *, int ms);
/* Whether the reading thread waits for a FIFO's writer to open it. */
int		 pipeline_opening(struct pipeline *);

/* Stop the reading thread (if it still runs) and free everything. */
void		 pipeline_free(struct pipeline *);

#endif
