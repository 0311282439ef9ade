#!/usr/bin/env bash
# mend reply on a terminal: $EDITOR opens on the rendered template (with the
# addressee and subject in '#' lines that are not sent), the saved words are
# sent; an empty draft sends and records nothing (exit 1); off a terminal the
# template goes as it is. The stand-in sendmail is tests/support/fake_sendmail.sh.
source "$(dirname "$0")/lib.sh"
command -v script >/dev/null || die "script(1) from util-linux is needed"
has_cmd reply || { echo "no reply command in this build"; exit 0; }
export MEND_NOW=2026-11-23T14:05:00Z
FAKE="$(cd "$(dirname "$0")/../support" && pwd)/fake_sendmail.sh"
mkdir -p "$HOME/.config/mend" "$WORK/spool"
printf 'from = "Corner Shop <shop@corner.example>"\nsendmail = "%s -t -i"\n' "$FAKE" \
  >"$HOME/.config/mend/config.toml"
export FAKE_SENDMAIL_DIR="$WORK/spool"
"$MEND" open "Maria Gomez" "Vase arrived broken" --email maria@example.com --due +2d -q >/dev/null

# The editor keeps a copy of the draft it was given and changes one word.
printf '#!/usr/bin/env bash\ncp "$1" %q\nsed -i "s/Kind regards/Warm regards/" "$1"\n' \
  "$WORK/draft.seen" >"$WORK/editor"
chmod +x "$WORK/editor"
unset VISUAL
EDITOR="$WORK/editor" script -qec "$(printf '%q' "$MEND") reply 1 --template ack -q" /dev/null \
  </dev/null >"$WORK/tty.out" 2>&1 || die "reply with the editor failed: $(cat "$WORK/tty.out")"
grep -q '^Hello Maria,' "$WORK/draft.seen" || die "the draft is not the rendered template"
grep -q '^# Your reply to Maria Gomez <maria@example.com> on case #1' "$WORK/draft.seen" ||
  die "the draft does not say whom it goes to"
grep -q '^Warm regards,$' "$WORK/spool/message0.eml" || die "the edited words were not sent"
if grep -q '^#' "$WORK/spool/message0.eml"; then die "a '#' line of the draft was sent"; fi
expect_eq "$(count "$MEND_DB" "SELECT count(*) FROM events WHERE kind = 'reply'")" 1 "replies"

# An empty draft: nothing sent, nothing recorded, exit 1.
set +e
EDITOR="sed -i d" script -qec "$(printf '%q' "$MEND") reply 1" /dev/null </dev/null \
  >"$WORK/tty.out" 2>&1
set -e
grep -q 'empty reply; nothing was sent' "$WORK/tty.out" || die "an empty draft was not refused"
[ ! -e "$WORK/spool/message1.eml" ] || die "an empty draft was sent"
expect_eq "$(count "$MEND_DB" "SELECT count(*) FROM events WHERE kind = 'reply'")" 1 "replies"

# Off a terminal the template is sent as it is; with nothing at all, 64.
EDITOR="$WORK/editor" "$MEND" reply 1 --template followup -q </dev/null ||
  die "reply --template off a terminal failed"
grep -q '^Kind regards,$' "$WORK/spool/message1.eml" || die "the template was edited off a terminal"
run_expect 64 "reply without text off a terminal" -- "$MEND" reply 1
echo "reply_editor: the editor path, an empty draft and the off-terminal paths hold"
