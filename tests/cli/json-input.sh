# JSON lines in (--input, --field) and what JSON and logfmt output carry
# through.
. "$TOP_SRCDIR/tests/lib.sh"

# Docker json-file lines: the message is "log", newline and all.
docker_log() {
	normal_log "$1" | awk '{
		gsub(/"/, "\\\"");
		printf "{\"log\":\"%s\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-26T10:00:%02d.%06dZ\",\"kubernetes\":{\"pod_name\":\"web-%d\",\"namespace\":\"prod\"}}\n", $0, NR % 60, NR, NR % 3
	}'
}
docker_log 2000 >"$tmp/docker.log"
printf '{"log":"kernel: BUG: soft lockup - CPU#2 stuck for 23s!\\n","stream":"stderr","time":"2026-11-26T10:01:00Z","kubernetes":{"pod_name":"web-9","namespace":"prod"}}\n' >>"$tmp/docker.log"

run 0 "$AIOPSFILTER" --input=json -o json "$tmp/docker.log"
json_check "$tmp/out"
[ "$(lines "$tmp/out")" = 1 ] || fail "expected one finding: $(cat "$tmp/out")"
python3 - "$tmp/out" <<'PY' || fail "bad record"
import json, sys
r = json.loads(open(sys.argv[1]).read())
# The contract keys, the message as text, the input record under "record".
for k in ('line', 'file', 'score', 'kind', 'template_id', 'template', 'text'):
    assert k in r, k
assert r['text'] == 'kernel: BUG: soft lockup - CPU#2 stuck for 23s!', r['text']
assert r['line'] == 2001
assert r['record']['kubernetes']['pod_name'] == 'web-9'
assert r['record']['log'].endswith('\n')
# The input's own time stays inside "record": a top-level "time" would
# be parsed by fluent-bit's stock json parser and fail.
assert 'time' not in r and r['record']['time'] == '2026-11-26T10:01:00Z'
PY
[ -s "$tmp/err" ] && fail "stderr: $(cat "$tmp/err")"

# The templates come from the message, not the JSON around it.
run 0 "$AIOPSFILTER" --input=json --templates "$tmp/docker.log"
head -1 "$tmp/out" | grep -q '	worker <\*> processed batch <\*> with <\*> messages$' ||
    fail "templates not learned from the message: $(head -1 "$tmp/out")"

# Text output prints the line as read.
run 0 "$AIOPSFILTER" --input=json "$tmp/docker.log"
grep -q '^[0-9.]* new [0-9]* {"log":"kernel: BUG' "$tmp/out" || fail "text output: $(cat "$tmp/out")"

# A record's time: the finding's event time is Docker's "time", as the
# message has none of its own.
run 0 "$AIOPSFILTER" --input=json -o json "$tmp/docker.log"
grep -q '"event_time":1795687260.000,' "$tmp/out" ||
    fail "Docker's time not read: $(cat "$tmp/out")"
# A message with a time of its own keeps it.
sed 's/"log":"kernel: BUG/"log":"2026-11-26T09:00:00Z kernel: BUG/' \
    "$tmp/docker.log" >"$tmp/own-time.log"
run 0 "$AIOPSFILTER" --input=json -o json "$tmp/own-time.log"
grep -q '"event_time":1795683600.000,' "$tmp/out" ||
    fail "the message's own time lost: $(cat "$tmp/out")"

