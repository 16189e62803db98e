/*
 * Scoring.  Every detector turns what it sees into a probability P under
 * the model learned so far and scores it as -log2 P bits, so ten bits is
 * about one chance in a thousand whichever detector speaks.  A line's
 * score is the highest; its kind names that detector.  The definitions
 * (man page, SCORING), with N the lines seen, c a template's count, both
 * halved every horizon (lines, by default) so the distant past fades:
 *
 *   new    P = P_new * P_word^u: the Good-Turing chance of a first
 *          occurrence, P_new = (n_1 + 1/2) / (L + 1) with n_1 the
 *          templates seen once and L all lines (neither fades), or the
 *          rate over about the last RECENT lines if that is higher (a flurry
 *          of new shapes, as in a crash dump, makes each one less news),
 *          or, if lower, the same rate among the lines with the line's
 *          value of a header field (news_p: a program's own, or its
 *          recent one if higher), shrunk to it, times the fields tried,
 *          times, for each of the line's words the log never used (u, at
 *          most 3), the rate of such words among all words, P_word (or
 *          its recent rate, if higher; in a flurry, at least their share
 *          among the words of the recent first occurrences, and in a
 *          smaller run of first occurrences part of that share).
 *   rare   For a template seen r <= GT_MAX (1) times, the Good-Turing
 *          chance of a line of a template seen at most r times, the sum
 *          over k <= r of (k + 1) (n_(k+1) + 1/2) / (L + 1), n_k the
 *          templates seen k times (or the recent rate of such returns,
 *          if higher, once RETURNS_MIN came back lately: an episode).
 *          Past that, P = P_new + (1 - P_new) * (share of lines whose
 *          template is at most twice as frequent as this one).  Both
 *          are tails, so a log with a long tail of rare templates does
 *          not flag all of them.
 *   value  For a value never seen where few were, P = f * P_v: f =
 *          (c + 1/2) / (N + 1) the template's share, P_v the value model's
 *          (values.c) chance of an unseen value there; such a first
 *          deviation is a rare event among all lines; a value another
 *          template holds after the same tokens is none (family_knows).
 *          For a number, P =
 *          P_v * n, P_v its tail probability and n the numbers of the line
 *          judged.  The most surprising variable of the line speaks.
 *          For a header field's value never seen with the template
 *          (field_walk), P = P_r * P_h * h: P_r the template's rare P,
 *          P_h how often lines of templates of its age bring a value
 *          new to their template there, h the fields of the line.
 *   burst  P = the tail of the template's count in the last 1..8 eighths
 *          of the window, counted in clumps of its own typical size (see
 *          burst_bits), times 8 for the scales tried.
 *
 * Then the severity prior (severity.c) adds bits for the line's level,
 * or for words that say something went wrong, scaled by the severity
 * weight: the score is the surprise plus the log odds that a line like
 * this one is a problem.  It tips new templates and values over the
 * threshold; rare, burst and header-field findings must reach it on
 * surprise alone.
 *
 * While the model has seen fewer than WARM lines (WARM_NEW for new
 * templates, whose estimate carries its own doubt) a score is scaled by
 * N / WARM: the automatic warm-up.
 *
 * Printing is rationed: the same finding (kind, template, and for a
 * value the value, or its position if a number out of range) is not
 * printed again within
 * --repeat, a burst is told once when it starts and summed up when it
 * ends (if its start was told), and at most --max-alerts findings print
 * per window, the rest summed up as "held".  Scores are never changed by
 * rationing.
 *
 * Memory is bounded by the templates: per template a fixed record plus
 * at most SLOTS_MAX value positions (of a source, at most SLOTS_SOURCE)
 * and FIELD_VALUES values of each of
 * SCORE_FIELDS header fields; per scorer (one a source with --key), the
 * new-template rates of at most FIELD_TRACKED values of each header
 * field, some 20 KiB once a source has header fields; the vocabulary
 * (vocab.c) is shared and of fixed size.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "mask.h"
#include "sbuf.h"
#include "score.h"
#include "severity.h"
#include "stats.h"
#include "template.h"
#include "tokenize.h"
#include "values.h"
#include "vocab.h"
#include "xmalloc.h"

#define SUBS		8	/* sub-windows per window (a power of 2) */
#define GAP_MAX_FADE	0.99	/* the longest gap fades so, per gap ... */
#define GAP_MEMORY	100	/* ... so it is that of about this many */
#define HISTORY		100	/* windows a burst baseline remembers */
#define BURST_LONGEST	10	/* windows after which a burst is the norm */
#define BURST_Z		3.5	/* deviations below which no burst is */
#define FEN		128	/* frequency buckets for the rare tail */
#define FEN_OCTAVE	4	/* ... per doubling of a count */
#define GT_MAX		1	/* counts judged by Good-Turing: past one,
				   the empirical tail is near it and the
				   severity prior orders lines better */
#define SLOTS_MAX	24	/* value positions judged per template */
#define WALK_MAX	32	/* variables of a line looked at (free_slots
				   has a bit for each: at most 32) */
#define SLOTS_FIRST	4	/* ... room made for at first, then doubled */
#define SLOTS_SOURCE	73728	/* value models of a source (59 MiB) */
#define SPLIT_MAX	8	/* parts of one masked token */
#define MEMBER_POS	0x80000000u	/* slot positions of JSON members */
#define MEMBER_VALUES	17		/* log2 bits of their filter (16 KiB) */
#define MEMBER_KEYS	256		/* member keys with recent news kept */
#define WORDS_MAX	3	/* unseen words counted per new line */
#define WARM		200	/* lines before scores count in full */
#define WARM_NEW	50	/* ... new templates' scores */
#define RECENT		64	/* lines in the short memory of new things */
#define RECENT_MIN	8	/* ...before a header value's own one counts */
#define RECENT_FLOOR	1e-9	/* what has faded below counts as 0 */
#define RETURNS_MIN	4	/* one-offs back in about RECENT lines
				   that make an episode */
#define FLURRY		20	/* new templates in about RECENT lines
				   that make a flurry of new shapes */
#define HALVINGS_MAX	64	/* at once: a count halved so often is gone */
#define FIELD_VALUES	4	/* values of a header field kept per template */
#define FIELD_AGES	8	/* template ages, log2 of its lines, whose
				   header fields' news is counted apart */
#define FIELD_TRACKED	64	/* values of a header field whose own new
				   templates are counted (of FIELD_SLOTS) */
#define FIELD_SLOTS	128
#define FIELD_PRIOR	50	/* lines the log's P_new is worth to one
				   header value's */

/* The slot of sub-window e in a ring of SUBS, for any e (times before
 * 1970 make negative ones). */
#define SUB(e)		((size_t)((uint64_t)(e) % SUBS))

struct tstate {
	struct template	*t;
	size_t		 index;		/* in scorer->all */
	double		 c;		/* decayed count */
	int		 bucket;	/* frequency bucket of c */

	uint32_t	 sub[SUBS];	/* counts of the last sub-windows */
	int64_t		 epoch;		/* sub-window of sub[SUB(epoch)] */
	int64_t		 paused;	/* the source's paused sub-windows
					   by then (scorer.paused) */
	int64_t		 born;
	double		 m, q, w;	/* EWMA of counts, squares; weight */
	double		 cl_x, cl_x2;	/* sums of non-empty sub-windows'
					   counts, squares: clump sizes */
	double		 wq;		/* EWMA of whole windows' counts^2 */
	/* Below this count in sub-window gate_epoch no burst can be: most
	 * lines skip burst_bits()'s sums.  Valid while gate_ok. */
	int64_t		 gate_epoch;
	uint32_t	 gate;
	int		 gate_ok;

	int		 in_burst;
	int		 b_told;	/* its start was printed */
	uint64_t	 b_first, b_last, b_count;
	double		 b_start, b_end, b_peak;
	double		 b_usual;	/* its usual lines per unit of time */

	double		 last_flag[KIND_BURST + 1];	/* by kind */
	uint64_t	 last_what[KIND_BURST + 1];	/* ... and subject */
	uint8_t		 flagged[KIND_BURST + 1];

	double		 last_seen, gap;
	double		 gap_max;	/* longest gap lately (fading) */
	double		 first_seen;
	uint32_t	 arrivals;
	int		 silent;

	double		 sev_words;	/* severity of its words */

	uint32_t	 nslots, slotcap;
	uint32_t	 slot_pos[SLOTS_MAX];
	uint32_t	 free_slots;	/* template slots whose parts are all
					   free: skipped, np parts each */
	uint8_t		 free_np[WALK_MAX];
	struct value_slot *slots;

	/* By header field, the values its lines came with (hashes); NULL
	 * until a line of it has header fields. */
	uint32_t	(*fv)[FIELD_VALUES];
	uint8_t		 nfv[SCORE_FIELDS];
	uint8_t		 born_fields;	/* fields fv[i][0] is its first
					   line's value of */
};

/*
 * One header field's values (open addressing on the value's hash) with
 * the lines that had each and the templates first seen with it that
 * were seen once: that value's own Good-Turing rate of new templates.
 * Past FIELD_TRACKED values the field is not used (a pid, a host of a
 * big fleet); nothing is evicted.
 */
struct field_news {
	uint32_t	 n;
	int		 overflow;
	uint32_t	 hash[FIELD_SLOTS];	/* 0: empty */
	double		 lines[FIELD_SLOTS];
	double		 once[FIELD_SLOTS];
	/* The same over about the last RECENT lines with the value. */
	double		 r_lines[FIELD_SLOTS];
	double		 r_once[FIELD_SLOTS];
};

/*
 * A JSON member's key (its slot position, never 0) and, over its last
 * RECENT lines of any template, those whose value there was new to
 * their template: a deploy that moves every template's "caller" line
 * number is one event, told by its first lines.
 */
struct member_news {
	uint32_t	 pos;
	double		 r_lines, r_new;
};

/* The --max-alerts cap over the window in progress. */
struct cap {
	int64_t		 window;		/* which window it counts */
	uint64_t	 printed;
	uint32_t	 held[KIND_HELD + 1];	/* findings held back, by kind */
	uint32_t	 total;			/* ... in all */
};

struct scorer {
	struct scorer_params	 p;
	size_t			 slots_used;	/* all templates' value models */
	double			 sub_len;
	double			 line_tick;	/* the last line's tick */
	int64_t			 paused;	/* sub-windows the source
						   was paused, so far */
	double			 now;
	int			 started;
	double			 next_halving;	/* in lines or ticks */
	int64_t			 epoch;
	uint64_t		 line;
	uint64_t		 seen;		/* lines, not decayed */

	double			 lines, created, words, new_words;
	/* Lines whose severity prior is below 0 (debug, trace) and at 0
	 * (info, or no level): which is the log's usual kind of line. */
	double			 lv_low, lv_plain;
	double			 r_lines, r_created, r_words, r_new_words;
	double			 r_born_words;	/* words of new templates */
	double			 r_returns;	/* one-offs seen again */
	double			 alpha;		/* EWMA weight per sub-window */
	double			 fen[FEN + 1];
	double			 nfreq[GT_MAX + 2];	/* templates seen r times */
	double			 mass;
	/* Lines of known templates by header field and template age, and
	 * those whose value there was new to their template. */
	double			 fj[SCORE_FIELDS][FIELD_AGES];
	double			 fm[SCORE_FIELDS][FIELD_AGES];
	struct field_news	*news;		/* [SCORE_FIELDS] once used */
	uint32_t		 fh[SCORE_FIELDS];	/* the line's header
						   fields' hashes, never 0 */

	struct vocab		*vocab;		/* shared, not owned */

	/* The values JSON members have held, any template's, by key and
	 * value, and by key how often lately a value was new to its
	 * template; NULL until a member comes. */
	struct vocab		*mvalues;
	struct member_news	*mnews;		/* [MEMBER_KEYS] */

	struct tstate		**all;
	size_t			 nall, allcap;
	struct tstate		**bursts;
	size_t			 nbursts, burstcap;

	struct cap		 cap;

	struct score_event	*ev;
	size_t			 evhead, nev, evcap;

	struct {				/* a frozen run's own */
		int		 started;
		double		 now;
		struct cap	 cap;
		size_t		 n;		/* templates, at the start */
		double		(*last_flag)[KIND_BURST + 1];
		uint8_t		*flagged;	/* bit k: a kind-k finding */
	} fz;
};

static void	news_forget(struct scorer *, struct tstate *);

/* --- frequency buckets (Fenwick tree over log2 counts) --- */

static int
freq_bucket(double c)
{
	int b = (int)(FEN_OCTAVE * stats_log2(1 + c));

	return b < 0 ? 0 : b >= FEN ? FEN - 1 : b;
}

static void
fen_add(struct scorer *sc, int b, double d)
{
	for (b++; b <= FEN; b += b & -b)
		sc->fen[b] += d;
	sc->mass += d;
}

static double
fen_prefix(const struct scorer *sc, int b)
{
	double s = 0;

	for (b++; b > 0; b -= b & -b)
		s += sc->fen[b];
	return s;
}

/* --- life cycle --- */

