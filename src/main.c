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
#include "decompress.h"
#include "engine.h"
#include "jsonin.h"
#include "numparse.h"
#include "outbuf.h"
#include "outfile.h"
#include "output.h"
#include "progress.h"
#include "reader.h"
#include "summary.h"
#include "template.h"
#include "usermask.h"
#include "xmalloc.h"

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
	int			 summary;
	int			 ascii;		/* no Unicode in the summary */
	int			 omprog;	/* rsyslog omprog confirmations */
	const char		**masks;	/* --mask, in order */
	size_t			 nmasks;
	struct conffile		*conf;		/* -c FILE, for its strings */
	double			 repeat;	/* --repeat, in its unit */
	int			 repeat_lines;
};

/* Where the option being applied came from: NULL for the command line,
 * "FILE:LINE" for the configuration file. */
static const char *option_where;

/* The run's state: one of each per process, as the process is one run. */
struct run {
	struct options	*opt;
	struct engine	*engine;
	struct jsonin	*jsonin;	/* NULL: plain text input */
	struct outbuf	*out;
	struct outfile	*outfile;	/* NULL: records go to stdout */
	struct progress	*progress;	/* NULL: none shown */
	struct summary	*summary;	/* NULL: no --summary */
	uint64_t	 bytes_before;	/* input bytes of the inputs done */
	uint64_t	 lines;
	uint64_t	 flagged;
	uint64_t	 printed;
	int		 status_error;
	int		 streaming;	/* flush before each blocking read */
	int		 done;		/* stop reading: the answer is known */
};

static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t reopen_signal;

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
"      --window=SPAN       window for bursts and rationing: 30s, 5m, 1h or\n"
"                          10000l lines (default: 5m of log time, or 1000l)\n"
"      --horizon=SPAN      baselines halve every SPAN: lines (100000l, the\n"
"                          default) or log time (1d)\n"
"      --repeat=SPAN       print a template's findings at most once per SPAN\n"
"                          (default: the window; 0: every time)\n"
"      --max-alerts=N      print at most N findings per window (default %d;\n"
"                          0: no limit); the rest are summed up\n"
"      --silence           report templates that stop arriving\n"
"      --severity-weight=W scale the bits a line's level adds (default 1;\n"
"                          0: ignore levels)\n"
"      --warmup=N          learn from the first N lines without flagging\n"
"Output:\n"
"  -a, --all               print every line with its score, not only flagged ones\n"
"      --explain           add the evidence behind each score\n"
"  -o, --output=FORMAT     text (default), json or logfmt\n"
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
	    DRAIN_DEFAULT_DEPTH, DRAIN_DEFAULT_SIMILARITY,
	    DRAIN_DEFAULT_MAX_CHILDREN, DRAIN_DEFAULT_VARIABLE_WORDS,
	    SCORE_DEFAULT_THRESHOLD, SCORE_DEFAULT_MAX_ALERTS);
	exit(status);
}

enum {
	OPT_ASCII = 256,
	OPT_DELIMITERS,
	OPT_DEPTH,
	OPT_EXPLAIN,
	OPT_FIELD,
	OPT_FORMAT_REGEX,
	OPT_HORIZON,
	OPT_INPUT,
	OPT_LINE_BUFFERED,
	OPT_MASK,
	OPT_MAX_ALERTS,
	OPT_MAX_CHILDREN,
	OPT_NO_FILENAME,
	OPT_NO_PROGRESS,
	OPT_OMPROG,
	OPT_OUTPUT_FILE,
	OPT_PROGRESS,
	OPT_REPEAT,
	OPT_SEVERITY_WEIGHT,
	OPT_SHOW_CLASS,
	OPT_SILENCE,
	OPT_SIMILARITY,
	OPT_SUMMARY,
	OPT_TEMPLATES,
	OPT_VARIABLE_WORDS,
	OPT_WARMUP,
	OPT_WINDOW,
};

#define SHORTOPTS	"ac:f:hHo:qt:V"

