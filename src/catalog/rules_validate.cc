// Validation of a catalog's progression rules: every field of every rule range-checked, with
// its path ("rules[3].when.all.conditions[1].metric.window: must be 1..52, got 0").
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/catalog/catalog_internal.h"

namespace regimen::internal {
namespace {

constexpr uint32_t kMaxWindow = 52;    // MetricCondition.window
constexpr int kMaxConditionDepth = 8;  // nested all / any
constexpr int32_t kMaxPriority = 1000;

// The values a metric can take, so that a threshold outside them (a rule that can never, or
// always, hold) is refused.
struct MetricRange {
  double max = 0;
  const char* what = "";
};

MetricRange RangeOf(v1::Metric metric) {
  switch (metric) {
    case v1::METRIC_COMPLETION_RATIO:
      return {1.0, "a ratio"};
    case v1::METRIC_MAX_PAIN:
    case v1::METRIC_MEAN_EFFORT:
      return {10.0, "a 0..10 scale"};
    default:
      return {static_cast<double>(kMaxWindow), "a count of sessions"};
  }
}

struct RuleContext {
  const v1::Catalog& catalog;
  const ExerciseLookup& find_exercise;
  std::vector<ValidationError>* errors;
};

bool Attestable(const v1::Catalog& catalog, const std::string& id) {
  for (const v1::AttestationDef& a : catalog.attestations()) {
    if (a.id() == id) return true;
  }
  return false;
}

void ValidateMetric(const v1::MetricCondition& metric, const std::string& path,
                    const RuleContext& context) {
  std::vector<ValidationError>* errors = context.errors;
  if (metric.metric() == v1::METRIC_UNSPECIFIED || !v1::Metric_IsValid(metric.metric())) {
    AddError(errors, Join(path, "metric"),
             absl::StrCat("must be one of the metrics (METRIC_COMPLETION_RATIO ...), got ",
                          metric.metric()));
    return;
  }
  if (metric.op() == v1::COMPARISON_UNSPECIFIED || !v1::Comparison_IsValid(metric.op())) {
    AddError(errors, Join(path, "op"),
             absl::StrCat("must be LT, LE, EQ, GE or GT, got ", metric.op()));
  }
  if (metric.window() < 1 || metric.window() > kMaxWindow) {
    AddError(errors, Join(path, "window"),
             absl::StrCat("must be 1..", kMaxWindow, ", got ", metric.window()));
  }
  const MetricRange range = RangeOf(metric.metric());
  if (!std::isfinite(metric.value()) || metric.value() < 0 || metric.value() > range.max) {
    AddError(errors, Join(path, "value"),
             absl::StrCat("must be 0..", range.max, " for ", v1::Metric_Name(metric.metric()), " (",
                          range.what, "), got ", metric.value()));
  }
  const double below = metric.completion_below();
  if (metric.metric() == v1::METRIC_LOW_COMPLETION_SESSIONS && !(below > 0 && below <= 1)) {
    AddError(errors, Join(path, "completion_below"),
             absl::StrCat("must be in (0, 1] for METRIC_LOW_COMPLETION_SESSIONS, got ", below));
  } else if (metric.metric() != v1::METRIC_LOW_COMPLETION_SESSIONS && below != 0) {
    AddError(errors, Join(path, "completion_below"),
             "is used only by METRIC_LOW_COMPLETION_SESSIONS");
  }
  if (!metric.exercise_id().empty() && context.find_exercise(metric.exercise_id()) == nullptr) {
    AddError(errors, Join(path, "exercise_id"),
             absl::StrCat("unknown exercise \"", metric.exercise_id(), "\""));
  }
}

void ValidateCondition(const v1::Condition& condition, const std::string& path, int depth,
                       const RuleContext& context) {
  std::vector<ValidationError>* errors = context.errors;
  switch (condition.kind_case()) {
    case v1::Condition::kMetric:
      ValidateMetric(condition.metric(), Join(path, "metric"), context);
      return;
    case v1::Condition::kAttested:
      if (!Attestable(context.catalog, condition.attested())) {
        AddError(errors, Join(path, "attested"),
                 absl::StrCat("unknown attestation \"", condition.attested(),
                              "\" (not in the catalog's attestations)"));
      }
      return;
    case v1::Condition::kAll:
    case v1::Condition::kAny: {
      const bool all = condition.kind_case() == v1::Condition::kAll;
      const v1::ConditionList& list = all ? condition.all() : condition.any();
      const std::string list_path = Join(path, all ? "all" : "any");
      if (depth >= kMaxConditionDepth) {
        AddError(errors, list_path,
                 absl::StrCat("conditions nest at most ", kMaxConditionDepth, " deep"));
        return;
      }
      if (list.conditions_size() == 0) {
        AddError(errors, Join(list_path, "conditions"), "must hold at least one condition");
      }
      for (int i = 0; i < list.conditions_size(); ++i) {
        ValidateCondition(list.conditions(i), Index(Join(list_path, "conditions"), i), depth + 1,
                          context);
      }
      return;
    }
    case v1::Condition::KIND_NOT_SET:
      AddError(errors, path, "must hold a metric, all, any or attested");
      return;
  }
}

void ValidateRule(const v1::ProgressionRule& rule, const std::string& path,
                  const RuleContext& context) {
  std::vector<ValidationError>* errors = context.errors;
  if (rule.action() == v1::PROGRESS_ACTION_UNSPECIFIED ||
      !v1::ProgressAction_IsValid(rule.action())) {
    AddError(errors, Join(path, "action"),
             absl::StrCat("must be ADVANCE, HOLD, REGRESS, UNLOCK, LOCK or BIAS_SIDE, got ",
                          rule.action()));
  }
  const v1::Exercise* exercise = nullptr;
  if (!rule.exercise_id().empty()) {
    exercise = context.find_exercise(rule.exercise_id());
    if (exercise == nullptr) {
      AddError(errors, Join(path, "exercise_id"),
               absl::StrCat("unknown exercise \"", rule.exercise_id(), "\""));
    }
  }
  if (rule.action() == v1::UNLOCK || rule.action() == v1::LOCK) {
    if (rule.exercise_id().empty()) {
      AddError(errors, Join(path, "exercise_id"),
               absl::StrCat("an ", v1::ProgressAction_Name(rule.action()),
                            " rule names the gated exercise it adds or removes"));
    } else if (exercise != nullptr && !exercise->has_gate()) {
      AddError(errors, Join(path, "exercise_id"),
               absl::StrCat(rule.exercise_id(), " has no gate: ",
                            v1::ProgressAction_Name(rule.action()), " is for gated exercises"));
    }
  }
  if (rule.priority() < -kMaxPriority || rule.priority() > kMaxPriority) {
    AddError(
        errors, Join(path, "priority"),
        absl::StrCat("must be -", kMaxPriority, "..", kMaxPriority, ", got ", rule.priority()));
  }
  // No condition: the rule always acts (safety still wins, see docs/progression.md).
  if (rule.has_when()) ValidateCondition(rule.when(), Join(path, "when"), 0, context);
}

}  // namespace

void ValidateRules(const v1::Catalog& catalog, const ExerciseLookup& find_exercise,
                   std::vector<ValidationError>* errors) {
  const RuleContext context{catalog, find_exercise, errors};
  std::map<std::string, std::string, std::less<>> first;
  for (int i = 0; i < catalog.rules_size(); ++i) {
    const v1::ProgressionRule& rule = catalog.rules(i);
    const std::string path = Index("rules", i);
    const std::string id_path = Join(path, "id");
    ValidateSlug(rule.id(), id_path, errors);
    if (auto [it, inserted] = first.emplace(rule.id(), id_path); !inserted && !rule.id().empty()) {
      AddError(errors, id_path,
               absl::StrCat("duplicate rule id \"", rule.id(), "\" (first at ", it->second, ")"));
    }
    ValidateRule(rule, path, context);
  }
}

}  // namespace regimen::internal
