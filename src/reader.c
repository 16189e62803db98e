/*
 * Line reader.  It owns one growable buffer per input and hands out lines
 * as (pointer, length) views into it: no copy and no allocation per line.
 * The buffer starts at READER_CHUNK and grows only to hold a line longer
 * than what it has, up to READER_MAX_LINE; a longer line is cut there and
 * the rest of it skipped, so memory stays bounded whatever arrives.
 *
 * reader_next() returns 1 with a line, 0 at end of input and -1 on a read
 * error (errno set; EINTR and EAGAIN are passed up so the caller can look
 * at its signal flags and call again).  A last line without '\n' is still
 * a line, and so is one that a read error (a damaged archive) cut short:
 * the error comes on the call after it.
 * NUL bytes and any other byte values are data like the rest, but for
 * a UTF-8 byte order mark before the first line: editors and Windows
 * tools write one, and left in place it would hide the line's header.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"
#include "xmalloc.h"

#define READER_CHUNK	(1u << 20)	/* one read(2) asks for this much */
#define READER_KEEP	(4 * READER_CHUNK) /* a buffer a long line grew
					 * past this shrinks after it */

struct reader {
	struct reader_source src;
	char	*buf;
	size_t	 cap;
	size_t	 start;		/* first byte not yet handed out */
	size_t	 scan;		/* bytes before this hold no '\n' */
	size_t	 end;		/* one past the last byte read */
	int	 eof;
	int	 failed;	/* errno of a read error, told after the
				   line it cut short */
	int	 skipping;	/* discarding the tail of an overlong line */
	int	 cr_peeked;	/* a full buffer's next byte was '\r' */
	int	 started;	/* a line was handed out */
	unsigned long long bytes;
	int	(*hook)(void *);
	void	*hook_arg;
};

static ssize_t
fd_read(void *ctx, char *buf, size_t len)
{
	return read(*(int *)ctx, buf, len);
}

static void
fd_close(void *ctx)
{
	free(ctx);
}

struct reader *
reader_new(int fd)
{
	struct reader_source src;
	int *p;

	p = xmalloc(sizeof *p);
	*p = fd;
	src.read = fd_read;
	src.close = fd_close;
	src.ctx = p;
	src.cause = NULL;
	return reader_new_source(&src);
}

struct reader *
reader_new_source(const struct reader_source *src)
{
	struct reader *r;

	r = xcalloc(1, sizeof *r);
	r->src = *src;
	r->cap = READER_CHUNK;
	r->buf = xmalloc(r->cap);
	return r;
}

void
reader_free(struct reader *r)
{
	if (r == NULL)
		return;
	if (r->src.close != NULL)
		r->src.close(r->src.ctx);
	free(r->buf);
	free(r);
}

void
reader_set_hook(struct reader *r, int (*fn)(void *), void *arg)
{
	r->hook = fn;
	r->hook_arg = arg;
}

unsigned long long
reader_bytes(const struct reader *r)
{
	return r->bytes;
}

const char *
reader_cause(const struct reader *r, int errnum)
{
	const char *cause = NULL;

	if (r->src.cause != NULL)
		cause = r->src.cause(r->src.ctx);
	return cause != NULL ? cause : strerror(errnum);
}

/* Make room after r->end: slide the pending bytes down, or grow. */
static int
reader_make_room(struct reader *r)
{
	size_t pending = r->end - r->start;

	if (r->start > 0 && (r->start >= r->cap / 2 || r->end == r->cap)) {
		memmove(r->buf, r->buf + r->start, pending);
		r->scan -= r->start;
		r->end = pending;
		r->start = 0;
	}
	/* The long line that grew the buffer is gone: give the room back,
	 * or the rest of a long run keeps it. */
	if (r->start == 0 && r->cap > READER_KEEP &&
	    r->end <= READER_CHUNK / 2) {
		r->cap = READER_CHUNK;
		r->buf = xreallocarray(r->buf, r->cap, 1);
	}
	if (r->end < r->cap)
		return 1;
	if (r->cap >= READER_MAX_LINE)
		return 0;	/* the pending line is too long */
	r->cap *= 2;
	if (r->cap > READER_MAX_LINE)
		r->cap = READER_MAX_LINE;
	r->buf = xreallocarray(r->buf, r->cap, 1);
	return 1;
}

