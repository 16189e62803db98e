/* Unit tests for drain.c and template.c: grouping and merging. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drain.h"
#include "sbuf.h"
#include "template.h"
#include "tokenize.h"

static struct tokens *tk;
static struct drain *tree;

static struct drain_params
defaults(void)
{
	struct drain_params p;

	memset(&p, 0, sizeof p);
	p.depth = DRAIN_DEFAULT_DEPTH;
	p.similarity = DRAIN_DEFAULT_SIMILARITY;
	p.max_children = DRAIN_DEFAULT_MAX_CHILDREN;
	p.variable_words = DRAIN_DEFAULT_VARIABLE_WORDS;
	return p;
}

static int
setup(void **state)
{
	struct drain_params p = defaults();

	tk = tokens_new();
	tree = drain_new(&p);
	return tk == NULL || tree == NULL;
}

static int
teardown(void **state)
{
	drain_free(tree);
	free(tk);
	return 0;
}

static struct template *
feed(const char *s, int learn, int *created)
{
	tokenize(s, strlen(s), tk);
	return drain_match(tree, tk, learn, created);
}

static struct template *
learn(const char *s)
{
	int created;

	return feed(s, 1, &created);
}

static void
test_same_shape_same_template(void **state)
{
	struct template *a, *b;
	int created;

	a = feed("PacketResponder 1 for block blk_38865 terminating", 1,
	    &created);
	assert_non_null(a);
	assert_true(created);
	assert_int_equal(a->id, 1);
	b = feed("PacketResponder 0 for block blk_-69522 terminating", 1,
	    &created);
	assert_ptr_equal(a, b);
	assert_false(created);
	assert_string_equal(template_text(a, NULL),
	    "PacketResponder <*> for block <*> terminating");
}

static void
test_digits_make_variables(void **state)
{
	struct template *a, *b;

	/* A token with digits where the template has a word: a variable. */
	a = learn("context set to mapreduce for this job");
	b = learn("context set to job_1445 for this job");
	assert_ptr_equal(a, b);
	assert_string_equal(template_text(a, NULL),
	    "context set to <*> for this job");
	assert_int_equal(a->nwild, 1);
}

static void
test_words_split_until_they_vary(void **state)
{
	struct template *a, *b, *c, *d;
	size_t n;

	/* Two words where one stood: another event, at first. */
	a = learn("session opened for user alice by sshd");
	b = learn("session opened for user bob by sshd");
	assert_ptr_not_equal(a, b);
	assert_string_equal(template_text(b, NULL),
	    "session opened for user bob by sshd");
	c = learn("session opened for user carol by sshd");
	assert_ptr_not_equal(c, a);
	n = drain_count(tree);
	/* The fourth word makes the position a variable: one template. */
	d = learn("session opened for user dave by sshd");
	assert_ptr_equal(d, a);
	assert_int_equal(drain_count(tree), n);
	assert_string_equal(template_text(a, NULL),
	    "session opened for user <*> by sshd");
	/* The siblings keep their ids and print the same text. */
	assert_ptr_equal(b->merged, a);
	assert_string_equal(template_text(b, NULL),
	    "session opened for user <*> by sshd");
	assert_ptr_equal(learn("session opened for user bob by sshd"), b);
	assert_ptr_equal(learn("session opened for user erin by sshd"), a);
}

/* Learn before, then each of words, then after; the first line's
 * template. */
static struct template *
learn_each(const char *before, const char *const *words, size_t n,
    const char *after)
{
	struct template *first = NULL, *t;
	char line[256];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(line, sizeof line, "%s%s%s", before, words[i], after);
		t = learn(line);
		if (i == 0)
			first = t;
	}
	return first;
}

/* Learn line, then t must read want. */
static void
learn_then(struct template *t, const char *line, const char *want)
{
	learn(line);
	assert_string_equal(template_text(t, NULL), want);
}

