# --state: the model survives the process.  A run that loads a state
# scores as one run that read everything; a damaged, foreign, newer or
# differently made state is refused and left alone; saving is atomic
# and locked; --learn builds a baseline and --no-learn judges by it;
# signals save.
. "$TOP_SRCDIR/tests/lib.sh"

command -v cmp >/dev/null || skip "no cmp(1)"
st=$tmp/model.state

# A log with several services, values, lists of varying length, a burst
# of one template, words that become variables, and event times.
awk 'BEGIN { srand(3)
	for (i = 1; i <= 6000; i++) {
		r = int(rand() * 1000)
		ts = sprintf("2024-03-01T%02d:%02d:%02dZ", 10 + int(i / 3600),
		    int(i / 60) % 60, i % 60)
		if (i > 2500 && i < 2600)
			printf "%s db: retrying connection to 10.0.0.%d\n", ts, r % 4
		else if (r % 5 == 0)
			printf "%s web: GET /api/items/%d 200 %dms\n", ts, r, r % 40
		else if (r % 5 == 1)
			printf "%s worker: worker %d processed batch %d with %d messages\n", ts, r % 4, 9000 + i, r % 97
		else if (r % 5 == 2)
			printf "%s auth: user %s logged in\n", ts, substr("alicebob  carolerin frank", 1 + (r % 5) * 5, 5)
		else if (r % 5 == 3)
			printf "%s gc: delete blocks%s done\n", ts, (r % 3 == 0 ? " blk_1" : (r % 3 == 1 ? " blk_1 blk_2" : " blk_3 blk_4 blk_5"))
		else
			printf "%s cache: ratio 0.%d state %s\n", ts, 80 + r % 19, (r % 97 == 0 ? "cold" : "warm")
	} }' >"$tmp/log"
head -2550 "$tmp/log" >"$tmp/first"
tail -n +2551 "$tmp/log" >"$tmp/second"

# One run, or two with the state between them: the second run's records
# are the one run's last ones, byte for byte (the split falls inside
# the burst), and the first's its first ones.  Line numbers go on from
# the state.
split_run() {
	rm -f "$st"
	"$AIOPSFILTER" --all -o json --explain "$@" <"$tmp/log" >"$tmp/one" ||
	    fail "one run: $*"
	"$AIOPSFILTER" --all -o json --explain -s "$st" "$@" <"$tmp/first" \
	    >"$tmp/part1" || fail "first part: $*"
	[ -s "$st" ] || fail "no state saved: $*"
	"$AIOPSFILTER" --all -o json --explain -s "$st" "$@" <"$tmp/second" \
	    >"$tmp/part2" || fail "second part: $*"
	n=$(lines "$tmp/part2")
	[ "$n" -ge 3450 ] || fail "second part printed $n records: $*"
	tail -n "$n" "$tmp/one" | cmp -s - "$tmp/part2" ||
	    fail "loading a state changed the scores ($*): $(tail -n "$n" "$tmp/one" | diff - "$tmp/part2" | head -4)"
	head -1 "$tmp/part2" | grep -q '^{"line":2551,' ||
	    fail "line numbers did not go on: $(head -1 "$tmp/part2")"
	# The first part leaves its open burst to the second: together
	# they are the one run, no record twice.
	cat "$tmp/part1" "$tmp/part2" | cmp -s - "$tmp/one" ||
	    fail "the parts are not the one run ($*): $(cat "$tmp/part1" "$tmp/part2" | diff - "$tmp/one" | head -4)"
}
split_run
split_run --window 30s

# A burst open where the first run stops is the second's to end: one
# burst-end, as one run has it, not one from each.
awk 'BEGIN { for (i = 1; i <= 6000; i++) {
	printf "worker %d picked job %d\n", i % 4, 1000 + i
	if (i % 500 == 250) print "replica lagging behind primary" }
	for (i = 0; i < 40; i++) print "replica lagging behind primary"
	for (i = 0; i < 3000; i++) printf "worker %d picked job %d\n", i % 4, 9000 + i }' >"$tmp/burst"
