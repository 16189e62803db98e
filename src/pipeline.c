/*
 * The reading thread and its batches.
 *
 * A batch is a few arenas: the bytes of its lines (and of JSON messages
 * and keys, copied next to them), the shapes the tokenizer made, and
 * arrays of line records, which refer to those bytes by offset, and of
 * tokens, which point into them (an arena that moves moves them), so the
 * judge takes a line's tokens where they lie.  NBATCH batches go round:
 * the reader fills one while the judge empties another, so memory stays
 * bounded whatever the input, and nothing is allocated per line once the
 * arenas have grown.
 *
 * A batch is handed over when it is full; on a pipe also when the next
 * read would block, so that a line never waits in a half-full batch for
 * lines that have not come.  Whatever goes wrong with an input (it does
 * not exist, a read fails) travels in order as an item of its own, and
 * the judging side reports it, as it would without the thread.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#endif

#include "decompress.h"
#include "engine.h"
#include "jsonin.h"
#include "jsonplain.h"
#include "parser.h"
#include "pipeline.h"
#include "tokenize.h"
#include "xmalloc.h"

#define NBATCH		3		/* batches going round */
#define BATCH_LINES	4096		/* a batch is full at so many lines */
#define BATCH_BYTES	(1u << 20)	/* ... or so many bytes of text */
#define ARENA_KEEP	(4 * BATCH_BYTES) /* an arena grown past this for a
					 * long line is given back */
#define SHARE_ONE	64		/* shares are in 64ths of lines */
#define SHARE_MAX	48		/* the judge parses at most 3/4 */
#define CLAIM_TOKENS	4096		/* bytes of tokens claimed ahead */
#define CLAIM_TEXT	1024		/* ... of text */
#define CLAIM_SHAPES	256		/* ... of shapes */

/* A record's member as offsets from its line in the text arena. */
struct bmember {
	uint32_t	 key, keylen, val, vallen;
};

/* Bytes are kept by offset: arenas move as they grow. */
struct arena {
	char		*p;
	size_t		 len, cap;
};

struct bline {
	enum pipe_kind	 kind;
	size_t		 input;
	size_t		 text, len;	/* in the text arena */
	int		 crlf, truncated;
	size_t		 msg, msglen;
	int		 plain;		/* see pipe_item */
	int		 record;
	/* What the record says besides its message (struct json_record),
	 * offsets in the text arena; has_* 0 where it says nothing. */
	int		 has_key, has_rtime, has_level, priority;
	size_t		 key, keylen, rtime, rtimelen, level, levellen;
	size_t		 member, nmembers;	/* in members */
	/* The parse, spans as offsets; or left to the judge. */
	int		 parsed;
	int		 judge_parses;
	size_t		 content, contentlen;
	int		 header, has_time, time_flags;
	double		 time, sev;
	int		 has_pkey;
	size_t		 pkey, pkeylen;
	/* Header fields: offsets from the message, UINT32_MAX if absent. */
	size_t		 nhf;
	uint32_t	 hfoff[SCORE_FIELDS], hflen[SCORE_FIELDS];
	const char *const *hfname;	/* the parser's */
	size_t		 tok, ntok;	/* in tok */
	size_t		 span, nspans;	/* in spans */
	int		 cut;
	/* Opening and closing. */
	int		 regular, failed;
	uint64_t	 size, bytes, malformed, missing;
	size_t		 err;		/* in the text arena */
};

struct batch {
	alignas(CACHE_LINE) struct arena text;	/* one side's at a time */
	struct arena	 shapes;
	struct bline	*lines;
	size_t		 nlines, linecap;
	struct token	*tok;		/* pointing into text and shapes */
	size_t		 ntok, tokcap;
	struct token_span *spans;
	size_t		 nspans, spancap;
	struct bmember	*members;	/* records' members, offsets in text */
	size_t		 nmembers, membercap;
	const struct tokenizer *tz;	/* what split its tokens */
	/* Bytes of each array claimed for writing (see claim_ahead()). */
	size_t		 claimed_tok, claimed_text, claimed_shapes;
	size_t		 claimed_lines;
	uint64_t	 offset;	/* of the input, when handed over */
	size_t		 offset_input;	/* ... that input */
	int		 offset_known;	/* 0: none was open then */
	int		 last;		/* nothing follows it */
};

struct pipeline {
	struct pipeline_params	 p;

	pthread_t		 thread;
	int			 started;
	int			 wake[2];	/* written to stop a reader that
						   waits for a pipe */
	int64_t			 bytes_came;	/* when a pipe last had bytes,
						   monotonic ms; under lock */
	int			 opening;	/* waits for a FIFO's writer;
						   under lock */
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	struct batch		 batch[NBATCH];
	size_t			 head;		/* next to judge */
	size_t			 full;		/* handed over, not judged */
	int			 stop;		/* the judge wants no more */
	int			 starved;	/* the judge waited for a batch */

