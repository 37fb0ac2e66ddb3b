// FIT files (Garmin's format, read by Garmin Connect, most watches and many training logs): a
// routine as a structured workout to put on a watch, and a session record as an activity for a
// training log.
//
//   absl::StatusOr<std::string> workout = regimen::ExportFitWorkout(catalog, *routine);
//   std::ofstream("back_basics.fit", std::ios::binary) << *workout;
//
// The bytes are written by the library itself (src/export/): deterministic for the same input.
// Thread-safe.
#ifndef REGIMEN_FIT_H_
#define REGIMEN_FIT_H_

#include <string>

#include "absl/status/statusor.h"
#include "regimen/catalog.h"
#include "regimen/v1/routine.pb.h"
#include "regimen/v1/session.pb.h"

namespace regimen {

// A FIT workout file (file_id type workout, one workout message, its workout_step messages) of
// `routine`, compiled against `catalog` as a session would be (so a routine a session would
// refuse is refused here, with the same error: an unknown exercise, a prescription outside the
// safe ranges, a gated exercise whose attestations `options` lack: FAILED_PRECONDITION).
//
// Steps, per block: one exercise step per side (sided exercises: "Prone leg lift (left)", then
// the right), a rep count (duration_type reps) or, for a single timed rep such as the primer's
// breath-paced hold, its planned time (duration_type time); exercise_category and exercise_name
// from the exercise's `fit` mapping; notes from its setup and instruction cues. More than one set:
// a rest step for the rest between sets, then a repeat_until_steps_cmplt step back to the set's
// first step. The rest after a block: a rest step (intensity rest) of that length.
absl::StatusOr<std::string> ExportFitWorkout(const Catalog& catalog, const v1::Routine& routine,
                                             const v1::SessionOptions& options = {});

// A FIT activity file of a finished (or stopped) session's record: file_id (type activity),
// timer start and stop events, one lap per block reached (from its started_at_ms to its
// ended_at_ms), `set` messages (an active set per block with the reps done and the exercise's
// category, rest sets for the time between: the count-in, rests, pauses), the session
// (total elapsed time, timer time = the record's active time) and the activity.
//
// The record's times must be Unix milliseconds (the host's wall clock, as `regimen play` and most
// apps use): INVALID_ARGUMENT naming the field for a start before 1989-12-31 (FIT's epoch; e.g.
// a simulated session started at 0) or an end before the start. NOT_FOUND for a block whose
// exercise the catalog does not have.
absl::StatusOr<std::string> ExportFitActivity(const Catalog& catalog,
                                              const v1::SessionRecord& record);

}  // namespace regimen

#endif  // REGIMEN_FIT_H_
