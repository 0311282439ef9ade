#!/usr/bin/env python3
"""Times mend against floors measured in the same run; prints a Markdown table.

Called by bench/run.sh (which builds mend first). For each size: generate a
history (bench/generate.py), load it with `mend import`, then time every
command REPS times against its floor: the sqlite3 shell doing the same
transaction or running the same SQL on the same file. Peak memory is the
child's ru_maxrss (what /usr/bin/time -f %M prints). Errors fail the run;
timings never do.
"""
import argparse
import calendar
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
NOW = "2026-11-23T14:05:00Z"
NOW_T = calendar.timegm(time.strptime(NOW, "%Y-%m-%dT%H:%M:%SZ"))
DAY = 86400
# The pragmas mend sets on every connection (src/core/schema.cpp); WAL is a
# property of the file.
PRAGMAS = ("PRAGMA busy_timeout=60000; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
           "PRAGMA secure_delete=ON;")


def has_command(mend, name):
    """Whether this mend has the subcommand (followup arrived after the bench)."""
    r = subprocess.run([mend, "--help"], capture_output=True, text=True)
    return any(line.split()[:1] == [name] for line in r.stdout.splitlines())


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Runner:
    def __init__(self, env):
        self.env = env

    def once(self, argv, stdin=None, stdout=subprocess.DEVNULL, check=True):
        """Runs argv; returns (seconds, peak KiB)."""
        fin = open(stdin, "rb") if stdin else subprocess.DEVNULL
        try:
            t0 = time.perf_counter()
            p = subprocess.Popen(argv, stdin=fin, stdout=stdout, stderr=subprocess.PIPE,
                                 env=self.env)
            err = p.stderr.read()
            _, status, ru = os.wait4(p.pid, 0)
            t1 = time.perf_counter()
            p.returncode = os.waitstatus_to_exitcode(status)
        finally:
            if stdin:
                fin.close()
        if check and p.returncode != 0:
            raise SystemExit(f"bench: {' '.join(argv)} failed ({p.returncode}): "
                             f"{err.decode(errors='replace').strip()}")
        return t1 - t0, ru.ru_maxrss

    def output(self, argv, stdin_text=None):
        r = subprocess.run(argv, input=stdin_text, capture_output=True, text=True, env=self.env)
        if r.returncode != 0:
            raise SystemExit(f"bench: {' '.join(argv)} failed ({r.returncode}): {r.stderr.strip()}")
        return r.stdout

    def peak_kib(self, argv, stdin=None):
        """Peak memory of one run, as /usr/bin/time -f %M reports it. (Measured
        apart: a child spawned by Python inherits Python's own peak.)"""
        with tempfile.NamedTemporaryFile("r") as f:
            self.once(["/usr/bin/time", "-f", "%M", "-o", f.name] + argv, stdin=stdin)
            return int(f.read().split()[-1])

    def timed(self, argv, reps, prepare=None, stdin=None):
        """Median, min, max seconds over reps runs, and the peak KiB of one more."""
        times, peak = [], None
        have_time = os.path.exists("/usr/bin/time")
        for i in range(reps):
            cmd = prepare(argv) if prepare else argv
            if i > 0 and times[0] > 0.5 and have_time:
                # Slow commands: /usr/bin/time's own cost is noise, measure both at once.
                with tempfile.NamedTemporaryFile("r") as f:
                    t, _ = self.once(["/usr/bin/time", "-f", "%M", "-o", f.name] + cmd,
                                     stdin=stdin)
                    peak = max(peak or 0, int(f.read().split()[-1]))
            else:
                t, _ = self.once(cmd, stdin=stdin)
            times.append(t)
        if peak is None and have_time:
            peak = self.peak_kib(prepare(argv) if prepare else argv, stdin=stdin)
        return statistics.median(times), min(times), max(times), peak or 0


def fmt_time(s):
    if s >= 10:
        return f"{s:.1f} s"
    if s >= 1:
        return f"{s:.2f} s"
    return f"{s * 1000:.1f} ms"