static void
test_variables_keep_brackets(void **state)
{
	static const char *const nodes[] = {
		"[node_a]", "[node_b]", "[node_c]", "[node_d]"
	}, *const users[] = {
		"user=alice,", "user=bob,", "user=carol,", "user=dave,"
	}, *const buckets[] = { "[east]", "[west]", "north]", "[south]" },
	    *const calls[] = { "open()", "read()", "stat()", "close()" },
	    *const nested[] = { "(open(a))", "(read(b))", "(stat(c))",
	    "(close(d))" }, *const names[] = { "com.apple.icloud.beat:",
	    "com.apple.Safari.Update:", "com.apple.cts:", "com.apple.x.y:" },
	    *const dotted[] = { "logrotate...", "cron...", "fstrim...",
	    "man-db..." },
	    *const quoted[] = { "\"https://a.example/1\"",
	    "\"https://b.example/2\"", "\"https://c.example/3\"",
	    "\"https://d.example/4\"" };
	struct template *a, *b;

	/* Four words where one stood, each in brackets: "[<*>]". */
	a = learn_each("no answer from any ", nodes, 4, " source");
	assert_ptr_equal(learn("no answer from any [node_d] source"), a);
	assert_string_equal(template_text(a, NULL),
	    "no answer from any [<*>] source");
	/* A word in parentheses and a comma, made a variable by a digit. */
	a = learn("unable to qualify (host) here, using short name");
	learn_then(a, "unable to qualify (host42) here, using short name",
	    "unable to qualify (<*>) here, using short name");
	/* A line whose word lacks them takes them away, for good. */
	learn_then(a, "unable to qualify host97 here, using short name",
	    "unable to qualify <*> here, using short name");
	learn_then(a, "unable to qualify (host42) here, using short name",
	    "unable to qualify <*> here, using short name");
	/* A field's key stays, and so does a comma after its value. */
	a = learn_each("login failed ", users, 4, " try again");
	assert_ptr_equal(learn("login failed user=dave, try again"), a);
	assert_string_equal(template_text(a, NULL),
	    "login failed user=<*>, try again");
	/* ... until a word without it comes: then nothing is kept. */
	learn_then(a, "login failed dave, try again",
	    "login failed <*> try again");
	/* So does a family of dotted names, to its last shared dot. */
	a = learn_each("job ", names, 4, " was told to run");
	assert_string_equal(template_text(a, NULL),
	    "job com.apple.<*>: was told to run");
	learn_then(a, "job org.example.batch: was told to run",
	    "job <*> was told to run");
	/* The brackets are kept whole or not at all: one word lacking
	 * one of them drops both. */
	a = learn_each("stored in bucket ", buckets, 4, " now");
	assert_string_equal(template_text(a, NULL),
	    "stored in bucket <*> now");
	/* A closing bracket opened inside the word is the word's own. */
	a = learn_each("system call ", calls, 4, " failed");
	assert_string_equal(template_text(a, NULL),
	    "system call <*> failed");
	/* Unless it closes the word's own bracket, opened and closed. */
	a = learn_each("call ", nested, 4, " done");
	assert_string_equal(template_text(a, NULL), "call (<*>) done");
	/* Three closing dots are more than a variable keeps: none, not
	 * two that the lines do not have. */
	a = learn_each("Starting ", dotted, 4, "");
	assert_string_equal(template_text(a, NULL), "Starting <*>");
	/* A field's quotes are kept after its key, as the line has them. */
	a = learn_each("request done referer=", quoted, 4, " size=1");
	assert_string_equal(template_text(a, NULL),
	    "request done referer=\"https://<*>\" size=<*>");
	/* Quotes go in pairs: an empty value has no middle between them,
	 * so neither is kept. */
	learn_then(a, "request done referer=\"\" size=1",
	    "request done referer=<*> size=<*>");
	/* A variable that keeps a key does not take in a template whose
	 * word lacks it: "removed" and "client=<*>" stay two events, and
	 * each prints what its lines have. */
	a = learn("9EA646EF06: removed");
	b = learn("9EA646EF06: client=mail0.example.org[192.0.2.10]");
	learn("DEC27599E6: removed");
	assert_ptr_equal(b, learn("23B9340DAD: client=mail3.example.org[192.0.2.3]"));
	assert_ptr_not_equal(a, b);
	assert_null(a->merged);
	assert_string_equal(template_text(a, NULL), "<*>: removed");
	assert_string_equal(template_text(b, NULL), "<*>: client=<*>[<*>]");
}

