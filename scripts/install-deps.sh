#!/usr/bin/env bash
# Installs what mend needs from Debian 12's packages.
#   install-deps.sh          what building and installing mend needs (the quick start)
#   install-deps.sh --test   that, plus what the test suite drives (shells for the
#                            completions, man linters, sqlite3, PostgreSQL, Chromium, clang for fuzzing)
# Runs as root (CI and a fresh machine); uses sudo when it exists and we are not root.
set -euo pipefail
build=(
  cmake g++ ninja-build pkg-config ccache
  libcli11-dev libsqlitecpp-dev libsqlite3-dev libfmt-dev doctest-dev nlohmann-json3-dev
  libmagic-dev libssl-dev libgmime-3.0-dev libtomlplusplus-dev libical-dev libutf8proc-dev
  libpq-dev                    # Team mode: libpq's header (libpq5, loaded at run time, comes with it)
)
test=(
  sqlite3 mandoc groff-base bash-completion zsh fish util-linux bc procps dpkg-dev
  file                         # cpack's Debian generator (the .deb test) runs file(1)
  perl python3                 # terminal byte checks; bench/run.sh drives bench.py
  clang-14 libclang-rt-14-dev  # libFuzzer harnesses (scripts/fuzz.sh)
  chromium                     # the report test screenshots the HTML report
  time taskwarrior             # bench/run.sh: peak memory and the peer (task)
  python3-icalendar            # a second parser reads mend calendar's feed back
  postgresql                   # Team mode tests: a throwaway server (tests/pg/cluster.sh)
)
packages=("${build[@]}")
case "${1:-}" in
  --test) packages+=("${test[@]}") ;;
  "") ;;
  *) echo "usage: $0 [--test]" >&2; exit 64 ;;
esac
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
