/*
 * Header detection for lines of unknown format.  Most log formats put a
 * few fields before the message, in one of a few orders: a time stamp
 * (often first), then some of a host, a process, a thread in brackets, a
 * level, and a source that ends in a colon or is followed by " - ".  The
 * scanner reads the first tokens of a line (a bracketed group, spaces
 * and all, counts as one token, and so does each group of a chain:
 * "[stamp][WARN ][logger]") in three steps:
 *
 *   1. the stamp: tokens that are parts of a date and time ("Jun 14
 *      15:16:01", "2015-10-18 18:01:47,978", "[Sun Dec 04 04:47:44
 *      2005]", "[10.30 16:49:06]", "1117838570 2005.06.03", logcat's
 *      "03-17 16:13:38.811") and bare numbers among them (line ids,
 *      pids; the first two of them a date and a time when they read
 *      as yymmdd hhmmss, HDFS's "081109 203615");
 *   2. fields, at most HEADER_FIELDS of them, up to the first of:
 *      a token that ends in ':' (the source: "sshd[24200]:", unless
 *      three plain words came before it or it tells an outcome,
 *      "failed:": a sentence), a lone
 *      "-" after a field ("chrome.exe - "), or a level word (INFO,
 *      WARN, "[notice]"..., or logcat's one letter right after the
 *      stamp: "E ActivityManager:"), after which only a stamp if there
 *      was none ("INFO [11-27|01:02:03.456]"), bracketed groups followed
 *      by a source ending in ':' or by a " - ", a logger's name followed
 *      by a " - " ("[main] com.example.Foo - "), or a dotted module
 *      followed by one bracketed group ("nova.api [req-1]") still belong
 *      to the header, but a plain "word:" after a level that a component
 *      word came before ("RAS KERNEL INFO ciod:") is the message's;
 *   3. failing those, a time stamp among the fields (the time, if
 *      there was none) ends the header after it and the numbers right
 *      behind it ("node-246 unix.hw state_change.unavailable 1077804742
 *      1"), and failing that, the stamp alone is the header.
 *
 * Some forms are told by their first bytes and split on their own: glog
 * and klog ("E1127 01:02:04.000001 1234 file.go:12] message"), logfmt's
 * leading time and level pairs, and a syslog priority ("<34>"), after
 * which come RFC 5424's fields or the steps above.  Redis's "1234:M
 * stamp mark" is tried when the first word is no stamp.  Steps 2 and 3
 * know a few more: see field_level(), after_level(), level_stamp(),
 * named_dash(), lead_stamp() and access_log().
 *
 * A line is taken to have a header only when it has a stamp with a date
 * or a time of day in it, or a level word among its first fields: a line
 * like "12 items processed" is parsed whole.  "20171223-22:15:29:606|
 * Step_LSC|30002312|message" (fields joined by '|') is a header too,
 * up to the last '|' of the first word.
 *
 * The module has no state; it never looks past HEADER_SCAN bytes.  Digits
 * are told apart from other bytes, but their values are read in four
 * places only, whose forms header_forms() finds: lines that differ in
 * nothing else, or in digits that read alike there, get one answer,
 * which lets headcache.c keep answers.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "blot.h"
#include "header.h"
#include "mask.h"
#include "severity.h"

#define HEADER_FIELDS	6		/* fields after the stamp */
#define LOGFMT_LEAD	8		/* logfmt pairs a header may take */
#define HEADER_DASH_FIELDS 3		/* ... before a " - " that ends it */
#define HEADER_STAMP	7		/* tokens in the stamp */
#define HEADER_SCAN	512		/* bytes looked at */
#define HEADER_TOKENS	(HEADER_SCAN / 2 + 1)	/* most in HEADER_SCAN */

struct tok {
	const char	*p;
	size_t		 n;
	int		 bracket;	/* "[...]", "(...)" or "<...>" */
};

/*
 * The tokens of a line's first HEADER_SCAN bytes, each found once when
 * first asked for: the steps look at some of them two or three times.
 */
struct scan {
	const char	*line;
	size_t		 len;
	size_t		 n;			/* tokens found so far */
	size_t		 max;			/* most there are: n once
						 * the line has no more */
	size_t		 pos;			/* where token n is sought */
	struct tok	 tok[HEADER_TOKENS];
	size_t		 end[HEADER_TOKENS];	/* just after tok[i] */
};

/* Byte classes, so that each test is one table lookup. */
#define H_SPACE		0x01
#define H_DIGIT		0x02
#define H_UPPER		0x04
#define H_LOWER		0x08
#define H_LETTER	(H_UPPER | H_LOWER)
#define H_MODULE	0x10	/* in a module name: letters, digits, _ $ */
#define H_CAL		0x20	/* lower case, may start a month or day */
#define H_LEVEL		0x40	/* lower case, may start a level */

static unsigned char hc[256];

/* Level words, any case; a word is looked for only among those with its
 * first letter (at most LEVEL_BUCKET), not all of them. */
static const char *const levels[] = {
	"trace", "debug", "info", "note", "notice", "warn", "warning",
	"error", "err", "crit", "critical", "fatal", "severe", "alert",
	"emerg", "emergency", "fine", "finer", "finest", "eror", "dbug",
	"trce", "trc", "dbg", "inf", "wrn", "ftl"
};
#define NLEVELS		(sizeof levels / sizeof levels[0])
#define LEVEL_BUCKET	5	/* most levels with one first letter: 'e' */
static unsigned char level_bucket[26][LEVEL_BUCKET];
static unsigned char level_count[26];
static unsigned char level_len[NLEVELS];

static void __attribute__((constructor))
header_init(void)
{
	const char *p;
	size_t k;
	int c;

	for (c = 0; c < 256; c++) {
		if (c == ' ' || (c >= '\t' && c <= '\r'))
			hc[c] |= H_SPACE;
		if (c >= '0' && c <= '9')
			hc[c] |= H_DIGIT | H_MODULE;
		if (c >= 'A' && c <= 'Z')
			hc[c] |= H_UPPER | H_MODULE;
		if (c >= 'a' && c <= 'z')
			hc[c] |= H_LOWER | H_MODULE;
	}
	hc['_'] |= H_MODULE;
	hc['$'] |= H_MODULE;
	for (p = "jfmasondtw"; *p != '\0'; p++)
		hc[(unsigned char)*p] |= H_CAL;
	for (k = 0; k < NLEVELS; k++) {
		c = levels[k][0] - 'a';
		hc[(unsigned char)levels[k][0]] |= H_LEVEL;
		level_len[k] = (unsigned char)strlen(levels[k]);
		if (level_count[c] < LEVEL_BUCKET)
			level_bucket[c][level_count[c]++] = (unsigned char)k;
	}
}

#define HC(c, k)	(hc[(unsigned char)(c)] & (k))

static int
is_space(unsigned char c)
{
	return HC(c, H_SPACE);
}

static int
is_digit(unsigned char c)
{
	return HC(c, H_DIGIT);
}

/* Where the word at s[i] ends: the first white space at or after i, or
 * len. */
static inline __attribute__((always_inline)) size_t
word_end(const char *s, size_t i, size_t len)
{
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t x, m;

	/* Eight bytes at a time while none is at most ' ', the bound of
	 * all white space: a third of the instructions of a byte loop.  The
	 * lowest bit set in m marks the first such byte. */
	for (; i + 8 <= len; i += 8) {
		memcpy(&x, s + i, 8);
		if ((m = (x - ones * 0x21) & ~x & ones * 0x80) != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			i += (size_t)__builtin_ctzll(m) / 8;
#endif
			break;
		}
	}
	while (i < len && !is_space((unsigned char)s[i]))
		i++;
	return i;
}

/* The token at *pos in s[0..len), or 0 at the end.  Forced inline, as
 * word_end() is in it: gcc would call both, and the calls and the
 * registers they save cost more than the scan of a short word. */
