"""`regimen simulate --locale` and `regimen validate` per locale, from the outside.

usage: locale_cli.py REGIMEN SOURCE_DIR
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

regimen, source = sys.argv[1], sys.argv[2]
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def simulate(*args):
    return subprocess.run(
        [regimen, "simulate", "back_basics", "--record", *args], capture_output=True, text=True
    )


def run(locale):
    out = simulate("--locale", locale)
    check(out.returncode == 0, f"--locale {locale}: exit {out.returncode}: {out.stderr}")
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    return [e for e in lines[:-1] if e["type"] == "CUE"], lines[-1], out.stderr


english, en_record, _ = run("en")
german, de_record, de_err = run("de")
spanish, es_record, es_err = run("es-MX")
fallback, xx_record, xx_err = run("xx")

# German cues, every one spoken (none skipped), the same cue ids in the same places.
check(de_record["locale"] == "de", f"de record locale {de_record['locale']}")
check(de_record["cuesDropped"] == 0, f"de skipped {de_record['cuesDropped']} cues")
check(de_record["cuesSpoken"] == de_record["cuesTriggered"], "de: not every cue spoken")
check(german[0]["text"].startswith("Mach dich bereit"), f"de first cue {german[0]['text']}")
check(sorted(c["cueId"] for c in german) == sorted(c["cueId"] for c in english), "de cue ids differ from en")
texts_en = {c["text"] for c in english}
check(not any(c["text"] in texts_en for c in german), "a German cue is in English")
check(de_err == "", f"de: stderr {de_err}")
check(de_record["notes"] == [], f"de notes {de_record['notes']}")

# es-MX falls back to es, with no note (Spanish is there).
check(es_record["locale"] == "es", f"es-MX record locale {es_record['locale']}")
check(spanish[0]["text"].startswith("Prepárate"), f"es first cue {spanish[0]['text']}")
check(es_record["notes"] == [] and es_err == "", f"es-MX notes {es_record['notes']} {es_err}")
check(es_record["cuesDropped"] == 0, f"es skipped {es_record['cuesDropped']} cues")

# xx falls back to the source, with a note in the record and on stderr, never an error.
check(xx_record["locale"] == "en", f"xx record locale {xx_record['locale']}")
check(len(xx_record["notes"]) == 1 and '"xx"' in xx_record["notes"][0], f"xx notes {xx_record}")
check("note:" in xx_err and '"xx"' in xx_err, f"xx stderr {xx_err}")
check([c["text"] for c in fallback] == [c["text"] for c in english], "xx is not the English run")

# A malformed tag is a usage-level error: exit 1, the reason on stderr, nothing on stdout.
bad = simulate("--locale", "de_AT")
check(bad.returncode == 1 and bad.stdout == "", f"de_AT: exit {bad.returncode} {bad.stdout[:80]}")
check("BCP 47" in bad.stderr and '"de-AT"' in bad.stderr, f"de_AT stderr {bad.stderr}")

# validate reports every locale: translation status and the coverage rule in each.
pack = os.path.join(source, "catalog", "back_care.textproto")
out = subprocess.run([regimen, "validate", "--strict", pack], capture_output=True, text=True)
check(out.returncode == 0, f"validate --strict: exit {out.returncode}: {out.stderr}")
for locale in ("en", "de", "es"):
    check(f"cue coverage in {locale} " in out.stdout, f"validate: no coverage for {locale}")
check(re.search(r"locale de \(Deutsch\): (\d+) of \1 texts translated, 0 missing", out.stdout)
      is not None, out.stdout[:400])

# A pack file with a broken translation beside it: the error names the file.
with tempfile.TemporaryDirectory() as tmp:
    shutil.copy(pack, os.path.join(tmp, "back_care.textproto"))
    with open(os.path.join(tmp, "back_care.fr.textproto"), "w") as f:
        f.write('locale: "fr"\nmessages { id: "catalog.name" text: "Soin du dos" \n')
    out = subprocess.run(
        [regimen, "validate", os.path.join(tmp, "back_care.textproto")],
        capture_output=True,
        text=True,
    )
    check(out.returncode == 1 and "back_care.fr.textproto" in out.stderr, f"broken fr: {out.stderr}")
    with open(os.path.join(tmp, "back_care.fr.textproto"), "w") as f:
        f.write('locale: "fr"\nmessages { id: "catalog.name" text: "Soin du dos" }\n')
    out = subprocess.run(
        [regimen, "validate", os.path.join(tmp, "back_care.textproto")],
        capture_output=True,
        text=True,
    )
    check(out.returncode == 0 and "locale fr: 1 of" in out.stdout, f"partial fr: {out.stdout[:300]}")

# Progression and the generator in the profile's language (--locale overrides the profile's).
request = os.path.join(source, "examples", "cli", "request.json")
profile = os.path.join(source, "examples", "cli", "profile.json")


def decide(*args):
    out = subprocess.run([regimen, "progress", "--request", request, *args],
                         capture_output=True, text=True)
    check(out.returncode == 0, f"progress {args}: exit {out.returncode}: {out.stderr}")
    return json.loads(out.stdout) if out.returncode == 0 else {"routine": {}}


en_decision = decide()
de_decision = decide("--locale", "de")
es_decision = decide("--locale", "es-MX")
en_reasons = [c["reason"] for c in en_decision.get("changes", [])]
de_reasons = [c["reason"] for c in de_decision.get("changes", [])]
es_reasons = [c["reason"] for c in es_decision.get("changes", [])]
check(en_reasons and en_reasons[0].startswith("advanced prone_lift to level 1"),
      f"en: {en_reasons}")
check(de_reasons and de_reasons[0].startswith("prone_lift auf Stufe 1 (0..5) gesteigert: "),
      f"de: {de_reasons}")
check(es_reasons and es_reasons[0].startswith("prone_lift subido al nivel 1 (0..5): "),
      f"es-MX: {es_reasons}")
for name, decision in (("de", de_decision), ("es", es_decision)):
    stripped = [dict(c, reason="") for c in decision.get("changes", [])]
    check(stripped == [dict(c, reason="") for c in en_decision.get("changes", [])],
          f"{name}: the changes differ from the English ones beyond their words")
check(de_decision["routine"].get("notes", [""])[0].startswith("prone_rock bleibt gesperrt"),
      f"de notes: {de_decision['routine'].get('notes')}")
xx_notes = decide("--locale", "xx")["routine"].get("notes", [])
check(xx_notes and xx_notes[0].startswith('locale "xx" is not in the pack'), f"xx: {xx_notes}")
out = subprocess.run([regimen, "progress", "--request", request, "--locale", "de_AT"],
                     capture_output=True, text=True)
check(out.returncode == 1 and "profile.locale" in out.stderr and out.stdout == "",
      f"progress de_AT: {out.returncode} {out.stderr}")
out = subprocess.run([regimen, "generate", "--profile", profile, "--locale", "es"],
                     capture_output=True, text=True)
check(out.returncode == 0 and json.loads(out.stdout)["name"] == "Básicos de espalda",
      f"generate es: {out.returncode} {out.stdout[:200]} {out.stderr}")

if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok: simulate, progress and generate --locale de / es-MX / xx / de_AT; validate per locale")
