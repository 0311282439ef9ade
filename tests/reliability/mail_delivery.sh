#!/usr/bin/env bash
# mend mail as a mail delivery agent: parallel deliveries on stdin each taken
# exactly once, the same message delivered in parallel opens one case, a
# database locked past the busy timeout gives 75 (the MTA retries) with
# nothing taken, and kill -9 during a maildir run followed by a rerun leaves
# every message taken exactly once. The maildir is large enough (2000 by
# default) that a run commits several groups, so kills land between and
# inside them.
# Usage: mail_delivery.sh MEND [ROUNDS] [MAILDIR_SIZE] [KILLS]
source "$(dirname "$0")/lib.sh"
ROUNDS="$(scaled "${2:-10}")"
SIZE="$(scaled "${3:-2000}")"
KILLS="$(scaled "${4:-5}")"
GENERATE="$(dirname "$0")/../../bench/mail_generate.py"

# mail N: a complaint with Message-ID <N@rel.example>.
mail() {
  printf 'From: Customer %s <c%s@example.com>\nTo: shop@example.com\nSubject: Parcel %s\nMessage-ID: <%s@rel.example>\nDate: Mon, 23 Nov 2026 10:00:00 +0000\n\nParcel %s arrived damaged.\n' \
    "$1" "$1" "$1" "$1" "$1"
}
# Counts of what the database holds, one line: cases, mail events, keys known.
counts() {
  sqlite3 "$1" "SELECT (SELECT count(*) FROM cases) || ' ' ||
    (SELECT count(*) FROM events WHERE message_id IS NOT NULL) || ' ' ||
    (SELECT count(*) FROM mail_seen)"
}
# Message-IDs recorded on more than one event (must be none).
doubled() {
  sqlite3 "$1" "SELECT message_id FROM events WHERE message_id IS NOT NULL
    GROUP BY message_id HAVING count(*) > 1"
}

# --- 1. Parallel deliveries of distinct messages --------------------------
mail 0 | "$MEND" mail -q || die "the first delivery failed"
n=0
for ((r = 0; r < ROUNDS; r++)); do
  pids=()
  for ((k = 1; k <= 4; k++)); do
    id=$((r * 4 + k))
    mail "$id" | "$MEND" mail -q 2>"$WORK/err.$id" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do
    wait "$p" || die "a parallel delivery failed: $(cat "$WORK"/err.* 2>/dev/null)"
  done
  n=$((n + 4))
done
expect_eq "$(count "$MEND_DB" 'SELECT count(*) FROM cases')" $((n + 1)) "cases after $n parallel deliveries"
for ((id = 0; id <= n; id++)); do
  got=$(count "$MEND_DB" "SELECT count(*) FROM events WHERE message_id = '$id@rel.example'")
  expect_eq "$got" 1 "mail events for message $id"
done
expect_eq "$(doubled "$MEND_DB")" "" "Message-IDs recorded twice"
echo "parallel delivery: $ROUNDS rounds of 4 distinct messages on stdin, $n taken, each exactly once"

# --- 2. The same message delivered 4 times at once ------------------------
for ((r = 0; r < ROUNDS; r++)); do
  id=$((1000 + r))
  pids=()
  for ((k = 1; k <= 4; k++)); do
    mail "$id" | "$MEND" mail --json >"$WORK/same.$k" 2>"$WORK/err.same.$k" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do
    wait "$p" || die "a delivery of the same message failed: $(cat "$WORK"/err.same.*)"
  done
  expect_eq "$(count "$MEND_DB" "SELECT count(*) FROM cases WHERE summary = 'Parcel $id'")" 1 \
    "cases for message $id delivered 4 times"
  opened=$(cat "$WORK"/same.* | grep -c '"action":"opened"' || true)
  dup=$(cat "$WORK"/same.* | grep -c '"action":"duplicate"' || true)
  expect_eq "$opened $dup" "1 3" "opened and duplicate answers for message $id"
done
expect_eq "$(doubled "$MEND_DB")" "" "Message-IDs recorded twice"
echo "same message 4 times in parallel: $ROUNDS times, always 1 case, 1 opened and 3 duplicate"

