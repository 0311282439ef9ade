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
read -r -a names <<<"$(tr ';' ' ' <build/fuzz/fuzz/harnesses.txt)"
cmake --build build/fuzz --target "${names[@]/#/fuzz_}"
mkdir -p fuzz/crashes
for name in "${names[@]}"; do
  work=$(mktemp -d)
  cp fuzz/corpus/$name/* "$work"/
  echo "== fuzz_$name for ${seconds}s"
  # Every seed (and every crash kept as a regression seed) runs first; then
  # new inputs for the rest of the time. -timeout catches hangs, -rss_limit_mb
  # runaway memory; a dictionary of field names and values, when there is one,
  # helps it past the JSON and TOML syntax.
  dict=()
  [ -f fuzz/dict/$name.dict ] && dict=(-dict=fuzz/dict/$name.dict)
  ./build/fuzz/fuzz/fuzz_$name "${dict[@]}" -max_total_time="$seconds" -max_len=8192 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=fuzz/crashes/$name- \
    "$work" fuzz/corpus/$name 2>&1 |
    grep -E 'stat::number_of_executed_units|ERROR|SUMMARY|Done' || true
  rm -rf "$work"
done
if ls fuzz/crashes/* >/dev/null 2>&1; then
  echo "fuzzing found crashes: fuzz/crashes/" >&2
  exit 1
fi
