#!/usr/bin/env python3
"""Checks translations of a content pack against the pack they translate.

    tools/l10n/check_translations.py catalog/back_care.de.textproto catalog/back_care.es.textproto
    tools/l10n/check_translations.py --list catalog/back_care.textproto   # every id and source text

A translation file is a `regimen.v1.Translations` message (proto/regimen/v1/l10n.proto) in
protobuf text format, beside its pack (catalog/back_care.de.textproto translates
catalog/back_care.textproto). Every user-facing text of the pack has a message id derived from
the ids around it; this script enumerates them in the pack's order, then the engine's own words:

    catalog.name
    condition.<id>.description, condition.<id>.advice            (when non-empty)
    attestation.<id>.description
    exercise.<ex>.name, exercise.<ex>.description
    exercise.<ex>.phase.<i>.label                                  (i: index into phases; non-empty labels)
    exercise.<ex>.cue.<cue>, exercise.<ex>.cue.<cue>.variant.<k>   (k: index into the cue's variants)
    exercise.<ex>.mistake.<mistake>                                (its description)
    exercise.<ex>.gate.reason                                      (when the gate has a reason)
    session_cue.<cue>, session_cue.<cue>.variant.<k>
    routine.<id>.name, routine.<id>.description, routine.<id>.note.<k>
    habit.<id>.name, habit.<id>.text
    rule.<id>.description                                          (when non-empty)
    engine.phase.<kind>, engine.event.<event>

and checks a translation: every id present exactly once and no unknown id; every `source` equal
to the pack's current text; no empty text; cue texts at most 500 characters (counted as UTF-8
bytes, the stricter reading); the numbers of the source kept (digits, or number words of the
locale: "eight times" -> "achtmal", "ocho veces"); template {arguments} kept. Warnings (not
failures): entries out of the pack's order, numbers the source does not have, and spoken cues
whose estimated speaking time (whitespace-separated words at the locale's words_per_minute, as
the engine estimates it) is much longer than the source's.

Python 3 standard library only: the text format is read with a small tokenizer that covers what
these files use (fields, nested messages, strings, numbers, enum names, comments). The engine's
own validation (`regimen validate`) supersedes this script; it documents the id scheme.
"""

import argparse
import collections
import os
import re
import sys

# ---------------------------------------------------------------------------------------------
# Protobuf text format, enough of it for catalogs and translations.

