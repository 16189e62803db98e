/* Unit tests for score.c: new and rare templates. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "score.h"
#include "template.h"
#include "tokenize.h"

static struct tokens tk;	/* an empty message: templates of 0 tokens */

static struct template *
fresh(uint64_t id)
{
	return template_new(id, &tk);
}

static double
score_of(struct scorer *sc, struct template *t, int created, int *flagged)
{
	struct score s;

	*flagged = scorer_line(sc, t, created, 1, &s);
	return s.bits;
}

static void
test_new_after_stable_beats_new_after_chaos(void **state)
{
	struct scorer_params p = { SCORE_DEFAULT_THRESHOLD };
	struct scorer *stable = scorer_new(&p), *chaos = scorer_new(&p);
	struct template *common = fresh(1), *late = fresh(2), *t[11];
	double after_stable, after_chaos;
	int i, flagged;

	score_of(stable, common, 1, &flagged);
	for (i = 0; i < 10000; i++)
		score_of(stable, common, 0, &flagged);
	after_stable = score_of(stable, late, 1, &flagged);
	assert_true(flagged);

	for (i = 0; i < 10; i++)
		score_of(chaos, t[i] = fresh((uint64_t)i + 10), 1, &flagged);
	after_chaos = score_of(chaos, t[10] = fresh(99), 1, &flagged);
	assert_false(flagged);
	assert_true(after_stable > after_chaos + 10);
	for (i = 0; i < 11; i++)
		template_free(t[i]);
	scorer_free(stable);
	scorer_free(chaos);
	template_free(common);
	template_free(late);
}

static void
test_rare_scores_by_frequency(void **state)
{
	struct scorer_params p = { SCORE_DEFAULT_THRESHOLD };
	struct scorer *sc = scorer_new(&p);
	struct template *common = fresh(1), *rare = fresh(2);
	struct score s;
	double rare_bits, common_bits;
	int i, flagged;

	score_of(sc, common, 1, &flagged);
	score_of(sc, rare, 1, &flagged);
	for (i = 0; i < 5000; i++)
		score_of(sc, common, 0, &flagged);
	scorer_line(sc, rare, 0, 1, &s);
	rare_bits = s.bits;
	assert_int_equal(s.kind, KIND_RARE);
	scorer_line(sc, common, 0, 1, &s);
	common_bits = s.bits;
	assert_int_equal(s.kind, KIND_NORMAL);
	assert_true(rare_bits > 10);
	assert_true(common_bits < 0.01);
	assert_string_equal(score_kind_name(KIND_RARE), "rare");
	scorer_free(sc);
	template_free(common);
	template_free(rare);
}

static void
test_no_learn_keeps_counts(void **state)
{
	struct scorer_params p = { SCORE_DEFAULT_THRESHOLD };
	struct scorer *sc = scorer_new(&p);
	struct template *t = fresh(1);
	struct score s;

	scorer_line(sc, t, 1, 0, &s);
	assert_int_equal(t->count, 0);
	assert_int_equal(s.kind, KIND_NEW);
	scorer_free(sc);
	template_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_after_stable_beats_new_after_chaos),
		cmocka_unit_test(test_rare_scores_by_frequency),
		cmocka_unit_test(test_no_learn_keeps_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
