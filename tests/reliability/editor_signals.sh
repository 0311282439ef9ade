#!/usr/bin/env bash
# A draft in $EDITOR holds a customer's words: when mend is interrupted, hung
# up on or terminated while the editor is open, the draft is removed from the
# temporary folder, mend dies of that signal, and nothing is written.
source "$(dirname "$0")/lib.sh"
command -v script >/dev/null || die "script(1) from util-linux is needed"
export MEND_NOW=2026-11-23T14:05:00Z
export TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR"
"$MEND" open "Ada" "first" -q >/dev/null
# The editor says which mend runs it, then waits to be killed with it.
cat >"$WORK/editor" <<EOF
#!/usr/bin/env bash
p=\$PPID
[ "\$(ps -o comm= -p "\$p")" = mend ] || p=\$(ps -o ppid= -p "\$p" | tr -d ' ')
echo "\$p" >"$WORK/mend.pid"
echo "\$1" >"$WORK/draft.path"
sleep 30
EOF
chmod +x "$WORK/editor"
export EDITOR="$WORK/editor"
unset VISUAL

for sig in TERM HUP INT QUIT; do
  for cmd in "open Bob" "note 1"; do
    rm -f "$WORK/mend.pid" "$WORK/draft.path"
    # shellcheck disable=SC2086
    script -qec "$(printf '%q' "$MEND") $cmd" /dev/null </dev/null >"$WORK/tty.out" 2>&1 &
    runner=$!
    for _ in $(seq 200); do [ -s "$WORK/draft.path" ] && break; sleep 0.05; done
    [ -s "$WORK/draft.path" ] || die "mend $cmd: the editor never started"
    draft=$(cat "$WORK/draft.path")
    [ -e "$draft" ] || die "mend $cmd: no draft at $draft while the editor is open"
    kill -s "$sig" "$(cat "$WORK/mend.pid")"
    wait "$runner" || true
    pkill -f "$WORK/editor" 2>/dev/null || true
    [ ! -e "$draft" ] || die "mend $cmd: SIG$sig left the draft $draft behind"
    leftover=$(find "$TMPDIR" -mindepth 1 | head -1)
    [ -z "$leftover" ] || die "mend $cmd: SIG$sig left $leftover in the temporary folder"
    expect_eq "$(count "$MEND_DB" 'SELECT count(*) FROM cases')" 1 "cases after SIG$sig in mend $cmd"
    expect_eq "$(count "$MEND_DB" 'SELECT count(*) FROM events')" 1 "events after SIG$sig in mend $cmd"
  done
done
echo "editor signals: SIGTERM, SIGHUP, SIGINT and SIGQUIT while \$EDITOR was open for open and note left no draft and wrote nothing"
