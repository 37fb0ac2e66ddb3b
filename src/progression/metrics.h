// Measures over recent session records, as the progression rules name them (v1::Metric), and
// the evaluation of a rule's condition tree with the words that explain it. Not public.
#ifndef REGIMEN_SRC_PROGRESSION_METRICS_H_
#define REGIMEN_SRC_PROGRESSION_METRICS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "regimen/v1/profile.pb.h"
#include "regimen/v1/progression.pb.h"
#include "regimen/v1/session.pb.h"

namespace regimen::internal {

using RecordSpan = absl::Span<const v1::SessionRecord* const>;

// The most recent `window` records (all when fewer).
RecordSpan LastRecords(RecordSpan records, uint32_t window);

// Whether a report or stop made in exercise `report_exercise` counts for `exercise`: every one
// does when `exercise` is empty (the whole session), else those made in it and those made
// outside any exercise (count-in, rest), which are not known to belong elsewhere.
inline bool Counts(absl::string_view exercise, absl::string_view report_exercise) {
  return exercise.empty() || report_exercise.empty() || report_exercise == exercise;
}

// Highest pain reported (reports and safety stops) in `record` for `exercise`; -1 when none.
int MaxPain(const v1::SessionRecord& record, absl::string_view exercise);
// Whether `record` holds an asymmetry report for `exercise`.
bool HasAsymmetry(const v1::SessionRecord& record, absl::string_view exercise);
// Safety stops in `record` for `exercise`; a record that ended SESSION_END_SAFETY_STOP with no
// SafetyStopRecord counts one stop made outside any exercise.
int SafetyStops(const v1::SessionRecord& record, absl::string_view exercise);
// The session ran to its end (SESSION_END_COMPLETED: not stopped, not ended by a safety stop)
// with every block completed, no skip and no safety stop.
bool CompletedInFull(const v1::SessionRecord& record);

// The value of `condition`'s metric over `records` (already the window) for `exercise` ("" =
// whole session) at ladder level `level` (for METRIC_SESSIONS_AT_LEVEL and
// METRIC_LOW_COMPLETION_SESSIONS).
double MetricValue(const v1::MetricCondition& condition, RecordSpan records,
                   absl::string_view exercise, uint32_t level);

// One piece of an explanation, kept as numbers until the words are needed (AppendWhy, in
// words.h): a metric phrase reads "max pain 2 ≤ 3" (plus " in <exercise>" when `in` is set)
// under the scope "last 2 sessions"; an attestation phrase reads "attests x" with no scope. The
// views point into the catalog and the profile, which outlive it.
struct Phrase {
  bool attested = false;
  uint32_t window = 0;
  v1::Metric metric = v1::METRIC_UNSPECIFIED;
  v1::Comparison op = v1::COMPARISON_UNSPECIFIED;
  double value = 0;
  double threshold = 0;
  // METRIC_LOW_COMPLETION_SESSIONS: the completion a session counts below, and whether the
  // metric looked at whole sessions (no exercise, so no level).
  double below = 0;
  bool whole_session = false;
  absl::string_view in;
  absl::string_view attestation;
};
using Phrases = absl::InlinedVector<Phrase, 8>;

// Evaluates `condition` for `exercise` (at ladder `level`) over `records` (oldest first; each
// metric takes its own window) and the profile's attestations. An unset condition holds. When it
// holds, `why` receives the phrases that show it (for `any`, those of the first sub-condition that
// holds); when it does not, `why` is left as it was.
bool Evaluate(const v1::Condition& condition, RecordSpan records, const v1::Profile& profile,
              absl::string_view exercise, uint32_t level, Phrases* why);

}  // namespace regimen::internal

#endif  // REGIMEN_SRC_PROGRESSION_METRICS_H_
