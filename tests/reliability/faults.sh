#!/usr/bin/env bash
# Fault files and hostile paths: each gets a clear one-line `mend:` error, the
# SPEC's exit code, and nothing half-written.
source "$(dirname "$0")/lib.sh"
chmod 755 "$WORK"
tried=0

# run_expect CODE DESCRIPTION -- command...: runs, checks the exit code, that
# stdout is empty and that stderr is one `mend:` line.
run_expect() {
  local want="$1" what="$2"
  shift 3
  set +e
  "$@" >"$WORK/out" 2>"$WORK/err"
  local got=$?
  set -e
  [ "$got" = "$want" ] || die "$what: exit $got, expected $want (stderr: $(cat "$WORK/err"))"
  [ ! -s "$WORK/out" ] || die "$what: stdout not empty"
  [ "$(wc -l <"$WORK/err")" = 1 ] && grep -q '^mend: ' "$WORK/err" ||
    die "$what: stderr is not one mend: line: $(cat "$WORK/err")"
  tried=$((tried + 1))
}

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

echo "faults: $tried fault cases tried, each with its exit code, one mend: line, nothing written"