static const struct option longopts[] = {
	{ "all",		no_argument,		NULL, 'a' },
	{ "ascii",		no_argument,		NULL, OPT_ASCII },
	{ "config",		required_argument,	NULL, 'c' },
	{ "delimiters",		required_argument,	NULL, OPT_DELIMITERS },
	{ "depth",		required_argument,	NULL, OPT_DEPTH },
	{ "explain",		no_argument,		NULL, OPT_EXPLAIN },
	{ "field",		required_argument,	NULL, OPT_FIELD },
	{ "format",		required_argument,	NULL, 'f' },
	{ "format-regex",	required_argument,	NULL, OPT_FORMAT_REGEX },
	{ "help",		no_argument,		NULL, 'h' },
	{ "horizon",		required_argument,	NULL, OPT_HORIZON },
	{ "input",		required_argument,	NULL, OPT_INPUT },
	{ "line-buffered",	no_argument,		NULL, OPT_LINE_BUFFERED },
	{ "mask",		required_argument,	NULL, OPT_MASK },
	{ "max-alerts",		required_argument,	NULL, OPT_MAX_ALERTS },
	{ "max-children",	required_argument,	NULL, OPT_MAX_CHILDREN },
	{ "no-filename",	no_argument,		NULL, OPT_NO_FILENAME },
	{ "no-progress",	no_argument,		NULL, OPT_NO_PROGRESS },
	{ "omprog",		no_argument,		NULL, OPT_OMPROG },
	{ "output",		required_argument,	NULL, 'o' },
	{ "output-file",	required_argument,	NULL, OPT_OUTPUT_FILE },
	{ "progress",		no_argument,		NULL, OPT_PROGRESS },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "repeat",		required_argument,	NULL, OPT_REPEAT },
	{ "severity-weight",	required_argument,	NULL, OPT_SEVERITY_WEIGHT },
	{ "show-class",		no_argument,		NULL, OPT_SHOW_CLASS },
	{ "silence",		no_argument,		NULL, OPT_SILENCE },
	{ "silent",		no_argument,		NULL, 'q' },
	{ "similarity",		required_argument,	NULL, OPT_SIMILARITY },
	{ "summary",		no_argument,		NULL, OPT_SUMMARY },
	{ "templates",		no_argument,		NULL, OPT_TEMPLATES },
	{ "threshold",		required_argument,	NULL, 't' },
	{ "variable-words",	required_argument,	NULL, OPT_VARIABLE_WORDS },
	{ "version",		no_argument,		NULL, 'V' },
	{ "warmup",		required_argument,	NULL, OPT_WARMUP },
	{ "window",		required_argument,	NULL, OPT_WINDOW },
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

/* A --window or --repeat span; *lines says whether it counts lines. */
static double
arg_span(const char *name, const char *s, int *lines, int zero_ok)
{
	const char *errstr;
	double v;

	if (zero_ok && strcmp(s, "0") == 0) {
		*lines = 0;
		return 0;
	}
	if (parse_span(s, &v, lines, &errstr) == -1)
		bad_option(name, "%s value '%s' (a duration such as 30s, 5m, "
		    "1h, or lines such as 1000l)", errstr, s);
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
	int lines;

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
	case OPT_ASCII:
		opt->ascii = 1;
		break;
	case OPT_SUMMARY:
		opt->summary = 1;
		break;
	case OPT_FIELD:
		opt->field = arg;
		break;
	case OPT_INPUT:
		opt->input_given = 1;
		if (strcmp(arg, "text") == 0)
			opt->input = INPUT_TEXT;
		else if (strcmp(arg, "json") == 0)
			opt->input = INPUT_JSON;
		else if (strcmp(arg, "auto") == 0)
			opt->input = INPUT_AUTO;
		else
			bad_option("input", "unknown mode '%s' (text, json or "
			    "auto)", arg);
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
	case OPT_NO_PROGRESS:
		opt->progress = 0;
		break;
	case OPT_PROGRESS:
		opt->progress = 1;
		break;
	case OPT_OMPROG:
		opt->omprog = 1;
		break;
	case OPT_OUTPUT_FILE:
		opt->output_file = arg;
		break;
	case 'o':
		if (strcmp(arg, "text") == 0)
			opt->out.format = OUTPUT_TEXT;
		else if (strcmp(arg, "json") == 0)
			opt->out.format = OUTPUT_JSON;
		else if (strcmp(arg, "logfmt") == 0)
			opt->out.format = OUTPUT_LOGFMT;
		else
			bad_option("output", "unknown format '%s' (text, json or "
			    "logfmt)", arg);
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
	case OPT_EXPLAIN:
		opt->out.explain = 1;
		break;
	case OPT_HORIZON:
		opt->engine.horizon = arg_span("horizon", arg,
		    &opt->engine.horizon_lines, 0);
		break;
	case OPT_MAX_ALERTS:
		opt->engine.scorer.max_alerts = arg_u64("max-alerts",
		    arg, 0, UINT64_MAX);
		break;
	case OPT_REPEAT:
		opt->repeat = arg_span("repeat", arg, &opt->repeat_lines, 1);
		opt->engine.repeat_set = 1;
		break;
	case OPT_SEVERITY_WEIGHT:
		opt->engine.scorer.severity_weight = arg_double(
		    "severity-weight", arg, 0, 100);
		break;
	case OPT_SILENCE:
		opt->engine.scorer.silence = 1;
		break;
	case OPT_WINDOW:
		opt->engine.window = arg_span("window", arg, &lines, 0);
		opt->engine.window_unit = lines ? WINDOW_LINES :
		    WINDOW_SECONDS;
		break;
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
	opt->engine.scorer.max_alerts = SCORE_DEFAULT_MAX_ALERTS;
	opt->engine.scorer.severity_weight = 1;
	opt->engine.window_unit = WINDOW_AUTO;
	opt->engine.learn = 1;
	opt->engine.detect_header = 1;
	opt->out.format = OUTPUT_TEXT;
	opt->filename = -1;
	opt->progress = -1;

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
	if (opt->engine.repeat_set && opt->repeat > 0) {
		/* The repeat span must count what the window counts. */
		if (opt->engine.window_unit == WINDOW_AUTO ||
		    (opt->engine.window_unit == WINDOW_LINES) != opt->repeat_lines) {
			warnx("--repeat: give it in the unit of --window "
			    "(lines or time), and give --window");
			usage(EXIT_TROUBLE);
		}
	}
	opt->engine.repeat = opt->repeat;
	/* With every line printed, nothing is held back. */
	if (opt->out.all)
		opt->engine.scorer.max_alerts = 0;
	if (opt->field != NULL && opt->input_given &&
	    opt->input == INPUT_TEXT) {
		warnx("--field needs JSON lines input, not --input=text");
		usage(EXIT_TROUBLE);
	}
	if (opt->field != NULL && !opt->input_given)
		opt->input = INPUT_JSON;
	if (opt->omprog && opt->output_file == NULL) {
		warnx("--omprog needs --output-file: standard output carries "
		    "the OK replies");
		usage(EXIT_TROUBLE);
	}
	return optind;
}

