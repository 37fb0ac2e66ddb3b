// Golden traces: the exact event streams `regimen simulate` prints for the built-in routines
// under fixed input scripts (tests/golden/scripts/*.textproto), compared byte for byte with
// tests/golden/<routine>.<script>.jsonl.
//
// To regenerate them after an intended change, run the test with REGIMEN_UPDATE_GOLDEN=1:
//   REGIMEN_UPDATE_GOLDEN=1 ctest --test-dir build -R SessionGolden
// and review the diff (`git diff tests/golden`) before committing it.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace {

std::string RunCommand(const std::string& command, int* exit_code) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *exit_code = -1;
    return out;
  }
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  *exit_code = pclose(pipe);
  return out;
}

std::string ReadOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Case {
  const char* routine;
  const char* script;
  // A locale (regimen simulate --locale): its traces are tests/golden/locales/
  // <routine>.<locale>.<script>.jsonl. Empty: the pack's source language.
  const char* locale = "";
};

class SessionGoldenTest : public ::testing::TestWithParam<Case> {};

TEST_P(SessionGoldenTest, MatchesGoldenTrace) {
  const std::string dir = std::string(REGIMEN_SOURCE_DIR) + "/tests/golden/";
  const std::string locale = GetParam().locale;
  const std::string golden = locale.empty()
                                 ? dir + GetParam().routine + "." + GetParam().script + ".jsonl"
                                 : dir + "locales/" + GetParam().routine + "." + locale + "." +
                                       GetParam().script + ".jsonl";
  // back_basics_plus holds the gated prone_rock: the user attests its gate.
  const std::string attest = std::string(GetParam().routine) == "back_basics_plus"
                                 ? " --attest spine_flexible_strong_balanced"
                                 : "";
  const std::string command = std::string(REGIMEN_CLI) + " simulate " + GetParam().routine +
                              attest + (locale.empty() ? "" : " --locale " + locale) +
                              " --record --script " + dir + "scripts/" + GetParam().script +
                              ".textproto";
  int exit_code = 0;
  const std::string actual = RunCommand(command, &exit_code);
  ASSERT_EQ(exit_code, 0) << command;
  ASSERT_FALSE(actual.empty());
  const char* update = std::getenv("REGIMEN_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(golden, std::ios::binary) << actual;
    GTEST_SUCCEED() << "updated " << golden;
    return;
  }
  const std::string expected = ReadOrEmpty(golden);
  ASSERT_FALSE(expected.empty()) << golden << " is missing; run with REGIMEN_UPDATE_GOLDEN=1";
  EXPECT_EQ(actual, expected) << "the trace of " << command << " differs from " << golden
                              << "; if the change is intended, regenerate with "
                                 "REGIMEN_UPDATE_GOLDEN=1 and review the diff";
}

// Without the attestation the gated routine is refused, and nothing is simulated.
TEST(SessionGolden, TheGatedRoutineNeedsItsAttestation) {
  int exit_code = 0;
  const std::string out =
      RunCommand(std::string(REGIMEN_CLI) + " simulate back_basics_plus 2>&1", &exit_code);
  EXPECT_NE(exit_code, 0);
  EXPECT_NE(out.find("prone_rock"), std::string::npos) << out;
  EXPECT_NE(out.find("spine_flexible_strong_balanced"), std::string::npos) << out;
  EXPECT_EQ(out.find("SESSION_STARTED"), std::string::npos) << out;
}

TEST(SessionGolden, SimulateIsRepeatable) {
  int first_code = 0, second_code = 0;
  const std::string command = std::string(REGIMEN_CLI) + " simulate back_basics";
  const std::string first = RunCommand(command, &first_code);
  const std::string second = RunCommand(command, &second_code);
  ASSERT_EQ(first_code, 0);
  ASSERT_EQ(second_code, 0);
  EXPECT_EQ(first, second);
  for (const char* id :
       {"grow_through_spine", "prone_lift", "prone_leg_lift", "prone_opposite_lift"}) {
    EXPECT_NE(first.find(std::string("\"exerciseId\":\"") + id + "\""), std::string::npos) << id;
  }
  EXPECT_NE(first.find("\"side\":\"LEFT\""), std::string::npos);
  EXPECT_NE(first.find("\"side\":\"RIGHT\""), std::string::npos);
  const size_t last_line = first.rfind('\n', first.size() - 2);
  const std::string last = first.substr(last_line + 1);
  EXPECT_EQ(last.rfind("{\"type\":\"SESSION_COMPLETED\",", 0), 0u) << last;
}

INSTANTIATE_TEST_SUITE_P(
    Traces, SessionGoldenTest,
    ::testing::Values(
        Case{"back_basics", "plain"}, Case{"back_basics", "pause_resume"},
        Case{"back_basics", "skip"}, Case{"back_basics", "pain_stop"},
        Case{"back_basics", "asymmetry"}, Case{"back_basics", "background"},
        Case{"back_basics_plus", "plain"}, Case{"back_basics_plus", "pause_resume"},
        Case{"back_basics_plus", "skip"}, Case{"back_basics_plus", "pain_stop"},
        Case{"back_basics_plus", "asymmetry"}, Case{"back_basics_plus", "background"},
        Case{"back_basics", "ease_off"}, Case{"back_basics_plus", "ease_off"},
        // back_basics in each shipped translation, under every script.
        Case{"back_basics", "plain", "de"}, Case{"back_basics", "pause_resume", "de"},
        Case{"back_basics", "skip", "de"}, Case{"back_basics", "pain_stop", "de"},
        Case{"back_basics", "asymmetry", "de"}, Case{"back_basics", "background", "de"},
        Case{"back_basics", "ease_off", "de"}, Case{"back_basics", "plain", "es"},
        Case{"back_basics", "pause_resume", "es"}, Case{"back_basics", "skip", "es"},
        Case{"back_basics", "pain_stop", "es"}, Case{"back_basics", "asymmetry", "es"},
        Case{"back_basics", "background", "es"}, Case{"back_basics", "ease_off", "es"}),
    [](const ::testing::TestParamInfo<Case>& info) {
      const std::string locale = info.param.locale;
      return std::string(info.param.routine) + "_" + info.param.script +
             (locale.empty() ? "" : "_" + locale);
    });

}  // namespace
