/*
 * Severity: how many bits a line's own words about its badness add to
 * its score (its level, or words such as "failed"; an HTTP 5xx status).
 */
#ifndef SEVERITY_H
#define SEVERITY_H

#include <stddef.h>

struct tokens;

/* Bits for a level such as "ERROR", "warn", "[crit]", "[Note]", as a
 * header's level field holds it; 0 if unknown. */
int	severity_level(const char *, size_t, double *bits);

/* The length of the syslog priority ("<34>") that s[0..len) starts
 * with, 0 if none; *pri gets its value, 0 to 191. */
size_t	severity_priority(const char *s, size_t len, unsigned *pri);

/* The length of the level key ("level=", "lvl=", "severity=",
 * "loglevel=", "log_level=", any case) that s[0..len) starts with, when
 * a value follows; else 0. */
size_t	severity_level_key(const char *s, size_t len);

/* The same for a header field that holds the level, where one letter is
 * one too (V D I W E F A: logcat, glog), and so are a syslog priority
 * ("<34>": its low three bits) and Redis's marks (. * #). */
int	severity_field(const char *, size_t, double *bits);

/* The same for a JSON record's level: also bunyan's and pino's numbers
 * (10 trace to 60 fatal) and, with priority, journald's PRIORITY digit
 * (0 emerg to 7 debug). */
int	severity_record(const char *, size_t, int priority, double *bits);

/*
 * Bits for a message without a level: the first tokens may carry one
 * ("ERROR db: ..."), else any of the words that say something went
 * wrong ("failed", "refused", "timeout", ...) counts once.
 */
double	severity_words(const struct tokens *);

#define SEVERITY_WORDS		256	/* words of --severity-words */
#define SEVERITY_WORD_LEN	31	/* bytes of one */

/*
 * Set the words that say something went wrong, from a list separated by
 * commas: "oom,throttled" replaces the built-in words, "+oom,throttled"
 * adds to them, "" leaves none.  Case and the punctuation around a word
 * are ignored.  Returns 0, or -1 with *cause set.  Process-wide: call it
 * before any line is judged.
 */
int	severity_set_words(const char *list, char **cause);

/* Bits for an HTTP status: 5xx, 4xx. */
double	severity_status(const char *, size_t);

#endif