class Table:
    def __init__(self):
        self.rows = []
        self.seen = {}  # (size, command) -> (median, min, max, peak KiB)

    def add(self, size, what, m, floor_name=None, f=None, target=None, peak=None, note=""):
        """m and f are (median, min, max, peak) tuples; target is a ratio limit."""
        self.seen[(size, what)] = m
        ratio = m[0] / f[0] if f else None
        verdict = ""
        if target is not None and ratio is not None:
            verdict = "yes" if ratio <= target else "**no**"
        self.rows.append([
            f"{size:,}" if isinstance(size, int) else size,
            f"`{what}`",
            f"{fmt_time(m[0])} ({fmt_time(m[1])}–{fmt_time(m[2])})",
            f"{floor_name}: {fmt_time(f[0])} ({fmt_time(f[1])}–{fmt_time(f[2])})" if f else floor_name or "",
            f"{ratio:.2f}×" if ratio is not None else "",
            (f"≤ {target:g}× {verdict}" if target is not None else note),
            f"{(peak if peak is not None else m[3]) / 1024:.1f}",
        ])

    def print(self):
        head = ["cases", "command", "median (min–max)", "floor: median (min–max)", "ratio",
                "target", "peak MiB"]
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for r in self.rows:
            out.append("| " + " | ".join(r) + " |")
        print("\n".join(out), flush=True)


def report_sql(since, until, psince, puntil, now):
    """The SQL src/core/report.cpp runs for one report, with the values inlined."""
    def figures(s, u):
        q = [
            f"SELECT count(*) FROM cases WHERE opened_at >= {s} AND opened_at < {u};",
            "SELECT c.customer_id, u.name, count(*) AS n FROM cases c JOIN customers u ON "
            f"u.id = c.customer_id WHERE c.opened_at >= {s} AND c.opened_at < {u} GROUP BY "
            "c.customer_id HAVING n >= 2 ORDER BY n DESC, u.name COLLATE NOCASE, c.customer_id;",
            "SELECT count(*), count(due_at), coalesce(sum(due_at IS NOT NULL AND resolved_at <= "
            f"due_at), 0) FROM cases WHERE resolved_at >= {s} AND resolved_at < {u};",
            f"SELECT resolved_at - opened_at AS d FROM cases WHERE resolved_at >= {s} AND "
            f"resolved_at < {u} ORDER BY d LIMIT 2 OFFSET (SELECT (count(*) - 1) / 2 FROM cases "
            f"WHERE resolved_at >= {s} AND resolved_at < {u});",
            "SELECT coalesce(currency, 'USD') AS cur, sum(amount_cents) FROM cases WHERE "
            f"resolved_at >= {s} AND resolved_at < {u} AND amount_cents IS NOT NULL GROUP BY cur "
            "ORDER BY cur;",
            f"SELECT count(*) FROM cases WHERE closed_at >= {s} AND closed_at < {u};",
            f"SELECT count(*) FROM cases WHERE followup_at >= {s} AND followup_at < {u};",
            "SELECT count(*), count(satisfaction), avg(satisfaction) FROM cases WHERE "
            f"followup_done_at >= {s} AND followup_done_at < {u};",
        ]
        return q
    q = ["BEGIN;"] + figures(since, until) + figures(psince, puntil) + [
        f"SELECT category, count(*) AS n FROM cases WHERE opened_at >= {since} AND opened_at < "
        f"{until} GROUP BY category ORDER BY n DESC, category;",
        f"SELECT channel, count(*) AS n FROM cases WHERE opened_at >= {since} AND opened_at < "
        f"{until} GROUP BY channel ORDER BY n DESC, channel;",
        f"SELECT outcome, count(*) AS n FROM cases WHERE resolved_at >= {since} AND resolved_at < "
        f"{until} AND outcome IS NOT NULL GROUP BY outcome ORDER BY n DESC, outcome;",
        f"SELECT lower(cause) AS k, count(*) AS n FROM cases WHERE resolved_at >= {since} AND "
        f"resolved_at < {until} AND cause IS NOT NULL AND cause <> '' GROUP BY k ORDER BY n DESC, k;",
        f"SELECT count(*), coalesce(sum(due_at < {now}), 0) FROM cases WHERE status = 'open';",
    ]
    # The weekly trend (UTC: the bench runs with TZ=UTC), at most 104 weeks.
    last = min(until - 1, max(now, since))
    day = last - last % DAY
    wd = (time.gmtime(day).tm_wday)  # Monday = 0
    w = day - wd * DAY
    starts = []
    while len(starts) < 104:
        starts.append(w)
        if w <= since:
            break
        w -= 7 * DAY
    for w in reversed(starts):
        a, b = max(w, since), min(w + 7 * DAY, until)
        q.append(f"SELECT count(*) FROM cases WHERE opened_at >= {a} AND opened_at < {b};")
        q.append(f"SELECT count(*) FROM cases WHERE resolved_at >= {a} AND resolved_at < {b};")
    q.append("COMMIT;")
    return "\n".join(q)


