# rsyslog omprog, for real: a private rsyslogd (its own config, work
# directory and pid file, an imfile input; the system syslog is never
# touched) runs samples/rsyslog-aiopsfilter.conf with only the paths
# changed.  Normal lines, then a few surprising ones: the surprising
# ones, and only they, arrive in the findings file while rsyslog runs.
. "$TOP_SRCDIR/tests/lib.sh"

rsyslogd=$(command -v rsyslogd || echo /usr/sbin/rsyslogd)
[ -x "$rsyslogd" ] || skip "no rsyslogd (Debian: apt-get install rsyslog)"
"$rsyslogd" -v 2>/dev/null | grep -q rsyslogd || skip "rsyslogd does not run here"

mkdir -p "$tmp/work"
: >"$tmp/app.log"
sed -e "s|/usr/local/bin/aiopsfilter|$AIOPSFILTER|" \
    -e "s|/var/log/aiopsfilter/findings.log|$tmp/findings.log|" \
    "$SAMPLES/rsyslog-aiopsfilter.conf" >"$tmp/aiopsfilter.conf"
grep -q "binary=\"$AIOPSFILTER " "$tmp/aiopsfilter.conf" || fail "sample's binary path not found"
cat >"$tmp/rsyslog.conf" <<CONF
global(workDirectory="$tmp/work")
module(load="imfile" mode="polling" pollingInterval="1")
input(type="imfile" file="$tmp/app.log" tag="app:" reopenOnTruncate="on")
include(file="$tmp/aiopsfilter.conf")
CONF
"$rsyslogd" -N1 -f "$tmp/rsyslog.conf" >"$tmp/check" 2>&1 ||
    { cat "$tmp/check" >&2; fail "rsyslogd rejects the sample config"; }

"$rsyslogd" -n -f "$tmp/rsyslog.conf" -i "$tmp/rsyslogd.pid" >"$tmp/rsyslogd.out" 2>&1 &
rs=$!
trap 'kill $rs 2>/dev/null; rm -rf "$tmp"' EXIT

# wait_for FILE STRING SECONDS
wait_for() {
	i=0
	while ! grep -qF -- "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt $(($3 * 10)) ]; then
			echo "--- rsyslogd said:" >&2; cat "$tmp/rsyslogd.out" >&2
			return 1
		fi
		kill -0 $rs 2>/dev/null || { cat "$tmp/rsyslogd.out" >&2; fail "rsyslogd died"; }
		sleep 0.1
	done
}

normal_log 3000 >>"$tmp/app.log"
echo "kernel: EXT4-fs error (device sda1): unable to read inode block" >>"$tmp/app.log"
wait_for "$tmp/findings.log" "unable to read inode block" 60 ||
    fail "the first surprising line never reached the findings file"
normal_log 300 >>"$tmp/app.log"
echo "sshd: fatal: mm_request_receive: read: Connection reset by peer" >>"$tmp/app.log"
wait_for "$tmp/findings.log" "mm_request_receive" 30 ||
    fail "the second surprising line never reached the findings file"

# Stopping rsyslog closes the pipe: aiopsfilter must be gone with it.
kill -TERM $rs
i=0
while kill -0 $rs 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 150 ] && fail "rsyslogd did not stop"
	sleep 0.1
done
trap 'rm -rf "$tmp"' EXIT
sleep 0.5
if pgrep -f -- "--output-file=$tmp/findings.log" >/dev/null; then
	fail "aiopsfilter still running after rsyslogd stopped"
fi

json_check "$tmp/findings.log"
echo "findings:" >&2; cat "$tmp/findings.log" >&2
n=$(lines "$tmp/findings.log")
[ "$n" -le 6 ] || fail "$n findings; the normal lines leaked: $(head -5 "$tmp/findings.log")"
for pat in "worker" "cache hit ratio" "GET /api/items"; do
	grep -q "\"text\":\"$pat" "$tmp/findings.log" && fail "a normal line was flagged: $pat"
done
python3 - "$tmp/findings.log" <<'PY' || fail "findings lack the rsyslog record"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
hit = [r for r in recs if 'unable to read inode block' in r['text']]
assert hit, recs
r = hit[0]
assert r['record']['program'] == 'app', r
assert r['record']['msg'] == r['text'], r
assert r['kind'] in ('new', 'rare'), r
PY
