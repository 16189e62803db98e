/*
 * Presenting judged records: which are printed and in what order when
 * findings have context around them (-A, -B, -C) and are grouped into
 * incidents (--incidents).
 */
#ifndef PRESENT_H
#define PRESENT_H

#include <stddef.h>

struct incident_params;
struct outbuf;
struct output_input;
struct output_opts;
struct score_event;
struct verdict;

struct present_params {
	unsigned			 before;	/* -B */
	unsigned			 after;		/* -A */
	int				 context;	/* -A, -B or -C given */
	const struct incident_params	*incidents;	/* NULL: none */
};

struct presenter;

/* Records go to o as opt says; both must outlive the presenter. */
struct presenter *present_new(struct outbuf *o, const struct output_opts *opt,
		    const struct present_params *);
void		 present_free(struct presenter *);

/*
 * A judged record, in order: print it (and before it its before-context,
 * an incident's end or opening) if it is to be printed, else keep it as
 * possible before-context.  in's context and incident are set here.
 * Returns the records printed.
 */
size_t		 present_record(struct presenter *, struct output_input *in,
		    const struct verdict *);

/* A record of its own (burst end, silence, held); lines as output_event. */
size_t		 present_event(struct presenter *, const struct score_event *,
		    const char *source, int lines);

/* Another input starts: context does not cross into it. */
void		 present_input(struct presenter *);

/* End of input: the open incident's summary. */
size_t		 present_finish(struct presenter *);

#endif
