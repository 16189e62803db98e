/*
 * Text by its shape: each digit made '0', every other byte as it is, so
 * that lines that differ only in their digits (a stamp, a pid, a count)
 * read as one.  The caches of headers and tokens key on it, once a line:
 * inline here, where a call measured 0.6% of the instructions.  Eight
 * bytes are blotted at a time in a 64-bit word, and sixteen where SSE2
 * is when a line is compared with one blotted before.
 */
#ifndef BLOT_H
#define BLOT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The top bit of each byte of x that is a digit, '0' to '9'.  The sums
 * are made on the low seven bits, so that no byte carries into the next;
 * a byte of 0x80 and up is none. */
static inline uint64_t
blot_digits(uint64_t x)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
	uint64_t y = x & low7;

	return (y + 0x5050505050505050ull) & ~(y + 0x4646464646464646ull) &
	    ~x & ~low7;
}

/* x with each of its bytes that is a digit made '0': the low four bits of
 * '0' to '9' cleared. */
static inline uint64_t
blot_word(uint64_t x)
{
	return x & ~((blot_digits(x) >> 7) * 0x0f);
}

static inline uint64_t
blot_load(const char *p)
{
	uint64_t x;

	memcpy(&x, p, 8);
	return x;
}

/* A hash of p[0..len)'s length and its first and last eight bytes,
 * blotted; len is at least 8. */
static inline uint64_t
blot_hash(const char *p, size_t len)
{
	return blot_word(blot_load(p)) * 0x9e3779b97f4a7c15ull ^
	    blot_word(blot_load(p + len - 8)) * 0xc2b2ae3d27d4eb4full ^
	    (uint64_t)len * 0x165667b19e3779f9ull;
}

/* p[0..len) blotted into out, which has room for len bytes; len is at
 * least 8. */
static inline void
blot_copy(char *out, const char *p, size_t len)
{
	uint64_t x;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		x = blot_word(blot_load(p + i));
		memcpy(out + i, &x, 8);
	}
	x = blot_word(blot_load(p + len - 8));	/* the last eight, again */
	memcpy(out + len - 8, &x, 8);
}

#ifdef __SSE2__
/* Whether the sixteen bytes at p, blotted, are the sixteen at b. */
static inline int
blot_same16(const char *b, const char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i digit = _mm_and_si128(
	    _mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
	    _mm_cmpgt_epi8(_mm_set1_epi8('9' + 1), v));
	__m128i x = _mm_andnot_si128(_mm_and_si128(digit,
	    _mm_set1_epi8(0x0f)), v);

	return _mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_loadu_si128(
	    (const __m128i *)(const void *)b))) == 0xffff;
}
#else
static inline int
blot_same16(const char *b, const char *p)
{
	return blot_word(blot_load(p)) == blot_load(b) &&
	    blot_word(blot_load(p + 8)) == blot_load(b + 8);
}
#endif

/* Whether p[0..len), blotted, is blotted[0..len); len is at least 16. */
static inline int
blot_same(const char *blotted, const char *p, size_t len)
{
	size_t i;

	for (i = 0; i + 16 < len; i += 16)
		if (!blot_same16(blotted + i, p + i))
			return 0;
	return blot_same16(blotted + len - 16, p + len - 16);	/* again */
}

#endif