_TOKEN = re.compile(
    r"""\s+|\#[^\n]*|(?P<str>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"""|(?P<punct>[{}<>:;,\[\]])|(?P<word>[-+.\w]+)""",
    re.S,
)

_ESCAPES = {"n": b"\n", "t": b"\t", "r": b"\r", "a": b"\a", "b": b"\b", "f": b"\f",
            "v": b"\v", "\\": b"\\", "'": b"'", '"': b'"', "?": b"?"}


def _unescape(body):
    """The bytes of a text-format string literal's body, decoded as UTF-8."""
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        e = body[i + 1]
        if e in _ESCAPES:
            out += _ESCAPES[e]
            i += 2
        elif e in "xX":
            m = re.match(r"[0-9a-fA-F]{1,2}", body[i + 2:])
            out.append(int(m.group(0), 16))
            i += 2 + len(m.group(0))
        elif e in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            out.append(int(m.group(0), 8))
            i += 1 + len(m.group(0))
        else:
            raise ValueError("unknown escape \\%s" % e)
    return out.decode("utf-8")


def _tokens(text, path):
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            line = text.count("\n", 0, pos) + 1
            raise ValueError("%s:%d: cannot read %r" % (path, line, text[pos:pos + 20]))
        line = text.count("\n", 0, pos) + 1
        pos = m.end()
        if m.group("str"):
            yield ("str", _unescape(m.group("str")[1:-1]), line)
        elif m.group("punct"):
            yield ("punct", m.group("punct"), line)
        elif m.group("word"):
            yield ("word", m.group("word"), line)


class Message:
    """A parsed message: its fields in order, as (name, value, line); a value is a str for
    string literals, a Scalar for numbers and enum names, or a Message."""

    def __init__(self):
        self.fields = []

    def all(self, name):
        return [v for n, v, _ in self.fields if n == name]

    def get(self, name, default=""):
        values = self.all(name)
        return values[-1] if values else default

    def line(self, name):
        lines = [l for n, _, l in self.fields if n == name]
        return lines[-1] if lines else 0


class Scalar(str):
    """A number or enum name, kept as its spelling."""


def parse(text, path="<text>"):
    toks = list(_tokens(text, path))
    pos = 0

    def peek():
        return toks[pos] if pos < len(toks) else (None, None, 0)

    def message(end):
        nonlocal pos
        msg = Message()
        while True:
            kind, value, line = peek()
            if kind is None:
                if end is None:
                    return msg
                raise ValueError("%s: missing %r at end" % (path, end))
            if kind == "punct" and value == end:
                pos += 1
                return msg
            if kind != "word":
                raise ValueError("%s:%d: field name expected, got %r" % (path, line, value))
            name = value
            pos += 1
            kind, value, _ = peek()
            if kind == "punct" and value == ":":
                pos += 1
                kind, value, _ = peek()
            if kind == "punct" and value in "{<":
                pos += 1
                msg.fields.append((name, message("}" if value == "{" else ">"), line))
            elif kind == "punct" and value == "[":
                raise ValueError("%s:%d: lists are not supported" % (path, line))
            elif kind == "str":
                s = value
                pos += 1
                while peek()[0] == "str":  # adjacent literals concatenate
                    s += peek()[1]
                    pos += 1
                msg.fields.append((name, s, line))
            elif kind == "word":
                pos += 1
                msg.fields.append((name, Scalar(value), line))
            else:
                raise ValueError("%s:%d: value expected for %s" % (path, line, name))
            if peek()[0] == "punct" and peek()[1] in ";,":
                pos += 1

    return message(None)


def quote(s):
    """A text-format string literal for s (UTF-8 kept as is)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


# ---------------------------------------------------------------------------------------------
# The messages of a pack.

ENGINE_MESSAGES = [
    ("engine.phase.setup", "Setup"),
    ("engine.phase.lift", "Lift"),
    ("engine.phase.hold", "Hold"),
    ("engine.phase.lower", "Lower"),
    ("engine.phase.rock", "Rock"),
    ("engine.phase.rest", "Rest"),
    ("engine.phase.switch_side", "Switch side"),
    ("engine.phase.breathe", "Breathe"),
    ("engine.phase.relax", "Relax"),
    ("engine.phase.count_in", "Get ready"),
    ("engine.event.rep_completed", "Rep done"),
    ("engine.event.set_completed", "Set done"),
    ("engine.event.paused", "Paused"),
    ("engine.event.resumed", "Resumed"),
    ("engine.event.safety_stop", "Safety stop"),
    ("engine.event.session_completed", "Session completed"),
    ("engine.event.session_stopped", "Session stopped"),
    ("engine.event.session_safety_stop", "Session ended for safety"),
]

# A message of the pack: its id, source text, and whether it is spoken (a cue's text or variant).
PackMessage = collections.namedtuple("PackMessage", "id source spoken")


def _cue_messages(prefix, cue):
    out = [PackMessage(prefix, cue.get("text"), True)]
    for k, variant in enumerate(cue.all("variants")):
        out.append(PackMessage("%s.variant.%d" % (prefix, k), variant, True))
    return out


def pack_messages(catalog):
    """Every user-facing text of a parsed Catalog, in the pack's order, then the engine's."""
    out = []

    def add(mid, text, spoken=False):
        if text:
            out.append(PackMessage(mid, text, spoken))

    for name, value, _ in catalog.fields:
        if name == "name":
            add("catalog.name", value)
        elif name == "conditions":
            add("condition.%s.description" % value.get("id"), value.get("description"))
            add("condition.%s.advice" % value.get("id"), value.get("advice"))
        elif name == "attestations":
            add("attestation.%s.description" % value.get("id"), value.get("description"))
        elif name == "exercises":
            ex = "exercise." + value.get("id")
            add(ex + ".name", value.get("name"))
            add(ex + ".description", value.get("description"))
            for i, phase in enumerate(value.all("phases")):
                add("%s.phase.%d.label" % (ex, i), phase.get("label"))
            for cue in value.all("cues"):
                out.extend(_cue_messages("%s.cue.%s" % (ex, cue.get("id")), cue))
            for mistake in value.all("mistakes"):
                add("%s.mistake.%s" % (ex, mistake.get("id")), mistake.get("description"))
            for gate in value.all("gate"):
                add(ex + ".gate.reason", gate.get("reason"))
        elif name == "session_cues":
            out.extend(_cue_messages("session_cue." + value.get("id"), value))
        elif name == "routines":
            r = "routine." + value.get("id")
            add(r + ".name", value.get("name"))
            add(r + ".description", value.get("description"))
            for k, note in enumerate(value.all("notes")):
                add("%s.note.%d" % (r, k), note)
        elif name == "habits":
            add("habit.%s.name" % value.get("id"), value.get("name"))
            add("habit.%s.text" % value.get("id"), value.get("text"))
        elif name == "rules":
            add("rule.%s.description" % value.get("id"), value.get("description"))
    out.extend(PackMessage(mid, text, False) for mid, text in ENGINE_MESSAGES)
    return out


# ---------------------------------------------------------------------------------------------
# Numbers.

_NUMBER_WORDS = {
    "en": {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twice": 2, "thrice": 3},
    "de": {"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
           "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12},
    "es": {"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
           "nueve": 9, "diez": 10, "once": 11, "doce": 12},
}
# "one" / "ein" / "uno" are left out: mostly pronouns and articles ("one side", "last one").
# German counts join "mal": "zweimal", "achtmal".
_NUMBER_SUFFIX = {"de": "(?:mal)?"}


def numbers(text, locale):
    """The multiset of numbers in text: digits, and the locale's number words."""
    found = collections.Counter(int(d) for d in re.findall(r"\d+", text))
    lang = locale.split("-")[0].lower()
    words = _NUMBER_WORDS.get(lang, {})
    if words:
        pattern = r"\b(%s)%s\b" % ("|".join(words), _NUMBER_SUFFIX.get(lang, ""))
        for m in re.finditer(pattern, text, re.I):
            found[words[m.group(1).lower()]] += 1
    return found


def estimate_ms(text, wpm):
    """The engine's estimate (src/session/plan.cc EstimateSpeakMs)."""
    words = len(text.split())
    return (words * 60000 + wpm - 1) // wpm if words else 0


# ---------------------------------------------------------------------------------------------

MAX_CUE_BYTES = 500
# A spoken translation estimated longer than this many times the source's, and by more than
# LONGER_MS, may not fit its moment.
LONGER_RATIO = 1.5
LONGER_MS = 700


def check(path, catalog, catalog_path):
    errors, warnings = [], []
    with open(path, encoding="utf-8") as f:
        tr = parse(f.read(), path)
    locale = tr.get("locale")
    if not locale:
        errors.append("%s: no locale" % path)
    if not tr.get("name"):
        errors.append("%s: no name" % path)
    source_locale = catalog.get("locale") or "en"
    source_wpm = int(catalog.get("words_per_minute") or 0) or 150
    wpm = int(tr.get("words_per_minute") or 0) or source_wpm
    if not 60 <= wpm <= 400:
        errors.append("%s: words_per_minute %d is outside 60..400" % (path, wpm))

    expected = pack_messages(catalog)
    by_id = {m.id: m for m in expected}
    seen = collections.Counter()
    order = []
    for entry, line in [(v, l) for n, v, l in tr.fields if n == "messages"]:
        where = "%s:%d" % (path, line)
        mid, text, source = entry.get("id"), entry.get("text"), entry.get("source")
        seen[mid] += 1
        if seen[mid] > 1:
            errors.append("%s: %s appears more than once" % (where, mid))
            continue
        if mid not in by_id:
            errors.append("%s: unknown id %s (not in %s)" % (where, mid, catalog_path))
            continue
        order.append(mid)
        msg = by_id[mid]
        if source != msg.source:
            errors.append("%s: %s: source %s differs from the pack's text %s"
                          % (where, mid, quote(source), quote(msg.source)))
        if not text.strip():
            errors.append("%s: %s: empty text" % (where, mid))
            continue
        if msg.spoken and len(text.encode("utf-8")) > MAX_CUE_BYTES:
            errors.append("%s: %s: %d bytes; a cue has at most %d"
                          % (where, mid, len(text.encode("utf-8")), MAX_CUE_BYTES))
        speak_ms = int(entry.get("speak_ms") or 0)
        if not 0 <= speak_ms <= 60000:
            errors.append("%s: %s: speak_ms %d outside 0..60000" % (where, mid, speak_ms))
        if set(re.findall(r"\{\w+\}", text)) != set(re.findall(r"\{\w+\}", msg.source)):
            errors.append("%s: %s: template arguments differ from the source's" % (where, mid))
        want, have = numbers(msg.source, source_locale), numbers(text, locale)
        missing = want - have
        if missing:
            errors.append("%s: %s: the source's number(s) %s are missing from %s"
                          % (where, mid, sorted(missing.elements()), quote(text)))
        extra = have - want
        if extra:
            warnings.append("%s: %s: number(s) %s not in the source"
                            % (where, mid, sorted(extra.elements())))
        if msg.spoken:
            src_ms, tr_ms = estimate_ms(msg.source, source_wpm), estimate_ms(text, wpm)
            if tr_ms > src_ms * LONGER_RATIO and tr_ms - src_ms > LONGER_MS:
                warnings.append("%s: %s: estimated %d ms against the source's %d ms"
                                % (where, mid, tr_ms, src_ms))
    for msg in expected:
        if msg.id not in seen:
            errors.append("%s: missing %s (source %s)" % (path, msg.id, quote(msg.source)))
    pack_order = [m.id for m in expected if m.id in set(order)]
    if order != pack_order:
        first = next(i for i, (a, b) in enumerate(zip(order, pack_order)) if a != b)
        warnings.append("%s: entries are not in the pack's order (first at %s, expected %s)"
                        % (path, order[first], pack_order[first]))
    spoken = [m for m in expected if m.spoken]
    return errors, warnings, len(order), (locale, wpm, spoken, tr, source_wpm)


def _summary(info):
    locale, wpm, spoken, tr, source_wpm = info
    texts = {e.get("id"): e.get("text") for e in tr.all("messages")}
    src_ms = sum(estimate_ms(m.source, source_wpm) for m in spoken)
    tr_ms = sum(estimate_ms(texts.get(m.id, ""), wpm) for m in spoken)
    return ("%s: %d spoken texts, estimated %.1f s at %d wpm against the source's %.1f s"
            % (locale, len(spoken), tr_ms / 1000, wpm, src_ms / 1000))


def _catalog_for(path):
    """catalog/back_care.de.textproto -> catalog/back_care.textproto"""
    d, base = os.path.split(path)
    parts = base.split(".")
    if len(parts) < 3:
        raise ValueError("%s: name it <pack>.<locale>.textproto or pass --catalog" % path)
    return os.path.join(d, ".".join(parts[:-2] + parts[-1:]))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", help="translation files (with --list: packs)")
    ap.add_argument("--catalog", help="the pack (default: beside each file, locale removed)")
    ap.add_argument("--list", action="store_true", help="print every id and source text of a pack")
    ap.add_argument("-q", "--quiet", action="store_true", help="no warnings")
    args = ap.parse_args(argv)

    if args.list:
        for path in args.files:
            with open(path, encoding="utf-8") as f:
                for m in pack_messages(parse(f.read(), path)):
                    print("%s\t%s%s" % (m.id, quote(m.source), "\tspoken" if m.spoken else ""))
        return 0

    failed = False
    for path in args.files:
        catalog_path = args.catalog or _catalog_for(path)
        with open(catalog_path, encoding="utf-8") as f:
            catalog = parse(f.read(), catalog_path)
        errors, warnings, count, info = check(path, catalog, catalog_path)
        for e in errors:
            print("error: " + e)
        if not args.quiet:
            for w in warnings:
                print("warning: " + w)
        print("%s: %d messages, %d errors, %d warnings; %s"
              % (path, count, len(errors), len(warnings), _summary(info)))
        failed |= bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
