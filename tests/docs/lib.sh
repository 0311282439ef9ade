# Shared set-up of the docs tests: a private HOME, a temporary database with
# two cases, the built mend first on PATH, and assertions that report what they saw.
#   source lib.sh MEND_BINARY SOURCE_DIR
set -u
mend=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home XDG_DATA_HOME=$work/home/.local/share XDG_CONFIG_HOME=$work/home/.config
mkdir -p "$HOME"
export PATH=$(dirname "$mend"):$PATH TZ=UTC MEND_NOW=2026-11-23T14:05:00Z NO_COLOR=1
unset MEND_DB
export MEND_DB=$work/cases.db
"$mend" open "Ada Lovelace" "Parcel arrived damaged" --category delivery -q >/dev/null || exit 2
"$mend" open "Bob Stone" "Invoice charged twice" --category billing -q >/dev/null || exit 2
failures=0
# offered WORD: a line of stdin is WORD, alone or before a tab or a space.
offered() { awk -v w="$1" '{ split($0, f, /[\t ]/); if (f[1] == w) found = 1 } END { exit !found }'; }
# expect_has LABEL OUTPUT WORD...: every WORD is a line of OUTPUT (or starts one, before a tab or " --").
expect_has() {
    local label=$1 out=$2 w
    shift 2
    for w in "$@"; do
        if ! offered "$w" <<<"$out"; then
            echo "FAIL: $label: '$w' not offered; got:"
            sed 's/^/    /' <<<"$out"
            failures=$((failures + 1))
        fi
    done
}
# expect_not LABEL OUTPUT WORD...: no line of OUTPUT starts with WORD.
expect_not() {
    local label=$1 out=$2 w
    shift 2
    for w in "$@"; do
        if offered "$w" <<<"$out"; then
            echo "FAIL: $label: '$w' offered but should not be"
            failures=$((failures + 1))
        fi
    done
}
finish() {
    if [ "$failures" -gt 0 ]; then
        echo "$failures failed"
        exit 1
    fi
    echo ok
}
