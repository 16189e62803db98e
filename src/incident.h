/*
 * Incidents: findings close together in time grouped into one, with what
 * they have in common, and a memory of past incidents that says which
 * earlier one a new one is like and which templates come together.
 */
#ifndef INCIDENT_H
#define INCIDENT_H

#include <stddef.h>
#include <stdint.h>

#include "score.h"

#define INCIDENT_DEFAULT_GAP	30	/* seconds of log time */
#define INCIDENT_DEFAULT_GAP_LINES 100	/* lines, when there is no time */
#define INCIDENT_TEMPLATES	32	/* templates named per incident */
#define INCIDENT_SOURCES	16	/* sources named per incident */
#define INCIDENT_NAME_MAX	64	/* bytes of a source's name kept */
#define INCIDENT_MEMORY		64	/* past incidents compared */
#define INCIDENT_PAIRS		1024	/* template pairs counted */
#define INCIDENT_RELATED	8	/* related pairs named per incident */
#define INCIDENT_LIKE		0.5	/* least Jaccard similarity */

struct incident_params {
	double		 gap;		/* 0: the defaults */
	int		 gap_lines;	/* gap counts lines, always */
};

/* One finding, as the incidents see it. */
struct incident_finding {
	uint64_t	 line;
	double		 time;		/* event time, 0: unknown */
	double		 bits;
	enum score_kind	 kind;
	uint64_t	 template_id;	/* 0: none */
	const char	*source;	/* with --key, else NULL */
};

struct incident_template {
	uint64_t	 id;
	int		 source;	/* index in sources, -1: none */
	uint32_t	 findings;
	uint64_t	 key;		/* of source and id */
};

/* Two templates of the incident that came together before. */
struct incident_pair {
	uint32_t	 a, b;		/* indices in templates */
	uint32_t	 incidents;	/* incidents with both, this one too */
};

struct incident {
	uint64_t		 id;		/* from 1 */
	int			 by_time;	/* gap and duration in seconds */
	uint64_t		 first_line;
	uint64_t		 last_line;
	double			 start;		/* first finding's time, or 0 */
	double			 end;		/* last finding's time */
	uint64_t		 findings;
	uint64_t		 by_kind[KIND_HELD + 1];
	double			 peak;		/* highest score */
	uint64_t		 peak_line;
	struct incident_finding	 first;		/* its source: sources[0] */

	struct incident_template templates[INCIDENT_TEMPLATES];
	size_t			 ntemplates;
	uint64_t		 unnamed;	/* findings of others */
	char			 sources[INCIDENT_SOURCES][INCIDENT_NAME_MAX + 1];
	size_t			 nsources;
	uint64_t		 more_sources;

	/* Known once it is over: */
	uint64_t		 like;		/* the incident it is like, 0 */
	uint32_t		 like_shared;	/* templates both have */
	uint32_t		 like_union;	/* templates either has */
	struct incident_pair	 related[INCIDENT_RELATED];
	size_t			 nrelated;
};

struct incidents;

struct incidents *incidents_new(const struct incident_params *);
void		 incidents_free(struct incidents *);

/*
 * A record at line (and time, 0 if unknown) is about to be judged: if the
 * open incident's last finding is more than the gap before it, the
 * incident is over.  Returns it, summed up, or NULL.  The incident
 * returned by any of these functions stays valid until the next call.
 */
const struct incident *incidents_advance(struct incidents *, uint64_t line,
		    double time);

/*
 * A finding: it joins the open incident, or opens one (*opened set).
 * Returns the incident.  Call incidents_advance first.
 */
const struct incident *incidents_finding(struct incidents *,
		    const struct incident_finding *, int *opened);

/* The open incident's id, or 0. */
uint64_t	 incidents_current(const struct incidents *);

/* End of input: the open incident, summed up, or NULL. */
const struct incident *incidents_finish(struct incidents *);

#endif
