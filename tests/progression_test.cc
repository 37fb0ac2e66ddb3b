// Progression: each default rule of the pack, the engine's safety rules, rules as data, errors.
#include "regimen/progression.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/generator.h"
#include "regimen/l10n.h"
#include "regimen/routine.h"

namespace regimen {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

MATCHER_P2(StatusIs, code, message_part, "") {
  const absl::Status status = arg.status();
  *result_listener << "status is " << status;
  return status.code() == code && absl::StrContains(status.message(), message_part);
}

const char* const kCore[] = {"grow_through_spine", "prone_lift", "prone_leg_lift",
                             "prone_opposite_lift", "prone_rock"};

// What one scripted session reports.
struct Script {
  int pain = 1;                               // in prone_lift
  int effort = 5;                             // outside any exercise
  v1::Side asymmetry = v1::SIDE_UNSPECIFIED;  // takes over in prone_leg_lift
  bool stop_lift = false;                     // a safety stop in prone_lift
  bool incomplete_lift = false;               // prone_lift skipped halfway
  int rock_pain = -1;                         // pain in prone_rock, when it is in the routine
};

// A record of `routine` done as `script` says, shaped as the session engine records it.
v1::SessionRecord Record(const v1::Routine& routine, const Script& script) {
  v1::SessionRecord record;
  record.set_routine_id(routine.id());
  record.set_end(v1::SESSION_END_COMPLETED);
  for (int i = 0; i < routine.blocks_size(); ++i) {
    const v1::Block& block = routine.blocks(i);
    const v1::Exercise& exercise = *Catalog::Default().FindExercise(block.exercise_id());
    v1::BlockRecord* b = record.add_blocks();
    b->set_block_index(i);
    b->set_exercise_id(block.exercise_id());
    b->set_outcome(v1::BLOCK_OUTCOME_COMPLETED);
    b->set_level(routine.levels_size() > i ? routine.levels(i) : 0);
    const uint32_t reps = EffectiveReps(EffectivePrescription(block, exercise));
    const bool sided = exercise.laterality() == v1::LATERALITY_ALTERNATING;
    for (v1::Side side : sided ? std::vector<v1::Side>{v1::LEFT, v1::RIGHT}
                               : std::vector<v1::Side>{v1::SIDE_UNSPECIFIED}) {
      v1::SideRecord* s = b->add_sides();
      s->set_side(side);
      s->set_reps_planned(reps);
      s->set_reps_done(reps);
    }
    auto report = [&](v1::ReportKind kind, int value, v1::Side side) {
      v1::ReportRecord* r = record.add_reports();
      r->set_kind(kind);
      r->set_value(value);
      r->set_side(side);
      r->set_block_index(i);
      r->set_exercise_id(block.exercise_id());
    };
    if (block.exercise_id() == "prone_lift") {
      if (script.pain >= 0) report(v1::REPORT_PAIN, script.pain, v1::SIDE_UNSPECIFIED);
      if (script.stop_lift || script.incomplete_lift) {
        b->set_outcome(script.stop_lift ? v1::BLOCK_OUTCOME_SAFETY_STOPPED
                                        : v1::BLOCK_OUTCOME_SKIPPED);
        b->mutable_sides(0)->set_reps_done(reps / 2);
        if (script.stop_lift) {
          v1::SafetyStopRecord* stop = record.add_safety_stops();
          stop->set_block_index(i);
          stop->set_exercise_id("prone_lift");
          stop->set_pain(6);
        } else {
          record.set_skips(1);
        }
      }
    }
    if (block.exercise_id() == "prone_leg_lift" && script.asymmetry != v1::SIDE_UNSPECIFIED) {
      report(v1::REPORT_ASYMMETRY, 0, script.asymmetry);
    }
    if (block.exercise_id() == "prone_rock" && script.rock_pain >= 0) {
      report(v1::REPORT_PAIN, script.rock_pain, v1::SIDE_UNSPECIFIED);
    }
  }
  v1::ReportRecord* effort = record.add_reports();
  effort->set_kind(v1::REPORT_EFFORT);
  effort->set_value(script.effort);
  effort->set_block_index(-1);
  return record;
}

v1::Profile Profile(bool attested = false) {
  v1::Profile profile;
  profile.set_minutes_per_week(30);
  profile.set_seed(5);
  if (attested) profile.add_attestations("spine_flexible_strong_balanced");
  return profile;
}

v1::ProgressRequest Request(const v1::Profile& profile, const std::vector<Script>& scripts,
                            std::vector<uint32_t> levels = {0, 0, 0, 0}) {
  v1::ProgressRequest request;
  *request.mutable_profile() = profile;
  v1::Routine routine = *GenerateRoutine(Catalog::Default(), profile);
  routine.clear_levels();
  for (size_t i = 0; i < levels.size(); ++i) {
    routine.add_levels(levels[i]);
    const v1::Ladder* ladder = Catalog::Default().FindLadder(routine.blocks(i).exercise_id());
    if (ladder != nullptr) {
      v1::Side first = routine.blocks(i).prescription().first_side();
      *routine.mutable_blocks(i)->mutable_prescription() = ladder->levels(levels[i]);
      routine.mutable_blocks(i)->mutable_prescription()->set_first_side(first);
    }
  }
  for (const Script& script : scripts) *request.add_records() = Record(routine, script);
  *request.mutable_routine() = std::move(routine);
  return request;
}

const v1::Change* ChangeOf(const v1::ProgressDecision& decision, const std::string& id) {
  for (const v1::Change& change : decision.changes()) {
    if (change.exercise_id() == id) return &change;
  }
  return nullptr;
}

std::vector<std::string> Exercises(const v1::Routine& routine) {
  std::vector<std::string> out;
  for (const v1::Block& block : routine.blocks()) out.push_back(block.exercise_id());
  return out;
}

TEST(ProgressTest, AdvancesOneLevelAfterTwoCleanSessionsWithTheNumbersInTheReason) {
  absl::StatusOr<v1::ProgressDecision> decision =
      Progress(Catalog::Default(), Request(Profile(), {Script{2, 5}, Script{2, 5}}));
  ASSERT_TRUE(decision.ok()) << decision.status();
  const v1::Change* lift = ChangeOf(*decision, "prone_lift");
  ASSERT_NE(lift, nullptr);
  EXPECT_EQ(lift->action(), v1::ADVANCE);
  EXPECT_EQ(lift->from_level(), 0u);
  EXPECT_EQ(lift->to_level(), 1u);
  EXPECT_EQ(lift->rule_id(), "advance_when_easy");
  EXPECT_EQ(lift->reason(),
            "advanced prone_lift to level 1 (0..5): last 2 sessions: 2 sessions at this level ≥ "
            "2, completion 100% ≥ 100%, max pain 2 ≤ 3, mean effort 5.0 ≤ 7");
  EXPECT_THAT(decision->routine().levels(), ElementsAre(0, 1, 1, 1));
  EXPECT_EQ(decision->routine().blocks(1).prescription().hold().breaths(), 2u);
  EXPECT_TRUE(ValidateRoutine(decision->routine(), Catalog::Default()).empty());
}

// The reasons, notes and routine name are in the profile's language (docs/localization.md);
// the decision is the same.
TEST(ProgressTest, ReasonsAndNotesInTheProfilesLanguage) {
  v1::Profile profile = Profile();
  profile.set_locale("de-AT");  // falls back to de
  v1::ProgressRequest request = Request(profile, {Script{2, 5}, Script{2, 5}});
  absl::StatusOr<v1::ProgressDecision> de = Progress(Catalog::Default(), request);
  ASSERT_TRUE(de.ok()) << de.status();
  EXPECT_EQ(ChangeOf(*de, "prone_lift")->reason(),
            "prone_lift auf Stufe 1 (0..5) gesteigert: letzte 2 Einheiten: 2 Einheiten auf dieser "
            "Stufe ≥ 2, Abschluss 100% ≥ 100%, höchster Schmerz 2 ≤ 3, mittlere Anstrengung 5.0 ≤ "
            "7");
  EXPECT_EQ(ChangeOf(*de, "prone_rock"), nullptr);
  EXPECT_THAT(de->routine().notes(), ElementsAre("prone_rock bleibt gesperrt: das Profil bestätigt "
                                                 "spine_flexible_strong_balanced nicht"));
  EXPECT_EQ(de->routine().name(), "Rücken-Grundprogramm");  // back_basics, in German
  request.mutable_profile()->set_locale("es-MX");           // falls back to es
  absl::StatusOr<v1::ProgressDecision> es = Progress(Catalog::Default(), request);
  ASSERT_TRUE(es.ok()) << es.status();
  EXPECT_EQ(ChangeOf(*es, "prone_lift")->reason(),
            "prone_lift subido al nivel 1 (0..5): últimas 2 sesiones: 2 sesiones en este nivel ≥ "
            "2, completado 100% ≥ 100%, dolor máximo 2 ≤ 3, esfuerzo medio 5.0 ≤ 7");
  request.mutable_profile()->set_locale("xx");  // not in the pack: English, with a note first
  absl::StatusOr<v1::ProgressDecision> xx = Progress(Catalog::Default(), request);
  ASSERT_TRUE(xx.ok()) << xx.status();
  EXPECT_EQ(ChangeOf(*xx, "prone_lift")->reason(),
            "advanced prone_lift to level 1 (0..5): last 2 sessions: 2 sessions at this level ≥ "
            "2, completion 100% ≥ 100%, max pain 2 ≤ 3, mean effort 5.0 ≤ 7");
  ASSERT_EQ(xx->routine().notes_size(), 2);
  EXPECT_EQ(xx->routine().notes(0), "locale \"xx\" is not in the pack (en, de, es); using en");
  request.mutable_profile()->set_locale("de_AT");
  EXPECT_THAT(Progress(Catalog::Default(), request),
              StatusIs(absl::StatusCode::kInvalidArgument, "profile.locale: "));
}

// A block whose prescription gives only some fields decides as the full prescription would: the
// rest are the exercise's defaults (here level 0 of each ladder equals the default).
TEST(ProgressTest, APartialPrescriptionDecidesAsTheFullOne) {
  const v1::ProgressRequest full = Request(Profile(), {Script{2, 5}, Script{2, 5}});
  v1::ProgressRequest partial = full;
  for (v1::Block& block : *partial.mutable_routine()->mutable_blocks()) {
    const v1::Exercise& exercise = *Catalog::Default().FindExercise(block.exercise_id());
    if (!(block.prescription().SerializeAsString() ==
          WithDefaults(v1::Prescription(), exercise.default_prescription()).SerializeAsString())) {
      continue;  // only blocks at their default can be shortened without changing them
    }
    const v1::Side first = block.prescription().first_side();
    block.mutable_prescription()->Clear();
    block.mutable_prescription()->set_sets(exercise.default_prescription().sets());
    block.mutable_prescription()->set_first_side(first);
  }
  ASSERT_NE(partial.routine().SerializeAsString(), full.routine().SerializeAsString());
  absl::StatusOr<v1::ProgressDecision> from_full = Progress(Catalog::Default(), full);
  absl::StatusOr<v1::ProgressDecision> from_partial = Progress(Catalog::Default(), partial);
  ASSERT_TRUE(from_full.ok() && from_partial.ok()) << from_partial.status();
  EXPECT_EQ(from_partial->SerializeAsString(), from_full->SerializeAsString());
}

TEST(ProgressTest, OneSessionIsNotEnoughToAdvance) {
  absl::StatusOr<v1::ProgressDecision> decision =
      Progress(Catalog::Default(), Request(Profile(), {Script{}}));
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_EQ(ChangeOf(*decision, "prone_lift")->action(), v1::HOLD);
  EXPECT_EQ(ChangeOf(*decision, "prone_lift")->reason(),
            "held prone_lift at level 0 (0..5): no progression rule holds yet");
  EXPECT_THAT(decision->routine().levels(), ElementsAre(0, 0, 0, 0));
}

TEST(ProgressTest, SessionsAtTheOldLevelDoNotCountTowardsTheNext) {
  // Levels 1, but the records were made at level 0.
  v1::ProgressRequest request = Request(Profile(), {Script{}, Script{}}, {0, 0, 0, 0});
  for (int i = 1; i < 4; ++i) request.mutable_routine()->set_levels(i, 1);
  absl::StatusOr<v1::ProgressDecision> decision = Progress(Catalog::Default(), request);
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_EQ(ChangeOf(*decision, "prone_lift")->action(), v1::HOLD);
}

TEST(ProgressTest, HoldsOnModeratePain) {
  absl::StatusOr<v1::ProgressDecision> decision =
      Progress(Catalog::Default(), Request(Profile(), {Script{1}, Script{5}}, {0, 2, 0, 0}));
  ASSERT_TRUE(decision.ok()) << decision.status();
  const v1::Change* lift = ChangeOf(*decision, "prone_lift");
  EXPECT_EQ(lift->action(), v1::HOLD);
  EXPECT_EQ(lift->rule_id(), "hold_on_moderate_pain");
  EXPECT_EQ(lift->reason(), "held prone_lift at level 2 (0..5): last 1 session: max pain 5 ≥ 4");
  // Pain anywhere in the latest session stops every advance.
  EXPECT_EQ(ChangeOf(*decision, "prone_leg_lift")->action(), v1::HOLD);
  EXPECT_EQ(ChangeOf(*decision, "prone_leg_lift")->rule_id(), "safety");
}

TEST(ProgressTest, HoldsOnAnIncompletePrescription) {
  Script skipped;
  skipped.incomplete_lift = true;
  absl::StatusOr<v1::ProgressDecision> decision =
      Progress(Catalog::Default(), Request(Profile(), {Script{}, skipped}, {0, 1, 0, 0}));
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_EQ(ChangeOf(*decision, "prone_lift")->rule_id(), "hold_on_incomplete");
  EXPECT_EQ(ChangeOf(*decision, "prone_lift")->reason(),
            "held prone_lift at level 1 (0..5): last 1 session: completion 50% < 100%");
}

TEST(ProgressTest, RegressesOneLevelAfterPainOfSixOrASafetyStop) {
  absl::StatusOr<v1::ProgressDecision> pain =
      Progress(Catalog::Default(), Request(Profile(), {Script{}, Script{6}}, {0, 3, 2, 0}));
  ASSERT_TRUE(pain.ok()) << pain.status();
  const v1::Change* lift = ChangeOf(*pain, "prone_lift");
  EXPECT_EQ(lift->action(), v1::REGRESS);
  EXPECT_EQ(lift->to_level(), 2u);
  EXPECT_EQ(lift->reason(),
            "regressed prone_lift to level 2 (0..5): last 1 session: max pain 6 ≥ 6");
  // Pain reported in prone_lift regresses prone_lift only; the others hold.
  EXPECT_THAT(pain->routine().levels(), ElementsAre(0, 2, 2, 0));

  Script stop;
  stop.stop_lift = true;
  stop.pain = 2;
  absl::StatusOr<v1::ProgressDecision> stopped =
      Progress(Catalog::Default(), Request(Profile(), {Script{}, stop}, {0, 1, 0, 0}));
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_EQ(ChangeOf(*stopped, "prone_lift")->action(), v1::REGRESS);
  EXPECT_EQ(ChangeOf(*stopped, "prone_lift")->reason(),
            "regressed prone_lift to level 0 (0..5): last 1 session: safety stops 1 ≥ 1");
}

TEST(ProgressTest, RepeatedFailureToCompleteStepsBackALevel) {
  Script incomplete;  // prone_lift skipped with half its reps done: 50% < 60%
  incomplete.incomplete_lift = true;
  absl::StatusOr<v1::ProgressDecision> decision = Progress(
      Catalog::Default(), Request(Profile(), {incomplete, Script{}, incomplete}, {0, 2, 0, 0}));
  ASSERT_TRUE(decision.ok()) << decision.status();
  const v1::Change* lift = ChangeOf(*decision, "prone_lift");
  ASSERT_NE(lift, nullptr);
  EXPECT_EQ(lift->action(), v1::REGRESS);
  EXPECT_EQ(lift->rule_id(), "regress_on_repeated_incomplete");
  EXPECT_EQ(lift->to_level(), 1u);
  EXPECT_EQ(decision->routine().levels(1), 1u);
  EXPECT_EQ(lift->reason(),
            "regressed prone_lift to level 1 (0..5): last 3 sessions: 2 sessions at this level "
            "under 60% complete ≥ 2");

  // Once is a hold, not a step back.
  absl::StatusOr<v1::ProgressDecision> once = Progress(
      Catalog::Default(), Request(Profile(), {Script{}, Script{}, incomplete}, {0, 2, 0, 0}));
  ASSERT_TRUE(once.ok()) << once.status();
  EXPECT_EQ(ChangeOf(*once, "prone_lift")->rule_id(), "hold_on_incomplete");

  // The failures were at the level above: at the new level they do not count again.
  v1::ProgressRequest later;
  *later.mutable_profile() = Profile();
  *later.mutable_routine() = decision->routine();
  v1::ProgressRequest before = Request(Profile(), {incomplete, Script{}, incomplete}, {0, 2, 0, 0});
  *later.add_records() = before.records(1);
  *later.add_records() = before.records(2);
  *later.add_records() = Record(decision->routine(), Script{});
  absl::StatusOr<v1::ProgressDecision> next = Progress(Catalog::Default(), later);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->routine().levels(1), 1u);
  EXPECT_EQ(ChangeOf(*next, "prone_lift")->action(), v1::HOLD);
}

