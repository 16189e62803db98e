/*
 * The command line and the configuration file, read into struct options:
 * the defaults, each option's value checked as it is read, and the rules
 * between options.  A bad option is told on standard error, with the
 * usage line, and ends the process with status 2.
 */
#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conffile.h"
#include "context.h"
#include "diag.h"
#include "drain.h"
#include "numparse.h"
#include "options.h"
#include "score.h"
#include "severity.h"
#include "state.h"
#include "usermask.h"
#include "xmalloc.h"

#define JOBS_MAX		64	/* -j: more than 2 change nothing */
#define DEFAULT_CHECKPOINT	60	/* seconds between saves of --state */

/* Where the option being applied came from: NULL for the command line,
 * "FILE:LINE" for the configuration file. */
static const char *option_where;

/* --help and --version: their text is the output, and failing to
 * write it is the error it is anywhere else. */
static void __attribute__((noreturn))
exit_printed(void)
{
	if (fflush(stdout) == EOF || ferror(stdout))
		diag_err(EXIT_TROUBLE, "standard output");
	exit(0);
}

static void __attribute__((noreturn))
usage(int status)
{
	FILE *f = stdout;

	/* After a usage error, the message above is the news, not 80 lines
	 * of help. */
	if (status != 0) {
		fprintf(stderr, "usage: aiopsfilter [OPTION]... [FILE]...\n"
		    "Try 'aiopsfilter --help' for more information.\n");
		exit(status);
	}
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
"      --format-regex=RE   header format as a pcre2 pattern with a\n"
"                          (?<content>) group\n"
"      --input=MODE        text (the default), json (a JSON object a line) or\n"
"                          auto (a line starting with '{', after any blanks,\n"
"                          is tried as JSON);\n"
"                          a record's time and level fields count too\n"
"      --field=PATH        the JSON field that holds the message (a.b for\n"
"                          nested keys; default: log, message, msg, MESSAGE)\n"
"      --key=FIELD         a model for each source: a field of --format, host\n"
"                          or source of a detected header, a JSON field path\n"
"      --max-sources=N     models kept at once, the least recent dropped\n"
"                          (default %d)\n"
"      --multiline=MODE    auto: stack traces and other continuation lines\n"
"                          join the record before them; none (the default)\n"
"      --record-start=RE   a line matching the pcre2 RE starts a record, any\n"
"                          other line continues the one before it\n"
"Parsing:\n"
"      --mask=NAME=REGEX   what REGEX matches is a variable of class NAME\n"
"      --delimiters=CHARS  split tokens after these bytes too, not only at spaces\n"
"      --depth=N           parse tree depth (default %d)\n"
"      --similarity=S      share of agreeing tokens to generalise (default %.1f)\n"
"      --max-children=N    children per tree node (default %d)\n"
"      --variable-words=N  distinct words that make a variable (default %d)\n"
"      --max-templates=N   templates kept per source, the least valuable\n"
"                          dropped (default %d)\n"
"Scoring:\n"
"  -t, --threshold=BITS    flag lines scoring at least BITS (default %.0f)\n"
"      --window=SPAN       window for bursts and rationing: lines (1000l,\n"
"                          the default) or log time (30s, 5m, 1h)\n"
"      --horizon=SPAN      baselines halve every SPAN: lines (100000l, the\n"
"                          default) or log time (1d)\n"
"      --repeat=SPAN       print a template's findings at most once per SPAN\n"
"                          (default: the window; 0: every time)\n"
"      --max-alerts=N      print at most N findings per window (default %d;\n"
"                          0: no limit); the rest are summed up\n"
"      --silence           report templates that stop arriving\n"
"      --severity-weight=W scale the bits a line's level adds (default 1;\n"
"                          0: ignore levels)\n"
"      --severity-words=LIST  words that say a line is bad: a,b,c replaces\n"
"                          the built-in ones, +a,b adds to them\n"
"      --warmup=N          learn from the first N lines without flagging\n"
"Output:\n"
"  -a, --all               print every line with its score, not only flagged ones\n"
"  -A, --after-context=N   print N records after each finding\n"
"  -B, --before-context=N  print N records before each finding\n"
"  -C, --context=N         print N records before and after each finding\n"
"      --incidents         group findings close in time into incidents\n"
"      --incident-gap=SPAN findings closer than SPAN are one incident\n"
"                          (default 30s of log time, or 100 lines: 100l)\n"
"      --explain           add the evidence behind each score\n"
"  -o, --output=FORMAT     text (default), json or logfmt\n"
"  -H, --with-filename     print the file name with each line\n"
"      --no-filename       never print file names\n"
"  -n, --line-number       print each line's number in its file\n"
"      --line-buffered     flush after every printed line\n"
"      --color[=WHEN]      colour text records (also --colour): auto, the\n"
"                          default, when standard output is a terminal;\n"
"                          always; or never\n"
"      --output-file=FILE  append the records to FILE; reopen it on SIGHUP\n"
"      --omprog            speak rsyslog's omprog protocol (needs --output-file)\n"
"  -q, --quiet, --silent   print nothing; exit 0 at the first flagged line\n"
"                          (or silence found)\n"
"      --templates         print the learned templates instead of lines\n"
"      --show-class        print variables as their class (<IP>, <NUM>), not <*>\n"
"      --summary           report on the run to standard error at the end\n"
"      --ascii             draw the summary's sparklines in ASCII\n"
"      --progress, --no-progress  show, or never show, progress on standard\n"
"                          error (default: when it is a terminal and the\n"
"                          inputs are files)\n"
"Performance:\n"
"  -j, --jobs=N            with 2 or more, one thread reads and parses ahead\n"
"                          of the one that judges (default: 2 for 8 MiB of\n"
"                          files or more when there are 2 cores, else 1)\n"
"State:\n"
"  -s, --state=FILE        load the model from FILE if there is one; save it\n"
"                          there at exit and every --checkpoint\n"
"      --checkpoint=TIME   save the state this often (default 1m; 0: at exit)\n"
"      --learn             only learn: print no lines, save the state\n"
"      --no-learn          judge against the state without changing it\n"
"  -h, --help              print this help and exit\n"
"  -V, --version           print the version and exit\n"
"\n"
"Exit status: 0 if a line was flagged or a silence told (with --all: printed;\n"
"with --learn: the state was saved), 1 if none, 2 on error.\n"
"See aiopsfilter(1) for the details.\n",
	    ENGINE_DEFAULT_MAX_SOURCES,
	    DRAIN_DEFAULT_DEPTH, DRAIN_DEFAULT_SIMILARITY,
	    DRAIN_DEFAULT_MAX_CHILDREN, DRAIN_DEFAULT_VARIABLE_WORDS,
	    DRAIN_DEFAULT_MAX_TEMPLATES,
	    SCORE_DEFAULT_THRESHOLD, SCORE_DEFAULT_MAX_ALERTS);
	exit_printed();
}

