/*
 * Templates: the learned shape of a group of log messages, a sequence of
 * constant tokens and "<*>" variables, with its counts.
 */
#ifndef TEMPLATE_H
#define TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

struct token;
struct tokens;

#define TT_WILD		UINT32_MAX	/* off of a variable position */

#define TT_JOINED	0x01	/* printed without a space before it */
#define TT_GAP		0x02	/* a run of variable length follows it */
#define TT_OPTIONAL	0x04	/* some lines of the template lack it */
#define TT_WASVAR	0x08	/* masked in the line that made it */
#define TT_PURE		0x10	/* ...and only punctuation besides */
#define TT_KEY		0x20	/* names a field: "key=", "key:" */
#define TT_MARK		0x40	/* punctuation only: "****" */
#define TT_UNIT		0x80	/* a unit, part of the number before it */
/*
 * A variable's brackets and punctuation, kept when every word it stood
 * for had them: "[<*>]", "(<*>),".  The high 24 bits of flags hold the
 * opening byte and up to two closing bytes, 0 for none.  A "key=" or a
 * family of dotted names kept the same way ("user=<*>", "com.apple.<*>")
 * is a string of the tags table, at tag, in a template without
 * show_class (which has no class tags to keep there).
 */
#define TT_AFFIX	0xffffff00u

struct template_token {
	uint64_t	hash;		/* of the shape; wild hash for "<*>" */
	uint32_t	off;		/* shape at text + off, or TT_WILD */
	uint32_t	len;
	uint32_t	flags;		/* TT_* */
	uint32_t	tag;		/* class tags at tags + tag, TT_WILD */
};

struct template {
	uint64_t		 id;
	uint64_t		 serial;	/* unique in the run, across
						 * sources: the engine's */		/* stable, from 1; 0: hidden */
	uint32_t		 ntok;
	uint32_t		 nwild;		/* positions that are "<*>" */
	uint32_t		 naffix;	/* ... of them with TT_AFFIX or
						 * a key */
	struct template_token	*tok;
	char			*text;		/* the constant shapes */
	uint64_t		 count;		/* lines that matched */
	uint64_t		 first_line;	/* model line numbers */
	uint64_t		 last_line;
	void			*score;		/* owned by the scorer */

	/*
	 * The tree's bookkeeping.  A template merged into another prints
	 * that one's text from then on; a template of another length that
	 * stands for the same event (a list one item longer) is one of its
	 * variants, kept by the tree to find it, never given to callers.
	 */
	struct template		*merged;	/* NULL, or the one it joined */
	struct template		**variants;	/* other lengths, same event */
	size_t			 nvariants;
	uint32_t		*rootpos;	/* a variant's, in merged */
	uint64_t		 lines;		/* lines the tree gave it */
	uint64_t		 bloom;		/* of the constant shapes */
	int			 show_class;	/* print "<IP>", not "<*>" */
	size_t			 bytes;		/* its memory, but the cache */
	int			 doomed;	/* being evicted by the tree */
	uint32_t		 group;		/* ... its event's number */
	void			*leaf;		/* the tree's leaf holding it */
	size_t			 leafpos;	/* ... and its place there */
	void			*first;		/* its list by first token */
	size_t			 firstpos;	/* ... and its place there */
	char			*tags;		/* class tag texts */

	char			*rendered;	/* cache for template_text() */
	size_t			 rendered_len;
	char			*json;		/* output's: rendered, escaped */
	size_t			 json_len;
	int			 json_long;	/* too long to keep escaped */
};

/* A new template holding the shapes of tk; count and lines are 0. */
struct template	*template_new(uint64_t id, const struct tokens *tk);
void		 template_free(struct template *);

/* Keep the class tags of tk's variables, for show_class printing. */
void		 template_keep_tags(struct template *, const struct tokens *);

/* Drop the cached texts of a template whose tokens or root changed. */
void		 template_forget_text(struct template *);

/* The template this one prints as: itself, or the one it was merged into. */
struct template	*template_root(struct template *);

/*
 * Make every position where tk differs a variable.  Returns 1 when the
 * template changed.  tk must have as many tokens as the template.
 */
int		 template_merge(struct template *, const struct tokens *tk);

/* Make position i a variable; returns 1 when that changed anything. */
int		 template_set_wild(struct template *, uint32_t i);

/*
 * Position i turns from the word it holds into a variable because a
 * line's word there differs: make it one, keeping the brackets,
 * punctuation (TT_AFFIX) and "key=" both words share.  Returns 1 when
 * that changed anything.
 */
int		 template_generalise(struct template *, uint32_t i,
		    const struct token *);

/* Drop what position i kept if word p (n bytes) lacks it. */
void		 template_fit_word(struct template *, uint32_t i,
		    const char *p, size_t n);

/* Drop what t's positions kept where u's (merged into t) lack it. */
void		 template_fit_template(struct template *t,
		    const struct template *u);

/* Drop what positions kept (TT_AFFIX, a key) where tk's word lacks it. */
void		 template_fit_affixes(struct template *,
		    const struct tokens *tk);

/* Mark position i (and so the template's text) with TT_* flags. */
void		 template_set_flags(struct template *, uint32_t i,
		    uint32_t flags);

/* Positions where the template is a variable, or the token matches. */
int		 template_matches(const struct template *,
		    const struct tokens *);

/*
 * The line's values at the template's variable positions ("<*>" or a
 * masked shape), in order: fills vals[0 .. n) with pointers into the
 * line's raw tokens and returns n (at most max).  pos is the token's
 * index in the line (tk->tok[pos] is the token): for a line of the
 * template's own length that is also its position in the template,
 * stable for the template's life.  slot is the position in the template
 * the token stands at, the same for lines of every length: in a line of
 * another length (a variable-length list, an optional part), a token
 * that has no position of its own gets the slot of the variable it
 * extends, or ntok when there is none.
 */
struct template_value {
	const char	*p;
	uint32_t	 len;
	uint32_t	 pos;
	uint32_t	 slot;
};
size_t		 template_values(const struct template *,
		    const struct tokens *tk, struct template_value *vals,
		    size_t max);

struct sbuf;
struct sread;

/*
 * A template's own fields (shapes, flags, counts, class tags), not its
 * links to others (merged, variants, rootpos), which the tree saves as
 * indexes.  template_load returns a new template, or NULL when the data
 * is not one (a bound or an offset out of range, or r runs out).
 */
void		 template_save(const struct template *, struct sbuf *);
struct template	*template_load(struct sread *);

/*
 * The template as text, in the template style of mask_canonical() (or
 * with class tags, with show_class).  A template merged into another
 * prints that one's text.  The string belongs to the template and stays
 * valid until it changes.
 */
const char	*template_text(struct template *, size_t *len);

#endif