	/*
	 * The reading side's own.  Each side's fields start a cache line, so
	 * that what one writes for every line does not slow what the other
	 * reads (sharing lines made -j 2 slower than -j 1).
	 */
	alignas(CACHE_LINE) struct parser *parser;
	struct jsonin		*jsonin;
	struct tokens		*tk;		/* its scratch */
	struct batch		*fill;
	size_t			 filling;	/* its index */
	struct reader		*rd;		/* the input being read */
	size_t			 reading;	/* ... its index */
	struct reader_source	 src;		/* ... its source */
	int			 fd;
	int			 quit;		/* it saw stop */
	int			 streaming;
	unsigned		 share;		/* of SHARE_ONE lines, how many */
	unsigned		 share_acc;	/* the judge parses */
	int			 claim;		/* can_claim() */
	int			 cancellable;	/* see cancellable() */

	/* The judging side's own. */
	alignas(CACHE_LINE) struct parser *jparser;	/* for lines left to it */
	struct batch		*cur;		/* NULL: none taken */
	size_t			 pos;
	int			 done;
};

/* Whether p points into the first len bytes at base. */
static int
within(const char *p, const char *base, size_t len)
{
	return (uintptr_t)p - (uintptr_t)base < len;
}

/*
 * Make room for len more bytes in arena a of batch b.  Its tokens point
 * into the arena: a move moves them too (rare: arenas keep their size
 * from batch to batch).  A shape may also be the word itself, in the text
 * arena, or a constant "<*>" of the tokenizer's.
 */
static void
reserve(struct batch *b, struct arena *a, size_t len)
{
	struct token *t;
	size_t cap, i;
	char *p;
	int text = a == &b->text;

	if (a->cap - a->len >= len)
		return;
	for (cap = a->cap ? a->cap : 64 * 1024; cap - a->len < len; cap *= 2)
		continue;
	p = xmalloc(cap);
	if (a->len > 0)
		memcpy(p, a->p, a->len);
	for (i = 0; i < b->ntok; i++) {	/* tok is NULL while none */
		t = &b->tok[i];
		if (within(t->shape, a->p, a->len))
			t->shape = p + (t->shape - a->p);
		if (text)
			t->raw = p + (t->raw - a->p);
	}
	free(a->p);
	a->p = p;
	a->cap = cap;
}

/* Copy p[0..len) and a NUL to arena a of batch b; returns its offset. */
static size_t
arena_put(struct batch *b, struct arena *a, const void *p, size_t len)
{
	size_t at = a->len;

	reserve(b, a, len + 1);
	if (len > 0)
		memcpy(a->p + at, p, len);
	a->p[at + len] = '\0';
	a->len += len + 1;
	return at;
}

static void *
grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? 2 * *cap : 256;
	return xreallocarray(v, *cap, size);
}

/* A new record of the batch, zeroed but for a line's: read_line() sets
 * each field a line has, cheaper than zeroing 392 bytes for every line. */
static struct bline *
new_line(struct batch *b, enum pipe_kind kind, size_t input)
{
	struct bline *l;

	b->lines = grow(b->lines, &b->linecap, b->nlines, sizeof *b->lines);
	l = &b->lines[b->nlines++];
	if (kind != PIPE_LINE)
		memset(l, 0, sizeof *l);
	l->kind = kind;
	l->input = input;
	return l;
}

/* An arena that a long line made huge goes back to the system once its
 * batch is judged: memory returns to its usual size after such lines,
 * instead of each batch keeping the largest it ever held. */
static void
arena_trim(struct arena *a)
{
	if (a->cap > ARENA_KEEP) {
		free(a->p);
		a->p = NULL;
		a->cap = a->len = 0;
	}
}

static void
batch_clear(struct batch *b)
{
	b->text.len = b->shapes.len = 0;
	b->nlines = b->ntok = b->nspans = b->nmembers = 0;
	b->claimed_tok = b->claimed_text = b->claimed_shapes = 0;
	b->claimed_lines = 0;
	b->last = 0;
}

static void
batch_free(struct batch *b)
{
	free(b->text.p);
	free(b->shapes.p);
	free(b->lines);
	free(b->tok);
	free(b->spans);
	free(b->members);
}

/* --- the reading thread --- */

/* How far into the input the reader is, for progress. */
static uint64_t
input_offset(const struct pipeline *pl)
{
	off_t at;

	if (pl->rd == NULL)
		return 0;
	at = lseek(pl->fd, 0, SEEK_CUR);
	return at >= 0 ? (uint64_t)at : reader_bytes(pl->rd);
}

static int64_t
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The end of the reader's wait for the judge, the lock held and
 * cancellation off (as cancel was): -1 if the judge wants no more.
 */
