/*
 * User masks.  Each mask is a pcre2 pattern with a name, compiled on its
 * own (with JIT when the library has it), with a match block made once,
 * so matching allocates nothing.
 *
 * A message is searched as one alternation of all the masks would search
 * it (leftmost match first, the first mask winning a tie), but without
 * running one: such an alternation is tried at every byte, and a pattern
 * like [a-z]+@... rescans each word from each of its letters.  Instead,
 * each mask keeps what pcre2 knows every match of it holds (a first
 * byte, a byte further on, a least length), and a message that lacks
 * it is not searched for that mask at all: most lines skip most masks
 * with a memchr().  The masks left are searched one by one and their
 * next matches merged.
 *
 * Some patterns do not keep to their own search: one that can match
 * nothing (it would make the merge search the others again at every
 * byte), \G and \K (where a match starts depends on where the search
 * did), and (*VERB)s that stop the whole search.  If any mask has one,
 * all are searched as the one alternation, "(?<m0>(?:RE0))|...", the
 * group that took part naming the mask; the prefilter still skips lines
 * where no mask can match.
 *
 * The module owns the patterns, names and match blocks; it reports
 * errors through a cause string and never prints.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <ctype.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usermask.h"
#include "xmalloc.h"

#define LIT_MAX		2	/* bytes of the pattern's own looked for */

struct mask {
	pcre2_code		*re;
	pcre2_match_data	*md;
	int			 jit;		/* compiled to machine code */
	int			 need[2];	/* bytes a match holds, or -1 */
	int			 need_case[2];	/* ... the other case, or -1 */
	unsigned char		 lit[LIT_MAX];	/* more such bytes, read off
						   the pattern: the rarest */
	size_t			 nlit;
	size_t			 minlen;
	size_t			 run;		/* bytes of runset in a row that
						   every match holds, or 0 */
	unsigned char		 runset[256];
	size_t			 at, end;	/* its next match, or at = SIZE_MAX */
};

struct usermask {
	char			*names[USERMASK_MAX];
	char			*regex[USERMASK_MAX];
	struct mask		 m[USERMASK_MAX];
	size_t			 n;
	/* The one alternation, when the merge cannot stand for it. */
	pcre2_code		*all;
	pcre2_match_data	*all_md;
	int			 all_jit;
	int			 group[USERMASK_MAX];	/* capture numbers */
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
		pcre2_match_data_free(um->m[i].md);
		pcre2_code_free(um->m[i].re);
	}
	pcre2_match_data_free(um->all_md);
	pcre2_code_free(um->all);
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
		xasprintf(cause, "--mask '%s': not NAME=REGEX", spec);
		return -1;
	}
	for (p = spec; p < eq; p++) {
		if (!name_char((unsigned char)*p, p == spec)) {
			xasprintf(cause, "--mask '%.*s': a name is a letter, "
			    "then letters, digits or '_'", (int)(eq - spec),
			    spec);
			return -1;
		}
	}
	if (eq - spec > USERMASK_NAME_MAX) {
		xasprintf(cause, "--mask '%.*s': name longer than %d bytes",
		    (int)(eq - spec), spec, USERMASK_NAME_MAX);
		return -1;
	}
	if (eq[1] == '\0') {
		xasprintf(cause, "--mask %.*s: empty regex", (int)(eq - spec),
		    spec);
		return -1;
	}
	for (i = 0; i < um->n; i++) {
		if (strlen(um->names[i]) == (size_t)(eq - spec) &&
		    memcmp(um->names[i], spec, eq - spec) == 0) {
			xasprintf(cause, "--mask %s given twice", um->names[i]);
			return -1;
		}
	}
	if (um->n == USERMASK_MAX) {
		xasprintf(cause, "more than %d masks", USERMASK_MAX);
		return -1;
	}
	/* Bytes, never UTF: log lines need not be valid UTF-8, and the
	 * matcher then need not check them (see match()). */
	re = pcre2_compile((PCRE2_SPTR)(eq + 1), PCRE2_ZERO_TERMINATED,
	    PCRE2_NEVER_UTF, &errcode, &erroff, NULL);
	if (re == NULL) {
		pcre2_get_error_message(errcode, (PCRE2_UCHAR *)msg,
		    sizeof msg);
		xasprintf(cause, "--mask %.*s: invalid regex: %s at offset %zu",
		    (int)(eq - spec), spec, msg, (size_t)erroff);
		return -1;
	}
	um->names[um->n] = xstrndup(spec, (size_t)(eq - spec));
	um->regex[um->n] = xstrdup(eq + 1);
	um->m[um->n].re = re;
	um->n++;
	return 0;
}

