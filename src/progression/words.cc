// The progression's templates in the source language (see words.h), and their lookup in a
// catalog's locale.
#include "src/progression/words.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "absl/strings/str_format.h"

namespace regimen::internal {
namespace {

// Indexed by Word: the order of the enum.
constexpr std::array<WordDef, static_cast<size_t>(Word::kCount)> kWords = {{
    {"progression.level", "level {level} (0..{top})"},
    {"progression.because", ": {why}"},
    {"progression.advanced", "advanced {exercise} to {level}{because}"},
    {"progression.held", "held {exercise} at {level}{because}"},
    {"progression.held.no_rule", "held {exercise} at {level}: no progression rule holds yet"},
    {"progression.held.top", "held {exercise} at {level}, the top of its ladder{because}"},
    {"progression.held.lowest",
     "held {exercise} at {level}, its lowest, instead of regressing{because}"},
    {"progression.held.unsafe",
     "held {exercise} at {level}: rule {rule} would advance it, but the latest session had "
     "{what}"},
    {"progression.unsafe.safety_stop", "a safety stop"},
    {"progression.unsafe.pain", "pain {pain} > {max_pain}"},
    {"progression.held.bias_range",
     "held {exercise} at {level}: {next} with its side bias would leave {exercise}'s safe ranges"},
    {"progression.regressed", "regressed {exercise} to {level}{because}"},
    {"progression.why.scope_one", "last {sessions} session: {phrases}"},
    {"progression.why.scope", "last {sessions} sessions: {phrases}"},
    {"progression.why.attests", "attests {attestation}"},
    {"progression.why.in", "{phrase} in {exercise}"},
    {"progression.metric.completion", "completion {value} {op} {threshold}"},
    {"progression.metric.max_pain", "max pain {value} {op} {threshold}"},
    {"progression.metric.mean_effort", "mean effort {value} {op} {threshold}"},
    {"progression.metric.asymmetry_count",
     "asymmetry reported in {value} {op} {threshold} sessions"},
    {"progression.metric.session_count", "{value} sessions on record {op} {threshold}"},
    {"progression.metric.safety_stops", "safety stops {value} {op} {threshold}"},
    {"progression.metric.sessions_at_level", "{value} sessions at this level {op} {threshold}"},
    {"progression.metric.low_completion",
     "{value} sessions under {below} complete {op} {threshold}"},
    {"progression.metric.low_completion_at_level",
     "{value} sessions at this level under {below} complete {op} {threshold}"},
    {"progression.metric.completed_in_a_row", "complete in a row {value} {op} {threshold}"},
    {"progression.metric.other", "metric {metric} {value} {op} {threshold}"},
    {"progression.removed.primer_only",
     "removed {exercise}: only the primer with {condition}{advice}"},
    {"progression.removed.contraindicated", "removed {exercise}: contraindicated with {condition}"},
    {"progression.locked.attestation",
     "locked {exercise}: the profile does not attest {attestation}"},
    {"progression.locked.gate", "locked {exercise}: its gate no longer holds ({why})"},
    {"progression.locked.rule", "locked {exercise}{because}"},
    {"progression.unlocked", "unlocked {exercise}{because}; its gate is met"},
    {"progression.stays_locked.condition", "{exercise} stays locked: not with {condition}"},
    {"progression.stays_locked.attestation",
     "{exercise} stays locked: the profile does not attest {attestation}"},
    {"progression.stays_locked.history", "{exercise} stays locked: its gate needs {why}"},
    {"progression.stays_locked.no_rule", "{exercise} stays locked: no unlock rule holds"},
    {"progression.history.too_few", "the last {sessions} sessions on record, found {found}"},
    {"progression.history", "last {sessions} sessions: {problems}"},
    {"progression.history.incomplete", "all complete, but {complete} of {sessions} were"},
    {"progression.history.pain", "max pain {pain} > {max_pain}"},
    {"progression.history.asymmetry", "no asymmetry report, but {sessions} had one"},
    {"progression.biased",
     "biased {exercise} to the weaker {weaker} side ({takeover} side takes over): +1 rep per "
     "set{lead}{because}"},
    {"progression.biased.lead", ", leading with cue {cue}"},
    {"progression.side.left", "left"},
    {"progression.side.right", "right"},
    {"progression.bias.removed", "removed the side bias of {exercise}: {why}"},
    {"progression.bias.no_rule", "no asymmetry rule holds any more"},
    {"progression.bias.out_of_range", "an extra rep would leave its safe ranges"},
    {"progression.bias.kept_no_side",
     "kept the side bias of {exercise}: the asymmetry reports name no side"},
    {"progression.bias.none_no_side",
     "no side bias for {exercise}: the asymmetry reports name no side"},
    {"progression.bias.none_out_of_range",
     "no side bias for {exercise}: an extra rep would leave its safe ranges"},
    {"progression.budget.over",
     "the routine would take {estimate}, over the session budget of {budget}"},
    {"progression.budget.longer",
     "it would make the routine {estimate}, over the session budget of {budget}"},
    {"progression.budget.stays_locked", "{exercise} stays locked: {why}"},
    {"progression.budget.held", "held {exercise} at {level}: advancing {why}"},
    {"progression.budget.left_out", "left out {exercise}: {why}"},
}};

// A number's text on the stack: whole numbers as digits, others with one decimal.
class Number {
 public:
  explicit Number(double value) {
    if (std::fabs(value) < 1e15 && std::fabs(value - std::round(value)) < 1e-9) {
      Set(Digits(static_cast<int64_t>(std::round(value))).view());
    } else {
      Format(value);
    }
  }
  // "100%" of the ratio 1.0 (rounded down to a whole percent).
  static Number Percent(double ratio) {
    Number number;
    const Digits digits(static_cast<int64_t>(std::floor(ratio * 100 + 1e-9)));
    number.Set(digits.view());
    number.text_[number.size_++] = '%';
    return number;
  }
  // "%.1f", "3.0" for 3.
  static Number OneDecimal(double value) {
    Number number;
    number.Format(value);
    return number;
  }
  absl::string_view view() const { return absl::string_view(text_, size_); }

