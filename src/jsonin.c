/*
 * JSON scanner for JSON lines input.  It is a validating recursive
 * descent over one line that builds nothing: while it checks the syntax
 * it follows the wanted paths with a bit mask per object level (bit i
 * set while the keys so far are a prefix of path i), so any number of
 * paths up to JSON_MAX_PATHS cost one pass.  Recursion stops at
 * JSON_MAX_DEPTH, so hostile nesting cannot exhaust the stack.  Strings
 * must be valid UTF-8 without raw control characters, as RFC 8259 says:
 * a line that passes can be copied into JSON output untouched.
 *
 * The jsonin object on top owns the field paths (the message's, the
 * record's time and level, the source's), one growable buffer for the
 * unescaped message, and the counts of lines that were not objects or
 * had no message field.  It never prints.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "jsonin.h"
#include "jsonplain.h"
#include "xmalloc.h"

struct scan {
	const unsigned char	*p;
	const unsigned char	*end;
	const struct json_path	*paths;
	size_t			 npaths;
	struct json_value	*vals;
	const uint32_t		*top_len;	/* path_lengths() */
	struct record_members	*members;	/* or NULL */
};

static void
skip_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t
utf8_len(const unsigned char *s, const unsigned char *end)
{
	size_t n = (size_t)(end - s);
	unsigned char c = s[0];

	if (c >= 0xc2 && c <= 0xdf)
		return (n >= 2 && (s[1] & 0xc0) == 0x80) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0))
			return 0;	/* overlong, or a surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90))
			return 0;	/* overlong, or past U+10FFFF */
		return 4;
	}
	return 0;
}

/* A string, s->p on its opening quote.  Fills v with the inside. */
static int
scan_string(struct scan *s, struct json_value *v)
{
	const unsigned char *p = s->p + 1;
	size_t n;
	int i;

	v->type = JSON_STRING;
	v->escaped = 0;
	v->p = (const char *)p;
	while (p < s->end) {
		unsigned char c;

		/* The plain bytes at once; the loop sees the others. */
		if ((p += json_plain(p, (size_t)(s->end - p))) == s->end)
			break;
		c = *p;
		if (c == '"') {
			v->len = (size_t)((const char *)p - v->p);
			s->p = p + 1;
			return 0;
		}
		if (c == '\\') {
			v->escaped = 1;
			if (++p == s->end)
				return -1;
			switch (*p) {
			case '"': case '\\': case '/': case 'b': case 'f':
			case 'n': case 'r': case 't':
				p++;
				break;
			case 'u':
				if (s->end - p < 5)
					return -1;
				for (i = 1; i <= 4; i++)
					if (hexval(p[i]) == -1)
						return -1;
				p += 5;
				break;
			default:
				return -1;
			}
		} else if (c < 0x20)
			return -1;
		else if (c < 0x80)
			p++;
		else if ((n = utf8_len(p, s->end)) > 0)
			p += n;
		else
			return -1;
	}
	return -1;
}

static int
scan_number(struct scan *s)
{
	const unsigned char *p = s->p, *e = s->end;

	if (p < e && *p == '-')
		p++;
	if (p == e)
		return -1;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	else
		return -1;
	if (p < e && *p == '.') {
		if (++p == e || *p < '0' || *p > '9')
			return -1;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (p == e || *p < '0' || *p > '9')
			return -1;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	s->p = p;
	return 0;
}

static int
scan_word(struct scan *s, const char *w, size_t n)
{
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0)
		return -1;
	s->p += n;
	return 0;
}

/* The index of the lowest bit set in m, which is not 0. */
static inline unsigned
ctz32(uint32_t m)
{
	return (unsigned)__builtin_ctz(m);
}

/* Does the key (raw, maybe escaped) equal want[0..wlen)? */
static int
key_is(const struct json_value *key, const char *want, size_t wlen)
{
	char tmp[256], *buf = tmp;
	size_t cap = sizeof tmp, n;

	if (!key->escaped)
		return key->len == wlen && memcmp(key->p, want, wlen) == 0;
	/* Unescaping only shrinks: a key that fits raw fits unescaped. */
	if (key->len + 1 > sizeof tmp || key->len < wlen)
		return 0;
	n = json_text(key, &buf, &cap);
	return n == wlen && memcmp(buf, want, wlen) == 0;
}

static int	scan_value(struct scan *, unsigned, size_t, uint32_t,
		    struct json_value *);

