/*
 * fuzz_line: the whole line path on arbitrary bytes.  The first three
 * bytes choose a configuration as the command line would: a header
 * format (detection, none, presets, a Loghub format, a regex), user
 * masks, JSON lines input and its field, delimiters, window scale and
 * tree limits, scoring and output options.  The rest goes through the
 * line reader from a memory source in chunks of a chosen size, and each
 * line is judged by an engine as main.c judges it; every verdict and
 * every record of its own is printed in text, JSON and logfmt, each
 * template's text rendered, and the summary drawn.  Besides ASan and
 * UBSan, it checks what the output promises: every JSON record is one
 * valid JSON object whatever the input held.
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
#include "jsonin.h"
#include "outbuf.h"
#include "output.h"
#include "reader.h"
#include "summary.h"
#include "template.h"

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
	if (size > 0 && pread(json_fd, buf, (size_t)size, 0) != size)
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

static void
print_all(struct outbuf *const out[3], struct output_opts opts[3],
    const struct output_input *in, const struct verdict *v)
{
	int i;

	for (i = 0; i < 3; i++)
		output_line(out[i], &opts[i], in, v);
}

static void
print_events(struct engine *e, struct outbuf *const out[3],
    struct output_opts opts[3])
{
	struct score_event ev;
	int i;

	while (engine_event(e, &ev))
		for (i = 0; i < 3; i++)
			output_event(out[i], &opts[i], &ev,
			    engine_ticks_are_lines(e));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct engine_params p;
	struct output_opts opts[3];
	struct outbuf *out[3];
	struct engine *e;
	struct jsonin *jin = NULL;
	struct summary *sum;
	struct summary_extra extra;
	struct reader_source src;
	struct reader *rd;
	struct memsrc ms;
	struct line ln;
	struct output_input in;
	struct verdict v;
	char *cause = NULL;
	size_t i, n, tlen;
	uint8_t c0, c1, c2;
	int r, fmt;

	if (size < 3)
		return 0;
	if (json_fd == -1) {
		if ((json_fd = memfd_create("fuzz_line", 0)) == -1 ||
		    (null_fd = open("/dev/null", O_WRONLY)) == -1)
			abort();
	}
	c0 = data[0];
	c1 = data[1];
	c2 = data[2];
	data += 3;
	size -= 3;

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
	if (c1 & 0x40) {
		jin = jsonin_new((c1 & 0x80) ? "kubernetes.msg" : NULL,
		    (c2 & 0x01) != 0, &cause);
		if (jin == NULL)
			abort();
	}
	p.scorer.silence = (c2 & 0x02) != 0;
	if (c2 & 0x04)
		p.scorer.threshold = 0;
	if (c2 & 0x08)
		p.scorer.max_alerts = 1;
	if (c2 & 0x10)
		p.warmup = 3;
	if (c2 & 0x20)
		p.scorer.severity_weight = 0;

	if ((e = engine_new(&p, &cause)) == NULL) {
		fprintf(stderr, "engine_new: %s\n", cause);
		abort();
	}
	engine_set_live(e, (c2 & 0x40) != 0);
	for (i = 0; i < 3; i++) {
		memset(&opts[i], 0, sizeof opts[i]);
		opts[i].format = i == 0 ? OUTPUT_TEXT : i == 1 ? OUTPUT_JSON :
		    OUTPUT_LOGFMT;
		opts[i].all = (c2 & 0x80) != 0;
		opts[i].explain = (c2 & 0x80) == 0 || (c1 & 0x04);
		opts[i].with_filename = (c1 & 0x08) != 0;
		out[i] = outbuf_new(i == 1 ? json_fd : null_fd);
	}
	sum = summary_new();

	ms.p = data;
	ms.len = size;
	ms.off = 0;
	ms.chunk = (c1 & 0x0c) == 0x0c ? 7 : 0;
	memset(&src, 0, sizeof src);
	src.read = memsrc_read;
	src.ctx = &ms;
	rd = reader_new_source(&src);
	while ((r = reader_next(rd, &ln)) == 1) {
		in.file = (c1 & 0x08) ? "app \"1\".log" : NULL;
		in.line = &ln;
		in.msg = ln.text;
		in.msglen = ln.len;
		in.record = 0;
		if (jin != NULL && jsonin_message(jin, ln.text, ln.len,
		    &in.msg, &in.msglen) != -1)
			in.record = 1;
		engine_line(e, in.msg, in.msglen, &v);
		if (v.line == 0 || (v.content.len > 0 &&
		    (v.content.p < in.msg ||
		    v.content.p + v.content.len > in.msg + in.msglen)))
			abort();
		if (v.tmpl != NULL)
			(void)template_text(v.tmpl, &tlen);
		summary_line(sum, &v);
		print_all(out, opts, &in, &v);
		print_events(e, out, opts);
	}
	if (r != 0)
		abort();
	reader_free(rd);

	engine_finish(e);
	print_events(e, out, opts);
	engine_fold_merged(e);
	n = engine_templates(e);
	for (i = 0; i < n; i++) {
		struct template *t = engine_template(e, i);

		(void)template_text(t, &tlen);
		output_template(out[0], &opts[0], t);
		output_template(out[1], &opts[1], t);
		output_template(out[2], &opts[2], t);
	}
	memset(&extra, 0, sizeof extra);
	if (jin != NULL) {
		extra.json = 1;
		extra.malformed = jsonin_malformed(jin);
		extra.missing = jsonin_missing(jin);
		extra.field = (c1 & 0x80) ? "kubernetes.msg" : NULL;
	}
	summary_print(sum, out[0], e, &extra, (c2 & 0x01) != 0);
	check_json_output(out[1]);

	for (i = 0; i < 3; i++) {
		outbuf_flush(out[i]);
		outbuf_free(out[i]);
	}
	summary_free(sum);
	jsonin_free(jin);
	engine_free(e);
	return 0;
}
