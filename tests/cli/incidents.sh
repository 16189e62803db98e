# Incidents: two bursts of findings five minutes apart are two incidents,
# and the second, alike, names the first; the gap option; incidents that
# span sources; --all stays one record per line.
. "$TOP_SRCDIR/tests/lib.sh"

awk 'function stamp(s,  d, h, m) {
		d = int(s / 86400); s -= d * 86400; h = int(s / 3600); m = int((s - h * 3600) / 60)
		return sprintf("2026-11-%02dT%02d:%02d:%02dZ", 1 + d, h, m, s % 60)
	}
	function storm(t, n) {
		print stamp(t) " db1 ERROR db: connection pool exhausted after " n " waits"
		print stamp(t + 2) " api2 ERROR api: upstream timeout talking to db"
		print stamp(t + 5) " api2 ERROR api: circuit breaker opened for db"
	}
	BEGIN {
	split("web0 db1 api2", host, " ")
	t = 36000
	for (i = 0; i < 3000; i++) print stamp(t + i) " " host[1 + i % 3] " INFO worker " i % 4 " processed batch " 9000 + i
	t += 3000; storm(t, 30)
	for (i = 6; i < 306; i++) print stamp(t + i) " " host[1 + i % 3] " INFO worker " i % 4 " processed batch " 9000 + i
	t += 306; storm(t, 31)
	for (i = 6; i < 200; i++) print stamp(t + i) " " host[1 + i % 3] " INFO worker " i % 4 " processed batch " 9000 + i
}' >"$tmp/log"
fmt='<Time> <Host> <Level> <Content>'

# The example of the manual, exactly.
run 0 "$AIOPSFILTER" --incidents -f "$fmt" "$tmp/log"
sed -n "/^\$ aiopsfilter --incidents -f '$fmt' app.log\$/,/^\.Ed\$/p" \
    "$TOP_SRCDIR/man/aiopsfilter.1" | sed '1d;$d' >"$tmp/want"
[ "$(lines "$tmp/want")" = 9 ] || fail "no incidents example in the manual"
cmp -s "$tmp/out" "$tmp/want" || { diff "$tmp/want" "$tmp/out" >&2; fail "two storms are not two alike incidents as the manual shows"; }

run 0 "$AIOPSFILTER" --incidents -f "$fmt" -o json "$tmp/log"
json_check "$tmp/out"
python3 - "$tmp/out" <<'PY' || fail "bad JSON incident records"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
kinds = [x['kind'] for x in r]
assert kinds == ['incident', 'new', 'new', 'new', 'incident-end'] * 1 + ['incident', 'rare', 'rare', 'incident-end'], kinds
for x in r:
    assert list(x)[:1] == ['line'] and 'score' in x and 'template_id' in x, x
    assert x['incident'] == (1 if x['line'] < 3100 else 2), x
end = [x for x in r if x['kind'] == 'incident-end']
assert end[0]['template_id'] is None and end[0]['template'] is None
assert end[0]['templates'] == [2, 3, 4] and end[0]['findings'] == 3, end[0]
assert end[0]['unit'] == 'seconds' and end[0]['duration'] == 5, end[0]
assert end[0]['by_kind'] == {'new': 3}, end[0]
assert 'like' not in end[0]
assert end[1]['like'] == {'incident': 1, 'shared': 2, 'of': 3}, end[1]
assert [2, 3, 2] in end[1]['related'], end[1]
PY
# logfmt: by_kind's counts as dotted keys, the list of templates as one.
run 0 "$AIOPSFILTER" --incidents -f "$fmt" -o logfmt "$tmp/log"
grep -q ' kind=incident-end .* findings=3 by_kind.new=3 templates="2 3 4" ' "$tmp/out" ||
    fail "logfmt incident-end: $(grep incident-end "$tmp/out")"
# ... and the second's likeness and related pairs, as the JSON has them.
grep ' kind=incident-end ' "$tmp/out" | tail -1 |
    grep -q ' like=1 like_shared=2 like_of=3 related="\([^"]* \)*2,3,2[ "]' ||
    fail "logfmt like and related: $(grep incident-end "$tmp/out" | tail -1)"

# A gap of ten minutes makes the two storms one incident.
run 0 "$AIOPSFILTER" --incidents --incident-gap=10m -f "$fmt" "$tmp/log"
[ "$(grep -c '^[0-9.]* incident ' "$tmp/out")" = 1 ] || fail "--incident-gap=10m did not join the storms"
contains "$tmp/out" "incident-end 1 lasted 5m8s, lines 3001-3305: 5 findings (3 new, 2 rare)"
# A gap in lines counts lines.
run 0 "$AIOPSFILTER" --incidents --incident-gap=2l -f "$fmt" "$tmp/log"
[ "$(grep -c '^[0-9.]* incident ' "$tmp/out")" = 2 ] || fail "--incident-gap=2l: not two incidents"
contains "$tmp/out" "incident-end 1 lasted 2 lines, lines 3001-3003"
run 2 "$AIOPSFILTER" --incidents --incident-gap=soon "$tmp/log"
contains "$tmp/err" "--incident-gap: invalid value 'soon'"

# With a model per host, an incident spans sources and lists them.
run 0 "$AIOPSFILTER" --incidents --key=Host -f "$fmt" "$tmp/log"
contains "$tmp/out" "incident 1 at 2026-11-01T10:50:00Z, line 3001: first finding new db1/2"
contains "$tmp/out" "3 templates db1/2 api2/2 api2/3, sources db1 api2, peak at line"

# --all: one record per line, each with an integer template_id (the
# Loghub benchmark's contract); findings carry their incident.
run 0 "$AIOPSFILTER" --incidents --all -f "$fmt" -o json "$tmp/log"
python3 - "$tmp/out" "$(lines "$tmp/log")" <<'PY' || fail "--all --incidents broke one record per line"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert [x['line'] for x in r] == list(range(1, int(sys.argv[2]) + 1))
assert all(isinstance(x['template_id'], int) and isinstance(x['template'], str) for x in r)
assert [x['line'] for x in r if 'incident' in x] == [3001, 3002, 3003, 3304, 3305], [x for x in r if 'incident' in x]
PY

# Context and incidents: the header comes before the context.
run 0 "$AIOPSFILTER" --incidents -B 1 -f "$fmt" "$tmp/log"
sed -n '1,2p' "$tmp/out" | sed 's/^[0-9][0-9.]* /S /' >"$tmp/got"
printf '%s\n' "S incident 1 at 2026-11-01T10:50:00Z, line 3001: first finding new 2" \
    "- context 1 2026-11-01T10:49:59Z api2 INFO worker 3 processed batch 11999" >"$tmp/want"
cmp -s "$tmp/got" "$tmp/want" || { diff "$tmp/want" "$tmp/got" >&2; fail "incident header and context out of order"; }
exit 0
