// Crash recovery through the C API. A host that snapshots its session can lose the process at
// any moment and carry on from the snapshot:
//   - snapshot after every event: for every event index of back_basics (with and without user
//     input), snapshot, destroy, restore and finish; the events and the record equal the
//     uninterrupted run's, in each of the three formats;
//   - snapshot every k events only: after a crash at any event, restoring the last snapshot and
//     catching up to the crash time shows the host again the events since that snapshot (at most
//     k), in order and with their original times, and the user inputs made since that snapshot
//     are lost; nothing else is. The test measures the bound for k = 1, 2, 5, 10, 20 (it prints
//     the table docs/reliability.md quotes) and asserts it.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "regimen/regimen.h"

namespace {

// One user input of a script, at a fixed time.
struct Input {
  int64_t at_ms;
  enum Kind { kSignal, kReport } kind;
  int code;  // rgm_signal or rgm_report
  int32_t value;
  rgm_side side;
};

// Pause 15 s in the primer, then during the core exercises an asymmetry, some pain short of the
// stop threshold and an effort rating.
const std::vector<Input> kInteractive = {
    {30000, Input::kSignal, RGM_SIGNAL_PAUSE, 0, RGM_SIDE_NONE},
    {45000, Input::kSignal, RGM_SIGNAL_RESUME, 0, RGM_SIDE_NONE},
    {120000, Input::kReport, RGM_REPORT_ASYMMETRY, 0, RGM_SIDE_LEFT},
    {160000, Input::kReport, RGM_REPORT_PAIN, 4, RGM_SIDE_NONE},
    {230000, Input::kReport, RGM_REPORT_EFFORT, 5, RGM_SIDE_NONE},
};

std::string Describe(const rgm_event& e) {
  return absl::StrCat(rgm_event_type_name(e.type), " at=", e.at_ms, " block=", e.block_index,
                      " set=", e.set_index, " rep=", e.rep_index, " side=", e.side,
                      " dur=", e.duration_ms, " ", e.exercise_id, "/", e.phase, "/", e.cue_id,
                      " \"", e.text, "\"");
}

std::string Take(rgm_buffer* buffer) {
  std::string out(buffer->data, buffer->size);
  rgm_buffer_free(buffer);
  return out;
}

// A host driving one session: polls every event, feeds the script's inputs at their times and
// ticks at every deadline in between, as the example host in regimen.h does.
class Host {
 public:
  explicit Host(const std::vector<Input>& script) : script_(script) {
    rgm_catalog* catalog = nullptr;
    EXPECT_EQ(rgm_catalog_default(&catalog), RGM_OK);
    rgm_buffer routine = {nullptr, 0};
    EXPECT_EQ(rgm_catalog_routine(catalog, "back_basics", RGM_FORMAT_BINARY, &routine), RGM_OK);
    EXPECT_EQ(rgm_session_new(catalog, routine.data, routine.size, RGM_FORMAT_BINARY, &session_),
              RGM_OK);
    rgm_buffer_free(&routine);
    rgm_catalog_free(catalog);
    EXPECT_EQ(rgm_session_start(session_, 0), RGM_OK);
  }
  ~Host() { rgm_session_free(session_); }

  // One step: polls one event (true, and appends it to events()), or else feeds the next input
  // or ticks at the deadline (false). Done() when the session finished and the queue is empty.
  bool Step() {
    rgm_event event = {};
    event.struct_size = sizeof event;
    if (rgm_session_poll(session_, &event)) {
      events_.push_back(Describe(event));
      return true;
    }
    if (rgm_session_finished(session_)) {
      done_ = true;
      return false;
    }
    const int64_t deadline = rgm_session_next_deadline(session_);
    if (deadline < 0 && resume_when_stuck_ &&
        (next_input_ == script_.size() || script_[next_input_].code != RGM_SIGNAL_RESUME ||
         script_[next_input_].kind != Input::kSignal)) {
      // Paused with no RESUME to come: it was lost in the crash, and the user taps it again.
      ++extra_resumes_;
      EXPECT_EQ(rgm_session_signal(session_, RGM_SIGNAL_RESUME, now_), RGM_OK) << rgm_last_error();
      return false;
    }
    if (next_input_ < script_.size() && (deadline < 0 || script_[next_input_].at_ms <= deadline)) {
      const Input& in = script_[next_input_++];
      now_ = in.at_ms;
      const rgm_status s =
          in.kind == Input::kSignal
              ? rgm_session_signal(session_, static_cast<rgm_signal>(in.code), in.at_ms)
              : rgm_session_report(session_, static_cast<rgm_report>(in.code), in.value, in.side,
                                   in.at_ms);
      EXPECT_EQ(s, RGM_OK) << rgm_last_error();
      return false;
    }
    EXPECT_GE(deadline, 0) << "nothing timed and no input left: the session would hang";
    if (deadline < 0) {
      done_ = true;
      return false;
    }
    now_ = deadline;
    EXPECT_EQ(rgm_session_tick(session_, deadline), RGM_OK) << rgm_last_error();
    return false;
  }

