// The engine's user-facing words.
#include "src/model/labels.h"

namespace regimen::labels {

const char* PhaseLabel(v1::PhaseKind kind) {
  switch (kind) {
    case v1::PHASE_SETUP:
      return "Setup";
    case v1::PHASE_LIFT:
      return "Lift";
    case v1::PHASE_HOLD:
      return "Hold";
    case v1::PHASE_LOWER:
      return "Lower";
    case v1::PHASE_ROCK:
      return "Rock";
    case v1::PHASE_REST:
      return "Rest";
    case v1::PHASE_SWITCH_SIDE:
      return "Switch side";
    case v1::PHASE_BREATHE:
      return "Breathe";
    case v1::PHASE_RELAX:
      return "Relax";
    case v1::PHASE_COUNT_IN:
      return "Get ready";
    default:
      return "Phase";
  }
}

const char* EnginePhaseLabel(v1::PhaseKind kind) {
  return PhaseLabel(kind == v1::PHASE_COUNT_IN ? v1::PHASE_COUNT_IN : v1::PHASE_REST);
}

const char* EventLabel(v1::SessionEvent::Type type, v1::SessionEnd end) {
  switch (type) {
    case v1::SessionEvent::REP_COMPLETED:
      return "Rep done";
    case v1::SessionEvent::SET_COMPLETED:
      return "Set done";
    case v1::SessionEvent::PAUSED:
      return "Paused";
    case v1::SessionEvent::RESUMED:
      return "Resumed";
    case v1::SessionEvent::SAFETY_STOP:
      return "Safety stop";
    case v1::SessionEvent::SESSION_COMPLETED:
      if (end == v1::SESSION_END_STOPPED) return "Session stopped";
      if (end == v1::SESSION_END_SAFETY_STOP) return "Session ended for safety";
      return "Session completed";
    default:
      return "";
  }
}

absl::Span<const EventWord> EventWords() {
  static constexpr EventWord kWords[] = {
      {"engine.event.rep_completed", v1::SessionEvent::REP_COMPLETED, v1::SESSION_END_COMPLETED,
       "A short label the engine shows for an event"},
      {"engine.event.set_completed", v1::SessionEvent::SET_COMPLETED, v1::SESSION_END_COMPLETED,
       "A short label the engine shows for an event"},
      {"engine.event.paused", v1::SessionEvent::PAUSED, v1::SESSION_END_COMPLETED,
       "A short label the engine shows for an event"},
      {"engine.event.resumed", v1::SessionEvent::RESUMED, v1::SESSION_END_COMPLETED,
       "A short label the engine shows for an event"},
      {"engine.event.safety_stop", v1::SessionEvent::SAFETY_STOP, v1::SESSION_END_COMPLETED,
       "A short label the engine shows for an event"},
      {"engine.event.session_completed", v1::SessionEvent::SESSION_COMPLETED,
       v1::SESSION_END_COMPLETED, "Shown when every exercise of the session has run"},
      {"engine.event.session_stopped", v1::SessionEvent::SESSION_COMPLETED, v1::SESSION_END_STOPPED,
       "Shown when the user stopped the session"},
      {"engine.event.session_safety_stop", v1::SessionEvent::SESSION_COMPLETED,
       v1::SESSION_END_SAFETY_STOP, "Shown when the session ended because the user reported pain"},
  };
  return kWords;
}

const char* PhaseKindName(int kind) {
  static const char* const kNames[] = {"",     "setup",       "lift",    "hold",  "lower",   "rock",
                                       "rest", "switch_side", "breathe", "relax", "count_in"};
  return kind >= 0 && kind <= v1::PHASE_COUNT_IN ? kNames[kind] : "";
}

}  // namespace regimen::labels
