/*
 * Decompressing reader source.  It owns one input buffer and, once it
 * knows the data is compressed, one zlib or zstd stream; it never owns
 * the file descriptor.  The kind of data is decided by magic bytes on
 * the first read, never by a file name, and reading stops as soon as the
 * bytes seen so far cannot start a magic, so a live pipe of plain lines
 * is never held back waiting for more.
 *
 * gzip: concatenated members (as "cat a.gz b.gz" or pigz make) are read
 * one after the other, and zero bytes padding the end are ignored, as
 * gzip(1) does.  zstd: concatenated and skippable frames are handled by
 * libzstd itself.  Truncated or corrupt data fails the read with EINVAL
 * and a cause; the lines before the damage have been handed out by then.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "decompress.h"
#include "reader.h"
#include "xmalloc.h"

#define DECOMPRESS_IN	(128u << 10)	/* one read(2) of compressed data */
#define ZSTD_WINDOW_MIB	128u		/* libzstd's default bound, 2^27 */

static const unsigned char gzip_magic[] = { 0x1f, 0x8b };
static const unsigned char zstd_magic[] = { 0x28, 0xb5, 0x2f, 0xfd };
/* A skippable frame, 0x184D2A50 to 0x184D2A5F little-endian: pzstd
 * starts every file with one, and libzstd reads past it. */
static const unsigned char zstd_skip_magic[] = { 0x50, 0x2a, 0x4d, 0x18 };

/*
 * Compressed data this program does not read, refused with the command
 * that does rather than judged as lines of binary: each a magic and its
 * message.  bzip2's "BZh" and a level digit stand before the magic of a
 * block or of the stream's end; both are tried.
 */
struct refusal {
	const char	*magic;
	size_t		 len;
	const char	*why;
};

static const struct refusal refusals[] = {
	{ "\xfd" "7zXZ\0", 6, "xz compressed data is not supported (use xzcat)" },
	{ "BZh1\x31\x41\x59\x26\x53\x59", 10,
	    "bzip2 compressed data is not supported (use bzcat)" },
	{ "BZh1\x17\x72\x45\x38\x50\x90", 10,
	    "bzip2 compressed data is not supported (use bzcat)" },
	{ "\x04\x22\x4d\x18", 4,
	    "lz4 compressed data is not supported (use lz4cat)" },
	{ "\x02\x21\x4c\x18", 4,
	    "lz4 compressed data is not supported (use lz4cat)" },
	{ "LZIP\x01", 5, "lzip compressed data is not supported (use lzip -dc)" },
	{ "\x5d\0\0", 3, "lzma compressed data is not supported (use lzcat)" },
	{ "\x1f\x9d", 2, "compress(1) data is not supported (use zcat)" },
};

#define BZIP2_LEVEL	3	/* where bzip2's level digit stands */

struct dsrc {
	int			 fd;
	enum decompress_kind	 kind;
	unsigned char		*in;
	size_t			 in_len;	/* bytes in in */
	size_t			 in_pos;	/* first one not yet used */
	int			 in_eof;
	int			 failed;	/* sticky: every read fails */
	char			 cause[160];

	z_stream		 z;
	int			 z_ready;
	int			 member_done;	/* gzip: between members */
	int			 member_fresh;	/* gzip: a later member, no output yet */
	int			 padding;	/* gzip: zeros after a member */

	ZSTD_DStream		*zs;
	size_t			 zs_hint;	/* 0 when a frame just ended */
};

static ssize_t	dsrc_read(void *, char *, size_t);

static ssize_t __attribute__((format(printf, 2, 3)))
dsrc_fail(struct dsrc *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->cause, sizeof d->cause, fmt, ap);
	va_end(ap);
	d->failed = 1;
	errno = EINVAL;
	return -1;
}

/* Read more compressed input once all of it has been used. */
static int
dsrc_fill(struct dsrc *d)
{
	ssize_t n;

	if (d->in_pos < d->in_len || d->in_eof)
		return 0;
	n = read(d->fd, d->in, DECOMPRESS_IN);
	if (n < 0)
		return -1;
	d->in_pos = 0;
	d->in_len = (size_t)n;
	if (n == 0)
		d->in_eof = 1;
	return 0;
}

/* Does the start of the input still look like it might be m? */
static int
prefix_of(const struct dsrc *d, const unsigned char *m, size_t mlen)
{
	size_t n = d->in_len < mlen ? d->in_len : mlen;

	return memcmp(d->in, m, n) == 0;
}

static int
is_magic(const struct dsrc *d, const unsigned char *m, size_t mlen)
{
	return d->in_len >= mlen && memcmp(d->in, m, mlen) == 0;
}

/*
 * How p[0..len) starts as refusal r: 2 with all of its magic, 1 if it is
 * shorter but may still be it, else 0.
 */
