#!/usr/bin/env bash
# A writer held past the busy timeout by another process gets exit 75 and a
# "try again" message, and writes nothing.
source "$(dirname "$0")/lib.sh"
"$MEND" open "Ada" "first" -q >/dev/null
before=$(sqlite3 "$MEND_DB" .dump)
# Another process holds the write lock until this one lets it go.
hold_lock "$MEND_DB"
set +e
MEND_BUSY_TIMEOUT_MS=300 "$MEND" open "Bob" "second" >"$WORK/out" 2>"$WORK/err"
code=$?
set -e
release_lock
expect_eq "$code" 75 "exit code while locked"
[ ! -s "$WORK/out" ] || die "stdout was not empty"
grep -q '^mend: .*try again' "$WORK/err" || die "stderr does not say to try again: $(cat "$WORK/err")"
grep -q 'for 300 ms' "$WORK/err" || die "stderr does not give the 300 ms timeout: $(cat "$WORK/err")"
expect_eq "$(sqlite3 "$MEND_DB" .dump)" "$before" "database after the refused write"
# With the default timeout the same write waits its turn and succeeds: it is
# still waiting after 1 s of the lock, and ends well once the lock is let go.
hold_lock "$MEND_DB"
"$MEND" open "Bob" "second" -q >/dev/null &
writer=$!
sleep 1
kill -0 "$writer" 2>/dev/null || { wait "$writer" || true; die "the write did not wait for the lock"; }
release_lock
wait "$writer" || die "a write did not wait for a 1 s lock"
expect_eq "$(count "$MEND_DB" 'SELECT count(*) FROM cases')" 2 "cases after waiting"
echo "lock timeout: locked past 300 ms -> exit 75, nothing written; a 1 s lock is waited out"