TEST(ProgressTest, AsymmetryInTwoOfThreeBiasesTheWeakerSideAndLeadsWithTheCorrectiveCue) {
  Script right;
  right.asymmetry = v1::RIGHT;
  absl::StatusOr<v1::ProgressDecision> decision =
      Progress(Catalog::Default(), Request(Profile(), {right, Script{}, right}));
  ASSERT_TRUE(decision.ok()) << decision.status();
  const v1::Block& legs = decision->routine().blocks(2);
  ASSERT_EQ(legs.exercise_id(), "prone_leg_lift");
  EXPECT_EQ(legs.prescription().bias().side(), v1::LEFT);
  EXPECT_EQ(legs.prescription().bias().extra_reps(), 1u);
  EXPECT_THAT(legs.lead_cue_ids(), ElementsAre("even_out_sides"));
  const v1::Change* bias = nullptr;
  for (const v1::Change& change : decision->changes()) {
    if (change.action() == v1::BIAS_SIDE) bias = &change;
  }
  ASSERT_NE(bias, nullptr);
  EXPECT_EQ(bias->reason(),
            "biased prone_leg_lift to the weaker left side (right side takes over): +1 rep per "
            "set, leading with cue even_out_sides: last 3 sessions: asymmetry reported in 2 ≥ 2 "
            "sessions");
  EXPECT_TRUE(ValidateRoutine(decision->routine(), Catalog::Default()).empty());

  // Once the asymmetry is gone from the window, the bias goes too.
  v1::ProgressRequest later;
  *later.mutable_profile() = Profile();
  *later.mutable_routine() = decision->routine();
  for (int i = 0; i < 3; ++i) *later.add_records() = Record(decision->routine(), Script{});
  absl::StatusOr<v1::ProgressDecision> next = Progress(Catalog::Default(), later);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_FALSE(next->routine().blocks(2).prescription().has_bias() &&
               next->routine().blocks(2).prescription().bias().extra_reps() > 0);
  EXPECT_EQ(next->routine().blocks(2).lead_cue_ids_size(), 0);
}

