/*
 * The --output-file destination: a file opened for appending that can be
 * opened again by name, so logrotate can move it away and send SIGHUP.
 */
#ifndef OUTFILE_H
#define OUTFILE_H

#include <signal.h>

struct outfile;

/*
 * Open path for appending, creating it (mode 0666 less the umask).
 * Returns NULL with *cause (allocated) when it cannot be opened.  An open
 * that a signal interrupts (a FIFO waiting for its reader) is tried
 * again, this one and those of outfile_reopen(), unless *stop has been
 * set (stop may be NULL).
 */
struct outfile	*outfile_open(const char *path,
		    const volatile sig_atomic_t *stop, char **cause);

/*
 * Open the path again and switch to the new descriptor, closing the old
 * one.  On failure the old descriptor stays in use, and -1 is returned
 * with *cause.  The caller flushes what it buffered for the old one
 * first.
 */
int		 outfile_reopen(struct outfile *, char **cause);

int		 outfile_fd(const struct outfile *);
const char	*outfile_path(const struct outfile *);
void		 outfile_close(struct outfile *);

#endif
