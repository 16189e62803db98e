/*
 * Unit tests for jsonin.c: the validating scanner, paths, unescaping, the
 * message choice, and hostile input.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonin.h"

static int
valid(const char *s)
{
	struct json_value v;

	return json_find(s, strlen(s), NULL, 0, &v) == 0;
}

static void
test_validates_objects(void **state)
{
	static const char *good[] = {
		"{}", " { } ", "{\"a\":1}", "{\"a\":-0.5e+10,\"b\":[1,2,{}]}",
		"{\"a\":true,\"b\":false,\"c\":null}", "{\"a\":\"\\u00e9\\n\"}",
		"{\"a\":[[[]]],\"\":\"\"}", "{\"caf\xc3\xa9\":\"\xe2\x82\xac\"}",
		"{\"a\":0}", "{\"a\":1E3}", "\t{\"a\" : \"b\" }\r",
	};
	static const char *bad[] = {
		"", " ", "[]", "\"a\"", "1", "null", "{", "}", "{\"a\"}",
		"{\"a\":}", "{\"a\":1,}", "{,}", "{\"a\":1 \"b\":2}", "{a:1}",
		"{'a':1}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}",
		"{\"a\":-}", "{\"a\":1e}", "{\"a\":tru}", "{\"a\":nul}",
		"{\"a\":\"x}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}",
		"{\"a\":\"\\u12\"}", "{\"a\":\"tab\there\"}", "{} {}", "{}x",
		"{\"a\":[1,]}", "{\"a\":[1 2]}", "{\"a\":\"\xff\"}",
		"{\"a\":\"\xc0\xaf\"}", "{\"a\":\"\xed\xa0\x80\"}",
		"{\"a\":\"\xe2\x82\"}", "{\"a\":+1}", "{\"a\":NaN}",
	};
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		if (!valid(good[i]))
			fail_msg("rejected %s", good[i]);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (valid(bad[i]))
			fail_msg("accepted %s", bad[i]);
	/* A NUL byte inside the line is not JSON. */
	assert_int_equal(json_find("{\"a\":\"\0\"}", 9, NULL, 0, NULL), -1);
}

static void
test_depth_is_bounded(void **state)
{
	size_t n = 100000, i;
	char *s = malloc(2 * n + 8);

	/* Far past JSON_MAX_DEPTH: refused, not a stack overflow. */
	s[0] = '{';
	memcpy(s + 1, "\"a\":", 4);
	for (i = 0; i < n; i++)
		s[5 + i] = '[';
	for (i = 0; i < n; i++)
		s[5 + n + i] = ']';
	s[5 + 2 * n] = '}';
	assert_int_equal(json_find(s, 6 + 2 * n, NULL, 0, NULL), -1);

	/* Just inside the limit is fine. */
	n = JSON_MAX_DEPTH - 2;
	for (i = 0; i < n; i++)
		s[5 + i] = '[';
	for (i = 0; i < n; i++)
		s[5 + n + i] = ']';
	s[5 + 2 * n] = '}';
	assert_int_equal(json_find(s, 6 + 2 * n, NULL, 0, NULL), 0);
	free(s);
}

static struct json_value
find1(const char *s, const char *path)
{
	struct json_path p;
	struct json_value v;
	char *cause = NULL;

	assert_int_equal(json_path_parse(&p, path, &cause), 0);
	assert_int_equal(json_find(s, strlen(s), &p, 1, &v), 0);
	json_path_free(&p);
	return v;
}

static const char *
text_of(const struct json_value *v)
{
	static char *buf;
	static size_t cap;
	size_t n;

	n = json_text(v, &buf, &cap);
	buf = realloc(buf, n + 1);
	cap = n + 1;
	buf[n] = '\0';
	return buf;
}

