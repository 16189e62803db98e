/*
 * fuzz_format: the header format compilers on arbitrary specs, then the
 * compiled format on lines.  The first byte picks the compiler (Loghub
 * syntax, a pcre2 pattern, a preset name); the spec runs from the second
 * byte to the first NUL, and what follows the NUL is split at '\n' into
 * lines to match, besides a few fixed lines of the common shapes.  A
 * failed compile must say why; a match must give spans inside the line,
 * a content span among them, and field names that find their index.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const fixed_lines[] = {
	"2024-05-01 12:00:01,123 INFO dfs.DataNode: Receiving block blk_1",
	"Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure",
	"<34>1 2003-10-11T22:14:15.003Z host su - ID47 - 'su root' failed",
	"10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326",
	"2024-05-01T12:00:01+02:00 web1 nginx[42]: worker started",
	"",
	"   ",
	"no header at all here",
};

static void
check_split(struct format *f, const char *line, size_t len)
{
	struct span content, fields[FORMAT_MAX_FIELDS];
	size_t i, n = format_nfields(f);
	int found = 0;

	if (n == 0 || n > FORMAT_MAX_FIELDS)
		abort();
	if (!format_split(f, line, len, &content, fields))
		return;
	if (content.p < line || content.p + content.len > line + len)
		abort();
	for (i = 0; i < n; i++) {
		const char *name = format_field_name(f, i);

		if (name == NULL || format_field_index(f, name) < 0)
			abort();
		if (fields[i].p == NULL) {
			if (fields[i].len != 0)
				abort();
			continue;
		}
		if (fields[i].p < line || fields[i].p + fields[i].len >
		    line + len)
			abort();
		if (fields[i].p == content.p && fields[i].len == content.len)
			found = 1;
	}
	/* An unset content group gives the empty span at the line's end. */
	if (!found && !(content.p == line + len && content.len == 0))
		abort();
	if (format_field_name(f, n) != NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct format *f;
	const char *rest, *end, *nl;
	char *spec, *cause = NULL;
	size_t speclen, i;

	if (size < 1)
		return 0;
	speclen = strnlen((const char *)data + 1, size - 1);
	if ((spec = malloc(speclen + 1)) == NULL)
		abort();
	memcpy(spec, data + 1, speclen);
	spec[speclen] = '\0';

	switch (data[0] % 3) {
	case 0:
		f = format_compile(spec, &cause);
		break;
	case 1:
		f = format_compile_regex(spec, &cause);
		break;
	default:
		f = format_compile_preset(spec, &cause);
		if (f == NULL && cause == NULL) {
			free(spec);
			return 0;	/* not a preset's name */
		}
		break;
	}
	if (f == NULL) {
		if (cause == NULL || *cause == '\0')
			abort();
		free(cause);
		free(spec);
		return 0;
	}
	if (cause != NULL)
		abort();

	for (i = 0; i < sizeof fixed_lines / sizeof fixed_lines[0]; i++)
		check_split(f, fixed_lines[i], strlen(fixed_lines[i]));
	if (1 + speclen < size) {
		rest = (const char *)data + 1 + speclen + 1;
		end = (const char *)data + size;
		for (; rest <= end; rest = nl + 1) {
			if ((nl = memchr(rest, '\n', (size_t)(end - rest))) ==
			    NULL)
				nl = end;
			check_split(f, rest, (size_t)(nl - rest));
		}
	}
	format_free(f);
	free(spec);
	return 0;
}
