#!/usr/bin/env bash
# `cpack -G DEB` builds a .deb that installs everything under /usr and depends
# on the Debian packages of the shared libraries mend links (SQLite and libc).
#   deb_test.sh BUILD_DIR
set -u
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp" >"$tmp/cpack.log" 2>&1) ||
    { cat "$tmp/cpack.log"; echo "FAIL: cpack -G DEB"; exit 1; }
deb=$(ls "$tmp"/*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "FAIL: no .deb was made"; exit 1; }
status=0
files=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/mend ./usr/share/man/man1/mend.1.gz ./usr/share/bash-completion/completions/mend \
    ./usr/share/zsh/vendor-completions/_mend ./usr/share/fish/vendor_completions.d/mend.fish; do
    grep -qx -- "$f" <<<"$files" || { echo "FAIL: the .deb lacks $f"; status=1; }
done
outside=$(grep -v '^\./usr/' <<<"$files" | grep -vx '\./' || true)
[ -z "$outside" ] || { echo "FAIL: the .deb installs outside /usr: $outside"; status=1; }
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
depends_on() { tr ',' '\n' <<<"$depends" | awk -v p="$1" '$1 == p {found = 1} END {exit !found}'; }
# libmagic1 and libical3 are loaded with dlopen (attach, calendar): dpkg-shlibdeps cannot see them.
for p in libsqlite3-0 libc6 libmagic1 libical3; do
    depends_on "$p" || { echo "FAIL: the .deb does not depend on $p"; status=1; }
done
# fmt is compiled in (header-only), and libstdc++ too unless MEND_STATIC_CXX_RUNTIME is OFF.
! depends_on libfmt9 || { echo "FAIL: the .deb depends on libfmt9, which mend does not load"; status=1; }
[ "$(dpkg-deb -f "$deb" Package)" = mend ] || { echo "FAIL: the package is not called mend"; status=1; }
[ $status -eq 0 ] && echo ok
exit $status
