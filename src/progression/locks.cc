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
      AddChange(id, v1::LOCK, work.level, work.level, absl::StrCat("condition:", primer_only->id()),
                absl::StrCat("removed ", id, ": only the primer with ", primer_only->id(),
                             primer_only->advice().empty() ? "" : ". ", primer_only->advice()));
      Remove(id);
      continue;
    }
    if (std::string condition = internal::ContraindicatingCondition(*work.exercise, profile_);
        !condition.empty()) {
      AddChange(id, v1::LOCK, work.level, work.level, absl::StrCat("condition:", condition),
                absl::StrCat("removed ", id, ": contraindicated with ", condition));
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
      AddChange(id, v1::LOCK, work.level, 0, "gate",
                absl::StrCat("locked ", id, ": the profile does not attest ", missing));
      Remove(id);
      continue;
    }
    if (!HistoryMet(exercise.gate().history(), records_, &why)) {
      AddChange(id, v1::LOCK, work.level, 0, "gate",
                absl::StrCat("locked ", id, ": its gate no longer holds (", why, ")"));
      Remove(id);
      continue;
    }
    bool removed = false;
    for (const v1::ProgressionRule* rule : rules_) {
      if (rule->action() != v1::LOCK || !Applies(*rule, id)) continue;
      Phrases phrases;
      if (internal::Evaluate(rule->when(), records_, profile_, id, work.level, &phrases)) {
        AddChange(id, v1::LOCK, work.level, 0, rule->id(),
                  absl::StrCat("locked ", id, RuleWords(*rule, phrases)));
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
      Note(absl::StrCat(id, " stays locked: not with ",
                        primer_only != nullptr ? primer_only->id() : condition));
    } else if (!internal::GateAttested(exercise.gate(), profile_, &missing)) {
      Note(absl::StrCat(id, " stays locked: the profile does not attest ", missing));
    } else if (!HistoryMet(exercise.gate().history(), records_, &history_why)) {
      Note(absl::StrCat(id, " stays locked: its gate needs ", history_why));
    } else if (chosen == nullptr) {
      Note(absl::StrCat(id, " stays locked: no unlock rule holds"));
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
      AddChange(id, v1::UNLOCK, 0, 0, chosen->id(),
                absl::StrCat("unlocked ", id, RuleWords(*chosen, why), "; its gate is met"));
    }
  }
}

}  // namespace internal

bool HistoryMet(const v1::HistoryRequirement& requirement,
                absl::Span<const v1::SessionRecord* const> records, std::string* why) {
  const uint32_t needed = requirement.sessions();
  if (needed == 0) return true;
  auto fail = [why](std::string text) {
    if (why != nullptr) *why = std::move(text);
    return false;
  };
  if (records.size() < needed) {
    return fail(absl::StrCat("the last ", needed, " sessions on record, found ", records.size()));
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
  // "last 4 sessions: all complete, but 3 of 4 were, max pain 7 > 3", written in place.
  why->clear();
  why->append("last ");
  internal::AppendInt(needed, why);
  why->append(" sessions: ");
  const char* separator = "";
  if (incomplete) {
    why->append("all complete, but ");
    internal::AppendInt(complete, why);
    why->append(" of ");
    internal::AppendInt(needed, why);
    why->append(" were");
    separator = ", ";
  }
  if (painful) {
    why->append(separator).append("max pain ");
    internal::AppendInt(pain, why);
    why->append(" > ");
    internal::AppendInt(requirement.max_pain(), why);
    separator = ", ";
  }
  if (uneven) {
    why->append(separator).append("no asymmetry report, but ");
    internal::AppendInt(asymmetric, why);
    why->append(" had one");
  }
  return false;
}

}  // namespace regimen
