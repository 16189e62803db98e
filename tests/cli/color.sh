# --color: text records in colour on a terminal (or when asked), never in
# JSON or logfmt, never where NO_COLOR or TERM=dumb says no; the colours
# add escapes and nothing else, and mark the value a finding is about.
. "$TOP_SRCDIR/tests/lib.sh"

esc=$(printf '\033')
# A status that takes two values for 400 lines, then one never seen, and
# 100 lines later a line of a new shape: a value finding and a new one
# (with -t 5: in a log of one template the status scores about 9.6).
awk 'BEGIN {
	for (i = 1; i <= 400; i++)
		printf "INFO api: request done status=%d user=u%d\n", 200 + i % 2, i
	print "INFO api: request done status=503 user=u9999"
	for (i = 401; i <= 500; i++)
		printf "INFO api: request done status=%d user=u%d\n", 200 + i % 2, i
	print "ERROR disk: sda1 went read-only"
}' >"$tmp/log"
opts="-t 5 --explain"

plain() {
	sed "s/$esc\[[0-9;]*m//g" "$1"
}

run 0 "$AIOPSFILTER" $opts "$tmp/log"
cp "$tmp/out" "$tmp/plain"
[ "$(lines "$tmp/plain")" = 2 ] || fail "expected 2 findings: $(cat "$tmp/plain")"
contains "$tmp/plain" " value 1 "
! grep -q "$esc" "$tmp/plain" || fail "colour in a file by default"

# Asked for: the same text once the escapes are gone.
for o in --color=always --colour=always; do
	run 0 "$AIOPSFILTER" $o $opts "$tmp/log"
	plain "$tmp/out" | cmp -s - "$tmp/plain" || fail "$o changed the text"
	grep -q "$esc" "$tmp/out" || fail "$o printed no colour"
done
# The score bold, the kind in its colour, the value marked in its line,
# the evidence faint.
contains "$tmp/out" "${esc}[33mvalue${esc}[m"
contains "$tmp/out" "${esc}[1;31mnew${esc}[m"
contains "$tmp/out" "status=${esc}[1;33m503${esc}[m user=u9999"
contains "$tmp/out" "${esc}[2m[p="
grep -q "^${esc}\[1m[0-9.]*${esc}\[m " "$tmp/out" || fail "score not bold"

# Not asked for, or asked not to: none.
for o in --color=never --color --color=auto; do
	run 0 "$AIOPSFILTER" $o $opts "$tmp/log"
	cmp -s "$tmp/out" "$tmp/plain" || fail "$o coloured a file"
done
run 0 "$AIOPSFILTER" --color=always --color=never $opts "$tmp/log"
cmp -s "$tmp/out" "$tmp/plain" || fail "the last --color does not win"
for o in "-o json" "-o logfmt" "-o json --all"; do
	run 0 "$AIOPSFILTER" --color=always $o $opts "$tmp/log"
	! grep -q "$esc" "$tmp/out" || fail "colour in $o"
done
run 2 "$AIOPSFILTER" --color=sometimes "$tmp/log"
contains "$tmp/err" "aiopsfilter: --color: unknown value 'sometimes'"

# File names and the separators as grep draws them; context marks faint.
run 0 "$AIOPSFILTER" --color=always -H -A 1 -t 5 "$tmp/log"
contains "$tmp/out" "${esc}[35m$tmp/log${esc}[m${esc}[36m:${esc}[m"
contains "$tmp/out" "${esc}[36m-${esc}[m${esc}[2m- context${esc}[m"
run 0 "$AIOPSFILTER" --color=always -A 0 -t 5 "$tmp/log"
contains "$tmp/out" "${esc}[36m--${esc}[m"

# --output-file: plain unless always; a configuration file may say it.
run 0 "$AIOPSFILTER" --output-file="$tmp/file" $opts "$tmp/log"
cmp -s "$tmp/file" "$tmp/plain" || fail "colour in --output-file"
printf 'color always\nthreshold 5\nexplain\n' >"$tmp/conf"
run 0 "$AIOPSFILTER" -c "$tmp/conf" --output-file="$tmp/file2" "$tmp/log"
grep -q "$esc" "$tmp/file2" || fail "color always in a configuration file"
printf 'color\n' >"$tmp/conf"
run 0 "$AIOPSFILTER" -c "$tmp/conf" $opts "$tmp/log"
cmp -s "$tmp/out" "$tmp/plain" || fail "color alone in a configuration file"

# The other kinds in their colours: a burst and its end, a silence.
awk 'BEGIN { for (i = 1; i <= 6000; i++) {
	printf "worker %d picked job %d\n", i % 4, 1000 + i
	if (i % 500 == 250) print "replica lagging behind primary" }
	for (i = 0; i < 40; i++) print "replica lagging behind primary"
	for (i = 0; i < 3000; i++) printf "worker %d picked job %d\n", i % 4, 9000 + i }' >"$tmp/burst"
run 0 "$AIOPSFILTER" --color=always "$tmp/burst"
contains "$tmp/out" "${esc}[35mburst${esc}[m"
contains "$tmp/out" "${esc}[35mburst-end${esc}[m"
awk 'BEGIN { t = 1700000000
	for (i = 0; i < 8640; i++) { printf "%d heartbeat from node %d ok\n", t + 10 * i, i % 2
		if (i % 5 == 0) printf "%d served request %d\n", t + 10 * i, i }
	for (i = 0; i < 600; i++) printf "%d served request %d\n", t + 86400 + 10 * i, i }' >"$tmp/beat"
run 0 "$AIOPSFILTER" --color=always --silence --window=1m -f '<Time> <Content>' "$tmp/beat"
contains "$tmp/out" "${esc}[34msilence${esc}[m"

# A terminal: colour by default, unless NO_COLOR or TERM says no.
command -v python3 >/dev/null || skip "python3 provides the terminal"
python3 - "$AIOPSFILTER" "$tmp/log" <<'PY' || fail "colour on a terminal"
import os, pty, subprocess, sys
prog, log = sys.argv[1:3]
def run(env, *opts):
    master, slave = pty.openpty()
    e = dict(os.environ)
    e.pop('NO_COLOR', None)
    e.update(env)
    p = subprocess.Popen([prog, '-t', '5', *opts, log], stdout=slave,
                         stderr=subprocess.DEVNULL, env=e)
    os.close(slave)
    out = b''
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert p.wait(20) == 0
    assert out.count(b'\n') == 2, out
    return b'\x1b[' in out
assert run({'TERM': 'xterm'}), 'no colour on a terminal'
assert run({'TERM': 'xterm', 'NO_COLOR': ''}), 'an empty NO_COLOR stopped it'
assert not run({'TERM': 'xterm', 'NO_COLOR': '1'}), 'NO_COLOR ignored'
assert not run({'TERM': 'dumb'}), 'TERM=dumb ignored'
assert not run({'TERM': 'xterm'}, '--color=never'), '--color=never ignored'
assert not run({'TERM': 'xterm'}, '-o', 'json'), 'colour in JSON'
assert run({'TERM': 'dumb'}, '--color=always'), '--color=always ignored'
PY