// Issue 13: at the default budget (10 minutes a week, 5 a session) the budget step undid the
// advance of prone_leg_lift and with it the corrective lead cue, while the bias change still
// said "leading with cue even_out_sides". The cue costs no time: it stays, as the reason says.
TEST(ProgressTest, UndoingAnAdvanceForTheBudgetKeepsTheCorrectiveCueTheReasonNames) {
  v1::Profile profile = Profile();
  profile.clear_minutes_per_week();
  Script right;
  right.asymmetry = v1::RIGHT;
  absl::StatusOr<v1::ProgressDecision> decision =
      Progress(Catalog::Default(), Request(profile, {right, Script{}, right}));
  ASSERT_TRUE(decision.ok()) << decision.status();
  const v1::Block& legs = decision->routine().blocks(2);
  ASSERT_EQ(legs.exercise_id(), "prone_leg_lift");
  EXPECT_EQ(decision->routine().levels(2), 0u);
  EXPECT_EQ(legs.prescription().bias().side(), v1::LEFT);
  EXPECT_THAT(legs.lead_cue_ids(), ElementsAre("even_out_sides"));
  bool held = false;
  bool biased = false;
  for (const v1::Change& change : decision->changes()) {
    if (change.exercise_id() != "prone_leg_lift") continue;
    EXPECT_EQ(change.to_level(), 0u) << change.ShortDebugString();
    if (change.action() == v1::HOLD) {
      held = true;
      EXPECT_THAT(change.reason(), HasSubstr("held prone_leg_lift at level 0 (0..4): advancing "
                                             "it would make the routine"));
    }
    if (change.action() == v1::BIAS_SIDE) {
      biased = true;
      EXPECT_THAT(change.reason(), HasSubstr("leading with cue even_out_sides"));
    }
  }
  EXPECT_TRUE(held);
  EXPECT_TRUE(biased);
}

