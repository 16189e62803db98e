/* Unit tests for mask.c: token shapes and the template style. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "mask.h"

static char *
shape(const char *tok)
{
	static char out[MASK_TOKEN_ROOM(256)];
	size_t n;

	assert_true(strlen(tok) <= 256);
	n = mask_token(tok, strlen(tok), out);
	if (n == 0)
		return NULL;
	out[n] = '\0';
	return out;
}

static char *
canonical(const char *s)
{
	static char out[MASK_SHAPE_MAX(512)];
	size_t n;

	n = mask_canonical(s, strlen(s), out);
	out[n] = '\0';
	return out;
}

static void
test_plain_words(void **state)
{
	/* Words without digits or slashes are their own shape. */
	assert_null(shape("PacketResponder"));
	assert_null(shape("terminating"));
	assert_null(shape("(TID"));
	assert_null(shape("dfs.DataNode$PacketResponder:"));
	/* One digit after letters is a name, not a variable. */
	assert_null(shape("ssh2"));
	assert_null(shape("jk2_init()"));
}

static void
test_numbers(void **state)
{
	assert_string_equal(shape("42"), "<*>");
	assert_string_equal(shape("-42"), "<*>");
	assert_string_equal(shape("3.14"), "<*>");
	assert_string_equal(shape("4ms"), "<*>");
	assert_string_equal(shape("67108864"), "<*>");
	assert_string_equal(shape("9)."), "<*>).");
	assert_string_equal(shape("size=42,"), "size=<*>,");
	/* Thousands and a decimal comma make one number, a list does not. */
	assert_string_equal(shape("1,234,567"), "<*>");
	assert_string_equal(shape("3,14"), "<*>");
	assert_string_equal(shape("time=1514038740000,4,0"),
	    "time=<*>,<*>,<*>");
	assert_string_equal(shape("12,5,7"), "<*>,<*>,<*>");
	/* One digit with no letter beside it is a number too. */
	assert_string_equal(shape("(~7%"), "(<*>%");
	assert_string_equal(shape("*7"), "<*>");
}

static void
test_addresses_and_ids(void **state)
{
	assert_string_equal(shape("10.251.73.220:50010"), "<*>:<*>");
	assert_string_equal(shape("10.0.0.1"), "<*>");
	assert_string_equal(shape("blk_-6952295868487656571"), "<*>");
	assert_string_equal(shape("blk_38865049064139660"), "<*>");
	assert_string_equal(shape("0x1f3a"), "<*>");
	assert_string_equal(shape("appattempt_1445144423722_0020_000001"),
	    "<*>");
	/* A hyphen between letters and digits is a delimiter, not a sign. */
	assert_string_equal(shape("node-246"), "node-<*>");
	/* Two numbers joined by '_' are two values, as with '-'; a word
	 * and its number stay one. */
	assert_string_equal(shape("30546173_110243312"), "<*>_<*>");
	assert_string_equal(shape("job_201_0001"), "<*>");
	assert_string_equal(shape("12_x"), "<*>");
}

static void
test_paths(void **state)
{
	assert_string_equal(shape("/var/log/messages"), "<*>");
	assert_string_equal(shape("/10.251.42.84"), "<*>");
	/* A directory's may end in a slash; a slash alone is no path. */
	assert_string_equal(shape("/var/www/html/"), "<*>");
	assert_string_equal(shape("/img/:"), "<*>:");
	assert_null(shape("/"));
	assert_null(shape("//"));
	/* A path ends at a colon, a comma, a bracket: the port after it
	 * is a variable of its own, as in Loghub-2.0's templates. */
	assert_string_equal(shape("/10.10.34.11:52225"), "<*>:<*>");
	assert_string_equal(shape("/var/log/x.log:12"), "<*>:<*>");
	assert_string_equal(shape("(/tmp/a,"), "(<*>,");
	assert_string_equal(shape("file=/etc/x.conf"), "file=<*>");
	/* A value in its own brackets keeps its key (postfix). */
	assert_string_equal(shape("from=<dave@spam.biz>"), "from=<*>");
	assert_string_equal(shape("to=<alice@spam.biz>,"), "to=<*>,");
	/* A slash inside a word is no path. */
	assert_null(shape("TCP/IP"));
	/* Nor is it part of a piece: numbers either side of it are two. */
	assert_string_equal(shape("[8086/2410]"), "[<*>/<*>]");
	assert_string_equal(shape("agent[3342/0x7fff]"), "agent[<*>/<*>]");
	assert_string_equal(shape("2017/07/03"), "<*>/<*>/<*>");
	assert_string_equal(shape("logs/run12.txt"), "logs/<*>.txt");
}

