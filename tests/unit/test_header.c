/* Unit tests for header.c: headers found without a format. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "header.h"

static struct span content;
static struct header h;

/* The message header_split() finds in line, or NULL for none. */
static const char *
message(const char *line)
{
	static char buf[4096];

	if (!header_split(line, strlen(line), &content, &h))
		return NULL;
	assert_true(content.len < sizeof buf);
	memcpy(buf, content.p, content.len);
	buf[content.len] = '\0';
	return buf;
}

static void
assert_field(struct span sp, const char *want)
{
	assert_non_null(sp.p);
	assert_int_equal(sp.len, strlen(want));
	assert_memory_equal(sp.p, want, sp.len);
}

static void
test_syslog(void **state)
{
	assert_string_equal(message("Jun 14 15:16:01 combo "
	    "sshd(pam_unix)[19939]: authentication failure; uid=0"),
	    "authentication failure; uid=0");
	assert_field(h.time, "Jun 14 15:16:01");
	assert_field(h.host, "combo");
	/* The source without its process id. */
	assert_field(h.source, "sshd(pam_unix)");
	assert_string_equal(message("Dec 10 06:55:46 LabSZ sshd[24200]: "
	    "Invalid user webmaster from 173.234.31.186"),
	    "Invalid user webmaster from 173.234.31.186");
	assert_string_equal(message("Jul  1 09:00:55 host-10-105 "
	    "kernel[0]: link up"), "link up");
	assert_field(h.source, "kernel");
	/* Brackets that hold more than digits stay. */
	assert_string_equal(message("Jul  1 09:00:55 host x[a1]: up"), "up");
	assert_field(h.source, "x[a1]");
	assert_string_equal(message("Jul  1 09:00:55 host [7]: up"), "up");
	assert_field(h.source, "[7]");
}

/* Every level word, in capitals after a stamp and in any case in
 * brackets, is the line's level; a word one letter off is not. */
static void
test_every_level_word(void **state)
{
	static const char *const words[] = {
		"TRACE", "DEBUG", "INFO", "NOTE", "NOTICE", "WARN", "WARNING",
		"ERROR", "ERR", "CRIT", "CRITICAL", "FATAL", "SEVERE", "ALERT",
		"EMERG", "EMERGENCY", "FINE", "FINER", "FINEST", "EROR", "DBUG",
		"TRCE", "TRC", "DBG", "INF", "WRN", "FTL"
	};
	char line[128], low[16];
	size_t i, k;

	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		snprintf(line, sizeof line, "2026-11-27 10:00:01 %s disk full",
		    words[i]);
		assert_string_equal(message(line), "disk full");
		assert_field(h.level, words[i]);
		for (k = 0; words[i][k] != '\0'; k++)
			low[k] = (char)(words[i][k] | 0x20);
		low[k] = '\0';
		snprintf(line, sizeof line, "2026-11-27 10:00:01 [%s] disk full",
		    low);
		assert_string_equal(message(line), "disk full");
		assert_field(h.level, low);
	}
	assert_string_equal(message("2026-11-27 10:00:01 EROS disk full"),
	    "EROS disk full");
	assert_null(h.level.p);
}