 private:
  Number() = default;
  void Set(absl::string_view text) {
    size_ = std::min(text.size(), sizeof(text_) - 1);
    std::copy_n(text.data(), size_, text_);
  }
  // "%.1f" whatever the host's C locale: absl's formatter natively (a host may have set
  // LC_NUMERIC to a locale with a decimal comma); in WebAssembly the C library's own, whose only
  // locale is "C" (the same digits, and absl's formatter would add 20 KB to the module).
  void Format(double value) {
#ifdef __EMSCRIPTEN__
    const int n = std::snprintf(text_, sizeof(text_), "%.1f", value);
#else
    const int n = absl::SNPrintF(text_, sizeof(text_), "%.1f", value);
#endif
    size_ = n < 0 ? 0 : std::min(static_cast<size_t>(n), sizeof(text_) - 1);
  }

  char text_[48];
  size_t size_ = 0;
};

absl::string_view OpSymbol(v1::Comparison op) {
  switch (op) {
    case v1::LT:
      return "<";
    case v1::LE:
      return "≤";
    case v1::EQ:
      return "=";
    case v1::GE:
      return "≥";
    case v1::GT:
      return ">";
    default:
      return "?";
  }
}

// "max pain 2 ≤ 3" ("completion 100% ≥ 100%", ...) appended to *out.
void AppendDescription(const Words& words, const Phrase& phrase, std::string* out) {
  const absl::string_view op = OpSymbol(phrase.op);
  const Number threshold(phrase.threshold);
  auto compare = [&](Word word, absl::string_view value) {
    words.Append(word, {{"value", value}, {"op", op}, {"threshold", threshold.view()}}, out);
  };
  switch (phrase.metric) {
    case v1::METRIC_COMPLETION_RATIO:
      words.Append(Word::kCompletion,
                   {{"value", Number::Percent(phrase.value).view()},
                    {"op", op},
                    {"threshold", Number::Percent(phrase.threshold).view()}},
                   out);
      return;
    case v1::METRIC_MAX_PAIN:
      return compare(Word::kMaxPain, Number(phrase.value).view());
    case v1::METRIC_MEAN_EFFORT:
      return compare(Word::kMeanEffort, Number::OneDecimal(phrase.value).view());
    case v1::METRIC_ASYMMETRY_COUNT:
      return compare(Word::kAsymmetryCount, Number(phrase.value).view());
    case v1::METRIC_SESSION_COUNT:
      return compare(Word::kSessionCount, Number(phrase.value).view());
    case v1::METRIC_SAFETY_STOPS:
      return compare(Word::kSafetyStops, Number(phrase.value).view());
    case v1::METRIC_SESSIONS_AT_LEVEL:
      return compare(Word::kSessionsAtLevel, Number(phrase.value).view());
    case v1::METRIC_LOW_COMPLETION_SESSIONS:
      words.Append(phrase.whole_session ? Word::kLowCompletion : Word::kLowCompletionAtLevel,
                   {{"value", Number(phrase.value).view()},
                    {"below", Number::Percent(phrase.below).view()},
                    {"op", op},
                    {"threshold", threshold.view()}},
                   out);
      return;
    case v1::METRIC_COMPLETED_SESSIONS:
      return compare(Word::kCompletedInARow, Number(phrase.value).view());
    default:
      words.Append(Word::kOtherMetric,
                   {{"metric", Digits(static_cast<int>(phrase.metric)).view()},
                    {"value", Number(phrase.value).view()},
                    {"op", op},
                    {"threshold", threshold.view()}},
                   out);
      return;
  }
}

// Whether two phrases share their scope ("last N sessions", or none for attestations).
bool SameScope(const Phrase& a, const Phrase& b) {
  return a.attested == b.attested && (a.attested || a.window == b.window);
}

// One phrase: "max pain 2 ≤ 3", "... in <exercise>", "attests x".
void AppendPhrase(const Words& words, const Phrase& phrase, std::string* out) {
  if (phrase.attested) {
    words.Append(Word::kAttests, {{"attestation", phrase.attestation}}, out);
    return;
  }
  if (phrase.in.empty()) {
    AppendDescription(words, phrase, out);
    return;
  }
  std::string described;
  AppendDescription(words, phrase, &described);
  words.Append(Word::kIn, {{"phrase", described}, {"exercise", phrase.in}}, out);
}

}  // namespace

absl::Span<const WordDef> ProgressionWords() { return kWords; }

void AppendWhy(const Words& words, const Phrases& why, std::string* out) {
  // Phrases of one scope are joined with ", " (under "last N sessions: " for metrics), scopes
  // with "; ".
  std::string group;
  for (size_t i = 0; i < why.size();) {
    size_t end = i + 1;
    while (end < why.size() && SameScope(why[i], why[end])) ++end;
    if (i > 0) out->append("; ");
    std::string* into = why[i].attested ? out : &group;
    group.clear();
    for (size_t k = i; k < end; ++k) {
      if (k > i) into->append(", ");
      AppendPhrase(words, why[k], into);
    }
    if (!why[i].attested) {
      words.Append(why[i].window == 1 ? Word::kScopeOne : Word::kScopeMany,
                   {{"sessions", Digits(why[i].window).view()}, {"phrases", group}}, out);
    }
    i = end;
  }
}

absl::string_view Words::Get(Word word) const {
  const WordDef& def = kWords[static_cast<size_t>(word)];
  if (translated_ != nullptr && !translated_->empty()) {
    auto it = translated_->find(def.id);
    if (it != translated_->end()) return it->second;
  }
  return def.text;
}

}  // namespace regimen::internal
