# fluent-bit's exec input, as that plugin runs its command: through
# /bin/sh -c, its output read line by line with fgets() into a Buf_Size
# buffer while the command keeps running.  fluent-bit is not packaged in
# Debian, so a small driver does exactly that with the Command of
# samples/fluent-bit.conf (paths changed, and "tail -n +1" so no line
# written before tail starts is missed).  Each finding must arrive while
# the input is still open, fit the buffer, and suit the stock "json"
# parser the sample names.
. "$TOP_SRCDIR/tests/lib.sh"

command -v python3 >/dev/null || skip "python3 drives the test"
conf=$SAMPLES/fluent-bit.conf
setting() {
	sed -n "s/^ *$1  *//p" "$conf" | head -1
}
[ "$(setting Name)" = exec ] || fail "the sample's first input is not exec"
[ "$(setting Oneshot)" = true ] || fail "Oneshot is not true"
[ "$(setting Threaded)" = true ] || fail "Threaded is not true"
[ "$(setting Parser)" = json ] || fail "the sample's parser is not json"
bufsize=$(setting Buf_Size)
case $bufsize in
*MB) bufsize=$((${bufsize%MB} * 1024 * 1024)) ;;
*KB|*K) bufsize=$((${bufsize%K*} * 1024)) ;;
esac
[ "$bufsize" -ge 65536 ] || fail "Buf_Size $bufsize is too small for long lines"
cmd=$(setting Command | sed -e "s|/usr/local/bin/aiopsfilter|$AIOPSFILTER|" \
    -e "s|/var/log/app.log|$tmp/app.log|" -e "s|tail -n 0 |tail -n +1 |")
case $cmd in
"tail -n +1 -F $tmp/app.log | $AIOPSFILTER "*) ;;
*) fail "unexpected Command: $cmd" ;;
esac

normal_log 3000 >"$tmp/app.log"
python3 - "$cmd" "$bufsize" "$tmp/app.log" <<'PY' || fail "exec input driver"
import json, os, select, signal, subprocess, sys, time
cmd, bufsize, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]

# popen(cmd, "r"): /bin/sh -c cmd with a pipe on its stdout.
p = subprocess.Popen(['/bin/sh', '-c', cmd], stdout=subprocess.PIPE,
                     start_new_session=True)
out = p.stdout
def fgets(timeout):
    r, _, _ = select.select([out], [], [], timeout)
    if not r:
        return None
    return out.readline(bufsize - 1)        # fgets(buf, Buf_Size, fp)

def record(line):
    assert line.endswith(b'\n'), 'record longer than Buf_Size: %d' % len(line)
    r = json.loads(line)
    assert isinstance(r, dict), r
    # The stock json parser: Time_Key time, %d/%b/%Y:%H:%M:%S %z.
    assert 'time' not in r, 'top-level time key: %r' % r
    return r

def expect(text, timeout=15):
    end = time.time() + timeout
    while time.time() < end:
        line = fgets(end - time.time())
        if line is None:
            break
        assert line, 'the command ended'
        r = record(line)
        assert r['text'] == text, 'unexpected finding %r' % r
        return r
    raise AssertionError('no finding for %r while the input is open' % text)

def append(lines):
    with open(log, 'a') as f:
        for l in lines:
            f.write(l + '\n')

try:
    first = 'kernel: EXT4-fs error (device sda1): unable to read inode block'
    append([first])
    r = expect(first)
    assert r['kind'] == 'new' and r['line'] == 3001, r
    # More normal lines print nothing; the next oddity arrives at once.
    # (the same mix as before: a run of one kind would be a burst)
    append(['GET /api/items/%d 200 %dms' % (i, i % 40) if i % 3 == 0 else
            'worker %d processed batch %d with %d messages' % (i % 4, 9000 + i, i % 97)
            if i % 3 == 1 else
            'cache hit ratio 0.%d over last %d lookups' % (80 + i % 19, 1000 + i)
            for i in range(3001, 3301)])
    second = 'sshd: fatal: mm_request_receive: read: Connection reset by peer'
    append([second])
    expect(second)
    # A long line still fits in one record within Buf_Size.
    long = 'oops ' + 'x' * 20000 + ' trace follows'
    append([long])
    r = expect(long)
    assert p.poll() is None, 'the command ended while its input was open'
    # Nothing else came.
    assert fgets(0.5) is None
finally:
    os.killpg(p.pid, signal.SIGTERM)       # fluent-bit stopping
    p.wait(10)
PY
