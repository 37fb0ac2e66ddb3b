"""Tests of the Python binding against the real libregimen (REGIMEN_LIBRARY points at it)."""

import gc
import json
import os
import subprocess
import sys
import threading
import unittest

# The source folder by default; the installed package (a wheel in a venv: ctest's python_wheel)
# when REGIMEN_TEST_INSTALLED is set.
INSTALLED = bool(os.environ.get("REGIMEN_TEST_INSTALLED"))
SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if not INSTALLED:
    sys.path.insert(0, SOURCE)

import regimen  # noqa: E402
from regimen import _native  # noqa: E402

CORE = ["grow_through_spine", "prone_lift", "prone_leg_lift", "prone_opposite_lift"]


def _length_delimited(field, payload):
    """A protobuf length-delimited field: its tag, its length as a varint, its bytes."""
    out = bytearray([field << 3 | 2])
    size = len(payload)
    while size >= 0x80:
        out.append(size & 0x7F | 0x80)
        size >>= 7
    out.append(size)
    return bytes(out) + payload


def run(session, until=None):
    """Ticks from deadline to deadline (up to `until` ms); returns every event."""
    events = list(session.events())
    while not session.finished:
        deadline = session.next_deadline
        if deadline is None or (until is not None and deadline > until):
            break
        session.tick(deadline)
        events.extend(session.events())
    return events


class ErrorAssertions(unittest.TestCase):
    def assertError(self, code, fn, *args, contains=None, **kwargs):
        with self.assertRaises(regimen.Error) as ctx:
            fn(*args, **kwargs)
        self.assertEqual(ctx.exception.code, code, str(ctx.exception))
        if contains is not None:
            self.assertIn(contains, ctx.exception.message)
        return ctx.exception


class LoadingTest(unittest.TestCase):
    def test_error_lists_every_place_tried(self):
        # In a fresh interpreter: once loaded here, dlopen("libregimen.so.0") finds the library
        # already in the process by its soname.
        code = (
            "import ctypes.util, regimen\n"
            "from regimen import _native\n"
            "ctypes.util.find_library = lambda name: None\n"
            "_native._package_copies = lambda: []\n"
            "try:\n"
            "    regimen.Catalog.default()\n"
            "except _native.LibraryNotFound as e:\n"
            "    print(e)\n"
        )
        env = dict(os.environ, REGIMEN_LIBRARY="/nonexistent/libregimen.so")
        if not INSTALLED:
            env["PYTHONPATH"] = SOURCE
        env.pop("LD_LIBRARY_PATH", None)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True).stdout
        self.assertIn("cannot load libregimen", out)
        self.assertIn("REGIMEN_LIBRARY: /nonexistent/libregimen.so", out)
        self.assertIn("package copy: none in", out)
        self.assertIn("system loader: libregimen.so.0", out)

    def test_environment_variable_overrides_package_copy(self):
        # A copy of the loaded library elsewhere: REGIMEN_LIBRARY wins over the package's own
        # copy (present when installed from the wheel) and over the system loader.
        import shutil
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            copy = os.path.join(tmp, "libregimen.so")
            shutil.copyfile(regimen.library_path(), copy)
            env = dict(os.environ, REGIMEN_LIBRARY=copy)
            if not INSTALLED:
                env["PYTHONPATH"] = SOURCE
            out = subprocess.run(
                [sys.executable, "-c", "import regimen; print(regimen.library_path())"],
                env=env, capture_output=True, text=True, check=True, cwd=tmp).stdout.strip()
        self.assertEqual(out, copy)

    @unittest.skipUnless(INSTALLED, "the package copy exists in an installed wheel only")
    def test_installed_package_uses_its_own_copy(self):
        package = os.path.dirname(os.path.abspath(regimen.__file__))
        self.assertFalse(package.startswith(SOURCE), package)
        if "REGIMEN_LIBRARY" not in os.environ:
            self.assertEqual(os.path.dirname(regimen.library_path()), package)

    @unittest.skipUnless("REGIMEN_LIBRARY" in os.environ, "REGIMEN_LIBRARY is not set")
    def test_loaded_from_environment_variable(self):
        self.assertEqual(
            os.path.realpath(regimen.library_path()),
            os.path.realpath(os.environ["REGIMEN_LIBRARY"]),
        )

    def test_version(self):
        self.assertRegex(regimen.version(), r"^\d+\.\d+\.\d+$")


