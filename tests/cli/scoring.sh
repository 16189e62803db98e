# Scoring from the command line: --explain in both formats, records of
# their own (burst-end, held), windows, rationing options.
. "$TOP_SRCDIR/tests/lib.sh"

awk 'BEGIN { for (i = 1; i <= 3000; i++) {
	if (i % 3 == 0)
		printf "link eth%d state %s\n", i % 2, (i % 9 < 3 ? "up" : i % 9 < 6 ? "down" : "degraded")
	else
		printf "served request %d in %d ms\n", i, 1 + i % 7 }
	print "link eth1 state flapping"
	print "served request 9 in 3000 ms"
	print "disk controller reset on bus seven" }' >"$tmp/log"

# The worked example of the man page, exactly.
run 0 "$AIOPSFILTER" --explain "$tmp/log"
cat >"$tmp/want" <<'OUT'
12.6 value 2 [p=1.7e-04, value flapping at <*> #2, 3 values in 1000 seen] link eth1 state flapping
18.0 value 1 [p=3.9e-06, number 3000 at <*> #2, 2000 seen] served request 9 in 3000 ms
43.9 new 5 [p=6.2e-14, 6 unseen words] disk controller reset on bus seven
OUT
cmp -s "$tmp/out" "$tmp/want" || { diff "$tmp/want" "$tmp/out" >&2; fail "--explain text differs from the man page example"; }

run 0 "$AIOPSFILTER" --explain -o json "$tmp/log"
json_check "$tmp/out"
python3 - "$tmp/out" <<'PY' || fail "bad JSON evidence"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert [x['kind'] for x in r] == ['value', 'value', 'new'], r
e = r[0]['evidence']
assert e['value'] == 'flapping' and e['variable'] == 2 and e['distinct'] == 3, e
assert e['seen'] == 1000 and not e['outlier'] and abs(e['p'] - 1.7e-4) < 1e-5, e
e = r[1]['evidence']
assert e['value'] == '3000' and e['variable'] == 2 and e['outlier'], e
assert r[2]['evidence']['unseen_words'] == 6
PY

# A burst: told once, then a burst-end record with its numbers.
awk 'BEGIN { for (i = 1; i <= 6000; i++) {
	printf "worker %d picked job %d\n", i % 4, 1000 + i
	if (i % 500 == 250) print "replica lagging behind primary" }
	for (i = 0; i < 40; i++) print "replica lagging behind primary"
	for (i = 0; i < 3000; i++) printf "worker %d picked job %d\n", i % 4, 9000 + i }' >"$tmp/burst"
run 0 "$AIOPSFILTER" -o json "$tmp/burst"
json_check "$tmp/out"
python3 - "$tmp/out" <<'PY' || fail "bad burst records"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
kinds = [x['kind'] for x in r]
assert kinds.count('burst') == 1, kinds
end = [x for x in r if x['kind'] == 'burst-end']
assert len(end) == 1, kinds
e = end[0]
assert e['template'] == 'replica lagging behind primary', e
assert 38 <= e['count'] <= 41 and e['expected'] < 3 and e['unit'] == 'lines', e
assert e['first_line'] <= e['last_line'] and e['line'] == e['last_line'], e
PY
# Its score is the peak of its lines' scores, the same whether or not
# every line's score is printed (-a): a line past the peak so far is
# scored exactly either way.
grep burst-end "$tmp/out" >"$tmp/end"
run 0 "$AIOPSFILTER" -a -o json "$tmp/burst"
grep burst-end "$tmp/out" | cmp -s - "$tmp/end" ||
    fail "burst-end differs with -a: $(grep burst-end "$tmp/out") vs $(cat "$tmp/end")"
run 0 "$AIOPSFILTER" "$tmp/burst"
grep -q '^[0-9.]* burst-end [0-9]* [0-9]* lines in [0-9]* lines ([0-9.]* expected), lines [0-9]*-[0-9]*: replica lagging behind primary$' "$tmp/out" ||
    fail "bad burst-end text: $(grep burst-end "$tmp/out")"

# A burst's lines not printed say why: their burst was told.
run 0 "$AIOPSFILTER" -a --explain --repeat=0 "$tmp/burst"
grep -q '^[0-9.]* burst 2 \[p=[0-9.e-]*, [0-9]* in window, [0-9.]* expected, in its burst, not printed\] replica' "$tmp/out" ||
    fail "a burst's later lines do not say why they are not printed"

