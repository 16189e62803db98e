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
# Headers whose level is not a word: a syslog priority, Redis's mark.
normal_log 6000 | awk '{
	if (NR % 3 == 0) printf "<%d>1 2026-11-27T01:02:03Z h app - - - %s\n", 8 + NR % 8, $0
	else if (NR % 3 == 1) printf "%d:M 27 Nov 2026 01:02:03.123 %s %s\n", NR, substr(".-*#", NR % 4 + 1, 1), $0
	else printf "2026-11-27 01:02:03.123 UTC [%d] %s:  %s\n", NR, NR % 5 ? "LOG" : "ERROR", $0 }' >"$tmp/e.log"

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
same --all --explain -o json "$tmp/e.log"
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

# The default: a second thread only for 8 MiB of regular files or more,
# a compressed one counting four times its size.  Counted in
# /proc/PID/task once the program prints, with its output held up.
threads() {
	mkfifo "$tmp/held" || fail "mkfifo"
	exec 4<&0	# an asynchronous command's own is /dev/null
	"$AIOPSFILTER" --all "$@" <&4 4<&- >"$tmp/held" 2>/dev/null &
	pid=$!
	exec 4<&-
	exec 3<"$tmp/held"
	dd bs=1 count=1 <&3 >/dev/null 2>&1	# it judges, so it has started
	ls "/proc/$pid/task" | wc -l | tr -d ' '
	kill "$pid"
	exec 3<&-
	wait "$pid"
	rm -f "$tmp/held"
}
if [ -d /proc/self/task ] &&
    [ "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)" -ge 2 ]; then
	normal_log 100000 >"$tmp/small.log"		# about 3.5 MB
	cat "$tmp/small.log" "$tmp/small.log" "$tmp/small.log" >"$tmp/big.log"
	head -c 3000000 /dev/urandom | base64 >"$tmp/random.log"
	gzip -c "$tmp/random.log" >"$tmp/random.log.gz"	# about 3 MB
	[ "$(threads "$tmp/small.log")" = 1 ] || fail "2 threads on 3.5 MB"
	[ "$(threads -j 2 "$tmp/small.log")" = 2 ] ||
	    fail "-j 2: no second thread seen"
	[ "$(threads "$tmp/big.log")" = 2 ] || fail "1 thread on 10 MB"
	[ "$(threads "$tmp/small.log" "$tmp/small.log" "$tmp/small.log")" = 2 ] ||
	    fail "1 thread on 3 files of 3.5 MB"
	[ "$(threads "$tmp/random.log")" = 1 ] || fail "2 threads on 4 MB"
	[ "$(threads "$tmp/random.log.gz")" = 2 ] ||
	    fail "1 thread on 3 MB of gzip"
	[ "$(threads - <"$tmp/big.log")" = 2 ] ||
	    fail "1 thread on 10 MB as standard input"
	[ "$(cat "$tmp/big.log" | threads)" = 1 ] || fail "2 threads on a pipe"
fi

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
handlers_set $pid || fail "-j 2: the run did not start"
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
[ $status = 143 ] || fail "-j 2: status $status after SIGTERM, expected 143"
[ -s "$tmp/sig.state" ] || fail "-j 2: no state saved on SIGTERM"

# A record still open when a signal stops the run (its frames still
# coming) is judged and printed, with -j 2 as with -j 1.
for j in 1 2; do
	rm -f "$tmp/fifo2"
	mkfifo "$tmp/fifo2"
	"$AIOPSFILTER" -j $j --multiline=auto --all <"$tmp/fifo2" >"$tmp/ml.$j" &
	pid=$!
	{
		printf 'first plain line\njava.lang.IllegalStateException: pool closed\n'
		i=0
		while [ $i -lt 200 ]; do
			printf '\tat com.example.Pool.get(Pool.java:%d)\n' $i
			i=$((i + 1))
			sleep 0.02
		done
	} >"$tmp/fifo2" 2>/dev/null &
	writer=$!
	handlers_set $pid || fail "-j $j: the run did not start"
	sleep 0.5
	kill -TERM $pid
	ends_within 30 $pid || fail "-j $j: did not end on SIGTERM"
	wait $pid
	status=$?
	kill $writer 2>/dev/null
	wait $writer 2>/dev/null
	[ $status = 143 ] || fail "-j $j: status $status after SIGTERM with a record open"
	grep -q 'IllegalStateException: pool closed' "$tmp/ml.$j" ||
	    fail "-j $j: the open record was lost: $(cat "$tmp/ml.$j")"
done
# A live gzip pipe: a line is not held back while the decompressor waits
# for bytes of a block that gives no line yet (-j 2 handed lines over
# only when the pipe had nothing to read).
command -v python3 >/dev/null || skip "python3 drives the compressed pipe"
python3 - "$AIOPSFILTER" <<'PY' || fail "-j 2 held lines of a gzip pipe back"
import subprocess, zlib, os, time, select, fcntl, termios, struct, sys
prog = sys.argv[1]
lines = b''.join(b'worker %d picked job %d\n' % (i % 4, i) for i in range(2000))
lines += b'final line of part one zzz\n'
c = zlib.compressobj(6, zlib.DEFLATED, 31)
x = c.compress(lines) + c.flush(zlib.Z_SYNC_FLUSH)
y = c.compress(b'second part line\n') + c.flush(zlib.Z_SYNC_FLUSH) + c.flush()
p = subprocess.Popen([prog, '-j', '2', '--all', '--line-buffered'],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
p.stdin.write(x)
p.stdin.flush()
def queued():
    return struct.unpack('i', fcntl.ioctl(p.stdin.fileno(), termios.FIONREAD,
                                          b'\0' * 4))[0]
end = time.time() + 10
while queued() > 0 and time.time() < end:
    time.sleep(0.001)
p.stdin.write(y[:1])
p.stdin.flush()
out = b''
end = time.time() + 3
while b'zzz' not in out and time.time() < end:
    r, _, _ = select.select([p.stdout], [], [], 0.1)
    if r:
        out += os.read(p.stdout.fileno(), 65536)
assert b'zzz' in out, 'a line waited for compressed bytes that gave none'
p.stdin.write(y[1:])
p.stdin.close()
out += p.stdout.read()
assert p.wait(timeout=10) in (0, 1), p.returncode
assert b'second part line' in out, 'the rest was lost'
PY
exit 0
