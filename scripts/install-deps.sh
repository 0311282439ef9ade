#!/usr/bin/env bash
# Installs what mend needs to build, test and be installed, from Debian 12's packages.
# Runs as root (CI and a fresh machine); uses sudo when it exists and we are not root.
set -euo pipefail
packages=(
  cmake g++ ninja-build pkg-config ccache
  libcli11-dev libsqlitecpp-dev libsqlite3-dev libfmt-dev doctest-dev nlohmann-json3-dev
  sqlite3 mandoc groff-base bash-completion zsh fish util-linux bc procps dpkg-dev
  clang-14 libclang-rt-14-dev
  chromium  # the report test screenshots the HTML report in headless Chromium
  time taskwarrior  # bench/run.sh: peak memory (/usr/bin/time) and the peer (task)
)
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