rm -f "$st"
run 0 "$AIOPSFILTER" "$tmp/burst"
grep burst-end "$tmp/out" >"$tmp/one-end"
[ "$(lines "$tmp/one-end")" = 1 ] || fail "no burst-end in one run"
head -6030 "$tmp/burst" | "$AIOPSFILTER" -s "$st" >"$tmp/part1"
tail -n +6031 "$tmp/burst" | "$AIOPSFILTER" -s "$st" >"$tmp/part2"
cat "$tmp/part1" "$tmp/part2" | grep burst-end | cmp -s - "$tmp/one-end" ||
    fail "a burst across a restart: $(cat "$tmp/part1" "$tmp/part2" | grep burst-end)"
split_run --window 200l --horizon 1000l --silence
# JSON records: their members' models and recent news are in the state
# too (a deploy moves every template's "caller" just before the split).
mv "$tmp/log" "$tmp/text.log"
awk '{ printf "{\"msg\":\"%s\",\"caller\":\"%s.go:%d\",\"n\":%d}\n", $0, $2, (NR > 2520 ? 90 : 40), NR % 5 }' \
    "$tmp/text.log" >"$tmp/log"
head -2550 "$tmp/log" >"$tmp/first"
tail -n +2551 "$tmp/log" >"$tmp/second"
split_run --input=json
mv "$tmp/text.log" "$tmp/log"
head -2550 "$tmp/log" >"$tmp/first"
tail -n +2551 "$tmp/log" >"$tmp/second"
split_run -f '<Date> <Host>: <Content>' --key Host --window 10s

# The templates of a state alone.
run 0 "$AIOPSFILTER" -s "$st" -f '<Date> <Host>: <Content>' --key Host --window 10s --templates </dev/null
contains "$tmp/out" "db/"
contains "$tmp/out" "retrying connection to <*>"

# --learn, then --no-learn on the same kind of log with one new error:
# that error, and little else.
rm -f "$st"
normal_log 6000 >"$tmp/base"
run 0 "$AIOPSFILTER" --learn -s "$st" "$tmp/base"
[ -s "$tmp/out" ] && fail "--learn printed: $(head -3 "$tmp/out")"
cp "$st" "$tmp/baseline"
# Nothing new to learn is no failure: status 0, as the man page says.
cp "$st" "$tmp/again"
run 0 "$AIOPSFILTER" --learn -s "$tmp/again" </dev/null
[ -s "$tmp/out" ] && fail "--learn of nothing printed: $(head -3 "$tmp/out")"
{ normal_log 2000; echo "kernel: EXT4-fs error (device sda1): bad block 1234"; normal_log 2000; } >"$tmp/release"
run 0 "$AIOPSFILTER" --no-learn -s "$st" "$tmp/release"
contains "$tmp/out" "EXT4-fs error (device sda1)"
[ "$(lines "$tmp/out")" -le 3 ] || fail "--no-learn printed much: $(head -5 "$tmp/out")"
cmp -s "$st" "$tmp/baseline" || fail "--no-learn changed the state"
# The line that fits none of the model's templates has none: null in
# JSON, "-" in text.
grep -q '^[0-9.]* new - kernel: EXT4-fs error' "$tmp/out" ||
    fail "--no-learn: no '-' for a line without a template: $(cat "$tmp/out")"