static void
test_levels_and_components(void **state)
{
	assert_string_equal(message("081109 203615 148 INFO "
	    "dfs.DataNode$PacketResponder: PacketResponder 1 for block"),
	    "PacketResponder 1 for block");
	assert_field(h.level, "INFO");
	assert_field(h.source, "dfs.DataNode$PacketResponder");
	/* Its two numbers are a date and a time, the third is not. */
	assert_field(h.time, "081109 203615");
	assert_string_equal(message("081109 203615 148 "
	    "dfs.DataNode$PacketResponder: PacketResponder 1 for block"),
	    "PacketResponder 1 for block");
	assert_field(h.time, "081109 203615");
	/* Numbers that cannot be a date and a time are the message. */
	assert_null(message("123456 999999 items were processed"));
	assert_string_equal(message("2015-10-18 18:01:47,978 INFO [main] "
	    "org.apache.hadoop.MRAppMaster: Created MRAppMaster"),
	    "Created MRAppMaster");
	assert_string_equal(message("2015-10-18 18:01:47,978 INFO "
	    "[RMCommunicator Allocator] org.apache.X: Ramping up"),
	    "Ramping up");
	assert_string_equal(message("17/06/09 20:10:40 INFO "
	    "executor.CoarseGrainedExecutorBackend: Registered signal"),
	    "Registered signal");
	/* "stamp - LEVEL [thread] - message". */
	assert_string_equal(message("2015-07-29 17:41:44,747 - INFO  "
	    "[QuorumPeer[myid=1]/0:0:0:2181:FastLeaderElection@774] - "
	    "Notification time out: 3200"), "Notification time out: 3200");
	assert_field(h.level, "INFO");
	/* A level in brackets; what follows it is the message. */
	assert_string_equal(message("[Sun Dec 04 04:47:44 2005] [error] "
	    "[client 1.2.3.4] Directory index forbidden by rule: /var/www"),
	    "[client 1.2.3.4] Directory index forbidden by rule: /var/www");
	assert_field(h.level, "error");
	assert_field(h.time, "[Sun Dec 04 04:47:44 2005]");
	/* A chain of groups, a level padded inside its brackets
	 * (Elasticsearch). */
	assert_string_equal(message("[2024-05-01T12:00:01,456][WARN ]"
	    "[o.e.c.r.a.DiskThresholdMonitor] [node-1] high disk watermark"),
	    "[o.e.c.r.a.DiskThresholdMonitor] [node-1] high disk watermark");
	assert_field(h.time, "[2024-05-01T12:00:01,456]");
	assert_non_null(h.level.p);
	assert_memory_equal(h.level.p, "WARN", 4);
	/* A dotted module and its bracketed context after the level. */
	assert_string_equal(message("nova-api.log.1 2017-05-16 "
	    "00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server "
	    "[req-3810 - - -] 10.11.10.1 \"GET /v2 HTTP/1.1\" status: 200"),
	    "10.11.10.1 \"GET /v2 HTTP/1.1\" status: 200");
	assert_field(h.source, "nova.osapi_compute.wsgi.server");
	assert_field(h.time, "2017-05-16 00:00:00.008");
	/* One context only: a bracketed group after it is the message's. */
	assert_string_equal(message("2017-05-16 00:00:31.092 2931 INFO "
	    "nova.compute.claims [req-6a76 113d 54fa - - -] [instance: "
	    "96abccce] Total memory: 64172 MB"),
	    "[instance: 96abccce] Total memory: 64172 MB");
	assert_field(h.source, "nova.compute.claims");
	/* Fields before the level. */
	assert_string_equal(message("1117838570 2005.06.03 R02-M1-N0-C:J12-U11 "
	    "2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO "
	    "instruction cache parity error corrected"),
	    "instruction cache parity error corrected");
	/* The component came before the level: a word and a colon after
	 * it is the message's, but a logger's name is still a source. */
	assert_string_equal(message("1117838570 2005.06.03 R02-M1-N0-C:J12-U11 "
	    "2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS APP FATAL "
	    "ciod: Error loading /bin/a: No such file or directory"),
	    "ciod: Error loading /bin/a: No such file or directory");
	assert_string_equal(message("2026-11-27 01:02:03 host7 RAS INFO "
	    "org.example.Server: started"), "started");
	assert_string_equal(message("2026-11-27 01:02:03 INFO ciod: started"),
	    "started");
	/* Android's logcat: month-day, time, pid, tid, a level of one
	 * letter and the tag. */
	assert_string_equal(message("03-17 16:13:38.811  1702  2395 E "
	    "WindowManager: failed to open app token"),
	    "failed to open app token");
	assert_field(h.level, "E");
	assert_field(h.source, "WindowManager");
	assert_non_null(h.time.p);
	assert_null(h.host.p);
	/* One letter is a level only right after a stamp and before a
	 * source. */
	assert_string_equal(message("2026-11-20T08:00:01Z a D ring: ok"),
	    "ok");
	assert_null(h.level.p);
	assert_field(h.host, "D");
	assert_string_equal(message("2026-11-20T08:00:01Z E disk full"),
	    "E disk full");
	assert_null(h.level.p);
	/* A month-day alone is no stamp. */
	assert_null(message("03-17 things went well"));
	/* glog and Kubernetes' klog: the level's letter on the date, the
	 * thread, the source's file and line. */
	assert_string_equal(message("E1127 01:02:04.000001    1234 "
	    "reflector.go:138] Failed to watch *v1.Pod"),
	    "Failed to watch *v1.Pod");
	assert_field(h.level, "E");
	assert_field(h.time, "1127 01:02:04.000001");
	assert_field(h.source, "reflector.go:138");
	assert_string_equal(message("I0501 12:00:00 started"), "started");
	assert_field(h.level, "I");
	assert_null(h.source.p);
	/* Not a date, or no time after it: not glog. */
	assert_null(message("I1345 worker started"));
	assert_null(message("E1127 worker started"));
	assert_null(message("E1127      "));
}