static void
test_words_of_a_variable_elsewhere(void **state)
{
	static const char *const users[] = { "cyrus", "news", "test" },
	    *const disks[] = { "alpha", "beta" };
	struct template *opened, *closed, *done;

	/* Three users: too few words to make a variable of themselves. */
	opened = learn_each("session opened for user ", users, 3,
	    " by (uid=0)");
	closed = learn_each("session closed for user ", users, 3, "");
	assert_string_equal(template_text(opened, NULL),
	    "session opened for user cyrus by (uid=<*>)");
	assert_string_equal(template_text(closed, NULL),
	    "session closed for user cyrus");
	/* A fourth name, masked, makes the closing line's a variable, and
	 * with it the opening line's: its words were that variable's. */
	learn_then(closed, "session closed for user root",
	    "session closed for user <*>");
	assert_string_equal(template_text(opened, NULL),
	    "session opened for user <*> by (uid=<*>)");
	assert_ptr_equal(learn("session opened for user uucp by (uid=0)"),
	    opened);
	/* One word in common is not enough. */
	done = learn_each("backup done on disk ", disks, 2, "");
	learn("backup failed on disk alpha");
	learn("backup failed on disk sd4x1");
	assert_string_equal(template_text(done, NULL),
	    "backup done on disk alpha");
}

static void
test_names_first(void **state)
{
	static const char *const units[] = { "apt-daily.service",
	    "logrotate.service", "man-db.service" };
	struct template *a, *b, *c;

	/* A name as the first token is the tree's key: an event each, for
	 * the first few names. */
	a = learn_each("", units, 3, ": Deactivated successfully.");
	b = learn("logrotate.service: Deactivated successfully.");
	assert_ptr_not_equal(a, b);
	assert_string_equal(template_text(a, NULL),
	    "apt-daily.service: Deactivated successfully.");
	/* The fourth name makes the first position a variable. */
	learn_then(a, "fstrim.service: Deactivated successfully.",
	    "<*>: Deactivated successfully.");
	assert_ptr_equal(b->merged, a);
	assert_ptr_equal(learn("cron.service: Deactivated successfully."), a);
	assert_ptr_equal(learn("apt-daily.service: Deactivated successfully."),
	    a);
	/* Other lines of those names stay events of their own. */
	c = learn("cron.service: Consumed 1.5s CPU time.");
	assert_ptr_not_equal(c, a);
	assert_string_equal(template_text(c, NULL),
	    "cron.service: Consumed <*> CPU time.");
	/* So is a word that a mark of its own follows, as sudo writes its
	 * user, and a word in brackets, as cron does. */
	a = learn("alice : TTY=pts/1 ; USER=root ; COMMAND=/usr/bin/id");
	learn("bob : TTY=pts/2 ; USER=root ; COMMAND=/usr/bin/id");
	learn("carol : TTY=pts/0 ; USER=root ; COMMAND=/usr/bin/id");
	learn_then(a, "dave : TTY=pts/3 ; USER=root ; COMMAND=/usr/bin/id",
	    "<*> : TTY=pts/<*> ; USER=<*> ; COMMAND=<*>");
	a = learn("(nagios) CMD (check_disk)");
	learn("(www-data) CMD (check_disk)");
	learn("(backup) CMD (check_disk)");
	learn_then(a, "(git) CMD (check_disk)", "(<*>) CMD (check_disk)");
	/* Not a capitalised word before a colon: a sentence's verb. */
	a = learn("Started : nightly backup job");
	learn("Finished : nightly backup job");
	learn("Failed : nightly backup job");
	learn("Aborted : nightly backup job");
	assert_ptr_not_equal(a, learn("Skipped : nightly backup job"));
	assert_string_equal(template_text(a, NULL),
	    "Started : nightly backup job");
	/* Plain first words stay the key, however many agree. */
	a = learn("Starting the nightly job");
	b = learn("Stopping the nightly job");
	learn("Pausing the nightly job");
	learn("Resuming the nightly job");
	c = learn("Restarting the nightly job");
	assert_ptr_not_equal(a, b);
	assert_ptr_not_equal(a, c);
	assert_string_equal(template_text(a, NULL),
	    "Starting the nightly job");
	/* And short lines: the rest must hold two constants. */
	a = learn("eth0-a up");
	b = learn("eth0-b up");
	learn("eth0-c up");
	learn("eth0-d up");
	c = learn("eth0-e up");
	assert_ptr_not_equal(a, c);
	assert_ptr_not_equal(a, b);
}

