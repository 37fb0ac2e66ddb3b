// The ladder levels of the Decider: each laddered exercise advances, holds or regresses.
#include <string>

#include "regimen/progression.h"
#include "regimen/routine.h"
#include "src/progression/decider.h"
#include "src/progression/metrics.h"
#include "src/progression/reasons.h"
#include "src/progression/words.h"

namespace regimen::internal {

void Decider::SetLevel(Work& work, uint32_t level, const v1::Prescription& current) {
  const v1::Side first_side = current.first_side();
  const bool has_bias = current.has_bias();
  v1::SideBias bias;
  if (has_bias) bias = current.bias();  // `current` may be the prescription overwritten below
  v1::Prescription* out = work.block().mutable_prescription();
  *out = work.ladder->levels(static_cast<int>(level));
  if (first_side != v1::SIDE_UNSPECIFIED) out->set_first_side(first_side);
  if (has_bias) *out->mutable_bias() = bias;
}

// Advance, hold or regress each laddered exercise: of the rules that hold, the most cautious
// action wins (regress, then hold, then advance), the first of that action in rule order.
void Decider::ApplyLevels() {
  const v1::SessionRecord* latest = records_.empty() ? nullptr : records_.back();
  const int pain = latest == nullptr ? -1 : internal::MaxPain(*latest, "");
  const int stops = latest == nullptr ? 0 : internal::SafetyStops(*latest, "");
  for (Work& work : works_) {
    if (work.ladder == nullptr || work.ladder->levels_size() == 0) continue;
    const std::string& id = work.exercise->id();
    const v1::ProgressionRule* chosen[4] = {nullptr, nullptr, nullptr, nullptr};
    Phrases why[4];
    ChooseLevelRules(work, chosen, why);
    const uint32_t from = work.level;
    if (chosen[v1::REGRESS] != nullptr) {
      Regress(work, *chosen[v1::REGRESS], why[v1::REGRESS]);
    } else if (chosen[v1::HOLD] != nullptr) {
      words_.Append(Word::kHeld,
                    {{"exercise", id},
                     {"level", Level(words_, from, work.ladder)},
                     {"because", Because(words_, *chosen[v1::HOLD], why[v1::HOLD])}},
                    AddChange(id, v1::HOLD, from, from, chosen[v1::HOLD]->id()));
    } else if (chosen[v1::ADVANCE] == nullptr) {
      words_.Append(Word::kHeldNoRule,
                    {{"exercise", id}, {"level", Level(words_, from, work.ladder)}},
                    AddChange(id, v1::HOLD, from, from, ""));
    } else {
      Advance(work, *chosen[v1::ADVANCE], why[v1::ADVANCE], pain, stops);
    }
  }
}

void Decider::ChooseLevelRules(const Work& work, const v1::ProgressionRule* chosen[4],
                               Phrases why[4]) const {
  const std::string& id = work.exercise->id();
  for (const v1::ProgressionRule* rule : rules_) {
    const v1::ProgressAction action = rule->action();
    if (action != v1::ADVANCE && action != v1::HOLD && action != v1::REGRESS) continue;
    if (chosen[action] != nullptr || !Applies(*rule, id)) continue;
    // A more cautious action already holds: this rule cannot change the outcome (a rule that
    // does not hold leaves `why` as it was, so not evaluating it changes nothing).
    if (chosen[v1::REGRESS] != nullptr) break;
    if (action == v1::ADVANCE && chosen[v1::HOLD] != nullptr) continue;
    if (internal::Evaluate(rule->when(), records_, profile_, id, work.level, &why[action])) {
      chosen[action] = rule;
    }
  }
}

void Decider::Regress(Work& work, const v1::ProgressionRule& rule, const Phrases& why) {
  const std::string& id = work.exercise->id();
  const uint32_t from = work.level;
  const std::string because = Because(words_, rule, why);
  if (from == 0) {
    words_.Append(
        Word::kHeldLowest,
        {{"exercise", id}, {"level", Level(words_, 0, work.ladder)}, {"because", because}},
        AddChange(id, v1::HOLD, 0, 0, rule.id()));
    return;
  }
  work.level = from - 1;
  SetLevel(work, work.level, Effective(work.block(), *work.exercise));
  words_.Append(
      Word::kRegressed,
      {{"exercise", id}, {"level", Level(words_, work.level, work.ladder)}, {"because", because}},
      AddChange(id, v1::REGRESS, from, work.level, rule.id()));
}

void Decider::Advance(Work& work, const v1::ProgressionRule& rule, const Phrases& why, int pain,
                      int stops) {
  const std::string& id = work.exercise->id();
  const uint32_t from = work.level;
  const uint32_t top = static_cast<uint32_t>(work.ladder->levels_size() - 1);
  // Never through pain, whatever the rules say: no advance after a session with pain above
  // the safe zone or a safety stop, in any exercise.
  if (pain > kSafePainMax || stops > 0) {
    const std::string what =
        stops > 0 ? std::string(words_.Get(Word::kUnsafeStop))
                  : words_.Fill(Word::kUnsafePain, {{"pain", Digits(pain).view()},
                                                    {"max_pain", Digits(kSafePainMax).view()}});
    words_.Append(Word::kHeldUnsafe,
                  {{"exercise", id},
                   {"level", Level(words_, from, work.ladder)},
                   {"rule", rule.id()},
                   {"what", what}},
                  AddChange(id, v1::HOLD, from, from, "safety"));
    return;
  }
  if (from >= top) {
    words_.Append(Word::kHeldTop,
                  {{"exercise", id},
                   {"level", Level(words_, from, work.ladder)},
                   {"because", Because(words_, rule, why)}},
                  AddChange(id, v1::HOLD, from, from, rule.id()));
    return;
  }
  // Every level of a ladder is valid for its exercise (a Catalog exists only once validated,
  // ValidateCatalog checks each level with ValidatePrescription), and first_side is not
  // validated: the next prescription can only be invalid through the bias it keeps.
  const v1::Prescription& current = Effective(work.block(), *work.exercise);
  bool valid = true;
  if (current.has_bias()) {
    v1::Prescription next = work.ladder->levels(static_cast<int>(from + 1));
    if (current.first_side() != v1::SIDE_UNSPECIFIED) next.set_first_side(current.first_side());
    *next.mutable_bias() = current.bias();
    valid = ValidatePrescription(next, *work.exercise, "prescription").empty();
  }
  if (!valid) {
    words_.Append(Word::kHeldBiasRange,
                  {{"exercise", id},
                   {"level", Level(words_, from, work.ladder)},
                   {"next", Level(words_, from + 1, work.ladder)}},
                  AddChange(id, v1::HOLD, from, from, "safety"));
    return;
  }
  work.advanced = true;
  work.previous_level = from;
  work.level = from + 1;
  SetLevel(work, work.level, current);
  work.change = decision_->changes_size();
  words_.Append(Word::kAdvanced,
                {{"exercise", id},
                 {"level", Level(words_, work.level, work.ladder)},
                 {"because", Because(words_, rule, why)}},
                AddChange(id, v1::ADVANCE, from, work.level, rule.id()));
}

}  // namespace regimen::internal
