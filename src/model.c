/*
 * A model owns one source's parse tree (with its templates) and scorer,
 * and decides what time means for it.  The scorer's windows count ticks:
 * lines, or seconds.  By default, and with --window in lines, ticks are
 * the source's own line count: a burst is then a template taking a far
 * larger share of the source's recent lines than usual, which holds
 * whatever the log's clock does (sampled logs, timestamps out of order,
 * traffic surges).  With a duration, ticks are the lines' own time, or
 * the clock when the lines carry none (decided on the source's first
 * line).  Lines without a time of their own keep the last one; time never
 * runs backwards, but a local clock's step back at the end of daylight
 * saving time moves it on an hour, and a year or day the header leaves
 * out rolls over when the clock would.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drain.h"
#include "engine.h"
#include "model.h"
#include "parser.h"
#include "sbuf.h"
#include "score.h"
#include "template.h"
#include "timeparse.h"
#include "tokenize.h"
#include "u64map.h"
#include "vocab.h"
#include "xmalloc.h"

#define SMALL_MEMO	1024	/* shape cache slots of one of many */
#define SMALL_VOCAB	17	/* its vocabulary, 2^17 bits */
#define BIG_VOCAB	22	/* the vocabulary of the only model */

enum tick_source { TICK_UNSET, TICK_LINES, TICK_EVENT, TICK_CLOCK };

#define LEAP_MIN	60	/* s: a stamp this far ahead may leap ... */
#define LEAP_PACES	100	/* ... or this many of the stream's steps */
#define DST_SLACK	1800	/* s: most a DST step back may be short of an
				   hour by the time between its lines */

/* Where a source is in time. */
struct clock {
	uint64_t	 lines;		/* of this source */
	double		 last_time;	/* last event time */
	/* What stamps that lack a part are behind: those without a year
	 * (or a date) by the years (or days) they rolled over, those
	 * without a zone by the hours autumn repeated.  A stamp that has
	 * the part is never shifted for it. */
	double		 cal_offset;
	double		 dst_offset;
	double		 tick;
	int		 anchor;	/* loaded: offset to fit to tick */
	double		 pace;		/* mean step between stamps */
	double		 leap;		/* a stamp far ahead, held, or 0 */
	int		 held;		/* ... the line just judged's */
};

struct model {
	const struct engine_params	*p;
	struct drain			*tree;
	struct scorer			*scorer;
	struct vocab			*vocab;		/* its own */
	char				*name;
	enum tick_source		 source;
	struct clock			 clock;
	/* Without learn the model's clock stands still: the run's own
	 * starts from it. */
	struct clock			 run;
	int				 run_started;
	double				 wall;		/* the clock at the last
							   line, for --silence */
};

struct model *
model_new(const struct engine_params *p, const char *name, size_t len,
    int small)
{
	struct drain_params dp = p->drain;
	struct model *m;

	m = xcalloc(1, sizeof *m);
	m->p = p;
	m->vocab = vocab_new(small ? SMALL_VOCAB : BIG_VOCAB);
	m->name = xstrndup(name, len);
	if (small && (dp.memo_slots == 0 || dp.memo_slots > SMALL_MEMO))
		dp.memo_slots = SMALL_MEMO;
	m->tree = drain_new(&dp);
	return m;
}

void
model_free(struct model *m)
{
	if (m == NULL)
		return;
	/* The scorer points at the templates: it goes first. */
	scorer_free(m->scorer);
	drain_free(m->tree);
	vocab_free(m->vocab);
	free(m->name);
	free(m);
}

const char *
model_name(const struct model *m)
{
	return m->name;
}

static double
clock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Make the scorer once the first line says what ticks are. */
static void
model_start(struct model *m, int has_time)
{
	const struct engine_params *p = m->p;
	struct scorer_params sp = p->scorer;
	double window = p->window;

	switch (p->window_unit) {
	case WINDOW_LINES:
	case WINDOW_AUTO:
		m->source = TICK_LINES;
		break;
	case WINDOW_SECONDS:
		m->source = has_time ? TICK_EVENT : TICK_CLOCK;
		break;
	}
	if (window <= 0 || p->window_unit == WINDOW_AUTO)
		window = m->source == TICK_LINES ? SCORE_DEFAULT_WINDOW_LINES :
		    SCORE_DEFAULT_WINDOW_SECS;
	sp.window = window;
	if (p->horizon > 0) {
		sp.horizon = p->horizon;
		sp.horizon_lines = p->horizon_lines;
	} else {
		sp.horizon = SCORE_DEFAULT_HORIZON;
		sp.horizon_lines = 1;
	}
	sp.repeat = p->repeat_set ? p->repeat : -1;
	sp.warmup = p->warmup;
	m->scorer = scorer_new(&sp, m->vocab);
}

