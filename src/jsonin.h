/*
 * JSON lines input: check that a line is one JSON object, find fields in
 * it by dotted path ("kubernetes.pod_name"), and unescape a string value.
 * Nothing here allocates per line: values are views into the line, and
 * unescaping writes into a buffer the caller keeps and reuses.
 */
#ifndef JSONIN_H
#define JSONIN_H

#include <stddef.h>
#include <stdint.h>

#include "format.h"
#include "members.h"

#define JSON_MAX_DEPTH	64	/* deeper nesting is refused, not recursed */
#define JSON_MAX_PATHS	32	/* paths looked up in one pass */
#define JSON_MAX_SEGS	16	/* dots in a path, plus one */

enum json_type {
	JSON_NONE = 0,		/* not there (json_find() zeroes vals) */
	JSON_STRING,
	JSON_NUMBER,
	JSON_OBJECT,
	JSON_ARRAY,
	JSON_TRUE,
	JSON_FALSE,
	JSON_NULL,
};

/*
 * A value found in a line: its raw text, a view into the line.  For a
 * string, p and len are what lies between the quotes, still escaped.
 */
struct json_value {
	enum json_type	 type;
	const char	*p;
	size_t		 len;
	int		 escaped;	/* a string holding backslashes */
};

/* A field path: object keys from the top, split at dots. */
struct json_path {
	char		*spec;		/* owned copy the segments point into */
	size_t		 nseg;
	struct {
		const char	*p;
		size_t		 len;
	}		 seg[JSON_MAX_SEGS];
};

/*
 * Compile "a.b.c" into *path.  Returns 0, or -1 with *cause (allocated)
 * when the path is empty, has an empty segment or too many.  A key with a
 * dot in its name cannot be named by a path.
 */
int	json_path_parse(struct json_path *path, const char *spec, char **cause);
void	json_path_free(struct json_path *path);

/*
 * Check that text[0..len) is exactly one JSON object (RFC 8259, UTF-8,
 * whitespace around it allowed) and, in the same pass, find each of
 * paths[0 .. n): vals[i] is the value at paths[i], or type JSON_NONE.
 * Paths go through objects only, never into arrays; when a key repeats,
 * the first one counts.  Returns 0, or -1 when the text is not one JSON
 * object (vals are then undefined).  O(len), no allocation, recursion
 * bounded by JSON_MAX_DEPTH; n is at most JSON_MAX_PATHS.
 */
int	json_find(const char *text, size_t len, const struct json_path *paths,
	    size_t n, struct json_value *vals);

/*
 * json_find(), and in the same pass the members of the top object that
 * no path names, whose values are strings without escapes, numbers,
 * true or false, and whose keys have no escapes and do not start with
 * '_' (journald's trusted fields, a store's "_id"), in the order they
 * come: the first MEMBERS_MAX such into *members.
 */
int	json_find_members(const char *text, size_t len,
	    const struct json_path *paths, size_t n, struct json_value *vals,
	    struct record_members *members);

/*
 * The value's text for a reader: a string unescaped (\uXXXX to UTF-8, a
 * lone surrogate to U+FFFD), anything else as written.  Writes into
 * *buf, grown with xreallocarray as needed and kept by the caller in
 * *cap for the next call, and returns the length.
 */
size_t	json_text(const struct json_value *, char **buf, size_t *cap);

/*
 * The message finder main uses: the JSON lines mode with its field
 * choice and its counters.
 */
struct jsonin;

/*
 * field: a path, or NULL for the first of "log", "message", "msg" and
 * "MESSAGE" that the line has.  key: a path naming each line's source,
 * or NULL.  With only_braces, a line whose first byte other than white
 * space is not '{' is plain text and not counted as malformed (the
 * per-line automatic mode).  On failure *cause (allocated) names the
 * option at fault, "--field: ..." or "--key: ...".
 */
struct jsonin	*jsonin_new(const char *field, const char *key,
		    int only_braces, char **cause);
void		 jsonin_free(struct jsonin *);

/*
 * The length of the wrapper a container runtime (CRI: containerd,
 * CRI-O) puts around each line a container writes, "2026-11-27T10:00:01.
 * 123456789Z stdout F ", or 0.  The payload after it is the line.
 */
size_t		 jsonin_wrapper(const char *line, size_t len);

/*
 * Does text[0..len) look like a JSON object, '{' to '}' with white space
 * around?  A guess for text that is not parsed as JSON, not a check.
 */
int		 jsonin_looks_like(const char *text, size_t len);

/*
 * What a record holds besides its message, as views into the line:
 * {NULL, 0} where it has nothing.  The time is the first of the fields
 * "time", "timestamp", "@timestamp", "ts", "date", "datetime" and
 * journald's "__REALTIME_TIMESTAMP" (or the stamp of a container
 * runtime's wrapper); the level the first of "level", "severity", "lvl",
 * "loglevel", "log_level", "levelname" and journald's "PRIORITY" (a
 * digit, 0 emerg to 7 debug: then priority is set).  A string holding
 * escapes is no time or level and is left out.  The members are the top
 * object's others (json_find_members()) but those one of the paths
 * looked up names: a record's time and level fields all, its message
 * field and its source.
 */
struct json_record {
	struct span	 msg;
	struct span	 key;		/* with a key path; a buffer of its own */
	struct span	 time;
	struct span	 level;
	int		 priority;
	struct record_members members;	/* the rest, as a line's values */
};

/*
 * Find the message of one line, or of the payload of a line in a
 * container runtime's wrapper.  Returns 1 and sets rec->msg (into the
 * jsonin's buffer, valid until the next call) when the line is a JSON
 * object with the field; 0 when it is an object without it (rec->msg is
 * then {NULL, 0}); -1 when it is not a JSON object, and rec says
 * nothing.  The caller then judges the whole line.  A message ending in
 * a newline (Docker's "log") loses that newline.  The source, when the
 * jsonin has a key path and the object that field, is in rec->key.
 */
int		 jsonin_message(struct jsonin *, const char *line, size_t len,
		    struct json_record *rec);

uint64_t	 jsonin_malformed(const struct jsonin *);	/* -1 returns */
uint64_t	 jsonin_missing(const struct jsonin *);		/* 0 returns */

#endif