enum {
	OPT_ASCII = 256,
	OPT_INCIDENTS,
	OPT_INCIDENT_GAP,
	OPT_MULTILINE,
	OPT_RECORD_START,
	OPT_CHECKPOINT,
	OPT_COLOR,
	OPT_DELIMITERS,
	OPT_DEPTH,
	OPT_EXPLAIN,
	OPT_FIELD,
	OPT_FORMAT_REGEX,
	OPT_HORIZON,
	OPT_INPUT,
	OPT_KEY,
	OPT_LEARN,
	OPT_LINE_BUFFERED,
	OPT_MASK,
	OPT_MAX_ALERTS,
	OPT_MAX_CHILDREN,
	OPT_MAX_SOURCES,
	OPT_MAX_TEMPLATES,
	OPT_NO_FILENAME,
	OPT_NO_LEARN,
	OPT_NO_PROGRESS,
	OPT_OMPROG,
	OPT_OUTPUT_FILE,
	OPT_PROGRESS,
	OPT_REPEAT,
	OPT_SEVERITY_WEIGHT,
	OPT_SEVERITY_WORDS,
	OPT_SHOW_CLASS,
	OPT_SILENCE,
	OPT_SIMILARITY,
	OPT_SUMMARY,
	OPT_TEMPLATES,
	OPT_VARIABLE_WORDS,
	OPT_WARMUP,
	OPT_WINDOW,
};

#define SHORTOPTS	"aA:B:C:c:f:hHj:no:qs:t:V"

