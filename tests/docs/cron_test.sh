#!/usr/bin/env bash
# The README's crontab lines work under cron's own environment: cron runs a job
# with `/bin/sh -c` and only SHELL, HOME, LOGNAME and PATH=/usr/bin:/bin, plus the
# crontab's variable lines. mend is installed (cmake --install) into a private
# prefix that stands for /usr/local, and the README's PATH= line is pointed at it.
#   cron_test.sh BUILD_DIR SOURCE_DIR
set -u
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

prefix=$tmp/usr/local
cmake --install "$build" --prefix "$prefix" >/dev/null || { echo "FAIL: cmake --install"; exit 1; }
[ -x "$prefix/bin/mend" ] || { echo "FAIL: no $prefix/bin/mend"; exit 1; }

# The crontab example: the fenced block of the README that holds the followup job.
crontab=$(awk '/^```/ { if (on) { if (block ~ /mend followup/) { print block; exit } on = 0; block = ""; next } on = 1; next }
               on { block = block $0 "\n" }' "$src/README.md")
job=$(grep -E '^[0-9*]' <<<"$crontab" | head -1)
path_line=$(grep -E '^PATH=' <<<"$crontab")
[ -n "$job" ] || { echo "FAIL: the README has no crontab line for mend followup"; exit 1; }
[ -n "$path_line" ] || fail "the README's crontab example sets no PATH= (cron's PATH is /usr/bin:/bin)"
command=$(awk '{ for (i = 6; i <= NF; i++) printf "%s%s", $i, (i < NF ? " " : "") }' <<<"$job")
[ "$command" = "mend followup" ] || fail "the crontab job is '$command', not 'mend followup'"
# The PATH cron would use with that line, with /usr/local standing for the private prefix.
crontab_path=${path_line#PATH=}
crontab_path=${crontab_path//\/usr\/local/$prefix}
echo "crontab job: $command; PATH line: $path_line"

home=$tmp/home
mkdir -p "$home"
# run_cron PATH: the job as cron runs it, with nothing inherited from this shell.
run_cron() {
    env -i SHELL=/bin/sh HOME="$home" LOGNAME="$(id -un)" PATH="$1" /bin/sh -c "$command" \
        >"$tmp/out" 2>"$tmp/err"
    echo $? >"$tmp/rc"
}

# Without the PATH= line, cron's /usr/bin:/bin does not find mend in /usr/local/bin.
if ! command -v env >/dev/null || [ -x /usr/bin/mend ] || [ -x /bin/mend ]; then
    echo "skip: a mend in /usr/bin or /bin would be found without PATH="
else
    run_cron /usr/bin:/bin
    [ "$(cat "$tmp/rc")" = 127 ] || fail "without PATH= the job exited $(cat "$tmp/rc"), not 127 (not found)"
    grep -q "mend: .*not found" "$tmp/err" || fail "without PATH= cron would not mail 'mend: not found'; got: $(cat "$tmp/err")"
fi

# With it: nothing due prints nothing at all and exits 0 (no database yet, too).
run_cron "$crontab_path"
[ "$(cat "$tmp/rc")" = 0 ] || fail "with nothing due the job exited $(cat "$tmp/rc"): $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "with nothing due the job printed: $(cat "$tmp/out")"
[ -s "$tmp/err" ] && fail "with nothing due the job wrote to stderr: $(cat "$tmp/err")"

# A case opened ten days ago (due after two) is overdue now: cron mails it.
opened=$(date -u -d '-10 days' +%Y-%m-%dT%H:%M:%SZ)
HOME=$home MEND_NOW=$opened TZ=UTC "$prefix/bin/mend" open "Ada Lovelace" "Cake collapsed" -q >/dev/null ||
    fail "could not open a case in the default database"
run_cron "$crontab_path"
[ "$(cat "$tmp/rc")" = 0 ] || fail "with a case due the job exited $(cat "$tmp/rc"): $(cat "$tmp/err")"
grep -q "Cake collapsed" "$tmp/out" || fail "the overdue case is not in the job's output: $(cat "$tmp/out")"
grep -q "Ada Lovelace" "$tmp/out" || fail "the customer is not in the job's output"
[ -s "$tmp/err" ] && fail "the job wrote to stderr: $(cat "$tmp/err")"
grep -q $'\e\[' "$tmp/out" && fail "the job's output (for a mail) has colour codes"

if [ $failures -gt 0 ]; then
    echo "$failures failures"
    exit 1
fi
echo "the README's crontab lines run mend followup under cron's environment"