static void
test_paths(void **state)
{
	static const char rec[] =
	    "{\"log\":\"hello\\n\",\"kubernetes\":{\"pod_name\":\"web-1\","
	    "\"labels\":{\"app\":\"web\"}},\"list\":[{\"x\":1}],\"n\":42,"
	    "\"o\":{\"k\": [1, 2]},\"dup\":1,\"dup\":2,\"nul\":null,"
	    "\"esc\\u0061ped\":\"yes\"}";
	struct json_value v;

	v = find1(rec, "log");
	assert_int_equal(v.type, JSON_STRING);
	assert_string_equal(text_of(&v), "hello\n");
	v = find1(rec, "kubernetes.pod_name");
	assert_string_equal(text_of(&v), "web-1");
	v = find1(rec, "kubernetes.labels.app");
	assert_string_equal(text_of(&v), "web");
	v = find1(rec, "kubernetes.labels");
	assert_int_equal(v.type, JSON_OBJECT);
	assert_string_equal(text_of(&v), "{\"app\":\"web\"}");
	v = find1(rec, "o");
	assert_string_equal(text_of(&v), "{\"k\": [1, 2]}");
	v = find1(rec, "n");
	assert_int_equal(v.type, JSON_NUMBER);
	assert_string_equal(text_of(&v), "42");
	v = find1(rec, "nul");
	assert_int_equal(v.type, JSON_NULL);
	/* The first of repeated keys; keys with escapes match too. */
	v = find1(rec, "dup");
	assert_string_equal(text_of(&v), "1");
	v = find1(rec, "escaped");
	assert_string_equal(text_of(&v), "yes");
	/* Not there: wrong level, into arrays, past a leaf. */
	assert_int_equal(find1(rec, "pod_name").type, JSON_NONE);
	assert_int_equal(find1(rec, "list.x").type, JSON_NONE);
	assert_int_equal(find1(rec, "log.x").type, JSON_NONE);
	assert_int_equal(find1(rec, "kubernetes.pod").type, JSON_NONE);
	assert_int_equal(find1(rec, "Log").type, JSON_NONE);
	/* A key with dots names the rest of a path flat, as the Elastic
	 * schema writes it; the first form met wins. */
	v = find1("{\"log.level\":\"WARN\",\"log\":{\"level\":\"x\"}}",
	    "log.level");
	assert_string_equal(text_of(&v), "WARN");
	v = find1("{\"a\":{\"b.c\":1}}", "a.b.c");
	assert_string_equal(text_of(&v), "1");
	assert_int_equal(find1("{\"a.b\":{\"c\":1}}", "a.b.c").type,
	    JSON_NONE);
	assert_int_equal(find1("{\"log.level\":1}", "log").type, JSON_NONE);
}

static void
test_many_paths_one_pass(void **state)
{
	static const char rec[] = "{\"a\":{\"b\":1,\"c\":{\"d\":2}},\"e\":3}";
	static const char *spec[] = { "e", "a.c.d", "a.b", "a", "zz", "a.c" };
	static const char *want[] = { "3", "2", "1",
	    "{\"b\":1,\"c\":{\"d\":2}}", NULL, "{\"d\":2}" };
	struct json_path p[6];
	struct json_value v[6];
	size_t i;

	for (i = 0; i < 6; i++)
		assert_int_equal(json_path_parse(&p[i], spec[i], NULL), 0);
	assert_int_equal(json_find(rec, strlen(rec), p, 6, v), 0);
	for (i = 0; i < 6; i++) {
		if (want[i] == NULL)
			assert_int_equal(v[i].type, JSON_NONE);
		else
			assert_string_equal(text_of(&v[i]), want[i]);
		json_path_free(&p[i]);
	}
}

static void
test_bad_paths(void **state)
{
	struct json_path p;
	char *cause = NULL;

	assert_int_equal(json_path_parse(&p, "", &cause), -1);
	assert_string_equal(cause, "empty field name");
	free(cause);
	assert_int_equal(json_path_parse(&p, "a..b", &cause), -1);
	assert_string_equal(cause, "field 'a..b' has an empty part");
	free(cause);
	assert_int_equal(json_path_parse(&p, "a.", &cause), -1);
	free(cause);
	assert_int_equal(json_path_parse(&p,
	    "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q", &cause), -1);
	free(cause);
}

