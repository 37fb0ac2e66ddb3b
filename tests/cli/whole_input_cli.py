#!/usr/bin/env python3
"""Checks that every input of the `regimen` tool is read and checked whole before any output:
a script, options file, profile or request with an error prints nothing on stdout and exits 1,
however late in the input the error is; and a script that leaves the session paused forever is
an error, not a warning.

usage: whole_input_cli.py REGIMEN_BINARY SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile


def run(*args, env=None):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=60, env=env)


def main():
    regimen, source = sys.argv[1], sys.argv[2]
    profile = os.path.join(source, "examples", "cli", "profile.json")
    request = os.path.join(source, "examples", "cli", "request.json")
    failures = []

    def check(name, ok, detail=""):
        if not ok:
            failures.append("%s %s" % (name, detail))

    def fails_quietly(name, args, message, env=None):
        r = run(regimen, *args, env=env)
        check(name + ": exit 1, nothing on stdout, the reason on stderr",
              r.returncode == 1 and r.stdout == "" and message in r.stderr,
              "%d %r %r" % (r.returncode, r.stdout[:200], r.stderr))

    with tempfile.TemporaryDirectory() as tmp:
        def write(name, text):
            path = os.path.join(tmp, name)
            with open(path, "w") as f:
                f.write(text)
            return path

        # Bad inputs late in the script: the events before them are not printed either.
        late_pain = write("late_pain.textproto",
                          "inputs { at_ms: 30000 signal: SIGNAL_PAUSE }\n"
                          "inputs { at_ms: 35000 signal: SIGNAL_RESUME }\n"
                          "inputs { at_ms: 90000 report { kind: REPORT_PAIN value: 11 } }\n")
        fails_quietly("a pain of 11 at 90 s", ["simulate", "back_basics", "--script", late_pain],
                      late_pain + ": inputs[2]: pain must be 0..10, got 11")
        backwards = write("backwards.textproto",
                          "inputs { at_ms: 60000 tick: true }\ninputs { at_ms: 1000 tick: true }\n")
        fails_quietly("time going backwards", ["simulate", "back_basics", "--script", backwards],
                      "inputs[1]: time went backwards: 1000 ms after 60000 ms")
        no_input = write("no_input.json", json.dumps({"inputs": [{"atMs": "2000", "tick": True},
                                                                 {"atMs": "70000"}]}))
        fails_quietly("an input with nothing set", ["simulate", "back_basics", "--script",
                                                   no_input], "inputs[1]: no input set")
        for play_args in (["--record"], []):
            fails_quietly("a bad script with " + (" ".join(play_args) or "no flags"),
                          ["simulate", "back_basics_plus", "--attest",
                           "spine_flexible_strong_balanced", "--script", late_pain] + play_args,
                          "pain must be 0..10")

        # Paused forever: ends paused, or a pause whose later inputs never resume it.
        ends_paused = write("ends_paused.textproto",
                            "inputs { at_ms: 10000 signal: SIGNAL_PAUSE }\n")
        fails_quietly("a script that ends paused",
                      ["simulate", "back_basics", "--script", ends_paused, "--record"],
                      "inputs[0]: the session is paused at 10000 ms and no later input resumes it")
        never_resumed = write("never_resumed.textproto",
                              "inputs { at_ms: 10000 signal: SIGNAL_PAUSE }\n"
                              "inputs { at_ms: 20000 signal: SIGNAL_RESUME }\n"
                              "inputs { at_ms: 40000 signal: SIGNAL_PAUSE }\n"
                              "inputs { at_ms: 50000 report { kind: REPORT_EFFORT value: 3 } }\n"
                              "inputs { at_ms: 900000 tick: true }\n")
        fails_quietly("a pause never resumed",
                      ["simulate", "back_basics", "--script", never_resumed],
                      "inputs[2]: the session is paused at 40000 ms and no later input resumes")
        resumed = write("resumed.textproto", "inputs { at_ms: 10000 signal: SIGNAL_PAUSE }\n"
                                             "inputs { at_ms: 20000 signal: SIGNAL_RESUME }\n")
        r = run(regimen, "simulate", "back_basics", "--script", resumed, "--record")
        record = json.loads(r.stdout.splitlines()[-1]) if r.returncode == 0 else {}
        check("a resumed pause runs to the end",
              record.get("end") == "SESSION_END_COMPLETED" and record.get("pausedMs") == "10000"
              and not r.stderr, r.stderr)
        stopped = write("stopped.textproto", "inputs { at_ms: 10000 signal: SIGNAL_PAUSE }\n"
                                             "inputs { at_ms: 20000 signal: SIGNAL_STOP }\n")
        r = run(regimen, "simulate", "back_basics", "--script", stopped, "--record")
        check("a paused session stopped ends", r.returncode == 0 and
              '"end":"SESSION_END_STOPPED"' in r.stdout, r.stderr)

        # Options, profiles and requests.
        options = write("options.json", json.dumps({"countInMs": "3000", "cueGapMs": "9000"}))
        fails_quietly("an option out of range", ["simulate", "back_basics", "--options", options],
                      "cue_gap_ms")
        fails_quietly("an unknown option field", ["simulate", "back_basics", "--options",
                                                 write("o.json", '{"speed": 2}')], "o.json")
        bad_zone = write("bad_zone.json", json.dumps(
            dict(json.load(open(profile)), timeZone="Mars/Olympus_Mons")))
        fails_quietly("generate with a bad zone", ["generate", "--profile", bad_zone],
                      "Mars/Olympus_Mons")
        fails_quietly("schedule with a bad zone", ["schedule", "--profile", bad_zone, "--from",
                                                   "2026-10-19", "--days", "7"],
                      "Mars/Olympus_Mons")
        env = dict(os.environ, XDG_DATA_HOME=tmp)
        fails_quietly("next with a bad zone", ["next", "--profile", bad_zone], "Mars/Olympus_Mons",
                      env=env)
        bad_request = json.load(open(request))
        bad_request["profile"]["sessionsPerWeek"] = 9
        fails_quietly("progress with a bad profile",
                      ["progress", "--request", write("bad_request.json", json.dumps(bad_request))],
                      "profile.sessions_per_week: must be 1..7")
        truncated = write("truncated.json", open(request).read()[:-40])
        fails_quietly("a truncated request", ["progress", "--request", truncated], "truncated.json")

    if failures:
        print("FAIL:\n  " + "\n  ".join(failures))
        return 1
    print("whole-input CLI checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
