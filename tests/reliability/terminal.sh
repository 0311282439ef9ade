#!/usr/bin/env bash
# Terminal safety: customer text full of escape sequences, BEL, backspace, C1
# controls and bidi controls is stored, then shown by show, list, followup,
# report and in error messages with stdout and stderr on a pseudo-terminal
# (tests/support/pty_run.py). The bytes that reach the terminal may hold
# mend's own colour codes (ESC [ digits ; m) and nothing else that controls it.
source "$(dirname "$0")/lib.sh"
PTY_RUN="$(cd "$(dirname "$0")/../support" && pwd)/pty_run.py"
command -v python3 >/dev/null || die "python3 is needed (tests/support/pty_run.py gives mend a terminal)"
command -v perl >/dev/null || die "perl is needed"
export MEND_NOW=2026-11-23T14:05:00Z TERM=xterm-256color
unset NO_COLOR
# Every hostile thing at once: CSI clear screen, OSC title, OSC 8 link ended
# by ST, a DCS string, BEL, backspace, DEL, C1 CSI (U+009B
# and the raw byte 0x9B), C1 NEL, bidi overrides and isolates (Trojan Source),
# the Arabic letter mark, the line and paragraph separators; CR in the complaint.
EVIL=$'A\e[2J\e]0;pwned\a\e]8;;https://evil.example\e\\link\e]8;;\e\\\ePq#0;2;0;0;0\e\\\a\b\x7f\xc2\x9b31m\x9b31m\xc2\x85\xe2\x80\xae\xe2\x81\xa6\xe2\x81\xa9\xe2\x80\x8f\xd8\x9c\xe2\x80\xa8\xe2\x80\xa9Z'
# One-line fields refuse CR and LF; the complaint (multi-line) gets them too.
printf '%s\r\nsecond line %s\rover\n' "$EVIL" "$EVIL" >"$WORK/evil.txt"
"$MEND" open "Cust $EVIL" "Sum $EVIL" -F "$WORK/evil.txt" --email "e@example.com" --wants "Wants $EVIL" \
  --ref "Ref $EVIL" --tag "tag$EVIL" --category "cat$EVIL" --due -1d -q >/dev/null
"$MEND" open "Cust $EVIL" "Second $EVIL" --email "e@example.com" --category "cat$EVIL" -q >/dev/null
if has_cmd note; then "$MEND" note 1 "Note $EVIL" -q >/dev/null; fi
if has_cmd resolve; then
  "$MEND" resolve 2 --outcome refund --amount 5 -m "Text $EVIL" --cause "cause$EVIL" --followup today -q >/dev/null
fi

