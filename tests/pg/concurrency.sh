#!/usr/bin/env bash
# Team mode under load and failure, on the throwaway cluster:
#  1. many mend processes open cases for the same new customer at once: every
#     case is kept, and they share one customer (SERIALIZABLE, retried);
#  2. many processes add notes to one case at once: none is lost;
#  3. a lock held past MEND_BUSY_TIMEOUT_MS: exit 75 "try again", nothing written;
#  4. the backend killed (pg_terminate_backend) in the middle of an import:
#     exit 75 and not one row of it kept;
#  5. the same import again while P processes open cases: every line of it is
#     kept (the input is read once, so it must never be run a second time),
#     and each open is either kept or 75 with nothing written;
#  6. the server restarted between two commands: the second works as ever;
#  7. an unreachable server: exit 75, and no password in the message; a
#     password on the command line never shows in the process title.
#   concurrency.sh MEND CLUSTER_DIR [PROCESSES] [EACH]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
MEND="${1:?usage: $0 MEND CLUSTER_DIR}"
DIR="${2:?usage: $0 MEND CLUSTER_DIR}"
P="${3:-8}" N="${4:-15}"
die() { echo "FAIL: $*" >&2; exit 1; }
psql_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)/psql"
export MEND_DB="$(bash "$here/cluster.sh" createdb "$DIR" concurrency)"
q() { "$psql_bin" "$MEND_DB" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
export MEND_NOW=2026-11-23T14:05:00Z TZ=UTC MEND_USER=sam
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$MEND" list >/dev/null  # the schema

# 1. the same new customer from P processes at once
for p in $(seq "$P"); do
  (for i in $(seq "$N"); do
     "$MEND" open "Ada Lovelace" "Parcel $p.$i" --email ada@example.com -q >/dev/null 2>>"$WORK/err.$p" ||
       echo "exit $? on $p.$i" >>"$WORK/err.$p"
   done) &
done
wait
if cat "$WORK"/err.* 2>/dev/null | grep -q .; then cat "$WORK"/err.* >&2; die "an open failed under load"; fi
[ "$(q 'SELECT count(*) FROM mend.cases')" = $((P * N)) ] || die "cases lost: $(q 'SELECT count(*) FROM mend.cases') of $((P * N))"
[ "$(q 'SELECT count(*) FROM mend.customers')" = 1 ] ||
  die "one customer became $(q 'SELECT count(*) FROM mend.customers')"
[ "$(q "SELECT count(DISTINCT id) FROM mend.cases")" = $((P * N)) ] || die "a case id was given twice"

# 2. notes to one case from P processes at once (a retried open may have used
# an id: ids are never reused, so they may have gaps, as the SPEC allows)
first="$(q 'SELECT min(id) FROM mend.cases')"
rm -f "$WORK"/err.*
for p in $(seq "$P"); do
  (for i in $(seq "$N"); do
     "$MEND" note "$first" "note $p.$i" -q >/dev/null 2>>"$WORK/err.$p" || echo "exit $? on $p.$i" >>"$WORK/err.$p"
   done) &
done
wait
if cat "$WORK"/err.* 2>/dev/null | grep -q .; then cat "$WORK"/err.* >&2; die "a note failed under load"; fi
[ "$(q "SELECT count(*) FROM mend.events WHERE case_id = $first AND kind = 'note'")" = $((P * N)) ] ||
  die "notes lost"

# 3. a lock held past the timeout
before="$(q 'SELECT count(*) FROM mend.events')"
{ echo "BEGIN; LOCK TABLE mend.events IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(4); COMMIT;"; } |
  "$psql_bin" "$MEND_DB" -Xq >/dev/null &
holder=$!
# Go on only once the holder has the lock (a loaded machine can take longer to
# start psql than any sleep allows).
for _ in $(seq 1200); do
  [ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'events' AND l.mode = 'AccessExclusiveLock' AND l.granted")" = 1 ] && break
  sleep 0.05
done
set +e
# (given with a password on the command line: ps must not show it)
MEND_BUSY_TIMEOUT_MS=1500 "$MEND" --db "$MEND_DB&password=s3cret" note "$first" "blocked" >"$WORK/out" 2>"$WORK/err" &
blocked=$!
# Read its process title while it waits for the lock.
for _ in $(seq 100); do
  [ "$(q "SELECT count(*) FROM pg_locks WHERE NOT granted")" -ge 1 ] && break
  sleep 0.02
done
tr '\0' ' ' </proc/$blocked/cmdline >"$WORK/cmdline"
wait "$blocked"
code=$?
set -e
wait "$holder"
grep -q 'password=\*\*\*\*\*\*' "$WORK/cmdline" || die "the process title shows: $(cat "$WORK/cmdline")"
grep -q s3cret "$WORK/cmdline" "$WORK/err" && die "a password was shown: $(cat "$WORK/cmdline" "$WORK/err")"
[ "$code" = 75 ] || die "a lock past the timeout gave exit $code: $(cat "$WORK/err")"
grep -q "try again" "$WORK/err" || die "the lock message does not say try again: $(cat "$WORK/err")"
[ ! -s "$WORK/out" ] || die "stdout got something on error"
[ "$(q 'SELECT count(*) FROM mend.events')" = "$before" ] || die "the blocked note was written"

# 4. the backend terminated in the middle of an import
python3 - "$WORK/big.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(1, 20001):
        f.write(json.dumps({"id": 100000 + i, "status": "open",
            "customer": {"id": 50000 + i, "name": f"Imported {i}", "email": None, "phone": None},
            "summary": f"Imported case {i}", "complaint": None, "wants": None, "channel": "email",
            "category": "other", "priority": "normal", "reference": None, "tags": ["bulk"],
            "opened_at": "2026-11-01T10:00:00Z", "due_at": None, "resolved_at": None,
            "followup_at": None, "closed_at": None, "resolution": None, "satisfaction": None,
            "owner": None, "events": [{"at": "2026-11-01T10:00:00Z", "kind": "opened",
            "text": f"Imported case {i}", "by": "sam", "message": None}], "attachments": []}) + "\n")
PY
cases_before="$(q 'SELECT count(*) FROM mend.cases')"
set +e
"$MEND" import "$WORK/big.jsonl" >"$WORK/out" 2>"$WORK/err" &
importer=$!
killed=""
for _ in $(seq 200); do
  if [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mend' AND state <> 'idle'")" -ge 1 ]; then
    sleep 0.3
    killed="$(q "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'mend'")"
    break
  fi
  sleep 0.05
done
wait "$importer"
code=$?
set -e
[ "${killed:-0}" -ge 1 ] || die "the import finished before its backend could be terminated"
[ "$code" = 75 ] || die "an import whose connection was cut gave exit $code: $(cat "$WORK/err")"
grep -q "try again" "$WORK/err" || die "the cut import does not say try again: $(cat "$WORK/err")"
[ "$(q 'SELECT count(*) FROM mend.cases')" = "$cases_before" ] || die "the cut import left rows behind"
[ "$(q "SELECT count(*) FROM mend.customers WHERE name LIKE 'Imported %'")" = 0 ] ||
  die "the cut import left customers behind"

# 5. the import again, with writers beside it
cases_before="$(q 'SELECT count(*) FROM mend.cases')"
rm -f "$WORK"/err.* "$WORK"/kept.*
set +e
"$MEND" import "$WORK/big.jsonl" >"$WORK/out" 2>"$WORK/err" &
importer=$!
set -e
for p in $(seq "$P"); do
  (for i in $(seq "$N"); do
     if "$MEND" open "Imported $p$i" "Beside the import $p.$i" -q >/dev/null 2>>"$WORK/err.$p"; then
       echo "$p.$i" >>"$WORK/kept.$p"
     else
       code=$?; [ "$code" = 75 ] || echo "exit $code on $p.$i" >>"$WORK/err.$p"
     fi
   done) &
done
set +e
wait "$importer"
code=$?
set -e
wait
[ "$code" = 0 ] || die "an import beside writers gave exit $code: $(cat "$WORK/err")"
grep -q "imported 20000 cases" "$WORK/out" || die "the import beside writers said: $(cat "$WORK/out")"
if cat "$WORK"/err.* 2>/dev/null | grep -v "try again" | grep -q .; then
  cat "$WORK"/err.* >&2; die "an open beside the import failed other than with 75 'try again'"
fi
kept="$(cat "$WORK"/kept.* 2>/dev/null | wc -l)"
[ "$(q "SELECT count(*) FROM mend.cases WHERE summary LIKE 'Imported case %'")" = 20000 ] ||
  die "the import beside writers kept $(q "SELECT count(*) FROM mend.cases WHERE summary LIKE 'Imported case %'") of 20000 cases"
[ "$(q "SELECT count(*) FROM mend.cases WHERE summary LIKE 'Beside the import %'")" = "$kept" ] ||
  die "the opens beside the import: $kept said kept, $(q "SELECT count(*) FROM mend.cases WHERE summary LIKE 'Beside the import %'") in the database"
[ "$(q 'SELECT count(*) FROM mend.cases')" = $((cases_before + 20000 + kept)) ] || die "cases beside the import do not add up"

# 6. a server restart between two commands
"$MEND" note "$first" "before the restart" -q >/dev/null
cluster_home="$DIR"; [ -s "$DIR/home" ] && cluster_home="$(cat "$DIR/home")"
runas=(); [ "$(id -u)" -eq 0 ] && runas=(runuser -u postgres --)
"${runas[@]}" "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)/pg_ctl" -D "$cluster_home/data" -w -m fast restart >/dev/null
"$MEND" note "$first" "after the restart" -q >/dev/null || die "the first command after a restart failed"
[ "$(q "SELECT count(*) FROM mend.events WHERE text LIKE '% the restart'")" = 2 ] || die "a note around the restart is missing"

# 7. an unreachable server, a password in the URI
set +e
"$MEND" --db "postgresql://sam:s3cret@/nowhere?host=$WORK/no-such-socket" list >"$WORK/out" 2>"$WORK/err"
code=$?
set -e
[ "$code" = 75 ] || die "an unreachable server gave exit $code"
grep -q s3cret "$WORK/err" && die "the password was printed: $(cat "$WORK/err")"
echo "team mode: $((P * N)) concurrent opens kept with one customer, $((P * N)) concurrent notes kept; a held lock, a terminated backend mid-import and an unreachable server are 75 with nothing written; an import beside $((P * N)) opens kept whole; a restart between commands is invisible"
