/*
 * Tokenizer.  One pass splits the message on whitespace (and on the
 * delimiters the user asked for); each token is masked (mask_token, or
 * the user masks' matches) and its shape hashed with XXH3, so later
 * stages compare tokens by a 64-bit hash and never look at bytes again.
 *
 * A token cut off by a delimiter rather than whitespace ("key=" then
 * "value") marks the next one TOKEN_JOINED, so a template can print the
 * message's spacing back.
 *
 * Some words are variables only by their neighbours, and a second pass
 * over the tokens finds them: a unit of size after a number ("5.2 KB",
 * "(0.0 KB)") is part of the number's value (a template prints it as a
 * word while its lines agree on it, see template.c), and so is an HTTP
 * version after a request's target ("GET /a HTTP/1.1" reads "GET <*>");
 * month and day names in a time stamp ("Fri Jul  1 07:57:30 2005") are
 * variables when a number or another such name stands next to them.
 *
 * Bounds: at most TOKENS_MAX tokens and TOKENS_PREFIX bytes of a message
 * are parsed (the rest still prints, it only does not shape the
 * template); a blob (see is_blob()) is taken as a variable whole and so
 * never stored in a template.
 */
#include "config.h"

#include <string.h>
#include <xxhash.h>

#include "mask.h"
#include "tokenize.h"
#include "xmalloc.h"

static uint64_t wild_hash;

/* Byte classes for the one pass that splits and looks at each token. */
#define B_SPACE		0x01
#define B_MASK		0x02	/* may make the token a variable */
#define B_ALNUM		0x04
#define B_EQ		0x08
#define B_CTX		0x10	/* may start a month, day or unit name */
#define B_LIT		0x20	/* may start null, root, admin */
#define B_MARK		0x40	/* punctuation that counts for a mark */
#define B_NONDIGIT	0x80	/* anything but 0-9 and white space (the
				 * split ORs in the byte that ends a token) */
#define B_MASKSHIFT	8	/* mask_byte_class() from this bit on */
#define B_NOTHEX	(1u << 28)	/* a letter past f: above the mask's
					 * classes (17 bits) */

/* The mask's classes ride along, so that the split's pass over a token
 * is the only one that mask_token_seen() needs. */
static uint32_t bc[256];

/* 1 for the bytes of base64 and of paths: letters, digits, + / = _ . - */
static unsigned char blob_byte[256];

enum context { CTX_NONE, CTX_MONTH, CTX_DAY, CTX_UNIT, CTX_PROTO };

/* Context words packed into 64 bits (up to 8 bytes, lower case for the
 * names), with their length, sorted by nothing: they are few. */
struct ctxword {
	uint64_t	 packed;	/* its first 8 bytes */
	unsigned char	 ninth;		/* "September", "Wednesday"; or 0 */
	unsigned	 len;
	enum context	 ctx;
};

#define CTX_BUCKET	8	/* most words with one first byte: 's' has 7 */

static struct ctxword ctxwords[64];
static size_t nctxwords;
static uint16_t ctxlens[256];	/* by first byte: bit n, a word of n */
/* By first byte, the words that can match, in the order added: a look
 * at a handful of words instead of all of them. */
static unsigned char ctxbucket[256][CTX_BUCKET];
static unsigned char ctxcount[256];

static uint64_t
pack(const char *p, size_t n, int lower)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n && i < 8; i++)
		v |= (uint64_t)(unsigned char)(lower ? (p[i] | 0x20) : p[i]) <<
		    (8 * i);
	return v;
}

static void
add_bucket(unsigned char first, size_t word)
{
	if (ctxcount[first] < CTX_BUCKET)
		ctxbucket[first][ctxcount[first]++] = (unsigned char)word;
}

static void
add_ctxwords(const char *const *w, size_t n, enum context ctx)
{
	size_t i;

	for (i = 0; i < n && nctxwords < sizeof ctxwords / sizeof ctxwords[0];
	    i++) {
		ctxwords[nctxwords].packed = pack(w[i], strlen(w[i]),
		    ctx != CTX_UNIT);
		ctxwords[nctxwords].len = (unsigned)strlen(w[i]);
		ctxwords[nctxwords].ninth = strlen(w[i]) > 8 ?
		    (unsigned char)w[i][8] : 0;
		ctxwords[nctxwords].ctx = ctx;
		add_bucket((unsigned char)w[i][0], nctxwords);
		if (ctx != CTX_UNIT)
			add_bucket((unsigned char)w[i][0] & ~0x20, nctxwords);
		nctxwords++;
		ctxlens[(unsigned char)w[i][0]] |= 1u << strlen(w[i]);
		if (ctx != CTX_UNIT)
			ctxlens[(unsigned char)w[i][0] & ~0x20] |=
			    1u << strlen(w[i]);
	}
}

