/*
 * Masking of variables inside tokens, and the template style.
 *
 * A hand-written scanner, one table lookup per byte, decides what a token
 * is.  A token without digits, slashes, dots or "@" is a plain word and
 * costs one pass.  Otherwise the wrapper punctuation around it ("(x),",
 * "[x]:", "'x'") is set aside and the core is tried against the built-in
 * classes in enum mask_class order, each a small hand-written recogniser:
 * URL, e-mail, UUID, MAC, date and time stamps, IPv4 (with a port or a
 * prefix length), IPv6, hexadecimal, numbers with a unit, host names
 * (dotted names that end in a top-level domain, or name:port), socket
 * addresses (name/IPv4:port, name[address]:port), and paths.
 * A core "key=value" keeps its key and has its value masked.  A whole
 * core that is one of these becomes one variable.
 *
 * Anything else is looked at in pieces: runs of bytes between the
 * delimiters ", ! ; : = | \" ' [ ] ( ) { } . - + @ # $ % & /".  A piece is a
 * variable when it is a number (a sign before digits belongs to the
 * number unless a letter or digit comes just before it), starts with a
 * digit (a number with a unit, "4ms"), or holds two or more digits (ids
 * such as "blk_38865", "R02"); one digit after letters ("ssh2", "log4j")
 * is taken as part of a name, unless an underscore puts it at the end as
 * an index ("broadcast_8").  Path-like parts ("/var/log/x") are
 * variables too.
 *
 * The result is put in the template style of the Loghub-2.0 benchmark,
 * which is also a sensible style for people: a piece that holds "<*>"
 * among other bytes is "<*>" as a whole ("blk_<*>", "<*>ms"), "<*>.<*>"
 * and "<*><*>" collapse to one "<*>" (so "10.0.0.1:80" is "<*>:<*>"),
 * and the words null, root and admin are variables: each stands for a
 * value (a missing one, a user).  true and false are states a message
 * reports, as "up" and "down" are: constants, until lines differ there.
 *
 * Everything here works on bytes: no locale, no UTF-8 decoding, no
 * allocation.
 */
#include "config.h"

#include <string.h>

#include "mask.h"

/* Byte classes, one table lookup per byte on the hot path. */
#define C_DIGIT		0x0001
#define C_ALPHA		0x0002
#define C_DELIM		0x0004	/* piece delimiter */
#define C_PDELIM	0x0008	/* delimiter around path-like parts */
#define C_SLASH		0x0010
#define C_SIGN		0x0020
#define C_SPACE		0x0040
#define C_HEX		0x0080	/* 0-9 a-f A-F */
#define C_DOT		0x0100
#define C_AT		0x0200
#define C_LEAD		0x0400	/* wrapper set aside in front */
#define C_TRAIL		0x0800	/* wrapper set aside behind */
#define C_LABEL		0x1000	/* host name label: letters, digits, '-' */
#define C_KEY		0x2000	/* key of key=value: letters, digits, _.- */
#define C_EMAIL		0x4000	/* local part of an address */
#define C_COLON		0x8000
#define C_EQ		0x10000

/* Pieces of a token are cut at a slash as well: "12345/0x7000" is two
 * numbers, "<*>/<*>".  Loghub-2.0's style has no slash among its
 * delimiters, so mask_canonical() keeps to C_DELIM. */
#define PIECE_DELIM	(C_DELIM | C_SLASH)

static unsigned int cls[256];

static const char *const class_names[MASK_NCLASSES] = {
	"*", "URL", "EMAIL", "UUID", "MAC", "TIME", "IP", "IP6", "HEX",
	"NUM", "HOST", "PATH", "ID", "VALUE"
};

static int
in_set(const char *s, int c)
{
	return c != '\0' && strchr(s, c) != NULL;
}

/* The classes of c, all but C_SPACE: a pure function, so that the
 * tokenizer's constructor can use it whatever order they run in. */
unsigned int
mask_byte_class(unsigned char c)
{
	unsigned int k = 0;

	if (c >= '0' && c <= '9')
		k |= C_DIGIT | C_HEX | C_LABEL | C_KEY | C_EMAIL;
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		k |= C_ALPHA | C_LABEL | C_KEY | C_EMAIL;
	if (in_set("abcdefABCDEF", c))
		k |= C_HEX;
	if (in_set(",!;:=|\"'[](){}.-+@#$%&", c))
		k |= C_DELIM;
	if (in_set(",!;:=|\"'[](){}", c))
		k |= C_PDELIM;
	if (c == '/')
		k |= C_SLASH;
	if (c == '-' || c == '+')
		k |= C_SIGN;
	if (c == '.')
		k |= C_DOT;
	if (c == '@')
		k |= C_AT;
	if (c == ':')
		k |= C_COLON;
	if (c == '=')
		k |= C_EQ;
	if (in_set("([{<\"'", c))
		k |= C_LEAD;
	if (in_set(")]}>\"',;:.!?", c))
		k |= C_TRAIL;
	if (c == '-')
		k |= C_LABEL;
	if (in_set("_.-", c))
		k |= C_KEY;
	if (in_set("._%+-", c))
		k |= C_EMAIL;
	return k;
}

static void __attribute__((constructor))
mask_init(void)
{
	int c;

	for (c = 0; c < 256; c++) {
		cls[c] = mask_byte_class((unsigned char)c);
		if (c == ' ' || (c >= '\t' && c <= '\r'))
			cls[c] |= C_SPACE;
	}
}

const char *
mask_class_name(enum mask_class c)
{
	if ((unsigned)c >= MASK_NCLASSES)
		return class_names[0];
	return class_names[c];
}

#define IS(c, k)	(cls[(unsigned char)(c)] & (k))

static int
is_literal_value(const char *p, size_t n)
{
	const char *w;
	size_t k;

	/* Each word has its own first letter, which picks the one word to
	 * compare with. */
	if (n < 4 || n > 5)
		return 0;
	switch (p[0] | 0x20) {
	case 'n':
		w = "null";
		break;
	case 'r':
		w = "root";
		break;
	case 'a':
		w = "admin";
		break;
	default:
		return 0;
	}
	for (k = 1; k < n; k++)
		if ((p[k] | 0x20) != w[k])
			return 0;
	return w[n] == '\0';
}

