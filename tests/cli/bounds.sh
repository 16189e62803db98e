# --max-templates: a flood of lines that are all new stays within the
# bound, and what is seen often survives it.
. "$TOP_SRCDIR/tests/lib.sh"

# random_lines SEED N [EVERY]: N lines of 3 to 8 random words, each line
# a template of its own; with EVERY, every EVERYth is a heartbeat instead.
random_lines() {
	awk -v seed="$1" -v lines="$2" -v every="${3:-0}" 'BEGIN { srand(seed)
	for (i = 1; i <= lines; i++) {
		if (every && i % every == 0) {
			print "heartbeat from scheduler ok"
			continue
		}
		n = 3 + int(rand() * 6)
		line = ""
		for (j = 0; j < n; j++) {
			w = ""
			for (c = 0; c < 6; c++)
				w = w sprintf("%c", 97 + int(rand() * 26))
			line = line (j ? " " : "") w
		}
		print line
	} }'
}

random_lines 5 4000 5 >"$tmp/flood"

run 0 "$AIOPSFILTER" --max-templates 100 --templates "$tmp/flood"
[ "$(lines "$tmp/out")" -le 100 ] || fail "$(lines "$tmp/out") templates kept, bound 100"
[ "$(lines "$tmp/out")" -ge 50 ] || fail "only $(lines "$tmp/out") templates kept"
head -1 "$tmp/out" | grep -q "	800	heartbeat from scheduler ok$" ||
    fail "the frequent template did not survive: $(head -1 "$tmp/out")"
# Ids are not reused: the last ones are far past the bound.
sort -n "$tmp/out" | tail -1 | grep -q '^3[0-9][0-9][0-9]	' ||
    fail "ids: $(sort -n "$tmp/out" | tail -1)"

# Without the bound, all of them.
run 0 "$AIOPSFILTER" --templates "$tmp/flood"
[ "$(lines "$tmp/out")" = 3201 ] || fail "$(lines "$tmp/out") templates unbounded"

# The bound holds over a state, and a smaller one cuts a loaded state.
run 0 "$AIOPSFILTER" --learn -s "$tmp/st" "$tmp/flood"
run 0 "$AIOPSFILTER" --max-templates 64 -s "$tmp/st" --templates </dev/null
[ "$(lines "$tmp/out")" -le 64 ] || fail "a loaded state kept $(lines "$tmp/out") templates, bound 64"
contains "$tmp/out" "heartbeat from scheduler ok"

# Dropped templates give their summary rows back: past the summary's
# 16384 rows, a late newcomer still gets its sparkline.
{
	random_lines 9 20000
	for i in $(seq 0 49); do
		echo "disk quota exceeded on volume vol$((i % 3))"
	done
} >"$tmp/late"
# Whether a line is flagged is not the point here: 0 or 1 will do.
"$AIOPSFILTER" --summary --ascii --max-templates 1000 "$tmp/late" \
    >"$tmp/out" 2>"$tmp/err"
[ $? -le 1 ] || fail "the late run failed: $(cat "$tmp/err")"
grep -A3 "^first seen late" "$tmp/err" | grep -q '^ line 2000[123]  *2000[123] | *@| disk quota exceeded on volume' ||
    fail "no late row for a template past 16384: $(grep -A3 "^first seen late" "$tmp/err")"

run 2 "$AIOPSFILTER" --max-templates 5 "$tmp/flood"
contains "$tmp/err" "--max-templates"
exit 0