class CatalogTest(ErrorAssertions):
    def test_default_routines(self):
        with regimen.Catalog.default() as pack:
            basics = json.loads(pack.routine("back_basics", format="json"))
            plus = json.loads(pack.routine("back_basics_plus", format="json"))
            self.assertEqual([b["exerciseId"] for b in basics["blocks"]], CORE)
            self.assertEqual([b["exerciseId"] for b in plus["blocks"]], CORE + ["prone_rock"])
            self.assertGreater(len(pack.routine("back_basics")), 0)
            self.assertIn('id: "back_basics"', pack.routine("back_basics", format="text").decode())

    def test_unknown_routine(self):
        with regimen.Catalog.default() as pack:
            self.assertError("NOT_FOUND", pack.routine, "no_such_routine",
                             contains="no_such_routine")

    def test_malformed_json(self):
        err = self.assertError("INVALID_ARGUMENT", regimen.Catalog.parse, "{not json", "json")
        self.assertEqual(err.status, 3)

    def test_invalid_catalog_names_field(self):
        self.assertError(
            "INVALID_ARGUMENT",
            regimen.Catalog.parse,
            '{"exercises": [{"id": "lift"}, {"id": "lift"}]}',
            format="json",
            contains="exercises[1]",
        )

    def test_bad_format_name(self):
        self.assertError("INVALID_ARGUMENT", regimen.Catalog.parse, "{}", format="yaml",
                         contains="'yaml'")

    def test_round_trip_of_the_default_pack_through_parse(self):
        # A routine of the default pack is also runnable against a catalog parsed from text.
        with regimen.Catalog.default() as pack:
            routine = pack.routine("back_basics")
        path = os.path.join(os.environ.get("REGIMEN_SOURCE_DIR", ""), "catalog",
                            "back_care.textproto")
        if not os.path.isfile(path):
            self.fail(f"REGIMEN_SOURCE_DIR must point at the repository ({path} missing)")
        with open(path, "rb") as f:
            parsed = regimen.Catalog.parse(f.read(), format="text")
        with parsed, regimen.Session(parsed, routine) as session:
            session.start(0)
            self.assertEqual(run(session)[-1].type, "SESSION_COMPLETED")

    def test_closed_catalog(self):
        pack = regimen.Catalog.default()
        pack.close()
        pack.close()  # idempotent
        self.assertTrue(pack.closed)
        self.assertError("FAILED_PRECONDITION", pack.routine, "back_basics")

    def test_cannot_construct_directly(self):
        with self.assertRaises(TypeError):
            regimen.Catalog()


