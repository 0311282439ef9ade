#!/usr/bin/env bash
# kill -9 at random moments, in three places: during bursts of large writes,
# during `mend import` of a large file, and while `mend` creates a new database
# (its first open writes the whole schema). After every kill: integrity ok,
# every acknowledged write present, nothing half-written, the import all or
# nothing, the schema absent or complete.
# Usage: kill9.sh MEND [BURST_KILLS] [IMPORT_KILLS] [CREATE_KILLS]
source "$(dirname "$0")/lib.sh"
KILLS="$(scaled "${2:-40}")"
IMPORT_KILLS="$(scaled "${3:-30}")"
CREATE_KILLS="$(scaled "${4:-40}")"
# A random pause of 1 to 99 ms (or up to MAX ms), longer by the divisor in a
# sanitizer build, whose mend starts and runs that much slower.
pause() {
  local max=$((${1:-99} * MEND_RELIABILITY_DIVISOR)) ms
  ms=$(((RANDOM * 32768 + RANDOM) % max + 1))
  sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
}

# --- 1. Bursts of 200 kB writes -------------------------------------------
big=$(head -c 200000 /dev/zero | tr '\0' 'x')
printf '%s' "$big" >"$WORK/big.txt"
"$MEND" open "Seed" "seed" -q >/dev/null
for ((k = 0; k < KILLS; k++)); do
  ( while :; do
      id=$("$MEND" open "Victim" "kill round $k" -F "$WORK/big.txt" -q) && echo "$id" >>"$WORK/acked"
    done ) &
  loop=$!
  pause
  # Freeze the loop so it starts no new mend, kill its mend, then the loop.
  kill -STOP "$loop" 2>/dev/null || true
  pkill -9 -P "$loop" 2>/dev/null || true
  kill -9 "$loop" 2>/dev/null || true
  wait "$loop" 2>/dev/null || true
done
expect_eq "$(integrity "$MEND_DB")" ok "integrity after $KILLS kills"
acked=0
if [ -e "$WORK/acked" ]; then
  while read -r id; do
    acked=$((acked + 1))
    [ "$(count "$MEND_DB" "SELECT length(complaint) FROM cases WHERE id=$id")" = 200000 ] ||
      die "acknowledged case $id is missing or half-written"
  done <"$WORK/acked"
fi
partial=$(count "$MEND_DB" "SELECT count(*) FROM cases WHERE id > 1 AND (complaint IS NULL OR length(complaint) <> 200000)")
expect_eq "$partial" 0 "half-written cases"
orphans=$(count "$MEND_DB" "SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.id AND e.kind = 'opened')")
expect_eq "$orphans" 0 "cases without their opened event"
"$MEND" open "After" "still works" -q >/dev/null || die "mend cannot write after the kills"
echo "kill -9 during writes: $KILLS kills during 200 kB writes, $acked acknowledged writes all present, 0 partial, integrity ok"

# --- 2. Import of a large file -----------------------------------------------
if has_cmd import; then
  N=3000
  make_import_file "$N" "$WORK/big.jsonl"
  idb="$WORK/import.db"
  MEND_DB="$idb" "$MEND" open "Seed" "before the imports" -q >/dev/null
  # How long a whole import takes here: the kills land at random moments
  # within it. Import reads its input inside its one transaction, so a kill
  # that interrupts it lands inside the transaction (its pages may still be in
  # the page cache rather than the WAL: the check is the row counts below).
  start_ns=$(date +%s%N)
  MEND_DB="$WORK/timing.db" "$MEND" import "$WORK/big.jsonl" -q >/dev/null
  import_ms=$((($(date +%s%N) - start_ns) / 1000000 + 1))
  killed=0 finished=0 midway=0
  for ((k = 0; k < IMPORT_KILLS; k++)); do
    before=$(count "$idb" 'SELECT count(*) FROM cases')
    MEND_DB="$idb" "$MEND" import "$WORK/big.jsonl" -q >/dev/null 2>&1 &
    pid=$!
    pause $(((import_ms + MEND_RELIABILITY_DIVISOR - 1) / MEND_RELIABILITY_DIVISOR))
    kill -9 "$pid" 2>/dev/null || true
    if wait "$pid" 2>/dev/null; then finished=$((finished + 1)); else killed=$((killed + 1)); fi
    [ -s "$idb-wal" ] && [ "$(stat -c %s "$idb-wal")" -gt 100000 ] && midway=$((midway + 1))
    expect_eq "$(integrity "$idb")" ok "integrity after import kill $k"
    after=$(count "$idb" 'SELECT count(*) FROM cases')
    [ "$after" = "$before" ] || [ "$after" = $((before + N)) ] ||
      die "import kill $k: $after cases, expected $before or $((before + N)) (all or nothing)"
    events=$(count "$idb" "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.summary LIKE 'imported %'")
    expect_eq "$events" $((after - 1)) "events of imported cases after kill $k"
    tags=$(count "$idb" "SELECT count(*) FROM case_tags WHERE tag = 'bulk'")
    expect_eq "$tags" $((after - 1)) "tags of imported cases after kill $k"
  done
  # The normal build must prove a kill inside the transaction; the few kills of
  # a sanitizer build are there to find memory errors, and may all miss it.
  if ((killed == 0 && MEND_RELIABILITY_DIVISOR == 1)); then
    die "no kill interrupted an import: the file is too small for this machine"
  fi
  echo "kill -9 during import: $IMPORT_KILLS kills during an import of $N cases ($(($(stat -c %s "$WORK/big.jsonl") / 1024)) kB, $import_ms ms whole): $killed interrupted ($midway with pages already in the WAL), $finished finished; every time all or nothing, integrity ok"
fi

# --- 3. Creating a new database (the schema is written on first open) -------
# Only one schema version exists, so there is no older schema to migrate: the
# migration transaction that exists is the one that creates the schema.
ref="$WORK/ref.db"
MEND_DB="$ref" "$MEND" list >/dev/null
schema() { sqlite3 "$1" "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_schema ORDER BY name; PRAGMA user_version; PRAGMA application_id"; }
want=$(schema "$ref")
none=0 whole=0
for ((k = 0; k < CREATE_KILLS; k++)); do
  db="$WORK/create-$k/cases.db"
  MEND_DB="$db" "$MEND" open "First" "case on a new database" -q >/dev/null 2>&1 &
  pid=$!
  pause 80
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -e "$db" ]; then
    expect_eq "$(integrity "$db")" ok "integrity after create kill $k"
    objects=$(count "$db" 'SELECT count(*) FROM sqlite_schema')
    if [ "$objects" = 0 ]; then
      expect_eq "$(count "$db" 'PRAGMA user_version')" 0 "user_version with no schema after kill $k"
      none=$((none + 1))
    else
      expect_eq "$(schema "$db")" "$want" "schema after create kill $k"
      whole=$((whole + 1))
    fi
  else
    none=$((none + 1))
  fi
  MEND_DB="$db" "$MEND" open "Next" "after the kill" -q >/dev/null || die "mend cannot use the database after create kill $k"
  expect_eq "$(schema "$db")" "$want" "schema after reopening, kill $k"
done
echo "kill -9 during database creation: $CREATE_KILLS kills: $none left no schema, $whole the whole schema, none a part; every one usable afterwards"
