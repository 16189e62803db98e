/*
 * fuzz_line: the whole line path on arbitrary bytes.  The first four
 * bytes choose a configuration as the command line would: a header
 * format (detection, none, presets, a Loghub format, a regex), user
 * masks, JSON lines input with its field and a source key, --key on
 * text, multi-line records, context and incidents, delimiters, window
 * scale and tree limits, scoring and output options, and whether lines
 * are parsed apart from judging as -j does.  The rest goes through the
 * line reader from a memory source in chunks of a chosen size, and each
 * line (or record) is judged by an engine as main.c judges it; every
 * verdict and every record of its own is printed in text, JSON and
 * logfmt, each template's text rendered, and the summary drawn.  Besides
 * ASan and UBSan, it checks what the output promises: every JSON record
 * is one valid JSON object whatever the input held.
 *
 * A seed's first four bytes are its configuration: a zero fourth byte
 * is one source, a line a record, no context, no incidents.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <unistd.h>

#include "engine.h"
#include "incident.h"
#include "jsonin.h"
#include "outbuf.h"
#include "output.h"
#include "parser.h"
#include "present.h"
#include "reader.h"
#include "record.h"
#include "summary.h"
#include "template.h"
#include "tokenize.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const formats[] = {
	NULL,			/* header detection */
	"none",
	"syslog",
	"<Date> <Time> <Level> <Component>: <Content>",
	"iso8601",
	NULL,			/* the regex below */
	NULL,			/* a preset chosen by another bit */
	"<Month> <Day> <Time> <Host> <Component>(\\[<PID>\\])?: <Content>",
};
static const char *const more_presets[] = {
	"rfc5424", "nginx", "apache", "journal"
};
static const char format_regex[] =
    "^(?<time>\\S+ \\S+) (?<level>[A-Za-z]+) (?:(?<status>\\d{3}) )?"
    "(?<content>.*)$";
/* Lines that start a record with --record-start. */
static const char record_start[] =
    "^(\\d{4}-\\d\\d-\\d\\d|[A-Z][a-z]{2} [ \\d]\\d|\\[|\\{|<\\d+>)";
static const char *const masks[] = {
	"SESS=sess-[0-9a-f]+",
	"REQ=req(uest)?[-_ ]id[=:] ?\\w+",
};

/* Bytes from the fuzzer's buffer, handed out by the reader's read(). */
struct memsrc {
	const uint8_t	*p;
	size_t		 len, off, chunk;
};

static ssize_t
memsrc_read(void *ctx, char *buf, size_t len)
{
	struct memsrc *m = ctx;
	size_t n = m->len - m->off;

	if (n > len)
		n = len;
	if (m->chunk > 0 && n > m->chunk)
		n = m->chunk;
	memcpy(buf, m->p + m->off, n);
	m->off += n;
	return (ssize_t)n;
}

static int	json_fd = -1;
static int	null_fd = -1;

/* Every line the JSON outbuf wrote must be one JSON object. */
static void
check_json_output(struct outbuf *o)
{
	static char *buf;
	static size_t cap;
	off_t size;
	char *p, *nl, *end;

	if (outbuf_flush(o) == -1)
		abort();
	if ((size = lseek(json_fd, 0, SEEK_END)) < 0)
		abort();
	if ((size_t)size > cap) {
		cap = (size_t)size;
		if ((buf = realloc(buf, cap)) == NULL)
			abort();
	}
	if (size == 0)
		return;		/* nothing printed (and buf may be NULL) */
	if (pread(json_fd, buf, (size_t)size, 0) != size)
		abort();
	for (p = buf, end = buf + size; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			fprintf(stderr, "JSON output without a newline\n");
			abort();
		}
		if (json_find(p, (size_t)(nl - p), NULL, 0, NULL) != 0) {
			fprintf(stderr, "invalid JSON record: %.*s\n",
			    (int)(nl - p), p);
			abort();
		}
	}
	if (ftruncate(json_fd, 0) == -1 || lseek(json_fd, 0, SEEK_SET) != 0)
		abort();
}

/* One run's configuration and state, as main.c's struct run. */
struct fuzz_run {
	struct engine		*engine;
	struct parser		*parser;	/* parse apart, as -j does */
	struct tokens		*tk;		/* ... into these */
	struct jsonin		*jsonin;
	struct recorder		*recorder;
	struct presenter	*present[3];
	struct summary		*summary;
	struct output_opts	 opts[3];
	struct outbuf		*out[3];
	const char		*file;
	uint64_t		 last_line;
};