static inline __attribute__((always_inline)) int
next_tok(const char *s, size_t len, size_t *pos, struct tok *t)
{
	size_t i = *pos, depth;
	char open, close;

	while (i < len && is_space((unsigned char)s[i]))
		i++;
	if (i >= len)
		return 0;
	t->p = s + i;
	t->bracket = 0;
	open = s[i];
	close = open == '[' ? ']' : open == '(' ? ')' : open == '<' ? '>' : 0;
	if (close != 0) {
		/* A bracketed group, nested ones and spaces inside. */
		size_t j, lim = len - i < HEADER_SCAN ? len : i + HEADER_SCAN;
		const char *c;

		/* No open before the first close, the usual group: two
		 * memchr() instead of a byte loop with a depth count. */
		c = memchr(s + i + 1, close, lim - i - 1);
		if (c == NULL) {
			j = lim;
			depth = 1;
		} else if (memchr(s + i + 1, open, (size_t)(c - s) - i - 1) ==
		    NULL) {
			j = (size_t)(c - s);
			depth = 0;
		} else
			for (depth = 0, j = i; j < lim; j++) {
				if (s[j] == open)
					depth++;
				else if (s[j] == close && --depth == 0)
					break;
			}
		/* It ends at a space, a ':' or the next group of a chain
		 * ("[stamp][INFO ][logger]", as Elasticsearch writes). */
		if (j < len && depth == 0 && (j + 1 == len ||
		    is_space((unsigned char)s[j + 1]) || s[j + 1] == ':' ||
		    (open == '[' && s[j + 1] == '['))) {
			if (j + 1 < len && s[j + 1] == ':')
				j++;
			t->n = j + 1 - i;
			t->bracket = 1;
			*pos = j + 1;
			return 1;
		}
	}
	i = word_end(s, i, len);
	t->n = (size_t)(s + i - t->p);
	*pos = i;
	return 1;
}

/* scan_tok()'s reading of the tokens up to i, not yet read. */
static const struct tok *
scan_more(struct scan *sc, size_t i)
{
	size_t pos;

	while (sc->n <= i) {
		if (sc->n == sc->max)
			return NULL;
		pos = sc->pos;
		if (!next_tok(sc->line, sc->len, &pos, &sc->tok[sc->n])) {
			sc->max = sc->n;
			return NULL;
		}
		sc->end[sc->n++] = sc->pos = pos;
	}
	return &sc->tok[i];
}

/* Token i of the line, or NULL when the line has fewer.  Most calls ask
 * for one read already: inline, they cost no call of the big reader. */
static inline __attribute__((always_inline)) const struct tok *
scan_tok(struct scan *sc, size_t i)
{
	return i < sc->n ? &sc->tok[i] : scan_more(sc, i);
}

/* Where the line goes on before token i: just after token i - 1. */
static size_t
scan_pos(const struct scan *sc, size_t i)
{
	return i == 0 ? 0 : sc->end[i - 1];
}

static int
all_digits(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_digit((unsigned char)p[i]))
			return 0;
	return n > 0;
}

/* Month and day names: every one starts with its own three letter
 * abbreviation, so those three letters find the one whole name to
 * compare with. */
static const char cal_abbr[] = "janfebmaraprmayjunjulaugsepoctnovdec"
    "montuewedthufrisatsun";
static const char *const cal_whole[] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december", "monday",
	"tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
};
#define NCAL		(sizeof cal_whole / sizeof cal_whole[0])
#define CAL_BUCKET	3	/* most names with one first letter: 'j' */

/* By first letter, the names that start with it: a look at three at
 * most instead of all nineteen. */
static unsigned char	 cal_bucket[26][CAL_BUCKET];
static unsigned char	 cal_count[26];

static void __attribute__((constructor))
calendar_init(void)
{
	size_t k;
	int c;

	for (k = 0; k < NCAL; k++) {
		c = cal_abbr[3 * k] - 'a';
		if (cal_count[c] < CAL_BUCKET)
			cal_bucket[c][cal_count[c]++] = (unsigned char)k;
	}
}

/* Month or day name, three letters or whole, any case. */
static int
is_calendar_word(const char *p, size_t n)
{
	char low[10];
	size_t i, j, k;

	if (n < 3 || n > 9 || !HC(p[0] | 0x20, H_CAL))
		return 0;	/* cheap reject: no name starts so */
	for (i = 0; i < n; i++) {
		if (!HC(p[i], H_LETTER))
			return 0;
		low[i] = (char)(p[i] | 0x20);
	}
	for (j = 0; j < cal_count[low[0] - 'a']; j++) {
		k = cal_bucket[low[0] - 'a'][j];
		if (cal_abbr[3 * k + 1] != low[1] ||
		    cal_abbr[3 * k + 2] != low[2])
			continue;
		if (n == 3)
			return 1;
		for (i = 3; i < n && cal_whole[k][i] == low[i]; i++)
			;
		return i == n && cal_whole[k][n] == '\0';
	}
	return 0;
}

/* "03-17", a month and a day, as Android's logcat writes them.  It reads
 * the digits' values: header_forms() knows the form. */
static int
month_day(const char *p, size_t n)
{
	size_t dash = n > 1 && p[1] == '-' ? 1 : n > 2 && p[2] == '-' ? 2 : 0;
	unsigned m = 0, d = 0;
	size_t i;

	if (dash == 0 || n - dash - 1 < 1 || n - dash - 1 > 2)
		return 0;
	for (i = 0; i < n; i++) {
		if (i == dash)
			continue;
		if (!is_digit((unsigned char)p[i]))
			return 0;
		if (i < dash)
			m = m * 10 + (unsigned)(p[i] - '0');
		else
			d = d * 10 + (unsigned)(p[i] - '0');
	}
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* "11-27|01:02:03.456": a month and day joined to a time by '|', as
 * go-ethereum writes them. */
static int
bar_stamp(const char *p, size_t n)
{
	size_t bar = 3;

	while (bar < 6 && bar < n && p[bar] != '|')
		bar++;
	return bar < 6 && n > bar + 1 && month_day(p, bar) &&
	    mask_is_stamp(p + bar + 1, n - bar - 1);
}

/* "27/Nov/2026:01:02:03" (access logs) or "27-Nov-2026": a day, a
 * month's name and a year, perhaps a time. */
static int
named_month_date(const char *p, size_t n)
{
	size_t d = n > 1 && !is_digit((unsigned char)p[1]) ? 1 : 2;

	if (n < d + 9 || !all_digits(p, d) || (p[d] != '/' && p[d] != '-') ||
	    p[d + 4] != p[d] || !is_calendar_word(p + d + 1, 3) ||
	    !all_digits(p + d + 5, 4))
		return 0;
	return n == d + 9 || (p[d + 9] == ':' && mask_is_stamp(p + d + 10,
	    n - d - 10));
}

/* "UTC" or "GMT" after a time. */
static int
is_zone(const char *p, size_t n)
{
	return n == 3 && (memcmp(p, "UTC", 3) == 0 || memcmp(p, "GMT", 3) == 0);
}

/* "AM" or "PM" after a time of day, as a twelve-hour clock writes it. */
static int
is_meridiem(const char *p, size_t n)
{
	return n == 2 && ((p[0] | 0x20) == 'a' || (p[0] | 0x20) == 'p') &&
	    (p[1] | 0x20) == 'm';
}

/* Epoch seconds or milliseconds, "1706745598" or "1706745598123", or
 * seconds and their fraction, "1706745598.123" (Squid).  stamp_part()
 * makes the same tests in its own order, inline, on the hot path: a
 * call to this from there measured slower (callgrind). */
static int
is_epoch(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && is_digit((unsigned char)p[i]); i++)
		;
	if (i == n)
		return n >= 9 && n <= 13;
	return (i == 9 || i == 10) && p[i] == '.' && n - i - 1 >= 1 &&
	    n - i - 1 <= 9 && all_digits(p + i + 1, n - i - 1);
}

/* How a token looks as part of a stamp: 0 not, 1 weak, 2 a date or time.
 * Forced inline: called for three tokens a line, it is short next to
 * what a call and its saved registers cost. */
