#!/usr/bin/env python3
"""Checks that `regimen play` and `regimen simulate` take a routine file everywhere they take a
routine id: the Routine `regimen generate` prints, the ProgressDecision `regimen progress`
prints (its routine), text format, and a block whose prescription gives only some fields (the
rest come from the exercise's default prescription).

usage: routine_files_cli.py REGIMEN_BINARY SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=60)


def main():
    regimen, source = sys.argv[1], sys.argv[2]
    examples = os.path.join(source, "examples", "cli")
    failures = []

    def check(name, ok, detail=""):
        if not ok:
            failures.append("%s %s" % (name, detail))

    def plays(name, path, blocks):
        """Simulates and plays `path`; the session completes with `blocks` blocks."""
        r = run(regimen, "simulate", path, "--record")
        record = json.loads(r.stdout.splitlines()[-1]) if r.returncode == 0 else {}
        check("simulate " + name,
              r.returncode == 0 and record.get("end") == "SESSION_END_COMPLETED"
              and len(record.get("blocks", [])) == blocks, r.stderr)
        r = run(regimen, "play", path, "--speed", "1000")
        check("play " + name,
              r.returncode == 0 and "Finished: completed" in r.stdout, r.stderr + r.stdout[-300:])
        return record

    with tempfile.TemporaryDirectory() as tmp:
        generated = os.path.join(tmp, "generated.json")
        r = run(regimen, "generate", "--profile", os.path.join(examples, "profile.json"))
        check("generate", r.returncode == 0, r.stderr)
        with open(generated, "w") as f:
            f.write(r.stdout)
        plays("a generated routine", generated, len(json.loads(r.stdout)["blocks"]))

        decision = os.path.join(tmp, "decision.json")
        r = run(regimen, "progress", "--request", os.path.join(examples, "request.json"))
        check("progress", r.returncode == 0 and '"changes"' in r.stdout, r.stderr)
        with open(decision, "w") as f:
            f.write(r.stdout)
        plays("a progress decision", decision, len(json.loads(r.stdout)["routine"]["blocks"]))

        # A decision in text format, with no extension to tell it: found by its first bytes.
        text_decision = os.path.join(tmp, "decision")
        with open(text_decision, "w") as f:
            f.write('routine { id: "after" blocks { exercise_id: "grow_through_spine" } '
                    'blocks { exercise_id: "prone_leg_lift" } }\n'
                    'changes { exercise_id: "prone_leg_lift" action: HOLD reason: "held" }\n')
        plays("a text-format decision", text_decision, 2)

        partial = os.path.join(tmp, "partial.textproto")
        with open(partial, "w") as f:
            f.write('id: "partial"\n'
                    'blocks { exercise_id: "grow_through_spine" }\n'
                    'blocks { exercise_id: "prone_lift" prescription { sets: 2 } }\n')
        record = plays("a partial prescription", partial, 2)
        lift = record.get("blocks", [{}, {}])[1]
        check("the partial prescription keeps its sets", lift.get("setsPlanned") == 2, str(lift))

        plays("examples/cli/routine.json", os.path.join(examples, "routine.json"), 2)

        empty_decision = os.path.join(tmp, "empty_decision.json")
        with open(empty_decision, "w") as f:
            json.dump({"changes": []}, f)
        r = run(regimen, "simulate", empty_decision)
        check("a decision without a routine exits 1",
              r.returncode == 1 and "without a routine" in r.stderr and not r.stdout, r.stderr)
        broken = os.path.join(tmp, "broken.json")
        with open(broken, "w") as f:
            f.write('{"routine": {"id": "x", "blocks": [{"exerciseId": "prone_lift",\n'
                    '  "prescription": {"sets": "two"}}]}}\n')
        r = run(regimen, "play", broken)
        check("a broken decision names the decision and the place",
              r.returncode == 1 and "ProgressDecision" in r.stderr and broken in r.stderr
              and not r.stdout, r.stderr)
        r = run(regimen, "play", os.path.join(tmp, "missing.json"))
        check("a missing file lists the routines",
              r.returncode == 1 and "back_basics, back_basics_plus" in r.stderr, r.stderr)

    if failures:
        print("FAIL:\n  " + "\n  ".join(failures))
        return 1
    print("routine file CLI checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
