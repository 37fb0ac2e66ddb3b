#!/usr/bin/env python3
"""`regimen l10n export --po` and `regimen l10n import` from the outside (issue 19): a PO round
trip (export, change one msgstr, import) changes exactly that text, and the imported file loads
and is spoken; import reports missing, fuzzy and obsolete entries; a malformed PO fails with its
line and writes nothing; a malformed locale fails with the BCP 47 message.

usage: l10n_cli.py REGIMEN SOURCE_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

CUE = "exercise.prone_lift.cue.soft_joints"
NEW_TEXT = 'Ganz locker: Ellbogen und Knie "weich".'

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def run(regimen, *args, **kwargs):
    return subprocess.run([regimen, *args], capture_output=True, text=True, **kwargs)


def unquote(s):
    """A C-quoted PO or text format string's value (the escapes both use)."""
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def po_entries(text):
    """{msgctxt: {"msgid", "msgstr", "comments", "flags"}} of a PO text, the header left out."""
    entries = {}
    for block in text.split("\n\n"):
        entry = {"comments": [], "flags": [], "msgctxt": None}
        key = None
        for line in block.splitlines():
            if line.startswith("#."):
                entry["comments"].append(line[2:].strip())
            elif line.startswith("#,"):
                entry["flags"] += [f.strip() for f in line[2:].split(",")]
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] += unquote(line[1:-1])
            else:
                key, value = line.split(" ", 1)
                entry[key] = unquote(value[1:-1])
        if entry["msgctxt"] is not None:
            entries[entry["msgctxt"]] = entry
    return entries


def set_msgstr(text, context, msgstr):
    """The PO text with the msgstr of the entry `context` replaced (one line)."""
    blocks = text.split("\n\n")
    for i, block in enumerate(blocks):
        if 'msgctxt "%s"\n' % context in block + "\n":
            head = block.split("\nmsgstr ", 1)[0]
            quoted = msgstr.replace("\\", "\\\\").replace('"', '\\"')
            blocks[i] = head + '\nmsgstr "%s"' % quoted
            return "\n\n".join(blocks)
    raise KeyError(context)


def textproto_messages(text):
    """({top-level field: value}, {id: {field: value}}) of a Translations textproto."""
    string = r'"((?:[^"\\]|\\.)*)"'
    body = re.sub(r"^#.*$", "", text, flags=re.M)
    top_text = re.split(r"\bmessages\s*\{", body, 1)[0]
    top = {k: unquote(v) for k, v in re.findall(r"(\w+): " + string, top_text)}
    top.update(dict(re.findall(r"(\w+): (\d+)", top_text)))
    messages = {}
    for block in re.findall(r"messages\s*\{(.*?)\}\s*(?=messages\s*\{|\Z)", body, re.S):
        fields = {k: unquote(v) for k, v in re.findall(r"(\w+): " + string, block)}
        fields.update(dict(re.findall(r"(\w+): (\d+)", block)))
        messages[fields["id"]] = fields
    return top, messages