static const struct option longopts[] = {
	{ "after-context",	required_argument,	NULL, 'A' },
	{ "all",		no_argument,		NULL, 'a' },
	{ "ascii",		no_argument,		NULL, OPT_ASCII },
	{ "before-context",	required_argument,	NULL, 'B' },
	{ "checkpoint",		required_argument,	NULL, OPT_CHECKPOINT },
	{ "color",		optional_argument,	NULL, OPT_COLOR },
	{ "colour",		optional_argument,	NULL, OPT_COLOR },
	{ "config",		required_argument,	NULL, 'c' },
	{ "context",		required_argument,	NULL, 'C' },
	{ "delimiters",		required_argument,	NULL, OPT_DELIMITERS },
	{ "depth",		required_argument,	NULL, OPT_DEPTH },
	{ "explain",		no_argument,		NULL, OPT_EXPLAIN },
	{ "field",		required_argument,	NULL, OPT_FIELD },
	{ "format",		required_argument,	NULL, 'f' },
	{ "format-regex",	required_argument,	NULL, OPT_FORMAT_REGEX },
	{ "help",		no_argument,		NULL, 'h' },
	{ "horizon",		required_argument,	NULL, OPT_HORIZON },
	{ "incident-gap",	required_argument,	NULL, OPT_INCIDENT_GAP },
	{ "incidents",		no_argument,		NULL, OPT_INCIDENTS },
	{ "input",		required_argument,	NULL, OPT_INPUT },
	{ "jobs",		required_argument,	NULL, 'j' },
	{ "key",		required_argument,	NULL, OPT_KEY },
	{ "learn",		no_argument,		NULL, OPT_LEARN },
	{ "line-buffered",	no_argument,		NULL, OPT_LINE_BUFFERED },
	{ "line-number",	no_argument,		NULL, 'n' },
	{ "mask",		required_argument,	NULL, OPT_MASK },
	{ "max-alerts",		required_argument,	NULL, OPT_MAX_ALERTS },
	{ "max-children",	required_argument,	NULL, OPT_MAX_CHILDREN },
	{ "max-sources",	required_argument,	NULL, OPT_MAX_SOURCES },
	{ "max-templates",	required_argument,	NULL, OPT_MAX_TEMPLATES },
	{ "multiline",		required_argument,	NULL, OPT_MULTILINE },
	{ "no-filename",	no_argument,		NULL, OPT_NO_FILENAME },
	{ "no-learn",		no_argument,		NULL, OPT_NO_LEARN },
	{ "no-progress",	no_argument,		NULL, OPT_NO_PROGRESS },
	{ "omprog",		no_argument,		NULL, OPT_OMPROG },
	{ "output",		required_argument,	NULL, 'o' },
	{ "output-file",	required_argument,	NULL, OPT_OUTPUT_FILE },
	{ "progress",		no_argument,		NULL, OPT_PROGRESS },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "record-start",	required_argument,	NULL, OPT_RECORD_START },
	{ "repeat",		required_argument,	NULL, OPT_REPEAT },
	{ "severity-weight",	required_argument,	NULL, OPT_SEVERITY_WEIGHT },
	{ "severity-words",	required_argument,	NULL, OPT_SEVERITY_WORDS },
	{ "show-class",		no_argument,		NULL, OPT_SHOW_CLASS },
	{ "silence",		no_argument,		NULL, OPT_SILENCE },
	{ "silent",		no_argument,		NULL, 'q' },
	{ "similarity",		required_argument,	NULL, OPT_SIMILARITY },
	{ "state",		required_argument,	NULL, 's' },
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
		diag_errx(EXIT_TROUBLE, "%s: --%s: %s", option_where, name,
		    msg != NULL ? msg : fmt);
	diag_warnx("--%s: %s", name, msg != NULL ? msg : fmt);
	usage(EXIT_TROUBLE);
}

static uint64_t
arg_u64(const char *name, const char *s, uint64_t min, uint64_t max)
{
	const char *errstr;
	uint64_t v;

	if (parse_u64(s, min, max, &v, &errstr) == -1) {
		if (strcmp(errstr, "invalid") == 0)
			bad_option(name, "invalid value '%s'", s);
		bad_option(name, "'%s' is %s (%s %llu)", s, errstr,
		    strcmp(errstr, "too small") == 0 ? "at least" : "at most",
		    (unsigned long long)(strcmp(errstr, "too small") == 0 ?
		    min : max));
	}
	return v;
}

