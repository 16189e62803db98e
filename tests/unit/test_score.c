/*
 * Unit tests for the detectors (score.c, values.c) on constructed streams
 * with known answers, run through the engine so lines are tokenized and
 * grouped as in real use.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "score.h"
#include "template.h"

static struct engine_params
params(void)
{
	struct engine_params p;

	memset(&p, 0, sizeof p);
	p.drain.depth = DRAIN_DEFAULT_DEPTH;
	p.drain.similarity = DRAIN_DEFAULT_SIMILARITY;
	p.drain.max_children = DRAIN_DEFAULT_MAX_CHILDREN;
	p.drain.variable_words = DRAIN_DEFAULT_VARIABLE_WORDS;
	p.detect_header = 1;
	p.scorer.threshold = SCORE_DEFAULT_THRESHOLD;
	p.scorer.max_alerts = 0;
	p.scorer.severity_weight = 1;
	p.window_unit = WINDOW_AUTO;
	p.learn = 1;
	return p;
}

static struct engine *
start(struct engine_params p)
{
	struct engine *e;
	char *cause = NULL;

	e = engine_new(&p, &cause);
	assert_non_null(e);
	return e;
}

static struct verdict
feed(struct engine *e, const char *fmt, ...)
{
	static char buf[512];
	struct verdict v;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	engine_line(e, buf, (size_t)n, NULL, &v);
	return v;
}

/* An engine that judges by the lines' own time, windows of window s. */
static struct engine *
start_log_time(double window)
{
	struct engine_params p = params();

	p.format = "<Time> <Content>";
	p.window_unit = WINDOW_SECONDS;
	p.window = window;
	return start(p);
}

/* An engine whose lines name their program: "<Program>: <Content>". */
static struct engine *
start_programs(void)
{
	struct engine_params p = params();

	p.format = "<Program>: <Content>";
	return start(p);
}

/* The burst tests' background: worker i's job at log time t. */
static void
background_at(struct engine *e, int t, int i, int job)
{
	feed(e, "%d worker %d picked job %d", 1700000000 + t, i % 4, job);
}

/* Line la, new to engine a, scores more than margin bits above line lb,
 * new to engine b. */
static void
new_in_both(struct engine *a, const char *la, struct engine *b,
    const char *lb, double margin)
{
	struct verdict x = feed(a, "%s", la), y = feed(b, "%s", lb);

	assert_int_equal(x.score.kind, KIND_NEW);
	assert_int_equal(y.score.kind, KIND_NEW);
	assert_true(x.score.bits > y.score.bits + margin);
}

/* A stable background of three templates with changing numbers. */
static void
background(struct engine *e, int i)
{
	switch (i % 3) {
	case 0:
		feed(e, "served request %d in %d ms", i, 1 + i % 7);
		break;
	case 1:
		feed(e, "worker %d picked job %d", i % 4, 1000 + i);
		break;
	default:
		feed(e, "cache hit ratio 0.%d", 80 + i % 19);
		break;
	}
}

static void
test_new_after_stable_beats_new_after_chaos(void **state)
{
	struct engine *stable = start(params()), *chaos = start(params());
	struct verdict a, b;
	int i;

	for (i = 0; i < 10000; i++)
		background(stable, i);
	a = feed(stable, "disk controller reset on bus seven");
	assert_int_equal(a.score.kind, KIND_NEW);
	assert_true(a.flagged);

	for (i = 0; i < 10; i++)
		feed(chaos, "shape%c %c%c %c", 'a' + i, 'k' + i, 'm' + i,
		    'p' + i);
	b = feed(chaos, "disk controller reset on bus seven");
	assert_int_equal(b.score.kind, KIND_NEW);
	assert_false(b.flagged);
	assert_true(a.score.bits > b.score.bits + 10);
	engine_free(stable);
	engine_free(chaos);
}

/*
 * The name a field is given is a word of the log's vocabulary: a new
 * line whose only new word is a key ("retries=") is more news in a log
 * that never used that key than in one that did.
 */
static void
test_new_key_is_a_new_word(void **state)
{
	struct engine *fresh = start(params()), *known = start(params());
	int i;

	for (i = 0; i < 600; i++) {
		background(fresh, i);
		background(known, i);
		if (i % 20 == 0) {
			feed(fresh, "gave up on link %d", i);
			feed(known, "gave up on link %d", i);
			feed(fresh, "link %d count=%d", i % 3, i);
			feed(known, "link %d retries=%d", i % 3, i);
		}
	}
	new_in_both(fresh, "controller retries=5 gave up", known,
	    "controller retries=5 gave up", 2);
	engine_free(fresh);
	engine_free(known);
}

/*
 * Good-Turing counts the templates seen once, not all templates made: 25
 * shapes that each came back make a new one more news than 25 one-offs.
 */
static void
test_new_after_recurring_beats_new_after_one_offs(void **state)
{
	static const char *const what[] = { "alpha", "bravo", "charlie",
	    "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
	    "kilo", "lima", "mike", "november", "oscar", "papa", "quebec",
	    "romeo", "sierra", "tango", "uniform", "victor", "whiskey",
	    "xray", "yankee" };
	struct engine *back = start(params()), *once = start(params());
	size_t k;
	int i;

	for (k = 0; k < sizeof what / sizeof what[0]; k++) {
		feed(back, "%s subsystem started", what[k]);
		feed(back, "%s subsystem started", what[k]);
		feed(once, "%s subsystem started", what[k]);
		background(once, 0);
		for (i = 0; i < 200; i++) {
			background(back, i);
			background(once, i);
		}
	}
	new_in_both(back, "disk controller reset on bus seven", once,
	    "disk controller reset on bus seven", 2);
	engine_free(back);
	engine_free(once);
}

static void
test_rare_is_a_tail_not_a_frequency(void **state)
{
	struct engine *e = start(params());
	struct verdict v;
	int i;

	/* A rare template among common ones scores, once the others are
	 * many; but it is not flagged just for being in a long tail. */
	for (i = 0; i < 20000; i++) {
		background(e, i);
		if (i == 50)
			feed(e, "fan speed low on tray four");
	}
	v = feed(e, "fan speed low on tray four");
	assert_int_equal(v.score.kind, KIND_RARE);
	assert_true(v.score.bits > 10);
	engine_free(e);
}

/*
 * A template seen once coming back: news in a log whose one-off lines
 * never return, much less so in one where they usually do.
 */
static void
test_rare_return_by_good_turing(void **state)
{
	struct engine *never = start(params()), *often = start(params());
	struct verdict a, b;
	int i, k;

	for (i = 0; i < 5000; i++) {
		background(never, i);
		background(often, i);
		if (i % 200 == 100) {
			k = i / 200;
			feed(never, "%c%c%c module %c%c%c unloaded", 'a' + k % 26,
			    'a' + k / 26, 'q', 'z' - k % 26, 'k', 'p');
			for (int n = 0; n < 2; n++)
				feed(often, "%c%c%c module %c%c%c unloaded",
				    'a' + k % 26, 'a' + k / 26, 'q',
				    'z' - k % 26, 'k', 'p');
		}
	}
	feed(often, "xyzzy plugh vanished");
	a = feed(never, "aaq module zkp unloaded");
	b = feed(often, "xyzzy plugh vanished");
	assert_int_equal(a.score.kind, KIND_RARE);
	assert_true(a.flagged);
	assert_true(a.score.bits > b.score.bits + 3);
	engine_free(never);
	engine_free(often);
}

/* A burst silences its own lines, not a value new to the template on
 * one of them. */
static void
test_new_value_in_a_burst_is_told(void **state)
{
	const char *src;
	struct engine *e;
	struct score_event ev;
	struct verdict v;
	int i, t = 0, flagged = 0, told_value = 0;

	e = start_log_time(300);
	/* Two days: background every 20 s, a status once a minute. */
	for (i = 0; i < 2 * 24 * 180; i++, t += 20) {
		background_at(e, t, i, 1000 + i);
		if (i % 3 == 0)
			feed(e, "%d replica db7 answered %d", 1700000000 + t,
			    i % 2 ? 200 : 204);
		while (engine_event(e, &ev, &src))
			;
	}
	for (i = 0; i < 40; i++, t += 1) {
		v = feed(e, "%d replica db7 answered %d", 1700000000 + t,
		    i == 20 ? 507 : 204);
		flagged += v.flagged;
		if (i == 20) {
			assert_true(v.flagged);
			assert_int_equal(v.score.kind, KIND_VALUE);
			told_value = 1;
		}
		while (engine_event(e, &ev, &src))
			;
	}
	/* The burst's start and the new value, nothing else. */
	assert_true(told_value);
	assert_int_equal(flagged, 2);
	engine_free(e);
}

