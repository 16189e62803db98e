/*
 * fuzz_mask: user masks on arbitrary patterns and messages, against
 * pcre2 itself.  The pattern runs to the first '\n', the message is the
 * rest.  What usermask_find() gives for a lone mask must be exactly the
 * leftmost matches one after another that pcre2_match() gives, empty
 * ones skipped: the prefilters (a byte every match holds, a least
 * length, a run of a repeated class) may skip a message only when it
 * has no match.  Both sides use the JIT when there is one, so that a
 * match limit, where one is hit, is hit alike.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tokenize.h"
#include "usermask.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define PATTERN_MAX	256
#define SPANS		64

static size_t
reference(const char *pat, size_t patlen, const char *msg, size_t len,
    struct token_span *ref, size_t max, int *limit)
{
	pcre2_code *re;
	pcre2_match_data *md;
	PCRE2_SIZE erroff, *ov, start = 0;
	int errcode, rc;
	size_t n = 0;

	*limit = 0;
	re = pcre2_compile((PCRE2_SPTR)pat, patlen, PCRE2_NEVER_UTF, &errcode,
	    &erroff, NULL);
	if (re == NULL)
		abort();	/* usermask took it */
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	md = pcre2_match_data_create_from_pattern(re, NULL);
	ov = pcre2_get_ovector_pointer(md);
	while (n < max && start <= len) {
		rc = pcre2_match(re, (PCRE2_SPTR)msg, len, start, 0, md, NULL);
		if (rc < 0) {
			*limit = rc != PCRE2_ERROR_NOMATCH;
			break;
		}
		if (ov[1] <= ov[0]) {
			start = ov[0] + 1;
			continue;
		}
		ref[n].start = (uint32_t)ov[0];
		ref[n].end = (uint32_t)ov[1];
		n++;
		start = ov[1];
	}
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nl, *msg;
	char spec[2 + PATTERN_MAX + 1];
	struct token_span got[SPANS], ref[SPANS];
	struct usermask *um;
	char *cause = NULL;
	size_t patlen, len, n, nref, i;
	int limit;

	if ((nl = memchr(s, '\n', size)) == NULL)
		return 0;
	patlen = (size_t)(nl - s);
	if (patlen == 0 || patlen > PATTERN_MAX ||
	    memchr(s, '\0', patlen) != NULL)
		return 0;
	memcpy(spec, "M=", 2);
	memcpy(spec + 2, s, patlen);
	spec[2 + patlen] = '\0';
	msg = nl + 1;
	len = size - patlen - 1;

	um = usermask_new();
	if (usermask_add(um, spec, &cause) == -1 ||
	    usermask_compile(um, &cause) == -1) {
		if (cause == NULL || *cause == '\0')
			abort();	/* a refusal says why */
		free(cause);
		usermask_free(um);
		return 0;
	}
	n = usermask_find(um, msg, len, got, SPANS);
	usermask_free(um);
	nref = reference(spec + 2, patlen, msg, len, ref, SPANS, &limit);
	if (limit && n <= nref) {
		/* Both stop at the limit; what came before must agree. */
		nref = n;
	}
	if (n != nref)
		abort();
	for (i = 0; i < n; i++)
		if (got[i].start != ref[i].start || got[i].end != ref[i].end ||
		    got[i].mask != 0)
			abort();
	return 0;
}