TEST(ProgressTest, UnlocksTheGatedExerciseOnlyWithAttestationAndFourCleanSessions) {
  const std::vector<Script> clean(4, Script{});
  absl::StatusOr<v1::ProgressDecision> attested =
      Progress(Catalog::Default(), Request(Profile(true), clean));
  ASSERT_TRUE(attested.ok()) << attested.status();
  EXPECT_EQ(Exercises(attested->routine()).back(), "prone_rock");
  EXPECT_EQ(attested->routine().id(), "back_basics_plus");
  const v1::Change* rock = ChangeOf(*attested, "prone_rock");
  ASSERT_NE(rock, nullptr);
  EXPECT_EQ(rock->action(), v1::UNLOCK);
  EXPECT_EQ(rock->reason(),
            "unlocked prone_rock: attests spine_flexible_strong_balanced; last 4 sessions: "
            "complete in a row 4 ≥ 4, max pain 1 ≤ 3, asymmetry reported in 0 = 0 sessions; its "
            "gate is met");

  absl::StatusOr<v1::ProgressDecision> not_attested =
      Progress(Catalog::Default(), Request(Profile(false), clean));
  ASSERT_TRUE(not_attested.ok());
  EXPECT_THAT(Exercises(not_attested->routine()),
              ::testing::Not(::testing::Contains("prone_rock")));

  absl::StatusOr<v1::ProgressDecision> three =
      Progress(Catalog::Default(), Request(Profile(true), {Script{}, Script{}, Script{}}));
  ASSERT_TRUE(three.ok());
  EXPECT_THAT(Exercises(three->routine()), ::testing::Not(::testing::Contains("prone_rock")));
  EXPECT_THAT(three->routine().notes(),
              ::testing::Contains("prone_rock stays locked: its gate needs the last 4 sessions "
                                  "on record, found 3"));

  std::vector<Script> asymmetric = clean;
  asymmetric[0].asymmetry = v1::LEFT;
  absl::StatusOr<v1::ProgressDecision> uneven =
      Progress(Catalog::Default(), Request(Profile(true), asymmetric));
  ASSERT_TRUE(uneven.ok());
  EXPECT_THAT(Exercises(uneven->routine()), ::testing::Not(::testing::Contains("prone_rock")));
}