# A long burst's expected count is the usual rate over its whole length:
# one line in 125 is usual, here one in 12 for 4000 lines.
awk 'BEGIN { for (i = 1; i <= 20000; i++) line(i, 125)
	for (i = 1; i <= 4000; i++) line(i, 12)
	for (i = 1; i <= 3000; i++) line(i, 125) }
	function line(i, every) {
		if (i % every == every - 1) print "replica lagging behind primary"
		else printf "worker %d picked job %d\n", i % 4, 100000 + i }' >"$tmp/longburst"
run 0 "$AIOPSFILTER" -o json "$tmp/longburst"
python3 - "$tmp/out" <<'PY' || fail "a long burst's expected count is not its length's"
import json, sys
e = [x for x in map(json.loads, open(sys.argv[1])) if x['kind'] == 'burst-end']
assert len(e) == 1 and e[0]['duration'] > 3000, e
usual = e[0]['duration'] / 125
assert usual / 2 < e[0]['expected'] < usual * 2, e
PY

# --all scores every line, and the burst's lines keep high scores.
run 0 "$AIOPSFILTER" --all -o json "$tmp/burst"
python3 - "$tmp/out" <<'PY' || fail "burst lines lost their scores under --all"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
burst = [x for x in r if x.get('text') == 'replica lagging behind primary' and x['kind'] == 'burst']
assert len(burst) >= 30, len(burst)
assert sum(1 for x in burst if x['flagged']) == 1
PY

# --max-alerts holds findings back and says so.  (The alarms come apart:
# a run of new shapes in a row is an episode, whose later lines say less.)
awk 'BEGIN { for (i = 1; i <= 3000; i++) printf "worker %d picked job %d\n", i % 4, i
	for (i = 0; i < 6; i++) {
		for (k = 0; k < 60; k++) printf "worker %d picked job %d\n", k % 4, 9000 + 60 * i + k
		printf "alarm%c%c zone%c%c tripped\n", 97 + i, 98 + i, 99 + i, 100 + i
	}
	for (i = 3001; i < 4500; i++) printf "worker %d picked job %d\n", i % 4, i }' >"$tmp/many"
run 0 "$AIOPSFILTER" --max-alerts=2 "$tmp/many"
[ "$(grep -c ' new ' "$tmp/out")" = 2 ] || fail "--max-alerts=2 printed $(grep -c ' new ' "$tmp/out") findings"
contains "$tmp/out" "- held - 4 findings held back in this window (4 new)"
# logfmt has the held counts by kind as JSON has them: "held.new=4".
run 0 "$AIOPSFILTER" --max-alerts=2 -o logfmt "$tmp/many"
grep -q '^line=[0-9]* score=0.00 kind=held count=4 held.new=4 unit=lines$' "$tmp/out" ||
    fail "logfmt held record: $(grep held "$tmp/out")"
run 0 "$AIOPSFILTER" --max-alerts=0 "$tmp/many"
[ "$(grep -c ' new ' "$tmp/out")" = 6 ] || fail "--max-alerts=0 held findings back"
run 0 "$AIOPSFILTER" --max-alerts=2 -o json "$tmp/many"
json_check "$tmp/out"
contains "$tmp/out" '"kind":"held","template_id":null,"template":null,"count":4,"held":{"new":4},"unit":"lines"}'
# With -a nothing is held back.
run 0 "$AIOPSFILTER" -a --max-alerts=2 -o json "$tmp/many"
[ "$(grep -c '"flagged":true' "$tmp/out")" = 6 ] || fail "-a held findings back"
grep -q '"kind":"held"' "$tmp/out" && fail "-a printed a held record"
# Records of their own sum up what may span files: no file name or line
# number before them.
run 0 "$AIOPSFILTER" -H -n --max-alerts=2 "$tmp/many"
grep -q "^$tmp/many:[0-9]*:[0-9.]* new " "$tmp/out" || fail "-H -n: no prefix on a finding"
grep -q '^- held - 4 findings held back' "$tmp/out" ||
    fail "-H -n: held record prefixed: $(grep held "$tmp/out")"
run 0 "$AIOPSFILTER" -H -n "$tmp/burst"
grep -q '^[0-9.]* burst-end ' "$tmp/out" ||
    fail "-H -n: burst-end prefixed: $(grep burst-end "$tmp/out")"

# --repeat: once per span, or every time with 0.
awk 'BEGIN { for (i = 1; i <= 3000; i++) printf "served request %d in %d ms\n", i, 1 + i % 7
	print "served request 1 in 5000 ms"; print "served request 2 in 6000 ms" }' >"$tmp/rep"