def main():
    regimen, source = sys.argv[1], sys.argv[2]
    pack = os.path.join(source, "catalog", "back_care.textproto")
    german = os.path.join(source, "catalog", "back_care.de.textproto")

    with tempfile.TemporaryDirectory() as tmp:
        # Export: the PO file carries ids, sources, the translation and comments.
        po_path = os.path.join(tmp, "de.po")
        r = run(regimen, "l10n", "export", "--po", "de", "--catalog", pack, "-o", po_path)
        check(r.returncode == 0, "export exits 0: %s" % r.stderr)
        with open(po_path, encoding="utf-8") as f:
            po = f.read()
        stdout = run(regimen, "l10n", "export", "--po", "de", "--catalog", pack).stdout
        check(stdout == po, "export to stdout is the -o file")
        check('"Language: de\\n"' in po and "charset=UTF-8" in po, "PO header: " + po[:400])
        check('"Project-Id-Version: back_care' in po, "PO header names the pack")
        entries = po_entries(po)
        cue = entries.get(CUE)
        check(cue is not None, "PO has " + CUE)
        if cue is None:
            return report()
        check(cue["msgid"] == "Mild effort. Elbows and knees soft.", "msgid: %r" % cue["msgid"])
        check(cue["msgstr"] != "" and cue["msgstr"] != cue["msgid"], "msgstr: %r" % cue["msgstr"])
        comment = " ".join(cue["comments"])
        check("prone_lift" in comment and "soft_joints" in comment, "comment: %r" % comment)
        _, before = textproto_messages(open(german, encoding="utf-8").read())
        check(cue["msgstr"] == before[CUE]["text"], "msgstr is the pack's German")
        check(len(entries) == len(before), "%d PO entries, %d translations" % (len(entries),
                                                                               len(before)))

        # Round trip: exactly the one changed text differs.
        changed = os.path.join(tmp, "changed.po")
        with open(changed, "w", encoding="utf-8") as f:
            f.write(set_msgstr(po, CUE, NEW_TEXT))
        out_dir = os.path.join(tmp, "pack")
        os.mkdir(out_dir)
        imported = os.path.join(out_dir, "back_care.de.textproto")
        r = run(regimen, "l10n", "import", changed, "--catalog", pack, "-o", imported)
        check(r.returncode == 0, "import exits 0: %s" % r.stderr)
        check("%d translated, 0 missing, 0 fuzzy, 0 obsolete" % len(before) in r.stderr,
              "import report: " + r.stderr)
        text = open(imported, encoding="utf-8").read()
        check(text.startswith("# proto-file: regimen/v1/l10n.proto\n"
                              "# proto-message: regimen.v1.Translations\n"), "header lines")
        top_after, after = textproto_messages(text)
        top_before, _ = textproto_messages(open(german, encoding="utf-8").read())
        check(top_after == top_before, "locale, name, rate: %r vs %r" % (top_after, top_before))
        check(list(after) == list(before), "the same ids in the same order")
        differ = [i for i in before if before[i] != after.get(i)]
        check(differ == [CUE], "changed entries: %r" % differ)
        if CUE in after:
            check(after[CUE]["text"] == NEW_TEXT, "new text: %r" % after[CUE]["text"])
            check(after[CUE]["source"] == before[CUE]["source"], "source kept")
        # Importing the unchanged export reproduces the pack's German entries exactly.
        same = os.path.join(tmp, "same.textproto")
        run(regimen, "l10n", "import", po_path, "--catalog", pack, "-o", same)
        check(textproto_messages(open(same, encoding="utf-8").read())[1] == before,
              "unchanged round trip is lossless")

        # The imported file loads beside the pack, and the new words are spoken.
        shutil.copy(pack, os.path.join(out_dir, "back_care.textproto"))
        r = run(regimen, "simulate", "back_basics", "--catalog",
                os.path.join(out_dir, "back_care.textproto"), "--locale", "de")
        check(r.returncode == 0, "simulate with the imported file: %s" % r.stderr)
        cues = [json.loads(l) for l in r.stdout.splitlines()]
        spoken = [c.get("text") for c in cues if c.get("type") == "CUE"]
        check(NEW_TEXT in spoken, "the changed text is spoken: %r" % spoken[:8])
        r = run(regimen, "validate", os.path.join(out_dir, "back_care.textproto"))
        check(r.returncode == 0, "validate with the imported file: %s" % r.stderr)

        # Import reports what is missing, fuzzy and obsolete, and leaves them out.
        blocks = po.split("\n\n")
        fuzzy_id, empty_id = "exercise.prone_lift.cue.gaze_on_mat", "routine.back_basics.name"
        for i, block in enumerate(blocks):
            if 'msgctxt "%s"' % fuzzy_id in block:
                blocks[i] = "#, fuzzy\n" + block
        messy = "\n\n".join(blocks)
        messy = set_msgstr(messy, empty_id, "")
        messy += '\nmsgctxt "exercise.gone.cue.old"\nmsgid "Old words."\nmsgstr "Alte Worte."\n'
        messy_path = os.path.join(tmp, "messy.po")
        with open(messy_path, "w", encoding="utf-8") as f:
            f.write(messy)
        out = os.path.join(tmp, "messy.textproto")
        r = run(regimen, "l10n", "import", messy_path, "--catalog", pack, "-o", out)
        check(r.returncode == 0, "messy import exits 0: %s" % r.stderr)
        check("%d translated, 1 missing, 1 fuzzy, 1 obsolete" % (len(before) - 2) in r.stderr,
              "messy report: " + r.stderr)
        for what, name in (("missing", empty_id), ("fuzzy", fuzzy_id),
                           ("obsolete", "exercise.gone.cue.old")):
            line = [l for l in r.stderr.splitlines() if l.strip().startswith(what)]
            check(line and name in line[0], "%s names %s: %s" % (what, name, r.stderr))
        left = textproto_messages(open(out, encoding="utf-8").read())[1]
        check(fuzzy_id not in left and empty_id not in left and "exercise.gone.cue.old" not in left,
              "missing, fuzzy and obsolete entries are left out")

        # A malformed PO: exit 1, the file and line on stderr, nothing written.
        bad = os.path.join(tmp, "bad.po")
        with open(bad, "w", encoding="utf-8") as f:
            f.write('msgid ""\nmsgstr "Language: de\\n"\n\nmsgctxt "catalog.name"\n'
                    'msgid "Back care\nmsgstr "Rückenpflege"\n')
        bad_out = os.path.join(tmp, "bad.textproto")
        r = run(regimen, "l10n", "import", bad, "--catalog", pack, "-o", bad_out)
        check(r.returncode == 1, "malformed PO exits 1, got %d" % r.returncode)
        check(re.search(re.escape(bad) + r":[56]: end-of-line within string", r.stderr),
              "malformed PO names its line: " + r.stderr)
        check(not os.path.exists(bad_out), "nothing written for a malformed PO")

        # Locales: a malformed tag fails with the BCP 47 message; a new locale has no msgstrs.
        r = run(regimen, "l10n", "export", "--po", "de_AT")
        check(r.returncode == 1 and "BCP 47" in r.stderr and not r.stdout,
              "de_AT: %d %s" % (r.returncode, r.stderr))
        r = run(regimen, "l10n", "export", "--po", "fr")
        new = po_entries(r.stdout)
        check(r.returncode == 0 and len(new) == len(before)
              and all(e["msgstr"] == "" for e in new.values()), "fr: a new translation")
        r = run(regimen, "l10n", "export", "--po", "en")
        check(r.returncode == 1 and "source locale" in r.stderr, "en: " + r.stderr)
        r = run(regimen, "l10n", "import", po_path, "--wpm", "100")
        check(r.returncode == 2 and "--wpm does not apply" in r.stderr, "--wpm: " + r.stderr)
    return report()


def report():
    if failures:
        print("FAIL:\n  " + "\n  ".join(failures))
        return 1
    print("l10n CLI checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