TEST(ProgressTest, LocksTheGatedExerciseAgainAfterPainInIt) {
  absl::StatusOr<v1::ProgressDecision> unlocked =
      Progress(Catalog::Default(), Request(Profile(true), std::vector<Script>(4, Script{})));
  ASSERT_TRUE(unlocked.ok());
  v1::ProgressRequest request;
  *request.mutable_profile() = Profile(true);
  *request.mutable_routine() = unlocked->routine();
  for (int i = 0; i < 3; ++i) *request.add_records() = Record(unlocked->routine(), Script{});
  Script rock_pain;
  rock_pain.rock_pain = 5;
  *request.add_records() = Record(unlocked->routine(), rock_pain);
  absl::StatusOr<v1::ProgressDecision> decision = Progress(Catalog::Default(), request);
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_THAT(Exercises(decision->routine()), ::testing::Not(::testing::Contains("prone_rock")));
  const v1::Change* lock = ChangeOf(*decision, "prone_rock");
  ASSERT_NE(lock, nullptr);
  EXPECT_EQ(lock->action(), v1::LOCK);
  EXPECT_EQ(lock->reason(),
            "locked prone_rock: its gate no longer holds (last 4 sessions: max pain 5 > 3)");
  request.mutable_profile()->set_locale("es");
  decision = Progress(Catalog::Default(), request);
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_EQ(ChangeOf(*decision, "prone_rock")->reason(),
            "prone_rock bloqueado: su condición de acceso ya no se cumple (últimas 4 sesiones: "
            "dolor máximo 5 > 3)");
}