struct scorer *
scorer_new(const struct scorer_params *p, struct vocab *vocab)
{
	struct scorer *sc;

	sc = xcalloc(1, sizeof *sc);
	sc->p = *p;
	sc->vocab = vocab;
	if (sc->p.window <= 0)
		sc->p.window = SCORE_DEFAULT_WINDOW_LINES;
	if (sc->p.horizon <= 0)
		sc->p.horizon = SCORE_DEFAULT_HORIZON;
	if (sc->p.repeat < 0)
		sc->p.repeat = sc->p.window;
	sc->sub_len = sc->p.window / SUBS;
	sc->alpha = 1.0 / (HISTORY * SUBS);
	return sc;
}

static void
tstate_free(struct tstate *ts)
{
	if (ts == NULL)
		return;
	free(ts->slots);
	free(ts->fv);
	free(ts);
}

void
scorer_free(struct scorer *sc)
{
	size_t i;

	if (sc == NULL)
		return;
	for (i = 0; i < sc->nall; i++) {
		sc->all[i]->t->score = NULL;
		tstate_free(sc->all[i]);
	}
	free(sc->all);
	free(sc->bursts);
	free(sc->ev);
	free(sc->fz.last_flag);
	free(sc->fz.flagged);
	free(sc->news);
	vocab_free(sc->mvalues);
	free(sc->mnews);
	free(sc);
}

const char *
score_kind_name(enum score_kind k)
{
	static const char *const names[] = {
		"normal", "new", "rare", "value", "burst", "burst-end",
		"silence", "held"
	};

	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] :
	    "normal";
}

static void
push_event(struct scorer *sc, const struct score_event *e)
{
	if (sc->evhead > 0 && sc->evhead == sc->nev)
		sc->evhead = sc->nev = 0;
	if (sc->nev == sc->evcap) {
		sc->evcap = sc->evcap ? 2 * sc->evcap : 16;
		sc->ev = xreallocarray(sc->ev, sc->evcap, sizeof *sc->ev);
	}
	sc->ev[sc->nev++] = *e;
}

int
scorer_event(struct scorer *sc, struct score_event *e)
{
	if (sc->evhead == sc->nev)
		return 0;
	*e = sc->ev[sc->evhead++];
	return 1;
}

/* --- per-template windows --- */

static int64_t
epoch_of(const struct scorer *sc, double tick)
{
	return (int64_t)floor(tick / sc->sub_len);
}

/*
 * A sub-window of ts closed with count x, and the window that ends with it
 * (the last SUBS sub-windows) with count win: fold them into the averages.
 */
static void
ewma_close(struct tstate *ts, double a, double x, double win)
{
	ts->m = (1 - a) * ts->m + a * x;
	ts->q = (1 - a) * ts->q + a * x * x;
	ts->wq = (1 - a) * ts->wq + a * win * win;
	ts->w = (1 - a) * ts->w + a;
}

/* Fold the sub-windows ts passed since its last line into its baseline. */
static void
window_rotate(struct scorer *sc, struct tstate *ts, int64_t e)
{
	double a = sc->alpha, x, m, decay, g, win = 0;
	int64_t k;
	int i;

	if (e <= ts->epoch)
		return;
	/*
	 * The current sub-window closes with its count, a clump if not empty
	 * (a burst too: one that recurs is the template's way) and, during a
	 * burst, at most the mean, so a burst does not become its own rate
	 * (its natural clumps are what the model must learn, so no other
	 * clipping) ...
	 */
	x = ts->sub[SUB(ts->epoch)];
	m = ts->w > 0 ? ts->m / ts->w : x;
	if (x > 0) {
		ts->cl_x += x;
		ts->cl_x2 += x * x;
	}
	if (ts->in_burst && x > m)
		x = m;
	for (i = 0; i < SUBS; i++)
		win += ts->sub[i];
	ewma_close(ts, a, x, ts->in_burst ? fmin(win, SUBS * m) : win);
	/* ... and the empty ones after it: while the window still holds
	 * counts one at a time, then all at once. */
	for (k = ts->epoch + 1; k < e && k <= ts->epoch + SUBS; k++) {
		win -= ts->sub[k % SUBS];
		ts->sub[k % SUBS] = 0;
		ewma_close(ts, a, 0, ts->in_burst ? fmin(win, SUBS * m) : win);
	}
	g = (double)(e - k) - (double)(sc->paused - ts->paused);
	ts->paused = sc->paused;
	if (g > 0) {
		if (g > 1e6)
			g = 1e6;
		decay = pow(1 - a, g);
		ts->m *= decay;
		ts->q *= decay;
		ts->wq *= decay;
		ts->w = 1 - (1 - ts->w) * decay;
	}
	ts->gate_ok = 0;
	if (e - ts->epoch >= SUBS)
		memset(ts->sub, 0, sizeof ts->sub);
	else
		for (k = ts->epoch + 1; k <= e; k++)
			ts->sub[SUB(k)] = 0;
	ts->epoch = e;
}

/*
 * The count of ts's current sub-window below which burst_bits() finds
 * nothing: no scale reaches both 2 mean + 2 and BURST_Z deviations, even
 * with the variance less its part that shrinks as lines come (m^2 / c).
 * What it depends on stays put while the sub-window lasts.
 */
static uint32_t
burst_gate(const struct tstate *ts, double m, double d, double extra)
{
	double need = INFINITY, before = 0, mean, var;
	int j;

	for (j = 1; j <= SUBS; j++) {
		mean = j * m;
		var = j * m * d + (double)j * j * extra;
		need = fmin(need, fmax(2 * mean + 2,
		    mean + BURST_Z * sqrt(var)) - before);
		before += ts->sub[SUB(ts->epoch - j)];
	}
	/* A little under, for the rounding of the sums it stands for. */
	need = need * (1 - 1e-9) - 1e-6;
	if (!(need > 0))
		return 0;
	return need >= UINT32_MAX ? UINT32_MAX : (uint32_t)ceil(need);
}

/*
 * Burst surprise of ts now (the current line counted): the most
 * surprising of the last 1..SUBS sub-windows' counts, less log2(SUBS)
 * for trying that many.
 *
 * Lines of a template come in clumps of typical size D, measured on its
 * own non-empty sub-windows (D = sum x^2 / sum x, 1 for lone lines, 20 for
 * a job that logs twenty at a time); counting clumps, X / D, makes the
 * count roughly Poisson again.  On top of that the rate itself may vary
 * (the template's spread beyond its clumps) and is only known from its c
 * lines (a gamma posterior adds m^2 / c): a negative binomial on X / D.
 */
static double
burst_bits(const struct scorer *sc, struct tstate *ts, double *countp,
    double *expectp, double *spanp)
{
	double m, v, vw, d, extra, best, k = 0, mean, var, z2, bestz2 = 0;
	double bestvar = 0;
	int64_t closed = ts->epoch - ts->born;
	int j;

	if (closed < SUBS / 4 || ts->w <= 0)
		return 0;	/* less than a quarter window of history */
	/* Most lines of most templates: a count far from a burst. */
	if (ts->gate_ok && ts->gate_epoch == ts->epoch &&
	    ts->sub[SUB(ts->epoch)] < ts->gate)
		return 0;
	m = ts->m / ts->w;
	v = ts->q / ts->w - m * m;
	vw = ts->wq / ts->w - SUBS * SUBS * m * m;
	/* At least half a line over the history seen. */
	if (m < 0.5 / (double)closed)
		m = 0.5 / (double)closed;
	/* Poisson lines alone give sum x^2 / sum x = 1 + m: the rest is
	 * clumping. */
	d = ts->cl_x > 0 ? ts->cl_x2 / ts->cl_x - m : 1;
	if (d < 1)
		d = 1;
	/* The spread beyond clumps, at the scale of a sub-window and of a
	 * window (sub-windows that come in runs vary together). */
	extra = fmax(v - m * d, (vw - SUBS * m * d) / (SUBS * SUBS));
	if (extra < 0)
		extra = 0;
	if (!ts->gate_ok || ts->gate_epoch != ts->epoch) {
		ts->gate = burst_gate(ts, m, d, extra);
		ts->gate_epoch = ts->epoch;
		ts->gate_ok = 1;
		if (ts->sub[SUB(ts->epoch)] < ts->gate)
			return 0;
	}
	extra += m * m / (ts->c + 0.5);
	/*
	 * A cheap gate first: the normal approximation's tail is thinner
	 * than a count's, so a z under BURST_Z (about 2^-13 above the mean)
	 * cannot make a finding.  The scale with the highest z past it is
	 * the one judged, by its point probability (three lgamma calls) and
	 * then its tail, the costly parts.
	 */
	for (j = 1; j <= SUBS; j++) {
		k += ts->sub[SUB(ts->epoch - j + 1)];
		mean = j * m;
		var = j * m * d + (double)j * j * extra;
		if (k < 2 * mean + 2)
			continue;
		z2 = (k - mean) * (k - mean) / var;
		if (z2 >= BURST_Z * BURST_Z && z2 > bestz2) {
			bestz2 = z2;
			*countp = k;
			*expectp = mean;
			*spanp = j * sc->sub_len;
			bestvar = var;
		}
	}
	if (bestz2 == 0)
		return 0;
	/* Most counts past the gates are still no finding (two lines of a
	 * rare template in one sub-window): a bound rules them out before
	 * the three lgamma calls, with the same answer. */
	if (stats_negbin_point_bound(*countp / d, *expectp / d,
	    bestvar / (d * d)) < sc->p.threshold)
		return 0;
	best = stats_negbin_point_bits(*countp / d, *expectp / d,
	    bestvar / (d * d));
	/* The tail is at least the point: no finding below it either. */
	if (best < sc->p.threshold)
		return 0;
	/* A burst's later lines print no score unless every score is
	 * wanted; then the point probability, a lower bound, will do,
	 * unless the line may set the burst's peak, which its end tells. */
	if (!ts->in_burst || sc->p.exact || best - log2(SUBS) > ts->b_peak)
		best = stats_negbin_tail_bits(*countp / d, *expectp / d,
		    bestvar / (d * d));
	best -= log2(SUBS);
	return best > 0 ? best : 0;
}

static void
burst_end(struct scorer *sc, struct tstate *ts, size_t i)
{
	struct score_event e;

	ts->in_burst = 0;
	sc->bursts[i] = sc->bursts[--sc->nbursts];
	if (!ts->b_told)
		return;		/* held back at its start: no end either */
	memset(&e, 0, sizeof e);
	e.kind = KIND_BURST_END;
	e.tmpl = ts->t;
	e.line = ts->b_last;
	e.first_line = ts->b_first;
	e.last_line = ts->b_last;
	e.bits = ts->b_peak;
	e.count = (double)ts->b_count;
	e.duration = ts->b_end - ts->b_start;
	e.expected = ts->b_usual * e.duration;
	push_event(sc, &e);
}

/* Make the last window's rate ts's usual one, its spread kept. */
static void
rebase(struct tstate *ts)
{
	double win = 0, mean, r;
	int i;

	for (i = 0; i < SUBS; i++)
		win += ts->sub[i];
	mean = win / SUBS;
	if (ts->w <= 0)
		return;
	if (ts->m > 0) {
		r = mean / (ts->m / ts->w);
		ts->m *= r;
		ts->q *= r * r;
		ts->wq *= r * r;
	} else {
		ts->m = ts->w * mean;
		ts->q = ts->w * mean * mean;
		ts->wq = ts->w * win * win;
	}
	ts->gate_ok = 0;
}

/* Bursts whose window has calmed down end here. */
/*
 * A burst is over once its template's count is back near what it was
 * (under half the threshold), or a whole window passed without it.
 */
static void
bursts_check(struct scorer *sc, int all)
{
	double k, ex, span;
	size_t i = 0;

	while (i < sc->nbursts) {
		struct tstate *ts = sc->bursts[i];

		window_rotate(sc, ts, sc->epoch);
		if (all || sc->now - ts->b_end >= sc->p.window ||
		    burst_bits(sc, ts, &k, &ex, &span) < sc->p.threshold / 2)
			burst_end(sc, ts, i);
		else if (sc->now - ts->b_start >= BURST_LONGEST *
		    sc->p.window) {
			/* Ten windows on, the rate is the template's new
			 * way (more traffic, a chattier release): the burst
			 * ends and its rate is the baseline from now on. */
			rebase(ts);
			burst_end(sc, ts, i);
		} else
			i++;
	}
}

/* How many gaps between a template's lines its gap is known from. */
static double
gaps_known(const struct tstate *ts)
{
	return fmin((double)ts->arrivals - 1, GAP_MEMORY);
}

/*
 * The gap a silence is measured by: the mean gap, or when lines come in
 * clumps (a dozen workers each minute) the long gaps between them tell:
 * of n gaps of a Poisson stream the longest is about mean * ln n, so
 * a longest gap far beyond that is the stream's own way.
 */
static double
silence_gap(const struct tstate *ts)
{
	return fmax(ts->gap, ts->gap_max / log(gaps_known(ts)));
}