static void __attribute__((constructor))
tokenize_init(void)
{
	static const char *const months[] = {
		"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
		"oct", "nov", "dec", "january", "february", "march", "april",
		"june", "july", "august", "september", "sept", "october",
		"november", "december"
	};
	static const char *const days[] = {
		"mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday",
		"tuesday", "wednesday", "thursday", "friday", "saturday",
		"sunday"
	};
	static const char *const units[] = {
		"B", "KB", "MB", "GB", "TB", "PB", "EB", "KiB", "MiB", "GiB",
		"TiB", "PiB", "kB"
	};
	const char *p;
	int c;

	wild_hash = XXH3_64bits(MASK_WILD, MASK_WILD_LEN);
	for (c = 0; c < 256; c++) {
		if (c == ' ' || (c >= '\t' && c <= '\r'))
			bc[c] |= B_SPACE;
		else if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c >= 0x80)
			bc[c] |= B_ALNUM;
		else if (strchr("\"'()[]{}<>", c) == NULL)
			bc[c] |= B_MARK;
		if (c >= 'A' && c <= 'Z')
			bc[c] |= B_CTX;
		if ((c | 0x20) >= 'g' && (c | 0x20) <= 'z')
			bc[c] |= B_NOTHEX;
		if ((c < '0' || c > '9') && !(bc[c] & B_SPACE))
			bc[c] |= B_NONDIGIT;
		bc[c] |= (uint32_t)mask_byte_class((unsigned char)c) <<
		    B_MASKSHIFT;
	}
	for (p = "0123456789/.@([{<\"'"; *p != '\0'; p++)
		bc[(unsigned char)*p] |= B_MASK;
	for (p = "nraNRA"; *p != '\0'; p++)
		bc[(unsigned char)*p] |= B_LIT;
	bc['='] |= B_EQ;
	bc['k'] |= B_CTX;
	for (c = 0; c < 256; c++)
		blob_byte[c] = (bc[c] & B_ALNUM) && c < 0x80;
	for (p = "+/=_.-"; *p != '\0'; p++)
		blob_byte[(unsigned char)*p] = 1;
	add_ctxwords(months, sizeof months / sizeof months[0], CTX_MONTH);
	add_ctxwords(days, sizeof days / sizeof days[0], CTX_DAY);
	add_ctxwords(units, sizeof units / sizeof units[0], CTX_UNIT);
}

/*
 * What p[0..n) is by its own letters: a month or day name (any case,
 * capital first) or a unit of size, with trailing punctuation.  Sets *w
 * to the length of the word.
 */
static enum context
context_word(const char *p, size_t n, size_t *w)
{
	const struct ctxword *cw;
	uint64_t raw, low;
	size_t i;

	if (n == 0 || !(bc[(unsigned char)p[0]] & B_CTX))
		return CTX_NONE;
	for (i = n; i > 0 && !(bc[(unsigned char)p[i - 1]] & B_ALNUM); i--)
		;
	*w = i;
	if (i == 0 || i > 9 || !(ctxlens[(unsigned char)p[0]] >> i & 1))
		return CTX_NONE;
	/* Lower case is the same bytes with 0x20 set in each. */
	raw = pack(p, i, 0);
	low = raw | (0x2020202020202020ull >> (8 * (8 - (i < 8 ? i : 8))));
	for (n = 0; n < ctxcount[(unsigned char)p[0]]; n++) {
		cw = &ctxwords[ctxbucket[(unsigned char)p[0]][n]];
		if (cw->len != i)
			continue;
		if (cw->packed == (cw->ctx == CTX_UNIT ? raw : low) &&
		    (i < 9 || (unsigned char)(cw->ctx == CTX_UNIT ? p[8] :
		    p[8] | 0x20) == cw->ninth))
			return cw->ctx;
	}
	return CTX_NONE;
}

