# Help, version, usage errors and the text record layout.
. "$TOP_SRCDIR/tests/lib.sh"

run 0 "$AIOPSFILTER" --help
contains "$tmp/out" "usage: aiopsfilter [OPTION]... [FILE]..."
[ -s "$tmp/err" ] && fail "--help wrote to stderr"

cp "$tmp/out" "$tmp/help"
run 0 "$AIOPSFILTER" -h
cmp -s "$tmp/out" "$tmp/help" || fail "-h is not --help"

run 0 "$AIOPSFILTER" --version
grep -qE '^aiopsfilter [0-9]+\.[0-9]+' "$tmp/out" || fail "bad --version"
cp "$tmp/out" "$tmp/version"
run 0 "$AIOPSFILTER" -V
cmp -s "$tmp/out" "$tmp/version" || fail "-V is not --version"

run 2 "$AIOPSFILTER" --no-such-option
contains "$tmp/err" "usage:"
contains "$tmp/err" "Try 'aiopsfilter --help' for more information."
[ "$(lines "$tmp/err")" -le 3 ] || fail "a usage error printed the whole help"
[ -s "$tmp/out" ] && fail "usage error wrote to stdout"

run 2 "$AIOPSFILTER" --threshold=abc /dev/null
contains "$tmp/err" "aiopsfilter: --threshold: invalid value 'abc'"
run 2 "$AIOPSFILTER" --output=xml /dev/null
contains "$tmp/err" "unknown format 'xml'"
run 2 "$AIOPSFILTER" --depth=99 /dev/null
contains "$tmp/err" "aiopsfilter: --depth: '99' is too large (at most 16)"
# getopt's own errors start with the program's name, not its path.
run 2 "$AIOPSFILTER" --no-such-option
contains "$tmp/err" "aiopsfilter: unrecognized option '--no-such-option'"
# Numbers are decimal and whole: no spaces, no hexadecimal, no part of
# a line.
for bad in "--threshold= 5" "--threshold=0x10" "--threshold=inf" \
    "--window=0.5l" "--window=0x10"; do
	run 2 "$AIOPSFILTER" "$bad" /dev/null
	contains "$tmp/err" "invalid value"
done
run 1 "$AIOPSFILTER" --threshold=.5e1 --window=2.0l /dev/null
run 2 "$AIOPSFILTER" --output-file= /dev/null
contains "$tmp/err" "aiopsfilter: --output-file: empty file name"

# The record layout: SCORE KIND TEMPLATE-ID LINE.
normal_log 3000 >"$tmp/log"
echo "kernel: disk sda failed with unrecoverable read error" >>"$tmp/log"
normal_log 100 >>"$tmp/log"
run 0 "$AIOPSFILTER" "$tmp/log"
grep -qE '^[0-9]+\.[0-9] new [0-9]+ kernel: disk sda failed with unrecoverable read error$' \
    "$tmp/out" || fail "no text record for the new line"
[ "$(lines "$tmp/out")" -le 3 ] || fail "too many lines flagged"

# --all prints every line, with a score.
run 0 "$AIOPSFILTER" --all "$tmp/log"
[ "$(lines "$tmp/out")" = 3101 ] || fail "--all did not print every line"

# --templates lists templates, most frequent first, with counts.
run 0 "$AIOPSFILTER" --templates "$tmp/log"
cut -f2 "$tmp/out" | sort -c -rn || fail "--templates not most frequent first"
head -1 "$tmp/out" | grep -qE '^[0-9]+	1034	worker <\*> processed' ||
    fail "bad --templates row: $(head -1 "$tmp/out")"
contains "$tmp/out" "	1	kernel: disk sda failed with unrecoverable read error"
[ "$(lines "$tmp/out")" = 4 ] || fail "expected 4 templates"

# An access log's date is a variable, month and all: the template does
# not change on the first of the month.
awk 'BEGIN { for (i = 0; i < 300; i++)
	printf "10.0.0.%d - - [%02d/Nov/2026:%02d:%02d:00 +0000] \"GET /i/%d HTTP/1.1\" 200 %d\n",
	    i % 250, 1 + i % 30, i % 24, i % 60, i, 100 + i
	print "10.0.0.9 - - [01/Dec/2026:00:00:01 +0000] \"GET /i/5 HTTP/1.1\" 200 317" }' >"$tmp/access"
run 0 "$AIOPSFILTER" --templates "$tmp/access"
[ "$(lines "$tmp/out")" = 1 ] || fail "a new month made a new template: $(cat "$tmp/out")"

# A long list of keys keeps them; a long blob is one variable.
keys=$(awk 'BEGIN { for (i = 0; i < 20; i++) printf "key%c=%d,", 97 + i, i }')
blob=$(awk 'BEGIN { for (i = 0; i < 30; i++) printf "Zk+x/Qw%d", i }')
printf 'power state %s\nticket for %s\n' "$keys" "$blob" >"$tmp/long"
run 0 "$AIOPSFILTER" --templates "$tmp/long"
contains "$tmp/out" "	power state keya=<*>,keyb=<*>,"
contains "$tmp/out" "	ticket for <*>"

# The tree's options.  Two words in a row may be a variable's values
# with --variable-words=2; --similarity is the share of positions that
# must agree; words that differ in their digits only are soft
# differences, however many there are.
printf 'cache node alpha reported ready\ncache node beta reported ready\n' >"$tmp/vw"
run 0 "$AIOPSFILTER" --templates "$tmp/vw"
[ "$(lines "$tmp/out")" = 2 ] || fail "two words merged by default: $(cat "$tmp/out")"
run 0 "$AIOPSFILTER" --templates --variable-words=2 "$tmp/vw"
contains "$tmp/out" "	2	cache node <*> reported ready"
printf 'check node1 disk ok\ncheck node2 disk ok\n' >"$tmp/sim"
run 0 "$AIOPSFILTER" --templates "$tmp/sim"
contains "$tmp/out" "	2	check <*> disk ok"
run 0 "$AIOPSFILTER" --templates --similarity=0.9 "$tmp/sim"
[ "$(lines "$tmp/out")" = 2 ] || fail "--similarity=0.9 merged: $(cat "$tmp/out")"
printf 'check node1 disk1 link ok\ncheck node2 disk2 link ok\n' >"$tmp/soft2"
run 0 "$AIOPSFILTER" --templates "$tmp/soft2"
contains "$tmp/out" "	2	check <*> <*> link ok"
run 2 "$AIOPSFILTER" --variable-words=65 /dev/null
contains "$tmp/err" "(at most 64)"
run 2 "$AIOPSFILTER" --similarity=1.5 /dev/null
contains "$tmp/err" "(at most 1)"
run 2 "$AIOPSFILTER" --max-children=1 /dev/null
contains "$tmp/err" "(at least 2)"
run 2 "$AIOPSFILTER" --depth=2 /dev/null
contains "$tmp/err" "(at least 3)"
run 2 "$AIOPSFILTER" -j 65 /dev/null
contains "$tmp/err" "(at most 64)"
run 2 "$AIOPSFILTER" --threshold=2e6 /dev/null
contains "$tmp/err" "aiopsfilter: --threshold: '2e6' is too large (at most 1000000)"
# A value with a newline in it is shown escaped: the error is one line.
run 2 "$AIOPSFILTER" "--threshold=1
2" /dev/null
contains "$tmp/err" "aiopsfilter: --threshold: invalid value '1\x0a2'"
[ "$(grep -c '^aiopsfilter:' "$tmp/err")" = 1 ] && [ "$(lines "$tmp/err")" = 3 ] ||
    fail "a newline in a value broke the error: $(cat "$tmp/err")"
