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
contains "$tmp/err" "aiopsfilter: invalid format:"
[ "$(lines "$tmp/err")" = 1 ] || fail "more than one error line"
run 2 "$AIOPSFILTER" --format '<Date> <Time>' "$tmp/log"
contains "$tmp/err" "no Content field"
run 2 "$AIOPSFILTER" --format-regex '(?<time>\S+' "$tmp/log"
contains "$tmp/err" "aiopsfilter: invalid format regex:"
