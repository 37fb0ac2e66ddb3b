// Seeded random inputs for the progression property tests: profiles (conditions, attestations,
// budgets from tiny to large) and session records shaped as the engine writes them — mostly
// benign so that progression moves, sometimes painful, uneven, short, skipped, stopped by the
// user or by a safety stop — always valid for the request checks (done never above planned,
// times in order).
#ifndef REGIMEN_TESTS_PROGRESSION_RANDOM_H_
#define REGIMEN_TESTS_PROGRESSION_RANDOM_H_

#include <algorithm>
#include <cstdint>

#include "absl/status/statusor.h"
#include "regimen/catalog.h"
#include "regimen/generator.h"
#include "regimen/routine.h"
#include "regimen/v1/profile.pb.h"
#include "regimen/v1/progression.pb.h"
#include "regimen/v1/routine.pb.h"
#include "regimen/v1/session.pb.h"
#include "src/generator/random.h"

namespace regimen::test_random {

class Fuzz {
 public:
  explicit Fuzz(uint64_t seed) : random_(seed) {}
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(random_.Below(n)); }
  bool Chance(uint32_t percent) { return Below(100) < percent; }

 private:
  internal::Random random_;
};

inline v1::Profile RandomProfile(Fuzz& fuzz) {
  const Catalog& catalog = Catalog::Default();
  v1::Profile profile;
  profile.set_level(fuzz.Below(6));
  profile.set_minutes_per_week(fuzz.Chance(10) ? 0 : 1 + fuzz.Below(60));
  profile.set_sessions_per_week(fuzz.Below(8));
  profile.set_seed((uint64_t{fuzz.Below(1u << 31)} << 32) | fuzz.Below(1u << 31));
  for (const v1::ConditionDef& condition : catalog.proto().conditions()) {
    if (fuzz.Chance(8)) profile.add_conditions(condition.id());
  }
  if (fuzz.Chance(60)) profile.add_attestations("spine_flexible_strong_balanced");
  return profile;
}

// How the random sessions go, in percent.
struct RecordOdds {
  uint32_t pain = 25;         // a pain report per block (a quarter of them above 3)
  uint32_t asymmetry = 12;    // an asymmetry report per block
  uint32_t short_block = 10;  // a block skipped or cut short
  uint32_t user_stop = 5;     // the user stops the session
};

// The record of block `i` of `routine`, done from *now_ms on unless the session already ended
// (*end set): then it is not reached. Advances *now_ms; a pain report of 6 or more is a safety
// stop that ends the session (*end).
inline void RandomBlock(Fuzz& fuzz, const v1::Routine& routine, int i, const RecordOdds& odds,
                        int64_t* now_ms, v1::SessionEnd* end, v1::SessionRecord* record) {
  const v1::Block& block = routine.blocks(i);
  const v1::Exercise& exercise = *Catalog::Default().FindExercise(block.exercise_id());
  const v1::Prescription prescription = EffectivePrescription(block, exercise);
  v1::BlockRecord* b = record->add_blocks();
  b->set_block_index(i);
  b->set_exercise_id(block.exercise_id());
  const uint32_t level = routine.levels_size() > i ? routine.levels(i) : 0;
  // Now and then a session of an earlier decision, one level off.
  b->set_level(fuzz.Chance(85) ? level : fuzz.Chance(50) ? level + 1 : (level > 0 ? level - 1 : 0));
  b->set_sets_planned(EffectiveSets(prescription));
  const bool sided = exercise.laterality() != v1::LATERALITY_BILATERAL;
  const uint32_t reps = EffectiveReps(prescription);
  for (int s = 0; s < (sided ? 2 : 1); ++s) {
    v1::SideRecord* side = b->add_sides();
    side->set_side(!sided ? v1::SIDE_UNSPECIFIED : s == 0 ? v1::LEFT : v1::RIGHT);
    side->set_reps_planned(reps);
    side->set_holds_planned(reps);
  }
  if (*end != v1::SESSION_END_UNSPECIFIED) return;  // not reached
  const bool full = !fuzz.Chance(odds.short_block);
  b->set_outcome(full ? v1::BLOCK_OUTCOME_COMPLETED : v1::BLOCK_OUTCOME_SKIPPED);
  b->set_sets_done(full ? b->sets_planned() : fuzz.Below(b->sets_planned() + 1));
  for (v1::SideRecord& side : *b->mutable_sides()) {
    side.set_reps_done(full ? reps : fuzz.Below(reps + 1));
    side.set_holds_achieved(fuzz.Below(side.reps_done() + 1));
  }
  if (!full) record->set_skips(record->skips() + 1);
  const int64_t active = 20000 + fuzz.Below(60000);
  b->set_active_ms(active);
  auto report = [&](v1::ReportKind kind, int64_t at_ms) {
    v1::ReportRecord* r = record->add_reports();
    r->set_at_ms(at_ms);
    r->set_kind(kind);
    r->set_block_index(i);
    r->set_exercise_id(block.exercise_id());
    return r;
  };
  if (fuzz.Chance(odds.asymmetry)) {
    const uint32_t side = fuzz.Below(10);
    report(v1::REPORT_ASYMMETRY, *now_ms + fuzz.Below(static_cast<uint32_t>(active / 2)))
        ->set_side(side < 1   ? v1::SIDE_UNSPECIFIED
                   : side < 6 ? v1::LEFT
                              : v1::RIGHT);
  }
  if (fuzz.Chance(odds.pain)) {
    v1::ReportRecord* pain = report(
        v1::REPORT_PAIN, *now_ms + active / 2 + fuzz.Below(static_cast<uint32_t>(active / 2)));
    pain->set_value(static_cast<int>(fuzz.Chance(75) ? fuzz.Below(4) : fuzz.Below(11)));
    if (fuzz.Chance(10)) {  // made outside any exercise
      pain->set_block_index(-1);
      pain->clear_exercise_id();
    }
    if (pain->value() >= 6) {
      v1::SafetyStopRecord* stop = record->add_safety_stops();
      stop->set_at_ms(pain->at_ms());
      stop->set_block_index(i);
      stop->set_exercise_id(block.exercise_id());
      stop->set_pain(pain->value());
      b->set_outcome(v1::BLOCK_OUTCOME_SAFETY_STOPPED);
      *end = v1::SESSION_END_SAFETY_STOP;
      *now_ms = pain->at_ms();
      return;
    }
  }
  *now_ms += active;
  if (fuzz.Chance(odds.user_stop)) {
    b->set_outcome(v1::BLOCK_OUTCOME_STOPPED);
    *end = v1::SESSION_END_STOPPED;
  }
}