/*
 * Is a local clock's stamp t, back behind the tick by back seconds, the
 * hour daylight saving time repeats in autumn?  Then the step is about
 * an hour (less the time between the two lines), and t is in the small
 * hours of a month the change comes in, north (October, November) or
 * south (March, April) of the equator.  Anything else stepping back is
 * a line out of order, and waits for the tick as before.
 */
static int
dst_step_back(double back, double t, double pace)
{
	double slack = fmin(DST_SLACK, fmax(LEAP_MIN, LEAP_PACES * pace));
	time_t secs = (time_t)floor(t);
	struct tm tm;

	if (back > 3600 + 1 || back < 3600 - slack ||
	    gmtime_r(&secs, &tm) == NULL)
		return 0;
	return tm.tm_hour <= 3 && (tm.tm_mon == 2 || tm.tm_mon == 3 ||
	    tm.tm_mon == 9 || tm.tm_mon == 10);
}

/* How far c shifts a stamp with these TIME_HAS_* flags. */
static double
clock_shift(const struct clock *c, int flags)
{
	return ((flags & TIME_HAS_YEAR) ? 0 : c->cal_offset) +
	    ((flags & TIME_HAS_ZONE) ? 0 : c->dst_offset);
}

static double
model_tick(struct model *m, struct clock *c, const struct parsed *pd)
{
	double t = pd->time, at, leap;
	int flags = pd->time_flags, anchored = 0;

	switch (m->source) {
	case TICK_LINES:
		c->tick = (double)c->lines;
		break;
	case TICK_CLOCK:
		c->tick = clock_now();
		break;
	case TICK_EVENT:
		if (!pd->has_time)
			break;
		if (c->anchor) {
			/*
			 * Going on from a state: stamps without a year (or a
			 * date) were placed by this run's today, not the
			 * saved run's, so its roll-overs count only as far as
			 * they put the first stamp where the saved run
			 * stopped or after, not twice.  (None is added here:
			 * an older file read again stays where it is; a day
			 * that turned is the roll-over's below.)
			 */
			double unit = (flags & TIME_HAS_YEAR) ? 0 :
			    (flags & TIME_HAS_DATE) ? 365 * 86400.0 : 86400.0;

			if (unit > 0 && c->tick > 0)
				c->cal_offset += unit * fmin(0, ceil((c->tick -
				    unit / 24 - (t + clock_shift(c, flags))) /
				    unit));
			c->anchor = 0;
			anchored = 1;	/* the time a restart took is no leap */
		}
		/* A header without a year (or a date) wraps around. */
		if (!(flags & TIME_HAS_YEAR) && c->last_time > 0 &&
		    t < c->last_time - 180 * 86400.0)
			c->cal_offset += (flags & TIME_HAS_DATE) ?
			    365 * 86400.0 : 86400.0;
		else if (!(flags & TIME_HAS_DATE) && c->last_time > 0 &&
		    t < c->last_time - 12 * 3600.0)
			c->cal_offset += 86400.0;
		/*
		 * A local clock going back an hour in autumn: the lines
		 * after it are an hour later than they say, not a pile of
		 * lines at one tick (a burst of everything) until the
		 * clock catches up.
		 */
		if (!(flags & TIME_HAS_ZONE) && !anchored && c->tick > 0 &&
		    dst_step_back(c->tick - (t + clock_shift(c, flags)), t,
		    c->pace))
			c->dst_offset += 3600;
		/*
		 * One stamp far ahead of the stream's pace (a count read as
		 * epoch seconds, one writer's clock a day off) would hold
		 * the clock there, as it never runs back: silences, bursts
		 * and windows stopped for as long.  A leap moves it only
		 * when the next stamp agrees; the line is judged at the time
		 * the clock has.
		 */
		at = t + clock_shift(c, flags);
		leap = fmax(LEAP_MIN, LEAP_PACES * c->pace);
		if (!anchored && c->pace > 0 && at > c->tick + leap &&
		    !(c->leap > 0 && at >= c->leap - leap)) {
			c->leap = at;
			c->held = 1;
			break;
		}
		c->leap = 0;
		c->last_time = t;
		if (at > c->tick) {
			/* The pace from the first step on (not before: a
			 * stream's second line is no leap), not a restart's. */
			if (c->tick > 0 && !anchored)
				c->pace = c->pace == 0 ? at - c->tick :
				    c->pace + (at - c->tick - c->pace) / 64;
			c->tick = at;
		}
		break;
	case TICK_UNSET:
		break;
	}
	return c->tick;
}