/* The burst of the issue: a template seen once an hour, then 30 copies. */
static void
test_burst_reported_once_with_summary(void **state)
{
	const char *src;
	struct engine *e;
	struct score_event ev;
	struct verdict v;
	int i, t = 0, flagged = 0, bursts = 0, ends = 0;

	e = start_log_time(300);
	/* Two days: background every 20 s, the template once an hour. */
	for (i = 0; i < 2 * 24 * 180; i++, t += 20) {
		background_at(e, t, i, 1000 + i);
		if (i % 180 == 90)
			feed(e, "%d replica db7 fell behind by %d s",
			    1700000000 + t, 1 + i / 180 % 3);
		while (engine_event(e, &ev, &src))
			;
	}
	for (i = 0; i < 30; i++, t += 2) {
		v = feed(e, "%d replica db7 fell behind by %d s",
		    1700000000 + t, 1 + i % 3);
		flagged += v.flagged;
		bursts += v.score.kind == KIND_BURST;
		while (engine_event(e, &ev, &src))
			ends += ev.kind == KIND_BURST_END;
	}
	assert_int_equal(flagged, 1);
	assert_true(bursts >= 20);	/* the score stays high ... */
	/* ... and the end is told once the window has calmed down. */
	for (i = 0; i < 100; i++, t += 20) {
		background_at(e, t, i, 100000 + i);
		while (engine_event(e, &ev, &src)) {
			if (ev.kind != KIND_BURST_END)
				continue;
			ends++;
			assert_true(ev.count >= 29 && ev.count <= 30);
			assert_true(ev.expected < 2);
			/* 58 s of copies; the start is known to a sub-window. */
			assert_true(ev.duration >= 55 && ev.duration <= 100);
		}
	}
	assert_int_equal(ends, 1);
	engine_free(e);
}

static void
test_new_value_in_few_valued_position(void **state)
{
	static const char *const st[] = { "up", "down", "degraded" };
	struct engine *e = start(params());
	struct verdict v;
	int i;

	for (i = 0; i < 3000; i++) {
		background(e, i);
		if (i % 3 == 0)
			feed(e, "link eth%d state %s", i % 2, st[i % 9 / 3]);
	}
	v = feed(e, "link eth1 state flapping");
	assert_int_equal(v.score.kind, KIND_VALUE);
	assert_true(v.flagged);
	assert_int_equal(v.score.ev.value_len, 8);
	assert_int_equal(v.score.ev.distinct, 3);
	v = feed(e, "link eth0 state down");
	assert_false(v.flagged);
	engine_free(e);
}

/* Requests among background lines, one in 400 a 500: nothing to tell. */
static void
usual_requests(struct engine *e)
{
	struct verdict v;
	int i;

	for (i = 0; i < 8000; i++) {
		background(e, i);
		v = feed(e, "GET /api/item/%d returned %s in %d ms", i % 97,
		    i % 400 == 17 ? "500" : "200", 3 + i % 5);
		assert_false(v.flagged);
	}
}

/*
 * A status that was one line of a template in 400 and is now one in
 * three, the template's rate unchanged: its share of late is told once,
 * as a value, with its count of late against its usual share.  Before,
 * the status now and then is no news.
 */
static void
test_seldom_value_storm_is_told(void **state)
{
	struct engine *e = start(params());
	struct verdict v;
	int i, told = 0, share = 0;

	usual_requests(e);
	for (i = 0; i < 90; i++) {
		v = feed(e, "GET /api/item/%d returned %s in %d ms", i % 97,
		    i % 3 == 0 ? "500" : "200", 3 + i % 5);
		told += v.flagged;
		if (v.score.kind == KIND_VALUE && v.score.ev.share) {
			share++;
			assert_int_equal(v.score.ev.value_len, 3);
			assert_memory_equal(v.score.ev.value, "500", 3);
			assert_true(v.score.ev.window_count >= 3);
			assert_true(v.score.ev.expected < 0.5);
		}
	}
	assert_int_equal(told, 1);
	assert_true(share >= 1);
	engine_free(e);
}

/*
 * A storm whose lines hold an outlier now and then (a request of 3 s
 * among ones of a few ms): the outliers are news of their own, and the
 * storm is still told once, not again after each of them.
 */
static void
test_storm_told_once_among_outliers(void **state)
{
	struct engine *e = start(params());
	struct verdict v;
	int i, shares = 0, outliers = 0;

	usual_requests(e);
	for (i = 0; i < 90; i++) {
		v = feed(e, "GET /api/item/%d returned %s in %d ms", i % 97,
		    i % 3 == 0 ? "500" : "200", i % 30 == 20 ? 3000 :
		    3 + i % 5);
		if (!v.flagged || v.score.kind != KIND_VALUE)
			continue;
		if (v.score.ev.share)
			shares++;
		else
			outliers++;
	}
	assert_int_equal(shares, 1);
	assert_true(outliers >= 1);
	engine_free(e);
}

/*
 * Errors that come on top of the usual requests: the template bursts and
 * the error's share rises with it.  The burst is told, once, and summed
 * up at its end; the share is the same news and is not told besides.
 */
static void
test_burst_of_a_seldom_value_is_one_burst(void **state)
{
	const char *src;
	struct engine *e;
	struct score_event ev;
	struct verdict v;
	int i, t = 0, flagged = 0, values = 0, ends = 0;

	e = start_log_time(300);
	for (i = 0; i < 2 * 24 * 180; i++, t += 20) {
		background_at(e, t, i, 1000 + i);
		if (i % 6 == 0)
			feed(e, "%d GET /cart returned %s", 1700000000 + t,
			    i % 1200 == 6 ? "503" : "200");
		while (engine_event(e, &ev, &src))
			;
	}
	for (i = 0; i < 40; i++, t += 2) {
		v = feed(e, "%d GET /cart returned 503", 1700000000 + t);
		flagged += v.flagged;
		values += v.flagged && v.score.kind == KIND_VALUE;
		while (engine_event(e, &ev, &src))
			ends += ev.kind == KIND_BURST_END;
	}
	for (i = 0; i < 100; i++, t += 20) {
		background_at(e, t, i, 100000 + i);
		while (engine_event(e, &ev, &src))
			ends += ev.kind == KIND_BURST_END;
	}
	assert_int_equal(flagged, 1);
	assert_int_equal(values, 0);
	assert_int_equal(ends, 1);
	engine_free(e);
}

/*
 * Two statuses that rise together are one storm: told once a window,
 * not once a value.  A line that is news of its program as well tells
 * that, with none of the share's evidence, and the storm is not told
 * again after it.
 */
static void
test_storm_of_two_values_is_told_once(void **state)
{
	struct engine *e = start_programs();
	struct verdict v;
	int i, told = 0, field = 0;

	(void)state;
	for (i = 0; i < 8000; i++) {
		feed(e, "api: worker %d picked job %d", i % 4, 1000 + i);
		feed(e, "api: GET /api/item/%d returned %s in %d ms", i % 97,
		    i % 400 == 17 ? "500" : i % 400 == 217 ? "502" : "200",
		    3 + i % 5);
	}
	for (i = 0; i < 90; i++) {
		v = feed(e, "%s: GET /api/item/%d returned %s in %d ms",
		    i == 9 ? "edge" : "api", i % 97,
		    i % 3 == 0 ? "500" : i % 3 == 1 ? "502" : "200",
		    3 + i % 5);
		if (v.score.kind == KIND_VALUE && v.score.ev.field != NULL) {
			field++;
			assert_false(v.score.ev.share);
			assert_true(v.score.ev.window_count == 0);
		} else if (i < 40)
			told += v.flagged;
	}
	assert_int_equal(told, 1);
	assert_int_equal(field, 1);
	engine_free(e);
}