run 0 "$AIOPSFILTER" --no-learn -s "$st" -o json "$tmp/release"
json_check "$tmp/out"
contains "$tmp/out" '"kind":"new","template_id":null,"template":null,"text":"kernel: EXT4-fs error'
run 0 "$AIOPSFILTER" --no-learn -s "$st" --templates </dev/null
contains "$tmp/out" "worker <*> processed batch <*> with <*> messages"
lacks "$tmp/out" "EXT4"
run 2 "$AIOPSFILTER" --no-learn -s "$tmp/absent.state" "$tmp/release"
contains "$tmp/err" "absent.state: No such file or directory"
run 2 "$AIOPSFILTER" --learn "$tmp/base"
contains "$tmp/err" "--learn needs --state"
run 2 "$AIOPSFILTER" --learn --no-learn -s "$st" "$tmp/base"
# Options that only shape printed lines are an error beside --learn,
# and nothing is learned; --output still shapes --templates.
cp "$st" "$tmp/before-learn"
for o in -a --explain -n -H "-C 2" "-A 1" "-B 1" --incidents \
    --incident-gap=5m --line-buffered "-o json"; do
	run 2 "$AIOPSFILTER" --learn $o -s "$st" "$tmp/base"
	contains "$tmp/err" "--learn prints no lines: --"
	cmp -s "$st" "$tmp/before-learn" || fail "--learn $o changed the state"
done
run 0 "$AIOPSFILTER" --learn -o json --templates -s "$tmp/before-learn" "$tmp/base"
contains "$tmp/out" '"template":"worker <*> processed batch <*> with <*> messages"'
# So are they beside --templates, which prints no lines either.
for o in -a --explain -n -H "-A 1" --line-buffered; do
	run 2 "$AIOPSFILTER" --templates $o "$tmp/base"
	contains "$tmp/err" "--templates prints templates, not lines: --"
done
run 2 "$AIOPSFILTER" --checkpoint 100l -s "$st" "$tmp/base"
contains "$tmp/err" "--checkpoint: a time such as 30s or 5m, not lines: '100l'"
run 2 "$AIOPSFILTER" --checkpoint 0l -s "$st" "$tmp/base"
contains "$tmp/err" "--checkpoint: a time such as 30s or 5m, not lines: '0l'"
run 2 "$AIOPSFILTER" --checkpoint abc -s "$st" "$tmp/base"
contains "$tmp/err" "--checkpoint: invalid value 'abc' (a duration such as 30s, 5m, 1h)"

# Damaged, foreign, newer, or made otherwise: exit 2, a cause, and the
# file as it was.
refused() {
	cause=$1
	shift
	cp "$tmp/bad" "$tmp/bad.orig"
	run 2 "$AIOPSFILTER" -s "$tmp/bad" "$@" "$tmp/base"
	contains "$tmp/err" "$cause"
	[ "$(lines "$tmp/err")" = 1 ] || fail "more than one line: $(cat "$tmp/err")"
	[ -s "$tmp/out" ] && fail "printed lines with a refused state"
	cmp -s "$tmp/bad" "$tmp/bad.orig" || fail "a refused state was changed"
	[ -e "$tmp/bad.tmp" ] && fail "a refused state left a temporary file"
	return 0
}
size=$(wc -c <"$tmp/baseline")
head -c $((size / 2)) "$tmp/baseline" >"$tmp/bad"
refused "truncated state file"
head -c 20 "$tmp/baseline" >"$tmp/bad"
refused "truncated state file"
cp "$tmp/baseline" "$tmp/bad"
printf '\377' | dd of="$tmp/bad" bs=1 seek=$((size - 100)) conv=notrunc 2>/dev/null
refused "damaged state file (checksum mismatch)"
cp "$tmp/baseline" "$tmp/bad"
printf 'X' | dd of="$tmp/bad" bs=1 seek=0 conv=notrunc 2>/dev/null
refused "not an aiopsfilter state file"
cp "$tmp/base" "$tmp/bad"
refused "not an aiopsfilter state file"
cp "$tmp/baseline" "$tmp/bad"
printf '\015' | dd of="$tmp/bad" bs=1 seek=8 conv=notrunc 2>/dev/null
refused "made by a newer aiopsfilter (state format 13"
cp "$tmp/baseline" "$tmp/bad"
printf '\002' | dd of="$tmp/bad" bs=1 seek=8 conv=notrunc 2>/dev/null
refused "state format 2 is not one this aiopsfilter reads (3 to 12)"
cp "$tmp/baseline" "$tmp/bad"
printf '\001' | dd of="$tmp/bad" bs=1 seek=12 conv=notrunc 2>/dev/null
refused "state file has unknown flags (0x1)"

