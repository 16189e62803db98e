/*
 * Compressed input: a line reader source that looks at the first bytes
 * of a file or pipe and, when they are the magic of a gzip or zstd
 * stream, decompresses it; anything else passes through untouched.
 */
#ifndef DECOMPRESS_H
#define DECOMPRESS_H

struct reader_source;

enum decompress_kind {
	DECOMPRESS_UNKNOWN,	/* nothing read yet */
	DECOMPRESS_PLAIN,
	DECOMPRESS_GZIP,
	DECOMPRESS_ZSTD,
};

/*
 * Fill *src with a source reading fd.  The source decides what the data
 * is on its first read, so nothing blocks here.  It owns its buffers and
 * frees them on close; fd stays the caller's to close.  A read failure
 * on corrupt or truncated data returns -1 with errno EINVAL and the
 * source's cause says what was wrong ("gzip: unexpected end of file").
 */
void			 decompress_source(int fd, struct reader_source *src);

/* What the first len bytes of some data say it is: GZIP, ZSTD or PLAIN. */
enum decompress_kind	 decompress_sniff(const void *, size_t len);

/* What the source found, for a source made by decompress_source(). */
enum decompress_kind	 decompress_kind(const struct reader_source *src);

#endif
