#!/usr/bin/env bash
# Fault files and hostile paths: each gets a clear one-line `mend:` error, the
# SPEC's exit code, and nothing half-written.
source "$(dirname "$0")/lib.sh"
chmod 755 "$WORK"


as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
# The build folder may not be reachable by that user: give it its own copy.
NOBODY_MEND="$WORK/bin/mend"
mkdir -m 755 "$WORK/bin"
cp "$MEND" "$NOBODY_MEND"
chmod 755 "$NOBODY_MEND"

# A good database to damage.
good="$WORK/good.db"
MEND_DB="$good" "$MEND" open "Ada" "first" -q >/dev/null
for i in $(seq 2 60); do MEND_DB="$good" "$MEND" open "C$i" "complaint $i" -m "$(head -c 2000 /dev/zero | tr '\0' y)" -q >/dev/null; done

# Not a database at all.
printf 'shopping list\n' >"$WORK/junk.db"
run_expect 74 "not a database" -- env MEND_DB="$WORK/junk.db" "$MEND" list
expect_eq "$(cat "$WORK/junk.db")" "shopping list" "junk file after refusal"
run_expect 74 "not a database (write)" -- env MEND_DB="$WORK/junk.db" "$MEND" open X Y

# Truncated database.
cp "$good" "$WORK/trunc.db"
truncate -s 8192 "$WORK/trunc.db"
run_expect 74 "truncated database" -- env MEND_DB="$WORK/trunc.db" "$MEND" list
grep -qi 'corrupt\|malformed\|not a mend' "$WORK/err" || die "truncated: message does not say what is wrong"

# An empty file is an empty database: it works.
: >"$WORK/empty.db"
MEND_DB="$WORK/empty.db" "$MEND" open "Ada" "on an empty file" -q >/dev/null || die "empty file refused"
tried=$((tried + 1))

# A database from a newer mend.
cp "$good" "$WORK/newer.db"
sqlite3 "$WORK/newer.db" 'PRAGMA user_version = 99'
run_expect 74 "newer schema" -- env MEND_DB="$WORK/newer.db" "$MEND" list
grep -q 'newer mend' "$WORK/err" || die "newer: message does not say so"

# A symbolic link planted at the database path.
ln -s "$good" "$WORK/link.db"
run_expect 74 "symlink at the database path" -- env MEND_DB="$WORK/link.db" "$MEND" list

# A folder where the database should be.
mkdir "$WORK/dir.db"
run_expect 74 "a folder at the database path" -- env MEND_DB="$WORK/dir.db" "$MEND" list

# The database folder cannot be created.
: >"$WORK/afile"
run_expect 73 "folder cannot be created" -- env MEND_DB="$WORK/afile/sub/cases.db" "$MEND" list

# Permission faults need a user that permissions apply to (CI runs as root).
mkdir -m 777 "$WORK/perm"
cp "$good" "$WORK/perm/zero.db"
chmod 000 "$WORK/perm/zero.db"
run_expect 74 "zero-permission database" -- as_nobody env HOME="$WORK/perm" MEND_DB="$WORK/perm/zero.db" "$NOBODY_MEND" list

cp "$good" "$WORK/perm/ro.db"
chmod 444 "$WORK/perm/ro.db"
before=$(sqlite3 "$WORK/perm/ro.db" .dump)
run_expect 74 "read-only database, write" -- as_nobody env HOME="$WORK/perm" MEND_DB="$WORK/perm/ro.db" "$NOBODY_MEND" open X Y
grep -q 'read-only' "$WORK/err" || die "read-only: message does not say so: $(cat "$WORK/err")"
expect_eq "$(sqlite3 "$WORK/perm/ro.db" .dump)" "$before" "read-only database after the refused write"

mkdir -m 777 "$WORK/perm/rodir"
MEND_DB="$WORK/perm/rodir/cases.db" "$MEND" open "Ada" "x" -q >/dev/null
chmod 666 "$WORK/perm/rodir/cases.db"
chmod 555 "$WORK/perm/rodir"
run_expect 74 "database in a read-only folder, write" -- as_nobody env HOME="$WORK/perm" MEND_DB="$WORK/perm/rodir/cases.db" "$NOBODY_MEND" open X Y
chmod 755 "$WORK/perm/rodir"
expect_eq "$(count "$WORK/perm/rodir/cases.db" 'SELECT count(*) FROM cases')" 1 "cases after the refused write"

