// Sessions of a shared prepared plan (Session::Prepare, FromPrepared), Record into a reused
// message, restoring snapshots whose plan is already prepared, and simulate-population's user
// ranges (--first-user) adding up to one run.
#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regimen/plan.h"
#include "regimen/session.h"
#include "tests/session_test_util.h"

namespace regimen {
namespace {

using ::regimen::testing::StatusIs;

// Every event of a run from Start(0) to the end, one line each, and the record.
struct Trace {
  std::vector<std::string> lines;
  std::string record;
};

std::string Line(const Event& e) {
  return absl::StrCat(e.at_ms, " ", EventTypeName(e.type), " ", e.block_index, "/", e.set_index,
                      "/", e.rep_index, " ", e.side, " ", e.phase, " ", e.cue_id, " ", e.text, " ",
                      e.duration_ms, " ", e.speak_ms);
}

// Starts the session at 0 unless `started`.
Trace RunToEnd(Session& session, bool report_asymmetry, bool started = false) {
  Trace run;
  Event e;
  if (!started) {
    EXPECT_TRUE(session.Start(0).ok());
  }
  bool reported = false;
  while (true) {
    while (session.Poll(&e)) {
      run.lines.push_back(Line(e));
      if (report_asymmetry && !reported && e.type == v1::SessionEvent::EXERCISE_STARTED &&
          e.block_index == 1) {
        reported = true;
        EXPECT_TRUE(session.Report(v1::REPORT_ASYMMETRY, 0, v1::RIGHT, e.at_ms).ok());
      }
    }
    if (session.Finished()) break;
    const int64_t d = session.NextDeadline();
    if (d < 0) break;
    EXPECT_TRUE(session.Tick(d).ok());
  }
  run.record = session.Record().SerializeAsString();
  return run;
}

v1::Plan BackBasicsPlan() {
  const Catalog& pack = Catalog::Default();
  absl::StatusOr<v1::Plan> plan = CompilePlan(pack, *pack.FindRoutine("back_basics"));
  EXPECT_TRUE(plan.ok()) << plan.status();
  return *plan;
}

TEST(SessionPrepared, SharedPlanRunsLikeACreatedSession) {
  const Catalog& pack = Catalog::Default();
  auto created = Session::Create(pack, *pack.FindRoutine("back_basics"));
  ASSERT_TRUE(created.ok());
  const Trace expected = RunToEnd(**created, /*report_asymmetry=*/true);
  ASSERT_GT(expected.lines.size(), 100u);

  auto prepared = Session::Prepare(BackBasicsPlan());
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  // Several sessions at once on the one plan: none disturbs another.
  std::unique_ptr<Session> a = Session::FromPrepared(*prepared);
  std::unique_ptr<Session> b = Session::FromPrepared(*prepared);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->prepared_plan(), *prepared);
  EXPECT_EQ(&a->plan(), &b->plan());                   // shared, not copied
  EXPECT_EQ(a->plan().options().count_in_ms(), 5000);  // defaults filled in
  const Trace run_a = RunToEnd(*a, true);
  const Trace run_b = RunToEnd(*b, true);
  EXPECT_EQ(run_a.lines, expected.lines);
  EXPECT_EQ(run_a.record, expected.record);
  EXPECT_EQ(run_b.lines, expected.lines);
}

TEST(SessionPrepared, PrepareRefusesABadPlanAndFromPreparedANullOne) {
  v1::Plan plan = BackBasicsPlan();
  plan.set_version(kPlanVersion + 1);
  EXPECT_THAT(Session::Prepare(plan).status(), StatusIs(absl::StatusCode::kFailedPrecondition));
  plan = BackBasicsPlan();
  plan.mutable_blocks(0)->set_exercise(99);
  EXPECT_THAT(Session::Prepare(plan).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "plan.blocks[0].exercise"));
  EXPECT_EQ(Session::FromPrepared(nullptr), nullptr);
}

