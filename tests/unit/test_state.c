/*
 * Unit tests for saving and loading what the engine learned (engine.c,
 * model.c, drain.c, template.c, score.c, vocab.c, state.c): a loaded
 * engine judges the lines that follow exactly as the one that saved it,
 * a frozen one changes nothing, and damaged data only ever fails.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "engine.h"
#include "sbuf.h"
#include "score.h"
#include "state.h"
#include "template.h"

static struct engine_params
params(const char *key, enum window_unit unit, double window)
{
	struct engine_params p;

	memset(&p, 0, sizeof p);
	p.drain.depth = DRAIN_DEFAULT_DEPTH;
	p.drain.similarity = DRAIN_DEFAULT_SIMILARITY;
	p.drain.max_children = DRAIN_DEFAULT_MAX_CHILDREN;
	p.drain.variable_words = DRAIN_DEFAULT_VARIABLE_WORDS;
	p.detect_header = 1;
	p.scorer.threshold = SCORE_DEFAULT_THRESHOLD;
	p.scorer.max_alerts = SCORE_DEFAULT_MAX_ALERTS;
	p.scorer.severity_weight = 1;
	p.scorer.silence = 1;
	p.window_unit = unit;
	p.window = window;
	p.key = key;
	p.learn = 1;
	p.need_time = 1;
	return p;
}

static struct engine *
start(const struct engine_params *p)
{
	struct engine *e;
	char *cause = NULL;

	e = engine_new(p, &cause);
	assert_non_null(e);
	return e;
}

static uint64_t rng = 88172645463325252ull;
static int flood;	/* a third of the lines are new words */

static uint32_t
next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

/*
 * Line i of a log that exercises the tree and the scorer: templates that
 * repeat with values, words that become variables (siblings merged, in
 * brackets kept),
 * lists of varying length (variants), a burst, new events, and, with
 * sources, a host in front.
 */
static size_t
make_line(char *buf, size_t room, unsigned i, int hosts)
{
	static const char *const users[] = {
		"alice", "bob", "carol", "dave", "erin", "frank"
	};
	static const char *const words[] = {
		"quartz", "nimbus", "falcon", "ember", "tundra", "vortex",
		"zephyr", "lumen"
	};
	int n = 0, k;
	unsigned r = next_random();

	if (hosts)
		n = snprintf(buf, room, "2024-03-0%u 10:%02u:%02u host%u app: ",
		    1 + i / 20000 % 9, i / 60 % 60, i % 60, r % 3);
	else
		n = snprintf(buf, room, "2024-03-0%u 10:%02u:%02u app: ",
		    1 + i / 20000 % 9, i / 60 % 60, i % 60);
	if (flood && r % 3 == 0) {
		for (k = 0; k < (int)(3 + r / 3 % 6); k++)
			n += snprintf(buf + n, room - n, "%s%c%c%c%c",
			    k ? " " : "", 'a' + next_random() % 26,
			    'a' + next_random() % 26, 'a' + next_random() % 26,
			    'a' + next_random() % 26);
		return (size_t)n;
	}
	if (i > 900 && i < 960) {
		/* a burst of one template */
		n += snprintf(buf + n, room - n, "retrying connection to "
		    "10.0.0.%u port 5432", r % 4);
		return (size_t)n;
	}
	switch (r % 9) {
	case 0:
	case 1:
		n += snprintf(buf + n, room - n, "served request %u in %u ms",
		    r % 100000, 1 + r % 37);
		break;
	case 2:
		/* The user in brackets: a variable that keeps them. */
		n += snprintf(buf + n, room - n, "user [%s] logged in from "
		    "10.1.%u.%u", users[r / 7 % 6], r / 11 % 4, r % 250);
		break;
	case 3:
		n += snprintf(buf + n, room - n, "delete blocks");
		for (k = 0; k < (int)(1 + r / 13 % 4); k++)
			n += snprintf(buf + n, room - n, " blk_%u",
			    (r >> (k * 3)) % 9999);
		n += snprintf(buf + n, room - n, " done");
		break;
	case 4:
		n += snprintf(buf + n, room - n, "cache ratio 0.%u state %s",
		    80 + r % 19, r % 50 == 0 ? "cold" : "warm");
		break;
	case 5:
		/* A field whose word values make it a variable that
		 * keeps its "name=". */
		n += snprintf(buf + n, room - n, "job name=%s finished with "
		    "status %u", words[r / 3 % 8], r % 200 == 0 ? 1 : 0);
		break;
	case 6:
		if (r % 40 == 0)
			n += snprintf(buf + n, room - n, "ERROR disk %s%u "
			    "failed: %s", words[r / 5 % 8], r % 3,
			    words[r / 17 % 8]);
		else
			n += snprintf(buf + n, room - n, "heartbeat ok");
		break;
	default:
		n += snprintf(buf + n, room - n, "queue %u depth %u",
		    r % 5, r / 5 % 300);
		break;
	}
	return (size_t)n;
}

