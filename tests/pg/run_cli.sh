#!/usr/bin/env bash
# run_cli.sh CLUSTER_DIR CLI_TESTS SOURCE: runs the end-to-end tests of one
# source file (tests/cli/SOURCE) against the throwaway PostgreSQL cluster in
# CLUSTER_DIR, each sandbox on a database of its own. The tests about the
# SQLite file itself (test suite "sqlite") are left out, and only they.
set -euo pipefail
uri_file="$1/uri"
[ -s "$uri_file" ] || { echo "run_cli.sh: no cluster in $1 (the pg fixture did not start it)" >&2; exit 1; }
MEND_TEST_PG_URI="$(cat "$uri_file")" exec "$2" --source-file="*/$3" --test-suite-exclude=sqlite