/* A byte every match of re holds, from pcre2's own analysis, into
 * need[k] (an ASCII letter with its other case: caseless patterns). */
static void
need_byte(struct mask *m, int k, uint32_t type_what, uint32_t unit_what)
{
	uint32_t type = 0, unit = 0;

	m->need[k] = m->need_case[k] = -1;
	if (pcre2_pattern_info(m->re, type_what, &type) != 0 || type != 1 ||
	    pcre2_pattern_info(m->re, unit_what, &unit) != 0 || unit >= 0x80)
		return;
	m->need[k] = (int)unit;
	if (unit >= 'a' && unit <= 'z')
		m->need_case[k] = (int)unit - 32;
	else if (unit >= 'A' && unit <= 'Z')
		m->need_case[k] = (int)unit + 32;
}

/*
 * Where a bracket class that starts at p ends: just after its ']', or
 * NULL if it does not end before e or is one this reading is not sure of.
 * A ']' first (after a '^') is one of the class; so is one after a
 * backslash, or after "\c" (a control character: "\c]" is 0x1d);
 * "[:alpha:]" is one member.  Any other "[:", "[." or "[="
 * (which pcre2 may or may not take for such a member) and "\Q" give up.
 */
static const char *
class_end(const char *p, const char *e)
{
	const char *q;

	p++;
	if (p < e && *p == '^')
		p++;
	if (p < e && *p == ']')
		p++;
	while (p < e && *p != ']') {
		if (*p == '\\') {
			if (p + 1 < e && (p[1] == 'Q' || p[1] == 'E'))
				return NULL;
			p += p + 1 < e && p[1] == 'c' ? 3 : 2;
		} else if (*p == '[' && p + 1 < e &&
		    strchr(":.=", p[1]) != NULL) {
			q = p + 2;
			if (q < e && *q == '^')
				q++;
			while (q < e && *q >= 'a' && *q <= 'z')
				q++;
			if (p[1] != ':' || q == p + 2 || e - q < 2 ||
			    q[0] != ':' || q[1] != ']')
				return NULL;
			p = q + 2;
		} else
			p++;
	}
	return p < e ? p + 1 : NULL;
}

/*
 * A mask that is one class repeated, "[0-9a-f]{40}" or "\d{9,}" (a \b
 * at either end allowed), has no byte that every match holds, but every
 * match holds a run of n bytes of the class: a message without one is not
 * searched.  pcre2 itself says, byte by byte, which bytes the class has.
 * Anything else gets no such test (run 0).
 */
#define RUN_MIN		4	/* shorter runs are in every line */

static void
class_run(struct mask *m, const char *regex)
{
	const char *s = regex, *e = regex + strlen(regex), *q, *atom_end;
	pcre2_code *atom;
	pcre2_match_data *md;
	PCRE2_SIZE erroff;
	unsigned char c;
	unsigned long n;
	uint32_t minlen;
	int errcode, k, have = 0;

	m->run = 0;
	if (e - s >= 2 && s[0] == '\\' && s[1] == 'b')
		s += 2;
	if (e - s >= 2 && e[-2] == '\\' && e[-1] == 'b')
		e -= 2;
	/* The quantifier, {n}, {n,} or {n,m}, at the end; "\d{4}" is the
	 * shortest there is.  Read as pcre2 reads one: "{4,,}" is no
	 * quantifier but text. */
	if (e - s < 5 || e[-1] != '}')
		return;
	for (q = e - 2; q > s && isdigit((unsigned char)*q); q--)
		continue;
	if (*q == ',' && q > s)
		for (q--; q > s && isdigit((unsigned char)*q); q--)
			continue;
	if (*q != '{' || !isdigit((unsigned char)q[1]))
		return;
	n = strtoul(q + 1, NULL, 10);
	if (n < RUN_MIN || n > 65535)
		return;
	/* The atom before it: a class, or an escape for one. */
	if (*s == '[')
		atom_end = class_end(s, q);
	else if (q - s == 2 && s[0] == '\\' && strchr("dDwWsShHvV", s[1]) !=
	    NULL)
		atom_end = q;
	else
		return;
	if (atom_end != q)
		return;
	/* Both readings must agree with pcre2's: the pattern's least
	 * length is n, the atom's 1. */
	if (m->minlen != n)
		return;
	atom = pcre2_compile((PCRE2_SPTR)s, (PCRE2_SIZE)(q - s),
	    PCRE2_NEVER_UTF | PCRE2_ANCHORED, &errcode, &erroff, NULL);
	if (atom == NULL)
		return;
	if (pcre2_pattern_info(atom, PCRE2_INFO_MINLENGTH, &minlen) != 0 ||
	    minlen != 1) {
		pcre2_code_free(atom);
		return;
	}
	if ((md = pcre2_match_data_create_from_pattern(atom, NULL)) != NULL) {
		for (k = 0; k < 256; k++) {
			c = (unsigned char)k;
			m->runset[k] = pcre2_match(atom, &c, 1, 0, 0, md,
			    NULL) >= 0 && pcre2_get_ovector_pointer(md)[1] == 1;
			have |= m->runset[k];
		}
		if (have)
			m->run = n;
		pcre2_match_data_free(md);
	}
	pcre2_code_free(atom);
}