/*
 * What the header of a line must hold.  A field that is NULL is not
 * checked; "" must be absent.  A message that is NULL means the line has
 * no header at all.
 */
struct want {
	const char	*line, *message, *time, *host, *level, *source;
};

static void
assert_span(struct span sp, const char *want, const char *line)
{
	if (want == NULL)
		return;
	if (*want == '\0') {
		if (sp.p != NULL)
			fail_msg("%s: a field '%.*s' that should be absent",
			    line, (int)sp.len, sp.p);
		return;
	}
	if (sp.p == NULL || sp.len != strlen(want) ||
	    memcmp(sp.p, want, sp.len) != 0)
		fail_msg("%s: field '%.*s', want '%s'", line,
		    sp.p == NULL ? 6 : (int)sp.len, sp.p == NULL ? "(none)" :
		    sp.p, want);
}

static void
assert_wants(const struct want *w, size_t n)
{
	const char *got;
	size_t i;

	for (i = 0; i < n; i++, w++) {
		got = message(w->line);
		if (w->message == NULL) {
			if (got != NULL)
				fail_msg("%s: a header, want none", w->line);
			continue;
		}
		if (got == NULL || strcmp(got, w->message) != 0)
			fail_msg("%s: message '%s', want '%s'", w->line,
			    got == NULL ? "(no header)" : got, w->message);
		assert_span(h.time, w->time, w->line);
		assert_span(h.host, w->host, w->line);
		assert_span(h.level, w->level, w->line);
		assert_span(h.source, w->source, w->line);
	}
}