static void
model_forget(void *arg, struct template *t)
{
	struct model *m = arg;

	if (m->scorer != NULL)
		scorer_forget(m->scorer, t);
	if (m->p->forget != NULL && t->id != 0)
		m->p->forget(m->p->forget_arg, t);
}

/*
 * Keep the tree within its bound, sparing the line's template and those
 * the scorer still speaks of.
 */
static void
model_evict(struct model *m, struct template *line)
{
	struct template **keep;
	size_t n = 0, room = 16;

	keep = xreallocarray(NULL, room + 1, sizeof *keep);
	if (m->scorer != NULL &&
	    (n = scorer_pins(m->scorer, keep + 1, room)) > room) {
		room = n;
		keep = xreallocarray(keep, room + 1, sizeof *keep);
		scorer_pins(m->scorer, keep + 1, room);
	}
	keep[0] = line;
	drain_evict(m->tree, keep, n + 1, model_forget, m);
	free(keep);
}

void
model_judge(struct model *m, const struct parsed *pd, const struct tokens *tk,
    uint64_t line, struct verdict *v)
{
	const struct drain_merge *mg;
	size_t i, n;
	int learn = m->p->learn;
	struct clock *c = &m->clock;

	if (!learn) {
		if (!m->run_started) {
			m->run = m->clock;
			m->run_started = 1;
		}
		c = &m->run;
	}
	c->lines++;
	if (m->scorer == NULL)
		model_start(m, pd->has_time);
	c->held = 0;
	v->time = model_tick(m, c, pd);
	/* The idle clock goes on from the line's time; a line the leap
	 * guard held did not move it. */
	if (m->p->scorer.silence && !c->held)
		m->wall = clock_now();
	if (m->source == TICK_LINES)
		v->time = pd->has_time ? pd->time : 0;
	v->read_time = !pd->has_time ? 0 : m->source == TICK_EVENT ?
	    pd->time + clock_shift(c, pd->time_flags) : pd->time;

	v->tmpl = drain_match(m->tree, tk, learn, &v->created);
	n = drain_last_merges(m->tree, &mg);
	for (i = 0; i < n; i++)
		scorer_merge(m->scorer, mg[i].root, mg[i].pos, mg[i].hash,
		    mg[i].count, mg[i].from, mg[i].n);
	v->flagged = scorer_line(m->scorer, v->tmpl, v->created, tk,
	    &pd->fields, c->tick, line, pd->sev, learn, &v->score);
	if (v->tmpl != NULL && learn) {
		if (v->created)
			v->tmpl->first_line = line;
		v->tmpl->last_line = line;
		v->tmpl->count++;
	}
	if (drain_over(m->tree))
		model_evict(m, v->tmpl);
}

void
model_finish(struct model *m, uint64_t line)
{
	if (m->scorer != NULL)
		scorer_finish(m->scorer, line);
}

int
model_event(struct model *m, struct score_event *ev)
{
	return m->scorer != NULL && scorer_event(m->scorer, ev);
}

/*
 * No line for a while: by the clock, time is now; by the lines' own time,
 * it is their last time plus what the clock says has passed since.
 */
void
model_idle(struct model *m)
{
	const struct clock *c = m->run_started ? &m->run : &m->clock;

	if (m->scorer == NULL || !m->p->scorer.silence)
		return;
	if (m->source == TICK_CLOCK)
		scorer_idle(m->scorer, clock_now());
	else if (m->source == TICK_EVENT && m->wall > 0)
		scorer_idle(m->scorer, c->tick + (clock_now() - m->wall));
}