static int
end_wait(struct pipeline *pl, int cancel)
{
	int stop = pl->stop;

	pthread_mutex_unlock(&pl->lock);
	pthread_setcancelstate(cancel, NULL);
	if (stop) {
		pl->quit = 1;
		return -1;
	}
	return 0;
}

/* Hand the batch being filled over and take the next free one. */
static int
hand_over(struct pipeline *pl, int last)
{
	int cancel;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel);
	pl->fill->last = last;
	pl->fill->offset = input_offset(pl);
	pl->fill->offset_known = pl->rd != NULL;
	pl->fill->offset_input = pl->reading;
	pthread_mutex_lock(&pl->lock);
	pl->full++;
	/* The judge has lines now: the pipe is not quiet, whenever the
	 * bytes of them came. */
	pl->bytes_came = monotonic_ms();
	pthread_cond_broadcast(&pl->cond);
	/*
	 * Balance the two threads: a judge that had to wait for this batch
	 * parses more of the next ones itself, a reader that has to wait
	 * for a free batch gives it fewer.  (Which lines is no matter to the
	 * output: a line parses the same in either thread.)
	 */
	if (pl->full == NBATCH && !last) {
		if (pl->share >= 2)
			pl->share -= 2;
	} else if (pl->starved && pl->share + 2 <= SHARE_MAX)
		pl->share += 2;
	pl->starved = 0;
	while (!pl->stop && !last && pl->full == NBATCH)
		pthread_cond_wait(&pl->cond, &pl->lock);
	if (end_wait(pl, cancel) == -1)
		return -1;
	if (!last) {
		pl->filling = (pl->filling + 1) % NBATCH;
		pl->fill = &pl->batch[pl->filling];
		batch_clear(pl->fill);
	}
	return 0;
}

/*
 * Hand over what is filled and wait until the judge has done with every
 * batch: a long line then has a batch to itself after the others, so
 * that it is in memory twice (the reader's and one batch), not once in
 * each batch as well.
 */
static int
await_judge(struct pipeline *pl)
{
	int cancel;

	if (pl->fill->nlines > 0 && hand_over(pl, 0) == -1)
		return -1;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel);
	pthread_mutex_lock(&pl->lock);
	while (!pl->stop && pl->full > 0)
		pthread_cond_wait(&pl->cond, &pl->lock);
	return end_wait(pl, cancel);
}

/* Whether the input's bytes go through a decompressor (once known). */
static int
decompressing(const struct pipeline *pl)
{
	return decompress_kind(&pl->src) != DECOMPRESS_PLAIN &&
	    decompress_kind(&pl->src) != DECOMPRESS_UNKNOWN;
}

/*
 * Before a read that may block on a pipe, hand over what is there.  A
 * decompressor's read may block although bytes are waiting (part of a
 * block, which gives no line), so before it the lines go over always.
 */
static void
before_read(void *arg)
{
	struct pipeline *pl = arg;
	struct pollfd pfd;

	if (!pl->streaming || pl->fill->nlines == 0)
		return;
	if (!decompressing(pl)) {
		pfd.fd = pl->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 0) != 0)
			return;		/* bytes wait: lines may follow */
	}
	(void)hand_over(pl, 0);
}

/*
 * Before each read: hand over what is there, then on a pipe of plain
 * lines wait for input or for the judge to stop us (the wake pipe),
 * whichever comes first; -1 stops the read.  Waiting in poll(), not in
 * read(), lets the thread end as it began rather than be cancelled.  Only
 * a decompressor, which may hold lines or read the pipe more than once for
 * what it gives, blocks inside the read: there, and only there, the thread
 * may be cancelled.
 */

/* Wait for fd to have input (or a hang-up), or for the judge to stop
 * us through the wake pipe: then -1, with pl->quit set. */
static int
await_input(struct pipeline *pl, int fd)
{
	struct pollfd pfd[2];
	int n;

	pfd[0].fd = fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = pl->wake[0];
	pfd[1].events = POLLIN;
	while ((n = poll(pfd, 2, -1)) == -1 && errno == EINTR)
		continue;
	if (n > 0 && pfd[1].revents != 0) {
		pl->quit = 1;
		return -1;
	}
	return 0;
}

/* Let the read about to start be cancelled; uncancellable() ends it. */
static void
cancellable(struct pipeline *pl)
{
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
	pl->cancellable = 1;
}

/* Out of a read that could be cancelled: a call only after such a read,
 * not one for every line. */
static void
uncancellable(struct pipeline *pl)
{
	if (pl->cancellable) {
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
		pl->cancellable = 0;
	}
}