static double
arg_double(const char *name, const char *s, double min, double max)
{
	const char *errstr;
	double v;

	if (parse_double(s, min, max, &v, &errstr) == -1) {
		if (strcmp(errstr, "invalid") == 0)
			bad_option(name, "invalid value '%s'", s);
		bad_option(name, "'%s' is %s (%s %.15g)", s, errstr,
		    strcmp(errstr, "too small") == 0 ? "at least" : "at most",
		    strcmp(errstr, "too small") == 0 ? min : max);
	}
	return v;
}

/* A --window or --repeat span; *lines says whether it counts lines
 * (lines NULL: a time only, as --checkpoint takes). */
static double
arg_span(const char *name, const char *s, int *lines, int zero_ok)
{
	const char *errstr;
	double v;
	int l;

	if (parse_span(s, &v, &l, &errstr) == -1) {
		if (strcmp(errstr, "invalid") == 0)
			bad_option(name, "invalid value '%s' (a duration such "
			    "as 30s, 5m, 1h%s)", s, lines != NULL ? ", or whole "
			    "lines such as 1000l" : "");
		if (strcmp(errstr, "too large") == 0)
			bad_option(name, "'%s' is too large (at most 1e12)", s);
		/* Too small is none at all ("0", "0s", "0l"), which some
		 * options take. */
		if (!zero_ok)
			bad_option(name, "'%s' is too small (more than 0)", s);
		v = 0;
		l = s[strlen(s) - 1] == 'l';
	}
	if (lines == NULL && l)
		bad_option(name, "a time such as 30s or 5m, not lines: '%s'",
		    s);
	if (lines != NULL)
		*lines = l;
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
		diag_errx(EXIT_TROUBLE, "%s: %s", option_where, cause);
	engine_free(e);
}

/* In the configuration file, check a --record-start pattern at once. */
static void
check_record_start(const char *re)
{
	struct record_params p;
	struct recorder *rc;
	char *cause = NULL;

	if (option_where == NULL)
		return;
	memset(&p, 0, sizeof p);
	p.mode = RECORD_REGEX;
	p.start = re;
	if ((rc = recorder_new(&p, &cause)) == NULL)
		diag_errx(EXIT_TROUBLE, "%s: %s", option_where, cause);
	recorder_free(rc);
}

/* Apply option ch with its argument arg (NULL if it takes none). */
static void
apply_option(struct options *opt, int ch, const char *arg)
{
	char *cause = NULL;
	int lines;

	switch (ch) {
	case 'a':
		opt->out.all = 1;
		break;
	case 'A':
		opt->present.after = (unsigned)arg_u64("after-context", arg, 0,
		    CONTEXT_MAX);
		opt->present.context = 1;
		break;
	case 'B':
		opt->present.before = (unsigned)arg_u64("before-context", arg,
		    0, CONTEXT_MAX);
		opt->present.context = 1;
		break;
	case 'C':
		opt->present.after = opt->present.before = (unsigned)arg_u64(
		    "context", arg, 0, CONTEXT_MAX);
		opt->present.context = 1;
		break;
	case OPT_INCIDENTS:
		opt->incidents = 1;
		break;
	case OPT_INCIDENT_GAP:
		opt->incident.gap = arg_span("incident-gap", arg,
		    &opt->incident.gap_lines, 0);
		break;
	case OPT_MULTILINE:
		if (strcmp(arg, "auto") == 0)
			opt->record.mode = RECORD_AUTO;
		else if (strcmp(arg, "none") == 0)
			opt->record.mode = RECORD_LINES;
		else
			bad_option("multiline", "unknown mode '%s' (auto or "
			    "none)", arg);
		break;
	case OPT_RECORD_START:
		check_record_start(arg);
		opt->record.mode = RECORD_REGEX;
		opt->record.start = arg;
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
	case 'n':
		opt->out.line_number = 1;
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
		if (*arg == '\0')
			bad_option("output-file", "empty file name");
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
	case 'j':
		opt->jobs = (int)arg_u64("jobs", arg, 1, JOBS_MAX);
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
		exit_printed();
	case OPT_DEPTH:
		opt->engine.drain.depth = (unsigned)arg_u64("depth",
		    arg, 3, 16);
		break;
	case OPT_LINE_BUFFERED:
		opt->line_buffered = 1;
		break;
	case OPT_COLOR:
		if (arg == NULL || strcmp(arg, "auto") == 0)
			opt->color = -1;
		else if (strcmp(arg, "always") == 0)
			opt->color = 1;
		else if (strcmp(arg, "never") == 0)
			opt->color = 0;
		else
			bad_option("color", "unknown value '%s' (auto, always or "
			    "never)", arg);
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
	case OPT_SEVERITY_WORDS:
		if (severity_set_words(arg, &cause) == -1)
			bad_option("severity-words", "%s", cause);
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
	case OPT_KEY:
		if (*arg == '\0')
			bad_option("key", "empty field name");
		opt->engine.key = arg;
		break;
	case OPT_MAX_SOURCES:
		opt->engine.max_sources = arg_u64("max-sources", arg, 1,
		    1000000);
		break;
	case OPT_MAX_TEMPLATES:
		opt->engine.drain.max_templates = arg_u64("max-templates", arg,
		    16, 100000000);
		break;
	case OPT_VARIABLE_WORDS:
		opt->engine.drain.variable_words = (unsigned)arg_u64(
		    "variable-words", arg, 2, 64);
		break;
	case 's':
		if (*arg == '\0')
			bad_option("state", "empty file name");
		opt->state = arg;
		break;
	case OPT_CHECKPOINT:
		opt->checkpoint = arg_span("checkpoint", arg, NULL, 1);
		break;
	case OPT_LEARN:
		opt->learn_only = 1;
		break;
	case OPT_NO_LEARN:
		opt->no_learn = 1;
		break;
	default:
		usage(EXIT_TROUBLE);
	}
}