/* Headers of common servers and logging libraries. */
static void
test_common_formats(void **state)
{
	static const struct want w[] = {
	/* A twelve-hour clock's AM or PM is the stamp's (java.util.logging). */
	{ "Jan 31, 2024 11:59:58 PM org.apache.catalina.startup.Catalina start",
	    "org.apache.catalina.startup.Catalina start",
	    "Jan 31, 2024 11:59:58 PM", "", "", "" },
	/* Python's logging.basicConfig() default, and what it is not. */
	{ "WARNING:app.worker:started worker 4", "started worker 4", "", "",
	    "WARNING", "app.worker" },
	{ "HTTP:foo:bar baz", NULL, NULL, NULL, NULL, NULL },
	/* nginx's error log: the worker's pid#tid is no program. */
	{ "2026/11/27 00:00:06 [info] 53#53: *113920 client 92.208.19.105 "
	    "closed keepalive connection", "*113920 client 92.208.19.105 "
	    "closed keepalive connection", "2026/11/27 00:00:06", "", "info",
	    "" },
	/* Celery: stamp, level and source in one bracketed group. */
	{ "[2026-11-27 10:00:01,123: INFO/ForkPoolWorker-2] Task t[0b4c] "
	    "succeeded in 0.12s: None", "Task t[0b4c] succeeded in 0.12s: None",
	    "2026-11-27 10:00:01,123", "", "INFO", "ForkPoolWorker-2" },
	/* Kubernetes' container log (CRI): the wrapper, then the
	 * payload's own header, which gives level and source. */
	{ "2026-11-27T10:00:01.123456789Z stdout F 2026-11-27 10:00:01.123 "
	    " INFO 1 --- [main] c.e.shop.App : Started App in 3.2 s",
	    "Started App in 3.2 s", "2026-11-27T10:00:01.123456789Z", NULL,
	    "INFO", NULL },
	{ "2026-11-27T10:00:01.123456789Z stderr P Traceback (most recent "
	    "call last):", "Traceback (most recent call last):",
	    "2026-11-27T10:00:01.123456789Z", "", "", "" },
	{ "2026-11-27T10:00:01Z stdout F {\"level\":\"info\"}",
	    "{\"level\":\"info\"}", "2026-11-27T10:00:01Z", "", "", "" },
	/* klog inside syslog: the outer header, then the inner level. */
	{ "Feb  1 00:00:01 node1 kubelet[812]: E0201 00:00:01.123456     812 "
	    "pod_workers.go:1300] \"Error syncing pod\"",
	    "\"Error syncing pod\"", "Feb  1 00:00:01", "node1", "E",
	    "kubelet" },
	/* Epoch seconds with a fraction are a stamp, and a whole one:
	 * Squid's elapsed milliseconds and client after it are the
	 * message's, values to judge. */
	{ "1706745598.123    123 10.0.0.1 TCP_MISS/200 1234 GET http://x/ - "
	    "HIER_DIRECT/1.2.3.4 text/html", "123 10.0.0.1 TCP_MISS/200 1234 "
	    "GET http://x/ - HIER_DIRECT/1.2.3.4 text/html", "1706745598.123",
	    NULL, "", "" },
	/* A date after an epoch is the same instant again (Thunderbird). */
	{ "1131566461 2005.11.09 dn228 crond(pam_unix)[2915]: session closed",
	    "session closed", "1131566461 2005.11.09", "dn228", NULL,
	    "crond(pam_unix)" },
	/* zerolog's console writer: three capitals. */
	{ "2024-01-31T23:59:58Z WRN started worker 6", "started worker 6",
	    "2024-01-31T23:59:58Z", "", "WRN", "" },
	/* An outcome ending in ':' is a sentence's, not a program. */
	{ "2024-01-31 23:59:58 Backup failed: 3 files skipped",
	    "Backup failed: 3 files skipped", "2024-01-31 23:59:58", "", "",
	    "" },
	{ "Jan  1 10:00:00 ns1 named: client 1.2.3.4 query",
	    "client 1.2.3.4 query", "Jan  1 10:00:00", "ns1", "", "named" },
	{ "Feb  1 00:00:01 web1 haveged: haveged starting up",
	    "haveged starting up", "Feb  1 00:00:01", "web1", "", "haveged" },
	/* MySQL's levels are words in brackets, Note among them. */
	{ "2026-11-27T10:00:01.123456Z 8 [Note] [MY-010914] [Server] Aborted "
	    "connection 8", "[MY-010914] [Server] Aborted connection 8",
	    NULL, NULL, "Note", NULL },
	/* The kernel's time since boot, whatever its width: no clock time,
	 * but not the message's either. */
	{ "[   12.345678] usb 1-1: new high-speed USB device",
	    "usb 1-1: new high-speed USB device", "", NULL, NULL, NULL },
	{ "[12345.678901] usb 1-1: new high-speed USB device",
	    "usb 1-1: new high-speed USB device", "", NULL, NULL, NULL },
	/* journalctl -o short-monotonic: a host and a program after it,
	 * where the program is the kernel or has a pid; a driver and its
	 * device, as dmesg writes them, are no host and program. */
	{ "[    5.123456] web-1 kernel: usb 1-1: new device",
	    "usb 1-1: new device", "", "web-1", NULL, "kernel" },
	{ "[    7.323456] web-1 sshd[423]: Server listening on port 22.",
	    "Server listening on port 22.", "", "web-1", NULL, "sshd" },
	{ "[    3.200000] snd_hda_intel hdaudioC0D0: autoconfig",
	    "snd_hda_intel hdaudioC0D0: autoconfig", "", "", NULL, "" },
	{ "Nov 27 10:00:08 host kernel: [    5.000001] eth0: link up",
	    "eth0: link up", "Nov 27 10:00:08", "host", NULL, "kernel" },
	{ "<6>[    1.500000] hello", "hello", "", NULL, NULL, NULL },
	/* Not quite one: brackets that hold more, or a word stuck on. */
	{ "[12.5 s] done", NULL, NULL, NULL, NULL, NULL },
	/* Without a stamp, a level word late in a sentence or at its end
	 * is the sentence's; near the start it ends a header. */
	{ "replication lag check returned WARN", NULL, NULL, NULL, NULL,
	    NULL },
	{ "kernel panic on fire ERROR now", NULL, NULL, NULL, NULL, NULL },
	{ "worker ERROR failed to start", "failed to start", NULL, NULL,
	    "ERROR", NULL },
	{ "[1.2]x y", NULL, NULL, NULL, NULL, NULL },
	/* PostgreSQL: a level that ends in ':', after the stamp's zone. */
	{ "2026-11-27 01:02:03.123 UTC [1234] ERROR:  relation \"foo\" does "
	    "not exist", "relation \"foo\" does not exist", NULL, NULL,
	    "ERROR", NULL },
	/* PHP: the level in any case before its colon, a named month. */
	{ "[27-Nov-2026 01:02:03 UTC] PHP Warning:  Undefined variable $x",
	    "Undefined variable $x", "[27-Nov-2026 01:02:03 UTC]", NULL,
	    "Warning", NULL },
	/* Columns: a level in any case set off by a tab or spaces, and the
	 * column after it, set off the same way, is the source ... */
	{ "2026-11-27T01:02:03.123Z\tinfo\tserver/main.go:42\tlistening\t"
	    "{\"addr\": \":8080\"}", "listening\t{\"addr\": \":8080\"}",
	    NULL, NULL, "info", "server/main.go:42" },
	{ "2016-09-28 04:30:30, Info                  CBS    Loaded "
	    "Servicing Stack", "Loaded Servicing Stack", NULL, NULL, "Info",
	    "CBS" },
	/* ... not a word that one space ends, nor after a level that one
	 * space ends ... */
	{ "2026-11-27 01:02:03 WARN  Disk low  again", "Disk low  again",
	    NULL, NULL, "WARN", "" },
	{ "2026-11-27 01:02:03 INFO Disk  low", "Disk  low", NULL, NULL,
	    "INFO", "" },
	/* ... and no level in the message after one space. */
	{ "2026-11-27T01:02:03Z info is here", "info is here", NULL, NULL,
	    "", NULL },
	/* Python's logging: "stamp - name - LEVEL - message". */
	{ "2026-11-27 01:02:03,123 - app.db - ERROR - connection refused",
	    "connection refused", NULL, NULL, "ERROR", "app.db" },
	/* Ruby's Logger: the stamp in a bracketed field, "-- prog:". */
	{ "E, [2026-11-27T01:02:03.123456 #1234] ERROR -- web: boom", "boom",
	    "2026-11-27T01:02:03.123456", NULL, "ERROR", "web" },
	{ "I, [2026-11-27T01:02:03.123456 #1234]  INFO -- : Started GET",
	    "Started GET", NULL, NULL, NULL, "" },
	/* Spring Boot: pid, "---", threads, the logger and " : ". */
	{ "2026-11-27 01:02:03.123  INFO 1234 --- [app] [           main] "
	    "o.s.b.w.Tomcat  : Tomcat started", "Tomcat started", NULL, NULL,
	    NULL, "o.s.b.w.Tomcat" },
	/* Apache 2.4: "[module:level]". */
	{ "[Fri Nov 27 01:02:03.123456 2026] [core:error] [pid 1234] "
	    "AH00126: Invalid URI", "Invalid URI", NULL, NULL, "error",
	    NULL },
	/* Access logs: the client, ident, user and time are the header,
	 * also after Apache's virtual host (vhost_combined). */
	{ "1.2.3.4 - - [27/Nov/2026:01:02:03 +0000] \"GET / HTTP/1.1\" 200 5",
	    "\"GET / HTTP/1.1\" 200 5",
	    "27/Nov/2026:01:02:03 +0000", "1.2.3.4", NULL, NULL },
	{ "www.example.com:443 2001:db8::7 - alice [27/Nov/2026:01:02:03 "
	    "+0000] \"POST /login HTTP/2.0\" 302 0 \"-\" \"curl/8.5.0\"",
	    "\"POST /login HTTP/2.0\" 302 0 \"-\" \"curl/8.5.0\"",
	    "27/Nov/2026:01:02:03 +0000", "2001:db8::7", NULL, NULL },
	/* Without the time in brackets, a " - " ends the fields as ever. */
	{ "www1 10.0.0.1 - alice [main] \"x\" said hello",
	    "alice [main] \"x\" said hello", NULL, NULL, NULL, "10.0.0.1" },
	/* Redis: pid and role, the stamp, the level as a mark. */
	{ "1234:M 27 Nov 2026 01:02:03.123 # Error accepting a client "
	    "connection", "Error accepting a client connection",
	    "27 Nov 2026 01:02:03.123", NULL, "#", "M" },
	{ "1234:S 27 Nov 2026 01:02:03.123 x y", "x y", NULL, NULL, "",
	    NULL },
	/* MongoDB: the level's letter, the component, the context. */
	{ "2026-11-27T01:02:03.123+0000 I NETWORK  [conn12] end connection "
	    "10.0.0.1:1234", "end connection 10.0.0.1:1234", NULL, NULL, "I",
	    "NETWORK" },
	{ "2026-11-27T01:02:03.123+0000 W -        [main] low disk",
	    "low disk", NULL, NULL, "W", "" },
	/* A stamp after the level: go-ethereum's in brackets, Cassandra's
	 * after the thread; a logger or file:line before " - " is the
	 * source (log4j's "%c - %m") ... */
	{ "INFO [11-27|01:02:03.456] Imported new chain segment  blocks=1",
	    "Imported new chain segment  blocks=1", "11-27|01:02:03.456",
	    NULL, "INFO", NULL },
	{ "INFO  [main] 2026-11-27 01:02:03,123 CassandraDaemon.java:123 - "
	    "Startup complete", "Startup complete", "2026-11-27 01:02:03,123",
	    NULL, "INFO", "CassandraDaemon.java:123" },
	{ "2026-11-27 01:02:03,123 ERROR [main] com.example.Foo - connection "
	    "refused", "connection refused", NULL, NULL, "ERROR",
	    "com.example.Foo" },
	/* ... but not a number after the level, nor a plain word. */
	{ "ERROR [x] 42 items - lost", "[x] 42 items - lost", "", NULL,
	    "ERROR", NULL },
	{ "2026-11-27 01:02:03 ERROR disk - full", "disk - full", NULL, NULL,
	    "ERROR", "" },
	/* logfmt: leading pairs of a time key (with a stamp) or a level
	 * key, in any order ... */
	{ "time=\"2026-11-27T01:02:03Z\" level=error msg=\"failed to pull\" "
	    "image=nginx", "msg=\"failed to pull\" image=nginx",
	    "2026-11-27T01:02:03Z", NULL, "error", NULL },
	{ "level=info ts=2026-11-27T01:02:03.1Z caller=main.go:42 "
	    "msg=started", "caller=main.go:42 msg=started", NULL, NULL,
	    "info", NULL },
	{ "t=2026-11-27T01:02:03+0000 lvl=eror msg=x", "msg=x", NULL, NULL,
	    "eror", NULL },
	/* ... after other pairs too, as Grafana writes them, if a time is
	 * among them ... */
	{ "logger=context userId=0 orgId=1 uname=alice "
	    "t=2026-11-27T00:00:12.118968700Z level=info msg=\"Request "
	    "Completed\" method=GET", "msg=\"Request Completed\" method=GET",
	    "2026-11-27T00:00:12.118968700Z", NULL, "info", NULL },
	{ "login=alice level=admin granted", NULL, NULL, NULL, NULL, NULL },
	/* ... but not a time key whose value is no stamp, nor an empty
	 * level. */
	{ "time=5 units left", NULL, NULL, NULL, NULL, NULL },
	{ "level= x", NULL, NULL, NULL, NULL, NULL },
	/* macOS: the program with its pid, then a parenthesised subject. */
	{ "Jul  1 09:01:05 calvisitor-10 com.apple.xpc.launchd[1] "
	    "(com.apple.xpc.launchd.domain.pid.WebContent.35563): Service "
	    "exited", "Service exited", NULL, "calvisitor-10", NULL,
	    "com.apple.xpc.launchd" },
	/* JSON after a stamp is no source. */
	{ "2026-11-27T01:02:03Z done {\"a\": 1}", "done {\"a\": 1}", NULL,
	    NULL, NULL, "" },
	};

	assert_wants(w, sizeof w / sizeof w[0]);
}

