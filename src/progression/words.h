// The words of a progression decision: its changes' reasons and its routine's notes, as
// templates with named arguments ("progression.advanced": "advanced {exercise} to
// {level}{because}") in the pack's source language, each translatable under its id
// (docs/localization.md), and Words, which writes them in the decision's locale. Not public.
#ifndef REGIMEN_SRC_PROGRESSION_WORDS_H_
#define REGIMEN_SRC_PROGRESSION_WORDS_H_

#include <charconv>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "regimen/catalog.h"
#include "src/l10n/messages.h"
#include "src/progression/metrics.h"

namespace regimen::internal {

// One template of the table in words.cc, in its order.
enum class Word : uint8_t {
  // Ladder levels (levels.cc).
  kLevel,
  kBecause,
  kAdvanced,
  kHeld,
  kHeldNoRule,
  kHeldTop,
  kHeldLowest,
  kHeldUnsafe,
  kUnsafeStop,
  kUnsafePain,
  kHeldBiasRange,
  kRegressed,
  // The words of a rule that holds (metrics.cc).
  kScopeOne,
  kScopeMany,
  kAttests,
  kIn,
  kCompletion,
  kMaxPain,
  kMeanEffort,
  kAsymmetryCount,
  kSessionCount,
  kSafetyStops,
  kSessionsAtLevel,
  kLowCompletion,
  kLowCompletionAtLevel,
  kCompletedInARow,
  kOtherMetric,
  // Conditions, gates, LOCK and UNLOCK rules (locks.cc).
  kRemovedPrimerOnly,
  kRemovedContraindicated,
  kLockedAttestation,
  kLockedGate,
  kLockedRule,
  kUnlocked,
  kStaysLockedCondition,
  kStaysLockedAttestation,
  kStaysLockedHistory,
  kStaysLockedNoRule,
  kHistoryTooFew,
  kHistory,
  kHistoryIncomplete,
  kHistoryPain,
  kHistoryAsymmetry,
  // The side bias (side_bias.cc).
  kBiased,
  kBiasedLead,
  kLeft,
  kRight,
  kBiasRemoved,
  kBiasNoRule,
  kBiasOutOfRange,
  kBiasKeptNoSide,
  kBiasNoneNoSide,
  kBiasNoneOutOfRange,
  // The session budget (budget.cc).
  kBudgetOver,
  kBudgetLonger,
  kBudgetStaysLocked,
  kBudgetHeld,
  kBudgetLeftOut,
  kCount,
};

// A template: its message id and its words in the source language.
struct WordDef {
  absl::string_view id;
  absl::string_view text;
};
// Every template, indexed by Word (EngineMessages lists them for translators).
absl::Span<const WordDef> ProgressionWords();

// Decimal digits on the stack, for an argument.
class Digits {
 public:
  explicit Digits(int64_t value) {
    size_ = static_cast<uint8_t>(std::to_chars(text_, text_ + sizeof(text_), value).ptr - text_);
  }
  absl::string_view view() const { return absl::string_view(text_, size_); }

 private:
  char text_[24];
  uint8_t size_;
};

// The templates in one catalog's locale: its translated engine words, the source's for the
// rest (all of them for a Words made without a catalog). The catalog must outlive it.
class Words {
 public:
  Words() = default;
  explicit Words(const Catalog& catalog) : translated_(&catalog.EngineWords()) {}

  absl::string_view Get(Word word) const;
  // Appends template `word` with `args` to *out.
  void Append(Word word, std::initializer_list<l10n_internal::ArgView> args,
              std::string* out) const {
    l10n_internal::AppendTemplate(Get(word), absl::MakeConstSpan(args.begin(), args.size()), out);
  }
  std::string Fill(Word word, std::initializer_list<l10n_internal::ArgView> args) const {
    std::string out;
    Append(word, args, &out);
    return out;
  }

 private:
  const std::map<std::string, std::string, std::less<>>* translated_ = nullptr;
};

// Appends the phrases that show a rule holds, joined: "last 2 sessions: completion 100% ≥
// 100%, max pain 2 ≤ 3; attests x".
void AppendWhy(const Words& words, const Phrases& why, std::string* out);

}  // namespace regimen::internal

#endif  // REGIMEN_SRC_PROGRESSION_WORDS_H_
