// Progression: from the routine done so far, the profile and the records of recent sessions,
// decide the next routine, exercise by exercise, with every change and its reason in words.
//
//   regimen::v1::ProgressRequest request;
//   *request.mutable_routine() = current_routine;   // as generated or as last decided
//   *request.mutable_profile() = profile;
//   *request.add_records() = session.Record();       // oldest first
//   absl::StatusOr<regimen::v1::ProgressDecision> decision =
//       regimen::Progress(regimen::Catalog::Default(), request);
//   // decision->routine() is the next routine; decision->changes() say what changed and why.
//
// The rules are data: Catalog.rules (the default pack holds the defaults; docs/progression.md
// describes them and the order in which they are evaluated). Whatever the rules say, these hold
// (the safety rules of the engine, which win every conflict):
//   - a gated exercise is in the next routine only while the profile holds every attestation of
//     its gate and the records meet the gate's history requirement; it is locked otherwise;
//   - no exercise contraindicated by one of the profile's conditions is prescribed; a
//     primer_only condition gives the primer alone;
//   - an exercise advances only if its latest record shows no pain above 3 and no safety stop in
//     it; it moves at most one ladder level per decision;
//   - every prescription lies inside its exercise's safe ranges, and the routine inside the
//     session budget of the profile.
//
// Deterministic: the same request and catalog give the same decision. Thread-safe.
#ifndef REGIMEN_PROGRESSION_H_
#define REGIMEN_PROGRESSION_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "regimen/catalog.h"
#include "regimen/v1/progression.pb.h"
#include "regimen/v1/session.pb.h"

namespace regimen {

// The pain-monitoring model the defaults follow: 0..3 is safe, 4..5 acceptable, above 5 not.
inline constexpr int kSafePainMax = 3;

// The next routine and what changed. An empty request.routine starts from
// GenerateRoutine(catalog, request.profile).
// Errors: INVALID_ARGUMENT naming the field path ("routine.blocks[2].exercise_id: unknown
// exercise \"x\"", "routine.levels[1]: prone_lift has 6 levels (0..5), got 7", a first block
// that is not the primer, a profile error as in NormalizeProfile; a record with a pain or effort
// out of 0..10, a done count above its planned count, "records[2].blocks[1].sides[0].reps_done: 5
// done of 4 planned", a negative duration, or times that run backwards,
// "records[0].reports[3].at_ms: ... runs backwards"); OUT_OF_RANGE when even the primer alone does
// not fit the session budget.
absl::StatusOr<v1::ProgressDecision> Progress(const Catalog& catalog,
                                              const v1::ProgressRequest& request);

// The same decision, written into *decision (which must not be part of `request`), reusing its
// memory: whatever *decision held is replaced, and its blocks, changes and strings are recycled.
// A loop that keeps one decision and swaps its routine into the next request
// (request.mutable_routine()->Swap(decision.mutable_routine())) allocates little per call.
// The same errors; on an error *decision holds no usable decision.
absl::Status Progress(const Catalog& catalog, const v1::ProgressRequest& request,
                      v1::ProgressDecision* decision);

// Whether `records` (oldest first) meet `requirement` over the most recent
// `requirement.sessions` of them. When they do not and `why` is not null, *why says which part
// failed, with the numbers ("last 4 sessions: max pain 7 > 3").
bool HistoryMet(const v1::HistoryRequirement& requirement,
                absl::Span<const v1::SessionRecord* const> records, std::string* why = nullptr);
// The same, *why in the locale of `words` (a catalog from Catalog::Localize).
bool HistoryMet(const v1::HistoryRequirement& requirement,
                absl::Span<const v1::SessionRecord* const> records, const Catalog& words,
                std::string* why);

}  // namespace regimen

#endif  // REGIMEN_PROGRESSION_H_