struct seen {
	struct verdict	 v;
	uint64_t	 tmpl_id;
	char		 tmpl_text[512];
	unsigned	 events;
	struct score_event ev[8];
	uint64_t	 ev_id[8];
};

static void
judge(struct engine *e, const char *line, size_t len, struct seen *out)
{
	struct score_event ev;
	const char *source;
	const char *text;
	size_t tlen;

	memset(out, 0, sizeof *out);
	engine_line(e, line, len, NULL, &out->v);
	if (out->v.tmpl != NULL) {
		out->tmpl_id = out->v.tmpl->id;
		text = template_text(out->v.tmpl, &tlen);
		snprintf(out->tmpl_text, sizeof out->tmpl_text, "%.*s",
		    (int)tlen, text);
	}
	while (engine_event(e, &ev, &source)) {
		if (out->events < 8) {
			out->ev_id[out->events] = ev.tmpl ? ev.tmpl->id : 0;
			ev.tmpl = NULL;
			out->ev[out->events] = ev;
		}
		out->events++;
	}
}

static void
same_verdict(const struct seen *a, const struct seen *b, unsigned i)
{
	unsigned k;

	if (memcmp(&a->v.score.bits, &b->v.score.bits, sizeof(double)) != 0)
		fail_msg("line %u: %.17g bits against %.17g", i,
		    a->v.score.bits, b->v.score.bits);
	assert_int_equal(a->v.line, b->v.line);
	assert_int_equal(a->v.score.kind, b->v.score.kind);
	assert_int_equal(a->v.flagged, b->v.flagged);
	assert_int_equal(a->v.created, b->v.created);
	assert_int_equal(a->v.score.suppressed, b->v.score.suppressed);
	assert_int_equal(a->tmpl_id, b->tmpl_id);
	assert_string_equal(a->tmpl_text, b->tmpl_text);
	assert_true(a->v.time == b->v.time);
	assert_int_equal(a->events, b->events);
	for (k = 0; k < a->events && k < 8; k++) {
		assert_int_equal(a->ev[k].kind, b->ev[k].kind);
		assert_int_equal(a->ev_id[k], b->ev_id[k]);
		assert_true(a->ev[k].bits == b->ev[k].bits);
	}
}

static void
save(const struct engine *e, struct sbuf *b)
{
	sbuf_init(b);
	engine_save(e, b);
}

static struct engine *
load(const struct engine_params *p, const struct sbuf *b)
{
	struct engine *e = start(p);
	struct sread r;
	char *cause = NULL;

	sread_init(&r, b->p, b->len);
	if (engine_load(e, &r, &cause) == -1)
		fail_msg("load: %s", cause);
	assert_int_equal(r.off, r.len);
	return e;
}

/*
 * Feed first lines to one engine, save it, load the state into another,
 * then feed both the rest: every verdict the same, and both save the
 * same bytes in the end.
 */