run 0 "$AIOPSFILTER" "$tmp/rep"
[ "$(lines "$tmp/out")" = 1 ] || fail "a repeated finding was printed again"
run 0 "$AIOPSFILTER" -a --explain "$tmp/rep"
tail -1 "$tmp/out" | grep -q ', repeat not printed\] served request 2 in 6000 ms$' ||
    fail "a repeated finding does not say why it is not printed: $(tail -1 "$tmp/out")"
run 0 "$AIOPSFILTER" --window=1000l --repeat=0 "$tmp/rep"
[ "$(lines "$tmp/out")" = 2 ] || fail "--repeat=0 did not print every finding"
run 0 "$AIOPSFILTER" --window=1000l --repeat=0l "$tmp/rep"
[ "$(lines "$tmp/out")" = 2 ] || fail "--repeat=0l is not --repeat=0"
run 0 "$AIOPSFILTER" --window=5m --repeat=0s "$tmp/rep"
[ "$(lines "$tmp/out")" = 2 ] || fail "--repeat=0s is not --repeat=0"

# Spans: bad ones are usage errors.
run 2 "$AIOPSFILTER" --window=5x "$tmp/log"
contains "$tmp/err" "aiopsfilter: --window: invalid value '5x'"
run 2 "$AIOPSFILTER" --window=0 "$tmp/log"
contains "$tmp/err" "aiopsfilter: --window: '0' is too small (more than 0)"
run 2 "$AIOPSFILTER" --window=2e12l "$tmp/log"
contains "$tmp/err" "aiopsfilter: --window: '2e12l' is too large (at most 1e12)"
# --repeat counts what the window counts: lines, unless --window is a
# time.
run 2 "$AIOPSFILTER" --repeat=1m "$tmp/log"
contains "$tmp/err" "--repeat: give it in the unit of --window"
run 2 "$AIOPSFILTER" --window=5m --repeat=10l "$tmp/log"
contains "$tmp/err" "--repeat: give it in the unit of --window"
run 0 "$AIOPSFILTER" --repeat=10l "$tmp/log"
run 0 "$AIOPSFILTER" --window=5m --horizon=1d --repeat=1m "$tmp/log"
# ... a log without stamps, that is: read from a file, the clock makes it
# one instant, which is said once (not for a pipe, whose clock is live).
for j in 1 2; do
	run 0 "$AIOPSFILTER" -j$j --window=5m "$tmp/log" "$tmp/log"
	[ "$(cat "$tmp/err")" = "aiopsfilter: $tmp/log: no time stamps (1000 lines read): the --window in time runs by the clock, as if the whole file came at once" ] ||
	    fail "-j$j: a time window on a file without stamps: $(cat "$tmp/err")"
done
run 0 "$AIOPSFILTER" --window=5m <"$tmp/log"
[ -s "$tmp/err" ] || fail "no warning for standard input that is a file"
cat "$tmp/log" | "$AIOPSFILTER" --window=5m >/dev/null 2>"$tmp/err"
[ -s "$tmp/err" ] && fail "a time window on a pipe warned: $(cat "$tmp/err")"
run 0 "$AIOPSFILTER" "$tmp/log"
[ -s "$tmp/err" ] && fail "a window of lines warned: $(cat "$tmp/err")"
run 0 "$AIOPSFILTER" --window=200l --horizon=50000l --silence "$tmp/log"

# Event time from the header: windows of log time, silence in JSON.
awk 'BEGIN { t = 1700000000
	for (i = 0; i < 8640; i++) { printf "%d heartbeat from node %d ok\n", t + 10 * i, i % 2
		if (i % 5 == 0) printf "%d served request %d\n", t + 10 * i, i }
	for (i = 0; i < 600; i++) printf "%d served request %d\n", t + 86400 + 10 * i, i }' >"$tmp/beat"
run 0 "$AIOPSFILTER" -o json --silence --window=1m -f '<Time> <Content>' "$tmp/beat"
python3 - "$tmp/out" <<'PY' || fail "no silence record"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
s = [x for x in r if x['kind'] == 'silence']
assert len(s) == 1, r
assert 'heartbeat' in s[0]['template'] and s[0]['unit'] == 'seconds', s
assert 9 <= s[0]['gap'] <= 11, s
assert len(r) == 1, r	# the silence alone makes the status 0
PY
run 1 "$AIOPSFILTER" --window=1m -f '<Time> <Content>' "$tmp/beat"

# An error status that was one request in 400 is one in three, the
# requests as many as before: told once a window, as a value with its
# count of late, in text and JSON; a run that stops and goes on from its
# state tells the same as one run.
awk 'BEGIN { for (i = 0; i < 12000; i++) {
	s = (i >= 9000 && i < 9300) ? (i % 3 == 0 ? 500 : 200) : (i % 400 == 17 ? 500 : 200)
	printf "10.0.0.%d GET /api/item/%d %d %d\n", i % 7, i % 97, s, 300 + i % 50 } }' >"$tmp/storm"
