# Compressed inputs: gzip read directly, found by magic bytes and not by
# name; a damaged archive is one error line and the other files still
# count.
. "$TOP_SRCDIR/tests/lib.sh"

command -v gzip >/dev/null || skip "no gzip(1) to make the archives"

# A rotated set, oldest first: the model carries across the files.
normal_log 2000 | gzip >"$tmp/app.log.2.gz"
normal_log 500 | gzip >"$tmp/app.log.1.gz"
{ normal_log 100; echo "raid: array md0 degraded, disk sdb missing"; } >"$tmp/app.log"
run 0 "$AIOPSFILTER" -o json "$tmp/app.log.2.gz" "$tmp/app.log.1.gz" "$tmp/app.log"
[ "$(lines "$tmp/out")" = 1 ] || fail "expected one finding, got $(lines "$tmp/out")"
contains "$tmp/out" "\"line\":2601,\"file\":\"$tmp/app.log\""
contains "$tmp/out" "array md0 degraded"
[ -s "$tmp/err" ] && fail "stderr: $(cat "$tmp/err")"

# Same lines whether compressed or not, whatever the name says.
normal_log 300 >"$tmp/plain"
gzip -c "$tmp/plain" >"$tmp/no-suffix"
cp "$tmp/plain" "$tmp/fake.gz"
run 0 "$AIOPSFILTER" --all -o json "$tmp/plain"
sed 's/"file":"[^"]*","file_line":[0-9]*,//' "$tmp/out" >"$tmp/want"
run 0 "$AIOPSFILTER" --all -o json "$tmp/no-suffix"
sed 's/"file":"[^"]*","file_line":[0-9]*,//' "$tmp/out" | cmp -s - "$tmp/want" || fail "gzip without .gz read differently"
run 0 "$AIOPSFILTER" --all -o json "$tmp/fake.gz"
sed 's/"file":"[^"]*","file_line":[0-9]*,//' "$tmp/out" | cmp -s - "$tmp/want" || fail "plain file named .gz read differently"
run 0 "$AIOPSFILTER" --all -o json <"$tmp/no-suffix"
cmp -s "$tmp/out" "$tmp/want" || fail "gzip on standard input read differently"

# Concatenated members ("cat a.gz b.gz") are one stream.
cat "$tmp/app.log.2.gz" "$tmp/app.log.1.gz" >"$tmp/both.gz"
run 0 "$AIOPSFILTER" --all "$tmp/both.gz"
[ "$(lines "$tmp/out")" = 2500 ] || fail "concatenated members: $(lines "$tmp/out") lines"

# Truncated and corrupt archives: one line naming the file, the rest read,
# exit 2.
size=$(wc -c <"$tmp/app.log.2.gz")
head -c $((size / 2)) "$tmp/app.log.2.gz" >"$tmp/cut.gz"
run 2 "$AIOPSFILTER" "$tmp/cut.gz" "$tmp/app.log"
[ "$(cat "$tmp/err")" = "aiopsfilter: $tmp/cut.gz: gzip: unexpected end of file" ] ||
    fail "truncated: $(cat "$tmp/err")"
contains "$tmp/out" "array md0 degraded"

# Garbage after the data: every line decoded is judged, the last one
# too when no newline ends it.
{ normal_log 20; printf 'replica lost on volume vol9'; } | gzip >"$tmp/tail.gz"
echo junk >>"$tmp/tail.gz"
run 2 "$AIOPSFILTER" --all "$tmp/tail.gz"
[ "$(lines "$tmp/out")" = 21 ] || fail "garbage after: $(lines "$tmp/out") lines"
contains "$tmp/out" "replica lost on volume vol9"
contains "$tmp/err" "tail.gz: gzip: trailing garbage after the data"

at=$((size * 3 / 4))
{ head -c $at "$tmp/app.log.2.gz"; head -c 300 /dev/zero | tr '\0' 'Z'; tail -c +$((at + 301)) "$tmp/app.log.2.gz"; } >"$tmp/bad.gz"
run 2 "$AIOPSFILTER" --all "$tmp/bad.gz" "$tmp/app.log"
grep -q "^aiopsfilter: $tmp/bad.gz: gzip: corrupt data (.*)\$" "$tmp/err" ||
    fail "corrupt: $(cat "$tmp/err")"
[ "$(lines "$tmp/err")" = 1 ] || fail "more than one error line"
contains "$tmp/out" "array md0 degraded"

# zstd, when the zstd(1) program is here to make one.
if command -v zstd >/dev/null; then
	zstd -q -c "$tmp/plain" >"$tmp/plain.zst"
	run 0 "$AIOPSFILTER" --all -o json <"$tmp/plain.zst"
	cmp -s "$tmp/out" "$tmp/want" || fail "zstd read differently"
	# pzstd's files start with a skippable frame.
	{ printf 'P*M\030\004\000\000\000skip'; cat "$tmp/plain.zst"; } >"$tmp/skip.zst"
	run 0 "$AIOPSFILTER" --all -o json <"$tmp/skip.zst"
	cmp -s "$tmp/out" "$tmp/want" || fail "zstd after a skippable frame"
	head -c 100 "$tmp/plain.zst" >"$tmp/cut.zst"
	run 2 "$AIOPSFILTER" "$tmp/cut.zst"
	[ "$(cat "$tmp/err")" = "aiopsfilter: $tmp/cut.zst: zstd: unexpected end of file" ] ||
	    fail "truncated zstd: $(cat "$tmp/err")"
	# A frame that needs a window past libzstd's bound is refused as
	# zstd(1) refuses it, with the way to read it, not as corruption.
	zstd -q -c --long=30 <"$tmp/plain" >"$tmp/long.zst"
	run 2 "$AIOPSFILTER" "$tmp/long.zst"
	[ "$(cat "$tmp/err")" = "aiopsfilter: $tmp/long.zst: zstd: the data needs a window over 128 MiB (use zstd -dc --long=31)" ] ||
	    fail "long-window zstd: $(cat "$tmp/err")"
else
	echo "note: no zstd(1); the zstd unit tests still ran" >&2
fi

# Other compressors' data is refused with the tool that reads it, and
# the files after it still count.
if command -v bzip2 >/dev/null; then
	bzip2 -c "$tmp/plain" >"$tmp/plain.bz2"
	run 2 "$AIOPSFILTER" "$tmp/plain.bz2" "$tmp/app.log"
	[ "$(cat "$tmp/err")" = "aiopsfilter: $tmp/plain.bz2: bzip2 compressed data is not supported (use bzcat)" ] ||
	    fail "bzip2: $(cat "$tmp/err")"
	contains "$tmp/out" "array md0 degraded"
fi