/*
 * Is p[0..n) an HTTP version ("HTTP/1.1", with trailing punctuation)?
 * Sets *w to its length without the punctuation.  After a method and a
 * request's target it ends the request line, and target and version are
 * one variable, as a unit and its number are: '"GET <*>"'.
 */
static int
is_http_version(const char *p, size_t n, size_t *w)
{
	size_t i;

	if (n < 6 || memcmp(p, "HTTP/", 5) != 0 || p[5] < '0' || p[5] > '9')
		return 0;
	for (i = 6; i < n && ((p[i] >= '0' && p[i] <= '9') || (p[i] == '.' &&
	    i + 1 < n && p[i + 1] >= '0' && p[i + 1] <= '9')); i++)
		;
	*w = i;
	for (; i < n; i++)
		if (bc[(unsigned char)p[i]] & B_ALNUM)
			return 0;
	return 1;
}

/* Is t an HTTP method ("GET", '"POST'), so that the token after it is a
 * request's target? */
static int
is_method(const struct token *t)
{
	const char *p = t->raw;
	size_t i, n = t->rawlen;

	if (n > 0 && p[0] == '"')
		p++, n--;
	if (n < 3 || n > 7)
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] < 'A' || p[i] > 'Z')
			return 0;
	return 1;
}

/* Flags that say what kind of token t is, from its shape, its text and
 * the classes of its bytes. */
static uint32_t
token_kind(const struct token *t, uint32_t seen)
{
	size_t i, marks = 0;
	uint32_t f = 0;

	if (t->flags & TOKEN_VAR) {
		/* A variable of three bytes is "<*>" itself, the common
		 * shape: no letters to look for. */
		for (i = t->len == MASK_WILD_LEN ? t->len : 0; i < t->len; i++)
			if (bc[(unsigned char)t->shape[i]] & B_ALNUM)
				break;
		if (i == t->len)
			f |= TOKEN_PURE;
	} else if (!(seen & B_ALNUM)) {
		for (i = 0; i < t->rawlen; i++)
			marks += (bc[(unsigned char)t->raw[i]] & B_MARK) != 0;
		if (marks >= 3)
			return TOKEN_MARK;
	}
	if (t->rawlen > 1 && (((seen & B_EQ) && memchr(t->raw + 1, '=',
	    t->rawlen - 1) != NULL) || (t->raw[t->rawlen - 1] == ':' &&
	    t->raw[t->rawlen - 2] != ':')))
		f |= TOKEN_KEY;
	return f;
}

/*
 * The second pass: units after numbers, HTTP versions after a request's
 * target and names in time stamps become variables.  kind[i] is what
 * token i is by its own letters, as the first pass found it for the
 * plain words and HTTP versions (CTX_NONE for the rest).  out is where
 * free room in tk->buf starts; returns where it starts after.
 */
static char *
tokenize_context(struct tokens *tk, const unsigned char *kind, char *out)
{
	struct token *t;
	enum context ctx;
	size_t i, w;
	int prevnum = 0, prevstamp = 0;

	for (i = 0; i < tk->n; i++) {
		t = &tk->tok[i];
		if ((ctx = (enum context)kind[i]) == CTX_NONE) {
			prevnum = (t->flags & TOKEN_PURE) != 0;
			prevstamp = 0;
			continue;
		}
		/* A day before a month: the month may be a variable, so its
		 * letters are read again here, where this is rare. */
		if ((ctx == CTX_UNIT && !prevnum) || (ctx == CTX_PROTO &&
		    (i < 2 || !is_method(&tk->tok[i - 2]))))
			ctx = CTX_NONE;
		else if (ctx != CTX_UNIT && ctx != CTX_PROTO && !prevnum &&
		    !prevstamp && !(i + 1 < tk->n &&
		    (tk->tok[i + 1].flags & TOKEN_PURE)) &&
		    !(ctx == CTX_DAY && i + 1 < tk->n &&
		    context_word(tk->tok[i + 1].raw, tk->tok[i + 1].rawlen,
		    &w) == CTX_MONTH))
			ctx = CTX_NONE;
		if (ctx == CTX_NONE) {
			prevnum = prevstamp = 0;
			continue;
		}
		if (ctx == CTX_UNIT) {
			/* A unit is its own shape: a template keeps it
			 * while its lines agree ("<*> MB,") and makes it
			 * part of the number where they differ. */
			t->shape = t->raw;
			t->len = t->rawlen;
			t->hash = XXH3_64bits(t->shape, t->len);
		} else {
			if (ctx == CTX_PROTO)
				is_http_version(t->raw, t->rawlen, &w);
			else
				context_word(t->raw, t->rawlen, &w);
			memcpy(out, MASK_WILD, MASK_WILD_LEN);
			memcpy(out + MASK_WILD_LEN, t->raw + w, t->rawlen - w);
			t->shape = out;
			t->len = (uint32_t)(MASK_WILD_LEN + t->rawlen - w);
			out += t->len;
			t->hash = t->len == MASK_WILD_LEN ? wild_hash :
			    XXH3_64bits(t->shape, t->len);
		}
		t->flags |= TOKEN_VAR | TOKEN_PURE;
		if (ctx == CTX_UNIT || ctx == CTX_PROTO)
			t->flags |= TOKEN_UNIT;
		else
			t->flags |= TOKEN_STAMP;
		prevnum = ctx == CTX_UNIT;
		prevstamp = ctx == CTX_MONTH || ctx == CTX_DAY;
	}
	return out;
}

