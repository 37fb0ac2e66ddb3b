// Progress(catalog, request, &decision), the overload that reuses a caller's decision: the same
// decision and the same errors as Progress(catalog, request), whatever the decision held before,
// over a run of weekly decisions fed back the way simulate-population feeds them.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/generator.h"
#include "regimen/progression.h"

namespace regimen {
namespace {

// A record of `routine`, every block complete, with pain `pain` reported in every exercise, an
// asymmetry report (the right side takes over) in the sided ones when `asymmetry`, and a safety
// stop in the first block when `stop`.
v1::SessionRecord Record(const v1::Routine& routine, int pain, bool asymmetry, bool stop) {
  v1::SessionRecord record;
  record.set_routine_id(routine.id());
  record.set_end(v1::SESSION_END_COMPLETED);
  for (int i = 0; i < routine.blocks_size(); ++i) {
    const v1::Block& block = routine.blocks(i);
    const v1::Exercise& exercise = *Catalog::Default().FindExercise(block.exercise_id());
    v1::BlockRecord* b = record.add_blocks();
    b->set_block_index(i);
    b->set_exercise_id(block.exercise_id());
    b->set_outcome(stop && i == 0 ? v1::BLOCK_OUTCOME_SAFETY_STOPPED : v1::BLOCK_OUTCOME_COMPLETED);
    b->set_level(routine.levels_size() > i ? routine.levels(i) : 0);
    v1::SideRecord* side = b->add_sides();
    side->set_reps_planned(8);
    side->set_reps_done(8);
    v1::ReportRecord* report = record.add_reports();
    report->set_kind(v1::REPORT_PAIN);
    report->set_value(pain);
    report->set_block_index(i);
    report->set_exercise_id(block.exercise_id());
    if (asymmetry && exercise.laterality() == v1::LATERALITY_ALTERNATING) {
      v1::ReportRecord* takeover = record.add_reports();
      takeover->set_kind(v1::REPORT_ASYMMETRY);
      takeover->set_side(v1::RIGHT);
      takeover->set_block_index(i);
      takeover->set_exercise_id(block.exercise_id());
    }
  }
  if (stop) {
    v1::SafetyStopRecord* safety = record.add_safety_stops();
    safety->set_block_index(0);
    safety->set_exercise_id(routine.blocks(0).exercise_id());
    safety->set_pain(7);
  }
  v1::ReportRecord* effort = record.add_reports();
  effort->set_kind(v1::REPORT_EFFORT);
  effort->set_value(5);
  return record;
}

std::string Bytes(const v1::ProgressDecision& decision) {
  std::string bytes;
  EXPECT_TRUE(decision.SerializeToString(&bytes));
  return bytes;
}

// A year of weekly decisions for profiles that advance, hit their budget, hold on pain, regress
// after a safety stop, take a side bias and unlock prone_rock: with one decision reused and its
// routine swapped into the next request, every decision is byte for byte the one the StatusOr
// form gives for the same request.
TEST(ProgressReuseTest, SameDecisionsAsTheValueFormOverAYear) {
  const Catalog& catalog = Catalog::Default();
  int compared = 0;
  int changes = 0;
  v1::ProgressDecision decision;  // reused across profiles too
  for (uint32_t minutes : {10u, 20u, 40u}) {
    v1::ProgressRequest request;
    request.mutable_profile()->set_minutes_per_week(minutes);
    request.mutable_profile()->set_sessions_per_week(2);
    request.mutable_profile()->add_attestations("spine_flexible_strong_balanced");
    absl::StatusOr<v1::Routine> generated = GenerateRoutine(catalog, request.profile());
    ASSERT_TRUE(generated.ok()) << generated.status();
    *request.mutable_routine() = *generated;
    for (int week = 0; week < 52; ++week) {
      const int pain = week % 9 == 4 ? 5 : 1;
      const bool asymmetry = week % 13 >= 6 && week % 13 < 9;
      const bool stop = week % 17 == 10;
      for (int s = 0; s < 2; ++s) {
        *request.add_records() = Record(request.routine(), pain, asymmetry, stop && s == 1);
      }
      while (request.records_size() > 6) request.mutable_records()->DeleteSubrange(0, 1);
      absl::StatusOr<v1::ProgressDecision> expected = Progress(catalog, request);
      ASSERT_TRUE(expected.ok()) << expected.status();
      ASSERT_TRUE(Progress(catalog, request, &decision).ok());
      ASSERT_EQ(Bytes(decision), Bytes(*expected)) << "minutes " << minutes << ", week " << week;
      ++compared;
      changes += decision.changes_size();
      request.mutable_routine()->Swap(decision.mutable_routine());
    }
  }
  EXPECT_EQ(compared, 3 * 52);
  EXPECT_GT(changes, 3 * 52);  // every week decides on every laddered exercise at least
}

// Whatever the decision held is replaced: a decision full of another routine's blocks, changes
// and notes comes out equal to a fresh one.
TEST(ProgressReuseTest, EarlierContentsAreReplaced) {
  const Catalog& catalog = Catalog::Default();
  v1::ProgressRequest request;
  request.mutable_profile()->set_minutes_per_week(20);
  *request.mutable_routine() = *GenerateRoutine(catalog, request.profile());
  *request.add_records() = Record(request.routine(), 1, false, false);
  *request.add_records() = Record(request.routine(), 1, false, false);

  v1::ProgressDecision decision;
  v1::Routine* stale = decision.mutable_routine();
  *stale = *catalog.FindRoutine(catalog.proto().routines(0).id());
  for (int i = 0; i < 5; ++i) *stale->add_blocks() = stale->blocks(0);
  stale->add_notes("an old note");
  stale->set_estimated_duration_ms(123456);
  v1::Change* old = decision.add_changes();
  old->set_exercise_id("prone_rock");
  old->set_action(v1::UNLOCK);
  old->set_reason(std::string(500, 'x'));

  absl::StatusOr<v1::ProgressDecision> expected = Progress(catalog, request);
  ASSERT_TRUE(expected.ok()) << expected.status();
  ASSERT_TRUE(Progress(catalog, request, &decision).ok());
  EXPECT_EQ(Bytes(decision), Bytes(*expected));
  EXPECT_EQ(decision.routine().notes_size(), expected->routine().notes_size());
}

// The same errors as the value form, and a decision that saw an error decides the next request
// as a fresh one would.
TEST(ProgressReuseTest, SameErrorsAndUsableAfterAnError) {
  const Catalog& catalog = Catalog::Default();
  v1::ProgressRequest good;
  good.mutable_profile()->set_minutes_per_week(20);
  *good.mutable_routine() = *GenerateRoutine(catalog, good.profile());
  *good.add_records() = Record(good.routine(), 2, false, false);

  v1::ProgressRequest unknown = good;
  unknown.mutable_routine()->mutable_blocks(1)->set_exercise_id("no_such_move");
  v1::ProgressRequest pain = good;
  pain.mutable_records(0)->mutable_reports(0)->set_value(11);
  v1::ProgressRequest level = good;
  level.mutable_routine()->clear_levels();
  for (int i = 0; i < level.routine().blocks_size(); ++i) level.mutable_routine()->add_levels(9);

  v1::ProgressDecision decision;
  ASSERT_TRUE(Progress(catalog, good, &decision).ok());
  for (const v1::ProgressRequest* bad : {&unknown, &pain, &level}) {
    const absl::StatusOr<v1::ProgressDecision> expected = Progress(catalog, *bad);
    ASSERT_FALSE(expected.ok());
    const absl::Status status = Progress(catalog, *bad, &decision);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_EQ(status, expected.status());
    absl::StatusOr<v1::ProgressDecision> fresh = Progress(catalog, good);
    ASSERT_TRUE(fresh.ok());
    ASSERT_TRUE(Progress(catalog, good, &decision).ok());
    EXPECT_EQ(Bytes(decision), Bytes(*fresh));
  }
}

}  // namespace
}  // namespace regimen
