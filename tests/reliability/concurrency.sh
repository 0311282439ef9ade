#!/usr/bin/env bash
# Many writers and readers on one database: no "database is locked", no lost
# write, distinct ids, integrity ok. Usage: concurrency.sh MEND [PROCS] [WRITES]
source "$(dirname "$0")/lib.sh"
PROCS="${2:-8}"
WRITES="${3:-50}"
"$MEND" open "Seed" "seed" -q >/dev/null
HAS_NOTE=0 HAS_RESOLVE=0 HAS_FOLLOWUP=0 HAS_REPORT=0
has_cmd note && HAS_NOTE=1
has_cmd resolve && HAS_RESOLVE=1
has_cmd followup && HAS_FOLLOWUP=1
has_cmd report && HAS_REPORT=1

writer() {
  local p="$1" i id
  for ((i = 0; i < WRITES; i++)); do
    id=$("$MEND" open "Customer $p" "complaint $p-$i" --email "c$p@example.com" -q) ||
      { echo "open failed in writer $p" >&2; return 1; }
    echo "$id" >>"$WORK/acked.$p"
    # Commands that exist are exercised too; unknown ones are skipped.
    if ((HAS_NOTE)); then
      "$MEND" note "$id" "called back $p-$i" -q || { echo "note failed" >&2; return 1; }
    fi
    if ((HAS_RESOLVE)) && ((i % 2 == 0)); then
      "$MEND" resolve "$id" --outcome refund --amount 5.00 -q ||
        { echo "resolve failed" >&2; return 1; }
      if ((HAS_FOLLOWUP)) && ((i % 4 == 0)); then
        "$MEND" followup "$id" --done --csat 5 -q || { echo "followup failed" >&2; return 1; }
      fi
    fi
  done
}

reader() {
  while [ ! -e "$WORK/stop" ]; do
    "$MEND" list --limit 5 >/dev/null || { echo "list failed" >&2; return 1; }
    if ((HAS_REPORT)); then "$MEND" report >/dev/null || return 1; fi
    if ((HAS_FOLLOWUP)); then "$MEND" followup >/dev/null || return 1; fi
  done
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
expected=$((PROCS * WRITES + 1))
expect_eq "$(count "$MEND_DB" 'SELECT count(*) FROM cases')" "$expected" "cases stored"
expect_eq "$(cat "$WORK"/acked.* | sort -n | uniq | wc -l)" "$((PROCS * WRITES))" "distinct acknowledged ids"
for id in $(cat "$WORK"/acked.*); do :; done
missing=$(cat "$WORK"/acked.* | while read -r id; do
  [ "$(count "$MEND_DB" "SELECT count(*) FROM cases WHERE id=$id")" = 1 ] || echo "$id"; done | wc -l)
expect_eq "$missing" 0 "acknowledged ids missing from the database"
expect_eq "$(integrity "$MEND_DB")" ok "integrity_check"
printf 'concurrency: %d processes x %d writes (+ a reader loop): %d cases, 0 failures, integrity ok, %.1f s\n' \
  "$PROCS" "$WRITES" "$expected" "$(echo "$end - $start" | bc)"
