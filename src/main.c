/*
 * aiopsfilter: print the log lines that are new or surprising, each with
 * a score in bits.  This file is the program around the engine: options,
 * signals, the read-judge-print loop over the inputs, and the exit
 * status.  Everything it calls is a library the unit tests link too.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conffile.h"
#include "engine.h"
#include "numparse.h"
#include "outbuf.h"
#include "output.h"
#include "reader.h"
#include "template.h"
#include "usermask.h"
#include "xmalloc.h"

#define EXIT_FLAGGED	0
#define EXIT_NONE	1
#define EXIT_TROUBLE	2

struct options {
	struct engine_params	 engine;
	struct output_opts	 out;
	int			 quiet;
	int			 templates;	/* print the template table */
	int			 line_buffered;
	int			 filename;	/* -1 auto, 0 no, 1 yes */
	const char		**masks;	/* --mask, in order */
	size_t			 nmasks;
	struct conffile		*conf;		/* -c FILE, for its strings */
};

/* Where the option being applied came from: NULL for the command line,
 * "FILE:LINE" for the configuration file. */
static const char *option_where;

/* The run's state: one of each per process, as the process is one run. */
struct run {
	struct options	*opt;
	struct engine	*engine;
	struct outbuf	*out;
	uint64_t	 flagged;
	uint64_t	 printed;
	int		 status_error;
	int		 streaming;	/* flush before each blocking read */
	int		 done;		/* stop reading: the answer is known */
};

static volatile sig_atomic_t stop_signal;

static void __attribute__((noreturn))
usage(int status)
{
	FILE *f = status == 0 ? stdout : stderr;

	fprintf(f,
"usage: aiopsfilter [OPTION]... [FILE]...\n"
"Print the log lines of FILEs (or standard input) that are new or\n"
"statistically surprising, each with its score in bits.\n"
"\n"
"Input:\n"
"  -c, --config=FILE       read options from FILE first (one a line)\n"
"  -f, --format=FMT        header format, Loghub style ('<Time> <Content>'), a\n"
"                          preset (syslog rfc5424 nginx apache iso8601 journal)\n"
"                          or none; by default headers are detected\n"
"      --format-regex=RE   header format as a pcre2 pattern with a (?<content>) group\n"
"Parsing:\n"
"      --mask=NAME=REGEX   what REGEX matches is a variable of class NAME\n"
"      --delimiters=CHARS  split tokens after these bytes too, not only at spaces\n"
"      --depth=N           parse tree depth (default %d)\n"
"      --similarity=S      share of agreeing tokens to generalise (default %.1f)\n"
"      --max-children=N    children per tree node (default %d)\n"
"      --variable-words=N  distinct words that make a variable (default %d)\n"
"Scoring:\n"
"  -t, --threshold=BITS    flag lines scoring at least BITS (default %.0f)\n"
"      --warmup=N          learn from the first N lines without flagging\n"
"Output:\n"
"  -a, --all               print every line with its score, not only flagged ones\n"
"  -o, --output=FORMAT     text (default) or json\n"
"  -H, --with-filename     print the file name with each line\n"
"      --no-filename       never print file names\n"
"      --line-buffered     flush after every printed line\n"
"  -q, --quiet, --silent   print nothing; exit 0 at the first flagged line\n"
"      --templates         print the learned templates instead of lines\n"
"      --show-class        print variables as their class (<IP>, <NUM>), not <*>\n"
"  -h, --help              print this help and exit\n"
"  -V, --version           print the version and exit\n"
"\n"
"Exit status: 0 if a line was flagged (with --all: printed), 1 if none,\n"
"2 on error.\n"
"See aiopsfilter(1) for the details.\n",
	    DRAIN_DEFAULT_DEPTH,
	    DRAIN_DEFAULT_SIMILARITY, DRAIN_DEFAULT_MAX_CHILDREN,
	    DRAIN_DEFAULT_VARIABLE_WORDS, SCORE_DEFAULT_THRESHOLD);
	exit(status);
}

enum {
	OPT_DEPTH = 256,
	OPT_DELIMITERS,
	OPT_FORMAT_REGEX,
	OPT_LINE_BUFFERED,
	OPT_MASK,
	OPT_MAX_CHILDREN,
	OPT_NO_FILENAME,
	OPT_SHOW_CLASS,
	OPT_SIMILARITY,
	OPT_TEMPLATES,
	OPT_VARIABLE_WORDS,
	OPT_WARMUP,
};

#define SHORTOPTS	"ac:f:hHo:qt:V"

