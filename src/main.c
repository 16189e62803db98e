/*
 * aiopsfilter: print the log lines that are new or surprising, each with
 * a score in bits.  This file is the program around the engine: signals,
 * the read-judge-print loop over the inputs, and the exit status; the
 * options are read in options.c.  Everything it calls is a library the
 * unit tests link too.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conffile.h"
#include "decompress.h"
#include "diag.h"
#include "engine.h"
#include "incident.h"
#include "jsonin.h"
#include "options.h"
#include "outbuf.h"
#include "outfile.h"
#include "output.h"
#include "pipeline.h"
#include "present.h"
#include "progress.h"
#include "reader.h"
#include "record.h"
#include "state.h"
#include "summary.h"
#include "template.h"
#include "tokenize.h"
#include "xmalloc.h"

#define JOBS_MIN_BYTES	(8 << 20) /* -j 2 by default from so much input */
#define PAUSE_MS	100	/* -j on a pipe: how soon a signal is seen */
#define TIME_BACK_SLACK	300.0	/* seconds an input may start before the
				   last: clocks of hosts differ */
#define CHECK_EVERY		64	/* lines between looks at the clock */

/* The run's state: one of each per process, as the process is one run. */
struct run {
	struct options	*opt;
	double		 latest_time;	/* the latest event time read */
	int		 input_timed;	/* this input had a time yet */
	int		 input_regular;	/* -j: it is a regular file */
	uint64_t	 input_base;	/* lines judged before this input */
	uint64_t	 lines_at_input;	/* ... and read */
	struct engine	*engine;
	struct jsonin	*jsonin;	/* NULL: plain text input */
	struct outbuf	*out;
	struct outfile	*outfile;	/* NULL: records go to stdout */
	struct progress	*progress;	/* NULL: none shown */
	struct summary	*summary;	/* NULL: no --summary */
	struct recorder	*recorder;	/* NULL: a record is a line */
	struct presenter *present;	/* NULL: findings one by one */
	const char	*name;		/* the input being read, NULL: stdin */
	char		*name_json;	/* ... as a JSON string, or NULL */
	int		 fd;		/* ... its descriptor */
	uint64_t	 bytes_before;	/* input bytes of the inputs done */
	uint64_t	 lines;
	uint64_t	 flagged;
	uint64_t	 printed;
	int		 status_error;
	int		 streaming;	/* flush before each blocking read */
	int		 flush_each;	/* ... and after each record */
	const struct reader_source *src;	/* -j 1: the input's */
	int		 done;		/* stop reading: the answer is known */
	int		 pipelined;	/* -j: a thread reads and parses */
	uint64_t	 json_malformed;	/* ... and counts these */
	uint64_t	 json_missing;
	uint64_t	 json_keyless;	/* JSON records without the --key */

	/* The state file, when there is one to write. */
	struct state_lock *lock;
	char		*input_desc;	/* how messages are taken */
	uint64_t	 saved_lines;	/* engine lines at the last save */
	int		 state_exists;
	int		 save_failed;	/* the last save failed */
	int		 finishing;	/* the run's last save */
	int		 last_tried;	/* ... was tried */
	int		 told_dropped;	/* sources past --max-sources */
	uint64_t	 dropped_before;	/* ... by the runs before */
	double		 next_checkpoint;	/* monotonic seconds */
	double		 next_quiet;	/* ... of quiet_tick()'s next look */
	unsigned	 since_check;	/* lines since the clock was read */
	double		 started;	/* monotonic seconds */
	unsigned	 hint_lines;	/* of the first JSON_HINT_LINES */
	unsigned	 hint_json;	/* ... those that look like JSON */
	uint64_t	 format_judged;	/* records judged with a --format */
	uint64_t	 format_matched;	/* ... that it matched */
	int		 format_told;	/* format_hint() warned */
	int		 watching;	/* see watch() */
	uint64_t	 stamped;	/* lines with a time, time window */
	int		 clock_told;	/* clock_hint() warned */
	int		 capped_told;	/* capped_hint() warned */
};

static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t reopen_signal;
static volatile sig_atomic_t checkpoint_signal;
static volatile sig_atomic_t stats_signal;

static void	save_state(struct run *);
static void	reopen_output(struct run *);

/* Start on input name (NULL: standard input). */
static void
set_input_name(struct run *run, const char *name)
{
	run->name = name;
	run->input_timed = 0;
	run->input_base = engine_lines(run->engine);
	run->lines_at_input = run->lines;
	/* The hints judge an input by its own lines. */
	run->format_judged = run->format_matched = run->stamped = 0;
	run->watching = 1;
	if (run->present != NULL)
		present_input(run->present);
	free(run->name_json);
	/* Every JSON record has it: quoted once, not for every line. */
	run->name_json = name != NULL && run->opt->out.format == OUTPUT_JSON ?
	    output_json_string(name) : NULL;
}


static void
on_stop_signal(int sig)
{
	stop_signal = sig;
}

/* SIGHUP: open the output file again, and save the state now. */
static void
on_hup_signal(int sig)
{
	reopen_signal = 1;
	checkpoint_signal = 1;
}

static void
on_stats_signal(int sig)
{
	stats_signal = 1;
}

static void
setup_signals(int hup)
{
	struct sigaction sa, was;

	/* A closed pipe shows up as EPIPE from write(2), handled there. */
	signal(SIGPIPE, SIG_IGN);

	/* No SA_RESTART: a blocked read returns EINTR so we can act. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	/* SIGINT ignored from the start (a script's background job) stays
	 * so: a ^C at the terminal is not for this run. */
	if (sigaction(SIGINT, NULL, &was) == -1 || was.sa_handler != SIG_IGN)
		sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_stats_signal;
	sigaction(SIGUSR1, &sa, NULL);
	if (hup) {
		sa.sa_handler = on_hup_signal;
		sigaction(SIGHUP, &sa, NULL);
	}
}

static double
monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * How messages are taken from the input lines: a state learned from one
 * way must not be fed by another.
 */
static void
describe_input(struct run *run)
{
	const struct options *opt = run->opt;
	const char *mode = opt->input == INPUT_JSON ? "json" :
	    opt->input == INPUT_AUTO ? "auto" : "text";

	/* Records shape templates (a trace's signature), so they count. */
	const char *rec = opt->record.mode == RECORD_AUTO ? " multiline=auto" :
	    opt->record.mode == RECORD_REGEX ? " record-start=" : "";

	xasprintf(&run->input_desc, "%s%s%s%s%s", mode, opt->field != NULL ?
	    " field=" : "", opt->field != NULL ? opt->field : "", rec,
	    opt->record.mode == RECORD_REGEX ? opt->record.start : "");
}

