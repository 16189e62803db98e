/*
 * State files: what the engine learned, kept across runs (--state).  The
 * format is described in state.c.
 */
#ifndef STATE_H
#define STATE_H

#include <stddef.h>

struct engine;
struct sbuf;

#define STATE_VERSION	12	/* the format this code writes */
#define STATE_VERSION_OLDEST 3	/* the oldest it reads */
/* The first format whose templates have today's token shapes (units as
 * words, HTTP versions joined to their target, true and false plain):
 * 7 is laid out as 6 is. */
#define STATE_VERSION_SHAPES 7

/*
 * The file that path names through symbolic links, allocated, whether it
 * exists or not (a first run saves through a link to a file not yet
 * made); NULL when path is no link, or the links loop (the state's own
 * open then says so).  A save replaces its file by a rename: through a
 * link, it must be the file the link names, or the link would go.
 */
char		*state_target(const char *path);

/*
 * The advisory lock (flock on path.lock, a file beside the state, since
 * saving replaces the state's inode) that keeps two processes from
 * writing one state.  NULL with *cause set when another holds it or the
 * lock file cannot be made.  Held until state_unlock (or exit).
 */
struct state_lock;
struct state_lock *state_lock(const char *path, char **cause);
void		 state_unlock(struct state_lock *);

/*
 * Load the state at path into e, a new engine.  input describes how
 * messages are taken from the input lines (a JSON field...), one of the
 * parameters a state must agree on.  Returns 1 when loaded, 2 when
 * loaded from a format older than STATE_VERSION_SHAPES (its events whose
 * shapes changed will be learned again), 0 when there is no file, -1
 * with *cause set (one line, naming the problem) when the file cannot be
 * read or is not a state this run may use; e is then only fit for
 * engine_free.  The file is never changed.
 */
int		 state_read(struct engine *e, const char *path,
		    const char *input, char **cause);

/*
 * The same from a state file's bytes buf[0..len), returning 0 when
 * loaded, 1 when loaded from a format older than STATE_VERSION_SHAPES,
 * -1 as above.  This is the loader's entry point for fuzzing: with
 * STATE_NO_CHECKSUM the checksum is not checked, so mutated data reaches
 * the parsers behind it.
 */
#define STATE_NO_CHECKSUM	0x1
int		 state_load(struct engine *e, const void *buf, size_t len,
		    const char *input, int flags, char **cause);

/* A state file's bytes for e, appended to b. */
void		 state_encode(const struct engine *e, const char *input,
		    struct sbuf *b);

/*
 * Save e's state to path atomically: a temporary file beside it
 * (path.tmp), written, synced, renamed over path, and the folder synced,
 * so that a crash at any moment leaves the old state or the new one.
 * Returns 0, or -1 with *cause set; path is then as it was.  Call it
 * between lines, when engine_event has nothing left to tell.
 */
int		 state_write(const struct engine *e, const char *path,
		    const char *input, char **cause);

#endif