static const struct option longopts[] = {
	{ "all",		no_argument,		NULL, 'a' },
	{ "config",		required_argument,	NULL, 'c' },
	{ "delimiters",		required_argument,	NULL, OPT_DELIMITERS },
	{ "depth",		required_argument,	NULL, OPT_DEPTH },
	{ "format",		required_argument,	NULL, 'f' },
	{ "format-regex",	required_argument,	NULL, OPT_FORMAT_REGEX },
	{ "help",		no_argument,		NULL, 'h' },
	{ "line-buffered",	no_argument,		NULL, OPT_LINE_BUFFERED },
	{ "mask",		required_argument,	NULL, OPT_MASK },
	{ "max-children",	required_argument,	NULL, OPT_MAX_CHILDREN },
	{ "no-filename",	no_argument,		NULL, OPT_NO_FILENAME },
	{ "output",		required_argument,	NULL, 'o' },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "show-class",		no_argument,		NULL, OPT_SHOW_CLASS },
	{ "silent",		no_argument,		NULL, 'q' },
	{ "similarity",		required_argument,	NULL, OPT_SIMILARITY },
	{ "templates",		no_argument,		NULL, OPT_TEMPLATES },
	{ "threshold",		required_argument,	NULL, 't' },
	{ "variable-words",	required_argument,	NULL, OPT_VARIABLE_WORDS },
	{ "version",		no_argument,		NULL, 'V' },
	{ "warmup",		required_argument,	NULL, OPT_WARMUP },
	{ "with-filename",	no_argument,		NULL, 'H' },
	{ NULL,			0,			NULL, 0 }
};

/*
 * A bad option value: on the command line, a message and the usage; in
 * the configuration file, "FILE:LINE: --name: reason".  Exits 2.
 */
static void __attribute__((noreturn, format(printf, 2, 3)))
bad_option(const char *name, const char *fmt, ...)
{
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	if (option_where != NULL)
		errx(EXIT_TROUBLE, "%s: --%s: %s", option_where, name,
		    msg != NULL ? msg : fmt);
	warnx("--%s: %s", name, msg != NULL ? msg : fmt);
	usage(EXIT_TROUBLE);
}

static uint64_t
arg_u64(const char *name, const char *s, uint64_t min, uint64_t max)
{
	const char *errstr;
	uint64_t v;

	if (parse_u64(s, min, max, &v, &errstr) == -1)
		bad_option(name, "%s value '%s'", errstr, s);
	return v;
}

static double
arg_double(const char *name, const char *s, double min, double max)
{
	const char *errstr;
	double v;

	if (parse_double(s, min, max, &v, &errstr) == -1)
		bad_option(name, "%s value '%s'", errstr, s);
	return v;
}

/*
 * In the configuration file, check a format or mask at once so that its
 * error names the line; on the command line the engine reports it.
 */
static void
check_in_config(const char *format, const char *format_regex,
    const char *mask)
{
	struct engine_params p;
	struct engine *e;
	char *cause = NULL;

	if (option_where == NULL)
		return;
	memset(&p, 0, sizeof p);
	p.format = format;
	p.format_regex = format_regex;
	p.masks = &mask;
	p.nmasks = mask != NULL;
	if ((e = engine_new(&p, &cause)) == NULL)
		errx(EXIT_TROUBLE, "%s: %s", option_where, cause);
	engine_free(e);
}

/* Apply option ch with its argument arg (NULL if it takes none). */
static void
apply_option(struct options *opt, int ch, const char *arg)
{
	switch (ch) {
	case 'a':
		opt->out.all = 1;
		break;
	case 'c':
		break;	/* read before the other options */
	case 'f':
		check_in_config(arg, NULL, NULL);
		opt->engine.format = arg;
		opt->engine.format_regex = NULL;
		break;
	case OPT_FORMAT_REGEX:
		check_in_config(NULL, arg, NULL);
		opt->engine.format_regex = arg;
		opt->engine.format = NULL;
		break;
	case 'h':
		usage(0);
	case 'H':
		opt->filename = 1;
		break;
	case OPT_NO_FILENAME:
		opt->filename = 0;
		break;
	case 'o':
		if (strcmp(arg, "text") == 0)
			opt->out.format = OUTPUT_TEXT;
		else if (strcmp(arg, "json") == 0)
			opt->out.format = OUTPUT_JSON;
		else
			bad_option("output", "unknown format '%s' (text or "
			    "json)", arg);
		break;
	case 'q':
		opt->quiet = 1;
		break;
	case 't':
		opt->engine.scorer.threshold = arg_double("threshold",
		    arg, 0, 1e6);
		break;
	case 'V':
		printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		exit(0);
	case OPT_DELIMITERS:
		opt->engine.delimiters = arg;
		break;
	case OPT_MASK:
		if (strchr(arg, '=') == NULL)
			bad_option("mask", "'%s' is not NAME=REGEX", arg);
		if (opt->nmasks == USERMASK_MAX)
			bad_option("mask", "more than %d masks", USERMASK_MAX);
		check_in_config(NULL, NULL, arg);
		opt->masks = xreallocarray(opt->masks, opt->nmasks + 1,
		    sizeof *opt->masks);
		opt->masks[opt->nmasks++] = arg;
		break;
	case OPT_SHOW_CLASS:
		opt->engine.drain.show_class = 1;
		break;
	case OPT_VARIABLE_WORDS:
		opt->engine.drain.variable_words = (unsigned)arg_u64(
		    "variable-words", arg, 2, 64);
		break;
	case OPT_DEPTH:
		opt->engine.drain.depth = (unsigned)arg_u64("depth",
		    arg, 3, 16);
		break;
	case OPT_LINE_BUFFERED:
		opt->line_buffered = 1;
		break;
	case OPT_MAX_CHILDREN:
		opt->engine.drain.max_children = (unsigned)arg_u64(
		    "max-children", arg, 2, 1000000);
		break;
	case OPT_SIMILARITY:
		opt->engine.drain.similarity = arg_double("similarity",
		    arg, 0, 1);
		break;
	case OPT_TEMPLATES:
		opt->templates = 1;
		break;
	case OPT_WARMUP:
		opt->engine.warmup = arg_u64("warmup", arg, 0,
		    UINT64_MAX);
		break;
	default:
		usage(EXIT_TROUBLE);
	}
}