/*
 * A batch that comes back: every 3000 lines, "cleanup" takes every other
 * line of the job log for 80 lines.  Its comings find others of it near
 * each time; that is how it clumps, and once learned it is no news.
 */
static void
test_recurring_batch_is_no_storm(void **state)
{
	static const char *const job[] = { "build", "test", "deploy",
	    "lint", "docs" };
	struct engine *e = start(params());
	struct verdict v;
	int i, shares = 0;

	(void)state;
	for (i = 0; i < 60000; i++) {
		int batch = i % 3000 >= 1500 && i % 3000 < 1580;

		v = feed(e, "job %s step %d done", batch && i % 2 ?
		    "cleanup" : job[i % 5], i % 7);
		shares += v.flagged && v.score.ev.share;
	}
	assert_true(shares <= 2);
	engine_free(e);
}

/*
 * The same where the status has shown twelve values: past eight a new
 * one is no news, but the twelve are still counted.
 */
static void
test_storm_among_many_values_is_told(void **state)
{
	static const char *const st[] = { "200", "201", "204", "301", "302",
	    "304", "400", "401", "403", "404", "499" };
	struct engine *e = start(params());
	struct verdict v;
	int i, told = 0;

	for (i = 0; i < 8000; i++) {
		background(e, i);
		v = feed(e, "GET /api/item/%d returned %s in %d ms", i % 97,
		    i % 400 == 17 ? "503" : i % 3 ? "200" : st[i % 11],
		    3 + i % 5);
		assert_false(v.flagged);
	}
	for (i = 0; i < 90; i++) {
		v = feed(e, "GET /api/item/%d returned %s in %d ms", i % 97,
		    i % 3 == 0 ? "503" : "200", 3 + i % 5);
		if (v.flagged) {
			told++;
			assert_int_equal(v.score.kind, KIND_VALUE);
			assert_true(v.score.ev.share);
			assert_memory_equal(v.score.ev.value, "503", 3);
			assert_int_equal(v.score.ev.distinct, 0);
		}
	}
	assert_int_equal(told, 1);
	engine_free(e);
}

/*
 * A value that comes in runs (a job that fails sixteen times in a row,
 * one line in twenty overall): sixteen of late is its usual run, counted
 * once, and no news.
 */
static void
test_value_in_runs_is_no_storm(void **state)
{
	struct engine *e = start(params());
	struct verdict v;
	int i;

	for (i = 0; i < 12000; i++) {
		background(e, i);
		v = feed(e, "job %d exited with code %d", i,
		    i % 320 < 16 ? 3 : i % 3 == 0);
		assert_false(v.score.ev.share);
		assert_false(v.flagged);
	}
	engine_free(e);
}

/*
 * A word that was the same on every line until now, where a value now
 * stands ("standard", then "3"): the template takes a variable there and
 * the line is a new value, not an ordinary one.
 */
static void
test_changed_constant_is_a_new_value(void **state)
{
	struct engine *e = start(params());
	struct verdict v;
	int i;

	for (i = 0; i < 3000; i++) {
		background(e, i);
		if (i % 50 == 0)
			feed(e, "raid controller started in mode standard");
	}
	v = feed(e, "raid controller started in mode 3");
	assert_int_equal(v.score.kind, KIND_VALUE);
	assert_true(v.flagged);
	assert_int_equal(v.score.ev.distinct, 1);
	engine_free(e);
}

/*
 * Templates of one event that differ only after a value (an access log's
 * user agents, after the status): a status one of them has seen is no
 * news to the others; one none has seen is.
 */
static void
test_value_known_to_the_event(void **state)
{
	static const int code[] = { 200, 404, 301 };
	struct engine *e = start(params());
	struct verdict v;
	int i;

	for (i = 0; i < 3000; i++) {
		background(e, i);
		if (i % 3 == 0)
			feed(e, "request done status %d agent Mozilla/5.0 "
			    "compatible browser", code[i % 9 / 3]);
		else if (i % 3 == 1)
			feed(e, "request done status %d agent curl",
			    code[i % 6 / 3]);
	}
	v = feed(e, "request done status 301 agent curl");
	assert_false(v.flagged);
	assert_int_not_equal(v.score.kind, KIND_VALUE);
	v = feed(e, "request done status 503 agent curl");
	assert_int_equal(v.score.kind, KIND_VALUE);
	assert_true(v.flagged);
	engine_free(e);
}

/*
 * Templates merged into one (three states of a link, the manual's
 * example) bring their share of lines, decayed as every count is: with
 * a horizon of 300 lines, the link's third of the lines is half the
 * served requests' two thirds, not more (their raw counts made it so).
 */
static void
test_merged_share_is_decayed(void **state)
{
	static const char *const st[] = { "up", "down", "degraded" };
	struct engine_params p = params();
	struct engine *e;
	struct verdict x, y, v;
	int i;

	(void)state;
	p.horizon = 300;
	p.horizon_lines = 1;
	e = start(p);
	for (i = 1; i <= 3000; i++)
		if (i % 3 == 0)
			feed(e, "link eth%d state %s", i / 3 % 2, st[i / 3 % 3]);
		else
			feed(e, "served request %d in %d ms", i, 1 + i % 7);
	x = feed(e, "link eth1 state flapping");
	y = feed(e, "served request 9 in 3000 ms");
	assert_int_equal(y.score.kind, KIND_VALUE);
	assert_true(fabs(x.score.ev.total - y.score.ev.total / 2) < 5);
	engine_free(e);
	/* ... and so do the words' counts that seed the new variable: the
	 * position has seen the template's decayed lines, not all 3000. */
	p.horizon = 1000;
	e = start(p);
	for (i = 1; i <= 3000; i++)
		feed(e, "link eth%d state %s", i % 2, st[i % 3]);
	v = feed(e, "link eth1 state flapping");
	assert_int_equal(v.score.kind, KIND_VALUE);
	assert_true(fabs(v.score.ev.seen - v.score.ev.total) <
	    v.score.ev.total / 20);
	engine_free(e);
}

/*
 * The value models fade with the horizon as every count does: what a
 * position has seen is the template's decayed count, not every line
 * ever.
 */
static void
test_value_models_fade(void **state)
{
	struct engine_params p = params();
	struct engine *e;
	struct verdict v;
	int i;

	(void)state;
	p.horizon = 1000;
	p.horizon_lines = 1;
	e = start(p);
	for (i = 0; i < 10000; i++)
		feed(e, "served request %d in %d ms", i, 1 + i % 7);
	v = feed(e, "served request 1 in 3000 ms");
	assert_int_equal(v.score.kind, KIND_VALUE);
	assert_true(v.score.ev.seen < 3000);
	assert_true(fabs(v.score.ev.seen - v.score.ev.total) < 2);
	engine_free(e);
}

/*
 * Durations written as fractions of a second: 1.5 s among 0.02 to 0.05 s
 * is as far out as 1500 ms among 20 to 50 ms, and scores as it does;
 * 0.04 s is as usual as 40 ms.
 */
static void
test_fractions_scale_as_whole_numbers(void **state)
{
	struct engine *s = start(params()), *ms = start(params());
	struct verdict a, b;
	int i;

	(void)state;
	for (i = 0; i < 3000; i++) {
		background(s, i);
		background(ms, i);
		feed(s, "GET /api/x done in %.3f s", 0.02 + i % 31 * 0.001);
		feed(ms, "GET /api/x done in %d ms", 20 + i % 31);
	}
	a = feed(s, "GET /api/x done in %.3f s", 0.04);
	b = feed(ms, "GET /api/x done in %d ms", 40);
	assert_false(a.flagged);
	assert_false(b.flagged);
	a = feed(s, "GET /api/x done in %.3f s", 1.5);
	b = feed(ms, "GET /api/x done in %d ms", 1500);
	assert_true(a.flagged);
	assert_true(b.flagged);
	assert_int_equal(a.score.kind, KIND_VALUE);
	assert_true(a.score.ev.outlier);
	assert_true(fabs(a.score.bits - b.score.bits) < 1.5);
	engine_free(s);
	engine_free(ms);
}