# journald's records: the time in microseconds, PRIORITY a level (3,
# err, adds 3 bits).  The same with a second thread.
journal_log() {
	awk -v last="$1" 'BEGIN {
		for (i = 0; i < 2000; i++)
			printf "{\"__REALTIME_TIMESTAMP\":\"%d\",\"PRIORITY\":\"6\",\"MESSAGE\":\"worker %d processed batch %d with %d messages\"}\n", 1764237600000000 + i * 1000000, i % 7, i, i % 13
		printf "{\"__REALTIME_TIMESTAMP\":\"1764239600000000\",\"PRIORITY\":\"%s\",\"MESSAGE\":\"disk sdb gone from bus\"}\n", last
	}'
}
journal_log 3 >"$tmp/journal-err.log"
journal_log 6 >"$tmp/journal-info.log"
run 0 "$AIOPSFILTER" --input=json -o json --explain "$tmp/journal-err.log"
contains "$tmp/out" '"severity":3},"event_time":1764239600.000,'
cp "$tmp/out" "$tmp/j1"
run 0 "$AIOPSFILTER" --input=json -o json --explain -j2 "$tmp/journal-err.log"
cmp -s "$tmp/out" "$tmp/j1" || fail "-j2 differs: $(cat "$tmp/out")"
run 0 "$AIOPSFILTER" --input=json -o json --explain "$tmp/journal-info.log"
lacks "$tmp/out" '"severity"'
contains "$tmp/out" '"event_time":1764239600.000,'

# An HTTP status among a record's members counts as a header's does:
# a 5xx adds 3 bits.
awk 'BEGIN { for (i = 0; i < 3000; i++)
	printf "{\"msg\":\"request done\",\"status\":%d}\n", i % 3 ? 200 : 304
	print "{\"msg\":\"request done\",\"status\":503}" }' >"$tmp/status.json"
run 0 "$AIOPSFILTER" --input=json -o json --explain "$tmp/status.json"
contains "$tmp/out" '"value":"503","field":"status",'
contains "$tmp/out" '"severity":3}'

# The Elastic Common Schema: "@timestamp", and "log.level" a key with a
# dot in it; its "log" is an object, not the message.
printf '%s\n' '{"@timestamp":"2026-11-27T10:00:00.000Z", "log.level": "ERROR", "message":"shard failed", "log":{"logger":"o.e.c"}}' >"$tmp/ecs.log"
run 0 "$AIOPSFILTER" --input=json --all -o json --explain "$tmp/ecs.log"
contains "$tmp/out" '"template":"shard failed"'
contains "$tmp/out" '"severity":3},"event_time":1795773600.000,'

# A structured log's own fields are the line's values, judged as a
# template's variables are: a status never seen where three were, a
# latency a thousand times the usual.  Ids (request_id) and counters
# (seq) stay quiet, and so does a latency within its range.
awk 'BEGIN {
	srand(7)
	for (i = 0; i < 3000; i++)
		printf "{\"ts\":%d,\"level\":\"info\",\"msg\":\"request done\",\"status\":%d,\"latency_ms\":%d,\"request_id\":\"%08x\",\"seq\":%d}\n", 1764237600 + i, 200 + (i % 3 == 1) + 3 * (i % 3 == 2), 1 + int(rand() * 5), int(rand() * 2147483647), i
	print "{\"ts\":1764240600,\"level\":\"info\",\"msg\":\"request done\",\"status\":503,\"latency_ms\":3,\"request_id\":\"7fe1aa01\",\"seq\":3000}"
	print "{\"ts\":1764240601,\"level\":\"info\",\"msg\":\"request done\",\"status\":200,\"latency_ms\":3000,\"request_id\":\"7fe1aa02\",\"seq\":3001}"
	print "{\"ts\":1764240602,\"level\":\"info\",\"msg\":\"request done\",\"status\":201,\"latency_ms\":4,\"request_id\":\"7fe1aa03\",\"seq\":3002}"
}' >"$tmp/zap.log"
run 0 "$AIOPSFILTER" --input=json -o json --explain "$tmp/zap.log"
[ "$(lines "$tmp/out")" = 2 ] || fail "members: $(cat "$tmp/out")"
head -1 "$tmp/out" | grep -q '"line":3001,.*"kind":"value".*"evidence":{"p":[0-9.e-]*,"value":"503","field":"status",.*"outlier":false' ||
    fail "new status: $(head -1 "$tmp/out")"
