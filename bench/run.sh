#!/usr/bin/env bash
# The performance bench: builds the release preset if needed, generates
# histories of each SIZE (default 10000 100000 1000000 cases), loads them with
# `mend import` and prints a Markdown table of medians (min–max) for every
# command against a floor measured in the same run (the sqlite3 shell doing
# the same transaction or SQL on the same file), with peak memory, and
# taskwarrior on the 100k history when `task` is installed.
#   bench/run.sh [--reps N] [--big-reps N] [--peer-size N] [--keep DIR] [SIZE...]
#   bench/run.sh --smoke      # CI: 10k cases, 2 runs each, no peer, small files; fails only on errors
#   bench/run.sh --files-only [--attach-mib N] [--evidence-files N] [--evidence-mib N]
#                             # only attach (one file) and evidence (a case with many files)
#   bench/run.sh --mail-only [--mail-messages N]
#                             # only mend mail: a generated maildir (default 10,000
#                             # messages) twice, and one message on stdin against open
#   bench/run.sh --pg-only [--reps N] [--port PORT] [SIZE]
#                             # SQLite against PostgreSQL (default 10000 cases): a
#                             # throwaway server from tests/pg/cluster.sh, psql and
#                             # sqlite3 floors; see bench/pg_bench.py
#   bench/run.sh --pg-smoke   # CI: --pg-only at 10k cases, 2 runs each (about 30 s)
# Runs under nice: the machine may be shared. Times never fail the script.
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
pg_only=
if [ "${1:-}" = "--pg-only" ]; then
  shift
  pg_only=1
elif [ "${1:-}" = "--pg-smoke" ]; then
  shift
  pg_only=1
  set -- --reps 2 "$@" 10000
fi
if [ "${1:-}" = "--smoke" ]; then
  shift
  args=(--reps 2 --big-reps 1 --peer-size 0 --all-memory --attach-mib 2 --evidence-mib 20
    --mail-messages 1000 10000)
fi
mend=build/release/mend
if [ ! -x "$mend" ] || [ -n "$(find src CMakeLists.txt -newer "$mend" -print -quit)" ]; then
  echo "bench: building the release preset..." >&2
  cmake --preset release >/dev/null
  cmake --build --preset release -j2 >/dev/null
fi
if [ -n "$pg_only" ]; then
  exec nice -n 5 python3 bench/pg_bench.py --mend "$mend" "$@"
fi
for tool in python3 sqlite3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 1; }
done
echo "bench: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(sqlite3 -version | cut -d' ' -f1-2)" >&2
exec nice -n 5 python3 bench/bench.py --mend "$mend" "${args[@]}" "$@"
