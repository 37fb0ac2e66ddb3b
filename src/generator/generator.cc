// Routine generation (see include/regimen/generator.h).
#include "regimen/generator.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "regimen/l10n.h"
#include "regimen/routine.h"
#include "src/generator/profile_util.h"
#include "src/generator/random.h"

namespace regimen {
namespace internal {

std::string MinutesSeconds(int64_t ms) {
  const int64_t seconds = (ms + 999) / 1000;
  return absl::StrCat(seconds / 60, " min ", seconds % 60, " s");
}

bool HasCondition(const v1::Profile& profile, absl::string_view id) {
  for (const std::string& condition : profile.conditions()) {
    if (condition == id) return true;
  }
  return false;
}

bool HasAttestation(const v1::Profile& profile, absl::string_view id) {
  for (const std::string& attestation : profile.attestations()) {
    if (attestation == id) return true;
  }
  return false;
}

std::string ContraindicatingCondition(const v1::Exercise& exercise, const v1::Profile& profile) {
  for (const std::string& condition : exercise.contraindications()) {
    if (HasCondition(profile, condition)) return condition;
  }
  return "";
}

const v1::ConditionDef* PrimerOnlyCondition(const Catalog& catalog, const v1::Profile& profile) {
  for (const std::string& id : profile.conditions()) {
    const v1::ConditionDef* def = catalog.FindCondition(id);
    if (def != nullptr && def->primer_only()) return def;
  }
  return nullptr;
}

bool GateAttested(const v1::Gate& gate, const v1::Profile& profile, std::string* missing) {
  for (const std::string& attestation : gate.attestations()) {
    if (!HasAttestation(profile, attestation)) {
      if (missing != nullptr) *missing = attestation;
      return false;
    }
  }
  return true;
}

bool IsGated(const v1::Exercise& exercise) {
  return exercise.has_gate() &&
         (exercise.gate().attestations_size() > 0 || exercise.gate().history().sessions() > 0);
}

std::string RoutineIdFor(const Catalog& catalog, const v1::Routine& routine) {
  for (const v1::Routine& candidate : catalog.proto().routines()) {
    if (candidate.blocks_size() != routine.blocks_size()) continue;
    bool same = true;
    for (int i = 0; same && i < routine.blocks_size(); ++i) {
      same = candidate.blocks(i).exercise_id() == routine.blocks(i).exercise_id();
    }
    if (same) return candidate.id();
  }
  return absl::StrCat(catalog.proto().id().empty() ? "regimen" : catalog.proto().id(), "_custom");
}

}  // namespace internal

namespace {

using internal::MinutesSeconds;

// The rest after `exercise_id` in the first catalog routine that has it, else 0.
int64_t CatalogRestAfter(const Catalog& catalog, const std::string& exercise_id) {
  for (const v1::Routine& routine : catalog.proto().routines()) {
    for (const v1::Block& block : routine.blocks()) {
      if (block.exercise_id() == exercise_id) return block.rest_after_ms();
    }
  }
  return 0;
}

bool Sided(const v1::Exercise& exercise) {
  return exercise.laterality() == v1::LATERALITY_ALTERNATING ||
         exercise.laterality() == v1::LATERALITY_PER_SIDE;
}

// Sets block's prescription to `level` of the exercise's ladder (or its default prescription),
// keeping the side to start on.
void SetLevel(const Catalog& catalog, const v1::Exercise& exercise, uint32_t level,
              v1::Side first_side, v1::Block* block) {
  const v1::Ladder* ladder = catalog.FindLadder(exercise.id());
  if (ladder != nullptr && ladder->levels_size() > 0) {
    *block->mutable_prescription() = ladder->levels(static_cast<int>(level));
  } else if (first_side != v1::SIDE_UNSPECIFIED) {
    *block->mutable_prescription() = exercise.default_prescription();
  } else {
    block->clear_prescription();
  }
  if (first_side != v1::SIDE_UNSPECIFIED) block->mutable_prescription()->set_first_side(first_side);
}

uint32_t StartLevel(const Catalog& catalog, const v1::Exercise& exercise,
                    const v1::Profile& profile) {
  const v1::Ladder* ladder = catalog.FindLadder(exercise.id());
  if (ladder == nullptr || ladder->levels_size() == 0) return 0;
  const uint32_t exercise_level = std::max<uint32_t>(1, exercise.level());
  const uint32_t above = profile.level() > exercise_level ? profile.level() - exercise_level : 0;
  return std::min<uint32_t>(above, static_cast<uint32_t>(ladder->levels_size() - 1));
}

// A block being planned, before it becomes part of the routine.
struct Planned {
  const v1::Exercise* exercise;
  uint32_t level;
  v1::Side first_side;
};

absl::StatusOr<int64_t> Estimate(const Catalog& catalog, const std::vector<Planned>& planned,
                                 v1::Routine* routine) {
  routine->clear_blocks();
  routine->clear_levels();
  for (const Planned& p : planned) {
    v1::Block* block = routine->add_blocks();
    block->set_exercise_id(p.exercise->id());
    SetLevel(catalog, *p.exercise, p.level, p.first_side, block);
    routine->add_levels(p.level);
  }
  for (int i = 0; i < routine->blocks_size(); ++i) {
    const bool last = i + 1 == routine->blocks_size();
    routine->mutable_blocks(i)->set_rest_after_ms(
        last ? 0 : CatalogRestAfter(catalog, routine->blocks(i).exercise_id()));
  }
  return EstimateRoutineMs(*routine, catalog);
}

// Why `exercise` is left out of a routine generated for `profile` (a note), or "" when it is in.
// A note of the generator in `words`' locale: the template `id` with its arguments.
std::string Note(const Catalog& words, absl::string_view id, const std::vector<TemplateArg>& args) {
  return FillTemplate(words.EngineWord(id), args);
}

// "4 min 13 s" in `words`' locale.
std::string Duration(const Catalog& words, int64_t ms) {
  const int64_t seconds = (ms + 999) / 1000;
  return Note(words, "generator.duration",
              {{"minutes", absl::StrCat(seconds / 60)}, {"seconds", absl::StrCat(seconds % 60)}});
}

std::string LeftOutReason(const Catalog& words, const v1::Exercise& exercise,
                          const v1::Profile& profile, const v1::ConditionDef* primer_only) {
  const std::string& id = exercise.id();
  if (primer_only != nullptr) {
    return Note(words, "generator.left_out.primer_only",
                {{"exercise", id}, {"condition", primer_only->id()}});
  }
  if (std::string condition = internal::ContraindicatingCondition(exercise, profile);
      !condition.empty()) {
    return Note(words, "generator.left_out.contraindicated",
                {{"exercise", id}, {"condition", condition}});
  }
  if (internal::IsGated(exercise)) {
    std::string missing;
    if (!internal::GateAttested(exercise.gate(), profile, &missing)) {
      return Note(words, "generator.left_out.attestation",
                  {{"exercise", id}, {"attestation", missing}});
    }
    const v1::HistoryRequirement& history = exercise.gate().history();
    if (history.sessions() > 0) {
      return Note(
          words, "generator.left_out.history",
          {{"exercise", id},
           {"sessions", absl::StrCat(history.sessions())},
           {"completed",
            history.completed() ? words.EngineWord("generator.history.completed") : ""},
           {"max_pain", absl::StrCat(history.max_pain())},
           {"no_asymmetry",
            history.no_asymmetry() ? words.EngineWord("generator.history.no_asymmetry") : ""}});
    }
  }
  // One level of stretch: a beginner (1) does the level-1 and level-2 exercises.
  if (exercise.level() > profile.level() + 1) {
    return Note(words, "generator.left_out.level",
                {{"exercise", id},
                 {"level", absl::StrCat(exercise.level())},
                 {"profile_level", absl::StrCat(profile.level())}});
  }
  return "";
}

// The blocks to plan for `profile`: the primer, then every exercise of the catalog the profile
// may do, in catalog order, each at its start level; a note in `routine` for each left out.
std::vector<Planned> PlanBlocks(const Catalog& catalog, const Catalog& words,
                                const v1::Profile& profile, const v1::Exercise& primer,
                                internal::Random& random, v1::Routine* routine) {
  std::vector<Planned> planned;
  planned.push_back(
      {&primer, StartLevel(catalog, primer, profile),
       Sided(primer) ? (random.Below(2) == 0 ? v1::LEFT : v1::RIGHT) : v1::SIDE_UNSPECIFIED});
  const v1::ConditionDef* primer_only = internal::PrimerOnlyCondition(catalog, profile);
  if (primer_only != nullptr) {
    // The advice in the user's words (the localized catalog's condition).
    const v1::ConditionDef* advised = words.FindCondition(primer_only->id());
    const std::string& advice = advised != nullptr ? advised->advice() : primer_only->advice();
    routine->add_notes(Note(words, "generator.only_primer",
                            {{"exercise", primer.id()},
                             {"condition", primer_only->id()},
                             {"advice", advice.empty() ? "" : absl::StrCat(": ", advice)}}));
  }
  for (const v1::Exercise& exercise : catalog.proto().exercises()) {
    if (&exercise == &primer || exercise.primer()) continue;
    // Drawn for every exercise, so that one exercise's choice does not shift another's.
    const v1::Side first_side = random.Below(2) == 0 ? v1::LEFT : v1::RIGHT;
    if (std::string why = LeftOutReason(words, exercise, profile, primer_only); !why.empty()) {
      routine->add_notes(std::move(why));
      continue;
    }
    planned.push_back({&exercise, StartLevel(catalog, exercise, profile),
                       Sided(exercise) ? first_side : v1::SIDE_UNSPECIFIED});
  }
  return planned;
}

// Lowers the highest ladder level one step at a time (the latest block first among equals)
// while the routine, `estimate_ms` long, is over the budget, with a note for each exercise
// lowered. Returns the routine's new estimate.
absl::StatusOr<int64_t> LowerLevelsToFit(const Catalog& catalog, const Catalog& words,
                                         int64_t budget_ms, int64_t estimate_ms,
                                         std::vector<Planned>& planned, v1::Routine* routine) {
  absl::StatusOr<int64_t> estimate = estimate_ms;
  std::vector<uint32_t> start_levels;
  for (const Planned& p : planned) start_levels.push_back(p.level);
  while (*estimate > budget_ms) {
    size_t highest = 0;
    for (size_t i = 0; i < planned.size(); ++i) {
      if (planned[i].level >= planned[highest].level) highest = i;
    }
    if (planned[highest].level == 0) break;
    --planned[highest].level;
    estimate = Estimate(catalog, planned, routine);
    if (!estimate.ok()) return estimate.status();
  }
  for (size_t i = 0; i < planned.size(); ++i) {
    if (planned[i].level < start_levels[i]) {
      routine->add_notes(Note(words, "generator.lowered",
                              {{"exercise", planned[i].exercise->id()},
                               {"level", absl::StrCat(planned[i].level)},
                               {"from", absl::StrCat(start_levels[i])},
                               {"budget", Duration(words, budget_ms)}}));
    }
  }
  return estimate;
}

// Leaves out exercises, the most advanced first (ties drawn from `random`), while the routine,
// `estimate_ms` long, is over the budget and more than the primer is left, with a note for each.
// Returns the routine's new estimate.
absl::StatusOr<int64_t> LeaveOutToFit(const Catalog& catalog, const Catalog& words,
                                      int64_t budget_ms, int64_t estimate_ms,
                                      internal::Random& random, std::vector<Planned>& planned,
                                      v1::Routine* routine) {
  absl::StatusOr<int64_t> estimate = estimate_ms;
  while (*estimate > budget_ms && planned.size() > 1) {
    uint32_t top = 0;
    std::vector<size_t> candidates;
    for (size_t i = 1; i < planned.size(); ++i) {
      const uint32_t level = planned[i].exercise->level();
      if (level > top) {
        top = level;
        candidates.clear();
      }
      if (level == top) candidates.push_back(i);
    }
    const size_t drop = candidates[random.Below(candidates.size())];
    routine->add_notes(Note(words, "generator.left_out.budget",
                            {{"exercise", planned[drop].exercise->id()},
                             {"estimate", Duration(words, *estimate)},
                             {"budget", Duration(words, budget_ms)}}));
    planned.erase(planned.begin() + static_cast<std::ptrdiff_t>(drop));
    estimate = Estimate(catalog, planned, routine);
    if (!estimate.ok()) return estimate.status();
  }
  return estimate;
}

// The routine of the primer alone takes `estimate_ms`, more than the budget.
absl::Status PrimerOverBudgetError(const v1::Exercise& primer, int64_t estimate_ms,
                                   int64_t budget_ms, const v1::Profile& profile) {
  return absl::OutOfRangeError(absl::StrCat(
      "profile.minutes_per_week: the smallest routine (", primer.id(), " alone) takes ",
      MinutesSeconds(estimate_ms), " (", (estimate_ms + 999) / 1000,
      " s), more than the session budget of ", MinutesSeconds(budget_ms), " (",
      profile.minutes_per_week(), " min a week over ", profile.sessions_per_week(),
      " sessions); give at least ",
      ((estimate_ms + 999) / 1000 * profile.sessions_per_week() + 59) / 60, " min a week"));
}

// The catalog routine's name and description when `routine` is one, else a custom one's.
void NameRoutine(const Catalog& catalog, const Catalog& words, v1::Routine* routine) {
  routine->set_id(internal::RoutineIdFor(catalog, *routine));
  if (const v1::Routine* known = words.FindRoutine(routine->id()); known != nullptr) {
    routine->set_name(known->name());
    routine->set_description(known->description());
  } else {
    routine->set_name(words.EngineWord("generator.custom_name"));
    routine->set_description(
        Note(words, "generator.custom_description", {{"pack", catalog.proto().id()}}));
  }
}

}  // namespace

absl::StatusOr<v1::Routine> GenerateRoutine(const Catalog& catalog, const v1::Profile& profile_in) {
  absl::StatusOr<v1::Profile> normalized = NormalizeProfile(catalog, profile_in);
  if (!normalized.ok()) return normalized.status();
  const v1::Profile& profile = *normalized;
  const v1::Exercise* primer = catalog.Primer();
  if (primer == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "catalog ", catalog.proto().id(), ": has no primer exercise (Exercise.primer)"));
  }
  const int64_t budget_ms = SessionBudgetMs(profile);
  internal::Random random(internal::MixSeed(profile.seed(), 0x67656e6572617465ULL));

  // The words of the notes and names in the profile's locale (the same exercises and ids).
  std::optional<LocalizedCatalog> localized;
  if (!profile.locale().empty()) {
    absl::StatusOr<LocalizedCatalog> found = catalog.Localize(profile.locale());
    if (!found.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("profile.locale: ", found.status().message()));
    }
    localized = *std::move(found);
  }
  const Catalog& words = localized.has_value() ? localized->catalog : catalog;

  v1::Routine routine;
  if (localized.has_value() && !localized->note.empty()) routine.add_notes(localized->note);
  std::vector<Planned> planned = PlanBlocks(catalog, words, profile, *primer, random, &routine);
  absl::StatusOr<int64_t> estimate = Estimate(catalog, planned, &routine);
  if (!estimate.ok()) return estimate.status();
  // Too long: first lower the highest ladder level one step at a time (the latest block
  // first among equals), then drop exercises, the most advanced first (ties drawn from the
  // seed), until the routine fits or only the primer is left.
  estimate = LowerLevelsToFit(catalog, words, budget_ms, *estimate, planned, &routine);
  if (!estimate.ok()) return estimate.status();
  estimate = LeaveOutToFit(catalog, words, budget_ms, *estimate, random, planned, &routine);
  if (!estimate.ok()) return estimate.status();
  if (*estimate > budget_ms) return PrimerOverBudgetError(*primer, *estimate, budget_ms, profile);
  routine.set_estimated_duration_ms(*estimate);
  NameRoutine(catalog, words, &routine);
  return routine;
}

}  // namespace regimen
