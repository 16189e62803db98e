/*
 * Line reader: splits a byte stream into lines with big block reads and
 * memchr, never stdio.  A line handed out points into the reader's buffer
 * and stays valid until the next reader_next() call on the same reader.
 */
#ifndef READER_H
#define READER_H

#include <stddef.h>
#include <sys/types.h>

/* Lines longer than this are cut here; the rest up to '\n' is skipped. */
#define READER_MAX_LINE	(64u << 20)

struct line {
	char	*text;		/* the bytes, without "\n" or "\r\n" */
	size_t	 len;
	int	 crlf;		/* the line ended in "\r\n" */
	int	 truncated;	/* longer than READER_MAX_LINE; the rest was skipped */
};

/*
 * A source of bytes.  The plain one wraps read(2); decompressing ones plug
 * in here.  read returns what read(2) returns, with errno set on -1.
 * cause, when not NULL, says why the last read failed when errno cannot
 * (a corrupt archive), or returns NULL to let errno speak.
 */
struct reader_source {
	ssize_t		(*read)(void *ctx, char *buf, size_t len);
	void		(*close)(void *ctx);
	void		 *ctx;
	const char	*(*cause)(void *ctx);
};

struct reader;

struct reader	*reader_new(int fd);
struct reader	*reader_new_source(const struct reader_source *);
void		 reader_free(struct reader *);
int		 reader_next(struct reader *, struct line *);
/* Call fn(arg) before every read of the source, e.g. to flush output
 * before the reader may block on a pipe; a fn that returns -1 makes
 * reader_next() return -1 with errno ECANCELED instead of reading. */
void		 reader_set_hook(struct reader *, int (*fn)(void *), void *arg);
unsigned long long reader_bytes(const struct reader *);
/*
 * Why reader_next() last returned -1: the source's own message, or
 * strerror(errnum).  The string stays valid until the next call.
 */
const char	*reader_cause(const struct reader *, int errnum);
/* Whether open(2) of path may wait: a FIFO waits for its writer. */
int		 reader_open_may_wait(const char *path);
/*
 * Open path for reading without blocking in open(2): a FIFO is opened at
 * once and await(fd, arg) waits for its writer (-1: stop waiting), so the
 * caller can act on what comes meanwhile.  The descriptor then blocks as
 * any input.  -1 with errno set, or when await() gave up.
 */
int		 reader_open_waiting(const char *path,
		    int (*await)(int fd, void *arg), void *arg);

#endif
