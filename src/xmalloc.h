/*
 * Checked allocation.  Running out of memory is the one failure no module
 * can recover from, so these wrappers end the process with a message
 * instead of returning NULL.
 */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

#define CACHE_LINE	64	/* bytes: what two threads must not share */

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xcalloc_lines(size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 xvasprintf(char **, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));

#endif
