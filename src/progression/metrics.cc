// Metrics over session records and the evaluation of rule conditions.
#include "src/progression/metrics.h"

#include <algorithm>
#include <cmath>

namespace regimen::internal {
namespace {

// reps done / reps planned of one block; a block that did not complete counts at most
// planned - 1 reps, so that it never reads as complete.
double BlockRatio(const v1::BlockRecord& block) {
  uint64_t planned = 0;
  uint64_t done = 0;
  for (const v1::SideRecord& side : block.sides()) {
    planned += side.reps_planned();
    done += std::min(side.reps_done(), side.reps_planned());
  }
  if (block.outcome() == v1::BLOCK_OUTCOME_COMPLETED) {
    return planned == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(planned);
  }
  if (planned == 0) return 0.0;
  return static_cast<double>(std::min(done, planned - 1)) / static_cast<double>(planned);
}

// The lowest completion of the blocks of `exercise` (every block when empty) in `record`; 0
// when it has none.
double RecordRatio(const v1::SessionRecord& record, absl::string_view exercise) {
  double lowest = 2.0;
  for (const v1::BlockRecord& block : record.blocks()) {
    if (!exercise.empty() && block.exercise_id() != exercise) continue;
    lowest = std::min(lowest, BlockRatio(block));
  }
  return lowest > 1.0 ? 0.0 : lowest;
}

// The lowest completion of the blocks of `exercise` done at ladder `level` in `record`; -1 when
// it has none.
double LevelRatio(const v1::SessionRecord& record, absl::string_view exercise, uint32_t level) {
  double lowest = -1;
  for (const v1::BlockRecord& block : record.blocks()) {
    if (block.exercise_id() != exercise || block.level() != level) continue;
    const double ratio = BlockRatio(block);
    lowest = lowest < 0 ? ratio : std::min(lowest, ratio);
  }
  return lowest;
}

bool Compare(double value, v1::Comparison op, double threshold) {
  // Metric values are counts, pains, means of small integers and ratios: compare with a little
  // slack so 0.1 + 0.2 style rounding never flips a decision.
  constexpr double kSlack = 1e-9;
  switch (op) {
    case v1::LT:
      return value < threshold - kSlack;
    case v1::LE:
      return value <= threshold + kSlack;
    case v1::EQ:
      return std::fabs(value - threshold) <= kSlack;
    case v1::GE:
      return value >= threshold - kSlack;
    case v1::GT:
      return value > threshold + kSlack;
    default:
      return false;
  }
}

}  // namespace

RecordSpan LastRecords(RecordSpan records, uint32_t window) {
  const size_t n = std::min<size_t>(records.size(), window);
  return records.subspan(records.size() - n);
}

int MaxPain(const v1::SessionRecord& record, absl::string_view exercise) {
  int pain = -1;
  for (const v1::ReportRecord& report : record.reports()) {
    if (report.kind() == v1::REPORT_PAIN && Counts(exercise, report.exercise_id())) {
      pain = std::max(pain, report.value());
    }
  }
  for (const v1::SafetyStopRecord& stop : record.safety_stops()) {
    if (Counts(exercise, stop.exercise_id())) pain = std::max(pain, stop.pain());
  }
  return pain;
}

bool HasAsymmetry(const v1::SessionRecord& record, absl::string_view exercise) {
  for (const v1::ReportRecord& report : record.reports()) {
    if (report.kind() == v1::REPORT_ASYMMETRY && Counts(exercise, report.exercise_id())) {
      return true;
    }
  }
  return false;
}

int SafetyStops(const v1::SessionRecord& record, absl::string_view exercise) {
  // A session that ended in a safety stop without saying where (a record written by another
  // host) had a stop all the same: it counts as one made outside any exercise, for every one.
  if (record.end() == v1::SESSION_END_SAFETY_STOP && record.safety_stops().empty()) return 1;
  int stops = 0;
  for (const v1::SafetyStopRecord& stop : record.safety_stops()) {
    if (Counts(exercise, stop.exercise_id())) ++stops;
  }
  return stops;
}

bool CompletedInFull(const v1::SessionRecord& record) {
  if (record.end() != v1::SESSION_END_COMPLETED || record.skips() > 0 ||
      record.safety_stops_size() > 0 || record.blocks_size() == 0) {
    return false;
  }
  for (const v1::BlockRecord& block : record.blocks()) {
    if (block.outcome() != v1::BLOCK_OUTCOME_COMPLETED) return false;
  }
  return true;
}

double MetricValue(const v1::MetricCondition& condition, RecordSpan records,
                   absl::string_view exercise, uint32_t level) {
  switch (condition.metric()) {
    case v1::METRIC_COMPLETION_RATIO: {
      if (records.empty()) return 0.0;
      double lowest = 1.0;
      for (const v1::SessionRecord* record : records) {
        lowest = std::min(lowest, RecordRatio(*record, exercise));
      }
      return lowest;
    }
    case v1::METRIC_MAX_PAIN: {
      int pain = 0;
      for (const v1::SessionRecord* record : records)
        pain = std::max(pain, MaxPain(*record, exercise));
      return pain;
    }
    case v1::METRIC_MEAN_EFFORT: {
      int64_t sum = 0;
      int64_t count = 0;
      for (const v1::SessionRecord* record : records) {
        for (const v1::ReportRecord& report : record->reports()) {
          if (report.kind() == v1::REPORT_EFFORT && Counts(exercise, report.exercise_id())) {
            sum += report.value();
            ++count;
          }
        }
      }
      return count == 0 ? 0.0 : static_cast<double>(sum) / static_cast<double>(count);
    }
    case v1::METRIC_ASYMMETRY_COUNT: {
      int sessions = 0;
      for (const v1::SessionRecord* record : records) sessions += HasAsymmetry(*record, exercise);
      return sessions;
    }
    case v1::METRIC_SESSION_COUNT:
      return static_cast<double>(records.size());
    case v1::METRIC_SAFETY_STOPS: {
      int stops = 0;
      for (const v1::SessionRecord* record : records) stops += SafetyStops(*record, exercise);
      return stops;
    }
    case v1::METRIC_COMPLETED_SESSIONS: {
      int run = 0;
      for (size_t i = records.size(); i > 0 && CompletedInFull(*records[i - 1]); --i) ++run;
      return run;
    }
    case v1::METRIC_LOW_COMPLETION_SESSIONS: {
      int sessions = 0;
      for (const v1::SessionRecord* record : records) {
        const double ratio = exercise.empty() ? RecordRatio(*record, exercise)
                                              : LevelRatio(*record, exercise, level);
        sessions += ratio >= 0 && Compare(ratio, v1::LT, condition.completion_below());
      }
      return sessions;
    }
    case v1::METRIC_SESSIONS_AT_LEVEL: {
      if (exercise.empty()) return static_cast<double>(records.size());
      int run = 0;
      for (size_t i = records.size(); i > 0; --i) {
        bool at_level = false;
        for (const v1::BlockRecord& block : records[i - 1]->blocks()) {
          if (block.exercise_id() == exercise && block.level() == level) at_level = true;
        }
        if (!at_level) break;
        ++run;
      }
      return run;
    }
    default:
      return 0.0;
  }
}

bool Evaluate(const v1::Condition& condition, RecordSpan records, const v1::Profile& profile,
              absl::string_view exercise, uint32_t level, Phrases* why) {
  switch (condition.kind_case()) {
    case v1::Condition::kMetric: {
      const v1::MetricCondition& metric = condition.metric();
      const uint32_t window = std::clamp<uint32_t>(metric.window(), 1, 52);
      const absl::string_view scope =
          metric.exercise_id().empty() ? exercise : absl::string_view(metric.exercise_id());
      const RecordSpan recent = LastRecords(records, window);
      const double value = MetricValue(metric, recent, scope, level);
      if (!Compare(value, metric.op(), metric.value())) return false;
      Phrase phrase;
      phrase.window = window;
      phrase.metric = metric.metric();
      phrase.op = metric.op();
      phrase.value = value;
      phrase.threshold = metric.value();
      phrase.below = metric.completion_below();
      phrase.whole_session = scope.empty();
      if (!metric.exercise_id().empty() && metric.exercise_id() != exercise) {
        phrase.in = metric.exercise_id();
      }
      why->push_back(phrase);
      return true;
    }
    case v1::Condition::kAll: {
      const size_t mark = why->size();
      for (const v1::Condition& sub : condition.all().conditions()) {
        if (!Evaluate(sub, records, profile, exercise, level, why)) {
          why->resize(mark);
          return false;
        }
      }
      return true;
    }
    case v1::Condition::kAny: {
      for (const v1::Condition& sub : condition.any().conditions()) {
        if (Evaluate(sub, records, profile, exercise, level, why)) return true;
      }
      return false;
    }
    case v1::Condition::kAttested: {
      for (const std::string& attestation : profile.attestations()) {
        if (attestation == condition.attested()) {
          Phrase phrase;
          phrase.attested = true;
          phrase.attestation = attestation;
          why->push_back(phrase);
          return true;
        }
      }
      return false;
    }
    case v1::Condition::KIND_NOT_SET:
      return true;
  }
  return false;
}

}  // namespace regimen::internal
