#!/usr/bin/env python3
"""`regimen l10n speak` with espeak-ng (issue 19): every spoken German text gets a measured,
plausible speak_ms, the rest none, the words are unchanged, and the summary compares the measured
times with the estimates.

usage: l10n_speak.py REGIMEN SOURCE_DIR
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from l10n_cli import textproto_messages  # noqa: E402


def main():
    regimen, source = sys.argv[1], sys.argv[2]
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)

    pack = os.path.join(source, "catalog", "back_care.textproto")
    with open(os.path.join(source, "catalog", "back_care.de.textproto"), encoding="utf-8") as f:
        top_before, before = textproto_messages(f.read())
    # The spoken texts, as export marks them for the translator.
    po = subprocess.run([regimen, "l10n", "export", "--po", "de"], capture_output=True,
                        text=True).stdout
    spoken = set(re.findall(r'#\. [^\n]*Spoken aloud[^\n]*\n(?:#[^\n]*\n)*msgctxt "([^"]+)"', po))
    check(len(spoken) >= 20, "spoken texts in the export: %d" % len(spoken))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "back_care.de.textproto")
        r = subprocess.run([regimen, "l10n", "speak", "de", "--catalog", pack, "-o", out],
                           capture_output=True, text=True, timeout=280)
        check(r.returncode == 0, "speak exits 0: %s" % r.stderr[-2000:])
        check(re.search(r"measured / estimate .*: median \d+\.\d\d, min", r.stderr) is not None,
              "summary: " + r.stderr[-500:])
        top, after = textproto_messages(open(out, encoding="utf-8").read())
        check(top == top_before, "locale, name and rate kept")
        check(list(after) == list(before), "the same ids")
        for id_, fields in after.items():
            ms = int(fields.get("speak_ms", 0))
            if id_ in spoken:
                check(300 <= ms <= 20000, "%s: speak_ms %d" % (id_, ms))
            else:
                check(ms == 0, "%s is not spoken but has speak_ms %d" % (id_, ms))
            check(fields["text"] == before[id_]["text"], id_ + ": text changed")
        r = subprocess.run([regimen, "l10n", "speak", "en"], capture_output=True, text=True,
                           timeout=280)
        check(r.returncode == 0 and r.stdout == "" and "median" in r.stderr,
              "speak en prints the table only: " + r.stderr[-300:])
        env = dict(os.environ, PATH=tmp)
        r = subprocess.run([os.path.abspath(regimen), "l10n", "speak", "de"], capture_output=True,
                           text=True, env=env)
        check(r.returncode == 1 and "espeak-ng not found: apt-get install espeak-ng" in r.stderr,
              "no espeak-ng: " + r.stderr)
    if failures:
        print("FAIL:\n  " + "\n  ".join(failures))
        return 1
    print("l10n speak checks passed (%d spoken texts measured)" % len(spoken))
    return 0


if __name__ == "__main__":
    sys.exit(main())
