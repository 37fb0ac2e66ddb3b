// What each input does to a running session: start, tick, the signals, and the reports (pain
// that stops the session or eases off, asymmetry that adds reps on the weaker side, effort).
#include "src/session/engine.h"

#include <algorithm>
#include <string>
#include <utility>

#include "src/session/cue_triggers.h"

namespace regimen::session_internal {
namespace {

v1::Side Other(v1::Side side) { return side == v1::LEFT ? v1::RIGHT : v1::LEFT; }

}  // namespace

Engine::Engine(std::shared_ptr<const PreparedPlan> plan) { Reset(std::move(plan)); }

void Engine::Reset(std::shared_ptr<const PreparedPlan> plan) {
  plan_ = std::move(plan);
  queue_.Clear();
  speech_.Reset(*plan_);
  recorder_.Reset(*plan_);
  walk_.Reset(plan_.get());
  reports_applied_ = 0;
}

void Engine::Start(int64_t now) { walk_.Start(now); }

void Engine::Signal(v1::Signal signal, int64_t now) {
  SessionClock& clock = walk_.clock();
  if (signal == v1::SIGNAL_RESUME && clock.paused &&
      reports_applied_ < static_cast<uint32_t>(recorder_.proto().reports_size())) {
    recorder_.PrepareSafetyStop(*plan_);  // reports made while paused take effect now
  }
  clock.last_input = now;
  walk_.RunUntil(now);
  if (clock.finished) return;  // the catch-up reached the end
  const Cursor& at = walk_.cursor();
  switch (signal) {
    case v1::SIGNAL_PAUSE:
      if (!clock.paused) walk_.Pause(now);
      break;
    case v1::SIGNAL_RESUME:
      if (!clock.paused) break;
      walk_.Resume(now);
      ApplyWaitingReports(now);
      break;
    case v1::SIGNAL_SKIP:
      if (at.stage == kEnding) break;
      recorder_.proto().set_skips(recorder_.proto().skips() + 1);
      walk_.EndEarly(now, v1::BLOCK_OUTCOME_SKIPPED);
      break;
    case v1::SIGNAL_REP_DONE:
      if (at.phase >= 0 && InExercise(at.stage) &&
          plan_->phases[plan_->exercises[walk_.ExerciseIndex()].phase_begin + at.phase].open) {
        walk_.EndPhase(now);
      }
      break;
    case v1::SIGNAL_STOP:
      walk_.Stop(now, v1::SESSION_END_STOPPED);
      return;
    default:
      break;
  }
  walk_.RunUntil(now);
}

void Engine::ApplyWaitingReports(int64_t t) {
  const v1::SessionRecord& record = recorder_.proto();
  while (reports_applied_ < static_cast<uint32_t>(record.reports_size()) &&
         !walk_.clock().finished) {
    const v1::ReportRecord report = record.reports(static_cast<int>(reports_applied_++));
    ApplyReport(report, t);
  }
}

bool Engine::SpeechEnded(absl::string_view cue_id, int64_t now) {
  const int32_t speaking = speech_.speaking();
  bool known = speaking >= 0 && plan_->cues[static_cast<size_t>(speaking)].id == cue_id;
  for (size_t i = 0; !known && i < plan_->cues.size(); ++i) known = plan_->cues[i].id == cue_id;
  if (!known) return false;
  SessionClock& clock = walk_.clock();
  // The channel first, then the clock: a cue that waited for this end starts after it, never
  // over it.
  if (speaking >= 0 && plan_->cues[static_cast<size_t>(speaking)].id == cue_id) {
    speech_.SpeechEnded(*plan_, static_cast<uint32_t>(speaking), now);
  }
  clock.last_input = now;
  walk_.RunUntil(now);
  return true;
}

void Engine::Report(v1::ReportKind kind, int32_t value, v1::Side side, int64_t now,
                    absl::string_view location) {
  // Whatever may allocate comes before the session changes, so that a failed allocation
  // (bad_alloc, which the C API turns into RGM_RESOURCE_EXHAUSTED) leaves it as it was.
  v1::SessionRecord& record = recorder_.proto();
  auto report = std::make_unique<v1::ReportRecord>();
  report->set_location(std::string(location));
  report->mutable_exercise_id()->reserve(plan_->longest_exercise_id);
  record.mutable_reports()->Reserve(record.reports_size() + 1);
  if (kind == v1::REPORT_PAIN) recorder_.PrepareSafetyStop(*plan_);
  SessionClock& clock = walk_.clock();
  clock.last_input = now;
  walk_.RunUntil(now);
  if (clock.finished) return;
  const Cursor& at = walk_.cursor();
  const int32_t block = InExercise(at.stage) ? at.block : -1;  // where the session is now
  v1::ReportRecord* added = report.get();
  record.mutable_reports()->AddAllocated(report.release());
  added->set_at_ms(now);
  added->set_kind(kind);
  added->set_value(value);
  added->set_side(side);
  added->set_block_index(block);
  added->set_exercise_id(block >= 0 ? plan_->exercises[plan_->blocks[block].exercise].id : "");
  if (clock.paused) return;  // it takes effect on resume
  reports_applied_ = static_cast<uint32_t>(record.reports_size());
  ApplyReport(*added, now);
  walk_.RunUntil(now);
}

void Engine::ApplyReport(const v1::ReportRecord& report, int64_t t) {
  const Cursor& at = walk_.cursor();
  const int32_t exercise = InExercise(at.stage) ? walk_.ExerciseIndex() : -1;
  switch (report.kind()) {
    case v1::REPORT_PAIN:
      if (report.value() >= static_cast<int32_t>(plan_->pain_stop_threshold)) {
        SafetyStop(t, report.value());
      } else {
        FireReportCue(*plan_, exercise, v1::REPORT_PAIN, report.value(), t, walk_.Here(), &speech_);
      }
      break;
    case v1::REPORT_ASYMMETRY:
      FireReportCue(*plan_, exercise, v1::REPORT_ASYMMETRY, report.side(), t, walk_.Here(),
                    &speech_);
      Asymmetry(report.side());
      break;
    default:
      FireReportCue(*plan_, exercise, report.kind(), report.value(), t, walk_.Here(), &speech_);
      break;
  }
}

// One more rep per set on the weaker side (the one opposite the side that takes over), for the
// rest of the exercise; once per block.
void Engine::Asymmetry(v1::Side takes_over) {
  Cursor& at = walk_.cursor();
  if (!InExercise(at.stage) || at.stage == kExEnd || at.extra_reps != 0) return;
  const BlockInfo& block = plan_->blocks[at.block];
  if (!block.sided) return;
  at.extra_side = Other(takes_over);
  at.extra_reps = 1;
  const uint32_t sets_left = block.sets - static_cast<uint32_t>(std::max(at.set, 0));
  SideCounts& counts = recorder_.side(*plan_, at.block, at.extra_side);
  counts.reps_planned += sets_left;
  counts.holds_planned += sets_left * plan_->exercises[block.exercise].holds_per_rep;
}

// A pain report at or above the threshold ends the session at t: what was due and not yet said
// is skipped, the safety-stop cues are said at once (cutting short whatever was being said),
// then SAFETY_STOP, EXERCISE_COMPLETED (in an exercise) and SESSION_COMPLETED.
void Engine::SafetyStop(int64_t t, int32_t pain) {
  const Cursor& at = walk_.cursor();
  const bool in_exercise = InExercise(at.stage);
  v1::SafetyStopRecord* stop = recorder_.AddSafetyStop();
  stop->set_at_ms(t);
  stop->set_block_index(in_exercise ? at.block : -1);
  stop->set_exercise_id(in_exercise ? plan_->exercises[walk_.ExerciseIndex()].id : "");
  stop->set_pain(pain);
  speech_.Stop(*plan_, t);
  speech_.FreeChannel();
  CuePosition where;
  where.block = in_exercise ? at.block : -1;
  where.phase_kind = static_cast<uint8_t>(at.phase_kind);
  FireSessionCues(*plan_, plan_->safety_stop_cues, t, where, &speech_);
  for (;;) {
    speech_.Choose(*plan_);
    if (!speech_.HasNext()) break;
    speech_.SayNext(*plan_);
  }
  walk_.EmitHere(v1::SessionEvent::SAFETY_STOP, t);
  walk_.Stop(t, v1::SESSION_END_SAFETY_STOP);
}

bool Engine::Poll(Event* out) {
  if (out == nullptr) return false;
  const QueuedEvent* event = queue_.PopFront();
  if (event == nullptr) return false;
  ToEvent(*plan_, *event, out);
  return true;
}

int64_t Engine::NextDeadline() const {
  const SessionClock& clock = walk_.clock();
  if (!clock.started || clock.finished || clock.paused) return -1;
  const int64_t next = walk_.Deadline();
  return next == kNever ? -1 : next;
}

void Engine::FillRecord(v1::SessionRecord* out) const {
  // CopyFrom and add_blocks reuse the messages and strings *out already holds.
  const v1::SessionRecord& record = recorder_.proto();
  out->CopyFrom(record);
  out->set_routine_id(plan_->proto().routine_id());
  out->set_locale(plan_->proto().locale());
  if (!plan_->proto().locale_note().empty()) out->add_notes(plan_->proto().locale_note());
  recorder_.AddBlocks(*plan_, out, /*with_plan_fields=*/true);
  const SessionClock& clock = walk_.clock();
  if (clock.started && !clock.finished) {
    out->set_active_ms(walk_.ActiveMs(clock.last_input));
    out->set_paused_ms(record.paused_ms() +
                       (clock.paused ? clock.last_input - clock.pause_started : 0));
  }
}

}  // namespace regimen::session_internal
