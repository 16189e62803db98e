/*
 * Buffered output to a file descriptor, with the few primitives records
 * are made of: bytes, integers, fixed-point numbers and JSON strings.
 */
#ifndef OUTBUF_H
#define OUTBUF_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define OUTBUF_SIZE	(64u << 10)

/*
 * In the open only so that outbuf_bytes() and outbuf_char() inline: a
 * record is a dozen short pieces, and a call and its checks for each
 * were a tenth of the work of --all --output=json.  Use the functions.
 */
struct outbuf {
	size_t	 len;
	int	 error;		/* first errno, 0 if none */
	int	 fd;
	void	(*hook)(void *);
	void	*hook_arg;
	const volatile sig_atomic_t *stop;
	char	 buf[OUTBUF_SIZE];
};

struct outbuf	*outbuf_new(int fd);
void		 outbuf_free(struct outbuf *);	/* does not flush */
int		 outbuf_fd(const struct outbuf *);
void		 outbuf_set_fd(struct outbuf *, int);
/* Call fn(arg) before every write(2), e.g. to erase a progress line
 * on the same terminal. */
void		 outbuf_set_hook(struct outbuf *, void (*fn)(void *), void *arg);
/*
 * A write(2) that blocks (the reader reads nothing) and is interrupted by
 * a signal gives up if *stop is then set: the write fails with EINTR, so
 * a stop signal ends the run instead of waiting on the reader for ever.
 */
void		 outbuf_set_stop(struct outbuf *, const volatile sig_atomic_t *);

void		 outbuf_u64(struct outbuf *, uint64_t);
/* v with a fixed number of decimals (0 to 6), rounded half away from 0. */
void		 outbuf_fixed(struct outbuf *, double v, int decimals);
/*
 * s[0..len) as a JSON string, quotes included.  Invalid UTF-8 bytes
 * become U+FFFD, so the result is always valid JSON text.
 */
void		 outbuf_json(struct outbuf *, const char *s, size_t len);
/*
 * s[0..len) as a logfmt value: bare when it is a plain word, else in
 * double quotes with \" \\ \n \r \t and \u00XX escapes.  An empty
 * value is "".  Invalid UTF-8 bytes become U+FFFD.
 */
void		 outbuf_logfmt(struct outbuf *, const char *s, size_t len);

/*
 * Write out what is buffered.  Returns 0, or -1 with errno set; after a
 * failure the buffer discards further output and outbuf_error() keeps the
 * first errno.
 */
int		 outbuf_flush(struct outbuf *);

/* What the inline functions below leave to a call: a full buffer, an
 * error latched, a long piece. */
void		 outbuf_bytes_slow(struct outbuf *, const void *, size_t);
void		 outbuf_char_slow(struct outbuf *, char);

static inline void
outbuf_bytes(struct outbuf *o, const void *p, size_t n)
{
	/* Up to 16 bytes, known at most call sites: a move or two. */
	if (n <= 16 && o->len + 16 <= OUTBUF_SIZE && !o->error) {
		char *d = o->buf + o->len;
		const char *s = p;

		if (n >= 8) {
			memcpy(d, s, 8);
			memcpy(d + n - 8, s + n - 8, 8);
		} else if (n >= 4) {
			memcpy(d, s, 4);
			memcpy(d + n - 4, s + n - 4, 4);
		} else if (n > 0) {
			d[0] = s[0];
			d[n / 2] = s[n / 2];
			d[n - 1] = s[n - 1];
		}
		o->len += n;
	} else
		outbuf_bytes_slow(o, p, n);
}

static inline void
outbuf_char(struct outbuf *o, char c)
{
	if (o->len < OUTBUF_SIZE && !o->error)
		o->buf[o->len++] = c;
	else
		outbuf_char_slow(o, c);
}

/* Inline too: the length of a constant string is then known where it is
 * written, as for most of them. */
static inline void
outbuf_str(struct outbuf *o, const char *s)
{
	outbuf_bytes(o, s, strlen(s));
}

int		 outbuf_error(const struct outbuf *);
size_t		 outbuf_pending(const struct outbuf *);

#endif