/*
 * A quantifier at p: "?", "*", "+" or "{n}", "{n,}", "{n,m}", with a
 * lazy or possessive mark after it.  Returns its length (0 if there is
 * none) and sets *optional if it allows no copy at all; -1 for a '{'
 * this reading is not sure of ("{,3}" is a quantifier to some pcre2s
 * and text to others).
 */
static int
quantifier(const char *p, const char *e, int *optional)
{
	const char *q = p;
	unsigned long min = 1;

	*optional = 0;
	if (p == e)
		return 0;
	if (*p == '?' || *p == '*')
		*optional = 1;
	else if (*p == '{') {
		if (++q == e || !isdigit((unsigned char)*q))
			return -1;
		min = strtoul(q, NULL, 10);
		while (q < e && isdigit((unsigned char)*q))
			q++;
		if (q < e && *q == ',')
			for (q++; q < e && isdigit((unsigned char)*q); q++)
				continue;
		if (q == e || *q != '}')
			return -1;
		*optional = min == 0;
	} else if (*p != '+')
		return 0;
	q++;
	if (q < e && (*q == '?' || *q == '+'))
		q++;
	return (int)(q - p);
}

/* Where the group that opens at p ends: just after its ')', or NULL. */
static const char *
group_end(const char *p, const char *e)
{
	int depth = 0;

	while (p < e) {
		if (*p == '\\') {
			if (p + 1 < e && (p[1] == 'Q' || p[1] == 'E'))
				return NULL;
			p += p + 1 < e && p[1] == 'c' ? 3 : 2;
		} else if (*p == '[') {
			if ((p = class_end(p, e)) == NULL)
				return NULL;
		} else {
			if (*p == '(')
				depth++;
			else if (*p == ')' && --depth == 0)
				return p + 1;
			p++;
		}
	}
	return NULL;
}

/* How common a byte is in log text, roughly: the rarest are looked for. */
static int
commonness(unsigned char c)
{
	if (c == ' ' || (c >= 'a' && c <= 'z'))
		return 3;
	if (c == '.' || c == ':' || c == '-' || c == '/' || c == '=' ||
	    c == ',' || c == '_' || (c >= '0' && c <= '9'))
		return 2;
	if (c >= 'A' && c <= 'Z')
		return 1;
	return 0;
}

/*
 * Bytes that every match of the pattern holds beyond pcre2's first and
 * last ("@" of "[a-z]+@[a-z]+\.[a-z]+", where pcre2 knows only the
 * "."): the literals of its top level that no quantifier makes optional.
 * Groups and classes are skipped whole.  The reading gives up (no bytes)
 * on whatever it is not sure of: a '|' at the top, "(?" and "(*" (an
 * option such as (?i) would change what the bytes after it match), an
 * escape of a letter that is not a class, "\Q".
 */
