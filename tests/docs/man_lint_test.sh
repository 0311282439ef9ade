#!/usr/bin/env bash
# The man page must be clean under mandoc's linter (style messages included)
# and render with groff without a single warning.
#   man_lint_test.sh SOURCE_DIR
set -u
page=$1/man/mend.1
status=0
lint=$(mandoc -T lint -W style "$page" 2>&1)
if [ -n "$lint" ]; then
    echo "FAIL: mandoc -T lint -W style reports:"
    echo "$lint"
    status=1
fi
warnings=$(groff -ww -man -Tutf8 "$page" 2>&1 >/dev/null)
if [ -n "$warnings" ]; then
    echo "FAIL: groff -ww -man reports:"
    echo "$warnings"
    status=1
fi
# Every section a reader looks for is there.
for section in NAME SYNOPSIS DESCRIPTION "GLOBAL OPTIONS" COMMANDS DATES CONFIGURATION ENVIRONMENT \
    FILES "EXIT STATUS" EXAMPLES "SEE ALSO"; do
    grep -qx "\.SH \"\?$section\"\?" "$page" || { echo "FAIL: no section $section"; status=1; }
done
# The contract's words: environment variables, config keys, exit codes, date words, cron.
text=$(sed 's/\\-/-/g' "$page")
for word in MEND_DB MEND_NOW XDG_DATA_HOME XDG_CONFIG_HOME NO_COLOR TERM EDITOR VISUAL TZ \
    MEND_BUSY_TIMEOUT_MS due_in followup_in currency business_name categories \
    today tomorrow yesterday monday sunday mon sun eod eow eom now never \
    "0 8 \* \* 1-5 mend followup" "^\.B 64$" "^\.B 65$" "^\.B 66$" "^\.B 70$" "^\.B 73$" "^\.B 74$" "^\.B 75$"; do
    grep -q -- "$word" <<<"$text" || { echo "FAIL: the man page does not mention '$word'"; status=1; }
done
[ $status -eq 0 ] && echo ok
exit $status