/* How many bytes of class k start p[0..n). */
static size_t
span_of(const char *p, size_t n, unsigned int k)
{
	size_t i;

	for (i = 0; i < n && IS(p[i], k); i++)
		;
	return i;
}

/* Is p[0..n) a path, "(/[^/]+)+/?": a directory's may end in '/'? */
static int
is_path(const char *p, size_t n)
{
	size_t i;

	if (n < 2 || p[0] != '/' || (p[n - 1] == '/' && n < 3))
		return 0;
	for (i = 1; i < n; i++)
		if (p[i] == '/' && p[i - 1] == '/')
			return 0;
	return 1;
}

/* Does p[0..n) hold a path delimiter? */
static int
has_pdelim(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (IS(p[i], C_PDELIM))
			return 1;
	return 0;
}

/* The recognisers: each is given a whole core and says if it is one. */

/* "scheme://...": returns the length of the scheme, or 0. */
static size_t
url_scheme(const char *p, size_t n)
{
	size_t i;

	if (n < 4 || !IS(p[0], C_ALPHA))
		return 0;
	for (i = 1; i < n && i < 16 && (IS(p[i], C_ALPHA | C_DIGIT) ||
	    p[i] == '+' || p[i] == '.' || p[i] == '-'); i++)
		;
	if (i + 3 > n || memcmp(p + i, "://", 3) != 0)
		return 0;
	return i;
}

/* Labels of letters, digits and '-' joined by dots; returns how many. */
static int
dns_labels(const char *p, size_t n, size_t *lastoff)
{
	size_t i, start = 0;
	int labels = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && IS(p[i], C_LABEL))
			continue;
		if (i == start || (i < n && p[i] != '.'))
			return 0;
		labels++;
		*lastoff = start;
		start = i + 1;
	}
	return labels;
}

/*
 * Does the dotted name p[0..n) (labels, the last at last) end like a host
 * name?  A generic top-level domain will do; a two-letter country one
 * needs a third label and a usual second level ("edu.hk", "co.uk") or a
 * digit somewhere, since dotted words ("mapred.task.id") are common.
 */
static int
is_host_name(const char *p, size_t n, size_t last, int labels)
{
	static const char *const generic[] = {
		"com", "net", "org", "edu", "gov", "mil", "int", "info",
		"biz", "io", "local", "lan", "internal", "localdomain", "arpa"
	};
	static const char *const second[] = {
		"com", "net", "org", "edu", "gov", "mil", "ac", "co", "or",
		"ne", "go"
	};
	const char *tld = p + last;
	size_t i, len = n - last, slast;

	for (i = 0; i < len; i++)
		if (tld[i] < 'a' || tld[i] > 'z')
			return 0;
	for (i = 0; i < sizeof generic / sizeof generic[0]; i++)
		if (generic[i][0] == tld[0] && strncmp(tld, generic[i], len) ==
		    0 && generic[i][len] == '\0')
			return 1;
	if (len != 2 || labels < 3)
		return 0;
	for (i = 0; i < n; i++)
		if (IS(p[i], C_DIGIT))
			return 1;
	for (slast = last - 1; slast > 0 && p[slast - 1] != '.'; slast--)
		;
	for (i = 0; i < sizeof second / sizeof second[0]; i++)
		if (second[i][0] == p[slast] && strncmp(p + slast, second[i],
		    last - 1 - slast) == 0 && second[i][last - 1 - slast] ==
		    '\0')
			return 1;
	return 0;
}

/* The host may be one label, "root@localhost", but starts with a letter:
 * "Worker@679" is a class and its hash code. */
static int
is_email(const char *p, size_t n)
{
	size_t at, last;
	int labels;

	at = span_of(p, n, C_EMAIL);
	if (at == 0 || at >= n || p[at] != '@')
		return 0;
	labels = dns_labels(p + at + 1, n - at - 1, &last);
	return labels >= 1 && IS(p[at + 1 + last], C_ALPHA);
}

static int
is_uuid(const char *p, size_t n)
{
	size_t i;

	if (n != 36)
		return 0;
	for (i = 0; i < n; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (p[i] != '-')
				return 0;
		} else if (!IS(p[i], C_HEX))
			return 0;
	}
	return 1;
}

static int
is_mac(const char *p, size_t n)
{
	size_t i;

	if (n != 17 || (p[2] != ':' && p[2] != '-'))
		return 0;
	for (i = 0; i < n; i++) {
		if (i % 3 == 2) {
			if (p[i] != p[2])
				return 0;
		} else if (!IS(p[i], C_HEX))
			return 0;
	}
	return 1;
}

static size_t
digits(const char *p, size_t n)
{
	return span_of(p, n, C_DIGIT);
}

/* Is p[0..3) a month's short name, in any case: "Nov", "NOV"? */
static int
is_month3(const char *p)
{
	static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	const char *m;

	for (m = months; *m != '\0'; m += 3)
		if ((p[0] | 0x20) == m[0] && (p[1] | 0x20) == m[1] &&
		    (p[2] | 0x20) == m[2])
			return 1;
	return 0;
}

/* The month of a "dd/Mon/yyyy" or "dd-Mon-yyyy" date: a month's short
 * name at p[0..3) with a separator, digits before and after. */
static int
is_month_piece(const char *in, const char *p, const char *end)
{
	return p - in >= 2 && p + 4 < end && (p[-1] == '/' ||
	    p[-1] == '-') && p[3] == p[-1] && IS(p[-2], C_DIGIT) &&
	    IS(p[4], C_DIGIT) && is_month3(p);
}

/* A date at p: "2015-10-18", "2005.06.03", "17/06/09", "10/18/2015",
 * "04/Dec/2005" (the access log's).  a is digits(p, n), which the caller
 * has counted already. */