static void
test_unescape(void **state)
{
	struct json_value v;

	v = find1("{\"m\":\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t\"}", "m");
	assert_string_equal(text_of(&v), "q\" b\\ s/ \b\f\n\r\t");
	v = find1("{\"m\":\"\\u00e9\\u20AC\\ud83d\\ude00\"}", "m");
	assert_string_equal(text_of(&v), "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	/* Lone or reversed surrogates become U+FFFD. */
	v = find1("{\"m\":\"a\\ud83db\\ude00c\\ude00\\ud83d\"}", "m");
	assert_string_equal(text_of(&v), "a\xef\xbf\xbd" "b\xef\xbf\xbd"
	    "c\xef\xbf\xbd\xef\xbf\xbd");
	/* \u0000 is a NUL byte in the text. */
	v = find1("{\"m\":\"x\\u0000y\"}", "m");
	{
		char *buf = NULL;
		size_t cap = 0;

		assert_int_equal(json_text(&v, &buf, &cap), 3);
		assert_memory_equal(buf, "x\0y", 3);
		free(buf);
	}
}

static void
test_message_choice(void **state)
{
	struct jsonin *j;
	struct json_record r;
	char *cause = NULL;

	j = jsonin_new(NULL, NULL, 0, &cause);
	assert_non_null(j);
#define MSG(s, want) do {						\
	assert_int_equal(jsonin_message(j, s, strlen(s), &r), 1);	\
	assert_int_equal(r.msg.len, strlen(want));			\
	assert_memory_equal(r.msg.p, want, r.msg.len);			\
} while (0)
	/* Docker: "log" with its newline dropped. */
	MSG("{\"log\":\"started\\n\",\"stream\":\"stdout\"}", "started");
	MSG("{\"log\":\"crlf\\r\\n\"}", "crlf");
	/* The order of preference, not the order in the line. */
	MSG("{\"msg\":\"m\",\"message\":\"ms\"}", "ms");
	MSG("{\"MESSAGE\":\"journald\",\"msg\":\"m\"}", "m");
	MSG("{\"MESSAGE\":\"journald\"}", "journald");
	/* null counts as absent; other types are used as written. */
	MSG("{\"log\":null,\"msg\":\"next\"}", "next");
	MSG("{\"msg\":12.5}", "12.5");
	/* An object under a default name is no message (ECS's "log"). */
	MSG("{\"log\":{\"level\":\"info\"},\"message\":\"ecs\"}", "ecs");
	assert_int_equal(jsonin_message(j, "{\"other\":1}", 11, &r), 0);
	assert_int_equal(jsonin_message(j, "not json", 8, &r), -1);
	assert_int_equal(jsonin_message(j, "{\"log\":", 7, &r), -1);
	assert_int_equal(jsonin_missing(j), 1);
	assert_int_equal(jsonin_malformed(j), 2);
	jsonin_free(j);

	j = jsonin_new("kubernetes.pod_name", NULL, 0, &cause);
	MSG("{\"log\":\"x\",\"kubernetes\":{\"pod_name\":\"api-7\"}}", "api-7");
	assert_null(r.key.p);
	jsonin_free(j);

	/* A key path: the source, in the same pass. */
	j = jsonin_new(NULL, "kubernetes.pod_name", 0, &cause);
	MSG("{\"log\":\"x\",\"kubernetes\":{\"pod_name\":\"api-7\"}}", "x");
	assert_int_equal(r.key.len, 5);
	assert_memory_equal(r.key.p, "api-7", 5);
	MSG("{\"log\":\"y\"}", "y");
	assert_null(r.key.p);
	jsonin_free(j);

	/* Automatic mode: only lines opening with '{' are tried. */
	j = jsonin_new(NULL, NULL, 1, &cause);
	assert_int_equal(jsonin_message(j, "plain", 5, &r), -1);
	assert_int_equal(jsonin_message(j, "  {bad", 6, &r), -1);
	MSG(" {\"msg\":\"ok\"}", "ok");
	assert_int_equal(jsonin_malformed(j), 1);
	/* In a container runtime's wrapper (CRI), the payload counts. */
	MSG("2026-11-27T10:00:01.123456789Z stderr F {\"msg\":\"cri\"}",
	    "cri");
	assert_int_equal(jsonin_message(j, "2026-11-27T10:00:01Z stdout F "
	    "plain text", 40, &r), -1);
	assert_int_equal(jsonin_message(j, "2026-11-27T10:00:01Z stdin F "
	    "{\"msg\":\"x\"}", 40, &r), -1);
	assert_int_equal(jsonin_malformed(j), 1);
	assert_int_equal(jsonin_wrapper("2026-11-27T10:00:01Z stdout P x",
	    31), 30);
	assert_int_equal(jsonin_wrapper("2026-11-27 10:00:01 stdout F x",
	    30), 0);
	jsonin_free(j);

	/* The cause names the option it is about. */
	assert_null(jsonin_new("a..b", NULL, 0, &cause));
	assert_string_equal(cause, "--field: field 'a..b' has an empty part");
	free(cause);
	assert_null(jsonin_new(NULL, "a..b", 0, &cause));
	assert_string_equal(cause, "--key: field 'a..b' has an empty part");
	free(cause);
#undef MSG
}