static void
test_new_value_in_id_position_is_quiet(void **state)
{
	struct engine *e = start(params());
	struct verdict v;
	int i;

	for (i = 0; i < 3000; i++) {
		background(e, i);
		if (i % 3 == 0)
			feed(e, "session %08x opened",
			    (unsigned)i * 2654435761u);
	}
	v = feed(e, "session 0badf00d opened");
	assert_false(v.flagged);
	assert_true(v.score.kind != KIND_VALUE);
	engine_free(e);
}

/*
 * A clock's reading in milliseconds, the same for a minute at a time
 * (few values, each seen often): the next minute is no news, but a
 * number there that is no clock's reading is.
 */
static void
test_new_minute_of_a_clock_is_quiet(void **state)
{
	struct engine *e = start(params());
	struct verdict v;
	long long minute = 1514038440000LL;
	int i;

	for (i = 0; i < 3000; i++) {
		background(e, i);
		if (i % 3 == 0)
			feed(e, "step totals %lld##%d", minute + 60000LL * (i /
			    600), 7000 + i / 3);
	}
	v = feed(e, "step totals %lld##%d", minute + 60000LL * 5, 8001);
	assert_false(v.flagged);
	assert_true(v.score.kind != KIND_VALUE);
	v = feed(e, "step totals %lld##%d", 5285236955125LL, 8002);
	assert_int_equal(v.score.kind, KIND_VALUE);
	assert_true(v.flagged);
	engine_free(e);
}

static void
test_duration_outlier_and_counter(void **state)
{
	struct engine *e = start(params());
	struct verdict v;
	int i;

	for (i = 0; i < 3000; i++)
		background(e, i);	/* "in 1..7 ms", "job 1000+i" */
	v = feed(e, "served request 99 in 3000 ms");
	assert_int_equal(v.score.kind, KIND_VALUE);
	assert_true(v.flagged);
	assert_true(v.score.ev.outlier);
	/* The job counter grows past anything seen: not news. */
	v = feed(e, "worker 1 picked job 900000");
	assert_false(v.flagged);
	engine_free(e);
}

/* A counter that starts again, and again, is a counter each time: its
 * low values are starts, not outliers. */
static void
test_counter_restarts(void **state)
{
	static const int runs[] = { 20000, 4000, 100 };
	struct engine *e = start(params());
	struct verdict v;
	int i, k, flagged = 0;

	(void)state;
	for (k = 0; k < 3; k++)
		for (i = 1; i <= runs[k]; i++) {
			v = feed(e, "worker %d picked job %d", i % 4, i);
			flagged += v.flagged;
		}
	assert_int_equal(flagged, 0);
	engine_free(e);
}

/* ... but a gauge that once counted down into the negatives is no
 * counter for good: a value far above its usual ones still tells. */
static void
test_countdown_then_gauge(void **state)
{
	struct engine *e = start(params());
	struct verdict v;
	int i;

	(void)state;
	for (i = 1; i <= 400; i++)
		feed(e, "gauge reading %d", -10 * i);
	for (i = 0; i < 3000; i++)	/* in no order */
		feed(e, "gauge reading %d", -3000 -
		    (int)(((unsigned)i * 2654435761u) >> 8) % 2000);
	v = feed(e, "gauge reading -1");
	assert_int_equal(v.score.kind, KIND_VALUE);
	assert_true(v.flagged);
	engine_free(e);
}

/*
 * Numbers joined by slashes, as HAProxy's five timers, are numbers to
 * judge, not a date.  And a wide line's positions that turn out to hold
 * ids give their room up to those right of them: the last of twenty
 * numbers after eight ids is judged too.
 */
static void
test_numbers_of_a_wide_line(void **state)
{
	struct engine *e = start(params());
	struct verdict v;
	char wide[384];
	int i, k, n;

	for (i = 0; i < 3000; i++) {
		background(e, i);
		feed(e, "req api%d %d/0/1/%d/%d 200", i % 3, i % 4, 5 + i % 90,
		    7 + i % 90);
		n = snprintf(wide, sizeof wide, "conn");
		for (k = 0; k < 8; k++)
			n += snprintf(wide + n, sizeof wide - (size_t)n,
			    " x%07x", (unsigned)((i * 8 + k) * 2654435761u) >>
			    4);
		for (k = 0; k < 20; k++)
			n += snprintf(wide + n, sizeof wide - (size_t)n, " %d",
			    10 * k + i % 7);
		feed(e, "%s", wide);
	}
	v = feed(e, "req api1 2/0/1/58734/58736 200");
	assert_int_equal(v.score.kind, KIND_VALUE);
	assert_true(v.score.ev.outlier);
	assert_true(v.flagged);
	n = snprintf(wide, sizeof wide, "conn");
	for (k = 0; k < 8; k++)
		n += snprintf(wide + n, sizeof wide - (size_t)n, " x%07x",
		    0xabcde00 + k);
	for (k = 0; k < 20; k++)
		n += snprintf(wide + n, sizeof wide - (size_t)n, " %d",
		    k < 19 ? 10 * k + 3 : 90000);
	v = feed(e, "%s", wide);
	assert_int_equal(v.score.kind, KIND_VALUE);
	assert_true(v.score.ev.outlier);
	assert_true(v.flagged);
	engine_free(e);
}

/* A gauge line whose last number is x, after 300 ordinary ones. */
static struct verdict
gauge_outlier(struct engine *e, int x)
{
	int i;

	for (i = 0; i < 300; i++)
		feed(e, "pool stats active %d idle %d wait %d", 5 + i % 7,
		    10 + i % 5, 1 + i % 3);
	return feed(e, "pool stats active 6 idle 12 wait %d", x);
}

/*
 * The value models of one source stay within their bound: after a flood
 * of 6000 templates with 24 numbers each (34 MiB of models, were they
 * all kept), a new template's numbers go unjudged, where without the
 * flood its outlier is told.
 */
static void
test_value_models_are_bounded(void **state)
{
	struct engine *e = start(params());
	struct verdict v;
	char wide[384];
	int i, k, n;

	v = gauge_outlier(e, 5000);
	assert_int_equal(v.score.kind, KIND_VALUE);
	engine_free(e);

	e = start(params());
	for (i = 0; i < 6000; i++) {
		/* 26 words of its own, spelt in letters: a template each. */
		n = snprintf(wide, sizeof wide, "probe");
		for (k = 0; k < 26; k++)
			n += snprintf(wide + n, sizeof wide - (size_t)n,
			    " %c%c%c", 'a' + i % 26, 'a' + i / 26 % 26,
			    'a' + (i / 676 + k) % 26);
		for (k = 0; k < 24; k++)
			n += snprintf(wide + n, sizeof wide - (size_t)n, " %d",
			    (i * 31 + k * 17) % 1000);
		feed(e, "%s", wide);
	}
	v = gauge_outlier(e, 5000);
	assert_true(v.score.kind != KIND_VALUE);
	engine_free(e);
}

