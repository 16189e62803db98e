/*
 * The parse tree, after Drain (He et al., ICWS 2017): finds the template
 * of a tokenized message, learning new templates as they appear.  See
 * drain.c for the method.
 */
#ifndef DRAIN_H
#define DRAIN_H

#include <stddef.h>
#include <stdint.h>

struct template;
struct tokens;

struct drain_params {
	unsigned	depth;		/* tree depth; depth - 2 token layers */
	double		similarity;	/* least share agreeing to generalise */
	unsigned	max_children;	/* per inner node */
	unsigned	variable_words;	/* words that make a variable */
	int		show_class;	/* templates print "<IP>", not "<*>" */
};

#define DRAIN_DEFAULT_DEPTH		3
#define DRAIN_DEFAULT_SIMILARITY	0.5
#define DRAIN_DEFAULT_MAX_CHILDREN	100
#define DRAIN_DEFAULT_VARIABLE_WORDS	4

struct drain;

struct drain	*drain_new(const struct drain_params *);
void		 drain_free(struct drain *);

/*
 * The template of tk.  With learn, a message that matches no template
 * creates one (*created is set) and a matching template is generalised
 * to cover it; without, the tree is left as it is and NULL means no
 * template fits.  The template belongs to the tree.
 */
struct template	*drain_match(struct drain *, const struct tokens *, int learn,
		    int *created);

/* All templates, in the order they were created. */
size_t		 drain_count(const struct drain *);
struct template	*drain_template(const struct drain *, size_t);

#endif
