#!/usr/bin/awk -f
# Writes a synthetic log corpus for `make bench`: services that take turns
# in runs of 50 to 500 lines, each with its own templates, whose variable
# parts (numbers, addresses, ids, paths, durations) change on every line.
#
#     awk -v lines=2000000 -v templates=500 -v seed=1 -f corpus.awk
#
# The templates are made from the seed, so a corpus is the same on every
# machine and with every awk (the random numbers are a Park-Miller
# generator written out here).

function rnd(n) { seed = (seed * 16807) % 2147483647; return seed % n }
function pick(list,   a, k) { k = split(list, a, " "); return a[rnd(k) + 1] }

# A variable part of class c.
function value(c,   i, s) {
	if (c == 0) return rnd(100000)
	if (c == 1) return (1 + rnd(254)) "." rnd(256) "." rnd(256) "." (1 + rnd(254)) ":" (1024 + rnd(60000))
	if (c == 2) { s = ""; for (i = 0; i < 4; i++) s = s sprintf("%04x", rnd(65536)); return "req-" s }
	if (c == 3) return "/var/lib/app/" pick("cache data spool tmp") "/" rnd(1000) ".dat"
	if (c == 4) return rnd(5000) "ms"
	return pick("up down degraded") # a few values
}

BEGIN {
	if (lines == "") lines = 100000
	if (templates == "") templates = 500
	if (seed == "") seed = 1
	seed = seed * 7919 + 17
	split("accepted rejected opened closed started stopped received sent " \
	    "connection session request worker job queue cache disk block " \
	    "replica shard lease token user client server node volume " \
	    "timeout retry commit flush sync checkpoint batch message packet " \
	    "from to for with on in at by of after before during while " \
	    "failed succeeded pending scheduled expired renewed dropped", vocab, " ")
	nv = 0
	for (w in vocab) nv++
	services = int(templates / 25) + 1
	# Template t: 4 to 12 tokens, about one in three a variable.
	for (t = 0; t < templates; t++) {
		n = 4 + rnd(9)
		shape[t] = ""
		for (i = 0; i < n; i++) {
			if (i > 0 && rnd(3) == 0)
				tok = "\001" rnd(6)
			else
				tok = vocab[1 + rnd(nv)] (i == 0 ? t : "")
			shape[t] = shape[t] (i ? " " : "") tok
		}
	}
	out = 0
	while (out < lines) {
		svc = rnd(services)
		run = 50 + rnd(451)
		for (r = 0; r < run && out < lines; r++) {
			out++
			t = (svc * 25 + rnd(25)) % templates
			n = split(shape[t], part, " ")
			line = sprintf("2026-11-26T%02d:%02d:%02d.%03dZ svc%d ", rnd(24), rnd(60), rnd(60), rnd(1000), svc)
			for (i = 1; i <= n; i++) {
				tok = part[i]
				if (substr(tok, 1, 1) == "\001")
					tok = value(substr(tok, 2) + 0)
				line = line (i > 1 ? " " : "") tok
			}
			print line
		}
	}
}