static void
test_literal_values(void **state)
{
	assert_null(shape("true"));	/* a state, as "up" is */
	assert_null(shape("False"));
	assert_string_equal(shape("NULL"), "<*>");
	assert_string_equal(shape("root"), "<*>");
	assert_null(shape("rooted"));
}

static void
test_canonical(void **state)
{
	assert_string_equal(canonical("  a   b\tc "), "a b c");
	assert_string_equal(canonical("<*>.<*>.<*>"), "<*>");
	assert_string_equal(canonical("<*><*> x"), "<*> x");
	assert_string_equal(canonical("blk_<*> <*>ms"), "<*> <*>");
	/* Numbers joined by '_' print as two, as with '-'. */
	assert_string_equal(canonical("Session: <*>_<*> x"),
	    "Session: <*>_<*> x");
	assert_string_equal(canonical("<*>_<*>_<*>"), "<*>_<*>_<*>");
	assert_string_equal(canonical("<*>_x"), "<*>");
	assert_string_equal(canonical("<*>/<*>"), "<*>/<*>");
	assert_string_equal(canonical("port 22 user=admin"),
	    "port <*> user=<*>");
	assert_string_equal(canonical("(<*>)"), "(<*>)");
	/* Idempotent. */
	assert_string_equal(canonical(canonical("x <*>.<*>:<*> 1 /a/b")),
	    "x <*>:<*> <*> <*>");
}

static char *
tags(const char *tok)
{
	static char out[MASK_TAGS_ROOM(256)];
	size_t n;

	assert_true(strlen(tok) <= 256);
	n = mask_token_tags(tok, strlen(tok), out);
	if (n == 0)
		return NULL;
	out[n] = '\0';
	return out;
}

/* Each built-in class: what it takes, and what it must leave alone. */
static void
test_class_numbers(void **state)
{
	assert_string_equal(tags("42"), "<NUM>");
	assert_string_equal(tags("-3.5e-2"), "<NUM>");
	assert_string_equal(tags("1,234,567"), "<NUM>");
	assert_string_equal(tags("12ms"), "<NUM>");
	assert_string_equal(tags("2.5GB"), "<NUM>");
	assert_string_equal(tags("99%"), "<NUM>");
	assert_string_equal(tags("(0.0"), "(<NUM>");
	assert_string_equal(shape("12ms,"), "<*>,");
	/* Not numbers: a name with one digit, a word. */
	assert_null(tags("ssh2"));
	assert_null(tags("version"));
	assert_string_not_equal(tags("12abcdefg"), "<NUM>");
}

static void
test_class_hex(void **state)
{
	assert_string_equal(tags("0x1f3a"), "<HEX>");
	assert_string_equal(tags("0X00FF"), "<HEX>");
	assert_string_equal(tags("1001fdfe"), "<HEX>");
	assert_string_equal(tags("00000000000f0000"), "<HEX>");
	assert_string_equal(shape("0xdeadbeef"), "<*>");
	/* Too short, or no digit: not hexadecimal. */
	assert_null(tags("deadbeef"));
	assert_null(tags("cafe"));
	assert_string_not_equal(tags("e820"), "<HEX>");
	/* No digit but ten letters a to f of one case: an id (a Postfix
	 * queue id, one in 18,000 of them); mixed case is a word. */
	assert_string_equal(tags("BEADFACEDB"), "<HEX>");
	assert_string_equal(shape("BEADFACEDB:"), "<*>:");
	assert_string_equal(shape("fadedbeefcab"), "<*>");
	assert_null(tags("DEADBEEF"));
	assert_null(tags("AbCdEfAbCdEf"));
	assert_null(tags("Accelerated"));
}

