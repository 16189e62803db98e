/*
 * err(3)'s messages, one line each: see diag.h.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

#define DIAG_MAX	4096	/* bytes of a message shown */

/* Write "name: message[: error]\n" with the message's control bytes
 * escaped; error is errno's value, or 0 for none. */
static void
diag_write(int error, const char *fmt, va_list ap)
{
	static const char hex[] = "0123456789abcdef";
	char raw[DIAG_MAX], shown[4 * DIAG_MAX + 1];
	size_t i, n = 0;

	vsnprintf(raw, sizeof raw, fmt, ap);
	for (i = 0; raw[i] != '\0'; i++) {
		unsigned char c = (unsigned char)raw[i];

		if (c >= ' ' && c != 0x7f) {
			shown[n++] = (char)c;
			continue;
		}
		shown[n++] = '\\';
		shown[n++] = 'x';
		shown[n++] = hex[c >> 4];
		shown[n++] = hex[c & 15];
	}
	shown[n] = '\0';
	if (error != 0)
		fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name,
		    shown, strerror(error));
	else
		fprintf(stderr, "%s: %s\n", program_invocation_short_name,
		    shown);
}

void
diag_warn(const char *fmt, ...)
{
	int error = errno;
	va_list ap;

	va_start(ap, fmt);
	diag_write(error, fmt, ap);
	va_end(ap);
}

void
diag_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_write(0, fmt, ap);
	va_end(ap);
}

void
diag_err(int status, const char *fmt, ...)
{
	int error = errno;
	va_list ap;

	va_start(ap, fmt);
	diag_write(error, fmt, ap);
	va_end(ap);
	exit(status);
}

void
diag_errx(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_write(0, fmt, ap);
	va_end(ap);
	exit(status);
}
