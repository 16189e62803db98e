/*
 * Messages on standard error in err(3)'s form, "aiopsfilter: FILE:
 * reason", and always one line: a byte that would break the line (a
 * newline or other control byte in a file name or an option's value) is
 * shown as \xNN.
 */
#ifndef DIAG_H
#define DIAG_H

/* warn(3): the message, then ": " and errno's text. */
void	diag_warn(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
/* warnx(3): the message alone. */
void	diag_warnx(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
/* err(3) and errx(3): the same, then exit with status. */
void	diag_err(int status, const char *, ...)
	    __attribute__((format(printf, 2, 3), noreturn));
void	diag_errx(int status, const char *, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

#endif