mkdir -m 555 "$WORK/perm/noperm"
run_expect 73 "cannot create the database in a read-only folder" -- as_nobody env HOME="$WORK/perm" MEND_DB="$WORK/perm/noperm/cases.db" "$NOBODY_MEND" open X Y

# Disk full: the file size limit stops a big write half-way.
cp "$good" "$WORK/full.db"
before=$(sqlite3 "$WORK/full.db" .dump)
size_kb=$(($(stat -c %s "$WORK/full.db") / 1024 + 40))
head -c 400000 /dev/urandom | base64 >"$WORK/huge.txt"
run_expect 74 "disk full (ulimit -f)" -- bash -c "ulimit -f $size_kb; MEND_DB='$WORK/full.db' exec '$MEND' open Big Write -F '$WORK/huge.txt'"
expect_eq "$(sqlite3 "$WORK/full.db" .dump)" "$before" "database after the disk-full write"
expect_eq "$(integrity "$WORK/full.db")" ok "integrity after disk full"

# stdout that cannot be written.
set +e
MEND_DB="$good" "$MEND" list >/dev/full 2>"$WORK/err"
code=$?
set -e
expect_eq "$code" 74 "list > /dev/full"
tried=$((tried + 1))

# Truncated and garbage databases, for every command that reads.
cp "$good" "$WORK/garbage.db"
# Keep page 1 (the header and the schema) and overwrite pages 2 to 9 with text.
awk 'BEGIN { for (i = 0; i < 1024; i++) printf "not a b-tree page %013d\n", i }' |
  dd of="$WORK/garbage.db" bs=4096 seek=1 count=8 iflag=fullblock conv=notrunc status=none
head -c 65536 /dev/urandom >"$WORK/random.db"
read_cmds=("list" "show 1" "show 40")
has_cmd report && read_cmds+=("report" "report --format json")
has_cmd export && read_cmds+=("export" "export --format csv")
has_cmd followup && read_cmds+=("followup")
has_cmd backup && read_cmds+=("backup $WORK/from-damaged.bak")
for db in trunc garbage random; do
  for cmd in "${read_cmds[@]}"; do
    # `followup` reads only two small partial indexes, which the garbage pages
    # need not cover: SQLite cannot notice damage it never reads.
    [ "$db/$cmd" = "garbage/followup" ] && continue
    before=$(sha256sum <"$WORK/$db.db")
    # shellcheck disable=SC2086
    run_expect 74 "$cmd on a $db database" -- env MEND_DB="$WORK/$db.db" "$MEND" $cmd
    expect_eq "$(sha256sum <"$WORK/$db.db")" "$before" "$db database after $cmd"
    rm -f "$WORK/from-damaged.bak"
  done
done

# A symbolic link planted where mend writes a file: refused, the target untouched.
echo "precious" >"$WORK/precious"
for force in "" "--force"; do
  ln -sf "$WORK/precious" "$WORK/planted"
  if has_cmd backup; then
    run_expect 73 "symlink at the backup target $force" -- env MEND_DB="$good" "$MEND" backup "$WORK/planted" $force
    grep -q 'symbolic link' "$WORK/err" || die "backup: message does not name the link: $(cat "$WORK/err")"
  fi
  if has_cmd export; then
    run_expect 73 "symlink at the export -o target $force" -- env MEND_DB="$good" "$MEND" export -o "$WORK/planted" $force
    grep -q 'symbolic link' "$WORK/err" || die "export: message does not name the link: $(cat "$WORK/err")"
  fi
  expect_eq "$(cat "$WORK/precious")" "precious" "the link's target"
  [ -L "$WORK/planted" ] || die "the planted link was replaced"
done
# A dangling link (the classic /tmp attack: make mend create the target).
ln -sf "$WORK/created-through-link" "$WORK/dangling"
if has_cmd backup; then
  run_expect 73 "dangling symlink at the backup target" -- env MEND_DB="$good" "$MEND" backup "$WORK/dangling"