static int
hook(void *arg)
{
	struct pipeline *pl = arg;
	int stop;

	before_read(pl);
	if (!pl->streaming) {
		/* A regular file never waits, but an endless line is read
		 * on to its end: a stop must not wait for that. */
		pthread_mutex_lock(&pl->lock);
		stop = pl->stop;
		pthread_mutex_unlock(&pl->lock);
		if (stop)
			pl->quit = 1;
		return stop ? -1 : 0;
	}
	/* A decompressor may hold lines the descriptor no longer shows:
	 * waiting for bytes there would hold them back.  Its read blocks
	 * instead, where the thread may be cancelled. */
	if (!decompressing(pl)) {
		if (await_input(pl, pl->fd) == -1)
			return -1;
	} else
		cancellable(pl);
	/* Bytes came, or a decompressor gave some and reads on. */
	pthread_mutex_lock(&pl->lock);
	pl->bytes_came = monotonic_ms();
	pthread_mutex_unlock(&pl->lock);
	if (decompress_kind(&pl->src) != DECOMPRESS_PLAIN)
		cancellable(pl);
	return 0;
}

/*
 * Keep tk, made from a line in b's text arena into b's tokens (read_line()
 * sets tk->into): its words are there already.  The shapes that are not
 * the word itself are in tk->buf, one after another: one copy takes them
 * all to the shape arena.
 */
static void
keep_tokens(struct batch *b, struct bline *l, const struct tokens *tk)
{
	size_t i, used = tk->shapelen;
	char *to;

	reserve(b, &b->shapes, used);	/* before the new tokens join */
	to = b->shapes.p + b->shapes.len;
	if (used > 0)
		memcpy(to, tk->buf, used);
	b->shapes.len += used;
	l->tok = b->ntok;
	l->ntok = tk->n;
	l->cut = tk->cut;
	b->tz = tk->tz;
	for (i = 0; i < tk->n; i++) {
		struct token *t = &b->tok[b->ntok + i];

		if (within(t->shape, tk->buf, used))
			t->shape = to + (t->shape - tk->buf);
	}
	b->ntok += tk->n;
	l->span = b->nspans;
	l->nspans = tk->nspans;
	for (i = 0; i < tk->nspans; i++) {
		b->spans = grow(b->spans, &b->spancap, b->nspans,
		    sizeof *b->spans);
		b->spans[b->nspans++] = tk->spans[i];
	}
}

/* A line's header fields as offsets, for the judging side. */
static void
keep_fields(struct bline *l, const struct header_fields *hf, const char *msg)
{
	size_t i;

	l->nhf = hf->n;
	for (i = 0; i < hf->n; i++) {
		l->hfoff[i] = hf->p[i] == NULL ? UINT32_MAX :
		    (uint32_t)(hf->p[i] - msg);
		l->hflen[i] = (uint32_t)hf->len[i];
	}
	l->hfname = hf->name;
}

/*
 * Ask for a line of the batch to write, ahead of the writes: the judging
 * thread read it last, and each store to such a line waited for that
 * core to give it up (claiming cut the time of -j 2 by a tenth).  With
 * PREFETCHW, where the CPU has it (can_claim()).
 */
static inline void
claim(const void *p)
{
#if defined(__x86_64__) && defined(__GNUC__)
	__asm__ volatile("prefetchw %0" : : "m" (*(const char *)p));
#else
	(void)p;
#endif
}

static int
can_claim(void)
{
#if defined(__x86_64__) && defined(__GNUC__)
	unsigned a, b, c, d;

	return __get_cpuid(0x80000001, &a, &b, &c, &d) && (c & bit_PRFCHW);
#else
	return 0;
#endif
}

/* Claim what the next few lines will write, from where the last stopped. */
static void
claim_ahead(struct batch *b)
{
	size_t want, end;

	want = b->ntok * sizeof *b->tok + CLAIM_TOKENS;
	end = b->tokcap * sizeof *b->tok;
	for (; b->claimed_tok < want && b->claimed_tok < end;
	    b->claimed_tok += CACHE_LINE)
		claim((const char *)b->tok + b->claimed_tok);
	want = b->text.len + CLAIM_TEXT;
	for (; b->claimed_text < want && b->claimed_text < b->text.cap;
	    b->claimed_text += CACHE_LINE)
		claim(b->text.p + b->claimed_text);
	want = b->shapes.len + CLAIM_SHAPES;
	for (; b->claimed_shapes < want && b->claimed_shapes < b->shapes.cap;
	    b->claimed_shapes += CACHE_LINE)
		claim(b->shapes.p + b->claimed_shapes);
	want = (b->nlines + 4) * sizeof *b->lines;
	end = b->linecap * sizeof *b->lines;
	for (; b->claimed_lines < want && b->claimed_lines < end;
	    b->claimed_lines += CACHE_LINE)
		claim((const char *)b->lines + b->claimed_lines);
}