int
model_ticks_are_lines(const struct model *m)
{
	return m->source == TICK_LINES;
}

size_t
model_templates(const struct model *m)
{
	return drain_count(m->tree);
}

struct template *
model_template(const struct model *m, size_t i)
{
	return drain_template(m->tree, i);
}

/* --- saving and loading --- */

#define MODEL_MAGIC	0x4d4f44454c31ull	/* "MODEL1" */

void
model_save(const struct model *m, struct sbuf *b)
{
	sbuf_u64(b, MODEL_MAGIC);
	sbuf_u8(b, (uint8_t)m->source);
	sbuf_u64(b, m->clock.lines);
	sbuf_f64(b, m->clock.last_time);
	sbuf_f64(b, m->clock.cal_offset);
	sbuf_f64(b, m->clock.tick);
	vocab_save(m->vocab, b);
	drain_save(m->tree, b);
	sbuf_u8(b, m->scorer != NULL);
	if (m->scorer != NULL)
		scorer_save(m->scorer, b);
	sbuf_f64(b, m->clock.dst_offset);
}

/* The offset of stamps without a zone, last (format 12); before, the one
 * offset was of all stamps: roll-overs are whole days, autumn's hours
 * the rest. */
static int
load_dst_offset(struct model *m, struct sread *r, char **cause)
{
	struct clock *c = &m->clock;

	if (r->version >= 12) {
		c->dst_offset = sread_f64(r);
	} else {
		c->dst_offset = c->cal_offset - 86400.0 *
		    floor(c->cal_offset / 86400.0);
		c->cal_offset -= c->dst_offset;
	}
	if (r->err || !isfinite(c->dst_offset)) {
		xasprintf(cause, "model's clock is damaged");
		return -1;
	}
	return 0;
}

static struct template *
by_id(void *arg, uint64_t id)
{
	return u64map_get(arg, id);
}

int
model_load(struct model *m, struct sread *r, char **cause)
{
	struct u64map ids;
	size_t i, n;
	struct template *t;
	int source, has_scorer, rc;

	if (sread_u64(r) != MODEL_MAGIC) {
		xasprintf(cause, "no model where one belongs");
		return -1;
	}
	source = sread_u8(r);
	m->clock.lines = sread_u64(r);
	m->clock.last_time = sread_f64(r);
	m->clock.cal_offset = sread_f64(r);
	m->clock.tick = sread_f64(r);
	m->clock.anchor = 1;
	if (r->err || !isfinite(m->clock.last_time) ||
	    !isfinite(m->clock.cal_offset) || !isfinite(m->clock.tick) ||
	    source > TICK_CLOCK) {
		xasprintf(cause, "model's clock is damaged");
		return -1;
	}
	if (vocab_load(m->vocab, r) == -1) {
		xasprintf(cause, "model's vocabulary is damaged");
		return -1;
	}
	if (drain_load(m->tree, r, cause) == -1)
		return -1;
	has_scorer = sread_u8(r);
	if (r->err || has_scorer > 1 || has_scorer != (source != TICK_UNSET)) {
		xasprintf(cause, "model's scorer is missing");
		return -1;
	}
	if (!has_scorer) {
		if (load_dst_offset(m, r, cause) == -1)
			return -1;
		if (drain_over(m->tree))
			model_evict(m, NULL);
		return 0;
	}
	/* The scorer as the first line made it: what ticks are decides. */
	model_start(m, source == TICK_EVENT);
	if ((int)m->source != source) {
		xasprintf(cause, "model counts time otherwise (a window in "
		    "lines against one in time)");
		return -1;
	}
	u64map_init(&ids);
	n = drain_count(m->tree);
	for (i = 0; i < n; i++) {
		t = drain_template(m->tree, i);
		u64map_put(&ids, t->id, t);
	}
	rc = scorer_load(m->scorer, r, by_id, &ids, cause);
	u64map_free(&ids);
	if (rc == 0)
		rc = load_dst_offset(m, r, cause);
	/* A run going on from a state on a quiet input still finds the
	 * templates that stopped: its quiet counts from now. */
	if (m->p->scorer.silence)
		m->wall = clock_now();
	/* Fewer templates may be kept now than then. */
	if (rc == 0 && drain_over(m->tree))
		model_evict(m, NULL);
	return rc;
}
