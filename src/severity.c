/*
 * The severity prior.  A surprise in a line that says it is bad is worth
 * more to the person reading than one in a chatty debug line, so lines
 * get bits for their level (the log odds, roughly, that a line of that
 * level is a problem):
 *
 *   emerg emergency alert crit critical fatal ftl panic severe  +4
 *   error err eror failure                                     +3
 *   warn warning wrn                                           +1
 *   notice note info inf information                            0
 *   debug dbug dbg trace trce trc verbose fine finer finest    -2
 *
 * (eror, dbug, trce: log15's four letters, in Grafana and geth; ftl,
 * wrn, inf, dbg, trc: zerolog's three, in its console output.)
 *
 * (score.c scales a prior below 0 down by the share of the log at such
 * levels, to 0 in a log mostly at them.)
 *
 * A message with no level of its own gets +2 once if a constant word of
 * it says something went wrong (error, exception, failed, refused,
 * timeout, panic, assert, ...), and an HTTP status adds +3 for 5xx, +0.5 for
 * 4xx.  --severity-weight scales all of it.  Comparisons ignore case and
 * the brackets, colons and such that logs put around levels.
 *
 * --severity-words replaces the list of words (or extends it, after a
 * "+"): at most SEVERITY_WORDS words of at most SEVERITY_WORD_LEN bytes,
 * kept in static storage.  It is one list for the process, set while the
 * options are read, before any engine judges a line.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "severity.h"
#include "tokenize.h"
#include "xmalloc.h"

#define LEVEL_SCAN	3	/* leading tokens that may be a level */

struct word {
	const char	*w;
	size_t		 len;
	double		 bits;
	int		 field;	/* a level only in a header's level field */
};

/* Words that are levels only where a header puts its level: "note" and
 * zerolog's three letters are words or abbreviations in a sentence too
 * ("Please note the backup failed"), where they must not stand for a
 * level and hide the line's own words. */
#define W(s, b)	{ s, sizeof s - 1, b, 0 }
#define F(s, b)	{ s, sizeof s - 1, b, 1 }
static const struct word levels[] = {
	W("emerg", 4), W("emergency", 4), W("alert", 4), W("crit", 4),
	W("critical", 4), W("fatal", 4), F("ftl", 4), W("panic", 4),
	W("severe", 4),
	W("error", 3), W("err", 3), W("eror", 3), W("failure", 3),
	W("warn", 1), W("warning", 1), F("wrn", 1),
	W("notice", 0), F("note", 0), W("info", 0), F("inf", 0),
	W("information", 0),
	W("debug", -2), W("dbug", -2), F("dbg", -2), W("trace", -2),
	W("trce", -2), F("trc", -2),
	W("verbose", -2), W("fine", -2),
	W("finer", -2), W("finest", -2),
};
#undef W
#undef F

static const char *const builtin[] = {
	"error", "errors", "exception", "fail", "failed", "failure",
	"fatal", "panic", "denied", "refused", "timeout", "abort", "aborted",
	"aborting", "crash", "crashed", "critical", "corrupt", "corrupted",
	"unreachable", "killed", "segfault", "unable", "overflow", "assert",
	"assertion",
};
#define NBUILTIN	(sizeof builtin / sizeof builtin[0])
#define BUILTIN_LEN	11	/* the longest: "unreachable" */

/* The list in use: the built-in one until set. */
static char		 set_words[SEVERITY_WORDS][SEVERITY_WORD_LEN + 1];
static const char	*custom[SEVERITY_WORDS + NBUILTIN];
static const char *const *bad = builtin;
static size_t		 nbad = NBUILTIN;
/* Longer tokens are not looked at: a word and a little punctuation. */
static size_t		 bad_raw_max = BUILTIN_LEN + 3;

