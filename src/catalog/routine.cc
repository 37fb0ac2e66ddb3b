#include "regimen/routine.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/catalog/catalog_internal.h"

namespace regimen {
namespace {

using internal::AddError;
using internal::Index;
using internal::Join;

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kDefaultBreathMs = 5000;
constexpr int64_t kDefaultCountInMs = 5000;

// Saturating arithmetic on non-negative values, so that an unvalidated routine with absurd
// numbers yields a huge total instead of undefined behaviour.
int64_t SatAdd(int64_t a, int64_t b) { return a > kInt64Max - b ? kInt64Max : a + b; }
int64_t SatMul(int64_t a, int64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > kInt64Max / b ? kInt64Max : a * b;
}
int64_t NonNegative(int64_t v) { return v < 0 ? 0 : v; }

v1::Side Other(v1::Side side) { return side == v1::RIGHT ? v1::LEFT : v1::RIGHT; }
v1::Side First(const v1::Prescription& p) {
  return p.first_side() == v1::RIGHT ? v1::RIGHT : v1::LEFT;
}
bool IsSided(v1::Laterality laterality) {
  return laterality == v1::LATERALITY_ALTERNATING || laterality == v1::LATERALITY_PER_SIDE;
}

// The bias's extra reps per set, and whether they apply (sided exercises need a side).
uint32_t BiasReps(const v1::Prescription& p, v1::Laterality laterality) {
  if (p.bias().extra_reps() == 0) return 0;
  if (IsSided(laterality) && p.bias().side() == v1::SIDE_UNSPECIFIED) return 0;
  return p.bias().extra_reps();
}

// The reps of one set and how many of them follow a side change; arithmetic, not a list, so
// that absurd unvalidated counts cannot make it allocate or loop.
struct SetShape {
  int64_t reps = 0;
  int64_t switches = 0;
};

SetShape ShapeOfSet(const v1::Prescription& p, v1::Laterality laterality) {
  const int64_t reps = EffectiveReps(p);
  const int64_t extra = BiasReps(p, laterality);
  SetShape shape;
  if (!IsSided(laterality)) {
    shape.reps = reps + extra;
    return shape;
  }
  // Both sided patterns end on the other side after the base reps; extra reps on the first
  // side add one more switch.
  shape.reps = 2 * reps + extra;
  shape.switches = laterality == v1::LATERALITY_ALTERNATING ? 2 * reps - 1 : 1;
  if (extra > 0 && p.bias().side() == First(p)) shape.switches += 1;
  return shape;
}

std::string RangeMessage(const v1::Range& range, const v1::Exercise& exercise, int64_t got) {
  if (range.max() == 0) {
    return absl::StrCat("not allowed for ", exercise.id(), " (its safe range max is 0), got ", got);
  }
  return absl::StrCat("must be ", range.min(), "..", range.max(), " for ", exercise.id(), ", got ",
                      got);
}

// The error's path is Join(path, field), built only when there is an error.
void CheckRange(const v1::Range& range, int64_t value, const v1::Exercise& exercise,
                absl::string_view path, absl::string_view field,
                std::vector<ValidationError>* errors) {
  if (value < range.min() || value > range.max()) {
    AddError(errors, Join(path, field), RangeMessage(range, exercise, value));
  }
}

// Sets and reps always have a value (0 means 1); an undeclared range (max 0) sets no limit.
void CheckCount(const v1::Range& range, int64_t effective, const v1::Exercise& exercise,
                absl::string_view path, absl::string_view field,
                std::vector<ValidationError>* errors) {
  if (range.max() == 0) return;
  CheckRange(range, effective, exercise, path, field, errors);
}

}  // namespace

v1::Prescription EffectivePrescription(const v1::Block& block, const v1::Exercise& exercise) {
  return block.has_prescription() ? block.prescription() : exercise.default_prescription();
}

uint32_t EffectiveSets(const v1::Prescription& prescription) {
  return prescription.sets() == 0 ? 1 : prescription.sets();
}

uint32_t EffectiveReps(const v1::Prescription& prescription) {
  return prescription.reps() == 0 ? 1 : prescription.reps();
}

std::vector<v1::Side> RepSides(const v1::Prescription& prescription, v1::Laterality laterality) {
  const uint32_t reps = EffectiveReps(prescription);
  const uint32_t extra = BiasReps(prescription, laterality);
  std::vector<v1::Side> sides;
  const v1::Side first = First(prescription);
  switch (laterality) {
    case v1::LATERALITY_ALTERNATING:
      for (uint32_t i = 0; i < 2 * reps; ++i) sides.push_back(i % 2 == 0 ? first : Other(first));
      break;
    case v1::LATERALITY_PER_SIDE:
      sides.assign(reps, first);
      sides.insert(sides.end(), reps, Other(first));
      break;
    default:
      sides.assign(reps, v1::SIDE_UNSPECIFIED);
      sides.insert(sides.end(), extra, v1::SIDE_UNSPECIFIED);
      return sides;
  }
  sides.insert(sides.end(), extra, prescription.bias().side());
  return sides;
}

std::vector<ValidationError> ValidatePrescription(const v1::Prescription& prescription,
                                                  const v1::Exercise& exercise,
                                                  const std::string& path) {
  std::vector<ValidationError> errors;
  const v1::SafeRanges& ranges = exercise.safe_ranges();
  const v1::Prescription& p = prescription;
  CheckCount(ranges.sets(), EffectiveSets(p), exercise, path, "sets", &errors);
  CheckCount(ranges.reps(), EffectiveReps(p), exercise, path, "reps", &errors);

  switch (p.hold().amount_case()) {
    case v1::Hold::kMs:
      CheckRange(ranges.hold_ms(), p.hold().ms(), exercise, path, "hold.ms", &errors);
      break;
    case v1::Hold::kBreaths:
      CheckRange(ranges.hold_breaths(), p.hold().breaths(), exercise, path, "hold.breaths",
                 &errors);
      break;
    case v1::Hold::AMOUNT_NOT_SET:
      break;
  }
  if (p.has_tempo()) {
    if (p.tempo().lift_ms() != 0) {
      CheckRange(ranges.tempo_ms(), p.tempo().lift_ms(), exercise, path, "tempo.lift_ms", &errors);
    }
    if (p.tempo().lower_ms() != 0) {
      CheckRange(ranges.tempo_ms(), p.tempo().lower_ms(), exercise, path, "tempo.lower_ms",
                 &errors);
    }
  }
  if (p.rest_between_sets_ms() != 0) {
    CheckRange(ranges.rest_ms(), p.rest_between_sets_ms(), exercise, path, "rest_between_sets_ms",
               &errors);
  }
  if (p.rest_between_reps_ms() < 0 || p.rest_between_reps_ms() > kMaxRestBetweenRepsMs) {
    AddError(
        &errors, Join(path, "rest_between_reps_ms"),
        absl::StrCat("must be 0..", kMaxRestBetweenRepsMs, ", got ", p.rest_between_reps_ms()));
  }
  if (p.oscillations() != 0) {
    CheckRange(ranges.oscillations(), p.oscillations(), exercise, path, "oscillations", &errors);
  }
  if (p.bias().extra_reps() > kMaxBiasExtraReps) {
    AddError(&errors, Join(path, "bias.extra_reps"),
             absl::StrCat("must be 0..", kMaxBiasExtraReps, ", got ", p.bias().extra_reps()));
  } else if (p.bias().extra_reps() > 0 && IsSided(exercise.laterality()) &&
             p.bias().side() == v1::SIDE_UNSPECIFIED) {
    AddError(&errors, Join(path, "bias.side"),
             absl::StrCat("must be LEFT or RIGHT when extra_reps is ", p.bias().extra_reps(), " (",
                          exercise.id(), " is sided)"));
  }

  // What the exercise's phases take from the prescription.
  bool needs_lift = false, needs_lower = false, needs_hold = false;
  int lift_phase = -1, lower_phase = -1, hold_phase = -1;
  for (int i = 0; i < exercise.phases_size(); ++i) {
    const v1::DurationSpec& spec = exercise.phases(i).duration();
    if (spec.spec_case() == v1::DurationSpec::kTempo) {
      if (spec.tempo() == v1::TEMPO_PART_LIFT && !needs_lift) needs_lift = true, lift_phase = i;
      if (spec.tempo() == v1::TEMPO_PART_LOWER && !needs_lower) needs_lower = true, lower_phase = i;
    } else if (spec.spec_case() == v1::DurationSpec::kPrescribedHold && !needs_hold) {
      needs_hold = true, hold_phase = i;
    }
  }
  if (needs_lift && p.tempo().lift_ms() <= 0) {
    AddError(&errors, Join(path, "tempo.lift_ms"),
             absl::StrCat("required by ", exercise.id(), " phases[", lift_phase,
                          "] (tempo: TEMPO_PART_LIFT), got ", p.tempo().lift_ms()));
  }
  if (needs_lower && p.tempo().lower_ms() <= 0) {
    AddError(&errors, Join(path, "tempo.lower_ms"),
             absl::StrCat("required by ", exercise.id(), " phases[", lower_phase,
                          "] (tempo: TEMPO_PART_LOWER), got ", p.tempo().lower_ms()));
  }
  if (needs_hold && p.hold().amount_case() == v1::Hold::AMOUNT_NOT_SET) {
    AddError(&errors, Join(path, "hold"),
             absl::StrCat("required by ", exercise.id(), " phases[", hold_phase,
                          "] (prescribed_hold), got none"));
  }
  return errors;
}

int64_t PhaseDurationMs(const v1::DurationSpec& spec, const v1::Prescription& prescription,
                        int64_t breath_ms) {
  switch (spec.spec_case()) {
    case v1::DurationSpec::kFixedMs:
      return spec.fixed_ms();
    case v1::DurationSpec::kBreaths:
      return SatMul(spec.breaths(), NonNegative(breath_ms));
    case v1::DurationSpec::kTempo:
      if (spec.tempo() == v1::TEMPO_PART_LIFT) return prescription.tempo().lift_ms();
      if (spec.tempo() == v1::TEMPO_PART_LOWER) return prescription.tempo().lower_ms();
      return 0;
    case v1::DurationSpec::kOscillations: {
      const int64_t count = prescription.oscillations() != 0 ? prescription.oscillations()
                                                             : spec.oscillations().count();
      return SatMul(count, NonNegative(spec.oscillations().period_ms()));
    }
    case v1::DurationSpec::kOpen:
      return spec.open().timeout_ms() > 0 ? spec.open().timeout_ms() : -1;
    case v1::DurationSpec::kPrescribedHold:
      switch (prescription.hold().amount_case()) {
        case v1::Hold::kMs:
          return prescription.hold().ms();
        case v1::Hold::kBreaths:
          return SatMul(prescription.hold().breaths(), NonNegative(breath_ms));
        case v1::Hold::AMOUNT_NOT_SET:
          return 0;
      }
      return 0;
    case v1::DurationSpec::SPEC_NOT_SET:
      return 0;
  }
  return 0;
}

namespace internal {

absl::StatusOr<int64_t> EstimateRoutineMsWith(const v1::Routine& routine,
                                              const ExerciseLookup& exercises,
                                              const v1::SessionOptions& options) {
  const int64_t breath_ms =
      options.has_breath_period_ms() ? options.breath_period_ms() : kDefaultBreathMs;
  if (breath_ms < 2000 || breath_ms > 15000) {
    return absl::InvalidArgumentError(
        absl::StrCat("breath_period_ms: must be 2000..15000, got ", breath_ms));
  }
  const int64_t count_in_ms = options.has_count_in_ms() ? options.count_in_ms() : kDefaultCountInMs;
  if (count_in_ms < 0 || count_in_ms > 30000) {
    return absl::InvalidArgumentError(
        absl::StrCat("count_in_ms: must be 0..30000, got ", count_in_ms));
  }

  int64_t total = count_in_ms;
  for (int b = 0; b < routine.blocks_size(); ++b) {
    const v1::Block& block = routine.blocks(b);
    const v1::Exercise* exercise = exercises(block.exercise_id());
    if (exercise == nullptr) {
      return absl::NotFoundError(absl::StrCat("blocks[", b, "].exercise_id: unknown exercise \"",
                                              block.exercise_id(), "\""));
    }
    const v1::Prescription& p =
        block.has_prescription() ? block.prescription() : exercise->default_prescription();
    auto phase_ms = [&](const v1::Phase& phase) {
      return NonNegative(PhaseDurationMs(phase.duration(), p, breath_ms));  // open: timeout or 0
    };
    int64_t exercise_start = 0, exercise_end = 0, set_start = 0, rep = 0, switch_side = 0;
    for (const v1::Phase& phase : exercise->phases()) {
      const int64_t ms = phase_ms(phase);
      switch (phase.scope()) {
        case v1::PHASE_SCOPE_EXERCISE_START:
          exercise_start = SatAdd(exercise_start, ms);
          break;
        case v1::PHASE_SCOPE_EXERCISE_END:
          exercise_end = SatAdd(exercise_end, ms);
          break;
        case v1::PHASE_SCOPE_SET_START:
          set_start = SatAdd(set_start, ms);
          break;
        default:
          if (phase.kind() == v1::PHASE_SWITCH_SIDE) {
            switch_side = SatAdd(switch_side, ms);
          } else {
            rep = SatAdd(rep, ms);
          }
          break;
      }
    }
    const SetShape shape = ShapeOfSet(p, exercise->laterality());
    int64_t one_set = set_start;
    one_set = SatAdd(one_set, SatMul(shape.reps, rep));
    one_set = SatAdd(one_set, SatMul(shape.switches, switch_side));
    one_set = SatAdd(one_set, SatMul(shape.reps - 1, NonNegative(p.rest_between_reps_ms())));
    const int64_t sets = EffectiveSets(p);
    int64_t block_ms = exercise_start;
    block_ms = SatAdd(block_ms, SatMul(sets, one_set));
    block_ms = SatAdd(block_ms, SatMul(sets - 1, NonNegative(p.rest_between_sets_ms())));
    block_ms = SatAdd(block_ms, exercise_end);
    if (b + 1 < routine.blocks_size())
      block_ms = SatAdd(block_ms, NonNegative(block.rest_after_ms()));
    total = SatAdd(total, block_ms);
  }
  return total;
}

void ValidateRoutineWith(const v1::Routine& routine, const ExerciseLookup& exercises,
                         const LadderLookup* ladders, const std::string& prefix,
                         std::vector<ValidationError>* errors) {
  const std::string blocks_path = Join(prefix, "blocks");
  if (routine.blocks_size() == 0) {
    AddError(errors, blocks_path, "must hold at least one block, got none");
  } else if (static_cast<std::size_t>(routine.blocks_size()) > kMaxBlocksPerRoutine) {
    AddError(errors, blocks_path,
             absl::StrCat("at most ", kMaxBlocksPerRoutine, " blocks per routine, got ",
                          routine.blocks_size()),
             absl::StatusCode::kResourceExhausted);
  }
  if (routine.levels_size() != 0 && routine.levels_size() != routine.blocks_size()) {
    AddError(errors, Join(prefix, "levels"),
             absl::StrCat("must be empty or hold one level per block (", routine.blocks_size(),
                          "), got ", routine.levels_size()));
  }
  bool all_known = true;
  for (int b = 0; b < routine.blocks_size(); ++b) {
    const v1::Block& block = routine.blocks(b);
    const std::string path = Index(blocks_path, b);
    const v1::Exercise* exercise = exercises(block.exercise_id());
    if (exercise == nullptr) {
      all_known = false;
      AddError(errors, Join(path, "exercise_id"),
               absl::StrCat("unknown exercise \"", block.exercise_id(), "\""));
    } else {
      if (block.has_prescription()) {
        for (ValidationError& error :
             ValidatePrescription(block.prescription(), *exercise, Join(path, "prescription"))) {
          errors->push_back(std::move(error));
        }
      }
      for (int k = 0; k < block.lead_cue_ids_size(); ++k) {
        if (Catalog::FindCue(*exercise, block.lead_cue_ids(k)) == nullptr) {
          AddError(errors, Index(Join(path, "lead_cue_ids"), k),
                   absl::StrCat("unknown cue \"", block.lead_cue_ids(k), "\" in exercise ",
                                exercise->id()));
        }
      }
      if (ladders != nullptr && b < routine.levels_size()) {
        const v1::Ladder* ladder = (*ladders)(exercise->id());
        const int levels = ladder == nullptr ? 1 : ladder->levels_size();
        if (routine.levels(b) >= static_cast<uint32_t>(levels)) {
          AddError(errors, Index(Join(prefix, "levels"), b),
                   absl::StrCat("must be 0..", levels - 1, " for ", exercise->id(), ", got ",
                                routine.levels(b)));
        }
      }
    }
    if (block.rest_after_ms() < 0 || block.rest_after_ms() > kMaxRestAfterMs) {
      AddError(errors, Join(path, "rest_after_ms"),
               absl::StrCat("must be 0..", kMaxRestAfterMs, ", got ", block.rest_after_ms()));
    }
  }
  if (all_known) {
    absl::StatusOr<int64_t> ms = EstimateRoutineMsWith(routine, exercises, {});
    if (ms.ok() && *ms > kMaxRoutineMs) {
      AddError(errors, blocks_path,
               absl::StrCat("the routine lasts ", *ms, " ms by docs/timing.md; the limit is ",
                            kMaxRoutineMs, " ms (4 hours)"),
               absl::StatusCode::kResourceExhausted);
    }
  }
}

}  // namespace internal

std::vector<ValidationError> ValidateRoutine(const v1::Routine& routine, const Catalog& catalog) {
  std::vector<ValidationError> errors;
  internal::ExerciseLookup exercises = [&catalog](absl::string_view id) {
    return catalog.FindExercise(id);
  };
  internal::LadderLookup ladders = [&catalog](absl::string_view id) {
    return catalog.FindLadder(id);
  };
  internal::ValidateRoutineWith(routine, exercises, &ladders, "", &errors);
  return errors;
}

absl::StatusOr<int64_t> EstimateRoutineMs(const v1::Routine& routine, const Catalog& catalog,
                                          const v1::SessionOptions& options) {
  return internal::EstimateRoutineMsWith(
      routine, [&catalog](absl::string_view id) { return catalog.FindExercise(id); }, options);
}

}  // namespace regimen