/* The length of path pa's segments from seg on, dots and all. */
static size_t
rest_len(const struct json_path *pa, size_t seg)
{
	size_t last = pa->nseg - 1;

	return (size_t)(pa->seg[last].p + pa->seg[last].len - pa->seg[seg].p);
}

/* A member of the top object, if it is one a line's values may be. */
static void
keep_member(struct record_members *rm, const struct json_value *key,
    const struct json_value *val)
{
	if (rm->n == MEMBERS_MAX || key->escaped || key->len == 0 ||
	    key->p[0] == '_' ||
	    !((val->type == JSON_STRING && !val->escaped) ||
	    val->type == JSON_NUMBER || val->type == JSON_TRUE ||
	    val->type == JSON_FALSE))
		return;
	rm->m[rm->n].key = key->p;
	rm->m[rm->n].keylen = key->len;
	rm->m[rm->n].val = val->p;
	rm->m[rm->n].vallen = val->len;
	rm->n++;
}

/* An object at nesting level depth, its keys at path segment seg. */
static int
scan_object(struct scan *s, unsigned depth, size_t seg, uint32_t alive)
{
	struct json_value key, val;
	uint32_t sub, flat, m;
	size_t i;

	if (depth >= JSON_MAX_DEPTH)
		return -1;
	s->p++;			/* '{' */
	skip_ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		return 0;
	}
	for (;;) {
		skip_ws(s);
		if (s->p == s->end || *s->p != '"' || scan_string(s, &key) == -1)
			return -1;
		skip_ws(s);
		if (s->p == s->end || *s->p != ':')
			return -1;
		s->p++;
		sub = flat = 0;
		/* Only the paths still alive, by their bits, and at the top
		 * only those of the key's length: a record has a score of
		 * paths to look for and most keys match none. */
		m = alive;
		if (seg == 0 && !key.escaped)
			m &= s->top_len[key.len % 16];
		for (; m != 0; m &= m - 1) {
			const struct json_path *pa = &s->paths[ctz32(m)];

			if (seg >= pa->nseg)
				continue;
			if ((key.escaped || key.len == pa->seg[seg].len) &&
			    key_is(&key, pa->seg[seg].p, pa->seg[seg].len))
				sub |= m & -m;
			/* A key that names the rest of the path flat, as
			 * the Elastic schema writes "log.level". */
			else if (seg + 1 < pa->nseg && (key.escaped ||
			    key.len == rest_len(pa, seg)) &&
			    key_is(&key, pa->seg[seg].p, rest_len(pa, seg)))
				flat |= m & -m;
		}
		if (scan_value(s, depth, seg + 1, sub, &val) == -1)
			return -1;
		if (depth == 0 && s->members != NULL && (sub | flat) == 0)
			keep_member(s->members, &key, &val);
		/* The paths the key matched, by their bits only. */
		for (m = sub | flat; m != 0; m &= m - 1) {
			i = ctz32(m);
			if (((((sub >> i) & 1) && s->paths[i].nseg == seg + 1) ||
			    ((flat >> i) & 1)) && s->vals[i].type == JSON_NONE)
				s->vals[i] = val;
		}
		skip_ws(s);
		if (s->p == s->end)
			return -1;
		if (*s->p == '}') {
			s->p++;
			return 0;
		}
		if (*s->p++ != ',')
			return -1;
	}
}

static int
scan_array(struct scan *s, unsigned depth)
{
	struct json_value val;

	if (depth >= JSON_MAX_DEPTH)
		return -1;
	s->p++;			/* '[' */
	skip_ws(s);
	if (s->p < s->end && *s->p == ']') {
		s->p++;
		return 0;
	}
	for (;;) {
		if (scan_value(s, depth, 0, 0, &val) == -1)
			return -1;
		skip_ws(s);
		if (s->p == s->end)
			return -1;
		if (*s->p == ']') {
			s->p++;
			return 0;
		}
		if (*s->p++ != ',')
			return -1;
	}
}

/*
 * Any value.  Paths still alive continue into an object value at
 * segment seg.  v gets the value's type and raw text.
 */
static int
scan_value(struct scan *s, unsigned depth, size_t seg, uint32_t alive,
    struct json_value *v)
{
	const unsigned char *start;
	int rc;

