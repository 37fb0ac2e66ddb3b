#!/usr/bin/env python3
"""Kills `regimen play --state FILE` with SIGKILL at random moments, 20 times, resuming with
`regimen play --resume FILE` each time; the resumed session completes once, and its record in
the history has the same done counts as an uninterrupted run's.

usage: play_resume.py REGIMEN_BINARY WORK_DIR
"""
import json
import os
import random
import shutil
import subprocess
import sys
import time

BINARY, WORK = sys.argv[1], sys.argv[2]
SPEED = "50"
KILLS = 20


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def records(history):
    proc = subprocess.run([BINARY, "history", "--history", history, "--json"],
                          capture_output=True, text=True, check=True)
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def done_counts(record):
    return [(b.get("exerciseId"), b.get("setsDone", 0),
             [(s.get("side"), s.get("repsDone", 0), s.get("holdsAchieved", 0))
              for s in b.get("sides", [])]) for b in record.get("blocks", [])]


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    reference = os.path.join(WORK, "reference.sqlite3")
    subprocess.run([BINARY, "play", "back_basics", "--speed", "1000", "--history", reference],
                   stdout=subprocess.DEVNULL, check=True, timeout=120)
    expected = records(reference)
    if len(expected) != 1:
        fail(f"the uninterrupted run recorded {len(expected)} sessions")

    state = os.path.join(WORK, "state.bin")
    history = os.path.join(WORK, "history.sqlite3")
    rng = random.Random(20261203)
    command = [BINARY, "play", "back_basics", "--speed", SPEED, "--state", state,
               "--history", history]
    kills = 0
    while True:
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if kills == KILLS:
            _, err = proc.communicate(timeout=120)
            if proc.returncode != 0:
                fail(f"the last resume exited {proc.returncode}: {err!r}")
            break
        if command[2] != "--resume":  # a new play: kill it only once it has a state to resume
            deadline = time.monotonic() + 10
            while not os.path.exists(state) and time.monotonic() < deadline:
                time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.12))
        proc.kill()
        proc.wait()
        kills += 1
        if not os.path.exists(state):
            fail(f"after kill {kills} there is no state file to resume "
                 f"({len(records(history))} sessions recorded)")
        command = [BINARY, "play", "--resume", state]
    got = records(history)
    if len(got) != 1:
        fail(f"{len(got)} sessions recorded, expected 1")
    record = got[0]
    if record.get("end") != "SESSION_END_COMPLETED":
        fail(f"ended {record.get('end')}")
    if done_counts(record) != done_counts(expected[0]):
        fail(f"done counts {done_counts(record)} != uninterrupted {done_counts(expected[0])}")
    if int(record.get("pausedMs", "0")) <= 0 or record.get("pauses", 0) < 1:
        fail(f"the time between kill and resume is not counted as a pause: {record}")
    if os.path.exists(state):
        fail("the state file is still there after the session finished")
    print(f"ok: {kills} kills, {record.get('pauses')} pauses, paused {record.get('pausedMs')} ms")


main()
