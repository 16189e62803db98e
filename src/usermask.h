/*
 * User masks: named pcre2 patterns (--mask NAME=REGEX) whose matches in a
 * message are variables of class NAME.
 */
#ifndef USERMASK_H
#define USERMASK_H

#include <stddef.h>

#include "tokenize.h"

#define USERMASK_MAX		32	/* masks */
#define USERMASK_NAME_MAX	16	/* bytes of a name */

struct usermask;

struct usermask	*usermask_new(void);
void		 usermask_free(struct usermask *);

/*
 * Add mask spec, "NAME=REGEX": NAME is a letter then letters, digits or
 * '_'.  Checks that REGEX compiles on its own.  Returns 0, or -1 with
 * *cause set (the caller frees it).
 */
int		 usermask_add(struct usermask *, const char *spec,
		    char **cause);

/*
 * Make the masks ready to match: JIT when pcre2 has it, match blocks,
 * and the bytes each needs in a message to match at all.  Returns 0, or
 * -1 with *cause set.
 */
int		 usermask_compile(struct usermask *, char **cause);

size_t		 usermask_count(const struct usermask *);
/* The names, in the order added; they belong to the usermask. */
const char *const *usermask_names(const struct usermask *);

/*
 * Find the masks' matches in msg[0..len), leftmost first and not
 * overlapping (the first mask wins a tie), into spans[0 .. n); returns n,
 * at most max.  Empty matches are skipped.  Not for two threads at once.
 */
size_t		 usermask_find(struct usermask *, const char *msg, size_t len,
		    struct token_span *spans, size_t max);

#endif
