# syslog-ng program(), for real: a private syslog-ng (its own config,
# persist file, control socket and pid file, a file source; the system
# syslog is never touched) runs samples/syslog-ng-aiopsfilter.conf with
# only the paths changed.  Normal lines, then a few surprising ones: the
# surprising ones, and only they, arrive in the findings file.
#
# Debian's syslog-ng-core conflicts with rsyslog, so CI unpacks it with
# .ci/fetch-syslog-ng; SYSLOG_NG_ROOT names that tree.  An installed
# syslog-ng is used when there is one.
. "$TOP_SRCDIR/tests/lib.sh"

root=${SYSLOG_NG_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/aiopsfilter/syslog-ng}
if [ -x "$root/usr/sbin/syslog-ng" ]; then
	sng=$root/usr/sbin/syslog-ng
	LD_LIBRARY_PATH="$root/usr/lib/syslog-ng${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
	export LD_LIBRARY_PATH
	moddir=$(ls -d "$root"/usr/lib/syslog-ng/[0-9]* 2>/dev/null | head -1)
	[ -n "$moddir" ] || skip "no module directory in $root"
	set -- --module-path="$moddir"
elif command -v syslog-ng >/dev/null; then
	sng=$(command -v syslog-ng)
	set --
else
	skip "no syslog-ng (run .ci/fetch-syslog-ng, or set SYSLOG_NG_ROOT)"
fi
"$sng" --version >/dev/null 2>&1 || skip "$sng does not run here"
version=$("$sng" --version | sed -n 's/^Config version: *//p')

: >"$tmp/app.log"
sed -e "s|/usr/local/bin/aiopsfilter|$AIOPSFILTER|" \
    -e "s|/var/log/aiopsfilter/findings.log|$tmp/findings.log|" \
    "$SAMPLES/syslog-ng-aiopsfilter.conf" >"$tmp/aiopsfilter.conf"
grep -q "program(\"$AIOPSFILTER " "$tmp/aiopsfilter.conf" || fail "sample's program path not found"
cat >"$tmp/syslog-ng.conf" <<CONF
@version: $version
options { stats-freq(0); };
source s_src { file("$tmp/app.log" follow-freq(0.1) flags(no-parse)); };
@include "$tmp/aiopsfilter.conf"
CONF
"$sng" "$@" --syntax-only -f "$tmp/syslog-ng.conf" >"$tmp/check" 2>&1 ||
    { cat "$tmp/check" >&2; fail "syslog-ng rejects the sample config"; }

"$sng" "$@" -F --no-caps -f "$tmp/syslog-ng.conf" -R "$tmp/persist" \
    -p "$tmp/syslog-ng.pid" -c "$tmp/syslog-ng.ctl" >"$tmp/sng.out" 2>&1 &
sp=$!
trap 'kill $sp 2>/dev/null; rm -rf "$tmp"' EXIT

wait_for() {
	i=0
	while ! grep -qF -- "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt $(($3 * 10)) ]; then
			echo "--- syslog-ng said:" >&2; cat "$tmp/sng.out" >&2
			return 1
		fi
		kill -0 $sp 2>/dev/null || { cat "$tmp/sng.out" >&2; fail "syslog-ng died"; }
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

kill -TERM $sp
i=0
while kill -0 $sp 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 150 ] && fail "syslog-ng did not stop"
	sleep 0.1
done
trap 'rm -rf "$tmp"' EXIT
sleep 0.5
if pgrep -f -- "--output-file=$tmp/findings.log" >/dev/null; then
	fail "aiopsfilter still running after syslog-ng stopped"
fi

json_check "$tmp/findings.log"
echo "findings:" >&2; cat "$tmp/findings.log" >&2
n=$(lines "$tmp/findings.log")
[ "$n" -le 6 ] || fail "$n findings; the normal lines leaked"
for pat in "worker" "cache hit ratio" "GET /api/items"; do
	grep -q "\"text\":\"$pat" "$tmp/findings.log" && fail "a normal line was flagged: $pat"
done
python3 - "$tmp/findings.log" <<'PY' || fail "findings lack the syslog-ng record"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
hit = [r for r in recs if 'unable to read inode block' in r['text']]
assert hit, recs
assert hit[0]['record']['msg'] == hit[0]['text'], hit[0]
PY