static void
pattern_literals(struct mask *m, const char *regex)
{
	const char *p = regex, *e = regex + strlen(regex), *next;
	unsigned char c, found[256];
	size_t n = 0, i, k;
	int len, optional, literal;

	m->nlit = 0;
	while (p < e) {
		literal = 0;
		c = (unsigned char)*p;
		if (c == '\\') {
			if (p + 1 == e)
				return;
			c = (unsigned char)p[1];
			if (isalnum(c)) {
				if (strchr("dDwWsShHvVbBAzZ", c) == NULL)
					return;
			} else
				literal = 1;
			next = p + 2;
		} else if (c == '[') {
			if ((next = class_end(p, e)) == NULL)
				return;
		} else if (c == '(') {
			if (p + 1 < e && (p[1] == '?' || p[1] == '*'))
				return;
			if ((next = group_end(p, e)) == NULL)
				return;
		} else if (c == '|' || c == ')' || c == '{' || c == '?' ||
		    c == '*' || c == '+')
			return;		/* a quantifier of nothing: unsure */
		else {
			literal = c != '.' && c != '^' && c != '$';
			next = p + 1;
		}
		if ((len = quantifier(next, e, &optional)) < 0)
			return;
		if (literal && !optional && n < sizeof found)
			found[n++] = c;
		p = next + len;
	}
	/* The rarest, not one pcre2 already gave. */
	for (k = 0; k <= 3 && m->nlit < LIT_MAX; k++)
		for (i = 0; i < n && m->nlit < LIT_MAX; i++) {
			if (commonness(found[i]) != (int)k ||
			    found[i] == m->need[0] || found[i] == m->need[1] ||
			    memchr(m->lit, found[i], m->nlit) != NULL)
				continue;
			m->lit[m->nlit++] = found[i];
		}
}

/* Has msg m->run bytes of m->runset in a row?  Looks at the last byte
 * of a stretch first: one outside the set rules out every stretch that
 * holds it, so most of the message is skipped run bytes at a time. */
static int
has_run(const struct mask *m, const char *msg, size_t len)
{
	size_t i = 0, k, n = m->run;

	while (len - i >= n) {
		if (!m->runset[(unsigned char)msg[i + n - 1]]) {
			i += n;
			continue;
		}
		for (k = i + n - 1; k > i &&
		    m->runset[(unsigned char)msg[k - 1]]; k--)
			continue;
		if (k == i)
			return 1;
		i = k;
	}
	return 0;
}

/* Can msg hold a match of m?  No means none; yes means search. */
static int
may_match(const struct mask *m, const char *msg, size_t len)
{
	size_t i;
	int k;

	if (len < m->minlen)
		return 0;
	/* The pattern's own bytes first: the rarest, they fail most. */
	for (i = 0; i < m->nlit; i++)
		if (memchr(msg, m->lit[i], len) == NULL)
			return 0;
	for (k = 0; k < 2; k++) {
		if (m->need[k] < 0)
			continue;
		if (memchr(msg, m->need[k], len) == NULL &&
		    (m->need_case[k] < 0 ||
		    memchr(msg, m->need_case[k], len) == NULL))
			return 0;
	}
	return m->run == 0 || has_run(m, msg, len);
}

/* Does the mask look beyond its own search (see the top)?  A pattern
 * that only seems to (an escaped backslash before G) costs speed, not
 * correctness. */
static int
needs_alternation(const struct mask *m, const char *regex)
{
	uint32_t empty = 1;

	if (pcre2_pattern_info(m->re, PCRE2_INFO_MATCHEMPTY, &empty) != 0 ||
	    empty)
		return 1;
	return strstr(regex, "\\G") != NULL || strstr(regex, "\\K") != NULL ||
	    strstr(regex, "(*") != NULL;
}

static int
compile_alternation(struct usermask *um, char **cause)
{
	PCRE2_SIZE erroff, len = 0;
	char *pat, *p, name[48], msg[256];
	int errcode;
	size_t i;

	for (i = 0; i < um->n; i++)
		len += strlen(um->regex[i]) + 32;
	pat = p = xmalloc(len + 1);
	for (i = 0; i < um->n; i++)
		p += sprintf(p, "%s(?<aiopsfilter_m%zu>(?:%s))", i ? "|" : "",
		    i, um->regex[i]);
	um->all = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
	    PCRE2_NEVER_UTF, &errcode, &erroff, NULL);
	free(pat);
	if (um->all == NULL) {
		pcre2_get_error_message(errcode, (PCRE2_UCHAR *)msg,
		    sizeof msg);
		xasprintf(cause, "masks: %s", msg);
		return -1;
	}
	um->all_jit = pcre2_jit_compile(um->all, PCRE2_JIT_COMPLETE) == 0;
	if ((um->all_md = pcre2_match_data_create_from_pattern(um->all,
	    NULL)) == NULL) {
		xasprintf(cause, "masks: out of memory");
		return -1;
	}
	for (i = 0; i < um->n; i++) {
		snprintf(name, sizeof name, "aiopsfilter_m%zu", i);
		um->group[i] = pcre2_substring_number_from_name(um->all,
		    (PCRE2_SPTR)name);
	}
	return 0;
}

