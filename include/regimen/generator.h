// Routine generation: a Profile (who exercises, with which conditions and attestations, and how
// much time they give it) becomes a Routine of the catalog's exercises, primer first.
//
//   regimen::v1::Profile profile;
//   profile.set_minutes_per_week(10);
//   profile.set_sessions_per_week(2);
//   absl::StatusOr<regimen::v1::Routine> routine =
//       regimen::GenerateRoutine(regimen::Catalog::Default(), profile);
//   if (!routine.ok()) { /* routine.status().message() names the offending field */ }
//   for (const std::string& note : routine->notes()) { /* what was left out, and why */ }
//
// Deterministic: (catalog, profile, profile.seed) fully decide the output, on every platform.
// Thread-safe: the functions keep no state; a Catalog may be shared.
#ifndef REGIMEN_GENERATOR_H_
#define REGIMEN_GENERATOR_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "regimen/catalog.h"
#include "regimen/v1/profile.pb.h"
#include "regimen/v1/routine.pb.h"

namespace regimen {

// Largest weekly budget a profile may give: every minute of the week.
inline constexpr uint32_t kMaxMinutesPerWeek = 7 * 24 * 60;

// `profile` with every default of profile.proto filled in (level 0 → 1, minutes_per_week 0 → 10,
// sessions_per_week 0 → 2, time_zone "" → "UTC", wake_time "" → "08:00", sleep_time "" →
// "21:00"), after checking every field against `catalog`.
// Errors: INVALID_ARGUMENT naming the field path and the value, e.g.
// "profile.sessions_per_week: must be 1..7, got 9", an unknown condition or attestation, an
// unknown IANA time zone, a time that is not "HH:MM", wake_time not before sleep_time, an invalid
// or repeated weekday.
absl::StatusOr<v1::Profile> NormalizeProfile(const Catalog& catalog, const v1::Profile& profile);

// The time one session may take, ms: minutes_per_week / sessions_per_week of a normalized
// profile.
int64_t SessionBudgetMs(const v1::Profile& normalized_profile);

// A routine for `profile`: the catalog's primer first, then every exercise the profile may do,
// in catalog order, at ladder level (profile level − exercise level, at least 0), inside the time
// budget of one session (SessionBudgetMs). Left out, each with a note in Routine.notes saying why:
// exercises more than one level above the profile's level (a beginner does levels 1 and 2),
// exercises contraindicated by a condition, gated exercises (a generated routine has no history, so
// a gate that asks for one is never met), and exercises that do not fit the budget even after
// lowering ladder levels one step at a time (ties between equals drawn from the seed). A condition
// marked primer_only (acute_back_pain) gives the primer alone, with the condition's advice as a
// note. Routine.levels holds each block's ladder level; Routine.estimated_duration_ms the estimate
// of docs/timing.md. The routine takes the id of the catalog routine with exactly the same
// exercises in the same order (e.g. "back_basics"), else "<catalog id>_custom".
// Errors: INVALID_ARGUMENT (see NormalizeProfile), OUT_OF_RANGE when even the smallest routine
// (the primer alone at its lowest level) does not fit the session budget (the message names the
// minimum in minutes and seconds), FAILED_PRECONDITION when the catalog has no primer.
absl::StatusOr<v1::Routine> GenerateRoutine(const Catalog& catalog, const v1::Profile& profile);

}  // namespace regimen

#endif  // REGIMEN_GENERATOR_H_
