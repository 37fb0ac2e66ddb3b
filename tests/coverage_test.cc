// Every cue heard: the pack's routines under the standard option matrix and the golden scripts
// skip no cue and speak every cue id whose trigger occurs; and the check itself finds a crowded
// exercise's losses.
#include "regimen/coverage.h"

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "regimen/session.h"

namespace regimen {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::SessionScript ReadScript(const std::string& name) {
  const std::string path =
      std::string(REGIMEN_SOURCE_DIR) + "/tests/golden/scripts/" + name + ".textproto";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  v1::SessionScript script;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text.str(), &script)) << path;
  EXPECT_GT(script.inputs_size(), 0) << path;
  return script;
}

void ExpectFullCoverage(const CueCoverage& c) {
  const std::string where = c.routine_id + " " + c.case_name;
  EXPECT_EQ(c.skipped, 0u) << where << ": " << absl::StrJoin(c.skipped_ids, ", ");
  EXPECT_TRUE(c.never_spoken.empty()) << where << ": " << absl::StrJoin(c.never_spoken, ", ");
  EXPECT_EQ(c.spoken, c.triggered) << where;
  EXPECT_GT(c.spoken, 50u) << where;
}

TEST(CueCoverage, EveryPackRoutineUnderTheStandardOptionMatrix) {
  absl::StatusOr<std::vector<CueCoverage>> all = CheckCatalogCoverage(Catalog::Default());
  ASSERT_TRUE(all.ok()) << all.status();
  const size_t cases = StandardCoverageCases().size();
  EXPECT_EQ(cases, 10u);
  ASSERT_EQ(all->size(), Catalog::Default().proto().routines_size() * cases);
  for (const CueCoverage& c : *all) ExpectFullCoverage(c);
}

// "Every cue heard" in every shipped locale: German and Spanish words take longer to say, and
// the plan is compiled with the locale's rate.
TEST(CueCoverage, EveryPackRoutineInEveryShippedLocale) {
  const std::vector<std::string> locales = Catalog::Default().Locales();
  EXPECT_EQ(locales, (std::vector<std::string>{"en", "de", "es"}));
  for (const std::string& locale : locales) {
    absl::StatusOr<std::vector<CueCoverage>> all = CheckCatalogCoverage(Catalog::Default(), locale);
    ASSERT_TRUE(all.ok()) << all.status();
    ASSERT_EQ(all->size(),
              Catalog::Default().proto().routines_size() * StandardCoverageCases().size());
    for (const CueCoverage& c : *all) {
      EXPECT_EQ(c.locale, locale) << c.routine_id << " " << c.case_name;
      SCOPED_TRACE(locale);
      ExpectFullCoverage(c);
    }
  }
}

TEST(CueCoverage, TheGoldenAsymmetryAndEaseOffScriptsUnderEveryOptionSet) {
  for (const char* name : {"asymmetry", "ease_off"}) {
    const v1::SessionScript script = ReadScript(name);
    for (const v1::Routine& routine : Catalog::Default().proto().routines()) {
      for (CoverageCase coverage_case : StandardCoverageCases()) {
        if (coverage_case.report.kind() != v1::REPORT_KIND_UNSPECIFIED) continue;
        coverage_case.name += std::string(" + ") + name;
        coverage_case.script = script;
        absl::StatusOr<CueCoverage> c =
            CheckCueCoverage(Catalog::Default(), routine, coverage_case);
        ASSERT_TRUE(c.ok()) << c.status();
        ExpectFullCoverage(*c);
      }
    }
  }
}

TEST(CueCoverage, TheAsymmetryCueNamesTheLegToLiftHigher) {
  for (const auto& [side, leg] : {std::pair{v1::LEFT, "right leg"}, {v1::RIGHT, "left leg"}}) {
    CoverageCase coverage_case;
    coverage_case.name = "asymmetry";
    coverage_case.report.set_kind(v1::REPORT_ASYMMETRY);
    coverage_case.report.set_side(side);
    const v1::Routine& routine = *Catalog::Default().FindRoutine("back_basics");
    absl::StatusOr<CueCoverage> c = CheckCueCoverage(Catalog::Default(), routine, coverage_case);
    ASSERT_TRUE(c.ok()) << c.status();
    ExpectFullCoverage(*c);
    // The cue said is the one for that side, and it names the other leg.
    const v1::Exercise& exercise = *Catalog::Default().FindExercise("prone_leg_lift");
    int matching = 0;
    for (const v1::Cue& cue : exercise.cues()) {
      if (cue.trigger().kind() == v1::TRIGGER_REPORT && cue.trigger().side() == side) {
        ++matching;
        EXPECT_THAT(cue.text(), HasSubstr(leg));
      }
    }
    EXPECT_EQ(matching, 1);
  }
}

// An exercise whose phases are too short for its cues: the check names what was lost.
TEST(CueCoverage, FindsSkippedAndNeverSpokenCues) {
  v1::Catalog pack = Catalog::Default().proto();
  for (v1::Exercise& exercise : *pack.mutable_exercises()) {
    if (exercise.id() != "prone_lift") continue;
    v1::Cue* cue = exercise.add_cues();
    cue->set_id("long_story");
    cue->set_text("A very long cue that says far more than any hold of one breath has room for.");
    cue->set_kind(v1::CUE_KIND_INSTRUCTION);
    cue->set_priority(v1::CUE_PRIORITY_INSTRUCTION);
    cue->mutable_trigger()->set_kind(v1::TRIGGER_PHASE_ENTRY);
    cue->mutable_trigger()->set_phase(v1::PHASE_HOLD);
  }
  absl::StatusOr<Catalog> crowded = Catalog::FromProto(pack);
  ASSERT_TRUE(crowded.ok()) << crowded.status();
  const std::vector<CoverageCase> cases = StandardCoverageCases();
  absl::StatusOr<CueCoverage> c =
      CheckCueCoverage(*crowded, *crowded->FindRoutine("back_basics"), cases[0]);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->ok());
  EXPECT_GT(c->skipped, 0u);
  EXPECT_EQ(c->skipped, c->skipped_ids.size());
  EXPECT_EQ(c->spoken + c->skipped, c->triggered);
  EXPECT_THAT(c->skipped_ids, ::testing::Contains(HasSubstr("prone_lift/")));
}

TEST(CueCoverage, AnOptionOutOfRangeIsAnError) {
  CoverageCase coverage_case;
  coverage_case.options.set_words_per_minute(5);
  const v1::Routine& routine = *Catalog::Default().FindRoutine("back_basics");
  absl::StatusOr<CueCoverage> c = CheckCueCoverage(Catalog::Default(), routine, coverage_case);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace regimen