static void
test_states_stay_apart(void **state)
{
	struct template *a, *b, *c;

	/* Two words in two places: different events, never merged. */
	a = learn("task Transitioned from NEW to SCHEDULED");
	b = learn("task Transitioned from SCHEDULED to RUNNING");
	c = learn("task Transitioned from RUNNING to SUCCEEDED");
	assert_ptr_not_equal(a, b);
	assert_ptr_not_equal(b, c);
	assert_ptr_not_equal(a, c);
	assert_null(b->merged);
	/* A field's name where another line has a word: two events, though
	 * the field's value is a variable ("message-id=<*>"). */
	a = learn("3F2A1C0D8: removed");
	b = learn("4A2B1C0D9: message-id=<abc123@example.com>");
	assert_ptr_not_equal(a, b);
	assert_ptr_equal(a, learn("5F2A1C0D8: removed"));
	assert_string_equal(template_text(a, NULL), "<*>: removed");
	/* And so is another field's name. */
	c = learn("6B2A1C0D9: client=localhost[127.0.0.1]");
	assert_ptr_not_equal(c, b);
	assert_ptr_equal(b, learn("7C2B1C0DA: message-id=<x9@example.com>"));
	assert_string_equal(template_text(b, NULL), "<*>: message-id=<*>");
	assert_ptr_equal(a, learn("8D2A1C0DB: removed"));
	/* A value that generalises one of them takes in none of the
	 * others: its variable is still that field's. */
	assert_ptr_equal(b, learn("9D2A1C0DC: message-id=<r_Ko4x39@mta-13>"));
	assert_string_equal(template_text(b, NULL), "<*>: message-id=<*>");
	assert_null(a->merged);
	assert_null(c->merged);
	assert_ptr_equal(a, learn("0E2A1C0DD: removed"));
	assert_ptr_equal(c, learn("1F2A1C0DE: client=mx.example.org[192.0.2.9]"));
	/* Names that differ in an index are one field's. */
	a = learn("tree packet error PSR0=1f2e3d4c PSR1=5a6b7c8d");
	assert_ptr_equal(a, learn("tree packet error PSR0=0a1b2c3d PSR4=aa0b"));
	/* A variable that happens to hold a '=' is no field's name. */
	a = learn("GET /search?q=foo 200 12ms");
	assert_ptr_equal(a, learn("GET /index.html 200 13ms"));
	/* A name in quotes is a value someone gave, at its second line; a
	 * plain word in quotes may be a state, and stays a word. */
	a = learn("Login failed for user 'hugo.khan': User is disabled");
	b = learn("Login failed for user 'zoe.rossi': User is disabled");
	assert_ptr_equal(a, b);
	assert_string_equal(template_text(a, NULL),
	    "Login failed for user '<*>': User is disabled");
	/* So are two words that differ in their digits only: instances of
	 * one kind ("api1", "api2"), at the second line. */
	a = learn("backend api_be server api1 is UP, reason: Layer7 check");
	b = learn("backend api_be server api2 is UP, reason: Layer7 check");
	assert_ptr_equal(a, b);
	assert_string_equal(template_text(a, NULL),
	    "backend api_be server <*> is UP, reason: Layer7 check");
	/* Not in capitals: an acronym's digits are a version, a kind. */
	a = learn("wl0: MDNS: IPV4 Addr: 10.0.0.7");
	b = learn("wl0: MDNS: IPV6 Addr: fe80::1");
	assert_ptr_not_equal(a, b);
	a = learn("Location icon should now be in state 'Active'");
	b = learn("Location icon should now be in state 'Inactive'");
	assert_ptr_not_equal(a, b);
	/* Nor are first words, the tree's key. */
	a = learn("running");
	b = learn("normal");
	c = learn("warning");
	assert_ptr_not_equal(a, learn("closing"));
	assert_ptr_not_equal(a, b);
	assert_ptr_not_equal(b, c);
}

