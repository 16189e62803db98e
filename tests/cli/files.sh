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

# Inputs whose times go back (a rotated set newest first): each line is
# judged at the latest time read, so a warning says to give them oldest
# first, once per such input; oldest first, or a few minutes back (hosts'
# clocks differ), says nothing.
stamped() {	# stamped DAY N: N lines on 2026-11-DAY, a second apart
	normal_log "$2" | awk -v d="$1" '{ printf "2026-11-%02d %02d:%02d:%02d %s\n", d, int(NR / 3600) % 24, int(NR / 60) % 60, NR % 60, $0 }'
}
stamped 20 500 >"$tmp/app.log.1"
stamped 22 500 >"$tmp/app.log"
for j in 1 2; do
	run 0 "$AIOPSFILTER" -j$j -a --window=5m "$tmp/app.log" "$tmp/app.log.1"
	[ "$(cat "$tmp/err")" = "aiopsfilter: $tmp/app.log.1: starts 2 days before the inputs read already: give inputs oldest first" ] ||
	    fail "-j$j: newest first: '$(cat "$tmp/err")'"
	run 0 "$AIOPSFILTER" -j$j -a --window=5m "$tmp/app.log.1" "$tmp/app.log"
	[ -s "$tmp/err" ] && fail "-j$j: oldest first warned: $(cat "$tmp/err")"
done
{ stamped 22 100 | sed 's/^2026-11-22 00/2026-11-22 01/'; } >"$tmp/host1"
stamped 22 100 >"$tmp/host2"
run 0 "$AIOPSFILTER" -a --window=5m "$tmp/host1" "$tmp/host2"
[ -s "$tmp/err" ] || fail "an hour back said nothing"
contains "$tmp/err" "host2: starts 62 minutes before"
stamped 22 100 | sed 's/^2026-11-22 00:01/2026-11-22 00:04/' >"$tmp/host1"
run 0 "$AIOPSFILTER" -a --window=5m "$tmp/host1" "$tmp/host2"
[ -s "$tmp/err" ] && fail "minutes of skew warned: $(cat "$tmp/err")"

# -n: each line's number in its own file, as grep -n prints it, and
# file_line in JSON; line counts across the inputs.
normal_log 300 >"$tmp/n1"
{ normal_log 40; echo "raid: array md0 degraded, disk sdb missing"; } >"$tmp/n2"
run 0 "$AIOPSFILTER" -n "$tmp/n1" "$tmp/n2"
grep -q "^$tmp/n2:41:[0-9.]* new [0-9]* raid: array md0 degraded" "$tmp/out" ||
    fail "-n: $(cat "$tmp/out")"
run 0 "$AIOPSFILTER" -n -B1 "$tmp/n1" "$tmp/n2"
grep -q "^$tmp/n2-40-- context" "$tmp/out" || fail "-n with context: $(cat "$tmp/out")"
run 0 "$AIOPSFILTER" -n "$tmp/n1" - <"$tmp/n2"
grep -q "^(standard input):41:" "$tmp/out" || fail "-n on standard input: $(cat "$tmp/out")"
run 0 "$AIOPSFILTER" -o json "$tmp/n1" "$tmp/n2"
contains "$tmp/out" "\"line\":341,\"file\":\"$tmp/n2\",\"file_line\":41,"
# The long names of -H and -n.
run 0 "$AIOPSFILTER" -H -n "$tmp/n2"
mv "$tmp/out" "$tmp/short"
run 0 "$AIOPSFILTER" --with-filename --line-number "$tmp/n2"
cmp -s "$tmp/out" "$tmp/short" || fail "--with-filename --line-number differ from -H -n"
grep -q "^$tmp/n2:41:" "$tmp/out" || fail "--with-filename --line-number: $(cat "$tmp/out")"
exit 0
