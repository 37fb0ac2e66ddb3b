#!/usr/bin/env python3
"""`regimen schedule` refuses every zone name that is not in the tz database and every date
outside 1970-01-01..2199-12-31, and prints only RFC 3339 times (run by tests/cli_schedule.cmake).

usage: schedule_zones_cli.py CLI WORK_DIR CHECK
CHECK is "zones", "dates" or "rfc3339"; exits 1 with the reason on the first failure.
"""
import json
import os
import re
import subprocess
import sys

CLI, WORK, CHECK = sys.argv[1], sys.argv[2], sys.argv[3]

REJECTED = ["localtime", "posixrules", "Factory", "Europe/Berlin\u0000xyz",
            "posix/Europe/Berlin", "right/UTC", "../zoneinfo/UTC", "/etc/localtime",
            "Europe//Berlin", "zone.tab", "leapseconds", "europe/berlin", "Nowhere/Land"]
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def profile(zone):
    os.makedirs(WORK, exist_ok=True)
    path = os.path.join(WORK, "profile_zone.json")
    with open(path, "w", encoding="utf-8") as out:
        json.dump({"timeZone": zone, "sessionsPerWeek": 2, "minutesPerWeek": 20}, out)
    return path


def schedule(zone, start, days, rc):
    proc = subprocess.run([CLI, "schedule", "--profile", profile(zone), "--from", start,
                           "--days", str(days)], capture_output=True, text=True)
    if proc.returncode != rc:
        fail(f"zone {zone!r} from {start}: exit {proc.returncode}, wanted {rc}\n"
             f"stdout: {proc.stdout}\nstderr: {proc.stderr}")
    if rc != 0 and proc.stdout:
        fail(f"zone {zone!r} from {start}: output on error: {proc.stdout}")
    return proc


def check_zones():
    for zone in REJECTED:
        proc = schedule(zone, "2026-10-19", 3, rc=1)
        if "profile.time_zone: unknown IANA time zone" not in proc.stderr:
            fail(f"zone {zone!r}: message {proc.stderr!r}")
    for zone in ["UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5"]:
        schedule(zone, "2026-10-19", 3, rc=0)


def check_dates():
    for start, days, field in [("1969-12-31", 3, "request.start_date: must be 1970-01-01"),
                               ("0001-01-01", 3, "request.start_date"),
                               ("9999-12-31", 3, "request.start_date"),
                               ("2199-12-31", 2, "request.days")]:
        proc = schedule("UTC", start, days, rc=1)
        if field not in proc.stderr:
            fail(f"{start} + {days} days: message {proc.stderr!r}")


def check_rfc3339():
    for zone, start in [("Africa/Monrovia", "1970-01-01"), ("Europe/Berlin", "2199-12-25"),
                        ("Asia/Kathmandu", "2026-03-01")]:
        out = json.loads(schedule(zone, start, 7, rc=0).stdout)
        times = [p["time"] for p in out.get("prompts", [])]
        if not times:
            fail(f"{zone}: no prompts")
        for time in times:
            if not RFC3339.match(time):
                fail(f"{zone}: {time!r} is not RFC 3339")


CHECKS = {"zones": check_zones, "dates": check_dates, "rfc3339": check_rfc3339}
if CHECK not in CHECKS:
    fail(f"unknown check {CHECK}; known: {', '.join(CHECKS)}")
CHECKS[CHECK]()
print("ok:", CHECK)