/*
 * Before the first line: lock the state (unless frozen: a frozen run
 * writes nothing) and load it.  Exits 2 when either fails.
 */
static void
load_state(struct run *run)
{
	const struct options *opt = run->opt;
	char *cause = NULL;
	int rc;

	describe_input(run);
	run->started = monotonic();
	if (opt->state == NULL)
		return;
	if (!opt->no_learn &&
	    (run->lock = state_lock(opt->state, &cause)) == NULL)
		diag_errx(EXIT_TROUBLE, "%s: %s", opt->state, cause);
	rc = state_read(run->engine, opt->state, run->input_desc, &cause);
	if (rc == -1)
		diag_errx(EXIT_TROUBLE, "%s: %s", opt->state, cause);
	if (rc == 0 && opt->no_learn)
		diag_errx(EXIT_TROUBLE, "%s: %s (--no-learn judges by a saved "
		    "model)", opt->state, strerror(ENOENT));
	if (rc == 2)
		diag_warnx("%s: made by an earlier aiopsfilter: events whose "
		    "lines hold a size unit, an HTTP version, true or false "
		    "are learned again", opt->state);
	run->state_exists = rc >= 1;
	run->saved_lines = engine_lines(run->engine);
	run->dropped_before = engine_sources_evicted(run->engine);
	run->next_checkpoint = run->started + opt->checkpoint;
}

/*
 * Save the state, between lines, if there is one to write and it has
 * changed.  A failure is reported (once until a save succeeds again) and
 * makes the exit status 2; the state file keeps the previous state.
 */
static void
save_state(struct run *run)
{
	const struct options *opt = run->opt;
	char *cause = NULL;

	if (opt->state == NULL || opt->no_learn || run->engine == NULL)
		return;
	/* The last save is tried once: an output error after it (the
	 * final flush) does not try, and tell, again. */
	if (run->finishing && run->last_tried)
		return;
	run->last_tried = run->finishing;
	if (run->state_exists && !run->save_failed &&
	    engine_lines(run->engine) == run->saved_lines)
		return;		/* nothing new */
	if (state_write(run->engine, opt->state, run->input_desc,
	    &cause) == -1) {
		/* Told once while it keeps failing, and again if the last
		 * save fails too: what is on disk is then older. */
		if (!run->save_failed || run->finishing) {
			progress_clear(run->progress);
			diag_warnx("%s: %s%s", opt->state, run->save_failed ?
			    "not saved at the end either: " : "", cause);
		}
		free(cause);
		run->save_failed = 1;
		run->status_error = 1;
		return;
	}
	run->save_failed = 0;
	run->state_exists = 1;
	run->saved_lines = engine_lines(run->engine);
}

/* SIGUSR1: how the run is going, on standard error. */
static void
print_stats(struct run *run)
{
	struct rusage ru;
	double secs = monotonic() - run->started;
	uint64_t sources = engine_sources(run->engine);

	stats_signal = 0;
	if (getrusage(RUSAGE_SELF, &ru) == -1)
		ru.ru_maxrss = 0;
	progress_clear(run->progress);
	fprintf(stderr, "%s: %llu lines read, %llu flagged, %zu templates, "
	    "%llu source%s, %.0f lines/s, peak RSS %.1f MiB\n", "aiopsfilter",
	    (unsigned long long)run->lines, (unsigned long long)run->flagged,
	    engine_templates(run->engine), (unsigned long long)sources,
	    sources == 1 ? "" : "s", secs > 0 ? (double)run->lines / secs : 0,
	    ru.ru_maxrss / 1024.0);
}

/*
 * Between lines: act on the signals that came, and save the state when
 * a checkpoint is due (the clock is read every CHECK_EVERY lines, and
 * before the reader blocks).
 */
static void
between_lines(struct run *run, int blocking)
{
	int saved_errno = errno;	/* the reader's, looked at next */
	double now;

	if (reopen_signal)
		reopen_output(run);
	if (stats_signal)
		print_stats(run);
	if (checkpoint_signal) {
		checkpoint_signal = 0;
		save_state(run);
	}
	/* Once: a source dropped for room is new again when it comes
	 * back, and with sources churning past the bound every one of
	 * them is always new, flagging nothing. */
	if (run->opt->engine.key != NULL && !run->told_dropped &&
	    engine_sources_evicted(run->engine) > run->dropped_before) {
		run->told_dropped = 1;
		progress_clear(run->progress);
		diag_warnx("more sources than --max-sources=%llu: the least "
		    "recent are dropped, and new again if they come back",
		    (unsigned long long)engine_max_sources(run->engine));
	}
	if (run->opt->state != NULL && run->opt->checkpoint > 0 &&
	    (blocking || ++run->since_check >= CHECK_EVERY)) {
		run->since_check = 0;
		if ((now = monotonic()) >= run->next_checkpoint) {
			save_state(run);
			run->next_checkpoint = now + run->opt->checkpoint;
		}
	}
	errno = saved_errno;
}

/*
 * Cut short by SIGINT or SIGTERM, with all written and saved: the run
 * ends by the signal, as if it had not been caught, so that the caller
 * knows (a shell loop over files stops on ^C; a supervisor sees a stop,
 * not a failure).  Returns if no such signal came.
 */
static void
end_by_signal(void)
{
	if (stop_signal != 0) {
		signal(stop_signal, SIG_DFL);
		raise(stop_signal);
	}
}

/* Report a write error on the output and end the run, state saved. */
static void __attribute__((noreturn))
output_failed(struct run *run)
{
	int e = outbuf_error(run->out);

	run->finishing = 1;
	save_state(run);
	progress_clear(run->progress);
	if (e == EINTR && stop_signal)
		diag_warnx("%s: blocked when told to stop: records not written",
		    run->outfile != NULL ? outfile_path(run->outfile) :
		    "standard output");
	else if (run->outfile != NULL)
		diag_warnx("%s: %s", outfile_path(run->outfile), strerror(e));
	else if (e != EPIPE) {
		/* A reader that went away (| head) is no news: stop quietly. */
		diag_warnx("standard output: %s", strerror(e));
	}
	end_by_signal();
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
		/* Told to stop while a FIFO waited: no failure. */
		if (!stop_signal) {
			progress_clear(run->progress);
			diag_warnx("%s", cause);
			run->status_error = 1;
		}
		free(cause);
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
	while ((n = write(STDOUT_FILENO, "OK\n", 3)) == -1 && errno == EINTR &&
	    !stop_signal)
		continue;
	if (n != 3) {
		/* rsyslog went away: it restarts us if it wants.  Or it
		 * stopped us while it read no reply: then the signal ends
		 * the run, as it would between lines. */
		if (n == -1 && errno != EPIPE && !(errno == EINTR &&
		    stop_signal))
			diag_warn("standard output");
		run->finishing = 1;
		save_state(run);
		end_by_signal();
		exit(EXIT_TROUBLE);
	}
}

