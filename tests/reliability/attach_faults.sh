#!/usr/bin/env bash
# `mend attach` under faults: kill -9 at random moments while a large file is
# streamed in, a full file system, a file that grows or shrinks while it is
# read, and a huge sparse file. After each: integrity ok, and either the
# attachment row with a blob whose bytes hash to its sha256, or neither (no
# orphan blob rows); refusals exit with the SPEC's code and one `mend:` line.
# Usage: attach_faults.sh MEND [KILLS] [SHRINK_TRIES]
source "$(dirname "$0")/lib.sh"
KILLS="$(scaled "${2:-20}")"
SHRINK_TRIES="${3:-20}"
mkdir -p "$HOME/.config/mend"
printf 'max_attachment = 100000000\n' >"$HOME/.config/mend/config.toml"
MIB=$((1024 * 1024))

# A random pause of 1 to MAX ms.
pause() {
  local max=$1 ms
  ms=$(((RANDOM * 32768 + RANDOM) % max + 1))
  sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
}
elapsed_ms() { echo $((($(date +%s%N) - $1) / 1000000)); }
# Blob rows no attachment refers to, and rows of a write left half-way.
orphans() {
  count "$1" "SELECT count(*) FROM blobs WHERE NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = blobs.sha256) OR sha256 LIKE 'pending:%'"
}
# verify_case DB ID: `mend evidence` writes the case's files into a fresh
# folder and every one of them hashes to what SHA256SUMS (the stored sha256)
# says; the stored size is the size of the bytes written.
verify_case() {
  local db="$1" id="$2" out="$WORK/evidence-$RANDOM$RANDOM"
  MEND_DB="$db" "$MEND" evidence "$id" -o "$out" >/dev/null || die "evidence of case $id failed"
  (cd "$out" && sha256sum --quiet -c SHA256SUMS) || die "case $id: stored bytes do not hash to the stored sha256"
  local n
  n=$(count "$db" "SELECT count(*) FROM attachments WHERE case_id = $id")
  expect_eq "$(($(wc -l <"$out/SHA256SUMS") - 1))" "$n" "files in the evidence of case $id"
  while IFS='|' read -r name size sha; do
    expect_eq "$(stat -c %s "$out/$name")" "$size" "size of $name in case $id"
    expect_eq "$(sha256sum "$out/$name" | cut -d' ' -f1)" "$sha" "sha256 of $name in case $id"
  done < <(count "$db" "SELECT name, size, sha256 FROM attachments WHERE case_id = $id")
  rm -rf "$out"
}

# --- 1. kill -9 during the attach of a 20 MiB file --------------------------
big="$WORK/big.bin"
head -c $((20 * MIB)) /dev/urandom >"$big"
# How long one whole attach takes here: the kills land at random moments in it.
MEND_DB="$WORK/timing.db" "$MEND" open "Timing" "timing" -q >/dev/null
start=$(date +%s%N)
MEND_DB="$WORK/timing.db" "$MEND" attach 1 "$big" -q >/dev/null
attach_ms=$(($(elapsed_ms "$start") + 1))
rm -f "$WORK"/timing.db*
"$MEND" open "Seed" "before the kills" -q >/dev/null
killed=0 finished=0 kept=0 lost=0
for ((k = 0; k < KILLS; k++)); do
  id=$("$MEND" open "Victim $k" "kill round $k" -q)
  # Different bytes each round, so every round streams a new blob.
  printf 'round %08d' "$k" | dd of="$big" conv=notrunc status=none
  "$MEND" attach "$id" "$big" -q >/dev/null 2>&1 &
  pid=$!
  pause $((attach_ms * 12 / 10 + 1))
  kill -9 "$pid" 2>/dev/null || true
  if wait "$pid" 2>/dev/null; then finished=$((finished + 1)); else killed=$((killed + 1)); fi
  expect_eq "$(integrity "$MEND_DB")" ok "integrity after attach kill $k"
  expect_eq "$(orphans "$MEND_DB")" 0 "orphan or half-written blob rows after attach kill $k"
  rows=$(count "$MEND_DB" "SELECT count(*) FROM attachments WHERE case_id = $id")
  events=$(count "$MEND_DB" "SELECT count(*) FROM events WHERE case_id = $id AND kind = 'attached'")
  expect_eq "$events" "$rows" "attached events beside the attachment rows after kill $k"
  case "$rows" in
    0) lost=$((lost + 1)) ;;
    1)
      expect_eq "$(count "$MEND_DB" "SELECT size FROM attachments WHERE case_id = $id")" $((20 * MIB)) "size after kill $k"
      verify_case "$MEND_DB" "$id"
      kept=$((kept + 1))
      ;;
    *) die "attach kill $k: $rows attachment rows for one attach" ;;
  esac