static void
test_class_addresses(void **state)
{
	assert_string_equal(tags("10.251.73.220"), "<IP>");
	assert_string_equal(tags("10.251.73.220:50010"), "<IP>:<NUM>");
	assert_string_equal(tags("10.0.0.0/8"), "<IP>/<NUM>");
	assert_string_equal(shape("10.0.0.0/8"), "<*>");
	assert_string_equal(tags("fe80::1ff:fe23:4567:890a"), "<IP6>");
	assert_string_equal(tags("::1"), "<IP6>");
	assert_string_equal(tags("2001:db8:0:0:0:0:2:1"), "<IP6>");
	assert_string_equal(tags("00:1a:2b:3c:4d:5e"), "<MAC>");
	assert_string_equal(tags("00-1A-2B-3C-4D-5E"), "<MAC>");
	/* An octet past 255, three parts, a time: not IPv4. */
	assert_string_not_equal(tags("256.1.1.1"), "<IP>");
	assert_string_not_equal(tags("1.2.3"), "<IP>");
	assert_string_equal(tags("12:30:45"), "<TIME>");
	assert_null(tags("a::b::c"));
	assert_null(tags("std::vector"));
}

static void
test_class_ids(void **state)
{
	assert_string_equal(tags("123e4567-e89b-12d3-a456-426614174000"),
	    "<UUID>");
	assert_string_equal(shape("123e4567-e89b-12d3-a456-426614174000],"),
	    "<*>],");
	assert_string_equal(shape("123e4567-e89b-12d3-a456-426614174000"),
	    "<*>");
	/* The wrong grouping is no UUID. */
	assert_string_not_equal(tags("123e4567e-89b-12d3-a456-42661417400"),
	    "<UUID>");
	assert_string_equal(tags("blk_38865"), "<ID>");
	assert_string_equal(tags("3_4"), "<NUM>_<NUM>");
	/* One digit: an index after '_', else part of a name. */
	assert_string_equal(shape("broadcast_8"), "<*>");
	assert_null(shape("jk2_init()"));
	assert_null(shape("sda1"));
	assert_string_equal(tags("node-246"), "node-<NUM>");
}

static void
test_ids_like_words(void **state)
{
	/* Seven hexadecimal digits or more, one of them a digit. */
	assert_string_equal(shape("vethedeadf3"), "<*>");
	assert_string_equal(tags("vethedeadf3"), "<ID>");
	assert_null(shape("deadbeef"));
	assert_null(shape("Decade1"));	/* both cases: a name */
	assert_null(shape("sda1"));
	/* Base64 across the '+' and '/' that cut pieces. */
	assert_string_equal(shape("SHA256:Xk3f/abcDEF+ghiJKL12/zz"),
	    "<*>:<*>");
	assert_string_equal(shape("key=Qm2xZ9kLpR7aBcDeFgHiJ=="), "key=<*>");
	assert_null(shape("AbstractSingletonProxyFactoryBean"));
	/* Letters of one case, longer than words: a nonce. */
	assert_string_equal(
	    shape("BECOME-SUCCESS-qwertyuiopasdfghjklzxcvbnmqwerty"),
	    "BECOME-SUCCESS-<*>");
	assert_null(shape("internationalization"));
	assert_null(shape("mutatingwebhookconfigurations"));
	assert_null(shape("added1"));
	/* Seven letters or more without a vowel: a pod's name. */
	assert_string_equal(shape("shop-api-jsvtqmqhlw-sdj27"),
	    "shop-api-<*>-<*>");
	assert_null(shape("strcpy2"));
	assert_null(shape("ERR_CONNECTION_REFUSED_BY_THE_REMOTE_PEER"));
}

static void
test_class_paths_urls_mail(void **state)
{
	assert_string_equal(tags("/var/log/messages"), "<PATH>");
	assert_string_equal(tags("./run.sh"), "<PATH>");
	assert_string_equal(tags("~/notes.txt"), "<PATH>");
	assert_string_equal(tags("../up/x"), "<PATH>");
	assert_string_equal(tags("https://example.com/a?b=1"), "<URL>");
	assert_string_equal(shape("hdfs://msra-sa-41:9000/x"), "hdfs://<*>");
	assert_string_equal(tags("alice@example.com"), "<EMAIL>");
	assert_string_equal(shape("<alice@example.com>"), "<*>");
	/* A host of one label: local mail, a message id. */
	assert_string_equal(tags("root@localhost"), "<EMAIL>");
	assert_string_equal(shape("message-id=<x7.q@mx-1>"), "message-id=<*>");
	/* Not a host: a class with its hash code, a version. */
	assert_string_equal(tags("Worker@679"), "Worker@<NUM>");
	assert_string_equal(shape("lodash@4.17.21"), "lodash@<*>");
	/* A lone slash, a word with a slash, an @ without a domain. */
	assert_null(tags("/"));
	assert_null(tags("TCP/IP"));
	assert_null(tags("user@"));
	assert_null(tags("@here"));
}

