# The manual is lint-clean and documents every option --help lists.
. "$TOP_SRCDIR/tests/lib.sh"

man=$TOP_SRCDIR/man/aiopsfilter.1
"$AIOPSFILTER" --help >"$tmp/help"
for opt in $(grep -o -- '--[a-z][a-z-]*' "$tmp/help" | sort -u); do
	esc=$(printf "%s" "${opt#-}" | sed "s/-/\\\\\\\\-/g")
	grep -q -- "Fl $esc" "$man" || fail "$opt is in --help but not in the manual"
done
command -v mandoc >/dev/null || skip "no mandoc to lint the manual (options checked)"
mandoc -Tlint -Wwarning "$man" >"$tmp/lint" 2>&1 || { cat "$tmp/lint" >&2; fail "mandoc -Tlint"; }
