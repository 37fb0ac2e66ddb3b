"""Regimen from Python: run guided exercise sessions with the embeddable Regimen engine.

A thin facade over the C API of ``libregimen`` (``regimen.h``), loaded with ctypes::

    import regimen

    with regimen.Catalog.default() as pack, \\
            regimen.Session(pack, pack.routine("back_basics")) as session:
        session.start(0)
        now = 0
        while not session.finished:
            for event in session.events():
                print(event.at_ms, event.type, event.text)
            now = session.next_deadline if session.next_deadline is not None else now + 1000
            session.tick(now)

The library is found through the ``REGIMEN_LIBRARY`` environment variable, then a copy inside
this package, then the system loader. Every failing call raises :class:`Error`, whose ``code`` is
the canonical status name (``"INVALID_ARGUMENT"``, ...) and whose message comes from the library.

Handles (:class:`Catalog`, :class:`Session`) are released by ``close()``, by a ``with`` block or,
failing both, by the garbage collector; never twice. A catalog may be shared by any number of
threads; a session is used by one thread at a time (the binding serialises calls on one session).
"""

from __future__ import annotations

import ctypes
import dataclasses
import json
import threading
import weakref
from typing import Any, Dict, Iterator, Optional, TypeVar, Union, overload

from . import _native

__all__ = [
    "Catalog",
    "Error",
    "Event",
    "Session",
    "export_fit_activity",
    "export_fit_workout",
    "generate",
    "library_path",
    "progress",
    "schedule",
    "version",
]

Data = Union[bytes, bytearray, memoryview, str]


