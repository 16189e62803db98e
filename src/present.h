/*
 * Presenting judged records: which are printed and in what order when
 * findings have context around them (-A, -B, -C).
 */
#ifndef PRESENT_H
#define PRESENT_H

#include <stddef.h>

struct outbuf;
struct output_input;
struct output_opts;
struct verdict;

struct present_params {
	unsigned			 before;	/* -B */
	unsigned			 after;		/* -A */
	int				 context;	/* -A, -B or -C given */
};

struct presenter;

/* Records go to o as opt says; both must outlive the presenter. */
struct presenter *present_new(struct outbuf *o, const struct output_opts *opt,
		    const struct present_params *);
void		 present_free(struct presenter *);

/*
 * A judged record, in order: print it (and before it its before-context)
 * if it is to be printed, else keep it as possible before-context.  in's
 * context is set here.  Returns the records printed.
 */
size_t		 present_record(struct presenter *, struct output_input *in,
		    const struct verdict *);

#endif
