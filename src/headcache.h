/*
 * A cache of header_split()'s answers for lines that differ from an
 * earlier one only in their digits.
 */
#ifndef HEADCACHE_H
#define HEADCACHE_H

#include <stddef.h>

#include "header.h"

struct headcache;

struct headcache *headcache_new(void);
void	headcache_free(struct headcache *);

/* header_split(line, len, content, h), the same answer to the last bit,
 * from the cache when a line of the same shape has been split. */
int	headcache_split(struct headcache *, const char *line, size_t len,
	    struct span *content, struct header *h);

#endif
