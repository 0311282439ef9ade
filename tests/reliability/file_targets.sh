#!/usr/bin/env bash
# Every command that writes a file refuses to write it over the open database
# or one of its own files (-wal, -shm, -journal), whatever the spelling of the
# path: the same name, another path to it (.., a folder reached through a
# symbolic link), a hard link. Each refusal is exit 73 with one `mend:` line,
# and the database stays whole, with every case. Writing into a folder reached
# through a symbolic link still works.
source "$(dirname "$0")/lib.sh"
MEND=$(realpath "$MEND")
export MEND_NOW=2026-11-23T14:05:00Z
mkdir -p "$WORK/data" "$WORK/out"
ln -s "$WORK/data" "$WORK/linked"
ln -s "$WORK/out" "$WORK/outlink"
export MEND_DB="$WORK/data/cases.db"
for i in 1 2 3; do "$MEND" open "Customer $i" "case $i" -q >/dev/null; done
# A reader keeps the -wal and -shm in place while the writers below run, as
# another mend would; SQLite removes them when the last connection closes.
# (Its output goes nowhere, so the test's own output ends when the test does.)
mkfifo "$WORK/reader.in"
sqlite3 "$MEND_DB" <"$WORK/reader.in" >/dev/null 2>&1 &
reader=$!
exec 9>"$WORK/reader.in"
echo 'SELECT count(*) FROM cases;' >&9
trap 'exec 9>&-; wait $reader 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
for _ in $(seq 100); do [ -e "$MEND_DB-shm" ] && break; sleep 0.05; done
ln "$MEND_DB" "$WORK/data/hardlink.db"

checked=0
# refused TARGET ARGS...: mend ARGS must refuse with 73 and change nothing.
refused() {
  local target="$1"
  shift
  local before
  before=$(sqlite3 "$MEND_DB" 'SELECT group_concat(id) FROM cases')
  set +e
  "$MEND" "$@" >"$WORK/out.txt" 2>"$WORK/err.txt"
  local rc=$?
  set -e
  expect_eq "$rc" 73 "mend $* (exit code)"
  [ ! -s "$WORK/out.txt" ] || die "mend $*: wrote to stdout on error"
  expect_eq "$(wc -l <"$WORK/err.txt")" 1 "mend $*: lines on stderr"
  grep -q '^mend: .*database' "$WORK/err.txt" || die "mend $*: the message does not name the database: $(cat "$WORK/err.txt")"
  expect_eq "$(integrity "$MEND_DB")" ok "integrity after mend $*"
  expect_eq "$(sqlite3 "$MEND_DB" 'SELECT group_concat(id) FROM cases')" "$before" "cases after mend $*"
  case "$target" in
    *-journal) [ ! -e "$target" ] || die "mend $*: created $target" ;;
  esac
  checked=$((checked + 1))
}

for target in "$MEND_DB" "$MEND_DB-wal" "$MEND_DB-shm" "$MEND_DB-journal" \
  "$WORK/data/../data/cases.db" "$WORK/linked/cases.db" "$WORK/linked/cases.db-wal" \
  "$WORK/data/hardlink.db"; do
  [ "$target" = "$MEND_DB-journal" ] || [ -e "$target" ] || die "set-up: $target should exist"
  refused "$target" export --force -o "$target"
  refused "$target" export --format csv --force -o "$target"
  refused "$target" backup --force "$target"
  if [ -e "$target" ]; then
    refused "$target" export -o "$target"
    refused "$target" backup "$target"
  fi
done
# A relative spelling, from inside the folder.
(cd "$WORK/data" && refused cases.db export --force -o cases.db)
(cd "$WORK/data" && refused cases.db backup --force ./cases.db)

# Files into a folder reached through a link are fine.
"$MEND" export -o "$WORK/outlink/cases.jsonl" -q
expect_eq "$(wc -l <"$WORK/out/cases.jsonl")" 3 "export through a linked folder"
"$MEND" backup "$WORK/outlink/copy.db" -q
expect_eq "$(count "$WORK/out/copy.db" 'SELECT count(*) FROM cases')" 3 "backup through a linked folder"
# And through a database path whose folder is a link.
MEND_DB="$WORK/linked/cases.db" "$MEND" backup "$WORK/outlink/copy2.db" -q
MEND_DB="$WORK/linked/cases.db" refused "$WORK/data/cases.db" backup --force "$WORK/data/cases.db"
echo "file targets: $checked writes over the database or its -wal/-shm/-journal refused (same name, ../, linked folder, hard link, relative path); exports and backups through linked folders work"