  // Runs until `events` events have been polled in all, or to the end.
  void RunUntilEvents(size_t events) {
    while (!done_ && events_.size() < events) Step();
  }
  void RunToEnd() {
    while (!done_) Step();
  }

  std::string Snapshot(rgm_format format) const {
    rgm_buffer out = {nullptr, 0};
    EXPECT_EQ(rgm_session_snapshot(session_, format, &out), RGM_OK) << rgm_last_error();
    return Take(&out);
  }
  // Replaces the session (the old one is gone, as in a crash) by one restored from `snapshot`.
  void Restore(const std::string& snapshot, rgm_format format) {
    rgm_session_free(session_);
    session_ = nullptr;
    ASSERT_EQ(rgm_session_restore(snapshot.data(), snapshot.size(), format, &session_), RGM_OK)
        << rgm_last_error();
  }
  // Catches the restored session up to `now_ms` (what an app does when it comes back).
  void CatchUp(int64_t now_ms) {
    if (!rgm_session_finished(session_)) {
      ASSERT_EQ(rgm_session_tick(session_, now_ms), RGM_OK) << rgm_last_error();
    }
    now_ = now_ms;
  }
  // Drops the inputs at or before `now_ms` (made before the crash, lost with it).
  void SkipInputsUntil(int64_t now_ms) {
    while (next_input_ < script_.size() && script_[next_input_].at_ms <= now_ms) ++next_input_;
  }

  std::string Record() const {
    rgm_buffer out = {nullptr, 0};
    EXPECT_EQ(rgm_session_record(session_, RGM_FORMAT_TEXT, &out), RGM_OK) << rgm_last_error();
    return Take(&out);
  }

  // After a crash, a RESUME may have been lost with the process; when set, a paused session
  // with no RESUME ahead in the script is resumed at once (counted by extra_resumes()).
  void set_resume_when_stuck(bool on) { resume_when_stuck_ = on; }
  int extra_resumes() const { return extra_resumes_; }

  const std::vector<std::string>& events() const { return events_; }
  size_t inputs_done() const { return next_input_; }
  int64_t now() const { return now_; }

