// Compiling a routine into a session plan: the catalog's exercises, cues and the routine's
// prescriptions resolved into one self-contained message (regimen.v1.Plan) that a Session runs
// from and a snapshot carries.
//
//   absl::StatusOr<regimen::v1::Plan> plan =
//       regimen::CompilePlan(regimen::Catalog::Default(), *routine, options);
//   if (!plan.ok()) { /* "blocks[2].prescription.reps: must be 1..10 for prone_lift, got 12" */ }
//
// Thread-safe: the functions keep no state.
#ifndef REGIMEN_PLAN_H_
#define REGIMEN_PLAN_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "regimen/catalog.h"
#include "regimen/v1/plan.pb.h"
#include "regimen/v1/routine.pb.h"
#include "regimen/v1/session.pb.h"

namespace regimen {

// The version of the Plan message this library writes and reads.
inline constexpr uint32_t kPlanVersion = 1;

// Bounds of a plan: cues per exercise, session cues, text variants per cue (besides its text).
inline constexpr size_t kMaxCuesPerExercise = 256;
inline constexpr size_t kMaxSessionCues = 256;
inline constexpr size_t kMaxVariants = 64;

// `options` with every unset field given its default (breath 5000 ms, count-in 5000 ms,
// 150 words per minute, pain stop 6, cue lead 0, cue gap 250 ms, max cue delay 4000 ms).
// Errors: INVALID_ARGUMENT naming the option and its allowed range when a value is outside it.
absl::StatusOr<v1::SessionOptions> ResolveSessionOptions(const v1::SessionOptions& options);

// The speaking time of `text` at `words_per_minute`: words × 60000 / wpm, rounded up (words are
// runs of non-space characters). At least 1 ms for a non-empty text.
int64_t EstimateSpeakMs(absl::string_view text, uint32_t words_per_minute);

// Compiles `routine` against `catalog`. Every block's exercise must exist and its effective
// prescription (the block's, else the exercise's default) must lie in the exercise's safe
// ranges. Errors: INVALID_ARGUMENT with the path of the offending field, e.g.
// "blocks[1].exercise_id: unknown exercise \"nope\"" (an empty routine is an error too; so is
// a first block that is not the catalog's primer, see ValidateRoutine) or an attestation in
// `options` that the catalog does not declare; FAILED_PRECONDITION when a block's exercise is
// gated and `options.attestations` lack one its gate names ("blocks[4]: exercise prone_rock is
// gated and the session options lack the attestation spine_flexible_strong_balanced ..."): the
// attestation half of the gate, checked here so that no session of such a routine is made.
// The history half (a pain-free, balanced record) is progression's (progression.h).
// RESOURCE_EXHAUSTED when the routine has more than kMaxBlocksPerRoutine blocks or lasts more
// than kMaxRoutineMs.
absl::StatusOr<v1::Plan> CompilePlan(const Catalog& catalog, const v1::Routine& routine,
                                     const v1::SessionOptions& options = {});

// Checks a plan that did not come from CompilePlan (e.g. from a snapshot): version, indexes,
// durations and sizes. Errors: INVALID_ARGUMENT naming the field; FAILED_PRECONDITION for
// another version.
absl::Status ValidatePlan(const v1::Plan& plan);

// The planned length of the session the plan describes when nothing interrupts it, ms:
// docs/timing.md's sum.
int64_t PlannedSessionMs(const v1::Plan& plan);

}  // namespace regimen

#endif  // REGIMEN_PLAN_H_
