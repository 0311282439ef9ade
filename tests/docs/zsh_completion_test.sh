#!/usr/bin/env bash
# Exercises completions/_mend in a real interactive zsh driven through a
# pseudo-terminal (zsh_complete.zsh uses the zpty module).
#   zsh_completion_test.sh MEND_BINARY SOURCE_DIR
source "$(dirname "$0")/lib.sh"
complete_line() { timeout 30 zsh -f "$src/tests/docs/zsh_complete.zsh" "$src/completions" "$1" | sed 's/ -- /\t/'; }

out=$(complete_line 'mend re')
expect_has "subcommands starting with re" "$out" resolve reopen report
expect_not "subcommands starting with re" "$out" list open
expect_has "options of edit" "$(complete_line 'mend edit 1 --')" --summary --untag --tag --due --db
expect_has "channel values" "$(complete_line 'mend open Ada --channel ')" in-person phone email chat social review other
expect_has "fault values" "$(complete_line 'mend resolve 1 --fault ')" ours customer third-party none unknown
expect_has "csat values" "$(complete_line 'mend followup 1 --csat ')" 1 2 3 4 5
expect_has "report formats" "$(complete_line 'mend report --format ')" text json csv markdown html
out=$(complete_line 'mend show ')
expect_has "case ids with summaries" "$out" 1 2
grep -q "Parcel arrived damaged" <<<"$out" || { echo "FAIL: case summaries not shown: $out"; failures=$((failures + 1)); }
expect_has "categories" "$(complete_line 'mend list --category ')" delivery billing
expect_has "customers" "$(complete_line 'mend forget ')" 1 2
out=$(complete_line 'mend list --customer ')
grep -q 'Ada Lovelace' <<<"$out" && grep -q 'Bob Stone' <<<"$out" ||
    { echo "FAIL: customer names for list --customer: $out"; failures=$((failures + 1)); }
expect_has "help completes commands" "$(complete_line 'mend help ')" list export
expect_has "case id after --db" "$(complete_line "mend --db $MEND_DB note ")" 1 2
MEND_DB=$work/none.db
expect_not "no database: no case ids" "$(complete_line 'mend show ')" 1 2
[ ! -e "$work/none.db" ] || { echo "FAIL: completion created the database"; failures=$((failures + 1)); }
finish
