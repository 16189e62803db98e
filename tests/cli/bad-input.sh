# Hostile bytes: NUL, binary, CRLF, huge lines, no final newline, empty.
. "$TOP_SRCDIR/tests/lib.sh"

normal_log 3000 >"$tmp/log"
printf 'nul \000 inside \377\376 binary line\n' >>"$tmp/log"
printf 'windows says hello\r\n' >>"$tmp/log"
normal_log 10 >>"$tmp/log"
printf 'final line without newline' >>"$tmp/log"

# Flagged lines print exactly as received, NUL and CR included.
run 0 "$AIOPSFILTER" --all "$tmp/log"
[ "$(lines "$tmp/out")" = 3013 ] || fail "lines lost: $(lines "$tmp/out")"
grep -a 'inside' "$tmp/out" | cut -d' ' -f4- | od -c | grep -q '\\0' ||
    fail "NUL byte not passed through"
grep -a 'windows says hello' "$tmp/out" | od -c | grep -q '\\r  \\n' ||
    fail "CRLF line not printed as received"
tail -1 "$tmp/out" | grep -q 'final line without newline$' ||
    fail "last line without newline was lost"

# JSON stays valid whatever the bytes.
run 0 "$AIOPSFILTER" --all -o json "$tmp/log"
json_check "$tmp/out"

# A byte order mark before a file's first line (editors and Windows tools
# write one) is passed over: the line's header is read as without it.
head -50 "$SAMPLES/webapp.log" >"$tmp/nobom"
{ printf '\357\273\277'; cat "$tmp/nobom"; } >"$tmp/bom"
run 0 "$AIOPSFILTER" --all -o json "$tmp/nobom"
sed 's/"file":"[^"]*","file_line":[0-9]*,//' "$tmp/out" >"$tmp/want"
run 0 "$AIOPSFILTER" --all -o json "$tmp/bom"
sed 's/"file":"[^"]*","file_line":[0-9]*,//' "$tmp/out" | cmp -s - "$tmp/want" ||
    fail "a byte order mark changed the first line's record"

# Empty input and an empty line.
run 1 "$AIOPSFILTER" </dev/null
[ -s "$tmp/out" ] && fail "empty input printed"
printf '\n' >"$tmp/blank"
run 0 "$AIOPSFILTER" --all -o json "$tmp/blank"
contains "$tmp/out" '"line":1'

normal_log 300 >"$tmp/few"
echo "kernel: EXT4-fs error (device sda1): bad block 1234" >>"$tmp/few"

# A 3 MiB line with many tokens, then a 70 MiB one (over the line cap):
# no crash, a warning for the cut line, and the lines after still read.
awk 'BEGIN { for (i = 0; i < 300000; i++) printf "tok%d ", i; print "" }' >"$tmp/huge"
head -c 73400320 /dev/zero | tr '\0' 'x' >>"$tmp/huge"
printf '\nafter the huge lines\n' >>"$tmp/huge"
run 0 "$AIOPSFILTER" --all "$tmp/huge"
[ "$(lines "$tmp/out")" = 3 ] || fail "huge lines: $(lines "$tmp/out") records"
[ "$(cat "$tmp/err")" = "aiopsfilter: $tmp/huge: line 2 longer than 64 MiB: the rest of it is skipped" ] ||
    fail "huge line: $(cat "$tmp/err")"
contains "$tmp/out" "after the huge lines"
# ... and its number is the one in its file, whichever file, -j1 or -j2.
for j in 1 2; do
	run 0 "$AIOPSFILTER" -j$j --all "$tmp/few" "$tmp/huge"
	[ "$(cat "$tmp/err")" = "aiopsfilter: $tmp/huge: line 2 longer than 64 MiB: the rest of it is skipped" ] ||
	    fail "-j$j: huge line in a second file: $(cat "$tmp/err")"
done

# Long lines are in memory at most twice, with one thread or with two
# (the reader's buffer and, with -j 2, the batch being judged), and the
# room they took goes back once they have passed: a long-lived filter
# does not keep room for the longest lines it ever read.  Read off /proc
# (peak and now) while the input, a FIFO, stays open after them; before,
# -j 2 peaked at four copies and kept over 100 MiB.
rss_after_long_lines() {
	rm -f "$tmp/longfifo"
	mkfifo "$tmp/longfifo" || fail "mkfifo"
	"$AIOPSFILTER" -j"$1" --all --line-buffered <"$tmp/longfifo" \
	    >"$tmp/longout" 2>/dev/null &
	_pid=$!
	exec 5>"$tmp/longfifo"
	for _k in 1 2 3; do
		head -c 25165824 /dev/zero | tr '\0' 'y' >&5
		printf '\n' >&5
	done
	normal_log 13000 >&5	# three batches of -j 2 and more
	echo "after the long lines" >&5
	shows_within 300 "$tmp/longout" "after the long lines" ||
	    fail "-j$1: the line after the long ones did not come"
	awk '/^VmRSS:/ { now = $2 } /^VmHWM:/ { peak = $2 }
	    END { print now, peak }' "/proc/$_pid/status"
	exec 5>&-
	wait "$_pid"
}
# (AddressSanitizer keeps freed memory in quarantine and maps shadow
# memory: its figures say nothing of the program's.)
if grep -q __asan_init "$AIOPSFILTER" 2>/dev/null; then
	echo "note: built with AddressSanitizer; memory of long lines not measured" >&2
elif [ -r /proc/self/status ]; then
	for j in 1 2; do
		kib=$(rss_after_long_lines $j)
		now=${kib% *} peak=${kib#* }
		[ "$peak" -lt 73728 ] ||
		    fail "-j$j: peak of $peak KiB for 24 MiB lines"
		[ "$now" -lt 20480 ] ||
		    fail "-j$j: $now KiB kept after three 24 MiB lines"
	done
fi

# A line without end (a device): a signal still stops the run while the
# line's tail is skipped, with one thread and with two.
for j in 1 2; do
	status=0
	timeout -s TERM -k 5 2 "$AIOPSFILTER" -j$j /dev/zero >"$tmp/out" \
	    2>"$tmp/err" || status=$?
	[ $status = 137 ] && fail "-j$j: SIGTERM ignored while skipping"
	contains "$tmp/err" "line 1 longer than"
done

# Standard descriptors closed by the caller stay closed as far as the run
# can tell: no file opened later takes their place and their data.
"$AIOPSFILTER" -s "$tmp/closed.state" "$tmp/few" >&- 2>"$tmp/err"
[ $? = 2 ] || fail "closed standard output: not an error"
contains "$tmp/err" "aiopsfilter: standard output: Bad file descriptor"
[ -s "$tmp/closed.state.lock" ] && fail "records went into the state's lock"
for j in 1 2; do
	timeout 20 "$AIOPSFILTER" -j$j -s "$tmp/closed.state" <&- >"$tmp/out" 2>"$tmp/err"
	[ $? = 2 ] || fail "-j$j: closed standard input: not an error"
	contains "$tmp/err" "aiopsfilter: standard input: Bad file descriptor"
done
"$AIOPSFILTER" -o json --output-file="$tmp/found.json" "$tmp/few" "$tmp/none" 2>&-
[ $? = 2 ] || fail "a missing file with standard error closed: not an error"
json_check "$tmp/found.json"
contains "$tmp/found.json" "bad block 1234"
