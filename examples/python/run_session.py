#!/usr/bin/env python3
"""Runs a built-in routine to the end with the Python binding, printing each cue.

Simulated time: it ticks straight to each deadline instead of sleeping, so a ten-minute session
takes milliseconds. A real app would sleep until `session.next_deadline` and tick with its
monotonic clock.

    python3 examples/python/run_session.py [routine_id [attestation ...]]

with the wheel installed (bindings/python/README.md), or from the source tree with
`REGIMEN_LIBRARY=build/lib/libregimen.so PYTHONPATH=bindings/python`.

A routine with a gated exercise runs only with the attestations the user gives, e.g.
`run_session.py back_basics_plus spine_flexible_strong_balanced` (its rock needs that one).
"""

import sys

import regimen


def main(routine_id: str = "back_basics", *attestations: str) -> int:
    options = {"attestations": list(attestations)} if attestations else None
    try:
        with regimen.Catalog.default() as pack, \
                regimen.Session(pack, pack.routine(routine_id), options=options) as session:
            now = 0
            session.start(now)
            while True:
                for event in session.events():
                    if event.type == "CUE":
                        print(f"{event.at_ms / 1000:7.1f}s  {event.exercise_id:20} {event.text}")
                    elif event.type == "SESSION_COMPLETED":
                        print(f"{event.at_ms / 1000:7.1f}s  session completed")
                if session.finished:
                    break
                if session.next_deadline is None:
                    session.rep_done(now)  # a phase waits for the user: tap "done" for them
                else:
                    now = session.next_deadline
                    session.tick(now)
            record = session.record()
            active_s = int(record.get("activeMs", 0)) / 1000  # an int64: a JSON string
            print(f"{len(record['blocks'])} blocks, {active_s:.0f}s active")
    except regimen.Error as error:
        print(f"regimen: {error.code}: {error.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
