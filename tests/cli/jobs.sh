# -j: a thread that reads and parses ahead changes nothing in what is
# printed, whatever the input, options, errors and exit status.
. "$TOP_SRCDIR/tests/lib.sh"

normal_log 30000 >"$tmp/a.log"
{
	normal_log 9000
	echo "kernel: disk controller reset on bus seven"
	normal_log 9000
} | gzip >"$tmp/b.log.gz"
awk '{ gsub(/"/, ""); printf "{\"log\":\"%s\",\"host\":\"h%d\"}\n", $0, NR % 3 }
    NR % 1000 == 0 { print "not json"; print "{\"level\":\"info\"}" }' \
    "$tmp/a.log" >"$tmp/c.json"
{
	normal_log 3000
	echo "java.lang.IllegalStateException: pool closed"
	echo "	at com.example.Pool.get(Pool.java:42)"
	echo "	at com.example.Main.run(Main.java:7)"
	normal_log 3000
} >"$tmp/d.log"

# same ARGS...: -j 1 and -j 2 print the same bytes, report the same
# errors and exit with the same status.
same() {
	"$AIOPSFILTER" -j 1 "$@" >"$tmp/o1" 2>"$tmp/e1"
	s1=$?
	"$AIOPSFILTER" -j 2 "$@" >"$tmp/o2" 2>"$tmp/e2"
	s2=$?
	[ "$s1" = "$s2" ] || fail "-j 2 $*: status $s2, -j 1: $s1"
	cmp -s "$tmp/o1" "$tmp/o2" || fail "-j 2 $*: other output than -j 1"
	cmp -s "$tmp/e1" "$tmp/e2" || fail "-j 2 $*: other errors than -j 1"
}

same "$tmp/a.log"
same --all -o json "$tmp/a.log" "$tmp/b.log.gz"
same --explain -o json "$tmp/b.log.gz"
same "$tmp/a.log" "$tmp/nonexistent" "$tmp/b.log.gz"
same "$tmp/a.log" "$tmp"
same --input=json --key=host --all "$tmp/c.json"
same --input=auto --summary -o json --all "$tmp/c.json"
same --multiline=auto --all "$tmp/d.log"
same --summary --templates "$tmp/a.log"
same -q "$tmp/b.log.gz"
same --mask 'batch=batch [0-9]+' --all "$tmp/a.log"
same -f none --incidents -C 1 "$tmp/b.log.gz"
[ "$(lines "$tmp/o1")" -gt 0 ] || fail "nothing printed to compare"

# From a pipe as well, asked for.
"$AIOPSFILTER" -j 1 "$tmp/a.log" >"$tmp/o1"
cat "$tmp/a.log" | "$AIOPSFILTER" -j 2 >"$tmp/o2" ||
    [ $? = 1 ] || fail "-j 2 from a pipe failed"
cmp -s "$tmp/o1" "$tmp/o2" || fail "-j 2 from a pipe: other output"

# A line on a pipe that stays open is judged at once, not when a batch
# fills; -q stops at once with the pipe still open.
{ normal_log 300; echo "kernel: disk controller reset on bus seven"; sleep 5; } |
    "$AIOPSFILTER" -j 2 --line-buffered >"$tmp/live" &
pid=$!
n=0
while [ "$n" -lt 40 ] && ! grep -q 'controller reset' "$tmp/live"; do
	sleep 0.1
	n=$((n + 1))
done
grep -q 'controller reset' "$tmp/live" || fail "-j 2 held a line back on a pipe"
wait "$pid"
{ normal_log 300; echo "kernel: disk controller reset on bus seven"; sleep 6; } |
    { "$AIOPSFILTER" -j 2 -q; echo $? >"$tmp/q"; } &
n=0
while [ "$n" -lt 40 ] && ! [ -s "$tmp/q" ]; do
	sleep 0.1
	n=$((n + 1))
done
[ -s "$tmp/q" ] || fail "-j 2 -q waited for the pipe to close"
[ "$(cat "$tmp/q")" = 0 ] || fail "-j 2 -q: no finding"
wait

run 2 "$AIOPSFILTER" -j 0 "$tmp/a.log"
contains "$tmp/err" "--jobs"
run 2 "$AIOPSFILTER" --jobs=many "$tmp/a.log"
contains "$tmp/err" "--jobs"

# SIGTERM while -j 2 waits on a pipe that stays open: the state is saved
# and the run ends at once, not when the input closes.
mkfifo "$tmp/fifo"
"$AIOPSFILTER" -j 2 -s "$tmp/sig.state" <"$tmp/fifo" >/dev/null 2>&1 &
pid=$!
exec 4>"$tmp/fifo"
echo "hello world" >&4
sleep 0.3
kill -TERM $pid
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 30 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 $pid 2>/dev/null; then
	kill -9 $pid
	fail "-j 2 did not end on SIGTERM with its pipe open"
fi
wait $pid
status=$?
exec 4>&-
[ $status = 1 ] || fail "-j 2: status $status after SIGTERM, expected 1"
[ -s "$tmp/sig.state" ] || fail "-j 2: no state saved on SIGTERM"
exit 0
