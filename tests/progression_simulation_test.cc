// 26 weeks of one user, twice a week: real sessions run by regimen::Session with scripted
// reports (improving, a pain episode, an asymmetry phase, pain in the gated exercise), each
// followed by a progression decision. The curve (week, levels, actions) is the golden file
// tests/golden/progression_26w.txt; REGIMEN_UPDATE_GOLDEN=1 rewrites it. With
// REGIMEN_SIM_VERBOSE=1 the curve also lists every reason and note (for reading, not golden).
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/generator.h"
#include "regimen/progression.h"
#include "regimen/routine.h"
#include "regimen/session.h"

namespace regimen {
namespace {

constexpr int kWeeks = 26;
const char* const kGolden = REGIMEN_SOURCE_DIR "/tests/golden/progression_26w.txt";

struct Report {
  const char* exercise;  // reported when this exercise starts
  v1::ReportKind kind;
  int value;
  v1::Side side;
};

// What the user reports in session `s` (0 or 1) of `week` (1-based).
std::vector<Report> Script(int week, int s) {
  std::vector<Report> out;
  // Improving: some discomfort and effort at first, less as the weeks go by.
  const int pain = week <= 2 ? 2 : week <= 4 ? 1 : 0;
  out.push_back({"prone_lift", v1::REPORT_PAIN, pain, v1::SIDE_UNSPECIFIED});
  // A pain episode in weeks 9-10: acceptable pain, then a safety stop, then easing.
  if (week == 9 && s == 0) out.push_back({"prone_lift", v1::REPORT_PAIN, 5, v1::LEFT});
  if (week == 9 && s == 1) out.push_back({"prone_leg_lift", v1::REPORT_PAIN, 7, v1::RIGHT});
  if (week == 10 && s == 0) out.push_back({"prone_opposite_lift", v1::REPORT_PAIN, 4, v1::LEFT});
  // An asymmetry phase in weeks 15-18: the right side of the low back takes over.
  if (week >= 15 && week <= 18) {
    out.push_back({"prone_leg_lift", v1::REPORT_ASYMMETRY, 0, v1::RIGHT});
  }
  // Week 23: pain in the gated exercise.
  if (week == 23 && s == 0) out.push_back({"prone_rock", v1::REPORT_PAIN, 4, v1::SIDE_UNSPECIFIED});
  return out;
}

int EffortOf(int week) { return week <= 3 ? 7 : week <= 8 ? 5 : 4; }

// Runs `routine` from start to end, jumping from deadline to deadline, with the script's
// reports, and returns its record. The session carries the profile's attestations, as a host
// gives them: the gated rock needs them.
v1::SessionRecord RunSession(const v1::Routine& routine, const v1::Profile& profile, int week,
                             int s) {
  v1::SessionOptions options;
  *options.mutable_attestations() = profile.attestations();
  absl::StatusOr<std::unique_ptr<Session>> created =
      Session::Create(Catalog::Default(), routine, options);
  EXPECT_TRUE(created.ok()) << created.status();
  if (!created.ok()) return {};
  Session& session = **created;
  int64_t now = 0;
  EXPECT_TRUE(session.Start(now).ok());
  // Effort is rated during the count-in, before any exercise, so it counts for the session.
  EXPECT_TRUE(session.Report(v1::REPORT_EFFORT, EffortOf(week), v1::SIDE_UNSPECIFIED, now).ok());
  const std::vector<Report> reports = Script(week, s);
  for (int guard = 0; guard < 100000; ++guard) {
    Event event;
    while (session.Poll(&event)) {
      if (event.type != v1::SessionEvent::EXERCISE_STARTED) continue;
      for (const Report& report : reports) {
        if (std::string(report.exercise) == event.exercise_id) {
          EXPECT_TRUE(session.Report(report.kind, report.value, report.side, now).ok());
        }
      }
    }
    if (session.Finished()) break;
    const int64_t deadline = session.NextDeadline();
    EXPECT_GE(deadline, now) << "a hands-free routine always has a next deadline";
    if (deadline < now) break;
    now = deadline;
    EXPECT_TRUE(session.Tick(now).ok());
  }
  EXPECT_TRUE(session.Finished());
  return session.Record();
}

const char* ActionName(v1::ProgressAction action) {
  switch (action) {
    case v1::ADVANCE:
      return "advance";
    case v1::HOLD:
      return "hold";
    case v1::REGRESS:
      return "regress";
    case v1::UNLOCK:
      return "unlock";
    case v1::LOCK:
      return "lock";
    case v1::BIAS_SIDE:
      return "bias";
    default:
      return "?";
  }
}

std::string Levels(const v1::Routine& routine) {
  const char* const ids[] = {"prone_lift", "prone_leg_lift", "prone_opposite_lift", "prone_rock"};
  std::vector<std::string> out;
  for (const char* id : ids) {
    std::string level = "-";
    for (int i = 0; i < routine.blocks_size(); ++i) {
      if (routine.blocks(i).exercise_id() == id) {
        level = absl::StrCat(routine.levels_size() > i ? routine.levels(i) : 0);
        const v1::Prescription& p = routine.blocks(i).prescription();
        if (p.bias().extra_reps() > 0) {
          absl::StrAppend(&level, p.bias().side() == v1::LEFT ? "+L" : "+R");
        }
      }
    }
    out.push_back(level);
  }
  return absl::StrJoin(out, " ");
}

TEST(ProgressionSimulationTest, TwentySixWeeksOfOneUserMatchTheGoldenCurve) {
  const Catalog& catalog = Catalog::Default();
  v1::Profile profile;
  profile.set_minutes_per_week(40);
  profile.set_sessions_per_week(2);
  profile.set_seed(26);
  profile.add_attestations("spine_flexible_strong_balanced");
  absl::StatusOr<v1::Routine> routine = GenerateRoutine(catalog, profile);
  ASSERT_TRUE(routine.ok()) << routine.status();

  std::string curve =
      "# week.session  levels: prone_lift prone_leg_lift prone_opposite_lift prone_rock "
      "(- = not in the routine, +L/+R = side bias)  |  changes other than hold\n";
  v1::ProgressRequest request;
  *request.mutable_profile() = profile;
  *request.mutable_routine() = *routine;
  bool unlocked = false, locked_after = false, regressed = false, biased = false;
  int max_lift = 0;
  for (int week = 1; week <= kWeeks; ++week) {
    for (int s = 0; s < 2; ++s) {
      *request.add_records() = RunSession(request.routine(), profile, week, s);
      absl::StatusOr<v1::ProgressDecision> decision = Progress(catalog, request);
      ASSERT_TRUE(decision.ok()) << decision.status();
      std::vector<std::string> actions;
      for (const v1::Change& change : decision->changes()) {
        if (change.action() == v1::HOLD) continue;
        const bool unbias =
            change.action() == v1::BIAS_SIDE && absl::StartsWith(change.reason(), "removed");
        actions.push_back(absl::StrCat(
            change.exercise_id(), " ", unbias ? "bias removed" : ActionName(change.action()),
            change.action() == v1::ADVANCE || change.action() == v1::REGRESS
                ? absl::StrCat(" ", change.from_level(), ">", change.to_level())
                : ""));
        unlocked |= change.action() == v1::UNLOCK;
        locked_after |=
            unlocked && change.action() == v1::LOCK && change.exercise_id() == "prone_rock";
        regressed |= change.action() == v1::REGRESS;
        biased |= change.action() == v1::BIAS_SIDE && absl::StrContains(change.reason(), "left");
      }
      curve += absl::StrFormat("w%02d.%d  %-14s | %s\n", week, s + 1, Levels(decision->routine()),
                               absl::StrJoin(actions, "; "));
      EXPECT_LE(decision->routine().estimated_duration_ms(), 20 * 60000);
      EXPECT_TRUE(ValidateRoutine(decision->routine(), catalog).empty());
      if (decision->routine().levels_size() > 1) {
        max_lift = std::max<int>(max_lift, static_cast<int>(decision->routine().levels(1)));
      }
      if (std::getenv("REGIMEN_SIM_VERBOSE") != nullptr) {
        for (const v1::Change& c : decision->changes()) curve += "    " + c.reason() + "\n";
        for (const std::string& n : decision->routine().notes()) curve += "    note: " + n + "\n";
      }
      *request.mutable_routine() = decision->routine();
      // Progression looks back at most 4 sessions (the gate); keep a few more.
      while (request.records_size() > 8) request.mutable_records()->DeleteSubrange(0, 1);
    }
  }
  // The story the script tells shows in the curve.
  EXPECT_TRUE(unlocked) << curve;
  EXPECT_TRUE(locked_after) << curve;
  EXPECT_TRUE(regressed) << curve;
  EXPECT_TRUE(biased) << curve;
  EXPECT_GE(max_lift, 3) << curve;

  const char* update = std::getenv("REGIMEN_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(kGolden, std::ios::binary) << curve;
    GTEST_SUCCEED() << "rewrote " << kGolden;
    return;
  }
  std::ifstream in(kGolden, std::ios::binary);
  ASSERT_TRUE(in) << "missing " << kGolden << "; run with REGIMEN_UPDATE_GOLDEN=1";
  std::stringstream golden;
  golden << in.rdbuf();
  EXPECT_EQ(curve, golden.str());
}

}  // namespace
}  // namespace regimen