static size_t
date_len(const char *p, size_t n, size_t a)
{
	size_t b, c;
	char sep;

	if (a == 8 && a + 1 < n && (p[a] == '-' || p[a] == 'T' ||
	    p[a] == '_'))
		return a;	/* "20171223-22:15:29": the compact form */
	if ((a != 4 && a != 1 && a != 2) || a + 1 >= n)
		return 0;
	sep = p[a];
	if (sep != '-' && sep != '/' && sep != '.')
		return 0;
	if (a <= 2 && sep != '.' && is_month_piece(p, p + a + 1, p + n)) {
		c = digits(p + a + 5, n - a - 5);
		return c == 2 || c == 4 ? a + 5 + c : 0;
	}
	b = digits(p + a + 1, n - a - 1);
	if (b < 1 || b > 2 || a + 1 + b + 1 >= n || p[a + 1 + b] != sep)
		return 0;
	c = digits(p + a + b + 2, n - a - b - 2);
	if (a == 4 ? (c < 1 || c > 2) : (c != 2 && c != 4))
		return 0;
	return a + b + c + 2;
}

/* A time of day at p: "18:01:47", "18:01:47,978", "15.42.50.675872"
 * (dots only after a date), with a zone "Z", "+0200", "-07:00".  After
 * a date, minutes, seconds and milliseconds after a colon may lack
 * their leading zeros, as HealthApp writes "22:16:0:19".  a is
 * digits(p, n), as for date_len(). */
static size_t
time_len(const char *p, size_t n, int after_date, size_t a)
{
	size_t i, k, min = after_date ? 1 : 2;
	char sep;

	if (a < 1 || a > 2 || a + 2 > n)
		return 0;
	sep = p[a];
	if (sep != ':' && !(after_date && sep == '.'))
		return 0;
	k = digits(p + a + 1, n - a - 1);
	if (k < min || k > 2)
		return 0;
	i = a + 1 + k;
	if (i + 1 < n && p[i] == sep && (k = digits(p + i + 1, n - i - 1)) >=
	    min && k <= 2) {
		i += 1 + k;
		if (sep == ':' && i + 1 < n && p[i] == ':' &&
		    (k = digits(p + i + 1, n - i - 1)) >= (after_date ? 1 :
		    3) && k <= 3)
			i += 1 + k;	/* HealthApp's ":606" */
	}
	if (i + 1 < n && (p[i] == '.' || p[i] == ',') &&
	    (k = digits(p + i + 1, n - i - 1)) > 0)
		i += 1 + k;
	if (i < n && p[i] == 'Z')
		i++;
	else if (i + 3 <= n && (p[i] == '+' || p[i] == '-') &&
	    (k = digits(p + i + 1, n - i - 1)) >= 2) {
		if (k == 2 && i + 6 <= n && p[i + 3] == ':' &&
		    digits(p + i + 4, n - i - 4) == 2)
			i += 6;
		else if (k == 4 || k == 2)
			i += 1 + k;
	}
	return i;
}

/* A date, a time, or a date and a time joined by 'T', '_' or '-'. */
static int
is_stamp(const char *p, size_t n)
{
	size_t a, d;

	/* Both start with 1, 2, 4 or 8 digits and a separator: this
	 * rejects words and bare numbers before either is tried.  The
	 * count is handed on, so that the leading digits are read once. */
	a = digits(p, n);
	if (a == n || a > 8 || !((1u << a) & 0x116))
		return 0;
	if ((d = date_len(p, n, a)) == n)
		return 1;
	if (d > 0) {
		if (d + 1 < n && (p[d] == 'T' || p[d] == '_' || p[d] == '-' ||
		    p[d] == ':'))
			return time_len(p + d + 1, n - d - 1, 1, digits(p +
			    d + 1, n - d - 1)) == n - d - 1;
		return 0;
	}
	return time_len(p, n, 0, a) == n;
}

int
mask_is_stamp(const char *p, size_t n)
{
	return n > 0 && IS(p[0], C_DIGIT) && is_stamp(p, n);
}

/* IPv4 at p.  An octet of three digits is read as a value: mask_forms()
 * knows the form. */
static size_t
ipv4_len(const char *p, size_t n)
{
	size_t i = 0, k;
	int octet, v;

	for (octet = 0; octet < 4; octet++) {
		if (octet > 0) {
			if (i >= n || p[i] != '.')
				return 0;
			i++;
		}
		k = digits(p + i, n - i);
		if (k < 1 || k > 3)
			return 0;
		for (v = 0; k > 0; k--, i++)
			v = v * 10 + (p[i] - '0');
		if (v > 255)
			return 0;
	}
	return i;
}

static int
is_ipv6(const char *p, size_t n)
{
	size_t i, group = 0;
	int colons = 0, dcolon = 0, hexdigit = 0;

	if (n < 3)
		return 0;
	for (i = 0; i < n; i++) {
		if (p[i] == ':') {
			colons++;
			if (i + 1 < n && p[i + 1] == ':') {
				if (dcolon++)
					return 0;
			}
			group = 0;
		} else if (IS(p[i], C_HEX)) {
			if (++group > 4)
				return 0;
			hexdigit = 1;
		} else if (p[i] == '%' && colons >= 2) {
			break;	/* a zone: fe80::1%eth0 */
		} else if (p[i] == '.' && colons >= 2 &&
		    ipv4_len(p + i - group, n - i + group) == n - i + group) {
			break;	/* ::ffff:10.0.0.1 */
		} else
			return 0;
	}
	if (!hexdigit || colons < 2 || colons > 7)
		return 0;
	return dcolon || colons == 7;
}

