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
#define TOKEN_LONG	128		/* longer blobs are variables */
#define TOKEN_HUGE	512		/* longer tokens are variables */
#define TOKEN_SPANS_MAX	64		/* user mask matches per message */

#define TOKEN_VAR	0x01	/* the shape holds a "<*>" */
#define TOKEN_JOINED	0x02	/* no whitespace before it: "key=" "value" */
#define TOKEN_USER	0x04	/* a user mask matched in it */
#define TOKEN_PURE	0x08	/* a variable and punctuation only: "(<*>," */
#define TOKEN_KEY	0x10	/* names a field: "key=", "key:", "key=<*>" */
#define TOKEN_MARK	0x20	/* a constant of punctuation only: "****" */
#define TOKEN_UNIT	0x40	/* a unit after a number: "5.2 KB" */
#define TOKEN_STAMP	0x80	/* a month or day name in a time stamp */

struct token {
	const char	*raw;		/* the token as it appears */
	const char	*shape;		/* its shape: raw itself, or masked */
	uint64_t	 hash;		/* XXH3 of the shape */
	uint32_t	 rawlen;
	uint32_t	 len;		/* of the shape */
	uint32_t	 flags;
};

/* A user mask's match in a message: bytes [start, end) are variable. */
struct token_span {
	uint32_t	 start;
	uint32_t	 end;
	uint32_t	 mask;		/* index into the mask names */
};

/* How to split: extra delimiters beyond whitespace, user mask names. */
struct tokenizer {
	unsigned char	  delim[256];	/* 1: the byte ends a token */
	int		  any_delim;
	int		  json;		/* ... only outside a JSON string */
	const char *const *mask_names;	/* for tags: "<NAME>" */
	size_t		  nmasks;
};

/*
 * One message's tokens.  Shapes that differ from the raw text live in
 * buf; raw pointers point into the caller's message, which must outlive
 * the tokens.  Big (a few hundred KiB): make one with tokens_new() and
 * reuse it.  tok is into, or own if into is NULL, once tokenized; the
 * reading thread's batches lend theirs instead.
 */
struct tokens {
	struct token		*into;	/* where to write them, room for
					   TOKENS_MAX; NULL: own */
	size_t			 n;
	int			 cut;	/* more than was parsed */
	const struct tokenizer	*tz;	/* what split it; NULL: whitespace */
	const char		*msg;	/* the message, spans count from it */
	struct token_span	 spans[TOKEN_SPANS_MAX];
	size_t			 nspans;
	struct token		*tok;
	struct token		 own[TOKENS_MAX];
	size_t			 shapelen;	/* of buf, the shapes */
	/* Shapes are at most 3 bytes per input byte plus 3 per token, and
	 * masking one token needs 12 per byte of scratch after them. */
	char			 buf[3 * TOKENS_PREFIX + 3 * TOKENS_MAX +
				     12 * TOKEN_HUGE + 64];
};

/* An empty struct tokens, writing into its own array. */
struct tokens	*tokens_new(void);

/* The hash every variable shape "<*>" has. */
uint64_t	token_wild_hash(void);

/*
 * Split msg[0..len) on whitespace, mask and hash each token.  Same as
 * tokenize_with() with no tokenizer and no user mask matches.
 */
void		tokenize(const char *msg, size_t len, struct tokens *);

/*
 * Split msg[0..len) on whitespace and tz's delimiters (a delimiter ends
 * its token and stays in it: "key=" then "value"), mask and hash each
 * token.  tk->spans[0 .. tk->nspans) must hold the user masks' matches in
 * msg, sorted and not overlapping: a token that holds one has it masked
 * (and no built-in masking), and whitespace inside a match does not split.
 * tz may be NULL.  Allocates nothing.
 */
void		tokenize_with(const struct tokenizer *tz, const char *msg,
		    size_t len, struct tokens *tk);

/*
 * Add a constant word of the caller's after the tokens (a record's shape
 * signature): word[0..len) must outlive tk.  When tk is full it takes
 * the last token's place.
 */
void		tokenize_append(struct tokens *tk, const char *word,
		    size_t len);

/*
 * Token i's shape with each variable written as its class ("<IP>:<NUM>",
 * "<NAME>" for a user mask) into out, which has room bytes; returns the
 * length, or 0 if the token has no variable or it does not fit.
 */
size_t		token_tags(const struct tokens *, size_t i, char *out,
		    size_t room);

#endif