/*
 * The configuration file's lines, as if given before the command line.
 * Exits 2 with "FILE:LINE: reason" on a bad one.
 */
static void
apply_config(struct options *opt, const char *path)
{
	const struct option *o;
	struct conffile_entry *e;
	char *cause = NULL, where[PATH_MAX + 32];
	size_t i;

	if ((opt->conf = conffile_read(path, &cause)) == NULL)
		errx(EXIT_TROUBLE, "%s", cause);
	for (i = 0; i < opt->conf->n; i++) {
		e = &opt->conf->entry[i];
		snprintf(where, sizeof where, "%s:%u", path, e->line);
		for (o = longopts; o->name != NULL; o++)
			if (strcmp(o->name, e->name) == 0)
				break;
		if (o->name == NULL)
			errx(EXIT_TROUBLE, "%s: unknown option '%s'", where,
			    e->name);
		if (o->val == 'c' || o->val == 'h' || o->val == 'V')
			errx(EXIT_TROUBLE, "%s: '%s' cannot be set in a "
			    "configuration file", where, e->name);
		if (o->has_arg == required_argument && e->value == NULL)
			errx(EXIT_TROUBLE, "%s: '%s' needs a value", where,
			    e->name);
		if (o->has_arg == no_argument && e->value != NULL)
			errx(EXIT_TROUBLE, "%s: '%s' takes no value", where,
			    e->name);
		option_where = where;
		apply_option(opt, o->val, e->value);
		option_where = NULL;
	}
}

static int
parse_options(int argc, char **argv, struct options *opt)
{
	const char *config = NULL;
	int ch;

	memset(opt, 0, sizeof *opt);
	opt->engine.drain.depth = DRAIN_DEFAULT_DEPTH;
	opt->engine.drain.similarity = DRAIN_DEFAULT_SIMILARITY;
	opt->engine.drain.max_children = DRAIN_DEFAULT_MAX_CHILDREN;
	opt->engine.drain.variable_words = DRAIN_DEFAULT_VARIABLE_WORDS;
	opt->engine.scorer.threshold = SCORE_DEFAULT_THRESHOLD;
	opt->engine.learn = 1;
	opt->engine.detect_header = 1;
	opt->out.format = OUTPUT_TEXT;
	opt->filename = -1;

	/* The configuration file first, wherever -c is, so that the rest
	 * of the command line overrides it; errors wait for the second
	 * pass. */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, SHORTOPTS, longopts, NULL)) !=
	    -1)
		if (ch == 'c')
			config = optarg;
	opterr = 1;
	optind = 0;
	if (config != NULL)
		apply_config(opt, config);

	while ((ch = getopt_long(argc, argv, SHORTOPTS, longopts,
	    NULL)) != -1)
		apply_option(opt, ch, optarg);
	opt->engine.masks = opt->masks;
	opt->engine.nmasks = opt->nmasks;
	return optind;
}

static void
on_stop_signal(int sig)
{
	stop_signal = sig;
}

