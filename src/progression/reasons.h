// The pieces of a change's reason ("advanced prone_lift to level 1 (0..5): last 2 sessions:
// ..."), shared by the phases of the Decider, in the decision's words (words.h). Not public.
//
// Levels are counted as everywhere else (Routine.levels, Change.from_level/to_level,
// BlockRecord.level, the catalog's ladder comments): from 0, the first rung of the ladder.
#ifndef REGIMEN_SRC_PROGRESSION_REASONS_H_
#define REGIMEN_SRC_PROGRESSION_REASONS_H_

#include <cstdint>
#include <string>

#include "regimen/v1/progression.pb.h"
#include "src/progression/metrics.h"
#include "src/progression/words.h"

namespace regimen::internal {

// "level 1 (0..5)": the level and the range of the ladder's levels.
inline std::string Level(const Words& words, uint32_t level, const v1::Ladder* ladder) {
  const int top = ladder == nullptr || ladder->levels_size() == 0 ? 0 : ladder->levels_size() - 1;
  return words.Fill(Word::kLevel, {{"level", Digits(level).view()}, {"top", Digits(top).view()}});
}

// ": last 2 sessions: completion 100% ≥ 100%, max pain 2 ≤ 3" (the rule's id is in the change);
// ": " and the rule's description when no phrase shows it; "" when it has neither.
inline std::string Because(const Words& words, const v1::ProgressionRule& rule,
                           const Phrases& why) {
  std::string text;
  if (why.empty()) {
    if (rule.description().empty()) return text;
    return words.Fill(Word::kBecause, {{"why", rule.description()}});
  }
  AppendWhy(words, why, &text);
  return words.Fill(Word::kBecause, {{"why", text}});
}

}  // namespace regimen::internal

#endif  // REGIMEN_SRC_PROGRESSION_REASONS_H_
