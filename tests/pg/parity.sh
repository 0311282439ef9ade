#!/usr/bin/env bash
# The proof that both stores behave the same: runs the scenario (scenario.txt
# beside this script, or $PARITY_SCENARIO) twice, side A on a fresh SQLite file
# (--db FILE) and side B on a fresh PostgreSQL database (MEND_DB=URI), with the
# same MEND_NOW, TZ, MEND_USER, NO_COLOR, HOME and working folder, and compares
# every command's exit code, stdout and stderr byte for byte. The database's
# location is the only thing masked (as <DB>) before comparing. Any difference
# prints the command and a unified diff and fails; so does a command whose exit
# code is not the one the scenario expects (0 unless the line says otherwise).
#
#   parity.sh MEND CLUSTER_DIR    B on a fresh database of the cluster.sh
#                                 cluster in CLUSTER_DIR
#   PARITY_B=sqlite parity.sh MEND
#                                 B on a second SQLite file (MEND_DB=FILE): the
#                                 comparison itself, with no server
#   parity.sh --self-test MEND    proves the comparison works: SQLite against
#                                 SQLite must agree; with B's clock a day later
#                                 it must fail with a diff; a wrong expected
#                                 exit code must fail.
#
# Environment: PARITY_B=postgres (default) or sqlite; PARITY_B_CLOCK=+1day
# shifts every MEND_NOW on side B by that much (GNU date words; for the self
# test); PARITY_SHOW=N prints the first N differences in full (default 5),
# the rest by command line; KEEP=1 keeps the work folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if [ "${1:-}" = --self-test ]; then
  mend="${2:?usage: $0 --self-test MEND}"
  out="$(mktemp /tmp/mend-parity-selftest-XXXXXX)"
  trap 'rm -f "$out" "$out.scn"' EXIT
  echo "self-test 1: SQLite against SQLite agrees"
  PARITY_B=sqlite bash "$0" "$mend" >"$out" 2>&1 || { cat "$out"; echo "FAIL: two SQLite files differ" >&2; exit 1; }
  tail -n 1 "$out"
  echo "self-test 2: B's clock a day later must be caught (the scenario up to its notes)"
  sed '/^# --- note/q' "${PARITY_SCENARIO:-$here/scenario.txt}" >"$out.scn"
  if PARITY_B=sqlite PARITY_B_CLOCK=+1day PARITY_SCENARIO="$out.scn" bash "$0" "$mend" >"$out" 2>&1; then
    cat "$out"
    echo "FAIL: parity.sh passed although side B ran a day later" >&2
    exit 1
  fi
  grep -q '^--- sqlite (A)' "$out" && grep -q '^+++ sqlite (B)' "$out" && grep -q '^@@ ' "$out" ||
    { cat "$out"; echo "FAIL: the difference was not shown as a unified diff" >&2; exit 1; }
  grep -q '^DIFFERENT: ' "$out" || { cat "$out"; echo "FAIL: the differing command was not named" >&2; exit 1; }
  grep -E '^parity: [0-9]+ of [0-9]+ commands differ' "$out"
  echo "self-test 3: an exit code the scenario does not expect must be caught"
  printf '%s\n' '# the case does not exist, so show exits 66, not 0' 'show 1' >"$out.scn"
  if PARITY_B=sqlite PARITY_SCENARIO="$out.scn" bash "$0" "$mend" >"$out" 2>&1; then
    cat "$out"
    echo "FAIL: parity.sh passed although a command exited 66 where 0 was expected" >&2
    exit 1
  fi
  grep -q '^WRONG EXIT: line 2: show 1: exit 66 on both, expected 0' "$out" || { cat "$out"; echo "FAIL: the wrong exit code was not reported" >&2; exit 1; }
  echo "self-test 4: a malformed scenario line is refused"
  printf '%s\n' "open Ada 'unclosed" >"$out.scn"
  if PARITY_B=sqlite PARITY_SCENARIO="$out.scn" bash "$0" "$mend" >"$out" 2>&1 ||
    ! grep -q 'unclosed quote' "$out"; then
    cat "$out"
    echo "FAIL: an unclosed quote in the scenario was not refused" >&2
    exit 1
  fi
  echo "self-test: ok"
  exit 0
fi

MEND="${1:?usage: $0 MEND [CLUSTER_DIR] | --self-test MEND}"
MEND="$(cd "$(dirname "$MEND")" && pwd)/$(basename "$MEND")"
B_KIND="${PARITY_B:-postgres}"
SCENARIO="${PARITY_SCENARIO:-$here/scenario.txt}"
SHOW="${PARITY_SHOW:-5}"
case "$B_KIND" in
  postgres) CLUSTER="${2:?usage: $0 MEND CLUSTER_DIR (or PARITY_B=sqlite $0 MEND)}" ;;
  sqlite) ;;
  *) echo "parity.sh: PARITY_B is postgres or sqlite, not $B_KIND" >&2; exit 64 ;;
esac

WORK="$(mktemp -d /tmp/mend-parity-XXXXXX)"
trap '[ -n "${KEEP:-}" ] && echo "work folder kept: $WORK" >&2 || rm -rf "$WORK"' EXIT
mkdir -p "$WORK/home" "$WORK/a" "$WORK/b"

