/*
 * Record assembly: which lines belong together.  A line starts a record
 * or continues the one before it.  With --record-start, a line matching
 * the pattern starts one and any other line continues.  With
 * --multiline=auto, a line continues when it looks like the inside of a
 * stack trace:
 *
 *   - it starts with a space or a tab (frames, source lines, "Caused by"
 *     indented as Java prints suppressed causes);
 *   - it starts with "at " and has "(" or ":" after (a Java or
 *     JavaScript frame), "...", "Caused by: ", "Suppressed: ",
 *     "Traceback (most recent call last)", "File \"", or one of Python's
 *     two sentences between chained tracebacks;
 *   - it is a Java exception line, a dotted class name whose last part
 *     holds Exception, Error or Throwable, alone or before ":"
 *     ("java.lang.IllegalStateException: closed");
 *   - it is blank (Spring Boot sets a trace off by blank lines);
 *   - inside a Python traceback, it is the first line that is not
 *     indented (the exception line, whatever its class); after it the
 *     chaining sentences still continue the record;
 *   - it is PHP's "Stack trace:" or a numbered frame, "#0 " (PHP, gdb);
 *   - it opens a Go goroutine's stack ("goroutine 1 [running]:") or is
 *     Go's "[signal SIGSEGV: ...]"; inside such a stack, a function line
 *     ("main.main()", "net/http.(*conn).serve(0xc000118000)") and
 *     "created by ..." continue too;
 *   - after a Rust panic's first line ("thread 'main' panicked at
 *     src/main.rs:2:5:"), it is the next line (the message, whatever
 *     its looks), "stack backtrace:" or "note: ...";
 *   - it is the rest of a line a container runtime cut (CRI's "P");
 *   - with --format, it does not match the format.
 *
 * In a Kubernetes container log (CRI: "STAMP stdout F message") the
 * looks are those of the message after the runtime's prefix.
 *
 * A record's signature names the shapes of its continuation lines, each
 * once, in the order they first came, as one word:
 * "+[java.lang.NullPointerException,at,Caused-by:java.io.IOException,...]".
 * A frame is "at", an exception line its class, "Caused by: X" is
 * "Caused-by:X", PHP's "Stack-trace" and "#", Go's "goroutine", "func",
 * "created-by" and "signal", Rust's "stack-backtrace" and "note", other
 * indented lines "_" and anything else "~".  Counts and messages are left
 * out, so one trace thrown from one place has one signature however deep
 * the stack; but a Rust panic's first line names no more than its place,
 * so its message's first words are its shape ("index-out-of-bounds-the-
 * len"), numbers left out.
 *
 * Memory is flat: a record holds at most RECORD_MAX_LINES lines and
 * RECORD_MAX_BYTES bytes (its first line always, whatever its length);
 * a continuation line that would pass either bound starts a record of its
 * own.  Lines are copied into one of two buffers, the record being built
 * and the one last handed out, which are reused: nothing is allocated
 * per line once they have grown.  The module reads no input and prints
 * nothing; when to flush a pending record is the caller's to decide.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "format.h"
#include "reader.h"
#include "record.h"
#include "xmalloc.h"

#define CLASS_MAX	64	/* bytes of an exception class named */

/* Where a record is in a Python traceback. */
enum traceback {
	TB_NONE,
	TB_IN,			/* after "Traceback ...": frames */
	TB_AFTER,		/* after its exception line */
	TB_GO,			/* in a Go goroutine's stack */
	TB_RUST,		/* after a Rust panic's first line: its
				   message comes next */
	TB_RUST_AFTER,		/* after the message */
};

struct rbuf {
	char		*text;
	size_t		 len;
	size_t		 cap;
	size_t		 first_len;
	size_t		 nlines;
	unsigned char	 crlf[RECORD_MAX_LINES];
	char		 sig[RECORD_SIG_MAX];
	size_t		 siglen;
	uint64_t	 shape[RECORD_SIG_SHAPES];	/* named so far */
	size_t		 nshapes;
	int		 truncated;
	int		 capped;	/* a line that continued it was left
					   out by the bounds */
	int		 partial;	/* its last line a CRI "P": the
					   stream's letter, 'o' or 'e' */
	enum traceback	 tb;
	struct record	 view;
};