static inline __attribute__((always_inline)) int
stamp_part(const char *p, size_t n)
{
	size_t i, digits = 0;

	while (n > 0 && (p[n - 1] == ',' || p[n - 1] == ']'))
		n--;
	if (n == 0)
		return 0;
	/* Only a month or day name, a zone and AM or PM start with a
	 * letter; everything else here starts with a digit. */
	if (!is_digit((unsigned char)p[0]))
		return HC(p[0], H_LETTER) ? is_calendar_word(p, n) ||
		    is_zone(p, n) || is_meridiem(p, n) : (p[0] == '+' ||
		    p[0] == '-') && n == 5 &&
		    all_digits(p + 1, 4);	/* "+0100", a zone */
	/* Digits alone are never a date or a time to mask_is_stamp(),
	 * which would only count them again. */
	if (all_digits(p, n))
		return n >= 9 && n <= 13 ? 2 : 1;	/* epoch seconds, ms */
	/* "1706745598.123": epoch seconds and their fraction (Squid). */
	for (i = 0; i < n && is_digit((unsigned char)p[i]); i++)
		;
	if ((i == 9 || i == 10) && p[i] == '.' && n - i - 1 >= 1 &&
	    n - i - 1 <= 9 && all_digits(p + i + 1, n - i - 1))
		return 2;
	if (mask_is_stamp(p, n))
		return 2;
	if (month_day(p, n))
		return 1;
	if (bar_stamp(p, n))
		return 2;
	if (named_month_date(p, n))
		return 2;
	/* "10.30": a decimal, as in "[10.30 16:49:06]". */
	for (i = 0; i < n; i++) {
		if (is_digit((unsigned char)p[i]))
			digits++;
		else if (p[i] != '.' || i == 0 || i == n - 1)
			return 0;
	}
	return digits > 0 ? 1 : 0;
}

/* Whether the digits p[0..4) read as a month and a day, "1127". */
static int
mmdd(const char *p)
{
	int m = (p[0] - '0') * 10 + p[1] - '0';
	int d = (p[2] - '0') * 10 + p[3] - '0';

	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* Whether six digits at p and six at q read as yymmdd and hhmmss. */
static int
yymmdd_hhmmss_digits(const char *p, const char *q)
{
	return mmdd(p + 2) && (q[0] - '0') * 10 + q[1] - '0' < 24 &&
	    q[2] < '6' && q[4] < '7';
}

/* "081109 203615": a date, yymmdd, and a time, hhmmss, as two numbers.
 * It reads their values: header_forms() knows the form. */
static int
yymmdd_hhmmss(const struct tok *d, const struct tok *t)
{
	if (d->n != 6 || t->n != 6 || d->bracket || t->bracket ||
	    !all_digits(d->p, 6) || !all_digits(t->p, 6))
		return 0;
	return yymmdd_hhmmss_digits(d->p, t->p);
}

/* A bracketed stamp: every token inside is a part of one. */
static int
stamp_group(const struct tok *t)
{
	size_t pos = 0, len;
	const char *in;
	struct tok u;
	int k, best = 0;

	if (!t->bracket || t->p[0] != '[')
		return 0;
	in = t->p + 1;
	len = t->n - 2 - (t->p[t->n - 1] == ':');
	while (next_tok(in, len, &pos, &u)) {
		if ((k = stamp_part(u.p, u.n)) == 0)
			return 0;
		if (k > best)
			best = k;
	}
	return best;
}

/*
 * How many tokens from token i are parts of one stamp (bracketed groups
 * too when brackets is set), at most HEADER_STAMP; *strong is set when
 * one of them is a date or a time of day.  Forced inline: step 1 calls
 * it on every line, with brackets a constant.
 */
static inline __attribute__((always_inline)) size_t
stamp_run(struct scan *sc, size_t i, int brackets, int *strong)
{
	const struct tok *t, *prev = NULL;
	size_t n;
	int k;

	for (n = 0; n < HEADER_STAMP && (t = scan_tok(sc, i + n)) != NULL;
	    n++, prev = t) {
		if (t->bracket && !brackets)
			break;
		if ((k = t->bracket ? stamp_group(t) : stamp_part(t->p,
		    t->n)) == 0)
			break;
		/* An epoch is a whole stamp: a plain number after it is
		 * the message's (Squid's elapsed time), a date may be
		 * the same instant again (BGL, Thunderbird).  Looked at
		 * only here, where a part is weak, which is rare. */
		if (k == 1 && prev != NULL && !prev->bracket &&
		    is_epoch(prev->p, prev->n))
			break;
		if (k == 2)
			*strong = 1;
	}
	return n;
}

/*
 * Whether t is a level word: "INFO", "[notice]", "[WARN ]", Apache's
 * "[core:error]"; bare in any case when anycase is set, else only in
 * capitals ("error" in a sentence is no level).  Sets *lp and *ln to the
 * word itself.
 */
static int
level_word_slow(const struct tok *t, int anycase, const char **lp,
    size_t *ln)
{
	const char *p = t->p;
	size_t n = t->n, i, j, k;
	char low[10];
	int upper = 1;

	if (t->bracket) {
		if (p[0] != '[' && p[0] != '<')
			return 0;
		p++;
		n -= 2 + (t->p[t->n - 1] == ':');
		while (n > 0 && p[n - 1] == ' ')
			n--;	/* "[INFO ]", padded to a width */
		/* "[core:error]": a module, then the level; a look back
		 * over no more than a level's length for the ':'. */
		for (i = n; i > 0 && n - i <= 9 && p[i - 1] != ':'; i--)
			;
		if (i > 0 && p[i - 1] == ':') {
			p += i;
			n -= i;
		}
	} else if (!anycase && !HC(p[0], H_UPPER))
		return 0;	/* cheap reject: bare, it is all capitals */
	if (n < 3 || n > 9 || !HC(p[0] | 0x20, H_LEVEL))
		return 0;
	for (i = 0; i < n; i++) {
		if (HC(p[i], H_LOWER))
			upper = 0;
		else if (!HC(p[i], H_UPPER))
			return 0;
		low[i] = (char)(p[i] | 0x20);
	}
	if (!upper && !t->bracket && !anycase)
		return 0;
	for (j = 0; j < level_count[low[0] - 'a']; j++) {
		k = level_bucket[low[0] - 'a'][j];
		if (level_len[k] == n && memcmp(levels[k], low, n) == 0) {
			*lp = p;
			*ln = n;
			return 1;
		}
	}
	return 0;
}

/* level_word_slow() behind a look at the first byte, which rejects most
 * words without a call. */
static inline __attribute__((always_inline)) int
level_word(const struct tok *t, int anycase, const char **lp, size_t *ln)
{
	if (!t->bracket && (!HC(t->p[0] | 0x20, H_LEVEL) || (!anycase &&
	    !HC(t->p[0], H_UPPER))))
		return 0;
	return level_word_slow(t, anycase, lp, ln);
}

/* A level of one letter, as logcat writes them: "E ActivityManager: ...".
 * Taken only right after a stamp and before a source. */
static int
is_letter_level(const struct tok *t)
{
	return !t->bracket && t->n == 1 && t->p[0] != '\0' &&
	    strchr("VDIWEFA", t->p[0]) != NULL;
}

/* A source: ends in ':' ("sshd[24200]:", "dfs.DataNode:"), not "::",
 * and is not a piece of JSON or a quotation ("{\"addr\":"). */
static inline __attribute__((always_inline)) int
is_source(const struct tok *t)
{
	return t->n >= 2 && t->p[t->n - 1] == ':' && t->p[t->n - 2] != ':' &&
	    t->p[0] != '{' && t->p[0] != '"' && t->p[0] != '\'';
}

/*
 * Is a "word:" an outcome ("failed:", "completed:", "denied:"), a past
 * participle that a sentence ends in, rather than a program's name?  Some
 * daemons look like one ("haveged"): the caller also asks for a sentence's
 * capital before it.
 */
static int
is_outcome(const struct tok *t)
{
	size_t i, n = t->n - 1;		/* without its ':' */

	if (n < 6 || t->p[n - 2] != 'e' || t->p[n - 1] != 'd')
		return 0;
	for (i = 0; i < n; i++)
		if (!HC(t->p[i], H_LOWER))
			return 0;
	return 1;
}

/* "Backup", "Health": a capital, then small letters only. */
static int
is_capitalised(const struct tok *t)
{
	size_t i;

	if (t->n < 2 || !HC(t->p[0], H_UPPER))
		return 0;
	for (i = 1; i < t->n; i++)
		if (!HC(t->p[i], H_LOWER))
			return 0;
	return 1;
}

/* Letters only: "combo", "alice". */
static int
is_plain_word(const struct tok *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!HC(t->p[i], H_LETTER))
			return 0;
	return 1;
}

/* MongoDB's component and context after a level's letter: "I NETWORK
 * [conn12] message", "W -        [main] message"; token i is the
 * component. */
static int
component(struct scan *sc, size_t i)
{
	const struct tok *t = scan_tok(sc, i), *u;
	size_t k;

	if (t == NULL || t->bracket || (u = scan_tok(sc, i + 1)) == NULL ||
	    !u->bracket || u->p[0] != '[')
		return 0;
	if (t->n == 1)
		return t->p[0] == '-';
	for (k = 0; k < t->n; k++)
		if (!HC(t->p[k], H_UPPER))
			return 0;
	return t->n >= 3;
}