class Error(Exception):
    """A failed call into Regimen.

    Attributes:
        code: the canonical status name, e.g. ``"INVALID_ARGUMENT"`` or ``"NOT_FOUND"``.
        status: the numeric ``rgm_status`` (equal to ``absl::StatusCode``).
        message: what was wrong and where, as reported by ``rgm_last_error``.
    """

    def __init__(self, code: str, message: str, status: Optional[int] = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


def _check(status: int) -> None:
    if status != 0:
        message = (_native.lib().rgm_last_error() or b"").decode("utf-8", "replace")
        name = _native.STATUS_NAMES.get(status)
        if name is None:
            raw = _native.lib().rgm_status_name(status) or b"UNKNOWN"
            name = raw.decode("ascii", "replace").removeprefix("RGM_")
        raise Error(name, message, status)


def _format(format: str) -> int:
    try:
        return _native.FORMATS[format]
    except (KeyError, TypeError):
        raise Error(
            "INVALID_ARGUMENT",
            f"format must be one of {sorted(_native.FORMATS)}, got {format!r}",
        ) from None


def _bytes(data: Data, what: str) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise Error("INVALID_ARGUMENT", f"{what} must be bytes or str, got {type(data).__name__}")


def _take(buffer: _native.RgmBuffer) -> bytes:
    """Copies a library-owned buffer out and frees it."""
    try:
        return ctypes.string_at(buffer.data, buffer.size) if buffer.size else b""
    finally:
        _native.lib().rgm_buffer_free(ctypes.byref(buffer))


def _str(value: Optional[bytes]) -> str:
    return value.decode("utf-8", "replace") if value else ""


def version() -> str:
    """The library's version, e.g. ``"0.1.0"``."""
    return _str(_native.lib().rgm_version())


def library_path() -> str:
    """Where libregimen was loaded from (useful when checking which copy is in use)."""
    return _native.library_path()


_H = TypeVar("_H", bound="_Handle")


class _Handle:
    """An owned C handle released exactly once: by close(), a with block or the collector."""

    _kind = "handle"

    def _adopt(self, pointer: ctypes.c_void_p, free: Any) -> None:
        self._ptr: Optional[int] = pointer.value
        # The finalizer holds the raw address, not self, so it does not keep self alive; it runs
        # at most once whether called by close() or by the garbage collector.
        self._finalizer = weakref.finalize(self, free, pointer.value)

    def close(self) -> None:
        """Releases the native handle now. Idempotent."""
        finalizer = getattr(self, "_finalizer", None)
        if finalizer is not None:
            finalizer()
        self._ptr = None

    @property
    def closed(self) -> bool:
        """True once close() ran."""
        return getattr(self, "_ptr", None) is None

    def _handle(self) -> int:
        ptr: Optional[int] = getattr(self, "_ptr", None)
        if ptr is None:
            raise Error("FAILED_PRECONDITION", f"the {self._kind} is closed")
        return ptr

    def __enter__(self: _H) -> _H:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


class Catalog(_Handle):
    """A validated, immutable content pack: exercises, routines, habits, progression rules.

    Create one with :meth:`default` or :meth:`parse`. Thread-safe: it may be shared.
    """

    _kind = "catalog"

    def __init__(self) -> None:
        raise TypeError("use Catalog.default() or Catalog.parse(data, format)")

    @classmethod
    def _wrap(cls, pointer: ctypes.c_void_p) -> "Catalog":
        self = cls.__new__(cls)
        self._adopt(pointer, _native.lib().rgm_catalog_free)
        return self

    @classmethod
    def default(cls) -> "Catalog":
        """The back-care pack compiled into the library."""
        out = ctypes.c_void_p()
        _check(_native.lib().rgm_catalog_default(ctypes.byref(out)))
        return cls._wrap(out)

    @classmethod
    def parse(cls, data: Data, format: str = "json") -> "Catalog":
        """Parses and validates a catalog in ``format`` ("json", "text" or "binary").

        Raises:
            Error: INVALID_ARGUMENT naming the offending field, RESOURCE_EXHAUSTED past a limit.
        """
        raw = _bytes(data, "catalog data")
        out = ctypes.c_void_p()
        _check(_native.lib().rgm_catalog_parse(raw, len(raw), _format(format), ctypes.byref(out)))
        return cls._wrap(out)

    def routine(self, routine_id: str, format: str = "binary") -> bytes:
        """The built-in routine ``routine_id`` serialised in ``format`` (binary by default).

        Raises:
            Error: NOT_FOUND when the catalog has no such routine.
        """
        buffer = _native.RgmBuffer()
        _check(
            _native.lib().rgm_catalog_routine(
                self._handle(), routine_id.encode("utf-8"), _format(format), ctypes.byref(buffer)
            )
        )
        return _take(buffer)

    def __repr__(self) -> str:
        return f"<regimen.Catalog {'closed' if self.closed else hex(self._ptr or 0)}>"


@dataclasses.dataclass(frozen=True)
class Event:
    """One thing that happened in a session, copied out of the library.

    ``type`` is the event name without prefix ("SESSION_STARTED", "CUE", ...). Indices are -1
    where they do not apply; ``side`` is "LEFT", "RIGHT" or None; ``duration_ms`` is -1 when the
    phase is open-ended or it does not apply; strings are "" when absent.
    """

    type: str
    at_ms: int
    block_index: int
    set_index: int
    rep_index: int
    side: Optional[str]
    duration_ms: int
    exercise_id: str
    phase: str
    cue_id: str
    text: str


class Session(_Handle):
    """A running routine, driven by the host's monotonic milliseconds.

    Feed it time (:meth:`tick`) and the user's signals; read what it emits with :meth:`events`.
    Calls after the session finished raise Error FAILED_PRECONDITION.
    """

    _kind = "session"

    def __init__(
        self,
        catalog: Catalog,
        routine: Data,
        format: str = "binary",
        options: Union[Dict[str, Any], Data, None] = None,
        options_format: str = "json",
    ) -> None:
        """Compiles ``routine`` (a regimen.v1.Routine in ``format``) against ``catalog``.

        ``options`` tune the session: a regimen.v1.SessionOptions as a dict in its JSON mapping
        (``{"breathPeriodMs": 6000, "attestations": ["spine_flexible_strong_balanced"]}``), or
        its bytes in ``options_format``; None gives the defaults. A routine holding a gated
        exercise (``back_basics_plus`` holds ``prone_rock``) runs only when ``attestations``
        name every attestation its gate needs, as the user has given them.

        The session carries its compiled plan: the catalog may be closed while it runs.

        Raises:
            Error: INVALID_ARGUMENT for a malformed routine or one the catalog cannot run
                (e.g. an unknown exercise id, or a first block that is not the primer; the
                message names the block and field), and for options that do not parse, hold a
                value out of range or an attestation the catalog does not declare;
                FAILED_PRECONDITION for a gated exercise without its attestations (the message
                names the exercise and the missing attestation).
        """
        raw = _bytes(routine, "routine")
        if options is None:
            opts, opts_format = None, _native.FORMATS["binary"]
        elif isinstance(options, dict):
            opts, opts_format = json.dumps(options).encode("utf-8"), _native.FORMATS["json"]
        else:
            opts, opts_format = _bytes(options, "options"), _format(options_format)
        out = ctypes.c_void_p()
        _check(
            _native.lib().rgm_session_new_with_options(
                catalog._handle(),
                raw,
                len(raw),
                _format(format),
                opts,
                0 if opts is None else len(opts),
                opts_format,
                ctypes.byref(out),
            )
        )
        self._lock = threading.RLock()
        self._adopt(out, _native.lib().rgm_session_free)

    @classmethod
    def restore(cls, data: Data, format: str = "binary") -> "Session":
        """A session restored from :meth:`snapshot`; needs no catalog (the snapshot carries it)."""
        raw = _bytes(data, "snapshot")
        out = ctypes.c_void_p()
        _check(_native.lib().rgm_session_restore(raw, len(raw), _format(format), ctypes.byref(out)))
        self = cls.__new__(cls)
        self._lock = threading.RLock()
        self._adopt(out, _native.lib().rgm_session_free)
        return self

    def start(self, now_ms: int) -> None:
        """Starts the session at ``now_ms``."""
        with self._lock:
            _check(_native.lib().rgm_session_start(self._handle(), now_ms))

    def tick(self, now_ms: int) -> None:
        """Emits every event scheduled at or before ``now_ms``; time must not go backwards."""
        with self._lock:
            _check(_native.lib().rgm_session_tick(self._handle(), now_ms))

    def _signal(self, signal: int, now_ms: int) -> None:
        with self._lock:
            _check(_native.lib().rgm_session_signal(self._handle(), signal, now_ms))

    def pause(self, now_ms: int) -> None:
        """Freezes every timer; pausing while paused changes nothing."""
        self._signal(_native.SIGNAL_PAUSE, now_ms)

    def resume(self, now_ms: int) -> None:
        """Shifts the rest of the schedule by the paused time; resuming while running is a no-op."""
        self._signal(_native.SIGNAL_RESUME, now_ms)

    def skip(self, now_ms: int) -> None:
        """Ends the current exercise and moves to the next."""
        self._signal(_native.SIGNAL_SKIP, now_ms)

    def rep_done(self, now_ms: int) -> None:
        """Ends an open phase that waits for the user."""
        self._signal(_native.SIGNAL_REP_DONE, now_ms)

    def stop(self, now_ms: int) -> None:
        """Ends the session; SESSION_COMPLETED follows and the record says it was stopped."""
        self._signal(_native.SIGNAL_STOP, now_ms)

    def speech_ended(self, cue_id: str, now_ms: int) -> None:
        """Tells the session that speaking cue ``cue_id`` (a CUE event's ``cue_id``) really ended
        at ``now_ms``: the next cue starts only after that plus the cue gap.

        Once a host has reported one end (with ``await_speech_end`` unset in the options), every
        later cue waits for its own report, at most its estimate plus ``max_cue_delay_ms``.
        Raises ``Error("NOT_FOUND")`` for a cue id the session's plan does not have.
        """
        if not isinstance(cue_id, str):
            raise Error("INVALID_ARGUMENT", f"cue_id must be a str, got {type(cue_id).__name__}")
        with self._lock:
            _check(
                _native.lib().rgm_session_speech_ended(
                    self._handle(), cue_id.encode("utf-8"), now_ms
                )
            )

    def report(self, kind: str, value: int, now_ms: int, side: Optional[str] = None) -> None:
        """Reports ``"pain"`` (0-10), ``"asymmetry"`` or ``"effort"``, optionally for a side.

        A pain report at or above the stop threshold emits SAFETY_STOP and ends the session
        (the record's ``end`` is ``"SESSION_END_SAFETY_STOP"``).
        ``side`` is "LEFT", "RIGHT" or None.
        """
        if kind not in _native.REPORTS:
            raise Error(
                "INVALID_ARGUMENT",
                f"report kind must be one of {sorted(_native.REPORTS)}, got {kind!r}",
            )
        if side not in _native.SIDES:
            raise Error("INVALID_ARGUMENT", f"side must be 'LEFT', 'RIGHT' or None, got {side!r}")
        with self._lock:
            _check(
                _native.lib().rgm_session_report(
                    self._handle(),
                    _native.REPORTS[kind],
                    value,
                    _native.SIDES[side],
                    now_ms,
                )
            )

    @property
    def next_deadline(self) -> Optional[int]:
        """When the next timed transition is due (ms), or None when no timer is pending."""
        with self._lock:
            deadline = int(_native.lib().rgm_session_next_deadline(self._handle()))
        return None if deadline < 0 else deadline

    @property
    def finished(self) -> bool:
        """True once SESSION_COMPLETED was emitted."""
        with self._lock:
            return bool(_native.lib().rgm_session_finished(self._handle()) != 0)

    def poll(self) -> Optional[Event]:
        """The next queued event, or None when the queue is empty."""
        raw = _native.RgmEvent()
        raw.struct_size = ctypes.sizeof(_native.RgmEvent)
        with self._lock:
            if not _native.lib().rgm_session_poll(self._handle(), ctypes.byref(raw)):
                return None
            # The strings are borrowed until the next call on this session: copy them now.
            return Event(
                type=_native.EVENT_TYPES.get(raw.type, f"UNKNOWN_{raw.type}"),
                at_ms=raw.at_ms,
                block_index=raw.block_index,
                set_index=raw.set_index,
                rep_index=raw.rep_index,
                side=_native.SIDE_NAMES.get(raw.side),
                duration_ms=raw.duration_ms,
                exercise_id=_str(raw.exercise_id),
                phase=_str(raw.phase),
                cue_id=_str(raw.cue_id),
                text=_str(raw.text),
            )

    def events(self) -> Iterator[Event]:
        """Drains the event queue, oldest first."""
        while True:
            event = self.poll()
            if event is None:
                return
            yield event

    def snapshot(self, format: str = "binary") -> bytes:
        """A self-contained snapshot (it carries the compiled plan) for :meth:`restore`."""
        buffer = _native.RgmBuffer()
        with self._lock:
            _check(
                _native.lib().rgm_session_snapshot(
                    self._handle(), _format(format), ctypes.byref(buffer)
                )
            )
        return _take(buffer)

    def record(self) -> Dict[str, Any]:
        """What happened so far (a regimen.v1.SessionRecord in its JSON mapping), as a dict."""
        buffer = _native.RgmBuffer()
        with self._lock:
            _check(
                _native.lib().rgm_session_record(
                    self._handle(), _native.FORMATS["json"], ctypes.byref(buffer)
                )
            )
        record: Dict[str, Any] = json.loads(_take(buffer).decode("utf-8"))
        return record

    def close(self) -> None:
        """Releases the native session now. Idempotent."""
        lock = getattr(self, "_lock", None)
        if lock is None:
            super().close()
            return
        with lock:
            super().close()

    def __repr__(self) -> str:
        return f"<regimen.Session {'closed' if self.closed else hex(self._ptr or 0)}>"


def _json_call(
    function: str, catalog: Catalog, message: Union[Dict[str, Any], Data]
) -> Dict[str, Any]:
    raw = _bytes(message if not isinstance(message, dict) else json.dumps(message), function)
    buffer = _native.RgmBuffer()
    _check(
        getattr(_native.lib(), function)(
            catalog._handle(), raw, len(raw), _native.FORMATS["json"], ctypes.byref(buffer)
        )
    )
    result: Dict[str, Any] = json.loads(_take(buffer).decode("utf-8"))
    return result


def generate(catalog: Catalog, profile: Dict[str, Any]) -> Dict[str, Any]:
    """A routine for ``profile`` (regimen.v1.Profile as a JSON-mapping dict), as a dict.

    Pass ``json.dumps(routine).encode()`` with format "json" to :class:`Session` to run it.
    """
    return _json_call("rgm_routine_generate", catalog, profile)


@overload
def progress(catalog: Catalog, request: Union[Dict[str, Any], str]) -> Dict[str, Any]: ...


@overload
def progress(
    catalog: Catalog, request: Union[bytes, bytearray, memoryview], format: str = "binary"
) -> bytes: ...


def progress(
    catalog: Catalog,
    request: Union[Dict[str, Any], Data],
    format: Optional[str] = None,
) -> Union[Dict[str, Any], bytes]:
    """The progression decision for ``request`` (a regimen.v1.ProgressRequest: routine,
    profile, records).

    A dict (or JSON text) gives the ProgressDecision as a dict. Bytes are the request
    serialized in ``format`` ("binary" by default, "json" or "text") and give the decision's
    bytes in that same format, as the library wrote them: the form for storing decisions or
    comparing them byte for byte (examples/spark/weekly_progression.py).

    Raises:
        Error: INVALID_ARGUMENT for a request that does not parse or that the catalog cannot
            decide on (the message names the field); also for ``format`` with a dict or str.
    """
    if isinstance(request, (bytes, bytearray, memoryview)):
        raw = bytes(request)
        buffer = _native.RgmBuffer()
        _check(
            _native.lib().rgm_progress(
                catalog._handle(), raw, len(raw), _format(format or "binary"), ctypes.byref(buffer)
            )
        )
        return _take(buffer)
    if format is not None:
        raise Error("INVALID_ARGUMENT", "format applies to a serialized (bytes) request only")
    return _json_call("rgm_progress", catalog, request)


def schedule(catalog: Catalog, request: Dict[str, Any]) -> Dict[str, Any]:
    """The schedule for ``request`` (profile, startDate, days) as a dict."""
    return _json_call("rgm_schedule", catalog, request)


def _fit_call(
    function: str, catalog: Catalog, message: Union[Dict[str, Any], Data], format: Optional[str]
) -> bytes:
    raw = _bytes(message if not isinstance(message, dict) else json.dumps(message), function)
    if format is None:
        format = "json" if isinstance(message, (dict, str)) else "binary"
    buffer = _native.RgmBuffer()
    _check(
        getattr(_native.lib(), function)(
            catalog._handle(), raw, len(raw), _format(format), ctypes.byref(buffer)
        )
    )
    return _take(buffer)


def export_fit_workout(
    catalog: Catalog, routine: Union[Dict[str, Any], Data], format: Optional[str] = None
) -> bytes:
    """A FIT workout file (bytes) of ``routine`` for a Garmin watch: one step per exercise and
    side, repeats for sets, rest steps. ``routine`` is a Routine dict, or its encoding in
    ``format`` (default: "json" for a dict or str, "binary" for bytes). A gated exercise is
    refused (Error FAILED_PRECONDITION)."""
    return _fit_call("rgm_routine_export_fit", catalog, routine, format)


def export_fit_activity(
    catalog: Catalog, record: Union[Dict[str, Any], Data], format: Optional[str] = None
) -> bytes:
    """A FIT activity file (bytes) of a session ``record`` (``Session.record()``'s dict, or its
    encoding in ``format``) whose times are Unix ms: laps and sets per block, session totals.
    Error INVALID_ARGUMENT for a record on a virtual clock (a start before 1989-12-31)."""
    return _fit_call("rgm_record_export_fit", catalog, record, format)