static int
is_hex(const char *p, size_t n)
{
	size_t i;
	int digit = 0, letter = 0;

	/* A digit read as '0' or not: mask_forms() knows the form. */
	if (n > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		return span_of(p + 2, n - 2, C_HEX) == n - 2;
	if (n < 8)
		return 0;
	for (i = 0; i < n; i++) {
		if (!IS(p[i], C_HEX))
			return 0;
		if (IS(p[i], C_DIGIT))
			digit = 1;
		else
			letter |= p[i] <= 'F' ? 1 : 2;	/* upper, lower */
	}
	return (digit && letter) ||
	    (!digit && letter != 3 && n >= MASK_HEX_LETTERS_MIN);
}

/* [+-]digits([.,]digits)*([eE][+-]?digits)?, then a unit of up to four
 * letters or '%'.  Commas are thousands ("1,234,567") or one decimal
 * comma ("3,14"); "1514038740000,4,0" is a list, for the pieces. */
static int
is_number(const char *p, size_t n)
{
	size_t i = 0, k, first;
	int commas = 0, grouped = 1;

	if (i < n && IS(p[i], C_SIGN))
		i++;
	if ((k = digits(p + i, n - i)) == 0)
		return 0;
	i += first = k;
	while (i + 1 < n && (p[i] == '.' || p[i] == ',') &&
	    (k = digits(p + i + 1, n - i - 1)) > 0) {
		if (p[i] == ',') {
			commas++;
			grouped &= k == 3;
		}
		i += 1 + k;
	}
	if (commas > 1 && (!grouped || first > 3))
		return 0;
	if (i + 1 < n && (p[i] == 'e' || p[i] == 'E')) {
		k = i + 1;
		if (k < n && IS(p[k], C_SIGN))
			k++;
		if (digits(p + k, n - k) > 0)
			i = k + digits(p + k, n - k);
	}
	if (i < n && p[i] == '%')
		i++;
	else {
		k = span_of(p + i, n - i, C_ALPHA);
		if (k <= 4)
			i += k;
	}
	return i == n;
}

/* host.example.com, or a dotted name followed by ":port".  colon: p
 * may hold a ':'. */
static size_t
host_len(const char *p, size_t n, int colon, int *port)
{
	size_t end, last, i;
	int labels;

	*port = 0;
	for (end = 0; colon && end < n && p[end] != ':'; end++)
		;
	if (!colon)
		end = n;
	/* What the last label must be, looked at before all the labels
	 * are: most dotted words fail here ("core.88204", "6.6"). */
	for (i = end; i > 0 && p[i - 1] != '.'; i--)
		;
	if (i == 0 || i == end)
		return 0;
	if (end < n) {
		if (!IS(p[i], C_ALPHA))
			return 0;
	} else {
		for (; i < end; i++)
			if (p[i] < 'a' || p[i] > 'z')
				return 0;
	}
	if (end < n) {
		if (end + 1 >= n || digits(p + end + 1, n - end - 1) !=
		    n - end - 1 || n - end - 1 > 5)
			return 0;
		*port = 1;
	}
	labels = dns_labels(p, end, &last);
	if (labels < 2)
		return 0;
	if (!*port && !is_host_name(p, end, last, labels))
		return 0;
	if (*port && !IS(p[last], C_ALPHA))
		return 0;
	return end;
}

/*
 * A socket address as Java and others print it: a host name and its
 * address, its port or both, "worker-7/10.0.0.5:50010", "msra-sa-41:9000";
 * or as mail servers do, the address in brackets,
 * "mx.example.com[192.0.2.7]:25", "unknown[192.0.2.7]" (the closing
 * bracket may have gone with the token's wrappers).
 * The name starts with a letter, or in brackets' case has one
 * ("203-0-113-9.dsl.example.net[203.0.113.9]").  Before an
 * address it may be any name;
 * alone before a port it must look numbered (a digit and a '-', or two
 * digits), since "eth0:1" names a part, not a host.  Returns the length
 * of the name (the whole token is the address), or 0; *ip and *port say
 * what follows it, *ip 2 for an address in brackets (IPv4 or IPv6).
 */
static size_t
host_addr_len(const char *p, size_t n, int *ip, int *port)
{
	size_t end, i, k, last;
	int labels, ndig = 0, hyphen = 0, alpha = 0;

	*ip = *port = 0;
	for (end = 0; end < n && IS(p[end], C_LABEL | C_DOT); end++) {
		if (IS(p[end], C_DIGIT))
			ndig++;
		else if (p[end] == '-')
			hyphen = 1;
		else if (IS(p[end], C_ALPHA))
			alpha = 1;
	}
	if (end == n || (p[end] != '/' && p[end] != ':' && p[end] != '[') ||
	    !alpha || (p[end] != '[' && !IS(p[0], C_ALPHA)) ||
	    (labels = dns_labels(p, end, &last)) == 0)
		return 0;
	i = end + 1;
	if (p[end] == '[') {
		for (k = i; k < n && p[k] != ']'; k++)
			;
		if (k == i || (ipv4_len(p + i, k - i) != k - i &&
		    !is_ipv6(p + i, k - i)))
			return 0;
		*ip = 2;
		if (k == n || k + 1 == n)
			return end;	/* "name[addr" or "name[addr]" */
		if (p[k + 1] != ':')
			return 0;
		i = k + 2;
	} else if (p[end] == '/') {
		if ((k = ipv4_len(p + i, n - i)) == 0)
			return 0;
		*ip = 1;
		i += k;
		if (i == n)
			return end;
		if (p[i] != ':')
			return 0;
		i++;
	} else if (labels > 1 || ndig == 0 || (!hyphen && ndig < 2))
		return 0;
	k = digits(p + i, n - i);
	if (k == 0 || k > 5 || i + k != n)
		return 0;
	*port = 1;
	return end;
}

/*
 * Ids that look like words by the digit count.  A run of seven or more
 * hexadecimal digits of one case, letters and a digit among them
 * ("vethedeadf3", a container's interface); a run of 20 or more bytes
 * of base64 holding both cases and two digits, across the '+' and '/'
 * that cut pieces (an SSH key's fingerprint); a run of 32 or more
 * letters of one case, longer than words and names are (a nonce).
 */
#define HEX_RUN_MIN	7
#define BASE64_RUN_MIN	20
#define LETTERS_RUN_MIN	MASK_LETTERS_MIN

static int
hex_run(const char *p, size_t n)
{
	size_t i, run = 0;
	int digit = 0, letter = 0, upper = 0, lower = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (!IS(c, C_HEX)) {
			if (run >= HEX_RUN_MIN && digit && letter &&
			    !(upper && lower))
				return 1;
			run = 0;
			digit = letter = upper = lower = 0;
			continue;
		}
		run++;
		if (IS(c, C_DIGIT))
			digit = 1;
		else {
			letter = 1;
			if (c <= 'F')
				upper = 1;
			else
				lower = 1;
		}
	}
	return run >= HEX_RUN_MIN && digit && letter && !(upper && lower);
}