/*
 * Keep what jsonin_message() found in the line l, which is in b's text
 * arena: the time and level are views into the line, kept as offsets
 * before anything moves the arena; the message and the source are in
 * the jsonin's buffers, which the next call reuses, and are copied.
 */
static void
keep_record(struct batch *b, struct bline *l, const struct json_record *jr)
{
	const char *line = b->text.p + l->text;
	size_t i;

	l->record = 1;
	if ((l->has_rtime = jr->time.p != NULL)) {
		l->rtime = l->text + (size_t)(jr->time.p - line);
		l->rtimelen = jr->time.len;
	}
	if ((l->has_level = jr->level.p != NULL)) {
		l->level = l->text + (size_t)(jr->level.p - line);
		l->levellen = jr->level.len;
	}
	l->priority = jr->priority;
	l->member = b->nmembers;
	l->nmembers = jr->members.n;
	for (i = 0; i < jr->members.n; i++) {
		struct bmember *m;

		b->members = grow(b->members, &b->membercap, b->nmembers,
		    sizeof *b->members);
		m = &b->members[b->nmembers++];
		m->key = (uint32_t)(jr->members.m[i].key - line);
		m->keylen = (uint32_t)jr->members.m[i].keylen;
		m->val = (uint32_t)(jr->members.m[i].val - line);
		m->vallen = (uint32_t)jr->members.m[i].vallen;
	}
	if (jr->msg.p != NULL) {
		l->msg = arena_put(b, &b->text, jr->msg.p, jr->msg.len);
		l->msglen = jr->msg.len;
	}
	if ((l->has_key = jr->key.p != NULL)) {
		l->key = arena_put(b, &b->text, jr->key.p, jr->key.len);
		l->keylen = jr->key.len;
	}
}

/* The members of l's record, as keep_record() kept them. */
static void
members_of(const struct batch *b, const struct bline *l,
    struct record_members *rm)
{
	const char *line = b->text.p + l->text;
	const struct bmember *m = b->members + l->member;
	size_t i;

	rm->n = l->nmembers;
	for (i = 0; i < l->nmembers; i++) {
		rm->m[i].key = line + m[i].key;
		rm->m[i].keylen = m[i].keylen;
		rm->m[i].val = line + m[i].val;
		rm->m[i].vallen = m[i].vallen;
	}
}

/* The record of l, as keep_record() kept it. */
static void
record_of(const struct batch *b, const struct bline *l,
    struct json_record *jr)
{
	const char *base = b->text.p;

	memset(jr, 0, sizeof *jr);
	jr->msg.p = base + l->msg;
	jr->msg.len = l->msglen;
	if (l->has_key) {
		jr->key.p = base + l->key;
		jr->key.len = l->keylen;
	}
	if (l->has_rtime) {
		jr->time.p = base + l->rtime;
		jr->time.len = l->rtimelen;
	}
	if (l->has_level) {
		jr->level.p = base + l->level;
		jr->level.len = l->levellen;
	}
	jr->priority = l->priority;
	members_of(b, l, &jr->members);
}

static void
read_line(struct pipeline *pl, size_t input, const struct line *ln)
{
	struct batch *b = pl->fill;
	struct bline *l;
	const char *base;
	struct json_record jr;
	struct parsed pd;

	if (pl->claim)
		claim_ahead(b);
	l = new_line(b, PIPE_LINE, input);
	l->text = arena_put(b, &b->text, ln->text, ln->len);
	l->len = ln->len;
	l->crlf = ln->crlf;
	l->truncated = ln->truncated;
	l->msg = l->text;	/* the whole line, unless ... */
	l->msglen = l->len;
	l->record = l->parsed = l->judge_parses = 0;
	l->malformed = l->missing = 0;
	if (pl->jsonin != NULL) {
		if (jsonin_message(pl->jsonin, b->text.p + l->text, l->len,
		    &jr) != -1)
			keep_record(b, l, &jr);
		/* The counts so far go with the line: a run that stops at
		 * it reports what one thread would have. */
		l->malformed = jsonin_malformed(pl->jsonin);
		l->missing = jsonin_missing(pl->jsonin);
	}
	l->plain = pl->p.mark_plain && json_plain((const unsigned char *)
	    b->text.p + l->msg, l->msglen) == l->msglen;
	if (!pl->p.parse)
		return;
	if (pl->parser == NULL) {
		l->judge_parses = 1;
		return;
	}
	if ((pl->share_acc += pl->share) >= SHARE_ONE) {
		pl->share_acc -= SHARE_ONE;
		l->judge_parses = 1;
		return;
	}
	/* The tokens are made where they are kept: no copy of each. */
	while (b->tokcap - b->ntok < TOKENS_MAX)
		b->tok = grow(b->tok, &b->tokcap, b->tokcap, sizeof *b->tok);
	pl->tk->into = b->tok + b->ntok;
	base = b->text.p;
	parser_line(pl->parser, base + l->msg, l->msglen, &pd, pl->tk);
	if (l->record) {
		record_of(b, l, &jr);
		parser_record(pl->parser, &jr, &pd);
	}
	l->parsed = 1;
	l->content = (size_t)(pd.content.p - base);
	l->contentlen = pd.content.len;
	l->header = pd.header;
	l->has_time = pd.has_time;
	l->time_flags = pd.time_flags;
	l->time = pd.time;
	l->sev = pd.sev;
	if ((l->has_pkey = pd.key.p != NULL)) {
		l->pkey = (size_t)(pd.key.p - base);
		l->pkeylen = pd.key.len;
	}
	keep_fields(l, &pd.fields, base + l->msg);
	keep_tokens(b, l, pl->tk);
}

