// CompilePlan: a routine and a catalog resolved into the self-contained plan a Session runs;
// ValidatePlan for plans from elsewhere (snapshots); PlannedSessionMs by the timing model.
#include "regimen/plan.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "regimen/l10n.h"
#include "regimen/routine.h"
#include "regimen/v1/exercise.pb.h"
#include "src/model/labels.h"
#include "src/model/timing.h"

namespace regimen {
namespace {

v1::PlanCue CompileCue(const v1::Cue& cue) {
  v1::PlanCue out;
  out.set_id(cue.id());
  out.add_texts(cue.text());
  for (const std::string& variant : cue.variants()) out.add_texts(variant);
  out.set_speak_ms(cue.speak_ms() > 0 ? cue.speak_ms() : 0);
  // Per-text speaking times (a translation's or a TTS engine's): the text's, then each variant's.
  if (cue.variant_speak_ms_size() > 0) {
    out.add_text_speak_ms(out.speak_ms());
    for (int k = 0; k < cue.variants_size(); ++k) {
      out.add_text_speak_ms(k < cue.variant_speak_ms_size() ? cue.variant_speak_ms(k) : 0);
    }
  }
  out.set_kind(cue.kind());
  out.set_priority(cue.priority() == v1::CUE_PRIORITY_UNSPECIFIED ? v1::CUE_PRIORITY_FORM
                                                                  : cue.priority());
  *out.mutable_trigger() = cue.trigger();
  out.set_max_delay_ms(cue.max_delay_ms());
  out.set_until(cue.until());
  return out;
}

// The exercise as a plan stores it once, however many blocks use it.
// The phase labels the engine gives are `catalog`'s words for them (its locale's).
void CompileExercise(const Catalog& catalog, const v1::Exercise& exercise, v1::PlanExercise* out) {
  out->set_id(exercise.id());
  out->set_name(exercise.name().empty() ? exercise.id() : exercise.name());
  out->set_laterality(exercise.laterality() == v1::LATERALITY_UNSPECIFIED ? v1::LATERALITY_BILATERAL
                                                                          : exercise.laterality());
  for (const v1::Phase& phase : exercise.phases()) {
    v1::PlanPhase* compiled = out->add_phases();
    compiled->set_kind(phase.kind());
    compiled->set_scope(phase.scope() == v1::PHASE_SCOPE_UNSPECIFIED ? v1::PHASE_SCOPE_REP
                                                                     : phase.scope());
    compiled->set_label(
        phase.label().empty()
            ? catalog.EngineWord(absl::StrCat("engine.phase.", labels::PhaseKindName(phase.kind())))
            : phase.label());
    if (compiled->label().empty()) compiled->set_label(labels::PhaseLabel(phase.kind()));
    compiled->set_open(phase.duration().spec_case() == v1::DurationSpec::kOpen);
  }
  for (const v1::Cue& cue : exercise.cues()) *out->add_cues() = CompileCue(cue);
}

// The length of phase `index` of `exercise` under `p` (an open phase: its timeout, 0 for none).
absl::StatusOr<int64_t> CompilePhaseMs(const v1::Exercise& exercise, int index,
                                       const v1::Prescription& p, int64_t breath_ms,
                                       const std::string& path) {
  const v1::Phase& phase = exercise.phases(index);
  const v1::DurationSpec& spec = phase.duration();
  const std::string phase_path =
      absl::StrCat(path, ": exercise ", exercise.id(), " phases[", index, "]");
  if (spec.spec_case() == v1::DurationSpec::SPEC_NOT_SET) {
    return absl::InvalidArgumentError(absl::StrCat(phase_path, ".duration: not set"));
  }
  if (spec.spec_case() == v1::DurationSpec::kOpen) {
    const int64_t ms = spec.open().timeout_ms();
    if (ms < 0 || ms > kMaxPhaseMs) {
      return absl::InvalidArgumentError(absl::StrCat(
          phase_path, ".duration.open.timeout_ms: must be 0..", kMaxPhaseMs, ", got ", ms));
    }
    return ms;
  }
  const int64_t ms = timing::PhaseMs(spec, p, breath_ms);
  if (ms <= 0 || ms > kMaxPhaseMs) {
    return absl::InvalidArgumentError(
        absl::StrCat(phase_path, " (", labels::PhaseLabel(phase.kind()),
                     "): the prescription gives it ", ms, " ms; it must be 1..", kMaxPhaseMs));
  }
  return ms;
}

// What ValidateRoutine leaves to the plan: the hard bounds that hold whatever the exercise's
// safe ranges say.
absl::Status CheckHardBounds(const v1::Prescription& p, const std::string& path) {
  if (p.rest_between_sets_ms() < 0 || p.rest_between_sets_ms() > kMaxRestBetweenSetsMs) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ".prescription.rest_between_sets_ms: must be 0..", kMaxRestBetweenSetsMs,
                     ", got ", p.rest_between_sets_ms()));
  }
  if (p.sets() > kMaxSetsPerBlock || p.reps() > kMaxRepsPerSet) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ".prescription: sets must be at most ", kMaxSetsPerBlock,
                     " and reps at most ", kMaxRepsPerSet, ", got ", p.sets(), " and ", p.reps()));
  }
  return absl::OkStatus();
}

