# Exit status like grep: 0 flagged, 1 none, 2 trouble.
. "$TOP_SRCDIR/tests/lib.sh"

normal_log 3000 >"$tmp/normal"
{ cat "$tmp/normal"; echo "panic: out of cheese"; } >"$tmp/novel"

run 1 "$AIOPSFILTER" "$tmp/normal"
[ -s "$tmp/out" ] && fail "a normal log printed lines"
run 0 "$AIOPSFILTER" "$tmp/novel"
run 1 "$AIOPSFILTER" /dev/null

# -q prints nothing and only says yes or no.
run 0 "$AIOPSFILTER" -q "$tmp/novel"
[ -s "$tmp/out" ] && fail "-q printed"
run 1 "$AIOPSFILTER" --quiet "$tmp/normal"
run 0 "$AIOPSFILTER" --silent "$tmp/novel"
[ -s "$tmp/out" ] && fail "--silent printed"
# --templates: 0 when a template was learned, 1 when none was; -a: 0 when
# a line was printed.
run 0 "$AIOPSFILTER" --templates "$tmp/normal"
run 1 "$AIOPSFILTER" --templates /dev/null
run 0 "$AIOPSFILTER" -a "$tmp/normal"

# A missing file is reported, the other files are still read, status 2.
run 2 "$AIOPSFILTER" "$tmp/missing" "$tmp/novel"
contains "$tmp/err" "aiopsfilter: $tmp/missing: No such file or directory"
contains "$tmp/out" "panic: out of cheese"
[ "$(lines "$tmp/err")" = 1 ] || fail "more than one error line"
# A name with a newline in it is shown escaped: the error is one line.
run 2 "$AIOPSFILTER" "$tmp/no
such" "$tmp/novel"
contains "$tmp/err" "aiopsfilter: $tmp/no\x0asuch: No such file or directory"
[ "$(lines "$tmp/err")" = 1 ] || fail "a newline in a name broke its error: $(cat "$tmp/err")"

# ... but with -q a flagged line wins, as with grep.
run 0 "$AIOPSFILTER" -q "$tmp/missing" "$tmp/novel"

# A directory is an error for that argument only.
run 2 "$AIOPSFILTER" "$tmp" "$tmp/novel"
contains "$tmp/err" "aiopsfilter: $tmp: Is a directory"

# --warmup: lines inside it only learn.
run 1 "$AIOPSFILTER" --warmup=4000 "$tmp/novel"

# --help and --version are output too: a write error is status 2.
if [ -w /dev/full ]; then
	"$AIOPSFILTER" --version >/dev/full 2>"$tmp/err"
	[ $? = 2 ] || fail "--version to a full disk: not status 2"
	contains "$tmp/err" "aiopsfilter: standard output:"
fi
# So is a --summary that standard error cannot take, whatever the lines
# did; a run without one ignores a full standard error.
if [ -w /dev/full ]; then
	"$AIOPSFILTER" --summary "$tmp/novel" >"$tmp/out" 2>/dev/full
	[ $? = 2 ] || fail "--summary to a full disk: not status 2"
	contains "$tmp/out" "out of cheese"
	"$AIOPSFILTER" "$tmp/novel" >"$tmp/out" 2>/dev/full
	[ $? = 0 ] || fail "a full standard error without --summary: not status 0"
fi
"$AIOPSFILTER" --help >&- 2>"$tmp/err"
[ $? = 2 ] || fail "--help to a closed standard output: not status 2"
run 0 "$AIOPSFILTER" --version
