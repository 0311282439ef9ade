#!/usr/bin/env bash
# Hostile and damaged databases: links in the path, planted -wal/-shm files,
# strange user_version values, planted schema objects, broken foreign keys.
# Each is either handled or refused with one clear `mend:` line and the
# SPEC's exit code.
source "$(dirname "$0")/lib.sh"
chmod 755 "$WORK"

# says DESCRIPTION REGEX: the last error names what is wrong.
says() { grep -qiE "$2" "$WORK/err" || die "$1: message does not say /$2/: $(cat "$WORK/err")"; }
ok() { "$@" >/dev/null 2>"$WORK/err" || die "$* failed: $(cat "$WORK/err")"; tried=$((tried + 1)); }

# --- Symbolic links in the path -------------------------------------------
# A home folder that is a link (dotfile managers, /home on another disk), and
# a ~/.local/share inside it that is a link too: every command works.
mkdir -p "$WORK/real-home" "$WORK/real-share"
ln -s "$WORK/real-home" "$WORK/home"
mkdir -p "$WORK/real-home/.local"
ln -s "$WORK/real-share" "$WORK/real-home/.local/share"
(
  export HOME="$WORK/home"
  unset MEND_DB
  ok "$MEND" open "Ada" "through links" -q
  ok "$MEND" list
  ok "$MEND" followup
  ok "$MEND" show 1
  # Backups and exports into a folder reached through a link.
  ok "$MEND" backup "$WORK/home/copy.db"
  ok "$MEND" export -o "$WORK/home/all.jsonl"
)
[ -s "$WORK/real-share/mend/cases.db" ] || die "the database is not where the links lead"
expect_eq "$(count "$WORK/real-share/mend/cases.db" 'SELECT count(*) FROM cases')" 1 "cases through links"
ls "$WORK"/real-home/copy.db-* >/dev/null 2>&1 && die "backup left files beside the copy: $(ls "$WORK"/real-home/copy.db-*)"
expect_eq "$(integrity "$WORK/real-home/copy.db")" ok "backup through a linked folder"
[ -s "$WORK/real-home/all.jsonl" ] || die "export through a linked folder is empty"
# A link at the database file itself is still refused, naming the link.
ln -s "$WORK/real-share/mend/cases.db" "$WORK/link.db"
run_expect 74 "a link at the database file" -- env MEND_DB="$WORK/link.db" "$MEND" list
says "a link at the database file" 'symbolic link'
# A planted -shm or -wal that is a link: refused, naming the link.
MEND_DB="$WORK/links.db" "$MEND" open "Ada" "x" -q >/dev/null
for suffix in -shm -wal; do
  rm -f "$WORK/links.db-shm" "$WORK/links.db-wal"
  : >"$WORK/elsewhere"
  ln -s "$WORK/elsewhere" "$WORK/links.db$suffix"
  run_expect 74 "a link at $suffix" -- env MEND_DB="$WORK/links.db" "$MEND" list
  says "a link at $suffix" "links\.db$suffix.*symbolic link"
  [ ! -s "$WORK/elsewhere" ] || die "mend wrote through the $suffix link"
  rm -f "$WORK/links.db$suffix"
done

# --- Planted -wal/-shm files in a shared folder ---------------------------
# In a sticky world-writable folder (like /tmp) another user can create
# cases.db-wal before mend does and read what mend writes into it. CI runs as
# root, which owns what it creates: the mode case uses 0666, the owner case
# a file given to nobody.
mkdir -m 1777 "$WORK/shared"
MEND_DB="$WORK/shared/cases.db" "$MEND" open "Ada" "in a shared folder" -q >/dev/null
for suffix in -wal -shm; do
  planted="$WORK/shared/cases.db$suffix"
  : >"$planted"
  chmod 666 "$planted"
  run_expect 74 "a $suffix others can read and write" -- env MEND_DB="$WORK/shared/cases.db" "$MEND" list
  says "a $suffix others can read and write" "cases\.db$suffix"
  expect_eq "$(stat -c %s "$planted")" 0 "the planted $suffix after the refusal"
  rm -f "$planted"
  [ "$(id -u)" = 0 ] || continue  # giving a file away needs root
  : >"$planted"
  chmod 600 "$planted"
  chown nobody "$planted"
  run_expect 74 "a $suffix owned by another user" -- env MEND_DB="$WORK/shared/cases.db" "$MEND" open "Bob" "secret"
  says "a $suffix owned by another user" "cases\.db$suffix.*(own|user)"
  expect_eq "$(stat -c %s "$planted")" 0 "the planted $suffix after the refusal"
  rm -f "$planted"
done
# With the planted files gone, the database opens as before.
ok env MEND_DB="$WORK/shared/cases.db" "$MEND" list
expect_eq "$(count "$WORK/shared/cases.db" 'SELECT count(*) FROM cases')" 1 "cases after the refusals"

