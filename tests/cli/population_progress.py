#!/usr/bin/env python3
"""`regimen simulate-population` shows a progress line (users done, sessions per second, time
left) when stderr is a terminal, and writes nothing to stderr when it is not.

usage: population_progress.py REGIMEN_BINARY
"""
import os
import pty
import re
import select
import subprocess
import sys

ARGS = ["simulate-population", "--users", "3000", "--weeks", "52", "--threads", "1"]
LINE = re.compile(r"simulate-population: \d+/3000 users \(\d+%\), \d+ sessions/s, \d+ s left")


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def on_a_terminal(binary):
    # stdout to a pipe, stderr to a pseudo-terminal.
    parent, child = pty.openpty()
    proc = subprocess.Popen([binary, *ARGS], stdout=subprocess.PIPE, stderr=child)
    os.close(child)
    seen = b""
    while True:
        ready, _, _ = select.select([parent], [], [], 0.2)
        if parent in ready:
            try:
                chunk = os.read(parent, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    out, _ = proc.communicate(timeout=300)
    os.close(parent)
    if proc.returncode != 0:
        fail(f"exit {proc.returncode}")
    text = seen.decode(errors="replace")
    if not LINE.search(text):
        fail(f"no progress line on the terminal: {text!r}")
    if "\r" not in text:
        fail("the progress line is not redrawn in place")
    if b"users:              3000" not in out:
        fail(f"no summary on stdout: {out!r}")


def not_on_a_terminal(binary):
    proc = subprocess.run([binary, *ARGS[:2], "300", *ARGS[3:]], capture_output=True, timeout=300)
    if proc.returncode != 0:
        fail(f"exit {proc.returncode}: {proc.stderr!r}")
    if proc.stderr:
        fail(f"stderr is not a terminal but got: {proc.stderr!r}")
    if b"users:              300" not in proc.stdout:
        fail(f"no summary: {proc.stdout!r}")


on_a_terminal(sys.argv[1])
not_on_a_terminal(sys.argv[1])
print("ok")