	skip_ws(s);
	if (s->p == s->end)
		return -1;
	start = s->p;
	v->escaped = 0;
	switch (*s->p) {
	case '"':
		return scan_string(s, v);
	case '{':
		v->type = JSON_OBJECT;
		rc = scan_object(s, depth + 1, seg, alive);
		break;
	case '[':
		v->type = JSON_ARRAY;
		rc = scan_array(s, depth + 1);
		break;
	case 't':
		v->type = JSON_TRUE;
		rc = scan_word(s, "true", 4);
		break;
	case 'f':
		v->type = JSON_FALSE;
		rc = scan_word(s, "false", 5);
		break;
	case 'n':
		v->type = JSON_NULL;
		rc = scan_word(s, "null", 4);
		break;
	default:
		v->type = JSON_NUMBER;
		rc = scan_number(s);
		break;
	}
	v->p = (const char *)start;
	v->len = (size_t)(s->p - start);
	return rc;
}

int
json_find(const char *text, size_t len, const struct json_path *paths,
    size_t n, struct json_value *vals)
{
	return json_find_members(text, len, paths, n, vals, NULL);
}

/*
 * The paths (n at most JSON_MAX_PATHS) whose first key, or the whole of
 * them written flat, is k bytes long, by k % 16: at the top, a key is
 * compared with those only.
 */
static void
path_lengths(const struct json_path *paths, size_t n, uint32_t top_len[16])
{
	size_t i;

	memset(top_len, 0, 16 * sizeof top_len[0]);
	for (i = 0; i < n; i++) {
		top_len[paths[i].seg[0].len % 16] |= UINT32_C(1) << i;
		top_len[rest_len(&paths[i], 0) % 16] |= UINT32_C(1) << i;
	}
}

/* json_find_members(), with path_lengths() of the paths made already. */
static int
find(const char *text, size_t len, const struct json_path *paths, size_t n,
    const uint32_t top_len[16], struct json_value *vals,
    struct record_members *members)
{
	struct scan s;
	uint32_t alive;

	if (n > 0)
		memset(vals, 0, n * sizeof *vals);	/* JSON_NONE is 0 */
	s.p = (const unsigned char *)text;
	s.end = s.p + len;
	s.paths = paths;
	s.npaths = n;
	s.vals = vals;
	s.top_len = top_len;
	s.members = members;
	if (members != NULL)
		members->n = 0;
	alive = n == JSON_MAX_PATHS ? UINT32_MAX : (UINT32_C(1) << n) - 1;

	skip_ws(&s);
	if (s.p == s.end || *s.p != '{')
		return -1;
	if (scan_object(&s, 0, 0, alive) == -1)
		return -1;
	skip_ws(&s);
	return s.p == s.end ? 0 : -1;
}

int
json_find_members(const char *text, size_t len,
    const struct json_path *paths, size_t n, struct json_value *vals,
    struct record_members *members)
{
	uint32_t top_len[16];

	if (n > JSON_MAX_PATHS)
		n = JSON_MAX_PATHS;
	path_lengths(paths, n, top_len);
	return find(text, len, paths, n, top_len, vals, members);
}

/* Append the UTF-8 encoding of code point cp. */
static size_t
put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static uint32_t
hex4(const unsigned char *p)
{
	return (uint32_t)(hexval(p[0]) << 12 | hexval(p[1]) << 8 |
	    hexval(p[2]) << 4 | hexval(p[3]));
}

size_t
json_text(const struct json_value *v, char **buf, size_t *cap)
{
	const unsigned char *p = (const unsigned char *)v->p;
	const unsigned char *end = p + v->len;
	uint32_t cp, lo;
	size_t o = 0;

	/*
	 * Unescaping never lengthens: "\uXXXX" (6 bytes) is at most 3
	 * bytes of UTF-8, a pair (12) at most 4, so len + 1 is enough.
	 */
	if (*cap < v->len + 1) {
		*buf = xreallocarray(*buf, v->len + 1, 1);
		*cap = v->len + 1;
	}
	if (v->type != JSON_STRING || !v->escaped) {
		memcpy(*buf, v->p, v->len);
		return v->len;
	}
	while (p < end) {
		if (*p != '\\') {
			(*buf)[o++] = (char)*p++;
			continue;
		}
		p++;
		switch (*p++) {
		case 'b': (*buf)[o++] = '\b'; break;
		case 'f': (*buf)[o++] = '\f'; break;
		case 'n': (*buf)[o++] = '\n'; break;
		case 'r': (*buf)[o++] = '\r'; break;
		case 't': (*buf)[o++] = '\t'; break;
		case 'u':
			cp = hex4(p);
			p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && end - p >= 6 &&
			    p[0] == '\\' && p[1] == 'u' &&
			    (lo = hex4(p + 2)) >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			} else if (cp >= 0xd800 && cp <= 0xdfff)
				cp = 0xfffd;	/* a lone surrogate */
			o += put_utf8(*buf + o, cp);
			break;
		default:	/* '"', '\\' and '/' stand for themselves */
			(*buf)[o++] = (char)p[-1];
			break;
		}
	}
	return o;
}