# A state of format 3 (an earlier release's, from three syslog lines) is
# read, with a warning that some events are learned again, and saved as
# the current format; the lines go on where it stopped.
gzip -dc "$TOP_SRCDIR/tests/cli/state-v3.gz" >"$tmp/v3"
[ "$(od -A n -t u1 -j 8 -N 1 "$tmp/v3" | tr -d ' ')" = 3 ] || fail "fixture is not format 3"
echo 'Nov 27 10:01:00 web1 sshd[104]: Accepted password for carol from 10.0.0.3 port 50024 ssh2' |
    "$AIOPSFILTER" --all -o json -s "$tmp/v3" >"$tmp/out" 2>"$tmp/err" || fail "format 3 refused: $(cat "$tmp/err")"
grep -q '"line":4,' "$tmp/out" || fail "format 3: lines do not go on: $(cat "$tmp/out")"
[ "$(cat "$tmp/err")" = "aiopsfilter: $tmp/v3: made by an earlier aiopsfilter: events whose lines hold a size unit, an HTTP version, true or false are learned again" ] ||
    fail "format 3: no warning: $(cat "$tmp/err")"
[ "$(od -A n -t u1 -j 8 -N 1 "$tmp/v3" | tr -d ' ')" = 12 ] || fail "format 3 not saved as 12"
"$AIOPSFILTER" --no-learn -s "$tmp/v3" --templates </dev/null >"$tmp/out" 2>"$tmp/err" || fail "format 8 after 3: $(cat "$tmp/err")"
[ ! -s "$tmp/err" ] || fail "format 8 warned: $(cat "$tmp/err")"
grep -q 'CMD' "$tmp/out" || fail "format 3's templates lost: $(cat "$tmp/out")"
cp "$tmp/baseline" "$tmp/bad"
refused "made with --depth 3 (this run: 4)" --depth 4
refused "made with --mask (none) (this run: TICKET=T-[0-9]+)" --mask 'TICKET=T-[0-9]+'
refused "made with --window 1000l (this run: 300s)" --window 5m
refused "made with --input text (this run: json)" --input json
refused "made with --input text (this run: text multiline=auto)" --multiline=auto
refused "made with --format (none) (this run: <Host> <Content>)" -f '<Host> <Content>'
# A number is named as it was given, not as it is kept to compare.
refused "made with --similarity 0.5 (this run: 0.6)" --similarity 0.6
# Every difference is named at once, so that one try tells what to give.
refused "made with --format (none) (this run: <Host> <Content>), --depth 3 (this run: 4); models are not mixed" --depth 4 -f '<Host> <Content>'

# A FIFO is no state: refused at once, not waited on for a writer.
if mkfifo "$tmp/fifo" 2>/dev/null; then
	run 2 timeout 10 "$AIOPSFILTER" -s "$tmp/fifo" "$tmp/base"
	contains "$tmp/err" "aiopsfilter: $tmp/fifo: not a regular file"
fi
# Through a symbolic link, the state saved is the file it names.
cp "$tmp/baseline" "$tmp/target.state"
ln -s "$tmp/target.state" "$tmp/link.state"
run 0 "$AIOPSFILTER" -s "$tmp/link.state" "$tmp/release"
[ -L "$tmp/link.state" ] || fail "saving the state replaced its link"
cmp -s "$tmp/baseline" "$tmp/target.state" && fail "the linked state was not saved"
# ... also when it does not exist yet, through a relative link: the
# first run makes it there; and a link into no folder is an error.
mkdir "$tmp/vol"
ln -s vol/new.state "$tmp/first.state"
run 0 "$AIOPSFILTER" -s "$tmp/first.state" "$tmp/release"
[ -L "$tmp/first.state" ] || fail "the first save replaced a dangling link"
[ -s "$tmp/vol/new.state" ] && [ -f "$tmp/vol/new.state.lock" ] ||
    fail "the state was not made where its link points"
