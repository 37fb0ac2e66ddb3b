// The session record's blocks as messages, and the allocation-first safety-stop record.
#include "src/session/session_record.h"

#include <utility>

namespace regimen::session_internal {

void SessionRecorder::Reset(const PreparedPlan& plan) {
  record_.Clear();
  counts_.assign(plan.initial_counts.begin(), plan.initial_counts.end());
  // The record of the one safety stop a session can have is made with the session, so that a
  // pain report allocates no more than any other report (and, when an allocation fails, keeps
  // nothing: tests/alloc_failure_test).
  PrepareSafetyStop(plan);
}

void SessionRecorder::AddBlocks(const PreparedPlan& plan, v1::SessionRecord* out,
                                bool with_plan_fields) const {
  out->mutable_blocks()->Reserve(static_cast<int>(counts_.size()));
  for (size_t index = 0; index < counts_.size(); ++index) {
    const BlockCounts& counts = counts_[index];
    const BlockInfo& info = plan.blocks[index];
    const ExerciseInfo& exercise = plan.exercises[info.exercise];
    v1::BlockRecord* block = out->add_blocks();
    if (with_plan_fields) {
      block->set_block_index(static_cast<int32_t>(index));
      block->set_exercise_id(exercise.id);
      block->set_sets_planned(info.sets);
      block->set_level(plan.proto().blocks(static_cast<int>(index)).level());
    }
    block->set_outcome(static_cast<v1::BlockOutcome>(counts.outcome));
    block->set_sets_done(counts.sets_done);
    block->set_active_ms(counts.active_ms);
    block->set_started_at_ms(counts.started_at);
    block->set_ended_at_ms(counts.ended_at);
    const int sides = exercise.sided ? 2 : 1;
    for (int i = 0; i < sides; ++i) {
      v1::SideRecord* side = block->add_sides();
      if (with_plan_fields) {
        side->set_side(!exercise.sided ? v1::SIDE_UNSPECIFIED : i == 0 ? v1::LEFT : v1::RIGHT);
      }
      side->set_reps_planned(counts.sides[i].reps_planned);
      side->set_reps_done(counts.sides[i].reps_done);
      side->set_holds_planned(counts.sides[i].holds_planned);
      side->set_holds_achieved(counts.sides[i].holds_achieved);
    }
  }
}

void SessionRecorder::PrepareSafetyStop(const PreparedPlan& plan) {
  // Allocations that the recorder keeps come last, so that when one fails, what was allocated
  // before it is freed again.
  if (spare_stop_ == nullptr) {
    auto stop = std::make_unique<v1::SafetyStopRecord>();
    stop->mutable_exercise_id()->reserve(plan.longest_exercise_id);
    record_.mutable_safety_stops()->Reserve(record_.safety_stops_size() + 1);
    spare_stop_ = std::move(stop);
  } else {
    record_.mutable_safety_stops()->Reserve(record_.safety_stops_size() + 1);
  }
}

v1::SafetyStopRecord* SessionRecorder::AddSafetyStop() {
  if (spare_stop_ == nullptr) return record_.add_safety_stops();
  v1::SafetyStopRecord* stop = spare_stop_.get();
  record_.mutable_safety_stops()->AddAllocated(spare_stop_.release());
  return stop;
}

}  // namespace regimen::session_internal
