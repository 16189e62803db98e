# Several inputs: order, line numbers across inputs, file names.
. "$TOP_SRCDIR/tests/lib.sh"

normal_log 2000 >"$tmp/a.log"
{ normal_log 5; echo "fatal: disk on fire"; } >"$tmp/b.log"

# Line numbers count across inputs; the model carries over.
run 0 "$AIOPSFILTER" -o json "$tmp/a.log" "$tmp/b.log"
contains "$tmp/out" "\"line\":2006,\"file\":\"$tmp/b.log\""

# Text output names the file when there is more than one, like grep.
run 0 "$AIOPSFILTER" "$tmp/a.log" "$tmp/b.log"
grep -q "^$tmp/b.log:[0-9.]* new [0-9]* fatal: disk on fire\$" "$tmp/out" ||
    fail "no file name with two inputs"
run 0 "$AIOPSFILTER" --no-filename "$tmp/a.log" "$tmp/b.log"
lacks "$tmp/out" "$tmp/b.log:"
cat "$tmp/a.log" "$tmp/b.log" >"$tmp/ab.log"
run 0 "$AIOPSFILTER" -H "$tmp/ab.log"
contains "$tmp/out" "$tmp/ab.log:"

# "-" is standard input, in its place among the files.
run 0 "$AIOPSFILTER" -o json "$tmp/a.log" - <"$tmp/b.log"
contains "$tmp/out" '"line":2006,"score"'
