/*
 * Masking: turn a token into its shape, the token's text with the parts
 * that are variable (numbers, addresses, ids, paths, times...) replaced
 * by "<*>".  Shapes are what the parse tree compares and what templates
 * print.  Each masked part has a class (NUM, IP, PATH...), which templates
 * can print instead of "<*>".
 */
#ifndef MASK_H
#define MASK_H

#include <stddef.h>
#include <stdint.h>

#define MASK_WILD	"<*>"
#define MASK_WILD_LEN	3

/* Plain words this long are looked at for a nonce (mask.c). */
#define MASK_LETTERS_MIN	32
/* Hexadecimal with no digit is an id from this length on (a Postfix
 * queue id "BEADFACEDB"): no word is ten letters of a to f. */
#define MASK_HEX_LETTERS_MIN	10

/* The built-in token classes, in the order the scanner tries them. */
enum mask_class {
	MASK_NONE,
	MASK_URL,	/* scheme://anything */
	MASK_EMAIL,	/* local@host.domain */
	MASK_UUID,	/* 8-4-4-4-12 hexadecimal */
	MASK_MAC,	/* six hexadecimal pairs */
	MASK_TIME,	/* dates, times, ISO 8601 stamps */
	MASK_IP,	/* IPv4, with a port or prefix length */
	MASK_IP6,	/* IPv6 */
	MASK_HEX,	/* 0x1f, 8+ hexadecimal digits with letters, or
			 * 10+ letters a-f of one case */
	MASK_NUM,	/* integers and decimals, with a unit: 4ms, 2.5GB */
	MASK_HOST,	/* host.example.com, host.name:port */
	MASK_PATH,	/* /a/b, ./a, ~/a */
	MASK_ID,	/* a piece with digits: blk_123, R02 */
	MASK_VALUE,	/* null, root, admin */
	MASK_NCLASSES
};

/* What a shape needs at most for an input of len bytes. */
#define MASK_SHAPE_MAX(len)	(3 * (len) + 3)

/* What mask_token() needs as its out buffer: shape, then scratch. */
#define MASK_TOKEN_ROOM(len)	\
	(MASK_SHAPE_MAX(MASK_SHAPE_MAX(len)) + MASK_SHAPE_MAX(len))

/* What mask_token_tags() needs: a class tag is at most 7 bytes. */
#define MASK_TAGS_ROOM(len)	(7 * (len) + 8)

/*
 * Write the shape of token in[0..len) (no whitespace inside) to out, which
 * has room for MASK_TOKEN_ROOM(len) bytes (the shape comes first, the
 * rest is scratch), and return its length.  Returns 0 and writes nothing
 * useful when the shape is the token itself, the common case, which costs
 * one pass over the bytes.  A shape that differs holds at least one
 * "<*>".  No allocation, no locale.
 */
size_t		 mask_token(const char *in, size_t len, char *out);

/*
 * The classes of byte c that mask_token() looks at, as bits (none for
 * white space).  A caller that reads each byte of a token anyway can OR
 * them over it and pass that to mask_token_seen(), which is mask_token()
 * without its own pass over the bytes.
 */
unsigned int	 mask_byte_class(unsigned char c);
size_t		 mask_token_seen(const char *in, size_t len, unsigned int seen,
		    char *out);

/*
 * The same with each variable written as its class, "<IP>:<NUM>", and not
 * put in the template style: for people, not for matching.  out has room
 * for MASK_TAGS_ROOM(len) bytes; returns 0 when nothing is masked.
 */
size_t		 mask_token_tags(const char *in, size_t len, char *out);

/*
 * Masking tells most bytes by what they are, but digits only by being
 * digits, except in a few forms whose values it reads (IPv4 octets of
 * three digits, the '0' of "0x").  Texts of one shape (digits where digits
 * are, every other byte the same) whose forms read alike are masked
 * alike.
 */
#define MASK_FORMS	16	/* most forms a text is read for */

struct mask_forms {
	unsigned	 n;
	uint16_t	 at[MASK_FORMS];	/* each one's first digit */
};

/* The forms in s[0..len); 0 when there are more than MASK_FORMS (or s is
 * longer than 64 KiB). */
int		 mask_forms(const char *s, size_t len, struct mask_forms *);

/* How they read in s, of the shape of the text they were found in, as
 * bits that are equal when the checks that read them agree. */
uint32_t	 mask_form_values(const char *s, size_t len,
		    const struct mask_forms *);

/* Is p[0..n) a date, a time of day, or both ("2015-10-18T18:01:47Z")? */
int		 mask_is_stamp(const char *p, size_t n);

/* The class's name as printed in a tag, "NUM". */
const char	*mask_class_name(enum mask_class);

/*
 * Rewrite a whole template text in[0..len) into the Loghub-2.0 template
 * style (see mask.c), writing to out (room for MASK_SHAPE_MAX(len)), and
 * return the new length.  Idempotent.
 */
size_t		 mask_canonical(const char *in, size_t len, char *out);

#endif