/* A syslog priority: RFC 5424 fields, or RFC 3164 after it. */
static void
test_priority(void **state)
{
	assert_string_equal(message("<165>1 2003-10-11T22:14:15.003Z "
	    "mymachine.example.com evntslog - ID47 [exampleSDID@32473 "
	    "iut=\"3\" eventSource=\"App\"] \xef\xbb\xbf" "An event"),
	    "An event");
	assert_field(h.time, "2003-10-11T22:14:15.003Z");
	assert_field(h.host, "mymachine.example.com");
	assert_field(h.source, "evntslog");
	assert_field(h.level, "<165>");
	assert_string_equal(message("<11>1 - - - - - - disk full"),
	    "disk full");
	assert_null(h.time.p);
	assert_null(h.host.p);
	assert_field(h.level, "<11>");
	assert_string_equal(message("<34>Oct 11 22:14:15 mymachine su: "
	    "'su root' failed"), "'su root' failed");
	assert_field(h.host, "mymachine");
	assert_field(h.source, "su");
	assert_field(h.level, "<34>");
	/* The kernel's "<6>" before a message with no header. */
	assert_string_equal(message("<6>usb 1-1: new device"),
	    "usb 1-1: new device");
	assert_field(h.level, "<6>");
	/* A level the header names wins over the priority. */
	assert_string_equal(message("<14>2026-11-27T01:02:03Z ERROR boom"),
	    "boom");
	assert_field(h.level, "ERROR");
	/* Not a priority. */
	assert_null(message("<192>x y"));
	assert_null(message("<html> page"));
	assert_null(message("<12 items"));
}

