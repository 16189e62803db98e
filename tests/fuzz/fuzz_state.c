/*
 * fuzz_state: the state-file loader on arbitrary bytes.  The input is a
 * configuration byte, then a state file (state.c describes it).  The
 * file is loaded with state_load() into a new engine made as main.c
 * makes one for that configuration, its content length set from the
 * input's and its checksum not checked, so that mutations reach the
 * parsers behind them.  A state the loader accepts is then used: lines
 * are judged with it and their records printed, the input ended; then it
 * is encoded, and that must load again, checksum and all, and encode to
 * the same bytes.  Whatever a loader accepts, the code after it must
 * survive.
 *
 * Most of a state is zeros (sub-window counts, empty value bins) that
 * the fuzzer should not have to write byte by byte, so the file is
 * run-length coded: RLE_MARK and a little-endian u32 n stand for n zero
 * bytes; any other byte is itself.  tests/fuzz/make-state-seeds writes
 * seeds so coded from states the program saved.
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "outbuf.h"
#include "output.h"
#include "reader.h"
#include "sbuf.h"
#include "score.h"
#include "state.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define RLE_MARK	"\xffRLE"
#define RLE_MARK_LEN	4
#define DECODED_MAX	(1u << 20)	/* far more than the seeds */
#define HEADER_LEN	32		/* state.c's file header */

/*
 * The configurations, chosen by the first byte, and the options that
 * make the same with the program (for make-state-seeds): what shapes a
 * model (format, key, window) must match the file's parameters.
 */
static const struct config {
	const char	*format;
	const char	*key;
	enum window_unit unit;
	double		 window;
} configs[] = {
	{ NULL, NULL, WINDOW_AUTO, 0 },				/* (none) */
	{ NULL, NULL, WINDOW_LINES, 10 },			/* --window 10l */
	{ "<Date> <Time> <Level> <Host>: <Content>", "Host",	/* -f ... */
	    WINDOW_SECONDS, 30 },				/* --key Host */
};
#define NCONFIGS	(sizeof configs / sizeof configs[0])

static const char *const lines[] = {
	"2026-11-26 10:00:00 INFO web1: GET /api/users/43 200 15ms",
	"2026-11-26 10:00:01 INFO web2: user bob logged in from 10.0.0.2",
	"2026-11-26 10:00:01 ERROR db1: worker 8 finished job 12 in 99999 ms",
	"2026-11-26 10:00:02 WARN web1: disk /dev/sdb1 at 99% capacity",
	"2026-11-26 10:00:02 INFO web1: GET /api/users/44 500 3012ms",
	"2026-11-26 10:00:03 INFO web1: GET /api/users/44 500 3012ms",
	"2026-11-26 10:00:03 INFO web1: GET /api/users/44 500 3012ms",
	"2026-11-26 10:09:00 INFO web2: connection reset by peer",
	"2026-11-26 10:09:00 ERROR web2: a line never seen before",
};
#define NLINES	(sizeof lines / sizeof lines[0])

static int	null_fd = -1;

static void
params_for(const struct config *c, struct engine_params *p)
{
	memset(p, 0, sizeof *p);
	p->drain.depth = DRAIN_DEFAULT_DEPTH;
	p->drain.similarity = DRAIN_DEFAULT_SIMILARITY;
	p->drain.max_children = DRAIN_DEFAULT_MAX_CHILDREN;
	p->drain.variable_words = DRAIN_DEFAULT_VARIABLE_WORDS;
	p->scorer.threshold = SCORE_DEFAULT_THRESHOLD;
	p->scorer.max_alerts = SCORE_DEFAULT_MAX_ALERTS;
	p->scorer.severity_weight = 1;
	p->learn = 1;
	p->detect_header = 1;
	p->need_time = 1;
	p->repeat = -1;
	p->format = c->format;
	p->key = c->key;
	p->window_unit = c->unit;
	p->window = c->window;
}