static void
reader_emit(struct reader *r, struct line *ln, size_t from, size_t len,
    int truncated)
{
	if (!r->started && len >= 3 && memcmp(r->buf + from, "\xef\xbb\xbf",
	    3) == 0) {
		from += 3;
		len -= 3;
	}
	r->started = 1;
	ln->text = r->buf + from;
	ln->len = len;
	ln->crlf = 0;
	ln->truncated = truncated;
	if (len > 0 && ln->text[len - 1] == '\r' && !truncated) {
		ln->len--;
		ln->crlf = 1;
	}
}

int
reader_next(struct reader *r, struct line *ln)
{
	ssize_t n;
	char *nl, peek;
	int full;

	for (;;) {
		nl = NULL;
		if (r->scan < r->end)
			nl = memchr(r->buf + r->scan, '\n', r->end - r->scan);
		if (nl != NULL) {
			size_t at = (size_t)(nl - r->buf), from = r->start;

			r->start = r->scan = at + 1;
			if (r->skipping) {
				r->skipping = 0;
				continue;
			}
			reader_emit(r, ln, from, at - from, 0);
			return 1;
		}
		r->scan = r->end;
		if (r->skipping) {
			/* Drop what we have of the overlong line's tail. */
			r->start = r->scan = r->end = 0;
		}
		if (r->eof) {
			if (r->start < r->end) {
				size_t from = r->start;

				r->start = r->scan = r->end;
				reader_emit(r, ln, from, r->end - from, 0);
				ln->crlf |= r->cr_peeked;
				r->cr_peeked = 0;
				return 1;
			}
			if (r->failed) {
				errno = r->failed;
				return -1;
			}
			return 0;
		}
		/* A line as long as the whole buffer (start is 0 here):
		 * one byte more tells whether it ends right there. */
		full = !reader_make_room(r);
		if (r->hook != NULL && r->hook(r->hook_arg) == -1) {
			errno = ECANCELED;
			return -1;
		}
		n = full ? r->src.read(r->src.ctx, &peek, 1) :
		    r->src.read(r->src.ctx, r->buf + r->end, r->cap - r->end);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			return -1;	/* the caller looks and calls again */
		if (n < 0) {
			/* The bytes before a damaged part are lines, the
			 * last one too: it goes out first. */
			r->failed = errno;
			r->eof = 1;
			continue;
		}
		if (n == 0) {
			r->eof = 1;
			continue;
		}
		r->bytes += (unsigned long long)n;
		if (full) {
			int cut = peek != '\n';

			/* A '\r' may be the first of a "\r\n" that ends the
			 * line right there: one byte more tells. */
			if (peek == '\r' && !r->cr_peeked) {
				r->cr_peeked = 1;
				continue;
			}
			/*
			 * Hand out what we have; unless that byte ended it,
			 * skip the rest.  The bytes stay valid as nothing is
			 * read before the next call.
			 */
			reader_emit(r, ln, 0, r->end, cut);
			if (r->cr_peeked && !cut) {
				/* Its "\r\n" came after the buffer: a '\r'
				 * the buffer ends with is the line's own. */
				ln->len += ln->crlf;
				ln->crlf = 1;
			}
			r->cr_peeked = 0;
			r->start = r->scan = r->end = 0;
			r->skipping = cut;
			return 1;
		}
		r->end += (size_t)n;
	}
}

int
reader_open_may_wait(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
	    !S_ISDIR(st.st_mode);
}

int
reader_open_waiting(const char *path, int (*await)(int fd, void *arg),
    void *arg)
{
	struct stat st;
	int fd, e;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return -1;
	/* Until a writer comes, a FIFO shows neither input nor a hang-up. */
	if ((fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) &&
	    await(fd, arg) == -1) ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}
