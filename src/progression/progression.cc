// The public Progress entry points (include/regimen/progression.h, docs/progression.md): the
// request's records and routine are checked here, then the Decider (decider.h) decides.
#include "regimen/progression.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "regimen/generator.h"
#include "regimen/l10n.h"
#include "src/catalog/catalog_internal.h"
#include "src/generator/profile_util.h"
#include "src/progression/decider.h"
#include "src/progression/records.h"

namespace regimen {
namespace {

using internal::Decider;
using internal::Lookups;

// ValidateRoutine(routine, catalog), with the catalog's answers remembered for the decision.
absl::Status CheckRoutine(const v1::Routine& routine, const v1::Exercise* primer,
                          Lookups& lookups) {
  std::vector<ValidationError> errors;
  const internal::ExerciseLookup exercises = [&lookups](absl::string_view id) {
    return lookups.Exercise(id);
  };
  const internal::LadderLookup ladders = [&lookups](absl::string_view id) {
    return lookups.Ladder(id);
  };
  internal::ValidateRoutineWith(routine, exercises, &ladders, primer, "", &errors);
  if (!errors.empty()) {
    for (ValidationError& error : errors) error.path = absl::StrCat("routine.", error.path);
    return ErrorsToStatus(errors);
  }
  if (routine.levels_size() != 0 && routine.levels_size() != routine.blocks_size()) {
    return absl::InvalidArgumentError(absl::StrCat("routine.levels: has ", routine.levels_size(),
                                                   " entries for ", routine.blocks_size(),
                                                   " blocks"));
  }
  for (int i = 0; i < routine.levels_size(); ++i) {
    const v1::Ladder* ladder = lookups.Ladder(routine.blocks(i).exercise_id());
    const int size = ladder == nullptr ? 1 : std::max(1, ladder->levels_size());
    if (routine.levels(i) >= static_cast<uint32_t>(size)) {
      return absl::InvalidArgumentError(
          absl::StrCat("routine.levels[", i, "]: ", routine.blocks(i).exercise_id(), " has ", size,
                       size == 1 ? " level (0)" : absl::StrCat(" levels (0..", size - 1, ")"),
                       ", got ", routine.levels(i)));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::ProgressDecision> Progress(const Catalog& catalog,
                                              const v1::ProgressRequest& request) {
  v1::ProgressDecision decision;
  if (absl::Status status = Progress(catalog, request, &decision); !status.ok()) return status;
  return decision;
}

absl::Status Progress(const Catalog& pack, const v1::ProgressRequest& request,
                      v1::ProgressDecision* decision) {
  // The decision is written in the profile's locale: the pack in that locale has the same
  // exercises, ladders and rules, with translated texts.
  std::optional<LocalizedCatalog> localized;
  if (!request.profile().locale().empty()) {
    absl::StatusOr<LocalizedCatalog> found = pack.Localize(request.profile().locale());
    if (!found.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("profile.locale: ", found.status().message()));
    }
    localized = *std::move(found);
  }
  const Catalog& catalog = localized.has_value() ? localized->catalog : pack;
  // The decision reads only the profile's conditions and attestations and its session budget
  // (SessionBudgetMs applies the defaults itself), so the normalized copy is needed only to
  // generate a routine.
  const bool generate = request.routine().blocks_size() == 0;
  absl::StatusOr<v1::Profile> normalized;
  if (generate) {
    normalized = NormalizeProfile(catalog, request.profile());
    if (!normalized.ok()) return normalized.status();
  } else if (absl::Status status = internal::CheckProfile(catalog, request.profile());
             !status.ok()) {
    return status;
  }
  const v1::Profile& profile = generate ? *normalized : request.profile();
  if (absl::Status status = internal::CheckRecords(request); !status.ok()) return status;
  Lookups lookups(catalog);
  v1::Routine generated;
  const v1::Routine* routine = &request.routine();
  if (generate) {
    absl::StatusOr<v1::Routine> fresh = GenerateRoutine(pack, profile);
    if (!fresh.ok()) return fresh.status();
    generated = *std::move(fresh);
    routine = &generated;
  } else if (absl::Status status = CheckRoutine(*routine, catalog.Primer(), lookups);
             !status.ok()) {
    return status;
  }
  absl::InlinedVector<const v1::SessionRecord*, 16> records;
  records.reserve(static_cast<size_t>(request.records_size()));
  for (const v1::SessionRecord& record : request.records()) records.push_back(&record);
  Decider decider(catalog, lookups, profile, records, decision);
  if (absl::Status status = decider.Decide(*routine); !status.ok()) return status;
  // An unknown locale falls back to the pack's language, with a note (first, as the
  // generator's).
  if (localized.has_value() && !localized->note.empty()) {
    auto* notes = decision->mutable_routine()->mutable_notes();
    notes->Add()->assign(localized->note);
    std::rotate(notes->begin(), notes->end() - 1, notes->end());
  }
  return absl::OkStatus();
}

}  // namespace regimen