struct recorder {
	enum record_mode	 mode;
	pcre2_code		*re;
	pcre2_match_data	*md;
	struct format		*format;
	struct span		 fields[FORMAT_MAX_FIELDS];
	struct rbuf		 buf[2];
	int			 cur;		/* the one being built */
	int			 pending;
};

/* The format as the parser reads it: a preset, none, or Loghub style. */
static struct format *
compile_format(const struct record_params *p, char **cause)
{
	struct format *f;

	if (p->format_regex != NULL)
		return format_compile_regex(p->format_regex, cause);
	if (p->format == NULL || strcmp(p->format, "none") == 0)
		return NULL;
	*cause = NULL;
	if ((f = format_compile_preset(p->format, cause)) != NULL ||
	    *cause != NULL)
		return f;
	return format_compile(p->format, cause);
}

struct recorder *
recorder_new(const struct record_params *p, char **cause)
{
	struct recorder *rc;
	PCRE2_SIZE erroff;
	int errcode;
	char msg[256];

	rc = xcalloc(1, sizeof *rc);
	rc->mode = p->mode;
	*cause = NULL;
	if (p->mode == RECORD_REGEX) {
		rc->re = pcre2_compile((PCRE2_SPTR)p->start,
		    PCRE2_ZERO_TERMINATED, 0, &errcode, &erroff, NULL);
		if (rc->re == NULL) {
			pcre2_get_error_message(errcode, (PCRE2_UCHAR *)msg,
			    sizeof msg);
			xasprintf(cause, "--record-start: %s at offset %zu",
			    msg, (size_t)erroff);
			free(rc);
			return NULL;
		}
		/* JIT is a speed-up only: without it the interpreter runs. */
		(void)pcre2_jit_compile(rc->re, PCRE2_JIT_COMPLETE);
		rc->md = pcre2_match_data_create_from_pattern(rc->re, NULL);
	} else if (p->mode == RECORD_AUTO) {
		rc->format = compile_format(p, cause);
		if (rc->format == NULL && *cause != NULL) {
			free(rc);
			return NULL;
		}
	}
	return rc;
}

void
recorder_free(struct recorder *rc)
{
	int i;

	if (rc == NULL)
		return;
	for (i = 0; i < 2; i++)
		free(rc->buf[i].text);
	pcre2_match_data_free(rc->md);
	pcre2_code_free(rc->re);
	format_free(rc->format);
	free(rc);
}

static int
prefix(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && memcmp(s, p, n) == 0;
}

static int
is_class_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '$' || c == '.';
}

/* The length of the first word of s: up to a space, a tab or a ':'. */
static size_t
class_len(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && s[n] != ' ' && s[n] != '\t' && s[n] != ':')
		n++;
	return n;
}

static int
holds(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word), i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(s + i, word, n) == 0)
			return 1;
	return 0;
}

/*
 * A Java exception line: "a.b.FooException", alone or before ":".
 * Returns the class name's length, or 0.
 */
