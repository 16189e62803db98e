/*
 * The engine owns the compiled header format (or, without one, uses the
 * header scanner), the user masks, the parse tree with its templates, the
 * scorer and the tokenizer's scratch space, and runs them in order for
 * each line.  It allocates nothing per line: the tokens live in one
 * reused buffer and only a new template costs an allocation.
 *
 * --format=none turns the header scanner off: lines are parsed whole.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "drain.h"
#include "engine.h"
#include "format.h"
#include "header.h"
#include "score.h"
#include "template.h"
#include "tokenize.h"
#include "usermask.h"
#include "xmalloc.h"

struct engine {
	struct engine_params	 p;
	struct format		*format;
	struct drain		*tree;
	struct scorer		*scorer;
	struct tokens		*tokens;
	struct tokenizer	 tz;
	struct usermask		*masks;
	struct span		 fields[FORMAT_MAX_FIELDS];
	struct header		 header;	/* found without a format */
	uint64_t		 lines;
};

struct engine *
engine_new(const struct engine_params *p, char **cause)
{
	struct engine *e;

	const unsigned char *d;
	size_t i;

	e = xcalloc(1, sizeof *e);
	e->p = *p;
	if (p->format != NULL && strcmp(p->format, "none") == 0) {
		e->p.detect_header = 0;
	} else if (p->format != NULL) {
		e->format = format_compile_preset(p->format, cause);
		if (e->format == NULL && *cause != NULL)
			goto fail;
		if (e->format == NULL && strchr(p->format, '<') == NULL) {
			xasprintf(cause, "unknown format '%s' (a preset is one "
			    "of none, %s; a format has a <Content> field)",
			    p->format, format_preset_names());
			goto fail;
		}
		if (e->format == NULL &&
		    (e->format = format_compile(p->format, cause)) == NULL)
			goto fail;
	} else if (p->format_regex != NULL) {
		e->format = format_compile_regex(p->format_regex, cause);
		if (e->format == NULL)
			goto fail;
	}
	if (p->nmasks > 0) {
		e->masks = usermask_new();
		for (i = 0; i < p->nmasks; i++)
			if (usermask_add(e->masks, p->masks[i], cause) == -1)
				goto fail;
		if (usermask_compile(e->masks, cause) == -1)
			goto fail;
		e->tz.mask_names = usermask_names(e->masks);
		e->tz.nmasks = usermask_count(e->masks);
	}
	if (p->delimiters != NULL) {
		for (d = (const unsigned char *)p->delimiters; *d != '\0'; d++)
			e->tz.delim[*d] = 1;
		e->tz.any_delim = *p->delimiters != '\0';
	}
	e->tree = drain_new(&p->drain);
	e->scorer = scorer_new(&p->scorer);
	e->tokens = xmalloc(sizeof *e->tokens);
	return e;
fail:
	format_free(e->format);
	usermask_free(e->masks);
	free(e);
	return NULL;
}

void
engine_free(struct engine *e)
{
	if (e == NULL)
		return;
	format_free(e->format);
	usermask_free(e->masks);
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

	e->tokens->nspans = 0;
	if (e->masks != NULL)
		e->tokens->nspans = usermask_find(e->masks, v->content.p,
		    v->content.len < TOKENS_PREFIX ? v->content.len :
		    TOKENS_PREFIX, e->tokens->spans, TOKEN_SPANS_MAX);
	tokenize_with(&e->tz, v->content.p, v->content.len, e->tokens);
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
