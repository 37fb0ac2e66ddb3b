// CompilePlan: a routine and a catalog resolved into the self-contained plan a Session runs.
#include "regimen/plan.h"

#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "regimen/routine.h"
#include "regimen/v1/exercise.pb.h"

namespace regimen {
namespace {

constexpr int64_t kMaxPhaseMs = 600000;
constexpr size_t kMaxCuesPerExercise = 256;
constexpr size_t kMaxSessionCues = 256;
constexpr size_t kMaxVariants = 64;

std::string DefaultLabel(v1::PhaseKind kind) {
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

absl::Status CheckOption(const char* name, int64_t value, int64_t min, int64_t max) {
  if (value < min || value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("options.", name, ": must be ", min, "..", max, ", got ", value));
  }
  return absl::OkStatus();
}

// Checks `value` against `range` of exercise `id`; max 0 means the quantity is not allowed.
absl::Status CheckRange(const std::string& path, const std::string& id, const char* what,
                        int64_t value, const v1::Range& range) {
  if (range.max() == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", what, " is not allowed for ", id, ", got ", value));
  }
  if (value < range.min() || value > range.max()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": must be ", range.min(), "..",
                                                   range.max(), " for ", id, ", got ", value));
  }
  return absl::OkStatus();
}

absl::Status CheckPrescription(const std::string& path, const v1::Exercise& exercise,
                               const v1::Prescription& p) {
  if (!exercise.has_safe_ranges()) return absl::OkStatus();
  const v1::SafeRanges& r = exercise.safe_ranges();
  const std::string& id = exercise.id();
  const int64_t sets = p.sets() == 0 ? 1 : p.sets();
  const int64_t reps = p.reps() == 0 ? 1 : p.reps();
  if (r.sets().max() != 0) {
    if (auto s = CheckRange(path + ".sets", id, "sets", sets, r.sets()); !s.ok()) return s;
  }
  if (r.reps().max() != 0) {
    if (auto s = CheckRange(path + ".reps", id, "reps", reps, r.reps()); !s.ok()) return s;
  }
  if (p.hold().amount_case() == v1::Hold::kMs) {
    if (auto s = CheckRange(path + ".hold.ms", id, "a hold in ms", p.hold().ms(), r.hold_ms());
        !s.ok()) {
      return s;
    }
  } else if (p.hold().amount_case() == v1::Hold::kBreaths) {
    if (auto s = CheckRange(path + ".hold.breaths", id, "a hold in breaths", p.hold().breaths(),
                            r.hold_breaths());
        !s.ok()) {
      return s;
    }
  }
  if (p.tempo().lift_ms() != 0) {
    if (auto s =
            CheckRange(path + ".tempo.lift_ms", id, "a tempo", p.tempo().lift_ms(), r.tempo_ms());
        !s.ok()) {
      return s;
    }
  }
  if (p.tempo().lower_ms() != 0) {
    if (auto s =
            CheckRange(path + ".tempo.lower_ms", id, "a tempo", p.tempo().lower_ms(), r.tempo_ms());
        !s.ok()) {
      return s;
    }
  }
  if (p.rest_between_sets_ms() != 0 && sets > 1) {
    if (auto s = CheckRange(path + ".rest_between_sets_ms", id, "a rest between sets",
                            p.rest_between_sets_ms(), r.rest_ms());
        !s.ok()) {
      return s;
    }
  }
  if (p.oscillations() != 0) {
    if (auto s = CheckRange(path + ".oscillations", id, "an oscillation count", p.oscillations(),
                            r.oscillations());
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::PlanCue> CompileCue(const v1::Cue& cue) {
  v1::PlanCue out;
  out.set_id(cue.id());
  out.add_texts(cue.text());
  for (const std::string& variant : cue.variants()) out.add_texts(variant);
  out.set_speak_ms(cue.speak_ms() > 0 ? cue.speak_ms() : 0);
  out.set_kind(cue.kind());
  out.set_priority(cue.priority() == v1::CUE_PRIORITY_UNSPECIFIED ? v1::CUE_PRIORITY_FORM
                                                                  : cue.priority());
  *out.mutable_trigger() = cue.trigger();
  return out;
}

int64_t SafeAdd(int64_t a, int64_t b) {
  constexpr int64_t kCap = int64_t{1} << 50;
  const int64_t sum = a + b;
  return sum > kCap ? kCap : sum;
}

}  // namespace

absl::StatusOr<v1::SessionOptions> ResolveSessionOptions(const v1::SessionOptions& in) {
  v1::SessionOptions o;
  o.set_breath_period_ms(in.has_breath_period_ms() ? in.breath_period_ms() : 5000);
  o.set_count_in_ms(in.has_count_in_ms() ? in.count_in_ms() : 5000);
  o.set_words_per_minute(in.has_words_per_minute() ? in.words_per_minute() : 150);
  o.set_pain_stop_threshold(in.has_pain_stop_threshold() ? in.pain_stop_threshold() : 6);
  o.set_cue_lead_ms(in.has_cue_lead_ms() ? in.cue_lead_ms() : 0);
  o.set_cue_gap_ms(in.has_cue_gap_ms() ? in.cue_gap_ms() : 250);
  o.set_max_cue_delay_ms(in.has_max_cue_delay_ms() ? in.max_cue_delay_ms() : 4000);
  for (absl::Status s : {
           CheckOption("breath_period_ms", o.breath_period_ms(), 2000, 15000),
           CheckOption("count_in_ms", o.count_in_ms(), 0, 30000),
           CheckOption("words_per_minute", o.words_per_minute(), 60, 400),
           CheckOption("pain_stop_threshold", o.pain_stop_threshold(), 1, 10),
           CheckOption("cue_lead_ms", o.cue_lead_ms(), 0, 5000),
           CheckOption("cue_gap_ms", o.cue_gap_ms(), 0, 5000),
           CheckOption("max_cue_delay_ms", o.max_cue_delay_ms(), 0, 600000),
       }) {
    if (!s.ok()) return s;
  }
  return o;
}

int64_t EstimateSpeakMs(absl::string_view text, uint32_t words_per_minute) {
  if (words_per_minute == 0) words_per_minute = 150;
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

absl::StatusOr<v1::Plan> CompilePlan(const Catalog& catalog, const v1::Routine& routine,
                                     const v1::SessionOptions& options) {
  absl::StatusOr<v1::SessionOptions> resolved = ResolveSessionOptions(options);
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
  const int64_t breath = resolved->breath_period_ms();
  v1::Plan plan;
  plan.set_version(kPlanVersion);
  plan.set_routine_id(routine.id());
  plan.set_routine_name(routine.name().empty() ? routine.id() : routine.name());
  *plan.mutable_options() = *resolved;
  for (const v1::Cue& cue : catalog.proto().session_cues()) {
    absl::StatusOr<v1::PlanCue> compiled = CompileCue(cue);
    if (!compiled.ok()) return compiled.status();
    *plan.add_session_cues() = *std::move(compiled);
  }

  // Exercises are stored once however many blocks use them.
  std::vector<std::string> exercise_ids;
  for (int b = 0; b < routine.blocks_size(); ++b) {
    const v1::Block& block = routine.blocks(b);
    const std::string path = absl::StrCat("blocks[", b, "]");
    const v1::Exercise* exercise = catalog.FindExercise(block.exercise_id());
    if (exercise == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ".exercise_id: unknown exercise \"", block.exercise_id(), "\""));
    }
    const v1::Prescription& p =
        block.has_prescription() ? block.prescription() : exercise->default_prescription();
    if (absl::Status s = CheckPrescription(
            path + (block.has_prescription() ? ".prescription" : ".default_prescription"),
            *exercise, p);
        !s.ok()) {
      return s;
    }
    if (block.rest_after_ms() < 0 || block.rest_after_ms() > 300000) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ".rest_after_ms: must be 0..300000, got ", block.rest_after_ms()));
    }
    if (p.rest_between_reps_ms() < 0 || p.rest_between_reps_ms() > 300000 ||
        p.rest_between_sets_ms() < 0 || p.rest_between_sets_ms() > 300000) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ".prescription: rests must be 0..300000 ms"));
    }
    if (p.bias().extra_reps() > 3) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ".prescription.bias.extra_reps: must be 0..3, got ", p.bias().extra_reps()));
    }
    if (p.sets() > 100 || p.reps() > 100) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ".prescription: sets and reps must be at most 100, got ", p.sets(),
                       " and ", p.reps()));
    }
    uint32_t index = 0;
    while (index < exercise_ids.size() && exercise_ids[index] != exercise->id()) ++index;
    if (index == exercise_ids.size()) {
      if (exercise->cues_size() > static_cast<int>(kMaxCuesPerExercise)) {
        return absl::ResourceExhaustedError(absl::StrCat(
            path, ": exercise ", exercise->id(), " has more than ", kMaxCuesPerExercise, " cues"));
      }
      exercise_ids.push_back(exercise->id());
      v1::PlanExercise* e = plan.add_exercises();
      e->set_id(exercise->id());
      e->set_name(exercise->name().empty() ? exercise->id() : exercise->name());
      e->set_laterality(exercise->laterality() == v1::LATERALITY_UNSPECIFIED
                            ? v1::LATERALITY_BILATERAL
                            : exercise->laterality());
      for (const v1::Phase& phase : exercise->phases()) {
        v1::PlanPhase* out = e->add_phases();
        out->set_kind(phase.kind());
        out->set_scope(phase.scope() == v1::PHASE_SCOPE_UNSPECIFIED ? v1::PHASE_SCOPE_REP
                                                                    : phase.scope());
        out->set_label(phase.label().empty() ? DefaultLabel(phase.kind()) : phase.label());
        out->set_open(phase.duration().spec_case() == v1::DurationSpec::kOpen);
      }
      for (const v1::Cue& cue : exercise->cues()) {
        absl::StatusOr<v1::PlanCue> compiled = CompileCue(cue);
        if (!compiled.ok()) return compiled.status();
        *e->add_cues() = *std::move(compiled);
      }
    }
    v1::PlanBlock* out = plan.add_blocks();
    out->set_exercise(index);
    out->set_sets(p.sets() == 0 ? 1 : p.sets());
    out->set_reps(p.reps() == 0 ? 1 : p.reps());
    const bool sided = exercise->laterality() == v1::LATERALITY_ALTERNATING ||
                       exercise->laterality() == v1::LATERALITY_PER_SIDE;
    if (sided) {
      out->set_first_side(p.first_side() == v1::RIGHT ? v1::RIGHT : v1::LEFT);
      if (p.bias().side() != v1::SIDE_UNSPECIFIED && p.bias().extra_reps() > 0) {
        out->set_bias_side(p.bias().side());
        out->set_bias_extra_reps(p.bias().extra_reps());
      }
    } else {
      // A bias on a bilateral exercise adds its reps with no side (docs/timing.md).
      out->set_bias_extra_reps(p.bias().extra_reps());
    }
    out->set_rest_between_sets_ms(p.rest_between_sets_ms());
    out->set_rest_between_reps_ms(p.rest_between_reps_ms());
    out->set_rest_after_ms(b + 1 < routine.blocks_size() ? block.rest_after_ms() : 0);
    out->set_level(b < routine.levels_size() ? routine.levels(b) : 0);
    for (int i = 0; i < exercise->phases_size(); ++i) {
      const v1::DurationSpec& d = exercise->phases(i).duration();
      const std::string phase_path =
          absl::StrCat(path, ": exercise ", exercise->id(), " phases[", i, "]");
      int64_t ms = 0;
      switch (d.spec_case()) {
        case v1::DurationSpec::kFixedMs:
          ms = d.fixed_ms();
          break;
        case v1::DurationSpec::kBreaths:
          ms = static_cast<int64_t>(d.breaths()) * breath;
          break;
        case v1::DurationSpec::kTempo:
          ms = d.tempo() == v1::TEMPO_PART_LOWER ? p.tempo().lower_ms() : p.tempo().lift_ms();
          break;
        case v1::DurationSpec::kOscillations:
          ms = static_cast<int64_t>(p.oscillations() != 0 ? p.oscillations()
                                                          : d.oscillations().count()) *
               d.oscillations().period_ms();
          break;
        case v1::DurationSpec::kPrescribedHold:
          ms = p.hold().amount_case() == v1::Hold::kMs
                   ? p.hold().ms()
                   : static_cast<int64_t>(p.hold().breaths()) * breath;
          break;
        case v1::DurationSpec::kOpen:
          ms = d.open().timeout_ms();
          if (ms < 0 || ms > kMaxPhaseMs) {
            return absl::InvalidArgumentError(absl::StrCat(
                phase_path, ".duration.open.timeout_ms: must be 0..", kMaxPhaseMs, ", got ", ms));
          }
          break;
        case v1::DurationSpec::SPEC_NOT_SET:
          return absl::InvalidArgumentError(absl::StrCat(phase_path, ".duration: not set"));
      }
      if (d.spec_case() != v1::DurationSpec::kOpen && (ms <= 0 || ms > kMaxPhaseMs)) {
        return absl::InvalidArgumentError(
            absl::StrCat(phase_path, " (", DefaultLabel(exercise->phases(i).kind()),
                         "): the prescription gives it ", ms, " ms; it must be 1..", kMaxPhaseMs));
      }
      out->add_phase_ms(ms);
    }
    for (int i = 0; i < block.lead_cue_ids_size(); ++i) {
      int found = -1;
      for (int c = 0; c < exercise->cues_size(); ++c) {
        if (exercise->cues(c).id() == block.lead_cue_ids(i)) found = c;
      }
      if (found < 0) {
        return absl::InvalidArgumentError(absl::StrCat(path, ".lead_cue_ids[", i, "]: exercise ",
                                                       exercise->id(), " has no cue \"",
                                                       block.lead_cue_ids(i), "\""));
      }
      out->add_lead_cues(static_cast<uint32_t>(found));
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
  for (int b = 0; b < plan.blocks_size(); ++b) {
    const v1::PlanBlock& block = plan.blocks(b);
    if (block.exercise() >= static_cast<uint32_t>(plan.exercises_size())) continue;
    const v1::PlanExercise& e = plan.exercises(static_cast<int>(block.exercise()));
    int64_t start = 0, set_start = 0, rep = 0, sw = 0, end = 0;
    for (int i = 0; i < e.phases_size() && i < block.phase_ms_size(); ++i) {
      const int64_t ms = block.phase_ms(i);
      switch (e.phases(i).scope()) {
        case v1::PHASE_SCOPE_EXERCISE_START:
          start += ms;
          break;
        case v1::PHASE_SCOPE_SET_START:
          set_start += ms;
          break;
        case v1::PHASE_SCOPE_EXERCISE_END:
          end += ms;
          break;
        default:
          (e.phases(i).kind() == v1::PHASE_SWITCH_SIDE ? sw : rep) += ms;
          break;
      }
    }
    const int64_t reps_per_side = block.reps();
    int64_t reps = reps_per_side;
    int64_t switches = 0;
    if (e.laterality() == v1::LATERALITY_ALTERNATING) {
      reps = 2 * reps_per_side;
      switches = reps - 1;
    } else if (e.laterality() == v1::LATERALITY_PER_SIDE) {
      reps = 2 * reps_per_side;
      switches = 1;
    }
    if (block.bias_extra_reps() > 0 && e.laterality() != v1::LATERALITY_BILATERAL) {
      const v1::Side last = e.laterality() == v1::LATERALITY_ALTERNATING
                                ? block.first_side() == v1::LEFT ? v1::RIGHT : v1::LEFT
                            : block.first_side() == v1::LEFT ? v1::RIGHT
                                                             : v1::LEFT;
      // The extra reps follow the last regular rep: a switch when the side changes.
      if (block.bias_side() != last) ++switches;
      reps += block.bias_extra_reps();
    }
    int64_t per_set =
        set_start + reps * rep + switches * sw + (reps - 1) * block.rest_between_reps_ms();
    total = SafeAdd(total, start + end);
    total = SafeAdd(total, per_set * block.sets());
    total = SafeAdd(total, (static_cast<int64_t>(block.sets()) - 1) * block.rest_between_sets_ms());
    total = SafeAdd(total, block.rest_after_ms());
  }
  return total;
}

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
  // Paths are built only for an error: restoring a snapshot validates its plan on a hot path.
  auto check_cue = [](const v1::PlanCue& cue, auto path_of) -> absl::Status {
    const auto path = [&] { return path_of(); };
    if (cue.texts_size() == 0 || static_cast<size_t>(cue.texts_size()) > kMaxVariants + 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(path(), ".texts: needs 1..", kMaxVariants + 1, " texts"));
    }
    if (cue.speak_ms() < 0 || cue.speak_ms() > kMaxPhaseMs) {
      return absl::InvalidArgumentError(
          absl::StrCat(path(), ".speak_ms: must be 0..", kMaxPhaseMs, ", got ", cue.speak_ms()));
    }
    if (cue.trigger().offset_ms() < 0 || cue.trigger().offset_ms() > kMaxPhaseMs) {
      return absl::InvalidArgumentError(absl::StrCat(path(), ".trigger.offset_ms: must be 0..",
                                                     kMaxPhaseMs, ", got ",
                                                     cue.trigger().offset_ms()));
    }
    if (cue.priority() < v1::CUE_PRIORITY_TIP || cue.priority() > v1::CUE_PRIORITY_SAFETY) {
      return absl::InvalidArgumentError(absl::StrCat(path(), ".priority: invalid"));
    }
    return absl::OkStatus();
  };
  if (static_cast<size_t>(plan.session_cues_size()) > kMaxSessionCues) {
    return absl::InvalidArgumentError("plan.session_cues: too many");
  }
  for (int i = 0; i < plan.session_cues_size(); ++i) {
    if (auto s = check_cue(plan.session_cues(i),
                           [&] { return absl::StrCat("plan.session_cues[", i, "]"); });
        !s.ok()) {
      return s;
    }
  }
  if (plan.exercises_size() == 0 || plan.exercises_size() > plan.blocks_size()) {
    return absl::InvalidArgumentError("plan.exercises: must hold 1..blocks exercises");
  }
  for (int e = 0; e < plan.exercises_size(); ++e) {
    const v1::PlanExercise& ex = plan.exercises(e);
    const auto path = [e] { return absl::StrCat("plan.exercises[", e, "]"); };
    if (static_cast<size_t>(ex.phases_size()) > kMaxPhasesPerExercise ||
        static_cast<size_t>(ex.cues_size()) > kMaxCuesPerExercise) {
      return absl::InvalidArgumentError(absl::StrCat(path(), ": too many phases or cues"));
    }
    if (ex.laterality() < v1::LATERALITY_BILATERAL || ex.laterality() > v1::LATERALITY_PER_SIDE) {
      return absl::InvalidArgumentError(absl::StrCat(path(), ".laterality: invalid"));
    }
    for (int p = 0; p < ex.phases_size(); ++p) {
      const v1::PlanPhase& phase = ex.phases(p);
      if (phase.kind() < v1::PHASE_SETUP || phase.kind() > v1::PHASE_COUNT_IN ||
          phase.scope() < v1::PHASE_SCOPE_REP || phase.scope() > v1::PHASE_SCOPE_EXERCISE_END) {
        return absl::InvalidArgumentError(
            absl::StrCat(path(), ".phases[", p, "]: invalid kind or scope"));
      }
    }
    for (int c = 0; c < ex.cues_size(); ++c) {
      if (auto s = check_cue(ex.cues(c), [&] { return absl::StrCat(path(), ".cues[", c, "]"); });
          !s.ok())
        return s;
    }
  }
  for (int b = 0; b < plan.blocks_size(); ++b) {
    const v1::PlanBlock& block = plan.blocks(b);
    const auto path = [b] { return absl::StrCat("plan.blocks[", b, "]"); };
    if (block.exercise() >= static_cast<uint32_t>(plan.exercises_size())) {
      return absl::InvalidArgumentError(
          absl::StrCat(path(), ".exercise: no exercise ", block.exercise()));
    }
    const v1::PlanExercise& ex = plan.exercises(static_cast<int>(block.exercise()));
    if (block.sets() < 1 || block.sets() > 100 || block.reps() < 1 || block.reps() > 100 ||
        block.bias_extra_reps() > 3) {
      return absl::InvalidArgumentError(
          absl::StrCat(path(), ": sets and reps must be 1..100 and bias 0..3"));
    }
    if (block.phase_ms_size() != ex.phases_size()) {
      return absl::InvalidArgumentError(absl::StrCat(path(), ".phase_ms: needs ", ex.phases_size(),
                                                     " lengths, got ", block.phase_ms_size()));
    }
    for (int p = 0; p < block.phase_ms_size(); ++p) {
      const int64_t ms = block.phase_ms(p);
      if (ms < (ex.phases(p).open() ? 0 : 1) || ms > kMaxPhaseMs) {
        return absl::InvalidArgumentError(
            absl::StrCat(path(), ".phase_ms[", p, "]: must be up to ", kMaxPhaseMs, ", got ", ms));
      }
    }
    for (int64_t rest :
         {block.rest_between_sets_ms(), block.rest_between_reps_ms(), block.rest_after_ms()}) {
      if (rest < 0 || rest > 300000) {
        return absl::InvalidArgumentError(absl::StrCat(path(), ": rests must be 0..300000 ms"));
      }
    }
    const bool sided = ex.laterality() != v1::LATERALITY_BILATERAL;
    if (sided != (block.first_side() == v1::LEFT || block.first_side() == v1::RIGHT) ||
        (sided && block.bias_extra_reps() > 0 && block.bias_side() != v1::LEFT &&
         block.bias_side() != v1::RIGHT) ||
        (!sided && block.bias_side() != v1::SIDE_UNSPECIFIED)) {
      return absl::InvalidArgumentError(absl::StrCat(path(), ": sides do not fit the exercise"));
    }
    for (int i = 0; i < block.lead_cues_size(); ++i) {
      if (block.lead_cues(i) >= static_cast<uint32_t>(ex.cues_size())) {
        return absl::InvalidArgumentError(
            absl::StrCat(path(), ".lead_cues[", i, "]: no cue ", block.lead_cues(i)));
      }
    }
  }
  if (PlannedSessionMs(plan) > kMaxRoutineMs) {
    return absl::ResourceExhaustedError("plan: lasts more than 4 hours");
  }
  return absl::OkStatus();
}

}  // namespace regimen