void
tokenize_append(struct tokens *tk, const char *word, size_t len)
{
	struct token *t;

	if (tk->n == TOKENS_MAX)
		tk->n--;
	t = &tk->tok[tk->n++];
	t->raw = t->shape = word;
	t->rawlen = t->len = (uint32_t)len;
	t->hash = XXH3_64bits(word, len);
	t->flags = 0;
}

uint64_t
token_wild_hash(void)
{
	return wild_hash;
}

void
tokenize(const char *msg, size_t len, struct tokens *tk)
{
	tk->nspans = 0;
	tokenize_with(NULL, msg, len, tk);
}

/* Does p[0..n) start with enough letters a to f for a hexadecimal id
 * with no digit?  Most words fail at their first or second letter. */
static int
hex_letters(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && (unsigned char)((p[i] | 0x20) - 'a') < 6; i++)
		;
	return i >= MASK_HEX_LETTERS_MIN;
}

/*
 * Is the token a blob, a variable taken whole?  Past TOKEN_HUGE bytes it
 * always is.  Past TOKEN_LONG it is when all its bytes could be base64 or
 * a path: an encoded key or a long path must not leave its random pieces
 * in a template as words, while a long list of keys ("a=1,b=2,...") or
 * of names ("open:read:write:]") keeps them.
 */
static int
is_blob(const char *s, size_t len)
{
	size_t i;

	if (len <= TOKEN_LONG)
		return 0;
	if (len > TOKEN_HUGE)
		return 1;
	for (i = 0; i < len; i++)
		if (!blob_byte[(unsigned char)s[i]])
			return 0;
	return 1;
}

/*
 * The shape of a token that holds user mask matches: its bytes with each
 * match replaced by "<*>", in template style.  Returns the length.
 */
static size_t
user_shape(const struct tokens *tk, size_t first, const char *s,
    const char *e, char *out)
{
	const struct token_span *sp;
	const char *p = s, *a, *b;
	char *marked = out + MASK_SHAPE_MAX(MASK_SHAPE_MAX(e - s));
	char *o = marked;
	size_t j;

	for (j = first; j < tk->nspans; j++) {
		sp = &tk->spans[j];
		a = tk->msg + sp->start;
		b = tk->msg + sp->end;
		if (a >= e)
			break;
		if (a < p)
			a = p;
		if (b > e)
			b = e;
		memcpy(o, p, (size_t)(a - p));
		o += a - p;
		memcpy(o, MASK_WILD, MASK_WILD_LEN);
		o += MASK_WILD_LEN;
		p = b;
	}
	memcpy(o, p, (size_t)(e - p));
	o += e - p;
	return mask_canonical(marked, (size_t)(o - marked), out);
}

struct tokens *
tokens_new(void)
{
	struct tokens *tk = xmalloc(sizeof *tk);

	tk->into = NULL;
	tk->n = 0;
	tk->shapelen = 0;
	tk->tok = tk->own;
	return tk;
}