/* Print the records of their own the engine has, as main.c does. */
static void
print_events(struct fuzz_run *run)
{
	struct score_event ev;
	const char *source;
	int i, lines = engine_ticks_are_lines(run->engine);

	while (engine_event(run->engine, &ev, &source)) {
		if (ev.kind != KIND_HELD && ev.tmpl == NULL)
			abort();
		for (i = 0; i < 3; i++) {
			if (run->present[i] != NULL)
				(void)present_event(run->present[i], &ev,
				    source, lines);
			else
				output_event(run->out[i], &run->opts[i], &ev,
				    source, lines);
		}
	}
}

/*
 * What main.c's judged() does with a verdict, after checking what the
 * engine promises: line numbers that grow, content inside what was
 * judged (base[0..len)).
 */
static void
judged(struct fuzz_run *run, struct output_input *in,
    const struct verdict *v, const char *base, size_t len)
{
	size_t tlen;
	int i;

	if (v->line <= run->last_line || (v->content.len > 0 &&
	    (v->content.p < base || v->content.p + v->content.len >
	    base + len)))
		abort();
	run->last_line = v->line;
	if (v->tmpl != NULL)
		(void)template_text(v->tmpl, &tlen);
	summary_line(run->summary, v);
	for (i = 0; i < 3; i++) {
		if (run->present[i] != NULL)
			(void)present_record(run->present[i], in, v);
		else if (v->flagged || run->opts[i].all)
			output_line(run->out[i], &run->opts[i], in, v);
	}
	print_events(run);
}