static void
close_input(struct pipeline *pl, size_t input, const char *err,
    uint64_t bytes)
{
	struct bline *l = new_line(pl->fill, PIPE_CLOSE, input);

	l->failed = err != NULL;
	if (err != NULL)
		l->err = arena_put(pl->fill, &pl->fill->text, err, strlen(err));
	l->bytes = bytes;
	if (pl->jsonin != NULL) {
		l->malformed = jsonin_malformed(pl->jsonin);
		l->missing = jsonin_missing(pl->jsonin);
	}
}

static void
set_opening(struct pipeline *pl, int opening)
{
	pthread_mutex_lock(&pl->lock);
	pl->opening = opening;
	pthread_mutex_unlock(&pl->lock);
}

/*
 * reader_open_waiting()'s wait for a FIFO's writer: in poll() with the
 * wake pipe, as hook() waits for input, so that a stop ends it; the
 * judge meanwhile sees the input as a quiet pipe.  -1 with pl->quit when
 * stopped.
 */
static int
await_writer(int fd, void *arg)
{
	struct pipeline *pl = arg;
	int r;

	set_opening(pl, 1);
	r = await_input(pl, fd);
	set_opening(pl, 0);
	return r;
}

static int
read_input(struct pipeline *pl, size_t input)
{
	const char *path = pl->p.paths[input];
	struct reader *rd;
	struct bline *l;
	struct line ln;
	struct stat st;
	int fd, r;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if (reader_open_may_wait(path)) {
		/* Opening a FIFO waits for its writer: the lines before go
		 * to the judge first, and a stop ends the wait. */
		if (pl->fill->nlines > 0 && hand_over(pl, 0) == -1)
			return -1;
		if ((fd = reader_open_waiting(path, await_writer, pl)) == -1) {
			if (pl->quit)
				return -1;
			close_input(pl, input, strerror(errno), 0);
			return 0;
		}
	} else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		close_input(pl, input, strerror(errno), 0);
		return 0;
	}
	if (fstat(fd, &st) == -1)
		memset(&st, 0, sizeof st);	/* unknown: read as a stream */
	if (S_ISDIR(st.st_mode)) {
		close_input(pl, input, "Is a directory", 0);
		if (fd != STDIN_FILENO)
			close(fd);
		return 0;
	}
	l = new_line(pl->fill, PIPE_OPEN, input);
	l->regular = S_ISREG(st.st_mode);
	l->size = l->regular ? (uint64_t)st.st_size : 0;
	pl->fd = fd;
	pl->streaming = !l->regular;
	decompress_source(fd, &pl->src);
	rd = pl->rd = reader_new_source(&pl->src);
	pl->reading = input;
	reader_set_hook(rd, hook, pl);
	while ((r = reader_next(rd, &ln)) != 0) {
		uncancellable(pl);
		if (r == -1) {
			/* O_NONBLOCK input: hook() waits for plain input, a
			 * decompressor's is waited for here. */
			if (errno == EAGAIN) {
				if (decompress_kind(&pl->src) !=
				    DECOMPRESS_PLAIN && await_input(pl, fd) == -1)
					break;
				continue;
			}
			if (errno == EINTR)
				continue;
			if (pl->quit)
				break;	/* the judge stopped us (hook()) */
			close_input(pl, input, reader_cause(rd, errno),
			    reader_bytes(rd));
			break;
		}
		if (ln.len > ARENA_KEEP && await_judge(pl) == -1)
			break;
		read_line(pl, input, &ln);
		if ((pl->fill->nlines >= BATCH_LINES ||
		    pl->fill->text.len >= BATCH_BYTES) &&
		    hand_over(pl, 0) == -1)
			break;
		if (pl->quit)
			break;
	}
	uncancellable(pl);
	if (r == 0)
		close_input(pl, input, NULL, reader_bytes(rd));
	reader_free(rd);
	pl->rd = NULL;
	if (fd != STDIN_FILENO)
		close(fd);
	return pl->quit ? -1 : 0;
}

