#!/usr/bin/env python3
"""`regimen simulate-population --export DIR`: the files are the same for any --threads, hold
one line per user (records: one per record the last decision read), the summary is the one
printed without --export, and a folder that cannot be made is a clear error (exit 1, nothing on
stdout), an empty one a usage error (exit 2).

usage: population_export.py REGIMEN_BINARY
"""
import base64
import json
import os
import subprocess
import sys
import tempfile

ARGS = ["simulate-population", "--users", "300", "--weeks", "6", "--seed", "11"]
FILES = ("profiles.jsonl", "records.jsonl", "decisions.jsonl")


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def run(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, text=True)


def summary(stdout):
    # The lines that depend on the run, not on the users.
    skip = ("threads:", "wall time:", "sessions per second:")
    return [line for line in stdout.splitlines() if not line.startswith(skip)]


def read(folder):
    contents = {}
    for name in FILES:
        with open(os.path.join(folder, name), "rb") as f:
            contents[name] = f.read()
    return contents


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        plain = run(binary, *ARGS, "--threads", "1")
        if plain.returncode != 0:
            fail(f"plain run exited {plain.returncode}: {plain.stderr}")
        exports = {}
        for threads in ("1", "3"):
            folder = os.path.join(tmp, f"t{threads}", "nested")  # parents are made
            result = run(binary, *ARGS, "--threads", threads, "--export", folder)
            if result.returncode != 0:
                fail(f"--threads {threads} --export exited {result.returncode}: {result.stderr}")
            if summary(result.stdout) != summary(plain.stdout):
                fail(f"--export changed the summary:\n{result.stdout}\nvs\n{plain.stdout}")
            exports[threads] = read(folder)
        if exports["1"] != exports["3"]:
            fail("the export differs between --threads 1 and --threads 3")

        files = exports["1"]
        profiles = [json.loads(line) for line in files["profiles.jsonl"].splitlines()]
        records = [json.loads(line) for line in files["records.jsonl"].splitlines()]
        decisions = [json.loads(line) for line in files["decisions.jsonl"].splitlines()]
        if [p["user_id"] for p in profiles] != list(range(300)):
            fail("profiles.jsonl is not one line per user in user order")
        if [d["user_id"] for d in decisions] != list(range(300)):
            fail("decisions.jsonl is not one line per user in user order")
        for p in profiles:
            for field in ("profile", "routine"):
                if not base64.b64decode(p[field], validate=True):
                    fail(f"user {p['user_id']}: empty {field}")
        per_user = {}
        for r in records:
            per_user.setdefault(r["user_id"], []).append(r["seq"])
            base64.b64decode(r["record"], validate=True)
        if sorted(per_user) != list(range(300)):
            fail("records.jsonl does not cover every user")
        # 6 weeks of 2 sessions: the last decision reads the 6 most recent records (kHistory).
        if any(seqs != list(range(6)) for seqs in per_user.values()):
            fail("a user's records are not seq 0..5 in order")
        stops = sum(r["safety_stops"] for r in records)
        print(f"export: {len(profiles)} users, {len(records)} records, {stops} safety stops")

        blocker = os.path.join(tmp, "a_file")
        with open(blocker, "w") as f:
            f.write("not a folder")
        bad = run(binary, *ARGS, "--export", os.path.join(blocker, "out"))
        if bad.returncode != 1 or bad.stdout or "--export: cannot make the folder" not in bad.stderr:
            fail(f"a folder under a file: exit {bad.returncode}, stdout {bad.stdout!r}, "
                 f"stderr {bad.stderr!r}")
        if "Traceback" in bad.stderr or "terminate" in bad.stderr:
            fail(f"crashed: {bad.stderr}")
        empty = run(binary, *ARGS, "--export=")
        if empty.returncode != 2 or "--export needs a folder" not in empty.stderr:
            fail(f"--export= : exit {empty.returncode}, stderr {empty.stderr!r}")
    print("population export checks passed")


if __name__ == "__main__":
    main()
