# --summary: a report on standard error after the run; the records on
# standard output are the same with or without it.
. "$TOP_SRCDIR/tests/lib.sh"

log=$SAMPLES/webapp.log
run 0 "$AIOPSFILTER" -o json "$log"
cp "$tmp/out" "$tmp/plain"
run 0 "$AIOPSFILTER" -o json --summary "$log"
cmp -s "$tmp/out" "$tmp/plain" || fail "--summary changed the records"
json_check "$tmp/out"
e=$tmp/err
[ "$(head -1 "$e")" = "aiopsfilter summary" ] || fail "no summary: $(head -3 "$e")"
contains "$e" "  lines read     6000"
contains "$e" "  lines flagged  4 (new 4, rare 0, value 0, burst 0)"
contains "$e" "  templates      17"
# The sample's lines have time stamps: the axis is their time.
contains "$e" "  axis           2026-11-20T08:00:01Z to 2026-11-20T11:18:54Z, 9m a column"
contains "$e" "top templates by count"
# The busiest template, with a sparkline of 24 columns of blocks.
sed -n '/^top templates/{n;p;}' "$e" | grep -Eq '^ *1781 +1 \|( |▁|▂|▃|▄|▅|▆|▇|█){24}\| GET <\*> <\*> <\*>$' ||
    fail "bad top row: $(sed -n '/^top templates/{n;p;}' "$e")"
contains "$e" "first seen late (in the last quarter of the run), latest first"
grep -q '^ 2026-11-20T10:55:50Z  *25 | *█ *| .*Out of memory: Killed proce' "$e" ||
    fail "the late OOM line is missing"

run 0 "$AIOPSFILTER" --summary --ascii "$log"
LC_ALL=C grep -q '[^ -~]' "$tmp/err" && fail "--ascii summary is not ASCII"
grep -q '^ 2026-11-20T10:55:50Z  *25 | *@ *| ' "$tmp/err" || fail "no ASCII sparkline"
# Without time stamps the axis counts lines.
run 0 "$AIOPSFILTER" --summary --format=none "$log"
contains "$tmp/err" "  axis           line 1 to line 6000, 256 lines a column"

# With JSON lines input the summary counts what was not JSON, instead of
# separate warnings.
{ normal_log 100 | sed 's/.*/{"msg":"&"}/'; echo 'not json'; } >"$tmp/j.log"
# (the stray line is new to the model: it is flagged, status 0)
run 0 "$AIOPSFILTER" --input=json --summary "$tmp/j.log"
contains "$tmp/err" "  not JSON       1 (judged as plain text)"
contains "$tmp/err" "  no message     0 (judged whole)"
lacks "$tmp/err" "aiopsfilter: 1 line was not"

# Nothing read: still a report, exit 1.
run 1 "$AIOPSFILTER" --summary /dev/null
contains "$tmp/err" "  lines read     0"