static void
test_settled_constants_resist(void **state)
{
	struct template *a, *b;
	int i;

	/* A template seen many times keeps a constant that a line with a
	 * masked token there would only generalise early on. */
	for (i = 0; i < 20; i++)
		a = learn("link state is () now");
	b = learn("link state is (10.0.0.5) now");
	assert_ptr_equal(a, b);	/* an empty value and a value */
	a = learn("auth failure rhost=10.0.0.1 tty=ssh");
	for (i = 0; i < 20; i++)
		learn("auth failure rhost=10.0.0.1 tty=ssh");
	b = learn("auth failure rhost= tty=:0");
	assert_ptr_not_equal(a, b);
	assert_string_equal(template_text(a, NULL),
	    "auth failure rhost=<*> tty=ssh");
}

static void
test_dissimilar_lines_split(void **state)
{
	struct template *a, *b;
	int created;

	a = feed("disk sda is failing now badly", 1, &created);
	b = feed("disk sdb was replaced by operator yesterday", 1, &created);
	assert_true(created);
	assert_ptr_not_equal(a, b);
	/* Different lengths of words do not share a template. */
	b = feed("disk sda is failing", 1, &created);
	assert_true(created);
	assert_ptr_not_equal(a, b);
}

static void
test_units(void **state)
{
	struct template *a;

	/* Units the lines agree on print as words. */
	a = learn("claim: memory 2048 MB, disk 20 GB, vcpus 1 CPU");
	learn_then(a, "claim: memory 512 MB, disk 40 GB, vcpus 2 CPU",
	    "claim: memory <*> MB, disk <*> GB, vcpus <*> CPU");
	/* Where they differ, the sizes are scaled, and every unit of the
	 * template is part of its number, the one that has not changed
	 * yet too. */
	a = learn("stored block (estimated size 5.2 KB, free 317.5 KB)");
	learn_then(a, "stored block (estimated size 384.0 B, free 317.1 KB)",
	    "stored block (estimated size <*>, free <*>)");
}

static void
test_variable_length_lists(void **state)
{
	struct template *a, *b, *c;
	size_t n;
	int created;

	a = learn("ask 10.0.0.1:50010 to delete blk_11 blk_22");
	n = drain_count(tree);
	b = feed("ask 10.0.0.2:50010 to delete blk_33", 1, &created);
	assert_ptr_equal(a, b);
	assert_false(created);
	c = learn("ask 10.0.0.3:50010 to delete blk_44 blk_55 blk_66 blk_77 "
	    "blk_88 blk_99");
	assert_ptr_equal(a, c);
	assert_int_equal(drain_count(tree), n);
	assert_string_equal(template_text(a, NULL),
	    "ask <*>:<*> to delete <*>");
	/* Ten or more variables in a row are a list, whatever the
	 * lines' lengths; eight stay eight. */
	a = learn("cannot resolve an10 an11 an12 an13 an14 an15 an16 an17 "
	    "an18 an19");
	assert_string_equal(template_text(a, NULL), "cannot resolve <*>");
	a = learn("IRQs 3 4 5 6 7 9 10 11 enabled");
	assert_string_equal(template_text(a, NULL),
	    "IRQs <*> <*> <*> <*> <*> <*> <*> <*> enabled");
	/* A value with a unit in parentheses, or without. */
	a = learn("peer closed, 12 bytes sent, 40 bytes received");
	b = learn("peer closed, 12 bytes (0.1 KB) sent, 40 bytes received");
	assert_ptr_equal(a, b);
	/* An extra field is another event, not a longer list. */
	a = learn("auth failure; uid=0 rhost=10.1.1.1");
	b = learn("auth failure; uid=0 rhost=10.1.1.1 user=root");
	assert_ptr_not_equal(a, b);
	a = learn("Received block blk_11 of size 67 from /10.1.1.1");
	b = learn("Received block blk_22 src: /10.1.1.1:5 dest: /10.1.1.2:6 "
	    "of size 67");
	assert_ptr_not_equal(a, b);
}

