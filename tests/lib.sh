# Shared by the CLI tests (sourced, POSIX sh).  The test harness sets
# AIOPSFILTER (the binary), TOP_SRCDIR and SHARED_DIR (the ../shared
# folder beside the source tree, which may not exist).
set -u
: "${AIOPSFILTER:?run through make check}"
: "${TOP_SRCDIR:?run through make check}"
SAMPLES=$TOP_SRCDIR/samples
tmp=$(mktemp -d "${TMPDIR:-/tmp}/aiopsfilter-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

# run WANT_STATUS CMD...: run CMD with stdout in $tmp/out and stderr in
# $tmp/err, and check its exit status.
run() {
	want=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "--- stdout" >&2; head -20 "$tmp/out" >&2
		echo "--- stderr" >&2; head -20 "$tmp/err" >&2
		fail "$* exited $got, expected $want"
	fi
}

# ends_within TENTHS PID: PID ends within TENTHS tenths of a second;
# else it is killed and the call fails.
ends_within() {
	_i=0
	while kill -0 "$2" 2>/dev/null; do
		_i=$((_i + 1))
		if [ $_i -gt "$1" ]; then
			kill -9 "$2"
			return 1
		fi
		sleep 0.1
	done
}

# interruptible CMD...: CMD with SIGINT as by default.  A script's
# asynchronous command has it ignored, and a run that finds SIGINT
# ignored leaves it so; use as "interruptible CMD &" (it execs, so $! is
# the run).
interruptible() {
	exec python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}

# handlers_set PID: wait, up to ten seconds, until PID is the program
# with its signal handlers set, so that a signal sent next is the run's
# to handle and not lost in the start-up of interruptible's python (a
# slow start on a busy machine).  Without /proc, a second's grace.
handlers_set() {
	if [ ! -r /proc/self/status ]; then
		sleep 1
		return 0
	fi
	_i=0
	until [ "$(cat "/proc/$1/comm" 2>/dev/null)" = aiopsfilter ] &&
	    grep -q '^SigCgt:.*[1-9a-f]' "/proc/$1/status" 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -gt 100 ] && return 1
		sleep 0.1
	done
}

# shows_within TENTHS FILE STRING: FILE has a line containing STRING
# within TENTHS tenths of a second; else the call fails.
shows_within() {
	_i=0
	until grep -qF -- "$3" "$2"; do
		_i=$((_i + 1))
		[ $_i -gt "$1" ] && return 1
		sleep 0.1
	done
}

# contains FILE STRING: FILE has a line containing STRING (fixed string).
contains() {
	grep -qF -- "$2" "$1" || fail "$1 lacks '$2'"
}

lacks() {
	! grep -qF -- "$2" "$1" || fail "$1 has '$2'"
}

lines() {
	wc -l <"$1" | tr -d ' '
}

# wait_for FILE STRING: up to 10 s for FILE to contain STRING.
wait_for() {
	i=0
	while ! grep -qF -- "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.1
	done
	return 0
}

# A stable log of n lines with a handful of templates and varying values.
normal_log() {
	awk -v n="$1" 'BEGIN {
		for (i = 1; i <= n; i++) {
			if (i % 3 == 0)
				printf "GET /api/items/%d 200 %dms\n", i, i % 40
			else if (i % 3 == 1)
				printf "worker %d processed batch %d with %d messages\n", i % 4, 9000 + i, i % 97
			else
				printf "cache hit ratio 0.%d over last %d lookups\n", 80 + i % 19, 1000 + i
		}
	}'
}

# json_check FILE: every line of FILE is one JSON object (python3 when
# present; it is part of the test dependencies).
json_check() {
	command -v python3 >/dev/null 2>&1 || fail "python3 is needed to check JSON"
	python3 - "$1" <<'PY' || fail "$1 is not JSON lines"
import json, sys
for n, line in enumerate(open(sys.argv[1], 'rb'), 1):
    obj = json.loads(line)
    assert isinstance(obj, dict), n
PY
}
