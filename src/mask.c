/*
 * Masking of obvious variables inside tokens, and the template style.
 *
 * A token is looked at in pieces: runs of bytes between the delimiters
 * ", ! ; : = | \" ' [ ] ( ) { } . - + @ # $ % &".  A piece is a variable
 * when it is a number (a sign before digits belongs to the number unless
 * a letter or digit comes just before it), starts with a digit (a number
 * with a unit, "4ms"), or holds two or more digits (ids such as
 * "blk_38865", "R02"); one digit after letters ("ssh2", "log4j") is taken
 * as part of a name.  Path-like parts ("/var/log/x") are variables too.
 *
 * The variable pieces become "<*>" and the result is put in the template
 * style of the Loghub-2.0 benchmark, which is also a sensible style for
 * people: a piece that holds "<*>" among other bytes is "<*>" as a whole
 * ("blk_<*>", "<*>ms"), "<*>.<*>" and "<*><*>" collapse to one "<*>"
 * (so "10.0.0.1:80" is "<*>:<*>"), and the literal values true, false,
 * null, root and admin are variables.
 *
 * Everything here works on bytes: no locale, no UTF-8 decoding, no
 * allocation.
 */
#include "config.h"

#include <string.h>

#include "mask.h"

/* Byte classes, one table lookup per byte on the hot path. */
#define C_DIGIT	0x01
#define C_ALPHA	0x02
#define C_DELIM	0x04	/* piece delimiter */
#define C_PDELIM 0x08	/* delimiter around path-like parts */
#define C_SLASH	0x10
#define C_SIGN	0x20
#define C_SPACE	0x40

static unsigned char cls[256];

static void __attribute__((constructor))
mask_init(void)
{
	const char *delims = ",!;:=|\"'[](){}.-+@#$%&";
	const char *pdelims = ",!;:=|\"'[](){}";
	int c;

	for (c = '0'; c <= '9'; c++)
		cls[c] |= C_DIGIT;
	for (c = 'a'; c <= 'z'; c++)
		cls[c] |= C_ALPHA;
	for (c = 'A'; c <= 'Z'; c++)
		cls[c] |= C_ALPHA;
	for (; *delims != '\0'; delims++)
		cls[(unsigned char)*delims] |= C_DELIM;
	for (; *pdelims != '\0'; pdelims++)
		cls[(unsigned char)*pdelims] |= C_PDELIM;
	cls['/'] |= C_SLASH;
	cls['-'] |= C_SIGN;
	cls['+'] |= C_SIGN;
	for (c = 0; c < 256; c++)
		if (c == ' ' || (c >= '\t' && c <= '\r'))
			cls[c] |= C_SPACE;
}

static int
is_literal_value(const char *p, size_t n)
{
	static const char *const words[] = {
		"true", "false", "null", "root", "admin"
	};
	size_t i, k;

	if (n < 4 || n > 5)
		return 0;
	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strlen(words[i]) != n)
			continue;
		for (k = 0; k < n; k++)
			if ((p[k] | 0x20) != words[i][k])
				break;
		if (k == n)
			return 1;
	}
	return 0;
}

/* Is piece p[0..n) a variable by the rules above? */
static int
piece_is_variable(const char *p, size_t n)
{
	size_t i, digits = 0;

	if (n == 0)
		return 0;
	if (cls[(unsigned char)p[0]] & C_SIGN)
		return 1;	/* a signed number: the sign was taken in */
	if (cls[(unsigned char)p[0]] & C_DIGIT)
		return 1;
	for (i = 0; i < n; i++)
		if (cls[(unsigned char)p[i]] & C_DIGIT && ++digits >= 2)
			return 1;
	return 0;
}

/* Is p[0..n) a path, "(/[^/]+)+"? */
static int
is_path(const char *p, size_t n)
{
	size_t i;

	if (n < 2 || p[0] != '/' || p[n - 1] == '/')
		return 0;
	for (i = 1; i < n; i++)
		if (p[i] == '/' && p[i - 1] == '/')
			return 0;
	return 1;
}