TEST(ProgressTest, AcuteBackPainLeavesThePrimerAlone) {
  v1::ProgressRequest request = Request(Profile(), {Script{}, Script{}});
  request.mutable_profile()->add_conditions("acute_back_pain");
  absl::StatusOr<v1::ProgressDecision> decision = Progress(Catalog::Default(), request);
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_THAT(Exercises(decision->routine()), ElementsAre("grow_through_spine"));
  EXPECT_EQ(ChangeOf(*decision, "prone_lift")->action(), v1::LOCK);
  EXPECT_THAT(decision->routine().notes(0), HasSubstr("see a clinician"));
}

TEST(ProgressTest, AnAdvanceThatWouldBreakTheBudgetIsHeld) {
  v1::Profile tight = Profile();
  tight.set_minutes_per_week(10);  // 5 min; back_basics takes 4 min 13 s
  absl::StatusOr<v1::ProgressDecision> decision =
      Progress(Catalog::Default(), Request(tight, {Script{}, Script{}}, {0, 0, 3, 3}));
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_LE(decision->routine().estimated_duration_ms(), 300000);
  int held_for_budget = 0;
  for (const v1::Change& change : decision->changes()) {
    held_for_budget += absl::StrContains(change.reason(), "over the session budget of 5 min 0 s");
  }
  EXPECT_GE(held_for_budget, 1);
}