/* Every prefix, and every one-byte change, of a realistic line. */
static void
test_mutations_never_crash(void **state)
{
	static const char rec[] =
	    "{\"log\":\"GET /x \\\"q\\\" \\u00e9\\ud83d\\ude00\\n\","
	    "\"k\":{\"p\":[1,-2.5e3,true,null,{\"z\":\"\xc3\xa9\"}]}}";
	static const unsigned char bytes[] = {
		'"', '\\', '{', '}', '[', ']', ':', ',', 'u', '0', 0, 0x1f,
		0x80, 0xc3, 0xed, 0xff, ' ', 'e', '-', '.'
	};
	struct jsonin *j;
	struct json_record r;
	char buf[sizeof rec];
	size_t n, i, b;

	j = jsonin_new(NULL, "k.p", 0, NULL);
	for (n = 0; n <= sizeof rec - 1; n++)
		jsonin_message(j, rec, n, &r);
	assert_int_equal(jsonin_message(j, rec, sizeof rec - 1, &r), 1);
	for (i = 0; i < sizeof rec - 1; i++) {
		for (b = 0; b < sizeof bytes; b++) {
			memcpy(buf, rec, sizeof rec);
			buf[i] = (char)bytes[b];
			if (jsonin_message(j, buf, sizeof rec - 1, &r) == 1)
				assert_true(r.msg.len <= sizeof rec);
		}
	}
	jsonin_free(j);
}

/* Is sp the text want? */
static void
span_is(struct span sp, const char *want)
{
	if (want == NULL) {
		assert_null(sp.p);
		assert_int_equal(sp.len, 0);
		return;
	}
	assert_non_null(sp.p);
	assert_int_equal(sp.len, strlen(want));
	assert_memory_equal(sp.p, want, sp.len);
}

/* A record's time and level, found in the same pass as its message. */
static void
test_record_time_level(void **state)
{
	struct jsonin *j;
	struct json_record r;
	const char *line;

	j = jsonin_new(NULL, NULL, 0, NULL);
#define REC(s, rv) do {							\
	line = (s);							\
	assert_int_equal(jsonin_message(j, line, strlen(line), &r), rv); \
} while (0)
	/* Docker's json-file: "time" and no level. */
	REC("{\"log\":\"up\\n\",\"stream\":\"stdout\","
	    "\"time\":\"2026-11-27T10:00:01.5Z\"}", 1);
	span_is(r.time, "2026-11-27T10:00:01.5Z");
	span_is(r.level, NULL);
	/* zap: "ts" a number, "level" a word; the first named wins. */
	REC("{\"level\":\"error\",\"ts\":1764237601.25,\"msg\":\"x\","
	    "\"severity\":\"info\"}", 1);
	span_is(r.time, "1764237601.25");
	span_is(r.level, "error");
	assert_false(r.priority);
	/* journald: microseconds in a string, PRIORITY a digit. */
	REC("{\"__REALTIME_TIMESTAMP\":\"1764237601250000\","
	    "\"PRIORITY\":\"3\",\"MESSAGE\":\"disk gone\"}", 1);
	span_is(r.time, "1764237601250000");
	span_is(r.level, "3");
	assert_true(r.priority);
	/* The Elastic schema: "log.level", a key with a dot. */
	REC("{\"@timestamp\":\"2026-11-27T10:00:01.123Z\",\"log.level\":"
	    "\"WARN\",\"message\":\"x\"}", 1);
	span_is(r.time, "2026-11-27T10:00:01.123Z");
	span_is(r.level, "WARN");
	/* pino: a number for a level. */
	REC("{\"level\":50,\"time\":1764237601250,\"msg\":\"x\"}", 1);
	span_is(r.level, "50");
	span_is(r.time, "1764237601250");
	/* Escapes, objects and null are no time or level. */
	REC("{\"time\":\"10\\u003a00\",\"level\":{\"n\":1},"
	    "\"lvl\":null,\"msg\":\"x\"}", 1);
	span_is(r.time, NULL);
	span_is(r.level, NULL);
	/* An object without the message still has its time. */
	REC("{\"time\":\"2026-11-27T10:00:01Z\",\"other\":1}", 0);
	span_is(r.msg, NULL);
	span_is(r.time, "2026-11-27T10:00:01Z");
	/* The stamp of a container runtime's wrapper, when the payload
	 * has none of its own. */
	REC("2026-11-27T10:00:01.123456789Z stdout F {\"msg\":\"cri\"}", 1);
	span_is(r.time, "2026-11-27T10:00:01.123456789Z");
	assert_ptr_equal(r.time.p, line);
	REC("2026-11-27T10:00:01Z stdout F {\"msg\":\"m\",\"time\":\"x1\"}",
	    1);
	span_is(r.time, "x1");
	/* Not an object: nothing at all. */
	REC("time=1 level=error", -1);
	span_is(r.time, NULL);
	span_is(r.level, NULL);
#undef REC
	jsonin_free(j);
}