# --- 3. A database locked past the busy timeout ---------------------------
before=$(sqlite3 "$MEND_DB" .dump)
hold_lock "$MEND_DB" EXCLUSIVE
set +e
mail 2000 | MEND_BUSY_TIMEOUT_MS=300 "$MEND" mail >"$WORK/out" 2>"$WORK/err"
code=$?
set -e
release_lock
expect_eq "$code" 75 "exit code of mend mail while the database is locked"
[ ! -s "$WORK/out" ] || die "stdout was not empty while locked: $(cat "$WORK/out")"
grep -q '^mend: .*try again' "$WORK/err" || die "stderr does not say to try again: $(cat "$WORK/err")"
expect_eq "$(sqlite3 "$MEND_DB" .dump)" "$before" "database after the refused delivery"
next=$(($(count "$MEND_DB" 'SELECT max(id) FROM cases') + 1))
expect_eq "$(mail 2000 | "$MEND" mail)" "opened case #$next for Customer 2000" "the retried delivery"
expect_eq "$(count "$MEND_DB" "SELECT count(*) FROM events WHERE message_id = '2000@rel.example'")" 1 \
  "mail events for the retried message"
echo "locked database: mend mail exits 75 after 300 ms with nothing taken; the retry takes it"

# --- 4. kill -9 during a maildir run, then a rerun ------------------------
python3 "$GENERATE" "$SIZE" "$WORK/Maildir"
# The reference: the same maildir into a fresh database, uninterrupted, and
# how long that takes (the kills land at random moments within it).
start=$(date +%s%N)
MEND_DB="$WORK/clean.db" "$MEND" mail "$WORK/Maildir" -q
full_ms=$((($(date +%s%N) - start) / 1000000))
want=$(counts "$WORK/clean.db")
kdb="$WORK/killed.db"
killed=0
partials=""
# A later run can be much quicker than the reference (a warm page cache): a
# run that finished before its kill halves the span the next kill is drawn
# from, and tries go on until KILLS kills landed (at most 4 × KILLS tries).
span=$((full_ms * 9 / 10))
for ((try = 0; killed < KILLS && try < 4 * KILLS; try++)); do
  rm -f "$kdb" "$kdb-wal" "$kdb-shm" "$kdb-journal"
  MEND_DB="$kdb" "$MEND" mail "$WORK/Maildir" -q &
  run=$!
  ms=$(((RANDOM * 32768 + RANDOM) % (span + 1) + 1))
  sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
  kill -9 "$run" 2>/dev/null || true
  set +e
  wait "$run" 2>/dev/null
  status=$?
  set -e
  if [ "$status" != 137 ]; then # it had finished: nothing was interrupted
    span=$((span / 2))
    continue
  fi
  killed=$((killed + 1))
  if [ -e "$kdb" ]; then
    expect_eq "$(integrity "$kdb")" ok "integrity after kill $killed"
  fi
  # Killed before its tables were created (a slow start, as under ASan), the
  # file is empty: nothing was taken.
  if [ -e "$kdb" ] && [ "$(count "$kdb" "SELECT count(*) FROM sqlite_schema WHERE name = 'cases'")" = 1 ]; then
    expect_eq "$(doubled "$kdb")" "" "Message-IDs recorded twice after kill $killed"
    partials+=" $(count "$kdb" 'SELECT count(*) FROM cases')"
  else
    partials+=" 0"
  fi
  MEND_DB="$kdb" "$MEND" mail "$WORK/Maildir" -q || die "the rerun after kill $killed failed"
  expect_eq "$(integrity "$kdb")" ok "integrity after the rerun of kill $killed"
  expect_eq "$(counts "$kdb")" "$want" "cases, mail events and keys after the rerun of kill $killed"
  expect_eq "$(doubled "$kdb")" "" "Message-IDs recorded twice after the rerun of kill $killed"
  taken=$(MEND_DB="$kdb" "$MEND" mail "$WORK/Maildir" --json | grep -c '"action":"opened"\|"action":"added"' || true)
  expect_eq "$taken" 0 "messages taken by a third run after kill $killed"
done
[ "$killed" -gt 0 ] || die "no kill landed during a run of $full_ms ms"
echo "kill -9 during a $SIZE-message maildir run ($full_ms ms whole): $killed runs killed with$partials cases taken; each rerun reached the uninterrupted run's counts ($want: cases, mail events, keys), each message once, integrity ok"