ln -s "$tmp/nowhere/new.state" "$tmp/lost.state"
run 2 "$AIOPSFILTER" -s "$tmp/lost.state" "$tmp/release"
contains "$tmp/err" "aiopsfilter: $tmp/nowhere/new.state: its folder does not exist"
[ -L "$tmp/lost.state" ] || fail "a link into no folder was replaced"
# Links planted beside the state (in a folder others may write) do not
# have a save write where they point: a .tmp link is replaced by a new
# file, a .lock link is refused.
mkdir "$tmp/shared"
cp "$tmp/baseline" "$tmp/shared/app.state"
echo "precious" >"$tmp/victim"
ln -s "$tmp/victim" "$tmp/shared/app.state.tmp"
run 0 "$AIOPSFILTER" -s "$tmp/shared/app.state" "$tmp/release"
[ "$(cat "$tmp/victim")" = precious ] || fail "a save wrote through a .tmp link"
[ -L "$tmp/shared/app.state" ] && fail "the state became a link"
run 0 "$AIOPSFILTER" --no-learn -s "$tmp/shared/app.state" "$tmp/release"
rm -f "$tmp/shared/app.state.lock"
ln -s "$tmp/made-by-lock" "$tmp/shared/app.state.lock"
run 2 "$AIOPSFILTER" -s "$tmp/shared/app.state" "$tmp/release"
contains "$tmp/err" "aiopsfilter: $tmp/shared/app.state: its .lock file: is a symbolic link"
[ -e "$tmp/made-by-lock" ] && fail "the lock was made through its link"
rm -f "$tmp/shared/app.state.lock"
# Root saving a service's state leaves it the service's, mode and owner.
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	chown nobody "$tmp/shared/app.state"
	chmod 640 "$tmp/shared/app.state"
	run 0 "$AIOPSFILTER" --learn -s "$tmp/shared/app.state" "$tmp/release"
	[ "$(stat -c '%U %a' "$tmp/shared/app.state")" = "nobody 640" ] ||
	    fail "a save by root changed the state to $(stat -c '%U %a' "$tmp/shared/app.state")"
	[ "$(stat -c %U "$tmp/shared/app.state.lock")" = nobody ] ||
	    fail "the lock root made is not the state owner's"
	# ... but a lock it finds there, a hard link to another file, say,
	# is not given away.
	rm -f "$tmp/shared/app.state.lock"
	echo "root's" >"$tmp/roots"
	ln "$tmp/roots" "$tmp/shared/app.state.lock"
	run 0 "$AIOPSFILTER" --learn -s "$tmp/shared/app.state" "$tmp/release"
	[ "$(stat -c %U "$tmp/roots")" = root ] ||
	    fail "a hard-linked lock's file was given to the state's owner"
	# ... while root's own, left by an earlier run, is handed back.
	rm -f "$tmp/shared/app.state.lock"
	: >"$tmp/shared/app.state.lock"
	run 0 "$AIOPSFILTER" --learn -s "$tmp/shared/app.state" "$tmp/release"
	[ "$(stat -c %U "$tmp/shared/app.state.lock")" = nobody ] ||
	    fail "root's old lock was not handed to the state's owner"
	rm -f "$tmp/shared/app.state.lock"
else
	echo "note: not root; the owner a save keeps is not tested" >&2
fi
# Standard output that is the state: refused, as --output-file is.
cp "$tmp/baseline" "$st"
"$AIOPSFILTER" -s "$st" "$tmp/release" >>"$st" 2>"$tmp/err"
[ $? = 2 ] || fail "output appended to the state was not refused"
contains "$tmp/err" "aiopsfilter: $st: standard output is the state"
cmp -s "$st" "$tmp/baseline" || fail "a refused run changed the state"
refused "made with --key (none) (this run: host)" --key host
# ... but one made with another threshold is fine.
cp "$tmp/baseline" "$tmp/bad"
run 0 "$AIOPSFILTER" --no-learn -s "$tmp/bad" -t 5 "$tmp/release"

