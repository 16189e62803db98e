/*
 * Templates: the learned shape of a group of log messages, a sequence of
 * constant tokens and "<*>" variables, with its counts.
 */
#ifndef TEMPLATE_H
#define TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

struct tokens;

struct template_token {
	uint64_t	hash;		/* of the shape; wild hash for "<*>" */
	uint32_t	off;		/* shape text at text + off */
	uint32_t	len;
};

struct template {
	uint64_t		 id;		/* stable, from 1 */
	uint32_t		 ntok;
	uint32_t		 nwild;		/* positions that are "<*>" */
	struct template_token	*tok;
	char			*text;		/* the constant shapes */
	uint64_t		 count;		/* lines that matched */
	uint64_t		 first_line;	/* model line numbers */
	uint64_t		 last_line;
	void			*score;		/* owned by the scorer */

	char			*rendered;	/* cache for template_text() */
	size_t			 rendered_len;
};

/* A new template holding the shapes of tk; count and lines are 0. */
struct template	*template_new(uint64_t id, const struct tokens *tk);
void		 template_free(struct template *);

/*
 * Make every position where tk differs a variable.  Returns 1 when the
 * template changed.  tk must have as many tokens as the template.
 */
int		 template_merge(struct template *, const struct tokens *tk);

/* Positions where the template is a variable, or the token matches. */
int		 template_matches(const struct template *,
		    const struct tokens *);

/*
 * The line's values at the template's variable positions ("<*>" or a
 * masked shape), in order: fills vals[0 .. n) with pointers into the
 * line's raw tokens and returns n (at most max).  pos[i], when pos is
 * not NULL, gets the position's index, stable for the template's life.
 */
struct template_value {
	const char	*p;
	uint32_t	 len;
	uint32_t	 pos;
};
size_t		 template_values(const struct template *,
		    const struct tokens *tk, struct template_value *vals,
		    size_t max);

/*
 * The template as text, in the template style of mask_canonical().  The
 * string belongs to the template and stays valid until it changes.
 */
const char	*template_text(struct template *, size_t *len);

#endif