static void
test_class_hosts(void **state)
{
	assert_string_equal(tags("api.github.com"), "<HOST>");
	assert_string_equal(tags("zummit.com"), "<HOST>");
	assert_string_equal(tags("proxy.cse.cuhk.edu.hk:5070"),
	    "<HOST>:<NUM>");
	assert_string_equal(tags("biblioteka.wsi.edu.pl"), "<HOST>");
	assert_string_equal(tags("lns-vlq-45-tou-82-252.adsl.proxad.net"),
	    "<HOST>");
	assert_string_equal(shape("rhost=biblioteka.wsi.edu.pl"),
	    "rhost=<*>");
	/* Dotted words that are no host names. */
	assert_null(tags("mapred.task.id"));
	assert_null(tags("org.apache.hadoop.MRAppMaster"));
	assert_null(tags("executor.CoarseGrainedExecutorBackend:"));
	assert_null(tags("file.tar.gz"));
	assert_null(tags("done."));
}

static void
test_class_socket_addresses(void **state)
{
	/* A name with its address, its port or both, as Java prints a
	 * socket address: the name is a variable too. */
	assert_string_equal(tags("worker-7/10.0.0.5:50010"),
	    "<HOST>/<IP>:<NUM>");
	assert_string_equal(tags("localhost/127.0.0.1"), "<HOST>/<IP>");
	assert_string_equal(shape("msra-sa-41/10.190.173.170:9000"),
	    "<*>/<*>:<*>");
	assert_string_equal(shape("msra-sa-41:9000"), "<*>:<*>");
	assert_string_equal(shape("(host42:8080),"), "(<*>:<*>),");
	/* A name without digits, or with one and no '-', names a part
	 * ("eth0:1"), a field or a word before a port: only the port is
	 * variable. */
	assert_string_equal(shape("eth0:1"), "eth0:<*>");
	assert_string_equal(shape("line:12"), "line:<*>");
	assert_null(shape("x/y.z"));
	/* Mail servers put the address in brackets: any name with a
	 * letter, the closing bracket in the token's wrappers or not. */
	assert_string_equal(tags("mx.example.com[192.0.2.7]:25,"),
	    "<HOST>[<IP>]:<NUM>,");
	assert_string_equal(tags("unknown[192.0.2.7]"), "<HOST>[<IP>]");
	assert_string_equal(shape("unknown[192.0.2.7]:"), "<*>[<*>]:");
	assert_string_equal(tags("203-0-113-9.dsl.example.net[203.0.113.9]"),
	    "<HOST>[<IP>]");
	assert_string_equal(tags("relay=mx[2001:db8::1b]:25"),
	    "relay=<HOST>[<IP6>]:<NUM>");
	/* Not an address in the brackets, or no letter in the name. */
	assert_string_equal(shape("sshd[2417]:"), "sshd[<*>]:");
	assert_null(shape("mail.example.com[private/dovecot-lmtp]"));
	assert_string_equal(shape("10[192.0.2.7]"), "<*>[<*>]");
}

static void
test_class_stamps(void **state)
{
	assert_string_equal(tags("2015-10-18"), "<TIME>");
	assert_string_equal(tags("2005.06.03"), "<TIME>");
	assert_string_equal(tags("17/06/09"), "<TIME>");
	assert_string_equal(tags("18:01:47,978"), "<TIME>");
	assert_string_equal(tags("2015-10-18T18:01:47.978Z"), "<TIME>");
	assert_string_equal(tags("2015-10-18T18:01:47+02:00"), "<TIME>");
	assert_string_equal(tags("2005-06-03-15.42.50.675872"), "<TIME>");
	assert_string_equal(tags("20171223-22:15:29:606"), "<TIME>");
	assert_string_equal(tags("20171223-22:16:0:19"), "<TIME>");
	/* The access log's date: its month is a variable too. */
	assert_string_equal(tags("[04/Dec/2005:04:47:44"), "[<TIME>");
	assert_string_equal(tags("04-DEC-2005"), "<TIME>");
	assert_string_equal(shape("[04/Dec/2005:04:47:44"),
	    "[<*>/<*>/<*>:<*>:<*>:<*>");
	assert_string_equal(shape("x/Dec/2005"), "x/Dec/<*>");
	assert_string_equal(shape("4/Decimal/2005"), "<*>/Decimal/<*>");
	/* leading zeros may be missing after a date only */
	assert_int_equal(mask_is_stamp("12:3:4", 6), 0);
	assert_int_equal(mask_is_stamp("12:30:4", 7), 0);
	assert_int_equal(mask_is_stamp("12:30", 5), 1);
	assert_int_equal(mask_is_stamp("1230", 4), 0);
	assert_int_equal(mask_is_stamp("12:3", 4), 0);
	assert_int_equal(mask_is_stamp("2015-13", 7), 0);
}

