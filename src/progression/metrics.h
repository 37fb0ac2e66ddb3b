// Measures over recent session records, as the progression rules name them (v1::Metric), and
// the evaluation of a rule's condition tree with the words that explain it. Not public.
#ifndef REGIMEN_SRC_PROGRESSION_METRICS_H_
#define REGIMEN_SRC_PROGRESSION_METRICS_H_

#include <string>
#include <vector>

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
// Safety stops in `record` for `exercise`.
int SafetyStops(const v1::SessionRecord& record, absl::string_view exercise);
// The session ran to its end with every block completed, no skip and no safety stop.
bool CompletedInFull(const v1::SessionRecord& record);

// The value of `metric` over `records` (already the window) for `exercise` ("" = whole session)
// at ladder level `level` (for METRIC_SESSIONS_AT_LEVEL).
double MetricValue(v1::Metric metric, RecordSpan records, absl::string_view exercise,
                   uint32_t level);

// One piece of an explanation: `scope` such as "last 2 sessions" ("" for none) and `text`
// such as "max pain 2 ≤ 3".
struct Phrase {
  std::string scope;
  std::string text;
};

// Evaluates `condition` for `exercise` (at ladder `level`) over `records` (oldest first; each
// metric takes its own window) and the profile's attestations. An unset condition holds. When it
// holds, `why` receives the phrases that show it (for `any`, those of the first sub-condition that
// holds).
bool Evaluate(const v1::Condition& condition, RecordSpan records, const v1::Profile& profile,
              absl::string_view exercise, uint32_t level, std::vector<Phrase>* why);

// The phrases joined: "last 2 sessions: completion 100% ≥ 100%, max pain 2 ≤ 3; attests x".
std::string JoinWhy(const std::vector<Phrase>& why);

}  // namespace regimen::internal

#endif  // REGIMEN_SRC_PROGRESSION_METRICS_H_
