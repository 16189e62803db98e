/*
 * Unit tests for decompress.c: detection by magic bytes, gzip members,
 * zstd frames, and damaged archives of every length.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "decompress.h"
#include "reader.h"

static const char text[] =
    "first line\n"
    "second line, a bit longer than the first\n"
    "\n"
    "last line without newline";

static size_t
gzip_into(unsigned char *out, size_t cap, const char *in, size_t len)
{
	z_stream z;

	memset(&z, 0, sizeof z);
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return cap - z.avail_out;
}

static size_t
zstd_into(unsigned char *out, size_t cap, const char *in, size_t len)
{
	size_t n = ZSTD_compress(out, cap, in, len, 3);

	assert_false(ZSTD_isError(n));
	return n;
}

/* A temporary file holding data, opened for reading at its start. */
static int
file_with(const void *data, size_t len)
{
	FILE *f = tmpfile();
	int fd;

	assert_non_null(f);
	fd = dup(fileno(f));
	fclose(f);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/*
 * Read every line of data through a decompressing source.  Returns what
 * the lines add up to ("\n" after each), and sets *rc to the last
 * reader_next() status and *cause to the failure's cause.
 */
static char got[1 << 16];

static const char *
read_all(const void *data, size_t len, int *rc, char *cause, size_t csize,
    enum decompress_kind *kind)
{
	struct reader_source src;
	struct reader *r;
	struct line ln;
	size_t at = 0;
	int fd, n;

	fd = file_with(data, len);
	decompress_source(fd, &src);
	r = reader_new_source(&src);
	while ((n = reader_next(r, &ln)) == 1) {
		assert_true(at + ln.len + 1 < sizeof got);
		memcpy(got + at, ln.text, ln.len);
		at += ln.len;
		got[at++] = '\n';
	}
	got[at] = '\0';
	*rc = n;
	if (cause != NULL) {
		cause[0] = '\0';
		if (n == -1) {
			assert_int_equal(errno, EINVAL);
			snprintf(cause, csize, "%s", reader_cause(r, errno));
		}
	}
	if (kind != NULL)
		*kind = decompress_kind(&src);
	reader_free(r);
	close(fd);
	return got;
}

static const char *
want_text(void)
{
	static char want[sizeof text + 1];

	snprintf(want, sizeof want, "%s\n", text);
	return want;
}

static void
test_plain_passes_through(void **state)
{
	static const char odd[] = "\x1f not gzip\n(\x28 not zstd\n";
	enum decompress_kind kind;
	int rc;

	assert_string_equal(read_all(text, sizeof text - 1, &rc, NULL, 0,
	    &kind), want_text());
	assert_int_equal(rc, 0);
	assert_int_equal(kind, DECOMPRESS_PLAIN);

	/* First bytes of a magic, then not. */
	assert_string_equal(read_all(odd, sizeof odd - 1, &rc, NULL, 0,
	    &kind), odd);
	assert_int_equal(kind, DECOMPRESS_PLAIN);

	/* Inputs shorter than any magic. */
	assert_string_equal(read_all("\x1f", 1, &rc, NULL, 0, NULL), "\x1f\n");
	assert_string_equal(read_all("(\xb5", 2, &rc, NULL, 0, NULL),
	    "(\xb5\n");
	assert_string_equal(read_all("", 0, &rc, NULL, 0, NULL), "");
	assert_int_equal(rc, 0);
}

static void
test_gzip(void **state)
{
	unsigned char z[4096];
	enum decompress_kind kind;
	size_t n;
	int rc;

	n = gzip_into(z, sizeof z, text, sizeof text - 1);
	assert_string_equal(read_all(z, n, &rc, NULL, 0, &kind), want_text());
	assert_int_equal(rc, 0);
	assert_int_equal(kind, DECOMPRESS_GZIP);
}

static void
test_gzip_members_and_padding(void **state)
{
	unsigned char z[8192];
	char cause[200];
	size_t n;
	int rc;

	/* "cat a.gz b.gz": the lines of both. */
	n = gzip_into(z, sizeof z, "one\ntw", 6);
	n += gzip_into(z + n, sizeof z - n, "o\nthree\n", 8);
	assert_string_equal(read_all(z, n, &rc, cause, sizeof cause, NULL),
	    "one\ntwo\nthree\n");
	assert_int_equal(rc, 0);

	/* Zero padding at the end is ignored, as gzip(1) does. */
	memset(z + n, 0, 512);
	assert_string_equal(read_all(z, n + 512, &rc, cause, sizeof cause,
	    NULL), "one\ntwo\nthree\n");
	assert_int_equal(rc, 0);

	/* Anything else after the data is an error. */
	memcpy(z + n, "junk", 4);
	read_all(z, n + 4, &rc, cause, sizeof cause, NULL);
	assert_int_equal(rc, -1);
	assert_string_equal(cause, "gzip: trailing garbage after the data");
	memcpy(z + n, "\0\0junk", 6);
	read_all(z, n + 6, &rc, cause, sizeof cause, NULL);
	assert_int_equal(rc, -1);
	assert_string_equal(cause, "gzip: trailing garbage after the data");
}

static void
test_gzip_truncated_everywhere(void **state)
{
	unsigned char z[4096];
	char cause[200];
	size_t n, cut;
	int rc;

	n = gzip_into(z, sizeof z, text, sizeof text - 1);
	for (cut = 2; cut < n; cut++) {
		read_all(z, cut, &rc, cause, sizeof cause, NULL);
		assert_int_equal(rc, -1);
		assert_string_equal(cause, "gzip: unexpected end of file");
	}
}

static void
test_gzip_corrupt(void **state)
{
	unsigned char z[4096], bad[4096];
	char cause[200];
	size_t n, i;
	int rc, failed = 0;

	n = gzip_into(z, sizeof z, text, sizeof text - 1);
	/* Flip each byte after the magic: never a crash, and the CRC or
	 * the length catches what the format itself lets through. */
	for (i = 2; i < n; i++) {
		memcpy(bad, z, n);
		bad[i] ^= 0x55;
		read_all(bad, n, &rc, cause, sizeof cause, NULL);
		if (rc == -1) {
			assert_memory_equal(cause, "gzip: ", 6);
			failed++;
		}
	}
	/* Only the header's mtime, xfl and os bytes (4 to 9) are free. */
	assert_true(failed >= (int)(n - 2 - 6));
}

static void
test_zstd(void **state)
{
	unsigned char z[8192];
	enum decompress_kind kind;
	char cause[200];
	size_t n, m, cut;
	int rc;

	n = zstd_into(z, sizeof z, text, sizeof text - 1);
	assert_string_equal(read_all(z, n, &rc, NULL, 0, &kind), want_text());
	assert_int_equal(rc, 0);
	assert_int_equal(kind, DECOMPRESS_ZSTD);

	/* Two frames back to back. */
	m = zstd_into(z + n, sizeof z - n, "more\n", 5);
	read_all(z, n + m, &rc, NULL, 0, NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(got, "without newlinemore\n"));

	/* A skippable frame first, as pzstd writes every file: magic
	 * 0x184D2A5?, a 4-byte size, that many bytes to pass over. */
	memmove(z + 12, z, n);
	memcpy(z, "\x5a\x2a\x4d\x18\x04\0\0\0skip", 12);
	assert_string_equal(read_all(z, n + 12, &rc, NULL, 0, &kind),
	    want_text());
	assert_int_equal(rc, 0);
	assert_int_equal(kind, DECOMPRESS_ZSTD);
	memmove(z, z + 12, n);

	for (cut = 4; cut < n; cut++) {
		read_all(z, cut, &rc, cause, sizeof cause, NULL);
		assert_int_equal(rc, -1);
		assert_memory_equal(cause, "zstd: ", 6);
	}
	memcpy(z + n, "junk", 4);
	read_all(z, n + 4, &rc, cause, sizeof cause, NULL);
	assert_int_equal(rc, -1);
	assert_memory_equal(cause, "zstd: ", 6);
}

/* Compressed data of kinds not read: refused, naming the tool that
 * reads it, not judged as lines of binary. */
static void
test_other_compression_is_refused(void **state)
{
	static const struct {
		const char	*data;
		size_t		 len;
		const char	*why;
	} cases[] = {
		{ "\xfd" "7zXZ\0\1", 7,
		    "xz compressed data is not supported (use xzcat)" },
		{ "BZh91AY&SY\x01", 11,
		    "bzip2 compressed data is not supported (use bzcat)" },
		{ "BZh1\x17\x72\x45\x38\x50\x90\0\0\0\0", 14,
		    "bzip2 compressed data is not supported (use bzcat)" },
		{ "\x04\x22\x4d\x18\x64\x40", 6,
		    "lz4 compressed data is not supported (use lz4cat)" },
		{ "\x02\x21\x4c\x18\0", 5,
		    "lz4 compressed data is not supported (use lz4cat)" },
		{ "LZIP\x01\x0c", 6,
		    "lzip compressed data is not supported (use lzip -dc)" },
		{ "\x5d\0\0\x80\0\xff", 6,
		    "lzma compressed data is not supported (use lzcat)" },
		{ "\x1f\x9d\x90", 3,
		    "compress(1) data is not supported (use zcat)" },
	};
	char cause[200];
	size_t i;
	int rc;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		read_all(cases[i].data, cases[i].len, &rc, cause,
		    sizeof cause, NULL);
		assert_int_equal(rc, -1);
		assert_string_equal(cause, cases[i].why);
	}
}

