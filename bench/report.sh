#!/usr/bin/env bash
# Times `mend report` on a generated database of N cases spread over ~5 years,
# against the sqlite3 shell running the same kind of aggregate SQL.
#   bench/report.sh [N] [path/to/mend]      (default N=200000, build/dev/mend)
# Prints wall-clock seconds for each run. No assertions: the performance issue
# sets the targets.
set -euo pipefail
n=${1:-200000}
mend=${2:-build/dev/mend}
[ -x "$mend" ] || { echo "bench/report.sh: build mend first ($mend not found)" >&2; exit 1; }
mend=$(realpath "$mend")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export MEND_DB="$dir/cases.db" MEND_NOW=2026-11-23T14:05:00Z TZ=UTC HOME="$dir"
now=$(date -ud "$MEND_NOW" +%s)
span=$((5 * 365 * 86400))

"$mend" open "Bench Customer" "first case" -q >/dev/null
echo "generating $n cases..."
sqlite3 "$MEND_DB" <<SQL
PRAGMA synchronous = OFF;
INSERT INTO customers(name, created_at)
  SELECT 'Customer ' || value, $now - $span FROM generate_series(1, 5000);
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < $n),
rows AS (SELECT i, $now - $span + (i * 7919 % $span) AS opened, abs(random()) AS r FROM k)
INSERT INTO cases(customer_id, status, summary, channel, category, priority, opened_at, due_at,
                  resolved_at, closed_at, followup_done_at, outcome, amount_cents, currency,
                  fault, cause, satisfaction)
SELECT 1 + r % 5000,
       CASE WHEN r % 10 = 0 THEN 'open' ELSE 'closed' END,
       'case ' || i,
       CASE r % 7 WHEN 0 THEN 'phone' WHEN 1 THEN 'email' WHEN 2 THEN 'chat' WHEN 3 THEN 'social'
                  WHEN 4 THEN 'review' WHEN 5 THEN 'in-person' ELSE 'other' END,
       CASE r % 5 WHEN 0 THEN 'product' WHEN 1 THEN 'service' WHEN 2 THEN 'billing'
                  WHEN 3 THEN 'delivery' ELSE 'communication' END,
       'normal', opened, opened + 2 * 86400,
       CASE WHEN r % 10 = 0 THEN NULL ELSE opened + (r % 200) * 3600 END,
       CASE WHEN r % 10 = 0 THEN NULL ELSE opened + (r % 200) * 3600 + 3 * 86400 END,
       CASE WHEN r % 10 = 0 THEN NULL ELSE opened + (r % 200) * 3600 + 3 * 86400 END,
       CASE WHEN r % 10 = 0 THEN NULL ELSE 'refund' END,
       CASE WHEN r % 10 = 0 THEN NULL ELSE r % 10000 END,
       CASE WHEN r % 3 = 0 THEN 'EUR' ELSE 'USD' END,
       'unknown', 'cause ' || (r % 40),
       CASE WHEN r % 10 = 0 THEN NULL ELSE 1 + r % 5 END
FROM rows;
ANALYZE;
SQL
echo "database: $(du -h "$MEND_DB" | cut -f1), $(sqlite3 "$MEND_DB" 'SELECT count(*) FROM cases') cases"

seconds() {  # seconds a command takes, best of 3
  local best=""
  for _ in 1 2 3; do
    local s e
    s=$(date +%s.%N)
    "$@" >/dev/null
    e=$(date +%s.%N)
    best=$(echo "$s $e ${best:-999}" | awk '{d = $2 - $1; print (d < $3 ? d : $3)}')
  done
  echo "$best"
}

month_since=$(date -ud 2026-11-01 +%s)
month_until=$(date -ud 2026-12-01 +%s)
sql_for() {  # the report's main aggregates over [since, until)
  cat <<SQL
SELECT count(*) FROM cases WHERE opened_at >= $1 AND opened_at < $2;
SELECT category, count(*) n FROM cases WHERE opened_at >= $1 AND opened_at < $2 GROUP BY category ORDER BY n DESC;
SELECT count(*), count(due_at), sum(resolved_at <= due_at) FROM cases WHERE resolved_at >= $1 AND resolved_at < $2;
SELECT currency, sum(amount_cents) FROM cases WHERE resolved_at >= $1 AND resolved_at < $2 GROUP BY currency;
SELECT count(*), avg(satisfaction) FROM cases WHERE followup_done_at >= $1 AND followup_done_at < $2;
SQL
}
sql_for "$month_since" "$month_until" >"$dir/month.sql"
sql_for 0 4102444800 >"$dir/all.sql"

printf '%-40s %s\n' "what" "seconds (best of 3)"
printf '%-40s %s\n' "mend report --period month" "$(seconds "$mend" report --period month)"
printf '%-40s %s\n' "mend report --period month --json" "$(seconds "$mend" report --period month --json)"
printf '%-40s %s\n' "sqlite3, same SQL for the month" "$(seconds sqlite3 "$MEND_DB" ".read $dir/month.sql")"
printf '%-40s %s\n' "mend report (all time)" \
  "$(seconds "$mend" report --since 1970-01-01 --until 2100-01-01)"
printf '%-40s %s\n' "sqlite3, same SQL for all time" "$(seconds sqlite3 "$MEND_DB" ".read $dir/all.sql")"
