/*
 * The presenter decides what of a judged record is printed, and in which
 * order, once findings are more than lines printed one by one:
 *
 *   - with --incidents, a record a whole gap after the open incident's
 *     last finding closes it (its summary is printed first), and a
 *     finding with no incident open opens one (its header is printed
 *     before the finding and before its before-context);
 *   - with -A, -B or -C, a finding is printed after the records kept as
 *     its before-context, records after it are printed as context, and
 *     "--" goes between groups that do not touch, before an incident's
 *     header rather than after it;
 *   - with -a every record is printed, context is moot, and incidents are
 *     not records of their own (one record per line is --all's promise,
 *     which programs reading it count on): findings carry their incident
 *     in the incident key only.
 *
 * Records printed while an incident is open carry its id, the context
 * around its findings too.  The presenter owns the context and the
 * incidents and writes through output.c; it never flushes or exits.
 */
#include "config.h"

#include <stdlib.h>

#include "context.h"
#include "engine.h"
#include "incident.h"
#include "output.h"
#include "present.h"
#include "template.h"
#include "xmalloc.h"

struct presenter {
	struct outbuf			*o;
	const struct output_opts	*opt;
	struct context			*ctx;	/* NULL: no context */
	struct incidents		*inc;	/* NULL: no incidents */
	uint64_t			 seq;	/* records judged */
	double				 time;	/* latest event time */
};

struct presenter *
present_new(struct outbuf *o, const struct output_opts *opt,
    const struct present_params *pp)
{
	struct presenter *p;

	p = xcalloc(1, sizeof *p);
	p->o = o;
	p->opt = opt;
	if (pp->context && !opt->all)
		p->ctx = context_new(pp->before, pp->after);
	if (pp->incidents != NULL)
		p->inc = incidents_new(pp->incidents);
	return p;
}

void
present_free(struct presenter *p)
{
	if (p == NULL)
		return;
	context_free(p->ctx);
	incidents_free(p->inc);
	free(p);
}

/* Print record seq, after a "--" if it does not touch the last. */
static size_t
emit(struct presenter *p, uint64_t seq, const struct output_input *in,
    const struct verdict *v)
{
	if (p->ctx != NULL) {
		if (context_gap(p->ctx, seq))
			output_separator(p->o, p->opt);
		context_mark(p->ctx, seq);
	}
	output_line(p->o, p->opt, in, v);
	return 1;
}

/*
 * A finding joins an incident; prints the header of one it opens, after a
 * "--" when record seq (0: not a record) opens a group of context.
 */
static uint64_t
join(struct presenter *p, const struct incident_finding *f, uint64_t seq,
    size_t *n)
{
	const struct incident *c;
	uint64_t first;
	int opened;

	c = incidents_finding(p->inc, f, &opened);
	if (opened && !p->opt->all) {
		if (p->ctx != NULL && seq != 0) {
			first = context_oldest(p->ctx, seq);
			if (context_gap(p->ctx, first))
				output_separator(p->o, p->opt);
			context_mark(p->ctx, first - 1);
		}
		output_incident(p->o, p->opt, c, 0);
		(*n)++;
	}
	return c->id;
}

size_t
present_record(struct presenter *p, struct output_input *in,
    const struct verdict *v)
{
	const struct incident *c;
	struct incident_finding f;
	struct output_input kin;
	struct verdict kv;
	uint64_t seq = ++p->seq, kseq;
	size_t n = 0;

	in->context = 0;
	in->incident = 0;
	if (v->time > p->time)
		p->time = v->time;
	if (p->inc != NULL) {
		c = incidents_advance(p->inc, v->line, v->time);
		if (c != NULL && !p->opt->all) {
			output_incident(p->o, p->opt, c, 1);
			n++;
		}
		if (v->flagged) {
			f.line = v->line;
			f.time = v->time;
			f.bits = v->score.bits;
			f.kind = v->score.kind;
			f.template_id = v->tmpl != NULL ? v->tmpl->id : 0;
			f.source = v->source;
			in->incident = join(p, &f, seq, &n);
		} else if (!p->opt->all)
			in->incident = incidents_current(p->inc);
	}
	if (p->opt->all || p->ctx == NULL) {
		if (v->flagged || p->opt->all)
			n += emit(p, seq, in, v);
		return n;
	}
	if (v->flagged) {
		while ((kseq = context_take(p->ctx, &kin, &kv)) != 0) {
			kin.incident = in->incident;
			n += emit(p, kseq, &kin, &kv);
		}
		n += emit(p, seq, in, v);
		context_finding(p->ctx);
	} else if (context_after(p->ctx)) {
		in->context = 1;
		n += emit(p, seq, in, v);
	} else
		context_keep(p->ctx, seq, in, v);
	return n;
}

size_t
present_event(struct presenter *p, const struct score_event *ev,
    const char *source, int lines)
{
	struct incident_finding f;
	size_t n = 0;
	uint64_t id = 0;

	if (p->inc != NULL) {
		if (ev->kind == KIND_SILENCE) {
			f.line = ev->line;
			f.time = p->time;
			f.bits = ev->bits;
			f.kind = ev->kind;
			f.template_id = ev->tmpl != NULL ? ev->tmpl->id : 0;
			f.source = source;
			id = join(p, &f, 0, &n);
		} else
			id = incidents_current(p->inc);
	}
	output_event_in(p->o, p->opt, ev, source, lines, id);
	return n + 1;
}

void
present_input(struct presenter *p)
{
	if (p->ctx != NULL)
		context_input(p->ctx);
}

size_t
present_finish(struct presenter *p)
{
	const struct incident *c;

	if (p->inc == NULL || (c = incidents_finish(p->inc)) == NULL ||
	    p->opt->all)
		return 0;
	output_incident(p->o, p->opt, c, 1);
	return 1;
}
