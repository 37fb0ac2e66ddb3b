// Which exercises the decided routine holds: the profile's conditions and the gates lock
// exercises out (with the catalog's LOCK rules), UNLOCK rules let gated ones in; and HistoryMet,
// the gates' history requirement.
#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "regimen/progression.h"
#include "src/generator/profile_util.h"
#include "src/progression/decider.h"
#include "src/progression/metrics.h"
#include "src/progression/reasons.h"
#include "src/progression/words.h"

namespace regimen {
namespace internal {
namespace {

// The position of an exercise in the catalog.
int CatalogIndex(const Catalog& catalog, const std::string& exercise_id) {
  const auto& exercises = catalog.proto().exercises();
  for (int i = 0; i < exercises.size(); ++i) {
    if (exercises.Get(i).id() == exercise_id) return i;
  }
  return exercises.size();
}

}  // namespace

// Conditions of the profile: a primer_only condition leaves the primer alone; a contraindicated
// exercise goes.
void Decider::ApplyConditions() {
  const v1::ConditionDef* primer_only = internal::PrimerOnlyCondition(catalog_, profile_);
  for (size_t i = 0; i < works_.size();) {
    const Work& work = works_[i];
    const std::string& id = work.exercise->id();
    if (primer_only != nullptr && !work.exercise->primer()) {
      const std::string advice =
          primer_only->advice().empty() ? "" : absl::StrCat(". ", primer_only->advice());
      words_.Append(Word::kRemovedPrimerOnly,
                    {{"exercise", id}, {"condition", primer_only->id()}, {"advice", advice}},
                    AddChange(id, v1::LOCK, work.level, work.level,
                              absl::StrCat("condition:", primer_only->id())));
      Remove(id);
      continue;
    }
    if (std::string condition = internal::ContraindicatingCondition(*work.exercise, profile_);
        !condition.empty()) {
      words_.Append(
          Word::kRemovedContraindicated, {{"exercise", id}, {"condition", condition}},
          AddChange(id, v1::LOCK, work.level, work.level, absl::StrCat("condition:", condition)));
      Remove(id);
      continue;
    }
    ++i;
  }
  if (primer_only != nullptr && !primer_only->advice().empty()) Note(primer_only->advice());
}

// A gated exercise stays only while its gate holds; then the catalog's LOCK rules.
void Decider::ApplyGates() {
  for (size_t i = 0; i < works_.size();) {
    const Work& work = works_[i];
    const v1::Exercise& exercise = *work.exercise;
    if (!internal::IsGated(exercise)) {
      ++i;
      continue;
    }
    const std::string& id = exercise.id();
    std::string missing;
    std::string why;
    if (!internal::GateAttested(exercise.gate(), profile_, &missing)) {
      words_.Append(Word::kLockedAttestation, {{"exercise", id}, {"attestation", missing}},
                    AddChange(id, v1::LOCK, work.level, 0, "gate"));
      Remove(id);
      continue;
    }
    if (!HistoryMet(exercise.gate().history(), records_, catalog_, &why)) {
      words_.Append(Word::kLockedGate, {{"exercise", id}, {"why", why}},
                    AddChange(id, v1::LOCK, work.level, 0, "gate"));
      Remove(id);
      continue;
    }
    bool removed = false;
    for (const v1::ProgressionRule* rule : rules_) {
      if (rule->action() != v1::LOCK || !Applies(*rule, id)) continue;
      Phrases phrases;
      if (internal::Evaluate(rule->when(), records_, profile_, id, work.level, &phrases)) {
        words_.Append(Word::kLockedRule,
                      {{"exercise", id}, {"because", Because(words_, *rule, phrases)}},
                      AddChange(id, v1::LOCK, work.level, 0, rule->id()));
        Remove(id);
        removed = true;
        break;
      }
    }
    if (!removed) ++i;
  }
}

// A gated exercise joins when an UNLOCK rule holds and its gate is met.
void Decider::ApplyUnlocks() {
  const v1::ConditionDef* primer_only = internal::PrimerOnlyCondition(catalog_, profile_);
  for (const v1::Exercise& exercise : catalog_.proto().exercises()) {
    if (!internal::IsGated(exercise) || InRoutine(exercise.id()) || Locked(exercise.id())) {
      continue;
    }
    const std::string& id = exercise.id();
    const v1::ProgressionRule* chosen = nullptr;
    Phrases why;
    bool any_rule = false;
    for (const v1::ProgressionRule* rule : rules_) {
      if (rule->action() != v1::UNLOCK || !Applies(*rule, id)) continue;
      any_rule = true;
      // Unlock rules look at the whole session: the exercise has no history of its own yet.
      if (internal::Evaluate(rule->when(), records_, profile_, "", 0, &why)) {
        chosen = rule;
        break;
      }
    }
    if (!any_rule) continue;
    std::string missing;
    std::string history_why;
    const std::string condition = internal::ContraindicatingCondition(exercise, profile_);
    if (primer_only != nullptr || !condition.empty()) {
      Note(words_.Fill(Word::kStaysLockedCondition,
                       {{"exercise", id},
                        {"condition", primer_only != nullptr ? primer_only->id() : condition}}));
    } else if (!internal::GateAttested(exercise.gate(), profile_, &missing)) {
      Note(
          words_.Fill(Word::kStaysLockedAttestation, {{"exercise", id}, {"attestation", missing}}));
    } else if (!HistoryMet(exercise.gate().history(), records_, catalog_, &history_why)) {
      Note(words_.Fill(Word::kStaysLockedHistory, {{"exercise", id}, {"why", history_why}}));
    } else if (chosen == nullptr) {
      Note(words_.Fill(Word::kStaysLockedNoRule, {{"exercise", id}}));
    } else {
      Work work;
      work.exercise = &exercise;
      work.owned = NewBlock();
      work.block().set_exercise_id(id);
      work.ladder = lookups_.Ladder(id);
      if (work.ladder != nullptr && work.ladder->levels_size() > 0) {
        *work.block().mutable_prescription() = work.ladder->levels(0);
      }
      work.unlocked = true;
      work.change = decision_->changes_size();
      // In catalog order: after every block whose exercise comes earlier in the catalog.
      const int rank = CatalogIndex(catalog_, exercise.id());
      size_t at = works_.size();
      while (at > 0 && CatalogIndex(catalog_, works_[at - 1].exercise->id()) > rank) --at;
      works_.insert(works_.begin() + static_cast<std::ptrdiff_t>(at), std::move(work));
      words_.Append(Word::kUnlocked, {{"exercise", id}, {"because", Because(words_, *chosen, why)}},
                    AddChange(id, v1::UNLOCK, 0, 0, chosen->id()));
    }
  }
}

}  // namespace internal

namespace {

bool HistoryMetIn(const internal::Words& text, const v1::HistoryRequirement& requirement,
                  absl::Span<const v1::SessionRecord* const> records, std::string* why) {
  const uint32_t needed = requirement.sessions();
  if (needed == 0) return true;
  using internal::Digits;
  using internal::Word;
  if (records.size() < needed) {
    if (why != nullptr) {
      *why = text.Fill(Word::kHistoryTooFew, {{"sessions", Digits(needed).view()},
                                              {"found", Digits(records.size()).view()}});
    }
    return false;
  }
  const internal::RecordSpan recent = internal::LastRecords(records, needed);
  int pain = 0;
  int complete = 0;
  int asymmetric = 0;
  for (const v1::SessionRecord* record : recent) {
    pain = std::max(pain, internal::MaxPain(*record, ""));
    complete += internal::CompletedInFull(*record);
    asymmetric += internal::HasAsymmetry(*record, "");
  }
  const bool incomplete = requirement.completed() && complete < static_cast<int>(needed);
  const bool painful = pain > static_cast<int>(requirement.max_pain());
  const bool uneven = requirement.no_asymmetry() && asymmetric > 0;
  if (!incomplete && !painful && !uneven) return true;
  if (why == nullptr) return false;
  // "last 4 sessions: all complete, but 3 of 4 were, max pain 7 > 3".
  std::string problems;
  if (incomplete) {
    text.Append(Word::kHistoryIncomplete,
                {{"complete", Digits(complete).view()}, {"sessions", Digits(needed).view()}},
                &problems);
  }
  if (painful) {
    if (!problems.empty()) problems.append(", ");
    text.Append(
        Word::kHistoryPain,
        {{"pain", Digits(pain).view()}, {"max_pain", Digits(requirement.max_pain()).view()}},
        &problems);
  }
  if (uneven) {
    if (!problems.empty()) problems.append(", ");
    text.Append(Word::kHistoryAsymmetry, {{"sessions", Digits(asymmetric).view()}}, &problems);
  }
  why->clear();
  text.Append(Word::kHistory, {{"sessions", Digits(needed).view()}, {"problems", problems}}, why);
  return false;
}

}  // namespace

bool HistoryMet(const v1::HistoryRequirement& requirement,
                absl::Span<const v1::SessionRecord* const> records, std::string* why) {
  return HistoryMetIn(internal::Words(), requirement, records, why);
}

bool HistoryMet(const v1::HistoryRequirement& requirement,
                absl::Span<const v1::SessionRecord* const> records, const Catalog& words,
                std::string* why) {
  return HistoryMetIn(internal::Words(words), requirement, records, why);
}

}  // namespace regimen