run 0 "$AIOPSFILTER" --explain "$tmp/storm"
[ "$(lines "$tmp/out")" = 1 ] || fail "storm told $(lines "$tmp/out") times: $(cat "$tmp/out")"
grep -Eq '^[0-9.]+ value [0-9]+ \[p=[^,]*, value 500 at <\*> #[0-9]+, 2 values in [0-9]+ seen, [0-9]+ of late, 0\.[0-9]+ expected\] 10\.0\.0\.[0-9] GET /api/item/[0-9]+ 500 ' "$tmp/out" ||
    fail "storm not told as a value of late: $(cat "$tmp/out")"
n=$(sed 's/^[^]]*] //' "$tmp/out" | grep -n -F -x -f - "$tmp/storm" | cut -d: -f1)
[ "$n" -gt 9000 ] && [ "$n" -le 9040 ] || fail "storm told at line $n"
run 0 "$AIOPSFILTER" --explain -o json "$tmp/storm"
python3 - "$tmp/out" <<'PY' || fail "bad storm evidence"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert len(r) == 1 and r[0]['kind'] == 'value', r
e = r[0]['evidence']
assert e['value'] == '500' and not e['outlier'] and e['share'] is True, e
assert e['window_count'] >= 3 and e['expected'] < 0.5, e
PY
run 0 "$AIOPSFILTER" --all -o json "$tmp/storm"
sed 's/"line":[0-9]*,"file":"[^"]*","file_line":[0-9]*,//' "$tmp/out" >"$tmp/whole"
head -n 9010 "$tmp/storm" >"$tmp/storm1"
tail -n +9011 "$tmp/storm" >"$tmp/storm2"
"$AIOPSFILTER" --all -o json -s "$tmp/storm.state" "$tmp/storm1" >"$tmp/out" 2>"$tmp/err"
"$AIOPSFILTER" --all -o json -s "$tmp/storm.state" "$tmp/storm2" >>"$tmp/out" 2>>"$tmp/err"
sed 's/"line":[0-9]*,"file":"[^"]*","file_line":[0-9]*,//' "$tmp/out" >"$tmp/split"
cmp -s "$tmp/whole" "$tmp/split" || fail "a storm across a state scores otherwise"
run 0 "$AIOPSFILTER" --explain -o logfmt "$tmp/storm"
grep -Eq ' value=500 variable=[0-9]+ seen=[0-9]+ distinct=2 outlier=false share=true total=[0-9.]+ window_count=[0-9.]+ expected=0\.[0-9]+' "$tmp/out" ||
    fail "no share in logfmt: $(cat "$tmp/out")"

# A value of a shape never seen there: "null" where a latency always
# was is one finding, told so in all three formats, and the shapes are
# kept across a state.
awk 'BEGIN { for (i = 0; i < 3000; i++)
	printf "request %05x served in %d ms by worker%d\n", i, 1 + (i * 37) % 400, 1 + i % 3
	print "request 0bb9 served in null ms by worker2"
	for (i = 0; i < 5; i++)
		printf "request %05x served in %d ms by worker1\n", 4000 + i, 1 + i * 50
	print "request 0bc9 served in null ms by worker2" }' >"$tmp/shape"
run 0 "$AIOPSFILTER" --explain "$tmp/shape"
[ "$(lines "$tmp/out")" = 1 ] || fail "a new shape: not one finding: $(cat "$tmp/out")"
contains "$tmp/out" "value null at <*> #2, 3000 seen, a new shape] request 0bb9"
run 0 "$AIOPSFILTER" --explain -o json "$tmp/shape"
contains "$tmp/out" '"value":"null","variable":2,"seen":3000,"distinct":0,"outlier":false,"new_shape":true'
run 0 "$AIOPSFILTER" --explain -o logfmt "$tmp/shape"
contains "$tmp/out" ' value=null variable=2 seen=3000 distinct=0 outlier=false new_shape=true'
head -n 3000 "$tmp/shape" >"$tmp/shape1"
tail -n +3001 "$tmp/shape" >"$tmp/shape2"
"$AIOPSFILTER" -s "$tmp/shape.state" "$tmp/shape1" >/dev/null 2>&1
run 0 "$AIOPSFILTER" -s "$tmp/shape.state" "$tmp/shape2"
contains "$tmp/out" "served in null ms"