/* Undo the run-length coding into a buffer of its own. */
static uint8_t *
decode(const uint8_t *p, size_t n, size_t *lenp)
{
	uint8_t *b = xmalloc(DECODED_MAX);
	size_t len = 0, z, i = 0;

	while (i < n && len < DECODED_MAX) {
		if (n - i >= RLE_MARK_LEN + 4 &&
		    memcmp(p + i, RLE_MARK, RLE_MARK_LEN) == 0) {
			i += RLE_MARK_LEN;
			z = (size_t)p[i] | (size_t)p[i + 1] << 8 |
			    (size_t)p[i + 2] << 16 | (size_t)p[i + 3] << 24;
			i += 4;
			if (z > DECODED_MAX - len)
				z = DECODED_MAX - len;
			memset(b + len, 0, z);
			len += z;
		} else
			b[len++] = p[i++];
	}
	*lenp = len;
	return b;
}

/* Judge the fixed lines and print all there is to print, in JSON. */
static void
use(struct engine *e)
{
	struct output_opts opt;
	struct output_input in;
	struct score_event ev;
	struct verdict v;
	struct outbuf *o;
	struct line ln;
	const char *source;
	size_t i;

	memset(&opt, 0, sizeof opt);
	opt.format = OUTPUT_JSON;
	opt.explain = 1;
	o = outbuf_new(null_fd);
	for (i = 0; i < NLINES; i++) {
		engine_line(e, lines[i], strlen(lines[i]), NULL, &v);
		memset(&ln, 0, sizeof ln);
		ln.text = (char *)(uintptr_t)lines[i];	/* only read */
		ln.len = strlen(lines[i]);
		memset(&in, 0, sizeof in);
		in.line = &ln;
		in.msg = lines[i];
		in.msglen = ln.len;
		output_line(o, &opt, &in, &v);
		while (engine_event(e, &ev, &source))
			output_event(o, &opt, &ev, source, 0);
	}
	engine_finish(e, 0);
	while (engine_event(e, &ev, &source))
		output_event(o, &opt, &ev, source, 0);
	(void)outbuf_flush(o);
	outbuf_free(o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct config *c;
	struct engine_params p;
	struct engine *e, *again;
	struct sbuf b1, b2;
	uint8_t *state;
	size_t len, i;
	char *cause = NULL;

	if (null_fd == -1 && (null_fd = open("/dev/null", O_WRONLY)) == -1)
		abort();
	if (size < 1)
		return 0;
	c = &configs[data[0] % NCONFIGS];
	params_for(c, &p);
	state = decode(data + 1, size - 1, &len);
	/* The content length is the input's, whatever the file said. */
	if (len >= HEADER_LEN)
		for (i = 0; i < 8; i++)
			state[16 + i] = (uint8_t)((len - HEADER_LEN) >> (8 * i));
	if ((e = engine_new(&p, &cause)) == NULL)
		abort();
	if (state_load(e, state, len, "text", STATE_NO_CHECKSUM,
	    &cause) == -1) {
		if (cause == NULL || strchr(cause, '\n') != NULL)
			abort();	/* a cause, on one line */
		if (getenv("FUZZ_STATE_VERBOSE") != NULL)	/* for seeds */
			fprintf(stderr, "fuzz_state: refused: %s\n", cause);
		free(cause);
		engine_free(e);
		free(state);
		return 0;
	}
	free(state);
	use(e);

	/* What it saves now loads again, and saves the same. */
	sbuf_init(&b1);
	state_encode(e, "text", &b1);
	engine_free(e);
	if ((again = engine_new(&p, &cause)) == NULL)
		abort();
	if (state_load(again, b1.p, b1.len, "text", 0, &cause) == -1) {
		fprintf(stderr, "fuzz_state: a saved state does not load: "
		    "%s\n", cause);
		abort();
	}
	sbuf_init(&b2);
	state_encode(again, "text", &b2);
	if (b1.len != b2.len || memcmp(b1.p, b2.p, b1.len) != 0)
		abort();
	sbuf_free(&b1);
	sbuf_free(&b2);
	engine_free(again);
	return 0;
}
