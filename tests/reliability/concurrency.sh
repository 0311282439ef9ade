#!/usr/bin/env bash
# Many writers and readers on one database: no "database is locked", no lost
# write, distinct ids, integrity ok. Each writer makes WRITES write commands,
# cycling open, note, resolve (every second case) and `followup ID --done`
# (every fourth), while a reader loops over list, report and followup.
# Usage: concurrency.sh MEND [PROCS] [WRITES]
source "$(dirname "$0")/lib.sh"
PROCS="${2:-8}"
WRITES="$(scaled "${3:-200}")"
"$MEND" open "Seed" "seed" -q >/dev/null
HAS_NOTE=0 HAS_RESOLVE=0 HAS_FOLLOWUP=0 HAS_REPORT=0
has_cmd note && HAS_NOTE=1
has_cmd resolve && HAS_RESOLVE=1
has_cmd followup && HAS_FOLLOWUP=1
has_cmd report && HAS_REPORT=1

# Each acknowledged write appends "KIND ID" to the writer's log.
writer() {
  local p="$1" n=0 i=0 id
  while ((n < WRITES)); do
    id=$("$MEND" open "Customer $p" "complaint $p-$i" --email "c$p@example.com" -q) ||
      { echo "open failed in writer $p" >&2; return 1; }
    echo "open $id" >>"$WORK/acked.$p"
    n=$((n + 1))
    if ((HAS_NOTE && n < WRITES)); then
      "$MEND" note "$id" "called back $p-$i" -q >/dev/null || { echo "note failed" >&2; return 1; }
      echo "note $id" >>"$WORK/acked.$p"
      n=$((n + 1))
    fi
    if ((HAS_RESOLVE && i % 2 == 0 && n < WRITES)); then
      "$MEND" resolve "$id" --outcome refund --amount 5.00 -q >/dev/null ||
        { echo "resolve failed" >&2; return 1; }
      echo "resolve $id" >>"$WORK/acked.$p"
      n=$((n + 1))
      if ((HAS_FOLLOWUP && i % 4 == 0 && n < WRITES)); then
        "$MEND" followup "$id" --done --csat 5 -q >/dev/null || { echo "followup failed" >&2; return 1; }
        echo "followup $id" >>"$WORK/acked.$p"
        n=$((n + 1))
      fi
    fi
    i=$((i + 1))
  done
}

reader() {
  local rounds=0
  while [ ! -e "$WORK/stop" ]; do
    "$MEND" list --limit 5 >/dev/null || { echo "list failed" >&2; return 1; }
    if ((HAS_REPORT)); then "$MEND" report >/dev/null || { echo "report failed" >&2; return 1; }; fi
    if ((HAS_FOLLOWUP)); then "$MEND" followup >/dev/null || { echo "followup list failed" >&2; return 1; }; fi
    rounds=$((rounds + 1))
  done
  echo "$rounds" >"$WORK/reader_rounds"
}

start=$(date +%s.%N)
reader & rpid=$!
pids=()
for ((p = 0; p < PROCS; p++)); do writer "$p" & pids+=($!); done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=$((failed + 1)); done
touch "$WORK/stop"
wait "$rpid" || die "the reader failed"
end=$(date +%s.%N)
expect_eq "$failed" 0 "writers that failed"
cat "$WORK"/acked.* >"$WORK/acked"
expect_eq "$(wc -l <"$WORK/acked")" "$((PROCS * WRITES))" "acknowledged writes"
opens=$(grep -c '^open ' "$WORK/acked" || true)
notes=$(grep -c '^note ' "$WORK/acked" || true)
resolves=$(grep -c '^resolve ' "$WORK/acked" || true)
followups=$(grep -c '^followup ' "$WORK/acked" || true)
expect_eq "$(count "$MEND_DB" 'SELECT count(*) FROM cases')" "$((opens + 1))" "cases stored"
expect_eq "$(grep '^open ' "$WORK/acked" | sort -u | wc -l)" "$opens" "distinct case ids"
# Every acknowledged write is in the database, checked in one query per kind.
check_kind() { # KIND SQL-that-counts-ids-in-the-temp-table-present
  local kind="$1" sql="$2" n
  n=$({ grep "^$kind " "$WORK/acked" || true; } | awk '{print "INSERT INTO x VALUES(0," $2 ");"}' |
    { echo 'CREATE TEMP TABLE x(k,id); BEGIN;'; cat; echo "COMMIT; $sql"; } | sqlite3 "$MEND_DB")
  expect_eq "$n" "$(grep -c "^$kind " "$WORK/acked" || true)" "acknowledged $kind writes present"
}
check_kind open 'SELECT count(*) FROM x JOIN cases c ON c.id = x.id'
check_kind note "SELECT count(*) FROM x WHERE (SELECT count(*) FROM events e WHERE e.case_id = x.id AND e.kind = 'note') = 1"
check_kind resolve "SELECT count(*) FROM x JOIN cases c ON c.id = x.id WHERE c.resolved_at IS NOT NULL AND c.amount_cents = 500"
check_kind followup "SELECT count(*) FROM x JOIN cases c ON c.id = x.id WHERE c.status = 'closed' AND c.satisfaction = 5"
expect_eq "$(integrity "$MEND_DB")" ok "integrity_check"
printf 'concurrency: %d processes x %d writes (%d open, %d note, %d resolve, %d followup) + a reader (%s rounds of list, report, followup): 0 failures, all present, integrity ok, %.1f s\n' \
  "$PROCS" "$WRITES" "$opens" "$notes" "$resolves" "$followups" "$(cat "$WORK/reader_rounds")" "$(echo "$end - $start" | bc)"
