/*
 * User masks.  Each mask is a pcre2 pattern with a name; all of them are
 * compiled into one alternation, "(?<m0>RE0)|(?<m1>RE1)|...", so a
 * message is scanned once however many masks there are, and the group
 * that took part in a match says which mask it was.  The pattern is
 * compiled once, with JIT when the library has it; the match block is
 * made once too, so matching allocates nothing.
 *
 * The module owns the patterns, names and match block; it reports errors
 * through a cause string and never prints.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usermask.h"
#include "xmalloc.h"

struct usermask {
	char			*names[USERMASK_MAX];
	char			*regex[USERMASK_MAX];
	int			 group[USERMASK_MAX];	/* capture numbers */
	size_t			 n;
	pcre2_code		*re;
	pcre2_match_data	*md;
};

struct usermask *
usermask_new(void)
{
	return xcalloc(1, sizeof(struct usermask));
}

void
usermask_free(struct usermask *um)
{
	size_t i;

	if (um == NULL)
		return;
	for (i = 0; i < um->n; i++) {
		free(um->names[i]);
		free(um->regex[i]);
	}
	pcre2_match_data_free(um->md);
	pcre2_code_free(um->re);
	free(um);
}

static int
name_char(int c, int first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (!first && ((c >= '0' && c <= '9') || c == '_'));
}

int
usermask_add(struct usermask *um, const char *spec, char **cause)
{
	const char *eq, *p;
	pcre2_code *re;
	PCRE2_SIZE erroff;
	int errcode;
	char msg[256];
	size_t i;

	if ((eq = strchr(spec, '=')) == NULL || eq == spec) {
		xasprintf(cause, "mask '%s': not NAME=REGEX", spec);
		return -1;
	}
	for (p = spec; p < eq; p++) {
		if (!name_char((unsigned char)*p, p == spec)) {
			xasprintf(cause, "mask '%.*s': a name is a letter, "
			    "then letters, digits or '_'", (int)(eq - spec),
			    spec);
			return -1;
		}
	}
	if (eq - spec > USERMASK_NAME_MAX) {
		xasprintf(cause, "mask '%.*s': name longer than %d bytes",
		    (int)(eq - spec), spec, USERMASK_NAME_MAX);
		return -1;
	}
	if (eq[1] == '\0') {
		xasprintf(cause, "mask %.*s: empty regex", (int)(eq - spec),
		    spec);
		return -1;
	}
	for (i = 0; i < um->n; i++) {
		if (strlen(um->names[i]) == (size_t)(eq - spec) &&
		    memcmp(um->names[i], spec, eq - spec) == 0) {
			xasprintf(cause, "mask %s given twice", um->names[i]);
			return -1;
		}
	}
	if (um->n == USERMASK_MAX) {
		xasprintf(cause, "more than %d masks", USERMASK_MAX);
		return -1;
	}
	/* Compiled alone first, so an error names its own offset. */
	re = pcre2_compile((PCRE2_SPTR)(eq + 1), PCRE2_ZERO_TERMINATED, 0,
	    &errcode, &erroff, NULL);
	if (re == NULL) {
		pcre2_get_error_message(errcode, (PCRE2_UCHAR *)msg,
		    sizeof msg);
		xasprintf(cause, "mask %.*s: invalid regex: %s at offset %zu",
		    (int)(eq - spec), spec, msg, (size_t)erroff);
		return -1;
	}
	pcre2_code_free(re);
	um->names[um->n] = xstrndup(spec, (size_t)(eq - spec));
	um->regex[um->n] = xstrdup(eq + 1);
	um->n++;
	return 0;
}

int
usermask_compile(struct usermask *um, char **cause)
{
	PCRE2_SIZE erroff, len = 0;
	char *pat, *p, name[48], msg[256];
	int errcode, rc;
	size_t i;

	if (um->n == 0)
		return 0;
	for (i = 0; i < um->n; i++)
		len += strlen(um->regex[i]) + 32;
	pat = p = xmalloc(len + 1);
	for (i = 0; i < um->n; i++)
		p += sprintf(p, "%s(?<aiopsfilter_m%zu>(?:%s))", i ? "|" : "",
		    i, um->regex[i]);
	um->re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
	    0, &errcode, &erroff, NULL);
	free(pat);
	if (um->re == NULL) {
		pcre2_get_error_message(errcode, (PCRE2_UCHAR *)msg,
		    sizeof msg);
		xasprintf(cause, "masks: %s", msg);
		return -1;
	}
	/* JIT is a speed-up only: without it the interpreter matches. */
	(void)pcre2_jit_compile(um->re, PCRE2_JIT_COMPLETE);
	um->md = pcre2_match_data_create_from_pattern(um->re, NULL);
	for (i = 0; i < um->n; i++) {
		snprintf(name, sizeof name, "aiopsfilter_m%zu", i);
		rc = pcre2_substring_number_from_name(um->re,
		    (PCRE2_SPTR)name);
		um->group[i] = rc;
	}
	return 0;
}

size_t
usermask_count(const struct usermask *um)
{
	return um->n;
}

const char *const *
usermask_names(const struct usermask *um)
{
	return (const char *const *)um->names;
}

size_t
usermask_find(struct usermask *um, const char *msg, size_t len,
    struct token_span *spans, size_t max)
{
	PCRE2_SIZE *ov, start = 0;
	size_t n = 0, i;
	int rc;

	if (um == NULL || um->re == NULL)
		return 0;
	ov = pcre2_get_ovector_pointer(um->md);
	while (n < max && start < len) {
		rc = pcre2_match(um->re, (PCRE2_SPTR)msg, len, start, 0, um->md,
		    NULL);
		if (rc < 0)
			break;	/* no match, or a match limit: no more masks */
		if (ov[1] == ov[0]) {
			start = ov[1] + 1;	/* empty: masks nothing */
			continue;
		}
		for (i = 0; i < um->n; i++) {
			int g = um->group[i];

			if (g > 0 && g < rc && ov[2 * g] != PCRE2_UNSET)
				break;
		}
		spans[n].start = (uint32_t)ov[0];
		spans[n].end = (uint32_t)ov[1];
		spans[n].mask = (uint32_t)(i < um->n ? i : 0);
		n++;
		start = ov[1];
	}
	return n;
}
