/*
 * Masking: turn a token into its shape, the token's text with the parts
 * that are obviously variable (numbers, hex, addresses, paths, ids)
 * replaced by "<*>".  Shapes are what the parse tree compares and what
 * templates print.
 */
#ifndef MASK_H
#define MASK_H

#include <stddef.h>

#define MASK_WILD	"<*>"
#define MASK_WILD_LEN	3

/* What a shape needs at most for an input of len bytes. */
#define MASK_SHAPE_MAX(len)	(3 * (len) + 3)

/* What mask_token() needs as its out buffer: shape, then scratch. */
#define MASK_TOKEN_ROOM(len)	\
	(MASK_SHAPE_MAX(MASK_SHAPE_MAX(len)) + MASK_SHAPE_MAX(len))

/*
 * Write the shape of token in[0..len) (no whitespace inside) to out, which
 * has room for MASK_TOKEN_ROOM(len) bytes (the shape comes first, the
 * rest is scratch), and return its length.  Returns
 * 0 and writes nothing when the shape is the token itself, which is the
 * common case and costs one pass over the bytes.
 */
size_t	mask_token(const char *in, size_t len, char *out);

/*
 * Rewrite a whole template text in[0..len) into the Loghub-2.0 template
 * style (see mask.c), writing to out (room for MASK_SHAPE_MAX(len)), and
 * return the new length.  Idempotent.
 */
size_t	mask_canonical(const char *in, size_t len, char *out);

#endif