static void
round_trip(const struct engine_params *p, unsigned first, unsigned total,
    int hosts)
{
	struct engine *a, *b;
	struct sbuf s1, s2;
	struct seen x, y;
	char line[512];
	size_t len;
	unsigned i;

	rng = 88172645463325252ull;
	a = start(p);
	for (i = 0; i < first; i++) {
		len = make_line(line, sizeof line, i, hosts);
		judge(a, line, len, &x);
	}
	save(a, &s1);
	b = load(p, &s1);
	/* Saving what was loaded gives the same bytes. */
	save(b, &s2);
	assert_int_equal(s1.len, s2.len);
	assert_memory_equal(s1.p, s2.p, s1.len);
	sbuf_free(&s2);
	for (; i < total; i++) {
		len = make_line(line, sizeof line, i, hosts);
		judge(a, line, len, &x);
		judge(b, line, len, &y);
		same_verdict(&x, &y, i);
	}
	engine_finish(a, 0);
	engine_finish(b, 0);
	sbuf_free(&s1);
	save(a, &s1);
	save(b, &s2);
	assert_int_equal(s1.len, s2.len);
	assert_memory_equal(s1.p, s2.p, s1.len);
	sbuf_free(&s1);
	sbuf_free(&s2);
	engine_free(a);
	engine_free(b);
}

static void
test_round_trip_lines(void **state)
{
	struct engine_params p = params(NULL, WINDOW_AUTO, 0);

	round_trip(&p, 3000, 6000, 0);
	/* Early, before the tree has settled or a burst began. */
	round_trip(&p, 5, 1200, 0);
	/* Nothing learned yet. */
	round_trip(&p, 0, 300, 0);
}

static void
test_round_trip_time_and_sources(void **state)
{
	struct engine_params p = params("host", WINDOW_SECONDS, 60);

	round_trip(&p, 2500, 5000, 1);
	p = params(NULL, WINDOW_SECONDS, 120);
	round_trip(&p, 1000, 4000, 0);
}

/* Templates dropped to stay in bounds are dropped alike after a load,
 * and a state loaded with a lower bound is cut to it. */
static void
test_round_trip_bounded(void **state)
{
	struct engine_params p = params(NULL, WINDOW_AUTO, 0);
	struct engine *a;
	struct sbuf s;
	struct seen x;
	char line[512];
	size_t len;
	unsigned i;

	p.drain.max_templates = 50;
	flood = 1;
	round_trip(&p, 2000, 5000, 0);
	p = params("host", WINDOW_SECONDS, 60);
	p.drain.max_templates = 30;
	round_trip(&p, 1500, 4000, 1);

	p = params(NULL, WINDOW_AUTO, 0);
	rng = 5;
	a = start(&p);
	for (i = 0; i < 2000; i++) {
		len = make_line(line, sizeof line, i, 0);
		judge(a, line, len, &x);
	}
	assert_true(engine_templates(a) > 100);
	save(a, &s);
	engine_free(a);
	p.drain.max_templates = 40;
	a = load(&p, &s);
	assert_true(engine_templates(a) <= 40);
	for (; i < 3000; i++) {
		len = make_line(line, sizeof line, i, 0);
		judge(a, line, len, &x);
		assert_true(engine_templates(a) <= 40);
	}
	flood = 0;
	sbuf_free(&s);
	engine_free(a);
}

/* A frozen engine judges, but what it learned stays as it was. */
static void
test_frozen_changes_nothing(void **state)
{
	struct engine_params p = params("host", WINDOW_AUTO, 0);
	struct engine *a, *b;
	struct sbuf s1, s2;
	struct seen x;
	char line[512];
	size_t len;
	unsigned i, flagged = 0, frozen_new = 0;

	rng = 1234567;
	a = start(&p);
	for (i = 0; i < 4000; i++) {
		len = make_line(line, sizeof line, i, 1);
		judge(a, line, len, &x);
	}
	save(a, &s1);
	p.learn = 0;
	b = load(&p, &s1);
	for (; i < 8000; i++) {
		len = make_line(line, sizeof line, i, 1);
		judge(b, line, len, &x);
		flagged += x.v.flagged;
		frozen_new += x.v.tmpl == NULL;
		assert_int_equal(x.v.created, 0);
	}
	len = (size_t)snprintf(line, sizeof line, "2024-03-01 10:00:00 "
	    "host1 app: kernel panic: unable to mount root fs on sda9");
	judge(b, line, len, &x);
	assert_null(x.v.tmpl);
	assert_int_equal(x.v.score.kind, KIND_NEW);
	assert_true(x.v.flagged);
	/* A source the state does not know is judged, and not kept. */
	len = (size_t)snprintf(line, sizeof line, "2024-03-01 10:00:00 "
	    "stranger app: heartbeat ok");
	judge(b, line, len, &x);
	assert_string_equal(x.v.source, "stranger");
	engine_finish(b, 0);
	save(b, &s2);
	/* Only the line count moved on: the models are the same bytes. */
	assert_int_equal(s1.len, s2.len);
	assert_memory_equal(s1.p + 16, s2.p + 16, s1.len - 16);
	assert_true(engine_lines(b) == 8002);
	sbuf_free(&s1);
	sbuf_free(&s2);
	engine_free(a);
	engine_free(b);
}