CASE_COLUMNS = (
    "c.id, c.status, c.summary, c.complaint, c.wants, c.channel, c.category, c.priority, "
    "c.reference, c.opened_at, c.due_at, c.resolved_at, c.followup_at, c.closed_at, "
    "c.outcome, c.resolution_text, c.amount_cents, c.currency, c.fault, c.cause, "
    "c.satisfaction, u.id, u.name, u.email, u.phone, "
    "(SELECT group_concat(tag, char(31)) FROM case_tags t WHERE t.case_id = c.id)")


def bench_size(n, args, table, work, mend, run):
    log(f"== {n:,} cases")
    d = os.path.join(work, f"n{n}")
    os.makedirs(d, exist_ok=True)
    db = os.path.join(d, "cases.db")
    hist = os.path.join(d, "history.jsonl")
    env = dict(run.env, MEND_DB=db)
    r = Runner(env)
    t0 = time.perf_counter()
    with open(hist, "wb") as f:
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(n), "--now", NOW],
                       stdout=f, check=True)
    log(f"   generated in {time.perf_counter() - t0:.1f} s ({os.path.getsize(hist) >> 20} MiB)")
    big = n >= 1_000_000
    reps = args.reps
    reps_big = args.big_reps if big else max(1, min(args.reps, 3))

    # import: into a fresh database each time (created first, so the timing
    # is the import's).
    def fresh(argv):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)
        r.once([mend, "list", "--limit", "1"])
        return argv
    imp = r.timed([mend, "import", hist], reps_big, prepare=fresh)
    # Its floor: the sqlite3 shell inserting the very rows the import made
    # (read from the imported file, attached) into a new mend database, in
    # one transaction with mend's pragmas and the import's page cache: the
    # SQLite work without the reading and parsing of JSON.
    copy = os.path.join(d, "copy.db")

    def fresh_copy(argv):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(copy + suffix):
                os.unlink(copy + suffix)
        r.once([mend, "--db", copy, "list", "--limit", "1"])
        return argv
    # With the search index, the floor builds it the same way, once at the end.
    search = has_command(mend, "search")
    floor_i = r.timed(["sqlite3", "-batch", "-init", "/dev/null", copy,
                       PRAGMAS + " PRAGMA cache_size=-24576; "
                       f"ATTACH '{db}' AS src; BEGIN IMMEDIATE; "
                       "INSERT INTO main.customers SELECT * FROM src.customers; "
                       "INSERT INTO main.cases SELECT * FROM src.cases; "
                       "INSERT INTO main.case_tags SELECT * FROM src.case_tags; "
                       "INSERT INTO main.events SELECT * FROM src.events; " +
                       ("INSERT INTO main.cases_fts(cases_fts) VALUES ('rebuild'); " if search
                        else "") + "COMMIT;"],
                      reps_big, prepare=fresh_copy)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(copy + suffix):
            os.unlink(copy + suffix)
    table.add(n, "import FILE", imp, "sqlite3 INSERT … SELECT of the same rows" +
              (" + FTS5 rebuild" if search else ""), floor_i,
              note=f"{n / imp[0]:,.0f} cases/s (≥ 100,000; floor {n / floor_i[0]:,.0f}/s)")
    log(f"   import {fmt_time(imp[0])}, its floor {fmt_time(floor_i[0])}")
    exp = r.timed([mend, "export"], reps_big)
    table.add(n, "export", exp, None, None, note=f"{n / exp[0]:,.0f} cases/s (≥ 100,000)")
    log(f"   export {fmt_time(exp[0])}")

    sq = ["sqlite3", "-batch", "-init", "/dev/null", db]
    has_followup = has_command(mend, "followup")

    # Writes against BEGIN IMMEDIATE; one INSERT; COMMIT.
    floor_w = r.timed(sq + [PRAGMAS + " BEGIN IMMEDIATE; INSERT INTO events (case_id, at, kind, "
                                      f"text) VALUES ({n // 2}, {NOW_T}, 'note', 'floor'); COMMIT;"],
                      reps)
    wname = "sqlite3 BEGIN IMMEDIATE+INSERT+COMMIT"
    m = r.timed([mend, "open", "Bench Customer", "bench case", "--email", "bench@example.com"],
                reps)
    table.add(n, "open", m, wname, floor_w, 2)
    m = r.timed([mend, "note", str(n // 2), "called the customer back"], reps)
    table.add(n, "note ID", m, wname, floor_w, 2)

    def new_open(argv):
        cid = r.output([mend, "open", "Bench Customer", "to resolve", "-q"]).strip()
        return [a if a != "ID" else cid for a in argv]

    m = r.timed([mend, "resolve", "ID", "--outcome", "refund", "--amount", "12.50", "--cause",
                 "late courier"], reps, prepare=new_open)
    table.add(n, "resolve ID", m, wname, floor_w, 2)
    if has_followup:
        def new_resolved(argv):
            argv = new_open(argv)
            cid = argv[2]
            r.output([mend, "resolve", cid, "--outcome", "apology", "-q"])
            return argv
        m = r.timed([mend, "followup", "ID", "--done", "--csat", "5"], reps, prepare=new_resolved)
        table.add(n, "followup ID --done", m, wname, floor_w, 2)
    else:
        table.rows.append([f"{n:,}", "`followup ID --done`", "n/a: this mend has no followup",
                           "", "", "", ""])

    # Reads against the same SQL in the sqlite3 shell.
    end_of_today = NOW_T - NOW_T % DAY + DAY - 1
    if has_followup:
        sql = ("BEGIN; SELECT c.id, c.summary, c.followup_at, u.id, u.name, u.email, u.phone "
               "FROM cases c JOIN customers u ON u.id = c.customer_id WHERE c.followup_at IS NOT "
               f"NULL AND c.followup_at <= {end_of_today} AND c.status = 'resolved'; "
               "SELECT c.id, c.summary, c.due_at, u.id, u.name, u.email, u.phone FROM cases c "
               f"JOIN customers u ON u.id = c.customer_id WHERE c.status = 'open' AND c.due_at "
               f"<= {NOW_T + DAY} ORDER BY 3; COMMIT;")
        f = r.timed(sq + [sql], reps)
        m = r.timed([mend, "followup"], reps)
        table.add(n, "followup", m, "sqlite3 same SQL", f, 2 if big else None)
    sql = (f"BEGIN; SELECT {CASE_COLUMNS} FROM cases c JOIN customers u ON u.id = c.customer_id "
           "ORDER BY c.opened_at DESC, c.id DESC LIMIT 20; COMMIT;")
    f = r.timed(sq + [sql], reps)
    m = r.timed([mend, "list", "--limit", "20"], reps)
    table.add(n, "list --limit 20", m, "sqlite3 same SQL", f, 2 if big else None)
    show_id = n // 3
    cust = r.output(sq + [f"SELECT customer_id FROM cases WHERE id = {show_id}"]).strip()
    sql = (f"BEGIN; SELECT {CASE_COLUMNS} FROM cases c JOIN customers u ON u.id = c.customer_id "
           f"WHERE c.id = {show_id}; SELECT id, at, kind, text FROM events WHERE case_id = "
           f"{show_id} ORDER BY id; SELECT id, status, summary, opened_at FROM cases WHERE "
           f"customer_id = {cust} AND id <> {show_id} ORDER BY opened_at DESC, id DESC; COMMIT;")
    f = r.timed(sq + [sql], reps)
    m = r.timed([mend, "show", str(show_id)], reps)
    table.add(n, "show ID", m, "sqlite3 same SQL", f, 2 if big else None)

    if search:
        bench_search(n, r, sq, mend, table, reps, reps_big, big, db, d)

    # The report: a calendar month against its own SQL, all time against one scan.
    month = (calendar.timegm((2026, 11, 1, 0, 0, 0)), calendar.timegm((2026, 12, 1, 0, 0, 0)),
             calendar.timegm((2026, 10, 1, 0, 0, 0)), calendar.timegm((2026, 11, 1, 0, 0, 0)))
    f = r.timed(sq + [report_sql(*month, NOW_T)], reps)
    m = r.timed([mend, "report", "--period", "month"], reps)
    table.add(n, "report --period month", m, "sqlite3 the report's SQL", f, 3 if big else None)
    f = r.timed(sq + ["SELECT count(*), count(category), max(opened_at) FROM cases NOT INDEXED;"],
                reps_big)
    m = r.timed([mend, "report", "--since", "1970-01-01", "--until", "2100-01-01"], reps_big)
    table.add(n, "report (all time)", m, "sqlite3 one full scan of cases", f, 3 if big else None)
    # For context: the same scan reading the fourteen columns the report needs.
    f14 = r.timed(sq + ["SELECT count(customer_id), count(opened_at), count(due_at), "
                        "count(resolved_at), count(followup_at), count(closed_at), "
                        "count(followup_done_at), count(satisfaction), count(amount_cents), "
                        "count(currency), count(category), count(channel), count(outcome), "
                        "count(cause) FROM cases NOT INDEXED;"], reps_big)
    table.add(n, "report (all time)", m, "sqlite3 one scan reading its 14 columns", f14,
              note="context")

    # Peak memory of the commands that may touch everything.
    if big or args.all_memory:
        for argv in (["list"], ["list", "--json"], ["export", "--format", "csv"],
                     ["report", "--since", "1970-01-01", "--until", "2100-01-01", "--format",
                      "html"], ["show", "1"]):
            m = r.timed([mend] + argv, 1)
            table.add(n, " ".join(argv), m, None, None, note="memory < 32 MiB")
    return hist


# What `mend search` runs (src/core/store_search.cpp), for the sqlite3 floor:
# the same MATCH, bm25() with the same weights, a snippet, the case's columns.
SEARCH_RANK = "bm25(cases_fts, 10.0, 5.0, 2.0, 1.0, 5.0)"


def search_sql(word, limit=None):
    return (f"BEGIN; SELECT {CASE_COLUMNS}, snippet(cases_fts, -1, '[', ']', '…', 12) "
            "FROM cases_fts JOIN cases c ON c.id = cases_fts.rowid "
            "JOIN customers u ON u.id = c.customer_id "
            f"WHERE cases_fts MATCH '\"{word}\"' ORDER BY {SEARCH_RANK}, c.opened_at DESC, c.id DESC"
            + (f" LIMIT {limit}" if limit else "") + "; COMMIT;")


def bench_search(n, r, sq, mend, table, reps, reps_big, big, db, d):
    """Search for a rare word (one invoice number) and a common one, against
    sqlite3 running the same FTS5 query with bm25() and snippet(); and the
    size of the database with the index against without it."""
    rare = r.output(sq + [f"SELECT reference FROM cases WHERE id >= {n // 2} AND reference "
                          "IS NOT NULL ORDER BY id LIMIT 1"]).strip()
    common = "refund"
    hits = r.output(sq + [f"SELECT count(*) FROM cases_fts WHERE cases_fts MATCH '{common}'"]).strip()
    floor_name = "sqlite3 the same MATCH, bm25(), snippet()"
    for what, argv, sql, rp in (
            (f"search {rare}", ["search", rare], search_sql(rare), reps),
            ("search --limit 20 refund", ["search", "--limit", "20", common],
             search_sql(common, 20), reps),
            (f"search refund ({int(hits):,} hits)", ["search", common], search_sql(common),
             reps_big)):
        f = r.timed(sq + [sql], rp)
        m = r.timed([mend] + argv, rp)
        table.add(n, what, m, floor_name, f, 1.5 if big else None)
        log(f"   {what} {fmt_time(m[0])}, its floor {fmt_time(f[0])}")
    # The size: the file compacted (VACUUM INTO) with the index, and without it.
    with_index = os.path.join(d, "with-index.db")
    without = os.path.join(d, "without-index.db")
    for path in (with_index, without):
        if os.path.exists(path):
            os.unlink(path)
    r.output(sq + [f"VACUUM INTO '{with_index}'"])
    r.output(sq + [f"VACUUM INTO '{without}'"])
    r.output(["sqlite3", "-batch", "-init", "/dev/null", without,
              "DROP TABLE cases_fts; DROP VIEW search_docs; VACUUM;"])
    a, b = os.path.getsize(with_index), os.path.getsize(without)
    table.rows.append([f"{n:,}", "database size", f"{a / 2**20:,.1f} MiB with the search index",
                       f"{b / 2**20:,.1f} MiB without it", f"{a / b:.2f}×",
                       f"≤ 1.8× {'yes' if a / b <= 1.8 else '**no**'}", ""])
    os.unlink(with_index)
    os.unlink(without)


def bench_files(args, table, work, mend, run):
    """Evidence: `attach` of one file against cp + sync, and `evidence` of a case
    with many files against cat of the same files into a folder."""
    if not has_command(mend, "attach") or not has_command(mend, "evidence"):
        table.rows.append(["-", "`attach`, `evidence`", "n/a: this mend has no evidence store",
                           "", "", "", ""])
        return
    d = os.path.join(work, "files")
    os.makedirs(d, exist_ok=True)
    cfg = os.path.join(work, ".config", "mend")
    os.makedirs(cfg, exist_ok=True)
    with open(os.path.join(cfg, "config.toml"), "w") as f:
        f.write("max_attachment = 1000000000\n")
    db = os.path.join(d, "cases.db")
    r = Runner(dict(run.env, MEND_DB=db))
    reps = max(1, min(args.reps, 5))

    def remove_db():
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)

    # attach: one file into a new database with one case each time.
    one = os.path.join(d, "photo.bin")
    with open(one, "wb") as f:
        f.write(os.urandom(args.attach_mib << 20))

    def fresh_case(argv):
        remove_db()
        r.once([mend, "open", "Bench Customer", "evidence", "-q"])
        return argv
    m = r.timed([mend, "attach", "1", one, "-q"], reps, prepare=fresh_case)
    dest = os.path.join(d, "copy")

    def fresh_dest(argv):
        shutil.rmtree(dest, ignore_errors=True)
        os.makedirs(dest)
        return argv
    f = r.timed(["sh", "-c", f"cp '{one}' '{dest}/' && sync"], reps, prepare=fresh_dest)
    table.add(f"{args.attach_mib} MiB", "attach ID FILE", m, "cp FILE DIR && sync", f,
              note=f"{args.attach_mib / m[0]:,.0f} MiB/s (floor {args.attach_mib / f[0]:,.0f} MiB/s)")
    log(f"   attach {fmt_time(m[0])}, its floor {fmt_time(f[0])}")

    # evidence: a case with many files, written out with its page and SHA256SUMS.
    remove_db()
    r.once([mend, "open", "Bench Customer", "evidence", "-q"])
    src = os.path.join(d, "src")
    os.makedirs(src)
    per = (args.evidence_mib << 20) // args.evidence_files
    paths = []
    for i in range(args.evidence_files):
        p = os.path.join(src, f"file{i:02d}.bin")
        with open(p, "wb") as out:
            out.write(os.urandom(per))
        paths.append(p)
    r.once([mend, "attach", "1"] + paths + ["-q"])
    out_dir = os.path.join(d, "pack")

    def fresh_out(argv):
        shutil.rmtree(out_dir, ignore_errors=True)
        return argv
    m = r.timed([mend, "evidence", "1", "-o", out_dir], reps, prepare=fresh_out)
    f = r.timed(["sh", "-c", f"mkdir '{out_dir}' && for f in '{src}'/*; do "
                 f"cat \"$f\" >'{out_dir}'/\"${{f##*/}}\"; done"], reps, prepare=fresh_out)
    table.add(f"{args.evidence_files} files, {args.evidence_mib} MiB", "evidence ID -o DIR", m,
              "cat of the files into a folder", f,
              note=f"{args.evidence_mib / m[0]:,.0f} MiB/s (floor {args.evidence_mib / f[0]:,.0f} MiB/s)")
    log(f"   evidence {fmt_time(m[0])}, its floor {fmt_time(f[0])}")
    shutil.rmtree(d, ignore_errors=True)


def taskwarrior(hist, n, args, table, work, run):
    """The peer: taskwarrior 2.6 on the same history."""
    task = shutil.which("task")
    if not task:
        table.rows.append([f"{n:,}", "taskwarrior", "skipped: `task` is not installed", "", "",
                           "", ""])
        return
    d = os.path.join(work, "task")
    os.makedirs(d, exist_ok=True)
    rc = os.path.join(d, "taskrc")
    with open(rc, "w") as f:
        f.write(f"data.location={d}/data\nconfirmation=off\nverbose=nothing\nhooks=off\n"
                "recurrence=off\ngc=on\n")
    env = dict(run.env, TASKRC=rc, TASKDATA=os.path.join(d, "data"))
    r = Runner(env)

    def tw(t):
        return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(t))

    def parse(s):
        return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))
    tasks = os.path.join(d, "tasks.json")
    with open(hist) as src, open(tasks, "w") as out:
        out.write("[\n")
        for i, line in enumerate(src):
            if i >= n:
                break
            c = json.loads(line)
            t = {"description": c["summary"], "entry": tw(parse(c["opened_at"])),
                 "project": c["category"],
                 "status": "pending" if c["status"] != "closed" else "completed",
                 "annotations": [{"entry": tw(parse(e["at"]) + k), "description": e["text"]}
                                 for k, e in enumerate(c["events"]) if e["text"]]}
            if c["due_at"]:
                t["due"] = tw(parse(c["due_at"]))
            if c["closed_at"]:
                t["end"] = tw(parse(c["closed_at"]))
            if c["tags"]:
                t["tags"] = c["tags"]
            out.write(("," if i else "") + json.dumps(t) + "\n")
        out.write("]\n")
    log(f"   task import of {n:,} tasks...")
    imp = r.timed([task, "rc.hooks=off", "import", tasks], 1)
    log(f"   task import {fmt_time(imp[0])}")
    table.add(n, "task import", imp, None, None, note=f"{n / imp[0]:,.0f} tasks/s")
    reps = args.reps
    def versus(mine, m, times):
        o = table.seen.get((n, mine))
        if not o:
            return ""
        return (f"`{mine}` {m[0] / o[0]:.0f}× faster (≥ {times}×: "
                f"{'yes' if m[0] / o[0] >= times else '**no**'}); memory "
                f"{m[3] / max(o[3], 1):.1f}× mend's")
    m = r.timed([task, "add", "bench task", "project:delivery", "due:tomorrow"], reps)
    table.add(n, "task add", m, None, None, note=versus("open", m, 30))
    pending = r.output([task, "rc.verbose=nothing", "status:pending", "limit:1", "ids"]).split()
    tid = pending[0].split("-")[0] if pending else "1"
    m = r.timed([task, tid, "annotate", "called the customer back"], reps)
    table.add(n, "task N annotate", m, None, None, note=versus("note ID", m, 1))
    m = r.timed([task, "summary"], reps)
    table.add(n, "task summary", m, None, None, note=versus("report --period month", m, 20))
    m = r.timed([task, "+OVERDUE", "list"], reps)
    table.add(n, "task +OVERDUE list", m, None, None, note=versus("followup", m, 1))