static size_t
exception_line(const char *s, size_t len)
{
	size_t n = class_len(s, len), i, last = 0, dots = 0;

	if (n == 0 || (n < len && s[n] != ':'))
		return 0;
	if (!((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z') ||
	    s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		if (!is_class_byte((unsigned char)s[i]))
			return 0;
		if (s[i] == '.') {
			dots++;
			last = i + 1;
		}
	}
	if (dots == 0)
		return 0;
	if (!holds(s + last, n - last, "Exception") &&
	    !holds(s + last, n - last, "Error") &&
	    !holds(s + last, n - last, "Throwable"))
		return 0;
	return n;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A numbered frame, "#12 ": PHP's and gdb's backtraces. */
static int
numbered_frame(const char *s, size_t len)
{
	size_t i = 1;

	if (len < 3 || s[0] != '#')
		return 0;
	while (i < len && is_digit(s[i]))
		i++;
	return i > 1 && i < len && s[i] == ' ';
}

/* "goroutine 7 [running]:", with whatever Go puts before the bracket. */
static int
goroutine_line(const char *s, size_t len)
{
	return prefix(s, len, "goroutine ") && len > 12 && is_digit(s[10]) &&
	    s[len - 2] == ']' && s[len - 1] == ':' &&
	    memchr(s, '[', len) != NULL;
}

/*
 * A Go stack's function line: a name with no space before its '(' and a
 * ')' that ends the line ("main.main()", "main.(*T).run(...)",
 * "panic({0x4a1f20?, 0xc000012345?})").
 */
static int
go_function_line(const char *s, size_t len)
{
	const char *paren = memchr(s, '(', len);

	return paren != NULL && paren > s && s[len - 1] == ')' &&
	    memchr(s, ' ', (size_t)(paren - s)) == NULL;
}

/*
 * A Rust panic's first line: "thread 'main' panicked at src/main.rs:2:5:"
 * (Rust 1.73 on: the message follows on the next line) or "thread
 * 'main' panicked at 'boom', src/main.rs:2:5" (before: no line follows).
 * Returns TB_RUST or TB_RUST_AFTER, or TB_NONE for another line.
 */
static enum traceback
rust_panic(const char *s, size_t len)
{
	const char *q;

	if (!prefix(s, len, "thread '") ||
	    (q = memchr(s + 8, '\'', len - 8)) == NULL ||
	    !prefix(q, len - (size_t)(q - s), "' panicked at "))
		return TB_NONE;
	return s[len - 1] == ':' ? TB_RUST : TB_RUST_AFTER;
}

/*
 * A panic message's shape: its first words of letters, joined by '-',
 * so that numbers in it ("the len is 3 but the index is 10") do not make
 * a signature of their own: "index-out-of-bounds-the-len".
 */
#define MESSAGE_WORDS	6

static int
is_letter(char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static size_t
message_shape(const char *s, size_t len, char *shape)
{
	size_t i = 0, n = 0, words = 0;

	while (i < len && words < MESSAGE_WORDS) {
		while (i < len && !is_letter(s[i]))
			i++;
		if (i == len)
			break;
		if (n > 0 && n < CLASS_MAX)
			shape[n++] = '-';
		while (i < len && is_letter(s[i])) {
			if (n < CLASS_MAX)
				shape[n++] = s[i];
			i++;
		}
		words++;
	}
	if (n == 0) {
		memcpy(shape, "panic", 5);
		n = 5;
	}
	return n;
}

/*
 * A Kubernetes container log line (CRI): "STAMP stdout|stderr P|F
 * message".  Returns the message's offset (len for none), or 0 for
 * another line.  *stream is 'o' or 'e'; *partial says "P": the runtime
 * cut the line, which goes on in the stream's next.
 */
static size_t
cri_message(const char *s, size_t len, int *stream, int *partial)
{
	const char *sp;
	size_t at;

	if (len < 20 || !is_digit(s[0]) || s[4] != '-' || s[10] != 'T' ||
	    (sp = memchr(s, ' ', len)) == NULL)
		return 0;
	at = (size_t)(sp - s) + 1;
	if (len - at < 8 || (memcmp(s + at, "stdout ", 7) != 0 &&
	    memcmp(s + at, "stderr ", 7) != 0))
		return 0;
	at += 7;
	if ((s[at] != 'P' && s[at] != 'F') || (at + 1 < len &&
	    s[at + 1] != ' '))
		return 0;
	*stream = s[at - 4];
	*partial = s[at] == 'P';
	return at + 1 < len ? at + 2 : len;
}

/*
 * What a line looks like: whether it continues a record by its looks
 * alone, and its shape for the signature in shape[0..*shapelen) (0: none).
 * *tb is the record's traceback state, updated.
 */
static int
classify(const char *s, size_t len, enum traceback *tb, char *shape,
    size_t *shapelen)
{
	const char *what = NULL;
	enum traceback rust;
	size_t i = 0, n;

	*shapelen = 0;
	/* A Rust panic's message, whatever it looks like. */
	if (*tb == TB_RUST) {
		*tb = TB_RUST_AFTER;
		*shapelen = message_shape(s, len, shape);
		return 1;
	}
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	s += i;
	len -= i;
	/* Blank: no event of its own.  It continues the record, so that a
	 * trace set off by blank lines (Spring Boot's %wEx, Python's
	 * chained tracebacks) stays one record; the line after it decides
	 * for itself. */
	if (len == 0)
		return 1;
	if (prefix(s, len, "at ") && (memchr(s, '(', len) != NULL ||
	    memchr(s, ':', len) != NULL))
		what = "at";
	else if (prefix(s, len, "..."))
		what = "...";
	else if (prefix(s, len, "Caused by: ") ||
	    prefix(s, len, "Suppressed: ")) {
		n = s[0] == 'C' ? 11 : 12;
		memcpy(shape, s[0] == 'C' ? "Caused-by:" : "Suppressed:",
		    n - 1);
		*shapelen = n - 1;
		s += n;
		len -= n;
		n = class_len(s, len);
		if (n > CLASS_MAX)
			n = CLASS_MAX;
		memcpy(shape + *shapelen, s, n);
		*shapelen += n;
		return 1;
	} else if (prefix(s, len, "Traceback (most recent call last)")) {
		*tb = TB_IN;
		what = "Traceback";
	} else if (prefix(s, len, "File \""))
		what = "File";
	else if (prefix(s, len, "During handling of the above exception") ||
	    prefix(s, len, "The above exception was the direct cause")) {
		*tb = TB_AFTER;
		what = "chained";
	} else if (i > 0)
		what = "_";
	else if (prefix(s, len, "Stack trace:"))
		what = "Stack-trace";
	else if (numbered_frame(s, len))
		what = "#";
	else if (goroutine_line(s, len)) {
		*tb = TB_GO;
		what = "goroutine";
	} else if (prefix(s, len, "[signal "))
		what = "signal";
	else if (*tb == TB_GO && prefix(s, len, "created by "))
		what = "created-by";
	else if (*tb == TB_GO && go_function_line(s, len))
		what = "func";
	else if (*tb == TB_RUST_AFTER && prefix(s, len, "stack backtrace:"))
		what = "stack-backtrace";
	else if (*tb == TB_RUST_AFTER && prefix(s, len, "note: "))
		what = "note";
	if (what != NULL) {
		*shapelen = strlen(what);
		memcpy(shape, what, *shapelen);
		return 1;
	}
	if (i == 0 && (rust = rust_panic(s, len)) != TB_NONE) {
		/* It opens a record: only the state is kept. */
		*tb = rust;
		memcpy(shape, "~", 1);
		*shapelen = 1;
		return 0;
	}
	if (*tb == TB_IN) {
		/* Python's exception line ends its traceback. */
		*tb = TB_AFTER;
		n = class_len(s, len);
	} else if ((n = exception_line(s, len)) == 0) {
		memcpy(shape, "~", 1);
		*shapelen = 1;
		return 0;
	}
	if (n > CLASS_MAX)
		n = CLASS_MAX;
	memcpy(shape, s, n);
	*shapelen = n;
	return 1;
}

/* classify() of a line, or of the message in a CRI line; *stream is its
 * stream's letter (0: no CRI line), *partial whether it is a "P". */
static int
classify_line(const char *s, size_t len, enum traceback *tb, char *shape,
    size_t *shapelen, int *stream, int *partial)
{
	size_t at;

	*stream = *partial = 0;
	if ((at = cri_message(s, len, stream, partial)) > 0) {
		s += at;
		len -= at;
	}
	return classify(s, len, tb, shape, shapelen);
}

/* Name a shape in the signature, if it is new and there is room. */
static void
sign(struct rbuf *b, const char *shape, size_t n)
{
	uint64_t h;
	size_t i;

	if (n == 0 || b->nshapes == RECORD_SIG_SHAPES)
		return;
	h = XXH3_64bits(shape, n);
	for (i = 0; i < b->nshapes; i++)
		if (b->shape[i] == h)
			return;
	/* "+[", a comma, the shape, and the closing "]" must fit. */
	if (b->siglen + 2 + n + 1 > RECORD_SIG_MAX)
		return;
	if (b->siglen == 0) {
		memcpy(b->sig, "+[", 2);
		b->siglen = 2;
	} else
		b->sig[b->siglen++] = ',';
	memcpy(b->sig + b->siglen, shape, n);
	b->siglen += n;
	b->shape[b->nshapes++] = h;
}

static void
append(struct rbuf *b, const struct line *ln)
{
	size_t need = b->len + (b->nlines > 0) + ln->len;

	/* A buffer even for an empty line: the record's text is never NULL. */
	if (need > b->cap || b->text == NULL) {
		b->cap = b->cap == 0 ? 4096 : b->cap;
		while (b->cap < need)
			b->cap *= 2;
		b->text = xreallocarray(b->text, b->cap, 1);
	}
	if (b->nlines > 0)
		b->text[b->len++] = '\n';
	memcpy(b->text + b->len, ln->text, ln->len);
	b->len += ln->len;
	b->crlf[b->nlines++] = (unsigned char)ln->crlf;
}

static void
start(struct rbuf *b, const struct line *ln)
{
	char shape[CLASS_MAX + 16];
	size_t n;
	int stream, partial;

	b->len = b->nlines = b->siglen = b->nshapes = 0;
	b->tb = TB_NONE;
	append(b, ln);
	b->first_len = ln->len;
	b->truncated = ln->truncated;
	b->capped = 0;
	/* Only for the traceback state: a record may open with one. */
	(void)classify_line(ln->text, ln->len, &b->tb, shape, &n, &stream,
	    &partial);
	b->partial = partial ? stream : 0;
}

static const struct record *
finish(struct rbuf *b)
{
	struct record *r = &b->view;

	r->text = b->text;
	r->len = b->len;
	r->first_len = b->first_len;
	r->nlines = b->nlines;
	r->crlf = b->crlf;
	r->truncated = b->truncated;
	r->capped = b->capped;
	if (b->siglen > 0 && b->sig[b->siglen - 1] != ']')
		b->sig[b->siglen++] = ']';
	r->sig = b->sig;
	r->siglen = b->siglen;
	return r;
}

/* Whether ln continues b; its shape goes to shape[0..*n). */
static int
continues(struct recorder *rc, struct rbuf *b, const struct line *ln,
    char *shape, size_t *n)
{
	enum traceback tb = b->tb;
	int cont, stream, partial;

	cont = classify_line(ln->text, ln->len, &tb, shape, n, &stream,
	    &partial);
	/* The rest of a line the runtime cut is no line of its own (the
	 * other stream's lines may come between). */
	if (b->partial != 0 && stream == b->partial) {
		cont = 1;
		*n = 0;
	} else if (rc->mode == RECORD_REGEX)
		cont = pcre2_match(rc->re, (PCRE2_SPTR)ln->text, ln->len, 0,
		    0, rc->md, NULL) < 0;
	else if (!cont && rc->format != NULL)
		cont = !format_split(rc->format, ln->text, ln->len,
		    &(struct span){ NULL, 0 }, rc->fields);
	if (cont) {
		b->tb = tb;
		if (partial)
			b->partial = stream;
		else if (stream == 0 || stream == b->partial)
			b->partial = 0;
	}
	return cont;
}

const struct record *
recorder_push(struct recorder *rc, const struct line *ln)
{
	struct rbuf *b = &rc->buf[rc->cur];
	char shape[CLASS_MAX + 16];
	size_t n;

	if (rc->pending && rc->mode != RECORD_LINES &&
	    continues(rc, b, ln, shape, &n)) {
		if (b->nlines < RECORD_MAX_LINES &&
		    b->len + 1 + ln->len <= RECORD_MAX_BYTES) {
			append(b, ln);
			sign(b, shape, n);
			return NULL;
		}
		b->capped = 1;	/* ln starts the next one instead */
	}
	if (!rc->pending) {
		start(b, ln);
		rc->pending = 1;
		return NULL;
	}
	rc->cur ^= 1;
	start(&rc->buf[rc->cur], ln);
	return finish(b);
}

const struct record *
recorder_flush(struct recorder *rc)
{
	if (!rc->pending)
		return NULL;
	rc->pending = 0;
	return finish(&rc->buf[rc->cur]);
}

int
recorder_pending(const struct recorder *rc)
{
	return rc->pending;
}