static int
refusal_start(const struct refusal *r, const unsigned char *p, size_t len)
{
	size_t i, n = len < r->len ? len : r->len;

	for (i = 0; i < n; i++) {
		if (i == BZIP2_LEVEL && r->magic[0] == 'B') {
			if (p[i] < '1' || p[i] > '9')
				return 0;
		} else if (p[i] != (unsigned char)r->magic[i])
			return 0;
	}
	return len >= r->len ? 2 : 1;
}

/* The refusal p[0..len) starts with, or NULL; *maybe is set when more
 * bytes could still make one. */
static const struct refusal *
refused(const unsigned char *p, size_t len, int *maybe)
{
	size_t i;

	*maybe = 0;
	for (i = 0; i < sizeof refusals / sizeof refusals[0]; i++)
		switch (refusal_start(&refusals[i], p, len)) {
		case 2:
			return &refusals[i];
		case 1:
			*maybe = 1;
			break;
		}
	return NULL;
}

/*
 * How p[0..len) starts as zstd: 2 with a frame's magic or a skippable
 * frame's, 1 if it is short of four bytes but may still be one, else 0.
 */
static int
zstd_start(const unsigned char *p, size_t len)
{
	size_t i, n = len < 4 ? len : 4;

	if (memcmp(p, zstd_magic, n) != 0) {
		if (n > 0 && (p[0] & 0xf0) != zstd_skip_magic[0])
			return 0;
		for (i = 1; i < n; i++)
			if (p[i] != zstd_skip_magic[i])
				return 0;
	}
	return len >= 4 ? 2 : 1;
}

enum decompress_kind
decompress_sniff(const void *p, size_t len)
{
	if (len >= sizeof gzip_magic &&
	    memcmp(p, gzip_magic, sizeof gzip_magic) == 0)
		return DECOMPRESS_GZIP;
	if (zstd_start(p, len) == 2)
		return DECOMPRESS_ZSTD;
	return DECOMPRESS_PLAIN;
}

/*
 * Read until the first bytes tell what the data is.  One read is enough
 * unless the bytes so far are the start of a magic number.
 */
static ssize_t
dsrc_detect(struct dsrc *d)
{
	enum decompress_kind kind;
	const struct refusal *r;
	ssize_t n;
	int maybe;

	for (;;) {
		r = refused(d->in, d->in_len, &maybe);
		if (d->in_eof || r != NULL ||
		    is_magic(d, gzip_magic, sizeof gzip_magic) ||
		    zstd_start(d->in, d->in_len) == 2)
			break;
		if (!prefix_of(d, gzip_magic, sizeof gzip_magic) &&
		    zstd_start(d->in, d->in_len) == 0 && !maybe)
			break;
		n = read(d->fd, d->in + d->in_len, DECOMPRESS_IN - d->in_len);
		if (n < 0)
			return -1;
		if (n == 0)
			d->in_eof = 1;
		d->in_len += (size_t)n;
	}
	/* The kind is set only once its stream is ready: a failure here
	 * fails every read the same way. */
	kind = decompress_sniff(d->in, d->in_len);
	if (kind == DECOMPRESS_GZIP) {
		if (inflateInit2(&d->z, 15 + 16) != Z_OK)
			return dsrc_fail(d, "gzip: cannot start zlib");
		d->z_ready = 1;
	} else if (kind == DECOMPRESS_ZSTD) {
		if ((d->zs = ZSTD_createDStream()) == NULL)
			return dsrc_fail(d, "zstd: cannot start libzstd");
		ZSTD_initDStream(d->zs);
		d->zs_hint = 1;
	} else if (r != NULL)
		return dsrc_fail(d, "%s", r->why);
	d->kind = kind;
	return 0;
}

static ssize_t
plain_read(struct dsrc *d, char *buf, size_t len)
{
	size_t n = d->in_len - d->in_pos;

	if (n == 0)
		return read(d->fd, buf, len);
	if (n > len)
		n = len;
	memcpy(buf, d->in + d->in_pos, n);
	d->in_pos += n;
	return (ssize_t)n;
}

