# Shared set-up for the reliability tests: a private temporary folder, the
# binary under test, and small assertion helpers. Each script exits non-zero
# on the first broken promise and prints what it measured.
set -euo pipefail
MEND="${1:?usage: $0 path/to/mend}"
WORK="$(mktemp -d /tmp/mend-rel-XXXXXX)"
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
export HOME="$WORK" TZ=UTC MEND_DB="$WORK/cases.db"
unset MEND_NOW XDG_DATA_HOME XDG_CONFIG_HOME

die() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() { [ "$1" = "$2" ] || die "$3: expected '$2', got '$1'"; }
# run_expect CODE DESCRIPTION -- command...: runs, checks the exit code, that
# stdout is empty and that stderr is one `mend:` line (kept in $WORK/err);
# counts the checks in $tried.
tried=0
run_expect() {
  local want="$1" what="$2"
  shift 3
  set +e
  "$@" >"$WORK/out" 2>"$WORK/err"
  local got=$?
  set -e
  [ "$got" = "$want" ] || die "$what: exit $got, expected $want (stderr: $(cat "$WORK/err"))"
  [ ! -s "$WORK/out" ] || die "$what: stdout not empty"
  [ "$(wc -l <"$WORK/err")" = 1 ] && grep -q '^mend: ' "$WORK/err" ||
    die "$what: stderr is not one mend: line: $(cat "$WORK/err")"
  tried=$((tried + 1))
}
# hold_lock DB [IMMEDIATE|EXCLUSIVE]: another sqlite3 process takes DB's write
# lock and keeps it until release_lock. Returns once the lock is held (the
# holder touches a file after its BEGIN), never after a guessed sleep: on a
# loaded machine sqlite3 can take longer to start than any sleep allows.
hold_lock() {
  rm -f "$WORK/lock.held" "$WORK/lock.fifo"
  mkfifo "$WORK/lock.fifo"
  sqlite3 "$1" <"$WORK/lock.fifo" >/dev/null &
  lock_holder=$!
  exec 7>"$WORK/lock.fifo"
  printf '.timeout 60000\nBEGIN %s;\n.shell touch %s\n' "${2:-IMMEDIATE}" "$WORK/lock.held" >&7
  local _
  for _ in $(seq 1200); do
    [ -e "$WORK/lock.held" ] && return 0
    kill -0 "$lock_holder" 2>/dev/null || die "the lock holder ended before taking the lock"
    sleep 0.05
  done
  die "the lock holder did not take the lock in 60 s"
}
# release_lock: the holder commits and ends.
release_lock() {
  printf 'COMMIT;\n' >&7
  exec 7>&-
  wait "$lock_holder" || die "the lock holder failed"
}
integrity() { sqlite3 "$1" 'PRAGMA integrity_check'; }
count() { sqlite3 "$1" "$2"; }
# Whether this build has a subcommand (the suite runs as commands land).
has_cmd() { "$MEND" --help 2>/dev/null | grep -qE "^  $1( |$)"; }
# Sanitizer builds run the same entries several times slower: scaled N gives
# N there divided by MEND_RELIABILITY_DIVISOR (default 4 when the binary's path
# names an asan build, else 1), at least 1.
if [ -z "${MEND_RELIABILITY_DIVISOR:-}" ]; then
  case "$MEND" in */asan/*) MEND_RELIABILITY_DIVISOR=4 ;; *) MEND_RELIABILITY_DIVISOR=1 ;; esac
fi
scaled() { local n=$(($1 / MEND_RELIABILITY_DIVISOR)); echo $((n < 1 ? 1 : n)); }
# make_import_file N PATH: N open cases in the export shape (ids 1001..1000+N,
# one customer each, a 1.5 kB complaint, a tag and an opened event).
make_import_file() {
  local pad
  pad=$(head -c 1500 /dev/zero | tr '\0' 'p')
  awk -v n="$1" -v pad="$pad" 'BEGIN { for (i = 1; i <= n; i++) printf \
    "{\"id\":%d,\"status\":\"open\",\"customer\":{\"id\":%d,\"name\":\"Imp %d\",\"email\":\"i%d@example.com\",\"phone\":null},\"summary\":\"imported %d\",\"complaint\":\"%s\",\"wants\":null,\"channel\":\"email\",\"category\":\"billing\",\"priority\":\"normal\",\"reference\":null,\"tags\":[\"bulk\"],\"opened_at\":\"2026-01-01T10:00:00Z\",\"due_at\":null,\"resolved_at\":null,\"followup_at\":null,\"closed_at\":null,\"resolution\":null,\"satisfaction\":null,\"events\":[{\"at\":\"2026-01-01T10:00:00Z\",\"kind\":\"opened\",\"text\":\"imported %d\"}]}\n", \
    1000 + i, 1000 + i, i, i, i, pad, i }' >"$2"
}
