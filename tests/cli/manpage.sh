# The manual is lint-clean and documents every option --help lists, and
# --help lists every option the program takes.
. "$TOP_SRCDIR/tests/lib.sh"

man=$TOP_SRCDIR/man/aiopsfilter.1
"$AIOPSFILTER" --help >"$tmp/help"
# The long options are the names in options.c's getopt_long table.
sed -n 's/^[[:space:]]*{ "\([a-z][a-z-]*\)",.*/\1/p' "$TOP_SRCDIR/src/options.c" \
    >"$tmp/longopts"
[ "$(lines "$tmp/longopts")" -ge 40 ] || fail "found no option table in options.c"
while read -r opt; do
	grep -q -- "--$opt\>" "$tmp/help" || fail "--$opt is taken but not in --help"
done <"$tmp/longopts"
awk 'length > 80 { exit 1 }' "$tmp/help" || fail "a --help line is over 80 columns"
for opt in $(grep -o -- '--[a-z][a-z-]*' "$tmp/help" | sort -u); do
	esc=$(printf "%s" "${opt#-}" | sed "s/-/\\\\\\\\-/g")
	grep -q -- "Fl $esc" "$man" || fail "$opt is in --help but not in the manual"
done
# groff, which man(1) runs on Debian, reads some macros differently from
# mandoc: a warning there can drop text from the page.
if command -v groff >/dev/null; then
	groff -mandoc -Tutf8 -ww -z "$man" >"$tmp/groff" 2>&1
	[ -s "$tmp/groff" ] && { cat "$tmp/groff" >&2; fail "groff warns"; }
fi
command -v mandoc >/dev/null || skip "no mandoc to lint the manual (options checked)"
mandoc -Tlint -Wwarning "$man" >"$tmp/lint" 2>&1 || { cat "$tmp/lint" >&2; fail "mandoc -Tlint"; }
