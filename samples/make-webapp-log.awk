#!/usr/bin/awk -f
# Writes samples/webapp.log: a deterministic, made-up log of a small web
# service (HTTP access, database, cache, auth, scheduler, workers) that
# runs normally for thousands of lines and has a few genuinely unusual
# moments: a refused database connection, an out-of-memory kill, a
# payment failure, a certificate warning.  Regenerate with
#     awk -f samples/make-webapp-log.awk > samples/webapp.log
# The random numbers come from a Park-Miller generator written out here,
# so every awk (mawk, gawk, busybox) prints the same file.

function rnd(n) { seed = (seed * 16807) % 2147483647; return seed % n }
function pick(list,   a, k) { k = split(list, a, " "); return a[rnd(k) + 1] }
function pad(n, w) { return sprintf("%0" w "d", n) }
function stamp(   s, m, h) {
	t += 1 + rnd(3)
	s = t % 60; m = int(t / 60) % 60; h = 8 + int(t / 3600)
	return "2026-11-20T" pad(h, 2) ":" pad(m, 2) ":" pad(s, 2) "." pad(rnd(1000), 3) "Z"
}
function emit(level, comp, msg) { printf "%s %-5s %s: %s\n", stamp(), level, comp, msg }

function normal_line(   r, u) {
	r = rnd(100)
	if (r < 30)
		emit("INFO", "http", "GET /api/items/" (1000 + rnd(9000)) " 200 " (2 + rnd(40)) "ms")
	else if (r < 40)
		emit("INFO", "http", "POST /api/orders 201 " (10 + rnd(90)) "ms")
	else if (r < 48)
		emit("INFO", "db", "query ok table=" pick("orders items users carts") " rows=" rnd(500) " took=" (1 + rnd(9)) "ms")
	else if (r < 54)
		emit("INFO", "cache", "hit ratio 0." (80 + rnd(19)) " over last " (1000 + rnd(500)) " lookups")
	else if (r < 60) {
		u = pick("alice bob carol dave erin frank grace heidi ivan judy mallory oscar peggy trent victor walter")
		emit("INFO", "auth", "user " u " logged in from 10.0." rnd(8) "." (2 + rnd(250)))
	} else if (r < 65) {
		u = pick("alice bob carol dave erin frank grace heidi ivan judy mallory oscar peggy trent victor walter")
		emit("INFO", "auth", "user " u " logged out after " (1 + rnd(120)) " minutes")
	} else if (r < 72)
		emit("DEBUG", "scheduler", "job " pick("reindex sweep-sessions rollup-hourly send-digest") " finished in " (5 + rnd(900)) " ms")
	else if (r < 82)
		emit("INFO", "worker-" (1 + rnd(4)), "processed batch " (50000 + NR + rnd(10)) " with " (1 + rnd(200)) " messages")
	else if (r < 85)
		emit("WARN", "db", "slow query on table " pick("orders items users") " took " (500 + rnd(1500)) "ms")
	else if (r < 92)
		emit("INFO", "health", "all " (12 + rnd(2)) " checks passing")
	else
		emit("INFO", "gc", "pause " (1 + rnd(30)) "ms heap " (300 + rnd(400)) "MB/1024MB")
}

BEGIN {
	seed = 20261120
	t = 0
	for (NR = 1; NR <= 6000; NR++) {
		if (NR == 2480)
			emit("WARN", "tls", "certificate for api.example.com expires in 3 days")
		else if (NR == 3710)
			emit("ERROR", "db", "connection to primary 10.0.3.7:5432 refused: too many clients already")
		else if (NR == 4625)
			emit("ERROR", "payment", "charge failed for order 88213: card declined by issuer")
		else if (NR == 5290)
			emit("CRIT", "kernel", "Out of memory: Killed process 4242 (java) total-vm:8123456kB, anon-rss:7012344kB")
		else
			normal_line()
	}
}