size_t
mask_token(const char *in, size_t len, char *out)
{
	const char *end = in + len, *p, *q;
	unsigned int seen = 0;
	char *o, *marked;
	size_t i;

	for (i = 0; i < len; i++)
		seen |= cls[(unsigned char)in[i]];
	if (!(seen & (C_DIGIT | C_SLASH)) && !is_literal_value(in, len))
		return 0;	/* a plain word: its own shape */

	/* Mark the variables in the second half of out, then put that in
	 * template style into the first half. */
	o = marked = out + MASK_SHAPE_MAX(MASK_SHAPE_MAX(len));
	for (p = in; p < end;) {
		/* A path-like part between path delimiters is one variable. */
		if (*p == '/' && (p == in || cls[(unsigned char)p[-1]] &
		    C_PDELIM)) {
			for (q = p; q < end && !(cls[(unsigned char)*q] &
			    C_PDELIM); q++)
				;
			if (is_path(p, (size_t)(q - p))) {
				memcpy(o, MASK_WILD, MASK_WILD_LEN);
				o += MASK_WILD_LEN;
				p = q;
				continue;
			}
		}
		if ((cls[(unsigned char)*p] & C_DELIM) &&
		    !((cls[(unsigned char)*p] & C_SIGN) && p + 1 < end &&
		    (cls[(unsigned char)p[1]] & C_DIGIT) && (p == in ||
		    !(cls[(unsigned char)p[-1]] & (C_ALPHA | C_DIGIT))))) {
			*o++ = *p++;
			continue;
		}
		/* A piece: up to the next delimiter (a leading sign is in). */
		for (q = p + 1; q < end && !(cls[(unsigned char)*q] & C_DELIM);
		    q++)
			;
		if (piece_is_variable(p, (size_t)(q - p))) {
			memcpy(o, MASK_WILD, MASK_WILD_LEN);
			o += MASK_WILD_LEN;
		} else {
			memcpy(o, p, (size_t)(q - p));
			o += q - p;
		}
		p = q;
	}
	i = mask_canonical(marked, (size_t)(o - marked), out);
	if (i == len && memcmp(out, in, len) == 0)
		return 0;	/* nothing was variable after all ("ssh2") */
	return i;
}

/* Collapse "<*>.<*>" and "<*><*>" runs, in place; returns the length. */
static size_t
collapse(char *s, size_t n)
{
	size_t r, w = 0;

	for (r = 0; r < n;) {
		if (w >= MASK_WILD_LEN &&
		    memcmp(s + w - MASK_WILD_LEN, MASK_WILD, MASK_WILD_LEN) ==
		    0) {
			if (n - r >= MASK_WILD_LEN &&
			    memcmp(s + r, MASK_WILD, MASK_WILD_LEN) == 0) {
				r += MASK_WILD_LEN;	/* <*><*> */
				continue;
			}
			if (n - r >= 1 + MASK_WILD_LEN && s[r] == '.' &&
			    memcmp(s + r + 1, MASK_WILD, MASK_WILD_LEN) == 0) {
				r += 1 + MASK_WILD_LEN;	/* <*>.<*> */
				continue;
			}
		}
		s[w++] = s[r++];
	}
	return w;
}

size_t
mask_canonical(const char *in, size_t len, char *out)
{
	const char *end = in + len, *p, *q;
	char *o = out, *piece;
	int space = 0;

	/* Paths first, whitespace collapsed; then piece by piece. */
	for (p = in; p < end && (cls[(unsigned char)*p] & C_SPACE); p++)
		;
	while (p < end) {
		if (cls[(unsigned char)*p] & C_SPACE) {
			space = 1;
			p++;
			continue;
		}
		if (space) {
			*o++ = ' ';
			space = 0;
		}
		if (cls[(unsigned char)*p] & C_PDELIM) {
			*o++ = *p++;
			continue;
		}
		for (q = p; q < end && !(cls[(unsigned char)*q] &
		    (C_PDELIM | C_SPACE)); q++)
			;
		if (is_path(p, (size_t)(q - p))) {
			memcpy(o, MASK_WILD, MASK_WILD_LEN);
			o += MASK_WILD_LEN;
			p = q;
			continue;
		}
		/* The part p..q, split into pieces by the delimiters. */
		while (p < q) {
			size_t i, n;
			int digits = 1, wild = 0, slash = 0;

			if (cls[(unsigned char)*p] & C_DELIM) {
				*o++ = *p++;
				continue;
			}
			piece = o;
			while (p < q && !(cls[(unsigned char)*p] & C_DELIM))
				*o++ = *p++;
			n = (size_t)(o - piece);
			for (i = 0; i < n; i++) {
				unsigned char c = (unsigned char)piece[i];

				if (!(cls[c] & C_DIGIT))
					digits = 0;
				if (c == '/')
					slash = 1;
				if (c == '<' && n - i >= MASK_WILD_LEN &&
				    memcmp(piece + i, MASK_WILD,
				    MASK_WILD_LEN) == 0)
					wild = 1;
			}
			if (digits || is_literal_value(piece, n) ||
			    (wild && !slash)) {
				o = piece;
				memcpy(o, MASK_WILD, MASK_WILD_LEN);
				o += MASK_WILD_LEN;
			}
		}
	}
	return collapse(out, (size_t)(o - out));
}
