#!/usr/bin/env bash
# kill -9 at random moments during writes: every acknowledged write is there,
# nothing is half-written, integrity ok. Usage: kill9.sh MEND [KILLS]
source "$(dirname "$0")/lib.sh"
KILLS="$(scaled "${2:-40}")"
big=$(head -c 200000 /dev/zero | tr '\0' 'x')
printf '%s' "$big" >"$WORK/big.txt"
"$MEND" open "Seed" "seed" -q >/dev/null
for ((k = 0; k < KILLS; k++)); do
  ( while :; do
      id=$("$MEND" open "Victim" "kill round $k" -F "$WORK/big.txt" -q) && echo "$id" >>"$WORK/acked"
    done ) &
  loop=$!
  sleep "0.0$((RANDOM % 9 + 1))"
  pkill -9 -P "$loop" -x mend 2>/dev/null || true
  kill -9 "$loop" 2>/dev/null || true
  wait "$loop" 2>/dev/null || true
  pkill -9 -f "$MEND open Victim" 2>/dev/null || true
done
sleep 0.2
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
echo "kill -9: $KILLS kills during 200 kB writes, $acked acknowledged writes all present, 0 partial, integrity ok"
