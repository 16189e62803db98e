# Multi-line records: a Java traceback is one record, judged and flagged
# once with one template, printed whole; --record-start; bounds of line
# numbers; a pending record is not held back on a pipe; errors.
. "$TOP_SRCDIR/tests/lib.sh"

awk -v n=3000 'BEGIN {
	for (i = 1; i <= n; i++)
		printf "2026-11-26 10:%02d:%02d INFO [main] c.e.App - served request %d in %d ms\n", int(i / 60) % 60, i % 60, i, 1 + i % 7
}' >"$tmp/normal"
cat >"$tmp/trace" <<'LOG'
2026-11-26 11:00:00 ERROR [main] c.e.App - Request failed
java.lang.NullPointerException: null
	at com.example.App.handle(App.java:42)
	at com.example.App.main(App.java:10)
Caused by: java.io.IOException: disk gone
	at com.example.Disk.read(Disk.java:7)
	... 2 more
LOG
# The same trace again, deeper and with other values, more than an
# eighth of a window later: another event, not the first logged twice.
cat >"$tmp/trace2" <<'LOG'
2026-11-26 11:00:09 ERROR [main] c.e.App - Request failed
java.lang.NullPointerException: null
	at com.example.App.handle(App.java:43)
	at com.example.App.route(App.java:20)
	at com.example.App.main(App.java:11)
Caused by: java.io.IOException: disk gone again
	at com.example.Disk.read(Disk.java:8)
	... 3 more
LOG
{ cat "$tmp/normal" "$tmp/trace"; head -200 "$tmp/normal"; cat "$tmp/trace2"; head -50 "$tmp/normal"; } >"$tmp/log"
total=$(lines "$tmp/log")

# Line by line, the trace is several findings ...
run 0 "$AIOPSFILTER" "$tmp/log"
[ "$(lines "$tmp/out")" -ge 3 ] || fail "the trace was not several findings line by line"
# ... as one record it is one, printed whole, once; the same trace again
# is the same template, now rare.
run 0 "$AIOPSFILTER" --multiline=auto "$tmp/log"
{ printf '%s ' "NUM new 2"; cat "$tmp/trace"; printf '%s ' "NUM rare 2"; cat "$tmp/trace2"; } >"$tmp/want"
sed 's/^[0-9][0-9.]* /NUM /' "$tmp/out" >"$tmp/got"
cmp -s "$tmp/got" "$tmp/want" || { diff "$tmp/want" "$tmp/got" >&2; fail "the trace was not one finding printed whole"; }

run 0 "$AIOPSFILTER" --multiline=auto -o json "$tmp/log"
json_check "$tmp/out"
python3 - "$tmp/out" "$tmp/trace" <<'PY' || fail "bad JSON record of a trace"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert len(r) == 2, r
x = r[0]
assert x['line'] == 3001 and x['end_line'] == 3007, x
assert r[1]['line'] == 3208 and r[1]['end_line'] == 3215, r[1]
assert r[1]['template_id'] == x['template_id'], r
assert x['text'] == open(sys.argv[2]).read().rstrip('\n'), x['text']
assert x['template'] == 'Request failed +[java.lang.NullPointerException,at,Caused-by:java.io.IOException,...]', x['template']
PY

# Every line is in exactly one record; both traces have one template.
run 0 "$AIOPSFILTER" --multiline=auto --all -o json "$tmp/log"
python3 - "$tmp/out" "$total" <<'PY' || fail "records do not cover the lines"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
n = int(sys.argv[2])
at = 1
for x in r:
    assert x['line'] == at, (x['line'], at)
    assert x['end_line'] >= x['line']
    at = x['end_line'] + 1
assert at == n + 1, (at, n)
traces = [x for x in r if x['end_line'] > x['line']]
assert len(traces) == 2, traces
assert traces[0]['template_id'] == traces[1]['template_id'], traces
assert traces[1]['end_line'] - traces[1]['line'] == 7
assert sum(1 for x in r if x['flagged']) == 2
PY

# CRLF lines print as read.
printf 'ERROR boom\r\n\tat a.B.c(B.java:1)\r\nnext line\r\n' >"$tmp/crlf"
run 0 "$AIOPSFILTER" --multiline=auto --all "$tmp/crlf"
printf '\tat a.B.c(B.java:1)\r\n' >"$tmp/want"
sed -n 2p "$tmp/out" | cmp -s - "$tmp/want" || fail "a CRLF continuation line was not printed as read"

# A Go panic in a Kubernetes container log: one record, one finding,
# with the template of its first message and its stack's shapes.
awk 'BEGIN { for (i = 1; i <= 2000; i++)
	printf "2026-11-26T10:%02d:%02d.%09dZ stdout F GET /items/%d 200 %dms\n", int(i / 60) % 60, i % 60, i, i, 1 + i % 7 }' >"$tmp/cri"
t=2026-11-26T11:00:00.000000001Z
cat >>"$tmp/cri" <<LOG
$t stderr F panic: runtime error: index out of range [5] with length 3
$t stderr F
$t stderr F goroutine 1 [running]:
$t stderr F main.main()
$t stderr F 	/app/main.go:12 +0x1d
LOG
awk 'BEGIN { for (i = 1; i <= 50; i++)
	printf "2026-11-26T11:00:%02d.000000000Z stdout F GET /items/%d 200 3ms\n", i, i }' >>"$tmp/cri"