static void
test_values_of_variants(void **state)
{
	struct template_value vals[16];
	struct template *a;
	size_t n;

	learn("delete blk_11 now");
	a = learn("delete blk_22 blk_33 blk_44 now");
	n = template_values(a, tk, vals, 16);
	assert_int_equal(n, 3);
	assert_memory_equal(vals[0].p, "blk_22", 6);
	assert_int_equal(vals[0].pos, 1);	/* tokens of the line */
	assert_int_equal(vals[1].pos, 2);
	assert_int_equal(vals[2].pos, 3);
	assert_int_equal(vals[0].slot, 1);	/* the list's one slot */
	assert_int_equal(vals[1].slot, 1);
	assert_int_equal(vals[2].slot, 1);
}

static void
test_frozen_tree(void **state)
{
	struct template *a, *b;
	size_t before;
	int created;

	a = feed("cache hit ratio 0.91 over 1000 lookups", 1, &created);
	before = drain_count(tree);
	b = feed("cache hit ratio 0.95 over 1200 lookups", 0, &created);
	assert_ptr_equal(a, b);
	assert_false(created);
	b = feed("a line nobody has ever seen before here", 0, &created);
	assert_null(b);
	assert_int_equal(drain_count(tree), before);
}

static void
test_max_children(void **state)
{
	struct drain_params p = defaults();
	struct drain *small;
	char line[64];
	int i, created;

	/* Past max_children, first tokens share the "<*>" child. */
	p.max_children = 3;
	p.depth = 4;
	small = drain_new(&p);
	for (i = 0; i < 10; i++) {
		snprintf(line, sizeof line, "word%c says hello", 'a' + i);
		tokenize(line, strlen(line), tk);
		assert_non_null(drain_match(small, tk, 1, &created));
	}
	assert_true(drain_count(small) < 10);
	drain_free(small);
}

static void
test_values_at_variables(void **state)
{
	struct template_value vals[8];
	struct template *a;
	int created;

	feed("state of port 10 is up now", 1, &created);
	a = feed("state of port 12 is up now", 1, &created);
	assert_string_equal(template_text(a, NULL),
	    "state of port <*> is up now");
	assert_int_equal(template_values(a, tk, vals, 8), 1);
	assert_int_equal(vals[0].pos, 3);
	assert_int_equal(vals[0].slot, 3);
	assert_int_equal(vals[0].len, 2);
	assert_memory_equal(vals[0].p, "12", 2);
	/* A masked token is a value even where the template has its shape. */
	a = feed("peer 10.0.0.1:80 said hello", 1, &created);
	assert_int_equal(template_values(a, tk, vals, 8), 1);
	assert_int_equal(vals[0].len, 11);
	assert_int_equal(template_values(a, tk, vals, 0), 0);
}

static void
test_show_class(void **state)
{
	struct drain_params p = defaults();
	struct drain *t;
	struct template *a;
	int created;

	p.show_class = 1;
	t = drain_new(&p);
	tokenize("peer 10.0.0.1:80 sent 4 KB at 12:00:01", 38, tk);
	a = drain_match(t, tk, 1, &created);
	assert_string_equal(template_text(a, NULL),
	    "peer <IP>:<NUM> sent <NUM> KB at <TIME>");
	drain_free(t);
}

static void
test_empty_message(void **state)
{
	struct template *a;
	int created;

	a = feed("", 1, &created);
	assert_non_null(a);
	assert_string_equal(template_text(a, NULL), "");
	assert_ptr_equal(feed("   ", 1, &created), a);
}

/* As the model does: count the line into its template, keep in bounds. */
static struct template *
see(const char *s, uint64_t line)
{
	struct template *t = learn(s);

	t->count++;
	t->last_line = line;
	drain_evict(tree, &t, 1, NULL, NULL);
	return t;
}