/* The length of the base64 run at p[0..n), as above, or 0. */
static __attribute__((noinline)) size_t
base64_run(const char *p, size_t n)
{
	size_t i;
	int upper = 0, lower = 0, ndig = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c >= 'A' && c <= 'Z')
			upper = 1;
		else if (c >= 'a' && c <= 'z')
			lower = 1;
		else if (c >= '0' && c <= '9')
			ndig++;
		else if (c != '+' && c != '/')
			break;
	}
	while (i < n && p[i] == '=' && i < n)
		i++;
	return i >= BASE64_RUN_MIN && upper && lower && ndig >= 2 ? i : 0;
}

/*
 * Seven letters or more without a vowel (a, e, i, o, u, y) are no word:
 * Kubernetes names its pods from an alphabet without vowels, so that
 * they never spell one ("shop-api-jsvtqmqhlw-sdj27").
 */
#define VOWELLESS_MIN	7

static int
vowelless(const char *p, size_t n)
{
	size_t i;

	if (n < VOWELLESS_MIN)
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] < 'a' || p[i] > 'z' || strchr("aeiouy", p[i]) != NULL)
			return 0;
	return 1;
}

static int
letters_run(const char *p, size_t n)
{
	size_t i;
	int upper = 0, lower = 0;

	if (n < LETTERS_RUN_MIN)
		return 0;
	for (i = 0; i < n; i++) {
		if (p[i] >= 'A' && p[i] <= 'Z')
			upper = 1;
		else if (p[i] >= 'a' && p[i] <= 'z')
			lower = 1;
		else
			return 0;
	}
	return !(upper && lower);
}

/* A piece of at most one digit that is an id all the same, as above.
 * Out of line: it is seldom asked, and the piece loop stays small. */
static __attribute__((noinline)) int
id_word(const char *p, size_t n, int ndig)
{
	if (ndig == 1)
		return hex_run(p, n);
	return letters_run(p, n) || vowelless(p, n);
}

/*
 * Piece by piece, as the file comment says: write the token with its
 * variable pieces marked to out and return the length.
 */
/* An '_' at p between two digits: "30546173_110243312" is two numbers,
 * as if a '-' joined them. */
static int
digits_joined(const char *in, const char *p, const char *end)
{
	return *p == '_' && p > in && p + 1 < end && IS(p[-1], C_DIGIT) &&
	    IS(p[1], C_DIGIT);
}

static size_t
mark_pieces(const char *in, size_t len, char *out, int tags)
{
	const char *end = in + len, *p, *q;
	char *o = out;
	size_t n;
	int digit_only, ndig, nalpha;

	for (p = in; p < end;) {
		/* A path-like part between path delimiters is one variable. */
		if (*p == '/' && (p == in || IS(p[-1], C_PDELIM))) {
			for (q = p; q < end && !IS(*q, C_PDELIM); q++)
				;
			if (is_path(p, (size_t)(q - p))) {
				if (tags) {
					memcpy(o, "<PATH>", 6);
					o += 6;
				} else {
					memcpy(o, MASK_WILD, MASK_WILD_LEN);
					o += MASK_WILD_LEN;
				}
				p = q;
				continue;
			}
		}
		if ((IS(*p, PIECE_DELIM) && !(IS(*p, C_SIGN) && p + 1 < end &&
		    IS(p[1], C_DIGIT) && (p == in ||
		    !IS(p[-1], C_ALPHA | C_DIGIT)))) ||
		    digits_joined(in, p, end)) {
			*o++ = *p++;
			continue;
		}
		/* A piece: up to the next delimiter (a leading sign is in),
		 * its digits counted on the way. */
		ndig = IS(*p, C_DIGIT) != 0;
		nalpha = IS(*p, C_ALPHA) != 0;
		digit_only = ndig || IS(*p, C_SIGN);
		for (q = p + 1; q < end; q++) {
			unsigned int k = cls[(unsigned char)*q];

			if (k & PIECE_DELIM)
				break;
			if (k & C_DIGIT)
				ndig++;
			else {
				if (digit_only && digits_joined(in, q, end))
					break;
				digit_only = 0;
				nalpha += (k & C_ALPHA) != 0;
			}
		}
		n = (size_t)(q - p);
		/* Base64 goes on past a '+' or '/' that cuts the piece,
		 * and may end in '=' padding. */
		if (q < end && (*q == '+' || *q == '/' || *q == '=') &&
		    end - p >= BASE64_RUN_MIN && IS(*p, C_ALPHA | C_DIGIT) &&
		    (p == in || !IS(p[-1], C_ALPHA | C_DIGIT)) &&
		    (n = base64_run(p, (size_t)(end - p))) != 0) {
			memcpy(o, tags ? "<ID>" : MASK_WILD, tags ? 4 :
			    MASK_WILD_LEN);
			o += tags ? 4 : MASK_WILD_LEN;
			p += n;
			continue;
		}
		n = (size_t)(q - p);
		/* A date's month is as variable as its day and year: the
		 * template must not change on the first of the month. */
		if (n == 3 && ndig == 0 && is_month_piece(in, p, end)) {
			memcpy(o, tags ? "<TIME>" : MASK_WILD, tags ? 6 :
			    MASK_WILD_LEN);
			o += tags ? 6 : MASK_WILD_LEN;
			p = q;
			continue;
		}
		/* One digit is a name's ("ssh2") only beside letters:
		 * "~7%", "*55" are numbers. */
		if (IS(p[0], C_SIGN | C_DIGIT) || ndig >= 2 || (ndig == 1 &&
		    nalpha == 0) || (ndig == 1 &&
		    n >= 3 && IS(p[n - 1], C_DIGIT) && p[n - 2] == '_') ||
		    (ndig <= 1 && n >= HEX_RUN_MIN && id_word(p, n, ndig)) ||
		    (!tags && is_literal_value(p, n))) {
			/* A sign after a word ("blk_-12"): the word and the
			 * number are one variable. */
			while (!tags && o > out && !IS(o[-1], PIECE_DELIM) &&
			    !(o[-1] == '_' && o - out >= 2 && o[-2] == '>'))
				o--;
			if (!tags) {
				memcpy(o, MASK_WILD, MASK_WILD_LEN);
				o += MASK_WILD_LEN;
			} else if (digit_only) {
				memcpy(o, "<NUM>", 5);
				o += 5;
			} else {
				memcpy(o, "<ID>", 4);
				o += 4;
			}
		} else {
			memcpy(o, p, n);
			o += n;
		}
		p = q;
	}
	return (size_t)(o - out);
}

