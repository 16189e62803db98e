/*
 * State files.  This module owns the file: its layout, the checks that
 * keep a damaged, foreign or mismatched file out, the lock, and the
 * atomic replacement.  What goes inside is the engine's (engine_save and
 * engine_load, which hand each source to model.c, and so on down to
 * drain.c, template.c, score.c and vocab.c).  It never prints.
 *
 * The layout, all integers little-endian, doubles as their IEEE-754 bits
 * (sbuf.c):
 *
 *   offset  size  field
 *        0     8  magic "AIOPSST\n"
 *        8     4  format version (STATE_VERSION; STATE_VERSION_OLDEST
 *                 and later are read, what the older lacked set to
 *                 what a fresh model has; 5 is 4 with the free value
 *                 positions of each template, whose models it dropped;
 *                 6 is 5 with each value position's unit; 7 is laid
 *                 out as 6, its templates made with today's token
 *                 shapes; 8 is 7 with the recent news of JSON members;
 *                 9 is 8 with each template's gaps, first sighting and
 *                 pause; 10 is 9 with each value position's scale and
 *                 counts of late; 11 is 10 with each value position's
 *                 counts of shapes)
 *       12     4  flags, 0
 *       16     8  content length, in bytes
 *       24     8  XXH64 (seed 0) of the content
 *       32     .  content
 *
 * The content is the parameters that shaped the model, then the engine's
 * state:
 *
 *   u32 count, then count pairs of strings (u32 length, bytes):
 *       name, value, in a fixed order: format, format-regex, delimiters,
 *       mask (all of them, in order), key, input, depth, similarity,
 *       max-children, variable-words, window, horizon
 *   engine     u64 magic "ENGINE1", line count, template serials,
 *              sources seen, sources dropped; u8 keyed; u32 sources;
 *              per source, most recently used first: u64 hash of its
 *              name, the name (string), its model
 *   model      u64 magic "MODEL1", u8 what ticks are (lines, event time,
 *              the clock; 0 before the first line), u64 lines, f64 last
 *              event time, roll-over offset (before format 12, the one
 *              offset of all stamps), tick; the vocabulary (u32
 *              bit mask, u32 words, the bits); the tree; u8 1 and the
 *              scorer's state, or 0; then (format 12) f64 the offset of
 *              stamps without a zone
 *   tree       u64 magic "DRAI1", u64 next template id, u32 cache slots,
 *              u32 public templates, u32 hidden variants; each template
 *              (ids, serial, counts, first and last lines, its shapes,
 *              class tags and per token hash, offset, length, flags,
 *              tag); then each template's links as indexes into that
 *              list (merged into, variants, positions in its template);
 *              the nodes by length, each with its leaf (indexes), its
 *              children by token hash and its "<*>" child; the lists by
 *              first token (maps in the order of their keys, so a tree
 *              is always the same bytes); the filled cache slots
 *   scorer     u64 magic "SCOR4", its clock, rates, lines by severity
 *              (below 0, at 0), frequency tree
 *              (Fenwick sums as they are), rationing, then per template
 *              (by id) its counts, windows, clump sums, burst, rationing
 *              and value positions, then the order of open bursts,
 *              then (format 8) JSON members' recent news by key, then
 *              (format 9) each template's longest gap, first sighting
 *              and pause, the source's pause, its last line's tick and
 *              the count of templates again, then (format 10) each
 *              value position's clock and scale, and per value its
 *              count of late and when, its clump size, its count and
 *              the clock when its spell began and the spell's sum of
 *              counts of late; the section's length in bytes last;
 *              then (format 11) each value position's count of values of
 *              each shape, and that section's length; the
 *              Good-Turing counts are rebuilt from the templates', and
 *              the filter of members' values from their positions'
 *
 * A loaded engine continues exactly as the saved one would have: the
 * same lines give the same scores, byte for byte.
 *
 * Checks, in order, each with its one-line cause: a file shorter than
 * the header is truncated (or foreign, if its first bytes are not the
 * magic); the magic; the version (a newer one is refused by name, and
 * so is one older than STATE_VERSION_OLDEST); the
 * content length against the file's (shorter: truncated; longer:
 * trailing bytes); the checksum; each parameter, against this run's, by
 * name; then the content, whose every count, index and length is checked
 * as it is read, so that no file can make the loader read out of bounds,
 * allocate more than the file could describe, or build a tree whose
 * walks never end.  Parameters that only decide what is printed
 * (threshold, rationing, output) may change between runs; those that
 * change what a template or a tick means may not.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "engine.h"
#include "sbuf.h"
#include "score.h"
#include "state.h"
#include "xmalloc.h"

#define STATE_MAGIC	"AIOPSST\n"
#define HEADER_LEN	32
#define STATE_MAX	((size_t)1 << 31)	/* bytes of a file read */
#define PARAMS_MAX	64
#define PARAM_LEN_MAX	(64 << 10)
#define SHOW_MAX	60	/* bytes of a value in a message */

