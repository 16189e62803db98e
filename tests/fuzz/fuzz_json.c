/*
 * fuzz_json: JSON lines input on arbitrary bytes.  The input's first
 * line is a field path for json_path_parse(); the lines after it go
 * through jsonin_message() (with that field, and with the default
 * fields, in both the strict and the automatic mode, with and without a
 * source key path: that field, or a fixed one) and through
 * json_find() with that path and a few fixed ones.  Every value found
 * must lie inside its line, and every string must survive a round trip:
 * json_text() unescapes it to valid UTF-8, outbuf_json() writes that
 * back as a JSON string, and reading the result as a one-key object must
 * give the same bytes.  A message or source jsonin_message() returns is
 * no longer than its line and is read in full; the record's time and
 * level lie inside the line, and so do its members (check_members()).  A
 * line json_find() accepts must also be accepted nested as a value in
 * another object, up to the depth limit.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "jsonin.h"
#include "outbuf.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const fixed_paths[] = {
	"log", "message", "a.b", "kubernetes.pod_name", "x.y.z",
};
#define NFIXED	(sizeof fixed_paths / sizeof fixed_paths[0])

static struct json_path	 fixed[NFIXED];
static struct json_path	 key_k;
static struct outbuf	*ob;
static int		 ob_fd = -1;
static char		*tbuf, *rbuf, *wbuf;
static size_t		 tcap, rcap, wcap;

/* Is s[0..len) valid UTF-8 (as RFC 3629 has it)? */
static int
valid_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;
	uint32_t cp;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf)
			n = 1, cp = s[i] & 0x1f;
		else if (s[i] >= 0xe0 && s[i] <= 0xef)
			n = 2, cp = s[i] & 0x0f;
		else if (s[i] >= 0xf0 && s[i] <= 0xf4)
			n = 3, cp = s[i] & 0x07;
		else
			return 0;
		if (len - i <= n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* The bytes ob wrote since the last call. */
static size_t
ob_take(void)
{
	off_t size;

	if (outbuf_flush(ob) == -1 || (size = lseek(ob_fd, 0, SEEK_END)) < 0)
		abort();
	if ((size_t)size + 1 > wcap) {
		wcap = (size_t)size + 1;
		wbuf = xreallocarray(wbuf, wcap, 1);
	}
	if (size > 0 && pread(ob_fd, wbuf, (size_t)size, 0) != size)
		abort();
	if (ftruncate(ob_fd, 0) == -1 || lseek(ob_fd, 0, SEEK_SET) != 0)
		abort();
	return (size_t)size;
}

static void
check_value(const char *line, size_t len, const struct json_value *v)
{
	struct json_value back;
	size_t n, m;

	if (v->type == JSON_NONE)
		return;
	if (v->p < line || v->p + v->len > line + len)
		abort();
	n = json_text(v, &tbuf, &tcap);
	if (n > v->len)
		abort();
	if (v->type != JSON_STRING)
		return;
	if (!valid_utf8((const unsigned char *)tbuf, n))
		abort();
	/* Write it out as JSON and read it back. */
	outbuf_str(ob, "{\"k\":");
	outbuf_json(ob, tbuf, n);
	outbuf_char(ob, '}');
	m = ob_take();
	if (json_find(wbuf, m, &fixed[0], 0, NULL) != 0)
		abort();
	if (json_find(wbuf, m, &key_k, 1, &back) != 0 ||
	    back.type != JSON_STRING)
		abort();
	m = json_text(&back, &rbuf, &rcap);
	if (m != n || memcmp(rbuf, tbuf, n) != 0) {
		fprintf(stderr, "round trip: %zu bytes in, %zu out\n", n, m);
		abort();
	}
}

/* Touch every byte of p[0..len), so ASan sees a read past its end. */
static void
read_all(const char *p, size_t len)
{
	volatile unsigned char sum = 0;
	size_t i;

	for (i = 0; i < len; i++)
		sum += (unsigned char)p[i];
	(void)sum;
}

/* Is the span absent ({NULL, 0}) or inside line[0..len)? */
static int
within(const char *line, size_t len, const struct span *sp)
{
	if (sp->p == NULL)
		return sp->len == 0;
	return sp->p >= line && sp->len <= len &&
	    (size_t)(sp->p - line) <= len - sp->len;
}

/*
 * A record's members: none for a line that is no object, at most
 * MEMBERS_MAX, each key and value inside the line, no key starting with
 * '_' or holding an escape, no string value holding one.
 */
static void
check_members(const char *line, size_t len, const struct record_members *rm,
    int r)
{
	struct span key, val;
	size_t i;

	if (rm->n > MEMBERS_MAX || (r == -1 && rm->n != 0))
		abort();
	for (i = 0; i < rm->n; i++) {
		key.p = rm->m[i].key;
		key.len = rm->m[i].keylen;
		val.p = rm->m[i].val;
		val.len = rm->m[i].vallen;
		if (key.p == NULL || val.p == NULL || key.len == 0 ||
		    !within(line, len, &key) || !within(line, len, &val) ||
		    key.p[0] == '_' || memchr(key.p, '\\', key.len) != NULL ||
		    memchr(val.p, '\\', val.len) != NULL)
			abort();
	}
}

/* How deep brackets nest in a line json_find() accepted. */
static unsigned
max_depth(const char *s, size_t len)
{
	unsigned depth = 0, max = 0;
	size_t i;
	int in_string = 0;

	for (i = 0; i < len; i++) {
		if (in_string) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_string = 0;
		} else if (s[i] == '"')
			in_string = 1;
		else if (s[i] == '{' || s[i] == '[') {
			if (++depth > max)
				max = depth;
		} else if (s[i] == '}' || s[i] == ']')
			depth--;
	}
	return max;
}