int
json_path_parse(struct json_path *path, const char *spec, char **cause)
{
	char *p, *dot;

	memset(path, 0, sizeof *path);
	if (*spec == '\0') {
		xasprintf(cause, "empty field name");
		return -1;
	}
	path->spec = xstrdup(spec);
	for (p = path->spec;; p = dot + 1) {
		if (path->nseg == JSON_MAX_SEGS) {
			xasprintf(cause, "field '%s' is nested more than %d "
			    "deep", spec, JSON_MAX_SEGS);
			goto fail;
		}
		dot = strchr(p, '.');
		path->seg[path->nseg].p = p;
		path->seg[path->nseg].len = dot != NULL ? (size_t)(dot - p) :
		    strlen(p);
		if (path->seg[path->nseg].len == 0) {
			xasprintf(cause, "field '%s' has an empty part", spec);
			goto fail;
		}
		path->nseg++;
		if (dot == NULL)
			return 0;
	}
fail:
	json_path_free(path);
	return -1;
}

void
json_path_free(struct json_path *path)
{
	free(path->spec);
	path->spec = NULL;
	path->nseg = 0;
}

static const char *const default_fields[] = {
	"log", "message", "msg", "MESSAGE"
};
#define NDEFAULT (sizeof default_fields / sizeof default_fields[0])

/* A record's time and level, in order of preference. */
static const char *const time_fields[] = {
	"time", "timestamp", "@timestamp", "ts", "date", "datetime",
	"__REALTIME_TIMESTAMP"
};
#define NTIME (sizeof time_fields / sizeof time_fields[0])
static const char *const level_fields[] = {
	"level", "log.level", "severity", "lvl", "loglevel", "log_level",
	"levelname", "PRIORITY"
};
#define NLEVEL (sizeof level_fields / sizeof level_fields[0])
#define PRIORITY_FIELD	(NLEVEL - 1)

/*
 * The paths looked up in each line, in one pass: the message's (one, or
 * the defaults), then the time's and the level's, then --key's.
 */
struct jsonin {
	struct json_path	 paths[NDEFAULT + NTIME + NLEVEL + 1];
	size_t			 npaths;	/* the message's */
	size_t			 first_time, first_level, nall;
	uint32_t		 top_len[16];	/* path_lengths() of all */
	int			 haskey;	/* paths[nall - 1] is --key's */
	int			 only_braces;
	char			*buf, *keybuf;
	size_t			 cap, keycap;
	uint64_t		 malformed;
	uint64_t		 missing;
};
_Static_assert(NDEFAULT + NTIME + NLEVEL + 1 <= JSON_MAX_PATHS,
    "a record's paths are looked up in one pass");

/* Name the option whose field *cause is about; returns NULL. */
static struct jsonin *
option_cause(const char *option, char **cause)
{
	char *why = *cause;

	xasprintf(cause, "--%s: %s", option, why);
	free(why);
	return NULL;
}

struct jsonin *
jsonin_new(const char *field, const char *key, int only_braces, char **cause)
{
	struct jsonin *j;
	size_t i;

	j = xcalloc(1, sizeof *j);
	j->only_braces = only_braces;
	if (field != NULL) {
		if (json_path_parse(&j->paths[0], field, cause) == -1) {
			free(j);
			return option_cause("field", cause);
		}
		j->npaths = 1;
	} else {
		for (i = 0; i < NDEFAULT; i++)
			json_path_parse(&j->paths[i], default_fields[i], NULL);
		j->npaths = NDEFAULT;
	}
	j->nall = j->first_time = j->npaths;
	for (i = 0; i < NTIME; i++)
		json_path_parse(&j->paths[j->nall++], time_fields[i], NULL);
	j->first_level = j->nall;
	for (i = 0; i < NLEVEL; i++)
		json_path_parse(&j->paths[j->nall++], level_fields[i], NULL);
	if (key != NULL) {
		if (json_path_parse(&j->paths[j->nall], key, cause) == -1) {
			jsonin_free(j);
			return option_cause("key", cause);
		}
		j->nall++;
		j->haskey = 1;
	}
	path_lengths(j->paths, j->nall, j->top_len);
	return j;
}

