/*
 * A cache of tokenize_with()'s tokens for messages that differ from an
 * earlier one only in their digits.
 */
#ifndef TOKCACHE_H
#define TOKCACHE_H

#include <stddef.h>

#include "tokenize.h"

struct tokcache;

struct tokcache *tokcache_new(void);
void	tokcache_free(struct tokcache *);

/* tokenize_with(tz, msg, len, tk), the same tokens to the last bit (the
 * user mask matches in tk->spans as it takes them), from the cache when a
 * message of the same shape has been split. */
void	tokcache_tokenize(struct tokcache *, const struct tokenizer *tz,
	    const char *msg, size_t len, struct tokens *tk);

#endif