tail -1 "$tmp/out" | grep -q '"line":3002,.*"kind":"value".*"evidence":{"p":[0-9.e-]*,"value":"3000","field":"latency_ms",.*"outlier":true' ||
    fail "latency: $(tail -1 "$tmp/out")"
cp "$tmp/out" "$tmp/z1"
run 0 "$AIOPSFILTER" --input=json -o json --explain -j2 "$tmp/zap.log"
cmp -s "$tmp/out" "$tmp/z1" || fail "-j2 differs: $(cat "$tmp/out")"
run 0 "$AIOPSFILTER" --input=json --explain "$tmp/zap.log"
contains "$tmp/out" ', value 503 in status, 3 values in '
contains "$tmp/out" ', number 3000 in latency_ms, '
# Read as text, the same lines say the same.
run 0 "$AIOPSFILTER" "$tmp/zap.log"
[ "$(lines "$tmp/out")" = 2 ] || fail "as text: $(cat "$tmp/out")"
# JSON read as text is cut at its ',' and ':' between values, so each
# value is a token of its own; --delimiters says where to cut instead.
awk 'BEGIN { for (i = 0; i < 20; i++)
	printf "{\"level\":\"info\",\"msg\":\"request %s\",\"n\":%d}\n", i % 2 ? "done" : "sent", i }' >"$tmp/jt.log"
run 0 "$AIOPSFILTER" --templates "$tmp/jt.log"
contains "$tmp/out" '	{"level":"info","msg":"request sent","n":<*>}'
contains "$tmp/out" '	{"level":"info","msg":"request done","n":<*>}'
run 0 "$AIOPSFILTER" --templates --delimiters=';' "$tmp/jt.log"
[ "$(lines "$tmp/out")" = 1 ] || fail "--delimiters: $(cat "$tmp/out")"

# A restart gives every template a new pid at once (pino, bunyan): it
# is news once, to the first template that shows it, not to each.
awk 'BEGIN {
	for (i = 0; i < 6000; i++)
		printf "{\"level\":30,\"time\":%.0f,\"pid\":%d,\"hostname\":\"web-1\",\"msg\":\"%s done\",\"responseTime\":%d}\n", 1764237600000 + i * 1000, i < 5000 ? 4242 : 5151, substr("abcde", i % 5 + 1, 1) == "a" ? "export" : substr("abcde", i % 5 + 1, 1) == "b" ? "import job" : substr("abcde", i % 5 + 1, 1) == "c" ? "cache warm up" : substr("abcde", i % 5 + 1, 1) == "d" ? "index rebuild of shard" : "session cleanup sweep", 1 + i % 17
}' >"$tmp/pino.log"
run 0 "$AIOPSFILTER" --input=json --templates "$tmp/pino.log"
[ "$(lines "$tmp/out")" = 5 ] || fail "pino templates: $(cat "$tmp/out")"
run 0 "$AIOPSFILTER" --input=json --explain "$tmp/pino.log"
[ "$(lines "$tmp/out")" = 1 ] || fail "restart: $(cat "$tmp/out")"
contains "$tmp/out" ', value 5151 in pid, 1 values in '

# A deploy moves the "caller" line number of every template (zap): new
# values at one key in many templates at once are one event, told by
# its first lines, not by each template.
awk 'BEGIN {
	split("amber basil cedar dahlia elder fennel ginger hazel iris juniper kale laurel", w, " ")
	srand(5)
	for (i = 0; i < 9000; i++) {
		k = 1 + int(rand() * 12)
		printf "{\"level\":\"info\",\"ts\":%.1f,\"caller\":\"svc/%s.go:%d\",\"msg\":\"%s %s stage complete\"}\n", 1764237600 + i / 2, w[k], 40 + k * 10 + (i >= 6000 ? 3 : 0), w[k], w[13 - k]
	}
}' >"$tmp/deploy.log"
run 0 "$AIOPSFILTER" --input=json --templates "$tmp/deploy.log"
[ "$(lines "$tmp/out")" = 12 ] || fail "deploy templates: $(cat "$tmp/out")"
run 0 "$AIOPSFILTER" --input=json --explain "$tmp/deploy.log"
n=$(lines "$tmp/out")
[ "$n" -ge 1 ] && [ "$n" -le 3 ] || fail "deploy: $n findings: $(cat "$tmp/out")"
contains "$tmp/out" ' in caller, 1 values in '

