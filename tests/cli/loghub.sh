# Parsing accuracy on Loghub-2k, when ../shared is there (its license
# keeps the data out of this tree).  Fails if any system fails to run,
# if the average grouping accuracy falls below what the parser has
# reached, with the benchmark's formats or finding headers by itself
# (--zero-config), or if any one system falls below SET_FLOOR.
. "$TOP_SRCDIR/tests/lib.sh"

bench=$SHARED_DIR/eval/loghub-bench
[ -x "$bench" ] || skip "no $bench (the shared Loghub data is not beside the tree)"
command -v python3 >/dev/null || skip "loghub-bench needs python3"

GA_FLOOR=0.96		# reached: 0.969
ZERO_GA_FLOOR=0.96	# reached: 0.969
SET_FLOOR=0.80

# check NAME FLOOR [BENCH OPTION]: run the bench and check its figures.
check() {
	name=$1
	floor=$2
	shift 2
	"$bench" "$@" -- "$AIOPSFILTER" >"$tmp/bench" 2>&1 ||
	    { cat "$tmp/bench"; fail "loghub-bench $name reported a failed system"; }
	tail -1 "$tmp/bench"
	ga=$(tail -1 "$tmp/bench" | sed -n 's/^GA avg: \([0-9.]*\).*/\1/p')
	[ -n "$ga" ] || fail "no GA average in loghub-bench $name output"
	awk -v ga="$ga" -v floor="$floor" 'BEGIN { exit !(ga >= floor) }' ||
	    fail "$name GA average $ga fell below $floor"
	awk -v floor="$SET_FLOOR" -v name="$name" '
		$NF == "ok" && $1 != "average" && $2 + 0 < floor {
			print "FAIL: " name " " $1 " GA " $2 " is below " floor
			bad = 1
		}
		END { exit bad }' "$tmp/bench" >&2 || exit 1
}

check "with formats" "$GA_FLOOR"
check "--zero-config" "$ZERO_GA_FLOOR" --zero-config
