/*
 * A model: what is learned about one source of lines (a host, a
 * container, or the whole input): its parse tree and templates, its
 * scorer, and its clock.
 */
#ifndef MODEL_H
#define MODEL_H

#include <stddef.h>
#include <stdint.h>

struct engine_params;
struct parsed;
struct score_event;
struct template;
struct tokens;
struct verdict;

struct model;

/*
 * A model for the source named name[0..len) (len 0: the only one).
 * small: one of many, so its caches and vocabulary are kept small.
 */
struct model	*model_new(const struct engine_params *, const char *name,
		    size_t len, int small);
void		 model_free(struct model *);

/* The source's name, NUL-terminated ("" for the only model). */
const char	*model_name(const struct model *);

/*
 * Judge line number line, parsed as pd with tokens tk, then learn it.
 * Fills v's template, score, flag and time.
 */
void		 model_judge(struct model *, const struct parsed *pd,
		    const struct tokens *tk, uint64_t line, struct verdict *v);

void		 model_finish(struct model *, uint64_t line);
int		 model_event(struct model *, struct score_event *);
int		 model_ticks_are_lines(const struct model *);
void		 model_idle(struct model *);

size_t		 model_templates(const struct model *);
struct template	*model_template(const struct model *, size_t);

struct sbuf;
struct sread;

/*
 * Save everything the model learned: clock, vocabulary, tree, scorer.
 * model_load fills a new model made with the same parameters and name;
 * -1 with *cause set when the data is not a model (the model is then
 * only fit for model_free).
 */
void		 model_save(const struct model *, struct sbuf *);
int		 model_load(struct model *, struct sread *, char **cause);

#endif
