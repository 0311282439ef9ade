#!/bin/sh
# A stand-in for sendmail in the tests of mend reply: stores the message it
# reads on stdin and its arguments in $FAKE_SENDMAIL_DIR (message.eml, one
# argument per line in argv.txt), then behaves as $FAKE_SENDMAIL_MODE says:
# ok (exit 0), fail (a line on stderr, exit 75), hang (sleeps), lock (takes
# the write lock of the database $FAKE_SENDMAIL_LOCK_DB for 3 s in the
# background, then exits 0: an SQLite file, or on PostgreSQL the lock on
# mend's events table), or a number (exits with it).
dir=${FAKE_SENDMAIL_DIR:?}
n=$(ls "$dir" 2>/dev/null | grep -c '^message')
cat > "$dir/message$n.eml"
: > "$dir/argv$n.txt"
for a in "$@"; do printf '%s\n' "$a" >> "$dir/argv$n.txt"; done
case ${FAKE_SENDMAIL_MODE:-ok} in
  ok) exit 0 ;;
  fail) echo "sendmail: cannot connect to smtp.example.com: Connection refused" >&2; exit 75 ;;
  hang) sleep 30; exit 0 ;;
  lock)
    # The holder touches lock.held once it has the lock and keeps it 3 s from
    # then; this script exits only after that, so mend's record meets the lock.
    held="$dir/lock.held"
    rm -f "$held"
    commit_3s_after_held() { while [ ! -e "$held" ]; do sleep 0.05; done; sleep 3; echo "COMMIT;"; }
    case $FAKE_SENDMAIL_LOCK_DB in
      postgresql://*)
        { echo "BEGIN; LOCK TABLE mend.events IN ACCESS EXCLUSIVE MODE;"; printf '\\! touch %s\n' "'$held'"
          commit_3s_after_held; } | psql -q "$FAKE_SENDMAIL_LOCK_DB" >/dev/null & ;;
      *) { printf '.timeout 60000\nBEGIN IMMEDIATE;\n.shell touch %s\n' "'$held'"; commit_3s_after_held; } |
           sqlite3 "$FAKE_SENDMAIL_LOCK_DB" >/dev/null & ;;
    esac
    n=0
    while [ ! -e "$held" ] && [ $n -lt 1200 ]; do sleep 0.05; n=$((n + 1)); done
    exit 0 ;;
  *) exit "$FAKE_SENDMAIL_MODE" ;;
esac
