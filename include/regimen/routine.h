// Routines against a catalog: the prescription a block runs with, whether a routine is valid,
// and how long it lasts by the one timing model of docs/timing.md.
//
//   const regimen::Catalog& pack = regimen::Catalog::Default();
//   const regimen::v1::Routine* basics = pack.FindRoutine("back_basics");
//   std::vector<regimen::ValidationError> errors = regimen::ValidateRoutine(*basics, pack);
//   absl::StatusOr<int64_t> ms = regimen::EstimateRoutineMs(*basics, pack);  // 253000
//
// The session engine (src/session/) runs the same model (src/model/timing.h).
// Thread-safe: the functions keep no state.
#ifndef REGIMEN_ROUTINE_H_
#define REGIMEN_ROUTINE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "regimen/catalog.h"
#include "regimen/v1/exercise.pb.h"
#include "regimen/v1/routine.pb.h"
#include "regimen/v1/session.pb.h"

namespace regimen {

// Hard bounds that hold for every exercise, whatever its safe ranges say.
inline constexpr int64_t kMaxRestAfterMs = 300000;        // Block.rest_after_ms: 0..300000
inline constexpr int64_t kMaxRestBetweenRepsMs = 300000;  // Prescription.rest_between_reps_ms
inline constexpr uint32_t kMaxBiasExtraReps = 3;          // SideBias.extra_reps: 0..3
inline constexpr int64_t kMaxRestBetweenSetsMs = 300000;  // Prescription.rest_between_sets_ms
inline constexpr uint32_t kMaxSetsPerBlock = 100;         // Prescription.sets (0 means 1)
inline constexpr uint32_t kMaxRepsPerSet = 100;           // Prescription.reps, per side
inline constexpr int64_t kMaxPhaseMs = 600000;            // a phase's length (and a cue's offset)

// `given` with every unset field taken from `defaults` (see Prescription in exercise.proto: 0 for
// sets, reps, tempo parts and oscillations, no hold amount, absent rests, no bias, no first side).
v1::Prescription WithDefaults(const v1::Prescription& given, const v1::Prescription& defaults);

// The prescription `block` runs with: its own, with every unset field taken from
// `exercise.default_prescription` (all of it when the block has none). Zero `sets` / `reps`
// left after that are read with EffectiveSets / EffectiveReps.
v1::Prescription EffectivePrescription(const v1::Block& block, const v1::Exercise& exercise);

// `sets` and `reps` with their defaults applied: 0 means 1.
uint32_t EffectiveSets(const v1::Prescription& prescription);
uint32_t EffectiveReps(const v1::Prescription& prescription);

// The sides of the reps of one set, in order (docs/timing.md "Reps and sides"): `reps` reps
// with no side for bilateral exercises; first, other, first, other … (2 × reps) for
// alternating; `reps` on the first side then `reps` on the other for per-side; then the bias's
// extra reps on its side. `first_side` unspecified means LEFT. A bias on a bilateral exercise
// adds its extra reps with no side.
std::vector<v1::Side> RepSides(const v1::Prescription& prescription, v1::Laterality laterality);

// Every problem of `prescription` for `exercise`: each quantity inside the exercise's safe
// ranges (a range with max 0 forbids the quantity), tempo present when a phase is tempo-timed,
// a hold present when a phase takes the prescribed hold, the hard bounds above. Paths start
// with `path`, e.g. "blocks[1].prescription" gives
// "blocks[1].prescription.reps: must be 4..12 for prone_lift, got 20". Empty when valid.
std::vector<ValidationError> ValidatePrescription(const v1::Prescription& prescription,
                                                  const v1::Exercise& exercise,
                                                  const std::string& path);

// Every problem of `routine` against `catalog`: at least one block, at most
// kMaxBlocksPerRoutine (RESOURCE_EXHAUSTED), the first block the catalog's primer when it has
// one (Catalog::Primer; "blocks[0]: a routine starts with the primer grow_through_spine, got
// prone_lift"), known exercise ids, prescriptions (effective ones)
// valid for their exercise, lead_cue_ids naming cues of the exercise, rest_after_ms in
// 0..kMaxRestAfterMs, and at most kMaxRoutineMs in all by EstimateRoutineMs with default
// options (RESOURCE_EXHAUSTED). Paths are relative to the routine: "blocks[2].exercise_id".
std::vector<ValidationError> ValidateRoutine(const v1::Routine& routine, const Catalog& catalog);

// The length in ms of a phase timed by `spec` under `prescription` (docs/timing.md): -1 for an
// open-ended phase without timeout; 0 when the prescription lacks the tempo or hold the spec
// refers to (validation refuses that) or the spec is unset.
int64_t PhaseDurationMs(const v1::DurationSpec& spec, const v1::Prescription& prescription,
                        int64_t breath_ms);

// The length of `routine` in ms, summing every step of docs/timing.md under `options`
// (unset fields take their defaults: breaths 5000 ms, count-in 5000 ms); open-ended phases
// count their timeout (0 when none). Errors: NOT_FOUND for a block whose exercise is not in
// the catalog (message names the block and id); INVALID_ARGUMENT for options out of range
// (breath_period_ms 2000..15000, count_in_ms 0..30000). The routine is not otherwise validated.
absl::StatusOr<int64_t> EstimateRoutineMs(const v1::Routine& routine, const Catalog& catalog,
                                          const v1::SessionOptions& options = {});

}  // namespace regimen

#endif  // REGIMEN_ROUTINE_H_
