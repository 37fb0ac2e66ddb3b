// The event ring's growth and the conversion of queued events to regimen::Event.
#include "src/session/event_queue.h"

#include <algorithm>

#include "src/model/labels.h"

namespace regimen::session_internal {

void EventQueue::Resize(size_t capacity) {
  ring_.reset(new QueuedEvent[capacity]);
  capacity_ = capacity;
  head_ = count_ = 0;
}

void EventQueue::Grow() {
  const size_t bigger = std::min(capacity_ * 2, kMaxSize);
  if (bigger == capacity_) {  // the host never polls: drop the oldest
    head_ = (head_ + 1) % capacity_;
    --count_;
    return;
  }
  std::unique_ptr<QueuedEvent[]> ring(new QueuedEvent[bigger]);
  for (size_t i = 0; i < count_; ++i) ring[i] = at(i);
  ring_ = std::move(ring);
  capacity_ = bigger;
  head_ = 0;
}

void EventQueue::BeginRestore(size_t events) {
  size_t capacity = kInitialSize;
  while (capacity < events) capacity *= 2;
  if (capacity != capacity_) Resize(capacity);
  Clear();
}

const char* PhaseName(int kind) { return labels::PhaseKindName(kind); }

namespace {

v1::SessionEnd LabelEnd(uint8_t label) {
  switch (label) {
    case kLabelStopped:
      return v1::SESSION_END_STOPPED;
    case kLabelSafetyStop:
      return v1::SESSION_END_SAFETY_STOP;
    default:
      return v1::SESSION_END_COMPLETED;
  }
}

}  // namespace

void ToEvent(const PreparedPlan& plan, const QueuedEvent& queued, Event* out) {
  Event& event = *out;
  event.exercise_id = event.phase = event.cue_id = event.text = "";
  event.cue_kind = v1::CUE_KIND_UNSPECIFIED;
  event.priority = v1::CUE_PRIORITY_UNSPECIFIED;
  event.speak_ms = 0;
  event.type = static_cast<v1::SessionEvent::Type>(queued.type);
  event.at_ms = queued.at_ms;
  event.block_index = queued.block;
  event.set_index = queued.set;
  event.rep_index = queued.rep;
  event.side = static_cast<v1::Side>(queued.side);
  event.duration_ms = queued.type == v1::SessionEvent::PHASE_STARTED ? queued.duration_ms : -1;
  const ExerciseInfo* exercise =
      queued.block >= 0 ? &plan.exercises[plan.blocks[queued.block].exercise] : nullptr;
  if (exercise != nullptr) event.exercise_id = exercise->id;
  switch (queued.type) {
    case v1::SessionEvent::SESSION_STARTED:
      event.text = plan.proto().routine_name().c_str();
      break;
    case v1::SessionEvent::EXERCISE_STARTED:
    case v1::SessionEvent::EXERCISE_COMPLETED:
      event.text = exercise != nullptr ? exercise->name : "";
      break;
    case v1::SessionEvent::PHASE_STARTED:
      event.phase = PhaseName(queued.phase_kind);
      if (queued.phase_index >= 0 && exercise != nullptr) {
        event.text = plan.phases[exercise->phase_begin + queued.phase_index].label;
      } else {
        event.text = plan.EnginePhaseLabel(static_cast<v1::PhaseKind>(queued.phase_kind));
      }
      break;
    case v1::SessionEvent::CUE:
    case v1::SessionEvent::CUE_SKIPPED: {
      event.phase = PhaseName(queued.phase_kind);
      const CueInfo& cue = plan.Cue(queued.cue_owner, queued.cue);
      event.cue_id = cue.id;
      event.text = plan.texts[cue.text_begin + queued.variant];
      event.cue_kind = static_cast<v1::CueKind>(cue.kind);
      event.priority = static_cast<v1::CuePriority>(cue.priority);
      event.speak_ms = plan.speak_ms[cue.text_begin + queued.variant];
      break;
    }
    case v1::SessionEvent::PAUSED:
    case v1::SessionEvent::RESUMED:
    case v1::SessionEvent::SAFETY_STOP:
      event.phase = PhaseName(queued.phase_kind);
      event.text = plan.EventLabel(event.type, LabelEnd(queued.label));
      break;
    default:
      event.text = plan.EventLabel(event.type, LabelEnd(queued.label));
      break;
  }
}

}  // namespace regimen::session_internal