static void *
reading_thread(void *arg)
{
	struct pipeline *pl = arg;
	char *cause = NULL;
	size_t i;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	pl->tk = tokens_new();
	/* It cannot fail where the judge's did not; if it did, the judge
	 * would parse every line. */
	if (pl->p.parse)
		pl->parser = parser_new(pl->p.engine, &cause);
	free(cause);
	for (i = 0; i < pl->p.npaths; i++)
		if (read_input(pl, i) == -1)
			break;
	(void)hand_over(pl, 1);
	return NULL;
}

/* --- the judging side --- */

struct pipeline *
pipeline_new(const struct pipeline_params *p, char **cause)
{
	struct pipeline *pl;
	pthread_condattr_t ca;
	sigset_t all, old;
	int e;

	pl = xcalloc_lines(sizeof *pl);
	pl->p = *p;
	pl->wake[0] = pl->wake[1] = -1;
	pl->claim = can_claim();
	/* The reading thread makes its own parser like this one, on its
	 * own heap: the two threads' hot data then share no cache line. */
	if (p->parse && (pl->jparser = parser_new(p->engine, cause)) == NULL)
		goto fail;
	if (p->json && (pl->jsonin = jsonin_new(p->json_field, p->json_key,
	    p->json_only_braces, cause)) == NULL)
		goto fail;
	if (pipe(pl->wake) == -1) {
		xasprintf(cause, "cannot make a pipe: %s", strerror(errno));
		goto fail;
	}
	(void)fcntl(pl->wake[0], F_SETFD, FD_CLOEXEC);
	(void)fcntl(pl->wake[1], F_SETFD, FD_CLOEXEC);
	pthread_mutex_init(&pl->lock, NULL);
	/* Timed waits by the monotonic clock: one set back must not make
	 * a wait of 100 ms last until it catches up. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&pl->cond, &ca);
	pthread_condattr_destroy(&ca);
	pl->fill = &pl->batch[0];
	/* Signals are the judging thread's to take. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	e = pthread_create(&pl->thread, NULL, reading_thread, pl);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0) {
		xasprintf(cause, "cannot start a thread: %s", strerror(e));
		goto fail;
	}
	pl->started = 1;
	return pl;
fail:
	pipeline_free(pl);
	return NULL;
}

/* Give the batch judged back to the reader. */
static void
release(struct pipeline *pl)
{
	arena_trim(&pl->cur->text);	/* still the judge's */
	arena_trim(&pl->cur->shapes);
	pthread_mutex_lock(&pl->lock);
	pl->full--;
	pl->head = (pl->head + 1) % NBATCH;
	pthread_cond_broadcast(&pl->cond);
	pthread_mutex_unlock(&pl->lock);
	pl->cur = NULL;
}

int
pipeline_ready(struct pipeline *pl, int ms)
{
	struct timespec until;
	int ready;

	if (pl->done || (pl->cur != NULL && (pl->pos < pl->cur->nlines ||
	    pl->cur->last)))
		return 1;	/* an item, or the end, is at hand */
	/* A batch judged to its end goes back now, not with the next item:
	 * the reader may be waiting for it (await_judge()). */
	if (pl->cur != NULL)
		release(pl);
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&pl->lock);
	while ((ready = pl->full > 0) == 0 && ms > 0) {
		pl->starved = 1;	/* the judge waits: see hand_over() */
		if (pthread_cond_timedwait(&pl->cond, &pl->lock, &until) != 0)
			ms = 0;
	}
	pthread_mutex_unlock(&pl->lock);
	return ready;
}

int
pipeline_quiet(struct pipeline *pl, int ms)
{
	int64_t since;

	pthread_mutex_lock(&pl->lock);
	since = monotonic_ms() - pl->bytes_came;
	pthread_mutex_unlock(&pl->lock);
	return since >= ms && !pipeline_ready(pl, 0);
}

int
pipeline_opening(struct pipeline *pl)
{
	int opening;

	pthread_mutex_lock(&pl->lock);
	opening = pl->opening;
	pthread_mutex_unlock(&pl->lock);
	return opening;
}

/* Lend the judge a line's tokens where they lie in the batch. */
static void
lend_tokens(const struct batch *b, const struct bline *l,
    const char *content, struct tokens *tk)
{
	tk->tok = l->ntok > 0 ? b->tok + l->tok : tk->own;
	tk->n = l->ntok;
	tk->cut = l->cut;
	tk->tz = b->tz;
	tk->msg = content;
	tk->nspans = l->nspans;
	if (l->nspans > 0)	/* a batch without spans has no array */
		memcpy(tk->spans, b->spans + l->span,
		    l->nspans * sizeof *tk->spans);
}

