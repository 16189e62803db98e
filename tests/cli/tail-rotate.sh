# tail -F | aiopsfilter across log rotation (the file moved away and a
# new one created): the run goes on, line numbers continue, and the
# model is kept, so the new file's lines fall into the old templates and
# only the odd line is flagged.
. "$TOP_SRCDIR/tests/lib.sh"

command -v tail >/dev/null || skip "no tail(1)"
tail --version 2>/dev/null | grep -q GNU || skip "tail -F here may not follow rotation"

normal_log 2000 >"$tmp/app.log"
mkfifo "$tmp/pipe"
# There before the filter opens it (its shell waits for the pipe first):
# on a busy machine the first count came before the file, and passed.
: >"$tmp/out"
tail -n +1 -F -s 0.1 "$tmp/app.log" >"$tmp/pipe" 2>/dev/null &
tp=$!
"$AIOPSFILTER" --all -o json <"$tmp/pipe" >"$tmp/out" 2>"$tmp/err" &
ap=$!
trap 'kill $tp $ap 2>/dev/null; rm -rf "$tmp"' EXIT

wait_lines() {
	i=0
	while [ "$(lines "$tmp/out")" -lt "$1" ]; do
		i=$((i + 1))
		[ $i -gt 150 ] && fail "only $(lines "$tmp/out") of $1 lines came through"
		sleep 0.1
	done
}
wait_lines 2000

# logrotate's default: move the file, create a new one.
mv "$tmp/app.log" "$tmp/app.log.1"
normal_log 500 >"$tmp/app.log.new"
mv "$tmp/app.log.new" "$tmp/app.log"
wait_lines 2500
echo "kernel: md/raid1: Disk failure on sdb1, disabling device" >>"$tmp/app.log"
wait_lines 2501
kill -0 $ap || fail "aiopsfilter stopped at the rotation"

kill $tp
wait $ap
trap 'rm -rf "$tmp"' EXIT
[ -s "$tmp/err" ] && fail "stderr: $(cat "$tmp/err")"
python3 - "$tmp/out" <<'PY' || fail "model not kept across rotation"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert [r['line'] for r in recs] == list(range(1, 2502)), 'line numbers'
before = {r['template_id'] for r in recs[:2000]}
after = {r['template_id'] for r in recs[2000:2500]}
assert after <= before, (before, after)
assert not any(r['flagged'] for r in recs[2000:2500]), 'normal lines flagged after rotation'
last = recs[2500]
assert 'Disk failure on sdb1' in last['text'] and last['flagged'] and last['kind'] == 'new', last
PY