static void judged(struct run *, struct output_input *,
		    const struct verdict *);
static void judge(struct run *, const char *, const struct line *,
    const struct record *);

/*
 * Whether the input has been quiet for RECORD_IDLE_MS: a record waiting
 * for its next line is then as complete as it will be for now.
 */
static int
input_idle(int fd)
{
	struct pollfd pfd;

	pfd.fd = fd;
	pfd.events = POLLIN;
	return poll(&pfd, 1, RECORD_IDLE_MS) == 0;
}

static void	print_events(struct run *);

#define QUIET_TICK	1.0	/* seconds between looks at a quiet input */

static int
saving(const struct run *run)
{
	return run->opt->state != NULL && run->opt->checkpoint > 0;
}

/* Whether silences can be found while no line comes: by time, not lines. */
static int
silences(const struct run *run)
{
	return run->opt->engine.scorer.silence &&
	    !engine_ticks_are_lines(run->engine);
}

/* How long a quiet input may be waited for: until a save or a look. */
static double
quiet_wait(const struct run *run)
{
	double now = monotonic(), w = silences(run) ? run->next_quiet - now :
	    1e9;

	if (saving(run) && run->next_checkpoint - now < w)
		w = run->next_checkpoint - now;
	return w;
}

/* The input is quiet: let time pass (--silence) and print what it found. */
static void
quiet_tick(struct run *run)
{
	double now;

	if (!silences(run) || (now = monotonic()) < run->next_quiet)
		return;
	run->next_quiet = now + QUIET_TICK;
	engine_idle(run->engine);
	print_events(run);
	if (outbuf_pending(run->out) > 0 && outbuf_flush(run->out) == -1)
		output_failed(run);
}

/* Whether fd has input (or news) within secs seconds: 1, or 0; -1 when a
 * signal came first.  Other errors count as input: the read reports them. */
static int
input_ready(int fd, double secs)
{
	struct pollfd pfd;
	double ms = ceil(secs * 1000);
	int n;

	pfd.fd = fd;
	pfd.events = POLLIN;
	n = poll(&pfd, 1, ms < 0 ? 0 : ms > INT_MAX ? INT_MAX : (int)ms);
	return n == -1 && errno == EINTR ? -1 : n != 0;
}

/* Wait a little for a non-blocking input to have bytes: a stop that
 * comes just before the wait is seen after it. */
static void
await_input(int fd)
{
	struct pollfd pfd;
	int saved_errno = errno;

	pfd.fd = fd;
	pfd.events = POLLIN;
	(void)poll(&pfd, 1, PAUSE_MS);
	errno = saved_errno;
}

static int
flush_hook(void *arg)
{
	struct run *run = arg;
	const struct record *rec;

	/* A stop asked for while the reader skips an endless line. */
	if (stop_signal)
		return -1;
	/* A record must not wait on a pipe for a line that may never come;
	 * a regular file always has its next line at hand.  (With -j the
	 * judging side does this, in idle().) */
	if (run->recorder != NULL && run->streaming &&
	    recorder_pending(run->recorder) && input_idle(run->fd) &&
	    (rec = recorder_flush(run->recorder)) != NULL)
		judge(run, run->name, NULL, rec);
	/* Signals that came while judging are acted on before blocking. */
	between_lines(run, 1);
	if (run->streaming && outbuf_pending(run->out) > 0 &&
	    outbuf_flush(run->out) == -1)
		output_failed(run);
	/* A quiet pipe still saves by the clock (--checkpoint) and finds
	 * silences (--silence): wait for input no longer than the next of
	 * those is due.  Plain input only: a decompressor may hold lines
	 * the descriptor no longer shows.  Before the first bytes the kind
	 * is unknown, and nothing is held: a run that starts from a state
	 * on a quiet pipe has silences to find too. */
	if (run->streaming && run->src != NULL &&
	    (decompress_kind(run->src) == DECOMPRESS_PLAIN ||
	    decompress_kind(run->src) == DECOMPRESS_UNKNOWN) &&
	    (saving(run) || silences(run)))
		while (!stop_signal && !run->done &&
		    input_ready(run->fd, quiet_wait(run)) <= 0) {
			between_lines(run, 1);	/* a save due, a signal */
			quiet_tick(run);
		}
	/* Stopped, or the answer is known (-q): read no more. */
	return stop_signal || run->done ? -1 : 0;
}

/* n records were printed: flush them at once when asked to. */
static void
printed(struct run *run, size_t n)
{
	if (n == 0)
		return;
	run->printed += n;
	if (run->flush_each)
		outbuf_flush(run->out);
	if (outbuf_error(run->out))
		output_failed(run);
}

/* Print one judged line, and flush it at once when asked to. */
static void
print_line(struct run *run, const struct output_input *in,
    const struct verdict *v)
{
	output_line(run->out, &run->opt->out, in, v);
	printed(run, 1);
}

/* Print the records of their own the engine has for us. */
static void
print_events(struct run *run)
{
	struct score_event ev;
	int quiet = run->opt->quiet || run->opt->templates ||
	    run->opt->learn_only;

	const char *source;

	while (engine_event(run->engine, &ev, &source)) {
		/* A silence is a finding of its own: -q's answer too. */
		if (run->opt->quiet && ev.kind == KIND_SILENCE) {
			run->flagged++;
			run->done = 1;
		}
		if (quiet)
			continue;
		if (run->present != NULL) {
			printed(run, present_event(run->present, &ev, source,
			    engine_ticks_are_lines(run->engine)));
			continue;
		}
		output_event(run->out, &run->opt->out, &ev, source,
		    engine_ticks_are_lines(run->engine));
		printed(run, 1);
	}
}

