#!/usr/bin/env python3
"""mend on SQLite against mend on PostgreSQL; prints a Markdown table.

Called by bench/run.sh --pg-only [SIZE] (which builds the release preset
first). Generates a history of SIZE cases (bench/generate.py), imports it into
a fresh SQLite file and into a fresh PostgreSQL database on a throwaway server
(tests/pg/cluster.sh, Unix socket, fsync turned back on so both stores make
their writes durable), then times each command REPS times on both stores.

The floor is the database doing the same work without mend: psql running, in
one transaction at mend's isolation level, the statements mend runs for the
command (the INSERTs and UPDATEs of open, note and resolve with the reads
that follow them; the SELECTs of list, show, followup and report), and the
sqlite3 shell likewise on the SQLite file. Where mend's statements take values
from earlier ones, the psql script carries them with \\gset, so it is a close
equivalent rather than the identical byte stream. Peak memory is each mend
command's ru_maxrss on PostgreSQL. Errors fail the run; timings never do.
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import bench as b  # noqa: E402  (Runner, fmt_time, report_sql, NOW and its SQL)

CLUSTER = os.path.join(ROOT, "tests", "pg", "cluster.sh")

# The columns mend reads for a case on PostgreSQL (the case query of list and show).
PG_CASE_COLUMNS = b.CASE_COLUMNS.replace(
    "(SELECT group_concat(tag, char(31)) FROM case_tags t WHERE t.case_id = c.id)",
    "(SELECT string_agg(t.tag, chr(31)) FROM mend.case_tags t WHERE t.case_id = c.id), c.owner")
READ_TX = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
WRITE_TX = "BEGIN ISOLATION LEVEL SERIALIZABLE;"


def pg_report_sql(*args):
    """The report's SQL in PostgreSQL's dialect (booleans summed as integers)."""
    sql = b.report_sql(*args)
    for old, new in (
        ("BEGIN;", READ_TX),
        (" COLLATE NOCASE", ""),
        ("GROUP BY c.customer_id HAVING n >= 2",
         "GROUP BY c.customer_id, u.name HAVING count(*) >= 2"),
        ("sum(due_at IS NOT NULL AND resolved_at <= due_at)",
         "sum((due_at IS NOT NULL AND resolved_at <= due_at)::int)"),
    ):
        sql = sql.replace(old, new)
    sql = sql.replace("sum(due_at < ", "sum((due_at < ").replace("), 0) FROM cases WHERE status",
                                                              ")::int), 0) FROM cases WHERE status")
    return "SET search_path = mend;\n" + sql


def psql_binary():
    """psql itself: Debian's /usr/bin/psql is a Perl wrapper that costs tens
    of milliseconds a run, which would flatter mend against its floor."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    return found[-1] if found else "psql"


