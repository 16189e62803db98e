/*
 * Buffered output to a file descriptor, with the few primitives records
 * are made of: bytes, integers, fixed-point numbers and JSON strings.
 */
#ifndef OUTBUF_H
#define OUTBUF_H

#include <stddef.h>
#include <stdint.h>

struct outbuf;

struct outbuf	*outbuf_new(int fd);
void		 outbuf_free(struct outbuf *);	/* does not flush */
int		 outbuf_fd(const struct outbuf *);
void		 outbuf_set_fd(struct outbuf *, int);
/* Call fn(arg) before every write(2), e.g. to erase a progress line
 * on the same terminal. */
void		 outbuf_set_hook(struct outbuf *, void (*fn)(void *), void *arg);

void		 outbuf_bytes(struct outbuf *, const void *, size_t);
void		 outbuf_str(struct outbuf *, const char *);
void		 outbuf_char(struct outbuf *, char);
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
int		 outbuf_error(const struct outbuf *);
size_t		 outbuf_pending(const struct outbuf *);

#endif