/*
 * A format that no line matches (a typo, another log's format) leaves
 * each line's header in its message, where stamps and ids make every
 * line new: said once, when FORMAT_HINT_LINES lines have come or an
 * input has ended and not one matched.
 */
#define FORMAT_HINT_LINES	1000

static void
format_hint(struct run *run, int at_end)
{
	uint64_t lines = run->lines - run->lines_at_input;

	if (run->format_told || run->format_matched > 0 ||
	    run->format_judged == 0 ||
	    (!at_end && lines < FORMAT_HINT_LINES))
		return;
	run->format_told = 1;
	progress_clear(run->progress);
	diag_warnx("%s: no line matches the format (%llu read): each is parsed "
	    "whole, header and all", run->name != NULL ? run->name :
	    "standard input", (unsigned long long)lines);
}

/*
 * A window in time on a file whose lines have no stamps runs by the
 * clock, and a file read in seconds is then one instant: its bursts
 * mean nothing.  Said once, as format_hint() says its news.
 */
static void
clock_hint(struct run *run, int at_end)
{
	uint64_t lines = run->lines - run->lines_at_input;

	if (run->clock_told || run->stamped > 0 || !run->input_regular ||
	    run->opt->engine.window_unit != WINDOW_SECONDS ||
	    lines == 0 || (!at_end && lines < FORMAT_HINT_LINES))
		return;
	run->clock_told = 1;
	progress_clear(run->progress);
	diag_warnx("%s: no time stamps (%llu lines read): the --window in time "
	    "runs by the clock, as if the whole file came at once",
	    run->name != NULL ? run->name : "standard input",
	    (unsigned long long)lines);
}

/*
 * What the hints above count, line by line, until each has had its say
 * (or can have none): run->watching says whether any still listens.
 */
static void
watch(struct run *run, const struct verdict *v)
{
	const struct options *opt = run->opt;
	int format = opt->engine.format != NULL ||
	    opt->engine.format_regex != NULL;

	if (format) {
		run->format_judged++;
		run->format_matched += v->header != 0;
		format_hint(run, 0);
	}
	run->stamped += v->read_time > 0;
	clock_hint(run, 0);
	run->watching = (format && !run->format_told &&
	    run->format_matched == 0) || (opt->engine.window_unit ==
	    WINDOW_SECONDS && !run->clock_told && run->stamped == 0);
}

/*
 * A record cut at its bounds is most often no record at all: a pattern
 * or a format that the lines starting records do not match makes every
 * line a continuation.  Said once.
 */
static void
capped_hint(struct run *run, const struct verdict *v)
{
	const struct options *opt = run->opt;
	const char *ask = "";

	if (run->capped_told)
		return;
	run->capped_told = 1;
	if (opt->record.mode == RECORD_REGEX)
		ask = ": does --record-start match the lines that start records?";
	else if (opt->record.format != NULL || opt->record.format_regex !=
	    NULL)
		ask = ": does the format match the lines that start records?";
	progress_clear(run->progress);
	diag_warnx("%s: line %llu: a record reached %u lines or %u MiB and was "
	    "cut there%s", run->name != NULL ? run->name : "standard input",
	    (unsigned long long)(v->line - run->input_base),
	    RECORD_MAX_LINES, RECORD_MAX_BYTES >> 20, ask);
}

/*
 * Judge one record, a line ln or a multi-line record rec (--multiline),
 * and print what is to be printed.
 */
static void
judge(struct run *run, const char *name, const struct line *ln,
    const struct record *rec)
{
	struct output_input in;
	struct line first;
	struct verdict v;
	struct json_record jr;

	memset(&in, 0, sizeof in);
	in.file = name;
	in.file_json = name == run->name ? run->name_json : NULL;
	if (rec != NULL) {
		first.text = (char *)rec->text;
		first.len = rec->first_len;
		first.crlf = rec->crlf[0];
		first.truncated = rec->truncated;
		in.line = &first;
		in.msg = rec->text;
		in.msglen = rec->len;
		in.rec = rec;
		engine_record(run->engine, rec->text, rec->first_len,
		    rec->sig, rec->siglen, rec->nlines, &v);
		if (rec->capped)
			capped_hint(run, &v);
	} else {
		in.line = ln;
		in.msg = ln->text;
		in.msglen = ln->len;
		if (run->jsonin != NULL && jsonin_message(run->jsonin,
		    ln->text, ln->len, &jr) != -1) {
			in.record = 1;
			if (jr.msg.p != NULL) {
				in.msg = jr.msg.p;
				in.msglen = jr.msg.len;
			}
		}
		engine_line(run->engine, in.msg, in.msglen,
		    in.record ? &jr : NULL, &v);
	}
	judged(run, &in, &v);
}

/*
 * An input whose first time is well before the latest read already (a
 * rotated set newest first, a file per host for the same hours) is judged
 * as if its lines came at that latest time: its bursts, silences and
 * incidents mean nothing.  Say so once, for the input.
 */
static void
check_time_order(struct run *run, double t)
{
	double back = run->latest_time - t;
	double slack = TIME_BACK_SLACK;
	const char *unit;

	run->input_timed = 1;
	if (run->opt->engine.window_unit == WINDOW_SECONDS &&
	    run->opt->engine.window > slack)
		slack = run->opt->engine.window;
	if (run->latest_time == 0 || back <= slack)
		return;
	if (back >= 2 * 86400)
		back /= 86400, unit = "days";
	else if (back >= 2 * 3600)
		back /= 3600, unit = "hours";
	else
		back /= 60, unit = "minutes";
	progress_clear(run->progress);
	diag_warnx("%s: starts %.0f %s before the inputs read already: give "
	    "inputs oldest first", run->name != NULL ? run->name :
	    "standard input", back, unit);
}

/* What follows a verdict: counting, printing, the records it set off. */
static void
judged(struct run *run, struct output_input *in, const struct verdict *v)
{
	const struct options *opt = run->opt;

	in->input_line = v->line - run->input_base;
	if (in->record && v->keyless && opt->engine.key_is_json)
		run->json_keyless++;
	if (run->watching)
		watch(run, v);
	if (v->read_time > 0) {
		if (!run->input_timed)
			check_time_order(run, v->read_time);
		if (v->read_time > run->latest_time)
			run->latest_time = v->read_time;
	}

	if (run->summary != NULL)
		summary_line(run->summary, v);
	if (v->flagged) {
		run->flagged++;
		if (opt->quiet)
			run->done = 1;	/* like grep -q: the answer is known */
	}
	if (opt->quiet || opt->templates || opt->learn_only)
		;
	else if (run->present != NULL)
		printed(run, present_record(run->present, in, v));
	else if (v->flagged || opt->out.all)
		print_line(run, in, v);
	print_events(run);
}