static void
on_stop_signal(int sig)
{
	stop_signal = sig;
}

static void
on_reopen_signal(int sig)
{
	reopen_signal = 1;
}

static void
setup_signals(int reopen)
{
	struct sigaction sa;

	/* A closed pipe shows up as EPIPE from write(2), handled there. */
	signal(SIGPIPE, SIG_IGN);

	/* No SA_RESTART: a blocked read returns EINTR so we can act. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (reopen) {
		sa.sa_handler = on_reopen_signal;
		sigaction(SIGHUP, &sa, NULL);
	}
}

/* Report a write error on the output and end the run. */
static void __attribute__((noreturn))
output_failed(struct run *run)
{
	int e = outbuf_error(run->out);

	progress_clear(run->progress);
	if (run->outfile != NULL)
		warnx("%s: %s", outfile_path(run->outfile), strerror(e));
	else if (e != EPIPE) {
		/* A reader that went away (| head) is no news: stop quietly. */
		warnx("standard output: %s", strerror(e));
	}
	exit(EXIT_TROUBLE);
}

/*
 * After SIGHUP: finish writing to the old file, then switch to a file of
 * the same name (logrotate has moved the old one away).  If it cannot be
 * opened, keep writing to the old one and say so.
 */
static void
reopen_output(struct run *run)
{
	char *cause = NULL;

	reopen_signal = 0;
	if (run->outfile == NULL)
		return;
	if (outbuf_flush(run->out) == -1)
		output_failed(run);
	if (outfile_reopen(run->outfile, &cause) == -1) {
		progress_clear(run->progress);
		warnx("%s", cause);
		free(cause);
		run->status_error = 1;
		return;
	}
	outbuf_set_fd(run->out, outfile_fd(run->outfile));
}

/* rsyslog omprog: "OK" when ready and after each message. */
static void
confirm(struct run *run)
{
	ssize_t n;

	if (outbuf_flush(run->out) == -1)
		output_failed(run);
	while ((n = write(STDOUT_FILENO, "OK\n", 3)) == -1 && errno == EINTR)
		continue;
	if (n != 3) {
		/* rsyslog went away: it restarts us if it wants. */
		if (n == -1 && errno != EPIPE)
			warn("standard output");
		exit(EXIT_TROUBLE);
	}
}

static void
flush_hook(void *arg)
{
	struct run *run = arg;

	/* A SIGHUP that came while judging is acted on before blocking. */
	if (reopen_signal)
		reopen_output(run);
	if (run->streaming && outbuf_pending(run->out) > 0 &&
	    outbuf_flush(run->out) == -1)
		output_failed(run);
}

/* Print one judged line, and flush it at once when asked to. */
static void
print_line(struct run *run, const struct output_input *in,
    const struct verdict *v)
{
	output_line(run->out, &run->opt->out, in, v);
	run->printed++;
	if (run->opt->line_buffered)
		outbuf_flush(run->out);
	if (outbuf_error(run->out))
		output_failed(run);
}

/* Print the records of their own the engine has for us. */
static void
print_events(struct run *run)
{
	struct score_event ev;
	int quiet = run->opt->quiet || run->opt->templates;

	while (engine_event(run->engine, &ev)) {
		if (quiet)
			continue;
		output_event(run->out, &run->opt->out, &ev,
		    engine_ticks_are_lines(run->engine));
		run->printed++;
		if (run->opt->line_buffered)
			outbuf_flush(run->out);
		if (outbuf_error(run->out))
			output_failed(run);
	}
}

/* Judge one line and print it if it is to be printed. */
static void
process_line(struct run *run, const char *name, const struct line *ln)
{
	const struct options *opt = run->opt;
	struct output_input in;
	struct verdict v;

	run->lines++;
	in.file = name;
	in.line = ln;
	in.msg = ln->text;
	in.msglen = ln->len;
	in.record = 0;
	if (run->jsonin != NULL && jsonin_message(run->jsonin, ln->text,
	    ln->len, &in.msg, &in.msglen) != -1)
		in.record = 1;

	engine_line(run->engine, in.msg, in.msglen, &v);
	if (run->summary != NULL)
		summary_line(run->summary, &v);
	if (v.flagged) {
		run->flagged++;
		if (opt->quiet)
			run->done = 1;	/* like grep -q: the answer is known */
	}
	if (!(opt->quiet || opt->templates || (!v.flagged && !opt->out.all)))
		print_line(run, &in, &v);
	print_events(run);
}

/*
 * Bytes are counted as the file sizes count them: the offset in a
 * regular file (compressed or not), else what was read from the pipe.
 */
static void
draw_progress(struct run *run, int fd, const struct reader *rd)
{
	off_t at = lseek(fd, 0, SEEK_CUR);

	progress_draw(run->progress, run->bytes_before + (at >= 0 ?
	    (uint64_t)at : reader_bytes(rd)), run->lines);
}

static void
clear_progress_hook(void *arg)
{
	progress_clear(arg);
}

/*
 * Show progress when forced, or when standard error is a terminal and
 * every input is a regular file: an offline run that may take a while.
 * Standard input counts by what it is.
 */
static void
start_progress(struct run *run, char **inputs, int n)
{
	struct stat st;
	uint64_t total = 0;
	int i, offline = 1;

	if (run->opt->progress == 0 || run->opt->omprog)
		return;
	for (i = 0; i < n || (n == 0 && i == 0); i++) {
		if (n == 0 || strcmp(inputs[i], "-") == 0) {
			if (fstat(STDIN_FILENO, &st) == -1)
				st.st_mode = 0;
		} else if (stat(inputs[i], &st) == -1)
			continue;	/* reported when it is read */
		if (S_ISREG(st.st_mode))
			total += (uint64_t)st.st_size;
		else
			offline = 0;
	}
	if (run->opt->progress == -1 && (!offline || !isatty(STDERR_FILENO)))
		return;
	if (!offline)
		total = 0;	/* a pipe's size is unknown */
	run->progress = progress_new(STDERR_FILENO, total,
	    run->opt->progress == 1 ? 0 : 1000);
	/* Records to the same terminal must not land inside the line. */
	if (run->outfile == NULL && isatty(STDOUT_FILENO))
		outbuf_set_hook(run->out, clear_progress_hook, run->progress);
}

/* Read, judge and print one input.  Returns -1 if it could not be read. */
static int
filter_input(struct run *run, const char *path)
{
	const char *name = NULL;	/* NULL: standard input */
	struct reader_source src;
	struct reader *rd;
	struct line ln;
	struct stat st;
	int fd, r, warned_long = 0, rc = 0;

	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
	} else {
		name = path;
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
			progress_clear(run->progress);
			warn("%s", path);
			return -1;
		}
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		progress_clear(run->progress);
		warnx("%s: Is a directory", name ? name : "standard input");
		if (fd != STDIN_FILENO)
			close(fd);
		return -1;
	}
	run->streaming = run->opt->line_buffered || !S_ISREG(st.st_mode);
	engine_set_live(run->engine, !S_ISREG(st.st_mode));
	decompress_source(fd, &src);
	rd = reader_new_source(&src);
	reader_set_hook(rd, flush_hook, run);

	while (!stop_signal && !run->done && (r = reader_next(rd, &ln)) != 0) {
		if (reopen_signal)
			reopen_output(run);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			progress_clear(run->progress);
			warnx("%s: %s", name ? name : "standard input",
			    reader_cause(rd, errno));
			rc = -1;
			break;
		}
		if (ln.truncated && !warned_long) {
			progress_clear(run->progress);
			warnx("%s: line longer than %u MiB: the rest of it "
			    "is skipped", name ? name : "standard input",
			    READER_MAX_LINE >> 20);
			warned_long = 1;
		}
		process_line(run, name, &ln);
		if (run->opt->omprog)
			confirm(run);
		if (run->progress != NULL && progress_tick(run->progress))
			draw_progress(run, fd, rd);
	}
	run->bytes_before += S_ISREG(st.st_mode) ? (uint64_t)st.st_size :
	    reader_bytes(rd);
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

	/* A template merged into another is that one's row. */
	all = xreallocarray(NULL, n, sizeof *all);
	for (i = 0; i < n; i++) {
		t = engine_template(run->engine, i);
		if (t->merged == NULL)
			all[k++] = t;
	}
	n = k;
	qsort(all, n, sizeof *all, by_count);
	for (i = 0; i < n; i++)
		output_template(run->out, &run->opt->out, all[i]);
	free(all);
}