/* Whether the line has a column break at e: a tab, or two spaces. */
static int
column_break(const struct scan *sc, size_t e)
{
	return e < sc->len && (sc->line[e] == '\t' || (e + 1 < sc->len &&
	    sc->line[e] == ' ' && sc->line[e + 1] == ' '));
}

/*
 * Whether field t, token i of the line, is the level, and where its word
 * is.  Besides a level word, as the first field after a stamp: a level
 * in any case set off as a column is, by a tab or two spaces (zap's
 * "info\t", Windows' "Info    CBS"), or logcat's one letter before a
 * source.
 */
static inline __attribute__((always_inline)) int
field_level(struct scan *sc, size_t i, const struct tok *t, int strong,
    int first, const char **lp, size_t *ln)
{
	const struct tok *u;

	if (level_word(t, 0, lp, ln))
		return 1;
	if (!strong || !first)
		return 0;
	if (column_break(sc, sc->end[i]) && level_word(t, 1, lp, ln))
		return 1;
	if (is_letter_level(t) && (u = scan_tok(sc, i + 1)) != NULL &&
	    (is_source(u) || component(sc, i + 1))) {
		*lp = t->p;
		*ln = t->n;
		return 1;
	}
	return 0;
}

/* "ERROR:", "Warning:": a level word before its colon. */
static int
colon_level(const struct tok *t, const char **lp, size_t *ln)
{
	struct tok w = *t;

	w.n--;
	return level_word(&w, 1, lp, ln);
}

/* A dotted module or class name: "nova.compute.manager". */
static int
is_module(const struct tok *t)
{
	size_t i, dots = 0;

	if (t->bracket || t->n < 3 || !HC(t->p[0], H_LETTER))
		return 0;
	for (i = 0; i < t->n; i++) {
		char c = t->p[i];

		if (c == '.' && i + 1 < t->n && t->p[i - 1] != '.')
			dots++;
		else if (!HC(c, H_MODULE))
			return 0;
	}
	return dots > 0;
}

static void
span_set(struct span *sp, const char *p, size_t n)
{
	sp->p = p;
	sp->len = n;
}

/* Where a process id in brackets at the end of p[0..n) begins, the '['
 * of "sshd[24200]", after a name of one byte or more; or n. */
static size_t
pid_at(const char *p, size_t n)
{
	size_t i;

	if (n <= 2 || p[n - 1] != ']')
		return n;
	for (i = n - 1; i > 0 && is_digit((unsigned char)p[i - 1]); i--)
		;
	return i == n - 1 || i < 2 || p[i - 1] != '[' ? n : i - 1;
}

/* The source: a program's name without its process id, "sshd[24200]"
 * as "sshd", so that its lines share one value whatever the pid. */
static void
source_set(struct header *h, const char *p, size_t n)
{
	size_t i = pid_at(p, n);

	/* Process ids alone, nginx's "53#53" (pid#tid), name no program:
	 * the next worker would be a source of its own. */
	for (n = 0; n < i && (is_digit((unsigned char)p[n]) || p[n] == '#');
	    n++)
		;
	if (n == i)
		return;
	span_set(&h->source, p, i);
}

/*
 * The kernel's time since boot, as dmesg and syslog's kernel lines show
 * it: "[   12.345678]" and a space, or the end.  Its length, or 0.  No
 * clock time, but a header's part: its width varies ("[12345.678901]"),
 * which would split the message's tokens differently.
 */
static size_t
uptime_len(const char *p, size_t n)
{
	size_t i = 1, d;

	if (n < 4 || p[0] != '[')
		return 0;
	while (i < n && p[i] == ' ')
		i++;
	for (d = i; i < n && is_digit((unsigned char)p[i]); i++)
		;
	if (i == d || i >= n || p[i] != '.')
		return 0;
	for (d = ++i; i < n && is_digit((unsigned char)p[i]); i++)
		;
	if (i == d || i >= n || p[i] != ']')
		return 0;
	i++;
	return i == n || is_space((unsigned char)p[i]) ? i : 0;
}

/*
 * After the time since boot, journalctl -o short-monotonic's host and a
 * program: "[ 5.123456] web1 kernel: ..." or "... web1 sshd[423]: ...".
 * Only "kernel" or a name with a pid counts as the program, so that
 * dmesg's "usb 1-1:" or "snd_hda_intel hdaudioC0D0:" stay messages.
 * Sets the host and source and returns where the message starts, or 0.
 */
static size_t
host_program(const char *line, size_t len, size_t at, struct header *h)
{
	size_t a, ae, b, be, n;

	for (a = at; a < len && is_space((unsigned char)line[a]); a++)
		;
	for (ae = a; ae < len && (HC(line[ae], H_LETTER | H_DIGIT) ||
	    line[ae] == '-' || line[ae] == '.'); ae++)
		;
	if (ae == a || ae >= len || line[ae] != ' ')
		return 0;
	for (be = b = ae + 1; be < len && !is_space((unsigned char)line[be]);
	    be++)
		;
	if (be - b < 2 || line[be - 1] != ':' || !HC(line[b], H_LETTER))
		return 0;
	n = be - b - 1;
	if (!(n == 6 && memcmp(line + b, "kernel", 6) == 0) &&
	    pid_at(line + b, n) == n)
		return 0;
	span_set(&h->host, line + a, ae - a);
	source_set(h, line + b, n);
	return be;
}

/* Content starts at pos: skip the spaces. */
static int
finish(const char *line, size_t len, size_t pos, struct span *content)
{
	while (pos < len && is_space((unsigned char)line[pos]))
		pos++;
	content->p = line + pos;
	content->len = len - pos;
	return 1;
}

static int	glog(const char *, size_t, size_t, struct span *,
		    struct header *);

/*
 * The same after a program's name, which may go on with the kernel's
 * time since boot ("kernel: [   12.345678] usb 1-1: ...") or with a glog
 * or klog header: journald and syslog carry Kubernetes' components so
 * ("kubelet[812]: E0201 00:00:01.123456 812 pod_workers.go:1300] ...").
 * That one is cut off too and gives the level, so that the event is one
 * template wrapped or not; the outer header keeps time, host, program.
 */
static int
finish_source(const char *line, size_t len, size_t pos,
    struct span *content, struct header *h)
{
	struct header in;
	const char *p;
	size_t k;

	while (pos < len && is_space((unsigned char)line[pos]))
		pos++;
	if (pos < len && line[pos] == '[' && (k = uptime_len(line + pos,
	    len - pos)) != 0)
		pos += k;
	finish(line, len, pos, content);
	p = content->p;
	if (content->len >= 8 && (p[0] == 'I' || p[0] == 'W' || p[0] == 'E' ||
	    p[0] == 'F') && is_digit((unsigned char)p[1])) {
		memset(&in, 0, sizeof in);
		if (glog(content->p, content->len < HEADER_SCAN ?
		    content->len : HEADER_SCAN, content->len, content, &in) &&
		    h->level.p == NULL)
			h->level = in.level;
	}
	return 1;
}

/*
 * A bracketed group that holds the whole header, a stamp then a level
 * and a source: Celery's "[2026-11-27 10:00:01,123: INFO/MainProcess]".
 * Sets h's fields; 0 when t is no such group.
 */
static int
stamped_group(const struct tok *t, struct header *h)
{
	const char *in = t->p + 1, *e = NULL, *lp;
	size_t pos = 0, len = t->n - 2, n, ln, i;
	struct tok u;
	int k, strong = 0;

	if (t->p[t->n - 1] != ']')
		return 0;
	while (next_tok(in, len, &pos, &u)) {
		n = u.n - (u.p[u.n - 1] == ':');
		if (n == 0 || (k = stamp_part(u.p, n)) == 0)
			break;
		strong |= k == 2;
		e = u.p + n;
	}
	if (!strong)
		return 0;
	/* ": LEVEL/source" */
	for (i = (size_t)(e - in); i < len && (in[i] == ':' ||
	    is_space((unsigned char)in[i])); i++)
		;
	u.p = in + i;
	u.bracket = 0;
	for (u.n = 0; i + u.n < len && in[i + u.n] != '/' &&
	    !is_space((unsigned char)in[i + u.n]); u.n++)
		;
	if (u.n == 0 || !level_word(&u, 0, &lp, &ln) ||
	    (i + u.n < len && in[i + u.n] != '/'))
		return 0;
	span_set(&h->time, in, (size_t)(e - in));
	span_set(&h->level, lp, ln);
	i += u.n;
	if (i + 1 < len)
		source_set(h, in + i + 1, len - i - 1);
	return 1;
}