static void
test_repeat_suppression_and_cap(void **state)
{
	const char *src;
	struct engine_params p = params();
	struct engine *e;
	struct score_event ev;
	struct verdict v;
	int i, k, held = 0;

	p.window_unit = WINDOW_LINES;
	p.window = 1000;
	e = start(p);
	for (i = 0; i < 5000; i++)
		background(e, i);
	/* The same outlier twice: the second is scored but not printed. */
	v = feed(e, "served request 1 in 5000 ms");
	assert_true(v.flagged);
	v = feed(e, "served request 2 in 6000 ms");
	assert_int_equal(v.score.kind, KIND_VALUE);
	assert_false(v.flagged);
	assert_true(v.score.suppressed);
	engine_free(e);

	/* A word never seen is news once per word, not once per place. */
	e = start(p);
	for (i = 0; i < 6000; i++) {
		static const char *const states[] = { "up", "down", "testing",
		    "unknown", "lowerlayerdown" };

		background(e, i);
		if (i % 2 == 0)
			feed(e, "link eth%d state %s", i % 3, states[i % 5]);
	}
	v = feed(e, "link eth1 state dormant");
	assert_int_equal(v.score.kind, KIND_VALUE);
	assert_true(v.flagged);
	v = feed(e, "link eth2 state notpresent");
	assert_int_equal(v.score.kind, KIND_VALUE);
	assert_true(v.flagged);
	engine_free(e);

	/* So is a number never seen that is within the usual range. */
	e = start(p);
	for (i = 0; i < 6000; i++) {
		background(e, i);
		if (i % 2 == 0)
			feed(e, "pool resized to %d workers", 10 + 10 * (i % 5));
	}
	v = feed(e, "pool resized to 25 workers");
	assert_int_equal(v.score.kind, KIND_VALUE);
	assert_true(v.flagged);
	v = feed(e, "pool resized to 35 workers");
	assert_int_equal(v.score.kind, KIND_VALUE);
	assert_true(v.flagged);
	engine_free(e);

	/* A template told as new is not told as rare when it comes right
	 * back, unless every finding is to be printed. */
	for (int every = 0; every < 2; every++) {
		struct engine_params q = p;

		q.repeat = 0;
		q.repeat_set = every;
		e = start(q);
		for (i = 0; i < 5000; i++)
			background(e, i);
		v = feed(e, "fan tray four removed");
		assert_int_equal(v.score.kind, KIND_NEW);
		assert_true(v.flagged);
		v = feed(e, "fan tray four removed");
		assert_int_equal(v.score.kind, KIND_RARE);
		assert_true(v.score.bits >= SCORE_DEFAULT_THRESHOLD);
		assert_int_equal(v.flagged, every);
		assert_int_equal(v.score.suppressed, !every);
		engine_free(e);
	}
	/* Past an eighth of a window, its return is another event. */
	e = start(p);
	for (i = 0; i < 5000; i++)
		background(e, i);
	v = feed(e, "fan tray four removed");
	assert_true(v.flagged);
	for (i = 0; i < 200; i++)
		background(e, i);
	v = feed(e, "fan tray four removed");
	assert_int_equal(v.score.kind, KIND_RARE);
	assert_true(v.flagged);
	engine_free(e);

	/* The cap: at most 3 findings a window, the rest summed up.  (The
	 * alarms come apart, each news: a run of new shapes in a row is an
	 * episode, whose later lines say less; see test_new_episode.) */
	p.scorer.max_alerts = 3;
	e = start(p);
	for (i = 0; i < 5000; i++)
		background(e, i);
	for (i = 0; i < 8; i++) {
		for (k = 0; k < 60; k++)
			background(e, 5000 + 60 * i + k);
		v = feed(e, "%c%c%cx alarm %c%c%cy raised", 'a' + i, 'h' + i,
		    'o' + i, 'b' + i, 'c' + i, 'q' + i);
		assert_true(v.score.bits >= 10);
		assert_int_equal(v.flagged, i < 3);
	}
	for (i = 0; i < 1000; i++) {
		background(e, i);
		while (engine_event(e, &ev, &src))
			if (ev.kind == KIND_HELD) {
				held++;
				assert_int_equal(ev.count, 5);
				assert_int_equal(ev.held[KIND_NEW], 5);
			}
	}
	assert_int_equal(held, 1);
	engine_free(e);
}

static void
test_event_time_from_header(void **state)
{
	struct engine_params p = params();
	struct engine *e;
	struct verdict v;

	p.format = "<Date> <Time> <Content>";
	p.window_unit = WINDOW_SECONDS;
	e = start(p);
	v = feed(e, "2015-10-18 18:01:47,978 started");
	assert_true(v.time > 1445191307.9 && v.time < 1445191308);
	/* A line without a readable time keeps the last one. */
	v = feed(e, "garbage here started");
	assert_true(v.time > 1445191307.9 && v.time < 1445191308);
	/* Time never runs backwards. */
	v = feed(e, "2015-10-18 18:00:00,000 started");
	assert_true(v.time > 1445191307.9);
	engine_free(e);

	/* Without a time in the header, a duration window runs on the
	 * clock. */
	p.format = NULL;
	e = start(p);
	v = feed(e, "no time here");
	assert_true(v.time > 1700000000);
	assert_false(engine_ticks_are_lines(e));
	engine_free(e);

	/* By default windows count lines; the event time is read when the
	 * records need it. */
	p = params();
	p.need_time = 1;
	p.format = "<Date> <Time> <Content>";
	e = start(p);
	v = feed(e, "2015-10-18 18:01:47,978 started");
	assert_true(engine_ticks_are_lines(e));
	assert_true(v.time > 1445191307.9 && v.time < 1445191308);
	engine_free(e);
}

static void
test_severity_orders_new_lines(void **state)
{
	struct engine_params p = params();
	struct engine *e;
	struct verdict dbg, err, off;
	int i;

	p.format = "<Level> <Content>";
	e = start(p);
	for (i = 0; i < 3000; i++)
		feed(e, "INFO served request %d in %d ms", i, 1 + i % 7);
	dbg = feed(e, "DEBUG cache shard rebalanced quietly");
	for (i = 0; i < 3000; i++)
		feed(e, "INFO served request %d in %d ms", i, 1 + i % 7);
	err = feed(e, "ERROR journal replay stopped halfway");
	assert_int_equal(dbg.score.kind, KIND_NEW);
	assert_int_equal(err.score.kind, KIND_NEW);
	assert_true(err.score.bits > dbg.score.bits + 4);
	assert_true(err.score.ev.severity == 3);
	assert_true(dbg.score.ev.severity < -1.99);
	engine_free(e);

	/* In a log mostly at debug level, a debug line is the usual line:
	 * a new one is damped no more than a new INFO line among INFO
	 * ones, and scores as high. */
	for (i = 0; i < 2; i++) {
		struct engine *x = start(p);
		const char *lv = i == 0 ? "INFO" : "DEBUG";

		for (int k = 0; k < 3000; k++)
			feed(x, "%s served request %d in %d ms", lv, k,
			    1 + k % 7);
		if (i == 0)
			off = feed(x, "INFO cache shard rebalanced quietly");
		else
			dbg = feed(x, "DEBUG cache shard rebalanced quietly");
		engine_free(x);
	}
	assert_int_equal(dbg.score.kind, KIND_NEW);
	assert_true(dbg.score.ev.severity == 0);
	assert_true(dbg.score.bits == off.score.bits);

	/* Between the two the damping slides with the share of debug
	 * lines: no cliff where they are about half the log (logcat's D
	 * and V against its I and W). */
	for (i = 0; i < 2; i++) {
		struct engine *x = start(p);
		int every = i == 0 ? 20 : 2;	/* 1 in 20, or 49% */

		for (int k = 0; k < 3000; k++)
			feed(x, "%s served request %d in %d ms",
			    k % every == 1 && (i == 0 || k % 100 != 1) ?
			    "DEBUG" : "INFO", k, 1 + k % 7);
		dbg = feed(x, "DEBUG cache shard rebalanced quietly");
		engine_free(x);
		if (i == 0)
			assert_true(dbg.score.ev.severity < -1.8);
		else
			assert_true(dbg.score.ev.severity > -0.1 &&
			    dbg.score.ev.severity < 0);
	}

	/*
	 * The level tips news of content, not of frequency: a rare ERROR
	 * line whose rarity alone is under the threshold scores over it
	 * but is not a finding (nor held back as a repeat).
	 */
	p.repeat = 0;
	p.repeat_set = 1;
	e = start(p);
	for (i = 0; i < 20000; i++) {
		feed(e, "INFO served request %d in %d ms", i, 1 + i % 7);
		if (i % 1000 == 500)
			feed(e, "ERROR disk sector %d remapped", i);
	}
	err = feed(e, "ERROR disk sector 7 remapped");
	assert_true(err.score.bits >= SCORE_DEFAULT_THRESHOLD);
	assert_true(err.score.bits - err.score.ev.severity <
	    SCORE_DEFAULT_THRESHOLD);
	assert_false(err.flagged);
	assert_false(err.score.suppressed);
	engine_free(e);

	/* A weight of 0 turns it off. */
	p.scorer.severity_weight = 0;
	e = start(p);
	for (i = 0; i < 3000; i++)
		feed(e, "INFO served request %d in %d ms", i, 1 + i % 7);
	off = feed(e, "ERROR journal replay stopped halfway");
	assert_true(off.score.ev.severity == 0);
	engine_free(e);
}

