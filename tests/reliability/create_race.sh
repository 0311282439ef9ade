#!/usr/bin/env bash
# Many processes creating the same new database at once (the WAL set-up race).
# Usage: create_race.sh MEND [PROCS] [ROUNDS]
source "$(dirname "$0")/lib.sh"
PROCS="${2:-16}"
ROUNDS="$(scaled "${3:-5}")"
for ((r = 0; r < ROUNDS; r++)); do
  db="$WORK/race-$r/cases.db"
  pids=()
  for ((p = 0; p < PROCS; p++)); do
    MEND_DB="$db" "$MEND" open "C$p" "race $r" -q >"$WORK/out.$r.$p" 2>"$WORK/err.$r.$p" & pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || { cat "$WORK"/err.$r.* >&2; die "a creator failed in round $r"; }; done
  expect_eq "$(count "$db" 'SELECT count(*) FROM cases')" "$PROCS" "cases in round $r"
  expect_eq "$(count "$db" 'PRAGMA journal_mode')" wal "journal mode in round $r"
  expect_eq "$(integrity "$db")" ok "integrity in round $r"
done
echo "create race: $ROUNDS rounds x $PROCS processes creating one database: 0 failures"
