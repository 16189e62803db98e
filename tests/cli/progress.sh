# Progress on standard error: on by itself only when standard error is a
# terminal and the inputs are files; --progress forces it, --no-progress
# stops it; drawn in place and erased at the end, never in the records.
. "$TOP_SRCDIR/tests/lib.sh"

command -v python3 >/dev/null || skip "python3 provides the terminal"
normal_log 30000 >"$tmp/log"
gzip -c "$tmp/log" >"$tmp/log.gz"

# Not a terminal: nothing, unless forced.
run 1 "$AIOPSFILTER" "$tmp/log"
[ -s "$tmp/err" ] && fail "progress without a terminal: $(od -c "$tmp/err" | head -3)"
run 1 "$AIOPSFILTER" --progress "$tmp/log" "$tmp/log.gz"
contains "$tmp/err" "lines/s, ETA "
contains "$tmp/err" "of 1."
printf '\r\033[K' >"$tmp/erase"
[ "$(tail -c 4 "$tmp/err" | od -An -c)" = "$(od -An -c <"$tmp/erase")" ] ||
    fail "progress line not erased at the end"
run 1 "$AIOPSFILTER" --progress --no-progress "$tmp/log"
[ -s "$tmp/err" ] && fail "--no-progress drew"
run 1 "$AIOPSFILTER" --progress <"$tmp/log"
contains "$tmp/err" "lines/s"
cat "$tmp/log" | "$AIOPSFILTER" --progress >/dev/null 2>"$tmp/err"
lacks "$tmp/err" "ETA"

# A terminal on standard error.  Standard output is a pipe the test does
# not read for 1.5 s, so the run outlasts the one-second delay; then
# progress must show, in place, and be erased at the end.
python3 - "$AIOPSFILTER" "$tmp/log" <<'PY' || fail "progress on a terminal"
import os, pty, subprocess, sys, time
prog, log = sys.argv[1:3]
def run(*opts):
    master, slave = pty.openpty()
    p = subprocess.Popen([prog, '--all', *opts, log], stdout=subprocess.PIPE,
                         stderr=slave)
    os.close(slave)
    time.sleep(1.5)
    out = p.stdout.read()
    p.wait(20)
    err = b''
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        err += chunk
    os.close(master)
    assert out.count(b'\n') == 30000, 'records lost'
    assert b'lines/s' not in out, 'progress in the records'
    return err
err = run()
assert b'lines/s, ETA' in err, err[:200]
assert err.startswith(b'\r') and err.endswith(b'\r\x1b[K'), err[-40:]
assert b'\n' not in err, 'progress scrolled'
assert run('--no-progress') == b''
PY

# With -j 2 a batch is handed over after its input has closed (a file
# smaller than a batch is one): its lines were read to the end, and
# progress must not draw them at offset 0 of that input.  Standard
# output is held up so that the run draws while judging that batch.
head -3000 "$tmp/log" >"$tmp/small"
python3 - "$AIOPSFILTER" "$tmp/small" <<'PY' || fail "progress of a closed input's batch"
import os, subprocess, sys, time
prog, log = sys.argv[1:3]
def run(jobs):
    r, w = os.pipe()
    p = subprocess.Popen([prog, jobs, '--progress', '--all', log],
                         stdout=subprocess.PIPE, stderr=w)
    os.close(w)
    time.sleep(1.5)
    out = p.stdout.read()
    p.wait(20)
    err = b''
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        err += chunk
    os.close(r)
    assert out.count(b'\n') == 3000, 'records lost'
    return err
err = run('-j1')
assert b' of ' in err and b'\r0 B of' not in err, err[:200]
err = run('-j2')
assert b'\r0 B of' not in err, err[:200]
PY