static void
silence_check(struct scorer *sc)
{
	struct score_event e;
	double quiet, gap, bits, n;
	size_t i;

	for (i = 0; i < sc->nall; i++) {
		struct tstate *ts = sc->all[i];

		if (ts->silent || ts->arrivals < 10 || ts->gap <= 0)
			continue;
		quiet = sc->now - ts->last_seen;
		/* Shorter than a sub-window, the windows' grain, is no
		 * silence: reading a file by the clock, lines come
		 * microseconds apart and a pause of a millisecond is not
		 * news.  Nor is one more than twice as long as the
		 * template was watched for: one clump of lines tells
		 * nothing of its pauses. */
		if (quiet < sc->sub_len || quiet > 2 * (ts->last_seen -
		    ts->first_seen))
			continue;
		gap = silence_gap(ts);
		/*
		 * P(no line for that long): Poisson's exp(-quiet / gap),
		 * were the gap known.  It is known from n gaps; over the
		 * rates they allow (a gamma posterior) the chance is
		 * (1 + quiet / (n gap))^-n, the same for a stream long
		 * known, and falling only as a power of the quiet: a
		 * week's outage of a heartbeat scores hundreds of bits,
		 * not hundreds of thousands.  Tried for every template,
		 * hence the log2(K), and for every gap of a window, hence
		 * the log2 of those.
		 */
		n = gaps_known(ts);
		bits = n * log2(1 + quiet / (n * gap)) -
		    log2((double)sc->nall) - log2(fmax(1, sc->p.window / gap));
		if (bits < sc->p.threshold)
			continue;
		memset(&e, 0, sizeof e);
		e.kind = KIND_SILENCE;
		e.tmpl = ts->t;
		e.line = sc->line;
		e.last_line = ts->t->last_line;
		e.bits = bits;
		e.duration = quiet;
		e.expected = gap;
		push_event(sc, &e);
		ts->silent = 1;
	}
}

static void
halve_all(struct scorer *sc)
{
	size_t i;
	int k;

	sc->lines /= 2;
	sc->created /= 2;
	sc->words /= 2;
	sc->new_words /= 2;
	sc->lv_low /= 2;
	sc->lv_plain /= 2;
	memset(sc->fen, 0, sizeof sc->fen);
	sc->mass = 0;
	for (i = 0; i < SCORE_FIELDS; i++)
		for (k = 0; k < FIELD_AGES; k++) {
			sc->fj[i][k] /= 2;
			sc->fm[i][k] /= 2;
		}
	for (i = 0; i < sc->nall; i++) {
		struct tstate *ts = sc->all[i];
		uint32_t j;

		for (j = 0; j < ts->nslots; j++)
			value_fade(&ts->slots[j]);
		ts->c /= 2;
		ts->cl_x /= 2;
		ts->cl_x2 /= 2;
		ts->gate_ok = 0;
		ts->bucket = freq_bucket(ts->c);
		fen_add(sc, ts->bucket, ts->c);
	}
}

/* What cap held back, as a record of its own; the count starts again. */
static void
cap_flush(struct scorer *sc, struct cap *cap, uint64_t line)
{
	struct score_event ev;

	if (cap->total > 0) {
		memset(&ev, 0, sizeof ev);
		ev.kind = KIND_HELD;
		ev.line = line;
		ev.count = cap->total;
		memcpy(ev.held, cap->held, sizeof ev.held);
		push_event(sc, &ev);
	}
	memset(cap->held, 0, sizeof cap->held);
	cap->total = 0;
}

/* The cap at time now: a later window than the one it counts tells what
 * it held back (at line) and starts the count again. */
static void
cap_roll(struct scorer *sc, struct cap *cap, double now, uint64_t line)
{
	int64_t cw = (int64_t)floor(now / sc->p.window);

	if (cw == cap->window)
		return;
	cap_flush(sc, cap, line);
	cap->printed = 0;
	cap->window = cw;
}

/* May a finding of kind k print under cap?  Counts it either way. */
static int
cap_take(const struct scorer *sc, struct cap *cap, enum score_kind k)
{
	if (sc->p.max_alerts > 0 && cap->printed >= sc->p.max_alerts) {
		cap->held[k]++;
		cap->total++;
		return HOLD_CAP;
	}
	cap->printed++;
	return HOLD_NONE;
}

/* Time moves to tick: halve baselines, close windows, end bursts. */
static void
advance(struct scorer *sc, double tick, uint64_t line)
{
	int64_t e;
	double x;
	int n;

	sc->line = line;
	if (!sc->started) {
		sc->started = 1;
		sc->now = tick;
		sc->next_halving = (sc->p.horizon_lines ? 0 : tick) +
		    sc->p.horizon;
		sc->epoch = epoch_of(sc, tick);
		sc->cap.window = (int64_t)floor(tick / sc->p.window);
	}
	if (tick > sc->now)
		sc->now = tick;
	x = sc->p.horizon_lines ? (double)sc->seen : sc->now;
	for (n = 0; x >= sc->next_halving; n++) {
		if (n == HALVINGS_MAX) {
			/* A leap in time (a line dated centuries ahead):
			 * the rest would halve nothing left; the next
			 * horizon starts here. */
			sc->next_halving = x + sc->p.horizon;
			break;
		}
		halve_all(sc);
		sc->next_halving += sc->p.horizon;
	}
	e = epoch_of(sc, sc->now);
	if (e != sc->epoch) {
		sc->epoch = e;
		bursts_check(sc, 0);
		if (sc->p.silence)
			silence_check(sc);
	}
	cap_roll(sc, &sc->cap, sc->now, line);
}

void
scorer_idle(struct scorer *sc, double tick)
{
	if (sc->started && tick > sc->now)
		advance(sc, tick, sc->line);
}

void
scorer_finish(struct scorer *sc, uint64_t line)
{
	if (sc->fz.started) {
		cap_flush(sc, &sc->fz.cap, line);
		return;
	}
	if (!sc->started)
		return;
	advance(sc, sc->now, line);
	bursts_check(sc, 1);
	cap_flush(sc, &sc->cap, line);
}

static struct tstate *
tstate_new(struct scorer *sc, struct template *t)
{
	struct tstate *ts;

	ts = xcalloc(1, sizeof *ts);
	ts->t = t;
	ts->epoch = ts->born = sc->epoch;
	ts->paused = sc->paused;
	ts->last_seen = sc->now;
	t->score = ts;
	if (sc->nall == sc->allcap) {
		sc->allcap = sc->allcap ? 2 * sc->allcap : 64;
		sc->all = xreallocarray(sc->all, sc->allcap, sizeof *sc->all);
	}
	ts->index = sc->nall;
	sc->all[sc->nall++] = ts;
	return ts;
}

void
scorer_forget(struct scorer *sc, struct template *t)
{
	struct tstate *ts = t->score;
	size_t i;

	if (ts == NULL)
		return;
	for (i = 0; i < sc->nbursts; i++)
		if (sc->bursts[i] == ts) {
			sc->bursts[i] = sc->bursts[--sc->nbursts];
			break;
		}
	fen_add(sc, ts->bucket, -ts->c);
	if (ts->arrivals >= 1 && ts->arrivals <= GT_MAX + 1)
		sc->nfreq[ts->arrivals]--;
	if (ts->arrivals == 1)
		news_forget(sc, ts);
	sc->all[ts->index] = sc->all[--sc->nall];
	sc->all[ts->index]->index = ts->index;
	t->score = NULL;
	sc->slots_used -= ts->nslots;
	tstate_free(ts);
}

size_t
scorer_pins(const struct scorer *sc, struct template **out, size_t room)
{
	size_t i, n = 0;

	for (i = 0; i < sc->nbursts; i++, n++)
		if (n < room)
			out[n] = sc->bursts[i]->t;
	for (i = sc->evhead; i < sc->nev; i++, n++)
		if (n < room)
			out[n] = sc->ev[i].tmpl;
	return n;
}

/* --- the detectors --- */

/* The slot of h (never 0) in fn, or -1; with add, made if room. */
static int
news_slot(struct field_news *fn, uint32_t h, int add)
{
	uint32_t i = h & (FIELD_SLOTS - 1);

	while (fn->hash[i] != 0) {
		if (fn->hash[i] == h)
			return (int)i;
		i = (i + 1) & (FIELD_SLOTS - 1);
	}
	if (!add || fn->overflow)
		return -1;
	if (fn->n == FIELD_TRACKED) {
		fn->overflow = 1;
		return -1;
	}
	fn->n++;
	fn->hash[i] = h;
	return (int)i;
}

/*
 * The short memory: x as an exponential count over about RECENT lines,
 * with add counted for this one.  What has faded to nothing is 0, not a
 * subnormal number, whose arithmetic costs a hundred times more.
 */
static inline double
recent(double x, double add)
{
	x = x * (1 - 1.0 / RECENT) + add;
	return x < RECENT_FLOOR ? 0 : x;
}

/*
 * Count a learned line of ts into its header values' rates: its lines,
 * and, for a template's first line, one more seen once; its second line
 * takes that back (from the values of its first, kept in fv[i][0]).
 */
static void
news_learn(struct scorer *sc, struct tstate *ts,
    const struct header_fields *hf, int first)
{
	struct field_news *fn;
	size_t i;
	int k;

	if (hf == NULL || hf->n == 0)
		return;
	if (sc->news == NULL)
		sc->news = xcalloc(SCORE_FIELDS, sizeof *sc->news);
	for (i = 0; i < hf->n && i < SCORE_FIELDS; i++) {
		fn = &sc->news[i];
		if (hf->p[i] == NULL || fn->overflow)
			continue;
		if ((k = news_slot(fn, sc->fh[i], 1)) == -1)
			continue;
		fn->lines[k] += 1;
		fn->r_lines[k] = recent(fn->r_lines[k], 1);
		fn->r_once[k] = recent(fn->r_once[k], first);
		if (first) {
			fn->once[k] += 1;
			ts->born_fields |= 1u << i;
		}
	}
	if (ts->arrivals == 2)
		news_forget(sc, ts);
}

/* ts is seen once no more: its first line's values lose a one-off. */
static void
news_forget(struct scorer *sc, struct tstate *ts)
{
	struct field_news *fn;
	size_t i;
	int k;

	if (sc->news == NULL || ts->fv == NULL)
		return;
	for (i = 0; i < SCORE_FIELDS; i++) {
		fn = &sc->news[i];
		if (!(ts->born_fields >> i & 1) || ts->nfv[i] == 0 ||
		    (k = news_slot(fn, ts->fv[i][0], 0)) == -1)
			continue;
		if (fn->once[k] >= 1)
			fn->once[k] -= 1;
	}
	ts->born_fields = 0;
}

/*
 * The chance of a first occurrence given the line's header: for each
 * field, that value's own rate of templates seen once among its lines,
 * with the log's P_new (pn) worth FIELD_PRIOR lines, times the fields
 * tried; the lowest, if lower than pn.  A program that has logged much
 * and never a new shape makes a new one from it more news.
 */
static double
news_p(const struct scorer *sc, const struct header_fields *hf, double pn)
{
	const struct field_news *fn;
	double best = 1, p;
	size_t i, h = 0;
	int k;

	if (sc->news == NULL || hf == NULL)
		return pn;
	for (i = 0; i < hf->n && i < SCORE_FIELDS; i++) {
		fn = &sc->news[i];
		if (hf->p[i] == NULL || fn->overflow)
			continue;
		h++;
		k = news_slot((struct field_news *)fn, sc->fh[i], 0);
		p = k == -1 ? pn : (fn->once[k] + 0.5 + FIELD_PRIOR * pn) /
		    (fn->lines[k] + 1 + FIELD_PRIOR);
		/* A flurry of new shapes with this value (a restart) makes
		 * each one less news, as the log's own flurry does. */
		if (k != -1 && fn->r_lines[k] >= RECENT_MIN &&
		    fn->r_once[k] / fn->r_lines[k] > p)
			p = fn->r_once[k] / fn->r_lines[k];
		if (p < best)
			best = p;
	}
	return h > 0 && best * (double)h < pn ? best * (double)h : pn;
}

/* Of the long-run rate and the recent one, the higher. */
static double
rate(double hits, double all, double r_hits, double r_all)
{
	double p = (hits + 0.5) / (all + 1);

	if (r_all > 0 && r_hits / r_all > p)
		p = r_hits / r_all;
	return p;
}

/* Templates that come back leave n_1: a log whose shapes recur makes
 * news of a new one, one that keeps leaving shapes behind does not. */
static double
p_new(const struct scorer *sc)
{
	return rate(sc->nfreq[1], (double)sc->seen, sc->r_created, sc->r_lines);
}

/* The hash of t as a word of the vocabulary, 0 when it is none: a
 * constant, or the key a variable is given ("totalAltitude=" of
 * "totalAltitude=0"), for the names of fields are words too. */
static uint64_t
word_hash(const struct token *t)
{
	const char *eq;

	if (!(t->flags & TOKEN_VAR))
		return t->hash;
	if (!(t->flags & TOKEN_KEY) || (t->flags & TOKEN_PURE) ||
	    (eq = memchr(t->shape, '=', t->len)) == NULL || eq == t->shape)
		return 0;
	return XXH3_64bits(t->shape, (size_t)(eq - t->shape) + 1);
}

static double
new_bits(struct scorer *sc, const struct tokens *tk,
    const struct header_fields *hf, struct score *s)
{
	double pw = rate(sc->new_words, sc->words, sc->r_new_words,
	    sc->r_words);
	uint32_t unseen = 0;
	size_t i;

	/* In a flurry of new shapes (a restart) new words come with each:
	 * then the share of new words among theirs is the rate.  A smaller
	 * burst of them counts in part, by how far it passes what the
	 * log's usual rate of new shapes would bring. */
	if (sc->r_born_words > 0) {
		double usual = sc->r_lines * (sc->nfreq[1] + 0.5) /
		    ((double)sc->seen + 1);
		double w = sc->r_created >= FLURRY ? 1 :
		    fmax(0, sc->r_created - 2 * usual) / FLURRY;
		double f = sc->r_new_words / sc->r_born_words * w;

		if (f > pw)
			pw = f;
	}

	for (i = 0; i < tk->n; i++) {
		uint64_t h = word_hash(&tk->tok[i]);

		if (h != 0 && !vocab_has(sc->vocab, h))
			unseen++;
	}
	s->ev.unseen_words = unseen;
	if (unseen > WORDS_MAX)
		unseen = WORDS_MAX;
	return -stats_log2(news_p(sc, hf, p_new(sc))) -
	    unseen * stats_log2(pw);
}