/* The records e has, all silences of a heartbeat: how many. */
static int
heartbeat_silences(struct engine *e)
{
	struct score_event ev;
	const char *src;
	int n = 0;

	while (engine_event(e, &ev, &src)) {
		assert_int_equal(ev.kind, KIND_SILENCE);
		assert_non_null(strstr(template_text(ev.tmpl, NULL),
		    "heartbeat"));
		n++;
	}
	return n;
}

static void
test_silence(void **state)
{
	const char *src;
	struct engine_params p = params();
	struct engine *e;
	struct score_event ev;
	int i, silences = 0;

	p.format = "<Time> <Content>";
	p.window_unit = WINDOW_SECONDS;
	p.window = 60;
	p.scorer.silence = 1;
	e = start(p);
	/* A heartbeat every 10 s for a day, then it stops. */
	for (i = 0; i < 8640; i++) {
		feed(e, "%d heartbeat from node %d ok", 1700000000 + 10 * i,
		    i % 2);
		if (i % 5 == 0)
			feed(e, "%d served request %d", 1700000000 + 10 * i, i);
		while (engine_event(e, &ev, &src))
			silences++;
	}
	assert_int_equal(silences, 0);
	for (i = 0; i < 600; i++) {
		feed(e, "%d served request %d", 1700086400 + 10 * i, i);
		silences += heartbeat_silences(e);
	}
	assert_int_equal(silences, 1);
	engine_free(e);

	/* Lines 10 ms apart: a pause of two seconds (across the start of
	 * a sub-window, when silences are looked for) is 200 gaps, but
	 * shorter than a sub-window (7.5 s), the grain of the windows, so
	 * no silence; ten seconds are. */
	e = start(p);
	silences = 0;
	for (i = 0; i < 6150; i++) {
		feed(e, "%d.%02d heartbeat ok", 1700000000 + i / 100, i % 100);
		feed(e, "%d.%02d served request %d", 1700000000 + i / 100,
		    i % 100, i);
		while (engine_event(e, &ev, &src))
			silences++;
	}
	for (i = 6150; i < 6350; i++) {
		feed(e, "%d.%02d served request %d", 1700000000 + i / 100,
		    i % 100, i);
		while (engine_event(e, &ev, &src))
			silences++;
	}
	assert_int_equal(silences, 0);
	for (i = 6350; i < 7350; i++) {
		feed(e, "%d.%02d served request %d", 1700000000 + i / 100,
		    i % 100, i);
		while (engine_event(e, &ev, &src))
			silences += ev.kind == KIND_SILENCE;
	}
	assert_int_equal(silences, 1);
	engine_free(e);
}

/*
 * A heartbeat every 10 s for two days, then nothing for three, told when
 * the next lines come: the gap known from 100 gaps, the chance of the
 * quiet is (1 + q / (100 g))^-100, about 2^-802 less the two templates
 * tried and the six gaps of a window (Poisson alone would say 2^-37400).
 */
static void
test_silence_tail(void **state)
{
	const char *src;
	struct engine_params p = params();
	struct engine *e;
	struct score_event ev;
	double bits = 0, want;
	int i, silences = 0;

	(void)state;
	p.format = "<Time> <Content>";
	p.window_unit = WINDOW_SECONDS;
	p.window = 60;
	p.scorer.silence = 1;
	e = start(p);
	for (i = 0; i < 17280; i++) {
		feed(e, "%d heartbeat ok", 1700000000 + 10 * i);
		if (i % 6 == 0)
			feed(e, "%d served request %d", 1700000000 + 10 * i, i);
		while (engine_event(e, &ev, &src))
			silences++;
	}
	assert_int_equal(silences, 0);
	/* Two lines: one far stamp alone does not move the clock. */
	feed(e, "%d served request %d", 1700000000 + 10 * 17279 + 259200, i);
	feed(e, "%d served request %d", 1700000000 + 10 * 17279 + 259200,
	    i + 1);
	/* The requests were quiet as long: theirs is told too. */
	while (engine_event(e, &ev, &src)) {
		assert_int_equal(ev.kind, KIND_SILENCE);
		if (strstr(template_text(ev.tmpl, NULL), "heartbeat") != NULL) {
			bits = ev.bits;
			silences++;
		}
	}
	assert_int_equal(silences, 1);
	want = 100 * log2(1 + 259200 / (100 * 10.0)) - log2(2) - log2(6);
	assert_true(fabs(bits - want) < 0.5);
	engine_free(e);
}

/*
 * Lines that come in clumps (a dozen workers each minute) are measured
 * by the gaps between clumps: no silence while they keep coming, none
 * after the first clump alone, and one when they stop.
 */
static void
test_silence_of_clumps(void **state)
{
	const char *src;
	struct engine_params p = params();
	struct engine *e;
	struct score_event ev;
	int i, k, silences = 0;

	(void)state;
	p.format = "<Time> <Content>";
	p.window_unit = WINDOW_SECONDS;
	p.window = 300;
	p.scorer.silence = 1;
	e = start(p);
	for (i = 0; i < 360; i++) {
		for (k = 0; k < 12; k++)
			feed(e, "%d.%02d worker %d heartbeat queue %d",
			    1700000000 + 60 * i, 4 * k, k, (i + k) % 5);
		for (k = 0; k < 6; k++)
			feed(e, "%d served request %d", 1700000005 + 60 * i +
			    10 * k, i * 6 + k);
		while (engine_event(e, &ev, &src))
			silences++;
	}
	assert_int_equal(silences, 0);
	for (i = 360; i < 400; i++) {
		for (k = 0; k < 6; k++)
			feed(e, "%d served request %d", 1700000005 + 60 * i +
			    10 * k, i * 6 + k);
		silences += heartbeat_silences(e);
	}
	assert_int_equal(silences, 1);
	engine_free(e);
}

/*
 * A source that logged nothing for two days (an outage, a day missing
 * between archives) comes back at its old pace: that is no burst, as
 * its quiet was a pause, not its templates growing rare.
 */
static void
test_pause_is_no_burst(void **state)
{
	struct engine *e = start_log_time(300);
	struct verdict v;
	double most = 0;
	int t;

	(void)state;
	for (t = 0; t < 54 * 3600; t++) {
		if (t == 4 * 3600)
			t = 52 * 3600;	/* two days of nothing */
		v = feed(e, "%d served request %d", 1700000000 + t, t);
		if (t >= 52 * 3600 && v.score.bits > most)
			most = v.score.bits;
		if (t % 10 == 0)
			v = feed(e, "%d heartbeat ok from worker %d",
			    1700000000 + t, t / 10 % 4);
		if (t >= 52 * 3600 && v.score.bits > most)
			most = v.score.bits;
		if (t % 60 == 0)
			feed(e, "%d stats hits %d", 1700000000 + t, t % 97);
	}
	/* No line after it is near a finding (9.3 bits, the pace of a
	 * burst, when the quiet made the baselines fade). */
	assert_true(most < 8);
	engine_free(e);
}

/*
 * A template that comes ten times as often from one day on (a chattier
 * release) is a burst when it starts; ten windows on it is the norm: the
 * burst ends, and is not told again.
 */
static void
test_lasting_rise_becomes_the_norm(void **state)
{
	struct engine *e = start(params());
	struct score_event ev;
	struct verdict v;
	const char *src;
	int i, bursts = 0, ends = 0;

	(void)state;
	for (i = 1; i <= 20000; i++) {
		feed(e, "worker %d picked job %d", i % 4, 1000 + i);
		if (i % 500 == 250)
			feed(e, "replica lagging behind primary");
	}
	for (i = 1; i <= 40000; i++) {
		feed(e, "worker %d picked job %d", i % 4, 30000 + i);
		if (i % 20 == 10) {
			v = feed(e, "replica lagging behind primary");
			bursts += v.score.kind == KIND_BURST && v.flagged;
		}
		while (engine_event(e, &ev, &src))
			if (ev.kind == KIND_BURST_END) {
				ends++;
				assert_true(ev.duration <= 11 * 1000);
			}
	}
	assert_int_equal(bursts, 1);
	assert_int_equal(ends, 1);
	engine_free(e);
}