# A state that cannot be saved: reported, exit 2, the old one kept.
cp "$tmp/baseline" "$st"
mkdir "$st.tmp"
run 2 "$AIOPSFILTER" -s "$st" "$tmp/release"
contains "$tmp/out" "EXT4-fs error"
contains "$tmp/err" "model.state: cannot save state:"
cmp -s "$st" "$tmp/baseline" || fail "a failed save changed the state"
rmdir "$st.tmp"

# The lock: a second writer is refused while the first runs; a frozen
# reader needs no lock.
mkfifo "$tmp/in"
"$AIOPSFILTER" -s "$st" <"$tmp/in" >"$tmp/live" 2>"$tmp/live.err" &
pid=$!
exec 3>"$tmp/in"
normal_log 500 >&3
i=0
while [ ! -e "$st.lock" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
sleep 0.2
run 2 "$AIOPSFILTER" -s "$st" "$tmp/base"
contains "$tmp/err" "model.state: in use by another aiopsfilter"
run 0 "$AIOPSFILTER" --no-learn -s "$st" "$tmp/release"

# SIGUSR1: statistics on standard error.
kill -USR1 $pid
wait_for "$tmp/live.err" "lines read" || fail "no statistics after SIGUSR1"
grep -q '^aiopsfilter: 500 lines read, [0-9]* flagged, [0-9]* templates, 1 source, [0-9]* lines/s, peak RSS [0-9.]* MiB$' "$tmp/live.err" ||
    fail "statistics: $(cat "$tmp/live.err")"

# SIGHUP: saved now, while running.
echo "storage: volume vol7 is read-only now" >&3
sleep 0.3
kill -HUP $pid
i=0
until "$AIOPSFILTER" --no-learn -s "$st" --templates </dev/null 2>/dev/null | grep -q "read-only"; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "SIGHUP did not save the state"
	sleep 0.1
done

# SIGTERM: the line read is judged, the output flushed, the state saved,
# and the run ends by the signal (128 + 15).
echo "storage: volume vol8 lost its last replica" >&3
sleep 0.3
kill -TERM $pid
wait $pid
status=$?
exec 3>&-
[ $status = 143 ] || fail "SIGTERM exit status $status, expected 143"
contains "$tmp/live" "lost its last replica"
run 0 "$AIOPSFILTER" --no-learn -s "$st" --templates </dev/null
contains "$tmp/out" "lost its last replica"
[ -s "$tmp/live.err" ] && ! grep -q "lines read" "$tmp/live.err" &&
    fail "SIGTERM run complained: $(cat "$tmp/live.err")"

# Output errors end the run, after saving: quietly for a reader gone
# away, with a message for a full disk.
rm -f "$st"
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "event %d of kind %d\n", i, i % 7 }' >"$tmp/many"
"$AIOPSFILTER" --all -s "$st" "$tmp/many" 2>"$tmp/err" | head -1 >/dev/null
[ -s "$tmp/err" ] && fail "EPIPE was not quiet: $(cat "$tmp/err")"
[ -s "$st" ] || fail "no state saved after EPIPE"
if [ -w /dev/full ]; then
	rm -f "$st"
	run 2 sh -c "\"$AIOPSFILTER\" --all -s \"$st\" \"$tmp/many\" >/dev/full"
	contains "$tmp/err" "standard output: No space left on device"
	[ -s "$st" ] || fail "no state saved after ENOSPC"
	# A last save that fails, then the last flush of the output: the
	# save is tried, and told, once.  (A file size limit of 0 fails
	# the save, and the messages to a file too: they go through a pipe;
	# the records are few, so the flush is the last write.)
	rm -f "$st"
	{ normal_log 3000; echo "kernel panic: disk on fire"; } >"$tmp/few"
	sh -c "trap '' XFSZ; ulimit -f 0; \"$AIOPSFILTER\" -s \"$st\" \"$tmp/few\" \
	    2>&1 >/dev/full; echo status \$?" | cat >"$tmp/err"
	[ "$(cat "$tmp/err")" = "aiopsfilter: $st: cannot save state: File too large
aiopsfilter: standard output: No space left on device
status 2" ] ||
	    fail "a last save and flush that fail: $(cat "$tmp/err")"
fi

# --checkpoint saves by the clock while a pipe is quiet, with one thread
# too (a tail -F on a quiet log), long before the input ends.
rm -f "$tmp/quiet.state"
{ normal_log 300; sleep 6; } |
    "$AIOPSFILTER" -j1 -s "$tmp/quiet.state" --checkpoint=1s >/dev/null 2>&1 &
pid=$!
i=0
while [ ! -s "$tmp/quiet.state" ]; do
	i=$((i + 1))
	[ $i -gt 45 ] && fail "no checkpoint while the pipe was quiet"
	sleep 0.1
done
wait $pid || :

# A save that keeps failing (here its .tmp is a folder) is told once
# while the run goes on, and again if the last one fails too: the state
# on disk is then older than the run.
rm -rf "$tmp/fail.state" "$tmp/fail.state.tmp"
normal_log 50 | "$AIOPSFILTER" -s "$tmp/fail.state" >/dev/null
mkdir "$tmp/fail.state.tmp"
{ normal_log 50; sleep 2.5; normal_log 5; } |
    "$AIOPSFILTER" -s "$tmp/fail.state" --checkpoint=1s >/dev/null 2>"$tmp/err"
[ $? = 2 ] || fail "failed saves: not status 2"
[ "$(lines "$tmp/err")" = 2 ] || fail "failed saves told $(lines "$tmp/err") times: $(cat "$tmp/err")"
contains "$tmp/err" "aiopsfilter: $tmp/fail.state: cannot save state: $tmp/fail.state.tmp: Is a directory"
contains "$tmp/err" "aiopsfilter: $tmp/fail.state: not saved at the end either: cannot save state: $tmp/fail.state.tmp: Is a directory"
rmdir "$tmp/fail.state.tmp"

# --checkpoint=0 saves at exit only: nothing while the pipe is quiet for
# longer than the checkpoints above took, the state once it closes.
rm -f "$tmp/exit.state"
mkfifo "$tmp/exitfifo"
"$AIOPSFILTER" -j1 -s "$tmp/exit.state" --checkpoint=0 <"$tmp/exitfifo" \
    >/dev/null 2>&1 &
pid=$!
exec 6>"$tmp/exitfifo"
normal_log 300 >&6
sleep 3
[ -e "$tmp/exit.state" ] && fail "--checkpoint=0 saved before the end"
exec 6>&-
wait $pid || :
[ -s "$tmp/exit.state" ] || fail "--checkpoint=0: no state at exit"

# kill -9 at any moment of a run that checkpoints all the time leaves a
# state that loads: the old one or the new one, never a broken one.  Each
# run is killed once it has saved at least once, a little later each
# time.
rm -f "$st"
for k in 1 2 3 4 5 6 7 8; do cat "$tmp/log"; done >"$tmp/long"
n=0
seen=0
while [ $n -lt 50 ]; do
	n=$((n + 1))
	touch "$tmp/mark"
	sleep 0.01
	"$AIOPSFILTER" -s "$st" --checkpoint 1ms "$tmp/long" >/dev/null 2>&1 &
	pid=$!
	i=0
	while [ -z "$(find "$st" -newer "$tmp/mark" 2>/dev/null)" ] &&
	    [ $i -lt 500 ]; do
		i=$((i + 1))
		sleep 0.01
	done
	sleep "0.0$(( (n * 37) % 10 ))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	[ -e "$st" ] || fail "no state after kill -9 number $n"
	"$AIOPSFILTER" --no-learn -s "$st" --templates </dev/null >"$tmp/out" 2>"$tmp/err"
	status=$?
	# 1: a state saved before the first line, with no templates.
	[ $status = 2 ] && fail "after kill -9 number $n: $(cat "$tmp/err")"
	[ -s "$tmp/out" ] && seen=$((seen + 1))
done
[ $seen -ge 40 ] || fail "only $seen of 50 killed runs left templates"
exit 0
