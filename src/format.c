/*
 * Header formats.  A format is compiled once into a pcre2 pattern (JIT
 * when the library has it) with one named group per field; matching a
 * line yields the spans of its fields and of its message.
 *
 * The Loghub syntax, as used by the Loghub benchmark: "<Name>" is a field,
 * everything else is regex text, except that a run of spaces matches any
 * run of whitespace.  So "\[" is a literal bracket and "(\[<PID>\])?" an
 * optional group.  Each field matches lazily and the pattern is anchored
 * at both ends, so the last field ("<Content>", normally) takes the rest.
 *
 * This module owns the compiled pattern and one match block; it is not
 * safe to use one format from two threads at once.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <ctype.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format.h"
#include "xmalloc.h"

struct format {
	pcre2_code		*re;
	pcre2_match_data	*md;
	size_t			 nfields;
	char			*names[FORMAT_MAX_FIELDS];
	int			 groups[FORMAT_MAX_FIELDS];	/* capture numbers */
	int			 content;	/* field index of the message */
};

/* A growable string with a map from each byte back to a spec offset. */
struct pat {
	char	*s;
	size_t	*from;
	size_t	 len, cap;
};

static void
pat_add(struct pat *p, const char *s, size_t n, size_t spec_off)
{
	size_t i;

	if (p->len + n + 1 > p->cap) {
		while (p->len + n + 1 > p->cap)
			p->cap = p->cap ? p->cap * 2 : 128;
		p->s = xreallocarray(p->s, p->cap, 1);
		p->from = xreallocarray(p->from, p->cap, sizeof *p->from);
	}
	memcpy(p->s + p->len, s, n);
	for (i = 0; i < n; i++)
		p->from[p->len + i] = spec_off;
	p->len += n;
	p->s[p->len] = '\0';
}

static void
pat_free(struct pat *p)
{
	free(p->s);
	free(p->from);
}

static int
is_name_char(int c, int first)
{
	return c == '_' || isalpha(c) || (!first && isdigit(c));
}

void
format_free(struct format *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nfields; i++)
		free(f->names[i]);
	pcre2_match_data_free(f->md);
	pcre2_code_free(f->re);
	free(f);
}

/*
 * Compile pattern; what names a field and which one is the content is
 * found from the pattern's named groups.  from maps pattern offsets back
 * to offsets in what the user wrote, for the error message.
 */
