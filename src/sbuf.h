/*
 * Serialisation: a growable buffer written with fixed-width little-endian
 * fields, and a bounded reader that never reads past its end.
 */
#ifndef SBUF_H
#define SBUF_H

#include <stddef.h>
#include <stdint.h>

struct sbuf {
	uint8_t	*p;
	size_t	 len, cap;
};

void	sbuf_init(struct sbuf *);
void	sbuf_free(struct sbuf *);
void	sbuf_u8(struct sbuf *, uint8_t);
void	sbuf_u32(struct sbuf *, uint32_t);
void	sbuf_u64(struct sbuf *, uint64_t);
void	sbuf_f64(struct sbuf *, double);
void	sbuf_bytes(struct sbuf *, const void *, size_t);
/* A length (u32) and the bytes. */
void	sbuf_str(struct sbuf *, const void *, size_t);

/*
 * Reading.  Each call takes what it asks for or, past the end (or after
 * an earlier failure), sets err and returns zeros; check err once at the
 * end instead of after every field.
 */
struct sread {
	const uint8_t	*p;
	size_t		 len, off;
	int		 err;
	uint32_t	 version;	/* the format's, for readers of older
					   ones; UINT32_MAX: the newest */
};

void		 sread_init(struct sread *, const void *, size_t);
uint8_t		 sread_u8(struct sread *);
uint32_t	 sread_u32(struct sread *);
uint64_t	 sread_u64(struct sread *);
double		 sread_f64(struct sread *);
/* Copy n bytes to out; returns 0 (and zeroes out) past the end. */
int		 sread_bytes(struct sread *, void *out, size_t n);
/* A length-prefixed string, at most max bytes, pointing into the input. */
const void	*sread_str(struct sread *, size_t *len, size_t max);
/*
 * A count (u32) of records that take at least each bytes apiece: past
 * max, or more than the bytes left could hold, it is an error (0).  So a
 * hostile count cannot make the reader allocate more than the input.
 */
uint32_t	 sread_count(struct sread *, size_t each, uint32_t max);
/* Bytes not yet read. */
size_t		 sread_left(const struct sread *);

#endif