static double
rare_bits(const struct scorer *sc, const struct tstate *ts)
{
	double pn = p_new(sc), tail;
	int b;

	if (sc->mass <= 0)
		return 0;
	/*
	 * A template seen r <= GT_MAX times: by Good-Turing the lines of all
	 * templates seen k times take (k + 1) n_(k+1) / N of what comes next
	 * (n_k templates seen k times), not the k n_k / N they had, which
	 * matters most for the many seen once that never come back.
	 */
	if (ts->arrivals >= 1 && ts->arrivals <= GT_MAX) {
		double gt = 0;
		uint32_t k;

		for (k = 1; k <= ts->arrivals; k++)
			gt += (k + 1) * (sc->nfreq[k + 1] + 0.5);
		gt /= (double)sc->seen + 1;
		/* One-offs coming back together (a nightly job's lines, a
		 * second restart) are one episode: its first lines are the
		 * news, the rest came at the recent rate of such returns. */
		if (sc->r_returns >= RETURNS_MIN &&
		    sc->r_returns / sc->r_lines > gt)
			gt = sc->r_returns / sc->r_lines;
		return -stats_log2(gt < 1 ? gt : 1);
	}
	/* Templates up to twice as frequent count as about as rare: the
	 * rarest of a crowd of rare ones is no news for being last. */
	b = ts->bucket + FEN_OCTAVE < FEN ? ts->bucket + FEN_OCTAVE : FEN - 1;
	tail = fen_prefix(sc, b) / sc->mass;
	if (tail > 1)
		tail = 1;
	return -stats_log2(pn + (1 - pn) * tail);
}

/*
 * "<*>:<*>:<*>" (a time, or "<*>:<*>:<*>:<*>" with its milliseconds),
 * "<*>-<*>-<*>" or "<*>/<*>/<*>" (a date): a date's separator twice, a
 * time's two or three times, each between variables.  More make no date:
 * HAProxy's timers "<*>/<*>/<*>/<*>/<*>" are five numbers to judge.
 */
static int
is_datetime_shape(const char *s, size_t len)
{
	int colons = 0, dashes = 0, slashes = 0;
	size_t i;

	if (len < 11)
		return 0;
	for (i = MASK_WILD_LEN; i + MASK_WILD_LEN <= len; i++) {
		if (s[i - 1] != '>' || s[i + 1] != '<')
			continue;
		colons += s[i] == ':';
		dashes += s[i] == '-';
		slashes += s[i] == '/';
	}
	return colons == 2 || colons == 3 || dashes == 2 || slashes == 2;
}

/*
 * "1514038740000": milli-, micro- or nanoseconds since 1970 that fall in
 * 2001 to 2100, a clock's reading written as a number.  Seconds alone
 * (ten digits) are not taken: counts of bytes look the same.
 */
static int
is_epoch_number(const char *p, size_t n)
{
	size_t i;

	if ((n != 13 && n != 16 && n != 19) || p[0] == '0')
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	/* The first ten digits are the seconds: before 2100-01-01. */
	return memcmp(p, "4102444800", 10) < 0;
}

static struct value_slot *
slot_for(struct scorer *sc, struct tstate *ts, uint32_t pos, int create,
    uint32_t *next)
{
	uint32_t i, cap;

	/* A line's positions come in the order they took their slots:
	 * the one after the last found is the first to try. */
	if (*next < ts->nslots && ts->slot_pos[*next] == pos)
		return &ts->slots[(*next)++];
	for (i = 0; i < ts->nslots; i++)
		if (ts->slot_pos[i] == pos) {
			*next = i + 1;
			return &ts->slots[i];
		}
	if (!create || ts->nslots == SLOTS_MAX)
		return NULL;
	/* A source's models are bounded: past SLOTS_SOURCE, positions new
	 * to a template are not judged.  (Counted in use, not room, so
	 * that a state saved and loaded counts the same.) */
	if (sc->slots_used >= SLOTS_SOURCE)
		return NULL;
	/* Room as positions come: most templates have a few. */
	if (ts->nslots == ts->slotcap) {
		cap = ts->slotcap == 0 ? SLOTS_FIRST :
		    ts->slotcap > SLOTS_MAX / 2 ? SLOTS_MAX : 2 * ts->slotcap;
		ts->slots = xreallocarray(ts->slots, cap, sizeof *ts->slots);
		ts->slotcap = cap;
	}
	sc->slots_used++;
	ts->slot_pos[ts->nslots] = pos;
	value_slot_init(&ts->slots[ts->nslots]);
	*next = ts->nslots + 1;
	return &ts->slots[ts->nslots++];
}

/*
 * The value models of template slot's parts, all free (ids, addresses),
 * have nothing more to say: their room goes to positions still to come,
 * as a wide line's may be (a word that turns variable late, after the
 * positions right of it took their room).
 */
static void
slots_release(struct scorer *sc, struct tstate *ts, uint32_t slot)
{
	uint32_t i = 0;

	while (i < ts->nslots) {
		if (ts->slot_pos[i] / SPLIT_MAX != slot) {
			i++;
			continue;
		}
		sc->slots_used--;
		ts->nslots--;
		ts->slot_pos[i] = ts->slot_pos[ts->nslots];
		ts->slots[i] = ts->slots[ts->nslots];
	}
}

/*
 * Walk the line's values, one per "<*>" of the template: judge each
 * against what its position held so far, then (with learn) learn it,
 * in one pass.  Returns the best value finding's bits and fills the
 * evidence.  Positions that are free (many values, not numbers: ids,
 * addresses) cost nothing past their first VALUE_MIN_SEEN lines.
 */
/* The strongest finding of one kind among a line's values. */
struct value_find {
	double		 bits;
	int		 variable;
	const char	*field;		/* a header field's name, or NULL */
	size_t		 fieldlen;
	int		 member;	/* field is a record member's key */
	const char	*value;
	size_t		 len;
	uint32_t	 seen, distinct;
	uint64_t	 subject;
	double		 late, expected;	/* a seldom value's share */
	int		 new_shape;
};

/*
 * What a value finding is about, for --repeat: a value never seen there
 * is news once per value ("FAILED", then "CORRUPT"); a number out of the
 * usual range, new or not, once per variable (5000 ms, then 6000 ms).
 */
static void
value_find_keep(struct value_find *f, double bits,
    const struct value_judgement *j, int var, const char *v, size_t len,
    uint64_t h)
{
	if (bits <= f->bits)
		return;
	/* Where values are not told apart (more than are tracked), a new
	 * shape is news once per variable, as a number out of range is. */
	f->subject = j->magnitude > 0 || h == 0 ? 1 + (uint64_t)var : h;
	f->bits = bits;
	f->new_shape = j->new_shape;
	f->variable = var;
	f->field = NULL;
	f->member = 0;
	f->value = v;
	f->len = len;
	f->seen = j->seen;
	f->distinct = j->distinct;
	f->late = 0;
}

/*
 * A member's values, any template's, in a Bloom filter (as words are):
 * a value one template has held under a key is no news to another.  A
 * restart's new pid or a known host shows in every template at once,
 * and is news once.
 */
static uint64_t
member_value_key(uint32_t pos, uint64_t h)
{
	return h ^ (uint64_t)pos * 0x9e3779b97f4a7c15ull;
}

static int
member_value_known(const struct scorer *sc, uint32_t pos, uint64_t h)
{
	return sc->mvalues != NULL &&
	    vocab_has(sc->mvalues, member_value_key(pos, h));
}

static void
member_value_add(struct scorer *sc, uint32_t pos, uint64_t h)
{
	if (sc->mvalues == NULL)
		sc->mvalues = vocab_new(MEMBER_VALUES);
	vocab_add(sc->mvalues, member_value_key(pos, h));
}

/* The recent news of member key pos, made with create; NULL past
 * MEMBER_KEYS keys. */
static struct member_news *
member_news_of(struct scorer *sc, uint32_t pos, int create)
{
	struct member_news *mn;
	size_t i;

	if (sc->mnews == NULL) {
		if (!create)
			return NULL;
		sc->mnews = xcalloc(MEMBER_KEYS, sizeof *sc->mnews);
	}
	for (i = 0; i < MEMBER_KEYS; i++) {
		mn = &sc->mnews[(pos + i) & (MEMBER_KEYS - 1)];
		if (mn->pos == pos)
			return mn;
		if (mn->pos == 0) {
			if (!create)
				return NULL;
			mn->pos = pos;
			return mn;
		}
	}
	return NULL;
}

/* As value_find_keep(), for member key of a JSON record at slot pos. */
static void
member_find_keep(struct value_find *f, double bits,
    const struct value_judgement *j, uint32_t pos, const char *key,
    size_t keylen, const char *v, size_t len, uint64_t h)
{
	if (bits <= f->bits)
		return;
	value_find_keep(f, bits, j, 0, v, len, h);
	if (j->magnitude > 0)
		f->subject = 1 + (uint64_t)pos;
	f->field = key;
	f->fieldlen = keylen;
	f->member = 1;
}

/* After value_find_keep(): the finding is a seldom value's share of
 * late, about its position (where), whichever value: two statuses that
 * rise together are one storm, told once a --repeat. */
#define SHARE_SUBJECT	(UINT64_C(1) << 63)

static void
share_find_keep(struct value_find *f, const struct value_judgement *j,
    uint64_t where)
{
	f->subject = SHARE_SUBJECT | where;
	f->late = j->late;
	f->expected = j->late_expected;
}

static double
value_find_tell(const struct value_find *f, int outlier, struct score *s)
{
	struct evidence *ev = &s->ev;

	s->subject = f->subject;
	ev->variable = f->variable;
	ev->field = f->field;
	ev->field_len = f->fieldlen;
	ev->member = f->member;
	ev->value = f->value;
	ev->value_len = f->len;
	ev->seen = f->seen;
	ev->distinct = f->distinct;
	ev->outlier = outlier;
	ev->new_shape = !outlier && f->new_shape;
	/* What an earlier finding of the line left is not this one's. */
	ev->share = f->late > 0;
	ev->window_count = f->late;
	ev->expected = f->expected;
	return f->bits;
}

/*
 * Templates of one event that differ only after a value, as an access
 * log's do in the user agent after the status code, each learn that
 * value's position on their own: a status new to one of them is not new
 * to the event.  Does a template that agrees with ts's on every token
 * before value slot pos know value hash h there?  The tokens before must
 * be three or more, two of them constants, to say which event it is.
 * Looked up only for a value that would be the line's news, so a scan
 * of the templates is cheap enough.
 */
#define FAMILY_PREFIX	3

static int
family_knows(const struct scorer *sc, const struct tstate *ts, uint32_t pos,
    uint64_t h)
{
	const struct template *t = ts->t, *u;
	const struct tstate *o;
	uint32_t slot = pos / SPLIT_MAX, i, k;
	size_t n, constants = 0;

	if (slot < FAMILY_PREFIX || slot >= t->ntok)
		return 0;
	for (i = 0; i < slot; i++)
		constants += t->tok[i].off != TT_WILD;
	if (constants < 2)
		return 0;
	for (n = 0; n < sc->nall; n++) {
		if ((o = sc->all[n]) == ts || (u = o->t) == NULL ||
		    u->ntok <= slot || o->nslots == 0)
			continue;
		for (i = 0; i < slot; i++)
			if ((t->tok[i].off == TT_WILD) !=
			    (u->tok[i].off == TT_WILD) ||
			    (t->tok[i].off != TT_WILD &&
			    t->tok[i].hash != u->tok[i].hash))
				break;
		if (i < slot)
			continue;
		for (k = 0; k < o->nslots; k++)
			if (o->slot_pos[k] == pos &&
			    value_known(&o->slots[k], h))
				return 1;
	}
	return 0;
}

