# The quick start: the bundled sample prints its few unusual lines.
. "$TOP_SRCDIR/tests/lib.sh"

log=$SAMPLES/webapp.log
[ "$(lines "$log")" -ge 5000 ] || fail "the sample is too small"

run 0 "$AIOPSFILTER" "$log"
contains "$tmp/out" "certificate for api.example.com expires in 3 days"
contains "$tmp/out" "connection to primary 10.0.3.7:5432 refused"
contains "$tmp/out" "charge failed for order 88213: card declined"
contains "$tmp/out" "Out of memory: Killed process 4242"
n=$(lines "$tmp/out")
[ "$n" -le 10 ] || fail "the sample printed $n lines; a few were expected"

# The sample is what its generator makes.
awk -f "$SAMPLES/make-webapp-log.awk" >"$tmp/regen"
cmp -s "$tmp/regen" "$log" || fail "samples/webapp.log differs from its generator's output"
