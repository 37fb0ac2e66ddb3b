// The nominal-run fast path (session_internal::Timeline): a session that follows its plan's
// timeline is indistinguishable from one that runs the full engine. Seeded random drives
// (splitmix64) run the same inputs on two sessions of one prepared plan, one with the timeline
// (TimelineMode::kAlways) and one without (kOff), and compare after every call: its status,
// every polled event field by field, Pending, NextDeadline, Finished, and now and then the
// record and the snapshot (which make the timeline session rebuild its full state), and at the
// end all of them. Drives start at random times, tick at deadlines, between them, far past
// them and backwards, poll some or none of the queue, and make inputs (signals, reports, valid
// and not) at random points, so the switch to the full engine is tested everywhere.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/plan.h"
#include "regimen/session.h"
#include "src/session/prepared_plan.h"
#include "tests/session_test_util.h"

namespace regimen {
namespace {

using session_internal::SetTimelineMode;
using session_internal::TimelineMode;

using testing::SplitMix64;

// Restores the default mode when a test ends, whatever happened.
class TimelineTest : public ::testing::Test {
 protected:
  void TearDown() override { SetTimelineMode(TimelineMode::kShared); }
};

std::string Describe(const Event& e) {
  return absl::StrCat(testing::Line(e), " | ", e.exercise_id, " | ", e.phase, " | ", e.cue_id,
                      " | ", e.text, " | ", e.cue_kind, " ", e.priority, " ", e.speak_ms, " ",
                      e.duration_ms);
}

std::shared_ptr<const PreparedPlan> Prepare(const Catalog& catalog, const v1::Routine& routine,
                                            const v1::SessionOptions& options) {
  absl::StatusOr<v1::Plan> plan = CompilePlan(catalog, routine, options);
  EXPECT_TRUE(plan.ok()) << plan.status();
  if (!plan.ok()) return nullptr;
  absl::StatusOr<std::shared_ptr<const PreparedPlan>> prepared = Session::Prepare(*plan);
  EXPECT_TRUE(prepared.ok()) << prepared.status();
  return prepared.ok() ? *prepared : nullptr;
}

std::unique_ptr<Session> Make(const std::shared_ptr<const PreparedPlan>& plan, TimelineMode mode,
                              int64_t start) {
  if (plan == nullptr) std::abort();  // the test failed already (Prepare)
  SetTimelineMode(mode);              // consulted by Start
  std::unique_ptr<Session> s = Session::FromPrepared(plan);
  EXPECT_TRUE(s->Start(start).ok());
  SetTimelineMode(TimelineMode::kShared);
  return s;
}

// Every observable of the two sessions agrees (`what` says where in the drive).
void ExpectSame(Session& full, Session& fast, const std::string& what) {
  ASSERT_EQ(full.Pending(), fast.Pending()) << what;
  ASSERT_EQ(full.NextDeadline(), fast.NextDeadline()) << what;
  ASSERT_EQ(full.Finished(), fast.Finished()) << what;
}

void PollSome(Session& full, Session& fast, int64_t n, const std::string& what) {
  for (int64_t i = 0; i < n; ++i) {
    Event a, b;
    const bool got_a = full.Poll(&a);
    const bool got_b = fast.Poll(&b);
    ASSERT_EQ(got_a, got_b) << what;
    if (!got_a) return;
    ASSERT_EQ(Describe(a), Describe(b)) << what << ", event " << i;
  }
}

struct Drive {
  int inputs = 0, records = 0, snapshots = 0, finished = 0, waiting = 0, reports = 0;
};

// One seeded drive on `plan`; adds what it exercised to *seen.
void RunDrive(uint64_t seed, const std::shared_ptr<const PreparedPlan>& plan, Drive* seen) {
  SplitMix64 rng{seed};
  const int64_t start = rng.Below(3) == 0 ? 0 : rng.Below(int64_t{1} << 40);
  std::unique_ptr<Session> full = Make(plan, TimelineMode::kOff, start);
  std::unique_ptr<Session> fast = Make(plan, TimelineMode::kAlways, start);
  // How eventful this drive is: some never leave the timeline, some leave it early.
  const int64_t input_odds = rng.Below(4) == 0 ? 0 : 1 + rng.Below(40);
  const bool observe = rng.Below(2) == 0;  // records and snapshots along the way
  // Some drives make only reports that change nothing but the record (pain below the ease-off
  // cue's range, effort): those sessions stay on the nominal run to the end.
  const bool silent_only = rng.Below(3) == 0;
  int64_t now = start;
  for (int step = 0; step < 600; ++step) {
    const std::string what = absl::StrCat("seed ", seed, " step ", step, " at ", now);
    ExpectSame(*full, *fast, what);
    if (::testing::Test::HasFatalFailure()) return;
    if (rng.Below(3) != 0) PollSome(*full, *fast, rng.Below(8), what);
    if (::testing::Test::HasFatalFailure()) return;
    const int64_t deadline = full->NextDeadline();
    const int64_t r = rng.Below(100);
    int64_t at = now;
    if (r < 50 && deadline >= 0) {
      at = deadline;
    } else if (r < 70) {
      at = now + rng.Below(3000);
    } else if (r < 75) {
      at = now + rng.Below(600000);
    } else if (r < 78) {
      at = now - 1 - rng.Below(1000);  // backwards: refused
    } else if (r < 80) {
      at = rng.Below(2) == 0 ? -1 : (int64_t{1} << 53) + 1;  // out of range
    }
    absl::Status a, b;
    if (input_odds > 0 && rng.Below(input_odds) == 0) {
      ++seen->inputs;
      const int64_t k = silent_only ? 5 + 2 * rng.Below(2) : rng.Below(9);
      const int32_t value = silent_only ? static_cast<int32_t>(rng.Below(k == 5 ? 4 : 11))
                                        : static_cast<int32_t>(rng.Below(13)) - 1;
      const v1::Side side = static_cast<v1::Side>(rng.Below(3));
      auto input = [&](Session& s) -> absl::Status {
        switch (k) {
          case 0:
            return s.Signal(v1::SIGNAL_PAUSE, at);
          case 1:
            return s.Signal(v1::SIGNAL_RESUME, at);
          case 2:
            return s.Signal(v1::SIGNAL_SKIP, at);
          case 3:
            return s.Signal(v1::SIGNAL_REP_DONE, at);
          case 4:
            return s.Signal(v1::SIGNAL_STOP, at);
          case 5:
            return s.Report(v1::REPORT_PAIN, value, side, at, "low back");
          case 6:
            return s.Report(v1::REPORT_ASYMMETRY, value, side, at);
          case 7:
            return s.Report(v1::REPORT_EFFORT, value, v1::SIDE_UNSPECIFIED, at);
          default:
            return s.Signal(static_cast<v1::Signal>(6 + value), at);
        }
      };
      a = input(*full);
      b = input(*fast);
    } else {
      a = full->Tick(at);
      b = fast->Tick(at);
    }
    ASSERT_EQ(a, b) << what;
    if (a.ok()) now = at;
    if (observe && rng.Below(20) == 0) {
      ++seen->records;
      ASSERT_EQ(full->Record().SerializeAsString(), fast->Record().SerializeAsString()) << what;
    }
    if (observe && rng.Below(20) == 0) {
      ++seen->snapshots;
      absl::StatusOr<std::string> sa = full->Snapshot(Format::kBinary);
      absl::StatusOr<std::string> sb = fast->Snapshot(Format::kBinary);
      ASSERT_TRUE(sa.ok() && sb.ok()) << what;
      ASSERT_EQ(*sa, *sb) << what;
    }
    if (full->Finished() && full->Pending() == 0) break;
  }
  ExpectSame(*full, *fast, absl::StrCat("seed ", seed, " at the end"));
  PollSome(*full, *fast, 1 << 20, absl::StrCat("seed ", seed, " draining"));
  ASSERT_EQ(full->Record().SerializeAsString(), fast->Record().SerializeAsString())
      << "seed " << seed;
  ASSERT_EQ(full->SnapshotProto().SerializeAsString(), fast->SnapshotProto().SerializeAsString())
      << "seed " << seed;
  seen->reports += full->Record().reports_size();
  if (full->Finished()) {
    ++seen->finished;
  } else if (full->NextDeadline() < 0) {
    ++seen->waiting;
  }
}

v1::Routine TestRoutineWithTap() {
  v1::Routine routine = *testing::TestCatalog().FindRoutine("r");
  routine.set_id("r_tap");
  v1::Block tap;
  tap.set_exercise_id("tap");
  *routine.mutable_blocks()->Add() = tap;
  routine.mutable_blocks()->SwapElements(1, 2);  // lift, tap (open-ended), legs
  return routine;
}

TEST_F(TimelineTest, FollowsTheFullEngineOnTheBackCarePack) {
  const Catalog& pack = Catalog::Default();
  Drive seen;
  uint64_t seed = 1;
  for (const char* id : {"back_basics", "back_basics_plus"}) {
    for (int variant = 0; variant < 3; ++variant) {
      v1::SessionOptions options;
      if (variant == 1) {
        options.set_count_in_ms(0);
        options.set_cue_lead_ms(500);
      } else if (variant == 2) {
        options.set_cue_gap_ms(0);
        options.set_max_cue_delay_ms(100);
      }
      const std::shared_ptr<const PreparedPlan> plan =
          Prepare(pack, *pack.FindRoutine(id), options);
      for (int i = 0; i < 120; ++i) {
        RunDrive(seed++, plan, &seen);
        if (HasFatalFailure()) return;
      }
    }
  }
  // The drives did what they are for.
  EXPECT_GT(seen.inputs, 500);
  EXPECT_GT(seen.records, 100);
  EXPECT_GT(seen.snapshots, 100);
  EXPECT_GT(seen.finished, 300);
  EXPECT_GT(seen.reports, 300);
}

TEST_F(TimelineTest, FollowsTheFullEngineWithAnOpenEndedPhase) {
  const v1::Routine routine = TestRoutineWithTap();
  Drive seen;
  for (uint64_t seed = 5000; seed < 5600; ++seed) {
    v1::SessionOptions options = testing::TestOptions();
    SplitMix64 rng{seed * 7919};
    options.set_cue_lead_ms(rng.Below(3) * 250);
    options.set_cue_gap_ms(rng.Below(3) * 300);
    options.set_max_cue_delay_ms(rng.Below(2) == 0 ? 50 : 4000);
    RunDrive(seed, Prepare(testing::TestCatalog(), routine, options), &seen);
    if (HasFatalFailure()) return;
  }
  // Sessions that only tick stop at the open-ended phase, waiting for REP_DONE; others finish.
  EXPECT_GT(seen.waiting, 20);
  EXPECT_GT(seen.finished, 20);
}

TEST_F(TimelineTest, ARunOfTicksOnlyMatchesTheFullEngineEventForEvent) {
  const Catalog& pack = Catalog::Default();
  const std::shared_ptr<const PreparedPlan> plan =
      Prepare(pack, *pack.FindRoutine("back_basics"), {});
  std::unique_ptr<Session> full = Make(plan, TimelineMode::kOff, 7000);
  std::unique_ptr<Session> fast = Make(plan, TimelineMode::kAlways, 7000);
  const std::vector<std::string> a = testing::RunToEnd(*full);
  const std::vector<std::string> b = testing::RunToEnd(*fast);
  EXPECT_EQ(a.size(), 168u);
  EXPECT_EQ(a, b);
  EXPECT_TRUE(fast->Finished());
  EXPECT_EQ(full->Record().SerializeAsString(), fast->Record().SerializeAsString());
  EXPECT_EQ(fast->Record().end(), v1::SESSION_END_COMPLETED);
}

TEST_F(TimelineTest, ReportsThatChangeNothingButTheRecordKeepTheNominalRun) {
  const Catalog& pack = Catalog::Default();
  const std::shared_ptr<const PreparedPlan> plan =
      Prepare(pack, *pack.FindRoutine("back_basics"), {});
  std::unique_ptr<Session> full = Make(plan, TimelineMode::kOff, 500);
  std::unique_ptr<Session> fast = Make(plan, TimelineMode::kAlways, 500);
  std::vector<std::string> a, b;
  int exercise = 0;
  auto run = [&](Session& s, std::vector<std::string>* lines) {
    exercise = 0;
    int64_t now = 500;
    EXPECT_TRUE(s.Report(v1::REPORT_EFFORT, 6, v1::SIDE_UNSPECIFIED, now).ok());
    for (;;) {
      Event e;
      while (s.Poll(&e)) {
        lines->push_back(testing::Line(e));
        if (e.type == v1::SessionEvent::EXERCISE_STARTED) {
          EXPECT_TRUE(
              s.Report(v1::REPORT_PAIN, exercise++ % 4, v1::SIDE_UNSPECIFIED, now, "upper back")
                  .ok());
        }
      }
      if (s.Finished()) break;
      now = s.NextDeadline();
      if (now < 0 || !s.Tick(now).ok()) break;
    }
  };
  run(*full, &a);
  run(*fast, &b);
  EXPECT_EQ(a, b);
  ASSERT_TRUE(fast->Finished());
  const v1::SessionRecord record = fast->Record();
  EXPECT_EQ(record.SerializeAsString(), full->Record().SerializeAsString());
  ASSERT_EQ(record.reports_size(), 1 + exercise);
  EXPECT_EQ(record.reports(1).kind(), v1::REPORT_PAIN);
  EXPECT_EQ(record.reports(1).block_index(), 0);
  EXPECT_EQ(record.reports(1).location(), "upper back");
  EXPECT_EQ(record.started_at_ms(), 500);
  // A snapshot taken now restores into a session whose record is the same.
  absl::StatusOr<std::string> snapshot = fast->Snapshot(Format::kBinary);
  ASSERT_TRUE(snapshot.ok());
  absl::StatusOr<std::unique_ptr<Session>> restored = Session::Restore(*snapshot, Format::kBinary);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ((*restored)->Record().SerializeAsString(), record.SerializeAsString());
}

TEST_F(TimelineTest, ErrorsAreTheFullEnginesAndChangeNothing) {
  const Catalog& pack = Catalog::Default();
  const std::shared_ptr<const PreparedPlan> plan =
      Prepare(pack, *pack.FindRoutine("back_basics"), {});
  std::unique_ptr<Session> fast = Make(plan, TimelineMode::kAlways, 1000);
  EXPECT_THAT(fast->Start(2000),
              testing::StatusIs(absl::StatusCode::kFailedPrecondition, "session already started"));
  ASSERT_TRUE(fast->Tick(9000).ok());
  const size_t pending = fast->Pending();
  const int64_t deadline = fast->NextDeadline();
  EXPECT_THAT(fast->Tick(8999),
              testing::StatusIs(absl::StatusCode::kInvalidArgument, "time went backwards"));
  EXPECT_THAT(fast->Tick(-5), testing::StatusIs(absl::StatusCode::kInvalidArgument, "-5 ms"));
  EXPECT_EQ(fast->Pending(), pending);
  EXPECT_EQ(fast->NextDeadline(), deadline);
  // Run it out; then every input is refused as finished.
  for (int64_t d = fast->NextDeadline(); d >= 0; d = fast->NextDeadline()) {
    ASSERT_TRUE(fast->Tick(d).ok());
  }
  ASSERT_TRUE(fast->Finished());
  EXPECT_THAT(fast->Tick(1 << 30),
              testing::StatusIs(absl::StatusCode::kFailedPrecondition, "session already finished"));
  EXPECT_THAT(fast->Signal(v1::SIGNAL_PAUSE, 1 << 30),
              testing::StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(fast->Pending(), 168u);  // nothing was polled: all still queued
}

TEST_F(TimelineTest, SharedModeUsesTheTimelineFromTheSecondSessionOfAPlan) {
  const Catalog& pack = Catalog::Default();
  const std::shared_ptr<const PreparedPlan> plan =
      Prepare(pack, *pack.FindRoutine("back_basics"), {});
  ASSERT_EQ(session_internal::GetTimelineMode(), TimelineMode::kShared);
  std::unique_ptr<Session> first = Session::FromPrepared(plan);
  ASSERT_TRUE(first->Start(0).ok());
  EXPECT_EQ(plan->timeline, nullptr);  // a plan run once costs nothing extra
  std::unique_ptr<Session> second = Session::FromPrepared(plan);
  ASSERT_TRUE(second->Start(0).ok());
  ASSERT_NE(plan->timeline, nullptr);
  EXPECT_TRUE(plan->timeline->finishes);
  EXPECT_EQ(plan->timeline->events.size(), 168u);
  EXPECT_EQ(testing::RunToEnd(*first), testing::RunToEnd(*second));
}

TEST_F(TimelineTest, TooLongARunKeepsNoTimeline) {
  // The longest routine there is: more events than a timeline keeps.
  v1::Routine routine;
  routine.set_id("long");
  routine.set_name("Long");
  for (size_t i = 0; i < kMaxBlocksPerRoutine; ++i) {
    v1::Block* block = routine.add_blocks();
    block->set_exercise_id("legs");
    block->mutable_prescription()->set_sets(3);
    block->mutable_prescription()->set_reps(7);
  }
  const std::shared_ptr<const PreparedPlan> plan =
      Prepare(testing::TestCatalog(), routine, testing::TestOptions());
  std::unique_ptr<Session> full = Make(plan, TimelineMode::kOff, 0);
  const size_t events = testing::RunToEnd(*full).size();
  ASSERT_GT(events, session_internal::kMaxTimelineEvents);
  std::unique_ptr<Session> fast = Make(plan, TimelineMode::kAlways, 0);
  EXPECT_EQ(plan->timeline, nullptr);
  EXPECT_EQ(testing::RunToEnd(*fast).size(), events);  // the full engine ran it
}

}  // namespace
}  // namespace regimen
