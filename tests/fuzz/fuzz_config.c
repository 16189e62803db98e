/*
 * fuzz_config: the configuration file reader on arbitrary bytes, read
 * from memory through conffile_read_stream(), then each entry's value
 * through what options.c applies to it: the number and span parsers, the
 * JSON field path parser, and, for format, format-regex and mask, an
 * engine built with it (as a config line is checked at once), for
 * record-start a recorder, for key an engine keyed on a header field.  Entries
 * must come out as the reader documents them: a name of letters, digits
 * and '-', a value without surrounding blanks or newlines, line numbers
 * that grow; an error must say why.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conffile.h"
#include "engine.h"
#include "jsonin.h"
#include "numparse.h"
#include "record.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static void
check_entry(const struct conffile_entry *e, unsigned prev)
{
	const char *s;
	size_t len;

	if (e->name == NULL || *e->name == '\0' || e->line <= prev)
		abort();
	for (s = e->name; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-'))
			abort();
	if (e->value == NULL)
		return;
	len = strlen(e->value);
	if (len == 0 || is_blank((unsigned char)e->value[0]) ||
	    is_blank((unsigned char)e->value[len - 1]) ||
	    strchr(e->value, '\n') != NULL)
		abort();
}

/* What options.c does with a value: parse it every way it may be read. */
static void
apply_value(const struct conffile_entry *e)
{
	struct engine_params p;
	struct record_params rp;
	struct engine *eng;
	struct recorder *rc;
	struct json_path path;
	const char *errstr, *mask;
	char *cause = NULL;
	uint64_t u;
	double d;
	int lines;

	if (e->value == NULL)
		return;
	errstr = NULL;
	if (parse_u64(e->value, 0, UINT64_MAX, &u, &errstr) == -1 &&
	    errstr == NULL)
		abort();
	errstr = NULL;
	if (parse_double(e->value, 0, 1, &d, &errstr) == 0 ?
	    !(d >= 0 && d <= 1) : errstr == NULL)
		abort();
	errstr = NULL;
	if (parse_span(e->value, &d, &lines, &errstr) == 0 ?
	    !(d > 0 && d <= 1e12 * 86400) : errstr == NULL)
		abort();
	if (json_path_parse(&path, e->value, &cause) == 0) {
		if (path.nseg == 0 || path.nseg > JSON_MAX_SEGS)
			abort();
		json_path_free(&path);
	} else {
		if (cause == NULL)
			abort();
		free(cause);
		cause = NULL;
	}

	if (strcmp(e->name, "record-start") == 0) {
		memset(&rp, 0, sizeof rp);
		rp.mode = RECORD_REGEX;
		rp.start = e->value;
		if ((rc = recorder_new(&rp, &cause)) == NULL) {
			if (cause == NULL)
				abort();
			free(cause);
			return;
		}
		recorder_free(rc);
		return;
	}
	memset(&p, 0, sizeof p);
	if (strcmp(e->name, "key") == 0) {
		/* A header field of a Loghub format, or host or source. */
		p.format = "<Date> <Time> <Host> <Component>: <Content>";
		p.key = e->value;
	} else if (strcmp(e->name, "format") == 0)
		p.format = e->value;
	else if (strcmp(e->name, "format-regex") == 0)
		p.format_regex = e->value;
	else if (strcmp(e->name, "mask") == 0 &&
	    strchr(e->value, '=') != NULL) {
		mask = e->value;
		p.masks = &mask;
		p.nmasks = 1;
	} else
		return;
	if ((eng = engine_new(&p, &cause)) == NULL) {
		if (cause == NULL)
			abort();
		free(cause);
		return;
	}
	engine_free(eng);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conffile *cf;
	char *cause = NULL;
	FILE *f;
	size_t i;

	if (size == 0)
		return 0;	/* fmemopen() wants a buffer */
	if ((f = fmemopen((void *)(uintptr_t)data, size, "r")) == NULL)
		abort();
	cf = conffile_read_stream(f, "fuzz.conf", &cause);
	fclose(f);
	if (cf == NULL) {
		if (cause == NULL || strncmp(cause, "fuzz.conf", 9) != 0)
			abort();
		free(cause);
		return 0;
	}
	for (i = 0; i < cf->n; i++) {
		check_entry(&cf->entry[i], i > 0 ? cf->entry[i - 1].line : 0);
		apply_value(&cf->entry[i]);
	}
	conffile_free(cf);
	return 0;
}
