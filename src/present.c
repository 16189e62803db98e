/*
 * The presenter decides what of a judged record is printed, and in which
 * order, once findings are more than lines printed one by one: with -A,
 * -B or -C, a finding is printed after the records kept as its
 * before-context, records after it are printed as context, and "--"
 * goes between groups that do not touch.  With -a every record is
 * printed and context is moot.  The presenter owns the context and
 * writes through output.c; it never flushes or exits.
 */
#include "config.h"

#include <stdlib.h>

#include "context.h"
#include "engine.h"
#include "output.h"
#include "present.h"
#include "xmalloc.h"

struct presenter {
	struct outbuf			*o;
	const struct output_opts	*opt;
	struct context			*ctx;	/* NULL: no context */
	uint64_t			 seq;	/* records judged */
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
	return p;
}

void
present_free(struct presenter *p)
{
	if (p == NULL)
		return;
	context_free(p->ctx);
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

size_t
present_record(struct presenter *p, struct output_input *in,
    const struct verdict *v)
{
	struct output_input kin;
	struct verdict kv;
	uint64_t seq = ++p->seq, kseq;
	size_t n = 0;

	in->context = 0;
	if (p->opt->all || p->ctx == NULL) {
		if (v->flagged || p->opt->all)
			n += emit(p, seq, in, v);
		return n;
	}
	if (v->flagged) {
		while ((kseq = context_take(p->ctx, &kin, &kv)) != 0)
			n += emit(p, kseq, &kin, &kv);
		n += emit(p, seq, in, v);
		context_finding(p->ctx);
	} else if (context_after(p->ctx)) {
		in->context = 1;
		n += emit(p, seq, in, v);
	} else
		context_keep(p->ctx, seq, in, v);
	return n;
}