static void
test_separators_and_stamps(void **state)
{
	assert_string_equal(message("[10.30 16:49:06] chrome.exe - "
	    "proxy.cse.cuhk.edu.hk:5070 open through proxy"),
	    "proxy.cse.cuhk.edu.hk:5070 open through proxy");
	assert_string_equal(message("[10.30 16:49:07] chrome.exe *64 - "
	    "close, 0 bytes sent"), "close, 0 bytes sent");
	/* Far into the line a lone '-' is an empty value: an access log's
	 * 304 has no size. */
	assert_string_equal(message("10.0.0.2 - - [27/Nov/2026:10:00:07 "
	    "+0000] \"GET /y HTTP/1.1\" 304 - \"-\" \"curl/7.81.0\""),
	    "\"GET /y HTTP/1.1\" 304 - \"-\" \"curl/7.81.0\"");
	/* A stamp after the fields ends the header, with its flags. */
	assert_string_equal(message("134681 node-246 unix.hw "
	    "state_change.unavailable 1077804742 1 Component State Change: "
	    "Component is unavailable"),
	    "Component State Change: Component is unavailable");
	assert_field(h.time, "1077804742");
	assert_string_equal(message("2254 node-97 node status 1077804742 -1 "
	    "running"), "running");
	/* Fields joined by '|'. */
	assert_string_equal(message("20171223-22:15:29:606|Step_LSC|30002312|"
	    "onStandStepChanged 3579"), "onStandStepChanged 3579");
	/* The source is the component, without the process id after it. */
	assert_field(h.source, "Step_LSC");
	assert_string_equal(message("20171223-22:15:29:606|Step_LSC|"
	    "onStandStepChanged 3579"), "onStandStepChanged 3579");
	assert_field(h.source, "Step_LSC");
	/* HealthApp drops leading zeros: "22:16:0:19" is still a stamp. */
	assert_string_equal(message("20171223-22:16:0:19|Step_LSC|30002312|"
	    "onExtend:1514038560000 1 0 4"), "onExtend:1514038560000 1 0 4");
	assert_field(h.source, "Step_LSC");
	/* Three plain words before a colon are a sentence, not fields. */
	assert_string_equal(message("2015-10-18 18:01:47 user alice logged "
	    "in: ok"), "user alice logged in: ok");
	/* Only a stamp. */
	assert_string_equal(message("2026-11-20T08:00:01.980Z something "
	    "happened here"), "something happened here");
	/* After a stamp of its own, a date among the words is the
	 * message's: it does not make what comes before it a header. */
	assert_string_equal(message("2026-11-27T01:00:00Z req api_be/api2 "
	    "0/1/23 200 done"), "req api_be/api2 0/1/23 200 done");
	assert_field(h.time, "2026-11-27T01:00:00Z");
}