static char *
put_class(char *o, enum mask_class c, int tags)
{
	const char *name;
	size_t n;

	if (!tags) {
		memcpy(o, MASK_WILD, MASK_WILD_LEN);
		return o + MASK_WILD_LEN;
	}
	name = class_names[c];
	n = strlen(name);
	*o++ = '<';
	memcpy(o, name, n);
	o += n;
	*o++ = '>';
	return o;
}

/*
 * Mask the core p[0..n) as a whole if it is one of the classes: write its
 * shape to out and return the length, or 0.
 */
static size_t
mask_core(const char *p, size_t n, char *out, int tags, int depth,
    unsigned int seen)
{
	char *o = out;
	size_t k;
	int ip, port;

	if (n == 0)
		return 0;
	/* Each class needs a byte the token may not have: seen says so
	 * before any recogniser reads the core. */
	if ((seen & C_COLON) && (seen & C_SLASH) &&
	    (k = url_scheme(p, n)) != 0) {
		if (tags)
			return (size_t)(put_class(o, MASK_URL, 1) - out);
		memcpy(o, p, k + 3);
		o += k + 3;
		return (size_t)(put_class(o, MASK_URL, 0) - out);
	}
	if (is_literal_value(p, n))
		return (size_t)(put_class(o, MASK_VALUE, tags) - out);
	if (IS(p[0], C_DIGIT | C_HEX | C_SIGN)) {
		if (is_uuid(p, n))
			return (size_t)(put_class(o, MASK_UUID, tags) - out);
		if (is_mac(p, n))
			return (size_t)(put_class(o, MASK_MAC, tags) - out);
	}
	if (IS(p[0], C_DIGIT)) {
		/* Stamps keep their separators in the template style,
		 * "<*>:<*>:<*>", as the pieces give them. */
		if (tags && is_stamp(p, n))
			return (size_t)(put_class(o, MASK_TIME, tags) - out);
		if ((seen & C_DOT) && (k = ipv4_len(p, n)) != 0) {
			if (k == n)
				return (size_t)(put_class(o, MASK_IP, tags) -
				    out);
			if (k + 1 < n && (p[k] == ':' || p[k] == '/') &&
			    digits(p + k + 1, n - k - 1) == n - k - 1 &&
			    n - k - 1 <= 5) {
				o = put_class(o, MASK_IP, tags);
				if (p[k] == '/' && !tags)
					return (size_t)(o - out);
				*o++ = p[k];
				return (size_t)(put_class(o, MASK_NUM, tags) -
				    out);
			}
		}
	}
	if ((seen & C_COLON) && is_ipv6(p, n))
		return (size_t)(put_class(o, MASK_IP6, tags) - out);
	if (is_hex(p, n))
		return (size_t)(put_class(o, MASK_HEX, tags) - out);
	if (is_number(p, n))
		return (size_t)(put_class(o, MASK_NUM, tags) - out);
	if ((seen & C_AT) && is_email(p, n))
		return (size_t)(put_class(o, MASK_EMAIL, tags) - out);
	if ((seen & C_DOT) && IS(p[0], C_LABEL) &&
	    (k = host_len(p, n, (seen & C_COLON) != 0, &port)) != 0) {
		o = put_class(o, MASK_HOST, tags);
		if (port) {
			*o++ = ':';
			o = put_class(o, MASK_NUM, tags);
		}
		return (size_t)(o - out);
	}
	if ((seen & (C_COLON | C_SLASH | C_LEAD)) && (seen & C_DIGIT) &&
	    IS(p[0], C_LABEL) && (k = host_addr_len(p, n, &ip, &port)) != 0) {
		o = put_class(o, MASK_HOST, tags);
		if (ip == 2) {
			size_t a = k + 1;

			*o++ = '[';
			while (a < n && p[a] != ']')
				a++;
			o = put_class(o, is_ipv6(p + k + 1, a - k - 1) ?
			    MASK_IP6 : MASK_IP, tags);
			if (a < n)
				*o++ = ']';
		} else if (ip) {
			*o++ = '/';
			o = put_class(o, MASK_IP, tags);
		}
		if (port) {
			*o++ = ':';
			o = put_class(o, MASK_NUM, tags);
		}
		return (size_t)(o - out);
	}
	/* A path ends at a path delimiter: "/10.0.0.1:2181" is a path, a
	 * colon and a port, as Loghub-2.0 has it; the pieces see to it. */
	if ((p[0] == '/' && is_path(p, n) && !((seen & C_PDELIM) &&
	    has_pdelim(p, n))) || (n > 2 && ((p[0] == '.' &&
	    p[1] == '/') || (p[0] == '~' && p[1] == '/'))) || (n > 3 &&
	    memcmp(p, "../", 3) == 0))
		return (size_t)(put_class(o, MASK_PATH, tags) - out);
	/* key=value: the key stays, the value is masked by itself. */
	if (depth == 0 && (seen & C_EQ) && IS(p[0], C_ALPHA) &&
	    (k = span_of(p, n, C_KEY)) < n && p[k] == '=' && k + 1 < n) {
		size_t v;

		/* The value's own wrappers stay with the key: postfix's
		 * "from=<alice@example.com>" (the token's last '>' went
		 * with the token's wrappers). */
		for (k++; k < n - 1 && IS(p[k], C_LEAD); k++)
			;
		v = mask_core(p + k, n - k, o + k, tags, 1, seen);
		if (v == 0)
			return 0;
		memcpy(o, p, k);
		return k + v;
	}
	return 0;
}