# --- A user_version mend never writes -------------------------------------
good="$WORK/good.db"
MEND_DB="$good" "$MEND" open "Ada" "first" -q >/dev/null
MEND_DB="$good" "$MEND" open "Bob" "second" -q >/dev/null
for setting in "user_version = -1" "user_version = 0" "user_version = -9223372036854775808" \
  "application_id = 0; PRAGMA user_version = -1"; do
  cp "$good" "$WORK/version.db"
  sqlite3 "$WORK/version.db" "PRAGMA $setting"
  before=$(sha256sum <"$WORK/version.db")
  for cmd in "list" "open Cy third" "followup"; do
    # shellcheck disable=SC2086
    run_expect 74 "$setting, $cmd" -- env MEND_DB="$WORK/version.db" "$MEND" $cmd
    says "$setting, $cmd" 'version'
    expect_eq "$(sha256sum <"$WORK/version.db")" "$before" "the database after $setting, $cmd"
  done
  ls "$WORK"/version.db.v* >/dev/null 2>&1 && die "$setting: a migration copy was made"
done

# --- Schema objects mend did not create -----------------------------------
# A file with mend's application_id and a trigger that keeps a copy of what
# `forget` erases: refused before any command runs, naming the object.
cp "$good" "$WORK/planted.db"
sqlite3 "$WORK/planted.db" "CREATE TABLE loot(name, email);
  CREATE TRIGGER keep BEFORE UPDATE ON customers BEGIN INSERT INTO loot VALUES (old.name, old.email); END;"
before=$(sha256sum <"$WORK/planted.db")
for cmd in "forget 1 --yes" "list" "followup" "open Cy third" "backup $WORK/planted-copy.db"; do
  # shellcheck disable=SC2086
  run_expect 74 "a planted trigger, $cmd" -- env MEND_DB="$WORK/planted.db" "$MEND" $cmd
  says "a planted trigger, $cmd" '(trigger "?keep|table "?loot).*not create'
done
expect_eq "$(sha256sum <"$WORK/planted.db")" "$before" "the file with a planted trigger"
expect_eq "$(count "$WORK/planted.db" 'SELECT count(*) FROM loot')" 0 "rows the trigger kept"
[ ! -e "$WORK/planted-copy.db" ] || die "a backup of a planted file was made"
# One foreign object at a time: each is named.
plant() {
  cp "$good" "$WORK/planted.db"
  sqlite3 "$WORK/planted.db" "$1"
  run_expect 74 "$2" -- env MEND_DB="$WORK/planted.db" "$MEND" list
  says "$2" "$3"
}
plant "CREATE TRIGGER t1 AFTER INSERT ON cases BEGIN UPDATE events SET text = 'x'; END;" \
  "a trigger alone" 'trigger "?t1'
plant "CREATE VIEW v1 AS SELECT * FROM customers;" "a view" 'view "?v1'
plant "CREATE TABLE extra(x);" "an extra table" 'table "?extra'
plant "CREATE INDEX extra_ix ON cases(summary);" "an extra index" 'index "?extra_ix'
plant "ALTER TABLE customers ADD COLUMN notes TEXT;" "an altered table" 'table "?customers'
plant "PRAGMA writable_schema=ON;
  UPDATE sqlite_schema SET sql = replace(sql, 'name        TEXT NOT NULL', 'name TEXT')
   WHERE name = 'customers';" "a table with a changed definition" 'table "?customers'
plant "DROP INDEX cases_by_customer; CREATE INDEX cases_by_customer ON cases(customer_id, summary);" \
  "a mend index redefined" 'index "?cases_by_customer'
# SQLite's own statistics tables (ANALYZE, PRAGMA optimize) are fine.
cp "$good" "$WORK/analyzed.db"
sqlite3 "$WORK/analyzed.db" "ANALYZE"
ok env MEND_DB="$WORK/analyzed.db" "$MEND" list
ok env MEND_DB="$WORK/analyzed.db" "$MEND" open "Cy" "after analyze"

# --- SQLite's own reason, not a false "disk is full" ----------------------
# A case id at the largest number (an import before ids were bounded) makes
# AUTOINCREMENT fail with SQLITE_FULL on a disk with room to spare.
cp "$good" "$WORK/maxid.db"
sqlite3 "$WORK/maxid.db" "UPDATE sqlite_sequence SET seq = 9223372036854775807 WHERE name = 'cases'"
run_expect 74 "a case id at the largest number" -- env MEND_DB="$WORK/maxid.db" "$MEND" open "Cy" "third"
grep -qi 'the disk is full' "$WORK/err" && die "a full id space reported as a full disk: $(cat "$WORK/err")"
says "a case id at the largest number" 'database or disk is full.*(free|room|space)'
expect_eq "$(count "$WORK/maxid.db" 'SELECT count(*) FROM cases')" 2 "cases after the refused open"