/*
 * One stamp a day ahead of a steady stream (a count read as a time, one
 * writer's clock off) does not take the clock with it: the lines after
 * it keep their time.  Two stamps that agree are a leap (a day missing
 * between archives), and the clock goes.
 */
static void
test_one_stamp_ahead_holds_no_clock(void **state)
{
	struct engine *e = start_log_time(300);
	struct verdict v;
	int t;

	(void)state;
	for (t = 0; t < 3600; t++)
		feed(e, "%d served request %d", 1700000000 + t, t);
	v = feed(e, "%d served request 1", 1700000000 + 86400);
	assert_true(fabs(v.time - (1700000000 + 3599)) < 1);
	v = feed(e, "%d served request 2", 1700000000 + 3600);
	assert_true(fabs(v.time - (1700000000 + 3600)) < 1);
	feed(e, "%d served request 3", 1700000000 + 86400);
	v = feed(e, "%d served request 4", 1700000000 + 86401);
	assert_true(fabs(v.time - (1700000000 + 86401)) < 1);
	engine_free(e);
}

/*
 * Lines every 10 s by a local clock, 00:00 to 06:00 on day, with the
 * hour from 02:00 written twice (from 03:00 back to 02:00) and zone
 * after each stamp.  Returns the time of the first line after the step
 * back, and counts the bursts flagged.
 */
static double
clock_back_an_hour(const char *day, const char *zone, int *bursts)
{
	struct engine *e = start_log_time(300);
	struct verdict v;
	double first = 0;
	int s, t;

	*bursts = 0;
	for (s = 0; s < 5 * 3600; s += 10) {
		t = s < 3 * 3600 ? s : s - 3600;
		v = feed(e, "%sT%02d:%02d:%02d%s served request %d", day,
		    t / 3600, t / 60 % 60, t % 60, zone, s);
		if (s == 3 * 3600)
			first = v.time;
		*bursts += v.score.kind == KIND_BURST && v.flagged;
	}
	engine_free(e);
	return first;
}

/*
 * When daylight saving time ends the local clock goes back an hour: the
 * lines of the hour written twice are an hour later than they say, not
 * a pile at one time (a burst of everything) until the clock catches up.
 * A step back at another season, or of a clock that names its zone, is
 * lines out of order, and they wait for the time the clock has.
 */
static void
test_daylight_saving_ends(void **state)
{
	int bursts;

	(void)state;
	/* 1792886400 is 2026-10-25, 1781395200 2026-06-14. */
	assert_true(fabs(clock_back_an_hour("2026-10-25", "", &bursts) -
	    (1792886400 + 3 * 3600)) < 1);
	assert_int_equal(bursts, 0);
	assert_true(fabs(clock_back_an_hour("2026-06-14", "", &bursts) -
	    (1781395200 + 3 * 3600 - 10)) < 1);
	assert_true(fabs(clock_back_an_hour("2026-10-25", "Z", &bursts) -
	    (1792886400 + 3 * 3600 - 10)) < 1);
}

/*
 * The hour a local clock repeats shifts the stamps that name no zone
 * after it, and only those: a line whose stamp names its zone, or is
 * epoch seconds, keeps the time it says (found by an audit: one offset
 * moved every later stamp an hour on, and a year on after a year-less
 * stamp rolled over).
 */
static void
test_dst_shifts_only_local_stamps(void **state)
{
	struct engine *e = start_log_time(300);
	struct verdict v;
	int s, t;

	(void)state;
	/* 1792886400 is 2026-10-25. */
	for (s = 0; s < 4 * 3600; s += 10) {
		t = s < 3 * 3600 ? s : s - 3600;
		v = feed(e, "2026-10-25T%02d:%02d:%02d served request %d",
		    t / 3600, t / 60 % 60, t % 60, s);
	}
	assert_true(fabs(v.read_time - (1792886400 + 4 * 3600 - 10)) < 1);
	v = feed(e, "2026-10-25T04:00:00Z served request 1");
	assert_true(fabs(v.read_time - (1792886400 + 4 * 3600)) < 1);
	v = feed(e, "2026-10-25T04:00:10+00:00 served request 2");
	assert_true(fabs(v.read_time - (1792886400 + 4 * 3600 + 10)) < 1);
	v = feed(e, "%d served request 3", 1792886400 + 4 * 3600 + 20);
	assert_true(fabs(v.read_time - (1792886400 + 4 * 3600 + 20)) < 1);
	/* The local clock's own lines are still an hour on. */
	v = feed(e, "2026-10-25T03:00:30 served request 4");
	assert_true(fabs(v.read_time - (1792886400 + 4 * 3600 + 30)) < 1);
	engine_free(e);
}

/*
 * A line dated centuries ahead, with a horizon in seconds, halves the
 * baselines a bounded number of times: once per horizon passed, it spun
 * for minutes (found by fuzzing).  The model is still there after it.
 */
static void
test_leap_in_time(void **state)
{
	struct engine_params p = params();
	struct engine *e;
	struct verdict v;
	clock_t c0;
	int i;

	p.window_unit = WINDOW_SECONDS;
	p.window = 10;
	p.horizon = 60;
	e = start(p);
	for (i = 0; i < 50; i++)
		feed(e, "2026-11-20T08:00:%02dZ INFO served request %d", i, i);
	c0 = clock();
	v = feed(e, "5948-11-20T08:00:30Z INFO served request 7");
	assert_false(v.created);
	v = feed(e, "9999-11-20T08:00:30Z INFO served request 8");
	assert_true(clock() - c0 < 5 * CLOCKS_PER_SEC);
	assert_false(v.created);
	v = feed(e, "9999-11-20T08:01:30Z INFO served request 9");
	assert_int_not_equal(v.score.kind, KIND_NEW);
	engine_free(e);
}

/*
 * A header field tied to the template (the program that logs it): a
 * known line from another program is a header value; where the field
 * changes from line to line (a worker of many, a template many programs
 * log) it is not.
 */
static void
test_header_value_new_to_template(void **state)
{
	static const char *const prog[] = { "web", "db", "cron" };
	struct engine_params p = params();
	struct engine *e, *f;
	struct verdict v;
	int i;

	p.format = "<Program> <Worker>: <Content>";
	e = start(p);
	f = start(p);
	for (i = 0; i < 3000; i++) {
		feed(e, "%s w%d: %s", prog[i % 3], i % 50,
		    i % 3 == 0 ? "served request" : i % 3 == 1 ?
		    "checkpoint complete" : "rotated logs");
		feed(f, "p%d w%d: served request", i % 40, i % 50);
	}
	v = feed(e, "db w7: served request");
	assert_int_equal(v.score.kind, KIND_VALUE);
	assert_true(v.flagged);
	assert_string_equal(v.score.ev.field, "Program");
	assert_int_equal(v.score.ev.value_len, 2);
	assert_int_equal(v.score.ev.distinct, 1);
	/* Told once per value; the same program again is no news. */
	v = feed(e, "db w8: served request");
	assert_false(v.flagged);
	/* A worker never seen, where workers change: nothing. */
	v = feed(e, "web w99: served request");
	assert_false(v.flagged);
	/* Where programs are not tied to templates, nothing either. */
	v = feed(f, "mail w7: served request");
	assert_false(v.flagged);
	engine_free(e);
	engine_free(f);
}

/* Made-up words for made-up shapes: two or three of these each. */
static const char *const syllables[] = { "ba", "ce", "di", "fo", "gu",
    "ha", "ke", "li" };

/*
 * A log where templates seen once often come back (from their own
 * program): by Good-Turing such a return is no news, unless it comes
 * from a program the template never came from.
 */
static void
test_rare_return_from_another_program(void **state)
{
	struct engine *e = start_programs();
	struct verdict v;
	int i;

	for (i = 0; i < 3000; i++) {
		feed(e, "web: served request %d in %d ms", i, 1 + i % 7);
		/* 40 shapes of db's, each twice. */
		if (i % 30 == 0 && i < 2400)
			feed(e, "db: %s%s job finished", syllables[i / 30 % 8],
			    syllables[i / 30 % 40 / 8]);
		if (i == 2500)
			feed(e, "cron: rotated %d logs", i % 9);
		if (i == 2600)
			feed(e, "cron: pruned %d old snapshots", i % 9);
	}
	v = feed(e, "cron: rotated 5 logs");
	assert_false(v.flagged);
	v = feed(e, "web: pruned 7 old snapshots");
	assert_int_equal(v.score.kind, KIND_VALUE);
	assert_true(v.flagged);
	assert_string_equal(v.score.ev.field, "Program");
	engine_free(e);
}

