/*
 * The severity prior.  A surprise in a line that says it is bad is worth
 * more to the person reading than one in a chatty debug line, so lines
 * get bits for their level (the log odds, roughly, that a line of that
 * level is a problem):
 *
 *   emerg alert crit critical fatal panic severe    +4
 *   error err failure                                +3
 *   warn warning                                     +1
 *   notice info                                       0
 *   debug trace verbose fine                         -2
 *
 * A message with no level of its own gets +2 once if a constant word of
 * it says something went wrong (error, exception, failed, refused,
 * timeout, panic, ...), and an HTTP status adds +3 for 5xx, +0.5 for
 * 4xx.  --severity-weight scales all of it.  Comparisons ignore case and
 * the brackets, colons and such that logs put around levels.
 */
#include "config.h"

#include <string.h>

#include "severity.h"
#include "tokenize.h"

#define LEVEL_SCAN	3	/* leading tokens that may be a level */

struct word {
	const char	*w;
	double		 bits;
};

static const struct word levels[] = {
	{ "emerg", 4 }, { "emergency", 4 }, { "alert", 4 }, { "crit", 4 },
	{ "critical", 4 }, { "fatal", 4 }, { "panic", 4 }, { "severe", 4 },
	{ "error", 3 }, { "err", 3 }, { "failure", 3 },
	{ "warn", 1 }, { "warning", 1 },
	{ "notice", 0 }, { "info", 0 }, { "information", 0 },
	{ "debug", -2 }, { "trace", -2 }, { "verbose", -2 }, { "fine", -2 },
	{ "finer", -2 }, { "finest", -2 },
};

static const char *const bad[] = {
	"error", "errors", "exception", "fail", "failed", "failure",
	"fatal", "panic", "denied", "refused", "timeout", "abort", "aborted",
	"aborting", "crash", "crashed", "critical", "corrupt", "corrupted",
	"unreachable", "killed", "segfault", "unable", "overflow",
};

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

int
severity_level(const char *s, size_t len, double *bits)
{
	char buf[16];
	size_t i;

	if (clean(s, len, buf, sizeof buf) == 0)
		return 0;
	for (i = 0; i < sizeof levels / sizeof levels[0]; i++) {
		if (strcmp(buf, levels[i].w) == 0) {
			*bits = levels[i].bits;
			return 1;
		}
	}
	return 0;
}

double
severity_words(const struct tokens *tk)
{
	char buf[16];
	double bits;
	size_t i, k;

	for (i = 0; i < tk->n && i < LEVEL_SCAN; i++) {
		const struct token *t = &tk->tok[i];

		/* A level is a word of its own, as logs write it. */
		if (!(t->flags & TOKEN_VAR) && t->rawlen <= 12 &&
		    severity_level(t->raw, t->rawlen, &bits))
			return bits;
	}
	for (i = 0; i < tk->n; i++) {
		const struct token *t = &tk->tok[i];

		if ((t->flags & TOKEN_VAR) || t->rawlen > 14 ||
		    clean(t->raw, t->rawlen, buf, sizeof buf) == 0)
			continue;
		for (k = 0; k < sizeof bad / sizeof bad[0]; k++)
			if (strcmp(buf, bad[k]) == 0)
				return 2;
	}
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