TEST(SessionPrepared, RecordIntoAReusedMessageEqualsRecord) {
  auto prepared = Session::Prepare(BackBasicsPlan());
  ASSERT_TRUE(prepared.ok());
  v1::SessionRecord reused;
  for (bool asymmetry : {true, false, true}) {
    std::unique_ptr<Session> session = Session::FromPrepared(*prepared);
    RunToEnd(*session, asymmetry);
    session->Record(&reused);
    EXPECT_EQ(reused.SerializeAsString(), session->Record().SerializeAsString());
    EXPECT_EQ(reused.blocks_size(), session->plan().blocks_size());
    EXPECT_EQ(reused.routine_id(), "back_basics");
  }
  Session::FromPrepared(*prepared)->Record(nullptr);  // ignored, no crash
}

TEST(SessionPrepared, RestoringAKnownPlanContinuesExactlyAndStillChecksTheState) {
  auto prepared = Session::Prepare(BackBasicsPlan());
  ASSERT_TRUE(prepared.ok());
  std::unique_ptr<Session> session = Session::FromPrepared(*prepared);
  ASSERT_TRUE(session->Start(0).ok());
  ASSERT_TRUE(session->Tick(61000).ok());
  const std::string snapshot = *session->Snapshot(Format::kBinary);
  // The fast binary form is the bytes of the snapshot message.
  const v1::SessionSnapshot proto = session->SnapshotProto();
  EXPECT_EQ(snapshot, proto.SerializeAsString());
  const Trace expected = RunToEnd(*session, false, /*started=*/true);
  EXPECT_GT(expected.lines.size(), 50u);
  // Restored twice more: the second and third find the plan among the recent ones.
  for (int i = 0; i < 2; ++i) {
    auto restored = Session::Restore(snapshot, Format::kBinary);
    ASSERT_TRUE(restored.ok()) << restored.status();
    EXPECT_EQ(RunToEnd(**restored, false, true).lines, expected.lines);
  }
  // A known plan with a bad state is refused all the same.
  v1::SessionSnapshot bad = proto;
  bad.mutable_state()->set_block(1000);
  EXPECT_THAT(Session::Restore(bad.SerializeAsString(), Format::kBinary).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "state.block"));
  bad = proto;
  bad.set_version(kSnapshotVersion + 1);
  EXPECT_THAT(Session::Restore(bad.SerializeAsString(), Format::kBinary).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // Bytes after the state are no longer the canonical layout: parsed in full, still fine.
  EXPECT_TRUE(Session::Restore(snapshot + std::string("\x08\x01", 2), Format::kBinary).ok());
  // A truncated state.
  EXPECT_THAT(Session::Restore(snapshot.substr(0, snapshot.size() - 3), Format::kBinary).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

#ifdef REGIMEN_CLI
// simulate-population's summary as name -> value.
std::map<std::string, std::string> Population(const std::string& flags) {
  const std::string command =
      absl::StrCat(REGIMEN_CLI, " simulate-population ", flags, " 2>/dev/null");
  std::map<std::string, std::string> out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 512> line;
  while (fgets(line.data(), static_cast<int>(line.size()), pipe) != nullptr) {
    std::vector<std::string> parts = absl::StrSplit(line.data(), absl::MaxSplits(':', 1));
    if (parts.size() == 2) {
      out[parts[0]] = std::string(absl::StripAsciiWhitespace(parts[1]));
    }
  }
  EXPECT_EQ(pclose(pipe), 0) << command;
  return out;
}

uint64_t Count(const std::map<std::string, std::string>& summary, const std::string& name) {
  uint64_t n = 0;
  auto it = summary.find(name);
  EXPECT_TRUE(it != summary.end() && absl::SimpleAtoi(it->second, &n)) << name;
  return n;
}

TEST(SimulatePopulation, UserRangesAddUpToOneRun) {
  const auto all = Population("--users 8 --weeks 6 --threads 2 --seed 7");
  const auto low = Population("--users 5 --weeks 6 --threads 1 --seed 7");
  const auto high = Population("--users 3 --weeks 6 --threads 1 --seed 7 --first-user 5");
  for (const char* name : {"users", "sessions", "events", "safety stops"}) {
    EXPECT_EQ(Count(all, name), Count(low, name) + Count(high, name)) << name;
  }
  EXPECT_EQ(Count(all, "sessions"), 8u * 6u * 2u);
  EXPECT_EQ(Count(all, "errors"), 0u);
  EXPECT_GT(Count(all, "events"), Count(all, "sessions") * 100);
}
#endif

}  // namespace
}  // namespace regimen
