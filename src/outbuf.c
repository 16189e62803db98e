/*
 * Output buffer.  Records are assembled in a 64 KiB buffer and written
 * with write(2) when it fills or when the caller flushes: one system call
 * for hundreds of records, no stdio.  Write errors are latched: the
 * first one is kept, later output is dropped, and the caller decides
 * what to say and when to stop.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jsonplain.h"
#include "outbuf.h"
#include "xmalloc.h"


struct outbuf *
outbuf_new(int fd)
{
	struct outbuf *o;

	o = xmalloc(sizeof *o);
	o->fd = fd;
	o->error = 0;
	o->len = 0;
	o->hook = NULL;
	o->hook_arg = NULL;
	o->stop = NULL;
	return o;
}

void
outbuf_free(struct outbuf *o)
{
	free(o);
}

int
outbuf_fd(const struct outbuf *o)
{
	return o->fd;
}

void
outbuf_set_fd(struct outbuf *o, int fd)
{
	o->fd = fd;
}

void
outbuf_set_stop(struct outbuf *o, const volatile sig_atomic_t *stop)
{
	o->stop = stop;
}

void
outbuf_set_hook(struct outbuf *o, void (*fn)(void *), void *arg)
{
	o->hook = fn;
	o->hook_arg = arg;
}

int
outbuf_error(const struct outbuf *o)
{
	return o->error;
}

size_t
outbuf_pending(const struct outbuf *o)
{
	return o->len;
}

/* Once told to stop, how long a reader that reads nothing is waited for,
 * in milliseconds. */
#define OUTBUF_STOP_WAIT	1000
#define OUTBUF_AWAIT_MS		100	/* a non-blocking output's wait */

/*
 * After a stop: whether o->fd takes bytes within OUTBUF_STOP_WAIT.  It
 * then takes PIPE_BUF bytes without blocking, as a pipe promises; a
 * regular file always does.
 */
static int
stop_writable(const struct outbuf *o)
{
	struct pollfd pfd = { .fd = o->fd, .events = POLLOUT };
	int rc;

	while ((rc = poll(&pfd, 1, OUTBUF_STOP_WAIT)) == -1 && errno == EINTR)
		continue;
	return rc != 0;		/* an error, or a hang-up: write() says */
}

/* Wait a little for a non-blocking output to take bytes: a stop that
 * comes just before the wait is seen after it. */
static void
await_writable(const struct outbuf *o)
{
	struct pollfd pfd = { .fd = o->fd, .events = POLLOUT };

	(void)poll(&pfd, 1, OUTBUF_AWAIT_MS);
	errno = EAGAIN;
}

