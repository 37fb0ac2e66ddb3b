// Helpers shared by generation, progression and schedules (not public).
#ifndef REGIMEN_SRC_GENERATOR_PROFILE_UTIL_H_
#define REGIMEN_SRC_GENERATOR_PROFILE_UTIL_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regimen/catalog.h"
#include "regimen/v1/exercise.pb.h"
#include "regimen/v1/profile.pb.h"
#include "regimen/v1/routine.pb.h"

namespace regimen::internal {

// Minutes after midnight of a local "HH:MM". Errors: INVALID_ARGUMENT (message without a path).
absl::StatusOr<int> ParseClock(absl::string_view text);

// The checks of NormalizeProfile, with the same errors, without building the normalized copy.
// Everything but level, minutes_per_week, sessions_per_week, time_zone, wake_time and
// sleep_time (the fields given defaults) reads the same in `profile` and its normalized copy.
absl::Status CheckProfile(const Catalog& catalog, const v1::Profile& profile);

// "4 min 13 s" for 253000 ms (rounded up to the second).
std::string MinutesSeconds(int64_t ms);

// True when the profile holds `id` among its conditions / attestations.
bool HasCondition(const v1::Profile& profile, absl::string_view id);
bool HasAttestation(const v1::Profile& profile, absl::string_view id);

// The first of `exercise`'s contraindications the profile declares, or "" when none.
std::string ContraindicatingCondition(const v1::Exercise& exercise, const v1::Profile& profile);

// The first primer_only condition of the profile, or nullptr.
const v1::ConditionDef* PrimerOnlyCondition(const Catalog& catalog, const v1::Profile& profile);

// Whether a gate's attestations are all held; when not, *missing names the first missing one.
bool GateAttested(const v1::Gate& gate, const v1::Profile& profile, std::string* missing);

// True for an exercise with a gate (attestations or a history requirement).
bool IsGated(const v1::Exercise& exercise);

// The id of the catalog routine with exactly `routine`'s exercises in the same order, else
// "<catalog id>_custom".
std::string RoutineIdFor(const Catalog& catalog, const v1::Routine& routine);

}  // namespace regimen::internal

#endif  // REGIMEN_SRC_GENERATOR_PROFILE_UTIL_H_
