/*
 * fuzz_state: loading saved state from arbitrary bytes.  Today that is
 * scorer_load(), the start of the state file, against a few templates
 * made here (its lookup finds them by id).  A state it accepts is then
 * used: lines are scored with it, its records printed, and it is saved;
 * that save must load again into a fresh scorer and save to the same
 * bytes.  Whatever a loader accepts, the code after it must survive.
 *
 * Most of a state is zeros (sub-window counts, empty value bins) that the
 * fuzzer should not have to write byte by byte, so the input is
 * run-length coded: RLE_MARK followed by a little-endian u32 n stands for
 * n zero bytes; everything else is itself.  The first byte chooses the
 * scorer's parameters.  fuzz_state_seeds(), built with
 * -DFUZZ_STATE_SEEDS, writes seed states so coded.  The vocabulary
 * (vocab.c) is saved apart from the scorer and is not loaded here: the
 * scorers share one, made here and never reset, as the engine's models
 * own theirs.
 *
 * The full state loader (state_load() or engine_load(), to come) takes
 * this harness's place: replace load_and_use() with a call that loads a
 * whole state file from the decoded bytes into a new engine, then judge
 * the fixed lines with that engine and save it again, as here.  A
 * checksum over the content would stop the fuzzer at the first byte it
 * changes: under FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION (which
 * tests/fuzz/run.sh defines) the loader should skip that one check.
 */
#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sanitizer/asan_interface.h>

#include "outbuf.h"
#include "output.h"
#include "sbuf.h"
#include "score.h"
#include "template.h"
#include "tokenize.h"
#include "vocab.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define RLE_MARK	"\xffRLE"
#define RLE_MARK_LEN	4
#define DECODED_MAX	(1u << 20)	/* far more than the seeds */
#define VOCAB_BITS	17		/* as a model among many has */

/* The templates a state may name, and lines of each to score. */
static const char *const model_lines[] = {
	"GET /api/users/42 200 12ms",
	"user alice logged in from 10.0.0.1 port 5522",
	"connection reset by peer",
	"worker 7 finished job 1234 in 56 ms",
	"disk /dev/sda1 at 91% capacity",
};
#define NTEMPLATES	(sizeof model_lines / sizeof model_lines[0])

static const char *const more_lines[] = {
	"GET /api/users/43 200 15ms",
	"user bob logged in from 10.0.0.2 port 5523",
	"worker 8 finished job 1235 in 99999 ms",
	"disk /dev/sdb1 at 99% capacity",
	"GET /api/users/44 500 3012ms",
	"connection reset by peer",
};

static struct template	*templates[NTEMPLATES];
static struct tokens	*tk;
static struct vocab	*vocab;
static int		 null_fd = -1;

static struct template *
lookup(void *arg, uint64_t id)
{
	(void)arg;
	return id >= 1 && id <= NTEMPLATES ? templates[id - 1] : NULL;
}

static void
setup(void)
{
	size_t i;

	tk = xmalloc(sizeof *tk);
	vocab = vocab_new(VOCAB_BITS);
	for (i = 0; i < NTEMPLATES; i++) {
		tokenize(model_lines[i], strlen(model_lines[i]), tk);
		templates[i] = template_new(i + 1, tk);
	}
	if ((null_fd = open("/dev/null", O_WRONLY)) == -1)
		abort();
}

static void
params(uint8_t c, struct scorer_params *p)
{
	memset(p, 0, sizeof *p);
	p->threshold = (c & 4) ? 0 : SCORE_DEFAULT_THRESHOLD;
	p->max_alerts = (c & 8) ? 1 : SCORE_DEFAULT_MAX_ALERTS;
	p->silence = (c & 16) != 0;
	p->severity_weight = 1;
	p->repeat = -1;
	switch (c & 3) {
	case 0:		/* the engine's defaults, in lines */
		p->window = SCORE_DEFAULT_WINDOW_LINES;
		p->horizon = SCORE_DEFAULT_HORIZON;
		p->horizon_lines = 1;
		break;
	case 1:		/* small, in lines */
		p->window = 8;
		p->horizon = 32;
		p->horizon_lines = 1;
		break;
	default:	/* in seconds */
		p->window = SCORE_DEFAULT_WINDOW_SECS;
		p->horizon = 3600;
		break;
	}
}

/* Grow *b to hold need bytes. */
static void
reserve(uint8_t **b, size_t *cap, size_t need)
{
	if (need <= *cap)
		return;
	while (need > *cap)
		*cap *= 2;
	*b = xreallocarray(*b, *cap, 1);
}

/*
 * Undo the run-length coding into a buffer kept from call to call (a
 * fresh megabyte each time would cost more than the rest), its unused
 * end poisoned so that ASan still catches a read past the state's end.
 * Returns the length and sets *out.
 */
static size_t
decode(const uint8_t *p, size_t n, uint8_t **out)
{
	static uint8_t *b;
	static size_t cap;
	size_t len = 0, z, i = 0;

	if (b == NULL) {
		cap = 4096;
		b = xmalloc(cap);
	}
	ASAN_UNPOISON_MEMORY_REGION(b, cap);
	while (i < n && len < DECODED_MAX) {
		if (n - i >= RLE_MARK_LEN + 4 &&
		    memcmp(p + i, RLE_MARK, RLE_MARK_LEN) == 0) {
			i += RLE_MARK_LEN;
			z = (size_t)p[i] | (size_t)p[i + 1] << 8 |
			    (size_t)p[i + 2] << 16 | (size_t)p[i + 3] << 24;
			i += 4;
			if (z > DECODED_MAX - len)
				z = DECODED_MAX - len;
			reserve(&b, &cap, len + z);
			memset(b + len, 0, z);
			len += z;
		} else {
			reserve(&b, &cap, len + 1);
			b[len++] = p[i++];
		}
	}
	ASAN_POISON_MEMORY_REGION(b + len, cap - len);
	*out = b;
	return len;
}

