/*
 * Header formats: split a log line into its header fields and the message
 * (the "content") that the parser learns templates from.
 */
#ifndef FORMAT_H
#define FORMAT_H

#include <stddef.h>

#define FORMAT_MAX_FIELDS	32

struct span {
	const char	*p;
	size_t		 len;
};

struct format;

/* Loghub syntax: "<Date> <Time> <Level> \[<Proc>\] <Component>: <Content>". */
struct format	*format_compile(const char *spec, char **cause);
/* A pcre2 pattern with named groups; "content" (any case) is required. */
struct format	*format_compile_regex(const char *pattern, char **cause);

/*
 * A named preset: syslog (RFC 3164), rfc5424, nginx and apache (combined
 * access logs), iso8601 (a leading ISO 8601 stamp, then maybe a level),
 * journal (journalctl -o short-iso).  Returns NULL if name is none of
 * them.  Preset fields are named time, host, level, source, pid.
 */
struct format	*format_compile_preset(const char *name, char **cause);
/* The preset names, separated by ", ", for messages. */
const char	*format_preset_names(void);
void		 format_free(struct format *);

/*
 * Match one line.  On a match, returns 1, sets *content and fills
 * fields[0 .. format_nfields()) (a field an optional group skipped is
 * {NULL, 0}).  Returns 0 when the line does not match; the caller then
 * treats the whole line as the message.
 */
int		 format_split(struct format *, const char *, size_t,
		    struct span *content, struct span *fields);
size_t		 format_nfields(const struct format *);
const char	*format_field_name(const struct format *, size_t);
/* Index of a field by name, ignoring case, or -1. */
int		 format_field_index(const struct format *, const char *);

#endif
