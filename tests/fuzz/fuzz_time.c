/*
 * fuzz_time: the timestamp parser and the header scanner that feeds it,
 * on arbitrary bytes.  time_parse() reads the whole input, and again
 * after a shift of one byte (the parser must not depend on alignment or
 * look before its start); a time it returns must be finite, with flags
 * that are only TIME_HAS_YEAR, TIME_HAS_DATE and TIME_HAS_ZONE.
 * time_reparse(), of the input with other digits in its clock and of the
 * input's second half after its first, declines or gives what
 * time_parse() gives, to the bit.  header_split() reads
 * the input as a line without a format, as the engine does: the message
 * and every header field it finds must lie inside the line, and its time
 * field is parsed and its level looked up as the engine would; a date
 * without a year is placed in one.  headcache_split() gives
 * header_split()'s answer, to the byte, for the input and for the input
 * with its digits turned, one at a time and all together, once the cache
 * holds a line of its shape (the cache lives across inputs).
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "headcache.h"
#include "header.h"
#include "severity.h"
#include "timeparse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_time(const char *s, size_t len)
{
	double t = 0;
	int flags = -1;

	if (time_parse(s, len, &t, &flags) != 1)
		return;
	if (!isfinite(t) ||
	    (flags & ~(TIME_HAS_YEAR | TIME_HAS_DATE | TIME_HAS_ZONE)) != 0)
		abort();
	/* Placed in a year, a date stays within a year and a day of the
	 * clock (2026-11-27 here), and on the right side of it. */
	if ((flags & (TIME_HAS_YEAR | TIME_HAS_DATE)) == TIME_HAS_DATE) {
		double now = 1795759200.0, p = time_place_year(t, now);

		if (!isfinite(p) || p > now + 2 * 86400.0 ||
		    p < now - 368 * 86400.0)
			abort();
	}
}

static void
check_reparse(const char *was, const char *s, size_t len)
{
	struct time_tail tail;
	double tw, tr, tp;
	int fw, fp;

	if (!time_parse_tail(was, len, &tw, &fw, &tail) ||
	    !time_reparse(&tail, was, s, len, &tr))
		return;
	if (time_parse(s, len, &tp, &fp) != 1 || fp != fw ||
	    memcmp(&tr, &tp, sizeof tr) != 0)
		abort();
}

/* The input with the digits of its clock turned, as the next line's. */
static void
check_next_clock(const char *s, size_t len)
{
	struct time_tail tail;
	char buf[256];
	double t;
	size_t i;
	int f;

	if (len > sizeof buf || !time_parse_tail(s, len, &t, &f, &tail) ||
	    tail.end == 0)
		return;
	memcpy(buf, s, len);
	for (i = tail.at; i < tail.end; i++)
		if (buf[i] >= '0' && buf[i] <= '9')
			buf[i] = (char)('0' + (buf[i] - '0' + 1 + 3 * i) % 10);
	check_reparse(s, buf, len);
}

static void
check_span(const char *line, size_t len, const struct span *sp)
{
	if (sp->p == NULL) {
		if (sp->len != 0)
			abort();
		return;
	}
	if (sp->p < line || sp->p + sp->len > line + len)
		abort();
}

/* The cache's answer for line is the scanner's. */
static void
check_cached(struct headcache *hc, const char *line, size_t len)
{
	struct span c1 = { NULL, 0 }, c2 = { NULL, 0 };
	struct header h1, h2;
	int f1, f2;

	f1 = header_split(line, len, &c1, &h1);
	f2 = headcache_split(hc, line, len, &c2, &h2);
	if (f1 != f2 || (f1 && (c1.p != c2.p || c1.len != c2.len)) ||
	    memcmp(&h1, &h2, sizeof h1) != 0)
		abort();
}

static void
check_cache(const char *s, size_t len)
{
	static struct headcache *hc;
	char buf[300];
	size_t i, j;
	int k;

	if (len > sizeof buf)
		return;
	if (hc == NULL)
		hc = headcache_new();
	check_cached(hc, s, len);
	for (k = 1; k < 10; k += 4) {
		memcpy(buf, s, len);
		for (i = 0; i < len; i++)
			if (buf[i] >= '0' && buf[i] <= '9')
				buf[i] = (char)('0' + (buf[i] - '0' + k +
				    (int)i) % 10);
		check_cached(hc, buf, len);
	}
	for (j = 0; j < len; j++) {
		if (s[j] < '0' || s[j] > '9')
			continue;
		for (k = 0; k < 10; k += 3) {
			memcpy(buf, s, len);
			buf[j] = (char)('0' + k);
			check_cached(hc, buf, len);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct span content;
	struct header h;
	double bits;

	check_time(s, size);
	if (size > 0)
		check_time(s + 1, size - 1);
	check_next_clock(s, size);
	check_reparse(s, s + size / 2, size / 2);
	check_cache(s, size);

	memset(&h, 0, sizeof h);
	if (header_split(s, size, &content, &h)) {
		if (content.p == NULL)
			abort();
		check_span(s, size, &content);
		check_span(s, size, &h.time);
		check_span(s, size, &h.host);
		check_span(s, size, &h.level);
		check_span(s, size, &h.source);
		if (h.time.p != NULL)
			check_time(h.time.p, h.time.len);
		if (h.level.p != NULL &&
		    severity_level(h.level.p, h.level.len, &bits) &&
		    !isfinite(bits))
			abort();
	}
	return 0;
}
