/*
 * The engine owns the compiled header format, the parse tree with its
 * templates, the scorer and the tokenizer's scratch space, and runs them
 * in order for each line.  It allocates nothing per line: the tokens live
 * in one reused buffer and only a new template costs an allocation.
 */
#include "config.h"

#include <stdlib.h>

#include "drain.h"
#include "engine.h"
#include "format.h"
#include "header.h"
#include "score.h"
#include "template.h"
#include "tokenize.h"
#include "xmalloc.h"

struct engine {
	struct engine_params	 p;
	struct format		*format;
	struct drain		*tree;
	struct scorer		*scorer;
	struct tokens		*tokens;
	struct span		 fields[FORMAT_MAX_FIELDS];
	struct header		 header;	/* found without a format */
	uint64_t		 lines;
};

struct engine *
engine_new(const struct engine_params *p, char **cause)
{
	struct engine *e;

	e = xcalloc(1, sizeof *e);
	e->p = *p;
	if (p->format != NULL) {
		if ((e->format = format_compile(p->format, cause)) == NULL)
			goto fail;
	} else if (p->format_regex != NULL) {
		e->format = format_compile_regex(p->format_regex, cause);
		if (e->format == NULL)
			goto fail;
	}
	e->tree = drain_new(&p->drain);
	e->scorer = scorer_new(&p->scorer);
	e->tokens = xmalloc(sizeof *e->tokens);
	return e;
fail:
	free(e);
	return NULL;
}

void
engine_free(struct engine *e)
{
	if (e == NULL)
		return;
	format_free(e->format);
	drain_free(e->tree);
	scorer_free(e->scorer);
	free(e->tokens);
	free(e);
}

void
engine_line(struct engine *e, const char *text, size_t len, struct verdict *v)
{
	v->line = ++e->lines;
	v->header = 0;
	v->time = 0;	/* not known yet */
	v->content.p = text;
	v->content.len = len;
	if (e->format != NULL) {
		if (format_split(e->format, text, len, &v->content, e->fields))
			v->header = 1;
	} else if (e->p.detect_header &&
	    header_split(text, len, &v->content, &e->header))
		v->header = 1;

	tokenize(v->content.p, v->content.len, e->tokens);
	v->tmpl = drain_match(e->tree, e->tokens, e->p.learn, &v->created);
	v->flagged = scorer_line(e->scorer, v->tmpl, v->created, e->p.learn,
	    &v->score);
	if (v->tmpl != NULL && e->p.learn) {
		if (v->created)
			v->tmpl->first_line = v->line;
		v->tmpl->last_line = v->line;
	}
	if (v->line <= e->p.warmup)
		v->flagged = 0;
}

size_t
engine_templates(const struct engine *e)
{
	return drain_count(e->tree);
}

struct template *
engine_template(const struct engine *e, size_t i)
{
	return drain_template(e->tree, i);
}