done
# A round that kept nothing was killed inside the attach (its transaction
# rolled back); a killed round that kept the file was killed after its commit.
if ((lost == 0 && MEND_RELIABILITY_DIVISOR == 1)); then
  die "no kill interrupted an attach: the file is too small for this machine"
fi
"$MEND" attach 1 "$big" -q >/dev/null || die "mend cannot attach after the kills"
verify_case "$MEND_DB" 1
echo "kill -9 during attach: $KILLS kills during the attach of a 20 MiB file ($attach_ms ms whole): $killed killed ($lost inside the attach: nothing kept; $((killed - lost)) after its commit), $finished finished; $kept attachments kept, each hashing to its sha256, no orphan blob, integrity ok"

# --- 2. A full file system -----------------------------------------------------
mkdir "$WORK/tmpfs"
if unshare -rm mount -t tmpfs -o size=1m tmpfs "$WORK/tmpfs" 2>/dev/null; then
  head -c $((8 * MIB)) /dev/urandom >"$WORK/eight.bin"
  seed="$WORK/seed.db"
  MEND_DB="$seed" "$MEND" open "Ada" "full disk" -q >/dev/null
  printf 'small\n' >"$WORK/small.txt"
  MEND_DB="$seed" "$MEND" attach 1 "$WORK/small.txt" -q >/dev/null
  sqlite3 "$seed" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
  # 2 MiB free beside the database: less than the 8 MiB file.
  cat >"$WORK/full.sh" <<INNER
set -e
mount -t tmpfs -o size=$(($(stat -c %s "$seed") / 1024 + 2048))k tmpfs "$WORK/tmpfs"
cp "$seed" "$WORK/tmpfs/cases.db"
sqlite3 "$WORK/tmpfs/cases.db" .dump >"$WORK/tmpfs-before"
set +e
MEND_DB="$WORK/tmpfs/cases.db" "$MEND" attach 1 "$WORK/eight.bin" >"$WORK/out" 2>"$WORK/err"
echo \$? >"$WORK/tmpfs-code"
sqlite3 "$WORK/tmpfs/cases.db" .dump >"$WORK/tmpfs-after"
sqlite3 "$WORK/tmpfs/cases.db" 'PRAGMA integrity_check' >"$WORK/tmpfs-integrity"
sqlite3 "$WORK/tmpfs/cases.db" 'SELECT count(*) FROM attachments; SELECT count(*) FROM blobs' >"$WORK/tmpfs-rows"
MEND_DB="$WORK/tmpfs/cases.db" "$MEND" attach 1 "$WORK/small.txt" --name again.txt -q >/dev/null
echo \$? >"$WORK/tmpfs-code2"
INNER
  unshare -rm bash "$WORK/full.sh"
  expect_eq "$(cat "$WORK/tmpfs-code")" 74 "attach on a full file system"
  [ ! -s "$WORK/out" ] || die "attach on a full file system: stdout not empty"
  [ "$(wc -l <"$WORK/err")" = 1 ] && grep -q '^mend: ' "$WORK/err" ||
    die "attach on a full file system: stderr is not one mend: line: $(cat "$WORK/err")"
  cmp -s "$WORK/tmpfs-before" "$WORK/tmpfs-after" || die "the database changed on a full file system"
  expect_eq "$(cat "$WORK/tmpfs-integrity")" ok "integrity on a full file system"
  expect_eq "$(tr '\n' ' ' <"$WORK/tmpfs-rows")" "1 1 " "attachment and blob rows after the full file system"
  expect_eq "$(cat "$WORK/tmpfs-code2")" 0 "a small attach after the full file system"
  echo "full file system: an 8 MiB attach with 2 MiB free exits 74 with one mend: line ($(cat "$WORK/err")); no attachment or blob row, integrity ok, a small attach works after"
else
  echo "attach_faults: a tmpfs cannot be mounted with unshare -rm here; the full file system case was skipped"
fi

