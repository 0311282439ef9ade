#!/usr/bin/env bash
# Bad input everywhere, table-driven: each row is the exit code the SPEC asks
# for and a command line (bash words, so $'...' works). A failing row must give
# exactly one `mend:` line on stderr, nothing on stdout, and leave the database
# byte-for-byte as it was; no row may crash (exit 70 or a signal).
source "$(dirname "$0")/lib.sh"
export MEND_NOW=2026-11-23T14:05:00Z
"$MEND" open "Ada" "first" --email ada@example.com -q >/dev/null
if has_cmd resolve; then
  "$MEND" open "Bob" "to resolve" -q >/dev/null
  "$MEND" resolve 2 --outcome refund --amount 5 -q >/dev/null
fi
printf 'before\0after\n' >"$WORK/nul.txt"
printf 'caf\xe9 \xff\xfe bad utf-8\n' >"$WORK/latin1.txt"
printf '\e]0;pwned\a\e[2J\e[31mred\b\x9b31m\xe2\x80\xaeevil\n' >"$WORK/escapes.txt"
head -c 1048576 /dev/zero | tr '\0' 'a' >"$WORK/1mb.txt"
# Linux refuses a single argument over 128 kB (MAX_ARG_STRLEN), so the largest
# argument is 120 kB; 1 MB goes through -F and stdin.
BIG=$(head -c 120000 /dev/zero | tr '\0' 'b')
# One-line fields hold at most 4 KiB, long texts 1 MiB (src/core/limits.hpp).
LINE4K=$(head -c 4096 /dev/zero | tr '\0' 'c')
head -c 1048577 /dev/zero | tr '\0' 'a' >"$WORK/1mb-and-1.txt"
printf '%s\n' '{"id":1,"status":"open"' >"$WORK/cut.jsonl"
printf '{"id":7,"status":"open","customer":{"id":1,"name":"A\0B"}}\n' >"$WORK/nul.jsonl"
printf '\xff\xfe{"id":7}\n' >"$WORK/binary.jsonl"
ok_line='"status":"open","customer":{"id":9,"name":"Imp","email":null,"phone":null},"summary":"s","complaint":null,"wants":null,"channel":"email","category":"x","priority":"normal","reference":null,"tags":[],"opened_at":"2026-01-01T10:00:00Z","due_at":null,"resolved_at":null,"followup_at":null,"closed_at":null,"resolution":null,"satisfaction":null,"events":[]'
for id in -1 0 99999999999999999999 1.5 '"7"'; do
  printf '{"id":%s,%s}\n' "$id" "$ok_line" >"$WORK/id_$(echo "$id" | tr -dc '0-9a-z.-').jsonl"
done
sed 's/"opened_at":"2026-01-01T10:00:00Z"/"opened_at":"2026-02-30T10:00:00Z"/' "$WORK/id_1.5.jsonl" |
  sed 's/"id":1.5/"id":50/' >"$WORK/feb30.jsonl"
sed 's/"resolution":null/"resolution":{"outcome":"refund","text":null,"amount_cents":-5,"currency":"USD","fault":"ours","cause":null}/; s/"status":"open"/"status":"resolved"/; s/"id":1.5/"id":51/' \
  "$WORK/id_1.5.jsonl" >"$WORK/negamount.jsonl"

