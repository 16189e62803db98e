/*
 * Context lines, as grep does them.  After a finding, the next `after`
 * records are printed as context (a finding among them is printed as a
 * finding and starts the count again).  Before-context needs the past:
 * a ring of the last `before` records not printed, each copied with all
 * it takes to print it later (its bytes, its JSON message, its template's
 * id and text as they were, its source's name), since the reader's
 * buffer, the template and even the source may be gone by then.
 *
 * The ring is bounded twice: `before` records (at most CONTEXT_MAX) and
 * CONTEXT_KEEP_BYTES bytes of copies.  Each slot keeps its buffer for the
 * next record, so nothing is allocated per record once they have grown.
 * A record that does not fit makes room by forgetting the oldest; one
 * larger than the whole bound is not kept, and nothing before it either,
 * so before-context never skips a record silently: a "--" shows the gap.
 *
 * Records are numbered by the caller, in order; two printed records with
 * numbers that do not follow each other have a "--" between them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "engine.h"
#include "output.h"
#include "reader.h"
#include "record.h"
#include "template.h"
#include "xmalloc.h"

struct kept {
	uint64_t	 seq;
	char		*buf;
	size_t		 cap;
	struct line	 line;
	struct record	 rec;
	int		 multi;		/* rec is the record */
	const char	*file;
	uint64_t	 input_line;	/* its number in its input */
	const char	*msg;
	size_t		 msglen;
	int		 json;		/* line is a JSON object */
	struct verdict	 v;
	uint64_t	 tmpl_id;
	const char	*tmpl_text;
	size_t		 tmpl_len;
};

struct context {
	unsigned	 before;
	unsigned	 after;
	unsigned	 after_left;
	struct kept	*ring;
	size_t		 head;		/* the oldest */
	size_t		 n;
	size_t		 bytes;		/* of all the slots' buffers */
	uint64_t	 last;		/* printed last, 0: none */
	int		 new_input;	/* an input started since */
};

struct context *
context_new(unsigned before, unsigned after)
{
	struct context *c;

	c = xcalloc(1, sizeof *c);
	c->before = before > CONTEXT_MAX ? CONTEXT_MAX : before;
	c->after = after > CONTEXT_MAX ? CONTEXT_MAX : after;
	if (c->before > 0)
		c->ring = xcalloc(c->before, sizeof *c->ring);
	return c;
}

void
context_free(struct context *c)
{
	unsigned i;

	if (c == NULL)
		return;
	for (i = 0; i < c->before; i++)
		free(c->ring[i].buf);
	free(c->ring);
	free(c);
}

void
context_finding(struct context *c)
{
	c->after_left = c->after;
	c->n = 0;	/* printed before it, or not to be */
}

int
context_after(struct context *c)
{
	if (c->after_left == 0)
		return 0;
	c->after_left--;
	return 1;
}

static void
drop_buffer(struct context *c, struct kept *k)
{
	c->bytes -= k->cap;
	free(k->buf);
	k->buf = NULL;
	k->cap = 0;
}

/* Free the buffers of the slots that hold no kept record, but k. */
static void
drop_idle(struct context *c, struct kept *k)
{
	size_t i, at;

	for (i = 0; i < c->before; i++) {
		at = (i + c->before - c->head) % c->before;
		if (at >= c->n && &c->ring[i] != k && c->ring[i].buf != NULL)
			drop_buffer(c, &c->ring[i]);
	}
}

/* A slot with room for need bytes, or NULL when need is too much. */
static struct kept *
make_room(struct context *c, size_t need)
{
	struct kept *k;
	size_t cap;

	if (c->n == c->before) {	/* the oldest makes way */
		c->head = (c->head + 1) % c->before;
		c->n--;
	}
	k = &c->ring[(c->head + c->n) % c->before];
	if (need <= k->cap)
		return k;
	drop_buffer(c, k);
	if (need > CONTEXT_KEEP_BYTES) {
		c->n = 0;
		return NULL;
	}
	for (cap = 256; cap < need; cap *= 2)
		continue;
	if (cap > CONTEXT_KEEP_BYTES)
		cap = need;
	if (c->bytes + cap > CONTEXT_KEEP_BYTES)
		drop_idle(c, k);
	while (c->bytes + cap > CONTEXT_KEEP_BYTES && c->n > 0) {
		drop_buffer(c, &c->ring[c->head]);
		c->head = (c->head + 1) % c->before;
		c->n--;
	}
	k->buf = xmalloc(cap);
	k->cap = cap;
	c->bytes += cap;
	return k;
}

