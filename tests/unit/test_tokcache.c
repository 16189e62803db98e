/* Unit tests for tokcache.c: cached tokens are the tokenizer's. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tokcache.h"

/* Messages with numbers, addresses (some not: an octet over 255), "0x"
 * and other hexadecimal, units, stamps, key=value pairs, paths and ids:
 * every form masking reads digits' values in, and the others. */
static const char *const messages[] = {
	"Receiving block blk_-3466072007193719167 src: /10.251.42.84:49727",
	"connection from 192.168.1.255 (host-1-2.example.com) at 0x7fff5f",
	"took 1234.567 ms to write 5.2 KB of 300 records to /var/log/a.log",
	"jk5_init() Found child 1196 in scoreboard slot 78 with ssh2 log4j",
	"Fri Jul  1 07:57:30 2005 GET /a/b?x=1 HTTP/1.1 200 5120 bytes sent",
	"user=alice id=TKT-1234 status=503 latency=300ms retries=2 ok=false",
	"R02-M1-N0-C:J12-U11 RAS KERNEL INFO generating core.2275 in 12-31",
	"id 12345.678.9.10 and 999.300.25.7 are no addresses, 10.0.0.1 is",
	/* Where an octet over 255 changes the shape: "<*>/<*>" for "<*>". */
	"route 10.0.0.100/24 via [::ffff:10.0.0.200] is up",
};

static struct tokens *fresh, *cached;

static int
same_tokens(void)
{
	size_t i;

	if (fresh->n != cached->n || fresh->cut != cached->cut ||
	    fresh->shapelen != cached->shapelen ||
	    memcmp(fresh->buf, cached->buf, fresh->shapelen) != 0)
		return 0;
	for (i = 0; i < fresh->n; i++) {
		const struct token *a = &fresh->tok[i], *b = &cached->tok[i];

		if (a->raw != b->raw || a->rawlen != b->rawlen ||
		    a->len != b->len || a->flags != b->flags ||
		    a->hash != b->hash || memcmp(a->shape, b->shape,
		    a->len) != 0)
			return 0;
	}
	return 1;
}

static int
same_answer(struct tokcache *tc, const struct tokenizer *tz,
    const char *msg, size_t len)
{
	fresh->nspans = cached->nspans = 0;
	tokenize_with(tz, msg, len, fresh);
	tokcache_tokenize(tc, tz, msg, len, cached);
	return same_tokens();
}

/* Each message, then the same with its digits turned by k, and with one
 * digit at a time turned, split on whitespace, on "=:" too, and on "=:5":
 * every token the cache gives is the tokenizer's. */
static void
test_digits_turned(void **state)
{
	struct tokcache *tc = tokcache_new();
	struct tokenizer delim, digit;
	const struct tokenizer *tz;
	char buf[512];
	size_t i, j, len;
	int k, d;

	memset(&delim, 0, sizeof delim);
	delim.delim['='] = delim.delim[':'] = 1;
	delim.any_delim = 1;
	/* A digit that ends a token (--delimiters=5) splits by value. */
	digit = delim;
	digit.delim['5'] = 1;
	for (d = 0; d < 3; d++) {
		tz = d == 0 ? NULL : d == 1 ? &delim : &digit;
		for (i = 0; i < sizeof messages / sizeof messages[0]; i++) {
			len = strlen(messages[i]);
			for (k = 0; k < 10; k++) {
				memcpy(buf, messages[i], len);
				for (j = 0; j < len; j++)
					if (buf[j] >= '0' && buf[j] <= '9')
						buf[j] = (char)('0' +
						    (buf[j] - '0' + k) % 10);
				assert_true(same_answer(tc, tz, buf, len));
				assert_true(same_answer(tc, tz, buf, len));
			}
			for (j = 0; j < len; j++) {
				if (messages[i][j] < '0' ||
				    messages[i][j] > '9')
					continue;
				for (k = 0; k < 10; k++) {
					memcpy(buf, messages[i], len);
					buf[j] = (char)('0' + k);
					assert_true(same_answer(tc, tz, buf,
					    len));
				}
			}
		}
	}
	tokcache_free(tc);
}

/* Forms read in turn one way and another, again and again: octets past
 * 255 or not and "0x" or not, where that does not change the tokens
 * ("999.300.25.7" and "999.200.25.7" are no address either way) and
 * where it does ("10.0.0.100/24" and "10.0.0.300/24"): each time the
 * tokenizer's. */
static void
test_forms_alternate(void **state)
{
	static const char *const pairs[][2] = {
		{ "id 999.300.25.7 is no address but 10.0.0.1 is",
		  "id 999.200.25.7 is no address but 10.0.0.1 is" },
		{ "mapped at 0x7f00 and 0x7f10 by pid 4242",
		  "mapped at 0x7f00 and 1x7f10 by pid 4242" },
		{ "route 10.0.0.100/24 via 10.0.0.200 is up",
		  "route 10.0.0.300/24 via 10.0.0.200 is up" },
		{ "route 10.0.0.100/24 via 10.0.0.200 is up",
		  "route 10.0.0.100/24 via 10.0.0.900 is up" },
		{ "from 300.1.1.1 and 1.300.1.1 and 1.1.300.1 to 0x1f",
		  "from 100.1.1.1 and 1.100.1.1 and 1.1.100.1 to 0x1f" },
	};
	struct tokcache *tc = tokcache_new();
	size_t i, round;

	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
		for (round = 0; round < 12; round++) {
			const char *m = pairs[i][round % 2];

			assert_true(same_answer(tc, NULL, m, strlen(m)));
		}
	tokcache_free(tc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_digits_turned),
		cmocka_unit_test(test_forms_alternate),
	};

	fresh = tokens_new();
	cached = tokens_new();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