/*
 * JSON lines read as text are parsed whole, braces, keys and all, which
 * makes poor templates: when half the first JSON_HINT_LINES lines of a
 * run look like JSON objects (in a container runtime's wrapper or not)
 * and no --input was given, say once how to read them.
 */
#define JSON_HINT_LINES	50

static void
json_hint(struct run *run, const char *name, const struct line *ln)
{
	size_t off;

	if (run->hint_lines >= JSON_HINT_LINES || run->opt->input_given ||
	    run->opt->input != INPUT_TEXT)
		return;		/* JSON is read already (--field) */
	off = jsonin_wrapper(ln->text, ln->len);
	if (jsonin_looks_like(ln->text + off, ln->len - off))
		run->hint_json++;
	if (++run->hint_lines == JSON_HINT_LINES &&
	    2 * run->hint_json >= JSON_HINT_LINES) {
		progress_clear(run->progress);
		diag_warnx("%s: lines look like JSON objects: --input=auto "
		    "reads their messages", name ? name : "standard input");
	}
}

/* The line about to be read in is cut at READER_MAX_LINE: say which
 * (once an input, the caller sees to that). */
static void
warn_long_line(struct run *run, const char *name)
{
	progress_clear(run->progress);
	diag_warnx("%s: line %llu longer than %u MiB: the rest of it is "
	    "skipped", name != NULL ? name : "standard input",
	    (unsigned long long)(run->lines - run->lines_at_input + 1),
	    READER_MAX_LINE >> 20);
}

/* One line read: judge it, or the record it completes. */
static void
process_line(struct run *run, const char *name, const struct line *ln)
{
	const struct record *rec;

	run->lines++;
	json_hint(run, name, ln);
	if (run->recorder == NULL)
		judge(run, name, ln, NULL);
	else if ((rec = recorder_push(run->recorder, ln)) != NULL)
		judge(run, name, NULL, rec);
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

/*
 * reader_open_waiting()'s wait for a FIFO's writer: as on a quiet pipe,
 * signals, checkpoints and silences are acted on meanwhile.  -1 when the
 * run stops.
 */
static int
await_writer(int fd, void *arg)
{
	struct run *run = arg;

	while (!stop_signal && !run->done &&
	    input_ready(fd, quiet_wait(run)) <= 0) {
		between_lines(run, 1);
		quiet_tick(run);
	}
	return stop_signal || run->done ? -1 : 0;
}

/* Read, judge and print one input.  Returns -1 if it could not be read. */
static int
filter_input(struct run *run, const char *path)
{
	const char *name = NULL;	/* NULL: standard input */
	const struct record *rec;
	struct reader_source src;
	struct reader *rd;
	struct line ln;
	struct stat st;
	int fd, r, warned_long = 0, rc = 0;

	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
	} else {
		name = path;
		/* Opening a FIFO waits for its writer: what was printed goes
		 * out first. */
		if (reader_open_may_wait(path)) {
			if (outbuf_pending(run->out) > 0 &&
			    outbuf_flush(run->out) == -1)
				output_failed(run);
			fd = reader_open_waiting(path, await_writer, run);
		} else
			while ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 &&
			    errno == EINTR && !stop_signal)
				between_lines(run, 1);
		if (fd == -1 && (stop_signal || run->done))
			return 0;
		if (fd == -1) {
			progress_clear(run->progress);
			diag_warn("%s", path);
			return -1;
		}
	}
	if (fstat(fd, &st) == -1)
		memset(&st, 0, sizeof st);	/* unknown: read as a stream */
	if (S_ISDIR(st.st_mode)) {
		progress_clear(run->progress);
		diag_warnx("%s: Is a directory",
		    name ? name : "standard input");
		if (fd != STDIN_FILENO)
			close(fd);
		return -1;
	}
	run->streaming = run->opt->line_buffered || !S_ISREG(st.st_mode);
	run->input_regular = S_ISREG(st.st_mode);
	set_input_name(run, name);
	run->fd = fd;
	decompress_source(fd, &src);
	rd = reader_new_source(&src);
	reader_set_hook(rd, flush_hook, run);
	run->src = &src;

	while (!stop_signal && !run->done && (r = reader_next(rd, &ln)) != 0) {
		between_lines(run, 0);
		if (r == -1) {
			if (errno == EAGAIN && !stop_signal && !run->done)
				await_input(fd);	/* O_NONBLOCK input */
			if (errno == EINTR || errno == EAGAIN || stop_signal ||
			    run->done)
				continue;
			progress_clear(run->progress);
			diag_warnx("%s: %s", name ? name : "standard input",
			    reader_cause(rd, errno));
			rc = -1;
			break;
		}
		if (ln.truncated && !warned_long) {
			warn_long_line(run, name);
			warned_long = 1;
		}
		process_line(run, name, &ln);
		if (run->opt->omprog)
			confirm(run);
		if (run->progress != NULL && progress_tick(run->progress))
			draw_progress(run, fd, rd);
	}
	/* A record does not span inputs. */
	if (run->recorder != NULL && (rec = recorder_flush(run->recorder)) !=
	    NULL)
		judge(run, name, NULL, rec);
	format_hint(run, 1);
	clock_hint(run, 1);
	run->bytes_before += S_ISREG(st.st_mode) ? (uint64_t)st.st_size :
	    reader_bytes(rd);
	run->src = NULL;
	reader_free(rd);
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

struct row {
	struct template	*t;
	const char	*source;
};

/*
 * flush_hook() for the judging side of -j: the reading thread has nothing
 * more for now.  A pending record on a pipe is judged once no bytes came
 * for RECORD_IDLE_MS (a regular file has its next line at hand), and what
 * was printed goes out before waiting.  It does not wait itself.
 */
static void
idle(struct run *run, struct pipeline *pl)
{
	const struct record *rec;

	if (run->recorder != NULL && !run->input_regular &&
	    recorder_pending(run->recorder) &&
	    pipeline_quiet(pl, RECORD_IDLE_MS) &&
	    (rec = recorder_flush(run->recorder)) != NULL)
		judge(run, run->name, NULL, rec);
	between_lines(run, 1);
	if (outbuf_pending(run->out) > 0 && outbuf_flush(run->out) == -1)
		output_failed(run);
}