static void
setup_signals(void)
{
	struct sigaction sa;

	/* A closed pipe shows up as EPIPE from write(2), handled there. */
	signal(SIGPIPE, SIG_IGN);

	/* No SA_RESTART: a blocked read returns EINTR so we can stop. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Report a write error on standard output and end the run. */
static void __attribute__((noreturn))
output_failed(struct run *run)
{
	int e = outbuf_error(run->out);

	/* A reader that went away (| head) is no news: stop quietly. */
	if (e != EPIPE)
		warnx("standard output: %s", strerror(e));
	exit(EXIT_TROUBLE);
}

static void
flush_hook(void *arg)
{
	struct run *run = arg;

	if (run->streaming && outbuf_pending(run->out) > 0 &&
	    outbuf_flush(run->out) == -1)
		output_failed(run);
}

/* Print one judged line, and flush it at once when asked to. */
static void
print_line(struct run *run, const char *name, const struct line *ln,
    const struct verdict *v)
{
	output_line(run->out, &run->opt->out, name, ln, v);
	run->printed++;
	if (run->opt->line_buffered)
		outbuf_flush(run->out);
	if (outbuf_error(run->out))
		output_failed(run);
}

/* Judge one line and print it if it is to be printed. */
static void
process_line(struct run *run, const char *name, const struct line *ln)
{
	const struct options *opt = run->opt;
	struct verdict v;

	engine_line(run->engine, ln->text, ln->len, &v);
	if (v.flagged) {
		run->flagged++;
		if (opt->quiet)
			run->done = 1;	/* like grep -q: the answer is known */
	}
	if (opt->quiet || opt->templates || (!v.flagged && !opt->out.all))
		return;
	print_line(run, name, ln, &v);
}

/* Read, judge and print one input.  Returns -1 if it could not be read. */
static int
filter_input(struct run *run, const char *path)
{
	const char *name = NULL;	/* NULL: standard input */
	struct reader *rd;
	struct line ln;
	struct stat st;
	int fd, r, warned_long = 0, rc = 0;

	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
	} else {
		name = path;
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
			warn("%s", path);
			return -1;
		}
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		warnx("%s: Is a directory", name ? name : "standard input");
		if (fd != STDIN_FILENO)
			close(fd);
		return -1;
	}
	run->streaming = run->opt->line_buffered || !S_ISREG(st.st_mode);
	rd = reader_new(fd);
	reader_set_hook(rd, flush_hook, run);

	while (!stop_signal && !run->done && (r = reader_next(rd, &ln)) != 0) {
		if (r == -1) {
			if (errno == EINTR)
				continue;
			warn("%s", name ? name : "standard input");
			rc = -1;
			break;
		}
		if (ln.truncated && !warned_long) {
			warnx("%s: line longer than %u MiB: the rest of it "
			    "is skipped", name ? name : "standard input",
			    READER_MAX_LINE >> 20);
			warned_long = 1;
		}
		process_line(run, name, &ln);
	}
	reader_free(rd);
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

static int
by_count(const void *a, const void *b)
{
	const struct template *x = *(struct template *const *)a;
	const struct template *y = *(struct template *const *)b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void
print_templates(struct run *run)
{
	size_t i, k = 0, n = engine_templates(run->engine);
	struct template **all, *t;

	/* The run is over: a template merged into another is one row,
	 * its lines counted with the one it joined. */
	all = xreallocarray(NULL, n, sizeof *all);
	for (i = 0; i < n; i++) {
		t = engine_template(run->engine, i);
		if (t->merged != NULL)
			template_root(t)->count += t->count;
		else
			all[k++] = t;
	}
	n = k;
	qsort(all, n, sizeof *all, by_count);
	for (i = 0; i < n; i++)
		output_template(run->out, &run->opt->out, all[i]);
	free(all);
}

int
main(int argc, char **argv)
{
	struct options opt;
	struct run run;
	char *cause = NULL;
	int i, first, status;

	first = parse_options(argc, argv, &opt);
	if (opt.filename == -1)
		opt.out.with_filename = argc - first > 1;
	else
		opt.out.with_filename = opt.filename;

	memset(&run, 0, sizeof run);
	run.opt = &opt;
	if ((run.engine = engine_new(&opt.engine, &cause)) == NULL)
		errx(EXIT_TROUBLE, "%s", cause);
	run.out = outbuf_new(STDOUT_FILENO);
	setup_signals();

	if (first == argc) {
		if (filter_input(&run, "-") == -1)
			run.status_error = 1;
	}
	for (i = first; i < argc && !stop_signal && !run.done; i++) {
		if (filter_input(&run, argv[i]) == -1)
			run.status_error = 1;
	}
	if (opt.templates && !opt.quiet)
		print_templates(&run);
	if (outbuf_flush(run.out) == -1)
		output_failed(&run);

	if (opt.quiet && run.flagged > 0)
		status = EXIT_FLAGGED;
	else if (run.status_error)
		status = EXIT_TROUBLE;
	else if (opt.templates)
		status = engine_templates(run.engine) > 0 ? EXIT_FLAGGED :
		    EXIT_NONE;
	else	/* like grep: 0 when a line was selected for printing */
		status = run.flagged > 0 || run.printed > 0 ? EXIT_FLAGGED :
		    EXIT_NONE;
	outbuf_free(run.out);
	engine_free(run.engine);
	conffile_free(opt.conf);
	free(opt.masks);
	return status;
}
