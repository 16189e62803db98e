# --format and --format-regex: headers split off, misfits parsed whole.
. "$TOP_SRCDIR/tests/lib.sh"

fmt='<Date> <Time> <Level> <Component>: <Content>'
awk 'BEGIN { for (i = 1; i <= 2000; i++)
	printf "2026-11-26 10:%02d:%02d INFO http: served request %d in %d ms\n", i % 60, i % 60, i, i % 50 }' >"$tmp/log"
echo "this line has no header at all" >>"$tmp/log"

run 0 "$AIOPSFILTER" --all -o json --format "$fmt" "$tmp/log"
json_check "$tmp/out"
head -1 "$tmp/out" | grep -q '"template":"served request <\*> in <\*> ms"' ||
    fail "header not split off: $(head -1 "$tmp/out")"
tail -1 "$tmp/out" | grep -q '"template":"this line has no header at all"' ||
    fail "a line not matching the format was not parsed whole"
[ "$(lines "$tmp/out")" = 2001 ] || fail "lines dropped"

run 0 "$AIOPSFILTER" --all -o json \
    --format-regex '^\S+ \S+ (?<level>\S+) (?<component>[^:]+): (?<content>.*)$' "$tmp/log"
head -1 "$tmp/out" | grep -q '"template":"served request <\*> in <\*> ms"' ||
    fail "--format-regex did not split the header"

# Malformed formats: one clear line, exit 2.
run 2 "$AIOPSFILTER" --format '<Date> (<Content>' "$tmp/log"
contains "$tmp/err" "aiopsfilter: --format:"
[ "$(lines "$tmp/err")" = 1 ] || fail "more than one error line"
run 2 "$AIOPSFILTER" --format '<Date> <Time>' "$tmp/log"
contains "$tmp/err" "no Content field"
run 2 "$AIOPSFILTER" --format '<Date> <Content>\' "$tmp/log"
contains "$tmp/err" "aiopsfilter: --format: \ at the end"
run 2 "$AIOPSFILTER" --format-regex '(?<time>\S+' "$tmp/log"
contains "$tmp/err" "aiopsfilter: --format-regex:"
run 2 "$AIOPSFILTER" --format 'sysl0g' "$tmp/log"
contains "$tmp/err" "aiopsfilter: --format: unknown format 'sysl0g'"

# Presets.
printf '%s\n' \
    "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown" \
    "Jun 14 15:16:02 combo sshd(pam_unix)[19940]: check pass; user unknown" \
    "Jun 14 15:16:05 combo su: session opened for user news" >"$tmp/syslog"
run 0 "$AIOPSFILTER" --all -o json --format syslog "$tmp/syslog"
head -1 "$tmp/out" | grep -q '"template":"check pass; user unknown"' ||
    fail "syslog preset: $(head -1 "$tmp/out")"
tail -1 "$tmp/out" | grep -q '"template":"session opened for user news"' ||
    fail "syslog preset: $(tail -1 "$tmp/out")"
# rsyslog's files since Debian 12: the same fields after an RFC 3339 stamp,
# whose time is the line's.
echo "2026-11-29T01:02:03.250+01:00 web1 su[77]: session opened for user news" |
    run 0 "$AIOPSFILTER" --all -o json --format syslog
grep -q '"template":"session opened for user news"' "$tmp/out" ||
    fail "syslog preset, RFC 3339 stamp: $(cat "$tmp/out")"
grep -q '"event_time":1795910523.250' "$tmp/out" ||
    fail "syslog preset, RFC 3339 stamp's time: $(cat "$tmp/out")"
printf '%s\n' \
    '93.180.71.3 - - [17/May/2015:08:05:32 +0000] "GET /downloads/product_1 HTTP/1.1" 304 0 "-" "Debian APT-HTTP/1.3 (0.8.16~exp12ubuntu10.21)"' \
    '80.91.33.133 - - [17/May/2015:08:05:24 +0000] "GET /downloads/product_1 HTTP/1.1" 304 0 "-" "Debian APT-HTTP/1.3 (0.8.16~exp12ubuntu10.17)"' >"$tmp/access"
for preset in nginx apache; do
	run 0 "$AIOPSFILTER" --all -o json --format $preset "$tmp/access"
	json_check "$tmp/out"
	head -1 "$tmp/out" | grep -q '"template":"\\"GET <\*>\\" <\*> <\*>' ||
	    fail "$preset preset: $(head -1 "$tmp/out")"
	[ "$(grep -c '"template_id":1,' "$tmp/out")" = 2 ] ||
	    fail "$preset preset: the two requests are not one template"
done
for preset in rfc5424 iso8601 journal; do
	run 1 "$AIOPSFILTER" --format $preset /dev/null
done

# Without a format, a header is found and cut off by itself; with
# --format=none lines are parsed whole.
run 0 "$AIOPSFILTER" --all -o json "$tmp/syslog"
head -1 "$tmp/out" | grep -q '"template":"check pass; user unknown"' ||
    fail "the header was not found: $(head -1 "$tmp/out")"
run 0 "$AIOPSFILTER" --all -o json --format none "$tmp/syslog"
head -1 "$tmp/out" | grep -q '"template":"<\*> <\*> <\*>:<\*>:<\*> combo' ||
    fail "--format=none cut a header: $(head -1 "$tmp/out")"
run 0 "$AIOPSFILTER" --templates "$SAMPLES/webapp.log"
contains "$tmp/out" "user <*> logged in from <*>"
lacks "$tmp/out" "INFO"

# A format that no line matches (here another log's) is said once: at
# the end of a short input, or after 1000 lines of a long one; not when
# some line matches, nor without a format.
fmt='\[<Time>\] <Level>: <Content>'
quietly() { "$@" >/dev/null 2>"$tmp/err" || :; }	# the status aside
quietly "$AIOPSFILTER" -f "$fmt" "$tmp/syslog"
[ "$(cat "$tmp/err")" = "aiopsfilter: $tmp/syslog: no line matches the format ($(lines "$tmp/syslog") read): each is parsed whole, header and all" ] ||
    fail "a format no line matches: $(cat "$tmp/err")"
awk 'BEGIN { for (i = 1; i <= 1500; i++)
    printf "Jun 14 15:16:%02d combo app: step %d done\n", i % 60, i }' >"$tmp/long"
for j in 1 2; do
	quietly "$AIOPSFILTER" -j$j -f "$fmt" "$tmp/long" "$tmp/syslog"
	[ "$(cat "$tmp/err")" = "aiopsfilter: $tmp/long: no line matches the format (1000 read): each is parsed whole, header and all" ] ||
	    fail "-j$j: a format no line of a long input matches: $(cat "$tmp/err")"
done
{ cat "$tmp/syslog"; echo "[10:00:00] ERROR: disk gone"; } >"$tmp/one"
quietly "$AIOPSFILTER" -f "$fmt" "$tmp/one"
[ -s "$tmp/err" ] && fail "a format one line matches: $(cat "$tmp/err")"
# An input is judged by its own lines: one that no line matches, after
# one that matched, is named with its own count.
quietly "$AIOPSFILTER" -f "$fmt" "$tmp/one" "$tmp/syslog"
[ "$(cat "$tmp/err")" = "aiopsfilter: $tmp/syslog: no line matches the format ($(lines "$tmp/syslog") read): each is parsed whole, header and all" ] ||
    fail "a format the second input does not match: $(cat "$tmp/err")"
quietly "$AIOPSFILTER" -f syslog "$tmp/syslog"
[ -s "$tmp/err" ] && fail "a format every line matches: $(cat "$tmp/err")"
exit 0