 private:
  std::vector<Input> script_;
  rgm_session* session_ = nullptr;
  std::vector<std::string> events_;
  size_t next_input_ = 0;
  int64_t now_ = 0;
  bool done_ = false;
  bool resume_when_stuck_ = false;
  int extra_resumes_ = 0;
};

struct Reference {
  std::vector<std::string> events;
  std::string record;
};

Reference Uninterrupted(const std::vector<Input>& script) {
  Host host(script);
  host.RunToEnd();
  return {host.events(), host.Record()};
}

const rgm_format kFormats[] = {RGM_FORMAT_BINARY, RGM_FORMAT_JSON, RGM_FORMAT_TEXT};

class CrashAtEveryEventTest : public ::testing::TestWithParam<bool> {};

TEST_P(CrashAtEveryEventTest, RestoreAndFinishEqualsTheUninterruptedSession) {
  const std::vector<Input> script = GetParam() ? kInteractive : std::vector<Input>{};
  const Reference reference = Uninterrupted(script);
  ASSERT_GT(reference.events.size(), 100u);
  ASSERT_NE(reference.events.back().find("SESSION_COMPLETED"), std::string::npos);
  ASSERT_NE(reference.record.find("end: SESSION_END_COMPLETED"), std::string::npos)
      << reference.record;
  for (size_t crash_at = 0; crash_at <= reference.events.size(); ++crash_at) {
    for (rgm_format format : kFormats) {
      SCOPED_TRACE(absl::StrCat("crash after event ", crash_at, ", format ", format));
      Host host(script);
      host.RunUntilEvents(crash_at);
      const std::string snapshot = host.Snapshot(format);
      host.Restore(snapshot, format);
      host.RunToEnd();
      ASSERT_EQ(host.events(), reference.events);
      ASSERT_EQ(host.Record(), reference.record);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(PlainAndInteractive, CrashAtEveryEventTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Interactive" : "Plain";
                         });

// Snapshots after every k-th event only; a crash after event c restores the snapshot taken
// after event s = c - c % k and catches up to the crash time.
TEST(CrashWithSparseSnapshotsTest, LossIsBoundedByTheSnapshotInterval) {
  std::printf("%4s %14s %22s %22s %18s\n", "k", "crash points", "max events re-shown",
              "max window (ms)", "max inputs lost");
  for (const bool interactive : {false, true}) {
    const std::vector<Input> script = interactive ? kInteractive : std::vector<Input>{};
    const Reference reference = Uninterrupted(script);
    const size_t n = reference.events.size();
    for (const size_t k : {1, 2, 5, 10, 20}) {
      size_t max_reshown = 0, max_lost = 0;
      int64_t max_window = 0;
      for (size_t crash_at = 1; crash_at <= n; ++crash_at) {
        SCOPED_TRACE(absl::StrCat("k ", k, ", crash after event ", crash_at));
        const size_t snapshot_at = crash_at - crash_at % k;
        Host host(script);
        host.RunUntilEvents(snapshot_at);
        const std::string snapshot = host.Snapshot(RGM_FORMAT_BINARY);
        const int64_t snapshot_time = host.now();
        const size_t inputs_at_snapshot = host.inputs_done();
        host.RunUntilEvents(crash_at);
        const int64_t crash_time = host.now();
        const size_t lost = host.inputs_done() - inputs_at_snapshot;

        host.Restore(snapshot, RGM_FORMAT_BINARY);
        host.CatchUp(crash_time);
        host.SkipInputsUntil(crash_time);
        host.set_resume_when_stuck(true);
        host.RunToEnd();
        if (host.extra_resumes() > 0) {
          ASSERT_GT(lost, 0u) << "only a lost RESUME leaves a restored session paused";
        }

        // What the host saw: the reference up to the crash, then again from the snapshot on.
        const std::vector<std::string>& seen = host.events();
        ASSERT_GE(seen.size(), crash_at);
        ASSERT_TRUE(std::equal(seen.begin(), seen.begin() + crash_at, reference.events.begin()));
        const size_t reshown = crash_at - snapshot_at;
        ASSERT_LT(reshown, k);
        max_reshown = std::max(max_reshown, reshown);
        max_window = std::max(max_window, crash_time - snapshot_time);
        max_lost = std::max(max_lost, lost);
        if (lost == 0) {
          // No input in the window: nothing is lost at all; the re-shown events are exactly
          // those after the snapshot, and the session ends as if it never crashed.
          const std::vector<std::string> expected_tail(reference.events.begin() + snapshot_at,
                                                       reference.events.end());
          ASSERT_EQ(std::vector<std::string>(seen.begin() + crash_at, seen.end()), expected_tail);
          ASSERT_EQ(host.Record(), reference.record);
        } else {
          // Inputs were lost with the process; the session still finishes.
          ASSERT_NE(seen.back().find("SESSION_COMPLETED"), std::string::npos);
        }
      }
      if (!interactive) {
        EXPECT_EQ(max_lost, 0u);
      }
      std::printf("%4zu %14zu %22zu %22lld %18zu  %s\n", k, n, max_reshown,
                  static_cast<long long>(max_window), max_lost,
                  interactive ? "interactive" : "plain");
    }
  }
}

}  // namespace
