/*
 * Progress line.  It owns nothing but its counters and a small line
 * buffer; it writes to the descriptor it is given with write(2), one
 * "\r...\033[K" per redraw, so the line is replaced in place and never
 * scrolls.  Redraws are at least PROGRESS_INTERVAL_MS apart, and the
 * clock is read only every PROGRESS_TICKS lines to keep the per-line
 * cost to an increment and a compare.  Write errors are ignored: the
 * display is a courtesy, never a reason to stop.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"
#include "xmalloc.h"

#define PROGRESS_INTERVAL_MS	250
#define PROGRESS_TICKS		256

struct progress {
	int		 fd;
	uint64_t	 total;
	uint64_t	 start_ms;
	uint64_t	 next_ms;	/* no redraw before this */
	unsigned	 ticks;
	int		 drawn;		/* the line shows something */
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct progress *
progress_new(int fd, uint64_t total, unsigned delay_ms)
{
	struct progress *p;

	p = xcalloc(1, sizeof *p);
	p->fd = fd;
	p->total = total;
	p->start_ms = now_ms();
	p->next_ms = p->start_ms + delay_ms;
	return p;
}

void
progress_free(struct progress *p)
{
	free(p);
}

int
progress_tick(struct progress *p)
{
	if (++p->ticks < PROGRESS_TICKS)
		return 0;
	p->ticks = 0;
	return now_ms() >= p->next_ms;
}

static void
put(struct progress *p, const char *s, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(p->fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* 1023 B, 1.5 KiB, 12.3 MiB, 1.2 GiB. */
static void
fmt_bytes(char *buf, size_t len, uint64_t v)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	double d = (double)v;
	int u = -1;

	if (v < 1024) {
		snprintf(buf, len, "%llu B", (unsigned long long)v);
		return;
	}
	while (d >= 1024 && u < 3) {
		d /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f %s", d, unit[u]);
}

/* 999, 12.3k, 4.5M. */
static void
fmt_count(char *buf, size_t len, double v)
{
	if (v < 1000)
		snprintf(buf, len, "%.0f", v);
	else if (v < 1e6)
		snprintf(buf, len, "%.1fk", v / 1e3);
	else if (v < 1e9)
		snprintf(buf, len, "%.1fM", v / 1e6);
	else
		snprintf(buf, len, "%.1fG", v / 1e9);
}

static void
fmt_duration(char *buf, size_t len, uint64_t s)
{
	if (s >= 3600)
		snprintf(buf, len, "%llu:%02llu:%02llu",
		    (unsigned long long)(s / 3600),
		    (unsigned long long)(s / 60 % 60),
		    (unsigned long long)(s % 60));
	else
		snprintf(buf, len, "%llu:%02llu", (unsigned long long)(s / 60),
		    (unsigned long long)(s % 60));
}

void
progress_draw(struct progress *p, uint64_t bytes, uint64_t lines)
{
	char line[160], done[16], all[16], nl[16], rate[16], eta[24];
	uint64_t t = now_ms(), ms = t - p->start_ms;
	double secs = ms > 0 ? (double)ms / 1000 : 0.001;
	int n;

	p->next_ms = t + PROGRESS_INTERVAL_MS;
	fmt_bytes(done, sizeof done, bytes);
	fmt_count(nl, sizeof nl, (double)lines);
	fmt_count(rate, sizeof rate, (double)lines / secs);
	if (p->total > 0) {
		if (bytes > p->total)
			bytes = p->total;
		fmt_bytes(all, sizeof all, p->total);
		/* The first read-ahead of a moment says nothing of the
		 * pace: no estimate within the first second. */
		if (bytes > 0 && ms >= 1000)
			fmt_duration(eta, sizeof eta, (uint64_t)((double)
			    (p->total - bytes) * secs / (double)bytes));
		else
			snprintf(eta, sizeof eta, "-:--");
		n = snprintf(line, sizeof line, "\r%s of %s (%d%%), "
		    "%s lines, %s lines/s, ETA %s\033[K", done, all,
		    (int)(bytes * 100 / p->total), nl, rate, eta);
	} else
		n = snprintf(line, sizeof line, "\r%s, %s lines, "
		    "%s lines/s\033[K", done, nl, rate);
	if (n > 0)
		put(p, line, (size_t)n < sizeof line ? (size_t)n :
		    sizeof line - 1);
	p->drawn = 1;
}

void
progress_clear(struct progress *p)
{
	if (p == NULL || !p->drawn)
		return;
	put(p, "\r\033[K", 4);
	p->drawn = 0;
}
