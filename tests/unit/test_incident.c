/*
 * Unit tests for incident.c: grouping findings by the gap in time or in
 * lines, what an incident sums up, likeness to earlier incidents, related
 * templates, and the bounds.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident.h"

static const struct incident *
finding(struct incidents *in, uint64_t line, double time, uint64_t tid,
    const char *source, int *opened)
{
	struct incident_finding f;

	memset(&f, 0, sizeof f);
	f.line = line;
	f.time = time;
	f.bits = 10 + (double)(line % 7);
	f.kind = KIND_NEW;
	f.template_id = tid;
	f.source = source;
	return incidents_finding(in, &f, opened);
}

static struct incidents *
new_incidents(double gap, int lines)
{
	struct incident_params p;

	p.gap = gap;
	p.gap_lines = lines;
	return incidents_new(&p);
}

static void
test_time_gap(void **state)
{
	struct incidents *in = new_incidents(0, 0);
	const struct incident *c;
	int opened;

	assert_null(incidents_advance(in, 1, 1000));
	assert_int_equal(incidents_current(in), 0);
	c = finding(in, 10, 1000, 3, NULL, &opened);
	assert_true(opened);
	assert_int_equal(c->id, 1);
	assert_true(c->by_time);
	/* 29 s later: the same incident; a line without time changes nothing. */
	assert_null(incidents_advance(in, 11, 1029));
	assert_null(incidents_advance(in, 12, 0));
	c = finding(in, 12, 1029, 4, NULL, &opened);
	assert_false(opened);
	c = finding(in, 13, 1029, 3, NULL, &opened);
	assert_int_equal(incidents_current(in), 1);
	/* A whole gap (30 s) after the last finding, it is over. */
	assert_null(incidents_advance(in, 14, 1058.9));
	c = incidents_advance(in, 15, 1059);
	assert_non_null(c);
	assert_int_equal(c->id, 1);
	assert_int_equal(c->findings, 3);
	assert_int_equal(c->by_kind[KIND_NEW], 3);
	assert_int_equal(c->first_line, 10);
	assert_int_equal(c->last_line, 13);
	assert_true(c->start == 1000 && c->end == 1029);
	assert_int_equal(c->ntemplates, 2);
	assert_int_equal(c->templates[0].id, 3);
	assert_int_equal(c->templates[0].findings, 2);
	assert_int_equal(c->templates[1].id, 4);
	assert_int_equal(c->like, 0);
	assert_int_equal(incidents_current(in), 0);
	assert_null(incidents_advance(in, 16, 5000));
	c = finding(in, 20, 5000, 3, NULL, &opened);
	assert_true(opened);
	assert_int_equal(c->id, 2);
	assert_non_null(incidents_finish(in));
	assert_null(incidents_finish(in));
	incidents_free(in);
}

/* Without time the gap counts lines: 100, or what was given in lines. */
static void
test_line_gap(void **state)
{
	struct incidents *in = new_incidents(5, 0);
	const struct incident *c;
	int opened;

	c = finding(in, 100, 0, 1, NULL, &opened);
	assert_false(c->by_time);
	assert_null(incidents_advance(in, 199, 0));
	c = incidents_advance(in, 200, 0);
	assert_non_null(c);
	incidents_free(in);

	in = new_incidents(5, 1);
	c = finding(in, 100, 1000, 1, NULL, &opened);
	assert_false(c->by_time);	/* lines, though there is time */
	assert_null(incidents_advance(in, 104, 5000));
	assert_non_null(incidents_advance(in, 105, 5000));
	incidents_free(in);
}

/* A later incident with the same templates is like the earlier one. */
static void
test_like(void **state)
{
	struct incidents *in = new_incidents(10, 1);
	const struct incident *c;
	uint64_t line = 1;
	size_t i;
	int opened, k;

	/* Incident 1: templates 1 2 3 4; incident 2: 7 8; incident 3: 1 2 3
	 * 4 again; incident 4: 1 2 9 (2 of 5 shared with 1 or 3: not like). */
	static const uint64_t sets[][4] = {
		{ 1, 2, 3, 4 }, { 7, 8, 0, 0 }, { 4, 3, 2, 1 }, { 1, 2, 9, 0 }
	};
	for (k = 0; k < 4; k++) {
		for (i = 0; i < 4 && sets[k][i] != 0; i++)
			finding(in, line++, 0, sets[k][i], NULL, &opened);
		line += 100;
		c = incidents_advance(in, line, 0);
		assert_non_null(c);
		assert_int_equal(c->id, (uint64_t)k + 1);
		switch (k) {
		case 0:
		case 1:
			assert_int_equal(c->like, 0);
			assert_int_equal(c->nrelated, 0);
			break;
		case 2:
			assert_int_equal(c->like, 1);
			assert_int_equal(c->like_shared, 4);
			assert_int_equal(c->like_union, 4);
			/* All six pairs came together twice now. */
			assert_int_equal(c->nrelated, 6);
			assert_int_equal(c->related[0].incidents, 2);
			break;
		case 3:
			assert_int_equal(c->like, 0);
			/* 1+2 three times, the most related pair. */
			assert_int_equal(c->nrelated, 1);
			assert_int_equal(c->templates[c->related[0].a].id, 1);
			assert_int_equal(c->templates[c->related[0].b].id, 2);
			assert_int_equal(c->related[0].incidents, 3);
			break;
		}
	}
	incidents_free(in);
}

/* Ids count per source: the same id of two sources is two templates. */
static void
test_sources(void **state)
{
	struct incidents *in = new_incidents(0, 0);
	const struct incident *c;
	char name[32];
	int opened, i;

	finding(in, 1, 100, 5, "web-1", &opened);
	finding(in, 2, 101, 5, "db", &opened);
	c = finding(in, 3, 102, 5, "web-1", &opened);
	assert_int_equal(c->nsources, 2);
	assert_string_equal(c->sources[0], "web-1");
	assert_string_equal(c->sources[1], "db");
	assert_int_equal(c->ntemplates, 2);
	assert_int_equal(c->templates[1].source, 1);
	assert_ptr_equal(c->first.source, c->sources[0]);
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "host-%d", i);
		c = finding(in, 4 + (uint64_t)i, 103, 9 + (uint64_t)i, name,
		    &opened);
	}
	assert_int_equal(c->nsources, INCIDENT_SOURCES);
	assert_int_equal(c->more_sources, 42 - INCIDENT_SOURCES);
	assert_true(c->ntemplates <= INCIDENT_TEMPLATES);
	assert_int_equal(c->ntemplates + c->unnamed, 42);
	incidents_free(in);
}

/* Only the last INCIDENT_MEMORY incidents are compared. */
static void
test_memory(void **state)
{
	struct incidents *in = new_incidents(1, 1);
	const struct incident *c;
	uint64_t line = 1, k;
	int opened;

	finding(in, line, 0, 1, NULL, &opened);
	line += 10;
	assert_non_null(incidents_advance(in, line, 0));
	for (k = 0; k < INCIDENT_MEMORY; k++) {
		finding(in, line, 0, 100 + k, NULL, &opened);
		line += 10;
		assert_non_null(incidents_advance(in, line, 0));
	}
	finding(in, line, 0, 1, NULL, &opened);
	c = incidents_finish(in);
	assert_int_equal(c->like, 0);
	incidents_free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_gap),
		cmocka_unit_test(test_line_gap),
		cmocka_unit_test(test_like),
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
