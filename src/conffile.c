/*
 * The configuration file reader.  The format is a list of long options,
 * so a file says nothing the command line cannot and the manual documents
 * both at once:
 *
 *	# aiopsfilter.conf
 *	format <Date> <Time> <Level> <Component>: <Content>
 *	mask SESSION sess-[0-9a-f]{8}
 *	threshold 12
 *	show-class
 *
 * A line holds a name (letters, digits and '-'), then optionally
 * whitespace and a value that runs to the end of the line, trailing
 * whitespace cut.  The value is taken as it is: no quoting, no escapes,
 * no comments after it (a regex may hold '#').  The module reads and
 * splits; options.c knows the options and checks names and values.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conffile.h"
#include "xmalloc.h"

#define CONFFILE_LINE_MAX	(64u << 10)	/* bytes in a line */
#define CONFFILE_LINES	4096		/* options in a file */

static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

void
conffile_free(struct conffile *cf)
{
	size_t i;

	if (cf == NULL)
		return;
	for (i = 0; i < cf->n; i++) {
		free(cf->entry[i].name);
		free(cf->entry[i].value);
	}
	free(cf->entry);
	free(cf->path);
	free(cf);
}

/*
 * A name as a message can show it: bytes that are not printable ASCII
 * as \xNN (a binary file given to -c, a stray BOM), at most 32 of them.
 */
static char *
shown(const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *out, *o;
	size_t i, max = n > 32 ? 32 : n;

	o = out = xmalloc(4 * max + 4);
	for (i = 0; i < max; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= ' ' && c < 0x7f) {
			*o++ = (char)c;
			continue;
		}
		*o++ = '\\';
		*o++ = 'x';
		*o++ = hex[c >> 4];
		*o++ = hex[c & 15];
	}
	if (max < n)
		o += sprintf(o, "...");
	*o = '\0';
	return out;
}

/* Split one line (NUL-terminated, no newline) into cf; 0 or -1. */
static int
conffile_line(struct conffile *cf, char *s, unsigned lineno, char **cause)
{
	struct conffile_entry *e;
	char *name, *value, *end;

	/* Editors on some systems begin a UTF-8 file with a byte order
	 * mark. */
	if (lineno == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (is_blank((unsigned char)*s))
		s++;
	if (*s == '\0' || *s == '#')
		return 0;
	end = s + strlen(s);
	while (end > s && is_blank((unsigned char)end[-1]))
		*--end = '\0';
	name = s;
	while (*s != '\0' && !is_blank((unsigned char)*s)) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-')) {
			char *bad = shown(name, strcspn(name, " \t"));

			/* "threshold=12", as on the command line. */
			xasprintf(cause, "%s:%u: bad option name '%s'%s",
			    cf->path, lineno, bad, *s == '=' ? " (a line is "
			    "a name, whitespace and its value)" : "");
			free(bad);
			return -1;
		}
		s++;
	}
	if (*s != '\0')
		*s++ = '\0';
	while (is_blank((unsigned char)*s))
		s++;
	value = *s != '\0' ? s : NULL;
	if (strcmp(name, "mask") == 0 && value != NULL) {
		/* "mask NAME REGEX" is "--mask=NAME=REGEX". */
		char *sp = value + strcspn(value, " \t");

		if (*sp != '\0' && memchr(value, '=', (size_t)(sp - value)) ==
		    NULL) {
			*sp++ = '=';
			while (is_blank((unsigned char)*sp))
				memmove(sp, sp + 1, strlen(sp));
		}
	}
	if (cf->n == CONFFILE_LINES) {
		xasprintf(cause, "%s:%u: more than %u options", cf->path,
		    lineno, CONFFILE_LINES);
		return -1;
	}
	cf->entry = xreallocarray(cf->entry, cf->n + 1, sizeof *cf->entry);
	e = &cf->entry[cf->n++];
	e->name = xstrdup(name);
	e->value = value != NULL ? xstrdup(value) : NULL;
	e->line = lineno;
	return 0;
}

struct conffile *
conffile_read(const char *path, char **cause)
{
	struct conffile *cf;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	cf = conffile_read_stream(f, path, cause);
	fclose(f);
	return cf;
}

struct conffile *
conffile_read_stream(FILE *f, const char *path, char **cause)
{
	struct conffile *cf;
	char *buf;
	size_t n;
	unsigned lineno = 0;
	int c;

	cf = xcalloc(1, sizeof *cf);
	cf->path = xstrdup(path);
	buf = xmalloc(CONFFILE_LINE_MAX + 1);
	for (;;) {
		n = 0;
		while ((c = getc(f)) != EOF && c != '\n') {
			if (n == CONFFILE_LINE_MAX) {
				xasprintf(cause, "%s:%u: line too long",
				    path, lineno + 1);
				goto fail;
			}
			if (c == '\0') {
				xasprintf(cause, "%s:%u: NUL byte", path,
				    lineno + 1);
				goto fail;
			}
			buf[n++] = (char)c;
		}
		if (c == EOF && n == 0)
			break;
		buf[n] = '\0';
		if (conffile_line(cf, buf, ++lineno, cause) == -1)
			goto fail;
		if (c == EOF)
			break;
	}
	if (ferror(f)) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto fail;
	}
	free(buf);
	return cf;
fail:
	free(buf);
	conffile_free(cf);
	return NULL;
}