/*
 * Wait for the reading thread to have an item.  While the input pauses,
 * or the thread waits to open a FIFO, signals, checkpoints and silences
 * are acted on within PAUSE_MS, not at the next line, which may never
 * come, and what was printed goes out.
 */
static void
await_reader(struct run *run, struct pipeline *pl)
{
	int flushed = 0;

	if (pipeline_ready(pl, 0))
		return;
	while (!stop_signal && !run->done) {
		if (run->streaming)
			idle(run, pl);
		if (pipeline_ready(pl, PAUSE_MS))
			break;
		between_lines(run, 1);
		/* Waiting for a FIFO's writer is a quiet pipe too. */
		if (run->streaming || pipeline_opening(pl))
			quiet_tick(run);
		if (!run->streaming && !flushed) {
			/* Files come fast: a reader held this long waits
			 * for a FIFO's writer (or a slow disk), and what
			 * was printed goes out meanwhile. */
			if (outbuf_pending(run->out) > 0 &&
			    outbuf_flush(run->out) == -1)
				output_failed(run);
			flushed = 1;
		}
	}
}

/* Judge a line the reading thread parsed. */
static void
judge_item(struct run *run, const char *name, const struct pipe_item *it,
    struct tokens *tk)
{
	struct output_input in;
	struct verdict v;

	memset(&in, 0, sizeof in);
	in.file = name;
	in.file_json = name == run->name ? run->name_json : NULL;
	in.line = &it->ln;
	in.msg = it->msg;
	in.msglen = it->msglen;
	in.msg_plain = it->plain;
	in.record = it->record;
	engine_judge(run->engine, in.msg, &it->pd, tk, &v);
	judged(run, &in, &v);
}

/*
 * Bytes an input stands for: its size, or four times that when it starts
 * with a gzip or zstd magic (logs shrink four to ten times).
 */
static off_t
input_weight(const char *path, const struct stat *st)
{
	unsigned char m[4];
	ssize_t n;
	int fd;

	if (st->st_size >= JOBS_MIN_BYTES)
		return st->st_size;
	fd = path == NULL ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return st->st_size;
	n = pread(fd, m, sizeof m, 0);
	if (fd != STDIN_FILENO)
		close(fd);
	return n > 0 && decompress_sniff(m, (size_t)n) != DECOMPRESS_PLAIN ?
	    st->st_size * 4 : st->st_size;
}

/*
 * Threads to use: -j, else 2 when there are two cores and every input is
 * a regular file (a pipe or terminal gets each line judged as it comes,
 * with no batch between) of JOBS_MIN_BYTES in all, else 1.  Below that
 * the second thread costs more than it saves: it starts, and the batches
 * it fills are memory touched for the first time.
 */
static int
jobs_for(const struct options *opt, char **inputs, int n)
{
	struct stat st;
	off_t total = 0;
	const char *path;
	int i;

	if (opt->omprog)
		return 1;	/* an answer for each line, as it comes */
	if (opt->jobs > 0)
		return opt->jobs;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return 1;
	for (i = 0; i < n || (n == 0 && i == 0); i++) {
		path = n == 0 || strcmp(inputs[i], "-") == 0 ? NULL : inputs[i];
		if (path == NULL ? fstat(STDIN_FILENO, &st) == -1 :
		    stat(path, &st) == -1)
			continue;	/* reported when it is read */
		if (!S_ISREG(st.st_mode))
			return 1;
		if (total < JOBS_MIN_BYTES)
			total += input_weight(path, &st);
	}
	return total >= JOBS_MIN_BYTES ? 2 : 1;
}

/*
 * filter_input() for every input, with the reading and parsing done ahead
 * in a thread of its own (pipeline.c): the same lines, judged in the same
 * order, give the same output.
 */
static int
filter_pipelined(struct run *run, char **inputs, int n)
{
	static char stdin_name[] = "-";
	static char *dash[] = { stdin_name };
	const struct options *opt = run->opt;
	const struct record *rec;
	struct pipeline_params pp;
	struct pipeline *pl;
	struct pipe_item it;
	struct tokens *tk;
	const char *name = NULL;
	char *cause = NULL;
	uint64_t size = 0;
	int warned_long = 0, regular = 0, rc = 0;

	memset(&pp, 0, sizeof pp);
	pp.paths = n > 0 ? inputs : dash;
	pp.npaths = n > 0 ? (size_t)n : 1;
	pp.engine = &opt->engine;
	pp.parse = run->recorder == NULL;	/* records are parsed whole */
	pp.json = run->jsonin != NULL;
	pp.json_field = opt->field;
	pp.json_key = opt->engine.key_is_json ? opt->engine.key : NULL;
	pp.json_only_braces = opt->input == INPUT_AUTO;
	pp.mark_plain = opt->out.format == OUTPUT_JSON && opt->out.all;
	if ((pl = pipeline_new(&pp, &cause)) == NULL)
		diag_errx(EXIT_TROUBLE, "%s", cause);
	tk = tokens_new();
	while (await_reader(run, pl), !stop_signal && !run->done &&
	    pipeline_next(pl, &it, tk)) {
		between_lines(run, 0);
		name = strcmp(pp.paths[it.input], "-") == 0 ? NULL :
		    pp.paths[it.input];
		switch (it.kind) {
		case PIPE_OPEN:
			set_input_name(run, name);
			run->streaming = opt->line_buffered || !it.regular;
			run->input_regular = it.regular;
			regular = it.regular;
			size = it.size;
			warned_long = 0;
			break;
		case PIPE_CLOSE:
			if (it.failed) {
				progress_clear(run->progress);
				diag_warnx("%s: %s",
				    name ? name : "standard input", it.err);
				rc = -1;
			}
			/* A record does not span inputs. */
			if (run->recorder != NULL && (rec =
			    recorder_flush(run->recorder)) != NULL)
				judge(run, name, NULL, rec);
			format_hint(run, 1);
			clock_hint(run, 1);
			run->bytes_before += regular ? size : it.bytes;
			run->json_malformed = it.malformed;
			run->json_missing = it.missing;
			regular = 0;
			size = 0;
			break;
		case PIPE_LINE:
			if (it.ln.truncated && !warned_long) {
				warn_long_line(run, name);
				warned_long = 1;
			}
			run->lines++;
			run->json_malformed = it.malformed;
			run->json_missing = it.missing;
			json_hint(run, name, &it.ln);
			if (run->recorder == NULL)
				judge_item(run, name, &it, tk);
			else if ((rec = recorder_push(run->recorder,
			    &it.ln)) != NULL)
				judge(run, name, NULL, rec);
			if (run->progress != NULL &&
			    it.offset != PIPE_NO_OFFSET &&
			    progress_tick(run->progress))
				progress_draw(run->progress,
				    run->bytes_before + it.offset, run->lines);
			break;
		}
	}
	/* Stopped (a signal, -q's answer): the record read so far is
	 * judged, as filter_input() does. */
	if (run->recorder != NULL && (rec = recorder_flush(run->recorder)) !=
	    NULL)
		judge(run, name, NULL, rec);
	pipeline_free(pl);
	free(tk);
	return rc;
}

