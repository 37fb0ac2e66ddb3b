// The session records a progression request carries: what progression refuses (done above
// planned, times that run backwards, values out of range: INVALID_ARGUMENT naming the field) and
// how a session ended by a safety stop counts (never less cautious than a pain stop).
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/progression.h"
#include "regimen/routine.h"

namespace regimen {
namespace {

using ::testing::HasSubstr;

MATCHER_P2(StatusIs, code, message, "") {
  const absl::Status status = arg.status();
  *result_listener << "status is " << status;
  return status.code() == code && status.message() == message;
}

// A complete record of back_basics at level 0 starting at `start` ms, shaped as the engine
// records it: a pain report of 1 in prone_lift, an effort report of 5 after it.
v1::SessionRecord CleanRecord(int64_t start) {
  const Catalog& catalog = Catalog::Default();
  const v1::Routine& routine = *catalog.FindRoutine("back_basics");
  v1::SessionRecord record;
  record.set_routine_id(routine.id());
  record.set_started_at_ms(start);
  record.set_ended_at_ms(start + 250000);
  record.set_active_ms(250000);
  record.set_end(v1::SESSION_END_COMPLETED);
  for (int i = 0; i < routine.blocks_size(); ++i) {
    const v1::Block& block = routine.blocks(i);
    const v1::Exercise& exercise = *catalog.FindExercise(block.exercise_id());
    const v1::Prescription prescription = EffectivePrescription(block, exercise);
    v1::BlockRecord* b = record.add_blocks();
    b->set_block_index(i);
    b->set_exercise_id(block.exercise_id());
    b->set_outcome(v1::BLOCK_OUTCOME_COMPLETED);
    b->set_sets_planned(EffectiveSets(prescription));
    b->set_sets_done(EffectiveSets(prescription));
    b->set_active_ms(50000);
    const bool sided = exercise.laterality() != v1::LATERALITY_BILATERAL;
    for (v1::Side side : {v1::LEFT, v1::RIGHT}) {
      if (!sided && side == v1::RIGHT) break;
      v1::SideRecord* s = b->add_sides();
      s->set_side(sided ? side : v1::SIDE_UNSPECIFIED);
      s->set_reps_planned(EffectiveReps(prescription));
      s->set_reps_done(EffectiveReps(prescription));
      s->set_holds_planned(EffectiveReps(prescription));
      s->set_holds_achieved(EffectiveReps(prescription));
    }
  }
  v1::ReportRecord* pain = record.add_reports();
  pain->set_at_ms(start + 60000);
  pain->set_kind(v1::REPORT_PAIN);
  pain->set_value(1);
  pain->set_block_index(1);
  pain->set_exercise_id("prone_lift");
  v1::ReportRecord* effort = record.add_reports();
  effort->set_at_ms(start + 240000);
  effort->set_kind(v1::REPORT_EFFORT);
  effort->set_value(5);
  effort->set_block_index(-1);
  return record;
}

// back_basics at level 0, after three clean sessions an hour apart.
v1::ProgressRequest CleanRequest() {
  v1::ProgressRequest request;
  request.mutable_profile()->set_minutes_per_week(30);
  *request.mutable_routine() = *Catalog::Default().FindRoutine("back_basics");
  for (int i = 0; i < 3; ++i) *request.add_records() = CleanRecord(i * 3600000);
  return request;
}

absl::StatusOr<v1::ProgressDecision> Decide(const v1::ProgressRequest& request) {
  return Progress(Catalog::Default(), request);
}

TEST(ProgressRecordsTest, CleanRecordsAreAccepted) {
  absl::StatusOr<v1::ProgressDecision> decision = Decide(CleanRequest());
  ASSERT_TRUE(decision.ok()) << decision.status();
}

TEST(ProgressRecordsTest, DoneAbovePlannedNamesTheField) {
  v1::ProgressRequest request = CleanRequest();
  request.mutable_records(2)->mutable_blocks(1)->mutable_sides(0)->set_reps_done(5);
  EXPECT_THAT(Decide(request), StatusIs(absl::StatusCode::kInvalidArgument,
                                        "records[2].blocks[1].sides[0].reps_done: 5 done of 4 "
                                        "planned"));
  request = CleanRequest();
  request.mutable_records(0)->mutable_blocks(2)->mutable_sides(1)->set_holds_achieved(9);
  EXPECT_THAT(Decide(request), StatusIs(absl::StatusCode::kInvalidArgument,
                                        "records[0].blocks[2].sides[1].holds_achieved: 9 done of "
                                        "4 planned"));
  request = CleanRequest();
  request.mutable_records(1)->mutable_blocks(3)->set_sets_done(2);
  EXPECT_THAT(Decide(request), StatusIs(absl::StatusCode::kInvalidArgument,
                                        "records[1].blocks[3].sets_done: 2 done of 1 planned"));
}

TEST(ProgressRecordsTest, TimesThatRunBackwardsNameTheField) {
  v1::ProgressRequest request = CleanRequest();
  request.mutable_records(1)->set_ended_at_ms(3599999);
  EXPECT_THAT(Decide(request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "records[1].ended_at_ms: 3599999 runs backwards: before started_at_ms "
                       "3600000"));
  request = CleanRequest();
  request.mutable_records(2)->mutable_reports(1)->set_at_ms(7200000 + 50000);
  EXPECT_THAT(Decide(request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "records[2].reports[1].at_ms: 7250000 runs backwards: before the time "
                       "listed before it, 7260000"));
  request = CleanRequest();
  request.mutable_records(0)->mutable_reports(0)->set_at_ms(-1);
  EXPECT_THAT(Decide(request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "records[0].reports[0].at_ms: -1 is before the session started, "
                       "started_at_ms 0"));
  request = CleanRequest();
  request.mutable_records(0)->mutable_reports(1)->set_at_ms(250001);
  EXPECT_THAT(Decide(request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "records[0].reports[1].at_ms: 250001 is after the session ended, "
                       "ended_at_ms 250000"));
  request = CleanRequest();
  v1::SafetyStopRecord* stop = request.mutable_records(0)->add_safety_stops();
  stop->set_at_ms(260000);
  stop->set_pain(7);
  EXPECT_THAT(Decide(request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "records[0].safety_stops[0].at_ms: 260000 is after the session ended, "
                       "ended_at_ms 250000"));
  request = CleanRequest();
  request.mutable_records(1)->mutable_blocks(0)->set_active_ms(-5);
  EXPECT_THAT(Decide(request), StatusIs(absl::StatusCode::kInvalidArgument,
                                        "records[1].blocks[0].active_ms: must not be negative, "
                                        "got -5"));
  request = CleanRequest();
  request.mutable_records(1)->set_paused_ms(-5);
  EXPECT_THAT(Decide(request), StatusIs(absl::StatusCode::kInvalidArgument,
                                        "records[1].paused_ms: must not be negative, got -5"));
}

// A record taken while the session still runs has no end time yet: its reports may come after
// ended_at_ms (0).
TEST(ProgressRecordsTest, ARunningRecordHasNoEndTimeToCheck) {
  v1::ProgressRequest request = CleanRequest();
  request.mutable_records(2)->set_end(v1::SESSION_END_UNSPECIFIED);
  request.mutable_records(2)->clear_ended_at_ms();
  absl::StatusOr<v1::ProgressDecision> decision = Decide(request);
  EXPECT_TRUE(decision.ok()) << decision.status();
}

TEST(ProgressRecordsTest, ValuesOutOfRangeNameTheField) {
  v1::ProgressRequest request = CleanRequest();
  request.mutable_records(1)->mutable_reports(1)->set_value(11);
  EXPECT_THAT(Decide(request), StatusIs(absl::StatusCode::kInvalidArgument,
                                        "records[1].reports[1].value: effort must be 0..10, got "
                                        "11"));
}

// back_basics with every laddered exercise at level 1, after two clean sessions and `latest`.
v1::ProgressRequest AtLevelOne(const v1::SessionRecord& latest) {
  v1::ProgressRequest request = CleanRequest();
  v1::Routine* routine = request.mutable_routine();
  routine->clear_levels();
  for (int i = 0; i < routine->blocks_size(); ++i) {
    const v1::Ladder* ladder = Catalog::Default().FindLadder(routine->blocks(i).exercise_id());
    routine->add_levels(ladder == nullptr ? 0 : 1);
    if (ladder != nullptr) *routine->mutable_blocks(i)->mutable_prescription() = ladder->levels(1);
  }
  for (v1::SessionRecord& record : *request.mutable_records()) {
    for (v1::BlockRecord& block : *record.mutable_blocks())
      block.set_level(routine->levels(block.block_index()));
  }
  *request.mutable_records(2) = latest;
  for (v1::BlockRecord& block : *request.mutable_records(2)->mutable_blocks()) {
    block.set_level(routine->levels(block.block_index()));
  }
  return request;
}

// The third session as the engine records a pain report of 7 in prone_lift: the safety stop,
// the session ended there, the later blocks not reached.
v1::SessionRecord PainStopInLift() {
  v1::SessionRecord record = CleanRecord(7200000);
  record.set_end(v1::SESSION_END_SAFETY_STOP);
  record.set_ended_at_ms(7260000);
  record.mutable_reports(0)->set_value(7);
  record.mutable_reports()->RemoveLast();  // the effort report came after the stop
  v1::SafetyStopRecord* stop = record.add_safety_stops();
  stop->set_at_ms(7260000);
  stop->set_block_index(1);
  stop->set_exercise_id("prone_lift");
  stop->set_pain(7);
  record.mutable_blocks(1)->set_outcome(v1::BLOCK_OUTCOME_SAFETY_STOPPED);
  record.mutable_blocks(1)->mutable_sides(0)->set_reps_done(1);
  for (int i = 2; i < record.blocks_size(); ++i) {
    v1::BlockRecord* block = record.mutable_blocks(i);
    block->set_outcome(v1::BLOCK_OUTCOME_UNSPECIFIED);
    block->set_sets_done(0);
    for (v1::SideRecord& side : *block->mutable_sides()) {
      side.set_reps_done(0);
      side.set_holds_achieved(0);
    }
  }
  return record;
}

uint32_t LevelOf(const v1::ProgressDecision& decision, const std::string& id) {
  for (int i = 0; i < decision.routine().blocks_size(); ++i) {
    if (decision.routine().blocks(i).exercise_id() == id) return decision.routine().levels(i);
  }
  ADD_FAILURE() << id << " is not in the routine";
  return 0;
}

TEST(ProgressRecordsTest, ASessionEndedByAPainStopRegressesWhereItHurtAndAdvancesNothing) {
  absl::StatusOr<v1::ProgressDecision> decision = Decide(AtLevelOne(PainStopInLift()));
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_EQ(LevelOf(*decision, "prone_lift"), 0u);
  EXPECT_EQ(LevelOf(*decision, "prone_leg_lift"), 1u);
  EXPECT_EQ(LevelOf(*decision, "prone_opposite_lift"), 1u);
  for (const v1::Change& change : decision->changes()) EXPECT_NE(change.action(), v1::ADVANCE);
}

// A record that ended SESSION_END_SAFETY_STOP without saying where or how much it hurt (no
// SafetyStopRecord, no pain report; every block claims to be complete), as another host might
// write it: it counts as a safety stop outside any exercise, so every exercise steps back, at
// least as cautious as the pain stop above.
TEST(ProgressRecordsTest, ASafetyStopEndWithoutDetailsIsAtLeastAsCautiousAsAPainStop) {
  v1::SessionRecord bare = CleanRecord(7200000);
  bare.set_end(v1::SESSION_END_SAFETY_STOP);
  bare.clear_reports();
  absl::StatusOr<v1::ProgressDecision> decision = Decide(AtLevelOne(bare));
  ASSERT_TRUE(decision.ok()) << decision.status();
  absl::StatusOr<v1::ProgressDecision> pain_stop = Decide(AtLevelOne(PainStopInLift()));
  ASSERT_TRUE(pain_stop.ok()) << pain_stop.status();
  for (const char* id : {"prone_lift", "prone_leg_lift", "prone_opposite_lift"}) {
    SCOPED_TRACE(id);
    EXPECT_EQ(LevelOf(*decision, id), 0u);
    EXPECT_LE(LevelOf(*decision, id), LevelOf(*pain_stop, id));
  }
  for (const v1::Change& change : decision->changes()) {
    EXPECT_NE(change.action(), v1::ADVANCE);
    if (change.exercise_id() == "prone_leg_lift") {
      EXPECT_EQ(change.reason(),
                "regressed prone_leg_lift to level 0 (0..4): last 1 session: safety stops 1 ≥ 1");
    }
  }

  // Nor does it count as a complete session towards the gate of prone_rock.
  v1::ProgressRequest attested = AtLevelOne(bare);
  attested.mutable_profile()->add_attestations("spine_flexible_strong_balanced");
  *attested.add_records() = CleanRecord(4 * 3600000);
  for (v1::BlockRecord& block : *attested.mutable_records(3)->mutable_blocks()) {
    block.set_level(attested.routine().levels(block.block_index()));
  }
  absl::StatusOr<v1::ProgressDecision> rock = Decide(attested);
  ASSERT_TRUE(rock.ok()) << rock.status();
  for (const v1::Block& block : rock->routine().blocks())
    EXPECT_NE(block.exercise_id(), "prone_rock");
}

}  // namespace
}  // namespace regimen
