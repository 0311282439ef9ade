#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the team mode tests. It never assumes a
# server is running and never touches one it did not start.
#
#   cluster.sh start DIR [PORT]   initdb a fresh cluster under DIR and start it
#                                 (a server a previous run left in DIR is stopped
#                                 first); writes the superuser's URI to DIR/uri
#                                 and prints it. PORT defaults to $MEND_PG_PORT,
#                                 else 54329.
#   cluster.sh stop DIR           stop it and delete its data (DIR/log stays).
#   cluster.sh createdb DIR [NAME]  a fresh, empty database (dropped first if it
#                                 exists; NAME is [a-z0-9_], default a unique
#                                 one); prints its URI.
#   cluster.sh uri DIR            prints the superuser's URI.
#
# URIs look like postgresql:///NAME?host=SOCKDIR&port=PORT&user=postgres: Unix
# socket only (no TCP), trust authentication, superuser `postgres` whoever
# runs the script. The binaries are Debian's newest /usr/lib/postgresql/*/bin,
# never whatever initdb is first on PATH. initdb refuses to run as root, so
# under root the server runs as the `postgres` user (the Debian package creates
# it) in a folder it owns. fsync is off: the data is thrown away.
#
# Files in DIR: uri, port, home (where the data, socket and log live: DIR, or a
# /tmp/mend-pg-* folder when the server's user cannot write DIR), sockdir (the
# socket folder: HOME/sock, or a short /tmp/mend-pgsock-* folder when that path
# is too long for a socket), log (the server log; its last lines go to stderr
# when the server cannot start).
set -euo pipefail

die() { echo "cluster.sh: $*" >&2; exit 1; }
usage() { echo "usage: $0 start DIR [PORT] | stop DIR | createdb DIR [NAME] | uri DIR" >&2; exit 64; }

find_bin() {
  local d best=""
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] || continue
    # the highest major version (sort -V on the version folder name)
    if [ -z "$best" ] || [ "$(printf '%s\n%s\n' "${best%/bin}" "${d%/bin}" | sort -V | tail -n1)" = "${d%/bin}" ]; then
      best="$d"
    fi
  done
  [ -n "$best" ] || die "no PostgreSQL server found in /usr/lib/postgresql/*/bin (apt-get install postgresql; scripts/install-deps.sh --test does it)"
  echo "$best"
}

# as_server CMD...: runs CMD as the user the server runs as.
as_server() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A path that is safe to put in a URI's query and in postgresql.conf unquoted.
plain_path() { [[ "$1" =~ ^[A-Za-z0-9/._-]+$ ]]; }

read_state() {
  DIR="$1"
  [ -f "$DIR/home" ] && [ -f "$DIR/sockdir" ] && [ -f "$DIR/port" ] ||
    die "no cluster in $DIR (run: $0 start $DIR)"
  HOME_DIR="$(cat "$DIR/home")" SOCKDIR="$(cat "$DIR/sockdir")" PORT="$(cat "$DIR/port")"
  DATA="$HOME_DIR/data"
}

uri_for() { echo "postgresql:///$1?host=$SOCKDIR&port=$PORT&user=postgres"; }

# Stops a server a previous run left, by the pid in its postmaster.pid, only if
# that pid is still a postgres process (a pid reused by something else is left
# alone), then deletes the data and the /tmp folders.
stop_old() {
  local dir="$1" home sockdir pid exe
  home="$(cat "$dir/home" 2>/dev/null || echo "$dir")"
  sockdir="$(cat "$dir/sockdir" 2>/dev/null || true)"
  rm -f "$dir/uri"
  if [ -n "$home" ] && [ -f "$home/data/postmaster.pid" ]; then
    pid="$(head -n1 "$home/data/postmaster.pid")"
    exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
    if [[ "$pid" =~ ^[0-9]+$ ]] && [[ "$exe" == */postgres ]]; then
      as_server "$BIN/pg_ctl" stop -D "$home/data" -m "${2:-immediate}" -w -t 30 >/dev/null ||
        die "could not stop the server in $home/data (pid $pid)"
    fi
  fi
  if [ -n "$home" ] && [ "$home" != "$dir" ]; then
    # keep the log beside the other files
    if [ -f "$home/log" ]; then rm -f "$dir/log" && cp "$home/log" "$dir/log"; fi
    case "$home" in /tmp/mend-pg-*) rm -rf "$home" ;; esac
  fi
  rm -rf "$dir/data"
  case "$sockdir" in /tmp/mend-pgsock-*) rm -rf "$sockdir" ;; esac
  rm -rf "$dir/sock"
  rm -f "$dir/home" "$dir/sockdir" "$dir/port"
}