static int
by_count(const void *a, const void *b)
{
	const struct template *x = ((const struct row *)a)->t;
	const struct template *y = ((const struct row *)b)->t;
	int c;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	c = strcmp(((const struct row *)a)->source != NULL ?
	    ((const struct row *)a)->source : "", ((const struct row *)b)->
	    source != NULL ? ((const struct row *)b)->source : "");
	if (c != 0)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void
print_templates(struct run *run)
{
	size_t i, k = 0, n = engine_templates(run->engine);
	struct row *rows;
	struct template *t;

	/* A template merged into another is that one's row. */
	rows = xreallocarray(NULL, n > 0 ? n : 1, sizeof *rows);
	for (i = 0; i < n; i++) {
		t = engine_template(run->engine, i);
		if (t->merged == NULL) {
			rows[k].t = t;
			rows[k++].source = engine_template_source(run->engine,
			    i);
		}
	}
	qsort(rows, k, sizeof *rows, by_count);
	for (i = 0; i < k; i++)
		output_template(run->out, &run->opt->out, rows[i].t,
		    rows[i].source);
	free(rows);
}

/* Say how many lines JSON lines input could not use as intended. */
static void
report_json(struct run *run)
{
	uint64_t bad, missing;

	/* A misspelt --key would make one source of all: say so. */
	if (run->json_keyless > 0)
		diag_warnx("%llu JSON line%s no %s to key by (--key): judged "
		    "as source '-'", (unsigned long long)run->json_keyless,
		    run->json_keyless == 1 ? " had" : "s had",
		    run->opt->engine.key);
	if (run->jsonin == NULL || run->summary != NULL)
		return;		/* the summary tells */
	bad = run->pipelined ? run->json_malformed :
	    jsonin_malformed(run->jsonin);
	missing = run->pipelined ? run->json_missing :
	    jsonin_missing(run->jsonin);
	if (bad > 0)
		diag_warnx("%llu %s: judged as plain text",
		    (unsigned long long)bad, bad == 1 ?
		    "line was not a JSON object" :
		    "lines were not JSON objects");
	if (missing > 0)
		diag_warnx("%llu JSON line%s no text in a %s field: judged "
		    "whole", (unsigned long long)missing,
		    missing == 1 ? " had" : "s had", run->opt->field != NULL ?
		    run->opt->field : "log, message, msg or MESSAGE");
}

/* A template dropped to stay within bounds leaves the summary too. */
static void
forget_template(void *arg, const struct template *t)
{
	struct run *run = arg;

	if (run->summary != NULL)
		summary_forget(run->summary, t->serial);
}

/* The summary is for the person at the terminal: standard error.  It was
 * asked for, so one that cannot be written is an error (exit 2). */
static void
print_summary(struct run *run)
{
	struct summary_extra extra;
	struct outbuf *o;

	memset(&extra, 0, sizeof extra);
	if (run->jsonin != NULL) {
		extra.json = 1;
		extra.malformed = run->pipelined ? run->json_malformed :
		    jsonin_malformed(run->jsonin);
		extra.missing = run->pipelined ? run->json_missing :
		    jsonin_missing(run->jsonin);
		extra.field = run->opt->field;
	}
	o = outbuf_new(STDERR_FILENO);
	summary_print(run->summary, o, run->engine, &extra, run->opt->ascii);
	if (outbuf_flush(o) == -1) {
		/* Told there too, where a closed pipe or a full disk may
		 * well swallow it: the exit status is what tells. */
		if (outbuf_error(o) != EPIPE)
			diag_warnx("standard error: %s",
			    strerror(outbuf_error(o)));
		run->status_error = 1;
	}
	outbuf_free(o);
}

/*
 * An input that is the output itself, as in "aiopsfilter f >> f", would
 * read back what it prints and never end: like grep, leave it out with
 * an error.  Standard input stands in when there are no inputs.  Returns
 * how many inputs are left; *none says nothing is left to read.
 */
static int
drop_own_output(int outfd, char **inputs, int n, int *none)
{
	struct stat out, st;
	const char *path;
	int i, k = 0, is_stdin;

	*none = 0;
	if (fstat(outfd, &out) == -1 || !S_ISREG(out.st_mode))
		return n;
	for (i = 0; i < (n > 0 ? n : 1); i++) {
		path = n > 0 ? inputs[i] : "-";
		is_stdin = strcmp(path, "-") == 0;
		if ((is_stdin ? fstat(STDIN_FILENO, &st) : stat(path, &st)) ==
		    0 && S_ISREG(st.st_mode) && st.st_dev == out.st_dev &&
		    st.st_ino == out.st_ino) {
			diag_warnx("%s: input file is also the output",
			    is_stdin ? "standard input" : path);
			continue;
		}
		if (n > 0)
			inputs[k++] = inputs[i];
		else
			k = 1;
	}
	*none = k == 0;
	return n > 0 ? k : 0;
}

/*
 * The output (--output-file, or standard output when fd is it) must not be
 * the state or a file beside it that a save makes: records appended to it
 * would be lost at the next save (or make the state unreadable), while the
 * run reports success.  Exits 2, after removing the output file if the
 * open created it.
 */
static void
check_not_state(const struct options *opt, int fd, int created)
{
	static const struct {
		const char	*suffix;
		const char	*what;
	} files[] = {
		{ "", "the state" },
		{ ".lock", "the state's .lock file" },
		{ ".tmp", "the state's .tmp file" },
	};
	struct stat out, st;
	char *path;
	size_t i;
	int same;

	if (opt->state == NULL || fstat(fd, &out) == -1)
		return;
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		xasprintf(&path, "%s%s", opt->state, files[i].suffix);
		same = stat(path, &st) == 0 && st.st_dev == out.st_dev &&
		    st.st_ino == out.st_ino;
		free(path);
		if (!same)
			continue;
		if (opt->output_file == NULL)
			diag_errx(EXIT_TROUBLE, "%s: standard output is %s",
			    opt->state, files[i].what);
		if (created)
			unlink(opt->output_file);	/* as it was */
		diag_errx(EXIT_TROUBLE, "%s: the output file is %s",
		    opt->output_file, files[i].what);
	}
}