/* Say how many lines JSON lines input could not use as intended. */
static void
report_json(struct run *run)
{
	uint64_t bad, missing;

	if (run->jsonin == NULL || run->summary != NULL)
		return;		/* the summary tells */
	bad = jsonin_malformed(run->jsonin);
	missing = jsonin_missing(run->jsonin);
	if (bad > 0)
		warnx("%llu %s: judged as plain text", (unsigned long long)bad,
		    bad == 1 ? "line was not a JSON object" :
		    "lines were not JSON objects");
	if (missing > 0)
		warnx("%llu JSON line%s no %s field: judged whole",
		    (unsigned long long)missing, missing == 1 ? " had" :
		    "s had", run->opt->field != NULL ? run->opt->field :
		    "log, message, msg or MESSAGE");
}

/* The summary is for the person at the terminal: standard error. */
static void
print_summary(struct run *run)
{
	struct summary_extra extra;
	struct outbuf *o;

	memset(&extra, 0, sizeof extra);
	if (run->jsonin != NULL) {
		extra.json = 1;
		extra.malformed = jsonin_malformed(run->jsonin);
		extra.missing = jsonin_missing(run->jsonin);
		extra.field = run->opt->field;
	}
	o = outbuf_new(STDERR_FILENO);
	summary_print(run->summary, o, run->engine, &extra, run->opt->ascii);
	outbuf_flush(o);
	outbuf_free(o);
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
	if (opt.input != INPUT_TEXT) {
		run.jsonin = jsonin_new(opt.field, opt.input == INPUT_AUTO,
		    &cause);
		if (run.jsonin == NULL)
			errx(EXIT_TROUBLE, "--field: %s", cause);
	}
	if (opt.output_file != NULL) {
		if ((run.outfile = outfile_open(opt.output_file,
		    &cause)) == NULL)
			errx(EXIT_TROUBLE, "%s", cause);
		run.out = outbuf_new(outfile_fd(run.outfile));
	} else
		run.out = outbuf_new(STDOUT_FILENO);
	if (opt.summary)
		run.summary = summary_new();
	setup_signals(run.outfile != NULL);
	start_progress(&run, argv + first, argc - first);
	if (opt.omprog)
		confirm(&run);

	if (first == argc) {
		if (filter_input(&run, "-") == -1)
			run.status_error = 1;
	}
	for (i = first; i < argc && !stop_signal && !run.done; i++) {
		if (filter_input(&run, argv[i]) == -1)
			run.status_error = 1;
	}
	engine_finish(run.engine);
	print_events(&run);
	engine_fold_merged(run.engine);
	progress_clear(run.progress);
	if (opt.templates && !opt.quiet)
		print_templates(&run);
	if (outbuf_flush(run.out) == -1)
		output_failed(&run);
	report_json(&run);
	if (run.summary != NULL)
		print_summary(&run);

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
	summary_free(run.summary);
	progress_free(run.progress);
	outfile_close(run.outfile);
	jsonin_free(run.jsonin);
	engine_free(run.engine);
	free(opt.masks);
	conffile_free(opt.conf);	/* last: option strings point into it */
	return status;
}