static void
test_class_key_values_and_empty(void **state)
{
	assert_string_equal(tags("uid=0"), "uid=<NUM>");
	assert_string_equal(tags("peer=10.0.0.1:22,"), "peer=<IP>:<NUM>,");
	/* A word value is a constant (the template style prints "root"
	 * as a variable, see test_canonical); so is an empty one. */
	assert_null(shape("user=root"));
	assert_null(tags("tty=NODEVssh"));
	assert_null(tags("ruser="));
	/* Empty brackets and quotes hold an empty value. */
	assert_string_equal(shape("()"), "(<*>)");
	assert_string_equal(shape("\"\","), "\"<*>\",");
	assert_null(shape("(x)"));
	assert_string_equal(mask_class_name(MASK_IP), "IP");
	assert_string_equal(mask_class_name(MASK_NCLASSES), "*");
}

static void
test_binary_bytes(void **state)
{
	char tok[4] = { 'a', '\0', (char)0xff, 'b' };
	char out[MASK_TOKEN_ROOM(4)];

	/* NUL and high bytes are just bytes. */
	assert_int_equal(mask_token(tok, 4, out), 0);
}

/* The forms whose digits masking reads as values: octets of three digits
 * in four dotted runs, and the digit before an 'x'. */
static void
test_forms(void **state)
{
	struct mask_forms mf;
	static const struct {
		const char	*text;
		unsigned	 n;
	} cases[] = {
		{ "from 10.251.42.84:50010", 1 },	/* "251" */
		{ "from 192.168.100.255", 4 },
		{ "took 1234.567 ms", 0 },		/* two runs: no address */
		{ "version 1.2.3 of 123.456.789", 0 },	/* three runs each */
		{ "at 0x7fff5fbff8a0", 1 },
		{ "id 12345.678.9.10", 2 },		/* "345" may start one */
		{ "plain words and ids blk_38865", 0 },
	};
	const char *a, *b;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_true(mask_forms(cases[i].text, strlen(cases[i].text),
		    &mf));
		assert_int_equal(mf.n, cases[i].n);
	}
	/* An octet over 255 reads otherwise than one under. */
	a = "from 10.251.42.84";
	b = "from 10.351.42.84";
	assert_true(mask_forms(a, strlen(a), &mf));
	assert_int_not_equal(mask_form_values(a, strlen(a), &mf),
	    mask_form_values(b, strlen(b), &mf));
	b = "from 19.199.49.89";
	assert_int_equal(mask_form_values(a, strlen(a), &mf),
	    mask_form_values(b, strlen(b), &mf));
	a = "at 0x1f";
	b = "at 1x1f";
	assert_true(mask_forms(a, strlen(a), &mf));
	assert_int_not_equal(mask_form_values(a, strlen(a), &mf),
	    mask_form_values(b, strlen(b), &mf));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_words),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_addresses_and_ids),
		cmocka_unit_test(test_ids_like_words),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_literal_values),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_class_numbers),
		cmocka_unit_test(test_class_hex),
		cmocka_unit_test(test_class_addresses),
		cmocka_unit_test(test_class_ids),
		cmocka_unit_test(test_class_paths_urls_mail),
		cmocka_unit_test(test_class_hosts),
		cmocka_unit_test(test_class_socket_addresses),
		cmocka_unit_test(test_class_stamps),
		cmocka_unit_test(test_class_key_values_and_empty),
		cmocka_unit_test(test_binary_bytes),
		cmocka_unit_test(test_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