static int
write_all(struct outbuf *o, const char *p, size_t n)
{
	ssize_t w;
	size_t chunk;

	if (n > 0 && o->hook != NULL)
		o->hook(o->hook_arg);
	while (n > 0) {
		chunk = n;
		/* Told to stop, a write must not wait on a stuck reader for
		 * ever: a signal interrupts one already blocked, and later
		 * ones go a pipe's buffer at a time once it takes bytes. */
		if (o->stop != NULL && *o->stop) {
			if (!stop_writable(o)) {
				o->error = EINTR;
				return -1;
			}
			if (chunk > PIPE_BUF)
				chunk = PIPE_BUF;
		}
		w = write(o->fd, p, chunk);
		if (w < 0) {
			if (errno == EAGAIN)
				await_writable(o);	/* O_NONBLOCK output */
			if (errno == EINTR || errno == EAGAIN)
				continue;	/* a stop is looked at above */
			o->error = errno;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
outbuf_flush(struct outbuf *o)
{
	size_t n = o->len;

	if (o->error) {
		o->len = 0;
		errno = o->error;
		return -1;
	}
	o->len = 0;
	if (n > 0 && write_all(o, o->buf, n) == -1) {
		errno = o->error;
		return -1;
	}
	return 0;
}

void
outbuf_bytes_slow(struct outbuf *o, const void *p, size_t n)
{
	if (o->error)
		return;
	if (o->len + n > OUTBUF_SIZE) {
		outbuf_flush(o);
		if (n > OUTBUF_SIZE) {
			/* A huge line: straight out, no copy. */
			write_all(o, p, n);
			return;
		}
	}
	if (n > 0)
		memcpy(o->buf + o->len, p, n);
	o->len += n;
}

void
outbuf_char_slow(struct outbuf *o, char c)
{
	if (o->len == OUTBUF_SIZE)
		outbuf_flush(o);
	if (!o->error)
		o->buf[o->len++] = c;
}

/* v in decimal, ending just before end; returns where it starts. */
static char *
put_u64(char *end, uint64_t v)
{
	/* Two digits a division: half the divisions of line numbers. */
	static const char pairs[] =
	    "00010203040506070809101112131415161718192021222324252627282930"
	    "31323334353637383940414243444546474849505152535455565758596061"
	    "6263646566676869707172737475767778798081828384858687888990919293"
	    "949596979899";

	while (v >= 100) {
		end -= 2;
		memcpy(end, pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		end -= 2;
		memcpy(end, pairs + 2 * v, 2);
	} else
		*--end = (char)('0' + v);
	return end;
}

void
outbuf_u64(struct outbuf *o, uint64_t v)
{
	char tmp[20], *p;

	p = put_u64(tmp + sizeof tmp, v);
	outbuf_bytes(o, p, (size_t)(tmp + sizeof tmp - p));
}

void
outbuf_fixed(struct outbuf *o, double v, int decimals)
{
	static const uint64_t pow10[] = {
		1, 10, 100, 1000, 10000, 100000, 1000000
	};
	uint64_t scale, n, frac;
	/* Sign, integer part and fraction put together, then one copy to
	 * the buffer: every record has a score. */
	char tmp[32], *p = tmp + sizeof tmp;
	int i, neg = 0;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	scale = pow10[decimals];
	if (isnan(v))
		v = 0;
	if (v < 0) {
		neg = 1;
		v = -v;
	}
	if (v > 1e12)
		v = 1e12;	/* no score comes near; keeps the math exact */
	n = (uint64_t)llround(v * (double)scale);
	if (decimals > 0) {
		frac = n % scale;
		for (i = 0; i < decimals; i++) {
			*--p = (char)('0' + frac % 10);
			frac /= 10;
		}
		*--p = '.';
	}
	p = put_u64(p, n / scale);
	if (neg)
		*--p = '-';
	outbuf_bytes(o, p, (size_t)(tmp + sizeof tmp - p));
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t
utf8_valid(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c >= 0xc2 && c <= 0xdf)
		return (n >= 2 && (s[1] & 0xc0) == 0x80) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)
			return 0;	/* overlong */
		if (c == 0xed && s[1] >= 0xa0)
			return 0;	/* surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && s[1] < 0x90)
			return 0;	/* overlong */
		if (c == 0xf4 && s[1] >= 0x90)
			return 0;	/* past U+10FFFF */
		return 4;
	}
	return 0;
}

/* One byte that cannot go out as itself in a quoted string. */
static void
put_escape(struct outbuf *o, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char esc[6];

	switch (c) {
	case '"':
		outbuf_bytes(o, "\\\"", 2);
		break;
	case '\\':
		outbuf_bytes(o, "\\\\", 2);
		break;
	case '\n':
		outbuf_bytes(o, "\\n", 2);
		break;
	case '\r':
		outbuf_bytes(o, "\\r", 2);
		break;
	case '\t':
		outbuf_bytes(o, "\\t", 2);
		break;
	default:
		if (c >= 0x80) {
			/* U+FFFD in UTF-8. */
			outbuf_bytes(o, "\xef\xbf\xbd", 3);
			break;
		}
		memcpy(esc, "\\u00", 4);
		esc[4] = hex[c >> 4];
		esc[5] = hex[c & 15];
		outbuf_bytes(o, esc, 6);
		break;
	}
}

void
outbuf_logfmt(struct outbuf *o, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *run;
	const unsigned char *end = s + len;
	size_t n, i;
	int bare = len > 0;

	for (i = 0; i < len && bare; i++) {
		unsigned char c = s[i];

		if (c <= ' ' || c == '=' || c == '"' || c == '\\' ||
		    c == 0x7f)
			bare = 0;
		else if (c >= 0x80) {
			if ((n = utf8_valid(s + i, len - i)) == 0)
				bare = 0;
			else
				i += n - 1;
		}
	}
	if (bare) {
		outbuf_bytes(o, str, len);
		return;
	}
	outbuf_char(o, '"');
	for (run = s; s < end;) {
		unsigned char c = *s;

		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7f) {
			s++;
			continue;
		}
		if (c >= 0x80 && (n = utf8_valid(s, (size_t)(end - s))) > 0) {
			s += n;
			continue;
		}
		outbuf_bytes(o, run, (size_t)(s - run));
		put_escape(o, c);
		run = ++s;
	}
	outbuf_bytes(o, run, (size_t)(s - run));
	outbuf_char(o, '"');
}

void
outbuf_json(struct outbuf *o, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *run = s;
	const unsigned char *end = s + len;
	size_t n;

	outbuf_char(o, '"');
	while (s < end) {
		unsigned char c;

		s += json_plain(s, (size_t)(end - s));
		if (s == end)
			break;
		c = *s;
		if (c >= 0x80 && (n = utf8_valid(s, (size_t)(end - s))) > 0) {
			s += n;
			continue;
		}
		outbuf_bytes(o, run, (size_t)(s - run));
		put_escape(o, c);
		run = ++s;
	}
	outbuf_bytes(o, run, (size_t)(s - run));
	outbuf_char(o, '"');
}
