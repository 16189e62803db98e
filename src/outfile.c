/*
 * Output file.  It owns the path and one descriptor opened with
 * O_APPEND, so several writers and a rotating logrotate never lose or
 * overwrite each other's records.  Reopening is the caller's decision
 * (main does it when SIGHUP arrives): this module only opens and closes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outfile.h"
#include "xmalloc.h"

struct outfile {
	char	*path;
	int	 fd;
	const volatile sig_atomic_t *stop;
};

/* Opening a FIFO waits for its reader, and a signal may end the wait:
 * open again, unless it was one that stops the run. */
static int
open_append(const char *path, const volatile sig_atomic_t *stop,
    char **cause)
{
	int fd;

	while ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0666)) == -1 && errno == EINTR && (stop == NULL || !*stop))
		;
	if (fd == -1)
		xasprintf(cause, "%s: %s", path, strerror(errno));
	return fd;
}

struct outfile *
outfile_open(const char *path, const volatile sig_atomic_t *stop,
    char **cause)
{
	struct outfile *f;
	int fd;

	if ((fd = open_append(path, stop, cause)) == -1)
		return NULL;
	f = xmalloc(sizeof *f);
	f->path = xstrdup(path);
	f->fd = fd;
	f->stop = stop;
	return f;
}

int
outfile_reopen(struct outfile *f, char **cause)
{
	int fd;

	if ((fd = open_append(f->path, f->stop, cause)) == -1)
		return -1;
	close(f->fd);
	f->fd = fd;
	return 0;
}

int
outfile_fd(const struct outfile *f)
{
	return f->fd;
}

const char *
outfile_path(const struct outfile *f)
{
	return f->path;
}

void
outfile_close(struct outfile *f)
{
	if (f == NULL)
		return;
	close(f->fd);
	free(f->path);
	free(f);
}