# --- 3. A file that grows or shrinks while it is read ----------------------
db3="$WORK/changing.db"
MEND_DB="$db3" "$MEND" open "Grace" "changing files" -q >/dev/null
# Growing: a writer appends to the file for the whole attach. Whatever size
# mend reads, the stored sha256 is that of the stored bytes.
grow="$WORK/growing.log"
head -c $((16 * MIB)) /dev/urandom >"$grow"
(while :; do head -c 65536 /dev/urandom >>"$grow"; done) &
writer=$!
before_size=$(stat -c %s "$grow")
set +e
MEND_DB="$db3" "$MEND" attach 1 "$grow" -q >/dev/null 2>"$WORK/err"
code=$?
set -e
kill "$writer" 2>/dev/null || true
wait "$writer" 2>/dev/null || true
after_size=$(stat -c %s "$grow")
expect_eq "$code" 0 "attach of a growing file (stderr: $(cat "$WORK/err"))"
stored=$(count "$db3" "SELECT size FROM attachments WHERE name = 'growing.log'")
((stored >= before_size && stored <= after_size)) ||
  die "growing file: stored $stored bytes, not between $before_size and $after_size"
verify_case "$db3" 1
expect_eq "$(integrity "$db3")" ok "integrity after the growing file"
echo "growing file: the file grew from $before_size to $after_size bytes during the attach; $stored bytes kept, their sha256 matches"

# Shrinking: the file is cut to half its size at a random moment of the attach.
# Cut before mend opens it, the half is kept whole; cut while it is read, 65
# "changed while it was read" and nothing kept; cut after, the whole is kept.
shrink="$WORK/shrinking.bin"
head -c $((20 * MIB)) /dev/urandom >"$WORK/shrink-src"
refused=0 whole=0 half=0
for ((t = 0; t < SHRINK_TRIES; t++)); do
  cp "$WORK/shrink-src" "$shrink"
  printf 'try %08d' "$t" | dd of="$shrink" conv=notrunc status=none
  id=$(MEND_DB="$db3" "$MEND" open "Grace" "shrink try $t" -q)
  MEND_DB="$db3" "$MEND" attach "$id" "$shrink" >"$WORK/out" 2>"$WORK/err" &
  pid=$!
  pause $((attach_ms / 2 + 1))
  truncate -s $((10 * MIB)) "$shrink"
  set +e
  wait "$pid"
  code=$?
  set -e
  rows=$(count "$db3" "SELECT count(*) FROM attachments WHERE case_id = $id")
  expect_eq "$(orphans "$db3")" 0 "orphan blob rows after shrink try $t"
  case "$code" in
    65)
      grep -q '^mend: .*changed while it was read' "$WORK/err" || die "shrink try $t: 65 without saying the file changed: $(cat "$WORK/err")"
      [ "$(wc -l <"$WORK/err")" = 1 ] || die "shrink try $t: more than one line on stderr"
      [ ! -s "$WORK/out" ] || die "shrink try $t: stdout not empty on 65"
      expect_eq "$rows" 0 "attachments kept after a refused shrinking file"
      refused=$((refused + 1))
      ;;
    0)
      expect_eq "$rows" 1 "attachments after shrink try $t"
      size=$(count "$db3" "SELECT size FROM attachments WHERE case_id = $id")
      case "$size" in
        $((20 * MIB))) whole=$((whole + 1)) ;;
        $((10 * MIB))) half=$((half + 1)) ;;
        *) die "shrink try $t: kept $size bytes, neither the whole nor the half" ;;
      esac
      verify_case "$db3" "$id"
      ;;
    *) die "shrink try $t: exit $code ($(cat "$WORK/err"))" ;;
  esac
  ((refused < 3)) || break
done
expect_eq "$(integrity "$db3")" ok "integrity after the shrinking files"
((refused > 0 || MEND_RELIABILITY_DIVISOR > 1)) ||
  die "no cut landed while the file was read in $SHRINK_TRIES tries"
echo "shrinking file: $((t < SHRINK_TRIES ? t + 1 : t)) tries: $refused refused with 65 'changed while it was read' and nothing kept, $whole kept whole (cut after the read), $half kept the half (cut before the open); every kept one hashes to its sha256"

# --- 4. A 2 GiB sparse file: refused by its size, without reading it -------
truncate -s 2G "$WORK/sparse.img"
before=$(count "$db3" "SELECT count(*) FROM attachments")
start=$(date +%s%N)
run_expect 65 "a 2 GiB sparse file" -- env MEND_DB="$db3" timeout 10 "$MEND" attach 1 "$WORK/sparse.img"
sparse_ms=$(elapsed_ms "$start")
grep -q 'max_attachment' "$WORK/err" || die "the 2 GiB refusal does not name max_attachment: $(cat "$WORK/err")"
expect_eq "$(count "$db3" "SELECT count(*) FROM attachments")" "$before" "attachments after the 2 GiB refusal"
expect_eq "$(orphans "$db3")" 0 "orphan blob rows after the 2 GiB refusal"
echo "2 GiB sparse file: refused with 65 in $sparse_ms ms, naming max_attachment; nothing kept"
