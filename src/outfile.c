/*
 * Output file.  It owns the path and one descriptor opened with
 * O_APPEND, so several writers and a rotating logrotate never lose or
 * overwrite each other's records.  Reopening is the caller's decision
 * (main does it when SIGHUP arrives): this module only opens and closes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outfile.h"
#include "xmalloc.h"

struct outfile {
	char	*path;
	int	 fd;
};

static int
open_append(const char *path, char **cause)
{
	int fd;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (fd == -1)
		xasprintf(cause, "%s: %s", path, strerror(errno));
	return fd;
}

struct outfile *
outfile_open(const char *path, char **cause)
{
	struct outfile *f;
	int fd;

	if ((fd = open_append(path, cause)) == -1)
		return NULL;
	f = xmalloc(sizeof *f);
	f->path = xstrdup(path);
	f->fd = fd;
	return f;
}

int
outfile_reopen(struct outfile *f, char **cause)
{
	int fd;

	if ((fd = open_append(f->path, cause)) == -1)
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