void
tokenize_with(const struct tokenizer *tz, const char *msg, size_t len,
    struct tokens *tk)
{
	const char *p = msg, *end, *s, *q;
	const unsigned char *delim = NULL;
	char *out = tk->buf;
	struct token *t;
	size_t n, span = 0, first, nspans = tk->nspans;
	/* The count in a register: stores through char pointers (the
	 * shapes) would make the compiler reload tk->n after each. */
	size_t nt = 0;
	uint32_t joined = 0, seen;
	unsigned char kind[TOKENS_MAX];	/* enum context of each token */
	struct token *tok = tk->tok = tk->into != NULL ? tk->into : tk->own;
	int context = 0;
	int cut;			/* the token ends at a delimiter */
	int in_string = 0, escaped = 0;	/* JSON read as text */

	tk->cut = 0;
	tk->tz = tz;
	tk->msg = msg;
	if (tz != NULL && tz->any_delim)
		delim = tz->delim;
	if (len > TOKENS_PREFIX) {
		len = TOKENS_PREFIX;
		tk->cut = 1;
	}
	end = len > 0 ? msg + len : msg;	/* msg may be NULL when empty */
	for (;;) {
		if (p < end && (bc[(unsigned char)*p] & B_SPACE)) {
			joined = 0;
			do
				p++;
			while (p < end && (bc[(unsigned char)*p] & B_SPACE));
		}
		if (p == end)
			break;
		if (nt == TOKENS_MAX) {
			tk->cut = 1;
			break;
		}
		s = p;
		seen = 0;
		cut = 0;
		if (delim == NULL) {
			/* Four bytes per test while none is white space: one
			 * bound check and one branch instead of four. */
			while (end - p >= 4) {
				uint32_t c = bc[(unsigned char)p[0]] |
				    bc[(unsigned char)p[1]] |
				    bc[(unsigned char)p[2]] |
				    bc[(unsigned char)p[3]];

				if (c & B_SPACE)
					break;
				seen |= c;
				p += 4;
			}
			while (p < end && !((seen |= bc[(unsigned char)*p]) &
			    B_SPACE))
				p++;
		} else if (!tz->json) {
			while (p < end && !((seen |= bc[(unsigned char)*p]) &
			    B_SPACE) && !delim[(unsigned char)*p])
				p++;
			if (p < end && delim[(unsigned char)*p])
				cut = 1;
		} else {
			/* A JSON object read as text: its ',' and ':' cut
			 * only between values, not inside a string
			 * ("10:00:01", "10.0.0.1:8080"), so that a value
			 * has as many tokens whatever it holds. */
			for (; p < end && !((seen |= bc[(unsigned char)*p]) &
			    B_SPACE); p++) {
				if (escaped)
					escaped = 0;
				else if (*p == '\\' && in_string)
					escaped = 1;
				else if (*p == '"')
					in_string = !in_string;
				else if (!in_string && delim[(unsigned char)*p]) {
					cut = 1;
					break;
				}
			}
		}
		if (cut)
			p++;	/* the delimiter stays with its token */
		/* User mask matches: a token that holds one takes all of
		 * it, spaces included, and up to the next split after it. */
		while (span < nspans && msg + tk->spans[span].end <= s)
			span++;
		first = span;
		while (span < nspans && msg + tk->spans[span].start < p) {
			if (msg + tk->spans[span].end > p) {
				p = msg + tk->spans[span].end;
				if (p > end)
					p = end;
				while (p < end && !(bc[(unsigned char)*p] &
				    B_SPACE) && (delim == NULL ||
				    !delim[(unsigned char)p[-1]]))
					p++;
			}
			span++;
		}
		if (first < span)
			for (seen = 0, q = s; q < p; q++)
				seen |= bc[(unsigned char)*q];
		t = &tok[nt];
		t->raw = s;
		t->rawlen = (uint32_t)(p - s);
		t->flags = joined;
		joined = 0;
		if (delim != NULL && (tz->json ? cut :
		    delim[(unsigned char)p[-1]]))
			joined = TOKEN_JOINED;
		kind[nt++] = CTX_NONE;
		if (t->rawlen > TOKEN_LONG && is_blob(s, t->rawlen)) {
			t->shape = MASK_WILD;
			t->len = MASK_WILD_LEN;
			t->flags |= TOKEN_VAR;
		} else if (first < span) {
			n = user_shape(tk, first, s, p, out);
			t->shape = out;
			t->len = (uint32_t)n;
			out += n;
			t->flags |= TOKEN_VAR | TOKEN_USER;
		} else if (!(seen & B_NONDIGIT)) {
			/* Digits only, the commonest variable: a number,
			 * known here without the masking's recognisers. */
			t->shape = MASK_WILD;
			t->len = MASK_WILD_LEN;
			t->hash = wild_hash;
			t->flags |= TOKEN_VAR | TOKEN_PURE;
			continue;
		} else if (((seen & B_MASK) || ((bc[(unsigned char)*s] &
		    B_LIT) && (t->rawlen == 4 || t->rawlen == 5)) ||
		    t->rawlen >= MASK_LETTERS_MIN ||
		    (!(seen & B_NOTHEX) && t->rawlen >= MASK_HEX_LETTERS_MIN &&
		    hex_letters(s, t->rawlen))) &&
		    (n = mask_token_seen(s, t->rawlen, seen >> B_MASKSHIFT,
		    out)) != 0) {
			t->shape = out;
			t->len = (uint32_t)n;
			out += n;
			t->flags |= TOKEN_VAR;
			if (*s == 'H' && is_http_version(s, t->rawlen, &n)) {
				kind[nt - 1] = CTX_PROTO;
				context = 1;
			}
		} else {
			/* A plain word, even one that spells "<*>". */
			t->shape = s;
			t->len = t->rawlen;
			if ((bc[(unsigned char)*s] & B_CTX) &&
			    (kind[nt - 1] = (unsigned char)context_word(s,
			    t->rawlen, &n)) != CTX_NONE)
				context = 1;
		}
		if (t->len == MASK_WILD_LEN && (t->flags & TOKEN_VAR))
			t->hash = wild_hash;
		else
			t->hash = XXH3_64bits(t->shape, t->len);
		t->flags |= token_kind(t, seen);
	}
	tk->n = nt;
	if (context)
		out = tokenize_context(tk, kind, out);
	tk->shapelen = (size_t)(out - tk->buf);
}