static void
test_no_header(void **state)
{
	/* No date or time, no level: parsed whole. */
	assert_null(message("12 items processed in batch"));
	assert_null(message("PacketResponder: terminating"));
	assert_null(message("ERROR: disk full"));
	assert_null(message("connection refused by peer"));
	assert_null(message(""));
	assert_null(message("   "));
	/* A level word in a sentence is no level. */
	assert_null(message("an error occurred while reading"));
}

static void
test_edges(void **state)
{
	/* A header and nothing after it: an empty message. */
	assert_string_equal(message("2015-10-18 18:01:47,978 INFO"), "");
	/* An unclosed bracket is an ordinary token. */
	assert_string_equal(message("Jun 14 15:16:01 [broken sshd: hi"),
	    "hi");
	/* Only the first bytes are looked at. */
	{
		char big[2048];

		memset(big, 'x', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		memcpy(big, "2015-10-18 18:01:47 ", 20);
		assert_non_null(message(big));
		assert_int_equal(content.len, sizeof big - 1 - 20);
	}
}

/* The forms are found where the scanner reads values, and not in the
 * forms it tells by shape alone. */
static void
test_forms(void **state)
{
	struct header_forms hf;
	const char *a;
	static const struct {
		const char	*line;
		unsigned	 n;
		int		 kind;
	} cases[] = {
		{ "<34>Oct 11 22:14:15 host su: x", 1, HEADER_FORM_PRIORITY },
		{ "I1127 01:02:03.000001 1 x.go:1] hi", 1, HEADER_FORM_GLOG },
		{ "03-17 16:13:38.811 1 2 E x: y", 1, HEADER_FORM_MONTH_DAY },
		{ "081109 203615 148 INFO x: y", 1, HEADER_FORM_YYMMDD },
		{ "2015-10-18 18:01:47,978 INFO x: y", 0, 0 },
		{ "Dec 10 06:55:46 LabSZ sshd[24200]: hi", 0, 0 },
		{ "1117838570 2005.06.03 R02-M1-N0-C:J12-U11", 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_true(header_forms(cases[i].line, strlen(cases[i].line),
		    &hf));
		assert_int_equal(hf.n, cases[i].n);
		if (hf.n > 0)
			assert_int_equal(hf.kind[0], cases[i].kind);
	}
	/* Lines of too many forms are scanned every time. */
	a = "1-2 3-4 5-6 7-8 9-1 2-3 4-5 6-7 8-9 and more";
	assert_false(header_forms(a, strlen(a), &hf));
}

/* The values a form reads as: a month of 13 is no month. */
static void
test_form_values(void **state)
{
	struct header_forms hf;
	const char *a = "03-17 16:13:38.811 1 2 E x: y";
	const char *b = "13-17 16:13:38.811 1 2 E x: y";
	const char *c = "04-18 16:13:38.811 1 2 E x: y";

	assert_true(header_forms(a, strlen(a), &hf));
	assert_int_not_equal(header_form_values(a, strlen(a), &hf),
	    header_form_values(b, strlen(b), &hf));
	assert_int_equal(header_form_values(a, strlen(a), &hf),
	    header_form_values(c, strlen(c), &hf));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syslog),
		cmocka_unit_test(test_every_level_word),
		cmocka_unit_test(test_levels_and_components),
		cmocka_unit_test(test_common_formats),
		cmocka_unit_test(test_priority),
		cmocka_unit_test(test_separators_and_stamps),
		cmocka_unit_test(test_no_header),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_form_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
