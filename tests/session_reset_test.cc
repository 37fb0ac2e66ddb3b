// Session::Reset: a session reset to a prepared plan runs exactly like a fresh
// Session::FromPrepared of that plan — events and record — whatever it ran before (a safety
// stop, a ring grown by a long gap, another routine).
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/plan.h"
#include "regimen/session.h"

namespace regimen {
namespace {

std::shared_ptr<const PreparedPlan> PreparedFor(const char* routine_id) {
  const Catalog& catalog = Catalog::Default();
  const v1::Routine* routine = catalog.FindRoutine(routine_id);
  EXPECT_NE(routine, nullptr);
  v1::SessionOptions attested;  // back_basics_plus holds the gated rock
  attested.add_attestations("spine_flexible_strong_balanced");
  absl::StatusOr<v1::Plan> plan = CompilePlan(catalog, *routine, attested);
  EXPECT_TRUE(plan.ok()) << plan.status();
  absl::StatusOr<std::shared_ptr<const PreparedPlan>> prepared = Session::Prepare(*plan);
  EXPECT_TRUE(prepared.ok()) << prepared.status();
  return *prepared;
}

// Runs `session` to the end: a pain report of `pain` at the first exercise start (none when
// negative), and a long gap before the first tick when `gap` (so the event ring grows). Returns
// every event as JSON lines followed by the record's serialization.
std::string RunToEnd(Session& session, int pain, bool gap) {
  std::string out;
  auto drain = [&] {
    Event event;
    while (session.Poll(&event)) {
      out += EventToProto(event).ShortDebugString();
      out += "\n";
    }
  };
  int64_t now = 0;  // the last input's time: reports are made "now"
  EXPECT_TRUE(session.Start(now).ok());
  if (gap) {
    now = 120000;
    EXPECT_TRUE(session.Tick(now).ok());  // two minutes in the background, then polled
  }
  bool reported = pain < 0;
  for (int guard = 0; guard < 100000 && !session.Finished(); ++guard) {
    Event event;
    while (session.Poll(&event)) {
      out += EventToProto(event).ShortDebugString();
      out += "\n";
      if (!reported && event.type == v1::SessionEvent::EXERCISE_STARTED &&
          std::string(event.exercise_id) == "prone_lift") {
        reported = true;
        EXPECT_TRUE(session.Report(v1::REPORT_PAIN, pain, v1::SIDE_UNSPECIFIED, now).ok());
      }
    }
    if (session.Finished()) break;
    const int64_t deadline = session.NextDeadline();
    EXPECT_GE(deadline, 0);
    if (deadline < 0) break;
    now = deadline;
    EXPECT_TRUE(session.Tick(now).ok());
  }
  drain();
  EXPECT_TRUE(session.Finished());
  out += session.Record().ShortDebugString();
  return out;
}

TEST(SessionResetTest, ResetRunsLikeAFreshSession) {
  const std::shared_ptr<const PreparedPlan> basics = PreparedFor("back_basics");
  const std::shared_ptr<const PreparedPlan> plus = PreparedFor("back_basics_plus");

  const std::string fresh_plain = RunToEnd(*Session::FromPrepared(basics), -1, false);
  const std::string fresh_stop = RunToEnd(*Session::FromPrepared(basics), 7, true);
  const std::string fresh_plus = RunToEnd(*Session::FromPrepared(plus), 2, false);
  ASSERT_NE(fresh_plain, fresh_stop);
  ASSERT_NE(fresh_stop.find("SAFETY_STOP"), std::string::npos);

  // One session object, reused: after a safety stop with a grown ring, after another routine.
  std::unique_ptr<Session> reused = Session::FromPrepared(basics);
  EXPECT_EQ(RunToEnd(*reused, 7, true), fresh_stop);
  ASSERT_TRUE(reused->Reset(basics));
  EXPECT_EQ(RunToEnd(*reused, -1, false), fresh_plain);
  ASSERT_TRUE(reused->Reset(plus));
  EXPECT_EQ(RunToEnd(*reused, 2, false), fresh_plus);
  ASSERT_TRUE(reused->Reset(basics));
  EXPECT_EQ(RunToEnd(*reused, 7, true), fresh_stop);
}

TEST(SessionResetTest, ResetMidSessionStartsOver) {
  const std::shared_ptr<const PreparedPlan> basics = PreparedFor("back_basics");
  const std::string fresh = RunToEnd(*Session::FromPrepared(basics), -1, false);
  std::unique_ptr<Session> reused = Session::FromPrepared(basics);
  ASSERT_TRUE(reused->Start(0).ok());
  ASSERT_TRUE(reused->Tick(60000).ok());  // events left unpolled in the queue
  ASSERT_TRUE(reused->Reset(basics));
  EXPECT_FALSE(reused->Finished());
  EXPECT_EQ(reused->NextDeadline(), -1);  // not started
  Event event;
  EXPECT_FALSE(reused->Poll(&event));  // the old queue is gone
  EXPECT_EQ(RunToEnd(*reused, -1, false), fresh);
}

TEST(SessionResetTest, NullPlanIsRefusedAndChangesNothing) {
  const std::shared_ptr<const PreparedPlan> basics = PreparedFor("back_basics");
  std::unique_ptr<Session> session = Session::FromPrepared(basics);
  ASSERT_TRUE(session->Start(0).ok());
  const int64_t deadline = session->NextDeadline();
  const size_t pending = session->Pending();
  EXPECT_FALSE(session->Reset(nullptr));
  EXPECT_EQ(session->NextDeadline(), deadline);
  EXPECT_EQ(session->Pending(), pending);
}

}  // namespace
}  // namespace regimen