/* A container runtime's stream: "stdout" or "stderr". */
static int
is_stream(const struct tok *t)
{
	return t->n == 6 && !t->bracket && (memcmp(t->p, "stdout", 6) == 0 ||
	    memcmp(t->p, "stderr", 6) == 0);
}

/*
 * A wrapper's header ends at pos: the payload is the program's own line,
 * which may have a header of its own (a Java logger's, a Python one's).
 * That one is cut off too and gives the level, host and source; the
 * wrapper's stamp stays the time, so that a payload with a stamp of its
 * own is one template wrapped or not.
 */
static int
wrapped(const char *line, size_t len, size_t pos, struct span *content,
    struct header *h)
{
	struct header in;
	struct span payload;

	finish(line, len, pos, content);
	if (!header_split(content->p, content->len, &payload, &in))
		return 1;
	*content = payload;
	h->level = in.level;
	h->host = in.host;
	h->source = in.source;
	return 1;
}

/* "20171223-22:15:29:606|Step_LSC|30002312|message". */
static int
piped(const char *line, size_t len, size_t full, struct span *content,
    struct header *h)
{
	size_t i, last = 0, before = 0, bar, msg;

	for (bar = 0; bar < len && bar < 40 && line[bar] != '|' &&
	    !is_space((unsigned char)line[bar]); bar++)
		;
	if (bar >= len || line[bar] != '|' || stamp_part(line, bar) != 2)
		return 0;
	for (i = bar; i < len && !is_space((unsigned char)line[i]); i++)
		if (line[i] == '|') {
			before = last;
			last = i;
		}
	span_set(&h->time, line, bar);
	msg = last + 1;
	/* The source without a process id after it, as in source_set(). */
	if (before > bar && all_digits(line + before + 1, last - before - 1))
		last = before;
	if (last > bar)
		span_set(&h->source, line + bar + 1, last - bar - 1);
	return finish(line, full, msg, content);
}

/*
 * glog and Kubernetes' klog: "I1127 01:02:03.456789    1234 file.go:12]
 * message", the level's letter (I, W, E, F) joined to the month and day,
 * then the thread and the source's file and line.
 */
static int
glog(const char *line, size_t len, size_t full, struct span *content,
    struct header *h)
{
	size_t i, t, src;

	/* Most lines go no further than the first byte.  The month and day
	 * are read as values: header_forms() knows the form. */
	if (len < 8 || (line[0] != 'I' && line[0] != 'W' && line[0] != 'E' &&
	    line[0] != 'F') || !all_digits(line + 1, 4) ||
	    !is_space((unsigned char)line[5]) || !mmdd(line + 1))
		return 0;
	for (i = 5; i < len && is_space((unsigned char)line[i]); i++)
		;
	if (i >= len || !is_digit((unsigned char)line[i]))
		return 0;
	t = word_end(line, i, len);
	if (!mask_is_stamp(line + i, t - i))
		return 0;
	span_set(&h->level, line, 1);
	span_set(&h->time, line + 1, t - 1);
	for (i = t; i < len && is_space((unsigned char)line[i]); i++)
		;
	t = word_end(line, i, len);
	if (t > i && all_digits(line + i, t - i)) {	/* the thread */
		for (i = t; i < len && is_space((unsigned char)line[i]); i++)
			;
		t = word_end(line, i, len);
	}
	src = i;
	if (t - src >= 2 && line[t - 1] == ']') {
		span_set(&h->source, line + src, t - src - 1);
		i = t;
	}
	return finish(line, full, i, content);
}

/*
 * RFC 5424 after its priority and version: "stamp host app procid msgid
 * [structured data] message", each field "-" when it has none.
 */
static int
rfc5424(const char *line, size_t len, size_t full, struct span *content,
    struct header *h)
{
	struct tok t;
	size_t pos = 0, k;
	struct span *to[3];

	to[0] = &h->time;
	to[1] = &h->host;
	to[2] = &h->source;
	for (k = 0; k < 5 && next_tok(line, len, &pos, &t); k++)
		if (k < 3 && !(t.n == 1 && t.p[0] == '-') && (k > 0 ||
		    mask_is_stamp(t.p, t.n)))
			span_set(to[k], t.p, t.n);
	if (k == 5) {
		size_t at = pos;

		/* The structured data: "-" or "[id k=\"v\"]" groups. */
		while (next_tok(line, len, &at, &t) && ((t.n == 1 &&
		    t.p[0] == '-') || (t.bracket && t.p[0] == '['))) {
			pos = at;
			if (t.p[0] == '-')
				break;
		}
	}
	/* A message in UTF-8 may open with its byte order mark. */
	while (pos < len && is_space((unsigned char)line[pos]))
		pos++;
	if (len - pos >= 3 && memcmp(line + pos, "\xef\xbb\xbf", 3) == 0)
		pos += 3;
	return finish(line, full, pos, content);
}

/* Whether "key=value" at p[0..n) has a key that names a time (1) or a
 * level (2) as logfmt writes them, and the key's length. */
static int
logfmt_key(const char *p, size_t n, size_t *klen)
{
	static const char *const time_keys[] = {
		"time=", "ts=", "t=", "timestamp=", "@timestamp="
	};
	size_t k, kn;

	for (k = 0; k < sizeof time_keys / sizeof time_keys[0]; k++) {
		kn = strlen(time_keys[k]);
		if (n > kn && memcmp(p, time_keys[k], kn) == 0) {
			*klen = kn;
			return 1;
		}
	}
	return (*klen = severity_level_key(p, n)) != 0 ? 2 : 0;
}

/* A logfmt pair, "key=value" or "key=": a name of letters, digits and
 * "_.-" that starts with a letter. */
static int
logfmt_pair(const char *p, size_t n)
{
	size_t i;

	if (n < 2 || !HC(p[0], H_UPPER | H_LOWER))
		return 0;
	for (i = 1; i < n && p[i] != '='; i++)
		if (!HC(p[i], H_MODULE) && p[i] != '.' && p[i] != '-')
			return 0;
	return i < n;
}

/*
 * logfmt: the pairs that lead a line and hold its time or level, in any
 * order ("time=\"2026-11-27T01:02:03Z\" level=error msg=...", "level=info
 * ts=2026-11-27T01:02:03Z caller=..."); the rest is the message.
 */
static int
logfmt(const char *line, size_t len, size_t full, struct span *content,
    struct header *h)
{
	size_t pos = 0, next = 0, kn, vn, pairs = 0, skipped = 0;
	const char *v;
	struct tok t;
	int what;

	while (pairs < LOGFMT_LEAD && next_tok(line, len, &next, &t) &&
	    !t.bracket) {
		if ((what = logfmt_key(t.p, t.n, &kn)) == 0) {
			/* Grafana's "logger=context userId=0 uname= t=...
			 * level=info msg=...": other pairs may come first. */
			if (!logfmt_pair(t.p, t.n))
				break;
			pairs++;
			skipped++;
			continue;
		}
		v = t.p + kn;
		vn = t.n - kn;
		if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
			v++;
			vn -= 2;
		}
		if (what == 1 ? h->time.p != NULL || !mask_is_stamp(v, vn) :
		    h->level.p != NULL || vn == 0)
			break;
		span_set(what == 1 ? &h->time : &h->level, v, vn);
		pos = next;
		pairs++;
	}
	/* Other pairs before it only with a time: a level alone after them
	 * may be the message's ("user=alice level=admin granted"). */
	if (pos == 0 || (skipped > 0 && h->time.p == NULL)) {
		memset(h, 0, sizeof *h);
		return 0;
	}
	return finish(line, full, pos, content);
}

static int	scan_header(const char *, size_t, size_t, struct span *,
		    struct header *);

/*
 * Redis: "1234:M 27 Nov 2026 01:02:03.123 * message", the pid and role
 * (M, S, C, X), the stamp, and the level as a mark: . debug, - verbose,
 * * notice, # warning.  Header fields point into the line (-j hands them
 * on as offsets), so the mark itself is the level.
 */
static int
redis(const char *line, size_t len, size_t full, struct span *content,
    struct header *h)
{
	size_t i, pos, k;
	struct tok t;

