/*
 * fuzz_decompress: the decompressing reader source under the line
 * reader, on arbitrary bytes: gzip, zstd, the xz refusal and plain text,
 * told apart by their first bytes as with a real file.  The bytes come
 * through a non-blocking pipe in chunks whose size the first input byte
 * chooses (0: as much as the pipe holds), so the source sees data arrive
 * piecemeal, as from a live pipe, and is called again after EAGAIN as
 * after EINTR.  Plain input must come out exactly as it went in, split
 * into lines; a failure must be sticky and say why.  Output stops after
 * OUT_MAX bytes so that a small bomb does not stall the fuzzer.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decompress.h"
#include "reader.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define OUT_MAX		(16u << 20)
#define PIPE_ROOM	65536		/* what a Linux pipe holds by default */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader_source src;
	struct reader *rd;
	struct line ln;
	size_t chunk, sent = 0, pos = 0, out = 0;
	ssize_t w;
	int fds[2], r, plain = -1, closed = 0;
	const char *cause;

	if (size < 1)
		return 0;
	chunk = data[0] == 0 ? PIPE_ROOM : data[0];
	data++;
	size--;
	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) == -1)
		abort();

	decompress_source(fds[0], &src);
	rd = reader_new_source(&src);
	for (;;) {
		r = reader_next(rd, &ln);
		if (r == -1 && errno == EAGAIN) {
			if (sent == size) {
				if (closed)
					abort();	/* EAGAIN at EOF */
				close(fds[1]);
				closed = 1;
				continue;
			}
			w = write(fds[1], data + sent, size - sent < chunk ?
			    size - sent : chunk);
			if (w <= 0)
				abort();
			sent += (size_t)w;
			continue;
		}
		if (r == -1) {
			/* Damaged data: said why, and stays so. */
			if (errno != EINVAL)
				abort();
			cause = reader_cause(rd, errno);
			if (cause == NULL || *cause == '\0' || plain == 1)
				abort();
			if (reader_next(rd, &ln) != -1 || errno != EINVAL)
				abort();
			break;
		}
		if (plain == -1)
			plain = decompress_kind(&src) == DECOMPRESS_PLAIN;
		if (r == 0)
			break;
		if (ln.len > READER_MAX_LINE || memchr(ln.text, '\n',
		    ln.len) != NULL)
			abort();
		if (plain) {
			/* What went in, line by line, but for a byte order
			 * mark before the first. */
			if (pos == 0 && size >= 3 &&
			    memcmp(data, "\xef\xbb\xbf", 3) == 0)
				pos = 3;
			if (pos + ln.len > size ||
			    memcmp(ln.text, data + pos, ln.len) != 0)
				abort();
			pos += ln.len;
			if (ln.crlf && (pos == size || data[pos++] != '\r'))
				abort();
			if (pos < size && data[pos++] != '\n')
				abort();
		}
		if ((out += ln.len + 1) > OUT_MAX)
			break;
	}
	if (r == 0 && plain == 1 && pos != size)
		abort();
	reader_free(rd);
	close(fds[0]);
	if (!closed)
		close(fds[1]);
	return 0;
}
