// Property tests over seeded random input scripts (splitmix64, so every platform draws the same
// scripts): for each script, on the test catalog's routine and on back_basics,
// - snapshot and restore after every input continue exactly as the uninterrupted session;
// - event times never decrease;
// - nothing happens while paused (no event but the stop's, no deadline);
// - a failed call changes nothing;
// - the record agrees with the events.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "regimen/session.h"
#include "tests/session_test_util.h"

namespace regimen {
namespace {

constexpr int kSeeds = 1000;

// What the scripts exercised, so a generator that stopped producing an input fails the test.
struct Coverage {
  int restores = 0, pauses = 0, safety_stops = 0, skips = 0, stops = 0, refused = 0, reports = 0;
};
Coverage coverage;

using testing::SplitMix64;

enum Kind { kTick, kPause, kResume, kSkip, kRepDone, kStop, kPain, kAsym, kEffort, kBadSignal };

struct Input {
  Kind kind;
  int64_t at;
  int32_t value = 0;
  v1::Side side = v1::SIDE_UNSPECIFIED;
};

std::vector<Input> MakeScript(SplitMix64& rng, int64_t length_ms) {
  std::vector<Input> script;
  const int n = 5 + static_cast<int>(rng.Below(30));
  int64_t t = 0;
  for (int i = 0; i < n; ++i) {
    const int64_t r = rng.Below(100);
    // Mostly forward in time, sometimes equal, now and then backwards (refused).
    if (r < 5) {
      t -= rng.Below(2000);
    } else if (r > 10) {
      t += rng.Below(length_ms / 8 + 1);
    }
    Input input{kTick, t};
    const int64_t k = rng.Below(100);
    if (k < 30)
      input.kind = kTick;
    else if (k < 45)
      input.kind = kPause;
    else if (k < 60)
      input.kind = kResume;
    else if (k < 65)
      input.kind = kSkip;
    else if (k < 70)
      input.kind = kRepDone;
    else if (k < 72)
      input.kind = kStop;
    else if (k < 82)
      input.kind = kPain;
    else if (k < 90)
      input.kind = kAsym;
    else if (k < 97)
      input.kind = kEffort;
    else
      input.kind = kBadSignal;
    input.value = static_cast<int32_t>(rng.Below(13)) - 1;  // -1 .. 11, some invalid
    input.side = static_cast<v1::Side>(rng.Below(3));
    script.push_back(input);
  }
  return script;
}

absl::Status Apply(Session& s, const Input& in) {
  switch (in.kind) {
    case kTick:
      return s.Tick(in.at);
    case kPause:
      return s.Signal(v1::SIGNAL_PAUSE, in.at);
    case kResume:
      return s.Signal(v1::SIGNAL_RESUME, in.at);
    case kSkip:
      return s.Signal(v1::SIGNAL_SKIP, in.at);
    case kRepDone:
      return s.Signal(v1::SIGNAL_REP_DONE, in.at);
    case kStop:
      return s.Signal(v1::SIGNAL_STOP, in.at);
    case kPain:
      return s.Report(v1::REPORT_PAIN, in.value, in.side, in.at, "back");
    case kAsym:
      return s.Report(v1::REPORT_ASYMMETRY, 0, in.side, in.at);
    case kEffort:
      return s.Report(v1::REPORT_EFFORT, in.value, v1::SIDE_UNSPECIFIED, in.at);
    case kBadSignal:
      return s.Signal(static_cast<v1::Signal>(7 + in.value), in.at);
  }
  return absl::OkStatus();
}

// Runs the script from input `from` on, then to the end; returns every event as a line and the
// status code of every input.
struct Run {
  std::vector<std::string> lines;
  std::vector<Event> events;  // strings are borrowed from the session: compare fields only
  std::vector<int> codes;
};

void DrainInto(Session& s, Run* run) {
  Event e;
  while (s.Poll(&e)) {
    run->lines.push_back(testing::Line(e));
    run->events.push_back(e);
  }
}

void Finish(Session& s, int64_t last, Run* run) {
  if (s.Finished()) return;
  // Resume if paused, then run deadline to deadline.
  EXPECT_TRUE(s.Signal(v1::SIGNAL_RESUME, last).ok());
  DrainInto(s, run);
  for (int64_t d = s.NextDeadline(); d >= 0 && !s.Finished(); d = s.NextDeadline()) {
    EXPECT_TRUE(s.Tick(d).ok());
    DrainInto(s, run);
  }
  // Open phases never occur in these routines, so every session ends.
  EXPECT_TRUE(s.Finished());
}

void CheckRecordAgrees(const Session& s, const Run& run, int accepted_stops) {
  const v1::SessionRecord record = s.Record();
  std::map<std::tuple<int, int>, uint32_t> reps;  // (block, side) → count
  std::map<int, uint32_t> sets, completed;
  uint32_t cues = 0, skipped = 0, pauses = 0, safety = 0, session_completed = 0;
  bool started_after_safety_stop = false;
  for (const Event& e : run.events) {
    if (safety > 0 && e.type == v1::SessionEvent::EXERCISE_STARTED) {
      started_after_safety_stop = true;
    }
    switch (e.type) {
      case v1::SessionEvent::REP_COMPLETED:
        ++reps[{e.block_index, e.side}];
        break;
      case v1::SessionEvent::SET_COMPLETED:
        ++sets[e.block_index];
        break;
      case v1::SessionEvent::EXERCISE_COMPLETED:
        ++completed[e.block_index];
        break;
      case v1::SessionEvent::CUE:
        ++cues;
        break;
      case v1::SessionEvent::CUE_SKIPPED:
        ++skipped;
        EXPECT_NE(std::string(e.cue_id), "") << "a skipped cue names itself";
        EXPECT_NE(std::string(e.text), "");
        break;
      case v1::SessionEvent::PAUSED:
        ++pauses;
        break;
      case v1::SessionEvent::SAFETY_STOP:
        ++safety;
        break;
      case v1::SessionEvent::SESSION_COMPLETED:
        ++session_completed;
        EXPECT_EQ(e.at_ms, record.ended_at_ms());
        break;
      default:
        break;
    }
  }
  EXPECT_EQ(session_completed, 1u);
  ASSERT_FALSE(run.events.empty());
  EXPECT_EQ(run.events.back().type, v1::SessionEvent::SESSION_COMPLETED);
  EXPECT_EQ(record.cues_spoken(), cues);
  EXPECT_EQ(record.cues_dropped(), skipped);
  EXPECT_GE(record.cues_triggered(), cues + skipped);
  EXPECT_EQ(record.pauses(), pauses);
  EXPECT_EQ(static_cast<uint32_t>(record.safety_stops_size()), safety);
  // A safety stop ends the session: nothing starts after it.
  EXPECT_LE(safety, 1u);
  EXPECT_FALSE(started_after_safety_stop);
  EXPECT_EQ(record.end() == v1::SESSION_END_SAFETY_STOP, safety == 1);
  // A stop may arrive after the catch-up it triggers already finished the session.
  if (accepted_stops == 0 && safety == 0) {
    EXPECT_EQ(record.end(), v1::SESSION_END_COMPLETED);
  }
  EXPECT_EQ(record.end() == v1::SESSION_END_STOPPED,
            std::string(run.events.back().text) == "Session stopped");
  EXPECT_EQ(record.end() == v1::SESSION_END_SAFETY_STOP,
            std::string(run.events.back().text) == "Session ended for safety");
  EXPECT_EQ(record.active_ms() + record.paused_ms(), record.ended_at_ms() - record.started_at_ms());
  for (const v1::BlockRecord& b : record.blocks()) {
    EXPECT_EQ(b.sets_done(), sets[b.block_index()]);
    EXPECT_EQ(completed[b.block_index()], b.outcome() == v1::BLOCK_OUTCOME_UNSPECIFIED ? 0u : 1u)
        << "block " << b.block_index();
    for (const v1::SideRecord& side : b.sides()) {
      EXPECT_EQ(side.reps_done(), (reps[{b.block_index(), side.side()}]));
      EXPECT_LE(side.holds_achieved(), side.holds_planned());
      if (b.outcome() == v1::BLOCK_OUTCOME_COMPLETED) {
        EXPECT_EQ(side.reps_done(), side.reps_planned());
      }
    }
  }
}

void CheckSeed(uint64_t seed, const Catalog& catalog, const v1::Routine& routine,
               const v1::SessionOptions& options) {
  SplitMix64 rng{seed};
  auto made = Session::Create(catalog, routine, options);
  ASSERT_TRUE(made.ok()) << made.status();
  Session& a = **made;
  const std::vector<Input> script = MakeScript(rng, a.plan().planned_ms());
  ASSERT_TRUE(a.Start(0).ok());
  Run full;
  std::vector<std::string> snapshots;  // after each input, before draining
  std::vector<size_t> lines_before;    // lines drained before each snapshot
  bool paused = false;
  int accepted_stops = 0;
  int64_t last = 0;
  DrainInto(a, &full);
  for (const Input& in : script) {
    const std::string before = a.SnapshotProto().SerializeAsString();
    const absl::Status status = Apply(a, in);
    full.codes.push_back(static_cast<int>(status.code()));
    if (!status.ok()) ++coverage.refused;
    if (!status.ok()) {
      EXPECT_EQ(a.SnapshotProto().SerializeAsString(), before)
          << "seed " << seed << ": a failed call changed the session: " << status;
      if (in.at < last && !a.Finished()) {
        EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
      }
    } else {
      last = in.at;
      if (in.kind == kStop) ++accepted_stops;
    }
    absl::StatusOr<std::string> snapshot = a.Snapshot(Format::kBinary);
    ASSERT_TRUE(snapshot.ok());
    snapshots.push_back(*snapshot);
    lines_before.push_back(full.lines.size());
    const size_t first_new = full.events.size();
    DrainInto(a, &full);
    // Nothing happens while paused: only a stop may end the session (skipping the cues that
    // were due and never said).
    for (size_t i = first_new; i < full.events.size(); ++i) {
      const Event& e = full.events[i];
      if (e.type == v1::SessionEvent::PAUSED) paused = true;
      if (e.type == v1::SessionEvent::RESUMED) paused = false;
      if (paused && e.type != v1::SessionEvent::PAUSED) {
        EXPECT_TRUE(e.type == v1::SessionEvent::EXERCISE_COMPLETED ||
                    e.type == v1::SessionEvent::SESSION_COMPLETED ||
                    e.type == v1::SessionEvent::CUE_SKIPPED)
            << "seed " << seed << ": while paused: " << full.lines[i];
      }
    }
    if (paused && !a.Finished()) {
      EXPECT_EQ(a.NextDeadline(), -1) << "seed " << seed;
    }
  }
  Finish(a, last, &full);
  const std::string final_record = a.Record().SerializeAsString();

  for (size_t i = 1; i < full.events.size(); ++i) {
    ASSERT_GE(full.events[i].at_ms, full.events[i - 1].at_ms)
        << "seed " << seed << ": time went back at " << full.lines[i];
  }
  CheckRecordAgrees(a, full, accepted_stops);
  const v1::SessionRecord record = a.Record();
  coverage.pauses += static_cast<int>(record.pauses());
  coverage.safety_stops += record.safety_stops_size();
  coverage.skips += static_cast<int>(record.skips());
  coverage.stops += record.end() == v1::SESSION_END_STOPPED ? 1 : 0;
  coverage.reports += record.reports_size();

  // Restore after every input and continue: the same events, the same record.
  for (size_t k = 0; k < snapshots.size(); ++k) {
    auto b = Session::Restore(snapshots[k], Format::kBinary);
    ASSERT_TRUE(b.ok()) << b.status();
    ++coverage.restores;
    Run rest;
    DrainInto(**b, &rest);
    int64_t b_last = last;
    for (size_t j = k + 1; j < script.size(); ++j) {
      const absl::Status status = Apply(**b, script[j]);
      ASSERT_EQ(static_cast<int>(status.code()), full.codes[j])
          << "seed " << seed << " restored at " << k << ", input " << j << ": " << status;
      DrainInto(**b, &rest);
    }
    Finish(**b, b_last, &rest);
    const std::vector<std::string> expected(full.lines.begin() + lines_before[k], full.lines.end());
    ASSERT_EQ(rest.lines, expected) << "seed " << seed << " restored after input " << k;
    ASSERT_EQ((*b)->Record().SerializeAsString(), final_record)
        << "seed " << seed << " restored after input " << k;
  }
}

TEST(SessionProperty, RandomScriptsOnTheTestRoutine) {
  const v1::Routine& routine = *testing::TestCatalog().FindRoutine("r");
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    v1::SessionOptions options = testing::TestOptions();
    SplitMix64 rng{seed * 7919};
    options.set_cue_lead_ms(rng.Below(3) * 250);
    options.set_cue_gap_ms(rng.Below(3) * 300);
    options.set_max_cue_delay_ms(rng.Below(2) == 0 ? 50 : 4000);
    CheckSeed(seed, testing::TestCatalog(), routine, options);
    if (::testing::Test::HasFailure()) break;
  }
}

TEST(SessionProperty, RandomScriptsOnBackBasics) {
  const Catalog& pack = Catalog::Default();
  const v1::Routine& routine = *pack.FindRoutine("back_basics");
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    CheckSeed(seed + 1000000, pack, routine, v1::SessionOptions());
    if (::testing::Test::HasFailure()) break;
  }
}