# CODE | command line. (An argument cannot hold a NUL byte; files can. An
# empty value for an option that has a default, like --due '', means the default.)
TABLE=$(cat <<'ROWS'
64 | show -1
64 | show 0
64 | show 99999999999999999999
66 | show 9223372036854775807
64 | show 9223372036854775808
64 | show ''
64 | show '#'
64 | show 1x
64 | show $'1\n2'
64 | show $'\e[31m1'
64 | note 0 hello
64 | note -5 hello
66 | note 424242 hello
0  | open Ann $'bell \a backspace \b escape \e[31mred\e[0m c1 \xc2\x9b bidi \xe2\x80\xae'
0  | open $'\xff\xfe not utf-8' 'summary'
0  | open Ann 'summary' -F "$WORK/nul.txt"
0  | open Ann 'summary' -F "$WORK/latin1.txt"
0  | open Ann 'summary' -F "$WORK/escapes.txt"
0  | open Ann 'summary' -F "$WORK/1mb.txt"
64 | open Ann "$BIG"
64 | open "$BIG" 'long name'
64 | open Ann 'long tag' --tag "$BIG"
0  | open Ann "$LINE4K"
0  | open "$LINE4K" 'long name'
0  | open Ann 'long tag' --tag "$LINE4K"
65 | open Ann 'summary' -F "$WORK/1mb-and-1.txt"
64 | open Ann 'x' --channel $'\e]0;pwn\a'
0  | open Ann 'x' --priority $'HIGH\n'
64 | open Ann 'x' --due 2026-02-30
64 | open Ann 'x' --due 2026-13-01
64 | open Ann 'x' --due 2026-00-10
64 | open Ann 'x' --due '2026-12-01T24:00'
64 | open Ann 'x' --due '2026-12-01T23:60'
0  | open Ann 'x' --due 9999-12-31T23:59
0  | open Ann 'x' --due 2028-02-29
64 | open Ann 'x' --due 2027-02-29
64 | open Ann 'x' --due 10000-01-01
64 | open Ann 'x' --due +99999999999d
64 | open Ann 'x' --due -99999999999999999999h
64 | open Ann 'x' --due -99999d
64 | open Ann 'x' --due 1969-12-31
64 | open Ann 'x' --due $'tomorrow\e[2J'
0  | open Ann 'x' --due ''
64 | open '' 'empty customer'
64 | open Ann ''
64 | resolve 2 --outcome refund --amount -5
64 | resolve 1 --outcome refund --amount -5
64 | resolve 1 --outcome refund --amount 99999999999999999999
64 | resolve 1 --outcome refund --amount 92233720368547758.08
64 | resolve 1 --outcome refund --amount 1e3
64 | resolve 1 --outcome refund --amount 0.001
64 | resolve 1 --outcome refund --amount NaN
64 | resolve 1 --outcome refund --amount ''
64 | resolve 1 --outcome $'refund\e[31m'
64 | resolve 1 --outcome refund --followup 2026-02-30
64 | resolve 1 --outcome refund --currency $'US\xff'
65 | resolve 2 --outcome refund
64 | list --limit 99999999999999999999
0  | list --limit 9223372036854775807
64 | list --limit -1
64 | list --limit 0
0  | list --limit ''
64 | list --since 2026-02-30
64 | list --until 9999-99-99
0  | list --since 9999-12-31T23:59
0  | list --category $'\e[31mx'
0  | list --customer $'\xff\xfe'
0  | list --customer "$BIG"
0  | list --tag $'\x01'
64 | list --status $'open\x7f'
64 | report --top 0
64 | report --top -1
64 | report --top 99999999999999999999
0  | report --top 9223372036854775807
64 | report --period 2026-13
64 | report --period 0000-00
64 | report --since 2026-02-30
64 | report --format $'text\e[31m'
64 | followup 2 --done --csat 0
64 | followup 2 --done --csat 6
64 | followup 2 --done --csat -1
64 | followup 2 --done --csat 99999999999999999999
64 | followup 2 --at 2026-02-30
64 | followup 0 --done --csat 5
64 | followup --within 2026-02-30
0  | followup --within 9999-12-31
64 | edit 1 --due 2026-02-30
64 | edit 1 --channel $'\x7f'
64 | edit 0 --summary x
64 | reopen -1
66 | import "$WORK/does-not-exist.jsonl"
65 | import "$WORK/cut.jsonl"
65 | import "$WORK/nul.jsonl"
65 | import "$WORK/binary.jsonl"
65 | import "$WORK/id_-1.jsonl"
65 | import "$WORK/id_0.jsonl"
65 | import "$WORK/id_99999999999999999999.jsonl"
65 | import "$WORK/id_1.5.jsonl"
65 | import "$WORK/id_7.jsonl"
65 | import "$WORK/feb30.jsonl"
65 | import "$WORK/negamount.jsonl"
64 | forget 0 --yes
64 | forget -1 --yes
66 | forget 99999999999999999 --yes
64 | export --since 2026-02-30
64 | export --format $'csv\e[0m'
64 | search
64 | search ''
64 | search '***'
64 | search -- -
64 | search -- --- -first
64 | search '"unclosed'
64 | search first '"'
64 | search $'\xff\xfe'
64 | search $'caf\xc3'
64 | search NOT first
64 | search first OR
64 | search OR first
64 | search first NOT
64 | search first -- NOT -x
64 | search first -x
64 | search 'f*'
64 | search first --status $'open\x7f'
64 | search first --limit 0
64 | search first --since 2026-02-30
0  | search first
0  | search first -- -x
0  | search 'NEAR(first x)' 'summary:first' '^first' '{a b}:c' '+' '(' ')' '*first*' 'AND'
0  | search $'first \e[31m \x01 \x7f \xe2\x80\xae \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d e\xcc\x81'
0  | search "$BIG"
0  | search "$BIG" "$BIG" "$BIG" "$BIG" "$BIG" "$BIG" "$BIG" "$BIG" "$BIG"
0  | search $(seq -f 'w%g*' 1 10000)
0  | search first --limit 9223372036854775807 --status open --status closed --customer "$BIG"
64 | $'\e[31mopen'
64 | open --no-such-option
ROWS
)

