"""The ctypes layer: finds libregimen and declares the C API of ``regimen.h``.

Only this module touches ctypes. Everything here mirrors /work/shared/CAPI.md exactly: enum
values, struct layouts and function signatures. The facade in ``regimen/__init__.py`` turns it
into Python objects.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import os
import threading
from typing import List, Optional, Tuple

# rgm_status values equal absl::StatusCode's, so the names below are the canonical ones.
STATUS_NAMES = {
    0: "OK",
    1: "CANCELLED",
    2: "UNKNOWN",
    3: "INVALID_ARGUMENT",
    4: "DEADLINE_EXCEEDED",
    5: "NOT_FOUND",
    6: "ALREADY_EXISTS",
    7: "PERMISSION_DENIED",
    8: "RESOURCE_EXHAUSTED",
    9: "FAILED_PRECONDITION",
    10: "ABORTED",
    11: "OUT_OF_RANGE",
    12: "UNIMPLEMENTED",
    13: "INTERNAL",
    14: "UNAVAILABLE",
    15: "DATA_LOSS",
    16: "UNAUTHENTICATED",
}

FORMATS = {"binary": 0, "json": 1, "text": 2}

SIGNAL_PAUSE = 1
SIGNAL_RESUME = 2
SIGNAL_SKIP = 3
SIGNAL_REP_DONE = 4
SIGNAL_STOP = 5

REPORTS = {"pain": 1, "asymmetry": 2, "effort": 3}

SIDES = {None: 0, "LEFT": 1, "RIGHT": 2}
SIDE_NAMES = {0: None, 1: "LEFT", 2: "RIGHT"}

EVENT_TYPES = {
    1: "SESSION_STARTED",
    2: "EXERCISE_STARTED",
    3: "PHASE_STARTED",
    4: "CUE",
    5: "REP_COMPLETED",
    6: "SET_COMPLETED",
    7: "EXERCISE_COMPLETED",
    8: "PAUSED",
    9: "RESUMED",
    10: "SAFETY_STOP",
    11: "SESSION_COMPLETED",
    12: "CUE_SKIPPED",
}


class RgmBuffer(ctypes.Structure):
    """``rgm_buffer``: bytes owned by the caller, released with ``rgm_buffer_free``."""

    # data is c_void_p, not c_char_p: c_char_p would stop at the first NUL of binary data.
    _fields_ = [("data", ctypes.c_void_p), ("size", ctypes.c_size_t)]


class RgmEvent(ctypes.Structure):
    """``rgm_event``; its strings are borrowed until the next call on the session."""

    _fields_ = [
        ("struct_size", ctypes.c_uint32),
        ("type", ctypes.c_int),
        ("at_ms", ctypes.c_int64),
        ("block_index", ctypes.c_int32),
        ("set_index", ctypes.c_int32),
        ("rep_index", ctypes.c_int32),
        ("side", ctypes.c_int),
        ("duration_ms", ctypes.c_int64),
        ("exercise_id", ctypes.c_char_p),
        ("phase", ctypes.c_char_p),
        ("cue_id", ctypes.c_char_p),
        ("text", ctypes.c_char_p),
    ]


_P = ctypes.c_void_p  # every opaque handle
_PP = ctypes.POINTER(ctypes.c_void_p)
_STATUS = ctypes.c_int

# name: (restype, argtypes)
_SIGNATURES = {
    "rgm_version": (ctypes.c_char_p, []),
    "rgm_status_name": (ctypes.c_char_p, [_STATUS]),
    "rgm_last_error": (ctypes.c_char_p, []),
    "rgm_buffer_free": (None, [ctypes.POINTER(RgmBuffer)]),
    "rgm_catalog_default": (_STATUS, [_PP]),
    "rgm_catalog_parse": (_STATUS, [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, _PP]),
    "rgm_catalog_free": (None, [_P]),
    "rgm_catalog_routine": (
        _STATUS,
        [_P, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(RgmBuffer)],
    ),
    "rgm_session_new": (
        _STATUS,
        [_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, _PP],
    ),
    "rgm_session_new_with_options": (
        _STATUS,
        [_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t,
         ctypes.c_int, _PP],
    ),
    "rgm_session_free": (None, [_P]),
    "rgm_session_start": (_STATUS, [_P, ctypes.c_int64]),
    "rgm_session_tick": (_STATUS, [_P, ctypes.c_int64]),
    "rgm_session_signal": (_STATUS, [_P, ctypes.c_int, ctypes.c_int64]),
    "rgm_session_report": (
        _STATUS,
        [_P, ctypes.c_int, ctypes.c_int32, ctypes.c_int, ctypes.c_int64],
    ),
    "rgm_session_speech_ended": (_STATUS, [_P, ctypes.c_char_p, ctypes.c_int64]),
    "rgm_session_next_deadline": (ctypes.c_int64, [_P]),
    "rgm_session_finished": (ctypes.c_int, [_P]),
    "rgm_session_poll": (ctypes.c_int, [_P, ctypes.POINTER(RgmEvent)]),
    "rgm_session_snapshot": (_STATUS, [_P, ctypes.c_int, ctypes.POINTER(RgmBuffer)]),
    "rgm_session_restore": (_STATUS, [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, _PP]),
    "rgm_session_record": (_STATUS, [_P, ctypes.c_int, ctypes.POINTER(RgmBuffer)]),
    "rgm_routine_generate": (
        _STATUS,
        [_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.POINTER(RgmBuffer)],
    ),
    "rgm_progress": (
        _STATUS,
        [_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.POINTER(RgmBuffer)],
    ),
    "rgm_schedule": (
        _STATUS,
        [_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.POINTER(RgmBuffer)],
    ),
    "rgm_catalog_serialize": (_STATUS, [_P, ctypes.c_int, ctypes.POINTER(RgmBuffer)]),
    "rgm_routine_export_fit": (
        _STATUS,
        [_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.POINTER(RgmBuffer)],
    ),
    "rgm_record_export_fit": (
        _STATUS,
        [_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.POINTER(RgmBuffer)],
    ),
}


class LibraryNotFound(OSError):
    """No usable libregimen was found; the message lists every place that was tried."""


def _package_copies() -> List[str]:
    """Copies of the library bundled inside the installed package, best first."""
    here = os.path.dirname(os.path.abspath(__file__))
    return sorted(glob.glob(os.path.join(here, "libregimen.so*")), key=len)


def _candidates() -> List[Tuple[str, str]]:
    """(description, path-or-name) pairs in the documented search order."""
    found: List[Tuple[str, str]] = []
    env = os.environ.get("REGIMEN_LIBRARY")
    if env:
        found.append(("REGIMEN_LIBRARY", env))
    for path in _package_copies():
        found.append(("package copy", path))
    system = ctypes.util.find_library("regimen")
    if system:
        found.append(("system loader (find_library)", system))
    found.append(("system loader", "libregimen.so.0"))
    return found


def _load() -> ctypes.CDLL:
    tried: List[str] = []
    env = os.environ.get("REGIMEN_LIBRARY")
    if env is None:
        tried.append("REGIMEN_LIBRARY: not set")
    if not _package_copies():
        tried.append(
            "package copy: none in " + os.path.dirname(os.path.abspath(__file__))
        )
    for where, name in _candidates():
        try:
            lib = ctypes.CDLL(name)
        except OSError as e:
            tried.append(f"{where}: {name}: {e}")
            continue
        missing = [f for f in _SIGNATURES if not hasattr(lib, f)]
        if missing:
            tried.append(f"{where}: {name}: lacks {', '.join(missing)}")
            continue
        return lib
    raise LibraryNotFound(
        "cannot load libregimen; set REGIMEN_LIBRARY to the path of libregimen.so. Tried:\n  "
        + "\n  ".join(tried)
    )


_lib: Optional[ctypes.CDLL] = None
_lib_lock = threading.Lock()


def lib() -> ctypes.CDLL:
    """The loaded library with every signature declared; loaded on first use."""
    global _lib
    if _lib is None:
        with _lib_lock:
            if _lib is None:
                loaded = _load()
                for name, (restype, argtypes) in _SIGNATURES.items():
                    fn = getattr(loaded, name)
                    fn.restype = restype
                    fn.argtypes = argtypes
                _lib = loaded
    return _lib


def library_path() -> str:
    """The file name the library was loaded from."""
    return lib()._name