class SessionTest(ErrorAssertions):
    @classmethod
    def setUpClass(cls):
        cls.pack = regimen.Catalog.default()
        cls.routine = cls.pack.routine("back_basics")

    @classmethod
    def tearDownClass(cls):
        cls.pack.close()

    def new(self):
        return regimen.Session(self.pack, self.routine)

    def test_runs_back_basics_to_the_end(self):
        with self.new() as s:
            self.assertFalse(s.finished)
            self.assertIsNone(s.next_deadline)  # not started
            s.start(1000)
            events = run(s)
            self.assertTrue(s.finished)
            self.assertIsNone(s.next_deadline)
        self.assertEqual(events[0].type, "SESSION_STARTED")
        self.assertEqual(events[0].at_ms, 1000)
        self.assertEqual(events[-1].type, "SESSION_COMPLETED")
        self.assertEqual(
            [e.exercise_id for e in events if e.type == "EXERCISE_STARTED"], CORE)
        self.assertEqual(
            [e.exercise_id for e in events if e.type == "EXERCISE_COMPLETED"], CORE)
        times = [e.at_ms for e in events]
        self.assertEqual(times, sorted(times))
        cues = [e for e in events if e.type == "CUE"]
        self.assertTrue(cues)
        for cue in cues:
            self.assertTrue(cue.cue_id)
            self.assertTrue(cue.text)
        sides = {e.side for e in events if e.exercise_id == "prone_leg_lift"
                 and e.type == "REP_COMPLETED"}
        self.assertEqual(sides, {"LEFT", "RIGHT"})
        for e in events:
            self.assertIsInstance(e, regimen.Event)
            self.assertIn(e.side, (None, "LEFT", "RIGHT"))

    def test_inputs_after_finish_fail(self):
        with self.new() as s:
            s.start(0)
            end = run(s)[-1].at_ms
            self.assertError("FAILED_PRECONDITION", s.tick, end + 1)
            self.assertError("FAILED_PRECONDITION", s.pause, end + 1)

    def test_start_twice(self):
        with self.new() as s:
            s.start(0)
            self.assertError("FAILED_PRECONDITION", s.start, 10)

    def test_one_long_tick_catches_up_identically(self):
        with self.new() as a, self.new() as b:
            a.start(0)
            stepped = run(a)
            b.start(0)
            b.tick(stepped[-1].at_ms + 3_600_000)
            self.assertEqual(list(b.events()), stepped)
            self.assertTrue(b.finished)

    def test_pause_shifts_the_schedule(self):
        with self.new() as a, self.new() as b:
            a.start(0)
            plain = run(a)
            b.start(0)
            first = run(b, until=30_000)
            b.pause(30_000)
            self.assertIsNone(b.next_deadline)
            b.pause(31_000)  # pausing while paused changes nothing
            b.tick(40_000)
            b.resume(40_000)
            rest = run(b)
            kinds = [e.type for e in rest]
            self.assertEqual(kinds.count("PAUSED"), 1)
            self.assertEqual(kinds.count("RESUMED"), 1)
            self.assertEqual(rest[-1].at_ms, plain[-1].at_ms + 10_000)
            self.assertEqual(len(first) + len(rest) - 2, len(plain))

    def test_time_going_backwards_changes_nothing(self):
        with self.new() as s:
            s.start(5000)
            s.tick(20_000)
            before = s.next_deadline
            self.assertError("INVALID_ARGUMENT", s.tick, 10_000)
            self.assertEqual(s.next_deadline, before)

    def test_snapshot_restore_continues_identically(self):
        with self.new() as s:
            s.start(0)
            run(s, until=60_000)
            saved = s.snapshot()
            text = s.snapshot(format="text")
            with regimen.Session.restore(saved) as r, regimen.Session.restore(text, "text") as t:
                self.assertEqual(r.next_deadline, s.next_deadline)
                expected = run(s)
                self.assertEqual(run(r), expected)
                self.assertEqual(run(t), expected)
                self.assertTrue(r.finished)

    def test_restore_garbage(self):
        self.assertError("INVALID_ARGUMENT", regimen.Session.restore, b"\xff\xff\xff garbage")

    def test_skip_and_record(self):
        with self.new() as s:
            s.start(0)
            run(s, until=20_000)
            s.skip(20_000)
            run(s)
            record = s.record()
        self.assertEqual(record["routineId"], "back_basics")
        self.assertEqual(record["end"], "SESSION_END_COMPLETED")
        self.assertEqual(record["skips"], 1)
        self.assertIn("BLOCK_OUTCOME_SKIPPED", [b.get("outcome") for b in record["blocks"]])

    def test_stop(self):
        with self.new() as s:
            s.start(0)
            s.tick(15_000)
            s.stop(15_000)
            events = list(s.events())
            self.assertTrue(s.finished)
            self.assertEqual(events[-1].type, "SESSION_COMPLETED")
            self.assertEqual(s.record()["end"], "SESSION_END_STOPPED")

    def test_pain_report_stops_the_exercise(self):
        with self.new() as s:
            s.start(0)
            # Into the first core exercise.
            events = []
            while "prone_lift" not in [e.exercise_id for e in events]:
                s.tick(s.next_deadline)
                events.extend(s.events())
            now = events[-1].at_ms
            s.report("pain", 8, now, side="LEFT")
            stops = [e for e in s.events() if e.type == "SAFETY_STOP"]
            self.assertEqual(len(stops), 1)
            self.assertEqual(stops[0].exercise_id, "prone_lift")
            run(s)
            record = s.record()
        self.assertEqual(record["safetyStops"][0]["pain"], 8)
        self.assertEqual(record["safetyStops"][0]["exerciseId"], "prone_lift")

    def test_bad_reports(self):
        with self.new() as s:
            s.start(0)
            self.assertError("INVALID_ARGUMENT", s.report, "itch", 3, 10, contains="'itch'")
            self.assertError("INVALID_ARGUMENT", s.report, "pain", 3, 10, side="MIDDLE",
                             contains="'MIDDLE'")
            self.assertError("INVALID_ARGUMENT", s.report, "pain", 11, 10)
            s.report("effort", 4, 10)
            s.report("asymmetry", 0, 10, side="RIGHT")

    def test_bad_routine(self):
        self.assertError("INVALID_ARGUMENT", regimen.Session, self.pack, b"\xff\xff garbage")
        # The code the C API pins for a routine the catalog cannot run (tests/capi_test.c).
        self.assertError("INVALID_ARGUMENT", regimen.Session, self.pack,
                         '{"blocks": [{"exerciseId": "moonwalk"}]}', format="json",
                         contains="moonwalk")

    def test_session_outlives_its_catalog(self):
        pack = regimen.Catalog.default()
        s = regimen.Session(pack, self.routine)
        pack.close()
        s.start(0)
        self.assertEqual(run(s)[-1].type, "SESSION_COMPLETED")
        s.close()

    def test_closed_session(self):
        s = self.new()
        s.close()
        s.close()
        self.assertError("FAILED_PRECONDITION", s.start, 0, contains="closed")
        with self.assertRaises(regimen.Error):
            _ = s.finished

    def test_garbage_collector_frees_once(self):
        s = self.new()
        finalizer = s._finalizer
        self.assertTrue(finalizer.alive)
        del s
        gc.collect()
        self.assertFalse(finalizer.alive)
        # close() after an explicit close and the finalizer never frees twice.
        t = self.new()
        f = t._finalizer
        t.close()
        self.assertFalse(f.alive)
        del t
        gc.collect()

    def test_sessions_on_threads_share_a_catalog(self):
        results = [None] * 4

        def work(i):
            with regimen.Session(self.pack, self.routine) as s:
                s.start(0)
                results[i] = [(e.type, e.at_ms) for e in run(s)]

        threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertIsNotNone(results[0])
        self.assertEqual(results, [results[0]] * 4)


