"""Safety through the Python binding: the gate at session creation (session options with the
user's attestations, through rgm_session_new_with_options) and the pain-7 script.

Runs under unittest (ctest's python_binding_test) and pytest alike, against the real libregimen
that REGIMEN_LIBRARY points at.
"""

import json
import os
import sys
import unittest

if not os.environ.get("REGIMEN_TEST_INSTALLED"):  # else the installed package (a wheel)
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import regimen  # noqa: E402

ATTESTATION = "spine_flexible_strong_balanced"
ATTESTED = {"attestations": [ATTESTATION]}
CORE = ["grow_through_spine", "prone_lift", "prone_leg_lift", "prone_opposite_lift"]


def run(session):
    """Ticks from deadline to deadline to the end; returns every event."""
    events = list(session.events())
    while not session.finished and session.next_deadline is not None:
        session.tick(session.next_deadline)
        events.extend(session.events())
    return events


def started(events):
    return [e.exercise_id for e in events if e.type == "EXERCISE_STARTED"]


class GateTest(unittest.TestCase):
    def setUp(self):
        self.pack = regimen.Catalog.default()
        self.plus = self.pack.routine("back_basics_plus")

    def tearDown(self):
        self.pack.close()

    def assertRefused(self, **kwargs):
        with self.assertRaises(regimen.Error) as ctx:
            regimen.Session(self.pack, self.plus, **kwargs)
        error = ctx.exception
        self.assertEqual(error.code, "FAILED_PRECONDITION", str(error))
        self.assertEqual(error.status, 9)
        self.assertIn("prone_rock", error.message)
        self.assertIn(ATTESTATION, error.message)

    def test_refused_without_the_attestation(self):
        self.assertRefused()
        self.assertRefused(options=None)
        self.assertRefused(options={})
        self.assertRefused(options={"painStopThreshold": 4, "wordsPerMinute": 120})

    def test_runs_with_the_attestation(self):
        with regimen.Session(self.pack, self.plus, options=ATTESTED) as s:
            s.start(0)
            events = run(s)
            self.assertTrue(s.finished)
            self.assertEqual(started(events), CORE + ["prone_rock"])
            self.assertEqual(s.record()["end"], "SESSION_END_COMPLETED")

    def test_options_in_every_format(self):
        for options, options_format in [
            (json.dumps(ATTESTED), "json"),
            (json.dumps(ATTESTED).encode("utf-8"), "json"),
            (f'attestations: "{ATTESTATION}"', "text"),
            (b"\x42\x1e" + ATTESTATION.encode("ascii"), "binary"),
        ]:
            with self.subTest(options_format=options_format):
                regimen.Session(self.pack, self.plus, options=options,
                                options_format=options_format).close()

    def test_options_apply(self):
        routine = self.pack.routine("back_basics")
        with regimen.Session(self.pack, routine, options={"countInMs": 0}) as s:
            s.start(0)
            first = list(s.events())
        self.assertEqual([e.type for e in first[:2]], ["SESSION_STARTED", "EXERCISE_STARTED"])

    def test_bad_options(self):
        for options, options_format, contains in [
            ('{"attestations": [', "json", "options"),
            ("no_such_field: 1", "text", "options"),
            ({"breathPeriodMs": 1}, "json", "breath_period_ms"),
            ({"attestations": ["strong"]}, "json",
             'options.attestations[0]: unknown attestation "strong"'),
        ]:
            with self.subTest(options=options):
                with self.assertRaises(regimen.Error) as ctx:
                    regimen.Session(self.pack, self.plus, options=options,
                                    options_format=options_format)
                self.assertEqual(ctx.exception.code, "INVALID_ARGUMENT", str(ctx.exception))
                self.assertIn(contains, ctx.exception.message)
        with self.assertRaises(regimen.Error) as ctx:
            regimen.Session(self.pack, self.plus, options=json.dumps(ATTESTED),
                            options_format="yaml")
        self.assertEqual(ctx.exception.code, "INVALID_ARGUMENT")

    def test_a_routine_starts_with_the_primer(self):
        with self.assertRaises(regimen.Error) as ctx:
            regimen.Session(self.pack, '{"blocks": [{"exerciseId": "prone_lift"}]}',
                            format="json")
        self.assertEqual(ctx.exception.code, "INVALID_ARGUMENT")
        self.assertIn("blocks[0]: a routine starts with the primer grow_through_spine",
                      ctx.exception.message)


class PainSevenTest(unittest.TestCase):
    """Pain 7 during the first core exercise (prone_lift) ends the session there."""

    def test_pain_seven_ends_the_session(self):
        with regimen.Catalog.default() as pack, \
                regimen.Session(pack, pack.routine("back_basics_plus"), options=ATTESTED) as s:
            s.start(0)
            events = []
            while "prone_lift" not in started(events):
                s.tick(s.next_deadline)
                events.extend(s.events())
            now = events[-1].at_ms + 3000
            s.tick(now)
            list(s.events())
            s.report("pain", 7, now)
            after = run(s)
            self.assertTrue(s.finished)
            record = s.record()
            with self.assertRaises(regimen.Error) as ctx:
                s.tick(now + 1000)
            self.assertEqual(ctx.exception.code, "FAILED_PRECONDITION")
        kinds = [e.type for e in after if e.type not in ("CUE", "CUE_SKIPPED")]
        self.assertEqual(kinds, ["SAFETY_STOP", "EXERCISE_COMPLETED", "SESSION_COMPLETED"])
        stop = next(e for e in after if e.type == "SAFETY_STOP")
        self.assertEqual((stop.exercise_id, stop.at_ms), ("prone_lift", now))
        self.assertEqual(started(after), [])
        self.assertEqual(record["end"], "SESSION_END_SAFETY_STOP")
        self.assertEqual(record["safetyStops"][0]["pain"], 7)
        self.assertEqual(record["safetyStops"][0]["exerciseId"], "prone_lift")
        reached = [b["exerciseId"] for b in record["blocks"]
                   if b.get("outcome", "BLOCK_OUTCOME_UNSPECIFIED") != "BLOCK_OUTCOME_UNSPECIFIED"]
        self.assertNotIn("prone_rock", reached)


if __name__ == "__main__":
    unittest.main()