rows=0 skipped=0 failures=0
while IFS='|' read -r want cmdline; do
  want="${want// /}"
  [ -n "$want" ] || continue
  eval "args=($cmdline)"
  if [[ "${args[0]}" =~ ^[a-z]+$ ]] && ! has_cmd "${args[0]}"; then
    skipped=$((skipped + 1))
    continue
  fi
  before=$(sqlite3 "$MEND_DB" .dump | sha256sum)
  set +e
  "$MEND" "${args[@]}" </dev/null >"$WORK/out" 2>"$WORK/err"
  got=$?
  set -e
  rows=$((rows + 1))
  shown=$(printf '%s' "$cmdline" | head -c 100)
  if ((got == 70 || got > 128)); then
    echo "CRASH: mend $shown: exit $got: $(head -c 300 "$WORK/err")" >&2
    failures=$((failures + 1))
    continue
  fi
  if [ "$got" != "$want" ]; then
    echo "WRONG: mend $shown: exit $got, expected $want: $(head -c 300 "$WORK/err")" >&2
    failures=$((failures + 1))
    continue
  fi
  if [ "$want" != 0 ]; then
    problem=""
    [ -s "$WORK/out" ] && problem="stdout is not empty"
    [ "$(wc -l <"$WORK/err")" = 1 ] && grep -q '^mend: ' "$WORK/err" || problem="stderr is not one mend: line"
    [ "$(LC_ALL=C tr -d '\001-\011\013-\037\177' <"$WORK/err" | wc -c)" = "$(wc -c <"$WORK/err")" ] ||
      problem="stderr has control characters"
    [ "$(sqlite3 "$MEND_DB" .dump | sha256sum)" = "$before" ] || problem="the database changed"
    if [ -n "$problem" ]; then
      echo "BAD ERROR: mend $shown: $problem: $(head -c 300 "$WORK/err")" >&2
      failures=$((failures + 1))
    fi
  fi
done <<<"$TABLE"
expect_eq "$failures" 0 "rows that failed"
expect_eq "$(integrity "$MEND_DB")" ok "integrity_check"
echo "bad input: $rows command lines (control characters, invalid UTF-8, NUL bytes, 120 kB arguments, 1 MB files and search queries, 10,000-word queries, FTS5 syntax typed as words, negative and huge ids and amounts, impossible dates, huge limits), each the SPEC's exit code, no crash, nothing written on error; $skipped skipped (command not in this build)"