	for (i = 0; i < len && i < 10 && is_digit((unsigned char)line[i]); i++)
		;
	if (i == 0 || i + 3 > len || line[i] != ':' || line[i + 1] == '\0' ||
	    strchr("MSCX", line[i + 1]) == NULL || line[i + 2] != ' ')
		return 0;
	pos = i + 3;
	for (k = 0; k < 4; k++) {
		if (!next_tok(line, len, &pos, &t) || t.bracket)
			return 0;
		if (k < 3 ? stamp_part(t.p, t.n) == 0 : !mask_is_stamp(t.p,
		    t.n))
			return 0;
	}
	span_set(&h->time, line + i + 3, pos - i - 3);
	if (!next_tok(line, len, &pos, &t) || t.n != 1 || t.p[0] == '\0' ||
	    strchr(".-*#", t.p[0]) == NULL) {
		h->time.p = NULL;
		h->time.len = 0;
		return 0;
	}
	/* The mark is the level: severity.c reads all but "-", which in
	 * other logs' level fields means none. */
	span_set(&h->level, t.p, 1);
	span_set(&h->source, line + i + 1, 1);
	return finish(line, full, pos, content);
}

/* Python's logging.basicConfig() default: "WARNING:app.db:message", the
 * level in capitals, the logger, and no space before the message. */
static int
pylog(const char *line, size_t len, size_t full, struct span *content,
    struct header *h)
{
	struct tok t;
	const char *lp;
	size_t i, j, ln;

	for (i = 0; i < len && i < 10 && HC(line[i], H_UPPER); i++)
		;
	if (i < 4 || i >= len || line[i] != ':')
		return 0;
	for (j = i + 1; j < len && line[j] != ':' &&
	    !is_space((unsigned char)line[j]); j++)
		;
	if (j == i + 1 || j >= len || line[j] != ':')
		return 0;
	t.p = line;
	t.n = i;
	t.bracket = 0;
	if (!level_word(&t, 0, &lp, &ln))
		return 0;
	span_set(&h->level, lp, ln);
	span_set(&h->source, line + i + 1, j - i - 1);
	return finish(line, full, j + 1, content);
}

int
header_split(const char *line, size_t len, struct span *content,
    struct header *h)
{
	size_t full = len, off;
	unsigned pri;

	memset(h, 0, sizeof *h);
	if (len > HEADER_SCAN)
		len = HEADER_SCAN;	/* a header is short; so is the look */
	/* Most lines go no further than their first two bytes. */
	if (len >= 8 && (line[0] == 'I' || line[0] == 'W' || line[0] == 'E' ||
	    line[0] == 'F') && is_digit((unsigned char)line[1]) &&
	    glog(line, len, full, content, h))
		return 1;
	if (len >= 6 && HC(line[0], H_UPPER) && HC(line[1], H_UPPER) &&
	    pylog(line, len, full, content, h))
		return 1;
	if (len > 0 && ((line[0] | 0x20) == 't' || (line[0] | 0x20) == 'l' ||
	    (line[0] | 0x20) == 's' || line[0] == '@') && logfmt(line, len,
	    full, content, h))
		return 1;
	/* "<34>": a syslog priority, which says the line came over the wire
	 * untouched.  Its value is read, and whether the version is "1":
	 * header_forms() knows the form. */
	if (len == 0 || line[0] != '<' || (off = severity_priority(line, len,
	    &pri)) == 0)
		return scan_header(line, len, full, content, h);
	/* The priority is a header of its own; the version "1" after it
	 * says RFC 5424, else RFC 3164's stamp and host may follow. */
	if (off + 1 < len && line[off] == '1' && is_space((unsigned char)
	    line[off + 1]))
		rfc5424(line + off + 2, len - off - 2, full - off - 2, content,
		    h);
	else if (!scan_header(line + off, len - off, full - off, content, h))
		finish(line, full, off, content);
	if (h->level.p == NULL)
		span_set(&h->level, line, off);	/* severity.c reads it */
	return 1;
}

/* The first digit at or after s[i], or len.  Eight bytes at a time: most
 * of a line is not digits. */
static size_t
next_digit(const char *s, size_t i, size_t len)
{
	uint64_t m;

	for (; i + 8 <= len; i += 8)
		if ((m = blot_digits(blot_load(s + i))) != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return i + (size_t)__builtin_ctzll(m) / 8;
#else
			break;
#endif
		}
	while (i < len && !is_digit((unsigned char)s[i]))
		i++;
	return i;
}

/*
 * Where header_split() reads digits' values in line[0..len): a syslog
 * priority, '<' and digits (and whether the version after it is "1");
 * glog's level letter joined to four digits, "I1127"; a month and a day
 * of one or two digits each, "03-17", where a token may start, so not
 * after a '-' ("2015-10-18" has none); and two numbers of six digits
 * apart by white space, "081109 203615".  Each is found anywhere, for a
 * nested header may start anywhere.  Anything else the scanner tells by
 * what is a digit and what is not.  A change that reads values elsewhere
 * must be found here too (fuzz_time.c compares cached answers with
 * fresh ones on lines that differ in their digits).  Returns 0 when the
 * line has more than HEADER_FORMS, or is longer than 64 KiB.
 */
int
header_forms(const char *line, size_t len, struct header_forms *hf)
{
	size_t i = 0, start, j, k;
	char before;
	int kind;

	hf->n = 0;
	if (len > UINT16_MAX)
		return 0;	/* a form's place is kept in 16 bits */
	while (i < len) {
		if (!is_digit((unsigned char)line[i])) {
			i = next_digit(line, i + 1, len);
			continue;
		}
		start = i;
		while (i < len && is_digit((unsigned char)line[i]))
			i++;
		before = start > 0 ? line[start - 1] : ' ';
		kind = 0;
		if (before == '<')
			kind = HEADER_FORM_PRIORITY;
		else if (i - start == 4 && (before == 'I' || before == 'W' ||
		    before == 'E' || before == 'F'))
			kind = HEADER_FORM_GLOG;
		else if (i - start <= 2 && before != '-' && i + 1 < len &&
		    line[i] == '-' && is_digit((unsigned char)line[i + 1])) {
			for (j = i + 1; j < len && is_digit((unsigned char)
			    line[j]); j++)
				;
			if (j - i - 1 <= 2)
				kind = HEADER_FORM_MONTH_DAY;
		}
		if (kind == 0 && i - start == 6) {
			for (j = i; j < len && is_space((unsigned char)line[j]);
			    j++)
				;
			for (k = j; k < len && is_digit((unsigned char)line[k]);
			    k++)
				;
			if (j > i && k - j == 6)
				kind = HEADER_FORM_YYMMDD;
		}
		if (kind == 0)
			continue;
		if (hf->n == HEADER_FORMS)
			return 0;
		hf->at[hf->n] = (uint16_t)start;
		hf->kind[hf->n++] = (uint8_t)kind;
	}
	return 1;
}

/*
 * How the forms hf found in a line of line's shape read in line, a bit
 * each (two for a priority): what the checks that read them conclude.
 */
unsigned
header_form_values(const char *line, size_t len, const struct header_forms
    *hf)
{
	unsigned bits = 0, pri, bit = 1;
	size_t i, at, j, off;

	for (i = 0; i < hf->n; i++, bit <<= 2) {
		at = hf->at[i];
		switch (hf->kind[i]) {
		case HEADER_FORM_PRIORITY:
			off = severity_priority(line + at - 1, len - at + 1,
			    &pri);
			if (off != 0)
				bits |= bit;
			if (off != 0 && at - 1 + off < len &&
			    line[at - 1 + off] == '1')
				bits |= bit << 1;
			break;
		case HEADER_FORM_GLOG:
			if (mmdd(line + at))
				bits |= bit;
			break;
		case HEADER_FORM_MONTH_DAY:
			for (j = at; is_digit((unsigned char)line[j]); j++)
				;
			for (j++; j < len && is_digit((unsigned char)line[j]);
			    j++)
				;
			if (month_day(line + at, j - at))
				bits |= bit;
			break;
		case HEADER_FORM_YYMMDD:
			for (j = at + 6; is_space((unsigned char)line[j]); j++)
				;
			if (yymmdd_hhmmss_digits(line + at, line + j))
				bits |= bit;
			break;
		}
	}
	return bits;
}

/*
 * A stamp that leads a bracketed field: Ruby's Logger ("I, [2026-11-27T
 * 01:02:03.123456 #1234]  INFO -- : message"), access logs ("[27/Nov/
 * 2026:01:02:03 +0000]").  Sets *time to it.
 */