static struct format *
format_build(const char *what, const char *pattern, size_t len,
    const size_t *from, char **cause)
{
	struct format *f;
	PCRE2_SIZE erroff;
	PCRE2_SPTR table;
	uint32_t count, entry, i;
	int errcode;
	char msg[256];

	f = xcalloc(1, sizeof *f);
	f->content = -1;
	f->re = pcre2_compile((PCRE2_SPTR)pattern, len,
	    PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY, &errcode, &erroff, NULL);
	if (f->re == NULL) {
		pcre2_get_error_message(errcode, (PCRE2_UCHAR *)msg,
		    sizeof msg);
		/* Past the pattern is the spec's end, where its closing
		 * "$" stands. */
		if (from != NULL && len > 0)
			erroff = from[erroff < len ? erroff : len - 1];
		xasprintf(cause, "--%s: %s at offset %zu", what, msg,
		    (size_t)erroff);
		free(f);
		return NULL;
	}
	/* JIT is a speed-up only: without it the interpreter matches. */
	(void)pcre2_jit_compile(f->re, PCRE2_JIT_COMPLETE);
	f->md = pcre2_match_data_create_from_pattern(f->re, NULL);

	pcre2_pattern_info(f->re, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(f->re, PCRE2_INFO_NAMEENTRYSIZE, &entry);
	pcre2_pattern_info(f->re, PCRE2_INFO_NAMETABLE, &table);
	if (count > FORMAT_MAX_FIELDS) {
		xasprintf(cause, "--%s: more than %d fields", what,
		    FORMAT_MAX_FIELDS);
		format_free(f);
		return NULL;
	}
	/* The name table is sorted by name; keep it so. */
	for (i = 0; i < count; i++) {
		PCRE2_SPTR e = table + (size_t)i * entry;

		f->groups[i] = (e[0] << 8) | e[1];
		f->names[i] = xstrdup((const char *)e + 2);
		if (strcasecmp(f->names[i], "content") == 0)
			f->content = (int)i;
		f->nfields++;
	}
	if (f->content == -1) {
		xasprintf(cause, "--%s: no Content field", what);
		format_free(f);
		return NULL;
	}
	return f;
}

struct format *
format_compile(const char *spec, char **cause)
{
	struct pat p = { 0 };
	struct format *f;
	const char *s = spec, *q;
	char *seen[FORMAT_MAX_FIELDS];
	size_t nseen = 0, i;

	pat_add(&p, "^", 1, 0);
	while (*s != '\0') {
		size_t off = (size_t)(s - spec);

		if (*s == '<' && is_name_char((unsigned char)s[1], 1)) {
			for (q = s + 1; is_name_char((unsigned char)*q, 0); q++)
				;
			if (*q == '>') {
				size_t n = (size_t)(q - s - 1);

				if (n > 32 || nseen == FORMAT_MAX_FIELDS) {
					xasprintf(cause, "--format: "
					    "field name too long or too many "
					    "fields at offset %zu", off);
					goto fail;
				}
				for (i = 0; i < nseen; i++) {
					if (strlen(seen[i]) == n &&
					    strncmp(seen[i], s + 1, n) == 0) {
						xasprintf(cause, "--format: "
						    "field <%s> twice",
						    seen[i]);
						goto fail;
					}
				}
				seen[nseen++] = xstrndup(s + 1, n);
				pat_add(&p, "(?<", 3, off);
				pat_add(&p, s + 1, n, off);
				pat_add(&p, ">.*?)", 5, off);
				s = q + 1;
				continue;
			}
		}
		if (*s == ' ') {
			while (*s == ' ')
				s++;
			pat_add(&p, "\\s+", 3, off);
			continue;
		}
		if (*s == '\\' && s[1] == '\0') {
			/* Before the "$" added at the end it would escape
			 * that, and the format would match nothing. */
			xasprintf(cause, "--format: \\ at the end");
			goto fail;
		}
		if (*s == '\\') {
			pat_add(&p, s, 2, off);
			s += 2;
			continue;
		}
		pat_add(&p, s, 1, off);
		s++;
	}
	pat_add(&p, "$", 1, (size_t)(s - spec));
	f = format_build("format", p.s, p.len, p.from, cause);
	pat_free(&p);
	for (i = 0; i < nseen; i++)
		free(seen[i]);
	return f;
fail:
	pat_free(&p);
	for (i = 0; i < nseen; i++)
		free(seen[i]);
	return NULL;
}

/*
 * The presets, as pcre2 patterns.  Field names are the ones the manual
 * documents for --format-regex: time, host, level, source (the program
 * or component), pid; the message is content.
 */
#define LEVEL_WORDS	"TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|" \
			"CRIT|CRITICAL|FATAL|SEVERE|ALERT|EMERG"
#define ISO_STAMP	"\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d" \
			"(?:[.,]\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)?"

static const struct preset {
	const char	*name;
	const char	*pattern;
} presets[] = {
	/* RFC 3164's stamp, or the RFC 3339 one that rsyslog writes by
	 * default since Debian 12. */
	{ "syslog",
	  "^(?:<\\d{1,3}>)?(?<time>[A-Z][a-z]{2} [ \\d]\\d "
	  "\\d\\d:\\d\\d:\\d\\d|" ISO_STAMP ")\\s+(?<host>\\S+)\\s+"
	  "(?<source>[^\\s\\[:]+)(?:\\[(?<pid>\\d+)\\])?:\\s?"
	  "(?<content>.*)$" },
	{ "rfc5424",
	  "^(?:\\xef\\xbb\\xbf)?<\\d{1,3}>\\d{1,2} (?<time>\\S+) "
	  "(?<host>\\S+) (?<source>\\S+) (?<pid>\\S+) \\S+ "
	  "(?:-|(?:\\[(?:[^\\]\\\\]|\\\\.)*\\])+)"
	  "(?: (?:\\xef\\xbb\\xbf)?(?<content>.*))?$" },
	{ "nginx",
	  "^(?<host>\\S+) \\S+ \\S+ \\[(?<time>[^\\]]+)\\] "
	  "(?<content>\".*)$" },
	{ "apache",
	  "^(?<host>\\S+) \\S+ \\S+ \\[(?<time>[^\\]]+)\\] "
	  "(?<content>\".*)$" },
	{ "iso8601",
	  "^\\[?(?<time>" ISO_STAMP ")\\]?\\s+"
	  "(?:\\[?(?<level>" LEVEL_WORDS ")\\]?:?\\s+)?(?<content>.*)$" },
	{ "journal",
	  "^(?<time>" ISO_STAMP ") (?<host>\\S+) "
	  "(?<source>[^\\s\\[:]+)(?:\\[(?<pid>\\d+)\\])?: "
	  "(?<content>.*)$" },
};

struct format *
format_compile_preset(const char *name, char **cause)
{
	size_t i;
	char what[64];

	*cause = NULL;
	for (i = 0; i < sizeof presets / sizeof presets[0]; i++) {
		if (strcmp(name, presets[i].name) != 0)
			continue;
		snprintf(what, sizeof what, "format %s", name);
		return format_build(what, presets[i].pattern,
		    strlen(presets[i].pattern), NULL, cause);
	}
	return NULL;
}

const char *
format_preset_names(void)
{
	return "syslog, rfc5424, nginx, apache, iso8601, journal";
}

struct format *
format_compile_regex(const char *pattern, char **cause)
{
	return format_build("format-regex", pattern, strlen(pattern), NULL,
	    cause);
}

int
format_split(struct format *f, const char *s, size_t len, struct span *content,
    struct span *fields)
{
	PCRE2_SIZE *ov;
	size_t i;
	int rc;

	rc = pcre2_match(f->re, (PCRE2_SPTR)s, len, 0, 0, f->md, NULL);
	if (rc < 0)
		return 0;	/* no match, or a match limit hit: parse whole */
	ov = pcre2_get_ovector_pointer(f->md);
	for (i = 0; i < f->nfields; i++) {
		size_t g = (size_t)f->groups[i];

		if ((int)g >= rc || ov[2 * g] == PCRE2_UNSET) {
			fields[i].p = NULL;
			fields[i].len = 0;
		} else {
			fields[i].p = s + ov[2 * g];
			fields[i].len = ov[2 * g + 1] - ov[2 * g];
		}
	}
	*content = fields[f->content];
	if (content->p == NULL) {
		content->p = s + len;
		content->len = 0;
	}
	return 1;
}

size_t
format_nfields(const struct format *f)
{
	return f->nfields;
}

const char *
format_field_name(const struct format *f, size_t i)
{
	return i < f->nfields ? f->names[i] : NULL;
}

int
format_field_index(const struct format *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nfields; i++)
		if (strcasecmp(f->names[i], name) == 0)
			return (int)i;
	return -1;
}