int
pipeline_next(struct pipeline *pl, struct pipe_item *it, struct tokens *tk)
{
	const struct bline *l;
	const char *base;
	struct json_record jr;
	size_t i;

	for (;;) {
		if (pl->done)
			return 0;
		if (pl->cur != NULL && pl->pos < pl->cur->nlines)
			break;
		if (pl->cur != NULL) {
			if (pl->cur->last) {
				pl->done = 1;
				release(pl);
				return 0;
			}
			release(pl);
		}
		pthread_mutex_lock(&pl->lock);
		while (pl->full == 0) {
			pl->starved = 1;
			pthread_cond_wait(&pl->cond, &pl->lock);
		}
		pthread_mutex_unlock(&pl->lock);
		pl->cur = &pl->batch[pl->head];
		pl->pos = 0;
	}
	l = &pl->cur->lines[pl->pos++];
	base = pl->cur->text.p;
	if (l->kind != PIPE_LINE) {
		memset(it, 0, sizeof *it);
		it->kind = l->kind;
		it->input = l->input;
	}
	switch (l->kind) {
	case PIPE_OPEN:
		it->regular = l->regular;
		it->size = l->size;
		return 1;
	case PIPE_CLOSE:
		it->failed = l->failed;
		it->err = l->failed ? base + l->err : NULL;
		it->bytes = l->bytes;
		it->malformed = l->malformed;
		it->missing = l->missing;
		return 1;
	case PIPE_LINE:
		break;
	}
	/* A line sets every field a line has: no memset of the whole item
	 * (a few hundred bytes) for each one. */
	it->kind = PIPE_LINE;
	it->input = l->input;
	/* A line of an input the reader had left when it handed the batch
	 * over is somewhere before that offset, of another input: none. */
	it->offset = pl->cur->offset_known &&
	    pl->cur->offset_input == l->input ? pl->cur->offset :
	    PIPE_NO_OFFSET;
	it->ln.text = (char *)base + l->text;
	it->ln.len = l->len;
	it->ln.crlf = l->crlf;
	it->ln.truncated = l->truncated;
	it->msg = base + l->msg;
	it->msglen = l->msglen;
	it->record = l->record;
	it->plain = l->plain;
	it->malformed = l->malformed;
	it->missing = l->missing;
	if (l->parsed) {
		it->pd.content.p = base + l->content;
		it->pd.content.len = l->contentlen;
		it->pd.header = l->header;
		it->pd.has_time = l->has_time;
		it->pd.time_flags = l->time_flags;
		it->pd.time = l->time;
		it->pd.sev = l->sev;
		it->pd.key.p = l->has_pkey ? base + l->pkey : NULL;
		it->pd.key.len = l->has_pkey ? l->pkeylen : 0;
		it->pd.fields.n = l->nhf;
		for (i = 0; i < l->nhf; i++) {
			it->pd.fields.p[i] = l->hfoff[i] == UINT32_MAX ? NULL :
			    it->msg + l->hfoff[i];
			it->pd.fields.len[i] = l->hflen[i];
		}
		it->pd.fields.name = l->hfname;
		it->pd.fields.members.n = 0;
		if (l->record)
			members_of(pl->cur, l, &it->pd.fields.members);
		lend_tokens(pl->cur, l, it->pd.content.p, tk);
	} else if (l->judge_parses) {
		parser_line(pl->jparser, it->msg, it->msglen, &it->pd, tk);
		if (l->record) {
			record_of(pl->cur, l, &jr);
			parser_record(pl->jparser, &jr, &it->pd);
		}
	} else
		memset(&it->pd, 0, sizeof it->pd);	/* a record's line */
	return 1;
}

void
pipeline_free(struct pipeline *pl)
{
	size_t i;

	if (pl == NULL)
		return;
	if (pl->started) {
		pthread_mutex_lock(&pl->lock);
		pl->stop = 1;
		pthread_cond_broadcast(&pl->cond);
		pthread_mutex_unlock(&pl->lock);
		/* A reader waiting for a pipe wakes (see hook()); one that
		 * waits inside a decompressor is cancelled there, with what
		 * it was reading whole: freed here. */
		if (write(pl->wake[1], "", 1) == -1) {
			/* full: it has been woken already */
		}
		if (!pl->done)
			pthread_cancel(pl->thread);
		pthread_join(pl->thread, NULL);
		if (pl->rd != NULL) {
			reader_free(pl->rd);
			if (pl->fd != STDIN_FILENO)
				close(pl->fd);
		}
	}
	if (pl->wake[0] != -1) {
		close(pl->wake[0]);
		close(pl->wake[1]);
	}
	pthread_mutex_destroy(&pl->lock);
	pthread_cond_destroy(&pl->cond);
	for (i = 0; i < NBATCH; i++)
		batch_free(&pl->batch[i]);
	parser_free(pl->parser);
	parser_free(pl->jparser);
	jsonin_free(pl->jsonin);
	free(pl->tk);
	free(pl);
}
