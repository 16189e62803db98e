# --key: a model per source.  One service's noise does not hide another's
# news, ids count per source, the number of models is bounded.
. "$TOP_SRCDIR/tests/lib.sh"

# web logs the same line 3000 times; db logs a handful of lines, then a
# line web has logged all along: new for db; for one shared model, a known
# template from a host it never came from, a header value.
awk 'BEGIN { for (i = 1; i <= 3000; i++) {
	printf "web GET /api/items/%d 200 %dms\n", i, i % 40
	if (i % 5 == 0) printf "db checkpoint %d complete in %d ms\n", i, i % 9 }
	print "db GET /api/items/1 200 5ms" }' >"$tmp/log"
fmt='<Host> <Content>'

run 0 "$AIOPSFILTER" -f "$fmt" "$tmp/log"
grep -q '^[0-9.]* value 1 db GET /api/items/1 200 5ms$' "$tmp/out" ||
    fail "db's line is no header value for a shared model: $(cat "$tmp/out")"
run 0 "$AIOPSFILTER" -f "$fmt" --key=Host "$tmp/log"
grep -q '^[0-9.]* new db/2 db GET /api/items/1 200 5ms$' "$tmp/out" ||
    fail "no finding for db's new line: $(cat "$tmp/out")"

# JSON records: the source is a field path; the records say it.
run 0 "$AIOPSFILTER" -f "$fmt" --key=Host -o json --all "$tmp/log"
json_check "$tmp/out"
python3 - "$tmp/out" <<'PY' || fail "bad sources in JSON"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
ids = {}
for x in r:
    ids.setdefault(x['source'], set()).add(x['template_id'])
assert set(ids) == {'web', 'db'}, ids
assert ids['web'] == {1} and ids['db'] == {1, 2}, ids
PY
sed 's/^\([a-z]*\) \(.*\)$/{"svc":{"name":"\1"},"log":"\2"}/' "$tmp/log" >"$tmp/json"
run 0 "$AIOPSFILTER" --input=json --key=svc.name -o json "$tmp/json"
contains "$tmp/out" '"source":"db","template_id":2'
[ -s "$tmp/err" ] && fail "a --key every record has warned: $(cat "$tmp/err")"
# A --key no record has (misspelt) makes one source of all: said at the
# end, with -j 2 as with -j 1.
for j in 1 2; do
	"$AIOPSFILTER" -j$j --input=json --key=svc.nmae "$tmp/json" \
	    >/dev/null 2>"$tmp/err" || :
	[ "$(cat "$tmp/err")" = "aiopsfilter: $(lines "$tmp/json") JSON lines had no svc.nmae to key by (--key): judged as source '-'" ] ||
	    fail "-j$j: a --key no record has: $(cat "$tmp/err")"
done
# An empty key is none either.
printf '%s\n' '{"svc":{"name":""},"log":"GET /a 200 5"}' \
    '{"svc":{"name":"web"},"log":"GET /b 200 7"}' >"$tmp/empty-key"
"$AIOPSFILTER" --input=json --key=svc.name "$tmp/empty-key" >/dev/null \
    2>"$tmp/err" || :
[ "$(cat "$tmp/err")" = "aiopsfilter: 1 JSON line had no svc.name to key by (--key): judged as source '-'" ] ||
    fail "an empty --key value: $(cat "$tmp/err")"

# Templates list with their source.
run 0 "$AIOPSFILTER" -f "$fmt" --key=Host --templates "$tmp/log"
contains "$tmp/out" "web/1	3000	GET <*> <*> <*>"
contains "$tmp/out" "db/2	1	GET <*> <*> <*>"

# Without a format, --key=source keys by program: the pid in brackets
# is no part of the source.
awk 'BEGIN { for (i = 1; i <= 50; i++)
	printf "Nov 26 10:00:%02d host sshd[%d]: session opened for uid %d\n", i % 60, 1000 + i, i }' >"$tmp/pids"
run 0 "$AIOPSFILTER" --key=source --all -o json "$tmp/pids"
python3 - "$tmp/out" <<'PY' || fail "a pid made a source of its own"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert len(r) == 50 and {x['source'] for x in r} == {'sshd'}, r[:3]
assert {x['template_id'] for x in r} == {1}, r[:3]
PY

# A missing field: the source "-".
printf 'x\n' | "$AIOPSFILTER" --input=json --key=svc.name --all -o json >"$tmp/out"
contains "$tmp/out" '"source":"-"'

# Bounded: with 2 models kept, a third source drops the oldest.
awk 'BEGIN { for (i = 1; i <= 600; i++) printf "h%d worker %d done\n", i % 3, i }' >"$tmp/three"
run 0 "$AIOPSFILTER" -f "$fmt" --key=Host --max-sources=2 --all -o json "$tmp/three"
python3 - "$tmp/out" <<'PY' || fail "eviction did not happen as expected"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
# Round robin over three sources with room for two: every line finds its
# model gone and starts afresh.
assert all(x['kind'] == 'new' and x['template_id'] == 1 for x in r), r[:5]
PY
# ... and says so, once, for every such run is blind.
[ "$(cat "$tmp/err")" = "aiopsfilter: more sources than --max-sources=2: the least recent are dropped, and new again if they come back" ] ||
    fail "dropped sources not told: $(cat "$tmp/err")"
run 0 "$AIOPSFILTER" -f "$fmt" --key=Host --max-sources=3 --all -o json "$tmp/three"
[ -s "$tmp/err" ] && fail "told of dropped sources with room for all: $(cat "$tmp/err")"
# A run going on from a state tells only of its own drops.
rm -f "$tmp/src.state"
run 1 "$AIOPSFILTER" -f "$fmt" --key=Host --max-sources=2 -s "$tmp/src.state" "$tmp/three"
contains "$tmp/err" "more sources than --max-sources=2"
head -5 "$tmp/three" >"$tmp/five"
run 1 "$AIOPSFILTER" -f "$fmt" --key=Host --max-sources=3 -s "$tmp/src.state" "$tmp/five"
[ -s "$tmp/err" ] && fail "told of an earlier run's dropped sources: $(cat "$tmp/err")"

# --key=host: the host of a header found without -f.
awk 'BEGIN { for (i = 0; i < 30; i++)
	printf "Nov 27 10:%02d:00 web%d sshd[%d]: session opened for uid %d\n", i, i % 2 + 1, 100 + i, 1000 + i }' >"$tmp/hosts"
run 0 "$AIOPSFILTER" --key=host --templates "$tmp/hosts"
contains "$tmp/out" "web1/1	15	session opened for uid <*>"
contains "$tmp/out" "web2/1	15	session opened for uid <*>"

# Wrong keys are clear errors.
run 2 "$AIOPSFILTER" -f "$fmt" --key=Nope "$tmp/log"
contains "$tmp/err" "aiopsfilter: --key: the format has no field 'Nope'"
run 2 "$AIOPSFILTER" --key=pod "$tmp/log"
contains "$tmp/err" "is not a field of the header"
