/* Unit tests for headcache.c: cached header answers are header_split()'s. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "headcache.h"

/* Lines of many headers, among them every form whose digits' values the
 * scanner reads, and lines that hold such forms in their messages. */
static const char *const lines[] = {
	"Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure",
	"Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 1.2.3.4",
	"2015-10-18 18:01:47,978 INFO [main] org.apache.Foo: Created MRAppMaster",
	"081109 203615 148 INFO dfs.DataNode$PacketResponder: block terminating",
	"123456 999999 items were processed in the last batch of the night",
	"03-17 16:13:38.811  1702  2395 E PowerManagerService: wake lock held",
	"03-17 things went well enough for the night shift to go home early",
	"E1127 01:02:04.000001    1234 pod_workers.go:1300] Error syncing pod",
	"I1345 worker started on the third node of the cluster after a wait",
	"<165>1 2003-10-11T22:14:15.003Z mymachine evntslog - ID47 - An event",
	"<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick",
	"<192>x y and some more text so that the line is long enough to keep",
	"[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error",
	"[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through",
	"20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579",
	"2026-11-20T08:00:01.980Z stdout F I1127 01:02:03.000001 1 x.go:1] hi",
	"1117838570 2005.06.03 R02-M1-N0-C:J12-U11 RAS KERNEL INFO generating",
	"2254 node-97 node status 1077804742 -1 running on 12-31 of the rack",
	"Jul  1 09:00:55 host kernel[0]: usb 1-1: new high-speed USB device",
};

static int
same_answer(const char *line, size_t len, struct headcache *hc)
{
	struct span c1 = { NULL, 0 }, c2 = { NULL, 0 };
	struct header h1, h2;
	int f1, f2;

	f1 = header_split(line, len, &c1, &h1);
	f2 = headcache_split(hc, line, len, &c2, &h2);
	return f1 == f2 && (!f1 || (c1.p == c2.p && c1.len == c2.len)) &&
	    h1.time.p == h2.time.p && h1.time.len == h2.time.len &&
	    h1.host.p == h2.host.p && h1.host.len == h2.host.len &&
	    h1.level.p == h2.level.p && h1.level.len == h2.level.len &&
	    h1.source.p == h2.source.p && h1.source.len == h2.source.len;
}

/* Each line, then the same with its digits turned by k, for k in 0..9, and
 * with one digit at a time turned: every answer the cache gives is the
 * scanner's. */
static void
test_digits_turned(void **state)
{
	struct headcache *hc = headcache_new();
	char buf[512];
	size_t i, j, len;
	int k;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		len = strlen(lines[i]);
		assert_true(len < sizeof buf);
		for (k = 0; k < 10; k++) {
			memcpy(buf, lines[i], len);
			for (j = 0; j < len; j++)
				if (buf[j] >= '0' && buf[j] <= '9')
					buf[j] = (char)('0' +
					    (buf[j] - '0' + k) % 10);
			assert_true(same_answer(buf, len, hc));
			assert_true(same_answer(buf, len, hc));
		}
		for (j = 0; j < len; j++) {
			if (lines[i][j] < '0' || lines[i][j] > '9')
				continue;
			for (k = 0; k < 10; k++) {
				memcpy(buf, lines[i], len);
				buf[j] = (char)('0' + k);
				assert_true(same_answer(buf, len, hc));
			}
		}
	}
	headcache_free(hc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_digits_turned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