/* Is in[0..len) an empty pair with trailing punctuation: "()", "[],"? */
static size_t
empty_pair(const char *in, size_t len)
{
	static const char pairs[] = "()[]{}\"\"''";
	const char *o;

	if ((o = memchr(pairs, in[0], sizeof pairs - 1)) == NULL ||
	    (o - pairs) % 2 != 0 || in[1] != o[1])
		return 0;
	return span_of(in + 2, len - 2, C_TRAIL) == len - 2;
}

/* Wrappers that the template style leaves as they are: not '<', '>'. */
static int
plain_wrappers(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] == '<' || p[i] == '>')
			return 0;
	return 1;
}

/*
 * A class's shape in template style already, but for the key of a
 * key=value: a key piece of digits only, or one of the literal values,
 * would become "<*>" too.
 */
static int
plain_key(const char *p, size_t n)
{
	size_t i, start = 0;
	int digits_only = 1;

	if (n == 0 || p[0] == '<')
		return 1;
	for (i = 0; i < n && p[i] != '='; i++) {
		if (IS(p[i], C_DELIM)) {
			if (digits_only && i > start)
				return 0;
			if (is_literal_value(p + start, i - start))
				return 0;
			start = i + 1;
			digits_only = 1;
		} else if (!IS(p[i], C_DIGIT))
			digits_only = 0;
	}
	return !(digits_only && i > start) &&
	    !is_literal_value(p + start, i - start);
}

static int
is_wild(const char *s, size_t n)
{
	return n >= MASK_WILD_LEN && memcmp(s, MASK_WILD, MASK_WILD_LEN) == 0;
}

/*
 * Collapse "<*>.<*>" and "<*><*>" runs, in place; returns the length.
 * Each "<*>" is met where it starts, and what follows it dropped, so
 * that a byte is looked at once, not also as the end of what came
 * before it.
 */
static size_t
collapse(char *s, size_t n)
{
	size_t r = 0, w = 0;

	while (r < n) {
		if (s[r] != '<' || !is_wild(s + r, n - r)) {
			s[w++] = s[r++];
			continue;
		}
		memcpy(s + w, MASK_WILD, MASK_WILD_LEN);
		w += MASK_WILD_LEN;
		r += MASK_WILD_LEN;
		for (;;) {
			if (is_wild(s + r, n - r))
				r += MASK_WILD_LEN;		/* <*><*> */
			else if (r < n && s[r] == '.' &&
			    is_wild(s + r + 1, n - r - 1))
				r += 1 + MASK_WILD_LEN;		/* <*>.<*> */
			else
				break;
		}
	}
	return w;
}

/* seen: the classes of in's bytes ORed, as mask_token_seen() says. */
static size_t
mask_scan(const char *in, size_t len, char *out, int tags, unsigned int seen)
{
	const char *core, *cend;
	char *marked, *o;
	size_t i, n, lead, trail;

	if (!(seen & (C_DIGIT | C_SLASH | C_DOT | C_AT | C_LEAD))) {
		if (len >= LETTERS_RUN_MIN)
			;	/* may hold a nonce: the pieces say */
		else if (len >= MASK_HEX_LETTERS_MIN && (seen & C_HEX))
			;	/* may be hexadecimal with no digit */
		else if (!is_literal_value(in, len))
			return 0;	/* a plain word: its own shape */
	} else if (len >= 2 && !(seen & (C_DIGIT | C_ALPHA)) &&
	    (n = empty_pair(in, len)) != 0) {
		/* An empty value, "()" or '""': a variable that is empty. */
		if (tags) {
			out[0] = in[0];
			memcpy(out + 1, "<*>", 3);
			memcpy(out + 4, in + 1, len - 1);
			return len + 3;
		}
		o = out;
		*o++ = in[0];
		memcpy(o, MASK_WILD, MASK_WILD_LEN);
		o += MASK_WILD_LEN;
		memcpy(o, in + 1, len - 1);
		return len + MASK_WILD_LEN;
	}

	/* The wrappers around the core. */
	core = in;
	cend = in + len;
	while (core < cend && IS(*core, C_LEAD))
		core++;
	while (cend > core && IS(cend[-1], C_TRAIL))
		cend--;
	lead = (size_t)(core - in);
	trail = (size_t)(in + len - cend);

	/* Mark straight into out; the few shapes that need the template
	 * style are copied to the scratch after it for mask_canonical().
	 * Saves a copy of every shape. */
	n = mask_core(core, (size_t)(cend - core), out + lead, tags, 0, seen);
	if (n != 0) {
		if (lead > 0)
			memcpy(out, in, lead);
		if (trail > 0)
			memcpy(out + lead + n, cend, trail);
		n += lead + trail;
		if (tags)
			return n;
		if (!plain_wrappers(in, lead) || !plain_wrappers(cend, trail) ||
		    !plain_key(out + lead, n - lead - trail)) {
			marked = out + MASK_SHAPE_MAX(MASK_SHAPE_MAX(len));
			memcpy(marked, out, n);
			return mask_canonical(marked, n, out);
		}
		return n;
	}
	if (!(seen & (C_DIGIT | C_SLASH)) && len < LETTERS_RUN_MIN)
		return 0;
	n = mark_pieces(in, len, out, tags);
	if (tags)
		return n == len && memcmp(out, in, len) == 0 ? 0 : n;
	/* Pieces are whole between delimiters, so the template style
	 * only has runs of variables left to collapse. */
	i = collapse(out, n);
	if (i == len && memcmp(out, in, len) == 0)
		return 0;	/* nothing was variable after all ("ssh2") */
	return i;
}

