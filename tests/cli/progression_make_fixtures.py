#!/usr/bin/env python3
"""Writes the JSON fixtures of tests/data/progression/ used by tests/cli_progression.cmake.

Run from anywhere: python3 tests/cli/progression_make_fixtures.py. The records are shaped like
the SessionRecords rgm_session_record returns for back_basics (four blocks, every rep done).
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "data", "progression")

# exercise id, reps planned per side, sides
BLOCKS = [
    ("grow_through_spine", [("SIDE_UNSPECIFIED", 1)]),
    ("prone_lift", [("SIDE_UNSPECIFIED", 4)]),
    ("prone_leg_lift", [("LEFT", 4), ("RIGHT", 4)]),
    ("prone_opposite_lift", [("LEFT", 3), ("RIGHT", 3)]),
]


def record(index, pain=1, effort=5, pain_exercise="prone_lift", asymmetry=None):
    start = index * 3_600_000
    blocks = []
    for i, (exercise, sides) in enumerate(BLOCKS):
        blocks.append({
            "blockIndex": i,
            "exerciseId": exercise,
            "outcome": "BLOCK_OUTCOME_COMPLETED",
            "setsPlanned": 1,
            "setsDone": 1,
            "sides": [{"side": side, "repsPlanned": reps, "repsDone": reps}
                      for side, reps in sides],
            "level": 0,
        })
    reports = [
        {"atMs": str(start + 60_000), "kind": "REPORT_PAIN", "value": pain,
         "blockIndex": 1 + [b[0] for b in BLOCKS[1:]].index(pain_exercise),
         "exerciseId": pain_exercise, "location": "low back"},
        {"atMs": str(start + 240_000), "kind": "REPORT_EFFORT", "value": effort,
         "blockIndex": -1},
    ]
    if asymmetry:
        reports.append({"atMs": str(start + 120_000), "kind": "REPORT_ASYMMETRY",
                        "side": asymmetry, "blockIndex": 2, "exerciseId": "prone_leg_lift"})
    # In time order, as the engine records them (progression refuses times that run backwards).
    reports.sort(key=lambda report: int(report["atMs"]))
    out = {
        "routineId": "back_basics",
        "startedAtMs": str(start),
        "endedAtMs": str(start + 253_000),
        "activeMs": "253000",
        "end": "SESSION_END_COMPLETED",
        "blocks": blocks,
        "reports": reports,
    }
    if pain >= 6:
        # A pain report at the stop threshold ends the session there: the later blocks are not
        # reached and the effort report after it is never made.
        stop = 1 + [b[0] for b in BLOCKS[1:]].index(pain_exercise)
        out["safetyStops"] = [{"atMs": str(start + 60_000), "blockIndex": stop,
                               "exerciseId": pain_exercise, "pain": pain}]
        out["end"] = "SESSION_END_SAFETY_STOP"
        out["endedAtMs"] = str(start + 60_000)
        out["activeMs"] = "60000"
        out["reports"] = [r for r in reports if int(r["atMs"]) <= start + 60_000]
        out["blocks"][stop]["outcome"] = "BLOCK_OUTCOME_SAFETY_STOPPED"
        out["blocks"][stop]["setsDone"] = 0
        out["blocks"][stop]["sides"][0]["repsDone"] = 2
        for block in out["blocks"][stop + 1:]:
            block["outcome"] = "BLOCK_OUTCOME_UNSPECIFIED"
            block["setsDone"] = 0
            for side in block["sides"]:
                side["repsDone"] = 0
    return out


def write(name, message):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(message, f, indent=1)
        f.write("\n")


ATTESTED = {"minutesPerWeek": 20, "sessionsPerWeek": 2, "seed": "11",
            "attestations": ["spine_flexible_strong_balanced"]}
NOT_ATTESTED = {"minutesPerWeek": 20, "sessionsPerWeek": 2, "seed": "11"}
CLEAN = [record(i) for i in range(4)]

write("profile_no_attestation.json", {**NOT_ATTESTED, "level": 5})
write("profile_attested.json", {**ATTESTED, "level": 5})
write("request_unlock.json", {"profile": ATTESTED, "records": CLEAN})
write("request_no_attestation.json", {"profile": NOT_ATTESTED, "records": CLEAN})
write("request_pain7.json", {"profile": ATTESTED,
                             "records": CLEAN[:3] + [record(3, pain=7)]})
write("request_asymmetry.json", {"profile": ATTESTED,
                                 "records": [record(0), record(1, asymmetry="RIGHT"),
                                             record(2, asymmetry="RIGHT")]})
write("request_bad_pain.json", {"profile": ATTESTED, "records": [record(0, pain=11)]})