/*
 * The long name of an option that only shapes the lines printed, which
 * --learn does not print; NULL for any other.  --output is not one: it
 * also shapes --templates.
 */
static const char *
line_option(int ch)
{
	switch (ch) {
	case 'a':
		return "--all";
	case 'A':
		return "--after-context";
	case 'B':
		return "--before-context";
	case 'C':
		return "--context";
	case 'H':
		return "--with-filename";
	case 'n':
		return "--line-number";
	case OPT_EXPLAIN:
		return "--explain";
	case OPT_INCIDENTS:
		return "--incidents";
	case OPT_INCIDENT_GAP:
		return "--incident-gap";
	case OPT_LINE_BUFFERED:
		return "--line-buffered";
	}
	return NULL;
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
		diag_errx(EXIT_TROUBLE, "%s", cause);
	for (i = 0; i < opt->conf->n; i++) {
		e = &opt->conf->entry[i];
		snprintf(where, sizeof where, "%s:%u", path, e->line);
		for (o = longopts; o->name != NULL; o++)
			if (strcmp(o->name, e->name) == 0)
				break;
		if (o->name == NULL)
			diag_errx(EXIT_TROUBLE, "%s: unknown option '%s'%s",
			    where, e->name, strncmp(e->name, "--", 2) == 0 ?
			    " (a name is written without its dashes)" : "");
		if (o->val == 'c' || o->val == 'h' || o->val == 'V')
			diag_errx(EXIT_TROUBLE, "%s: '%s' cannot be set in a "
			    "configuration file", where, e->name);
		if (o->has_arg == required_argument && e->value == NULL)
			diag_errx(EXIT_TROUBLE, "%s: '%s' needs a value", where,
			    e->name);
		if (o->has_arg == no_argument && e->value != NULL)
			diag_errx(EXIT_TROUBLE, "%s: '%s' takes no value",
			    where, e->name);
		option_where = where;
		apply_option(opt, o->val, e->value);
		option_where = NULL;
	}
}

