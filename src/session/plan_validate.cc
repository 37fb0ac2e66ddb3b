// ValidatePlan: the checks of a plan that did not come from CompilePlan (a snapshot's), so that
// the engine can trust every index, length and count in it.
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "regimen/plan.h"
#include "regimen/routine.h"

namespace regimen {
namespace {

// Paths are built only for an error: restoring a snapshot validates its plan on a hot path.
template <typename PathOf>
absl::Status CheckCue(const v1::PlanCue& cue, PathOf path) {
  if (cue.texts_size() == 0 || static_cast<size_t>(cue.texts_size()) > kMaxVariants + 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(path(), ".texts: needs 1..", kMaxVariants + 1, " texts"));
  }
  if (cue.speak_ms() < 0 || cue.speak_ms() > kMaxPhaseMs) {
    return absl::InvalidArgumentError(
        absl::StrCat(path(), ".speak_ms: must be 0..", kMaxPhaseMs, ", got ", cue.speak_ms()));
  }
  if (cue.text_speak_ms_size() > cue.texts_size()) {
    return absl::InvalidArgumentError(absl::StrCat(path(),
                                                   ".text_speak_ms: ", cue.text_speak_ms_size(),
                                                   " times for ", cue.texts_size(), " texts"));
  }
  for (int k = 0; k < cue.text_speak_ms_size(); ++k) {
    if (cue.text_speak_ms(k) < 0 || cue.text_speak_ms(k) > kMaxPhaseMs) {
      return absl::InvalidArgumentError(absl::StrCat(path(), ".text_speak_ms[", k, "]: must be 0..",
                                                     kMaxPhaseMs, ", got ", cue.text_speak_ms(k)));
    }
  }
  if (cue.trigger().offset_ms() < 0 || cue.trigger().offset_ms() > kMaxPhaseMs) {
    return absl::InvalidArgumentError(absl::StrCat(path(), ".trigger.offset_ms: must be 0..",
                                                   kMaxPhaseMs, ", got ",
                                                   cue.trigger().offset_ms()));
  }
  if (cue.priority() < v1::CUE_PRIORITY_TIP || cue.priority() > v1::CUE_PRIORITY_SAFETY) {
    return absl::InvalidArgumentError(absl::StrCat(path(), ".priority: invalid"));
  }
  const v1::CueTrigger& trigger = cue.trigger();
  if (cue.max_delay_ms() < 0 || cue.max_delay_ms() > kMaxPhaseMs ||
      !v1::CueUntil_IsValid(cue.until()) || trigger.from_rep() > kMaxRepsPerSet ||
      trigger.half_breaths() > 40 || !v1::Side_IsValid(trigger.side())) {
    return absl::InvalidArgumentError(absl::StrCat(path(), ": invalid timing"));
  }
  return absl::OkStatus();
}

absl::Status CheckExercise(const v1::PlanExercise& exercise, int index) {
  const auto path = [index] { return absl::StrCat("plan.exercises[", index, "]"); };
  if (static_cast<size_t>(exercise.phases_size()) > kMaxPhasesPerExercise ||
      static_cast<size_t>(exercise.cues_size()) > kMaxCuesPerExercise) {
    return absl::InvalidArgumentError(absl::StrCat(path(), ": too many phases or cues"));
  }
  if (exercise.laterality() < v1::LATERALITY_BILATERAL ||
      exercise.laterality() > v1::LATERALITY_PER_SIDE) {
    return absl::InvalidArgumentError(absl::StrCat(path(), ".laterality: invalid"));
  }
  for (int p = 0; p < exercise.phases_size(); ++p) {
    const v1::PlanPhase& phase = exercise.phases(p);
    if (phase.kind() < v1::PHASE_SETUP || phase.kind() > v1::PHASE_COUNT_IN ||
        phase.scope() < v1::PHASE_SCOPE_REP || phase.scope() > v1::PHASE_SCOPE_EXERCISE_END) {
      return absl::InvalidArgumentError(
          absl::StrCat(path(), ".phases[", p, "]: invalid kind or scope"));
    }
  }
  for (int c = 0; c < exercise.cues_size(); ++c) {
    if (absl::Status status =
            CheckCue(exercise.cues(c), [&] { return absl::StrCat(path(), ".cues[", c, "]"); });
        !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

absl::Status CheckBlockSides(const v1::PlanBlock& block, const v1::PlanExercise& exercise,
                             int index) {
  const bool sided = exercise.laterality() != v1::LATERALITY_BILATERAL;
  const auto is_side = [](v1::Side side) { return side == v1::LEFT || side == v1::RIGHT; };
  if (sided != is_side(block.first_side()) ||
      (sided && block.bias_extra_reps() > 0 && !is_side(block.bias_side())) ||
      (!sided && block.bias_side() != v1::SIDE_UNSPECIFIED)) {
    return absl::InvalidArgumentError(
        absl::StrCat("plan.blocks[", index, "]: sides do not fit the exercise"));
  }
  return absl::OkStatus();
}

absl::Status CheckBlock(const v1::Plan& plan, int index) {
  const v1::PlanBlock& block = plan.blocks(index);
  const auto path = [index] { return absl::StrCat("plan.blocks[", index, "]"); };
  if (block.exercise() >= static_cast<uint32_t>(plan.exercises_size())) {
    return absl::InvalidArgumentError(
        absl::StrCat(path(), ".exercise: no exercise ", block.exercise()));
  }
  const v1::PlanExercise& exercise = plan.exercises(static_cast<int>(block.exercise()));
  if (block.sets() < 1 || block.sets() > kMaxSetsPerBlock || block.reps() < 1 ||
      block.reps() > kMaxRepsPerSet || block.bias_extra_reps() > kMaxBiasExtraReps) {
    return absl::InvalidArgumentError(absl::StrCat(path(), ": sets and reps must be 1..",
                                                   kMaxSetsPerBlock, " and bias 0..",
                                                   kMaxBiasExtraReps));
  }
  if (block.phase_ms_size() != exercise.phases_size()) {
    return absl::InvalidArgumentError(absl::StrCat(path(), ".phase_ms: needs ",
                                                   exercise.phases_size(), " lengths, got ",
                                                   block.phase_ms_size()));
  }
  for (int p = 0; p < block.phase_ms_size(); ++p) {
    const int64_t ms = block.phase_ms(p);
    if (ms < (exercise.phases(p).open() ? 0 : 1) || ms > kMaxPhaseMs) {
      return absl::InvalidArgumentError(
          absl::StrCat(path(), ".phase_ms[", p, "]: must be up to ", kMaxPhaseMs, ", got ", ms));
    }
  }
  for (int64_t rest :
       {block.rest_between_sets_ms(), block.rest_between_reps_ms(), block.rest_after_ms()}) {
    if (rest < 0 || rest > kMaxRestAfterMs) {
      return absl::InvalidArgumentError(
          absl::StrCat(path(), ": rests must be 0..", kMaxRestAfterMs, " ms"));
    }
  }
  if (absl::Status status = CheckBlockSides(block, exercise, index); !status.ok()) return status;
  for (int i = 0; i < block.lead_cues_size(); ++i) {
    if (block.lead_cues(i) >= static_cast<uint32_t>(exercise.cues_size())) {
      return absl::InvalidArgumentError(
          absl::StrCat(path(), ".lead_cues[", i, "]: no cue ", block.lead_cues(i)));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidatePlan(const v1::Plan& plan) {
  if (plan.version() != kPlanVersion) {
    return absl::FailedPreconditionError(absl::StrCat("plan.version: this library reads version ",
                                                      kPlanVersion, ", got ", plan.version()));
  }
  if (plan.blocks_size() == 0 || static_cast<size_t>(plan.blocks_size()) > kMaxBlocksPerRoutine) {
    return absl::InvalidArgumentError(absl::StrCat(
        "plan.blocks: must hold 1..", kMaxBlocksPerRoutine, " blocks, got ", plan.blocks_size()));
  }
  absl::StatusOr<v1::SessionOptions> options = ResolveSessionOptions(plan.options());
  if (!options.ok()) return options.status();
  if (static_cast<size_t>(plan.session_cues_size()) > kMaxSessionCues) {
    return absl::InvalidArgumentError("plan.session_cues: too many");
  }
  for (int i = 0; i < plan.session_cues_size(); ++i) {
    if (absl::Status status = CheckCue(plan.session_cues(i),
                                       [&] { return absl::StrCat("plan.session_cues[", i, "]"); });
        !status.ok()) {
      return status;
    }
  }
  if (plan.exercises_size() == 0 || plan.exercises_size() > plan.blocks_size()) {
    return absl::InvalidArgumentError("plan.exercises: must hold 1..blocks exercises");
  }
  for (int e = 0; e < plan.exercises_size(); ++e) {
    if (absl::Status status = CheckExercise(plan.exercises(e), e); !status.ok()) return status;
  }
  for (int b = 0; b < plan.blocks_size(); ++b) {
    if (absl::Status status = CheckBlock(plan, b); !status.ok()) return status;
  }
  if (PlannedSessionMs(plan) > kMaxRoutineMs) {
    return absl::ResourceExhaustedError("plan: lasts more than 4 hours");
  }
  return absl::OkStatus();
}

}  // namespace regimen
