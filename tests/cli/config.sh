# -c FILE: options from a file, the command line winning; errors name
# the file and line and exit 2.
. "$TOP_SRCDIR/tests/lib.sh"

awk 'BEGIN { for (i = 1; i <= 300; i++)
	printf "session sess-%08x of tenant=acme-%d opened in %d ms\n", i * 7919, i % 3, i % 40 }' >"$tmp/log"

# The bundled example is valid, and its masks are used.
run 0 "$AIOPSFILTER" -c "$SAMPLES/aiopsfilter.conf" --templates --show-class "$tmp/log"
contains "$tmp/out" "session <SESSION> of tenant=<TENANT> opened in <NUM> ms"
[ "$(lines "$tmp/out")" = 1 ] || fail "the masks did not make one template"

# Options, comments, blank lines; the command line wins.
cat >"$tmp/conf" <<'CONF'
# comment
threshold 1000

mask SESSION sess-[0-9a-f]{8}
CONF
run 1 "$AIOPSFILTER" -c "$tmp/conf" "$tmp/log"
[ "$(lines "$tmp/out")" = 0 ] || fail "threshold 1000 from the file was not used"
# (at threshold 0 every line is a finding; rationing still prints each
# template's finding once per window)
run 0 "$AIOPSFILTER" --config="$tmp/conf" -t 0 "$tmp/log"
[ "$(lines "$tmp/out")" -gt 0 ] || fail "-t 0 on the command line did not win"
run 0 "$AIOPSFILTER" -t 0 -c "$tmp/conf" "$tmp/log"
[ "$(lines "$tmp/out")" -gt 0 ] || fail "-c after -t overrode it"

# Errors: one line, "FILE:LINE: reason", status 2.
bad() {
	printf '%s\n' "$1" >"$tmp/bad.conf"
	run 2 "$AIOPSFILTER" -c "$tmp/bad.conf" "$tmp/log"
	contains "$tmp/err" "aiopsfilter: $tmp/bad.conf:1: $2"
	[ "$(lines "$tmp/err")" = 1 ] || fail "more than one error line for '$1'"
	[ ! -s "$tmp/out" ] || fail "output despite a bad configuration"
}
bad "bogus 1" "unknown option 'bogus'"
bad "threshold abc" "--threshold: invalid value 'abc'"
bad "threshold" "'threshold' needs a value"
bad "all yes" "'all' takes no value"
bad "config other.conf" "'config' cannot be set in a configuration file"
bad "help" "'help' cannot be set in a configuration file"
bad "version" "'version' cannot be set in a configuration file"
bad "bad_name 1" "bad option name 'bad_name'"
bad "threshold=12" "bad option name 'threshold=12' (a line is a name, whitespace and its value)"
bad "--threshold 12" "unknown option '--threshold' (a name is written without its dashes)"
bad "mask NOREGEX" "--mask: 'NOREGEX' is not NAME=REGEX"
bad "mask X (" "--mask X: invalid regex: missing closing parenthesis at offset 1"
bad "format <Date> (<Content>" "--format: missing closing parenthesis"
bad "format-regex (?<time>\S+) (?<x>.*)" "--format-regex: no Content field"
bad "output xml" "--output: unknown format 'xml' (text, json or logfmt)"

printf 'threshold 5\n\n# c\nwarmup -1\n' >"$tmp/bad.conf"
run 2 "$AIOPSFILTER" -c "$tmp/bad.conf" "$tmp/log"
contains "$tmp/err" "$tmp/bad.conf:4: --warmup:"

run 2 "$AIOPSFILTER" -c "$tmp/missing.conf" "$tmp/log"
contains "$tmp/err" "aiopsfilter: $tmp/missing.conf: No such file or directory"

# A byte order mark before the first line is no part of it; bytes that
# cannot be shown are shown as \xNN.
printf '\357\273\277threshold 1000\n' >"$tmp/bom.conf"
run 1 "$AIOPSFILTER" -c "$tmp/bom.conf" "$tmp/log"
printf 'thr\001eshold 12\n' >"$tmp/bad.conf"
run 2 "$AIOPSFILTER" -c "$tmp/bad.conf" "$tmp/log"
contains "$tmp/err" "bad.conf:1: bad option name 'thr\\x01eshold'"

# --learn or --no-learn on the command line replaces the file's.
printf 'learn\n' >"$tmp/learn.conf"
run 0 "$AIOPSFILTER" -c "$tmp/learn.conf" -s "$tmp/model" "$tmp/log"
[ -s "$tmp/model" ] || fail "learn in a configuration file saved nothing"
[ -s "$tmp/out" ] && fail "learn printed"
# A file's output options are for the runs that print: --learn on the
# command line passes them by.
printf 'all\nexplain\noutput json\n' >"$tmp/print.conf"
run 0 "$AIOPSFILTER" -c "$tmp/print.conf" --learn -s "$tmp/model" "$tmp/log"
[ -s "$tmp/out" ] && fail "--learn printed with a file's --all"
run 0 "$AIOPSFILTER" -c "$tmp/learn.conf" --no-learn -s "$tmp/model" -t 0 "$tmp/log"
[ -s "$tmp/out" ] || fail "--no-learn did not replace the file's learn"
run 2 "$AIOPSFILTER" -c "$tmp/learn.conf" --learn --no-learn -s "$tmp/model" "$tmp/log"
contains "$tmp/err" "--learn and --no-learn exclude each other"

# A --mask on the command line adds to the file's masks.
printf 'mask SESSION=s-[0-9a-f]+x\n' >"$tmp/m.conf"
awk 'BEGIN { for (i = 0; i < 5; i++)
	printf "session s-%xx opened by T-%d\n", 4000 + 7 * i, 100 + i }' >"$tmp/m.log"
run 0 "$AIOPSFILTER" -c "$tmp/m.conf" --show-class --templates "$tmp/m.log"
contains "$tmp/out" "	session <SESSION> opened by T-<NUM>"
run 0 "$AIOPSFILTER" -c "$tmp/m.conf" --mask 'TICKET=T-[0-9]+' --show-class \
    --templates "$tmp/m.log"
contains "$tmp/out" "	session <SESSION> opened by <TICKET>"