/* Every cut of a state and many damaged copies fail or load, never
 * crash (the sanitizer build checks the "never"). */
static void
test_damaged_data(void **state)
{
	struct engine_params p = params("host", WINDOW_AUTO, 0);
	struct engine *a, *b;
	struct sbuf s;
	struct sread r;
	struct seen x;
	char line[512], *cause;
	uint8_t *copy;
	size_t len, cut, step;
	unsigned i, k, loaded = 0;

	rng = 42;
	a = start(&p);
	for (i = 0; i < 600; i++) {
		len = make_line(line, sizeof line, i, 1);
		judge(a, line, len, &x);
	}
	save(a, &s);
	for (cut = 0; cut < s.len; cut += step) {
		step = cut < 4096 ? 7 : 997;
		b = start(&p);
		sread_init(&r, s.p, cut);
		cause = NULL;
		assert_int_equal(engine_load(b, &r, &cause), -1);
		assert_non_null(cause);
		free(cause);
		engine_free(b);
	}
	copy = malloc(s.len);
	for (k = 0; k < 3000; k++) {
		memcpy(copy, s.p, s.len);
		for (i = 0; i < 1 + k % 3; i++)
			copy[next_random() % s.len] ^= (uint8_t)(1u <<
			    (next_random() % 8));
		b = start(&p);
		sread_init(&r, copy, s.len);
		cause = NULL;
		if (engine_load(b, &r, &cause) == 0) {
			/* Loaded: it must work as well. */
			loaded++;
			for (i = 0; i < 50; i++) {
				len = make_line(line, sizeof line, 600 + i, 1);
				judge(b, line, len, &x);
			}
			engine_finish(b, 0);
		} else
			free(cause);
		engine_free(b);
	}
	/* Most flips hit counts and bits that any value may take. */
	assert_true(loaded > 0);
	free(copy);
	sbuf_free(&s);
	engine_free(a);
}

/* The file's own checks: each problem has its cause. */
static void
expect_refused(const struct engine_params *p, const uint8_t *buf, size_t len,
    const char *input, const char *want)
{
	struct engine *e = start(p);
	char *cause = NULL;

	assert_int_equal(state_load(e, buf, len, input, 0, &cause), -1);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("cause '%s' lacks '%s'", cause, want);
	free(cause);
	engine_free(e);
}