/*
 * P_new by header value: a program that has logged thousands of lines
 * and never a new shape makes a new one from it more news than the
 * program that makes a new shape every time.
 */
static void
test_new_from_a_steady_program(void **state)
{
	struct engine *e = start_programs(), *f = start_programs();
	int i;

	for (i = 0; i < 3000; i++) {
		feed(e, "web: served request %d in %d ms", i, 1 + i % 7);
		feed(f, "web: served request %d in %d ms", i, 1 + i % 7);
		if (i % 15 == 0) {
			feed(e, "batch: %s%s%s step done",
			    syllables[i / 15 % 8], syllables[i / 120 % 8],
			    syllables[i / 960 % 8]);
			feed(f, "batch: %s%s%s step done",
			    syllables[i / 15 % 8], syllables[i / 120 % 8],
			    syllables[i / 960 % 8]);
		}
	}
	new_in_both(e, "web: disk controller reset on bus seven", f,
	    "batch: disk controller reset on bus seven", 4);
	engine_free(e);
	engine_free(f);
}

/*
 * A restart: a program that logged the same few shapes for hours makes
 * thirty new ones in a row.  The first are news; by the end of the
 * flurry a new shape from it is much less news than one from the same
 * program in a stable log.
 */
static void
test_restart_flurry_is_less_news(void **state)
{
	struct engine *e = start_programs(), *f = start_programs();
	struct verdict first, last;
	int i;

	for (i = 0; i < 3000; i++) {
		feed(e, "db: served query %d in %d ms", i, 1 + i % 7);
		feed(f, "db: served query %d in %d ms", i, 1 + i % 7);
	}
	first = feed(e, "db: %s%s module %s%s starting", syllables[0],
	    syllables[1], syllables[2], syllables[3]);
	for (i = 1; i < 30; i++)
		last = feed(e, "db: %s%s%s stage %s%s done", syllables[i % 8],
		    syllables[i / 8 % 8], syllables[(i + 3) % 8],
		    syllables[(i + 5) % 8], syllables[i / 4 % 8]);
	assert_int_equal(first.score.kind, KIND_NEW);
	assert_true(first.score.bits >= SCORE_DEFAULT_THRESHOLD);
	assert_int_equal(last.score.kind, KIND_NEW);
	assert_true(last.score.bits < SCORE_DEFAULT_THRESHOLD);
	new_in_both(f, "db: checkpoint tablespace flushed quietly", e,
	    "db: checkpoint tablespace flushed quietly", 8);
	engine_free(e);
	engine_free(f);
}

/*
 * A nightly job's ten lines, each a template seen once, come back the
 * next night: the first of them are news, the rest of the episode is
 * not each news again.
 */
/*
 * New shapes in a run, past what the log's own rate of them brings, are
 * an episode (a restart, a deploy): its first lines are news, its later
 * ones, whose words are new because the episode's are, say less.  The
 * same lines apart from each other are each news.
 */
static void
test_new_episode(void **state)
{
	struct engine *run = start(params()), *apart = start(params());
	struct verdict first, last = { 0 }, spaced = { 0 };
	int i, k;

	for (i = 0; i < 5000; i++) {
		background(run, i);
		background(apart, i);
	}
	for (i = 0; i < 8; i++) {
		for (k = 0; k < 60; k++)
			background(apart, 5000 + 60 * i + k);
		spaced = feed(apart, "%c%c%cx stage %c%c%cy done", 'a' + i,
		    'h' + i, 'o' + i, 'b' + i, 'c' + i, 'q' + i);
		assert_true(spaced.flagged);
	}
	first = feed(run, "aho stage bcq done");
	for (i = 1; i < 8; i++)
		last = feed(run, "%c%c%cx stage %c%c%cy done", 'a' + i,
		    'h' + i, 'o' + i, 'b' + i, 'c' + i, 'q' + i);
	assert_true(first.flagged);
	assert_int_equal(last.score.kind, KIND_NEW);
	assert_false(last.flagged);
	assert_true(last.score.bits < spaced.score.bits - 3);
	engine_free(run);
	engine_free(apart);
}

static void
test_returning_episode(void **state)
{
	struct engine *e = start(params());
	struct verdict v[10];
	int i, night;

	for (night = 0; night < 2; night++) {
		for (i = 0; i < 20000; i++)
			background(e, i);
		for (i = 0; i < 10; i++)
			v[i] = feed(e, "nightly %s%s %s step %s%s finished",
			    syllables[i % 8], syllables[(i + 1) % 8],
			    syllables[i / 2 % 8], syllables[(i + 5) % 8],
			    syllables[(i + 3) % 8]);
	}
	assert_int_equal(v[0].score.kind, KIND_RARE);
	assert_true(v[0].score.bits >= SCORE_DEFAULT_THRESHOLD);
	assert_true(v[9].score.bits < SCORE_DEFAULT_THRESHOLD);
	engine_free(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_after_stable_beats_new_after_chaos),
		cmocka_unit_test(test_new_after_recurring_beats_new_after_one_offs),
		cmocka_unit_test(test_new_key_is_a_new_word),
		cmocka_unit_test(test_rare_is_a_tail_not_a_frequency),
		cmocka_unit_test(test_fractions_scale_as_whole_numbers),
		cmocka_unit_test(test_seldom_value_storm_is_told),
		cmocka_unit_test(test_storm_told_once_among_outliers),
		cmocka_unit_test(test_storm_among_many_values_is_told),
		cmocka_unit_test(test_recurring_batch_is_no_storm),
		cmocka_unit_test(test_storm_of_two_values_is_told_once),
		cmocka_unit_test(test_burst_of_a_seldom_value_is_one_burst),
		cmocka_unit_test(test_value_in_runs_is_no_storm),
		cmocka_unit_test(test_rare_return_by_good_turing),
		cmocka_unit_test(test_burst_reported_once_with_summary),
		cmocka_unit_test(test_new_value_in_few_valued_position),
		cmocka_unit_test(test_value_known_to_the_event),
		cmocka_unit_test(test_merged_share_is_decayed),
		cmocka_unit_test(test_value_models_fade),
		cmocka_unit_test(test_new_value_in_id_position_is_quiet),
		cmocka_unit_test(test_changed_constant_is_a_new_value),
		cmocka_unit_test(test_new_minute_of_a_clock_is_quiet),
		cmocka_unit_test(test_duration_outlier_and_counter),
		cmocka_unit_test(test_counter_restarts),
		cmocka_unit_test(test_countdown_then_gauge),
		cmocka_unit_test(test_numbers_of_a_wide_line),
		cmocka_unit_test(test_value_models_are_bounded),
		cmocka_unit_test(test_repeat_suppression_and_cap),
		cmocka_unit_test(test_event_time_from_header),
		cmocka_unit_test(test_severity_orders_new_lines),
		cmocka_unit_test(test_new_value_in_a_burst_is_told),
		cmocka_unit_test(test_silence),
		cmocka_unit_test(test_silence_tail),
		cmocka_unit_test(test_silence_of_clumps),
		cmocka_unit_test(test_pause_is_no_burst),
		cmocka_unit_test(test_lasting_rise_becomes_the_norm),
		cmocka_unit_test(test_one_stamp_ahead_holds_no_clock),
		cmocka_unit_test(test_leap_in_time),
		cmocka_unit_test(test_daylight_saving_ends),
		cmocka_unit_test(test_dst_shifts_only_local_stamps),
		cmocka_unit_test(test_header_value_new_to_template),
		cmocka_unit_test(test_rare_return_from_another_program),
		cmocka_unit_test(test_new_from_a_steady_program),
		cmocka_unit_test(test_restart_flurry_is_less_news),
		cmocka_unit_test(test_new_episode),
		cmocka_unit_test(test_returning_episode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