# Windows of time follow the records' time (fluent-bit's "date"), not
# the clock, which saw every line at once: forty lines of a template
# seen every five minutes, in twenty seconds, are a burst.
awk 'BEGIN {
	t = 1764237600
	for (i = 0; i < 3000; i++) {
		printf "{\"date\":%d.0,\"log\":\"worker %d processed batch %d with %d messages\\n\"}\n", t++, i % 7, i, i % 13
		if (i % 300 == 0)
			printf "{\"date\":%d.0,\"log\":\"cache miss for key k%d\\n\"}\n", t, i
	}
	for (i = 0; i < 40; i++)
		printf "{\"date\":%.1f,\"log\":\"cache miss for key b%d\\n\"}\n", t + i / 2, i
}' >"$tmp/fluent.log"
run 0 "$AIOPSFILTER" --input=json --window=1m "$tmp/fluent.log"
grep -q '^[0-9.]* burst 2 ' "$tmp/out" || fail "no burst: $(cat "$tmp/out")"
grep -q '^[0-9.]* burst-end 2 40 lines in [0-9]*s ' "$tmp/out" ||
    fail "no burst end in seconds: $(cat "$tmp/out")"

# --field with a nested path.
run 0 "$AIOPSFILTER" --field=kubernetes.pod_name --templates "$tmp/docker.log"
[ "$(lines "$tmp/out")" = 1 ] || fail "--field: $(cat "$tmp/out")"
contains "$tmp/out" "web-<*>"

# Malformed and field-less lines are judged whole, counted, never fatal.
{ docker_log 50; echo 'not json at all'; echo '{"log": "cut'; echo '{"level":"info"}'; } >"$tmp/mixed.log"
run 0 "$AIOPSFILTER" --all --input=json -o json "$tmp/mixed.log"
json_check "$tmp/out"
[ "$(lines "$tmp/out")" = 53 ] || fail "lines lost"
contains "$tmp/err" "aiopsfilter: 2 lines were not JSON objects: judged as plain text"
contains "$tmp/err" "aiopsfilter: 1 JSON line had no text in a log, message, msg or MESSAGE field: judged whole"
[ "$(lines "$tmp/err")" = 2 ] || fail "stderr: $(cat "$tmp/err")"
tail -3 "$tmp/out" | head -1 | grep -q '"text":"not json at all","flagged":[a-z]*}$' ||
    fail "a malformed line carried a record: $(tail -3 "$tmp/out" | head -1)"
tail -1 "$tmp/out" | grep -q '"text":"{\\"level\\":\\"info\\"}".*"record":{"level":"info"}}$' ||
    fail "field-less object: $(tail -1 "$tmp/out")"

# A lone surrogate escape, which jq refuses with the whole line, is
# U+FFFD in "record" as in the text; a pair and an escaped backslash
# before "ud800" stay as they were.
printf '%s\n' '{"msg":"\ud800 cut","a":"\udc00x\ud83d\ude00y\\ud800"}' >"$tmp/sur.log"
run 0 "$AIOPSFILTER" --all --input=json -o json "$tmp/sur.log"
contains "$tmp/out" '"record":{"msg":"\ufffd cut","a":"\ufffdx\ud83d\ude00y\\ud800"}}'

