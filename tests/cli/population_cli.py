#!/usr/bin/env python3
"""Checks the unlock lines of `regimen simulate-population`, run by tests/cli_population.cmake.

usage: population_cli.py CLI CATALOG CHECK
CATALOG is catalog/back_care.textproto; the checks run it as it is and changed in a temporary
folder. The summary has one line per exercise that some user unlocked, catalog order,
"unlocked <exercise id>: <share>% of users"; each CHECK exits 1 with the reason on a failure.
"""
import os
import re
import subprocess
import sys
import tempfile

CLI, CATALOG, CHECK = sys.argv[1], sys.argv[2], sys.argv[3]
FLAGS = ["--users", "64", "--weeks", "20", "--seed", "7"]
UNLOCK_LINE = re.compile(r"^unlocked ([a-z0-9_]+): (\d+\.\d\d)% of users$")


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def population(*args):
    proc = subprocess.run([CLI, "simulate-population", *FLAGS, *args], capture_output=True,
                          text=True)
    if proc.returncode != 0:
        fail(f"simulate-population {' '.join(args)}: exit {proc.returncode}\n"
             f"stdout: {proc.stdout}\nstderr: {proc.stderr}")
    return proc.stdout


def unlocks(summary):
    """The unlock lines as [(exercise id, share)], in the order printed."""
    found = []
    for line in summary.splitlines():
        if line.startswith("unlocked"):
            match = UNLOCK_LINE.match(line)
            if not match:
                fail(f"malformed unlock line: {line!r}\n{summary}")
            found.append((match.group(1), float(match.group(2))))
    return found


def block(text, kind, id_):
    """The top-level `kind { id: "id_" ... }` block of a catalog text, with its closing line."""
    match = re.search(r'^%s \{\n  id: "%s"\n.*?^\}\n' % (kind, id_), text, re.M | re.S)
    if not match:
        fail(f"no {kind} {id_} in {CATALOG}")
    return match.group(0)


def with_catalog(text, *args):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "catalog.textproto")
        with open(path, "w") as f:
            f.write(text)
        return population("--catalog", path, *args)


def check_default():
    found = unlocks(population("--threads", "2"))
    if [id_ for id_, _ in found] != ["prone_rock"]:
        fail(f"wanted one unlock line, for prone_rock: {found}")
    if not 0 < found[0][1] < 100:
        fail(f"prone_rock unlocked by {found[0][1]}% of users")


def check_renamed():
    """The line names the exercise of the decisions' UNLOCK changes, not a fixed one."""
    with open(CATALOG) as f:
        text = f.read()
    summary = with_catalog(text.replace('"prone_rock"', '"rock_renamed"'), "--threads", "2")
    found = unlocks(summary)
    if [id_ for id_, _ in found] != ["rock_renamed"]:
        fail(f"wanted one unlock line, for rock_renamed: {found}\n{summary}")
    # Only the id changed: the same users unlock it.
    if found[0][1] != unlocks(population("--threads", "2"))[0][1]:
        fail(f"rock_renamed: {found[0][1]}%, prone_rock in the default pack: another share")


def check_two_gated():
    """Two gated exercises: a line each, in catalog order, the same for any number of threads."""
    with open(CATALOG) as f:
        text = f.read()
    rock = block(text, "exercises", "prone_rock")
    rule = block(text, "rules", "unlock_rock")
    twin = rock.replace('id: "prone_rock"', 'id: "rock_twin"', 1)
    twin_rule = rule.replace('id: "unlock_rock"', 'id: "unlock_twin"', 1).replace(
        'exercise_id: "prone_rock"', 'exercise_id: "rock_twin"')
    # The twin comes first in the catalog, though its id sorts after prone_rock.
    text = text.replace(rock, twin + rock).replace(rule, rule + twin_rule)
    one = with_catalog(text, "--threads", "1")
    found = unlocks(one)
    if [id_ for id_, _ in found] != ["rock_twin", "prone_rock"]:
        fail(f"wanted lines for rock_twin then prone_rock: {found}\n{one}")
    if unlocks(with_catalog(text, "--threads", "2")) != found:
        fail("the unlock lines differ with 2 threads")


CHECKS = {"default": check_default, "renamed": check_renamed, "two_gated": check_two_gated}

if __name__ == "__main__":
    CHECKS[CHECK]()