class PlanningTest(ErrorAssertions):
    @classmethod
    def setUpClass(cls):
        cls.pack = regimen.Catalog.default()

    @classmethod
    def tearDownClass(cls):
        cls.pack.close()

    def test_generate_is_deterministic_and_gated(self):
        profile = {"minutesPerWeek": 20, "sessionsPerWeek": 2, "seed": 11}
        a = regimen.generate(self.pack, profile)
        b = regimen.generate(self.pack, profile)
        self.assertEqual(a, b)
        ids = [block["exerciseId"] for block in a["blocks"]]
        self.assertEqual(ids[0], "grow_through_spine")
        self.assertNotIn("prone_rock", ids)
        with regimen.Session(self.pack, json.dumps(a), format="json") as s:
            s.start(0)
            self.assertEqual(run(s)[-1].type, "SESSION_COMPLETED")

    def test_generate_rejects_unknown_field(self):
        self.assertError("INVALID_ARGUMENT", regimen.generate, self.pack, {"shoeSize": 44})

    def test_schedule(self):
        request = {"profile": {"sessionsPerWeek": 2, "timeZone": "UTC"},
                   "startDate": "2024-03-04", "days": 7}
        plan = regimen.schedule(self.pack, request)
        self.assertEqual(len(plan["sessions"]), 2)
        for session in plan["sessions"]:
            self.assertRegex(session["date"], r"^2024-03-(0[4-9]|10)$")
        self.assertTrue(plan["prompts"])
        self.assertEqual({p["habitId"] for p in plan["prompts"]}, {"posture_check"})

    def records_of(self, routine, sessions):
        """The records of `sessions` sessions of `routine` run to their end."""
        records = []
        for _ in range(sessions):
            with regimen.Session(self.pack, json.dumps(routine), format="json") as s:
                s.start(0)
                run(s)
                records.append(s.record())
        return records

    def test_progress(self):
        routine = json.loads(self.pack.routine("back_basics", format="json"))
        records = self.records_of(routine, 3)
        decision = regimen.progress(
            self.pack, {"routine": routine, "profile": {"seed": 1}, "records": records})
        self.assertIn("routine", decision)
        self.assertEqual(
            [b["exerciseId"] for b in decision["routine"]["blocks"]][:4], CORE)
        for change in decision.get("changes", []):
            self.assertIn(change["exerciseId"], CORE + ["prone_rock"])
            self.assertTrue(change["reason"])

    def test_progress_in_the_profiles_language(self):
        # The same decision, its reasons and notes in German (de-AT falls back to de).
        routine = json.loads(self.pack.routine("back_basics", format="json"))
        request = {"routine": routine, "profile": {"seed": 1}, "records": self.records_of(routine, 2)}
        english = regimen.progress(self.pack, request)
        request["profile"]["locale"] = "de-AT"
        german = regimen.progress(self.pack, request)
        self.assertEqual([dict(c, reason="") for c in german["changes"]],
                         [dict(c, reason="") for c in english["changes"]])
        lift = [c for c in german["changes"] if c["exerciseId"] == "prone_lift"][0]
        self.assertTrue(lift["reason"].startswith("prone_lift auf Stufe 1 (0..5) gesteigert: "),
                        lift["reason"])
        self.assertTrue(german["routine"]["notes"][0].startswith("prone_rock bleibt gesperrt"))
        request["profile"]["locale"] = "de_AT"
        self.assertError("INVALID_ARGUMENT", regimen.progress, self.pack, request)

    def test_progress_serialized(self):
        # Bytes in, the decision's bytes out in the same format: equal to the dict form.
        routine = json.loads(self.pack.routine("back_basics", format="json"))
        with regimen.Session(self.pack, json.dumps(routine), format="json") as s:
            s.start(0)
            run(s)
            record = s.record()
        request = {"routine": routine, "profile": {"seed": 1}, "records": [record, record]}
        as_dict = regimen.progress(self.pack, request)
        as_json = regimen.progress(self.pack, json.dumps(request).encode(), format="json")
        self.assertIsInstance(as_json, bytes)
        self.assertEqual(json.loads(as_json), as_dict)
        # A binary request: the routine's bytes as field 1 of ProgressRequest (length-delimited).
        binary_routine = self.pack.routine("back_basics")
        binary_request = _length_delimited(1, binary_routine)
        binary = regimen.progress(self.pack, binary_request)
        self.assertIsInstance(binary, bytes)
        self.assertTrue(binary)
        self.assertEqual(binary, regimen.progress(self.pack, bytearray(binary_request)))
        json_of_binary = regimen.progress(
            self.pack, json.dumps({"routine": routine}).encode(), format="json")
        self.assertTrue(json_of_binary)
        self.assertError("INVALID_ARGUMENT", regimen.progress, self.pack, b"\xff\xff")
        self.assertError("INVALID_ARGUMENT", regimen.progress, self.pack, request, "json")

    def test_fit_exports(self):
        routine = self.pack.routine("back_basics", format="json")
        workout = regimen.export_fit_workout(self.pack, routine, format="json")
        self.assertEqual(workout[8:12], b".FIT")
        self.assertIn(b"Prone leg lift (left)", workout)
        self.assertEqual(workout, regimen.export_fit_workout(self.pack, json.loads(routine)))
        self.assertEqual(
            workout,
            regimen.export_fit_workout(self.pack, self.pack.routine("back_basics")))
        self.assertError("FAILED_PRECONDITION", regimen.export_fit_workout, self.pack,
                         self.pack.routine("back_basics_plus"))
        with regimen.Session(self.pack, routine, format="json") as s:
            s.start(1796284800000)  # 2026-12-03T08:00:00Z, the wall clock
            run(s)
            record = s.record()
        activity = regimen.export_fit_activity(self.pack, record)
        self.assertEqual(activity[8:12], b".FIT")
        self.assertEqual(activity[0], 14)
        record["startedAtMs"] = "0"
        self.assertError("INVALID_ARGUMENT", regimen.export_fit_activity, self.pack, record)