void
context_keep(struct context *c, uint64_t seq, const struct output_input *in,
    const struct verdict *v)
{
	const struct record *r = in->rec;
	const char *tt = NULL, *src = v->source;
	size_t tlen = 0, text, msg, need, nflags, slen;
	uint64_t tid = 0;
	struct kept *k;
	char *p;

	if (c->before == 0)
		return;
	if (v->tmpl != NULL) {
		tid = v->tmpl->id;
		tt = template_text(v->tmpl, &tlen);
	}
	text = r != NULL ? r->len : in->line->len;
	nflags = r != NULL ? r->nlines : 0;
	/* A JSON line's message lives elsewhere: copy it too. */
	msg = in->msg == (r != NULL ? r->text : in->line->text) ? 0 :
	    in->msglen;
	slen = src != NULL ? strlen(src) + 1 : 0;
	need = text + msg + nflags + tlen + slen;
	if ((k = make_room(c, need > 0 ? need : 1)) == NULL)
		return;
	p = k->buf;
	k->seq = seq;
	k->file = in->file;
	k->input_line = in->input_line;
	k->json = in->record;
	k->multi = r != NULL;
	memcpy(p, r != NULL ? r->text : in->line->text, text);
	k->line = *in->line;
	k->line.text = p;
	k->msg = p;
	k->msglen = text;
	if (r != NULL) {
		k->rec = *r;
		k->rec.text = p;
		k->rec.sig = NULL;
		k->rec.siglen = 0;
		memcpy(p + text + msg, r->crlf, nflags);
		k->rec.crlf = (unsigned char *)p + text + msg;
	}
	p += text;
	if (msg > 0) {
		memcpy(p, in->msg, msg);
		k->msg = p;
		k->msglen = msg;
		p += msg;
	}
	p += nflags;
	memcpy(p, tt != NULL ? tt : "", tlen);
	k->tmpl_id = tid;
	k->tmpl_text = p;
	k->tmpl_len = tlen;
	p += tlen;
	k->v = *v;
	k->v.tmpl = NULL;
	k->v.source = NULL;
	if (src != NULL) {
		memcpy(p, src, slen);
		k->v.source = p;
	}
	c->n++;
}

uint64_t
context_oldest(const struct context *c, uint64_t seq)
{
	return c->n > 0 ? c->ring[c->head].seq : seq;
}

uint64_t
context_take(struct context *c, struct output_input *in, struct verdict *v)
{
	struct kept *k;

	if (c->n == 0)
		return 0;
	k = &c->ring[c->head];
	c->head = (c->head + 1) % c->before;
	c->n--;
	memset(in, 0, sizeof *in);
	in->file = k->file;
	in->input_line = k->input_line;
	in->line = &k->line;
	in->msg = k->msg;
	in->msglen = k->msglen;
	in->record = k->json;
	in->rec = k->multi ? &k->rec : NULL;
	in->context = 1;
	in->tmpl_given = 1;
	in->tmpl_id = k->tmpl_id;
	in->tmpl_text = k->tmpl_text;
	in->tmpl_len = k->tmpl_len;
	*v = k->v;
	return k->seq;
}

int
context_gap(const struct context *c, uint64_t seq)
{
	return c->last != 0 && (c->new_input || seq != c->last + 1);
}

void
context_mark(struct context *c, uint64_t seq)
{
	c->last = seq;
	c->new_input = 0;
}

void
context_input(struct context *c)
{
	c->after_left = 0;
	c->n = 0;
	c->new_input = 1;
}