static void
put32(uint8_t *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* An engine that learned 300 lines, and its state in *s. */
static struct engine *
learned(const struct engine_params *p, struct sbuf *s)
{
	struct engine *e;
	struct seen x;
	char line[512];
	size_t len;
	unsigned i;

	rng = 7;
	e = start(p);
	for (i = 0; i < 300; i++) {
		len = make_line(line, sizeof line, i, 1);
		judge(e, line, len, &x);
	}
	sbuf_init(s);
	state_encode(e, "text", s);
	return e;
}

/*
 * The first n bytes of state s, relabelled format version (its length and
 * checksum made to fit), load into a new engine with all 300 lines.
 */
static void
loads_as(const struct engine_params *p, const struct sbuf *s, size_t n,
    uint32_t version)
{
	struct engine *b;
	char *cause = NULL;
	uint8_t *copy = malloc(n);

	memcpy(copy, s->p, n);
	put64(copy + 16, n - 32);
	put64(copy + 24, XXH64(copy + 32, n - 32, 0));
	put32(copy + 8, version);
	b = start(p);
	assert_int_equal(state_load(b, copy, n, "text", 0, &cause), 0);
	assert_true(engine_lines(b) == 300);
	engine_free(b);
	free(copy);
}

/*
 * Format 8 is 7 with each scorer's JSON members' news after it: of one
 * source without members, the content's last four bytes, a count of 0.
 * Without them, the state is format 7, and loads; relabelled 6, it loads
 * and says its templates have the older shapes.
 */
static void
older_layouts(void)
{
	struct engine_params p = params(NULL, WINDOW_AUTO, 0);
	struct engine *a, *b;
	struct sbuf s;
	char *cause = NULL;
	uint8_t *copy;
	size_t n, end;
	static const uint8_t none[4];

	a = learned(&p, &s);
	/* Format 12's offset of stamps without a zone is the last eight
	 * bytes: without them, format 11, which reads. */
	end = s.len - 8;
	loads_as(&p, &s, end, 11);
	/* Format 11's shapes go first, their length last; then format
	 * 10's values of late, the same way; then format 9's gaps: two
	 * doubles and a count a template, the pauses and a time, then their
	 * number; format 8's members are the four bytes before them. */
	n = end - 4 - get32((uint8_t *)s.p + end - 4);
	assert_true(n < end - 4);	/* the shapes are some */
	/* Without them, format 10: read, shapes to learn afresh. */
	loads_as(&p, &s, n, 10);
	n = n - 4 - get32((uint8_t *)s.p + n - 4);
	assert_true(n < s.len - 4);	/* the values of late are some */
	n = n - 4 - 16 - 24 * (size_t)get32((uint8_t *)s.p + n - 4);
	assert_memory_equal(s.p + n - 4, none, 4);
	n -= 4;
	copy = malloc(n + 4);
	memcpy(copy, s.p, n);
	put64(copy + 16, n - 32);
	put64(copy + 24, XXH64(copy + 32, n - 32, 0));
	put32(copy + 8, STATE_VERSION_SHAPES);
	b = start(&p);
	assert_int_equal(state_load(b, copy, n, "text", 0, &cause), 0);
	assert_true(engine_lines(b) == 300);
	engine_free(b);
	put32(copy + 8, STATE_VERSION_SHAPES - 1);
	b = start(&p);
	assert_int_equal(state_load(b, copy, n, "text", 0, &cause), 1);
	assert_true(engine_lines(b) == 300);
	engine_free(b);
	/* Format 8 (members, no gaps) read as 7 has four bytes too many. */
	memcpy(copy, s.p, n + 4);
	put64(copy + 16, n + 4 - 32);
	put64(copy + 24, XXH64(copy + 32, n + 4 - 32, 0));
	put32(copy + 8, STATE_VERSION_SHAPES);
	b = start(&p);
	assert_int_equal(state_load(b, copy, n + 4, "text", 0, &cause), -1);
	assert_string_equal(cause, "damaged state file (4 bytes unread)");
	engine_free(b);
	free(cause);
	free(copy);
	sbuf_free(&s);
	engine_free(a);
}

static void
test_file_checks(void **state)
{
	struct engine_params p = params("host", WINDOW_AUTO, 0), q;
	struct engine *a, *b;
	struct sbuf s;
	char *cause = NULL;
	uint8_t *copy;

	a = learned(&p, &s);
	b = start(&p);
	assert_int_equal(state_load(b, s.p, s.len, "text", 0, &cause), 0);
	assert_true(engine_lines(b) == 300);
	engine_free(b);

	copy = malloc(s.len + 1);
	expect_refused(&p, s.p, 20, "text", "truncated state file");
	expect_refused(&p, s.p, s.len - 1, "text", "truncated state file");
	expect_refused(&p, (const uint8_t *)"hello", 5, "text",
	    "not an aiopsfilter state file");
	memcpy(copy, s.p, s.len);
	copy[0] = 'X';
	expect_refused(&p, copy, s.len, "text",
	    "not an aiopsfilter state file");
	memcpy(copy, s.p, s.len);
	put32(copy + 8, STATE_VERSION + 1);
	expect_refused(&p, copy, s.len, "text", "made by a newer aiopsfilter");
	memcpy(copy, s.p, s.len);
	copy[s.len / 2] ^= 0x20;
	expect_refused(&p, copy, s.len, "text", "checksum mismatch");
	memcpy(copy, s.p, s.len);
	copy[s.len] = 0;
	expect_refused(&p, copy, s.len + 1, "text", "bytes after its end");
	/* Parameters that shape the model, by name. */
	expect_refused(&p, s.p, s.len, "json", "--input");
	q = p;
	q.drain.depth = 4;
	expect_refused(&q, s.p, s.len, "text", "--depth 3 (this run: 4)");
	q = p;
	q.key = "source";
	expect_refused(&q, s.p, s.len, "text", "--key host (this run: source)");
	q = p;
	q.window_unit = WINDOW_LINES;
	q.window = 500;
	expect_refused(&q, s.p, s.len, "text",
	    "--window 1000l (this run: 500l)");
	/* ... and not those that only decide what is printed. */
	q = p;
	q.scorer.threshold = 3;
	q.scorer.max_alerts = 0;
	b = start(&q);
	assert_int_equal(state_load(b, s.p, s.len, "text", 0, &cause), 0);
	engine_free(b);
	free(copy);
	sbuf_free(&s);
	engine_free(a);
	older_layouts();
}

/* Written atomically to a file, read back, and locked once at a time. */
static void
test_write_read_lock(void **state)
{
	struct engine_params p = params(NULL, WINDOW_AUTO, 0);
	struct engine *a, *b;
	struct state_lock *l1, *l2;
	struct seen x;
	struct stat st;
	char dir[] = "/tmp/test_state.XXXXXX", path[256], line[512];
	char *cause = NULL;
	size_t len;
	unsigned i;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/model.state", dir);
	b = start(&p);
	assert_int_equal(state_read(b, path, "text", &cause), 0);
	engine_free(b);

	l1 = state_lock(path, &cause);
	assert_non_null(l1);
	l2 = state_lock(path, &cause);
	assert_null(l2);
	assert_non_null(strstr(cause, "in use by another aiopsfilter"));
	free(cause);
	cause = NULL;

	rng = 9;
	a = start(&p);
	for (i = 0; i < 500; i++) {
		len = make_line(line, sizeof line, i, 0);
		judge(a, line, len, &x);
	}
	assert_int_equal(state_write(a, path, "text", &cause), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* The temporary file is gone. */
	snprintf(line, sizeof line, "%s.tmp", path);
	assert_int_equal(access(line, F_OK), -1);
	/* A mode given to the state is kept. */
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(state_write(a, path, "text", &cause), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);

	b = start(&p);
	assert_int_equal(state_read(b, path, "text", &cause), 1);
	assert_true(engine_lines(b) == 500);
	engine_free(b);
	state_unlock(l1);
	l2 = state_lock(path, &cause);
	assert_non_null(l2);
	state_unlock(l2);

	/* A folder that cannot be written: the state stays as it was. */
	snprintf(line, sizeof line, "%s/none/model.state", dir);
	assert_int_equal(state_write(a, line, "text", &cause), -1);
	assert_non_null(strstr(cause, "cannot save state"));
	free(cause);
	engine_free(a);

	unlink(path);
	snprintf(line, sizeof line, "%s.lock", path);
	unlink(line);
	rmdir(dir);
}

static double fake_now;

static double
fake_clock(void)
{
	return fake_now;
}

/*
 * A run that follows a log for days (tail -F) places a stamp without a
 * year by the clock as it goes, not by the day it began: on 1 December,
 * three days in, "Dec  1" is this year's, and so is each day's stamp
 * read on its own day whatever the window counts.  Read on the day the
 * run began, "Dec  1" is still last year's.
 */
static void
test_year_as_days_pass(void **state)
{
	static const enum window_unit units[] = { WINDOW_LINES,
	    WINDOW_SECONDS };
	struct engine_params p;
	struct engine *e;
	struct verdict v;
	char line[128];
	int day, u, n;

	(void)state;
	for (u = 0; u < 2; u++) {
		p = params(NULL, units[u], units[u] == WINDOW_LINES ? 1000 :
		    300);
		p.now = 1795852800;	/* 2026-11-28 08:00 UTC */
		p.clock = fake_clock;
		fake_now = 5000;	/* any clock: only its steps count */
		e = start(&p);
		for (day = 28; day <= 31; day++) {
			n = snprintf(line, sizeof line, "%s %2d 10:00:00 web1 "
			    "app[42]: heartbeat ok", day <= 30 ? "Nov" : "Dec",
			    day <= 30 ? day : 1);
			engine_line(e, line, (size_t)n, NULL, &v);
			/* 10:00 of 28 November 2026, and the days after. */
			assert_true(fabs(v.time - (1795860000 +
			    (day - 28) * 86400.0)) < 1);
			fake_now += 86400;
		}
		engine_free(e);

		fake_now = 5000;
		e = start(&p);
		n = snprintf(line, sizeof line, "Dec  1 10:00:00 web1 "
		    "app[42]: heartbeat ok");
		engine_line(e, line, (size_t)n, NULL, &v);
		/* 10:00 of 1 December 2025. */
		assert_true(fabs(v.time - (1796119200 - 365 * 86400.0)) < 1);
		engine_free(e);
	}
}

/*
 * Syslog stamps have no year.  A run that began on 28 November and read
 * lines to the 30th (a day past its start: last year's by the rule, then
 * rolled over to this one) saved its state; the run that goes on from it
 * on 1 December reads its lines in this year, not in the next.
 */
static void
test_year_across_restart(void **state)
{
	struct engine_params p = params(NULL, WINDOW_SECONDS, 300);
	struct engine *a, *b;
	struct verdict v;
	struct sbuf s;
	char *cause = NULL, line[128];
	int day, h, n;

	(void)state;
	p.now = 1795852800;	/* 2026-11-28 */
	a = start(&p);
	for (day = 28; day <= 30; day++)
		for (h = 0; h < 24; h++) {
			n = snprintf(line, sizeof line, "Nov %d %02d:00:00 web1 "
			    "app[42]: heartbeat ok", day, h);
			engine_line(a, line, (size_t)n, NULL, &v);
		}
	assert_true(fabs(v.time - 1796079600) < 1);	/* 30 Nov 23:00 */
	sbuf_init(&s);
	state_encode(a, "text", &s);
	p.now = 1796112000;	/* 2026-12-01 */
	b = start(&p);
	assert_int_equal(state_load(b, s.p, s.len, "text", 0, &cause), 0);
	n = snprintf(line, sizeof line, "Dec  1 01:00:00 web1 app[42]: "
	    "heartbeat ok");
	engine_line(b, line, (size_t)n, NULL, &v);
	assert_true(fabs(v.time - 1796086800) < 1);	/* 1 Dec 01:00 */
	engine_free(a);
	engine_free(b);
	sbuf_free(&s);

	/* An older file read again from the state (no roll-over in it):
	 * its stamps are this year's, behind the clock, which stays; they
	 * are not put a year ahead. */
	p.now = 1796112000;	/* 2026-12-01 */
	a = start(&p);
	for (day = 20; day <= 27; day++) {
		n = snprintf(line, sizeof line, "%s %d 10:00:00 web1 "
		    "app[42]: heartbeat ok", day < 24 ? "Oct" : "Nov", day);
		engine_line(a, line, (size_t)n, NULL, &v);
	}
	sbuf_init(&s);
	state_encode(a, "text", &s);
	b = start(&p);
	assert_int_equal(state_load(b, s.p, s.len, "text", 0, &cause), 0);
	n = snprintf(line, sizeof line, "Oct 20 10:00:00 web1 app[42]: "
	    "heartbeat ok");
	engine_line(b, line, (size_t)n, NULL, &v);
	assert_true(v.time < 1795773600 + 86400);	/* 27 Nov 10:00 */
	engine_free(a);
	engine_free(b);
	sbuf_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_year_as_days_pass),
		cmocka_unit_test(test_year_across_restart),
		cmocka_unit_test(test_round_trip_lines),
		cmocka_unit_test(test_round_trip_time_and_sources),
		cmocka_unit_test(test_round_trip_bounded),
		cmocka_unit_test(test_frozen_changes_nothing),
		cmocka_unit_test(test_damaged_data),
		cmocka_unit_test(test_file_checks),
		cmocka_unit_test(test_write_read_lock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