static void
words(char *buf, size_t room, unsigned seed, unsigned n)
{
	static const char *const syl[] = {
		"ka", "lo", "mi", "nu", "pe", "ra", "so", "ti", "vu", "ze"
	};
	size_t at = 0;
	unsigned i, k;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf[at++] = ' ';
		for (k = 0; k < 3; k++) {
			seed = seed * 1103515245u + 12345u;
			memcpy(buf + at, syl[(seed >> 16) % 10], 2);
			at += 2;
		}
	}
	buf[at] = '\0';
	assert_true(at < room);
}

static int
setup_bounded(void **state)
{
	struct drain_params p = defaults();

	p.max_templates = 64;
	p.half_life = 1000;
	tk = tokens_new();
	tree = drain_new(&p);
	return tk == NULL || tree == NULL;
}

/*
 * A flood of lines that are all new stays within the bound; what is
 * seen often stays, what was seen once long ago goes, and everything
 * left still finds its template.
 */
static void
test_eviction_bound(void **state)
{
	struct template *beat, *t, *last = NULL;
	char buf[256];
	uint64_t beat_id, line = 0;
	unsigned i;
	int created;

	beat = see("heartbeat from the scheduler ok", ++line);
	beat_id = beat->id;
	for (i = 0; i < 3000; i++) {
		words(buf, sizeof buf, i, 4 + i % 5);
		last = see(buf, ++line);
		assert_true(drain_size(tree) <= 64);
		if (i % 10 == 0)
			see("heartbeat from the scheduler ok", ++line);
	}
	/* The frequent one, and the newest, stayed. */
	t = feed("heartbeat from the scheduler ok", 0, &created);
	assert_non_null(t);
	assert_int_equal(t->id, beat_id);
	assert_true(drain_count(tree) < 64);
	t = feed(buf, 0, &created);
	assert_ptr_equal(t, last);
	/* The first of the flood went: frozen, nothing fits it now. */
	words(buf, sizeof buf, 0, 4);
	assert_null(feed(buf, 0, &created));
	/* Learned again, it is new, with an id never used before. */
	t = learn(buf);
	assert_true(t->id > 3000);
}

/*
 * An event goes whole: its merged siblings and its variants with it,
 * and nothing points at them after.
 */
static void
test_eviction_takes_events_whole(void **state)
{
	static const char *const users[] = {
		"alice", "bob", "carol", "dave", "erin"
	};
	struct template *t, *keep;
	char buf[256];
	uint64_t line = 0;
	size_t before;
	unsigned i;
	int created;

	for (i = 0; i < 5; i++) {
		snprintf(buf, sizeof buf, "session opened for user %s",
		    users[i]);
		see(buf, ++line);
	}
	see("delete blk_1 done", ++line);
	see("delete blk_1 blk_2 done", ++line);
	see("delete blk_1 blk_2 blk_3 done", ++line);
	before = drain_size(tree);
	/* Three siblings merged (the fourth word made the variable), a
	 * list template and its two variants. */
	assert_int_equal(before, 6);
	assert_int_equal(drain_count(tree), 4);
	/* Keep one flood template pinned however little it is worth. */
	keep = see("pinned line of its own", ++line);
	/* Longer than the half-life: the flood's singletons outweigh the
	 * events seen a few times at the start. */
	for (i = 0; i < 3000; i++) {
		words(buf, sizeof buf, 7000 + i, 5);
		t = learn(buf);
		t->count++;
		t->last_line = ++line;
		drain_evict(tree, (struct template *[]){ t, keep }, 2, NULL,
		    NULL);
		assert_true(drain_size(tree) <= 64);
	}
	assert_non_null(feed("pinned line of its own", 0, &created));
	assert_null(feed("session opened for user carol", 0, &created));
	assert_null(feed("delete blk_1 blk_2 done", 0, &created));
	assert_null(feed("delete blk_7 blk_8 blk_9 blk_10 done", 0,
	    &created));
	/* The tree learns them again from nothing. */
	t = learn("delete blk_1 blk_2 done");
	assert_int_equal(created = t->nvariants, 0);
	for (i = 0; i < drain_count(tree); i++) {
		t = drain_template(tree, i);
		assert_int_equal(t->doomed, 0);
		if (t->merged != NULL)
			assert_int_equal(t->merged->doomed, 0);
	}
}