size_t
token_tags(const struct tokens *tk, size_t i, char *out, size_t room)
{
	const struct token *t = &tk->tok[i];
	const struct token_span *sp;
	const char *p, *e, *a, *b, *name;
	size_t j, n, o = 0;

	if (!(t->flags & TOKEN_VAR))
		return 0;
	if (is_blob(t->raw, t->rawlen))
		return 0;
	if (t->flags & (TOKEN_UNIT | TOKEN_STAMP)) {
		/* A unit prints as itself after its number's class. */
		name = t->flags & TOKEN_UNIT ? "" : "<TIME>";
		n = strlen(name);
		if (t->flags & TOKEN_UNIT)
			return t->rawlen <= room ? (memcpy(out, t->raw,
			    t->rawlen), t->rawlen) : 0;
		if (n > room)
			return 0;
		memcpy(out, name, n);
		return n;
	}
	if (!(t->flags & TOKEN_USER)) {
		if (room < MASK_TAGS_ROOM(t->rawlen))
			return 0;
		return mask_token_tags(t->raw, t->rawlen, out);
	}
	p = t->raw;
	e = t->raw + t->rawlen;
	for (j = 0; j < tk->nspans; j++) {
		sp = &tk->spans[j];
		a = tk->msg + sp->start;
		b = tk->msg + sp->end;
		if (b <= p)
			continue;
		if (a >= e)
			break;
		if (a < p)
			a = p;
		if (b > e)
			b = e;
		name = "*";
		if (tk->tz != NULL && sp->mask < tk->tz->nmasks)
			name = tk->tz->mask_names[sp->mask];
		n = strlen(name);
		if (o + (size_t)(a - p) + n + 2 > room)
			return 0;
		memcpy(out + o, p, (size_t)(a - p));
		o += a - p;
		out[o++] = '<';
		memcpy(out + o, name, n);
		o += n;
		out[o++] = '>';
		p = b;
	}
	if (o + (size_t)(e - p) > room)
		return 0;
	memcpy(out + o, p, (size_t)(e - p));
	return o + (size_t)(e - p);
}