static ssize_t
gzip_read(struct dsrc *d, char *buf, size_t len)
{
	size_t produced;
	int ret;

	for (;;) {
		if (dsrc_fill(d) == -1)
			return -1;
		if (d->member_done) {
			/* Zero padding after the last member is no error. */
			while (d->in_pos < d->in_len &&
			    d->in[d->in_pos] == 0) {
				d->in_pos++;
				d->padding = 1;
			}
			if (d->in_pos < d->in_len) {
				if (d->padding)
					return dsrc_fail(d, "gzip: trailing "
					    "garbage after the data");
				inflateReset(&d->z);
				d->member_done = 0;
				d->member_fresh = 1;
			} else if (d->in_eof)
				return 0;
			else
				continue;
		}
		if (d->in_pos == d->in_len && d->in_eof)
			return dsrc_fail(d, "gzip: unexpected end of file");

		d->z.next_in = d->in + d->in_pos;
		d->z.avail_in = (uInt)(d->in_len - d->in_pos);
		d->z.next_out = (unsigned char *)buf;
		d->z.avail_out = len > UINT32_MAX ? UINT32_MAX : (uInt)len;
		ret = inflate(&d->z, Z_NO_FLUSH);
		produced = (size_t)((unsigned char *)d->z.next_out -
		    (unsigned char *)buf);
		d->in_pos = d->in_len - d->z.avail_in;

		switch (ret) {
		case Z_STREAM_END:
			d->member_done = 1;
			break;
		case Z_OK:
		case Z_BUF_ERROR:	/* no progress: needs more input */
			break;
		case Z_DATA_ERROR:
			if (d->member_fresh && produced == 0)
				dsrc_fail(d, "gzip: trailing garbage after "
				    "the data");
			else
				dsrc_fail(d, "gzip: corrupt data (%s)",
				    d->z.msg != NULL ? d->z.msg : "invalid");
			break;
		case Z_MEM_ERROR:
			dsrc_fail(d, "gzip: out of memory");
			break;
		default:
			dsrc_fail(d, "gzip: corrupt data (%s)",
			    d->z.msg != NULL ? d->z.msg : "invalid");
			break;
		}
		/* What came out before the damage is still handed out. */
		if (produced > 0) {
			d->member_fresh = 0;
			return (ssize_t)produced;
		}
		if (d->failed) {
			errno = EINVAL;
			return -1;
		}
	}
}

static ssize_t
zstd_read(struct dsrc *d, char *buf, size_t len)
{
	ZSTD_inBuffer ib;
	ZSTD_outBuffer ob;
	size_t r;

	for (;;) {
		if (dsrc_fill(d) == -1)
			return -1;
		if (d->in_pos == d->in_len && d->in_eof) {
			if (d->zs_hint == 0)
				return 0;
			return dsrc_fail(d, "zstd: unexpected end of file");
		}
		ib.src = d->in;
		ib.size = d->in_len;
		ib.pos = d->in_pos;
		ob.dst = buf;
		ob.size = len;
		ob.pos = 0;
		r = ZSTD_decompressStream(d->zs, &ob, &ib);
		d->in_pos = ib.pos;
		if (ZSTD_isError(r) && ZSTD_getErrorCode(r) ==
		    ZSTD_error_frameParameter_windowTooLarge) {
			/* zstd(1) refuses such a frame too: reading it could
			 * take gigabytes, for any file that claims so. */
			dsrc_fail(d, "zstd: the data needs a window over "
			    "%u MiB (use zstd -dc --long=31)",
			    ZSTD_WINDOW_MIB);
			if (ob.pos == 0)
				return -1;
		} else if (ZSTD_isError(r)) {
			dsrc_fail(d, "zstd: corrupt data (%s)",
			    ZSTD_getErrorName(r));
			if (ob.pos == 0)
				return -1;
		}
		d->zs_hint = r;
		if (ob.pos > 0)
			return (ssize_t)ob.pos;
	}
}

static ssize_t
dsrc_read(void *ctx, char *buf, size_t len)
{
	struct dsrc *d = ctx;

	if (d->failed) {
		errno = EINVAL;
		return -1;
	}
	if (len == 0)
		return 0;
	if (d->kind == DECOMPRESS_UNKNOWN && dsrc_detect(d) == -1)
		return -1;
	switch (d->kind) {
	case DECOMPRESS_GZIP:
		return gzip_read(d, buf, len);
	case DECOMPRESS_ZSTD:
		return zstd_read(d, buf, len);
	default:
		return plain_read(d, buf, len);
	}
}

static const char *
dsrc_cause(void *ctx)
{
	struct dsrc *d = ctx;

	return d->failed ? d->cause : NULL;
}

static void
dsrc_close(void *ctx)
{
	struct dsrc *d = ctx;

	if (d->z_ready)
		inflateEnd(&d->z);
	if (d->zs != NULL)
		ZSTD_freeDStream(d->zs);
	free(d->in);
	free(d);
}

void
decompress_source(int fd, struct reader_source *src)
{
	struct dsrc *d;

	d = xcalloc(1, sizeof *d);
	d->fd = fd;
	d->kind = DECOMPRESS_UNKNOWN;
	d->in = xmalloc(DECOMPRESS_IN);
	src->read = dsrc_read;
	src->close = dsrc_close;
	src->cause = dsrc_cause;
	src->ctx = d;
}

enum decompress_kind
decompress_kind(const struct reader_source *src)
{
	if (src->read != dsrc_read)
		return DECOMPRESS_PLAIN;
	return ((const struct dsrc *)src->ctx)->kind;
}
