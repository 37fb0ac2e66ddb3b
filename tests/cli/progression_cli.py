#!/usr/bin/env python3
"""Acceptance checks of `regimen generate|progress|schedule`, run by tests/cli_progression.cmake.

usage: progression_cli.py CLI DATA_DIR CHECK
Each CHECK runs the built tool on the fixtures of tests/data/progression/ and asserts exact
values; it exits 1 with the reason on the first failure.
"""
import datetime
import json
import subprocess
import sys

CLI, DATA, CHECK = sys.argv[1], sys.argv[2], sys.argv[3]


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def run(*args, rc=0):
    proc = subprocess.run([CLI, *args], capture_output=True, text=True)
    if proc.returncode != rc:
        fail(f"regimen {' '.join(args)}: exit {proc.returncode}, wanted {rc}\n"
             f"stdout: {proc.stdout}\nstderr: {proc.stderr}")
    return proc


def run_json(*args):
    return json.loads(run(*args).stdout)


def data(name):
    return f"{DATA}/{name}"


def exercises(routine):
    return [b["exerciseId"] for b in routine.get("blocks", [])]


def check_no_attestation():
    routine = run_json("generate", "--profile", data("profile_no_attestation.json"))
    if "prone_rock" in exercises(routine):
        fail(f"generated routine has prone_rock: {exercises(routine)}")
    if exercises(routine)[0] != "grow_through_spine":
        fail(f"the primer is not first: {exercises(routine)}")
    if not any("prone_rock" in note and "spine_flexible_strong_balanced" in note
               for note in routine.get("notes", [])):
        fail(f"no note explains why prone_rock is left out: {routine.get('notes')}")
    decision = run_json("progress", "--request", data("request_no_attestation.json"))
    if "prone_rock" in exercises(decision["routine"]):
        fail("progression unlocked prone_rock without the attestation")
    if any(c.get("action") == "UNLOCK" for c in decision.get("changes", [])):
        fail(f"an UNLOCK change without the attestation: {decision['changes']}")


def check_unlock():
    decision = run_json("progress", "--request", data("request_unlock.json"))
    unlocks = [c for c in decision.get("changes", []) if c.get("action") == "UNLOCK"]
    if len(unlocks) != 1 or unlocks[0]["exerciseId"] != "prone_rock":
        fail(f"wanted one UNLOCK of prone_rock, got {decision.get('changes')}")
    reason = unlocks[0]["reason"]
    for words in ("unlocked prone_rock", "attests spine_flexible_strong_balanced",
                  "last 4 sessions", "max pain 1 ≤ 3"):
        if words not in reason:
            fail(f"reason lacks {words!r}: {reason}")
    if exercises(decision["routine"])[-1] != "prone_rock":
        fail(f"prone_rock is not in the next routine: {exercises(decision['routine'])}")


def check_pain7():
    decision = run_json("progress", "--request", data("request_pain7.json"))
    if "prone_rock" in exercises(decision["routine"]):
        fail("prone_rock unlocked despite pain 7")
    actions = {(c["exerciseId"], c.get("action")) for c in decision.get("changes", [])}
    if any(action in ("UNLOCK", "ADVANCE") for _, action in actions):
        fail(f"an unlock or advance after pain 7: {decision['changes']}")
    notes = decision["routine"].get("notes", [])
    if not any("prone_rock stays locked" in n and "max pain 7 > 3" in n for n in notes):
        fail(f"no note says why prone_rock stays locked: {notes}")


def check_schedule_dst():
    schedule = run_json("schedule", "--profile", data("profile_berlin.json"), "--from",
                        "2026-10-19", "--days", "14")
    sessions = schedule.get("sessions", [])
    if len(sessions) != 4:
        fail(f"wanted 4 sessions in two weeks, got {sessions}")
    dates = [datetime.date.fromisoformat(s["date"]) for s in sessions]
    for s in sessions:
        if s["routineId"] != "back_basics":
            fail(f"session routine {s['routineId']}, wanted back_basics")
    for a, b in zip(dates, dates[1:]):
        if (b - a).days < 2:
            fail(f"sessions {a} and {b} are less than 2 days apart")
    if not all(datetime.date(2026, 10, 19) <= d <= datetime.date(2026, 11, 1) for d in dates):
        fail(f"a session outside the 14 days: {dates}")
    per_day = {}
    previous = None
    for prompt in schedule.get("prompts", []):
        if prompt["habitId"] != "posture_check":
            fail(f"unexpected habit {prompt['habitId']}")
        moment = datetime.datetime.fromisoformat(prompt["time"])
        local = moment.time()
        if not (datetime.time(7, 30) <= local < datetime.time(22, 0)):
            fail(f"prompt outside waking hours 07:30-22:00: {prompt['time']}")
        # Central European (Summer) Time: +02:00 until 2026-10-25 03:00, then +01:00.
        offset = moment.utcoffset()
        wanted = datetime.timedelta(hours=2 if moment.date() < datetime.date(2026, 10, 25)
                                    else 1)
        if offset != wanted:
            fail(f"prompt {prompt['time']} has offset {offset}, wanted {wanted}")
        if previous is not None and (moment - previous) < datetime.timedelta(minutes=45):
            fail(f"prompts less than 45 min apart: {previous} and {moment}")
        previous = moment
        per_day[moment.date()] = per_day.get(moment.date(), 0) + 1
    if len(per_day) != 14 or set(per_day.values()) != {10}:
        fail(f"wanted 10 prompts on each of 14 days, got {per_day}")
    again = run_json("schedule", "--profile", data("profile_berlin.json"), "--from",
                     "2026-10-19", "--days", "14")
    if again != schedule:
        fail("the same request gave another schedule")


def check_errors():
    proc = run("progress", "--request", data("request_bad_pain.json"), rc=1)
    if "records[0].reports[0].value: pain must be 0..10, got 11" not in proc.stderr:
        fail(f"bad pain message: {proc.stderr}")
    proc = run("schedule", "--profile", data("profile_berlin.json"), "--from", "2026-10-19",
               rc=2)
    if "usage: regimen schedule" not in proc.stderr:
        fail(f"no usage line: {proc.stderr}")
    proc = run("schedule", "--profile", data("profile_berlin.json"), "--from", "2026-02-30",
               "--days", "3", rc=1)
    if 'request.start_date: not a YYYY-MM-DD date, got "2026-02-30"' not in proc.stderr:
        fail(f"bad date message: {proc.stderr}")
    proc = run("generate", rc=2)


CHECKS = {
    "no_attestation": check_no_attestation,
    "unlock": check_unlock,
    "pain7": check_pain7,
    "schedule_dst": check_schedule_dst,
    "errors": check_errors,
}

if CHECK not in CHECKS:
    fail(f"unknown check {CHECK}; known: {', '.join(CHECKS)}")
CHECKS[CHECK]()
print("ok:", CHECK)