static double
value_walk(struct scorer *sc, struct tstate *ts, const struct tokens *tk,
    const struct header_fields *hf, int learn, struct score *s)
{
	struct template_value vals[WALK_MAX];
	const char *part[SPLIT_MAX];
	size_t partlen[SPLIT_MAX], nv, np, i, k;
	struct value_judgement j;
	struct value val;
	struct value_find unseen = { 0 }, tail = { 0 }, share = { 0 };
	int var = 0, numbers = 0, judged = 0;
	uint32_t next = 0;		/* slot_for()'s guess */

	nv = template_values(ts->t, tk, vals, WALK_MAX);
	for (i = 0; i < nv; i++) {
		const struct token *tok = &tk->tok[vals[i].pos];
		uint32_t slot = vals[i].slot;
		size_t nfree = 0;

		/* Ids and addresses, once free, cost a bit test from then on. */
		if (slot < WALK_MAX && (ts->free_slots >> slot & 1)) {
			var += ts->free_np[slot];
			continue;
		}
		/* Dates and times change with the clock: not values. */
		if (slot >= ts->t->ntok ||
		    is_datetime_shape(tok->shape, tok->len)) {
			var++;
			continue;
		}
		np = value_split(tok->shape, tok->len, vals[i].p, vals[i].len,
		    part, partlen, SPLIT_MAX);
		for (k = 0; k < np; k++, var++) {
			/* By the template's slot, the same whatever the
			 * line's length; tokens without one are not kept. */
			uint32_t pos = slot * SPLIT_MAX + (uint32_t)k;
			struct value_slot *vs = slot_for(sc, ts, pos, learn,
			    &next);
			uint64_t h = 0;

			if (vs == NULL)
				continue;
			if (value_free(vs)) {
				nfree++;
				continue;
			}
			if (!vs->overflow)
				h = XXH3_64bits(part[k], partlen[k]);
			value_read(&val, part[k], partlen[k], h);
			/* "14.2 GiB": the unit is the next token. */
			if (val.number && k + 1 == np &&
			    vals[i].pos + 1 < tk->n &&
			    (tk->tok[vals[i].pos + 1].flags & TOKEN_UNIT))
				value_unit(&val, tk->tok[vals[i].pos + 1].raw,
				    tk->tok[vals[i].pos + 1].rawlen);
			/* A clock's reading is new as the clock moves: it is
			 * learned, so that what else comes there is judged,
			 * but is no news itself. */
			if (vs->n >= VALUE_MIN_SEEN &&
			    !is_epoch_number(part[k], partlen[k])) {
				value_judge(vs, &val, &j);
				numbers += j.numeric;
				judged++;
				if (j.unseen > unseen.bits &&
				    !family_knows(sc, ts, pos, h))
					value_find_keep(&unseen, j.unseen, &j,
					    var, part[k], partlen[k], h);
				if (j.finding == VALUE_OUTLIER ||
				    j.finding == VALUE_TAIL)
					value_find_keep(&tail, j.bits, &j, var,
					    part[k], partlen[k], h);
				if (j.share > share.bits) {
					value_find_keep(&share, j.share, &j,
					    var, part[k], partlen[k], h);
					share_find_keep(&share, &j,
					    1 + (uint64_t)var);
				}
			}
			if (learn)
				value_learn(vs, &val);
		}
		if (nfree == np && slot < WALK_MAX) {
			ts->free_slots |= 1u << slot;
			ts->free_np[slot] = (uint8_t)np;
			if (learn)
				slots_release(sc, ts, slot);
		}
	}
	/* A JSON record's members: a position each, by its key's hash. */
	for (i = 0; hf != NULL && i < hf->members.n; i++) {
		const char *key = hf->members.m[i].key;
		const char *v = hf->members.m[i].val;
		size_t keylen = hf->members.m[i].keylen;
		size_t vlen = hf->members.m[i].vallen;
		uint32_t pos = MEMBER_POS |
		    (uint32_t)(XXH3_64bits(key, keylen) >> 33);
		struct value_slot *vs = slot_for(sc, ts, pos, learn, &next);
		struct member_news *mn;
		uint64_t h = 0;
		int fresh;

		if (vs == NULL || value_free(vs))
			continue;
		if (!vs->overflow)
			h = XXH3_64bits(v, vlen);
		fresh = !vs->overflow && vs->ndistinct <= VALUE_VARIETY &&
		    !value_known(vs, h);
		mn = member_news_of(sc, pos, learn);
		value_read(&val, v, vlen, h);
		if (vs->n >= VALUE_MIN_SEEN && !is_epoch_number(v, vlen)) {
			value_judge(vs, &val, &j);
			numbers += j.numeric;
			judged++;
			/* As often as values came new to templates there
			 * lately, if that is more often. */
			if (j.unseen > 0 && mn != NULL &&
			    mn->r_lines >= RECENT_MIN && mn->r_new > 0)
				j.unseen = fmin(j.unseen,
				    -log2(mn->r_new / mn->r_lines));
			if (j.unseen > unseen.bits &&
			    !member_value_known(sc, pos, h))
				member_find_keep(&unseen, j.unseen, &j, pos,
				    key, keylen, v, vlen, h);
			if (j.finding == VALUE_OUTLIER ||
			    j.finding == VALUE_TAIL)
				member_find_keep(&tail, j.bits, &j, pos, key,
				    keylen, v, vlen, h);
			if (j.share > share.bits) {
				member_find_keep(&share, j.share, &j, pos, key,
				    keylen, v, vlen, h);
				share_find_keep(&share, &j,
				    1 + (uint64_t)pos);
			}
		}
		if (learn) {
			if (fresh)
				member_value_add(sc, pos, h);
			if (mn != NULL) {
				mn->r_lines = recent(mn->r_lines, 1);
				mn->r_new = recent(mn->r_new, fresh);
			}
			value_learn(vs, &val);
		}
	}
	/*
	 * A value never seen is a line of this template doing something new:
	 * its chance is the template's share times the value model's.  A
	 * number's tail is one of the line's numbers' tails.  The two are
	 * kept apart so that a new value that is also a big number is
	 * judged by the stronger.
	 */
	if (unseen.bits > 0)
		unseen.bits += -stats_log2((ts->c + 0.5) / (sc->lines + 1));
	if (tail.bits > 0 && numbers > 1)
		tail.bits -= stats_log2(numbers);
	/* A share is one of the line's judged values' shares. */
	if (share.bits > 0 && judged > 1)
		share.bits = fmax(0, share.bits - stats_log2(judged));
	if (unseen.bits <= 0 && tail.bits <= 0 && share.bits <= 0)
		return 0;
	if (unseen.bits >= tail.bits && unseen.bits >= share.bits)
		return value_find_tell(&unseen, 0, s);
	if (tail.bits >= share.bits)
		return value_find_tell(&tail, 1, s);
	return value_find_tell(&share, 0, s);
}

/*
 * A known template's line under a header value it never came with: a
 * program, a level, a host of its own.  How often that happens to lines
 * of templates of its age (seen once, 2-3, 4-7, ... times), pooled over
 * all templates, is the chance of it; fields where it happens to more
 * than one line in 8 (ids, hosts that change) are not judged.  Keeps in
 * *f the most surprising field (bits -log2 of that chance) and counts in
 * *nfields the fields the line has.  With learn, counts the line and
 * keeps its values: FIELD_VALUES a field, a template that showed more
 * is not judged on that field again.  With judge 0 (a template's first
 * line), only keeps.
 */
static void
field_walk(struct scorer *sc, struct tstate *ts,
    const struct header_fields *hf, int judge, int learn,
    struct value_find *f, int *nfields)
{
	uint32_t a = ts->arrivals, h;
	size_t i;
	int age = 0, known, k;
	double p;

	if (hf == NULL || hf->n == 0)
		return;
	if (ts->fv == NULL) {
		if (!learn)
			return;
		ts->fv = xcalloc(SCORE_FIELDS, sizeof *ts->fv);
	}
	/* log2 of the lines seen, a bit scan rather than a loop: this
	 * runs for every line. */
	if (a > 1 && (age = 31 - __builtin_clz(a)) > FIELD_AGES - 1)
		age = FIELD_AGES - 1;
	for (i = 0; i < hf->n && i < SCORE_FIELDS; i++) {
		if (hf->p[i] == NULL)
			continue;
		(*nfields)++;
		h = sc->fh[i];
		known = 0;
		for (k = 0; k < ts->nfv[i]; k++)
			if (ts->fv[i][k] == h)
				known = 1;
		if (judge && ts->arrivals > 0) {
			/* Most lines bring values known to the template: no
			 * chance to work out. */
			if (!known && ts->nfv[i] < FIELD_VALUES &&
			    (p = (sc->fm[i][age] + 0.5) /
			    (sc->fj[i][age] + 1)) <= 1.0 / 8 &&
			    -log2(p) > f->bits) {
				f->bits = -log2(p);
				f->variable = -1;
				f->field = hf->name[i];
				f->fieldlen = strlen(f->field);
				f->member = 0;
				f->value = hf->p[i];
				f->len = hf->len[i];
				f->seen = ts->arrivals;
				f->distinct = ts->nfv[i];
				f->subject = ((uint64_t)(i + 1) << 32) | h;
			}
			if (learn) {
				sc->fj[i][age] += 1;
				sc->fm[i][age] += !known;
			}
		}
		if (learn && !known && ts->nfv[i] < FIELD_VALUES)
			ts->fv[i][ts->nfv[i]++] = h;
	}
}

static void
learn_line(struct scorer *sc, struct tstate *ts, const struct tokens *tk,
    int created)
{
	size_t i;

	uint32_t fresh = 0, words = 0;
	int b;

	sc->lines += 1;
	sc->words += (double)tk->n;
	sc->seen++;
	if (created) {
		sc->created += 1;
		for (i = 0; i < tk->n; i++) {
			uint64_t h = word_hash(&tk->tok[i]);

			if (h == 0)
				continue;
			words++;
			if (!vocab_has(sc->vocab, h)) {
				fresh++;
				vocab_add(sc->vocab, h);
			}
		}
		sc->new_words += fresh;
	}
	/* The short memory: exponential, about RECENT lines long. */
	sc->r_lines = recent(sc->r_lines, 1);
	sc->r_created = recent(sc->r_created, created != 0);
	sc->r_words = recent(sc->r_words, (double)tk->n);
	sc->r_new_words = recent(sc->r_new_words, fresh);
	sc->r_born_words = recent(sc->r_born_words, words);
	sc->r_returns = recent(sc->r_returns, ts->arrivals == 1);
	/* Most lines leave the count in its bucket: one update, not two. */
	b = freq_bucket(ts->c + 1);
	if (ts->c > 0 && b == ts->bucket)
		fen_add(sc, b, 1);
	else {
		if (ts->c > 0)
			fen_add(sc, ts->bucket, -ts->c);
		fen_add(sc, b, ts->c + 1);
	}
	ts->c += 1;
	ts->bucket = b;

	ts->sub[SUB(ts->epoch)]++;
	/* A burst's pace is not the template's way, as its counts are
	 * not (window_rotate()). */
	if (ts->arrivals > 0 && !ts->in_burst) {
		double g = sc->now - ts->last_seen;

		ts->gap = ts->arrivals == 1 ? g : 0.9 * ts->gap + 0.1 * g;
		ts->gap_max = fmax(g, GAP_MAX_FADE * ts->gap_max);
	} else if (ts->arrivals == 0)
		ts->first_seen = sc->now;
	if (ts->arrivals <= GT_MAX + 1)
		sc->nfreq[ts->arrivals]--;
	ts->arrivals++;
	if (ts->arrivals <= GT_MAX + 1)
		sc->nfreq[ts->arrivals]++;
	ts->last_seen = sc->now;
	ts->silent = 0;
}

/*
 * May a finding of kind k about what (score.subject) for ts print?  Not
 * within --repeat of the last one printed about the same, not past the
 * cap; counts it against the cap.  Returns HOLD_NONE, or why not.
 */
static int
ration(struct scorer *sc, struct tstate *ts, enum score_kind k, uint64_t what)
{
	/* A storm (a share of late) is held apart from the template's
	 * other value findings, so that an outlier among its lines does
	 * not make it news again.  Its place is KIND_NORMAL's, which no
	 * finding has: no new field, and a state keeps it already. */
	int at = k == KIND_VALUE && (what & SHARE_SUBJECT) ? KIND_NORMAL :
	    (int)k;

	if (ts->flagged[at] && ts->last_what[at] == what &&
	    sc->now - ts->last_flag[at] < sc->p.repeat)
		return HOLD_REPEAT;
	/* A template told as new that comes back within a sub-window is
	 * one event logged twice, no news again; later it may be. */
	if (k == KIND_RARE && ts->flagged[KIND_NEW] &&
	    sc->now - ts->last_flag[KIND_NEW] < fmin(sc->p.repeat,
	    sc->p.window / SUBS))
		return HOLD_REPEAT;
	if (cap_take(sc, &sc->cap, k) == HOLD_CAP)
		return HOLD_CAP;
	ts->flagged[at] = 1;
	ts->last_flag[at] = sc->now;
	ts->last_what[at] = what;
	return HOLD_NONE;
}

/*
 * A frozen scorer (lines judged without learn) changes nothing of what
 * it learned: no counts, values, windows or decay, so that a model
 * loaded from a state judges every line of a run against the same
 * baseline.  The run keeps a clock of its own, only to ration printing
 * (--repeat, --max-alerts).  Bursts and silences are measured against
 * the recent past, which a frozen model does not follow: they are not
 * reported.
 */
static void
frozen_advance(struct scorer *sc, double tick, uint64_t line)
{
	if (!sc->fz.started) {
		sc->fz.started = 1;
		sc->fz.now = tick;
		sc->fz.cap.window = (int64_t)floor(tick / sc->p.window);
		/* Templates are not made while frozen: room for all. */
		sc->fz.n = sc->nall;
		sc->fz.last_flag = xcalloc(sc->nall > 0 ? sc->nall : 1,
		    sizeof *sc->fz.last_flag);
		sc->fz.flagged = xcalloc(sc->nall > 0 ? sc->nall : 1,
		    sizeof *sc->fz.flagged);
	}
	if (tick > sc->fz.now)
		sc->fz.now = tick;
	cap_roll(sc, &sc->fz.cap, sc->fz.now, line);
}

