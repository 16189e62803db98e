# Parsing accuracy on Loghub-2k, when ../shared is there (its license
# keeps the data out of this tree).  Fails if any system fails to run or
# the average grouping accuracy falls below what the parser has reached.
. "$TOP_SRCDIR/tests/lib.sh"

bench=$SHARED_DIR/eval/loghub-bench
[ -x "$bench" ] || skip "no $bench (the shared Loghub data is not beside the tree)"
command -v python3 >/dev/null || skip "loghub-bench needs python3"

GA_FLOOR=0.81

"$bench" -- "$AIOPSFILTER" >"$tmp/bench" 2>&1 || { cat "$tmp/bench"; fail "loghub-bench reported a failed system"; }
tail -1 "$tmp/bench"
ga=$(tail -1 "$tmp/bench" | sed -n 's/^GA avg: \([0-9.]*\).*/\1/p')
[ -n "$ga" ] || fail "no GA average in loghub-bench output"
awk -v ga="$ga" -v floor="$GA_FLOOR" 'BEGIN { exit !(ga >= floor) }' ||
    fail "GA average $ga fell below $GA_FLOOR"