// Block `index` of `routine`, its exercise already in the plan as `exercise_index`.
absl::Status CompileBlock(const v1::Routine& routine, int index, const v1::Exercise& exercise,
                          uint32_t exercise_index, int64_t breath_ms, v1::PlanBlock* out) {
  const v1::Block& block = routine.blocks(index);
  const std::string path = absl::StrCat("blocks[", index, "]");
  const v1::Prescription p = EffectivePrescription(block, exercise);
  if (absl::Status status = CheckHardBounds(p, path); !status.ok()) return status;
  const timing::SetPattern pattern = timing::PatternOf(p, exercise.laterality());
  out->set_exercise(exercise_index);
  out->set_sets(EffectiveSets(p));
  out->set_reps(static_cast<uint32_t>(pattern.reps));
  if (timing::IsSided(exercise.laterality())) out->set_first_side(pattern.first_side);
  out->set_bias_side(pattern.bias_side);
  out->set_bias_extra_reps(static_cast<uint32_t>(pattern.bias_reps));
  out->set_rest_between_sets_ms(p.rest_between_sets_ms());
  out->set_rest_between_reps_ms(p.rest_between_reps_ms());
  out->set_rest_after_ms(index + 1 < routine.blocks_size() ? block.rest_after_ms() : 0);
  out->set_level(index < routine.levels_size() ? routine.levels(index) : 0);
  for (int i = 0; i < exercise.phases_size(); ++i) {
    absl::StatusOr<int64_t> ms = CompilePhaseMs(exercise, i, p, breath_ms, path);
    if (!ms.ok()) return ms.status();
    out->add_phase_ms(*ms);
  }
  for (const std::string& id : block.lead_cue_ids()) {
    int found = 0;  // ValidateRoutine checked that the exercise has the cue
    for (int c = 0; c < exercise.cues_size(); ++c) {
      if (exercise.cues(c).id() == id) found = c;
    }
    out->add_lead_cues(static_cast<uint32_t>(found));
  }
  return absl::OkStatus();
}

// The index of `exercise` among the plan's exercises, compiling it in on first use.
absl::StatusOr<uint32_t> PlanExerciseIndex(const Catalog& catalog, const v1::Exercise& exercise,
                                           const std::string& path, std::vector<std::string>* ids,
                                           v1::Plan* plan) {
  uint32_t index = 0;
  while (index < ids->size() && (*ids)[index] != exercise.id()) ++index;
  if (index < ids->size()) return index;
  if (exercise.cues_size() > static_cast<int>(kMaxCuesPerExercise)) {
    return absl::ResourceExhaustedError(absl::StrCat(
        path, ": exercise ", exercise.id(), " has more than ", kMaxCuesPerExercise, " cues"));
  }
  ids->push_back(exercise.id());
  CompileExercise(catalog, exercise, plan->add_exercises());
  return index;
}

bool Holds(const v1::SessionOptions& options, absl::string_view attestation) {
  for (const std::string& held : options.attestations()) {
    if (held == attestation) return true;
  }
  return false;
}

