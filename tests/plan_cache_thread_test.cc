// Sessions made through the C API from the same routine and options bytes share one compiled plan
// (bindings/c/plan_cache.h): the cache's bounds, that shared plans change nothing a host sees,
// and one catalog handle used by many threads at once (label thread: TSan runs this program).
#include "bindings/c/plan_cache.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "regimen/regimen.h"

namespace {

using regimen::capi::PlanCache;

std::shared_ptr<const regimen::PreparedPlan> SomePlan() {
  static const std::shared_ptr<const regimen::PreparedPlan> plan = [] {
    auto session = regimen::Session::Create(regimen::Catalog::Default(),
                                            *regimen::Catalog::Default().FindRoutine("back_basics"));
    return (*session)->prepared_plan();
  }();
  return plan;
}

TEST(PlanCache, KeepsTheMostRecentPlansUpToItsCapacity) {
  PlanCache cache;
  for (size_t i = 0; i <= PlanCache::kCapacity; ++i) {
    cache.Insert(PlanCache::Key(absl::StrCat("routine", i), 0, "", -1), SomePlan());
  }
  EXPECT_EQ(cache.size(), PlanCache::kCapacity);
  EXPECT_EQ(cache.Find(PlanCache::Key("routine0", 0, "", -1)), nullptr);  // the oldest went
  EXPECT_NE(cache.Find(PlanCache::Key("routine1", 0, "", -1)), nullptr);
  // Found plans are the most recent: routine1 stays when one more comes.
  cache.Insert(PlanCache::Key("one more", 0, "", -1), SomePlan());
  EXPECT_NE(cache.Find(PlanCache::Key("routine1", 0, "", -1)), nullptr);
  EXPECT_EQ(cache.Find(PlanCache::Key("routine2", 0, "", -1)), nullptr);
}

TEST(PlanCache, KeysSeparateRoutineOptionsAndFormats) {
  EXPECT_NE(PlanCache::Key("ab", 0, "c", 0), PlanCache::Key("a", 0, "bc", 0));
  EXPECT_NE(PlanCache::Key("ab", 0, "", -1), PlanCache::Key("ab", 1, "", -1));
  EXPECT_NE(PlanCache::Key("ab", 0, "", -1), PlanCache::Key("ab", 0, "", 0));
  PlanCache cache;
  cache.Insert(std::string(PlanCache::kMaxKeyBytes + 1, 'x'), SomePlan());
  EXPECT_EQ(cache.size(), 0u);  // too big to keep
}

// The events of a hands-free run, with a pain report at `pain_at` (0: none).
std::string Trace(rgm_catalog* catalog, const rgm_buffer& routine, const char* options,
                int64_t pain_at) {
  rgm_session* session = nullptr;
  const size_t options_size = options == nullptr ? 0 : std::string(options).size();
  EXPECT_EQ(rgm_session_new_with_options(catalog, routine.data, routine.size, RGM_FORMAT_BINARY,
                                         options, options_size, RGM_FORMAT_JSON, &session),
            RGM_OK)
      << rgm_last_error();
  std::string trace;
  rgm_event event;
  event.struct_size = sizeof event;
  (void)rgm_session_start(session, 0);
  bool reported = pain_at == 0;
  while (!rgm_session_finished(session)) {
    while (rgm_session_poll(session, &event)) {
      absl::StrAppend(&trace, rgm_event_type_name(event.type), "@", event.at_ms, " ");
    }
    int64_t next = rgm_session_next_deadline(session);
    if (!reported && next > pain_at) {
      (void)rgm_session_report(session, RGM_REPORT_PAIN, 7, RGM_SIDE_NONE, pain_at);
      reported = true;
      continue;
    }
    if (next < 0) break;
    (void)rgm_session_tick(session, next);
  }
  while (rgm_session_poll(session, &event)) {
    absl::StrAppend(&trace, rgm_event_type_name(event.type), "@", event.at_ms, " ");
  }
  rgm_session_free(session);
  return trace;
}

TEST(PlanCache, SharedPlansBehaveAsFreshOnesAndOptionsAreTheirOwn) {
  rgm_catalog* shared = nullptr;
  ASSERT_EQ(rgm_catalog_default(&shared), RGM_OK);
  rgm_buffer routine = {nullptr, 0};
  ASSERT_EQ(rgm_catalog_routine(shared, "back_basics", RGM_FORMAT_BINARY, &routine), RGM_OK);
  // A fresh handle for each reference run: nothing cached.
  auto fresh = [&](const char* options, int64_t pain_at) {
    rgm_catalog* catalog = nullptr;
    EXPECT_EQ(rgm_catalog_default(&catalog), RGM_OK);
    std::string trace = Trace(catalog, routine, options, pain_at);
    rgm_catalog_free(catalog);
    return trace;
  };
  const char* lenient = "{\"painStopThreshold\": 8}";
  const std::string plain = fresh(nullptr, 0);
  const std::string stopped = fresh(nullptr, 60000);
  const std::string eased = fresh(lenient, 60000);
  EXPECT_NE(stopped.find("SAFETY_STOP"), std::string::npos);
  EXPECT_EQ(eased.find("SAFETY_STOP"), std::string::npos);  // threshold 8: pain 7 goes on
  for (int round = 0; round < 3; ++round) {  // the first round fills the cache, the others hit it
    EXPECT_EQ(Trace(shared, routine, nullptr, 0), plain);
    EXPECT_EQ(Trace(shared, routine, nullptr, 60000), stopped);
    EXPECT_EQ(Trace(shared, routine, lenient, 60000), eased);
  }
  // Sessions outlive their catalog handle and its cache.
  rgm_session* survivor = nullptr;
  ASSERT_EQ(rgm_session_new(shared, routine.data, routine.size, RGM_FORMAT_BINARY, &survivor),
            RGM_OK);
  rgm_catalog_free(shared);
  EXPECT_EQ(rgm_session_start(survivor, 0), RGM_OK);
  rgm_session_free(survivor);
  rgm_buffer_free(&routine);
}

// Many threads make sessions from one handle at once.
TEST(PlanCacheThread, OneHandleManyThreads) {
  rgm_catalog* catalog = nullptr;
  ASSERT_EQ(rgm_catalog_default(&catalog), RGM_OK);
  rgm_buffer routine = {nullptr, 0};
  ASSERT_EQ(rgm_catalog_routine(catalog, "back_basics", RGM_FORMAT_BINARY, &routine), RGM_OK);
  const std::string expected = Trace(catalog, routine, nullptr, 0);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const char* options = t % 2 == 0 ? nullptr : "{\"painStopThreshold\": 8}";
      for (int i = 0; i < 50; ++i) {
        if (Trace(catalog, routine, options, 0) != expected) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
  rgm_buffer_free(&routine);
  rgm_catalog_free(catalog);
}

}  // namespace