/* Text that starts like one of those magics is still text. */
static void
test_magic_like_text_is_text(void **state)
{
	static const char *const texts[] = {
		"BZh9 is no bzip2 header\n", "BZh91AY&SX\n", "LZIP\n",
		"BZh\n", "]\n",
	};
	char cause[200];
	size_t i;
	int rc;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		assert_string_equal(read_all(texts[i], strlen(texts[i]),
		    &rc, cause, sizeof cause, NULL), texts[i]);
		assert_int_equal(rc, 0);
	}
}

static void
on_alarm(int sig)
{
	(void)sig;
	fail_msg("reading a pipe waited for more than a line");
}

/* A live pipe: a short plain line is handed out without waiting. */
static void
test_pipe_does_not_wait(void **state)
{
	struct reader_source src;
	struct reader *r;
	struct line ln;
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "hi\n", 3), 3);
	signal(SIGALRM, on_alarm);
	alarm(5);
	decompress_source(p[0], &src);
	r = reader_new_source(&src);
	assert_int_equal(reader_next(r, &ln), 1);
	assert_int_equal(ln.len, 2);
	assert_memory_equal(ln.text, "hi", 2);
	alarm(0);
	reader_free(r);
	close(p[0]);
	close(p[1]);
}

/* The first bytes alone, as the choice of threads reads them. */
static void
test_sniff(void **state)
{
	assert_int_equal(decompress_sniff("\x1f\x8b\x08\x00", 4),
	    DECOMPRESS_GZIP);
	assert_int_equal(decompress_sniff("\x28\xb5\x2f\xfd", 4),
	    DECOMPRESS_ZSTD);
	assert_int_equal(decompress_sniff("\x28\xb5\x2f", 3),
	    DECOMPRESS_PLAIN);	/* too short to tell */
	assert_int_equal(decompress_sniff("\x50\x2a\x4d\x18", 4),
	    DECOMPRESS_ZSTD);	/* a skippable frame, 0x184D2A50 */
	assert_int_equal(decompress_sniff("\x5f\x2a\x4d\x18", 4),
	    DECOMPRESS_ZSTD);	/* ... to 0x184D2A5F */
	assert_int_equal(decompress_sniff("\x60\x2a\x4d\x18", 4),
	    DECOMPRESS_PLAIN);
	assert_int_equal(decompress_sniff("P*Mx", 4), DECOMPRESS_PLAIN);
	assert_int_equal(decompress_sniff("Jun 14 15:16:01", 15),
	    DECOMPRESS_PLAIN);
	assert_int_equal(decompress_sniff("", 0), DECOMPRESS_PLAIN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_passes_through),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_gzip_members_and_padding),
		cmocka_unit_test(test_gzip_truncated_everywhere),
		cmocka_unit_test(test_gzip_corrupt),
		cmocka_unit_test(test_zstd),
		cmocka_unit_test(test_other_compression_is_refused),
		cmocka_unit_test(test_magic_like_text_is_text),
		cmocka_unit_test(test_pipe_does_not_wait),
		cmocka_unit_test(test_sniff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