void
jsonin_free(struct jsonin *j)
{
	size_t i;

	if (j == NULL)
		return;
	for (i = 0; i < j->nall; i++)
		json_path_free(&j->paths[i]);
	free(j->buf);
	free(j->keybuf);
	free(j);
}

size_t
jsonin_wrapper(const char *line, size_t len)
{
	size_t i;

	if (len < 30 || line[4] != '-' || line[10] != 'T')
		return 0;
	for (i = 0; i < 4; i++)
		if (line[i] < '0' || line[i] > '9')
			return 0;
	for (i = 11; i < len && i < 40 && line[i] != ' '; i++)
		;
	if (i + 10 > len || line[i] != ' ' ||
	    (memcmp(line + i + 1, "stdout ", 7) != 0 &&
	    memcmp(line + i + 1, "stderr ", 7) != 0) ||
	    (line[i + 8] != 'F' && line[i + 8] != 'P') || line[i + 9] != ' ')
		return 0;
	return i + 10;
}

int
jsonin_looks_like(const char *text, size_t len)
{
	const char *p = text, *e = text + len;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	return e - p >= 2 && p[0] == '{' && e[-1] == '}';
}

/* The first of vals[0 .. n) that is a plain string or a number. */
static int
first_plain(const struct json_value *vals, size_t n, struct span *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((vals[i].type == JSON_STRING && !vals[i].escaped) ||
		    vals[i].type == JSON_NUMBER) {
			out->p = vals[i].p;
			out->len = vals[i].len;
			return (int)i;
		}
	return -1;
}

int
jsonin_message(struct jsonin *j, const char *line, size_t len,
    struct json_record *rec)
{
	struct json_value vals[sizeof j->paths / sizeof j->paths[0]];
	size_t i, n, wrapper = 0;

	/* All but the members' views, which n says are not there. */
	memset(rec, 0, offsetof(struct json_record, members));
	rec->members.n = 0;
	/* The container's own line, in its runtime's wrapper. */
	if (len > 0 && line[0] != '{' &&
	    (wrapper = jsonin_wrapper(line, len)) != 0) {
		line += wrapper;
		len -= wrapper;
	}
	if (j->only_braces) {
		for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
			continue;
		if (i == len || line[i] != '{')
			return -1;
	}
	if (find(line, len, j->paths, j->nall, j->top_len, vals,
	    &rec->members) == -1) {
		rec->members.n = 0;	/* those before the fault */
		j->malformed++;
		return -1;
	}
	if (j->haskey && vals[j->nall - 1].type != JSON_NONE &&
	    vals[j->nall - 1].type != JSON_NULL) {
		rec->key.len = json_text(&vals[j->nall - 1], &j->keybuf,
		    &j->keycap);
		rec->key.p = j->keybuf;
	}
	/* The wrapper's stamp: its first word, up to " stdout F ". */
	if (first_plain(vals + j->first_time, NTIME, &rec->time) == -1 &&
	    wrapper != 0) {
		rec->time.p = line - wrapper;
		rec->time.len = wrapper - 10;
	}
	rec->priority = first_plain(vals + j->first_level, NLEVEL,
	    &rec->level) == (int)PRIORITY_FIELD;
	for (i = 0; i < j->npaths; i++) {
		if (vals[i].type == JSON_NONE || vals[i].type == JSON_NULL)
			continue;
		/* A default name holding an object is no message: the
		 * Elastic schema's "log": {"level": ...}. */
		if (j->npaths > 1 && vals[i].type == JSON_OBJECT)
			continue;
		n = json_text(&vals[i], &j->buf, &j->cap);
		if (n > 0 && j->buf[n - 1] == '\n') {
			n--;
			if (n > 0 && j->buf[n - 1] == '\r')
				n--;
		}
		rec->msg.p = j->buf;
		rec->msg.len = n;
		return 1;
	}
	j->missing++;
	return 0;
}

uint64_t
jsonin_malformed(const struct jsonin *j)
{
	return j->malformed;
}

uint64_t
jsonin_missing(const struct jsonin *j)
{
	return j->missing;
}