/* s without surrounding punctuation, lower-cased into buf; its length. */
static size_t
clean(const char *s, size_t len, char *buf, size_t cap)
{
	size_t i, n = 0;

	while (len > 0 && !((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z')) {
		s++;
		len--;
	}
	while (len > 0 && !((s[len - 1] | 0x20) >= 'a' &&
	    (s[len - 1] | 0x20) <= 'z'))
		len--;
	if (len == 0 || len >= cap)
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		buf[n++] = c;
	}
	buf[n] = '\0';
	return n;
}

#define NLEVELS		(sizeof levels / sizeof levels[0])
#define LEVEL_BUCKET	8	/* most levels with one first letter: 'f' has 6 */

/* By first letter, the levels that start with it, in table order: a look
 * at two or three words instead of all of them. */
static unsigned char	 level_bucket[26][LEVEL_BUCKET];
static unsigned char	 level_count[26];

static void __attribute__((constructor))
severity_init(void)
{
	size_t i;
	int c;

	for (i = 0; i < NLEVELS; i++) {
		c = levels[i].w[0] - 'a';
		if (level_count[c] < LEVEL_BUCKET)
			level_bucket[c][level_count[c]++] = (unsigned char)i;
	}
}

/* A level word, in a level field (field) or anywhere. */
static int
level_of(const char *s, size_t len, int field, double *bits)
{
	const struct word *lv;
	char buf[16];
	size_t i, n;
	int c;

	if ((n = clean(s, len, buf, sizeof buf)) == 0)
		return 0;
	/* clean() leaves a lower case letter first. */
	c = buf[0] - 'a';
	for (i = 0; i < level_count[c]; i++) {
		lv = &levels[level_bucket[c][i]];
		if (lv->len == n && memcmp(buf, lv->w, n) == 0 &&
		    (field || !lv->field)) {
			*bits = lv->bits;
			return 1;
		}
	}
	return 0;
}

int
severity_level(const char *s, size_t len, double *bits)
{
	return level_of(s, len, 1, bits);
}

size_t
severity_priority(const char *s, size_t len, unsigned *pri)
{
	unsigned v = 0;
	size_t i;

	if (len < 3 || s[0] != '<')
		return 0;
	for (i = 1; i < len && i <= 4 && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	if (i == 1 || i > 4 || i >= len || s[i] != '>' || v > 191)
		return 0;
	*pri = v;
	return i + 1;
}

/* A syslog priority's low three bits, 0 emerg to 7 debug. */
static const double pri_bits[] = { 4, 4, 4, 3, 1, 0, 0, -2 };

int
severity_field(const char *s, size_t len, double *bits)
{
	static const char letters[] = "vdiwefa";
	static const double letter_bits[] = { -2, -2, 0, 1, 3, 4, 4 };
	static const char marks[] = ".*#";
	static const double mark_bits[] = { -2, 0, 1 };
	const char *at;
	char buf[4];
	unsigned pri;

	if (len > 0 && s[0] == '<' && severity_priority(s, len, &pri) == len) {
		*bits = pri_bits[pri & 7];
		return 1;
	}
	/* Redis's marks: . debug, * notice, # warning. */
	if (len == 1 && s[0] != '\0' && (at = strchr(marks, s[0])) != NULL) {
		*bits = mark_bits[at - marks];
		return 1;
	}

	/* One letter, as logcat and glog write a level: a word of its own
	 * only in a field that holds the level.  ("[E]" at most: longer
	 * fields go straight on.) */
	if (len <= 3 && clean(s, len, buf, sizeof buf) == 1 &&
	    (at = strchr(letters, buf[0])) != NULL) {
		*bits = letter_bits[at - letters];
		return 1;
	}
	return severity_level(s, len, bits);
}

int
severity_record(const char *s, size_t len, int priority, double *bits)
{
	/* bunyan and pino: 10 trace, 20 debug, 30 info ... 60 fatal. */
	static const double number_bits[] = { -2, -2, 0, 1, 3, 4 };

	if (priority) {
		if (len != 1 || s[0] < '0' || s[0] > '7')
			return 0;
		*bits = pri_bits[s[0] - '0'];
		return 1;
	}
	if (len == 2 && s[0] >= '1' && s[0] <= '6' && s[1] == '0') {
		*bits = number_bits[s[0] - '1'];
		return 1;
	}
	return severity_field(s, len, bits);
}

size_t
severity_level_key(const char *s, size_t len)
{
	static const char *const keys[] = {
		"level=", "lvl=", "severity=", "loglevel=", "log_level="
	};
	size_t k, n;

	if (len < 5 || ((s[0] | 0x20) != 'l' && (s[0] | 0x20) != 's'))
		return 0;	/* cheap reject: no such key */
	for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		n = strlen(keys[k]);
		if (len > n && strncasecmp(s, keys[k], n) == 0)
			return n;
	}
	return 0;
}

/* "level=error", "lvl=warn", "severity=\"ERROR\"": a level by its key. */
static int
level_pair(const char *s, size_t len, double *bits)
{
	size_t n;

	if (len > 24 || (n = severity_level_key(s, len)) == 0)
		return 0;
	return severity_field(s + n, len - n, bits);
}

double
severity_words(const struct tokens *tk)
{
	char word[SEVERITY_WORD_LEN + 8];
	double bits;
	size_t i, k;

	for (i = 0; i < tk->n && i < LEVEL_SCAN; i++) {
		const struct token *t = &tk->tok[i];

		/* A level is a word of its own, as logs write it, or the
		 * value of a level key (logfmt: "level=error"). */
		if (!(t->flags & TOKEN_VAR) && t->rawlen <= 12 &&
		    level_of(t->raw, t->rawlen, 0, &bits))
			return bits;
		if (level_pair(t->raw, t->rawlen, &bits))
			return bits;
	}
	for (i = 0; i < tk->n; i++) {
		const struct token *t = &tk->tok[i];
		const char *p = t->raw;
		size_t n = t->rawlen;

		if (t->flags & TOKEN_VAR)
			continue;
		/* Of a pair, the value: msg="failed, status=refused. */
		for (k = n; k > 0 && p[k - 1] != '='; k--)
			;
		p += k;
		n -= k;
		if (n > bad_raw_max || clean(p, n, word, sizeof word) == 0)
			continue;
		/* The first letter first: a new template asks this of
		 * every word it has. */
		for (k = 0; k < nbad; k++)
			if (word[0] == bad[k][0] && strcmp(word, bad[k]) == 0)
				return 2;
	}
	return 0;
}

int
severity_set_words(const char *list, char **cause)
{
	char got[SEVERITY_WORDS][SEVERITY_WORD_LEN + 1];
	const char *p = list, *e;
	size_t n = 0, k, len, max = 0;
	int extend = *p == '+';

	/* Read the whole list first: a bad one changes nothing. */
	for (p += extend; *p != '\0'; p = *e == ',' ? e + 1 : e) {
		for (e = p; *e != '\0' && *e != ','; e++)
			continue;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (p == e)
			continue;
		if ((size_t)(e - p) > SEVERITY_WORD_LEN) {
			xasprintf(cause, "'%.*s' is longer than %d bytes",
			    (int)(e - p), p, SEVERITY_WORD_LEN);
			return -1;
		}
		if (n == SEVERITY_WORDS) {
			xasprintf(cause, "more than %d words", SEVERITY_WORDS);
			return -1;
		}
		if ((len = clean(p, (size_t)(e - p), got[n],
		    sizeof got[n])) == 0) {
			xasprintf(cause, "'%.*s' has no letters", (int)(e - p),
			    p);
			return -1;
		}
		if (len > max)
			max = len;
		n++;
	}
	for (k = 0; k < n; k++)
		memcpy(set_words[k], got[k], sizeof got[k]);
	nbad = 0;
	if (extend) {
		for (k = 0; k < NBUILTIN; k++)
			custom[nbad++] = builtin[k];
		if (max < BUILTIN_LEN)
			max = BUILTIN_LEN;
	}
	for (k = 0; k < n; k++)
		custom[nbad++] = set_words[k];
	bad = custom;
	bad_raw_max = max + 3;
	return 0;
}

double
severity_status(const char *s, size_t len)
{
	if (len != 3 || s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9')
		return 0;
	if (s[0] == '5')
		return 3;
	if (s[0] == '4')
		return 0.5;
	return 0;
}
