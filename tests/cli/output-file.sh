# --output-file: records appended to a file that SIGHUP opens again, as
# logrotate expects; --omprog: rsyslog's confirmation protocol.
. "$TOP_SRCDIR/tests/lib.sh"

command -v python3 >/dev/null || skip "python3 drives the protocol"
normal_log 3000 >"$tmp/normal"

# Records go to the file, appended after what it had; stdout stays empty.
echo "earlier content" >"$tmp/found"
{ cat "$tmp/normal"; echo "kernel: EXT4-fs error (device sda1): bad block"; } >"$tmp/log"
run 0 "$AIOPSFILTER" -o json --output-file="$tmp/found" "$tmp/log"
[ -s "$tmp/out" ] && fail "records went to stdout too"
[ "$(head -1 "$tmp/found")" = "earlier content" ] || fail "the file was not appended to"
contains "$tmp/found" "EXT4-fs error"

# Live, through a rotation: mv, SIGHUP, and the next record is in the new
# file while the old one keeps what it had.
rm -f "$tmp/found"
mkfifo "$tmp/in"
"$AIOPSFILTER" --output-file="$tmp/found" <"$tmp/in" 2>"$tmp/err" &
pid=$!
exec 3>"$tmp/in"
cat "$tmp/normal" >&3
echo "first oddity: disk on fire" >&3
wait_for "$tmp/found" "disk on fire" || { kill $pid; fail "record not written while input open"; }
mv "$tmp/found" "$tmp/found.1"
kill -HUP $pid
sleep 0.3
normal_log 200 >&3
echo "second oddity: fan stopped spinning entirely" >&3
wait_for "$tmp/found" "fan stopped" || { kill $pid; fail "no new file after SIGHUP"; }
lacks "$tmp/found" "disk on fire"
lacks "$tmp/found.1" "fan stopped"
kill -0 $pid || fail "SIGHUP ended the run"
exec 3>&-
wait $pid
[ $? = 0 ] || fail "exit status $? after EOF"
[ -s "$tmp/err" ] && fail "stderr: $(cat "$tmp/err")"

# A file that cannot be opened again: said once, the old one written on,
# and status 2 at the end.
mkdir "$tmp/dir"
mkfifo "$tmp/reopen"
"$AIOPSFILTER" --output-file="$tmp/dir/found" <"$tmp/reopen" 2>"$tmp/err" &
pid=$!
exec 3>"$tmp/reopen"
cat "$tmp/normal" >&3
echo "first oddity: disk on fire" >&3
wait_for "$tmp/dir/found" "disk on fire" || { kill $pid; fail "record not written"; }
mv "$tmp/dir" "$tmp/dir.old"
kill -HUP $pid
sleep 0.3
echo "second oddity: fan stopped spinning entirely" >&3
wait_for "$tmp/dir.old/found" "fan stopped" ||
    { kill $pid; fail "the old file was not written on after a failed reopen"; }
exec 3>&-
wait $pid
st=$?
[ $st = 2 ] || fail "exit status $st after a failed reopen, expected 2"
[ "$(cat "$tmp/err")" = "aiopsfilter: $tmp/dir/found: No such file or directory" ] ||
    fail "failed reopen: $(cat "$tmp/err")"

# A file that cannot be opened: one line, exit 2, nothing read.
run 2 "$AIOPSFILTER" --output-file="$tmp/no/such/dir/found" "$tmp/log"
[ "$(cat "$tmp/err")" = "aiopsfilter: $tmp/no/such/dir/found: No such file or directory" ] ||
    fail "bad error: $(cat "$tmp/err")"

# --omprog without --output-file is a usage error.
run 2 "$AIOPSFILTER" --omprog "$tmp/log"
contains "$tmp/err" "aiopsfilter: --omprog needs --output-file"
# Nor may it stop at the first finding: rsyslog would restart it.
run 2 "$AIOPSFILTER" --omprog -q --output-file="$tmp/q.out" "$tmp/log"
contains "$tmp/err" "aiopsfilter: --omprog reads until rsyslog stops it"

