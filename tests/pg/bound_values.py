#!/usr/bin/env python3
"""bound_values.py SRC_DIR: fails when SQL text is built from anything but
SQL text. Every statement in src/ whose SQL is assembled with `+` or `+=`
may join only string literals and the names below, each of which holds SQL
written in the source itself (column lists, placeholders, fragments chosen
by the code, never a value). A new name joined into SQL must be added here
with its reason, so string-built SQL is always a decision someone wrote down.
Values go to the databases bound (? / $n), on both stores."""
import re
import sys
from pathlib import Path

# Names that hold SQL text the code wrote, and why they are safe.
ALLOWED = {
    "kCaseColumns": "the case column list, a literal",
    "kPgCaseColumns": "the case column list, a literal",
    "case_columns()": "returns kCaseColumns",
    "pg_case_columns()": "returns kPgCaseColumns",
    "kOwner": "the owner condition with placeholders, a literal",
    "kEventsOfCase": "a literal",
    "kPgEventColumns": "the event column list, a literal",
    "columns": "a column list literal in the same function",
    "values": "a list of ? placeholders in the same function",
    "marks": "a list of ? placeholders built by a loop",
    "column": "a column name from the calling function's own literals",
    "t.name": "a table name from a literal table list",
    "t.columns": "a column list from a literal table list",
    "select": "a SELECT built from t.name and t.columns",
    "sql": "SQL assembled in this function from the parts this list allows",
    "shared.sql()": "CaseConditions: fragments with ? placeholders only",
    "status_condition(\"c.status\", f.statuses)": "IN (?, ?, ...) placeholders only",
    "status_condition(\"c.status\", statuses)": "IN (?, ?, ...) placeholders only",
    "pg_words(shared.sql())": "CaseConditions' fragments, respelt",
    "pg_words(conditions.sql())": "CaseConditions' fragments, respelt",
    "std::to_string(kBatch)": "a compile-time constant row count",
    "std::to_string(kExportBatch)": "a compile-time constant row count",
    "m.head": "an INSERT head literal",
    "fragment": "a literal fragment passed by the same function",
    "from": "a SELECT head built from literals",
    "join": "a JOIN clause literal",
    "where": "a WHERE clause literal chosen by the caller",
    "tables": "a literal list of mend's tables",
    "name": "an index name read from sqlite_master (the schema's own objects)",
    "kColumns": "the search index's column list, a literal",
    "sql_": "CaseConditions' own fragments with ? placeholders",
    "conditions.sql()": "CaseConditions: fragments with ? placeholders only",
    "from_where": "search's FROM and WHERE, built from literals and conditions.sql()",
    "kRank": "the ranking expression, a literal",
    "snippets": "the snippet() calls, literals",
}
SQL_WORD = re.compile(r'"[^"]*\b(SELECT|INSERT|UPDATE|DELETE|FETCH|DECLARE|VACUUM|DROP|CREATE|ALTER|WHERE|ORDER BY|LIMIT|FROM)\b')


LITERAL = re.compile(r'R"sql\(.*?\)sql"|"(?:[^"\\\n]|\\.)*"', re.S)
OPERAND = r"(?:[A-Za-z_][\w.:]*(?:\((?:[^()]|\([^()]*\))*\))?|L)"


def joined_operands(stmt):
    """What the statement joins with + or +=, its string literals as L."""
    code = LITERAL.sub("L", stmt)
    code = re.sub(r"std::string\(L\)", "L", code)
    code = re.sub(r"L(\s*L)+", "L", code)  # adjacent literals are one
    ops = set()
    for m in re.finditer(r"(" + OPERAND + r")\s*\+(?!\+)", code):
        ops.add(m.group(1))
    for m in re.finditer(r"\+=?\s*(" + OPERAND + r")", code):
        ops.add(m.group(1))
    return {o for o in ops if o != "L"}


def main():
    bad = []
    for path in sorted(Path(sys.argv[1]).rglob("*.cpp")):
        text = re.sub(r"//[^\n]*", "", path.read_text())  # comments say words, not SQL
        for m in re.finditer(r"[^;{}]*;", text):
            stmt = m.group(0)
            if not SQL_WORD.search(stmt) or "+" not in LITERAL.sub("", stmt):
                continue
            if re.search(r"\b(fail|Error|throw|what|message|changes\.push_back|missing_customer)\b", stmt):
                continue  # words for people, not SQL
            line = text.count("\n", 0, m.start() + len(stmt) - len(stmt.lstrip())) + 1
            for op in sorted(joined_operands(stmt)):
                if op not in ALLOWED:
                    bad.append(f"{path}:{line}: SQL joined with `{op}`")
    if bad:
        print("SQL text built from something other than SQL the code wrote:", file=sys.stderr)
        for b in bad:
            print("  " + b, file=sys.stderr)
        print("bind the value (?), or add the name to ALLOWED with its reason", file=sys.stderr)
        sys.exit(1)
    print("bound values: every SQL statement in src/ joins only SQL the code wrote")


def self_test():
    """The check must catch a value joined into SQL, or it proves nothing."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        Path(d, "bad.cpp").write_text(
            'void f(PgConn& c, const Case& k) {\n'
            '  c.exec("SELECT status FROM mend.cases WHERE summary = \'" + k.summary + "\'");\n}\n')
        r = subprocess.run([sys.executable, __file__, d], capture_output=True, text=True)
        if r.returncode == 0 or "k.summary" not in r.stderr:
            sys.exit("self-test: a value joined into SQL was not caught")
        Path(d, "bad.cpp").write_text(
            'void f(PgConn& c, const Case& k) {\n'
            '  c.exec("SELECT status FROM mend.cases WHERE summary = ?", PgParams{} << k.summary);\n}\n')
        r = subprocess.run([sys.executable, __file__, d], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("self-test: a bound value was refused: " + r.stderr)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--self-test"]:
        self_test()
        sys.argv.pop(1)
    main()