def cluster(*argv):
    return subprocess.run(["bash", CLUSTER] + list(argv), check=True, capture_output=True,
                          text=True).stdout.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("size", nargs="?", type=int, default=10000)
    ap.add_argument("--mend", default=os.path.join(ROOT, "build", "release", "mend"))
    ap.add_argument("--reps", type=int, default=5, help="runs of each command (median)")
    ap.add_argument("--port", help="port of the throwaway PostgreSQL server (default: "
                    "cluster.sh's, $MEND_PG_PORT or 54329)")
    ap.add_argument("--fsync-off", action="store_true",
                    help="leave the server's fsync off (cluster.sh's default)")
    ap.add_argument("--keep", help="work in this folder and keep it")
    args = ap.parse_args()
    n, reps = args.size, args.reps
    mend = os.path.abspath(args.mend)
    for tool in ("psql", "sqlite3"):
        if not shutil.which(tool):
            raise SystemExit(f"pg_bench: {tool} is needed")
    work = args.keep or tempfile.mkdtemp(prefix="mend-pgbench-")
    os.makedirs(work, exist_ok=True)
    pgdir = os.path.join(work, "pg")
    base_env = {k: v for k, v in os.environ.items()
                if k not in ("MEND_DB", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "NO_COLOR")}
    base_env.update(MEND_NOW=b.NOW, TZ="UTC", HOME=work, LC_ALL="C.UTF-8", MEND_USER="bench")
    started = False
    try:
        t0 = time.perf_counter()
        cluster("start", pgdir, *([args.port] if args.port else []))
        started = True
        admin = cluster("uri", pgdir)
        if not args.fsync_off:
            subprocess.run(["psql", "-X", "-q", admin, "-c", "ALTER SYSTEM SET fsync = on",
                            "-c", "SELECT pg_reload_conf()"], check=True, capture_output=True)
        b.log(f"pg_bench: server up in {time.perf_counter() - t0:.1f} s")
        hist = os.path.join(work, "history.jsonl")
        with open(hist, "wb") as f:
            subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(n), "--now",
                            b.NOW], stdout=f, check=True)
        db = os.path.join(work, "cases.db")
        lite = b.Runner(dict(base_env, MEND_DB=db))
        pg_uri = cluster("createdb", pgdir, "bench")
        pg = b.Runner(dict(base_env, MEND_DB=pg_uri))
        rows = []

        def add(what, m_lite, m_pg, floor=None, lite_floor=None, note=""):
            rows.append([f"`{what}`", b.fmt_time(m_lite[0]), b.fmt_time(m_pg[0]),
                         b.fmt_time(floor[0]) if floor else "",
                         f"{m_pg[0] / floor[0]:.1f}×" if floor else "",
                         b.fmt_time(lite_floor[0]) if lite_floor else "",
                         f"{m_pg[3] / 1024:.1f}", note])
            b.log(f"   {what}: SQLite {b.fmt_time(m_lite[0])}, PostgreSQL {b.fmt_time(m_pg[0])}" +
                  (f", psql {b.fmt_time(floor[0])}" if floor else ""))

        # import: a fresh database each run.
        def fresh_lite(argv):
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.unlink(db + suffix)
            lite.once([mend, "list", "--limit", "1"])
            return argv

        def fresh_pg(argv):
            cluster("createdb", pgdir, "bench")
            pg.once([mend, "list", "--limit", "1"])
            return argv
        ireps = max(1, min(reps, 3))
        il = lite.timed([mend, "import", hist], ireps, prepare=fresh_lite)
        ip = pg.timed([mend, "import", hist], ireps, prepare=fresh_pg)
        add("import FILE", il, ip,
            note=f"{n / il[0]:,.0f} vs {n / ip[0]:,.0f} cases/s")
        el = lite.timed([mend, "export"], ireps)
        ep = pg.timed([mend, "export"], ireps)
        add("export", el, ep, note=f"{n / el[0]:,.0f} vs {n / ep[0]:,.0f} cases/s")

        psql = [psql_binary(), "-X", "-q", "-v", "ON_ERROR_STOP=1", pg_uri]
        sq = ["sqlite3", "-batch", "-init", "/dev/null", db]
        script = os.path.join(work, "floor.sql")
        # What any command pays on PostgreSQL before its first statement.
        connect = pg.timed(psql + ["-c", "SELECT 1"], reps)
        rows.append(["connect", "", "", b.fmt_time(connect[0]), "", "", "",
                     "psql -c 'SELECT 1': a new connection and one round trip"])

        def psql_floor(sql):
            with open(script, "w") as f:
                f.write(sql)
            return pg.timed(psql + ["-f", script], reps)

        def lite_floor(sql):
            return lite.timed(sq + [sql], reps)

        # open: find the customer by email, fill in what is empty, a case, its
        # tags (none), its opened event, then the case read back with its
        # events and files.
        read_back = (f"SELECT {PG_CASE_COLUMNS} FROM mend.cases c JOIN mend.customers u "
                     "ON u.id = c.customer_id WHERE c.id = :id;\n"
                     "SELECT id, at, kind, text, author, message_id, message_from, message_to, "
                     "message_subject, message_direction FROM mend.events WHERE case_id = :id "
                     "ORDER BY id;\n"
                     "SELECT name, type, size, sha256, at FROM mend.attachments WHERE case_id = "
                     ":id ORDER BY id;\n")
        open_sql = (
            WRITE_TX + "\n"
            "SELECT id AS cust FROM mend.customers WHERE lower(email COLLATE \"C\") = "
            "lower('bench@example.com' COLLATE \"C\") AND forgotten_at IS NULL "
            "ORDER BY id DESC LIMIT 1 \\gset\n"
            "UPDATE mend.customers SET email = coalesce(email, 'bench@example.com'), "
            "phone = coalesce(phone, NULL), phone_key = coalesce(phone_key, NULL) "
            "WHERE id = :cust AND ((email IS NULL AND 'bench@example.com'::text IS NOT NULL) "
            "OR (phone IS NULL AND NULL::text IS NOT NULL));\n"
            "INSERT INTO mend.cases (customer_id, status, summary, complaint, wants, channel, "
            "category, priority, reference, opened_at, due_at, owner) VALUES (:cust, 'open', "
            f"'bench case', NULL, NULL, 'other', 'other', 'normal', NULL, {b.NOW_T}, "
            f"{b.NOW_T + 2 * b.DAY}, NULL) RETURNING id \\gset\n"
            "INSERT INTO mend.events (case_id, at, kind, text, author, message_id, message_from, "
            f"message_to, message_subject, message_direction) VALUES (:id, {b.NOW_T}, "
            "'opened', 'bench case', 'bench', NULL, NULL, NULL, NULL, NULL);\n" +
            read_back + "COMMIT;\n")
        lite_write = (b.PRAGMAS + " BEGIN IMMEDIATE; INSERT INTO events (case_id, at, kind, text) "
                      f"VALUES ({n // 2}, {b.NOW_T}, 'note', 'floor'); COMMIT;")
        lw = lite_floor(lite_write)
        # Makes the customer the open floor finds.
        pg.once([mend, "open", "Bench Customer", "bench case", "--email", "bench@example.com"])
        lite.once([mend, "open", "Bench Customer", "bench case", "--email", "bench@example.com"])
        argv = ["open", "Bench Customer", "bench case", "--email", "bench@example.com"]
        add("open", lite.timed([mend] + argv, reps), pg.timed([mend] + argv, reps),
            psql_floor(open_sql), lw)

        note_id = n // 2
        note_sql = (WRITE_TX + f"\n\\set id {note_id}\n"
                    "SELECT status FROM mend.cases WHERE id = :id;\n"
                    "INSERT INTO mend.events (case_id, at, kind, text, author, message_id, "
                    "message_from, message_to, message_subject, message_direction) VALUES "
                    f"(:id, {b.NOW_T}, 'note', 'called the customer back', 'bench', NULL, NULL, "
                    "NULL, NULL, NULL);\n" + read_back + "COMMIT;\n")
        argv = ["note", str(note_id), "called the customer back"]
        add("note ID", lite.timed([mend] + argv, reps), pg.timed([mend] + argv, reps),
            psql_floor(note_sql), lw)

        def new_open(r):
            def prepare(argv):
                cid = r.output([mend, "open", "Bench Customer", "to resolve", "-q"]).strip()
                return [a if a != "ID" else cid for a in argv]
            return prepare
        resolve_sql = (
            WRITE_TX + "\n"
            "SELECT max(id) AS id FROM mend.cases WHERE status = 'open' \\gset\n"
            "SELECT status FROM mend.cases WHERE id = :id;\n"
            "UPDATE mend.cases SET status = 'resolved', resolved_at = "
            f"{b.NOW_T}, followup_at = {b.NOW_T + 3 * b.DAY}, closed_at = NULL, outcome = "
            "'refund', resolution_text = NULL, amount_cents = 1250, currency = 'USD', fault = "
            "'unknown', cause = 'late courier', satisfaction = NULL, followup_done_at = NULL "
            "WHERE id = :id;\n"
            "INSERT INTO mend.events (case_id, at, kind, text, author, message_id, message_from, "
            f"message_to, message_subject, message_direction) VALUES (:id, {b.NOW_T}, "
            "'resolved', 'refund 12.50 USD', 'bench', NULL, NULL, NULL, NULL, NULL);\n"
            "INSERT INTO mend.events (case_id, at, kind, text, author, message_id, message_from, "
            f"message_to, message_subject, message_direction) VALUES (:id, {b.NOW_T}, "
            "'followup-scheduled', 'follow-up due', 'bench', NULL, NULL, NULL, NULL, NULL);\n" +
            read_back + "COMMIT;\n")
        argv = [mend, "resolve", "ID", "--outcome", "refund", "--amount", "12.50", "--cause",
                "late courier"]
        with open(script, "w") as f:
            f.write(resolve_sql)
        add("resolve ID", lite.timed(argv, reps, prepare=new_open(lite)),
            pg.timed(argv, reps, prepare=new_open(pg)),
            pg.timed(psql + ["-f", script], reps, prepare=new_open(pg)), lw,
            note="psql floor: the newest open case, opened by mend before each run")

        list_sql = (f"{READ_TX}\nSELECT {PG_CASE_COLUMNS} FROM mend.cases c JOIN mend.customers u "
                    "ON u.id = c.customer_id ORDER BY c.opened_at DESC, c.id DESC LIMIT 20;\n"
                    "COMMIT;\n")
        lite_list = (f"BEGIN; SELECT {b.CASE_COLUMNS} FROM cases c JOIN customers u ON u.id = "
                     "c.customer_id ORDER BY c.opened_at DESC, c.id DESC LIMIT 20; COMMIT;")
        argv = ["list", "--limit", "20"]
        add("list --limit 20", lite.timed([mend] + argv, reps), pg.timed([mend] + argv, reps),
            psql_floor(list_sql), lite_floor(lite_list))

        show_id = n // 3
        show_sql = (f"{READ_TX}\n\\set id {show_id}\n" + read_back.replace(
            "WHERE c.id = :id;", "WHERE c.id = :id \\gset s_\n") +
            "SELECT id, status, summary, opened_at FROM mend.cases WHERE customer_id = :s_id "
            "AND id <> :id ORDER BY opened_at DESC, id DESC;\nCOMMIT;\n")
        cust = lite.output(sq + [f"SELECT customer_id FROM cases WHERE id = {show_id}"]).strip()
        lite_show = (f"BEGIN; SELECT {b.CASE_COLUMNS} FROM cases c JOIN customers u ON u.id = "
                     f"c.customer_id WHERE c.id = {show_id}; SELECT id, at, kind, text FROM events "
                     f"WHERE case_id = {show_id} ORDER BY id; SELECT id, status, summary, opened_at "
                     f"FROM cases WHERE customer_id = {cust} AND id <> {show_id} ORDER BY "
                     "opened_at DESC, id DESC; COMMIT;")
        argv = ["show", str(show_id)]
        add("show ID", lite.timed([mend] + argv, reps), pg.timed([mend] + argv, reps),
            psql_floor(show_sql), lite_floor(lite_show),
            note="psql floor: the customer's other cases by the case's customer column")

        end_of_today = b.NOW_T - b.NOW_T % b.DAY + b.DAY - 1
        owner_any = ""
        followup_sql = (
            f"{READ_TX}\n"
            "SELECT c.id, c.summary, c.followup_at, u.id, u.name, u.email, u.phone FROM "
            "mend.cases c LEFT JOIN mend.customers u ON u.id = c.customer_id WHERE c.status = "
            f"'resolved' AND c.followup_at <= {end_of_today}{owner_any};\n"
            "SELECT c.id, c.summary, c.due_at, u.id, u.name, u.email, u.phone FROM mend.cases c "
            "LEFT JOIN mend.customers u ON u.id = c.customer_id WHERE c.status = 'open' AND "
            f"c.due_at <= {b.NOW_T + b.DAY}{owner_any};\n"
            "SELECT c.id, c.summary, e.at, u.id, u.name, u.email, u.phone FROM mend.events e "
            "JOIN mend.cases c ON c.id = e.case_id LEFT JOIN mend.customers u ON u.id = "
            "c.customer_id WHERE e.message_direction = 'in' AND e.kind = 'email' AND e.id = "
            "(SELECT x.id FROM mend.events x WHERE x.case_id = e.case_id AND x.kind IN "
            "('email', 'reply', 'call', 'meeting', 'apology', 'offer') AND NOT (x.kind = 'reply' "
            "AND coalesce(substr(x.message_id, 1, 4), '') = 'ack.') ORDER BY x.at DESC, x.id DESC "
            "LIMIT 1);\nCOMMIT;\n")
        lite_followup = (
            "BEGIN; SELECT c.id, c.summary, c.followup_at, u.id, u.name, u.email, u.phone "
            "FROM cases c JOIN customers u ON u.id = c.customer_id WHERE c.followup_at IS NOT "
            f"NULL AND c.followup_at <= {end_of_today} AND c.status = 'resolved'; "
            "SELECT c.id, c.summary, c.due_at, u.id, u.name, u.email, u.phone FROM cases c "
            f"JOIN customers u ON u.id = c.customer_id WHERE c.status = 'open' AND c.due_at "
            f"<= {b.NOW_T + b.DAY} ORDER BY 3; COMMIT;")
        add("followup", lite.timed([mend, "followup"], reps), pg.timed([mend, "followup"], reps),
            psql_floor(followup_sql), lite_floor(lite_followup))

        import calendar
        month = (calendar.timegm((2026, 11, 1, 0, 0, 0)), calendar.timegm((2026, 12, 1, 0, 0, 0)),
                 calendar.timegm((2026, 10, 1, 0, 0, 0)), calendar.timegm((2026, 11, 1, 0, 0, 0)),
                 b.NOW_T)
        argv = ["report", "--period", "month"]
        add("report --period month", lite.timed([mend] + argv, reps),
            pg.timed([mend] + argv, reps), psql_floor(pg_report_sql(*month)),
            lite_floor(b.report_sql(*month)), note="floor: the SQLite report's queries")

        head = ["command", "SQLite", "PostgreSQL", "psql floor", "ratio to floor",
                "sqlite3 floor", "peak MiB (PG)", "note"]
        print(f"{n:,} cases, median of {reps} runs ({ireps} for import and export); "
              "PostgreSQL over a Unix socket" + ("" if args.fsync_off else ", fsync on") + "\n")
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for r in rows:
            print("| " + " | ".join(r) + " |")
    finally:
        if started:
            subprocess.run(["bash", CLUSTER, "stop", pgdir], capture_output=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