TEST(ProgressTest, RulesAreDataAndTheEngineStillNeverAdvancesThroughPain) {
  v1::Catalog pack = Catalog::Default().proto();
  pack.clear_rules();
  v1::ProgressionRule* always = pack.add_rules();
  always->set_id("always_advance");
  always->set_action(v1::ADVANCE);
  absl::StatusOr<Catalog> catalog = Catalog::FromProto(pack);
  ASSERT_TRUE(catalog.ok()) << catalog.status();

  absl::StatusOr<v1::ProgressDecision> one = Progress(*catalog, Request(Profile(), {Script{1}}));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(ChangeOf(*one, "prone_lift")->action(), v1::ADVANCE);
  EXPECT_EQ(ChangeOf(*one, "prone_lift")->rule_id(), "always_advance");

  absl::StatusOr<v1::ProgressDecision> hurt = Progress(*catalog, Request(Profile(), {Script{8}}));
  ASSERT_TRUE(hurt.ok());
  for (const v1::Change& change : hurt->changes()) {
    EXPECT_NE(change.action(), v1::ADVANCE) << change.reason();
  }
  EXPECT_EQ(ChangeOf(*hurt, "prone_lift")->reason(),
            "held prone_lift at level 0 (0..5): rule always_advance would advance it, but the "
            "latest session had pain 8 > 3");
}