cmd_start() {
  DIR="$1" PORT="${2:-${MEND_PG_PORT:-54329}}"
  [[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1024 ] && [ "$PORT" -le 65535 ] || die "bad port: $PORT"
  mkdir -p "$DIR"
  DIR="$(cd "$DIR" && pwd)"
  stop_old "$DIR" immediate
  : >"$DIR/log"

  # Where the data and log live: DIR itself when the server's user can write
  # there, else a private folder under /tmp.
  HOME_DIR="$DIR"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$DIR" "$DIR/log"
    if ! runuser -u postgres -- test -w "$DIR"; then
      HOME_DIR="$(mktemp -d /tmp/mend-pg-XXXXXX)"
      chown postgres: "$HOME_DIR"
    fi
  fi
  echo "$HOME_DIR" >"$DIR/home"
  DATA="$HOME_DIR/data"
  LOG="$HOME_DIR/log"
  if [ "$HOME_DIR" != "$DIR" ]; then
    : >"$LOG"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$LOG"
    ln -sf "$LOG" "$DIR/log"
  fi

  # The socket file is SOCKDIR/.s.PGSQL.PORT and must fit in 107 bytes.
  SOCKDIR="$HOME_DIR/sock"
  if [ $((${#SOCKDIR} + 18)) -gt 100 ] || ! plain_path "$SOCKDIR"; then
    SOCKDIR="$(mktemp -d /tmp/mend-pgsock-XXXXXX)"
  else
    mkdir -p "$SOCKDIR"
  fi
  [ "$(id -u)" -ne 0 ] || chown postgres: "$SOCKDIR"
  chmod 0755 "$SOCKDIR"
  echo "$SOCKDIR" >"$DIR/sockdir"
  echo "$PORT" >"$DIR/port"

  if ! as_server "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --no-sync --no-instructions \
    -E UTF8 --locale=C.UTF-8 >>"$LOG" 2>&1; then
    echo "cluster.sh: initdb failed; the end of $LOG:" >&2
    tail -n 20 "$LOG" >&2
    exit 1
  fi
  cat >>"$DATA/postgresql.conf" <<EOF
# mend's test cluster
listen_addresses = ''
unix_socket_directories = '$SOCKDIR'
port = $PORT
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 60
EOF
  if ! as_server "$BIN/pg_ctl" start -D "$DATA" -l "$LOG" -w -t 60 >/dev/null 2>>"$LOG"; then
    echo "cluster.sh: the PostgreSQL server did not start; the end of $LOG:" >&2
    tail -n 20 "$LOG" >&2
    exit 1
  fi
  # pg_ctl -w waits for the server to accept connections; prove it with a query.
  local got
  if ! got="$("$BIN/psql" "$(uri_for postgres)" -XAtqc 'SELECT 1' 2>&1)" || [ "$got" != 1 ]; then
    echo "cluster.sh: the server started but does not answer ($got); the end of $LOG:" >&2
    tail -n 20 "$LOG" >&2
    exit 1
  fi
  uri_for postgres >"$DIR/uri"
  cat "$DIR/uri"
}

cmd_stop() {
  local dir="$1"
  [ -d "$dir" ] || return 0
  dir="$(cd "$dir" && pwd)"
  stop_old "$dir" fast
}

cmd_createdb() {
  read_state "$1"
  local name="${2:-t_$$_${RANDOM}${RANDOM}}"
  [[ "$name" =~ ^[a-z0-9_]{1,63}$ ]] || die "bad database name: $name (use a-z, 0-9 and _)"
  [ "$name" != postgres ] && [[ "$name" != template* ]] || die "refusing to recreate $name"
  local conn=(-h "$SOCKDIR" -p "$PORT" -U postgres)
  PGOPTIONS="-c client_min_messages=warning" "$BIN/dropdb" "${conn[@]}" --if-exists --force "$name" || die "could not drop $name"
  "$BIN/createdb" "${conn[@]}" "$name" || die "could not create $name"
  uri_for "$name"
}

[ $# -ge 2 ] || usage
BIN="$(find_bin)"
case "$1" in
  start) [ $# -le 3 ] || usage; cmd_start "$2" "${3:-}" ;;
  stop) [ $# -eq 2 ] || usage; cmd_stop "$2" ;;
  createdb) [ $# -le 3 ] || usage; cmd_createdb "$2" "${3:-}" ;;
  uri) [ $# -eq 2 ] || usage; read_state "$2"; uri_for postgres ;;
  *) usage ;;
esac
