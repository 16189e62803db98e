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

# An input that is also the output is left out, as grep does: read, it
# would grow as fast as it is read and never end.
cp "$tmp/b.log" "$tmp/self.log"
before=$(lines "$tmp/self.log")
timeout 20 "$AIOPSFILTER" -a "$tmp/a.log" "$tmp/self.log" >>"$tmp/self.log" \
    2>"$tmp/err"
[ $? = 2 ] || fail "an input that is the output: not status 2"
contains "$tmp/err" "aiopsfilter: $tmp/self.log: input file is also the output"
[ "$(lines "$tmp/self.log")" -eq $((before + 2000)) ] ||
    fail "the other input was not read, or the output was read back"
timeout 20 "$AIOPSFILTER" -a <"$tmp/self.log" >>"$tmp/self.log" 2>"$tmp/err"
[ $? = 2 ] || fail "standard input that is the output: not status 2"
contains "$tmp/err" "aiopsfilter: standard input: input file is also the output"
run 2 timeout 20 "$AIOPSFILTER" --output-file="$tmp/self.log" "$tmp/self.log"
contains "$tmp/err" "input file is also the output"