TEST(ProgressTest, EmptyRoutineStartsFromTheGeneratedOne) {
  v1::ProgressRequest request;
  *request.mutable_profile() = Profile();
  absl::StatusOr<v1::ProgressDecision> decision = Progress(Catalog::Default(), request);
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_EQ(decision->routine().id(), "back_basics");
}

TEST(ProgressTest, ErrorsNameTheField) {
  v1::ProgressRequest unknown = Request(Profile(), {});
  unknown.mutable_routine()->mutable_blocks(1)->set_exercise_id("handstand");
  EXPECT_THAT(Progress(Catalog::Default(), unknown),
              StatusIs(absl::StatusCode::kInvalidArgument, "routine.blocks[1].exercise_id"));

  v1::ProgressRequest level = Request(Profile(), {});
  level.mutable_routine()->set_levels(1, 9);
  EXPECT_THAT(Progress(Catalog::Default(), level),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "routine.levels[1]: must be 0..5 for prone_lift, got 9"));

  v1::ProgressRequest effort = Request(Profile(), {Script{}});
  effort.mutable_records(0)->mutable_reports(1)->set_value(-2);
  EXPECT_THAT(Progress(Catalog::Default(), effort),
              StatusIs(absl::StatusCode::kInvalidArgument, "records[0].reports[1].value: "));

  v1::ProgressRequest profile = Request(Profile(), {});
  profile.mutable_profile()->set_sessions_per_week(9);
  EXPECT_THAT(Progress(Catalog::Default(), profile),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "profile.sessions_per_week: must be 1..7 (0 = 2), got 9"));
}

TEST(HistoryMetTest, NamesEveryPartThatFails) {
  v1::HistoryRequirement requirement;
  requirement.set_sessions(2);
  requirement.set_completed(true);
  requirement.set_max_pain(3);
  requirement.set_no_asymmetry(true);
  const v1::Routine routine = *GenerateRoutine(Catalog::Default(), Profile());
  Script bad;
  bad.pain = 4;
  bad.asymmetry = v1::LEFT;
  bad.incomplete_lift = true;
  const v1::SessionRecord good_record = Record(routine, Script{});
  const v1::SessionRecord bad_record = Record(routine, bad);
  std::vector<const v1::SessionRecord*> records = {&bad_record, &good_record, &good_record};
  std::string why;
  EXPECT_TRUE(HistoryMet(requirement, records, &why));
  records = {&good_record, &bad_record};
  EXPECT_FALSE(HistoryMet(requirement, records, &why));
  EXPECT_EQ(why,
            "last 2 sessions: all complete, but 1 of 2 were, max pain 4 > 3, no asymmetry "
            "report, but 1 had one");
  absl::StatusOr<LocalizedCatalog> de = Catalog::Default().Localize("de");
  ASSERT_TRUE(de.ok());
  EXPECT_FALSE(HistoryMet(requirement, records, de->catalog, &why));
  EXPECT_EQ(why,
            "letzte 2 Einheiten: alle vollständig, aber nur 1 von 2 waren es, höchster Schmerz 4 "
            "> 3, keine Meldung einer Seite, die übernimmt, aber 1 hatten eine");
}

}  // namespace
}  // namespace regimen