static unsigned int
seen_of(const char *in, size_t len)
{
	unsigned int seen = 0;
	size_t i;

	for (i = 0; i < len; i++)
		seen |= cls[(unsigned char)in[i]];
	return seen;
}

size_t
mask_token(const char *in, size_t len, char *out)
{
	return mask_scan(in, len, out, 0, seen_of(in, len));
}

size_t
mask_token_seen(const char *in, size_t len, unsigned int seen, char *out)
{
	return mask_scan(in, len, out, 0, seen);
}

size_t
mask_token_tags(const char *in, size_t len, char *out)
{
	return mask_scan(in, len, out, 1, seen_of(in, len));
}

/* Is piece p (n bytes) "<*>_<*>", variables joined by '_' only?  Numbers
 * so joined are two values (digits_joined()) and print as two, as
 * "<*>-<*>" does; a word and its number ("blk_<*>") print as one. */
static int
wilds_joined(const char *p, size_t n)
{
	size_t i = 0;

	for (;;) {
		if (n - i < MASK_WILD_LEN ||
		    memcmp(p + i, MASK_WILD, MASK_WILD_LEN) != 0)
			return 0;
		i += MASK_WILD_LEN;
		if (i == n)
			return i > MASK_WILD_LEN;
		if (p[i++] != '_')
			return 0;
	}
}

size_t
mask_canonical(const char *in, size_t len, char *out)
{
	const char *end = in + len, *p, *q;
	char *o = out, *piece;
	int space = 0;

	/* Paths first, whitespace collapsed; then piece by piece. */
	for (p = in; p < end && IS(*p, C_SPACE); p++)
		;
	while (p < end) {
		if (IS(*p, C_SPACE)) {
			space = 1;
			p++;
			continue;
		}
		if (space) {
			*o++ = ' ';
			space = 0;
		}
		if (IS(*p, C_PDELIM)) {
			*o++ = *p++;
			continue;
		}
		for (q = p; q < end && !IS(*q, C_PDELIM | C_SPACE); q++)
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
			int digit_only = 1, wild = 0, slash = 0;

			if (IS(*p, C_DELIM)) {
				*o++ = *p++;
				continue;
			}
			piece = o;
			while (p < q && !IS(*p, C_DELIM))
				*o++ = *p++;
			n = (size_t)(o - piece);
			for (i = 0; i < n; i++) {
				unsigned char c = (unsigned char)piece[i];

				if (!IS(c, C_DIGIT))
					digit_only = 0;
				if (c == '/')
					slash = 1;
				if (c == '<' && n - i >= MASK_WILD_LEN &&
				    memcmp(piece + i, MASK_WILD,
				    MASK_WILD_LEN) == 0)
					wild = 1;
			}
			if (digit_only || is_literal_value(piece, n) ||
			    (wild && !slash && !wilds_joined(piece, n))) {
				o = piece;
				memcpy(o, MASK_WILD, MASK_WILD_LEN);
				o += MASK_WILD_LEN;
			}
		}
	}
	return collapse(out, (size_t)(o - out));
}

/* Adds a form at p; 0 when there is no room. */
static int
add_form(struct mask_forms *mf, size_t at)
{
	if (mf->n == MASK_FORMS)
		return 0;
	mf->at[mf->n++] = (uint16_t)at;
	return 1;
}

/*
 * Where masking reads digits' values in s[0..len): an IPv4 octet of three
 * digits (more than 255 is none), which ipv4_len() reads only in four
 * runs of digits joined by dots, so only in a chain of four or more such
 * runs: a run of three, or the last three of a longer run before a dot
 * (an address may start inside it); and a digit before an 'x', which
 * starts hexadecimal as "0x".  Everything else is told by what is a digit
 * and what is not, so tokens of lines that differ only in digits differ
 * only in those digits, unless these read otherwise.  A change that reads
 * values elsewhere must be found here too (fuzz_tokens.c compares cached
 * tokens with fresh ones on texts that differ in their digits).  Returns
 * 0 when there are more than MASK_FORMS, or the text is longer than
 * 64 KiB.
 */
int
mask_forms(const char *s, size_t len, struct mask_forms *mf)
{
	size_t i = 0, start, chain = 0, k;
	size_t octet[MASK_FORMS];	/* the chain's runs that may be */
	size_t noctets = 0;
	int more;

	mf->n = 0;
	if (len > UINT16_MAX)
		return 0;
	while (i < len) {
		if (!IS(s[i], C_DIGIT)) {
			i++;
			continue;
		}
		start = i;
		while (i < len && IS(s[i], C_DIGIT))
			i++;
		if (i < len && (s[i] == 'x' || s[i] == 'X') &&
		    !add_form(mf, i - 1))
			return 0;
		/* The chain this run is in: it goes on after a dot and a
		 * digit. */
		if (chain == 0)
			noctets = 0;
		chain++;
		more = i + 1 < len && s[i] == '.' && IS(s[i + 1], C_DIGIT);
		if (i - start == 3 || (i - start > 3 && more)) {
			if (noctets == MASK_FORMS)
				return 0;
			octet[noctets++] = i - 3;
		}
		if (more) {
			i++;
			continue;
		}
		if (chain >= 4)
			for (k = 0; k < noctets; k++)
				if (!add_form(mf, octet[k]))
					return 0;
		chain = 0;
	}
	return 1;
}

/* How the forms mf found read in s, of the shape of the text they were
 * found in: a bit each, as the checks that read them conclude. */
uint32_t
mask_form_values(const char *s, size_t len, const struct mask_forms *mf)
{
	uint32_t bits = 0;
	const char *p;
	unsigned i;

	for (i = 0; i < mf->n; i++) {
		p = s + mf->at[i];
		if ((size_t)mf->at[i] + 1 < len &&
		    (p[1] == 'x' || p[1] == 'X')) {
			if (p[0] == '0')
				bits |= 1u << i;
		} else if ((p[0] - '0') * 100 + (p[1] - '0') * 10 +
		    (p[2] - '0') <= 255)
			bits |= 1u << i;
	}
	return bits;
}