/*
 * A standard descriptor the caller closed would be taken by the next file
 * opened, and records or warnings written into it (the state's lock, the
 * output file).  Each is held by /dev/null opened the wrong way round, so
 * that using it fails with EBADF as the closed one would have.
 */
static void
open_standard_fds(void)
{
	int fd;

	/* Lowest first: open() takes the lowest free descriptor. */
	for (fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF &&
		    open("/dev/null", fd == STDIN_FILENO ? O_WRONLY :
		    O_RDONLY) == -1)
			diag_err(EXIT_TROUBLE, "/dev/null");
}

/*
 * --color=auto: standard output is a terminal that can show colour, and
 * the user has not asked for none (NO_COLOR, no-color.org).
 */
static int
color_wanted(void)
{
	const char *term = getenv("TERM"), *no = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && (no == NULL || *no == '\0') &&
	    term != NULL && strcmp(term, "dumb") != 0;
}

int
main(int argc, char **argv)
{
	struct options opt;
	struct run run;
	char *cause = NULL;
	int i, first, n, none, status, created;

	open_standard_fds();
	first = options_parse(argc, argv, &opt);
	if (opt.filename == -1)
		opt.out.with_filename = argc - first > 1;
	else
		opt.out.with_filename = opt.filename;

	memset(&run, 0, sizeof run);
	run.opt = &opt;
	opt.engine.forget = forget_template;
	opt.engine.forget_arg = &run;
	if ((run.engine = engine_new(&opt.engine, &cause)) == NULL)
		diag_errx(EXIT_TROUBLE, "%s", cause);
	/* Before the state, which may take a while to load: a signal then
	 * ends the run as one at any other time does. */
	setup_signals(opt.output_file != NULL || opt.state != NULL);
	load_state(&run);
	if (opt.input != INPUT_TEXT) {
		run.jsonin = jsonin_new(opt.field, opt.engine.key_is_json ?
		    opt.engine.key : NULL, opt.input == INPUT_AUTO,
		    &cause);
		if (run.jsonin == NULL)
			diag_errx(EXIT_TROUBLE, "%s", cause);
	}
	if (opt.output_file != NULL) {
		created = access(opt.output_file, F_OK) == -1;
		if ((run.outfile = outfile_open(opt.output_file,
		    &stop_signal, &cause)) == NULL) {
			/* Stopped while a FIFO waited for its reader. */
			if (stop_signal) {
				state_unlock(run.lock);
				end_by_signal();
			}
			diag_errx(EXIT_TROUBLE, "%s", cause);
		}
		run.out = outbuf_new(outfile_fd(run.outfile));
		check_not_state(&opt, outfile_fd(run.outfile), created);
	} else {
		run.out = outbuf_new(STDOUT_FILENO);
		check_not_state(&opt, STDOUT_FILENO, 0);
	}
	/* Records to a terminal show as they are found, as grep's do, even
	 * from a file: someone is reading them. */
	run.flush_each = opt.line_buffered || (opt.output_file == NULL &&
	    isatty(STDOUT_FILENO));
	outbuf_set_stop(run.out, &stop_signal);
	if (opt.color == -1)
		opt.color = opt.output_file == NULL && color_wanted();
	opt.out.color = opt.color && opt.out.format == OUTPUT_TEXT;
	if (opt.summary)
		run.summary = summary_new();
	if (opt.record.mode != RECORD_LINES &&
	    (run.recorder = recorder_new(&opt.record, &cause)) == NULL)
		diag_errx(EXIT_TROUBLE, "%s", cause);
	if ((opt.present.context || opt.incidents) && !opt.quiet &&
	    !opt.templates)
		run.present = present_new(run.out, &opt.out, &opt.present);
	n = drop_own_output(run.outfile != NULL ? outfile_fd(run.outfile) :
	    STDOUT_FILENO, argv + first, argc - first, &none);
	if (n < argc - first || none)
		run.status_error = 1;
	start_progress(&run, argv + first, n);
	if (opt.omprog)
		confirm(&run);

	if (none)
		;	/* every input was the output */
	else if (jobs_for(&opt, argv + first, n) > 1) {
		run.pipelined = 1;
		if (filter_pipelined(&run, argv + first, n) == -1)
			run.status_error = 1;
	} else {
		if (n == 0 && filter_input(&run, "-") == -1)
			run.status_error = 1;
		for (i = 0; i < n && !stop_signal && !run.done; i++)
			if (filter_input(&run, argv[first + i]) == -1)
				run.status_error = 1;
	}
	/* Saved as the input left it, before the end closes its bursts:
	 * a run that loads it goes on as this one would have, and tells
	 * the bursts still open and the window's held findings, once. */
	run.finishing = 1;
	save_state(&run);
	engine_finish(run.engine, run.state_exists && !run.save_failed &&
	    !opt.no_learn);
	print_events(&run);
	if (run.present != NULL)
		printed(&run, present_finish(run.present));
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
	else if (opt.learn_only)
		status = EXIT_FLAGGED;	/* learned and saved */
	else if (opt.templates)
		status = engine_templates(run.engine) > 0 ? EXIT_FLAGGED :
		    EXIT_NONE;
	else	/* like grep: 0 when a line was selected for printing */
		status = run.flagged > 0 || run.printed > 0 ? EXIT_FLAGGED :
		    EXIT_NONE;
	present_free(run.present);
	recorder_free(run.recorder);
	outbuf_free(run.out);
	summary_free(run.summary);
	progress_free(run.progress);
	outfile_close(run.outfile);
	jsonin_free(run.jsonin);
	engine_free(run.engine);
	state_unlock(run.lock);
	free(run.input_desc);
	free(run.name_json);
	free(opt.masks);
	free(opt.state_target);
	conffile_free(opt.conf);	/* last: option strings point into it */
	end_by_signal();
	return status;
}
