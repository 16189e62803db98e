/*
 * The command line and the configuration file, read into struct options:
 * the defaults, each option's value checked as it is read, and the rules
 * between options.  A bad option is told on standard error, with the
 * usage line, and ends the process with status 2.
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stddef.h>

#include "engine.h"
#include "incident.h"
#include "output.h"
#include "present.h"
#include "record.h"

struct conffile;

/* Exit statuses (see EXIT STATUS in aiopsfilter(1)): the program's, here
 * because a bad option ends it with EXIT_TROUBLE. */
#define EXIT_FLAGGED	0
#define EXIT_NONE	1
#define EXIT_TROUBLE	2

enum input_mode {
	INPUT_TEXT,
	INPUT_JSON,		/* every line should be a JSON object */
	INPUT_AUTO,		/* lines opening with '{' may be */
};

struct options {
	struct engine_params	 engine;
	struct output_opts	 out;
	enum input_mode		 input;
	int			 input_given;
	const char		*field;		/* JSON message path, or NULL */
	int			 quiet;
	int			 templates;	/* print the template table */
	int			 line_buffered;
	int			 filename;	/* -1 auto, 0 no, 1 yes */
	const char		*output_file;	/* NULL: standard output */
	int			 progress;	/* -1 auto, 0 no, 1 yes */
	int			 color;		/* -1 auto, 0 no, 1 yes */
	int			 summary;
	int			 ascii;		/* no Unicode in the summary */
	int			 omprog;	/* rsyslog omprog confirmations */
	int			 jobs;		/* -j, 0: by the inputs */
	const char		**masks;	/* --mask, in order */
	size_t			 nmasks;
	struct conffile		*conf;		/* -c FILE, for its strings */
	double			 repeat;	/* --repeat, in its unit */
	int			 repeat_lines;
	struct record_params	 record;	/* --multiline, --record-start */
	struct present_params	 present;	/* -A, -B, -C, --incidents */
	int			 incidents;
	struct incident_params	 incident;
	const char		*state;		/* -s FILE, or NULL */
	char			*state_target;	/* ... what its link names */
	double			 checkpoint;	/* seconds; 0: only at exit */
	int			 learn_only;	/* --learn */
	int			 no_learn;	/* --no-learn */
};

/*
 * Read the configuration file (-c) and then the command line into *opt.
 * Returns the index in argv of the first operand.  --help and --version
 * print and exit 0; a bad option exits 2.  argv[0] is set to the
 * program's name, for getopt's messages.  The option strings point into
 * argv and into opt->conf, so conffile_free(opt->conf) comes after every
 * other use of opt; the caller also frees opt->masks (the array only)
 * and opt->state_target.
 */
int	options_parse(int argc, char **argv, struct options *opt);

#endif
