// Sessions of one prepared plan started on several threads at once share one nominal run
// (session_internal::Timeline, made once under std::call_once) and each emits exactly what the
// full engine emits. Run under ThreadSanitizer by scripts/test --tsan (label `thread`).
#include <memory>
#include <string>
#include <thread>
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

TEST(TimelineThreadTest, SessionsOnManyThreadsShareOneTimeline) {
  const Catalog& pack = Catalog::Default();
  absl::StatusOr<v1::Plan> compiled = CompilePlan(pack, *pack.FindRoutine("back_basics_plus"), {});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  absl::StatusOr<std::shared_ptr<const PreparedPlan>> prepared = Session::Prepare(*compiled);
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  const std::shared_ptr<const PreparedPlan> plan = *prepared;

  SetTimelineMode(TimelineMode::kOff);
  std::unique_ptr<Session> reference = Session::FromPrepared(plan);
  ASSERT_TRUE(reference->Start(0).ok());
  const std::vector<std::string> expected = testing::RunToEnd(*reference);
  ASSERT_TRUE(reference->Finished());

  SetTimelineMode(TimelineMode::kAlways);
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        std::unique_ptr<Session> s = Session::FromPrepared(plan);
        if (!s->Start(0).ok()) return;
        got[t] = testing::RunToEnd(*s);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  SetTimelineMode(TimelineMode::kShared);
  ASSERT_NE(plan->timeline, nullptr);
  for (const std::vector<std::string>& lines : got) EXPECT_EQ(lines, expected);
}

}  // namespace
}  // namespace regimen
