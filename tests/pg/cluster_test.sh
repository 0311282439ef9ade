#!/usr/bin/env bash
# The test cluster itself: the URI in DIR/uri answers as the superuser, over
# the Unix socket only, and `cluster.sh createdb` gives a fresh, empty database
# every time, even while someone is still connected to the old one.
#   cluster_test.sh CLUSTER_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
DIR="${1:?usage: $0 CLUSTER_DIR}"
die() { echo "FAIL: $*" >&2; exit 1; }
psql_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)/psql"
q() { "$psql_bin" "$1" -XAtq -v ON_ERROR_STOP=1 -c "$2"; }

[ -s "$DIR/uri" ] || die "no $DIR/uri: the cluster was not started"
uri="$(cat "$DIR/uri")"
[[ "$uri" =~ ^postgresql:///postgres\?host=(/[A-Za-z0-9/._-]+)\&port=([0-9]+)\&user=postgres$ ]] ||
  die "unexpected URI form: $uri"
sock="${BASH_REMATCH[1]}" port="${BASH_REMATCH[2]}"
[ -S "$sock/.s.PGSQL.$port" ] || die "no socket $sock/.s.PGSQL.$port"
[ "$(q "$uri" 'SELECT current_user || (SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user)')" = postgrestrue ] ||
  die "the URI does not connect as the superuser postgres"
[ "$(q "$uri" 'SHOW listen_addresses')" = "" ] || die "the server listens on TCP"
major="$(q "$uri" 'SHOW server_version_num')"
[ "$major" -ge 150000 ] || die "PostgreSQL $major is older than 15"

db="$(bash "$here/cluster.sh" createdb "$DIR" cluster_test)"
[ "$db" = "postgresql:///cluster_test?host=$sock&port=$port&user=postgres" ] || die "createdb printed $db"
q "$db" 'CREATE TABLE t (x int); INSERT INTO t VALUES (1)'
[ "$(q "$db" 'SELECT count(*) FROM t')" = 1 ] || die "the table was not written"
[ "$(q "$db" "SHOW server_encoding")" = UTF8 ] || die "the database is not UTF8"

# someone still connected to the old database does not stop a fresh one
"$psql_bin" "$db" -XAtq -c 'SELECT pg_sleep(30)' >/dev/null 2>&1 &
holder=$!
for _ in $(seq 50); do
  [ "$(q "$uri" "SELECT count(*) FROM pg_stat_activity WHERE datname = 'cluster_test'")" -ge 1 ] && break
  sleep 0.1
done
db2="$(bash "$here/cluster.sh" createdb "$DIR" cluster_test)"
wait "$holder" || true
[ "$db2" = "$db" ] || die "the second createdb printed $db2"
[ "$(q "$db" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 0 ] ||
  die "createdb did not give an empty database"

# without a name, a new one each time
one="$(bash "$here/cluster.sh" createdb "$DIR")" two="$(bash "$here/cluster.sh" createdb "$DIR")"
[ "$one" != "$two" ] || die "two unnamed databases got the same URI $one"
q "$one" 'SELECT 1' >/dev/null && q "$two" 'SELECT 1' >/dev/null
if bash "$here/cluster.sh" createdb "$DIR" 'x; DROP' 2>/dev/null; then die "a bad name was accepted"; fi
echo "cluster: $uri answers; createdb gives fresh databases ($one, $two)"
