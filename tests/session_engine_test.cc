// The session engine's behaviour, with exact traces on a small catalog worked out by hand
// (tests/session_test_util.h): timing, cues and speech scheduling, pause and resume, skip,
// stop, reports, open phases, errors, and agreement with the timing model of docs/timing.md.
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regimen/plan.h"
#include "regimen/routine.h"
#include "regimen/session.h"
#include "tests/session_test_util.h"

namespace regimen {
namespace {

using ::regimen::testing::Drain;
using ::regimen::testing::RunToEnd;
using ::regimen::testing::StatusIs;
using ::regimen::testing::TestCatalog;
using ::regimen::testing::TestOptions;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

std::unique_ptr<Session> Make(const v1::SessionOptions& options = TestOptions(),
                              const char* routine_id = "r") {
  const v1::Routine* routine = TestCatalog().FindRoutine(routine_id);
  EXPECT_NE(routine, nullptr);
  absl::StatusOr<std::unique_ptr<Session>> session =
      Session::Create(TestCatalog(), *routine, options);
  EXPECT_TRUE(session.ok()) << session.status();
  return *std::move(session);
}

// The plain run of routine "r" (count-in 1000 ms, no cue gap), by hand from the catalog.
const std::vector<std::string> kPlain = {
    "0 SESSION_STARTED -1/-1/-1 -",
    "0 PHASE_STARTED -1/-1/-1 - count_in 1000",
    "0 CUE -1/-1/-1 - count_in start \"Start.\"",
    "1000 EXERCISE_STARTED 0/-1/-1 -",
    "1000 PHASE_STARTED 0/-1/-1 - setup 1000",
    "2000 PHASE_STARTED 0/0/0 - lift 1000",
    "2000 CUE 0/0/0 - lift go \"Go.\"",
    "3000 PHASE_STARTED 0/0/0 - hold 2000",
    "4000 CUE 0/0/0 - hold tip \"A tip.\"",
    "4500 CUE 0/0/0 - hold down \"Down.\"",
    "5000 PHASE_STARTED 0/0/0 - lower 1000",
    "6000 REP_COMPLETED 0/0/0 -",
    "6000 PHASE_STARTED 0/0/1 - lift 1000",
    "6000 CUE 0/0/1 - lift go \"Go again.\"",
    "7000 PHASE_STARTED 0/0/1 - hold 2000",
    "8000 CUE 0/0/1 - hold tip \"A tip.\"",
    "8500 CUE 0/0/1 - hold down \"Down.\"",
    "9000 PHASE_STARTED 0/0/1 - lower 1000",
    "10000 REP_COMPLETED 0/0/1 -",
    "10000 SET_COMPLETED 0/0/-1 -",
    "10000 EXERCISE_COMPLETED 0/-1/-1 -",
    "10000 PHASE_STARTED -1/-1/-1 - rest 2000",
    "12000 EXERCISE_STARTED 1/-1/-1 -",
    "12000 PHASE_STARTED 1/0/0 L lift 1000",
    "13000 REP_COMPLETED 1/0/0 L",
    "13000 PHASE_STARTED 1/0/1 R switch_side 500",
    "13000 CUE 1/0/1 R switch_side switch \"Switch.\"",
    "13500 PHASE_STARTED 1/0/1 R lift 1000",
    "14500 REP_COMPLETED 1/0/1 R",
    "14500 PHASE_STARTED 1/0/2 L switch_side 500",
    "14500 CUE 1/0/2 L switch_side switch \"Switch.\"",
    "15000 PHASE_STARTED 1/0/2 L lift 1000",
    "16000 REP_COMPLETED 1/0/2 L",
    "16000 PHASE_STARTED 1/0/3 R switch_side 500",
    "16000 CUE 1/0/3 R switch_side switch \"Switch.\"",
    "16500 PHASE_STARTED 1/0/3 R lift 1000",
    "17500 REP_COMPLETED 1/0/3 R",
    "17500 SET_COMPLETED 1/0/-1 -",
    "17500 EXERCISE_COMPLETED 1/-1/-1 -",
    "17500 CUE -1/-1/-1 -  end \"Done.\"",
    "17500 SESSION_COMPLETED -1/-1/-1 -",
};

TEST(SessionEngine, PlainRunIsTheHandWorkedTrace) {
  auto session = Make();
  ASSERT_TRUE(session->Start(0).ok());
  EXPECT_THAT(RunToEnd(*session), ElementsAreArray(kPlain));
  EXPECT_TRUE(session->Finished());
  EXPECT_EQ(session->NextDeadline(), -1);
  EXPECT_EQ(session->plan().planned_ms(), 17500);
  const v1::SessionRecord record = session->Record();
  EXPECT_EQ(record.end(), v1::SESSION_END_COMPLETED);
  EXPECT_EQ(record.ended_at_ms(), 17500);
  EXPECT_EQ(record.active_ms(), 17500);
  ASSERT_EQ(record.blocks_size(), 2);
  EXPECT_EQ(record.blocks(0).outcome(), v1::BLOCK_OUTCOME_COMPLETED);
  EXPECT_EQ(record.blocks(0).active_ms(), 9000);
  EXPECT_EQ(record.blocks(0).sides(0).reps_planned(), 2u);
  EXPECT_EQ(record.blocks(0).sides(0).reps_done(), 2u);
  EXPECT_EQ(record.blocks(0).sides(0).holds_planned(), 2u);
  EXPECT_EQ(record.blocks(0).sides(0).holds_achieved(), 2u);
  ASSERT_EQ(record.blocks(1).sides_size(), 2);
  EXPECT_EQ(record.blocks(1).sides(0).side(), v1::LEFT);
  EXPECT_EQ(record.blocks(1).sides(0).reps_done(), 2u);
  EXPECT_EQ(record.blocks(1).sides(1).reps_done(), 2u);
  EXPECT_EQ(record.cues_spoken(), 11u);
  EXPECT_EQ(record.cues_deferred(), 0u);
  EXPECT_EQ(record.cues_dropped(), 0u);
}

TEST(SessionEngine, TickEmitsEverythingDueAndNothingMore) {
  auto session = Make();
  ASSERT_TRUE(session->Start(0).ok());
  Drain(*session);
  EXPECT_EQ(session->NextDeadline(), 1000);
  ASSERT_TRUE(session->Tick(999).ok());
  EXPECT_TRUE(Drain(*session).empty());
  ASSERT_TRUE(session->Tick(2000).ok());
  EXPECT_THAT(Drain(*session), ElementsAre(kPlain[3], kPlain[4], kPlain[5], kPlain[6]));
  EXPECT_EQ(session->NextDeadline(), 3000);
}

TEST(SessionEngine, CatchUpAfterALongGapKeepsScheduledTimes) {
  auto session = Make();
  ASSERT_TRUE(session->Start(0).ok());
  ASSERT_TRUE(session->Tick(1000000).ok());
  EXPECT_THAT(Drain(*session), ElementsAreArray(kPlain));
  EXPECT_TRUE(session->Finished());
}

TEST(SessionEngine, PauseFreezesAndResumeShiftsByThePausedTime) {
  auto session = Make();
  ASSERT_TRUE(session->Start(0).ok());
  ASSERT_TRUE(session->Tick(3500).ok());
  Drain(*session);
  ASSERT_TRUE(session->Signal(v1::SIGNAL_PAUSE, 3500).ok());
  EXPECT_EQ(session->NextDeadline(), -1);
  ASSERT_TRUE(session->Signal(v1::SIGNAL_PAUSE, 4000).ok());  // accepted, changes nothing
  ASSERT_TRUE(session->Tick(9000).ok());
  EXPECT_THAT(Drain(*session), ElementsAre("3500 PAUSED 0/0/0 -"));
  ASSERT_TRUE(session->Signal(v1::SIGNAL_RESUME, 13500).ok());
  ASSERT_TRUE(session->Signal(v1::SIGNAL_RESUME, 13500).ok());  // accepted, changes nothing
  EXPECT_THAT(Drain(*session), ElementsAre("13500 RESUMED 0/0/0 -"));
  EXPECT_EQ(session->NextDeadline(), 14000);  // the tip, 10 s later than planned
  ASSERT_TRUE(session->Tick(15000).ok());
  EXPECT_THAT(Drain(*session), ElementsAre("14000 CUE 0/0/0 - hold tip \"A tip.\"",
                                           "14500 CUE 0/0/0 - hold down \"Down.\"",
                                           "15000 PHASE_STARTED 0/0/0 - lower 1000"));
  RunToEnd(*session);
  const v1::SessionRecord record = session->Record();
  EXPECT_EQ(record.pauses(), 1u);
  EXPECT_EQ(record.paused_ms(), 10000);
  EXPECT_EQ(record.ended_at_ms(), 27500);
  EXPECT_EQ(record.active_ms(), 17500);
  EXPECT_EQ(record.blocks(0).active_ms(), 9000);
}

TEST(SessionEngine, SkipEndsTheExerciseAndMovesOn) {
  auto session = Make();
  ASSERT_TRUE(session->Start(0).ok());
  ASSERT_TRUE(session->Tick(3500).ok());
  Drain(*session);
  ASSERT_TRUE(session->Signal(v1::SIGNAL_SKIP, 3500).ok());
  EXPECT_THAT(Drain(*session), ElementsAre("3500 EXERCISE_COMPLETED 0/-1/-1 -",
                                           "3500 PHASE_STARTED -1/-1/-1 - rest 2000"));
  ASSERT_TRUE(session->Signal(v1::SIGNAL_SKIP, 4000).ok());  // the rest too
  EXPECT_THAT(Drain(*session), ElementsAre("4000 EXERCISE_STARTED 1/-1/-1 -",
                                           "4000 PHASE_STARTED 1/0/0 L lift 1000"));
  RunToEnd(*session);
  const v1::SessionRecord record = session->Record();
  EXPECT_EQ(record.skips(), 2u);
  EXPECT_EQ(record.blocks(0).outcome(), v1::BLOCK_OUTCOME_SKIPPED);
  EXPECT_EQ(record.blocks(0).sides(0).reps_done(), 0u);
  EXPECT_EQ(record.blocks(0).sides(0).holds_achieved(), 0u);
  EXPECT_EQ(record.blocks(1).outcome(), v1::BLOCK_OUTCOME_COMPLETED);
  EXPECT_EQ(record.end(), v1::SESSION_END_COMPLETED);
  EXPECT_EQ(record.ended_at_ms(), 9500);
}

TEST(SessionEngine, StopEndsTheSession) {
  auto session = Make();
  ASSERT_TRUE(session->Start(0).ok());
  ASSERT_TRUE(session->Signal(v1::SIGNAL_STOP, 3500).ok());
  const std::vector<std::string> lines = Drain(*session);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[lines.size() - 2], "3500 EXERCISE_COMPLETED 0/-1/-1 -");
  EXPECT_EQ(lines.back(), "3500 SESSION_COMPLETED -1/-1/-1 -");
  EXPECT_TRUE(session->Finished());
  const v1::SessionRecord record = session->Record();
  EXPECT_EQ(record.end(), v1::SESSION_END_STOPPED);
  EXPECT_EQ(record.blocks(0).outcome(), v1::BLOCK_OUTCOME_STOPPED);
  EXPECT_EQ(record.blocks(1).outcome(), v1::BLOCK_OUTCOME_UNSPECIFIED);
  EXPECT_THAT(session->Tick(4000), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(session->Signal(v1::SIGNAL_RESUME, 4000),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(session->Report(v1::REPORT_EFFORT, 3, v1::SIDE_UNSPECIFIED, 4000),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(SessionEngine, PainAtTheThresholdEndsTheSession) {
  auto session = Make();
  ASSERT_TRUE(session->Start(0).ok());
  ASSERT_TRUE(session->Tick(3500).ok());
  Drain(*session);
  ASSERT_TRUE(session->Report(v1::REPORT_PAIN, 6, v1::SIDE_UNSPECIFIED, 3500, "low back").ok());
  // The safety cue, SAFETY_STOP, the exercise's end and the session's: no later block starts.
  EXPECT_THAT(
      Drain(*session),
      ElementsAre("3500 CUE 0/-1/-1 - hold stop \"Stop now.\"", "3500 SAFETY_STOP 0/0/0 -",
                  "3500 EXERCISE_COMPLETED 0/-1/-1 -", "3500 SESSION_COMPLETED -1/-1/-1 -"));
  EXPECT_TRUE(session->Finished());
  EXPECT_THAT(session->Tick(4000), StatusIs(absl::StatusCode::kFailedPrecondition));
  const v1::SessionRecord record = session->Record();
  EXPECT_EQ(record.end(), v1::SESSION_END_SAFETY_STOP);
  EXPECT_EQ(record.ended_at_ms(), 3500);
  EXPECT_EQ(record.blocks(0).outcome(), v1::BLOCK_OUTCOME_SAFETY_STOPPED);
  EXPECT_EQ(record.blocks(1).outcome(), v1::BLOCK_OUTCOME_UNSPECIFIED);
  ASSERT_EQ(record.safety_stops_size(), 1);
  EXPECT_EQ(record.safety_stops(0).at_ms(), 3500);
  EXPECT_EQ(record.safety_stops(0).pain(), 6);
  EXPECT_EQ(record.safety_stops(0).exercise_id(), "lift");
  ASSERT_EQ(record.reports_size(), 1);
  EXPECT_EQ(record.reports(0).location(), "low back");
  EXPECT_EQ(record.reports(0).block_index(), 0);
}

TEST(SessionEngine, PainThresholdIsAnOption) {
  v1::SessionOptions options = TestOptions();
  options.set_pain_stop_threshold(8);
  auto session = Make(options);
  ASSERT_TRUE(session->Start(0).ok());
  ASSERT_TRUE(session->Report(v1::REPORT_PAIN, 7, v1::SIDE_UNSPECIFIED, 3500).ok());
  for (const std::string& line : Drain(*session)) {
    EXPECT_THAT(line, ::testing::Not(HasSubstr("SAFETY_STOP")));
  }
  EXPECT_EQ(session->Record().safety_stops_size(), 0);
}

TEST(SessionEngine, ModeratePainGivesTheEaseOffCueFirst) {
  // Pain 4 at 3999 ms: the safety-priority ease-off speaks 3999..4099, so the tip due at 4000
  // is deferred until the channel is free.
  auto session = Make();
  ASSERT_TRUE(session->Start(0).ok());
  ASSERT_TRUE(session->Tick(3998).ok());
  Drain(*session);
  ASSERT_TRUE(session->Report(v1::REPORT_PAIN, 4, v1::SIDE_UNSPECIFIED, 3999).ok());
  ASSERT_TRUE(session->Tick(5000).ok());
  EXPECT_THAT(Drain(*session), ElementsAre("3999 CUE 0/0/0 - hold ease \"Ease off.\"",
                                           "4099 CUE 0/0/0 - hold tip \"A tip.\"",
                                           "4500 CUE 0/0/0 - hold down \"Down.\"",
                                           "5000 PHASE_STARTED 0/0/0 - lower 1000"));
  RunToEnd(*session);
  const v1::SessionRecord record = session->Record();
  EXPECT_EQ(record.cues_spoken(), 12u);
  EXPECT_EQ(record.cues_deferred(), 1u);
  EXPECT_EQ(record.cues_dropped(), 0u);
  EXPECT_EQ(record.safety_stops_size(), 0);
}

TEST(SessionEngine, ACueTooLateIsSkippedWithAnEvent) {
  v1::SessionOptions options = TestOptions();
  options.set_max_cue_delay_ms(50);
  auto session = Make(options);
  ASSERT_TRUE(session->Start(0).ok());
  ASSERT_TRUE(session->Tick(3998).ok());
  Drain(*session);
  ASSERT_TRUE(session->Report(v1::REPORT_PAIN, 5, v1::SIDE_UNSPECIFIED, 3999).ok());
  ASSERT_TRUE(session->Tick(5000).ok());
  // The tip due at 4000 could start only at 4099, more than 50 ms late: the host gets it as
  // CUE_SKIPPED (to show it), at once.
  EXPECT_THAT(Drain(*session), ElementsAre("3999 CUE 0/0/0 - hold ease \"Ease off.\"",
                                           "3999 CUE_SKIPPED 0/0/0 - hold tip \"A tip.\"",
                                           "4500 CUE 0/0/0 - hold down \"Down.\"",
                                           "5000 PHASE_STARTED 0/0/0 - lower 1000"));
  RunToEnd(*session);
  EXPECT_EQ(session->Record().cues_dropped(), 1u);
  EXPECT_EQ(session->Record().cues_spoken(), 11u);
}

TEST(SessionEngine, CuesNeverOverlapAndLowerOnesWaitForTheChannel) {
  // With a 1 s gap, "go" at 2000 holds the channel to 3500. The tip (4000) would run until after
  // "down" (4500, higher priority) is due, so "down" goes first at its time and the tip waits
  // into the lower phase (a tip stays relevant to the end of the exercise): 4500 + 200 + 1000.
  // It then holds the channel past the next rep's "go again", whose lift phase is over before
  // the channel is free: skipped, and the host learns it when the phase starts.
  v1::SessionOptions options = TestOptions();
  options.set_cue_gap_ms(1000);
  auto session = Make(options);
  ASSERT_TRUE(session->Start(0).ok());
  ASSERT_TRUE(session->Tick(9000).ok());
  const std::vector<std::string> lines = Drain(*session);
  EXPECT_THAT(lines, ::testing::Contains("4500 CUE 0/0/0 - hold down \"Down.\""));
  EXPECT_THAT(lines, ::testing::Contains("5700 CUE 0/0/0 - hold tip \"A tip.\""));
  EXPECT_THAT(lines, ::testing::Contains("6000 CUE_SKIPPED 0/0/1 - lift go \"Go again.\""));
  EXPECT_THAT(lines, ::testing::Not(::testing::Contains(HasSubstr("CUE 0/0/1 - lift go"))));
  EXPECT_EQ(session->Record().cues_dropped(), 1u);
}

TEST(SessionEngine, CueLeadEmitsCuesEarlyButNeverBeforeTheirTrigger) {
  v1::SessionOptions options = TestOptions();
  options.set_cue_lead_ms(300);
  auto session = Make(options);
  ASSERT_TRUE(session->Start(0).ok());
  ASSERT_TRUE(session->Tick(5000).ok());
  const std::vector<std::string> lines = Drain(*session);
  EXPECT_THAT(lines, ::testing::Contains("2000 CUE 0/0/0 - lift go \"Go.\""));
  EXPECT_THAT(lines, ::testing::Contains("3700 CUE 0/0/0 - hold tip \"A tip.\""));
  EXPECT_THAT(lines, ::testing::Contains("4200 CUE 0/0/0 - hold down \"Down.\""));
}

TEST(SessionEngine, AsymmetryGivesTheCorrectiveCueAndAnExtraRepOnTheWeakerSide) {
  auto session = Make();
  ASSERT_TRUE(session->Start(0).ok());
  ASSERT_TRUE(session->Tick(12500).ok());
  Drain(*session);
  ASSERT_TRUE(session->Report(v1::REPORT_ASYMMETRY, 0, v1::LEFT, 12500).ok());
  const std::vector<std::string> lines = RunToEnd(*session);
  EXPECT_THAT(
      lines,
      ElementsAre("12500 CUE 1/0/0 L lift even \"Even out.\"",  //
                  "13000 REP_COMPLETED 1/0/0 L", "13000 PHASE_STARTED 1/0/1 R switch_side 500",
                  "13000 CUE 1/0/1 R switch_side switch \"Switch.\"",
                  "13500 PHASE_STARTED 1/0/1 R lift 1000", "14500 REP_COMPLETED 1/0/1 R",
                  "14500 PHASE_STARTED 1/0/2 L switch_side 500",
                  "14500 CUE 1/0/2 L switch_side switch \"Switch.\"",
                  "15000 PHASE_STARTED 1/0/2 L lift 1000", "16000 REP_COMPLETED 1/0/2 L",
                  "16000 PHASE_STARTED 1/0/3 R switch_side 500",
                  "16000 CUE 1/0/3 R switch_side switch \"Switch.\"",
                  "16500 PHASE_STARTED 1/0/3 R lift 1000", "17500 REP_COMPLETED 1/0/3 R",
                  "17500 PHASE_STARTED 1/0/4 R lift 1000",  // the extra rep
                  "18500 REP_COMPLETED 1/0/4 R", "18500 SET_COMPLETED 1/0/-1 -",
                  "18500 EXERCISE_COMPLETED 1/-1/-1 -", "18500 CUE -1/-1/-1 -  end \"Done.\"",
                  "18500 SESSION_COMPLETED -1/-1/-1 -"));
  const v1::SessionRecord record = session->Record();
  EXPECT_EQ(record.blocks(1).sides(0).reps_planned(), 2u);
  EXPECT_EQ(record.blocks(1).sides(1).reps_planned(), 3u);
  EXPECT_EQ(record.blocks(1).sides(1).reps_done(), 3u);
  ASSERT_EQ(record.reports_size(), 1);
  EXPECT_EQ(record.reports(0).kind(), v1::REPORT_ASYMMETRY);
  EXPECT_EQ(record.reports(0).side(), v1::LEFT);
}

TEST(SessionEngine, EffortIsRecorded) {
  auto session = Make();
  ASSERT_TRUE(session->Start(0).ok());
  ASSERT_TRUE(session->Report(v1::REPORT_EFFORT, 7, v1::SIDE_UNSPECIFIED, 6000).ok());
  const v1::SessionRecord record = session->Record();
  ASSERT_EQ(record.reports_size(), 1);
  EXPECT_EQ(record.reports(0).at_ms(), 6000);
  EXPECT_EQ(record.reports(0).value(), 7);
  EXPECT_EQ(record.reports(0).exercise_id(), "lift");
}

TEST(SessionEngine, RepDoneEndsAnOpenPhaseAndIsANoOpOnATimedOne) {
  v1::Routine routine;
  routine.set_id("taps");
  routine.add_blocks()->set_exercise_id("tap");
  v1::SessionOptions options = TestOptions();
  options.set_count_in_ms(0);
  auto session = Session::Create(TestCatalog(), routine, options);
  ASSERT_TRUE(session.ok()) << session.status();
  ASSERT_TRUE((*session)->Start(0).ok());
  EXPECT_THAT(
      Drain(**session),
      ElementsAre("0 SESSION_STARTED -1/-1/-1 -", "0 EXERCISE_STARTED 0/-1/-1 -",
                  "0 PHASE_STARTED 0/0/0 - lift -1", "0 CUE 0/0/0 - lift start \"Start.\""));
  EXPECT_EQ((*session)->NextDeadline(), -1);  // waits for the user
  ASSERT_TRUE((*session)->Tick(60000).ok());
  EXPECT_TRUE(Drain(**session).empty());
  ASSERT_TRUE((*session)->Signal(v1::SIGNAL_REP_DONE, 61000).ok());
  EXPECT_THAT(
      Drain(**session),
      ElementsAre("61000 REP_COMPLETED 0/0/0 -", "61000 SET_COMPLETED 0/0/-1 -",
                  "61000 EXERCISE_COMPLETED 0/-1/-1 -", "61000 CUE -1/-1/-1 -  end \"Done.\"",
                  "61000 SESSION_COMPLETED -1/-1/-1 -"));

  auto timed = Make();
  ASSERT_TRUE(timed->Start(0).ok());
  ASSERT_TRUE(timed->Signal(v1::SIGNAL_REP_DONE, 3500).ok());
  EXPECT_EQ(timed->NextDeadline(), 4000);
  std::vector<std::string> lines = Drain(*timed);
  for (std::string& line : RunToEnd(*timed)) lines.push_back(line);
  EXPECT_THAT(lines, ElementsAreArray(kPlain));
}

TEST(SessionEngine, ErrorsHaveExactCodesAndChangeNothing) {
  auto session = Make();
  EXPECT_THAT(session->Tick(0), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(session->Signal(v1::SIGNAL_PAUSE, 0),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(session->NextDeadline(), -1);
  ASSERT_TRUE(session->Start(1000).ok());
  EXPECT_THAT(session->Start(1000), StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_TRUE(session->Tick(1500).ok());
  Drain(*session);
  const std::string before = session->SnapshotProto().SerializeAsString();
  EXPECT_THAT(session->Tick(1200), StatusIs(absl::StatusCode::kInvalidArgument,
                                            "time went backwards: 1200 ms after 1500 ms"));
  EXPECT_THAT(session->Signal(v1::SIGNAL_UNSPECIFIED, 1600),
              StatusIs(absl::StatusCode::kInvalidArgument, "unknown signal 0"));
  EXPECT_THAT(session->Signal(static_cast<v1::Signal>(42), 1600),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(session->Report(v1::REPORT_PAIN, 11, v1::SIDE_UNSPECIFIED, 1600),
              StatusIs(absl::StatusCode::kInvalidArgument, "pain must be 0..10, got 11"));
  EXPECT_THAT(session->Report(v1::REPORT_EFFORT, -1, v1::SIDE_UNSPECIFIED, 1600),
              StatusIs(absl::StatusCode::kInvalidArgument, "effort must be 0..10, got -1"));
  EXPECT_THAT(session->Report(v1::REPORT_ASYMMETRY, 0, v1::SIDE_UNSPECIFIED, 1600),
              StatusIs(absl::StatusCode::kInvalidArgument, "asymmetry needs the side"));
  EXPECT_THAT(session->Report(v1::REPORT_KIND_UNSPECIFIED, 1, v1::SIDE_UNSPECIFIED, 1600),
              StatusIs(absl::StatusCode::kInvalidArgument, "unknown report kind 0"));
  EXPECT_THAT(session->Report(v1::REPORT_PAIN, 1, static_cast<v1::Side>(9), 1600),
              StatusIs(absl::StatusCode::kInvalidArgument, "unknown side 9"));
  EXPECT_THAT(
      session->Report(v1::REPORT_PAIN, 1, v1::SIDE_UNSPECIFIED, 1600, std::string(201, 'x')),
      StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(session->Tick(int64_t{1} << 60),
              StatusIs(absl::StatusCode::kInvalidArgument, "out of range"));
  EXPECT_EQ(session->SnapshotProto().SerializeAsString(), before);
  ASSERT_TRUE(session->Signal(v1::SIGNAL_PAUSE, 1500).ok());
  Drain(*session);
  const std::string paused = session->SnapshotProto().SerializeAsString();
  EXPECT_THAT(session->Signal(v1::SIGNAL_SKIP, 1600),
              StatusIs(absl::StatusCode::kFailedPrecondition, "paused"));
  EXPECT_THAT(session->Signal(v1::SIGNAL_REP_DONE, 1600),
              StatusIs(absl::StatusCode::kFailedPrecondition, "paused"));
  EXPECT_EQ(session->SnapshotProto().SerializeAsString(), paused);
  EXPECT_NE(before, paused);
}

TEST(SessionEngine, ReportsWhilePausedTakeEffectOnResume) {
  auto session = Make();
  ASSERT_TRUE(session->Start(0).ok());
  ASSERT_TRUE(session->Signal(v1::SIGNAL_PAUSE, 3500).ok());
  ASSERT_TRUE(session->Tick(3500).ok());
  Drain(*session);
  ASSERT_TRUE(session->Report(v1::REPORT_PAIN, 8, v1::SIDE_UNSPECIFIED, 4000).ok());
  EXPECT_TRUE(Drain(*session).empty());
  EXPECT_EQ(session->Record().reports_size(), 1);
  ASSERT_TRUE(session->Signal(v1::SIGNAL_RESUME, 6000).ok());
  EXPECT_THAT(Drain(*session),
              ElementsAre("6000 RESUMED 0/0/0 -", "6000 CUE 0/-1/-1 - hold stop \"Stop now.\"",
                          "6000 SAFETY_STOP 0/0/0 -", "6000 EXERCISE_COMPLETED 0/-1/-1 -",
                          "6000 SESSION_COMPLETED -1/-1/-1 -"));
  EXPECT_EQ(session->Record().end(), v1::SESSION_END_SAFETY_STOP);
}

TEST(SessionEngine, SnapshotRestoreContinuesIdentically) {
  auto reference = Make();
  ASSERT_TRUE(reference->Start(0).ok());
  RunToEnd(*reference);
  const v1::SessionRecord uninterrupted = reference->Record();
  auto session = Make();
  ASSERT_TRUE(session->Start(0).ok());
  ASSERT_TRUE(session->Tick(4200).ok());  // leaves events queued, mid-hold, a cue pending
  for (Format format : {Format::kBinary, Format::kJson, Format::kText}) {
    absl::StatusOr<std::string> snapshot = session->Snapshot(format);
    ASSERT_TRUE(snapshot.ok());
    absl::StatusOr<std::unique_ptr<Session>> restored = Session::Restore(*snapshot, format);
    ASSERT_TRUE(restored.ok()) << restored.status();
    EXPECT_THAT(RunToEnd(**restored), ElementsAreArray(kPlain));
    EXPECT_EQ((*restored)->Record().SerializeAsString(), uninterrupted.SerializeAsString());
  }
  EXPECT_THAT(Session::Restore("garbage", Format::kJson).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  v1::SessionSnapshot bad = session->SnapshotProto();
  bad.set_version(99);
  EXPECT_THAT(Session::Restore(bad.SerializeAsString(), Format::kBinary).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  bad = session->SnapshotProto();
  bad.mutable_state()->set_block(7);
  EXPECT_THAT(Session::Restore(bad.SerializeAsString(), Format::kBinary).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SessionEngine, PlanErrorsNameThePath) {
  v1::Routine routine;
  routine.set_id("bad");
  routine.add_blocks()->set_exercise_id("lift");
  routine.add_blocks()->set_exercise_id("nope");
  EXPECT_THAT(CompilePlan(TestCatalog(), routine).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "blocks[1].exercise_id"));
  const Catalog& pack = Catalog::Default();
  v1::Routine basics = *pack.FindRoutine("back_basics");
  basics.mutable_blocks(1)->mutable_prescription()->set_reps(50);
  EXPECT_THAT(CompilePlan(pack, basics).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "blocks[1].prescription.reps"));
  v1::SessionOptions options;
  options.set_breath_period_ms(100);
  EXPECT_THAT(CompilePlan(pack, *pack.FindRoutine("back_basics"), options).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "options.breath_period_ms"));
  EXPECT_THAT(CompilePlan(pack, v1::Routine()).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SessionEngine, SpeakingTimeFromWords) {
  EXPECT_EQ(EstimateSpeakMs("one two three", 150), 1200);
  EXPECT_EQ(EstimateSpeakMs("  one   two ", 150), 800);
  EXPECT_EQ(EstimateSpeakMs("one", 7 * 60), 143);  // 60000 / 420 = 142.86, rounded up
  EXPECT_EQ(EstimateSpeakMs("", 150), 0);
}

// The session's planned length equals EstimateRoutineMs, and a plain run's last exercise ends
// exactly then.
TEST(SessionEngine, PlannedLengthEqualsTheEstimate) {
  const Catalog& pack = Catalog::Default();
  for (const char* id : {"back_basics", "back_basics_plus"}) {
    const v1::Routine& routine = *pack.FindRoutine(id);
    absl::StatusOr<int64_t> estimate = EstimateRoutineMs(routine, pack);
    ASSERT_TRUE(estimate.ok());
    v1::SessionOptions attested;  // back_basics_plus holds the gated rock
    attested.add_attestations("spine_flexible_strong_balanced");
    auto session = Session::Create(pack, routine, attested);
    ASSERT_TRUE(session.ok()) << session.status();
    EXPECT_EQ((*session)->plan().planned_ms(), *estimate) << id;
    ASSERT_TRUE((*session)->Start(0).ok());
    int64_t last_exercise_end = -1;
    Event e;
    while (!(*session)->Finished()) {
      ASSERT_TRUE((*session)->Tick((*session)->NextDeadline()).ok());
      while ((*session)->Poll(&e)) {
        if (e.type == v1::SessionEvent::EXERCISE_COMPLETED) last_exercise_end = e.at_ms;
      }
    }
    EXPECT_EQ(last_exercise_end, *estimate) << id;
  }
}

TEST(SessionEngine, BackBasicsSnapshotIsAtMost4KiB) {
  const Catalog& pack = Catalog::Default();
  auto session = Session::Create(pack, *pack.FindRoutine("back_basics"));
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE((*session)->Start(0).ok());
  ASSERT_TRUE((*session)->Tick(100000).ok());
  Drain(**session);
  absl::StatusOr<std::string> snapshot = (*session)->Snapshot(Format::kBinary);
  ASSERT_TRUE(snapshot.ok());
  EXPECT_LE(snapshot->size(), 4096u);
}

}  // namespace
}  // namespace regimen