def bench_mail(args, table, work, mend, run):
    """mend mail: a generated maildir taken into a new database, the same maildir
    again (all duplicates), and one message on stdin (an MDA delivery) against
    `mend open` of the same words."""
    if not has_command(mend, "mail"):
        table.rows.append(["-", "`mail`", "n/a: this mend has no mail command", "", "", "", ""])
        return
    d = os.path.join(work, "mail")
    os.makedirs(d, exist_ok=True)
    n = args.mail_messages
    maildir = os.path.join(d, "Maildir")
    log(f"mail: generating a maildir of {n:,} messages")
    subprocess.run([sys.executable, os.path.join(HERE, "mail_generate.py"), str(n), maildir],
                   check=True)
    mib = sum(os.path.getsize(os.path.join(maildir, "new", f))
              for f in os.listdir(os.path.join(maildir, "new"))) / (1 << 20)
    db = os.path.join(d, "cases.db")
    r = Runner(dict(run.env, MEND_DB=db))
    reps = max(1, min(args.big_reps, 3))

    def remove_db(argv=None):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)
        return argv

    m = r.timed([mend, "mail", "-q", maildir], reps, prepare=remove_db)
    opened = r.output(["sqlite3", db, "SELECT count(*) FROM cases"]).strip()
    table.add(f"{n:,} messages ({mib:.0f} MiB of mail)", f"mail -q Maildir (first run, {int(opened):,} cases)",
              m, note=f"{n / m[0]:,.0f} messages/s (target ≥ 500/s, ≤ 48 MiB)")
    log(f"   maildir first run {fmt_time(m[0])}, {n / m[0]:,.0f} messages/s")
    m = r.timed([mend, "mail", "-q", maildir], reps)
    table.add(f"{n:,} messages", "mail -q Maildir (again: all duplicates)", m,
              note=f"{n / m[0]:,.0f} messages/s (target ≥ 5,000/s)")
    log(f"   maildir again {fmt_time(m[0])}, {n / m[0]:,.0f} messages/s")

    # One message on stdin, a new Message-ID each time, into a database with
    # the maildir's cases; against `mend open` of the same words.
    one = os.path.join(d, "one.eml")
    words = "my parcel arrived damaged and I would like a refund. " * 3
    counter = [0]

    def next_message(argv):
        counter[0] += 1
        with open(one, "w") as f:
            f.write(f"From: Bench Customer <bench@example.com>\nTo: shop@example.com\n"
                    f"Subject: Parcel {counter[0]}\nMessage-ID: <bench{counter[0]}@example.com>\n"
                    f"Date: Mon, 23 Nov 2026 10:00:00 +0000\n\n{words}\n")
        return argv
    next_message(None)
    reps = args.reps * 4
    m = r.timed([mend, "mail", "-q"], reps, prepare=next_message, stdin=one)
    f = r.timed([mend, "open", "Bench Customer", "Parcel", "-m", words, "-q"], reps)
    table.add(f"{int(opened):,}", "mail -q < message.eml", m, "open NAME SUMMARY -m TEXT", f, 1.5)
    log(f"   one message on stdin {fmt_time(m[0])}, open {fmt_time(f[0])}")
    shutil.rmtree(d, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="*", type=int)
    ap.add_argument("--mend", required=True)
    ap.add_argument("--reps", type=int, default=10, help="runs of each quick command")
    ap.add_argument("--big-reps", type=int, default=3,
                    help="runs of import, export and all-time report at 1M cases")
    ap.add_argument("--peer-size", type=int, default=100000,
                    help="history size for taskwarrior (0: skip)")
    ap.add_argument("--all-memory", action="store_true")
    ap.add_argument("--keep", help="work in this folder and keep it")
    ap.add_argument("--attach-mib", type=int, default=10, help="size of the file attach keeps")
    ap.add_argument("--evidence-files", type=int, default=20,
                    help="files of the case evidence writes out")
    ap.add_argument("--evidence-mib", type=int, default=100,
                    help="their total size")
    ap.add_argument("--files-only", action="store_true",
                    help="only the attach and evidence rows")
    ap.add_argument("--mail-messages", type=int, default=10000,
                    help="messages in the maildir mend mail takes (0: no mail rows)")
    ap.add_argument("--mail-only", action="store_true", help="only the mail rows")
    args = ap.parse_args()
    sizes = [] if args.files_only or args.mail_only else args.sizes or [10000, 100000, 1000000]
    mend = os.path.abspath(args.mend)

    work = args.keep or tempfile.mkdtemp(prefix="mend-bench-")
    os.makedirs(work, exist_ok=True)
    base_env = {k: v for k, v in os.environ.items()
                if k not in ("MEND_DB", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "NO_COLOR")}
    base_env.update(MEND_NOW=NOW, TZ="UTC", HOME=work, LC_ALL="C.UTF-8")
    run = Runner(base_env)
    table = Table()
    try:
        # Start-up: --version and a followup with nothing due, against sqlite3 -version.
        r = Runner(dict(base_env, MEND_DB=os.path.join(work, "empty.db")))
        r.once([mend, "list"])
        if not args.files_only and not args.mail_only:
            f = r.timed(["sqlite3", "-version"], args.reps * 2)
            m = r.timed([mend, "--version"], args.reps * 2)
            table.add("-", "--version", m, "sqlite3 -version", f, 2)
        if has_command(mend, "followup") and not args.files_only and not args.mail_only:
            m = r.timed([mend, "followup"], args.reps * 2)
            table.add("0", "followup (nothing due)", m, "sqlite3 -version", f, 2)
        if not args.mail_only:
            bench_files(args, table, work, mend, run)
        if args.mail_messages and not args.files_only:
            bench_mail(args, table, work, mend, run)
        for n in sizes:
            hist = bench_size(n, args, table, work, mend, run)
            if args.peer_size and n == args.peer_size:
                taskwarrior(hist, n, args, table, work, run)
            if not args.keep:
                shutil.rmtree(os.path.join(work, f"n{n}"), ignore_errors=True)
        table.print()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
