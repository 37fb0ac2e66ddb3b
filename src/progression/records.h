// The check of a progression request's session records: values in range, done never above
// planned, times in order. Not public.
#ifndef REGIMEN_SRC_PROGRESSION_RECORDS_H_
#define REGIMEN_SRC_PROGRESSION_RECORDS_H_

#include "absl/status/status.h"
#include "regimen/v1/progression.pb.h"

namespace regimen::internal {

// INVALID_ARGUMENT naming the first offending field ("records[2].blocks[1].sides[0].reps_done:
// 5 done of 4 planned") when a record of `request` reports a pain or effort outside 0..10, a
// done count (sets, reps, holds) above its planned count, a negative duration, or times that
// run backwards (the end before the start; a report or safety stop before the start, after the
// end, or before the one listed before it). The times are the host's monotonic ms of
// SessionRecord; a record still running (end SESSION_END_UNSPECIFIED) has no end time yet.
absl::Status CheckRecords(const v1::ProgressRequest& request);

}  // namespace regimen::internal

#endif  // REGIMEN_SRC_PROGRESSION_RECORDS_H_
