"""Property test: the Python facade adds nothing and loses nothing.

Random input sequences (time moving forward by random gaps or to the next deadline, pause,
resume, skip, rep done, stop, pain/asymmetry/effort reports with random valid values and sides)
are applied to two sessions of the same routine: one through ``regimen.Session``, one through
ctypes calls straight to the C API (``rgm_session_*`` via ``regimen._native.lib()``). After every
input both give the same status, the same events (every field, strings included), the same next
deadline and the same finished flag; at the end, the same record.

Needs hypothesis (pytest or unittest alike); skipped without it.
"""

import ctypes
import json
import os
import sys
import unittest
from typing import Any, List, Optional, Tuple

if not os.environ.get("REGIMEN_TEST_INSTALLED"):  # else the installed package (a wheel)
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - the tools venv (scripts/test) has it
    raise unittest.SkipTest("hypothesis is not installed")

import regimen  # noqa: E402
from regimen import _native  # noqa: E402

ROUTINES = {
    "back_basics": None,
    "back_basics_plus": {"attestations": ["spine_flexible_strong_balanced"]},
}
SIGNALS = {
    "pause": _native.SIGNAL_PAUSE,
    "resume": _native.SIGNAL_RESUME,
    "skip": _native.SIGNAL_SKIP,
    "rep_done": _native.SIGNAL_REP_DONE,
    "stop": _native.SIGNAL_STOP,
}
# (status name, events, next deadline, finished) after one input.
Observation = Tuple[str, List[Tuple[Any, ...]], Optional[int], bool]

sides = st.sampled_from([None, "LEFT", "RIGHT"])
inputs = st.one_of(
    st.tuples(st.just("deadline"), st.just(0)),
    st.tuples(st.just("tick"), st.integers(0, 20_000)),
    st.tuples(st.sampled_from(sorted(SIGNALS)), st.integers(0, 5_000)),
    st.tuples(st.just("pain"), st.integers(0, 5_000), st.integers(0, 10), sides),
    st.tuples(st.just("effort"), st.integers(0, 5_000), st.integers(0, 10), sides),
    st.tuples(st.just("asymmetry"), st.integers(0, 5_000), st.just(0),
              st.sampled_from(["LEFT", "RIGHT"])),
)


def event_tuple(event: regimen.Event) -> Tuple[Any, ...]:
    return (event.type, event.at_ms, event.block_index, event.set_index, event.rep_index,
            event.side, event.duration_ms, event.exercise_id, event.phase, event.cue_id,
            event.text)


class CSession:
    """The same session driven through the C API directly."""

    def __init__(self, catalog: regimen.Catalog, routine: bytes, options: Any) -> None:
        self.lib = _native.lib()
        self.handle = ctypes.c_void_p()
        if options is None:
            status = self.lib.rgm_session_new(catalog._handle(), routine, len(routine),
                                              _native.FORMATS["binary"], ctypes.byref(self.handle))
        else:
            data = json.dumps(options).encode()
            status = self.lib.rgm_session_new_with_options(
                catalog._handle(), routine, len(routine), _native.FORMATS["binary"], data,
                len(data), _native.FORMATS["json"], ctypes.byref(self.handle))
        assert status == 0, _native.STATUS_NAMES[status]

    def close(self) -> None:
        self.lib.rgm_session_free(self.handle)

    def events(self) -> List[Tuple[Any, ...]]:
        out = []
        raw = _native.RgmEvent()
        raw.struct_size = ctypes.sizeof(_native.RgmEvent)
        text = (lambda b: b.decode() if b else "")
        while self.lib.rgm_session_poll(self.handle, ctypes.byref(raw)):
            out.append((_native.EVENT_TYPES[raw.type], raw.at_ms, raw.block_index, raw.set_index,
                        raw.rep_index, _native.SIDE_NAMES[raw.side], raw.duration_ms,
                        text(raw.exercise_id), text(raw.phase), text(raw.cue_id), text(raw.text)))
        return out

    def deadline(self) -> Optional[int]:
        d = self.lib.rgm_session_next_deadline(self.handle)
        return None if d < 0 else int(d)

    def apply(self, kind: str, now: int, value: int, side: Optional[str]) -> Observation:
        if kind in ("deadline", "tick"):
            status = self.lib.rgm_session_tick(self.handle, now)
        elif kind in SIGNALS:
            status = self.lib.rgm_session_signal(self.handle, SIGNALS[kind], now)
        else:
            status = self.lib.rgm_session_report(self.handle, _native.REPORTS[kind], value,
                                                 _native.SIDES[side], now)
        return (_native.STATUS_NAMES[status], self.events(), self.deadline(),
                self.lib.rgm_session_finished(self.handle) != 0)

    def record(self) -> Any:
        buffer = _native.RgmBuffer()
        status = self.lib.rgm_session_record(self.handle, _native.FORMATS["json"],
                                             ctypes.byref(buffer))
        assert status == 0, _native.STATUS_NAMES[status]
        try:
            return json.loads(ctypes.string_at(buffer.data, buffer.size))
        finally:
            self.lib.rgm_buffer_free(ctypes.byref(buffer))


def apply_python(session: regimen.Session, kind: str, now: int, value: int,
                 side: Optional[str]) -> Observation:
    status = "OK"
    try:
        if kind in ("deadline", "tick"):
            session.tick(now)
        elif kind in SIGNALS:
            getattr(session, kind)(now)
        else:
            session.report(kind, value, now, side=side)
    except regimen.Error as error:
        status = error.code
    return (status, [event_tuple(e) for e in session.events()], session.next_deadline,
            session.finished)


class PythonMatchesCApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.catalog = regimen.Catalog.default()
        cls.routines = {r: cls.catalog.routine(r) for r in ROUTINES}

    @classmethod
    def tearDownClass(cls) -> None:
        cls.catalog.close()

    @settings(max_examples=100, deadline=None)
    @given(routine=st.sampled_from(sorted(ROUTINES)), steps=st.lists(inputs, max_size=60))
    def test_same_events_as_the_c_api(self, routine: str, steps: List[Tuple[Any, ...]]) -> None:
        options = ROUTINES[routine]
        py = regimen.Session(self.catalog, self.routines[routine], options=options)
        c = CSession(self.catalog, self.routines[routine], options)
        try:
            py.start(0)
            self.assertEqual(c.lib.rgm_session_start(c.handle, 0), 0)
            self.assertEqual([event_tuple(e) for e in py.events()], c.events())
            now = 0
            for step in steps:
                kind, gap = step[0], step[1]
                value, side = (step[2], step[3]) if len(step) == 4 else (0, None)
                if kind == "deadline":
                    deadline = py.next_deadline
                    now = max(now, deadline) if deadline is not None else now + 1_000
                else:
                    now += gap
                expected = c.apply(kind, now, value, side)
                self.assertEqual(apply_python(py, kind, now, value, side), expected,
                                 f"{kind} at {now}")
            self.assertEqual(py.record(), c.record())
        finally:
            py.close()
            c.close()


if __name__ == "__main__":
    unittest.main()