/*
 * The keys the scans read beside each template follow it through every
 * way it changes: siblings joined, a name first, a list's variants, a
 * masked token, eviction, and a save and load.  A stale key makes a scan
 * pass by the template it should find.
 */
static void
test_keys_follow_templates(void **state)
{
	static const char *const users[] = {
		"alice", "bob", "carol", "dave", "erin", "frank"
	};
	static const char *const units[] = {
		"apt-daily.service", "logrotate.service", "man-db.service",
		"cron.service"
	};
	struct drain_params p = defaults();
	struct drain *loaded;
	struct sbuf b;
	struct sread r;
	char buf[256], *cause = NULL;
	uint64_t line = 0;
	unsigned i, k;

	drain_free(tree);
	p.max_templates = 200;
	tree = drain_new(&p);
	for (i = 0; i < 600; i++) {
		k = i % 6;
		snprintf(buf, sizeof buf, "session opened for user %s by %s",
		    users[k], users[(k + i / 6) % 6]);
		see(buf, ++line);
		snprintf(buf, sizeof buf, "%s: Deactivated successfully.",
		    units[i % 4]);
		see(buf, ++line);
		for (k = 0, buf[0] = '\0'; k < 1 + i % 5; k++)
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
			    "%sblk_%u", k ? " " : "delete ", i + k);
		strcat(buf, " done");
		see(buf, ++line);
		snprintf(buf, sizeof buf, "worker %s state %s",
		    i % 3 ? "idle" : "busy", users[i % 6]);
		see(buf, ++line);
		words(buf, sizeof buf, i, 3 + i % 4);
		see(buf, ++line);
		assert_true(drain_keys_ok(tree));
	}
	/* Evicted many times over: ids are not reused. */
	assert_true(drain_size(tree) <= p.max_templates);
	assert_true(drain_template(tree, drain_count(tree) - 1)->id >
	    2 * p.max_templates);

	sbuf_init(&b);
	drain_save(tree, &b);
	loaded = drain_new(&p);
	sread_init(&r, b.p, b.len);
	assert_int_equal(drain_load(loaded, &r, &cause), 0);
	assert_true(drain_keys_ok(loaded));
	drain_free(tree);
	tree = loaded;
	for (i = 0; i < 50; i++) {
		snprintf(buf, sizeof buf, "session closed for user %s",
		    users[i % 6]);
		see(buf, ++line);
		assert_true(drain_keys_ok(tree));
	}
	sbuf_free(&b);
}

/* Long lines are bounded by their bytes, not only their number. */
static void
test_eviction_by_bytes(void **state)
{
	struct drain_params p = defaults();
	struct template *t;
	char buf[4096];
	unsigned i, k;
	size_t at;

	drain_free(tree);
	p.max_templates = 100000;
	p.max_bytes = 64 << 10;
	tree = drain_new(&p);
	for (i = 0; i < 500; i++) {
		for (at = 0, k = 0; k < 40; k++) {
			words(buf + at, sizeof buf - at, i * 40 + k, 10);
			at += strlen(buf + at);
			buf[at++] = ' ';
		}
		buf[at - 1] = '\0';
		t = see(buf, i + 1);
		assert_non_null(t);
		assert_true(drain_bytes(tree) <= p.max_bytes);
	}
	/* Many more would have fit by number. */
	assert_true(drain_size(tree) < 100);
	assert_true(drain_size(tree) > 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same_shape_same_template,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_digits_make_variables,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_words_split_until_they_vary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_units, setup, teardown),
		cmocka_unit_test_setup_teardown(test_variables_keep_brackets,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_words_of_a_variable_elsewhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_first, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_states_stay_apart, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_settled_constants_resist,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_dissimilar_lines_split,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_variable_length_lists,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_values_of_variants, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_frozen_tree, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_max_children, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_values_at_variables, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_show_class, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_eviction_bound,
		    setup_bounded, teardown),
		cmocka_unit_test_setup_teardown(
		    test_eviction_takes_events_whole, setup_bounded,
		    teardown),
		cmocka_unit_test_setup_teardown(test_keys_follow_templates,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_eviction_by_bytes,
		    setup_bounded, teardown),
		cmocka_unit_test_setup_teardown(test_empty_message, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
