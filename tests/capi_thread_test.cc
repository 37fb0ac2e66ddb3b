// The C API's threading contract: one catalog shared by 8 threads, each running its own
// sessions (hands-free back_basics and back_basics_plus, one with reports, signals and a
// snapshot/restore), gives exactly the traces and records of a single-threaded run; and
// rgm_last_error is per thread. Run it under ThreadSanitizer with -DREGIMEN_SANITIZE=thread.
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regimen/regimen.h"

namespace {

constexpr int kThreads = 8;
constexpr int kSessionsPerThread = 6;

// A session's visible behaviour: every event as a line, then the binary record.
struct SessionRun {
  std::vector<std::string> events;
  std::string record;
  rgm_status status = RGM_OK;  // the first failed call, if any
  std::string error;

  bool operator==(const SessionRun& other) const {
    return events == other.events && record == other.record && status == other.status;
  }
};

std::string Describe(const rgm_event& ev) {
  return std::string(rgm_event_type_name(ev.type)) + " " + std::to_string(ev.at_ms) + " " +
         std::to_string(ev.block_index) + "/" + std::to_string(ev.set_index) + "/" +
         std::to_string(ev.rep_index) + " side " + std::to_string(ev.side) + " " +
         std::to_string(ev.duration_ms) + " " + ev.exercise_id + " " + ev.phase + " " + ev.cue_id +
         " " + ev.text;
}

// Records a failed call in `run` and says whether the call succeeded.
bool Ok(SessionRun* run, rgm_status status) {
  if (status != RGM_OK && run->status == RGM_OK) {
    run->status = status;
    run->error = rgm_last_error();
  }
  return status == RGM_OK;
}

void Drain(rgm_session* s, SessionRun* run) {
  rgm_event ev;
  std::memset(&ev, 0, sizeof ev);
  ev.struct_size = sizeof ev;
  while (rgm_session_poll(s, &ev)) run->events.push_back(Describe(ev));
}

// Session `variant` of the mix every thread runs: the routine and the inputs vary with it, so
// that threads do different work at the same time.
SessionRun RunSession(const rgm_catalog* catalog, int variant) {
  SessionRun run;
  const char* routine_id = variant % 2 == 0 ? "back_basics" : "back_basics_plus";
  rgm_buffer routine = {nullptr, 0};
  rgm_session* s = nullptr;
  if (!Ok(&run, rgm_catalog_routine(catalog, routine_id, RGM_FORMAT_BINARY, &routine))) {
    return run;
  }
  // back_basics_plus holds the gated rock: the user attests its gate.
  static const char kOptions[] = "{\"attestations\": [\"spine_flexible_strong_balanced\"]}";
  const bool created =
      Ok(&run, rgm_session_new_with_options(catalog, routine.data, routine.size, RGM_FORMAT_BINARY,
                                            kOptions, sizeof kOptions - 1, RGM_FORMAT_JSON, &s));
  rgm_buffer_free(&routine);
  if (!created) return run;

  const int64_t start = 1000 * variant;
  Ok(&run, rgm_session_start(s, start));
  for (int step = 0; !rgm_session_finished(s) && step < 100000; ++step) {
    Drain(s, &run);
    int64_t deadline = rgm_session_next_deadline(s);
    if (deadline < 0) break;
    if (variant % 3 == 1 && step == 10) {
      Ok(&run, rgm_session_report(s, RGM_REPORT_ASYMMETRY, 0, RGM_SIDE_LEFT, deadline - 1));
    }
    if (variant % 3 == 2 && step == 20) {
      Ok(&run, rgm_session_signal(s, RGM_SIGNAL_PAUSE, deadline - 1));
      Ok(&run, rgm_session_signal(s, RGM_SIGNAL_RESUME, deadline + 30000));
      deadline = rgm_session_next_deadline(s);
    }
    if (variant % 4 == 3 && step == 30) {
      // Carry on in a restored copy: it must behave identically.
      rgm_buffer snapshot = {nullptr, 0};
      rgm_session* restored = nullptr;
      if (Ok(&run, rgm_session_snapshot(s, RGM_FORMAT_BINARY, &snapshot)) &&
          Ok(&run,
             rgm_session_restore(snapshot.data, snapshot.size, RGM_FORMAT_BINARY, &restored))) {
        rgm_session_free(s);
        s = restored;
      }
      rgm_buffer_free(&snapshot);
    }
    if (variant == 5 && step == 40) {
      // A safety stop: the session ends here.
      Ok(&run, rgm_session_report(s, RGM_REPORT_PAIN, 7, RGM_SIDE_NONE, deadline - 1));
      if (rgm_session_finished(s)) break;
    }
    if (!Ok(&run, rgm_session_tick(s, deadline))) break;
  }
  Drain(s, &run);
  rgm_buffer record = {nullptr, 0};
  if (Ok(&run, rgm_session_record(s, RGM_FORMAT_BINARY, &record))) {
    run.record.assign(record.data, record.size);
  }
  rgm_buffer_free(&record);
  rgm_session_free(s);
  return run;
}

std::vector<SessionRun> RunMix(const rgm_catalog* catalog) {
  std::vector<SessionRun> runs;
  for (int variant = 0; variant < kSessionsPerThread; ++variant) {
    runs.push_back(RunSession(catalog, variant));
  }
  return runs;
}

TEST(CapiThreadTest, SharedCatalogEightThreadsMatchSingleThreadedRun) {
  rgm_catalog* catalog = nullptr;
  ASSERT_EQ(rgm_catalog_default(&catalog), RGM_OK) << rgm_last_error();

  const std::vector<SessionRun> expected = RunMix(catalog);
  ASSERT_EQ(expected.size(), static_cast<size_t>(kSessionsPerThread));
  for (int variant = 0; variant < kSessionsPerThread; ++variant) {
    const SessionRun& run = expected[variant];
    ASSERT_EQ(run.status, RGM_OK) << "variant " << variant << ": " << run.error;
    ASSERT_FALSE(run.events.empty());
    EXPECT_THAT(run.events.front(), testing::StartsWith("SESSION_STARTED "));
    EXPECT_THAT(run.events.back(), testing::StartsWith("SESSION_COMPLETED "));
    EXPECT_FALSE(run.record.empty());
  }
  // The variants differ from each other, so the comparison below means something.
  EXPECT_NE(expected[0].events, expected[1].events);
  EXPECT_NE(expected[0].events, expected[2].events);
  EXPECT_NE(expected[1].record, expected[5].record);

  std::vector<std::vector<SessionRun>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([catalog, &results, t] { results[t] = RunMix(catalog); });
  }
  for (std::thread& thread : threads) thread.join();

  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(results[t].size(), expected.size()) << "thread " << t;
    for (int variant = 0; variant < kSessionsPerThread; ++variant) {
      EXPECT_TRUE(results[t][variant] == expected[variant])
          << "thread " << t << ", variant " << variant << ": " << results[t][variant].error;
    }
  }
  rgm_catalog_free(catalog);
}

TEST(CapiThreadTest, LastErrorIsPerThread) {
  // A failure on another thread leaves this thread's last error alone, and vice versa.
  ASSERT_EQ(rgm_catalog_default(nullptr), RGM_INVALID_ARGUMENT);
  const std::string mine = rgm_last_error();
  EXPECT_THAT(mine, testing::HasSubstr("rgm_catalog_default"));

  std::string theirs_before, theirs_after;
  std::thread other([&] {
    theirs_before = rgm_last_error();
    rgm_catalog* catalog = nullptr;
    (void)rgm_catalog_parse("x", 1, static_cast<rgm_format>(9), &catalog);
    theirs_after = rgm_last_error();
  });
  other.join();

  EXPECT_EQ(theirs_before, "");
  EXPECT_THAT(theirs_after, testing::HasSubstr("rgm_catalog_parse"));
  EXPECT_THAT(theirs_after, testing::HasSubstr("got 9"));
  EXPECT_EQ(rgm_last_error(), mine);
}

}  // namespace
