// The one timing model (docs/timing.md): session options with their defaults and ranges, how
// long a phase lasts under a prescription, which side each rep of a set is on, the shape of a
// set (reps and side switches), and a block's length from its phases. The estimate
// (EstimateRoutineMs), the plan compiler (CompilePlan, PlannedSessionMs), the prepared plan and
// the session engine all use these, so that what is planned is what runs.
//
// Arithmetic saturates at INT64_MAX, so that an unvalidated routine with absurd numbers yields a
// huge total instead of undefined behaviour.
#ifndef REGIMEN_SRC_MODEL_TIMING_H_
#define REGIMEN_SRC_MODEL_TIMING_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "regimen/v1/exercise.pb.h"
#include "regimen/v1/plan.pb.h"
#include "regimen/v1/routine.pb.h"
#include "regimen/v1/session.pb.h"

namespace regimen::timing {

// A session option's default and allowed range.
struct OptionRange {
  const char* name;  // the SessionOptions field
  int64_t default_value, min, max;
};
inline constexpr OptionRange kBreathPeriodMs{"breath_period_ms", 5000, 2000, 15000};
inline constexpr OptionRange kCountInMs{"count_in_ms", 5000, 0, 30000};
inline constexpr OptionRange kWordsPerMinute{"words_per_minute", 150, 60, 400};
inline constexpr OptionRange kPainStopThreshold{"pain_stop_threshold", 6, 1, 10};
inline constexpr OptionRange kCueLeadMs{"cue_lead_ms", 0, 0, 5000};
inline constexpr OptionRange kCueGapMs{"cue_gap_ms", 250, 0, 5000};
inline constexpr OptionRange kMaxCueDelayMs{"max_cue_delay_ms", 4000, 0, 600000};

// `options` with every unset field at its default. Errors: INVALID_ARGUMENT
// "options.NAME: must be MIN..MAX, got V" for the first value out of its range.
absl::StatusOr<v1::SessionOptions> ResolveOptions(const v1::SessionOptions& options);
// Clears the options that hold their default value (snapshots leave them out).
void ClearDefaultOptions(v1::SessionOptions* options);
// An option's value, or its default when unset.
int64_t BreathPeriodMs(const v1::SessionOptions& options);
int64_t CountInMs(const v1::SessionOptions& options);

// Saturating arithmetic on non-negative values.
int64_t SatAdd(int64_t a, int64_t b);
int64_t SatMul(int64_t a, int64_t b);

// The length in ms of a phase timed by `spec` under `prescription`: -1 for an open-ended phase
// without timeout; 0 when the prescription lacks the tempo or hold the spec refers to, or the
// spec is unset.
int64_t PhaseMs(const v1::DurationSpec& spec, const v1::Prescription& prescription,
                int64_t breath_ms);

bool IsSided(v1::Laterality laterality);

// How the reps of one set fall on the sides.
struct SetPattern {
  v1::Laterality laterality = v1::LATERALITY_BILATERAL;
  int64_t reps = 1;                           // per side for sided exercises
  v1::Side first_side = v1::LEFT;             // sided exercises
  int64_t bias_reps = 0;                      // the side bias's extra reps
  v1::Side bias_side = v1::SIDE_UNSPECIFIED;  // sided exercises: where the extra reps go
};
// The pattern of a block run with `prescription` (sets and reps 0 mean 1; a bias on a sided
// exercise needs a side, on a bilateral one it adds its reps with no side).
SetPattern PatternOf(const v1::Prescription& prescription, v1::Laterality laterality);
// The pattern of a compiled plan block (CompilePlan wrote the fields above into it).
SetPattern PatternOf(const v1::PlanBlock& block, v1::Laterality laterality);

// The side of rep `rep` (0-based, below SetShape(pattern).reps): bilateral none; alternating
// first, other, first …; per side `reps` on the first side then `reps` on the other; then the
// bias reps on the bias side.
v1::Side RepSide(const SetPattern& pattern, int64_t rep);

// The reps of one set and how many of them follow a side change.
struct SetShape {
  int64_t reps = 0;
  int64_t switches = 0;
};
SetShape ShapeOf(const SetPattern& pattern);

// The phases of an exercise summed by where they run (exercise start, set start, each rep, the
// side switch before a rep on the other side, exercise end).
struct PhaseTotals {
  int64_t exercise_start = 0, set_start = 0, rep = 0, switch_side = 0, exercise_end = 0;
  void Add(v1::PhaseScope scope, v1::PhaseKind kind, int64_t ms);
};

// A block's rests.
struct BlockRests {
  int64_t between_reps_ms = 0, between_sets_ms = 0, after_ms = 0;
};

// A block's length: its start and end phases, each set (set-start phases, reps, switches, rests
// between reps), the rests between sets and the rest after it.
int64_t BlockMs(const PhaseTotals& phases, const SetShape& shape, int64_t sets,
                const BlockRests& rests);

}  // namespace regimen::timing

#endif  // REGIMEN_SRC_MODEL_TIMING_H_