# --- the scenario -----------------------------------------------------------
# split_words LINE: sets WORDS to LINE's words, split the way a POSIX shell
# splits them but with no expansion at all: blanks separate words, '...' quotes
# literally, a backslash outside quotes takes the next character literally.
# $, `, *, ~, ;, |, < and > are plain characters. Fails on an unclosed quote.
split_words() {
  local s="$1" n=${#1} i c w="" inword=0 inq=0
  WORDS=()
  for ((i = 0; i < n; i++)); do
    c="${s:i:1}"
    if ((inq)); then
      if [ "$c" = "'" ]; then inq=0; else w+="$c"; fi
    elif [ "$c" = "'" ]; then
      inq=1 inword=1
    elif [ "$c" = '\' ]; then
      ((i + 1 < n)) || return 1
      i=$((i + 1)) w+="${s:i:1}" inword=1
    elif [ "$c" = ' ' ] || [ "$c" = $'\t' ]; then
      ((inword)) && WORDS+=("$w")
      w="" inword=0
    else
      w+="$c" inword=1
    fi
  done
  ((inq == 0)) || return 1
  ((inword)) && WORDS+=("$w")
  return 0
}

# Steps, parsed once: STEP_KIND[i] is cmd, now, user, file, bytes, stdin or db;
# STEP_ARGS[i] the words, NUL-separated; STEP_CODE[i] the expected exit code;
# STEP_LINE[i] the line as written, for messages.
STEP_KIND=() STEP_ARGS=() STEP_CODE=() STEP_LINE=() STEP_NO=()
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
  lineno=$((lineno + 1))
  trimmed="${line#"${line%%[![:space:]]*}"}"
  [ -z "$trimmed" ] || [ "${trimmed:0:1}" = '#' ] && continue
  if ! split_words "$trimmed"; then
    echo "parity.sh: $SCENARIO:$lineno: unclosed quote or trailing backslash: $line" >&2
    exit 64
  fi
  kind=cmd code=0
  case "${WORDS[0]}" in
    @now | @user | @stdin | @db)
      [ ${#WORDS[@]} -eq 2 ] || { echo "parity.sh: $SCENARIO:$lineno: ${WORDS[0]} takes one word" >&2; exit 64; }
      kind="${WORDS[0]#@}" WORDS=("${WORDS[@]:1}") ;;
    @file)
      [ ${#WORDS[@]} -ge 2 ] || { echo "parity.sh: $SCENARIO:$lineno: @file NAME [LINE...]" >&2; exit 64; }
      kind=file WORDS=("${WORDS[@]:1}") ;;
    @bytes)
      [ ${#WORDS[@]} -eq 3 ] || { echo "parity.sh: $SCENARIO:$lineno: @bytes NAME ESCAPED" >&2; exit 64; }
      kind=bytes WORDS=("${WORDS[@]:1}") ;;
    @*) echo "parity.sh: $SCENARIO:$lineno: unknown directive ${WORDS[0]}" >&2; exit 64 ;;
    !*)
      code="${WORDS[0]#!}"
      [[ "$code" =~ ^[0-9]+$ ]] && [ ${#WORDS[@]} -ge 2 ] ||
        { echo "parity.sh: $SCENARIO:$lineno: !CODE then a command" >&2; exit 64; }
      WORDS=("${WORDS[@]:1}") ;;
  esac
  case "$kind" in
    stdin | file | bytes | db)
      [[ "${WORDS[0]}" =~ ^[A-Za-z0-9._-]+$ ]] ||
        { echo "parity.sh: $SCENARIO:$lineno: a file name is [A-Za-z0-9._-]: ${WORDS[0]}" >&2; exit 64; } ;;
  esac
  STEP_KIND+=("$kind") STEP_CODE+=("$code") STEP_LINE+=("$trimmed") STEP_NO+=("$lineno")
  STEP_ARGS+=("$(printf '%s\0' "${WORDS[@]}" | base64 -w0)")
done <"$SCENARIO"

# --- running one side -------------------------------------------------------
# run_side SIDE: runs every step in the shared working folder $WORK/cwd (made
# fresh for each side) with side-specific database arguments.
run_side() {
  local side="$1" i words now="" user=sam stdin=/dev/null db="" envs db_env db_args
  local out="$WORK/$side"
  rm -rf "$WORK/cwd" && mkdir "$WORK/cwd"
  cd "$WORK/cwd"
  for i in "${!STEP_KIND[@]}"; do
    mapfile -d '' -t words < <(printf '%s' "${STEP_ARGS[i]}" | base64 -d)
    case "${STEP_KIND[i]}" in
      now)
        now="${words[0]}"
        if [ "$side" = b ] && [ -n "${PARITY_B_CLOCK:-}" ]; then
          now="$(date -u -d "$now ${PARITY_B_CLOCK}" +%Y-%m-%dT%H:%M:%SZ)"
        fi ;;
      user) user="${words[0]}" ;;
      stdin) stdin="${words[0]}" ;;
      db) db="${words[0]}" ;;
      file) printf '%s\n' "${words[@]:1}" >"${words[0]}" ;;
      # the scenario's text as printf's format: its backslash escapes, nothing else
      bytes) printf -- "${words[1]//%/%%}" >"${words[0]}" ;;
      cmd)
        db_env=("${SIDE_ENV[@]}") db_args=("${SIDE_ARGS[@]}")
        [ -z "$db" ] || db_env=() db_args=(--db "$db")
        envs=(PATH=/usr/bin:/bin HOME="$WORK/home" LANG=C.UTF-8 TZ=Europe/London NO_COLOR=1
          MEND_USER="$user" "${PASS_ENV[@]}" "${db_env[@]}")
        [ -z "$now" ] || envs+=(MEND_NOW="$now")
        if [ ! -e "$stdin" ]; then
          # an earlier command did not write it: a difference, not a crash
          : >"$out/$i.out"
          echo "parity.sh: no file $stdin for stdin" >"$out/$i.err"
          echo 127 >"$out/$i.rc"
        else
          set +e
          env -i "${envs[@]}" "$MEND" "${db_args[@]}" "${words[@]}" <"$stdin" >"$out/$i.out" 2>"$out/$i.err"
          echo $? >"$out/$i.rc"
          set -e
        fi
        stdin=/dev/null db="" ;;
    esac
  done
  cd "$WORK"
}

