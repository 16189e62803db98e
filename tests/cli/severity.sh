# The severity prior from the command line: a new DEBUG line scores below
# the same new line at ERROR; --severity-weight; --severity-words in the
# configuration file.
. "$TOP_SRCDIR/tests/lib.sh"

normal_log 3000 | sed 's/^/2026-11-26T10:00:00Z INFO /' >"$tmp/normal"
stamp="2026-11-26T10:00:01Z "	# before the line score() adds
score() {
	{ cat "$tmp/normal"; echo "$stamp$1"; } >"$tmp/log"
	shift
	"$AIOPSFILTER" --all -o json "$@" "$tmp/log" | tail -1 |
	    python3 -c 'import json, sys; print(json.load(sys.stdin)["score"])'
}
debug=$(score "DEBUG disk controller reset on bus seven")
error=$(score "ERROR disk controller reset on bus seven")
info=$(score "INFO disk controller reset on bus seven")
python3 - "$debug" "$info" "$error" <<'PY' || fail "severity order: DEBUG $debug, INFO $info, ERROR $error"
import sys
d, i, e = map(float, sys.argv[1:])
assert d < i < e, (d, i, e)
assert abs((e - d) - 5) < 0.02, (d, e)	# +3 and -2 bits
PY
# In a log mostly at DEBUG, a DEBUG line is the usual line and is not
# damped; nor is it with a format.
normal_log 3000 | sed 's/^/2026-11-26T10:00:00Z DEBUG /' >"$tmp/normal"
usual=$(score "DEBUG disk controller reset on bus seven")
[ "$usual" = "$info" ] || fail "DEBUG among DEBUG: $usual, INFO among INFO: $info"
usual=$(score "DEBUG disk controller reset on bus seven" -f '<Time> <Level> <Content>')
python3 -c "import sys; sys.exit(not abs($usual - $info) < 0.5)" ||
    fail "DEBUG among DEBUG with -f: $usual, INFO among INFO: $info"

# three_above WHAT LOW HIGH [ARGS...]: after the normal log, the line HIGH
# (at error) scores 3 bits above the line LOW (at info).
three_above() {
	what=$1 lo=$2 hi=$3
	shift 3
	i=$(score "$lo" "$@")
	e=$(score "$hi" "$@")
	python3 -c "import sys; sys.exit(not abs($e - $i - 3) < 0.02)" ||
	    fail "$what: $e, $i"
}

# Logcat: a level of one letter, found by itself or named by -f.
normal_log 3000 | sed 's/^/03-17 16:13:38.811  1702  2395 I Worker: /' >"$tmp/normal"
stamp=
three_above "logcat E against I" \
    "03-17 16:13:39.001  1702  2395 I Disk: controller reset on bus seven" \
    "03-17 16:13:39.001  1702  2395 E Disk: controller reset on bus seven"
three_above "logcat E against I with -f" \
    "03-17 16:13:39.001  1702  2395 I Disk: controller reset on bus seven" \
    "03-17 16:13:39.001  1702  2395 E Disk: controller reset on bus seven" \
    -f "<Date> <Time> <Pid> <Tid> <Level> <Component>: <Content>"
# glog and klog: the letter on the date.
normal_log 3000 | sed 's/^/I1127 01:02:03.456789    1234 worker.go:88] /' >"$tmp/normal"
three_above "klog E against I" \
    "I1127 01:02:04.000001    1234 disk.go:12] controller reset on bus seven" \
    "E1127 01:02:04.000001    1234 disk.go:12] controller reset on bus seven"
# A syslog priority's low bits are the level: 11 is err, 14 info.
normal_log 3000 | sed 's/^/<14>1 2026-11-26T10:00:00Z host app - - - /' >"$tmp/normal"
three_above "RFC 5424 priority 11 against 14" \
    "<14>1 2026-11-26T10:00:01Z host app - - - controller reset on bus seven" \
    "<11>1 2026-11-26T10:00:01Z host app - - - controller reset on bus seven"
# PostgreSQL's "ERROR:" after the stamp is the level, not a source.
normal_log 3000 | sed 's/^/2026-11-26 10:00:00.123 UTC [77] LOG:  /' >"$tmp/normal"
three_above "PostgreSQL ERROR: against LOG:" \
    "2026-11-26 10:00:01.123 UTC [77] LOG:  controller reset on bus seven" \
    "2026-11-26 10:00:01.123 UTC [77] ERROR:  controller reset on bus seven"
normal_log 3000 | sed 's/^/2026-11-26T10:00:00Z INFO /' >"$tmp/normal"
stamp="2026-11-26T10:00:01Z "

# Unweighted, the level changes nothing.
[ "$(score "DEBUG disk controller reset on bus seven" --severity-weight=0)" = \
  "$(score "ERROR disk controller reset on bus seven" --severity-weight=0)" ] ||
    fail "--severity-weight=0 still weighs the level"

# Words: a line with no level gets +2 for a word of the list, which the
# configuration file can extend.
plain=$(score "quota throttled for tenant seven")
printf 'severity-words +throttled\n' >"$tmp/conf"
worded=$(score "quota throttled for tenant seven" -c "$tmp/conf")
python3 -c "import sys; sys.exit(not abs($worded - $plain - 2) < 0.02)" ||
    fail "severity-words +throttled: $plain, then $worded"
# Replacing the list drops the built-in words.
builtin=$(score "quota refused for tenant seven")
printf 'severity-words throttled\n' >"$tmp/conf"
replaced=$(score "quota refused for tenant seven" -c "$tmp/conf")
python3 -c "import sys; sys.exit(not abs($builtin - $replaced - 2) < 0.02)" ||
    fail "severity-words throttled kept 'refused': $builtin, then $replaced"
printf 'severity-words ok,--\n' >"$tmp/conf"
run 2 "$AIOPSFILTER" -c "$tmp/conf" "$tmp/log"
contains "$tmp/err" "aiopsfilter: $tmp/conf:1: --severity-words: '--' has no letters"
exit 0