// A record of `routine` started at `start_ms`, as the engine writes it: a pain report at or
// above 6 ends the session there (SESSION_END_SAFETY_STOP, later blocks not reached). Now and
// then the record is a foreign host's: a safety-stop end with no SafetyStopRecord.
inline v1::SessionRecord RandomRecord(Fuzz& fuzz, const v1::Routine& routine, int64_t start_ms,
                                      const RecordOdds& odds = {}) {
  v1::SessionRecord record;
  record.set_routine_id(routine.id());
  record.set_started_at_ms(start_ms);
  int64_t now = start_ms;
  v1::SessionEnd end = v1::SESSION_END_UNSPECIFIED;
  for (int i = 0; i < routine.blocks_size(); ++i) {
    RandomBlock(fuzz, routine, i, odds, &now, &end, &record);
  }
  if (end == v1::SESSION_END_UNSPECIFIED) {
    end = v1::SESSION_END_COMPLETED;
    if (fuzz.Chance(70)) {
      v1::ReportRecord* effort = record.add_reports();
      effort->set_at_ms(now);
      effort->set_kind(v1::REPORT_EFFORT);
      effort->set_value(static_cast<int>(fuzz.Below(11)));
      effort->set_block_index(-1);
    }
    if (fuzz.Chance(2)) end = v1::SESSION_END_SAFETY_STOP;  // a foreign record, no details
  }
  record.set_end(end);
  record.set_ended_at_ms(now);
  record.set_active_ms(now - start_ms);
  return record;
}

// The routine a request starts from: generated for the profile, or a catalog routine at random
// levels, sometimes carrying the bias and lead cue an earlier decision left.
inline v1::Routine StartRoutine(Fuzz& fuzz, const v1::Profile& profile) {
  const Catalog& catalog = Catalog::Default();
  if (fuzz.Chance(50)) {
    absl::StatusOr<v1::Routine> generated = GenerateRoutine(catalog, profile);
    if (generated.ok()) return *generated;
  }
  v1::Routine routine = *catalog.FindRoutine(fuzz.Chance(70) ? "back_basics" : "back_basics_plus");
  routine.clear_levels();
  for (int i = 0; i < routine.blocks_size(); ++i) {
    v1::Block* block = routine.mutable_blocks(i);
    const v1::Ladder* ladder = catalog.FindLadder(block->exercise_id());
    const uint32_t level = ladder == nullptr ? 0 : fuzz.Below(ladder->levels_size());
    routine.add_levels(level);
    if (ladder == nullptr) continue;
    const v1::Side first = block->prescription().first_side();
    *block->mutable_prescription() = ladder->levels(static_cast<int>(level));
    block->mutable_prescription()->set_first_side(first);
    const v1::Exercise& exercise = *catalog.FindExercise(block->exercise_id());
    if (exercise.laterality() != v1::LATERALITY_BILATERAL && fuzz.Chance(20)) {
      v1::Prescription biased = block->prescription();
      biased.mutable_bias()->set_side(fuzz.Chance(50) ? v1::LEFT : v1::RIGHT);
      biased.mutable_bias()->set_extra_reps(1);
      if (ValidatePrescription(biased, exercise, "p").empty()) {
        *block->mutable_prescription() = biased;
        for (const v1::Cue& cue : exercise.cues()) {
          if (cue.trigger().report() == v1::REPORT_ASYMMETRY && fuzz.Chance(80)) {
            block->add_lead_cue_ids(cue.id());  // its corrective cue
            break;
          }
        }
      }
    }
  }
  return routine;
}

// A random request: a profile, the routine it starts from, 0..6 records of it (a tenth ask for
// the generated routine).
inline v1::ProgressRequest RandomRequest(Fuzz& fuzz) {
  v1::ProgressRequest request;
  *request.mutable_profile() = RandomProfile(fuzz);
  v1::Routine routine = StartRoutine(fuzz, request.profile());
  RecordOdds odds;
  if (fuzz.Chance(30)) {  // clean histories, so that gated exercises unlock
    odds = {/*pain=*/5, /*asymmetry=*/0, /*short_block=*/0, /*user_stop=*/0};
  } else {
    odds.asymmetry = 10 + fuzz.Below(40);  // some histories full of asymmetry reports
    odds.short_block = fuzz.Below(40);     // some full of short sessions
  }
  const int sessions = static_cast<int>(fuzz.Below(7));
  for (int s = 0; s < sessions; ++s) {
    *request.add_records() = RandomRecord(fuzz, routine, int64_t{s} * 86400000, odds);
  }
  // An empty routine asks for the generated one (the records then are of the catalog routine).
  if (fuzz.Chance(10)) routine.Clear();
  *request.mutable_routine() = std::move(routine);
  return request;
}

}  // namespace regimen::test_random

#endif  // REGIMEN_TESTS_PROGRESSION_RANDOM_H_