static void
lead_stamp(const struct tok *t, struct span *time)
{
	const char *in = t->p + 1, *e = NULL;
	size_t pos = 0, len = t->n - 2 - (t->p[t->n - 1] == ':');
	struct tok u;
	int k, strong = 0;

	if (t->p[0] != '[')
		return;
	while (next_tok(in, len, &pos, &u) && (k = stamp_part(u.p, u.n)) != 0) {
		strong |= k == 2;
		e = u.p + u.n;
	}
	if (strong)
		span_set(time, in, (size_t)(e - in));
}

/*
 * What ends the header after a level: MongoDB's component and context
 * ("I NETWORK  [conn12] message"), Ruby's Logger ("INFO -- : message",
 * "INFO -- prog: message") and Spring Boot's ("INFO 1234 --- [main]
 * o.s.b.Application   : message").  Token i is the first after the
 * level; letter says the level is one letter, as MongoDB's is.
 */
static int
after_level(struct scan *sc, size_t i, int letter, size_t full,
    struct span *content, struct header *h)
{
	const struct tok *t, *u;

	if (letter && component(sc, i)) {
		t = scan_tok(sc, i);
		if (t->p[0] != '-')
			span_set(&h->source, t->p, t->n);
		return finish(sc->line, full, sc->end[i + 1], content);
	}
	if ((t = scan_tok(sc, i)) != NULL && !t->bracket &&
	    all_digits(t->p, t->n))
		t = scan_tok(sc, ++i);	/* the pid */
	if (t == NULL || t->n < 2 || t->n > 3 || t->p[0] != '-' ||
	    t->p[1] != '-' || (t->n == 3 && t->p[2] != '-'))
		return 0;
	if (t->n == 2) {
		if ((u = scan_tok(sc, i + 1)) == NULL || u->bracket ||
		    u->p[u->n - 1] != ':')
			return 0;
		if (u->n > 1)
			span_set(&h->source, u->p, u->n - 1);
		return finish(sc->line, full, sc->end[i + 1], content);
	}
	while ((u = scan_tok(sc, ++i)) != NULL && u->bracket)
		;
	if (u == NULL || (t = scan_tok(sc, i + 1)) == NULL || t->n != 1 ||
	    t->p[0] != ':')
		return 0;
	span_set(&h->source, u->p, u->n);
	return finish(sc->line, full, sc->end[i + 1], content);
}

/*
 * A stamp after the level, in a line that had none before it: go-ethereum's
 * "INFO [11-27|01:02:03.456] message", Cassandra's "INFO  [main] 2026-11-27
 * 01:02:03,123 Foo.java:12 - message".  Sets *time and returns the token
 * after the stamp, or returns i when there is none.
 */
static size_t
level_stamp(struct scan *sc, size_t i, struct span *time)
{
	const struct tok *t;
	const char *start;
	size_t j, n;
	int strong = 0;

	if ((t = scan_tok(sc, i)) != NULL && t->bracket && stamp_group(t) == 2) {
		lead_stamp(t, time);
		return time->p != NULL ? i + 1 : i;
	}
	for (j = i; j < i + 2 && (t = scan_tok(sc, j)) != NULL && t->bracket;
	    j++)
		;	/* a thread or two: "[main]" */
	if ((n = stamp_run(sc, j, 0, &strong)) == 0 || !strong)
		return i;
	start = sc->tok[j].p;
	span_set(time, start, sc->end[j + n - 1] - (size_t)(start -
	    sc->line));
	return j + n;
}

/* A logger's or file's name, token i, before " - ": log4j's
 * "com.example.Foo - message", Cassandra's "Foo.java:12 - message".
 * Returns where the message starts, or 0. */
static size_t
named_dash(struct scan *sc, size_t i)
{
	const struct tok *t = scan_tok(sc, i);
	struct tok w;
	size_t e;

	/* A look at the bytes first: most messages have no " - " there,
	 * and scanning the next token would cost more than this. */
	if (t == NULL)
		return 0;
	for (e = sc->end[i]; e < sc->len && sc->line[e] == ' '; e++)
		;
	if (e == sc->end[i] || e + 1 >= sc->len || sc->line[e] != '-' ||
	    !is_space((unsigned char)sc->line[e + 1]))
		return 0;
	w = *t;
	while (w.n > 2 && is_digit((unsigned char)w.p[w.n - 1]))
		w.n--;
	if (w.n < t->n && w.p[w.n - 1] == ':')
		w.n--;		/* a line number: "Foo.java:12" */
	else
		w.n = t->n;
	return is_module(&w) ? e + 1 : 0;
}

/*
 * In columns, a word after the level set off as the level is: the
 * source (Windows' "Info                  CBS    message", zap's
 * "info<TAB>server/main.go:42<TAB>message").  Token i follows the level,
 * which ends at lvl_end.  Returns where the message starts, or 0.
 */
static size_t
column_source(struct scan *sc, size_t i, size_t lvl_end, struct header *h)
{
	const struct tok *t;

	if (!column_break(sc, lvl_end) || (t = scan_tok(sc, i)) == NULL ||
	    t->bracket || !column_break(sc, sc->end[i]) ||
	    !HC(t->p[0], H_LETTER) || t->p[t->n - 1] == ':')
		return 0;
	source_set(h, t->p, t->n);
	return sc->end[i];
}

/* The time of a stamp among the fields, from token i on: "nova-compute
 * .log.1 2017-05-16 00:00:04.500 2931 INFO ...", "node-246 unix.hw
 * state_change.unavailable 1077804742 1 ...". */
static void
field_time(struct scan *sc, size_t i, struct span *time)
{
	const struct tok *t = scan_tok(sc, i), *u;
	size_t j;

	for (j = i + 1; j < i + HEADER_STAMP && (u = scan_tok(sc, j)) !=
	    NULL && !u->bracket && !all_digits(u->p, u->n) &&
	    stamp_part(u->p, u->n) != 0; j++)
		;
	span_set(time, t->p, sc->end[j - 1] - (size_t)(t->p - sc->line));
}

/*
 * The access logs of Apache, nginx and most web servers (NCSA's common
 * and combined forms, with Apache's virtual host first in
 * vhost_combined): "[vhost:port] client - user [27/Nov/2026:00:00:01
 * +0000] \"GET / HTTP/1.1\" 200 ...".  Token i is the ident's '-'.  The
 * client, ident, user and time are the header, the client its host: the
 * event is the request and what came of it.  Returns where the message
 * starts, or 0.
 */
static size_t __attribute__((noinline))
access_log(struct scan *sc, size_t i, struct header *h)
{
	const struct tok *client, *stamp, *req;
	struct span time = { NULL, 0 };

	if (i < 1 || i > 2 || scan_tok(sc, i + 1) == NULL ||
	    (stamp = scan_tok(sc, i + 2)) == NULL || !stamp->bracket ||
	    (req = scan_tok(sc, i + 3)) == NULL || req->p[0] != '"')
		return 0;
	lead_stamp(stamp, &time);
	if (time.p == NULL)
		return 0;
	client = &sc->tok[i - 1];
	h->time = time;
	span_set(&h->host, client->p, client->n);
	return scan_pos(sc, i + 3);
}

/* header_split() for a line with no priority or glog header. */
static int
scan_header(const char *line, size_t len, size_t full, struct span *content,
    struct header *h)
{
	struct scan sc;
	const struct tok *t, *u, *prev = NULL;
	size_t i = 0, j, stamp_end = 0, time_end = 0, fields = 0, stamp_at = 0;
	size_t stamp_tokens = 0, at, lvl_end, up;
	int k, strong = 0, level = 0, field_stamp = 0, words = 0;
	const char *stamp_start = NULL, *lp;
	size_t ln;

	/* dmesg's "[   12.345678] usb 1-1: ...": that time is the header. */
	if (len > 1 && line[0] == '[' && (line[1] == ' ' ||
	    is_digit((unsigned char)line[1])) &&
	    (up = uptime_len(line, len)) != 0) {
		if ((at = host_program(line, len, up, h)) != 0)
			up = at;
		return finish(line, full, up, content);
	}
	sc.line = line;
	sc.len = len;
	sc.n = 0;
	sc.max = HEADER_TOKENS;
	sc.pos = 0;