if __name__ == "__main__":
    unittest.main()


class LocaleTest(ErrorAssertions):
    """SessionOptions.locale: the words of a session, its fallback and its errors."""

    def run_session(self, locale):
        catalog = regimen.Catalog.default()
        with regimen.Session(catalog, catalog.routine("back_basics"), options={"locale": locale}) as s:
            s.start(0)
            cues = []
            while not s.finished:
                cues += [e for e in s.events() if e.type == "CUE"]
                deadline = s.next_deadline
                if deadline is None:
                    break
                s.tick(deadline)
            cues += [e for e in s.events() if e.type == "CUE"]
            return cues, s.record()

    def test_german_cues_every_one_spoken(self):
        cues, record = self.run_session("de")
        self.assertTrue(cues[0].text.startswith("Mach dich bereit"), cues[0].text)
        self.assertEqual(record["locale"], "de")
        self.assertEqual(record["cuesSpoken"], record["cuesTriggered"])

    def test_regional_tag_falls_back_to_its_language(self):
        cues, record = self.run_session("es-MX")
        self.assertEqual(record["locale"], "es")
        self.assertNotIn("notes", record)

    def test_unknown_locale_falls_back_to_the_source_with_a_note(self):
        cues, record = self.run_session("xx")
        self.assertEqual(record["locale"], "en")
        self.assertIn('"xx"', record["notes"][0])
        self.assertTrue(cues[0].text.startswith("Get ready"), cues[0].text)

    def test_malformed_tag_is_invalid_argument(self):
        catalog = regimen.Catalog.default()
        with self.assertRaises(regimen.Error) as raised:
            regimen.Session(catalog, catalog.routine("back_basics"), options={"locale": "de_AT"})
        self.assertEqual(raised.exception.code, "INVALID_ARGUMENT")
        self.assertIn("BCP 47", str(raised.exception))

    def test_speech_ended_holds_the_next_cue(self):
        catalog = regimen.Catalog.default()
        with regimen.Session(catalog, catalog.routine("back_basics")) as s:
            s.start(0)
            first = [e for e in s.events() if e.type == "CUE"][0]
            s.speech_ended(first.cue_id, 9000)
            later = []
            while not later:
                s.tick(s.next_deadline)
                later = [e for e in s.events() if e.type == "CUE"]
            self.assertGreaterEqual(later[0].at_ms, 9250)
            with self.assertRaises(regimen.Error) as raised:
                s.speech_ended("no_such_cue", 20000)
            self.assertEqual(raised.exception.code, "NOT_FOUND")
