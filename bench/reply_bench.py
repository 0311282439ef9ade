#!/usr/bin/env python3
"""mend reply against the commands it is measured by: `reply --print` against
`show` of the same case, and `reply` with a sendmail that exits at once
(/bin/true) against `note`. Usage: bench/reply_bench.py [path/to/mend].
Prints the mean CPU time (user + system) and the best wall time of each."""
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

MEND = sys.argv[1] if len(sys.argv) > 1 else "build/dev/mend"
ROOT = tempfile.mkdtemp(prefix="mend-reply-bench-")
ENV = dict(os.environ, HOME=ROOT, MEND_DB=ROOT + "/cases.db",
           MEND_NOW="2026-11-23T14:05:00Z", TZ="UTC")
ENV.pop("XDG_CONFIG_HOME", None)


def run(args):
    subprocess.run([MEND] + args, env=ENV, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)


def measure(args, n):
    best, cpu = float("inf"), 0.0
    for _ in range(n):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        run(args)
        best = min(best, time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"{' '.join(args):40} cpu {cpu / n * 1000:6.2f} ms, best wall {best * 1000:6.2f} ms")


try:
    os.makedirs(ROOT + "/.config/mend")
    with open(ROOT + "/.config/mend/config.toml", "w") as f:
        f.write('from = "Corner Shop <shop@corner.example>"\nsendmail = "/bin/true"\n')
    run(["open", "Maria Gomez", "Vase arrived broken", "--email", "maria@example.com"])
    for i in range(10):
        run(["note", "1", f"note {i}"])
    measure(["show", "1"], 60)
    measure(["reply", "1", "--template", "ack", "--print"], 60)
    measure(["note", "1", "hello there"], 30)
    measure(["reply", "1", "-m", "hello there"], 30)
finally:
    shutil.rmtree(ROOT)
