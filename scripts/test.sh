#!/usr/bin/env bash
# The whole test suite: installs the test tools if missing, builds mend with a
# CMake preset (default: dev) and runs every test (unit, end-to-end, docs,
# reliability). Usage: scripts/test.sh [dev|asan]
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"
bash scripts/install-deps.sh --test
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset"
