/*
 * Tokenizing: a message becomes a bounded array of tokens, each with its
 * shape (see mask.h) and the XXH3 hash of that shape.
 */
#ifndef TOKENIZE_H
#define TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

#define TOKENS_MAX	256		/* tokens parsed per message */
#define TOKENS_PREFIX	(32u << 10)	/* bytes parsed per message */
#define TOKEN_LONG	128		/* longer tokens are variables */

#define TOKEN_VAR	0x01	/* the shape holds a "<*>" */

struct token {
	const char	*raw;		/* the token as it appears */
	const char	*shape;		/* its shape: raw itself, or masked */
	uint64_t	 hash;		/* XXH3 of the shape */
	uint32_t	 rawlen;
	uint32_t	 len;		/* of the shape */
	uint32_t	 flags;
};

/*
 * One message's tokens.  Shapes that differ from the raw text live in
 * buf; raw pointers point into the caller's message, which must outlive
 * the tokens.  Big (a few hundred KiB): make one and reuse it.
 */
struct tokens {
	size_t		 n;
	int		 cut;		/* the message had more than was parsed */
	struct token	 tok[TOKENS_MAX];
	/* Shapes are at most 3 bytes per input byte plus 3 per token, and
	 * masking one token needs 12 per byte of scratch after them. */
	char		 buf[3 * TOKENS_PREFIX + 3 * TOKENS_MAX +
			     12 * TOKEN_LONG + 64];
};

/* The hash every variable shape "<*>" has. */
uint64_t	token_wild_hash(void);

/* Split msg[0..len) on whitespace, mask and hash each token. */
void		tokenize(const char *msg, size_t len, struct tokens *);

#endif
