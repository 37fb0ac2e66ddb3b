// Every reason tells the truth: over 12,000 seeded random progression requests (random profiles
// and budgets; generated, catalog and hand-levelled routines, some already biased; histories
// with pain, asymmetry, short and skipped blocks, user stops, safety stops and bare safety-stop
// ends), every claim a change's reason or a note makes about the returned routine holds in it:
// the level an exercise is at, advanced to or regressed to; the side bias and its reps; the cue
// it leads with; an exercise added, removed, left out or kept locked. The change's exercise_id,
// action and to_level agree with the words, and nothing changes in the routine without a change
// that says so.
//
// The words are read with the reason grammar of docs/progression.md ("What a reason claims").
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/generator.h"
#include "regimen/progression.h"
#include "regimen/routine.h"
#include "tests/progression_random.h"

namespace regimen {
namespace {

using test_random::Fuzz;

constexpr int kRequests = 12000;

// A block of the returned routine, by exercise.
struct Placed {
  const v1::Block* block = nullptr;
  uint32_t level = 0;
};

std::map<std::string, Placed> ByExercise(const v1::Routine& routine) {
  std::map<std::string, Placed> out;
  for (int i = 0; i < routine.blocks_size(); ++i) {
    out[routine.blocks(i).exercise_id()] =
        Placed{&routine.blocks(i), routine.levels_size() > i ? routine.levels(i) : 0};
  }
  return out;
}

uint32_t Top(const std::string& id) {
  const v1::Ladder* ladder = Catalog::Default().FindLadder(id);
  return ladder == nullptr || ladder->levels_size() == 0 ? 0 : ladder->levels_size() - 1;
}

// The prescription of `placed` is that of its ladder level (side order and bias aside).
bool AtLadderLevel(const std::string& id, const Placed& placed) {
  const v1::Ladder* ladder = Catalog::Default().FindLadder(id);
  if (ladder == nullptr || ladder->levels_size() == 0) return true;
  v1::Prescription p = placed.block->prescription();
  p.clear_first_side();
  p.clear_bias();
  v1::Prescription want = ladder->levels(static_cast<int>(placed.level));
  want.clear_first_side();
  want.clear_bias();
  return p.SerializeAsString() == want.SerializeAsString();
}

// What the reasons and notes claimed, to check that nothing changed without a word.
struct Claims {
  std::map<std::string, bool> level;   // an advance or regress was claimed
  std::map<std::string, bool> member;  // an exercise was added or removed
  std::map<std::string, bool> bias;    // a bias was set or removed
};

using Routine = std::map<std::string, Placed>;

std::string Fail(const v1::Change& change, const std::string& what) {
  return absl::StrCat(what, ": \"", change.reason(), "\"");
}

// "advanced|regressed X to level N (0..T)", "held X at level N (0..T)"; nullopt when the
// reason is of another form.
std::optional<std::string> CheckLevel(const v1::Change& change, const Routine& routine,
                                      Claims* claims) {
  static const std::regex kMoved(
      R"(^(advanced|regressed) ([a-z0-9_]+) to level (\d+) \(0\.\.(\d+)\)[:,]?)");
  static const std::regex kHeld(R"(^(held) ([a-z0-9_]+) at level (\d+) \(0\.\.(\d+)\)[:,])");
  std::smatch m;
  if (!std::regex_search(change.reason(), m, kMoved) &&
      !std::regex_search(change.reason(), m, kHeld)) {
    return std::nullopt;
  }
  const std::string id = m[2];
  const uint32_t level = static_cast<uint32_t>(std::stoul(m[3]));
  const v1::ProgressAction action = m[1] == "advanced"    ? v1::ADVANCE
                                    : m[1] == "regressed" ? v1::REGRESS
                                                          : v1::HOLD;
  const uint32_t from = action == v1::ADVANCE   ? level - 1
                        : action == v1::REGRESS ? level + 1
                                                : level;
  if (id != change.exercise_id()) return Fail(change, "names another exercise than exercise_id");
  if (change.action() != action) return Fail(change, "wrong action");
  if (routine.count(id) == 0) return Fail(change, "the exercise is not in the routine");
  if (routine.at(id).level != level) return Fail(change, "the routine has another level");
  if (change.to_level() != level) return Fail(change, "to_level differs");
  if (change.from_level() != from) return Fail(change, "from_level differs");
  if (std::stoul(m[4]) != Top(id)) return Fail(change, "wrong ladder range");
  if (!AtLadderLevel(id, routine.at(id))) return Fail(change, "not that level's prescription");
  if (action != v1::HOLD) claims->level[id] = true;
  return "";
}

// "biased X to the weaker S side (O side takes over): +K rep per set[, leading with cue C]",
// "removed the side bias of X".
std::optional<std::string> CheckBias(const v1::Change& change, const Routine& routine,
                                     Claims* claims) {
  static const std::regex kBiased(
      R"(^biased ([a-z0-9_]+) to the weaker (left|right) side \((left|right) side takes over\): )"
      R"(\+(\d+) reps? per set(, leading with cue ([a-z0-9_]+))?:)");
  static const std::regex kUnbiased(R"(^removed the side bias of ([a-z0-9_]+):)");
  std::smatch m;
  const bool biased = std::regex_search(change.reason(), m, kBiased);
  if (!biased && !std::regex_search(change.reason(), m, kUnbiased)) return std::nullopt;
  const std::string id = m[1];
  if (id != change.exercise_id()) return Fail(change, "names another exercise than exercise_id");
  if (change.action() != v1::BIAS_SIDE) return Fail(change, "wrong action");
  if (routine.count(id) == 0) return Fail(change, "the exercise is not in the routine");
  const Placed& placed = routine.at(id);
  if (change.to_level() != placed.level) return Fail(change, "to_level differs");
  const v1::SideBias& bias = placed.block->prescription().bias();
  const auto& leads = placed.block->lead_cue_ids();
  claims->bias[id] = true;
  if (!biased) {
    if (bias.extra_reps() > 0) return Fail(change, "still biased");
    if (!leads.empty()) return Fail(change, "still led by a cue");
    return "";
  }
  if (bias.side() != (m[2] == "left" ? v1::LEFT : v1::RIGHT)) return Fail(change, "other side");
  if (m[2] == m[3]) return Fail(change, "the weaker side is the one that takes over");
  if (bias.extra_reps() != std::stoul(m[4])) return Fail(change, "other extra reps");
  if (m[5].matched && (leads.size() != 1 || leads[0] != m[6])) {
    return Fail(change, "not led by that cue");
  }
  if (!m[5].matched && !leads.empty()) return Fail(change, "led by a cue it does not name");
  return "";
}

// "removed X", "locked X", "left out X", "X stays locked", "unlocked X".
std::optional<std::string> CheckMembership(const v1::Change& change, const Routine& routine,
                                           Claims* claims) {
  static const std::regex kGone(R"(^(removed|locked|left out) ([a-z0-9_]+)[:,]?)");
  static const std::regex kStays(R"(^()([a-z0-9_]+) stays locked:)");
  static const std::regex kUnlocked(R"(^(unlocked) ([a-z0-9_]+)[:,;])");
  std::smatch m;
  v1::ProgressAction action = v1::LOCK;
  if (std::regex_search(change.reason(), m, kUnlocked)) {
    action = v1::UNLOCK;
  } else if (std::regex_search(change.reason(), m, kStays)) {
    action = v1::HOLD;
  } else if (!std::regex_search(change.reason(), m, kGone)) {
    return std::nullopt;
  }
  const std::string id = m[2];
  if (id != change.exercise_id()) return Fail(change, "names another exercise than exercise_id");
  if (change.action() != action) return Fail(change, "wrong action");
  const bool in = routine.count(id) > 0;
  if (in != (action == v1::UNLOCK)) return Fail(change, in ? "in the routine" : "not in it");
  if (action == v1::UNLOCK && (routine.at(id).level != 0 || change.to_level() != 0)) {
    return Fail(change, "not at level 0");
  }
  if (action != v1::HOLD) claims->member[id] = true;
  return "";
}

// Checks the claims of one change against `routine`; "" when they hold.
std::string CheckChange(const v1::Change& change, const Routine& routine, Claims* claims) {
  // "removed the side bias of X" before "removed X".
  for (auto check : {CheckLevel, CheckBias, CheckMembership}) {
    if (std::optional<std::string> problem = check(change, routine, claims)) return *problem;
  }
  return Fail(change, "a reason outside the grammar");
}

// Checks the claims of the routine's notes; "" when they hold.
std::string CheckNote(const std::string& note, const std::map<std::string, Placed>& routine) {
  static const std::regex kStays(R"(^([a-z0-9_]+) stays locked:)");
  static const std::regex kNoBias(R"(^no side bias for ([a-z0-9_]+):)");
  static const std::regex kKept(R"(^kept the side bias of ([a-z0-9_]+):)");
  std::smatch m;
  if (std::regex_search(note, m, kStays) && routine.count(m[1]) > 0) {
    return absl::StrCat("in the routine: \"", note, "\"");
  }
  if (std::regex_search(note, m, kNoBias) && routine.count(m[1]) > 0) {
    const v1::Block& block = *routine.at(m[1]).block;
    if (block.prescription().bias().extra_reps() > 0 || !block.lead_cue_ids().empty()) {
      return absl::StrCat("biased all the same: \"", note, "\"");
    }
  }
  if (std::regex_search(note, m, kKept)) {
    if (routine.count(m[1]) == 0 ||
        routine.at(m[1]).block->prescription().bias().extra_reps() == 0) {
      return absl::StrCat("no bias kept: \"", note, "\"");
    }
  }
  return "";
}

// Nothing changed silently: a level moved, an exercise came or went, a bias or a lead cue
// changed only with a change that says so.
std::string CheckNothingSilent(const v1::Routine& before, const v1::Routine& after,
                               const Claims& claims) {
  const std::map<std::string, Placed> old_blocks = ByExercise(before);
  const std::map<std::string, Placed> new_blocks = ByExercise(after);
  for (const auto& [id, placed] : old_blocks) {
    if (new_blocks.count(id) == 0) {
      if (claims.member.count(id) == 0) return absl::StrCat(id, " removed without a word");
      continue;
    }
    const Placed& now = new_blocks.at(id);
    if (now.level != placed.level && claims.level.count(id) == 0) {
      return absl::StrCat(id, " moved from level ", placed.level, " to ", now.level, " silently");
    }
    const bool bias_then = placed.block->prescription().bias().extra_reps() > 0;
    const bool bias_now = now.block->prescription().bias().extra_reps() > 0;
    const bool leads_changed = placed.block->lead_cue_ids_size() != now.block->lead_cue_ids_size();
    if ((bias_then != bias_now || leads_changed) && claims.bias.count(id) == 0) {
      return absl::StrCat(id, "'s bias or lead cue changed silently");
    }
  }
  for (const auto& [id, placed] : new_blocks) {
    if (old_blocks.count(id) == 0 && claims.member.count(id) == 0) {
      return absl::StrCat(id, " added without a word");
    }
  }
  return "";
}

TEST(ProgressionReasonPropertyTest, EveryClaimOfEveryReasonHoldsInTheReturnedRoutine) {
  const Catalog& catalog = Catalog::Default();
  const auto began = std::chrono::steady_clock::now();
  int decided = 0;
  int out_of_range = 0;
  std::map<v1::ProgressAction, int> actions;
  int cues = 0;
  int regress_incomplete = 0;
  v1::ProgressDecision decision;
  for (int n = 0; n < kRequests; ++n) {
    Fuzz fuzz(internal::MixSeed(20260513, static_cast<uint64_t>(n)));
    const v1::ProgressRequest request = test_random::RandomRequest(fuzz);
    const absl::Status status = Progress(catalog, request, &decision);
    if (!status.ok()) {
      ASSERT_EQ(status.code(), absl::StatusCode::kOutOfRange)
          << "request #" << n << ": " << status << "\n"
          << request.ShortDebugString();
      ++out_of_range;
      continue;
    }
    ++decided;
    const std::map<std::string, Placed> placed = ByExercise(decision.routine());
    Claims claims;
    for (const v1::Change& change : decision.changes()) {
      ++actions[change.action()];
      cues += change.reason().find("leading with cue") != std::string::npos;
      regress_incomplete +=
          change.rule_id() == "regress_on_repeated_incomplete" && change.action() == v1::REGRESS;
      const std::string problem = CheckChange(change, placed, &claims);
      ASSERT_EQ(problem, "") << "request #" << n << "\n"
                             << request.ShortDebugString() << "\n"
                             << decision.ShortDebugString();
    }
    for (const std::string& note : decision.routine().notes()) {
      ASSERT_EQ(CheckNote(note, placed), "") << "request #" << n << "\n"
                                             << request.ShortDebugString() << "\n"
                                             << decision.ShortDebugString();
    }
    if (request.routine().blocks_size() > 0) {
      ASSERT_EQ(CheckNothingSilent(request.routine(), decision.routine(), claims), "")
          << "request #" << n << "\n"
          << request.ShortDebugString() << "\n"
          << decision.ShortDebugString();
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  std::printf(
      "requests %d: decided %d, out of range %d; advance %d, hold %d, regress %d (repeated "
      "incomplete %d), unlock %d, lock %d, bias %d (leading with a cue %d); %.2f s\n",
      kRequests, decided, out_of_range, actions[v1::ADVANCE], actions[v1::HOLD],
      actions[v1::REGRESS], regress_incomplete, actions[v1::UNLOCK], actions[v1::LOCK],
      actions[v1::BIAS_SIDE], cues, seconds);
  // Every kind of claim was made often enough to have been checked.
  EXPECT_GE(decided, 10000);
  EXPECT_GT(actions[v1::ADVANCE], 500);
  EXPECT_GT(actions[v1::REGRESS], 500);
  EXPECT_GT(regress_incomplete, 50);
  EXPECT_GT(actions[v1::UNLOCK], 10);
  EXPECT_GT(actions[v1::LOCK], 500);
  EXPECT_GT(actions[v1::BIAS_SIDE], 500);
  EXPECT_GT(cues, 200);
}

}  // namespace
}  // namespace regimen