# The sanitizers' settings reach mend; nothing else from the caller does.
PASS_ENV=()
for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
  [ -z "${!v:-}" ] || PASS_ENV+=("$v=${!v}")
done

A_DB="$WORK/a.db"
SIDE_ENV=() SIDE_ARGS=(--db "$A_DB")
run_side a
case "$B_KIND" in
  sqlite) B_DB="$WORK/b.db" B_LABEL="sqlite (B)" ;;
  postgres)
    B_DB="$(bash "$here/cluster.sh" createdb "$CLUSTER" "parity_$$")" B_LABEL="postgres (B)" ;;
esac
A_LABEL="sqlite (A)"
SIDE_ENV=(MEND_DB="$B_DB") SIDE_ARGS=()
run_side b

# --- comparing --------------------------------------------------------------
# Each side's database location becomes <DB> in every output, nothing else
# (PostgreSQL names itself "PostgreSQL database NAME on SOCKET port N").
find "$WORK/a" "$WORK/b" -name '*.out' -o -name '*.err' | sort >"$WORK/outputs"
if [ -s "$WORK/outputs" ]; then
  xargs -d '\n' env A_DB="$A_DB" B_DB="$B_DB" perl -pi -e 's/\Q$ENV{A_DB}\E/<DB>/g; s/\Q$ENV{B_DB}\E/<DB>/g; s/PostgreSQL database \S+ on \S+ port \d+/<DB>/g' <"$WORK/outputs"
fi
commands=0 differ=0 shown=0 wrong_code=0
for i in "${!STEP_KIND[@]}"; do
  [ "${STEP_KIND[i]}" = cmd ] || continue
  commands=$((commands + 1))
  rc_a="$(cat "$WORK/a/$i.rc")" rc_b="$(cat "$WORK/b/$i.rc")" want="${STEP_CODE[i]}"
  where="line ${STEP_NO[i]}: ${STEP_LINE[i]}"
  [ "$rc_a" = "$want" ] && [ "$rc_b" = "$want" ] || wrong_code=$((wrong_code + 1))
  if [ "$rc_a" = "$rc_b" ] && cmp -s "$WORK/a/$i.out" "$WORK/b/$i.out" && cmp -s "$WORK/a/$i.err" "$WORK/b/$i.err"; then
    if [ "$rc_a" != "$want" ]; then
      echo "WRONG EXIT: $where: exit $rc_a on both, expected $want"
      sed 's/^/  stderr: /' "$WORK/a/$i.err" | head -n 5
    fi
    continue
  fi
  differ=$((differ + 1))
  echo "DIFFERENT: $where"
  echo "  exit $rc_a on $A_LABEL, $rc_b on $B_LABEL (expected $want)"
  if [ "$shown" -lt "$SHOW" ]; then
    shown=$((shown + 1))
    for stream in out err; do
      diff -u --label "$A_LABEL std$stream" --label "$B_LABEL std$stream" \
        "$WORK/a/$i.$stream" "$WORK/b/$i.$stream" || true
    done
  else
    # past the first PARITY_SHOW differences, the first line of B's stderr
    [ ! -s "$WORK/b/$i.err" ] || echo "  B stderr: $(head -n 1 "$WORK/b/$i.err")"
  fi
done
if [ "$commands" -eq 0 ]; then
  echo "parity.sh: $SCENARIO has no command" >&2
  exit 64
fi
if [ "$differ" -gt 0 ] || [ "$wrong_code" -gt 0 ]; then
  echo "parity: $differ of $commands commands differ between $A_LABEL and $B_LABEL; $wrong_code exit with a code the scenario does not expect"
  exit 1
fi
echo "parity: all $commands commands give the same exit code, stdout and stderr on $A_LABEL and $B_LABEL"
