#include "regimen/routine.h"

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/catalog/catalog_internal.h"
#include "src/model/timing.h"

namespace regimen {
namespace {

using internal::AddError;
using internal::Index;
using internal::Join;

bool IsSided(v1::Laterality laterality) { return timing::IsSided(laterality); }

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

// Whether `given` sets the field an error names ("sets", "hold.ms", "tempo.lift_ms", …).
bool Gives(const v1::Prescription& given, absl::string_view field) {
  const absl::string_view head = field.substr(0, field.find('.'));
  if (head == "sets") return given.sets() != 0;
  if (head == "reps") return given.reps() != 0;
  if (head == "hold") return given.hold().amount_case() != v1::Hold::AMOUNT_NOT_SET;
  if (field == "tempo.lift_ms") return given.tempo().lift_ms() != 0;
  if (field == "tempo.lower_ms") return given.tempo().lower_ms() != 0;
  if (head == "tempo") return given.tempo().lift_ms() != 0 || given.tempo().lower_ms() != 0;
  if (head == "rest_between_sets_ms") return given.has_rest_between_sets_ms();
  if (head == "rest_between_reps_ms") return given.has_rest_between_reps_ms();
  if (head == "bias") return given.has_bias();
  if (head == "oscillations") return given.oscillations() != 0;
  return true;
}

// The seed's first rule: grow through the spine first. An unknown first exercise is reported
// as such by the caller, not twice.
void CheckPrimerFirst(const v1::Routine& routine, const internal::ExerciseLookup& exercises,
                      const v1::Exercise* primer, const std::string& blocks_path,
                      std::vector<ValidationError>* errors) {
  if (primer == nullptr || routine.blocks_size() == 0) return;
  const std::string& first = routine.blocks(0).exercise_id();
  if (first == primer->id() || exercises(first) == nullptr) return;
  AddError(errors, Index(blocks_path, 0),
           absl::StrCat("a routine starts with the primer ", primer->id(), ", got ", first));
}

}  // namespace

v1::Prescription WithDefaults(const v1::Prescription& given, const v1::Prescription& defaults) {
  v1::Prescription out = defaults;
  if (given.sets() != 0) out.set_sets(given.sets());
  if (given.reps() != 0) out.set_reps(given.reps());
  if (given.hold().amount_case() != v1::Hold::AMOUNT_NOT_SET) *out.mutable_hold() = given.hold();
  if (given.tempo().lift_ms() != 0) out.mutable_tempo()->set_lift_ms(given.tempo().lift_ms());
  if (given.tempo().lower_ms() != 0) out.mutable_tempo()->set_lower_ms(given.tempo().lower_ms());
  if (given.has_rest_between_sets_ms()) out.set_rest_between_sets_ms(given.rest_between_sets_ms());
  if (given.has_rest_between_reps_ms()) out.set_rest_between_reps_ms(given.rest_between_reps_ms());
  if (given.first_side() != v1::SIDE_UNSPECIFIED) out.set_first_side(given.first_side());
  if (given.has_bias()) *out.mutable_bias() = given.bias();
  if (given.oscillations() != 0) out.set_oscillations(given.oscillations());
  return out;
}

v1::Prescription EffectivePrescription(const v1::Block& block, const v1::Exercise& exercise) {
  return block.has_prescription()
             ? WithDefaults(block.prescription(), exercise.default_prescription())
             : exercise.default_prescription();
}

uint32_t EffectiveSets(const v1::Prescription& prescription) {
  return prescription.sets() == 0 ? 1 : prescription.sets();
}

uint32_t EffectiveReps(const v1::Prescription& prescription) {
  return prescription.reps() == 0 ? 1 : prescription.reps();
}

std::vector<v1::Side> RepSides(const v1::Prescription& prescription, v1::Laterality laterality) {
  const timing::SetPattern pattern = timing::PatternOf(prescription, laterality);
  const int64_t reps = timing::ShapeOf(pattern).reps;
  std::vector<v1::Side> sides;
  sides.reserve(static_cast<size_t>(reps));
  for (int64_t rep = 0; rep < reps; ++rep) sides.push_back(timing::RepSide(pattern, rep));
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
  return timing::PhaseMs(spec, prescription, breath_ms);
}

namespace internal {

absl::StatusOr<int64_t> EstimateRoutineMsWith(const v1::Routine& routine,
                                              const ExerciseLookup& exercises,
                                              const v1::SessionOptions& options) {
  const int64_t breath_ms = timing::BreathPeriodMs(options);
  const int64_t count_in_ms = timing::CountInMs(options);
  for (const auto& [range, value] : {std::pair{timing::kBreathPeriodMs, breath_ms},
                                     std::pair{timing::kCountInMs, count_in_ms}}) {
    if (value < range.min || value > range.max) {
      return absl::InvalidArgumentError(
          absl::StrCat(range.name, ": must be ", range.min, "..", range.max, ", got ", value));
    }
  }
  int64_t total = count_in_ms;
  for (int b = 0; b < routine.blocks_size(); ++b) {
    const v1::Block& block = routine.blocks(b);
    const v1::Exercise* exercise = exercises(block.exercise_id());
    if (exercise == nullptr) {
      return absl::NotFoundError(absl::StrCat("blocks[", b, "].exercise_id: unknown exercise \"",
                                              block.exercise_id(), "\""));
    }
    const v1::Prescription p = EffectivePrescription(block, *exercise);
    timing::PhaseTotals phases;
    for (const v1::Phase& phase : exercise->phases()) {
      // Open phases count their timeout, or nothing.
      const int64_t ms = timing::PhaseMs(phase.duration(), p, breath_ms);
      phases.Add(phase.scope(), phase.kind(), ms < 0 ? 0 : ms);
    }
    timing::BlockRests rests;
    rests.between_reps_ms = p.rest_between_reps_ms();
    rests.between_sets_ms = p.rest_between_sets_ms();
    rests.after_ms = b + 1 < routine.blocks_size() ? block.rest_after_ms() : 0;
    total = timing::SatAdd(
        total,
        timing::BlockMs(phases, timing::ShapeOf(timing::PatternOf(p, exercise->laterality())),
                        EffectiveSets(p), rests));
  }
  return total;
}

void ValidateRoutineWith(const v1::Routine& routine, const ExerciseLookup& exercises,
                         const LadderLookup* ladders, const v1::Exercise* primer,
                         const std::string& prefix, std::vector<ValidationError>* errors) {
  const std::string blocks_path = Join(prefix, "blocks");
  CheckPrimerFirst(routine, exercises, primer, blocks_path, errors);
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
      // The given values with the exercise's defaults for the rest; an error about a value the
      // block did not give is the default's, which the catalog's own validation reports.
      if (block.has_prescription()) {
        const std::string where = Join(path, "prescription");
        for (ValidationError& error :
             ValidatePrescription(EffectivePrescription(block, *exercise), *exercise, where)) {
          const absl::string_view field =
              absl::string_view(error.path).substr(std::min(error.path.size(), where.size() + 1));
          if (Gives(block.prescription(), field)) {
            errors->push_back(std::move(error));
          }
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
  internal::ValidateRoutineWith(routine, exercises, &ladders, catalog.Primer(), "", &errors);
  return errors;
}

absl::StatusOr<int64_t> EstimateRoutineMs(const v1::Routine& routine, const Catalog& catalog,
                                          const v1::SessionOptions& options) {
  return internal::EstimateRoutineMsWith(
      routine, [&catalog](absl::string_view id) { return catalog.FindExercise(id); }, options);
}

}  // namespace regimen
