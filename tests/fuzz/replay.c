/*
 * replay: a main() for one fuzz harness without libFuzzer, so that "make
 * check" runs the harness on its corpus (the seeds and the inputs of
 * past findings) with the compiler and sanitizers of the build.  With
 * arguments it runs those files, or the files in those directories;
 * without, the corpus of its harness, $TOP_SRCDIR/tests/fuzz/corpus/NAME
 * (NAME is FUZZ_NAME, set when it is built).  Each input is read into a
 * buffer of exactly its size, as libFuzzer gives it, so that a read past
 * its end is caught by the sanitizers.  A harness that finds a problem
 * aborts; replay exits 0 when every input went through.
 */
#include "config.h"

#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FUZZ_NAME
#error "FUZZ_NAME must name the harness"
#endif

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	main(int, char **);

static unsigned	ninputs;

static void
run_file(const char *path)
{
	struct stat st;
	uint8_t *buf;
	size_t off = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &st) == -1)
		err(2, "%s", path);
	/* One byte more than needed keeps malloc(0) out of it. */
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL)
		err(2, "%s", path);
	while (off < (size_t)st.st_size) {
		if ((n = read(fd, buf + off, (size_t)st.st_size - off)) <= 0)
			err(2, "%s", path);
		off += (size_t)n;
	}
	close(fd);
	if ((buf = realloc(buf, off > 0 ? off : 1)) == NULL)
		err(2, "%s", path);
	LLVMFuzzerTestOneInput(buf, off);
	free(buf);
	ninputs++;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
run_path(const char *path)
{
	struct dirent *de;
	struct stat st;
	char **names = NULL, *p;
	size_t n = 0, i;
	DIR *d;

	if (stat(path, &st) == -1)
		err(2, "%s", path);
	if (!S_ISDIR(st.st_mode)) {
		run_file(path);
		return;
	}
	if ((d = opendir(path)) == NULL)
		err(2, "%s", path);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((names = realloc(names, (n + 1) * sizeof *names)) ==
		    NULL || asprintf(&p, "%s/%s", path, de->d_name) == -1)
			err(2, NULL);
		names[n++] = p;
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	for (i = 0; i < n; i++) {
		run_file(names[i]);
		free(names[i]);
	}
	free(names);
}

int
main(int argc, char **argv)
{
	const char *top;
	char *dir;
	int i;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			run_path(argv[i]);
	} else {
		if ((top = getenv("TOP_SRCDIR")) == NULL)
			top = ".";
		if (asprintf(&dir, "%s/tests/fuzz/corpus/%s", top,
		    FUZZ_NAME) == -1)
			err(2, NULL);
		run_path(dir);
		free(dir);
	}
	if (ninputs == 0)
		errx(2, "no inputs");
	printf("fuzz_%s: %u inputs\n", FUZZ_NAME, ninputs);
	return 0;
}
