#!/usr/bin/env bash
# Exercises completions/mend.fish with fish's own `complete -C LINE`.
#   fish_completion_test.sh MEND_BINARY SOURCE_DIR
source "$(dirname "$0")/lib.sh"
complete_line() { fish --no-config -c "source $(printf '%q' "$src/completions/mend.fish"); complete -C \$argv[1]" "$1"; }

out=$(complete_line 'mend re')
expect_has "subcommands starting with re" "$out" resolve reopen report
expect_not "subcommands starting with re" "$out" list open
expect_has "options of list" "$(complete_line 'mend list --')" --status --customer --category --channel --tag --overdue --since --until --limit --db --json
expect_not "options of list" "$(complete_line 'mend list --')" --outcome
expect_has "channel values" "$(complete_line 'mend open Ada --channel ')" in-person phone email chat social review other
expect_has "outcome values" "$(complete_line 'mend resolve 1 --outcome ')" refund no-action other
expect_has "report formats" "$(complete_line 'mend report --format ')" text json csv markdown html
expect_has "export formats" "$(complete_line 'mend export --format ')" jsonl csv
expect_not "export formats" "$(complete_line 'mend export --format ')" html
expect_has "periods" "$(complete_line 'mend report --period ')" week month quarter year last-week last-month
out=$(complete_line 'mend show ')
expect_has "case ids with summaries" "$out" 1 2
grep -q "Invoice charged twice" <<<"$out" || { echo "FAIL: case summaries not shown: $out"; failures=$((failures + 1)); }
expect_has "categories" "$(complete_line 'mend open Ada --category ')" delivery billing
expect_has "customers" "$(complete_line 'mend forget ')" 1 2
out=$(complete_line 'mend list --customer ')
grep -q 'Ada Lovelace' <<<"$out" && grep -q 'Bob Stone' <<<"$out" ||
    { echo "FAIL: customer names for list --customer: $out"; failures=$((failures + 1)); }
expect_has "help completes commands" "$(complete_line 'mend help ')" list export
expect_has "case id after --db" "$(complete_line "mend --db $MEND_DB followup ")" 1 2
expect_not "no second case id" "$(complete_line 'mend show 1 ')" 1 2
MEND_DB=$work/none.db
expect_not "no database: no case ids" "$(complete_line 'mend show ')" 1 2
[ ! -e "$work/none.db" ] || { echo "FAIL: completion created the database"; failures=$((failures + 1)); }
finish