/* main.c's judge(): a line, or a multi-line record. */
static void
judge(struct fuzz_run *run, const struct line *ln, const struct record *rec)
{
	struct output_input in;
	struct line first;
	struct parsed pd;
	struct verdict v;
	struct json_record jr;

	memset(&in, 0, sizeof in);
	in.file = run->file;
	if (rec != NULL) {
		if (rec->nlines < 1 || rec->first_len > rec->len ||
		    rec->siglen > RECORD_SIG_MAX)
			abort();
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
		judged(run, &in, &v, rec->text, rec->first_len);
		return;
	}
	in.line = ln;
	in.msg = ln->text;
	in.msglen = ln->len;
	if (run->jsonin != NULL && jsonin_message(run->jsonin, ln->text,
	    ln->len, &jr) != -1) {
		in.record = 1;
		if (jr.msg.p != NULL) {
			in.msg = jr.msg.p;
			in.msglen = jr.msg.len;
		}
	}
	if (run->parser == NULL)
		engine_line(run->engine, in.msg, in.msglen,
		    in.record ? &jr : NULL, &v);
	else {
		/* pipeline.c's parse, then main.c's judge_item(). */
		parser_line(run->parser, in.msg, in.msglen, &pd, run->tk);
		if (in.record)
			parser_record(run->parser, &jr, &pd);
		engine_judge(run->engine, in.msg, &pd, run->tk, &v);
	}
	judged(run, &in, &v, in.msg, in.msglen);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct engine_params p;
	struct record_params rp;
	struct present_params pp;
	struct incident_params ip;
	struct fuzz_run run;
	struct summary_extra extra;
	struct reader_source src;
	const struct record *rec;
	struct reader *rd;
	struct memsrc ms;
	struct line ln;
	const char *field = NULL, *key = NULL;
	char *cause = NULL;
	size_t i, n, tlen;
	uint8_t c0, c1, c2, c3;
	int r, fmt;

	if (size < 4)
		return 0;
	if (json_fd == -1) {
		if ((json_fd = memfd_create("fuzz_line", 0)) == -1 ||
		    (null_fd = open("/dev/null", O_WRONLY)) == -1)
			abort();
	}
	c0 = data[0];
	c1 = data[1];
	c2 = data[2];
	c3 = data[3];
	data += 4;
	size -= 4;

	memset(&run, 0, sizeof run);
	memset(&p, 0, sizeof p);
	p.drain.depth = DRAIN_DEFAULT_DEPTH;
	p.drain.similarity = DRAIN_DEFAULT_SIMILARITY;
	p.drain.max_children = DRAIN_DEFAULT_MAX_CHILDREN;
	p.drain.variable_words = DRAIN_DEFAULT_VARIABLE_WORDS;
	p.scorer.threshold = SCORE_DEFAULT_THRESHOLD;
	p.scorer.max_alerts = SCORE_DEFAULT_MAX_ALERTS;
	p.scorer.severity_weight = 1;
	p.window_unit = WINDOW_AUTO;
	p.learn = 1;
	p.detect_header = 1;

	fmt = c0 & 7;
	p.format = formats[fmt];
	if (fmt == 5)
		p.format_regex = format_regex;
	else if (fmt == 6)
		p.format = more_presets[(c0 >> 3) & 3];
	if (c0 & 0x20) {
		p.masks = masks;
		p.nmasks = (c0 & 0x40) ? 2 : 1;
	}
	if (c0 & 0x80)
		p.delimiters = "=,:;|";

	switch (c1 & 3) {
	case 0:
		break;
	case 1:		/* small windows in lines: bursts, halving */
		p.window_unit = WINDOW_LINES;
		p.window = 8;
		p.horizon = 32;
		p.horizon_lines = 1;
		break;
	case 2:		/* windows in seconds: event time, or the clock */
		p.window_unit = WINDOW_SECONDS;
		p.window = 10;
		p.horizon = 60;
		break;
	case 3:		/* a crowded tree */
		p.drain.depth = 3 + (c1 >> 2 & 3);
		p.drain.max_children = 2;
		p.drain.variable_words = 2;
		p.drain.similarity = 0.9;
		break;
	}
	if ((c1 & 0x10) && (c1 & 3) != 0 && (c1 & 3) != 3) {
		p.repeat = 3;
		p.repeat_set = 1;
	}
	p.drain.show_class = (c1 & 0x20) != 0;
	if (c1 & 0x40)
		field = (c1 & 0x80) ? "kubernetes.msg" : NULL;
	/* --key: a field of the JSON record, else of the header. */
	switch (c3 & 3) {
	case 0:
		break;
	case 1:
		key = "host";
		break;
	case 2:
		if (c1 & 0x40)
			key = "kubernetes.pod_name";
		else
			key = fmt == 3 || fmt == 7 ? "Component" : "source";
		break;
	case 3:
		key = "source";
		break;
	}
	p.key = key;
	p.key_is_json = key != NULL && (c1 & 0x40);
	if (c3 & 0x80)
		p.max_sources = 2;	/* evicting */
	p.scorer.silence = (c2 & 0x02) != 0;
	if (c2 & 0x04)
		p.scorer.threshold = 0;
	if (c2 & 0x08)
		p.scorer.max_alerts = 1;
	if (c2 & 0x10)
		p.warmup = 3;
	if (c2 & 0x20)
		p.scorer.severity_weight = 0;
	/* As options.c: times are read for JSON and logfmt records, the
	 * summary and incidents; here for text alone too. */
	p.need_time = (c3 & 0x40) == 0;
	for (i = 0; i < 3; i++) {
		memset(&run.opts[i], 0, sizeof run.opts[i]);
		run.opts[i].format = i == 0 ? OUTPUT_TEXT : i == 1 ?
		    OUTPUT_JSON : OUTPUT_LOGFMT;
		run.opts[i].all = (c2 & 0x80) != 0;
		run.opts[i].explain = (c2 & 0x80) == 0 || (c1 & 0x04);
		run.opts[i].with_filename = (c1 & 0x08) != 0;
	}
	if (c2 & 0x80) {
		p.scorer.max_alerts = 0;
		p.scorer.exact = 1;
	}

	/* Multi-line records need text input, as options.c has it. */
	memset(&rp, 0, sizeof rp);
	if (!(c1 & 0x40) && (c3 & 0x0c) != 0) {
		rp.mode = (c3 & 0x0c) == 0x08 ? RECORD_REGEX : RECORD_AUTO;
		rp.start = rp.mode == RECORD_REGEX ? record_start : NULL;
		rp.format = p.format;
		rp.format_regex = p.format_regex;
		for (i = 0; i < 3; i++)
			run.opts[i].multiline = 1;
		if ((run.recorder = recorder_new(&rp, &cause)) == NULL) {
			fprintf(stderr, "recorder_new: %s\n", cause);
			abort();
		}
	}
	if ((run.engine = engine_new(&p, &cause)) == NULL &&
	    key != NULL && !p.key_is_json) {
		/* A key the format lacks: main.c refuses the options; go on
		 * without it rather than lose the input. */
		free(cause);
		cause = NULL;
		key = p.key = NULL;
		run.engine = engine_new(&p, &cause);
	}
	if (run.engine == NULL) {
		fprintf(stderr, "engine_new: %s\n", cause);
		abort();
	}
	if ((c2 & 0x40) && run.recorder == NULL) {
		if ((run.parser = parser_new(&p, &cause)) == NULL) {
			fprintf(stderr, "parser_new: %s\n", cause);
			abort();
		}
		run.tk = tokens_new();
	}
	if (c1 & 0x40) {
		run.jsonin = jsonin_new(field, p.key_is_json ? key : NULL,
		    (c2 & 0x01) != 0, &cause);
		if (run.jsonin == NULL)
			abort();
	}
	for (i = 0; i < 3; i++)
		run.out[i] = outbuf_new(i == 1 ? json_fd : null_fd);
	memset(&ip, 0, sizeof ip);
	memset(&pp, 0, sizeof pp);
	if (c3 & 0x10) {	/* -B 2 -A 1 */
		pp.before = 2;
		pp.after = 1;
		pp.context = 1;
	}
	if (c3 & 0x20) {	/* --incidents, by lines with small windows */
		if ((c1 & 3) == 1) {
			ip.gap = 5;
			ip.gap_lines = 1;
		}
		pp.incidents = &ip;
	}
	if (pp.context || pp.incidents != NULL)
		for (i = 0; i < 3; i++)
			run.present[i] = present_new(run.out[i], &run.opts[i],
			    &pp);
	run.summary = summary_new();
	run.file = (c1 & 0x08) ? "app \"1\".log" : NULL;

	ms.p = data;
	ms.len = size;
	ms.off = 0;
	ms.chunk = (c1 & 0x0c) == 0x0c ? 7 : 0;
	memset(&src, 0, sizeof src);
	src.read = memsrc_read;
	src.ctx = &ms;
	rd = reader_new_source(&src);
	while ((r = reader_next(rd, &ln)) == 1) {
		if (run.recorder == NULL)
			judge(&run, &ln, NULL);
		else if ((rec = recorder_push(run.recorder, &ln)) != NULL)
			judge(&run, NULL, rec);
	}
	if (r != 0)
		abort();
	reader_free(rd);
	/* A record does not span inputs. */
	if (run.recorder != NULL && (rec = recorder_flush(run.recorder)) !=
	    NULL)
		judge(&run, NULL, rec);
	if (run.recorder != NULL && recorder_pending(run.recorder))
		abort();

	engine_finish(run.engine, 0);
	print_events(&run);
	for (i = 0; i < 3; i++)
		if (run.present[i] != NULL)
			(void)present_finish(run.present[i]);
	engine_fold_merged(run.engine);
	n = engine_templates(run.engine);
	for (i = 0; i < n; i++) {
		struct template *t = engine_template(run.engine, i);
		const char *source = engine_template_source(run.engine, i);

		if ((key == NULL) != (source == NULL))
			abort();
		(void)template_text(t, &tlen);
		output_template(run.out[0], &run.opts[0], t, source);
		output_template(run.out[1], &run.opts[1], t, source);
		output_template(run.out[2], &run.opts[2], t, source);
	}
	memset(&extra, 0, sizeof extra);
	if (run.jsonin != NULL) {
		extra.json = 1;
		extra.malformed = jsonin_malformed(run.jsonin);
		extra.missing = jsonin_missing(run.jsonin);
		extra.field = field;
	}
	summary_print(run.summary, run.out[0], run.engine, &extra,
	    (c2 & 0x01) != 0);
	check_json_output(run.out[1]);

	for (i = 0; i < 3; i++) {
		present_free(run.present[i]);
		outbuf_flush(run.out[i]);
		outbuf_free(run.out[i]);
	}
	summary_free(run.summary);
	recorder_free(run.recorder);
	jsonin_free(run.jsonin);
	parser_free(run.parser);
	free(run.tk);
	engine_free(run.engine);
	return 0;
}
