# Context like grep's: -A, -B and -C select the same lines, with the same
# "--" between groups and the same markers, as grep does with a pattern
# that matches exactly the flagged lines.
. "$TOP_SRCDIR/tests/lib.sh"

# Findings at several distances from each other: touching, one, two and
# three lines apart, far apart, and at the very end.
awk 'BEGIN {
	n = split("amber basalt cobalt dune ember fjord glacier harbor iris jade kelp lagoon marble nectar onyx pebble quartz raven saffron tundra umber velvet willow xenon yarrow zephyr anvil beacon canyon delta estuary falcon granite heron inlet juniper kestrel lantern meadow nimbus orchid prairie quiver ridge summit thistle upland vortex wharf yonder zenith", w, " ")
	split("600 601 603 606 610 1400 1402 2990 2999 3000", at, " ")
	k = 1; j = 1
	for (i = 1; i <= 3000; i++) {
		if (i % 3 == 0) printf "GET /api/items/%d 200 %dms\n", i, i % 40
		else if (i % 3 == 1) printf "worker %d processed batch %d with %d messages\n", i % 4, 9000 + i, i % 97
		else printf "cache hit ratio 0.%d over last %d lookups\n", 80 + i % 19, 1000 + i
		if (i == at[k]) { printf "%s %s %s %s %s\n", w[j], w[j+1], w[j+2], w[j+3], w[j+4]; j += 5; k++ }
	}
}' >"$tmp/log"

# The flagged lines, as a fixed-string pattern list for grep.
run 0 "$AIOPSFILTER" "$tmp/log"
sed 's/^[0-9.]* [a-z]* [0-9]* //' "$tmp/out" >"$tmp/flagged"
[ "$(lines "$tmp/flagged")" = 10 ] || fail "expected 10 findings, got $(lines "$tmp/flagged")"

# Ours as grep's: a finding "SCORE KIND ID " is grep's ":" and a context
# record "- context ID " grep's "-".
as_grep() {
	sed -e 's/^- context [0-9]* /-/' -e 's/^[0-9.]* [a-z]* [0-9]* /:/'
}
for o in "-A 2" "-B 1" "-C 3" "-A 1 -B 4" "-C 0" "-B 700" "-A 5000"; do
	# shellcheck disable=SC2086
	run 0 "$AIOPSFILTER" $o "$tmp/log"
	as_grep <"$tmp/out" >"$tmp/ours"
	# shellcheck disable=SC2086
	grep $o -n -x -F -f "$tmp/flagged" "$tmp/log" |
	    sed -E 's/^[0-9]+([:-])/\1/' >"$tmp/grep"
	cmp -s "$tmp/ours" "$tmp/grep" ||
	    { diff "$tmp/grep" "$tmp/ours" | head >&2; fail "$o differs from grep"; }
	# The same selection by line number, in JSON.
	# shellcheck disable=SC2086
	run 0 "$AIOPSFILTER" $o -o json "$tmp/log"
	json_check "$tmp/out"
	python3 - "$tmp/out" >"$tmp/ours" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    x = json.loads(l)
    assert x.get('context', True) is True, x
    print('%d%s%s' % (x['line'], '-' if x.get('context') else ':', x['text']))
PY
	# shellcheck disable=SC2086
	grep $o -n -x -F -f "$tmp/flagged" "$tmp/log" | grep -v '^--$' >"$tmp/grep"
	cmp -s "$tmp/ours" "$tmp/grep" ||
	    { diff "$tmp/grep" "$tmp/ours" | head >&2; fail "$o -o json differs from grep -n"; }
done

# With file names, grep's "file:" and "file-".
run 0 "$AIOPSFILTER" -H -C 1 "$tmp/log"
sed -e "s|^$tmp/log-- context [0-9]* |$tmp/log-|" \
    -e "s|^$tmp/log:[0-9.]* [a-z]* [0-9]* |$tmp/log:|" "$tmp/out" >"$tmp/ours"
grep -H -C 1 -x -F -f "$tmp/flagged" "$tmp/log" >"$tmp/grep"
cmp -s "$tmp/ours" "$tmp/grep" || { diff "$tmp/grep" "$tmp/ours" | head >&2; fail "-H -C 1 differs from grep -H"; }

# Context stays within its input, as grep's does, and groups of two
# inputs are apart: the log cut just before its fourth finding.
at=$(grep -n -x -F -f "$tmp/flagged" "$tmp/log" | sed -n '4s/:.*//p')
head -n $((at - 1)) "$tmp/log" >"$tmp/one"
tail -n +"$at" "$tmp/log" >"$tmp/two"
for j in 1 2; do
	run 0 "$AIOPSFILTER" -j $j -C 2 "$tmp/one" "$tmp/two"
	sed -e "s|^\($tmp/[a-z]*\)-- context [0-9]* |\1-|" \
	    -e "s|^\($tmp/[a-z]*\):[0-9.]* [a-z]* [0-9]* |\1:|" "$tmp/out" >"$tmp/ours"
	grep -C 2 -x -F -f "$tmp/flagged" "$tmp/one" "$tmp/two" >"$tmp/grep"
	cmp -s "$tmp/ours" "$tmp/grep" ||
	    { diff "$tmp/grep" "$tmp/ours" | head >&2; fail "-j $j -C 2 over two inputs differs from grep"; }
done

# Long options, and the bound.
run 0 "$AIOPSFILTER" -B 1 -A 2 "$tmp/log"
cp "$tmp/out" "$tmp/short"
run 0 "$AIOPSFILTER" --before-context=1 --after-context=2 "$tmp/log"
cmp -s "$tmp/out" "$tmp/short" || fail "--before-context, --after-context differ from -B, -A"
run 0 "$AIOPSFILTER" -C 2 "$tmp/log"
cp "$tmp/out" "$tmp/short"
run 0 "$AIOPSFILTER" --context=2 "$tmp/log"
cmp -s "$tmp/out" "$tmp/short" || fail "--context=2 differs from -C 2"
run 2 "$AIOPSFILTER" -C 10001 "$tmp/log"
contains "$tmp/err" "--context: '10001' is too large"
run 2 "$AIOPSFILTER" -A x "$tmp/log"
contains "$tmp/err" "--after-context: invalid value 'x'"

# With --all every line is printed anyway: context changes nothing.
run 0 "$AIOPSFILTER" --all "$tmp/log"
cp "$tmp/out" "$tmp/all"
run 0 "$AIOPSFILTER" --all -C 3 "$tmp/log"
cmp -s "$tmp/out" "$tmp/all" || fail "-C changed --all output"
exit 0
