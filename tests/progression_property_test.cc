// The safety rules that never bend, checked over 10,000 seeded random profiles, each with a
// random history of up to 6 decisions: the gated exercise never leaks, no contraindicated
// exercise is prescribed, no advance through pain, at most one level per decision, always inside
// the safe ranges and the time budget, and the same input gives the same output.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/generator.h"
#include "regimen/progression.h"
#include "regimen/routine.h"
#include "src/generator/random.h"
#include "tests/progression_random.h"

namespace regimen {
namespace {

constexpr int kProfiles = 10000;

using test_random::Fuzz;
using test_random::RandomProfile;

bool Has(const google::protobuf::RepeatedPtrField<std::string>& list, const std::string& id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

int MaxPainOf(const v1::SessionRecord& record) {
  int pain = 0;
  for (const v1::ReportRecord& r : record.reports()) {
    if (r.kind() == v1::REPORT_PAIN) pain = std::max(pain, r.value());
  }
  for (const v1::SafetyStopRecord& s : record.safety_stops()) pain = std::max(pain, s.pain());
  return pain;
}

// The gate's history requirement, written out again independently of the engine.
bool GateHistoryHolds(const v1::Gate& gate, const std::vector<v1::SessionRecord>& records) {
  const v1::HistoryRequirement& h = gate.history();
  if (records.size() < h.sessions()) return false;
  for (size_t i = records.size() - h.sessions(); i < records.size(); ++i) {
    const v1::SessionRecord& r = records[i];
    if (h.completed()) {
      if (r.end() != v1::SESSION_END_COMPLETED || r.skips() > 0 || r.safety_stops_size() > 0) {
        return false;
      }
      for (const v1::BlockRecord& b : r.blocks()) {
        if (b.outcome() != v1::BLOCK_OUTCOME_COMPLETED) return false;
      }
    }
    if (MaxPainOf(r) > static_cast<int>(h.max_pain())) return false;
    if (h.no_asymmetry()) {
      for (const v1::ReportRecord& rep : r.reports()) {
        if (rep.kind() == v1::REPORT_ASYMMETRY) return false;
      }
    }
  }
  return true;
}

// Checks every invariant of `routine` for `profile` after `records`; "" when all hold.
std::string CheckRoutine(const v1::Routine& routine, const v1::Profile& profile,
                         const std::vector<v1::SessionRecord>& records) {
  const Catalog& catalog = Catalog::Default();
  if (!ValidateRoutine(routine, catalog).empty()) {
    return absl::StrCat("invalid routine: ", ValidateRoutine(routine, catalog)[0].ToString());
  }
  if (!catalog.FindExercise(routine.blocks(0).exercise_id())->primer()) return "primer not first";
  bool primer_only = false;
  for (const std::string& c : profile.conditions()) {
    primer_only = primer_only || catalog.FindCondition(c)->primer_only();
  }
  if (primer_only && routine.blocks_size() != 1) return "primer_only condition, more blocks";
  for (const v1::Block& block : routine.blocks()) {
    const v1::Exercise& exercise = *catalog.FindExercise(block.exercise_id());
    for (const std::string& c : exercise.contraindications()) {
      if (Has(profile.conditions(), c)) return absl::StrCat(exercise.id(), " with ", c);
    }
    if (exercise.has_gate()) {
      for (const std::string& a : exercise.gate().attestations()) {
        if (!Has(profile.attestations(), a)) return absl::StrCat(exercise.id(), " without ", a);
      }
      if (!GateHistoryHolds(exercise.gate(), records)) {
        return absl::StrCat(exercise.id(), " without the gate's history");
      }
    }
    if (!ValidatePrescription(EffectivePrescription(block, exercise), exercise, "p").empty()) {
      return absl::StrCat(exercise.id(), " outside its safe ranges");
    }
  }
  v1::Profile normalized = *NormalizeProfile(catalog, profile);
  const int64_t estimate = *EstimateRoutineMs(routine, catalog);
  if (estimate > SessionBudgetMs(normalized)) {
    return absl::StrCat("over budget: ", estimate, " > ", SessionBudgetMs(normalized));
  }
  if (routine.estimated_duration_ms() != estimate) return "estimated_duration_ms is stale";
  return "";
}

uint32_t LevelOf(const v1::Routine& routine, const std::string& id, bool* found) {
  for (int i = 0; i < routine.blocks_size(); ++i) {
    if (routine.blocks(i).exercise_id() == id) {
      *found = true;
      return routine.levels_size() > i ? routine.levels(i) : 0;
    }
  }
  *found = false;
  return 0;
}

// The routine to progress from: mostly the generated one, sometimes the full routine, gated
// exercise and all, at random levels.
v1::Routine StartFrom(Fuzz& fuzz, const v1::Routine& generated) {
  const Catalog& catalog = Catalog::Default();
  if (!fuzz.Chance(15)) return generated;
  v1::Routine current = *catalog.FindRoutine("back_basics_plus");
  for (int i = 0; i < current.blocks_size(); ++i) {
    const v1::Ladder* ladder = catalog.FindLadder(current.blocks(i).exercise_id());
    current.add_levels(ladder == nullptr ? 0 : fuzz.Below(ladder->levels_size()));
    if (ladder != nullptr) {
      *current.mutable_blocks(i)->mutable_prescription() = ladder->levels(current.levels(i));
    }
  }
  return current;
}

struct Counts {
  int advances = 0;
  int regressions = 0;
  int unlocks = 0;
};

// The rules of one decision from `current` after `latest`: no advance through pain or after a
// safety stop, one level at a time, new exercises at level 0; "" when they hold.
std::string CheckStep(const v1::Routine& current, const v1::ProgressDecision& decision,
                      const v1::SessionRecord& latest, Counts* counts) {
  for (const v1::Change& change : decision.changes()) {
    if (change.action() == v1::ADVANCE) {
      ++counts->advances;
      if (MaxPainOf(latest) > kSafePainMax) return "advanced through pain";
      if (latest.safety_stops_size() > 0 || latest.end() == v1::SESSION_END_SAFETY_STOP) {
        return "advanced after a safety stop";
      }
      if (change.to_level() != change.from_level() + 1) return "advanced by more than one";
    }
    if (change.action() == v1::REGRESS) {
      ++counts->regressions;
      if (change.to_level() + 1 != change.from_level()) return "regressed by more than one";
    }
    counts->unlocks += change.action() == v1::UNLOCK;
  }
  for (int i = 0; i < decision.routine().blocks_size(); ++i) {
    bool found = false;
    const uint32_t before = LevelOf(current, decision.routine().blocks(i).exercise_id(), &found);
    const uint32_t after = decision.routine().levels(i);
    if (found && after > before + 1) return "more than one level up";
    if (found && before > after + 1) return "more than one level down";
    if (!found && after != 0) return "a new exercise starts above level 0";
  }
  return "";
}

TEST(ProgressionPropertyTest, SafetyRulesHoldOverTenThousandRandomProfilesAndHistories) {
  const Catalog& catalog = Catalog::Default();
  int generated = 0;
  int out_of_range = 0;
  int decisions = 0;
  Counts counts;
  for (int n = 0; n < kProfiles; ++n) {
    Fuzz fuzz(internal::MixSeed(20260419, static_cast<uint64_t>(n)));
    const v1::Profile profile = RandomProfile(fuzz);
    SCOPED_TRACE(absl::StrCat("profile #", n, ": ", profile.ShortDebugString()));
    absl::StatusOr<v1::Routine> routine = GenerateRoutine(catalog, profile);
    if (!routine.ok()) {
      // Only allowed when the primer alone does not fit.
      ASSERT_EQ(routine.status().code(), absl::StatusCode::kOutOfRange) << routine.status();
      v1::Routine primer;
      primer.add_blocks()->set_exercise_id(catalog.Primer()->id());
      ASSERT_GT(*EstimateRoutineMs(primer, catalog),
                SessionBudgetMs(*NormalizeProfile(catalog, profile)));
      ++out_of_range;
      continue;
    }
    ++generated;
    std::vector<v1::SessionRecord> history;
    ASSERT_EQ(CheckRoutine(*routine, profile, history), "");
    for (const v1::Block& block : routine->blocks()) ASSERT_NE(block.exercise_id(), "prone_rock");
    ASSERT_EQ(GenerateRoutine(catalog, profile)->SerializeAsString(), routine->SerializeAsString());

    v1::Routine current = StartFrom(fuzz, *routine);
    const int steps = 1 + static_cast<int>(fuzz.Below(6));
    for (int step = 0; step < steps; ++step) {
      const int sessions = 1 + static_cast<int>(fuzz.Below(4));
      for (int s = 0; s < sessions; ++s) {
        const int64_t start = static_cast<int64_t>(history.size()) * 86400000;
        history.push_back(test_random::RandomRecord(fuzz, current, start));
      }
      v1::ProgressRequest request;
      *request.mutable_routine() = current;
      *request.mutable_profile() = profile;
      for (const v1::SessionRecord& record : history) *request.add_records() = record;
      absl::StatusOr<v1::ProgressDecision> decision = Progress(catalog, request);
      if (!decision.ok()) {
        ASSERT_EQ(decision.status().code(), absl::StatusCode::kOutOfRange) << decision.status();
        break;
      }
      ++decisions;
      SCOPED_TRACE(absl::StrCat("step ", step, ": ", decision->ShortDebugString()));
      ASSERT_EQ(CheckRoutine(decision->routine(), profile, history), "");
      ASSERT_EQ(CheckStep(current, *decision, history.back(), &counts), "");
      absl::StatusOr<v1::ProgressDecision> again = Progress(catalog, request);
      ASSERT_TRUE(again.ok());
      ASSERT_EQ(again->SerializeAsString(), decision->SerializeAsString()) << "not deterministic";
      current = decision->routine();
    }
  }
  // The search reached every kind of outcome, so the checks above were exercised.
  EXPECT_EQ(generated + out_of_range, kProfiles);
  EXPECT_GT(out_of_range, 0);
  EXPECT_GT(decisions, kProfiles);
  EXPECT_GT(counts.advances, 1000);
  EXPECT_GT(counts.regressions, 100);
  EXPECT_GT(counts.unlocks, 10);
  std::printf(
      "profiles %d (out of range %d), decisions %d, advances %d, regressions %d, "
      "unlocks %d\n",
      kProfiles, out_of_range, decisions, counts.advances, counts.regressions, counts.unlocks);
}

}  // namespace
}  // namespace regimen
