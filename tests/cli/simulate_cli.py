#!/usr/bin/env python3
"""Checks `regimen simulate` from the outside: exit codes, --record, --options, file routines,
the primer rule, and the gate (--attest) of `simulate` and `play`.

usage: simulate_cli.py REGIMEN_BINARY SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


def main():
    regimen, source = sys.argv[1], sys.argv[2]
    failures = []

    def check(name, ok, detail=""):
        if not ok:
            failures.append("%s %s" % (name, detail))

    r = run(regimen, "simulate", "back_basics", "--record")
    check("simulate exits 0", r.returncode == 0, r.stderr)
    lines = r.stdout.splitlines()
    events = [json.loads(line) for line in lines[:-1]]
    record = json.loads(lines[-1])
    check("last event", events[-1]["type"] == "SESSION_COMPLETED")
    check("record last", record["end"] == "SESSION_END_COMPLETED" and len(record["blocks"]) == 4)
    times = [int(e["atMs"]) for e in events]
    check("times never decrease", times == sorted(times))
    reps = sum(1 for e in events if e["type"] == "REP_COMPLETED")
    done = sum(s["repsDone"] for b in record["blocks"] for s in b["sides"])
    check("record agrees", reps == done, "%d vs %d" % (reps, done))

    with tempfile.TemporaryDirectory() as tmp:
        options = os.path.join(tmp, "options.textproto")
        with open(options, "w") as f:
            f.write("count_in_ms: 0\n")
        r = run(regimen, "simulate", "back_basics", "--options", options)
        first = [json.loads(line) for line in r.stdout.splitlines()[:2]]
        check("options apply", r.returncode == 0 and first[1]["type"] == "EXERCISE_STARTED",
              r.stderr)
        routine = os.path.join(tmp, "routine.json")
        with open(routine, "w") as f:
            json.dump({"id": "mine", "blocks": [{"exerciseId": "grow_through_spine"},
                                                {"exerciseId": "prone_lift"}]}, f)
        r = run(regimen, "simulate", routine)
        check("routine file", r.returncode == 0 and "prone_lift" in r.stdout, r.stderr)
        no_primer = os.path.join(tmp, "no_primer.json")
        with open(no_primer, "w") as f:
            json.dump({"id": "no_primer", "blocks": [{"exerciseId": "prone_lift"}]}, f)
        r = run(regimen, "simulate", no_primer)
        check("a routine must start with the primer",
              r.returncode == 1 and "blocks[0]: a routine starts with the primer "
              "grow_through_spine, got prone_lift" in r.stderr and not r.stdout, r.stderr)
        attested = os.path.join(tmp, "attested.textproto")
        with open(attested, "w") as f:
            f.write('attestations: "spine_flexible_strong_balanced"\n')
        r = run(regimen, "simulate", "back_basics_plus", "--options", attested)
        check("attestation in --options", r.returncode == 0 and "prone_rock" in r.stdout,
              r.stderr)
        bad = os.path.join(tmp, "bad.json")
        with open(bad, "w") as f:
            json.dump({"id": "bad", "blocks": [{"exerciseId": "nope"}]}, f)
        r = run(regimen, "simulate", bad)
        check("bad routine exits 1", r.returncode == 1 and "blocks[0].exercise_id" in r.stderr,
              r.stderr)
        script = os.path.join(tmp, "script.textproto")
        with open(script, "w") as f:
            f.write("inputs { at_ms: 5000 tick: true }\ninputs { at_ms: 1000 tick: true }\n")
        r = run(regimen, "simulate", "back_basics", "--script", script)
        check("backwards script exits 1",
              r.returncode == 1 and "inputs[1]: time went backwards: 1000 ms after 5000 ms"
              in r.stderr, r.stderr)

    # The gate: back_basics_plus holds prone_rock, which needs the user's attestation.
    for command in ("simulate", "play"):
        r = run(regimen, command, "back_basics_plus")
        check(command + " without --attest exits 1",
              r.returncode == 1 and "prone_rock" in r.stderr
              and "spine_flexible_strong_balanced" in r.stderr and "--attest" in r.stderr
              and not r.stdout, "%d %r %r" % (r.returncode, r.stderr, r.stdout[:200]))
    r = run(regimen, "simulate", "back_basics_plus", "--attest",
            "spine_flexible_strong_balanced", "--record")
    lines = r.stdout.splitlines()
    check("simulate --attest runs the rock",
          r.returncode == 0 and '"exerciseId":"prone_rock"' in r.stdout
          and json.loads(lines[-1])["end"] == "SESSION_END_COMPLETED", r.stderr)
    r = run(regimen, "play", "back_basics_plus", "--speed", "1000", "--attest",
            "spine_flexible_strong_balanced")
    check("play --attest runs the rock",
          r.returncode == 0 and "Prone rock" in r.stdout and "Finished: completed" in r.stdout,
          "%d %r %r" % (r.returncode, r.stderr, r.stdout[-300:]))
    r = run(regimen, "simulate", "back_basics", "--attest", "spine_flexible")
    check("unknown attestation exits 1",
          r.returncode == 1 and 'options.attestations[0]: unknown attestation "spine_flexible"'
          in r.stderr, r.stderr)

    r = run(regimen, "simulate", "no_such_routine")
    check("unknown routine exits 1", r.returncode == 1, r.stderr)
    r = run(regimen, "simulate", "back_basics", "--bogus")
    check("bad flag exits 2", r.returncode == 2, r.stderr)
    r = run(regimen, "simulate")
    check("no routine exits 2", r.returncode == 2, r.stderr)
    r = run(regimen, "play", "back_basics", "--speed", "0")
    check("bad speed exits 2", r.returncode == 2, r.stderr)

    if failures:
        print("FAIL:\n  " + "\n  ".join(failures))
        return 1
    print("simulate CLI checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
