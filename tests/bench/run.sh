#!/bin/sh
# make bench: throughput of aiopsfilter on a corpus made by corpus.awk
# (and on the same messages as JSON records), beside cat and wc -l timed
# in the same run.  A benchmark, not a test: it prints figures and fails
# only if the tool does.
#
#     run.sh AIOPSFILTER [LINES]
set -eu
tool=$1
lines=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/aiopsfilter-bench}
mkdir -p "$dir"
export LC_ALL=C

corpus() {	# corpus LINES TEMPLATES -> path
	f=$dir/corpus-$1-$2.log
	[ -s "$f" ] || awk -v lines="$1" -v templates="$2" -v seed=1 \
	    -f "$here/corpus.awk" >"$f"
	echo "$f"
}

# seconds CMD...: wall time of one run, the best of three.
seconds() {
	for i in 1 2 3; do
		s=$(date +%s.%N)
		"$@" >/dev/null || [ $? = 1 ]
		e=$(date +%s.%N)
		echo "$s $e"
	done | awk '{ t = $2 - $1; if (NR == 1 || t < best) best = t }
	    END { printf "%.4f\n", best }'
}

report() {	# report NAME FILE CMD...
	name=$1 file=$2
	shift 2
	t=$(seconds "$@")
	awk -v name="$name" -v t="$t" -v n="$(wc -l <"$file")" \
	    -v b="$(wc -c <"$file")" 'BEGIN {
		printf "%-30s %8.3f s %12.0f lines/s %9.1f MB/s\n", name, t,
		    n / t, b / t / 1e6 }'
}

main=$(corpus "$lines" 500)
echo "corpus: $main ($(wc -l <"$main") lines, $(wc -c <"$main") bytes)"
report "cat" "$main" cat "$main"
report "wc -l" "$main" wc -l "$main"
report "aiopsfilter" "$main" "$tool" "$main"
if "$tool" -j1 /dev/null >/dev/null 2>&1 || [ $? = 1 ]; then
	report "aiopsfilter -j1" "$main" "$tool" -j1 "$main"
fi
report "aiopsfilter --all -o json" "$main" "$tool" --all --output=json "$main"
if "$tool" --mask 'a=x' /dev/null >/dev/null 2>&1 || [ $? = 1 ]; then
	report "aiopsfilter + 3 masks" "$main" "$tool" \
	    --mask 'ticket=TKT-[0-9]+' --mask 'sha=[0-9a-f]{40}' \
	    --mask 'mail=[a-z]+@[a-z]+\.[a-z]+' "$main"
fi
# JSON lines in: the same messages, as records with members of their own.
if "$tool" --input=json /dev/null >/dev/null 2>&1 || [ $? = 1 ]; then
	json=$dir/corpus-$lines-500.json
	[ -s "$json" ] || awk '{ gsub(/\\/, "&&"); gsub(/"/, "\\\"")
		printf "{\"ts\":%d,\"level\":\"info\",\"msg\":\"%s\",\"status\":%d,\"bytes\":%d}\n",
		    1764237600 + NR, $0, (NR % 7 ? 200 : 204), length($0) }' \
	    "$main" >"$json"
	report "aiopsfilter --input=json" "$json" "$tool" --input=json "$json"
fi
# Cost grows linearly, and does not explode with many templates.
small=$(corpus $((lines / 10)) 500)
report "aiopsfilter, 1/10 the lines" "$small" "$tool" "$small"
many=$(corpus "$lines" 50000)
report "aiopsfilter, 50000 templates" "$many" "$tool" "$many"
# The worst case for the tree: every line a new template, as free text
# in messages makes it.  Slower by far, but it must not crawl.
novel=$dir/novel-$((lines / 10)).log
[ -s "$novel" ] || awk -v n=$((lines / 10)) 'BEGIN {
	srand(1)
	for (i = 0; i < n; i++) {
		s = "chat: message from user" int(rand() * 1000) ":"
		for (k = 3 + int(rand() * 10); k > 0; k--) {
			s = s " "
			for (l = 2 + int(rand() * 7); l > 0; l--)
				s = s sprintf("%c", 97 + int(rand() * 26))
		}
		print s
	}
}' >"$novel"
report "aiopsfilter, every line new" "$novel" "$tool" "$novel"
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f 'peak RSS: %M KiB' "$tool" "$main" >/dev/null
fi