/*
 * Score the fixed lines with sc, print what it says, end the input;
 * lines: ticks are lines.
 */
static void
use(struct scorer *sc, double t0, int lines)
{
	struct output_opts opts[3];
	struct outbuf *o;
	struct score_event ev;
	struct score s;
	size_t i, k;
	uint64_t line = 1000;

	memset(opts, 0, sizeof opts);
	opts[1].format = OUTPUT_JSON;
	opts[2].format = OUTPUT_LOGFMT;
	o = outbuf_new(null_fd);
	for (i = 0; i < sizeof more_lines / sizeof more_lines[0]; i++) {
		struct template *t = NULL;
		double tick = t0 + (double)i;

		tokenize(more_lines[i], strlen(more_lines[i]), tk);
		for (k = 0; k < NTEMPLATES; k++)
			if (template_matches(templates[k], tk))
				t = templates[k];
		scorer_line(sc, t, 0, tk, tick, ++line, NAN, 1, &s);
		if (isnan(s.bits) || s.bits < 0)
			abort();
		while (scorer_event(sc, &ev))
			for (k = 0; k < 3; k++)
				output_event(o, &opts[k], &ev, NULL,
				    lines);
	}
	scorer_finish(sc, line);
	while (scorer_event(sc, &ev))
		for (k = 0; k < 3; k++)
			output_event(o, &opts[k], &ev, NULL, lines);
	outbuf_flush(o);
	outbuf_free(o);
}

/*
 * The loader under test.  Returns 0 when it refused the bytes (with a
 * reason), 1 when it took them and the state then worked.
 */
static int
load_and_use(uint8_t c, const uint8_t *state, size_t len)
{
	struct scorer_params p;
	struct scorer *sc, *again;
	static struct sbuf a, b;	/* kept: saves are big */
	struct sread r;
	char *cause = NULL;

	params(c, &p);
	sc = scorer_new(&p, vocab);
	sread_init(&r, state, len);
	if (scorer_load(sc, &r, lookup, NULL, &cause) == -1) {
		if (cause == NULL || *cause == '\0')
			abort();
		free(cause);
		scorer_free(sc);
		return 0;
	}
	if (cause != NULL)
		abort();
	use(sc, (c & 0x20) ? 1e9 : 1, (c & 3) < 2);

	/* What it saves now must load again, and save the same. */
	a.len = 0;
	scorer_save(sc, &a);
	scorer_free(sc);
	again = scorer_new(&p, vocab);
	sread_init(&r, a.p, a.len);
	if (scorer_load(again, &r, lookup, NULL, &cause) == -1) {
		fprintf(stderr, "a saved state does not load: %s\n", cause);
		abort();
	}
	b.len = 0;
	scorer_save(again, &b);
	if (a.len != b.len || memcmp(a.p, b.p, a.len) != 0) {
		fprintf(stderr, "saved %zu bytes, loaded them and saved %zu "
		    "others\n", a.len, b.len);
		abort();
	}
	scorer_free(again);
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *state;
	size_t len;

	if (tk == NULL)
		setup();
	if (size < 1)
		return 0;
	len = decode(data + 1, size - 1, &state);
	load_and_use(data[0], state, len);
	return 0;
}

#ifdef FUZZ_STATE_SEEDS
/*
 * Write seed states to the files named on the command line: the scorer
 * after each file's share of lines, one parameter choice per file, coded
 * as the harness reads them.
 */
int	main(int, char **);

static void
write_coded(const char *path, uint8_t c, const struct sbuf *b)
{
	FILE *f;
	size_t i = 0, z;

	if ((f = fopen(path, "wb")) == NULL)
		abort();
	fputc(c, f);
	while (i < b->len) {
		for (z = 0; i + z < b->len && b->p[i + z] == 0 &&
		    z < UINT32_MAX; z++)
			;
		if (z >= 16) {
			fwrite(RLE_MARK, 1, RLE_MARK_LEN, f);
			fputc((int)(z & 0xff), f);
			fputc((int)(z >> 8 & 0xff), f);
			fputc((int)(z >> 16 & 0xff), f);
			fputc((int)(z >> 24 & 0xff), f);
			i += z;
		} else
			fputc(b->p[i++], f);
	}
	if (fclose(f) != 0)
		abort();
}

int
main(int argc, char **argv)
{
	struct scorer_params p;
	struct scorer *sc;
	struct score s;
	struct sbuf b;
	size_t i, k, n;
	int a;

	setup();
	for (a = 1; a < argc; a++) {
		uint8_t c = (uint8_t)(a - 1) * 5;

		params(c, &p);
		sc = scorer_new(&p, vocab);
		n = 40 * (size_t)a;
		for (i = 0; i < n; i++) {
			const char *l = i % 7 == 6 ?
			    more_lines[i % 6] : model_lines[i % NTEMPLATES];
			struct template *t = NULL;

			tokenize(l, strlen(l), tk);
			for (k = 0; k < NTEMPLATES; k++)
				if (template_matches(templates[k], tk))
					t = templates[k];
			scorer_line(sc, t, t != NULL && t->score == NULL, tk,
			    (c & 3) >= 2 ? 1e9 + (double)i * 3 : (double)i + 1,
			    i + 1, NAN, 1, &s);
		}
		sbuf_init(&b);
		scorer_save(sc, &b);
		write_coded(argv[a], c, &b);
		sbuf_free(&b);
		scorer_free(sc);
	}
	return 0;
}
#endif
