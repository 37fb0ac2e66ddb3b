"""Real speech, real timing: a host that speaks every cue with espeak-ng and reports when each
utterance really ends (Session.speech_ended) never hears two cues at once, in every shipped locale.

For each locale of the built-in pack, every cue text is rendered with espeak-ng at 150 words per
minute and its duration read from the WAV header. A simulated host then runs back_basics and
back_basics_plus: on each CUE it "speaks" for the measured duration, ticks at the session's
deadlines meanwhile, and reports the end when the utterance is over. The test asserts that no
cue starts before the previous one has really ended plus the cue gap, with
``await_speech_end: true`` (every cue waits) and with it unset (every cue after the first
report waits), and prints what each run spoke, skipped and deferred.

Run by ctest (tests/l10n.cmake) with REGIMEN_LIBRARY and PYTHONPATH set to the build's library
and bindings/python.
"""

import os
import subprocess
import sys
import tempfile
import unittest
import wave
from typing import Dict, List, Optional, Tuple

import regimen

GAP_MS = 250  # SessionOptions.cue_gap_ms default
VOICES = {"en": "en", "de": "de", "es": "es"}
ESPEAK_WPM = 150

_durations: Dict[Tuple[str, str], int] = {}


def spoken_ms(locale: str, text: str) -> int:
    """The duration espeak-ng takes to say `text` in `locale`, ms (cached)."""
    key = (locale, text)
    if key not in _durations:
        with tempfile.NamedTemporaryFile(suffix=".wav") as out:
            subprocess.run(
                ["espeak-ng", "-v", VOICES[locale], "-s", str(ESPEAK_WPM), "-w", out.name, text],
                check=True,
                capture_output=True,
            )
            with wave.open(out.name) as w:
                _durations[key] = round(w.getnframes() * 1000 / w.getframerate())
    return _durations[key]


def run_host(
    catalog: regimen.Catalog, routine_id: str, locale: str, options: Dict[str, object]
) -> Tuple[List[Tuple[int, int, str]], Dict[str, object]]:
    """Runs a session like a speaking host; returns each spoken cue (start, real end, id) and
    the record."""
    session = regimen.Session(
        catalog, catalog.routine(routine_id), options={"locale": locale, **options}
    )
    spoken: List[Tuple[int, int, str]] = []
    pending_end: Optional[Tuple[int, str]] = None  # (real end, cue id)
    session.start(0)
    while True:
        for event in session.events():
            if event.type != "CUE":
                continue
            real = spoken_ms(locale, event.text)
            spoken.append((event.at_ms, event.at_ms + real, event.cue_id))
            pending_end = (event.at_ms + real, event.cue_id)
        if session.finished:
            break
        deadline = session.next_deadline
        if pending_end is not None and (deadline is None or pending_end[0] <= deadline):
            session.speech_ended(pending_end[1], pending_end[0])
            pending_end = None
        elif deadline is not None:
            session.tick(deadline)
        else:
            break
    record = session.record()
    session.close()
    return spoken, record


def overlaps(spoken: List[Tuple[int, int, str]], after: int = 0) -> List[str]:
    """Cues (from index `after` on) that started before the previous one really ended + gap."""
    found = []
    for i in range(max(1, after), len(spoken)):
        start, _, cue = spoken[i]
        _, prev_end, prev = spoken[i - 1]
        if start < prev_end + GAP_MS:
            found.append(f"{cue} at {start} ms, {prev} still speaking until {prev_end} ms")
    return found


class SpeechOverlapTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.catalog = regimen.Catalog.default()

    def test_no_overlap_when_every_cue_waits_for_its_end(self) -> None:
        cues = 0
        for locale in VOICES:
            for routine in ("back_basics", "back_basics_plus"):
                with self.subTest(locale=locale, routine=routine):
                    spoken, record = run_host(
                        self.catalog,
                        routine,
                        locale,
                        {"awaitSpeechEnd": True, "attestations": ["spine_flexible_strong_balanced"]},
                    )
                    cues += len(spoken)
                    self.assertGreater(len(spoken), 50)
                    self.assertEqual(overlaps(spoken), [])
                    self.assertEqual(record["end"], "SESSION_END_COMPLETED")
                    self.assertEqual(record.get("locale", ""), locale)
                    # Every triggered cue is either spoken or reported skipped, never lost.
                    self.assertEqual(
                        record["cuesTriggered"], record["cuesSpoken"] + record["cuesDropped"]
                    )
                    print(
                        f"{locale} {routine}: {record['cuesSpoken']} spoken, "
                        f"{record['cuesDropped']} skipped, {record['cuesDeferred']} deferred, "
                        f"max delay {record['maxCueDelayMs']} ms, "
                        f"real speech {sum(e - s for s, e, _ in spoken) / 1000:.1f} s"
                    )
        self.assertGreater(cues, 300)

    def test_unset_waits_after_the_first_report(self) -> None:
        for locale in VOICES:
            with self.subTest(locale=locale):
                spoken, record = run_host(self.catalog, "back_basics", locale, {})
                # The first cue was said before the host had reported anything; from the second
                # cue on, every cue waits for the real end of the one before.
                self.assertEqual(overlaps(spoken, after=2), [])
                self.assertEqual(record["end"], "SESSION_END_COMPLETED")

    def test_hosts_that_report_nothing_keep_the_estimated_plan(self) -> None:
        # The same session without reports is the estimate's schedule: the golden trace's times.
        session = regimen.Session(self.catalog, self.catalog.routine("back_basics"))
        session.start(0)
        starts = []
        while not session.finished:
            starts += [e.at_ms for e in session.events() if e.type == "CUE"]
            deadline = session.next_deadline
            if deadline is None:
                break
            session.tick(deadline)
        starts += [e.at_ms for e in session.events() if e.type == "CUE"]
        spoken, _ = run_host(self.catalog, "back_basics", "en", {"awaitSpeechEnd": False})
        # Reports that come after the estimate change nothing when the host asked not to wait;
        # reports that come before it may only bring a cue earlier.
        self.assertEqual(len(spoken), len(starts))
        for (start, _, _), planned in zip(spoken, starts):
            self.assertLessEqual(start, planned)

    def test_speech_ended_errors(self) -> None:
        session = regimen.Session(self.catalog, self.catalog.routine("back_basics"))
        with self.assertRaises(regimen.Error) as before:
            session.speech_ended("count_in", 0)
        self.assertEqual(before.exception.code, "FAILED_PRECONDITION")
        session.start(0)
        with self.assertRaises(regimen.Error) as unknown:
            session.speech_ended("no_such_cue", 10)
        self.assertEqual(unknown.exception.code, "NOT_FOUND")
        with self.assertRaises(regimen.Error) as empty:
            session.speech_ended("", 10)
        self.assertEqual(empty.exception.code, "INVALID_ARGUMENT")
        session.tick(100)
        with self.assertRaises(regimen.Error) as backwards:
            session.speech_ended("count_in", 50)
        self.assertEqual(backwards.exception.code, "INVALID_ARGUMENT")
        session.close()


if __name__ == "__main__":
    if subprocess.run(["which", "espeak-ng"], capture_output=True).returncode != 0:
        sys.exit("espeak-ng not found: apt-get install espeak-ng (scripts/setup installs it)")
    unittest.main(verbosity=2)