# --input=auto: only lines opening with '{' are tried as JSON.
{ normal_log 20; docker_log 20; } >"$tmp/auto.log"
run 0 "$AIOPSFILTER" --all --input=auto -o json "$tmp/auto.log"
[ "$(grep -c '"record":' "$tmp/out")" = 20 ] || fail "auto: not 20 records"
[ -s "$tmp/err" ] && fail "auto counted plain lines as malformed: $(cat "$tmp/err")"

# Kubernetes' container logs (CRI): the payload after the runtime's
# wrapper is tried as JSON.
docker_log 60 | awk '{ printf "2026-11-26T10:00:%02d.%09dZ stdout F %s\n", NR % 60, NR, $0 }' >"$tmp/cri.log"
run 0 "$AIOPSFILTER" --input=auto --templates "$tmp/cri.log"
head -1 "$tmp/out" | grep -q '	worker <\*> processed batch <\*> with <\*> messages$' ||
    fail "CRI payload not read as JSON: $(head -1 "$tmp/out")"
[ -s "$tmp/err" ] && fail "CRI stderr: $(cat "$tmp/err")"
# Its record is the payload, an object, not the wrapped line.
run 0 "$AIOPSFILTER" --input=auto --all -o json "$tmp/cri.log"
json_check "$tmp/out"
head -1 "$tmp/out" | grep -q '"record":{"log":"worker ' ||
    fail "CRI record: $(head -1 "$tmp/out")"

# JSON lines read as text: one hint, on stderr, when no --input was
# given; the records are the same.
run 0 "$AIOPSFILTER" --all "$tmp/cri.log"
cp "$tmp/out" "$tmp/hinted"
[ "$(cat "$tmp/err")" = "aiopsfilter: $tmp/cri.log: lines look like JSON objects: --input=auto reads their messages" ] ||
    fail "no JSON hint: $(cat "$tmp/err")"
run 0 "$AIOPSFILTER" --all --input=text "$tmp/cri.log"
[ -s "$tmp/err" ] && fail "hint despite --input: $(cat "$tmp/err")"
cmp -s "$tmp/out" "$tmp/hinted" || fail "the hint changed the records"
run 0 "$AIOPSFILTER" --all --field=log "$tmp/cri.log"
[ -s "$tmp/err" ] && fail "hint despite --field: $(cat "$tmp/err")"
run 0 "$AIOPSFILTER" --all "$tmp/auto.log"
[ -s "$tmp/err" ] && fail "hint for half JSON in 40 lines: $(cat "$tmp/err")"

