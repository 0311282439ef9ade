#!/usr/bin/env bash
# Exercises completions/mend.bash the way bash does on TAB: COMP_WORDS and
# COMP_CWORD set, the completion function called, COMPREPLY read.
#   bash_completion_test.sh MEND_BINARY SOURCE_DIR
source "$(dirname "$0")/lib.sh"
source /usr/share/bash-completion/bash_completion || exit 2
source "$src/completions/mend.bash" || exit 2
complete_line() { # the words of the line; the last one is being completed
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    # As bash splits it: "--color=a" is three words (--color = a) with no spaces between.
    COMP_LINE=$(printf '%s ' "$@" | sed -e 's/ = /=/g' -e 's/ $//')
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _mend mend "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf '%s\n' "${COMPREPLY[@]}" | sed -E 's/  \(/\t(/'
}

out=$(complete_line mend re)
expect_has "subcommands starting with re" "$out" resolve reopen report
expect_not "subcommands starting with re" "$out" list open
expect_has "all subcommands" "$(complete_line mend '')" open note resolve reopen followup list show edit report export import backup forget
expect_has "options of open" "$(complete_line mend open --c)" --channel --category --color
expect_not "options of open" "$(complete_line mend open --c)" --customer
expect_has "channel values" "$(complete_line mend open Ada --channel '')" in-person phone email chat social review other
expect_has "priority values" "$(complete_line mend edit 1 --priority '')" low normal high urgent
expect_has "kind values" "$(complete_line mend note 1 --kind '')" note call email meeting apology offer reply
expect_has "outcome values" "$(complete_line mend resolve 1 --outcome '')" refund replacement repair discount credit expedite apology explanation no-action other
expect_has "fault values" "$(complete_line mend resolve 1 --fault '')" ours customer third-party none unknown
expect_has "followup dates" "$(complete_line mend resolve 1 --followup n)" never now
expect_has "report formats" "$(complete_line mend report --format '')" text json csv markdown html
expect_has "export formats" "$(complete_line mend export --format '')" jsonl csv
expect_has "periods" "$(complete_line mend report --period last-)" last-week last-month
expect_has "statuses" "$(complete_line mend list --status '')" open resolved closed
expect_has "colour after =" "$(complete_line mend --color = a)" auto always
out=$(complete_line mend show '')
expect_has "case ids with summaries" "$out" 1 2
grep -q "Parcel arrived damaged" <<<"$out" || { echo "FAIL: case summaries not shown: $out"; failures=$((failures + 1)); }
expect_has "one case id completes alone" "$(complete_line mend resolve 2)" 2
expect_has "case id after --db" "$(complete_line mend --db "$MEND_DB" note '')" 1 2
expect_has "categories from the database" "$(complete_line mend list --category '')" delivery billing
expect_has "customers for forget" "$(complete_line mend forget '')" 1 2
# Names hold spaces: each is one word, quoted for the shell.
out=$(complete_line mend list --customer '')
grep -qxF 'Ada\ Lovelace' <<<"$out" && grep -qxF 'Bob\ Stone' <<<"$out" ||
    { echo "FAIL: customer names for list --customer: $out"; failures=$((failures + 1)); }
out=$(complete_line mend list --customer ad)
[ "$out" = 'Ada\ Lovelace' ] || { echo "FAIL: customer names starting 'ad': $out"; failures=$((failures + 1)); }
expect_has "help completes commands" "$(complete_line mend help li)" list
expect_has "export's new options" "$(complete_line mend export --res)" --resolved-since --resolved-until
expect_not "no second case id" "$(complete_line mend show 1 '')" 1 2
MEND_DB=$work/none.db
expect_not "no database: no case ids" "$(complete_line mend show '')" 1 2
[ ! -e "$work/none.db" ] || { echo "FAIL: completion created the database"; failures=$((failures + 1)); }
finish
