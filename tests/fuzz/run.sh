#!/bin/sh
# What "make fuzz" runs: build each libFuzzer harness (tests/fuzz/fuzz_*.c)
# with clang, ASan and UBSan against the library's sources, compiled
# again here with the same flags (not the library the build made with
# its own compiler), then run each for FUZZ_SECONDS on its corpus and
# fail on the first crash, leak, sanitizer report or timeout.  The seeds
# in tests/fuzz/corpus/NAME are only read: what the fuzzer learns goes
# to the work directory, with any crashing input.
#
#   run.sh [build]          build only, or build and run (the default)
#
# The Makefile sets FUZZ_SRCDIR (the source tree), FUZZ_CPPFLAGS,
# FUZZ_LIBS and FUZZ_SOURCES (the library's files).  Set by hand:
#   FUZZ_SECONDS   seconds per harness (60)
#   FUZZ_TARGETS   which harnesses ("line format config json time
#                  decompress state mask tokens")
#   FUZZ_CC        the compiler (clang)
#   FUZZ_DIR       where binaries and work go (tests/fuzz, in the build)
#   FUZZ_ARGS      more libFuzzer options, e.g. "-jobs=2"
set -eu

srcdir=${FUZZ_SRCDIR:?set FUZZ_SRCDIR to the source tree}
cc=${FUZZ_CC:-clang}
seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-"line format config json time decompress state mask tokens"}
dir=${FUZZ_DIR:-tests/fuzz}
bin=$dir/build
work=$dir/work

san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-std=c11 -g -O1 -fno-omit-frame-pointer $san
-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -Wall -Wextra -Wno-unused-parameter
${FUZZ_CPPFLAGS:-}"

command -v "$cc" >/dev/null 2>&1 ||
    { echo "run.sh: no $cc: fuzzing needs clang with libFuzzer" >&2; exit 1; }

mkdir -p "$bin/obj" "$work"

# The library: every .c of FUZZ_SOURCES, rebuilt when it or a header
# is newer than its object.
newest_h=$(ls -t "$srcdir"/src/*.h | head -n 1)
objs=
for f in ${FUZZ_SOURCES:?set FUZZ_SOURCES to the library sources}; do
	case $f in *.c) ;; *) continue ;; esac
	o=$bin/obj/$(basename "$f" .c).o
	objs="$objs $o"
	if [ ! -f "$o" ] || [ "$srcdir/$f" -nt "$o" ] ||
	    [ "$newest_h" -nt "$o" ]; then
		echo "  CC (fuzz) $f"
		# shellcheck disable=SC2086
		$cc $cflags -fsanitize=fuzzer-no-link -c -o "$o" "$srcdir/$f"
	fi
done
rm -f "$bin/libfuzz.a"
# shellcheck disable=SC2086
ar rc "$bin/libfuzz.a" $objs

for t in $targets; do
	h=$srcdir/tests/fuzz/fuzz_$t.c
	[ -f "$h" ] || { echo "run.sh: no harness $h" >&2; exit 1; }
	echo "  CCLD (fuzz) fuzz_$t"
	# shellcheck disable=SC2086
	$cc $cflags -fsanitize=fuzzer -o "$bin/fuzz_$t" "$h" \
	    "$bin/libfuzz.a" ${FUZZ_LIBS:-} -lm
done
[ "${1:-}" = build ] && exit 0

# Longer inputs where length matters: lines past the parsed prefix,
# archives of several blocks.
max_len() {
	case $1 in
	line|decompress) echo 65536 ;;
	state) echo 65536 ;;
	*) echo 4096 ;;
	esac
}

# The figures of the final stats: execs, exec/s, cov, ft, corpus.
figures() {
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$1" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$1" | tail -n 1)
	last=$(grep -E '^#[0-9]+.*(cov|ft):' "$1" | tail -n 1)
	cov=$(printf '%s\n' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(printf '%s\n' "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	echo "fuzz_$t: ${seconds}s, ${execs:-?} execs, ${rate:-?}/s," \
	    "cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}"
}

status=0
for t in $targets; do
	mkdir -p "$work/$t/corpus"
	log=$work/$t/log
	dict=
	[ -f "$srcdir/tests/fuzz/$t.dict" ] &&
	    dict=-dict=$srcdir/tests/fuzz/$t.dict
	echo "  FUZZ fuzz_$t for ${seconds}s (log: $log)"
	# shellcheck disable=SC2086
	if "$bin/fuzz_$t" -max_total_time="$seconds" -timeout=30 \
	    -rss_limit_mb=2048 -max_len="$(max_len "$t")" \
	    -print_final_stats=1 -artifact_prefix="$work/$t/" $dict \
	    ${FUZZ_ARGS:-} "$work/$t/corpus" "$srcdir/tests/fuzz/corpus/$t" \
	    >"$log" 2>&1; then
		figures "$log"
	else
		echo "fuzz_$t: FAILED; the end of $log:" >&2
		tail -n 60 "$log" >&2
		ls "$work/$t"/crash-* "$work/$t"/leak-* "$work/$t"/timeout-* \
		    "$work/$t"/oom-* 2>/dev/null >&2 || true
		status=1
	fi
done
exit $status