int
options_parse(int argc, char **argv, struct options *opt)
{
	const char *config = NULL, *printing = NULL;
	int ch, conf_learn, conf_no_learn, output_given = 0;

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
	opt->color = -1;
	opt->checkpoint = DEFAULT_CHECKPOINT;
	/* getopt names the program by argv[0] in its messages, which may
	 * be a path: they start "aiopsfilter:" as the others do. */
	if (argc > 0)
		argv[0] = (char *)"aiopsfilter";

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
	/* --learn or --no-learn on the command line replaces the file's
	 * (together they are an error, below). */
	conf_learn = opt->learn_only;
	conf_no_learn = opt->no_learn;
	opt->learn_only = opt->no_learn = 0;

	while ((ch = getopt_long(argc, argv, SHORTOPTS, longopts,
	    NULL)) != -1) {
		/* Only the command line's: a configuration file may set
		 * them for the runs that print. */
		if (printing == NULL)
			printing = line_option(ch);
		output_given |= ch == 'o';
		apply_option(opt, ch, optarg);
	}
	if (!opt->learn_only && !opt->no_learn) {
		opt->learn_only = conf_learn;
		opt->no_learn = conf_no_learn;
	}
	opt->engine.masks = opt->masks;
	opt->engine.nmasks = opt->nmasks;
	if (opt->engine.repeat_set && opt->repeat > 0) {
		/* The repeat span must count what the window counts, lines
		 * unless --window gives a time. */
		if ((opt->engine.window_unit != WINDOW_SECONDS) !=
		    opt->repeat_lines) {
			diag_warnx("--repeat: give it in the unit of --window "
			    "(lines, unless --window gives a time)");
			usage(EXIT_TROUBLE);
		}
	}
	opt->engine.repeat = opt->repeat;
	/* Event times show in JSON and logfmt records and summaries, and
	 * measure the gaps between findings. */
	opt->engine.need_time = opt->out.format != OUTPUT_TEXT ||
	    opt->summary || opt->incidents;
	if (opt->incidents)
		opt->present.incidents = &opt->incident;
	if (opt->record.mode != RECORD_LINES) {
		if (opt->input != INPUT_TEXT) {
			diag_warnx("--multiline and --record-start need text "
			    "input: a JSON record is whole");
			usage(EXIT_TROUBLE);
		}
		opt->record.format = opt->engine.format;
		opt->record.format_regex = opt->engine.format_regex;
		opt->out.multiline = 1;
	}
	/* With every line printed, nothing is held back, and every score
	 * is printed as computed in full. */
	if (opt->out.all) {
		opt->engine.scorer.max_alerts = 0;
		opt->engine.scorer.exact = 1;
	}
	if (opt->field != NULL && opt->input_given &&
	    opt->input == INPUT_TEXT) {
		diag_warnx("--field needs JSON lines input, not --input=text");
		usage(EXIT_TROUBLE);
	}
	if (opt->field != NULL && !opt->input_given)
		opt->input = INPUT_JSON;
	if (opt->omprog && opt->output_file == NULL) {
		diag_warnx("--omprog needs --output-file: standard output "
		    "carries the OK replies");
		usage(EXIT_TROUBLE);
	}
	if (opt->omprog && opt->quiet) {
		diag_warnx("--omprog reads until rsyslog stops it: --quiet, "
		    "which stops at the first finding, has no place beside "
		    "it");
		usage(EXIT_TROUBLE);
	}
	if ((opt->learn_only || opt->no_learn) && opt->state == NULL) {
		diag_warnx("--%s needs --state: the model to %s",
		    opt->learn_only ? "learn" : "no-learn",
		    opt->learn_only ? "save" : "judge by");
		usage(EXIT_TROUBLE);
	}
	if (opt->learn_only && opt->no_learn) {
		diag_warnx("--learn and --no-learn exclude each other");
		usage(EXIT_TROUBLE);
	}
	if (opt->learn_only && opt->quiet) {
		diag_warnx("--learn prints nothing and reads all: --quiet has "
		    "no place beside it");
		usage(EXIT_TROUBLE);
	}
	if (opt->learn_only && (printing != NULL ||
	    (output_given && !opt->templates))) {
		diag_warnx("--learn prints no lines: %s has no place beside it",
		    printing != NULL ? printing : "--output");
		usage(EXIT_TROUBLE);
	}
	if (opt->templates && printing != NULL) {
		diag_warnx("--templates prints templates, not lines: %s has no "
		    "place beside it", printing);
		usage(EXIT_TROUBLE);
	}
	if (opt->state != NULL &&
	    (opt->state_target = state_target(opt->state)) != NULL)
		opt->state = opt->state_target;
	opt->engine.learn = !opt->no_learn;
	/* With JSON lines, --key names a field of the record. */
	opt->engine.key_is_json = opt->engine.key != NULL &&
	    opt->input != INPUT_TEXT;
	return optind;
}