// Corrupt snapshots (random bytes flipped) are refused with a status or restore into a session
// that still behaves: ticks succeed, times never go back, and it ends within bounds.
TEST(SessionProperty, CorruptSnapshotsNeverCrash) {
  const Catalog& pack = Catalog::Default();
  auto made = Session::Create(pack, *pack.FindRoutine("back_basics"));
  ASSERT_TRUE(made.ok());
  ASSERT_TRUE((*made)->Start(0).ok());
  ASSERT_TRUE((*made)->Tick(61000).ok());  // events queued, cues pending
  const std::string clean = *(*made)->Snapshot(Format::kBinary);
  int restored = 0;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SplitMix64 rng{seed};
    std::string bytes = clean;
    const int flips = 1 + static_cast<int>(rng.Below(4));
    for (int i = 0; i < flips; ++i) {
      bytes[rng.Below(static_cast<int64_t>(bytes.size()))] ^= static_cast<char>(1 + rng.Below(255));
    }
    auto session = Session::Restore(bytes, Format::kBinary);
    if (!session.ok()) {
      EXPECT_TRUE(session.status().code() == absl::StatusCode::kInvalidArgument ||
                  session.status().code() == absl::StatusCode::kFailedPrecondition)
          << session.status();
      continue;
    }
    ++restored;
    Session& s = **session;
    Event e;
    int64_t last = -1;
    int steps = 0;
    for (; steps < 100000 && !s.Finished(); ++steps) {
      while (s.Poll(&e)) {
        EXPECT_GE(e.at_ms, last) << "seed " << seed;
        last = e.at_ms;
      }
      const int64_t d = s.NextDeadline();
      if (d < 0) break;  // paused or open: a host would wait for input
      const absl::Status ticked = s.Tick(d);
      ASSERT_TRUE(ticked.ok()) << "seed " << seed << ": " << ticked;
    }
    EXPECT_LT(steps, 100000) << "seed " << seed << " never ends";
  }
  EXPECT_GT(restored, 100);  // many corruptions hit texts and counts, which stay restorable
}

TEST(SessionProperty, ScriptsCoverEveryKindOfInput) {
  coverage = Coverage();
  const v1::Routine& routine = *testing::TestCatalog().FindRoutine("r");
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    CheckSeed(seed, testing::TestCatalog(), routine, testing::TestOptions());
  }
  EXPECT_GT(coverage.restores, 2000);
  EXPECT_GT(coverage.pauses, 50);
  EXPECT_GT(coverage.safety_stops, 20);
  EXPECT_GT(coverage.skips, 20);
  EXPECT_GT(coverage.stops, 10);
  EXPECT_GT(coverage.refused, 100);
  EXPECT_GT(coverage.reports, 200);
}

}  // namespace
}  // namespace regimen
