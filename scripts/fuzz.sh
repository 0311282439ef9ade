#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang-14 (ASan + UBSan) and runs each for
# a bounded time on its seed corpus. Crashes are saved under fuzz/crashes/ and
# fail the run; keep each as a regression seed in fuzz/corpus/<name>/.
# Usage: scripts/fuzz.sh [SECONDS_PER_HARNESS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++-14 -DMEND_FUZZ=ON -DMEND_SANITIZE=ON -DMEND_BUILD_TESTS=OFF >/dev/null
cmake --build build/fuzz --target fuzz_dates fuzz_sanitize
mkdir -p fuzz/crashes
for name in dates sanitize; do
  work=$(mktemp -d)
  cp fuzz/corpus/$name/* "$work"/
  echo "== fuzz_$name for ${seconds}s"
  ./build/fuzz/fuzz/fuzz_$name -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
    -artifact_prefix=fuzz/crashes/$name- "$work" fuzz/corpus/$name 2>&1 |
    grep -E 'stat::number_of_executed_units|ERROR|SUMMARY|Done' || true
  rm -rf "$work"
done
if ls fuzz/crashes/* >/dev/null 2>&1; then
  echo "fuzzing found crashes: fuzz/crashes/" >&2
  exit 1
fi
