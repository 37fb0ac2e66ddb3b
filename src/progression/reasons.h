// The words of a change's reason ("advanced prone_lift to level 1 (0..5): last 2 sessions: ..."),
// shared by the phases of the Decider. Not public.
//
// Levels are counted as everywhere else (Routine.levels, Change.from_level/to_level,
// BlockRecord.level, the catalog's ladder comments): from 0, the first rung of the ladder.
#ifndef REGIMEN_SRC_PROGRESSION_REASONS_H_
#define REGIMEN_SRC_PROGRESSION_REASONS_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "regimen/v1/progression.pb.h"
#include "src/progression/metrics.h"

namespace regimen::internal {

// Starts a change's reason, "advanced prone_lift to ", with room for the rest.
inline void StartReason(absl::string_view verb, absl::string_view id, absl::string_view preposition,
                        std::string* out) {
  out->reserve(240);
  out->append(verb.data(), verb.size())
      .append(id.data(), id.size())
      .append(preposition.data(), preposition.size());
}

// "level 1 (0..5)": the level and the range of the ladder's levels.
inline void AppendLevel(uint32_t level, const v1::Ladder* ladder, std::string* out) {
  out->append("level ");
  AppendInt(level, out);
  out->append(" (0..");
  AppendInt(ladder == nullptr || ladder->levels_size() == 0 ? 0 : ladder->levels_size() - 1, out);
  out->append(")");
}
inline std::string Level(uint32_t level, const v1::Ladder* ladder) {
  std::string out;
  AppendLevel(level, ladder, &out);
  return out;
}

// Appends ": last 2 sessions: completion 100% ≥ 100%, max pain 2 ≤ 3" (the rule's id is in the
// change).
inline void AppendRuleWords(const v1::ProgressionRule& rule, const Phrases& why, std::string* out) {
  if (why.empty()) {
    if (!rule.description().empty()) absl::StrAppend(out, ": ", rule.description());
    return;
  }
  out->append(": ");
  AppendWhy(why, out);
}
inline std::string RuleWords(const v1::ProgressionRule& rule, const Phrases& why) {
  std::string out;
  AppendRuleWords(rule, why, &out);
  return out;
}

}  // namespace regimen::internal

#endif  // REGIMEN_SRC_PROGRESSION_REASONS_H_
