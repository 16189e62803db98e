# --mask, --show-class and --delimiters.
. "$TOP_SRCDIR/tests/lib.sh"

awk 'BEGIN { for (i = 1; i <= 200; i++)
	printf "job %s owned by team-%s finished on 10.0.%d.%d after %d ms\n",
	    substr("abcdefghij", i % 10 + 1, 3) "x" substr("klmnopqrst", i % 7 + 1, 2),
	    substr("redbluegold", i % 3 * 3 + 1, 3), i % 4, i % 250, i }' >"$tmp/log"

# Built-in classes, printed as <*> or as their class.
run 0 "$AIOPSFILTER" --templates "$tmp/log"
contains "$tmp/out" "finished on <*> after <*> ms"
run 0 "$AIOPSFILTER" --templates --show-class "$tmp/log"
contains "$tmp/out" "finished on <IP> after <NUM> ms"

# User masks name what the built-in ones cannot know.
run 0 "$AIOPSFILTER" --templates --show-class --mask 'JOB=\b[a-j]{3}x[k-t]{2}\b' \
    --mask 'TEAM=team-[a-z]+' "$tmp/log"
contains "$tmp/out" "job <JOB> owned by <TEAM> finished on <IP> after <NUM> ms"
[ "$(lines "$tmp/out")" = 1 ] || fail "user masks did not make one template"
run 0 "$AIOPSFILTER" --all -o json --mask 'JOB=\b[a-j]{3}x[k-t]{2}\b' "$tmp/log"
json_check "$tmp/out"
head -1 "$tmp/out" | grep -q '"template":"job <\*> owned by' ||
    fail "a user mask does not print as <*>: $(head -1 "$tmp/out")"

# Bad masks: one line, status 2.
run 2 "$AIOPSFILTER" --mask 'X=(' "$tmp/log"
contains "$tmp/err" "aiopsfilter: --mask X: invalid regex: missing closing parenthesis at offset 1"
[ "$(lines "$tmp/err")" = 1 ] || fail "more than one error line"
run 2 "$AIOPSFILTER" --mask 'no-equals' "$tmp/log"
contains "$tmp/err" "--mask: 'no-equals' is not NAME=REGEX"
run 2 "$AIOPSFILTER" --mask '9X=a' "$tmp/log"
contains "$tmp/err" "a name is a letter"
# Masks match bytes: a log line need not be UTF-8.
run 2 "$AIOPSFILTER" --mask 'U=(*UTF)x' "$tmp/log"
contains "$tmp/err" "aiopsfilter: --mask U: invalid regex: using UTF is disabled"
printf 'id \377\376x7 done\n' >"$tmp/bytes"
run 0 "$AIOPSFILTER" --all --mask 'B=\xff\xfe' "$tmp/bytes"

# Delimiters split tokens and keep the spacing in templates.
printf 'set a=1,b=2 now\nset a=3,b=4 now\n' >"$tmp/kv"
run 0 "$AIOPSFILTER" --templates --delimiters '=,' "$tmp/kv"
contains "$tmp/out" "set a=<*>,b=<*> now"

# A day or month name is part of a time, a word that only starts like
# one (all nine letters count) is not.
printf 'backup done Wednesday 12 files\n' >"$tmp/day"
run 0 "$AIOPSFILTER" --format none --all --show-class -o json "$tmp/day"
contains "$tmp/out" '"template":"backup done <TIME> <NUM> files"'
printf 'backup done Wednesdax 12 files\n' >"$tmp/day"
run 0 "$AIOPSFILTER" --format none --all --show-class -o json "$tmp/day"
contains "$tmp/out" '"template":"backup done Wednesdax <NUM> files"'

# An HTTP version is part of the request's target before it, and numbers
# joined by '_' are two variables.
printf '%s\n' '10.0.0.1 "GET /a/b HTTP/1.1" status: 200 session 17_4' \
    '10.0.0.2 "GET /c HTTP/1.0" status: 404 session 18_9' >"$tmp/http"
run 0 "$AIOPSFILTER" --format none --templates "$tmp/http"
contains "$tmp/out" '<*> "GET <*>" status: <*> session <*>_<*>'

# true and false are states, kept where they do not vary; null stands for
# a value.
printf '%s\n' 'screen setLightsOn(true) tag=null' \
    'screen setLightsOn(true) tag=null' >"$tmp/bool"
run 0 "$AIOPSFILTER" --format none --templates "$tmp/bool"
contains "$tmp/out" 'screen setLightsOn(true) tag=<*>'

# A variable keeps the dotted family its names share, in a state file too.
i=0
for n in icloud.beat Safari.Update cts mdworker.x spotlight; do
	i=$((i + 17))
	echo "com.apple.$n: scheduler told me to run this job in $i seconds"
done >"$tmp/names"
run 0 "$AIOPSFILTER" --format none --templates -s "$tmp/names.state" "$tmp/names"
contains "$tmp/out" 'com.apple.<*>: scheduler told me'
run 0 "$AIOPSFILTER" --format none --templates -s "$tmp/names.state" /dev/null
contains "$tmp/out" 'com.apple.<*>: scheduler told me'