static void
member_is(const struct record_members *rm, size_t i, const char *key,
    const char *val)
{
	assert_true(i < rm->n);
	assert_int_equal(rm->m[i].keylen, strlen(key));
	assert_memory_equal(rm->m[i].key, key, strlen(key));
	assert_int_equal(rm->m[i].vallen, strlen(val));
	assert_memory_equal(rm->m[i].val, val, strlen(val));
}

/*
 * A record's members besides its message, time, level and source are
 * the line's values: scalars of the top object only, keys and strings
 * without escapes, none whose key starts with '_'.
 */
static void
test_record_members(void **state)
{
	struct jsonin *j;
	struct json_record r;
	const char *line;
	char big[2048];
	size_t i, n;

	j = jsonin_new(NULL, "svc", 0, NULL);
	line = "{\"time\":\"2026-11-27T10:00:01Z\",\"ts\":5,\"level\":\"info\","
	    "\"msg\":\"request done\",\"status\":200,\"latency\":0.25,"
	    "\"cached\":false,\"svc\":\"api\",\"user\":null,"
	    "\"tags\":[\"a\"],\"req\":{\"id\":7},\"_id\":\"x\","
	    "\"path\":\"/a\\\"b\",\"k\\u0065y\":1,\"route\":\"/v1/cart\"}";
	assert_int_equal(jsonin_message(j, line, strlen(line), &r), 1);
	assert_int_equal(r.members.n, 4);
	member_is(&r.members, 0, "status", "200");
	member_is(&r.members, 1, "latency", "0.25");
	member_is(&r.members, 2, "cached", "false");
	member_is(&r.members, 3, "route", "/v1/cart");
	/* Views into the line, as the pipeline keeps them. */
	assert_true(r.members.m[0].key > line &&
	    r.members.m[0].key < line + strlen(line));
	/* At most MEMBERS_MAX of them, the first. */
	n = (size_t)snprintf(big, sizeof big, "{\"msg\":\"m\"");
	for (i = 0; i < MEMBERS_MAX + 4; i++)
		n += (size_t)snprintf(big + n, sizeof big - n, ",\"f%zu\":%zu",
		    i, i);
	snprintf(big + n, sizeof big - n, "}");
	assert_int_equal(jsonin_message(j, big, strlen(big), &r), 1);
	assert_int_equal(r.members.n, MEMBERS_MAX);
	member_is(&r.members, 0, "f0", "0");
	/* Not an object: none, not even those before the fault. */
	line = "status=200";
	assert_int_equal(jsonin_message(j, line, strlen(line), &r), -1);
	assert_int_equal(r.members.n, 0);
	line = "{\"status\":200,";
	assert_int_equal(jsonin_message(j, line, strlen(line), &r), -1);
	assert_int_equal(r.members.n, 0);
	jsonin_free(j);
}

/* {"a":"..."}: 41 plain bytes with piece after the first k of them. */
static int
valid_with(const char *piece, size_t k)
{
	char buf[128];

	snprintf(buf, sizeof buf, "{\"a\":\"%.*s%s%.*s\"}", (int)k,
	    "0123456789abcdefghijklmnopqrstuvwxyzABCDE", piece, (int)(40 - k),
	    "FGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghij");
	return valid(buf);
}

/*
 * Strings longer than the sixteen bytes the scanner skips at a time, with
 * an escape, a multibyte character or a bad byte at every place: each is
 * judged as in a short string, wherever the step puts it.
 */
static void
test_long_strings(void **state)
{
	static const char *good[] = {
		"\\n", "\\\"", "\\\\", "\\u00e9", "\xc3\xa9", "\xe2\x82\xac",
		"\x7f",
	};
	static const char *bad[] = {
		"\x01", "\t", "\xff", "\xc0\xaf", "\xe2\x82", "\\x", "\\u12",
	};
	char buf[128];
	size_t i, k;

	(void)state;
	for (k = 0; k <= 40; k++) {
		for (i = 0; i < sizeof good / sizeof good[0]; i++)
			if (!valid_with(good[i], k))
				fail_msg("rejected %s at %zu", good[i], k);
		for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
			if (valid_with(bad[i], k))
				fail_msg("accepted %s at %zu", bad[i], k);
		/* No closing quote, however far the string runs. */
		snprintf(buf, sizeof buf, "{\"a\":\"%.*s", (int)(k + 16),
		    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV");
		if (valid(buf))
			fail_msg("accepted %s", buf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validates_objects),
		cmocka_unit_test(test_depth_is_bounded),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_many_paths_one_pass),
		cmocka_unit_test(test_bad_paths),
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_message_choice),
		cmocka_unit_test(test_mutations_never_crash),
		cmocka_unit_test(test_record_time_level),
		cmocka_unit_test(test_record_members),
		cmocka_unit_test(test_long_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
