// The engine's own user-facing words, in one place: the default label of each phase kind (used
// when an exercise's phase has none), the labels of the phases the engine adds (count-in and
// rests), the short labels of non-cue events, and the phase kinds' names in events.
#ifndef REGIMEN_SRC_MODEL_LABELS_H_
#define REGIMEN_SRC_MODEL_LABELS_H_

#include "absl/types/span.h"
#include "regimen/v1/exercise.pb.h"
#include "regimen/v1/session.pb.h"

namespace regimen::labels {

// "Setup", "Hold", "Get ready", …; "Phase" for an unknown kind. Static storage.
const char* PhaseLabel(v1::PhaseKind kind);

// The label of a phase the engine adds itself: "Get ready" for the count-in, "Rest" for every
// rest (between reps, sets and blocks).
const char* EnginePhaseLabel(v1::PhaseKind kind);

// The short label of an event that is not a cue and not about an exercise or a phase: "Rep
// done", "Paused", and for SESSION_COMPLETED by how the session `end`ed: "Session completed",
// "Session stopped", "Session ended for safety"; "" for others.
const char* EventLabel(v1::SessionEvent::Type type, v1::SessionEnd end);

// A translatable event label: its message id ("engine.event.paused"), the event and the end
// (for SESSION_COMPLETED) it is shown for, and what the translator is told of it.
struct EventWord {
  const char* id;
  v1::SessionEvent::Type type;
  v1::SessionEnd end;
  const char* comment;
};
// Every event label of EventLabel, in the order translators see them.
absl::Span<const EventWord> EventWords();

// Lower-case phase kind without the prefix ("hold", "count_in"); "" for none or out of range.
const char* PhaseKindName(int kind);

}  // namespace regimen::labels

#endif  // REGIMEN_SRC_MODEL_LABELS_H_