# The omprog protocol, as rsyslog speaks it with confirmMessages="on":
# OK once ready, then one message at a time, each answered OK; the
# finding is in the file by the time its OK arrives.
python3 - "$AIOPSFILTER" "$tmp/omprog-found" "$tmp/normal" <<'PY' || fail "omprog protocol"
import subprocess, sys, select, time
prog, found, normal = sys.argv[1:4]
p = subprocess.Popen([prog, '--omprog', '--output-file', found],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def ok():
    r, _, _ = select.select([p.stdout], [], [], 10)
    assert r, 'no reply within 10 s'
    line = p.stdout.readline()
    assert line == b'OK\n', line
ok()                                    # ready
for line in open(normal, 'rb'):
    p.stdin.write(line); p.stdin.flush(); ok()
p.stdin.write(b'panic: scheduler queue corrupted at slot 7\n'); p.stdin.flush(); ok()
assert b'scheduler queue corrupted' in open(found, 'rb').read(), 'finding not written before OK'
p.stdin.close()                         # rsyslog closes the pipe to stop us
assert p.wait(timeout=10) == 0, p.returncode
assert p.stdout.read() == b'', 'output after EOF'
PY

# SIGTERM while rsyslog reads no reply: the run ends by the signal, as
# between lines, without an error about the interrupted reply.
python3 - "$AIOPSFILTER" "$tmp/omprog-stuck" <<'PY' || fail "omprog stopped while its reply waits"
import signal, subprocess, sys, threading, time
prog, found = sys.argv[1:3]
p = subprocess.Popen([prog, '--omprog', '--output-file', found],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE)
def feed():
    try:
        for i in range(40000):
            p.stdin.write(b'worker %d done\n' % i)
        p.stdin.flush()
    except (BrokenPipeError, OSError):
        pass
threading.Thread(target=feed, daemon=True).start()
time.sleep(2)                           # its replies fill the pipe
p.send_signal(signal.SIGTERM)
assert p.wait(timeout=10) == -signal.SIGTERM, p.returncode
err = p.stderr.read()
assert b'Interrupted' not in err, err
PY

# With --multiline, each line is confirmed once read; the record it
# belongs to is written when whole: when the next starts, or the input
# has been quiet for 100 ms.
python3 - "$AIOPSFILTER" "$tmp/omprog-ml" "$tmp/normal" <<'PY' || fail "omprog with --multiline"
import subprocess, sys, select, time
prog, found, normal = sys.argv[1:4]
p = subprocess.Popen([prog, '--omprog', '--multiline=auto', '--output-file',
                      found], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def ok():
    r, _, _ = select.select([p.stdout], [], [], 10)
    assert r, 'no reply within 10 s'
    assert p.stdout.readline() == b'OK\n'
ok()
for line in open(normal, 'rb'):
    p.stdin.write(line); p.stdin.flush(); ok()
p.stdin.write(b'ERROR handler: java.lang.IllegalStateException: boom\n')
p.stdin.flush(); ok()
p.stdin.write(b'\tat com.example.Handler.run(Handler.java:42)\n')
p.stdin.flush(); ok()
time.sleep(0.5)
text = open(found, 'rb').read()
assert b'IllegalStateException: boom\n\tat com.example.Handler' in text, text[-300:]
p.stdin.close()
assert p.wait(timeout=10) == 0, p.returncode
PY

# SIGTERM (omprog's signalOnClose, or a shutdown): prompt exit, file flushed.
mkfifo "$tmp/in2"
"$AIOPSFILTER" --omprog --output-file="$tmp/term-found" <"$tmp/in2" >"$tmp/oks" 2>&1 &
pid=$!
exec 4>"$tmp/in2"
cat "$tmp/normal" >&4
echo "watchdog: task stuck for 120 seconds" >&4
wait_for "$tmp/oks" "OK" || fail "no OK"
i=0
while [ "$(lines "$tmp/oks")" -lt 3002 ]; do
	i=$((i + 1)); [ $i -gt 100 ] && fail "only $(lines "$tmp/oks") OKs"; sleep 0.1
done
kill -TERM $pid
i=0
while kill -0 $pid 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 50 ] && { kill -9 $pid; fail "SIGTERM did not stop it"; }
	sleep 0.1
done
exec 4>&-
contains "$tmp/term-found" "task stuck for 120 seconds"

# An output file that is a FIFO waits for its reader: SIGHUP meanwhile
# is no error, and SIGTERM ends the run by the signal, quietly.
mkfifo "$tmp/out-fifo"
"$AIOPSFILTER" -s "$tmp/fifo-state" --output-file="$tmp/out-fifo" "$tmp/normal" 2>"$tmp/fifo-err" &
pid=$!
handlers_set $pid || fail "no signal handlers in ten seconds"
sleep 0.2
kill -HUP $pid
sleep 0.2
kill -0 $pid 2>/dev/null || fail "SIGHUP ended a run waiting for its FIFO's reader"
kill -TERM $pid
ends_within 50 $pid || fail "SIGTERM did not stop a run waiting for its FIFO's reader"
wait $pid
st=$?
[ $st = 143 ] || fail "a run stopped waiting for its FIFO's reader: status $st, not 143"
[ -s "$tmp/fifo-err" ] && fail "a run stopped waiting for its FIFO's reader: $(cat "$tmp/fifo-err")"
# The same when the file, rotated, comes back as a FIFO.
mkfifo "$tmp/in3"
"$AIOPSFILTER" -a -s "$tmp/fifo-state" --output-file="$tmp/rotated" <"$tmp/in3" 2>"$tmp/fifo-err" &
pid=$!
exec 4>"$tmp/in3"
echo "first line of the run" >&4
wait_for "$tmp/rotated" "first line of the run" || { kill $pid; fail "record not written"; }
mv "$tmp/rotated" "$tmp/rotated.1"
mkfifo "$tmp/rotated"
kill -HUP $pid
sleep 0.3
kill -TERM $pid
ends_within 50 $pid || fail "SIGTERM did not stop a run reopening into a FIFO"
wait $pid
st=$?
exec 4>&-
[ $st = 143 ] || fail "a run stopped reopening into a FIFO: status $st, not 143"
[ -s "$tmp/fifo-err" ] && fail "a run stopped reopening into a FIFO: $(cat "$tmp/fifo-err")"

# The state, or a file beside it that a save makes, is no output file:
# refused, and not left behind when the run made it.
normal_log 300 >"$tmp/short"
run 2 "$AIOPSFILTER" -s "$tmp/model" --output-file="$tmp/model" "$tmp/short"
contains "$tmp/err" "aiopsfilter: $tmp/model: the output file is the state"
[ -e "$tmp/model" ] && fail "the refused output file was left behind"
run 1 "$AIOPSFILTER" -s "$tmp/model" "$tmp/short"
cp "$tmp/model" "$tmp/model.saved"
for f in model model.lock model.tmp; do
	run 2 "$AIOPSFILTER" -s "$tmp/model" --output-file="$tmp/$f" "$tmp/short"
	contains "$tmp/err" "aiopsfilter: $tmp/$f: the output file is the state"
done
[ -e "$tmp/model.tmp" ] && fail "model.tmp was left behind"
cmp -s "$tmp/model" "$tmp/model.saved" || fail "the state changed"
ln -s model "$tmp/alias"
run 2 "$AIOPSFILTER" -s "$tmp/model" --output-file="$tmp/alias" "$tmp/short"
contains "$tmp/err" "the output file is the state"