/* The line as the value of depth objects around it: {"a": {"a": LINE}}. */
static int
find_nested(const char *line, size_t len, unsigned depth)
{
	char *buf;
	size_t i, n = depth * 6 + len + depth;
	int r;

	buf = xmalloc(n);
	for (i = 0; i < depth; i++)
		memcpy(buf + i * 6, "{\"a\": ", 6);
	memcpy(buf + depth * 6, line, len);
	memset(buf + depth * 6 + len, '}', depth);
	r = json_find(buf, n, NULL, 0, NULL);
	free(buf);
	return r;
}

/* Nesting is refused past JSON_MAX_DEPTH levels, and only past it. */
static void
check_nested(const char *line, size_t len)
{
	unsigned d = max_depth(line, len);

	if (d < 1 || d > JSON_MAX_DEPTH)
		abort();
	if (d < JSON_MAX_DEPTH && find_nested(line, len, 1) != 0)
		abort();
	if (find_nested(line, len, JSON_MAX_DEPTH - d) != 0 ||
	    find_nested(line, len, JSON_MAX_DEPTH - d + 1) != -1)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_path paths[NFIXED + 1];
	struct json_value vals[NFIXED + 1];
	struct jsonin *jin[4];
	const char *line, *end, *nl;
	struct json_record jr;
	char *spec, *cause = NULL;
	size_t i, k, np, speclen, len;
	int have_path, r;

	if (ob == NULL) {
		for (i = 0; i < NFIXED; i++)
			if (json_path_parse(&fixed[i], fixed_paths[i], NULL))
				abort();
		if (json_path_parse(&key_k, "k", NULL) != 0)
			abort();
		if ((ob_fd = memfd_create("fuzz_json", 0)) == -1)
			abort();
		ob = outbuf_new(ob_fd);
	}
	end = (const char *)data + size;
	nl = memchr(data, '\n', size);
	speclen = nl != NULL ? (size_t)(nl - (const char *)data) : size;
	spec = xmalloc(speclen + 1);
	memcpy(spec, data, speclen);
	spec[speclen] = '\0';
	speclen = strlen(spec);	/* a path is a C string */
	have_path = json_path_parse(&paths[0], spec, &cause) == 0;
	if (have_path) {
		if (paths[0].nseg == 0 || paths[0].nseg > JSON_MAX_SEGS ||
		    strlen(spec) != speclen)
			abort();
		for (i = 0; i < paths[0].nseg; i++)
			if (paths[0].seg[i].len == 0 ||
			    memchr(paths[0].seg[i].p, '.',
			    paths[0].seg[i].len) != NULL)
				abort();
	} else {
		if (cause == NULL)
			abort();
		free(cause);
		cause = NULL;
	}
	np = 0;
	if (have_path)
		np++;
	for (i = 0; i < NFIXED; i++)
		paths[np++] = fixed[i];

	jin[0] = jsonin_new(NULL, NULL, 0, &cause);
	jin[1] = jsonin_new(NULL, have_path ? spec : "kubernetes.pod_name", 1,
	    &cause);
	jin[2] = have_path ? jsonin_new(spec, NULL, 0, &cause) : NULL;
	jin[3] = have_path ? jsonin_new(spec, "kubernetes.pod_name", 1,
	    &cause) : NULL;
	if (jin[0] == NULL || jin[1] == NULL || (have_path &&
	    (jin[2] == NULL || jin[3] == NULL)))
		abort();

	line = nl != NULL ? nl + 1 : end;
	for (; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		len = (size_t)(nl - line);
		for (k = 0; k < 4; k++) {
			if (jin[k] == NULL)
				continue;
			r = jsonin_message(jin[k], line, len, &jr);
			if (r < -1 || r > 1 || (r == 1) != (jr.msg.p != NULL) ||
			    jr.msg.len > len || (r == -1 && (jr.key.p != NULL ||
			    jr.time.p != NULL || jr.level.p != NULL)) ||
			    (jr.key.p == NULL && jr.key.len != 0) ||
			    jr.key.len > len || !within(line, len, &jr.time) ||
			    !within(line, len, &jr.level))
				abort();
			read_all(jr.msg.p, jr.msg.len);
			read_all(jr.key.p, jr.key.len);
			check_members(line, len, &jr.members, r);
		}
		if (json_find(line, len, paths, np, vals) != 0)
			continue;
		for (i = 0; i < np; i++)
			check_value(line, len, &vals[i]);
		check_nested(line, len);
	}
	for (k = 0; k < 4; k++)
		jsonin_free(jin[k]);
	if (have_path)
		json_path_free(&paths[0]);
	free(spec);
	return 0;
}
