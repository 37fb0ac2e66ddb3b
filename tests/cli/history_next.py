#!/usr/bin/env python3
"""The twice-a-week loop from the outside: three `regimen play` runs append to the history,
`regimen history` lists them, `regimen next --profile F` decides and stores the next routine,
`regimen play next` plays it; corrupt and newer-schema history files are refused untouched.

usage: history_next.py REGIMEN_BINARY WORK_DIR
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys

BINARY, WORK = sys.argv[1], sys.argv[2]


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def run(*args, rc=0, env=None):
    proc = subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=180, env=env)
    if proc.returncode != rc:
        fail(f"regimen {' '.join(args)}: exit {proc.returncode}, wanted {rc}\n"
             f"stdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr}")
    return proc


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    history = os.path.join(WORK, "history.sqlite3")
    profile = os.path.join(WORK, "profile.json")
    with open(profile, "w", encoding="utf-8") as out:
        json.dump({"minutesPerWeek": 30, "sessionsPerWeek": 2, "seed": 4}, out)

    first = run("history", "--history", history)
    if "no sessions yet" not in first.stdout:
        fail(f"an empty history says: {first.stdout!r}")
    for _ in range(3):
        run("play", "back_basics", "--speed", "1000", "--history", history)
    listing = run("history", "--history", history).stdout.splitlines()
    if len(listing) != 4 or not listing[0].startswith("date"):
        fail(f"history lists {listing}")
    for row in listing[1:]:
        cells = row.split()
        # date, time, routine, minutes, completion, safety stops, max pain
        if cells[2] != "back_basics" or cells[4] != "100%" or cells[5] != "0" or cells[6] != "0":
            fail(f"row {row!r}")
        if not 4.0 <= float(cells[3]) <= 4.5:
            fail(f"minutes in {row!r}")

    decision = json.loads(run("next", "--profile", profile, "--history", history).stdout)
    routine = decision["routine"]
    if [b["exerciseId"] for b in routine["blocks"]][0] != "grow_through_spine":
        fail(f"the next routine does not start with the primer: {routine}")
    if not any(c.get("action") == "ADVANCE" for c in decision.get("changes", [])):
        fail(f"three clean sessions advanced nothing: {decision.get('changes')}")
    played = run("play", "next", "--speed", "1000", "--history", history)
    if "Finished: completed" not in played.stdout:
        fail(f"play next: {played.stdout[-500:]}")
    records = [json.loads(line) for line in
               run("history", "--history", history, "--json").stdout.splitlines()]
    if len(records) != 4:
        fail(f"{len(records)} records after play next")
    if records[-1].get("blocks", [{}])[1].get("level", 0) != routine.get("levels", [0, 0])[1]:
        fail(f"play next did not play the stored routine: {records[-1]} vs {routine}")

    # Without --history: $XDG_DATA_HOME/regimen/history.sqlite3.
    env = dict(os.environ, XDG_DATA_HOME=os.path.join(WORK, "xdg"))
    run("play", "back_basics", "--speed", "1000", env=env)
    if not os.path.exists(os.path.join(WORK, "xdg", "regimen", "history.sqlite3")):
        fail("no history under XDG_DATA_HOME")

    # A file that is not a history, and one of a newer schema: exit 1, named, untouched.
    corrupt = os.path.join(WORK, "corrupt.sqlite3")
    with open(corrupt, "wb") as out:
        out.write(b"this is not a database\n" * 50)
    newer = os.path.join(WORK, "newer.sqlite3")
    db = sqlite3.connect(newer)
    db.execute(f"PRAGMA application_id = {0x52474D4E}")
    db.execute("PRAGMA user_version = 9")
    db.execute("CREATE TABLE records(id INTEGER PRIMARY KEY)")
    db.commit()
    db.close()
    for path, words in [(corrupt, "not a Regimen history"), (newer, "schema version 9")]:
        before = open(path, "rb").read()
        for args in (["history", "--history", path],
                     ["play", "back_basics", "--speed", "1000", "--history", path],
                     ["next", "--profile", profile, "--history", path]):
            proc = run(*args, rc=1)
            if words not in proc.stderr or path not in proc.stderr:
                fail(f"{args}: {proc.stderr!r}")
            if proc.stdout:
                fail(f"{args} printed {proc.stdout[:200]!r}")
        if open(path, "rb").read() != before:
            fail(f"{path} was changed")
    print("ok")


main()
