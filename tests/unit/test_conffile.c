/* Unit tests for conffile.c: reading the configuration file. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conffile.h"

static char path[64];

/* Write text to a fresh temporary file and read it back. */
static struct conffile *
read_text(const char *text, size_t len, char **cause)
{
	struct conffile *cf;
	FILE *f;
	int fd;

	strcpy(path, "/tmp/test_conffile.XXXXXX");
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
	cf = conffile_read(path, cause);
	unlink(path);
	return cf;
}

static void
test_entries(void **state)
{
	const char text[] =
	    "# a comment\n"
	    "\n"
	    "  format <Date> <Time> <Content>  \n"
	    "mask SESSION   sess-[0-9a-f]{8} #not a comment\n"
	    "mask HOST=h\\d+\n"
	    "show-class\n"
	    "threshold\t12\r\n"
	    "all";	/* no newline at the end */
	struct conffile *cf;
	char *cause = NULL;

	cf = read_text(text, sizeof text - 1, &cause);
	assert_non_null(cf);
	assert_int_equal(cf->n, 6);
	assert_string_equal(cf->entry[0].name, "format");
	assert_string_equal(cf->entry[0].value, "<Date> <Time> <Content>");
	assert_int_equal(cf->entry[0].line, 3);
	assert_string_equal(cf->entry[1].value,
	    "SESSION=sess-[0-9a-f]{8} #not a comment");
	assert_string_equal(cf->entry[2].value, "HOST=h\\d+");
	assert_string_equal(cf->entry[3].name, "show-class");
	assert_null(cf->entry[3].value);
	assert_string_equal(cf->entry[4].value, "12");
	assert_string_equal(cf->entry[5].name, "all");
	assert_int_equal(cf->entry[5].line, 8);
	conffile_free(cf);
}

static void
test_errors(void **state)
{
	char *cause = NULL;

	assert_null(read_text("ok 1\nbad_name x\n", 16, &cause));
	assert_non_null(strstr(cause, ":2: bad option name 'bad_name'"));
	free(cause);
	assert_null(read_text("a\0b\n", 4, &cause));
	assert_non_null(strstr(cause, ":1: NUL byte"));
	free(cause);
	assert_null(conffile_read("/nonexistent/aiopsfilter.conf", &cause));
	assert_string_equal(cause,
	    "/nonexistent/aiopsfilter.conf: No such file or directory");
	free(cause);
}

/* The limits the man page gives: a line of 64 KiB, 4096 options. */
static void
test_limits(void **state)
{
	struct conffile *cf;
	char *cause = NULL, *text;
	size_t line = 64 << 10, n, i;

	/* "window " and a value up to 64 KiB in all, then one byte more,
	 * on the second line. */
	text = malloc(2 * line + 16);
	assert_non_null(text);
	n = (size_t)sprintf(text, "all\nwindow ");
	memset(text + n, '5', line - 7);
	n += line - 7;
	text[n++] = '\n';
	assert_non_null(cf = read_text(text, n, &cause));
	assert_int_equal(cf->n, 2);
	assert_int_equal(strlen(cf->entry[1].value), line - 7);
	conffile_free(cf);
	text[n - 1] = '5';
	text[n++] = '\n';
	assert_null(read_text(text, n, &cause));
	assert_non_null(strstr(cause, ":2: line too long"));
	free(cause);
	free(text);

	text = malloc(4097 * 4 + 1);
	assert_non_null(text);
	for (i = 0, n = 0; i < 4096; i++)
		n += (size_t)sprintf(text + n, "all\n");
	assert_non_null(cf = read_text(text, n, &cause));
	assert_int_equal(cf->n, 4096);
	conffile_free(cf);
	n += (size_t)sprintf(text + n, "all\n");
	assert_null(read_text(text, n, &cause));
	assert_non_null(strstr(cause, ":4097: more than 4096 options"));
	free(cause);
	free(text);
}

static void
test_empty(void **state)
{
	struct conffile *cf;
	char *cause = NULL;

	cf = read_text("", 0, &cause);
	assert_non_null(cf);
	assert_int_equal(cf->n, 0);
	conffile_free(cf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