# --- A case whose customer row is missing ---------------------------------
# Never silently left out: backup's check finds it, export and show refuse.
cp "$good" "$WORK/orphan.db"
sqlite3 "$WORK/orphan.db" "PRAGMA foreign_keys=OFF; DELETE FROM customers WHERE id = 2"
before=$(sha256sum <"$WORK/orphan.db")
run_expect 74 "backup with a missing customer" -- env MEND_DB="$WORK/orphan.db" "$MEND" backup "$WORK/orphan-copy.db"
says "backup with a missing customer" 'damaged.*customer of case #2.*foreign_key_check'
[ ! -e "$WORK/orphan-copy.db" ] || die "backup kept a copy it called bad"
ls "$WORK"/orphan-copy.db* >/dev/null 2>&1 && die "backup left files behind: $(ls "$WORK"/orphan-copy.db*)"
for format in jsonl csv; do
  run_expect 74 "export ($format) with a missing customer" -- env MEND_DB="$WORK/orphan.db" "$MEND" export --format "$format"
  says "export ($format) with a missing customer" 'damaged.*customer of case #2'
  run_expect 74 "export -o ($format) with a missing customer" -- \
    env MEND_DB="$WORK/orphan.db" "$MEND" export --format "$format" -o "$WORK/orphan.out"
  [ ! -e "$WORK/orphan.out" ] || die "export -o kept a file without case #2"
done
run_expect 74 "show of a case with a missing customer" -- env MEND_DB="$WORK/orphan.db" "$MEND" show 2
says "show of a case with a missing customer" 'damaged.*customer of case #2'
run_expect 74 "list with a missing customer" -- env MEND_DB="$WORK/orphan.db" "$MEND" list
says "list with a missing customer" 'damaged.*customer of case #2'
# The cron job too: a follow-up due on such a case is not passed over.
sqlite3 "$WORK/orphan.db" "UPDATE cases SET status = 'resolved', resolved_at = 1, followup_at = 2 WHERE id = 2"
before=$(sha256sum <"$WORK/orphan.db")
run_expect 74 "followup with a missing customer" -- env MEND_DB="$WORK/orphan.db" "$MEND" followup
says "followup with a missing customer" 'damaged.*customer of case #2'
expect_eq "$(sha256sum <"$WORK/orphan.db")" "$before" "the damaged database"
ok env MEND_DB="$WORK/orphan.db" "$MEND" show 1

# --- A backup that runs out of disk leaves nothing behind -----------------
# The target folder is a small tmpfs in a private mount namespace: too small
# for the copy, or big enough for the copy but not for files beside it.
if has_cmd import && unshare -rm true 2>/dev/null; then
  make_import_file 400 "$WORK/big.jsonl"
  MEND_DB="$WORK/big.db" "$MEND" import "$WORK/big.jsonl" >/dev/null
  mkdir "$WORK/small"
  db_kb=$(($(stat -c %s "$WORK/big.db") / 1024))
  for size in 256 $((db_kb + 4)) $((db_kb + 12)); do
    for force in "" "--force"; do
      cat >"$WORK/small.sh" <<INNER
set -e
mount -t tmpfs -o size=${size}k tmpfs "$WORK/small"
[ -z "$force" ] || echo old >"$WORK/small/copy.db"
set +e
MEND_DB="$WORK/big.db" "$MEND" backup "$WORK/small/copy.db" $force >"$WORK/out" 2>"$WORK/err"
echo \$? >"$WORK/small-code"
ls -A "$WORK/small" >"$WORK/small-left"
cat "$WORK/small/copy.db" >"$WORK/small-copy" 2>/dev/null || true
INNER
      unshare -rm bash "$WORK/small.sh"
      what="backup $force onto a ${size} kB file system"
      code=$(cat "$WORK/small-code")
      if [ "$code" = 0 ]; then
        expect_eq "$(cat "$WORK/small-left")" "copy.db" "files left by a $what"
        expect_eq "$(integrity "$WORK/small-copy")" ok "the copy of a $what"
      else
        expect_eq "$code" 74 "$what"
        [ ! -s "$WORK/out" ] || die "$what: stdout not empty"
        [ "$size" != 256 ] || says "$what" 'full|space'
        if [ -z "$force" ]; then
          expect_eq "$(cat "$WORK/small-left")" "" "files left by a failed $what"
        else
          expect_eq "$(cat "$WORK/small-left")" "copy.db" "files left by a failed $what"
          expect_eq "$(cat "$WORK/small-copy")" "old" "the file a failed $what would replace"
        fi
      fi
      tried=$((tried + 1))
    done
  done
else
  echo "hostile_db: no import or no unshare -rm here; the full-disk backup case was skipped"
fi

echo "hostile_db: $tried cases tried"
