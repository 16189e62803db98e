/*
 * The run of bytes a JSON string holds as they are, found sixteen at a
 * time: what output copies without escapes and what input skips without
 * a look.  Header only, so that both keep their inner loop inlined.
 */
#ifndef JSONPLAIN_H
#define JSONPLAIN_H

#include <stddef.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#ifdef __SSE2__
/*
 * Where in s[0..16) the first byte is that is not plain, or 16.  A signed
 * compare with 0x20 finds control bytes and those of 0x80 and up at once.
 */
static inline size_t
json_special16(const unsigned char *s)
{
	const __m128i sp = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"');
	const __m128i bs = _mm_set1_epi8('\\'), del = _mm_set1_epi8(0x7f);
	__m128i v;
	unsigned m;

	v = _mm_loadu_si128((const __m128i *)(const void *)s);
	m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
	    _mm_or_si128(_mm_cmplt_epi8(v, sp), _mm_cmpeq_epi8(v, del)),
	    _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bs))));
	return m != 0 ? (size_t)__builtin_ctz(m) : 16;
}
#endif

/*
 * How many bytes at the start of s[0..n) are plain: printable ASCII but
 * '"' and '\\' (DEL is not plain: output escapes it).
 */
static inline size_t
json_plain(const unsigned char *s, size_t n)
{
	size_t i = 0;

#ifdef __SSE2__
	size_t k;

	/* Sixteen bytes a step, the bulk of any log text: a tenth of the
	 * instructions of the byte loop. */
	if (n >= 16) {
		for (; i + 16 <= n; i += 16)
			if ((k = json_special16(s + i)) < 16)
				return i + k;
		/* The rest as the last sixteen bytes, those before i known
		 * plain already. */
		return i == n ? n : n - 16 + json_special16(s + n - 16);
	}
#endif
	for (; i < n; i++)
		if (s[i] < 0x20 || s[i] == '"' || s[i] == '\\' || s[i] >= 0x7f)
			break;
	return i;
}

#endif