# check_bytes NAME < bytes: fails naming what would control the terminal.
check_bytes() {
  perl -e '
    local $/; my $b = <STDIN>; my $name = $ARGV[0];
    $b =~ s/\e\[[0-9;]*m//g;   # the colour codes mend writes itself
    $b =~ s/\r+\n/\n/g;         # the line ends the terminal makes (CSV: CR CR LF)
    my @bad;
    push @bad, "invalid UTF-8" unless utf8::decode($b);
    push @bad, "ESC" if $b =~ /\e/;
    push @bad, "BEL" if $b =~ /\a/;
    push @bad, "BS" if $b =~ /\x08/;
    push @bad, "CR" if $b =~ /\r/;
    push @bad, "DEL" if $b =~ /\x7f/;
    push @bad, "other C0" if $b =~ /[\x00-\x09\x0b-\x1f]/;
    push @bad, "C1" if $b =~ /[\x{80}-\x{9f}]/;
    push @bad, "bidi" if $b =~ /[\x{200e}\x{200f}\x{202a}-\x{202e}\x{2066}-\x{2069}\x{061c}]/;
    push @bad, "line separator" if $b =~ /[\x{2028}\x{2029}]/;
    if (@bad) { print STDERR "FAIL: $name: reached the terminal raw: @bad\n"; exit 1 }
  ' "$1"
}
# The check itself must catch the raw text, or it proves nothing.
if printf '%s' "$EVIL" | check_bytes self-test 2>/dev/null; then die "the byte check misses raw escapes"; fi
for probe in $'\e[2J' $'\a' $'\b' $'\r' $'\x7f' $'\xc2\x9b' $'\x9b' $'\xe2\x80\xae' $'\xe2\x80\xa8'; do
  if printf 'ok %s ok\n' "$probe" | check_bytes self-test 2>/dev/null; then die "the byte check misses $(printf '%q' "$probe")"; fi
done
printf '\e[1mbold\e[0m \e[38;5;2mok\e[0m caf\xc3\xa9 \xe2\x94\x80\r\n' | check_bytes self-test || die "the byte check refuses clean text"

# on_tty NAME CMD...: runs mend under a pseudo-terminal, keeps the bytes.
checked=0
on_tty() {
  local name="$1"
  shift
  local cmd="" w
  for w in "$@"; do cmd+=" $(printf '%q' "$w")"; done
  python3 "$PTY_RUN" "$(printf '%q' "$MEND")$cmd" </dev/null >"$WORK/tty.$name" 2>&1 || true
  # Whatever it printed must have reached the terminal (a non-empty capture).
  [ -s "$WORK/tty.$name" ] || die "$name: nothing reached the terminal"
  check_bytes "$name" <"$WORK/tty.$name" || { od -c "$WORK/tty.$name" | head -40 >&2; exit 1; }
  checked=$((checked + 1))
}

on_tty show show 1
grep -q 'Cust A' "$WORK/tty.show" || die "show: the customer is not shown"
grep -q 'second line' "$WORK/tty.show" || die "show: the complaint is not shown"
on_tty show2 show 2
on_tty list list
on_tty list_color --color always list
grep -q $'\e\\[' "$WORK/tty.list_color" || die "list --color always: no colour at all (the check would be empty)"
on_tty list_filter list --category "cat$EVIL"
if has_cmd followup; then
  on_tty followup followup
  grep -q 'Sum A\|Second A\|Cust A' "$WORK/tty.followup" || die "followup: the due cases are not shown"
fi
if has_cmd report; then
  on_tty report report
  on_tty report_md report --format markdown
  on_tty report_csv report --format csv
  on_tty report_html report --format html
  on_tty report_json report --format json
fi
on_tty list_json list --json
on_tty show_json show 1 --json
if has_cmd search; then
  # Snippets of every field: the complaint, a note, the resolution, the
  # customer; the matched words bold.
  on_tty search search pwned
  grep -q '^    .*pwned' "$WORK/tty.search" || die "search: the snippet is not shown"
  on_tty search_note search note pwned
  on_tty search_cust search cust
  on_tty search_json search --json pwned
  on_tty err_search search "pwned \"open"$'\e]0;title\a\e[2J\xe2\x80\xae\xc2\x9b'
  grep -q '^mend: .*unclosed' "$WORK/tty.err_search" || die "search: the error does not say what is wrong"
  on_tty err_search_utf8 search "$EVIL"
  grep -q '^mend: .*UTF-8' "$WORK/tty.err_search_utf8" || die "search: the error does not name UTF-8"
fi
if has_cmd export; then
  on_tty export export
  on_tty export_csv export --format csv
  grep -q 'Cust A' "$WORK/tty.export_csv" || die "export --format csv: the customer is not shown"
  # A file or a pipe gets the exact CSV: the customer's bytes, escapes included.
  "$MEND" export --format csv | grep -qF "$EVIL" || die "export --format csv to a pipe is not the exact CSV"
  "$MEND" report --format csv | grep -qF $'Cust A\e[2J' ||
    die "report --format csv to a pipe is not the exact CSV"
fi
# Error messages that quote what was typed.
on_tty err_status list --status "open$EVIL"
grep -q '^mend: ' "$WORK/tty.err_status" || die "the error message is missing"
on_tty err_channel open X Y --channel "$EVIL"
on_tty err_date open X Y --due "$EVIL"
on_tty err_id show "1$EVIL"
on_tty err_cmd "$EVIL"
on_tty err_db --db "/nonexistent$EVIL/x/cases.db" list
if has_cmd import; then
  printf '{"id":9,"status":"open\\u001b[2J\\u0007\\u009b\\u202e"}\n' >"$WORK/bad.jsonl"
  on_tty err_import import "$WORK/bad.jsonl"
  grep -q '^mend: .*status' "$WORK/tty.err_import" || die "import: the error does not name the field"
  on_tty err_import_path import "$WORK/missing$EVIL.jsonl"
fi
echo "terminal safety: $checked outputs under a pseudo-terminal (show, list, search, followup, report and error messages that quote the input) with CSI, OSC, DCS, BEL, BS, CR, DEL, C1 and bidi controls in every stored field: none reached the terminal raw"