fi
if has_cmd export; then
  run_expect 73 "dangling symlink at the export -o target" -- env MEND_DB="$good" "$MEND" export -o "$WORK/dangling"
fi
[ ! -e "$WORK/created-through-link" ] || die "mend created a file through a dangling link"

# stdout full for every command that prints much.
full_cmds=("list" "show 1")
has_cmd report && full_cmds+=("report" "report --format html" "report --format csv")
has_cmd export && full_cmds+=("export" "export --format csv")
for cmd in "${full_cmds[@]}"; do
  set +e
  # shellcheck disable=SC2086
  MEND_DB="$good" "$MEND" $cmd >/dev/full 2>"$WORK/err"
  code=$?
  set -e
  expect_eq "$code" 74 "$cmd > /dev/full"
  grep -q '^mend: ' "$WORK/err" || die "$cmd > /dev/full: no mend: message"
  tried=$((tried + 1))
done
if has_cmd import; then
  make_import_file 2000 "$WORK/big.jsonl"
  # Disk full during an import, by file size limit: 74, the database unchanged.
  cp "$good" "$WORK/full.db"
  before=$(sqlite3 "$WORK/full.db" .dump)
  size_kb=$(($(stat -c %s "$WORK/full.db") / 1024 + 200))
  run_expect 74 "disk full during import (ulimit -f)" -- bash -c "ulimit -f $size_kb; MEND_DB='$WORK/full.db' exec '$MEND' import '$WORK/big.jsonl'"
  expect_eq "$(sqlite3 "$WORK/full.db" .dump)" "$before" "database after the disk-full import"
  expect_eq "$(integrity "$WORK/full.db")" ok "integrity after the disk-full import"
  # A really full file system: a tmpfs in a private mount namespace with
  # 300 kB free beside the database.
  mkdir "$WORK/tmpfs"
  if unshare -rm mount -t tmpfs -o size=1m tmpfs "$WORK/tmpfs" 2>/dev/null; then
    cat >"$WORK/full.sh" <<INNER
set -e
mount -t tmpfs -o size=$(($(stat -c %s "$good") / 1024 + 300))k tmpfs "$WORK/tmpfs"
cp "$good" "$WORK/tmpfs/cases.db"
sqlite3 "$WORK/tmpfs/cases.db" .dump >"$WORK/tmpfs-before"
set +e
MEND_DB="$WORK/tmpfs/cases.db" "$MEND" import "$WORK/big.jsonl" >"$WORK/out" 2>"$WORK/err"
echo \$? >"$WORK/tmpfs-code"
MEND_DB="$WORK/tmpfs/cases.db" "$MEND" open "Big" "write" -F "$WORK/huge.txt" >"$WORK/out2" 2>"$WORK/err2"
echo \$? >"$WORK/tmpfs-code2"
sqlite3 "$WORK/tmpfs/cases.db" .dump >"$WORK/tmpfs-after"
sqlite3 "$WORK/tmpfs/cases.db" 'PRAGMA integrity_check' >"$WORK/tmpfs-integrity"
INNER
    unshare -rm bash "$WORK/full.sh"
    expect_eq "$(cat "$WORK/tmpfs-code")" 74 "import on a full file system"
    [ ! -s "$WORK/out" ] || die "import on a full file system: stdout not empty"
    grep -q '^mend: .*\(full\|space\)' "$WORK/err" || die "full file system: message does not say so: $(cat "$WORK/err")"
    expect_eq "$(cat "$WORK/tmpfs-code2")" 74 "open on a full file system"
    cmp -s "$WORK/tmpfs-before" "$WORK/tmpfs-after" || die "the database changed on a full file system"
    expect_eq "$(cat "$WORK/tmpfs-integrity")" ok "integrity on a full file system"
    tried=$((tried + 2))
  else
    echo "faults: a tmpfs cannot be mounted with unshare -rm here; the full file system case was skipped"
  fi
fi

echo "faults: $tried fault cases tried, each with its exit code, one mend: line, nothing written"
