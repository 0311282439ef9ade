#!/usr/bin/env bash
# Builds mend with a CMake preset (default: dev) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset"