// The attestation half of the gates (the history half belongs to progression, which sees the
// records): every attestation `options` name is the catalog's, and every gated exercise of
// `routine` has all the attestations its gate names. Errors: INVALID_ARGUMENT for an unknown
// attestation; FAILED_PRECONDITION naming the first gated block, its exercise and what it lacks.
absl::Status CheckGates(const Catalog& catalog, const v1::Routine& routine,
                        const v1::SessionOptions& options) {
  for (int i = 0; i < options.attestations_size(); ++i) {
    if (catalog.FindAttestation(options.attestations(i)) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "options.attestations[", i, "]: unknown attestation \"", options.attestations(i), "\""));
    }
  }
  for (int b = 0; b < routine.blocks_size(); ++b) {
    // ValidateRoutine checked that every exercise exists.
    const v1::Exercise& exercise = *catalog.FindExercise(routine.blocks(b).exercise_id());
    std::vector<absl::string_view> missing;
    for (const std::string& attestation : exercise.gate().attestations()) {
      if (!Holds(options, attestation)) missing.push_back(attestation);
    }
    if (!missing.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "blocks[", b, "]: exercise ", exercise.id(), " is gated and the session options lack ",
          missing.size() == 1 ? "the attestation " : "the attestations ",
          absl::StrJoin(missing, ", "), " (SessionOptions.attestations)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::SessionOptions> ResolveSessionOptions(const v1::SessionOptions& options) {
  return timing::ResolveOptions(options);
}

int64_t EstimateSpeakMs(absl::string_view text, uint32_t words_per_minute) {
  if (words_per_minute == 0) words_per_minute = timing::kWordsPerMinute.default_value;
  int64_t words = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = absl::ascii_isspace(static_cast<unsigned char>(c));
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  if (words == 0) return text.empty() ? 0 : 1;
  return (words * 60000 + words_per_minute - 1) / words_per_minute;
}

absl::StatusOr<v1::Plan> CompilePlan(const Catalog& source, const v1::Routine& routine,
                                     const v1::SessionOptions& options) {
  // The words come from the pack in the session's locale (the same exercises, rules and ids).
  std::optional<LocalizedCatalog> localized;
  if (!options.locale().empty()) {
    absl::StatusOr<LocalizedCatalog> found = source.Localize(options.locale());
    if (!found.ok())
      return absl::InvalidArgumentError(absl::StrCat("locale: ", found.status().message()));
    localized = *std::move(found);
  }
  const Catalog& catalog = localized.has_value() ? localized->catalog : source;
  v1::SessionOptions with_rate;
  const v1::SessionOptions* asked = &options;
  if (!options.has_words_per_minute() && catalog.proto().words_per_minute() != 0) {
    with_rate = options;
    with_rate.set_words_per_minute(catalog.proto().words_per_minute());  // the locale's rate
    asked = &with_rate;
  }
  absl::StatusOr<v1::SessionOptions> resolved = ResolveSessionOptions(*asked);
  if (!resolved.ok()) return resolved.status();
  if (routine.blocks_size() == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("blocks: routine \"", routine.id(), "\" has no blocks"));
  }
  if (static_cast<size_t>(routine.blocks_size()) > kMaxBlocksPerRoutine) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "blocks: ", routine.blocks_size(), " blocks; the limit is ", kMaxBlocksPerRoutine));
  }
  if (std::vector<ValidationError> errors = ValidateRoutine(routine, catalog); !errors.empty()) {
    return ErrorsToStatus(errors);
  }
  if (absl::Status status = CheckGates(catalog, routine, *resolved); !status.ok()) return status;
  v1::Plan plan;
  plan.set_version(kPlanVersion);
  plan.set_routine_id(routine.id());
  plan.set_routine_name(routine.name().empty() ? routine.id() : routine.name());
  // A pack's own routine, unchanged, is named in the locale's words.
  if (const v1::Routine* own = source.FindRoutine(routine.id());
      &catalog != &source && own != nullptr && own->name() == routine.name()) {
    plan.set_routine_name(catalog.FindRoutine(routine.id())->name());
  }
  *plan.mutable_options() = *resolved;
  if (localized.has_value()) {
    plan.set_locale(localized->locale);
    plan.set_locale_note(localized->note);
    for (const auto& [id, words] : catalog.EngineWords()) {
      if (absl::StartsWith(id, "engine.")) (*plan.mutable_engine_words())[id] = words;
    }
  }
  for (const v1::Cue& cue : catalog.proto().session_cues()) {
    *plan.add_session_cues() = CompileCue(cue);
  }
  std::vector<std::string> exercise_ids;
  for (int b = 0; b < routine.blocks_size(); ++b) {
    // ValidateRoutine checked that every exercise exists.
    const v1::Exercise& exercise = *catalog.FindExercise(routine.blocks(b).exercise_id());
    absl::StatusOr<uint32_t> index =
        PlanExerciseIndex(catalog, exercise, absl::StrCat("blocks[", b, "]"), &exercise_ids, &plan);
    if (!index.ok()) return index.status();
    if (absl::Status status = CompileBlock(routine, b, exercise, *index,
                                           resolved->breath_period_ms(), plan.add_blocks());
        !status.ok()) {
      return status;
    }
  }
  plan.set_planned_ms(PlannedSessionMs(plan));
  if (plan.planned_ms() > kMaxRoutineMs) {
    return absl::ResourceExhaustedError(absl::StrCat("routine \"", routine.id(), "\" lasts ",
                                                     plan.planned_ms(), " ms; the limit is ",
                                                     kMaxRoutineMs, " ms (4 hours)"));
  }
  return plan;
}

int64_t PlannedSessionMs(const v1::Plan& plan) {
  int64_t total = plan.options().count_in_ms();
  for (const v1::PlanBlock& block : plan.blocks()) {
    if (block.exercise() >= static_cast<uint32_t>(plan.exercises_size())) continue;
    const v1::PlanExercise& exercise = plan.exercises(static_cast<int>(block.exercise()));
    timing::PhaseTotals phases;
    for (int i = 0; i < exercise.phases_size() && i < block.phase_ms_size(); ++i) {
      phases.Add(exercise.phases(i).scope(), exercise.phases(i).kind(), block.phase_ms(i));
    }
    timing::BlockRests rests;
    rests.between_reps_ms = block.rest_between_reps_ms();
    rests.between_sets_ms = block.rest_between_sets_ms();
    rests.after_ms = block.rest_after_ms();
    const timing::SetShape shape = timing::ShapeOf(timing::PatternOf(block, exercise.laterality()));
    total = timing::SatAdd(total, timing::BlockMs(phases, shape, block.sets(), rests));
  }
  return total;
}

}  // namespace regimen