/* ration() for a frozen run; ts is NULL for a line no template fits. */
static int
frozen_ration(struct scorer *sc, struct tstate *ts, enum score_kind k)
{
	size_t i = ts != NULL && ts->index < sc->fz.n ? ts->index : SIZE_MAX;
	unsigned bit = 1u << k;

	if (i != SIZE_MAX && (sc->fz.flagged[i] & bit) &&
	    sc->fz.now - sc->fz.last_flag[i][k] < sc->p.repeat)
		return HOLD_REPEAT;
	if (cap_take(sc, &sc->fz.cap, k) == HOLD_CAP)
		return HOLD_CAP;
	if (i != SIZE_MAX) {
		sc->fz.flagged[i] |= bit;
		sc->fz.last_flag[i][k] = sc->fz.now;
	}
	return HOLD_NONE;
}

int
scorer_line(struct scorer *sc, struct template *t, int created,
    const struct tokens *tk, const struct header_fields *hf, double tick,
    uint64_t line, double sev, int learn, struct score *s)
{
	struct tstate *ts = NULL;
	struct value_find ff = { 0 };
	double bits, rare, k = 0, ex = 0, span = 0, vbits = 0, damp = 1;
	int flagged, walked = 0, nfields = 0, vfield = 0, vshare = 0;
	size_t i;

	memset(s, 0, sizeof *s);
	s->ev.variable = -1;
	for (i = 0; hf != NULL && i < hf->n && i < SCORE_FIELDS; i++)
		if (hf->p[i] != NULL) {
			sc->fh[i] = (uint32_t)XXH3_64bits(hf->p[i], hf->len[i]);
			if (sc->fh[i] == 0)
				sc->fh[i] = 1;
		}
	if (learn) {
		/* A source without a line for more than a window was paused
		 * (an outage, a day missing between archives): past that
		 * window its quiet says nothing of its templates' rates, so
		 * their baselines do not fade for it (window_rotate()). */
		if (sc->started && tick - sc->line_tick > sc->p.window)
			sc->paused += (int64_t)floor((tick - sc->line_tick -
			    sc->p.window) / sc->sub_len);
		sc->line_tick = tick;
		advance(sc, tick, line);
	}
	else
		frozen_advance(sc, tick, line);
	if (t != NULL) {
		ts = t->score;
		if (ts == NULL && learn) {
			ts = tstate_new(sc, t);
			ts->sev_words = severity_words(tk);
		}
	}
	if (t == NULL || created || ts == NULL) {
		s->kind = KIND_NEW;
		s->bits = new_bits(sc, tk, hf, s);
	} else {
		if (learn)
			window_rotate(sc, ts, sc->epoch);
		s->kind = KIND_RARE;
		s->bits = rare = rare_bits(sc, ts);
		s->ev.total = ts->c;
		walked = 1;
		if ((bits = value_walk(sc, ts, tk, hf, learn, s)) > s->bits) {
			s->kind = KIND_VALUE;
			s->bits = bits;
		}
		/* A header value new to the template: the template as rare
		 * as it is, and then that, for one of the line's fields. */
		field_walk(sc, ts, hf, 1, learn, &ff, &nfields);
		if (ff.bits > 0) {
			ff.bits += rare - log2(nfields);
			if (ff.bits > s->bits) {
				s->kind = KIND_VALUE;
				s->bits = value_find_tell(&ff, 0, s);
			}
		}
	}
	/* Kept in case a burst the line is in outscores it.  A value's
	 * share of late is a frequency too, and says less than its
	 * template's burst: that is told once, with an end. */
	if (s->kind == KIND_VALUE) {
		vbits = s->bits;
		vshare = s->ev.share;
		/* As a frequency, it must pass on its own. */
		vfield = s->ev.field != NULL && !s->ev.member;
	}
	if (learn && ts != NULL && walked) {
		/* Count this line into the window before judging a burst. */
		ts->sub[SUB(ts->epoch)]++;
		bits = burst_bits(sc, ts, &k, &ex, &span);
		ts->sub[SUB(ts->epoch)]--;
		if (bits > s->bits || (vshare && bits >= sc->p.threshold)) {
			s->kind = KIND_BURST;
			s->bits = bits;
			s->ev.share = 0;
		}
		if (s->kind == KIND_BURST || (ts->in_burst && !s->ev.share)) {
			s->ev.window_count = k;
			s->ev.expected = ex;
		}
	}
	/* Counts need lines to mean anything: the others more than the
	 * new-template estimate, which carries its own doubt. */
	if (sc->seen < (s->kind == KIND_NEW ? WARM_NEW : WARM)) {
		damp = (double)sc->seen / (s->kind == KIND_NEW ? WARM_NEW :
		    WARM);
		s->bits *= damp;
	}
	if (isnan(sev))
		sev = ts != NULL ? ts->sev_words : severity_words(tk);
	/* A debug line is chattier than the usual line, the less so the
	 * more of the log is at its level: by the share debug lines are
	 * short of the plain ones, so nothing in a log mostly at debug
	 * level, and no cliff where the two are about even. */
	if (learn) {
		if (sev < 0)
			sc->lv_low++;
		else if (sev == 0)
			sc->lv_plain++;
	}
	if (sev < 0)
		sev *= sc->lv_low < sc->lv_plain ? 1 - sc->lv_low /
		    sc->lv_plain : 0;
	s->ev.severity = sev * sc->p.severity_weight;
	s->bits += s->ev.severity;
	if (s->bits < 0)
		s->bits = 0;
	s->ev.p = exp2(-s->bits);

	/*
	 * The prior tips news of content, a new template or value, over the
	 * threshold; a frequency (rare, burst, and a header value, judged
	 * with its template's rarity), judged on every line, must get there
	 * on its own, or every rare error line would be news.
	 */
	flagged = s->bits >= sc->p.threshold && line > sc->p.warmup &&
	    (s->kind == KIND_NEW ||
	    (s->kind == KIND_VALUE && !s->ev.share &&
	    (s->ev.field == NULL || s->ev.member)) ||
	    s->bits - s->ev.severity >= sc->p.threshold);
	if (!flagged && s->kind != KIND_NEW)
		s->kind = KIND_NORMAL;
	if (!learn) {
		if (flagged && (s->suppressed = frozen_ration(sc, ts,
		    s->kind)) != HOLD_NONE)
			flagged = 0;
		return flagged;
	}
	if (ts != NULL && ts->in_burst) {
		ts->b_count++;
		ts->b_last = line;
		ts->b_end = sc->now;
		if (s->bits > ts->b_peak)
			ts->b_peak = s->bits;
	}
	/* A burst silences its own lines, not news on one of them: a value
	 * the template never had is told as it would be outside it. */
	if (ts != NULL && ts->in_burst && s->kind == KIND_BURST &&
	    vbits > 0 && !vshare &&
	    vbits * damp + s->ev.severity >= sc->p.threshold &&
	    (!vfield || vbits * damp >= sc->p.threshold) &&
	    line > sc->p.warmup) {
		s->kind = KIND_VALUE;
		s->bits = vbits * damp + s->ev.severity;
		s->ev.p = exp2(-s->bits);
		flagged = 1;
	}
	if (flagged && ts->in_burst && (s->kind != KIND_VALUE ||
	    s->ev.share)) {
		flagged = 0;	/* told when the burst started */
		s->suppressed = HOLD_BURST;
	} else if (flagged) {
		if (s->kind == KIND_BURST && learn) {
			ts->in_burst = 1;
			ts->b_first = ts->b_last = line;
			ts->b_count = (uint64_t)k;	/* those in the window */
			/* It began within the span that showed it. */
			ts->b_end = sc->now;
			ts->b_start = sc->now - span;
			ts->b_peak = s->bits;
			/* Its usual rate: what is expected of any span. */
			ts->b_usual = span > 0 ? ex / span : 0;
			if (sc->nbursts == sc->burstcap) {
				sc->burstcap = sc->burstcap ?
				    2 * sc->burstcap : 8;
				sc->bursts = xreallocarray(sc->bursts,
				    sc->burstcap, sizeof *sc->bursts);
			}
			sc->bursts[sc->nbursts++] = ts;
		}
		if (s->kind != KIND_VALUE)
			s->subject = 0;
		if ((s->suppressed = ration(sc, ts, s->kind, s->subject)) !=
		    HOLD_NONE)
			flagged = 0;
		if (s->kind == KIND_BURST)
			ts->b_told = flagged;
	}
	if (learn && ts != NULL) {
		learn_line(sc, ts, tk, created || t->count == 0);
		/* A known template's values were learned as they were
		 * judged; a new one's only start to count. */
		if (!walked) {
			struct score unused;

			value_walk(sc, ts, tk, hf, 1, &unused);
			field_walk(sc, ts, hf, 0, 1, &ff, &nfields);
		}
		news_learn(sc, ts, hf, !walked);
	}
	return flagged;
}

/* --- saving and loading --- */

/*
 * The scorer's part of a state file (state.c describes the whole).  All
 * of it is saved, floating-point sums included as they are (recomputing
 * them would round differently), so that a loaded scorer continues
 * exactly as the saved one would have.  Records of their own waiting to
 * be told are not saved: the caller saves between lines, when they have
 * been taken.
 */
#define SCORER_MAGIC	0x53434f5234ull	/* "SCOR4" */

/* Sub-windows as far apart as this still subtract without overflow. */
#define EPOCH_MAX	((int64_t)1 << 61)

static void
slot_save(const struct value_slot *v, struct sbuf *b)
{
	int i;

	sbuf_u32(b, v->n);
	sbuf_u32(b, v->numbers);
	sbuf_u8(b, v->ndistinct);
	sbuf_u8(b, v->overflow);
	sbuf_u8(b, (uint8_t)v->lo);
	sbuf_u8(b, (uint8_t)v->hi);
	sbuf_u8(b, v->unit);
	for (i = 0; i < v->ndistinct; i++) {
		sbuf_u64(b, v->hash[i]);
		sbuf_u32(b, v->count[i]);
	}
	sbuf_f64(b, v->newmax);
	sbuf_f64(b, v->newmin);
	sbuf_f64(b, v->vmax);
	sbuf_f64(b, v->vmin);
	sbuf_f64(b, v->lmean);
	sbuf_f64(b, v->lm2);
	for (i = 0; i < VALUE_BINS; i++)
		sbuf_u32(b, v->bins[i]);
}

static int
ok_count(double x)
{
	return isfinite(x) && x >= 0;
}

/*
 * What a run can reach, and what the code after a load relies on: a
 * tick (a line number or a time in seconds) from 0 to TICK_MAX whose
 * sub-window is numbered well within int64_t.
 */
#define TICK_MAX	0x1p53

static int
ok_tick(const struct scorer *sc, double x)
{
	return x >= 0 && x <= TICK_MAX && x / sc->sub_len < 0x1p62;
}

static int
ok_epoch(int64_t e)
{
	return e > -EPOCH_MAX && e < EPOCH_MAX;
}

static int
slot_load(struct value_slot *v, struct sread *r)
{
	int i;

	value_slot_init(v);
	v->n = sread_u32(r);
	v->numbers = sread_u32(r);
	v->ndistinct = sread_u8(r);
	v->overflow = sread_u8(r);
	v->lo = (int8_t)sread_u8(r);
	v->hi = (int8_t)sread_u8(r);
	v->unit = r->version >= 6 ? sread_u8(r) : VALUE_UNIT_NONE;
	/* Learning halves a slot before n passes UINT32_MAX / 2, and the
	 * numbers are some of its values: a count past either would wrap. */
	if (v->n > UINT32_MAX / 2 || v->numbers > v->n ||
	    v->ndistinct > VALUE_TRACKED || v->unit >= VALUE_UNITS ||
	    v->lo < -1 || v->hi < -1 ||
	    v->lo >= VALUE_BINS || v->hi >= VALUE_BINS ||
	    /* The octaves used, lo..hi, are none until a number came. */
	    (v->numbers == 0) != (v->lo < 0) || (v->lo < 0) != (v->hi < 0) ||
	    v->lo > v->hi)
		return -1;
	for (i = 0; i < v->ndistinct; i++) {
		v->hash[i] = sread_u64(r);
		v->count[i] = sread_u32(r);
	}
	v->newmax = (float)sread_f64(r);
	v->newmin = (float)sread_f64(r);
	v->vmax = sread_f64(r);
	v->vmin = sread_f64(r);
	v->lmean = sread_f64(r);
	v->lm2 = sread_f64(r);
	for (i = 0; i < VALUE_BINS; i++)
		v->bins[i] = sread_u32(r);
	/* lmean is a mean of log2(1 + |x|), so within [0, 1024]. */
	if (r->err || !isfinite(v->newmax) || !isfinite(v->newmin) ||
	    isnan(v->vmax) || isnan(v->vmin) ||
	    !(v->lmean >= 0 && v->lmean <= 1025) || !ok_count(v->lm2))
		return -1;
	/* Before format 10 no clumps were kept: none known, a spell each
	 * value's first; and numbers were in units of 1. */
	for (i = 0; i < v->ndistinct; i++)
		v->lt[i].past = v->count[i];
	v->scaled = v->numbers > 0;
	return 0;
}

