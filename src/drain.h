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
	unsigned	memo_slots;	/* shape cache, a power of two; 0: the
					 * default (16384) */
	size_t		max_templates;	/* drain_evict's bounds; 0: none */
	size_t		max_bytes;	/* ... of their memory */
	double		half_life;	/* ... and its lines of fading */
};

#define DRAIN_DEFAULT_DEPTH		3
#define DRAIN_DEFAULT_SIMILARITY	0.5
#define DRAIN_DEFAULT_MAX_CHILDREN	100
#define DRAIN_DEFAULT_VARIABLE_WORDS	4
#define DRAIN_DEFAULT_MAX_TEMPLATES	10000
#define DRAIN_DEFAULT_MAX_BYTES		((size_t)64 << 20)

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

/*
 * When the last drain_match made positions variables, what they held
 * before, so the value model of each can start with that history: for
 * merged siblings, each one's word and lines; for a generalised constant,
 * the word and the template's lines.  Returns how many such positions
 * (at most DRAIN_MERGES) and sets *mg to them; valid until the next
 * drain_match.
 */
#define DRAIN_MERGE_MAX	64
#define DRAIN_MERGES	8
struct drain_merge {
	struct template	*root;		/* the template that now covers them */
	uint32_t	 pos;		/* the position that became "<*>" */
	size_t		 n;
	uint64_t	 hash[DRAIN_MERGE_MAX];
	uint64_t	 count[DRAIN_MERGE_MAX];
	struct template	*from[DRAIN_MERGE_MAX];	/* whose word it was */
};
size_t		 drain_last_merges(const struct drain *,
		    const struct drain_merge **mg);

/*
 * Do the keys the scans read beside each template (its leaf's, its list
 * by first token's) say what its shape says?  For the tests: a key left
 * behind when a template changes makes a scan pass it by.
 */
int		 drain_keys_ok(const struct drain *);

/* All templates, in the order they were created. */
size_t		 drain_count(const struct drain *);
struct template	*drain_template(const struct drain *, size_t);

/*
 * Templates the tree holds, the hidden variants counted, and the bytes
 * they take (tokens, shapes, class tags, links; not the text cached for
 * printing): what the bounds max_templates and max_bytes are on.
 * drain_over says whether the tree is past either.
 */
size_t		 drain_size(const struct drain *);
size_t		 drain_bytes(const struct drain *);
int		 drain_over(const struct drain *);

/*
 * Keep the tree within its bounds: when it is past one, drop the least
 * valuable events (a template with all merged into it and its variants,
 * as drain.c defines value) until it is a sixteenth below both.  The
 * events of keep[0 .. nkeep) stay (NULLs are skipped); forget(arg, t) is
 * called for each template before it is freed.  Returns the templates
 * dropped.  O(n log n) in the templates, once per sixteenth of the
 * bound made.
 */
size_t		 drain_evict(struct drain *, struct template *const *keep,
		    size_t nkeep, void (*forget)(void *, struct template *),
		    void *arg);

struct sbuf;
struct sread;

/*
 * Save the whole tree: templates (with the hidden variants), the links
 * between them, the nodes and leaves in their order, and the shape
 * cache, so that a loaded tree matches every later line as the saved one
 * would.  drain_load fills a new tree made with the same parameters; it
 * checks every count, index and link it reads (templates of the length
 * their leaf is for, no merge cycles, variants that are variants), so
 * hostile data can only make it fail: -1 with *cause set, and the tree
 * is then only fit for drain_free.
 */
void		 drain_save(const struct drain *, struct sbuf *);
int		 drain_load(struct drain *, struct sread *, char **cause);

#endif