# Read as text, a JSON object is cut at its ',' and ':' as well, so
# that its keys and word values stay in the template: a run of fields
# after a space is not one masked token, whose words would be lost when
# it is made a variable.
awk 'BEGIN { for (i = 1; i <= 60; i++) printf "{\"level\":\"info\",\"msg\":\"request completed\",\"method\":\"%s\",\"path\":\"/api/items/%d\",\"status\":200,\"request_id\":\"%08x\"}\n", i % 2 ? "GET" : "POST", i, i * 7919 }' >"$tmp/zap.log"
run 0 "$AIOPSFILTER" --templates "$tmp/zap.log"
[ "$(cut -f3 "$tmp/out" | sort)" = '{"level":"info","msg":"request completed","method":"GET","path":"<*>","status":<*>,"request_id":"<*>"}
{"level":"info","msg":"request completed","method":"POST","path":"<*>","status":<*>,"request_id":"<*>"}' ] ||
    fail "JSON as text: $(cat "$tmp/out")"

# Options in error.
run 2 "$AIOPSFILTER" --input=text --field=msg /dev/null
contains "$tmp/err" "aiopsfilter: --field needs JSON lines input, not --input=text"
run 2 "$AIOPSFILTER" --input=xml /dev/null
contains "$tmp/err" "aiopsfilter: --input: unknown mode 'xml' (text, json or auto)"
run 2 "$AIOPSFILTER" --field=a..b /dev/null
[ "$(cat "$tmp/err")" = "aiopsfilter: --field: field 'a..b' has an empty part" ] ||
    fail "bad --field: $(cat "$tmp/err")"

# logfmt: one line per record, values quoted and escaped as logfmt does.
printf 'quote " and = sign\tand tab\n' >"$tmp/odd.log"
printf 'plain\n' >>"$tmp/odd.log"
run 0 "$AIOPSFILTER" --all -o logfmt "$tmp/odd.log"
[ "$(lines "$tmp/out")" = 2 ] || fail "logfmt lines"
contains "$tmp/out" "line=1 file=$tmp/odd.log file_line=1 score="
contains "$tmp/out" 'text="quote \" and = sign\tand tab" flagged=false'
contains "$tmp/out" 'template_id=2 template=plain text=plain flagged=false'
python3 - "$tmp/out" <<'PY' || fail "logfmt does not parse back"
import re, sys
pair = re.compile(r'([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)')
want = ['line', 'file', 'file_line', 'score', 'kind', 'template_id', 'template', 'text', 'flagged']
for line in open(sys.argv[1]):
    rest = pair.sub('', line).strip()
    assert rest == '', rest
    keys = [m.group(1) for m in pair.finditer(line)]
    assert keys == want, keys
PY
run 0 "$AIOPSFILTER" --templates -o logfmt "$tmp/odd.log"
contains "$tmp/out" 'template_id=1 count=1 template="quote \" and = sign and tab"'

# A run that stops early (-q, at its first finding: the line that is not
# JSON) reports that line, with two threads as with one.
{
	for i in $(seq 1 300); do
		echo "{\"log\":\"worker $((i % 4)) processed batch $i\"}"
	done
	echo "kernel: EXT4-fs error (device sda1): bad block 1234"
	for i in $(seq 1 20000); do echo "not json $i"; done
} >"$tmp/early.json"
for j in 1 2; do
	run 0 "$AIOPSFILTER" -j$j -q --input=json "$tmp/early.json"
	[ "$(cat "$tmp/err")" = "aiopsfilter: 1 line was not a JSON object: judged as plain text" ] ||
	    fail "-j$j: stopped early: '$(cat "$tmp/err")'"
done

# A member's values are known to every template once one has held them,
# and a run that stops and goes on from its state knows the same ones:
# nine values at one key (the ninth learned as the others were) and a
# new value in another template score alike either way.
awk 'BEGIN {
	for (i = 0; i < 2000; i++) printf "{\"msg\": \"request handled for client\", \"code\": \"v%d\"}\n", i % 8
	print "{\"msg\": \"request handled for client\", \"code\": \"zeta\"}"
	for (i = 0; i < 300; i++) print "{\"msg\": \"job finished in queue\", \"code\": \"ok\"}"
	print "{\"msg\": \"job finished in queue\", \"code\": \"zeta\"}"
}' >"$tmp/members"
run 0 "$AIOPSFILTER" --input=json --all -o json "$tmp/members"
sed 's/"line":[0-9]*,"file":"[^"]*","file_line":[0-9]*,//' "$tmp/out" >"$tmp/whole"
head -n 2001 "$tmp/members" >"$tmp/members1"
tail -n +2002 "$tmp/members" >"$tmp/members2"
"$AIOPSFILTER" --input=json --all -o json -s "$tmp/members.state" "$tmp/members1" >"$tmp/out" 2>"$tmp/err"
"$AIOPSFILTER" --input=json --all -o json -s "$tmp/members.state" "$tmp/members2" >>"$tmp/out" 2>>"$tmp/err"
sed 's/"line":[0-9]*,"file":"[^"]*","file_line":[0-9]*,//' "$tmp/out" >"$tmp/split"
cmp -s "$tmp/whole" "$tmp/split" || { diff "$tmp/whole" "$tmp/split" >&2; fail "members known otherwise after a state"; }