int
usermask_compile(struct usermask *um, char **cause)
{
	int alternation = 0;
	uint32_t minlen;
	size_t i;

	for (i = 0; i < um->n; i++) {
		struct mask *m = &um->m[i];

		/* JIT is a speed-up only: without it the interpreter
		 * matches. */
		m->jit = pcre2_jit_compile(m->re, PCRE2_JIT_COMPLETE) == 0;
		m->md = pcre2_match_data_create_from_pattern(m->re, NULL);
		if (m->md == NULL) {
			xasprintf(cause, "mask %s: out of memory",
			    um->names[i]);
			return -1;
		}
		need_byte(m, 0, PCRE2_INFO_FIRSTCODETYPE,
		    PCRE2_INFO_FIRSTCODEUNIT);
		need_byte(m, 1, PCRE2_INFO_LASTCODETYPE,
		    PCRE2_INFO_LASTCODEUNIT);
		m->minlen = pcre2_pattern_info(m->re, PCRE2_INFO_MINLENGTH,
		    &minlen) == 0 ? minlen : 0;
		class_run(m, um->regex[i]);
		pattern_literals(m, um->regex[i]);
		alternation |= needs_alternation(m, um->regex[i]);
	}
	return alternation ? compile_alternation(um, cause) : 0;
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

/*
 * pcre2_match(), straight to the machine code when there is some: the
 * checks pcre2_match() makes first cost more than many a match here, and
 * masks are never UTF (PCRE2_NEVER_UTF), the one thing they would check
 * in the subject.
 */
static int
match(const pcre2_code *re, int jit, const char *msg, size_t len,
    size_t start, pcre2_match_data *md)
{
	if (jit)
		return pcre2_jit_match(re, (PCRE2_SPTR)msg, len, start, 0, md,
		    NULL);
	return pcre2_match(re, (PCRE2_SPTR)msg, len, start, 0, md, NULL);
}

/* m's next match at or after start, into m->at and m->end. */
static void
next_match(struct mask *m, const char *msg, size_t len, size_t start)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);

	m->at = SIZE_MAX;
	if (start > len || match(m->re, m->jit, msg, len, start, m->md) < 0)
		return;		/* none, or a match limit: no more */
	m->at = ov[0];
	m->end = ov[1];
}

/* The matches of the one alternation, leftmost first. */
static size_t
find_alternation(struct usermask *um, const char *msg, size_t len,
    struct token_span *spans, size_t max)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(um->all_md), start = 0;
	size_t n = 0, i;
	int rc;

	while (n < max && start < len) {
		rc = match(um->all, um->all_jit, msg, len, start, um->all_md);
		if (rc < 0)
			break;	/* no match, or a match limit: no more masks */
		if (ov[1] <= ov[0]) {
			start = ov[0] + 1;	/* empty: masks nothing */
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

size_t
usermask_find(struct usermask *um, const char *msg, size_t len,
    struct token_span *spans, size_t max)
{
	struct mask *live[USERMASK_MAX], *best;
	size_t nlive = 0, n = 0, start = 0, i;

	if (um == NULL)
		return 0;
	for (i = 0; i < um->n; i++)
		if (may_match(&um->m[i], msg, len))
			live[nlive++] = &um->m[i];
	if (um->all != NULL)
		return nlive > 0 ? find_alternation(um, msg, len, spans, max) :
		    0;
	for (i = 0; i < nlive; i++)
		next_match(live[i], msg, len, 0);
	while (n < max && nlive > 0) {
		/* The leftmost next match; the first mask if a tie. */
		best = NULL;
		for (i = 0; i < nlive; i++)
			if (live[i]->at != SIZE_MAX &&
			    (best == NULL || live[i]->at < best->at))
				best = live[i];
		if (best == NULL)
			break;
		if (best->end == best->at)
			start = best->at + 1;	/* empty: masks nothing */
		else {
			spans[n].start = (uint32_t)best->at;
			spans[n].end = (uint32_t)best->end;
			spans[n].mask = (uint32_t)(best - um->m);
			n++;
			start = best->end;
		}
		/* Matches that began before the new start are spent. */
		for (i = 0; i < nlive; i++)
			if (live[i]->at != SIZE_MAX && live[i]->at < start)
				next_match(live[i], msg, len, start);
	}
	return n;
}
