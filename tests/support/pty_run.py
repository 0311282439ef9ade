#!/usr/bin/env python3
"""pty_run.py COMMAND: runs COMMAND (a bash command line) with stdin, stdout and
stderr on a new pseudo-terminal, as a person at a terminal has it, and copies
every byte the terminal received to stdout. Stdin gets end-of-file at once.

script(1) does the same, but when the command exits quickly it may stop
before it has read what the command wrote (seen in CI: an empty capture).
Here the parent reads the terminal until the kernel says no writer is left
(EIO), then waits for the child, so nothing written is ever lost. Exits with
the command's status."""
import os
import sys

if len(sys.argv) != 2:
    sys.exit("usage: pty_run.py COMMAND")
pid, master = os.forkpty()
if pid == 0:
    os.execvp("bash", ["bash", "-c", sys.argv[1]])
os.write(master, b"\x04")  # end of file for a command that reads its terminal
out = sys.stdout.buffer
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: the command and all its children closed the terminal
        break
    if not chunk:
        break
    out.write(chunk)
out.flush()
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) & 0xFF)
