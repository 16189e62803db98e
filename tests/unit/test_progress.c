/* Unit tests for progress.c: when it draws, what, and erasing it. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

static char got[4096];

static int
tmpfd(void)
{
	FILE *f = tmpfile();
	int fd;

	assert_non_null(f);
	fd = dup(fileno(f));
	fclose(f);
	return fd;
}

static const char *
contents(int fd)
{
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	n = read(fd, got, sizeof got - 1);
	assert_true(n >= 0);
	got[n] = '\0';
	return got;
}

static int
ticks_until_due(struct progress *p, int max)
{
	int i;

	for (i = 1; i <= max; i++)
		if (progress_tick(p))
			return i;
	return 0;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static void
test_delay_and_rate(void **state)
{
	struct progress *p;
	int fd = tmpfd();

	/* No delay: due at the first clock check, every 256 lines. */
	p = progress_new(fd, 0, 0);
	assert_int_equal(ticks_until_due(p, 10000), 256);
	progress_draw(p, 10, 256);
	/* Drawn just now: not due again for a while. */
	assert_int_equal(ticks_until_due(p, 2560), 0);
	sleep_ms(300);
	assert_int_equal(ticks_until_due(p, 10000), 256);
	progress_free(p);

	/* With a delay, a short run draws nothing. */
	p = progress_new(fd, 0, 200);
	assert_int_equal(ticks_until_due(p, 5000), 0);
	sleep_ms(250);
	assert_true(ticks_until_due(p, 5000) > 0);
	progress_free(p);
	close(fd);
}

static void
test_line_layout(void **state)
{
	struct progress *p;
	int fd = tmpfd();

	p = progress_new(fd, 4u << 20, 0);
	progress_draw(p, 1u << 20, 123456);
	contents(fd);
	assert_memory_equal(got, "\r1.0 MiB of 4.0 MiB (25%), 123.5k lines, ",
	    41);
	/* Drawn at once: too soon for an estimate of the time left. */
	assert_non_null(strstr(got, " lines/s, ETA -:--\033[K"));
	assert_string_equal(got + strlen(got) - 3, "\033[K");
	progress_clear(p);
	assert_string_equal(got + strlen(contents(fd)) - 4, "\r\033[K");
	/* Cleared: a second clear writes nothing. */
	progress_clear(p);
	assert_int_equal(lseek(fd, 0, SEEK_END), (off_t)strlen(got));
	progress_free(p);
	close(fd);

	/* Unknown size: no percentage, no ETA. */
	fd = tmpfd();
	p = progress_new(fd, 0, 0);
	progress_draw(p, 500, 7);
	contents(fd);
	assert_memory_equal(got, "\r500 B, 7 lines, ", 17);
	assert_null(strstr(got, "ETA"));
	progress_free(p);
	close(fd);
}

static void
test_clear_without_draw(void **state)
{
	struct progress *p;
	int fd = tmpfd();

	p = progress_new(fd, 100, 0);
	progress_clear(p);
	progress_clear(NULL);
	assert_int_equal(lseek(fd, 0, SEEK_END), 0);
	progress_free(p);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delay_and_rate),
		cmocka_unit_test(test_line_layout),
		cmocka_unit_test(test_clear_without_draw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