	/* 1. The stamp; i counts the tokens taken. */
	if ((stamp_tokens = stamp_run(&sc, 0, 1, &strong)) > 0) {
		stamp_start = sc.tok[0].p;
		stamp_end = time_end = sc.end[stamp_tokens - 1];
		i = stamp_tokens;
		/* Bare numbers are weak parts, but "081109 203615" (HDFS)
		 * is a date and a time, which the numbers after it are
		 * not. */
		if (!strong && stamp_tokens >= 2 &&
		    yymmdd_hhmmss(&sc.tok[0], &sc.tok[1])) {
			strong = 1;
			time_end = sc.end[1];
		}
	}
	if (stamp_tokens == 0) {
		/* Celery's "[stamp: LEVEL/MainProcess] message". */
		if ((t = scan_tok(&sc, 0)) != NULL && t->bracket &&
		    t->p[0] == '[' && stamped_group(t, h))
			return finish(line, full, sc.end[0], content);
		/* Only a first word that is no stamp: Redis's "1234:M" or
		 * fields joined by '|'. */
		if ((t = scan_tok(&sc, 0)) != NULL && t->n >= 3 &&
		    t->p[t->n - 2] == ':' && redis(line, len, full, content, h))
			return 1;
		if (piped(line, len, full, content, h))
			return 1;
	}
	if (strong)
		span_set(&h->time, stamp_start, (size_t)(line + time_end -
		    stamp_start));
	/* Kubernetes' container log (CRI): "stamp stdout F payload". */
	if (strong && stamp_tokens == 1 && (t = scan_tok(&sc, 1)) != NULL &&
	    is_stream(t) && (u = scan_tok(&sc, 2)) != NULL && u->n == 1 &&
	    (u->p[0] == 'F' || u->p[0] == 'P'))
		return wrapped(line, full, sc.end[2], content, h);

	/* 2. Fields, up to a source, a " - " or a level. */
	while (fields < HEADER_FIELDS) {
		if ((t = scan_tok(&sc, i)) == NULL)
			break;
		if (field_level(&sc, i, t, strong, fields == 0, &lp, &ln)) {
			/* Without a stamp, a level after three words or
			 * at the end is the sentence's ("disk check
			 * returned WARN"): no header. */
			if (stamp_tokens == 0 && (words >= 3 ||
			    scan_tok(&sc, i + 1) == NULL))
				break;
			span_set(&h->level, lp, ln);
			level = 1;
			i++;
			break;
		}
		if (t->n == 1 && t->p[0] == '-') {
			if ((at = access_log(&sc, i, h)) != 0)
				return finish(line, full, at, content);
			/* Far into the line, a lone '-' is a value left
			 * empty (an access log's size of a 304): no header
			 * has that many fields before its dash. */
			if (fields > HEADER_DASH_FIELDS)
				break;
			if (fields > 0) {
				if (prev != NULL && h->source.p == NULL)
					source_set(h, prev->p, prev->n);
				/* Python's "stamp - name - LEVEL - message". */
				if ((t = scan_tok(&sc, i + 1)) != NULL &&
				    level_word(t, 0, &lp, &ln) &&
				    (u = scan_tok(&sc, i + 2)) != NULL &&
				    u->n == 1 && u->p[0] == '-') {
					span_set(&h->level, lp, ln);
					i += 2;
				}
				return finish(line, full, sc.end[i], content);
			}
			i++;	/* "stamp - LEVEL": a separator */
			continue;
		}
		if (is_source(t) && words <= 2) {
			if (!strong && !level)
				break;
			/* A level in any case that ends in ':' is no source
			 * (PostgreSQL's "ERROR:  relation ...", PHP's "PHP
			 * Warning:  ..."). */
			if (!t->bracket && colon_level(t, &lp, &ln)) {
				span_set(&h->level, lp, ln);
				level = 1;
				i++;
				break;
			}
			/* "Backup failed: 3 files skipped": a sentence,
			 * which starts with a capital where a host name
			 * would not ("web1 haveged:" is one). */
			if (fields > 0 && (u = scan_tok(&sc, i - fields)) !=
			    NULL && is_capitalised(u) && is_outcome(t))
				break;
			/* macOS: "launchd[1] (com.apple...WebContent.35563):",
			 * the program and its pid, then what it speaks of. */
			if (t->p[0] == '(' && prev != NULL && !prev->bracket &&
			    prev->n > 1 && prev->p[prev->n - 1] == ']') {
				source_set(h, prev->p, prev->n);
				if (fields > 1 && (u = scan_tok(&sc, i - 2)) !=
				    NULL && !u->bracket)
					span_set(&h->host, u->p, u->n);
				return finish(line, full, sc.end[i], content);
			}
			source_set(h, t->p, t->n - 1);
			if (fields > 0 && prev != NULL && !prev->bracket)
				span_set(&h->host, prev->p, prev->n);
			return finish_source(line, full, sc.end[i], content, h);
		}
		if (!field_stamp && !t->bracket && is_digit((unsigned char)
		    t->p[0]) && stamp_part(t->p, t->n) == 2) {
			field_stamp = 1;
			stamp_at = i + 1;
		}
		if (h->time.p == NULL && t->bracket)
			lead_stamp(t, &h->time);
		/* Fields before a source are a host and a program; three
		 * plain words are a sentence ("user alice logged in: ok"). */
		if (!t->bracket && is_plain_word(t))
			words++;
		prev = t;
		fields++;
		i++;
	}
	if (level) {
		if (h->time.p == NULL && field_stamp)
			field_time(&sc, stamp_at - 1, &h->time);
		lvl_end = scan_pos(&sc, i);
		if (h->time.p == NULL)
			i = level_stamp(&sc, i, &h->time);
		if (after_level(&sc, i, h->level.len == 1, full, content, h))
			return 1;
		if ((at = column_source(&sc, i, lvl_end, h)) != 0)
			return finish(line, full, at, content);
		/* After the level: bracketed groups and a source belong to
		 * the header; without a source the message starts right
		 * after the level. */
		for (j = i; (t = scan_tok(&sc, j)) != NULL && t->bracket; j++)
			;
		/* A component named before the level ("RAS KERNEL INFO
		 * ciod: ..."): a word and a colon after it is the message's
		 * own, a daemon the kernel speaks of. */
		if (t != NULL && j == i && prev != NULL && !prev->bracket &&
		    is_plain_word(prev) && is_source(t)) {
			struct tok w = *t;

			w.n--;
			if (is_plain_word(&w))
				return finish(line, full, scan_pos(&sc, i),
				    content);
		}
		if (t != NULL && is_source(t)) {
			source_set(h, t->p, t->n - 1);
			return finish_source(line, full, sc.end[j], content, h);
		}
		if (t != NULL && t->n == 1 && t->p[0] == '-')
			return finish(line, full, sc.end[j], content);
		if (t != NULL && (at = named_dash(&sc, j)) != 0) {
			span_set(&h->source, t->p, t->n);
			return finish(line, full, at, content);
		}
		/* "INFO nova.compute.manager [req-1 - -] message": a dotted
		 * module and its bracketed context.  One group only: what
		 * follows it ("[instance: 42] Terminating") the program
		 * wrote as part of the message. */
		if ((t = scan_tok(&sc, i)) != NULL && is_module(t) &&
		    (u = scan_tok(&sc, i + 1)) != NULL && u->bracket &&
		    u->p[0] == '[') {
			span_set(&h->source, t->p, t->n);
			return finish(line, full, sc.end[i + 1], content);
		}
		return finish(line, full, scan_pos(&sc, i), content);
	}

	/* 3. A stamp among the fields, then the stamp alone.  After a
	 * stamp of its own, a date among the words is the message's
	 * ("stamp req api/2 0/1/23 200 done"). */
	if (field_stamp && !strong) {
		if (h->time.p == NULL)
			field_time(&sc, stamp_at - 1, &h->time);
		for (j = stamp_at, k = 0; k < 3; k++, j++)
			if ((t = scan_tok(&sc, j)) == NULL || t->n > 5 ||
			    !all_digits(t->p + (t->p[0] == '-'), t->n -
			    (t->p[0] == '-')))
				break;
		return finish(line, full, scan_pos(&sc, j), content);
	}
	if (strong)
		return finish(line, full, stamp_end, content);
	/* A stamp in a bracketed field: a time, but the line is all
	 * message ("1.2.3.4 - - [27/Nov/2026:01:02:03 +0000] \"GET ..."). */
	if (h->time.p != NULL)
		return finish(line, full, 0, content);
	memset(h, 0, sizeof *h);
	return 0;
}