/* The values in use, by slot: a loaded table probes as the saved one. */
static void
news_save(const struct field_news *fn, struct sbuf *b)
{
	uint32_t i;

	sbuf_u32(b, fn->n);
	sbuf_u8(b, (uint8_t)fn->overflow);
	for (i = 0; i < FIELD_SLOTS; i++) {
		if (fn->hash[i] == 0)
			continue;
		sbuf_u32(b, i);
		sbuf_u32(b, fn->hash[i]);
		sbuf_f64(b, fn->lines[i]);
		sbuf_f64(b, fn->once[i]);
		sbuf_f64(b, fn->r_lines[i]);
		sbuf_f64(b, fn->r_once[i]);
	}
}

static int
news_load(struct field_news *fn, struct sread *r)
{
	uint32_t i, k, n;

	n = sread_u32(r);
	fn->overflow = sread_u8(r) != 0;
	if (n > FIELD_TRACKED)
		return -1;
	for (i = 0; i < n && !r->err; i++) {
		k = sread_u32(r);
		if (k >= FIELD_SLOTS || fn->hash[k] != 0)
			return -1;
		fn->hash[k] = sread_u32(r);
		fn->lines[k] = sread_f64(r);
		fn->once[k] = sread_f64(r);
		if (r->version >= 4) {
			fn->r_lines[k] = sread_f64(r);
			fn->r_once[k] = sread_f64(r);
		}
		/* Each template seen once had a line with the value. */
		if (fn->hash[k] == 0 || !ok_count(fn->lines[k]) ||
		    !ok_count(fn->once[k]) || fn->once[k] > fn->lines[k] ||
		    !ok_count(fn->r_lines[k]) || !ok_count(fn->r_once[k]) ||
		    fn->r_once[k] > fn->r_lines[k] + 1e-9)
			return -1;
	}
	fn->n = n;
	return r->err ? -1 : 0;
}

static void
tstate_save(const struct tstate *ts, struct sbuf *b)
{
	uint32_t i;
	int k;

	sbuf_u64(b, ts->t->id);
	sbuf_f64(b, ts->c);
	for (k = 0; k < SUBS; k++)
		sbuf_u32(b, ts->sub[k]);
	sbuf_u64(b, (uint64_t)ts->epoch);
	sbuf_u64(b, (uint64_t)ts->born);
	sbuf_f64(b, ts->m);
	sbuf_f64(b, ts->q);
	sbuf_f64(b, ts->w);
	sbuf_f64(b, ts->cl_x);
	sbuf_f64(b, ts->cl_x2);
	sbuf_f64(b, ts->wq);
	sbuf_u8(b, (uint8_t)ts->in_burst);
	sbuf_u8(b, (uint8_t)ts->b_told);
	sbuf_u64(b, ts->b_first);
	sbuf_u64(b, ts->b_last);
	sbuf_u64(b, ts->b_count);
	sbuf_f64(b, ts->b_start);
	sbuf_f64(b, ts->b_end);
	sbuf_f64(b, ts->b_peak);
	sbuf_f64(b, ts->b_usual);
	for (k = 0; k <= KIND_BURST; k++) {
		sbuf_f64(b, ts->last_flag[k]);
		sbuf_u64(b, ts->last_what[k]);
		sbuf_u8(b, ts->flagged[k]);
	}
	sbuf_f64(b, ts->last_seen);
	sbuf_f64(b, ts->gap);
	sbuf_u32(b, ts->arrivals);
	sbuf_u8(b, (uint8_t)ts->silent);
	sbuf_f64(b, ts->sev_words);
	sbuf_u32(b, ts->nslots);
	for (i = 0; i < ts->nslots; i++) {
		sbuf_u32(b, ts->slot_pos[i]);
		slot_save(&ts->slots[i], b);
	}
	sbuf_u32(b, ts->free_slots);
	for (i = 0; i < WALK_MAX; i++)
		if (ts->free_slots >> i & 1)
			sbuf_u8(b, ts->free_np[i]);
	sbuf_u8(b, ts->fv != NULL);
	sbuf_u8(b, ts->born_fields);
	for (i = 0; ts->fv != NULL && i < SCORE_FIELDS; i++) {
		sbuf_u8(b, ts->nfv[i]);
		for (k = 0; k < ts->nfv[i]; k++)
			sbuf_u32(b, ts->fv[i][k]);
	}
}

static int
tstate_load(struct scorer *sc, struct sread *r,
    struct template *(*lookup)(void *, uint64_t), void *arg)
{
	struct template *t;
	struct tstate *ts;
	uint32_t i;
	int k;

	if ((t = lookup(arg, sread_u64(r))) == NULL || t->score != NULL)
		return -1;	/* no such template, or twice */
	ts = tstate_new(sc, t);
	ts->c = sread_f64(r);
	for (k = 0; k < SUBS; k++)
		ts->sub[k] = sread_u32(r);
	ts->epoch = (int64_t)sread_u64(r);
	ts->born = (int64_t)sread_u64(r);
	ts->m = sread_f64(r);
	ts->q = sread_f64(r);
	ts->w = sread_f64(r);
	ts->cl_x = sread_f64(r);
	ts->cl_x2 = sread_f64(r);
	ts->wq = sread_f64(r);
	ts->in_burst = sread_u8(r) != 0;
	ts->b_told = sread_u8(r) != 0;
	ts->b_first = sread_u64(r);
	ts->b_last = sread_u64(r);
	ts->b_count = sread_u64(r);
	ts->b_start = sread_f64(r);
	ts->b_end = sread_f64(r);
	ts->b_peak = sread_f64(r);
	ts->b_usual = sread_f64(r);
	for (k = 0; k <= KIND_BURST; k++) {
		ts->last_flag[k] = sread_f64(r);
		ts->last_what[k] = sread_u64(r);
		ts->flagged[k] = sread_u8(r) != 0;
	}
	ts->last_seen = sread_f64(r);
	ts->gap = sread_f64(r);
	ts->arrivals = sread_u32(r);
	ts->silent = sread_u8(r) != 0;
	ts->sev_words = sread_f64(r);
	ts->nslots = sread_u32(r);
	if (r->version < 9) {
		/* Its history, as long as its gaps say; a burst's usual
		 * count was over the span that showed it, a sub-window at
		 * least. */
		ts->first_seen = ts->last_seen - ts->gap *
		    (ts->arrivals > 0 ? ts->arrivals - 1 : 0);
		ts->b_usual /= fmax(ts->b_end - ts->b_start, sc->sub_len);
	}
	if (r->err || !ok_count(ts->c) || !ok_count(ts->m) ||
	    !ok_count(ts->q) || !ok_count(ts->w) || ts->w > 1 ||
	    !ok_count(ts->cl_x) || !ok_count(ts->cl_x2) || !ok_count(ts->wq) ||
	    !isfinite(ts->sev_words) || ts->nslots > SLOTS_MAX ||
	    !ok_epoch(ts->born) || ts->epoch < ts->born ||
	    ts->epoch > sc->epoch || !isfinite(ts->last_seen) ||
	    !ok_count(ts->gap) || !isfinite(ts->b_start) ||
	    !isfinite(ts->b_end) || !isfinite(ts->b_peak))
		goto bad;
	/* Sub-window counts are 32 bits, a window's SUBS of them; a weight
	 * is 0 or at least alpha; times are ticks, none after the
	 * scorer's, a burst began at most a window before 0. */
	if (ts->born < 0 || ts->epoch > sc->epoch ||
	    ts->m > UINT32_MAX || ts->q > (double)UINT32_MAX * UINT32_MAX ||
	    ts->wq > (double)SUBS * SUBS * UINT32_MAX * UINT32_MAX ||
	    (ts->w > 0 && ts->w < sc->alpha) ||
	    !ok_tick(sc, ts->last_seen) || ts->last_seen > sc->now ||
	    !ok_count(ts->gap) || ts->gap > TICK_MAX ||
	    !ok_tick(sc, ts->b_end) || ts->b_end > sc->now ||
	    !(ts->b_start >= -sc->p.window && ts->b_start <= ts->b_end) ||
	    !isfinite(ts->b_peak) || !ok_count(ts->b_usual))
		goto bad;
	for (k = 0; k <= KIND_BURST; k++)
		if (!ok_tick(sc, ts->last_flag[k]) ||
		    ts->last_flag[k] > sc->now)
			goto bad;
	if (ts->nslots > 0) {
		ts->slotcap = ts->nslots;
		ts->slots = xcalloc(ts->slotcap, sizeof *ts->slots);
		sc->slots_used += ts->nslots;
	}
	for (i = 0; i < ts->nslots; i++) {
		ts->slot_pos[i] = sread_u32(r);
		if (slot_load(&ts->slots[i], r) == -1)
			return -1;
		if (ts->slot_pos[i] & MEMBER_POS)
			/* Those learned as fresh: up to the one past
			 * VALUE_VARIETY, as in value_walk(). */
			for (k = 0; k < ts->slots[i].ndistinct &&
			    k <= VALUE_VARIETY; k++)
				member_value_add(sc, ts->slot_pos[i],
				    ts->slots[i].hash[k]);
	}
	/* Format 5 keeps the free slots, whose models it let go. */
	ts->free_slots = r->version >= 5 ? sread_u32(r) : 0;
	for (i = 0; i < WALK_MAX; i++) {
		if (!(ts->free_slots >> i & 1))
			continue;
		ts->free_np[i] = sread_u8(r);
		if (ts->free_np[i] == 0 || ts->free_np[i] > SPLIT_MAX)
			return -1;
	}
	k = sread_u8(r);
	ts->born_fields = sread_u8(r);
	if (k != 0) {
		ts->fv = xcalloc(SCORE_FIELDS, sizeof *ts->fv);
		for (i = 0; i < SCORE_FIELDS; i++) {
			if ((ts->nfv[i] = sread_u8(r)) > FIELD_VALUES)
				return -1;
			for (k = 0; k < ts->nfv[i]; k++)
				ts->fv[i][k] = sread_u32(r);
		}
	}
	ts->bucket = freq_bucket(ts->c);
	if (ts->arrivals >= 1 && ts->arrivals <= GT_MAX + 1)
		sc->nfreq[ts->arrivals]++;	/* a sum of counts: rebuilt */
	return r->err ? -1 : 0;

bad:
	ts->nslots = 0;		/* none were read */
	return -1;
}

/* A value position's scale, counts of late and clumps (format 10). */
static void
late_save(const struct value_slot *v, struct sbuf *b)
{
	int i;

	sbuf_u32(b, v->clock);
	sbuf_u8(b, v->scaled);
	sbuf_u8(b, (uint8_t)v->scale);
	for (i = 0; i < v->ndistinct; i++) {
		sbuf_u32(b, v->lt[i].at);
		sbuf_f64(b, v->lt[i].late);
		sbuf_f64(b, v->lt[i].dense);
		sbuf_u32(b, v->lt[i].past);
		sbuf_u32(b, v->lt[i].spell_at);
		sbuf_f64(b, v->lt[i].sum);
	}
}

static int
late_load(struct value_slot *v, struct sread *r)
{
	double late, dense, sum;
	int i;

	v->clock = sread_u32(r);
	v->scaled = sread_u8(r);
	v->scale = (int8_t)sread_u8(r);
	if (v->scaled > 1 || v->scale > 0 || v->scale < -30 ||
	    (!v->scaled && v->scale != 0) || v->clock >= UINT32_C(1) << 31)
		return -1;
	for (i = 0; i < v->ndistinct; i++) {
		v->lt[i].at = sread_u32(r);
		late = sread_f64(r);
		dense = sread_f64(r);
		v->lt[i].past = sread_u32(r);
		v->lt[i].spell_at = sread_u32(r);
		sum = sread_f64(r);
		/* A count of late fades to under VALUE_LATE, and so does
		 * its mean. */
		if (!ok_count(late) || late > VALUE_LATE + 1 ||
		    !(dense == 0 || (dense >= 1 && dense <= VALUE_LATE + 1)) ||
		    v->lt[i].at > v->clock || v->lt[i].past > v->count[i] ||
		    v->lt[i].spell_at > v->clock ||
		    !ok_count(sum) || sum > (VALUE_LATE + 1) *
		    ((double)v->count[i] - v->lt[i].past + 1))
			return -1;
		v->lt[i].late = (float)late;
		v->lt[i].dense = (float)dense;
		v->lt[i].sum = (float)sum;
	}
	return r->err ? -1 : 0;
}

/* A value position's counts of shapes (format 11). */
static int
shapes_load(struct scorer *sc, struct sread *r)
{
	size_t start = r->off, i, k, len;
	int m;

	for (i = 0; i < sc->nall; i++)
		for (k = 0; k < sc->all[i]->nslots; k++) {
			struct value_slot *v = &sc->all[i]->slots[k];

			for (m = 0; m < VALUE_SHAPES; m++)
				if ((v->shape[m] = sread_u32(r)) > UINT32_MAX / 2)
					return -1;
		}
	len = r->off - start;
	return sread_u32(r) != len || r->err ? -1 : 0;
}

static int
lates_load(struct scorer *sc, struct sread *r)
{
	size_t start = r->off, i, k, len;

	for (i = 0; i < sc->nall; i++)
		for (k = 0; k < sc->all[i]->nslots; k++)
			if (late_load(&sc->all[i]->slots[k], r) == -1)
				return -1;
	len = r->off - start;
	return sread_u32(r) != len || r->err ? -1 : 0;
}