run 0 "$AIOPSFILTER" --multiline=auto -o json "$tmp/cri"
python3 - "$tmp/out" <<'PY' || fail "a Go panic in a CRI log was not one finding"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert len(r) == 1, r
assert r[0]['line'] == 2001 and r[0]['end_line'] == 2005, r
assert r[0]['template'] == 'panic: runtime error: index out of range [<*>] with length <*> +[goroutine,func,_]', r
PY

# A Rust panic written to a service's log: its message joins it, and
# the message's words tell one panic from another at the same place.
awk 'BEGIN { for (i = 1; i <= 2000; i++)
	printf "2026-11-28T10:%02d:%02dZ INFO request id=%d took %dms\n", int(i / 60) % 60, i % 60, i, 1 + i % 7 }' >"$tmp/rust"
cat >>"$tmp/rust" <<'LOG'
thread 'main' panicked at src/main.rs:42:5:
index out of bounds: the len is 3 but the index is 10
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
2026-11-28T11:00:00Z INFO request id=2001 took 3ms
LOG
run 0 "$AIOPSFILTER" --multiline=auto -o json "$tmp/rust"
python3 - "$tmp/out" <<'PY' || fail "a Rust panic was not one finding"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert len(r) == 1, r
assert r[0]['line'] == 2001 and r[0]['end_line'] == 2003, r
assert r[0]['template'].endswith(' +[index-out-of-bounds-the-len,note]'), r
PY

# --record-start: what starts a record is the user's to say.
awk 'BEGIN { for (i = 1; i <= 2000; i++) printf "[%d] query ok\n", i
	print "[2001] query failed:"; print "SELECT name"; print "  FROM users"
	for (i = 2002; i <= 2100; i++) printf "[%d] query ok\n", i }' >"$tmp/sql"
run 0 "$AIOPSFILTER" --record-start='^\[\d+\]' -o json "$tmp/sql"
python3 - "$tmp/out" <<'PY' || fail "--record-start did not group"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert len(r) == 1 and r[0]['line'] == 2001 and r[0]['end_line'] == 2003, r
assert r[0]['text'] == '[2001] query failed:\nSELECT name\n  FROM users', r
PY
# --multiline=none after it turns records off again.
run 0 "$AIOPSFILTER" --record-start='^\[\d+\]' --multiline=none "$tmp/sql"
[ "$(lines "$tmp/out")" -ge 2 ] || fail "--multiline=none did not win"

# On a pipe, a record that waits for its next line is judged when the
# input pauses, not when the next line comes.
command -v timeout >/dev/null || skip "no timeout(1)"
mkfifo "$tmp/in"
"$AIOPSFILTER" --multiline=auto <"$tmp/in" >"$tmp/live" 2>"$tmp/err" &
pid=$!
exec 3>"$tmp/in"
cat "$tmp/normal" "$tmp/trace" >&3
i=0
while ! grep -q '\.\.\. 2 more' "$tmp/live" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && { exec 3>&-; kill $pid; fail "a pending record was held back on a pipe"; }
	sleep 0.1
done
exec 3>&-
wait $pid || fail "live run failed"

# A record whose first line is empty keeps its frames (found by fuzzing:
# the first append had no buffer yet).
printf '\n\tat a.B.c(B.java:1)\nnext\n' >"$tmp/empty-first"
run 0 "$AIOPSFILTER" --multiline=auto --all -o json "$tmp/empty-first"
contains "$tmp/out" '"text":"\n\tat a.B.c(B.java:1)","end_line":2'
# A blank line is no record of its own: it goes with the one before it,
# and is printed with it.
printf 'first\n\nthird\n' >"$tmp/empty-record"
run 0 "$AIOPSFILTER" --multiline=auto --all -o json "$tmp/empty-record"
[ "$(lines "$tmp/out")" = 2 ] || fail "records: $(cat "$tmp/out")"
contains "$tmp/out" '"text":"first\n","end_line":2'
contains "$tmp/out" '"line":3,'

# A record cut at its bounds (1000 lines) most often means the lines
# that start records do not match: said once, naming what to check.
normal_log 2500 >"$tmp/nostart"
run 1 "$AIOPSFILTER" --record-start='^\d{4}-\d\d-\d\d ' "$tmp/nostart"
[ "$(cat "$tmp/err")" = "aiopsfilter: $tmp/nostart: line 1: a record reached 1000 lines or 1 MiB and was cut there: does --record-start match the lines that start records?" ] ||
    fail "a record cut at its bounds: $(cat "$tmp/err")"
run 1 "$AIOPSFILTER" -j2 --multiline=auto -f '\[<Time>\] <Content>' "$tmp/nostart"
contains "$tmp/err" "aiopsfilter: $tmp/nostart: line 1: a record reached 1000 lines or 1 MiB and was cut there: does the format match the lines that start records?"
[ "$(grep -c 'was cut there' "$tmp/err")" = 1 ] || fail "the cut told more than once"

# Errors.
run 2 "$AIOPSFILTER" --record-start='(' "$tmp/sql"
contains "$tmp/err" "aiopsfilter: --record-start: missing closing parenthesis at offset 1"
run 2 "$AIOPSFILTER" --multiline=yes "$tmp/sql"
contains "$tmp/err" "--multiline: unknown mode 'yes' (auto or none)"
run 2 "$AIOPSFILTER" --multiline=auto --input=json "$tmp/sql"
contains "$tmp/err" "--multiline and --record-start need text input"
printf 'record-start (\n' >"$tmp/bad.conf"
run 2 "$AIOPSFILTER" -c "$tmp/bad.conf" "$tmp/sql"
contains "$tmp/err" "aiopsfilter: $tmp/bad.conf:1: --record-start: missing closing parenthesis"
exit 0