struct param {
	const char	*name;
	char		*value;
	size_t		 len;
};

struct params {
	struct param	 p[PARAMS_MAX];
	size_t		 n;
};

static void
param_add(struct params *ps, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
param_add(struct params *ps, const char *name, const char *fmt, ...)
{
	va_list ap;
	int n;

	ps->p[ps->n].name = name;
	va_start(ap, fmt);
	n = xvasprintf(&ps->p[ps->n].value, fmt, ap);
	va_end(ap);
	ps->p[ps->n].len = (size_t)n;
	ps->n++;
}

/* A span as the options give it: lines ("1000l") or seconds ("300s"). */
static void
param_span(struct params *ps, const char *name, double v, int lines)
{
	param_add(ps, name, "%.17g%s", v, lines ? "l" : "s");
}

/* The parameters that shape a model, as this run has them. */
static void
params_of(const struct engine_params *p, const char *input,
    struct params *ps)
{
	char *masks = NULL, *more;
	size_t i;

	ps->n = 0;
	param_add(ps, "format", "%s", p->format != NULL ? p->format : "");
	param_add(ps, "format-regex", "%s", p->format_regex != NULL ?
	    p->format_regex : "");
	param_add(ps, "delimiters", "%s", p->delimiters != NULL ?
	    p->delimiters : "");
	/* Masks in order, one value: a list that differs anywhere differs. */
	for (i = 0; i < p->nmasks; i++) {
		xasprintf(&more, "%s%s%s", masks != NULL ? masks : "",
		    i > 0 ? " " : "", p->masks[i]);
		free(masks);
		masks = more;
	}
	param_add(ps, "mask", "%s", masks != NULL ? masks : "");
	free(masks);
	param_add(ps, "key", "%s", p->key != NULL ? p->key : "");
	param_add(ps, "input", "%s", input != NULL ? input : "");
	param_add(ps, "depth", "%u", p->drain.depth);
	param_add(ps, "similarity", "%.17g", p->drain.similarity);
	param_add(ps, "max-children", "%u", p->drain.max_children);
	param_add(ps, "variable-words", "%u", p->drain.variable_words);
	/* What the scorer's ticks and windows are, defaults resolved. */
	if (p->window_unit == WINDOW_SECONDS)
		param_span(ps, "window", p->window > 0 ? p->window :
		    SCORE_DEFAULT_WINDOW_SECS, 0);
	else
		param_span(ps, "window", p->window_unit == WINDOW_LINES &&
		    p->window > 0 ? p->window : SCORE_DEFAULT_WINDOW_LINES, 1);
	if (p->horizon > 0)
		param_span(ps, "horizon", p->horizon, p->horizon_lines);
	else
		param_span(ps, "horizon", SCORE_DEFAULT_HORIZON, 1);
}

static void
params_free(struct params *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		free(ps->p[i].value);
	ps->n = 0;
}

/* A value for a message: cut, with control bytes shown as '?'. */
static char *
show(const char *v, size_t len)
{
	char *s;
	size_t i, n = len > SHOW_MAX ? SHOW_MAX : len;

	if (len == 0)
		return xstrdup("(none)");
	s = xmalloc(n + 4);
	for (i = 0; i < n; i++)
		s[i] = (unsigned char)v[i] < 0x20 || v[i] == 0x7f ? '?' : v[i];
	if (n < len)
		memcpy(s + n, "...", 3), n += 3;
	s[n] = '\0';
	return s;
}

/*
 * A parameter's value for a message: a number (a span's with its unit) as
 * it was given, not as "%.17g" keeps it to compare: 0.6, not
 * 0.59999999999999998.
 */
static char *
show_param(const char *v, size_t len)
{
	char buf[64], *end, *s;
	double d;

	if (len == 0 || len >= sizeof buf)
		return show(v, len);
	memcpy(buf, v, len);
	buf[len] = '\0';
	d = strtod(buf, &end);
	if (end == buf || !(*end == '\0' || ((*end == 'l' || *end == 's') &&
	    end[1] == '\0')))
		return show(v, len);
	xasprintf(&s, "%.15g%s", d, end);
	return s;
}

/*
 * The saved parameters against this run's: 0, or -1 with a cause naming
 * every one that differs, so that one try tells what to give.
 */
static int
params_check(struct sread *r, const struct params *now, char **cause)
{
	const char *name, *value;
	size_t i, nlen, vlen;
	uint32_t n;
	char *was, *is, *diff = NULL, *more;

	n = sread_count(r, 8, PARAMS_MAX);
	for (i = 0; i < n || i < now->n; i++) {
		if (i >= n || i >= now->n) {
			free(diff);
			xasprintf(cause, "made with other parameters than "
			    "this aiopsfilter knows");
			return -1;
		}
		name = sread_str(r, &nlen, 64);
		value = sread_str(r, &vlen, PARAM_LEN_MAX);
		if (r->err) {
			free(diff);
			xasprintf(cause, "damaged (its parameters)");
			return -1;
		}
		if (nlen != strlen(now->p[i].name) ||
		    memcmp(name, now->p[i].name, nlen) != 0) {
			free(diff);
			xasprintf(cause, "made with other parameters than "
			    "this aiopsfilter knows");
			return -1;
		}
		if (vlen == now->p[i].len && memcmp(value, now->p[i].value,
		    vlen) == 0)
			continue;
		was = show_param(value, vlen);
		is = show_param(now->p[i].value, now->p[i].len);
		xasprintf(&more, "%s%s--%s %s (this run: %s)",
		    diff != NULL ? diff : "", diff != NULL ? ", " : "",
		    now->p[i].name, was, is);
		free(diff);
		diff = more;
		free(was);
		free(is);
	}
	if (diff == NULL)
		return 0;
	xasprintf(cause, "made with %s; models are not mixed", diff);
	free(diff);
	return -1;
}

static uint32_t
get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
get_u64(const uint8_t *p)
{
	return (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}

static void
put_u64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

int
state_load(struct engine *e, const void *buf, size_t len, const char *input,
    int flags, char **cause)
{
	const uint8_t *p = buf;
	struct params now;
	struct sread r;
	uint64_t clen;
	uint32_t version;
	char *why = NULL;
	int rc;

	if (len < HEADER_LEN) {
		if (memcmp(p, STATE_MAGIC, len < 8 ? len : 8) != 0)
			xasprintf(cause, "not an aiopsfilter state file");
		else
			xasprintf(cause, "truncated state file (%zu bytes)",
			    len);
		return -1;
	}
	if (memcmp(p, STATE_MAGIC, 8) != 0) {
		xasprintf(cause, "not an aiopsfilter state file");
		return -1;
	}
	version = get_u32(p + 8);
	if (version > STATE_VERSION) {
		xasprintf(cause, "made by a newer aiopsfilter (state format "
		    "%u; this one reads %u)", version, STATE_VERSION);
		return -1;
	}
	if (version < STATE_VERSION_OLDEST) {
		xasprintf(cause, "state format %u is not one this "
		    "aiopsfilter reads (%u to %u)", version,
		    STATE_VERSION_OLDEST, STATE_VERSION);
		return -1;
	}
	/* No version writes flags: set, they are damage or a future's. */
	if (get_u32(p + 12) != 0) {
		xasprintf(cause, "state file has unknown flags (0x%x)",
		    get_u32(p + 12));
		return -1;
	}
	clen = get_u64(p + 16);
	if (clen > len - HEADER_LEN) {
		xasprintf(cause, "truncated state file (%zu of %llu bytes)",
		    len, (unsigned long long)clen + HEADER_LEN);
		return -1;
	}
	if (clen < len - HEADER_LEN) {
		xasprintf(cause, "damaged state file (%llu bytes after its "
		    "end)", (unsigned long long)(len - HEADER_LEN - clen));
		return -1;
	}
	if (!(flags & STATE_NO_CHECKSUM) &&
	    XXH64(p + HEADER_LEN, (size_t)clen, 0) != get_u64(p + 24)) {
		xasprintf(cause, "damaged state file (checksum mismatch)");
		return -1;
	}
	sread_init(&r, p + HEADER_LEN, (size_t)clen);
	r.version = version;
	params_of(engine_params(e), input, &now);
	rc = params_check(&r, &now, cause);
	params_free(&now);
	if (rc == -1)
		return -1;
	if (engine_load(e, &r, &why) == -1) {
		xasprintf(cause, "damaged state file (%s)", why);
		free(why);
		return -1;
	}
	if (r.off != r.len) {
		xasprintf(cause, "damaged state file (%zu bytes unread)",
		    r.len - r.off);
		return -1;
	}
	return version < STATE_VERSION_SHAPES;
}

int
state_read(struct engine *e, const char *path, const char *input,
    char **cause)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	ssize_t n = 0;
	int fd, rc;

	/* O_NONBLOCK: a FIFO there would wait for a writer, and is
	 * refused below; a regular file reads the same. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;
		xasprintf(cause, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		xasprintf(cause, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		xasprintf(cause, "not a regular file");
		close(fd);
		return -1;
	}
	if ((uint64_t)st.st_size > STATE_MAX) {
		xasprintf(cause, "state file too large (%llu bytes)",
		    (unsigned long long)st.st_size);
		close(fd);
		return -1;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (n == -1) {
		xasprintf(cause, "%s", strerror(errno));
		rc = -1;
	} else if ((rc = state_load(e, buf, got, input, 0, cause)) != -1)
		rc++;
	free(buf);
	close(fd);
	return rc;
}

void
state_encode(const struct engine *e, const char *input, struct sbuf *b)
{
	struct params ps;
	size_t start = b->len, i;
	uint8_t header[HEADER_LEN];

	memset(header, 0, sizeof header);
	memcpy(header, STATE_MAGIC, 8);
	header[8] = STATE_VERSION;
	sbuf_bytes(b, header, sizeof header);
	params_of(engine_params(e), input, &ps);
	sbuf_u32(b, (uint32_t)ps.n);
	for (i = 0; i < ps.n; i++) {
		sbuf_str(b, ps.p[i].name, strlen(ps.p[i].name));
		sbuf_str(b, ps.p[i].value, ps.p[i].len);
	}
	params_free(&ps);
	engine_save(e, b);
	put_u64(b->p + start + 16, b->len - start - HEADER_LEN);
	put_u64(b->p + start + 24, XXH64(b->p + start + HEADER_LEN,
	    b->len - start - HEADER_LEN, 0));
}

static int
write_all(int fd, const uint8_t *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Make the rename of a file in path's folder durable. */
static int
sync_folder(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd, rc = 0;

	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		rc = -1;
	else {
		/* Some file systems cannot sync a folder: no fault here. */
		if (fsync(fd) == -1 && errno != EINVAL)
			rc = -1;
		close(fd);
	}
	free(dir);
	return rc;
}

int
state_write(const struct engine *e, const char *path, const char *input,
    char **cause)
{
	struct sbuf b;
	struct stat st;
	char *tmp;
	int fd = -1, saved, making = 0;

	sbuf_init(&b);
	state_encode(e, input, &b);
	xasprintf(&tmp, "%s.tmp", path);
	/* A new file, never one found there: a link planted in a folder
	 * others may write would have the save write where it points.  What
	 * is there is the leftover of a save cut short, or such a link. */
	if (unlink(tmp) == -1 && errno != ENOENT) {
		making = 1;
		goto fail;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1) {
		making = 1;
		goto fail;
	}
	/* The new state belongs to, and is readable by, whom the old one
	 * was: root saving a service's state must not lock it out.  Only
	 * root can give a file away; others keep their own. */
	if (stat(path, &st) == 0) {
		if ((st.st_uid != geteuid() || st.st_gid != getegid()) &&
		    fchown(fd, st.st_uid, st.st_gid) == -1 && errno != EPERM)
			goto fail;
		if (fchmod(fd, st.st_mode & 07777) == -1)
			goto fail;
	}
	if (write_all(fd, b.p, b.len) == -1 || fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto fail;
	if (sync_folder(path) == -1) {
		/* Renamed: the new state is there, if not yet durable. */
		xasprintf(cause, "cannot save state: syncing its folder: %s",
		    strerror(errno));
		free(tmp);
		sbuf_free(&b);
		return -1;
	}
	free(tmp);
	sbuf_free(&b);
	return 0;

fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	/* The temporary could not be made: say which file that is (a
	 * folder in its place, for one, that no save can remove). */
	if (making)
		xasprintf(cause, "cannot save state: %s: %s", tmp,
		    strerror(saved));
	else
		xasprintf(cause, "cannot save state: %s", strerror(saved));
	free(tmp);
	sbuf_free(&b);
	errno = saved;
	return -1;
}

#define STATE_LINK_HOPS	40	/* as the kernel's limit on a path */

char *
state_target(const char *path)
{
	char buf[PATH_MAX], *cur, *next;
	const char *slash;
	struct stat st;
	ssize_t n;
	int hops;

	cur = xstrdup(path);
	for (hops = 0; hops <= STATE_LINK_HOPS; hops++) {
		if (lstat(cur, &st) == -1 || !S_ISLNK(st.st_mode)) {
			if (hops > 0)
				return cur;
			break;
		}
		if ((n = readlink(cur, buf, sizeof buf - 1)) == -1)
			break;
		buf[n] = '\0';
		/* A relative link is read from the folder it is in. */
		if (buf[0] == '/' || (slash = strrchr(cur, '/')) == NULL)
			next = xstrdup(buf);
		else
			xasprintf(&next, "%.*s/%s", (int)(slash - cur), cur,
			    buf);
		free(cur);
		cur = next;
	}
	free(cur);
	return NULL;
}

struct state_lock {
	int	 fd;
};

/* Whether the folder that path names a file in exists. */
static int
folder_exists(const char *path)
{
	const char *slash = strrchr(path, '/');
	struct stat st;
	char *dir;
	int ok;

	if (slash == NULL)
		return 1;	/* the working folder */
	dir = xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
	ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
	free(dir);
	return ok;
}

struct state_lock *
state_lock(const char *path, char **cause)
{
	struct state_lock *l;
	struct stat lk, st;
	char *name;
	int fd, made, e;

	xasprintf(&name, "%s.lock", path);
	/* The caller names the state: the cause says only what of it.  Not
	 * through a link, which could have it create a file anywhere. */
	fd = open(name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	made = fd != -1;
	if (fd == -1 && errno == EEXIST)
		fd = open(name, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		/* ELOOP, or EMLINK or EFTYPE on some BSDs: ask the file. */
		e = errno;
		if (e == ENOENT && !folder_exists(name))
			*cause = xstrdup("its folder does not exist");
		else
			xasprintf(cause, "its .lock file: %s",
			    lstat(name, &lk) == 0 && S_ISLNK(lk.st_mode) ?
			    "is a symbolic link" : strerror(e));
		free(name);
		return NULL;
	}
	/* Made by root for a service's state, it is the service's: one
	 * made here, or root's own left by an earlier run.  Never a file
	 * with other links: one planted in its place must not hand its
	 * file to the state's owner. */
	if (stat(path, &st) == 0 && fstat(fd, &lk) == 0 &&
	    (made || (S_ISREG(lk.st_mode) && lk.st_nlink == 1 &&
	    lk.st_uid == geteuid())) &&
	    (lk.st_uid != st.st_uid || lk.st_gid != st.st_gid) &&
	    fchown(fd, st.st_uid, st.st_gid) == -1) {
		/* Not root: the lock stays the runner's. */
	}
	while (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK)
			xasprintf(cause, "in use by another aiopsfilter (%s "
			    "is locked)", name);
		else
			xasprintf(cause, "its .lock file: %s",
			    strerror(errno));
		close(fd);
		free(name);
		return NULL;
	}
	free(name);
	l = xmalloc(sizeof *l);
	l->fd = fd;
	return l;
}

void
state_unlock(struct state_lock *l)
{
	if (l == NULL)
		return;
	close(l->fd);
	free(l);
}
