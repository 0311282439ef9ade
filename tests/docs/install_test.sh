#!/usr/bin/env bash
# `cmake --install` into a temporary prefix puts every file where the system
# looks for it: the binary, the gzipped man page and the three completions.
# With the prefix /usr (packages, the .deb) zsh's file goes to vendor-completions.
#   install_test.sh BUILD_DIR SOURCE_DIR
set -u
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
check_tree() { # check_tree ROOT ZSH_DIR
    local root=$1 f
    for f in bin/mend share/man/man1/mend.1.gz share/bash-completion/completions/mend \
        share/fish/vendor_completions.d/mend.fish "$2/_mend"; do
        [ -f "$root/$f" ] || { echo "FAIL: $root/$f was not installed"; status=1; }
    done
    [ -x "$root/bin/mend" ] || { echo "FAIL: $root/bin/mend is not executable"; status=1; }
    "$root/bin/mend" --version | grep -q '^mend ' || { echo "FAIL: the installed mend does not run"; status=1; }
    gzip -t "$root/share/man/man1/mend.1.gz" || { echo "FAIL: mend.1.gz is not gzip"; status=1; }
    cmp -s <(gzip -dc "$root/share/man/man1/mend.1.gz") "$src/man/mend.1" ||
        { echo "FAIL: mend.1.gz is not man/mend.1"; status=1; }
    cmp -s "$root/share/bash-completion/completions/mend" "$src/completions/mend.bash" ||
        { echo "FAIL: the bash completion differs from completions/mend.bash"; status=1; }
}
cmake --install "$build" --prefix "$tmp/local" >/dev/null || { echo "FAIL: cmake --install"; exit 1; }
check_tree "$tmp/local" share/zsh/site-functions
DESTDIR=$tmp/staged cmake --install "$build" --prefix /usr >/dev/null || { echo "FAIL: cmake --install --prefix /usr"; exit 1; }
check_tree "$tmp/staged/usr" share/zsh/vendor-completions
# man finds the installed page (when man-db is installed).
if command -v man >/dev/null; then
    MANPATH=$tmp/local/share/man man -w mend 2>/dev/null | grep -q "$tmp/local/share/man/man1/mend.1.gz" ||
        { echo "FAIL: man -w mend does not find the installed page"; status=1; }
fi
[ $status -eq 0 ] && echo ok
exit $status