void
scorer_save(const struct scorer *sc, struct sbuf *b)
{
	size_t i, j, start;
	uint32_t n;
	int k;

	sbuf_u64(b, SCORER_MAGIC);
	sbuf_u8(b, (uint8_t)sc->started);
	sbuf_f64(b, sc->now);
	sbuf_f64(b, sc->next_halving);
	sbuf_u64(b, (uint64_t)sc->epoch);
	sbuf_u64(b, sc->line);
	sbuf_u64(b, sc->seen);
	sbuf_f64(b, sc->lines);
	sbuf_f64(b, sc->created);
	sbuf_f64(b, sc->words);
	sbuf_f64(b, sc->new_words);
	sbuf_f64(b, sc->lv_low);
	sbuf_f64(b, sc->lv_plain);
	sbuf_f64(b, sc->r_lines);
	sbuf_f64(b, sc->r_created);
	sbuf_f64(b, sc->r_words);
	sbuf_f64(b, sc->r_new_words);
	sbuf_f64(b, sc->r_born_words);
	sbuf_f64(b, sc->r_returns);
	for (k = 0; k <= FEN; k++)
		sbuf_f64(b, sc->fen[k]);
	sbuf_f64(b, sc->mass);
	for (i = 0; i < SCORE_FIELDS; i++)
		for (k = 0; k < FIELD_AGES; k++) {
			sbuf_f64(b, sc->fj[i][k]);
			sbuf_f64(b, sc->fm[i][k]);
		}
	sbuf_u8(b, sc->news != NULL);
	for (i = 0; sc->news != NULL && i < SCORE_FIELDS; i++)
		news_save(&sc->news[i], b);
	sbuf_u64(b, (uint64_t)sc->cap.window);
	sbuf_u64(b, sc->cap.printed);
	for (k = 0; k <= KIND_HELD; k++)
		sbuf_u32(b, sc->cap.held[k]);
	sbuf_u32(b, sc->cap.total);
	sbuf_u32(b, (uint32_t)sc->nall);
	for (i = 0; i < sc->nall; i++)
		tstate_save(sc->all[i], b);
	/* The order bursts are checked in is the order their ends are
	 * told. */
	sbuf_u32(b, (uint32_t)sc->nbursts);
	for (i = 0; i < sc->nbursts; i++)
		sbuf_u32(b, (uint32_t)sc->bursts[i]->index);
	/* Format 8: the members' recent news, by key. */
	n = 0;
	for (i = 0; sc->mnews != NULL && i < MEMBER_KEYS; i++)
		n += sc->mnews[i].pos != 0;
	sbuf_u32(b, n);
	for (i = 0; sc->mnews != NULL && i < MEMBER_KEYS; i++) {
		if (sc->mnews[i].pos == 0)
			continue;
		sbuf_u32(b, sc->mnews[i].pos);
		sbuf_f64(b, sc->mnews[i].r_lines);
		sbuf_f64(b, sc->mnews[i].r_new);
	}
	/* Format 9: each template's longest gap, first sighting and the
	 * source's pauses it knows of; the pauses and the last line's time;
	 * the templates' number last (a check). */
	for (i = 0; i < sc->nall; i++) {
		sbuf_f64(b, sc->all[i]->gap_max);
		sbuf_f64(b, sc->all[i]->first_seen);
		sbuf_u64(b, (uint64_t)sc->all[i]->paused);
	}
	sbuf_u64(b, (uint64_t)sc->paused);
	sbuf_f64(b, sc->line_tick);
	sbuf_u32(b, (uint32_t)sc->nall);
	/* Format 10: the value positions' scales, counts of late and
	 * clumps, in the order their templates were written; the section's
	 * length last. */
	start = b->len;
	for (i = 0; i < sc->nall; i++)
		for (j = 0; j < sc->all[i]->nslots; j++)
			late_save(&sc->all[i]->slots[j], b);
	sbuf_u32(b, (uint32_t)(b->len - start));
	/* Format 11: the same positions' counts of shapes, the length last. */
	start = b->len;
	for (i = 0; i < sc->nall; i++)
		for (j = 0; j < sc->all[i]->nslots; j++)
			for (k = 0; k < VALUE_SHAPES; k++)
				sbuf_u32(b, sc->all[i]->slots[j].shape[k]);
	sbuf_u32(b, (uint32_t)(b->len - start));
}


/* The templates' gaps and pauses, as scorer_save() wrote them (format
 * 9). */
static int
gaps_load(struct scorer *sc, struct sread *r)
{
	struct tstate *ts;
	size_t i;

	for (i = 0; i < sc->nall && !r->err; i++) {
		ts = sc->all[i];
		ts->gap_max = sread_f64(r);
		ts->first_seen = sread_f64(r);
		ts->paused = (int64_t)sread_u64(r);
		if (!ok_count(ts->gap_max) || ts->gap_max > TICK_MAX ||
		    !isfinite(ts->first_seen) ||
		    ts->first_seen > ts->last_seen || ts->paused < 0)
			return -1;
	}
	sc->paused = (int64_t)sread_u64(r);
	sc->line_tick = sread_f64(r);
	for (i = 0; i < sc->nall; i++)
		if (sc->all[i]->paused > sc->paused)
			return -1;
	return r->err || !ok_tick(sc, sc->line_tick) ||
	    sc->line_tick > sc->now || sread_u32(r) != sc->nall || r->err ||
	    sc->paused < 0 ? -1 : 0;
}

/* The members' recent news, as scorer_save() wrote it. */
static int
members_load(struct scorer *sc, struct sread *r)
{
	struct member_news *mn;
	double lines, news;
	uint32_t n, i, pos;

	n = sread_count(r, 20, MEMBER_KEYS);
	for (i = 0; i < n && !r->err; i++) {
		pos = sread_u32(r);
		lines = sread_f64(r);
		news = sread_f64(r);
		/* A key's position has MEMBER_POS, and each key comes once;
		 * what came new is some of the lines. */
		if (r->err || !(pos & MEMBER_POS) || !ok_count(lines) ||
		    !ok_count(news) || news > lines + 1e-9 ||
		    (mn = member_news_of(sc, pos, 1)) == NULL ||
		    mn->r_lines != 0 || mn->r_new != 0)
			return -1;
		mn->r_lines = lines;
		mn->r_new = news;
	}
	return r->err ? -1 : 0;
}

int
scorer_load(struct scorer *sc, struct sread *r,
    struct template *(*lookup)(void *, uint64_t), void *arg, char **cause)
{
	uint8_t *listed;
	double cur;
	uint32_t n, i, at;
	int k;

	if (sc->nall > 0 || sc->started) {
		xasprintf(cause, "scoring state loaded into a used scorer");
		return -1;
	}
	if (sread_u64(r) != SCORER_MAGIC) {
		xasprintf(cause, "no scoring state where one belongs");
		return -1;
	}
	sc->started = sread_u8(r) != 0;
	sc->now = sread_f64(r);
	sc->next_halving = sread_f64(r);
	sc->epoch = (int64_t)sread_u64(r);
	sc->line = sread_u64(r);
	sc->seen = sread_u64(r);
	sc->lines = sread_f64(r);
	sc->created = sread_f64(r);
	sc->words = sread_f64(r);
	sc->new_words = sread_f64(r);
	sc->lv_low = sread_f64(r);
	sc->lv_plain = sread_f64(r);
	if (!ok_count(sc->lv_low) || !ok_count(sc->lv_plain))
		r->err = 1;
	sc->r_lines = sread_f64(r);
	sc->r_created = sread_f64(r);
	sc->r_words = sread_f64(r);
	sc->r_new_words = sread_f64(r);
	/* Format 3 had no flurries' words: none recent. */
	sc->r_born_words = r->version >= 4 ? sread_f64(r) : 0;
	sc->r_returns = r->version >= 4 ? sread_f64(r) : 0;
	for (k = 0; k <= FEN; k++)
		if (!isfinite(sc->fen[k] = sread_f64(r)))
			r->err = 1;
	sc->mass = sread_f64(r);
	for (i = 0; i < SCORE_FIELDS; i++)
		for (k = 0; k < FIELD_AGES; k++) {
			sc->fj[i][k] = sread_f64(r);
			sc->fm[i][k] = sread_f64(r);
			/* Of the lines judged, those with news. */
			if (!ok_count(sc->fj[i][k]) ||
			    !ok_count(sc->fm[i][k]) ||
			    sc->fm[i][k] > sc->fj[i][k])
				r->err = 1;
		}
	if (sread_u8(r) != 0) {
		sc->news = xcalloc(SCORE_FIELDS, sizeof *sc->news);
		for (i = 0; i < SCORE_FIELDS; i++)
			if (news_load(&sc->news[i], r) == -1)
				r->err = 1;
	}
	sc->cap.window = (int64_t)sread_u64(r);
	sc->cap.printed = sread_u64(r);
	for (k = 0; k <= KIND_HELD; k++)
		sc->cap.held[k] = sread_u32(r);
	sc->cap.total = sread_u32(r);
	/* A template's state is well over 100 bytes. */
	n = sread_count(r, 100, UINT32_MAX);
	cur = sc->p.horizon_lines ? (double)sc->seen : sc->now;
	/* The epoch is now's sub-window; before the first line, nothing.
	 * A part is no more than its whole (new templates of lines, new
	 * words of words): their ratios are probabilities. */
	if (r->err || !ok_tick(sc, sc->now) || !isfinite(sc->mass) ||
	    (sc->started && sc->epoch != epoch_of(sc, sc->now)) ||
	    (!sc->started && (sc->now != 0 || n > 0)) ||
	    !(sc->next_halving >= cur - sc->p.horizon &&
	    sc->next_halving <= cur + sc->p.horizon) ||
	    !ok_count(sc->lines) || !ok_count(sc->created) ||
	    !ok_count(sc->words) || !ok_count(sc->new_words) ||
	    !ok_count(sc->r_lines) || !ok_count(sc->r_created) ||
	    !ok_count(sc->r_words) || !ok_count(sc->r_new_words) ||
	    !ok_count(sc->r_born_words) || !ok_count(sc->r_returns) ||
	    sc->r_returns > sc->r_lines + 1e-9 ||
	    sc->created > sc->lines || sc->new_words > sc->words ||
	    sc->r_created > sc->r_lines || sc->r_new_words > sc->r_words) {
		xasprintf(cause, "scoring state is damaged");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (tstate_load(sc, r, lookup, arg) == -1) {
			xasprintf(cause, "scoring state of template %lu of "
			    "%lu is damaged", (unsigned long)i + 1,
			    (unsigned long)n);
			return -1;
		}
	}
	/* Every template in a burst is listed once, and only those. */
	n = sread_count(r, 4, (uint32_t)sc->nall);
	listed = xcalloc(sc->nall > 0 ? sc->nall : 1, 1);
	sc->burstcap = n > 0 ? n : 1;
	sc->bursts = xreallocarray(NULL, sc->burstcap, sizeof *sc->bursts);
	for (i = 0; i < n && !r->err; i++) {
		at = sread_u32(r);
		if (at >= sc->nall || !sc->all[at]->in_burst || listed[at])
			r->err = 1;
		else {
			listed[at] = 1;
			sc->bursts[sc->nbursts++] = sc->all[at];
		}
	}
	for (i = 0; i < sc->nall && !r->err; i++)
		if (sc->all[i]->in_burst && !listed[i])
			r->err = 1;
	free(listed);
	if (r->err) {
		xasprintf(cause, "scoring state's bursts are damaged");
		return -1;
	}
	if (r->version >= 8 && members_load(sc, r) == -1) {
		xasprintf(cause, "scoring state's JSON members are damaged");
		return -1;
	}
	if (r->version >= 9 && gaps_load(sc, r) == -1) {
		xasprintf(cause, "scoring state's silence gaps are damaged");
		return -1;
	}
	if (r->version < 9)
		sc->line_tick = sc->now;
	if (r->version >= 10 && lates_load(sc, r) == -1) {
		xasprintf(cause, "scoring state's values of late are damaged");
		return -1;
	}
	if (r->version >= 11 && shapes_load(sc, r) == -1) {
		xasprintf(cause, "scoring state's value shapes are damaged");
		return -1;
	}
	return 0;
}

void
scorer_merge(struct scorer *sc, struct template *root, uint32_t slot,
    const uint64_t *hash, const uint64_t *count,
    struct template *const *from, size_t n)
{
	struct tstate *ts = root->score;
	struct value_slot *vs;
	double others = 0;
	uint32_t next = 0;
	size_t i;

	if (ts == NULL)
		ts = tstate_new(sc, root);
	/* Each word's lines as they count now, decayed as the template's
	 * share is (raw counts would be history the model has let go). */
	if ((vs = slot_for(sc, ts, slot * SPLIT_MAX, 1, &next)) != NULL)
		for (i = 0; i < n; i++) {
			double c = from[i]->score != NULL ?
			    ceil(((struct tstate *)from[i]->score)->c) :
			    (double)count[i];

			c = fmin(c, (double)count[i]);
			value_seed(vs, hash[i], c > UINT32_MAX / 4 ?
			    UINT32_MAX / 4 : (uint32_t)c);
		}
	/* The others' lines are now the root's: their share, decayed as
	 * the root's is (their raw counts would make it more than all). */
	for (i = 0; i < n; i++)
		if (from[i] != root && from[i]->score != NULL)
			others += ((struct tstate *)from[i]->score)->c;
	if (others > 0) {
		fen_add(sc, ts->bucket, -ts->c);
		ts->c += others;
		ts->bucket = freq_bucket(ts->c);
		fen_add(sc, ts->bucket, ts->c);
	}
}
