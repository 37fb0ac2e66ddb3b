// The embedded back-care pack holds the seed: the five exercises, the gate, the habit, the
// routines inside the time budget, fully timed, with ladders and cues for every instruction.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/format.h"
#include "regimen/routine.h"

namespace regimen::internal {
extern const unsigned char kDefaultCatalogData[];
extern const std::size_t kDefaultCatalogSize;
}  // namespace regimen::internal

namespace regimen {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const Catalog& Pack() { return Catalog::Default(); }

const v1::Exercise& Exercise(const char* id) {
  const v1::Exercise* e = Pack().FindExercise(id);
  EXPECT_NE(e, nullptr) << id;
  static const v1::Exercise kNone;
  return e == nullptr ? kNone : *e;
}

v1::Catalog Embedded() {
  v1::Catalog catalog;
  EXPECT_TRUE(catalog.ParseFromArray(internal::kDefaultCatalogData,
                                     static_cast<int>(internal::kDefaultCatalogSize)));
  return catalog;
}

// The guard Catalog::Default() relies on: the embedded pack is valid.
TEST(ContentPackTest, TheEmbeddedPackIsValid) {
  std::vector<std::string> errors;
  for (const ValidationError& e : ValidateCatalog(Embedded())) errors.push_back(e.ToString());
  EXPECT_THAT(errors, IsEmpty());
  EXPECT_EQ(Pack().proto().exercises_size(), 5);  // not the empty fallback
}

std::string ReadSource(const std::string& name) {
  std::ifstream in(std::string(REGIMEN_SOURCE_DIR) + "/catalog/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ContentPackTest, DefaultIsTheSourceFileCompiledIn) {
  v1::Catalog source;
  ASSERT_TRUE(
      google::protobuf::TextFormat::ParseFromString(ReadSource("back_care.textproto"), &source));
  // With its translations, in file-name order (CMakeLists.txt sorts them).
  for (const char* name : {"back_care.de.textproto", "back_care.es.textproto"}) {
    ASSERT_TRUE(
        google::protobuf::TextFormat::ParseFromString(ReadSource(name), source.add_translations()))
        << name;
  }
  absl::StatusOr<Catalog> parsed = Catalog::FromProto(source);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed->proto(), Pack().proto()));
}

TEST(ContentPackTest, HoldsTheFiveExercisesOfTheSeed) {
  std::vector<std::string> ids;
  for (const v1::Exercise& e : Pack().proto().exercises()) ids.push_back(e.id());
  EXPECT_THAT(ids, ElementsAre("grow_through_spine", "prone_lift", "prone_leg_lift",
                               "prone_opposite_lift", "prone_rock"));
  EXPECT_EQ(Exercise("prone_lift").laterality(), v1::LATERALITY_BILATERAL);
  EXPECT_EQ(Exercise("prone_leg_lift").laterality(), v1::LATERALITY_ALTERNATING);
  EXPECT_EQ(Exercise("prone_opposite_lift").laterality(), v1::LATERALITY_ALTERNATING);
  EXPECT_GE(Exercise("prone_rock").level(), 4u);
}

TEST(ContentPackTest, ThePrimerIsSeatedAndBreathPaced) {
  ASSERT_NE(Pack().Primer(), nullptr);
  const v1::Exercise& primer = *Pack().Primer();
  EXPECT_EQ(primer.id(), "grow_through_spine");
  EXPECT_EQ(primer.position(), v1::POSITION_SEATED);
  EXPECT_EQ(primer.laterality(), v1::LATERALITY_BILATERAL);
  bool breathes = false;
  for (const v1::Phase& phase : primer.phases()) breathes |= phase.kind() == v1::PHASE_BREATHE;
  EXPECT_TRUE(breathes);
  EXPECT_GT(PhaseDurationMs(primer.phases(1).duration(), primer.default_prescription(), 5000), 0);
}

TEST(ContentPackTest, ProneRockIsGatedOnTheAttestationAndAPainFreeHistory) {
  const v1::Exercise& rock = Exercise("prone_rock");
  ASSERT_TRUE(rock.has_gate());
  EXPECT_THAT(rock.gate().attestations(), ElementsAre("spine_flexible_strong_balanced"));
  EXPECT_EQ(rock.gate().history().sessions(), 4u);
  EXPECT_TRUE(rock.gate().history().completed());
  EXPECT_EQ(rock.gate().history().max_pain(), 3u);
  EXPECT_TRUE(rock.gate().history().no_asymmetry());
  EXPECT_FALSE(rock.gate().reason().empty());
  ASSERT_NE(Pack().FindAttestation("spine_flexible_strong_balanced"), nullptr);
  // 8 rocks by default.
  EXPECT_EQ(rock.default_prescription().oscillations(), 8u);
  for (const char* id :
       {"grow_through_spine", "prone_lift", "prone_leg_lift", "prone_opposite_lift"}) {
    EXPECT_FALSE(Exercise(id).has_gate()) << id;
  }
}

TEST(ContentPackTest, AcuteBackPainAllowsOnlyThePrimerAndAdvisesAClinician) {
  const v1::ConditionDef* pain = Pack().FindCondition("acute_back_pain");
  ASSERT_NE(pain, nullptr);
  EXPECT_TRUE(pain->primer_only());
  EXPECT_TRUE(absl::StrContains(pain->advice(), "clinician"));
}

TEST(ContentPackTest, ThePostureHabitPromptsTenTimesADay) {
  const v1::Habit* habit = Pack().FindHabit("posture_check");
  ASSERT_NE(habit, nullptr);
  EXPECT_EQ(habit->times_per_day(), 10u);
  EXPECT_FALSE(habit->text().empty());
}

TEST(ContentPackTest, BackBasicsIsThePrimerAndTheCoreInAtMostFiveMinutes) {
  const v1::Routine* basics = Pack().FindRoutine("back_basics");
  ASSERT_NE(basics, nullptr);
  std::vector<std::string> ids;
  for (const v1::Block& b : basics->blocks()) ids.push_back(b.exercise_id());
  EXPECT_THAT(ids, ElementsAre("grow_through_spine", "prone_lift", "prone_leg_lift",
                               "prone_opposite_lift"));
  absl::StatusOr<int64_t> ms = EstimateRoutineMs(*basics, Pack());
  ASSERT_TRUE(ms.ok()) << ms.status();
  EXPECT_LE(*ms, 5 * 60 * 1000);
  EXPECT_GE(*ms, 3 * 60 * 1000);                    // a real session, not a token one
  EXPECT_EQ(basics->estimated_duration_ms(), *ms);  // the file's figure is honest
}

TEST(ContentPackTest, BackBasicsPlusAddsProneRock) {
  const v1::Routine* basics = Pack().FindRoutine("back_basics");
  const v1::Routine* plus = Pack().FindRoutine("back_basics_plus");
  ASSERT_NE(plus, nullptr);
  ASSERT_EQ(plus->blocks_size(), basics->blocks_size() + 1);
  for (int i = 0; i < basics->blocks_size(); ++i) {
    EXPECT_EQ(plus->blocks(i).exercise_id(), basics->blocks(i).exercise_id());
    EXPECT_EQ(plus->blocks(i).prescription().SerializeAsString(),
              basics->blocks(i).prescription().SerializeAsString());
  }
  EXPECT_EQ(plus->blocks(plus->blocks_size() - 1).exercise_id(), "prone_rock");
  EXPECT_EQ(plus->estimated_duration_ms(), *EstimateRoutineMs(*plus, Pack()));
}

TEST(ContentPackTest, EveryPhaseOfBothRoutinesIsTimed) {
  for (const char* routine_id : {"back_basics", "back_basics_plus"}) {
    for (const v1::Block& block : Pack().FindRoutine(routine_id)->blocks()) {
      const v1::Exercise& e = Exercise(block.exercise_id().c_str());
      const v1::Prescription p = EffectivePrescription(block, e);
      for (int i = 0; i < e.phases_size(); ++i) {
        EXPECT_NE(e.phases(i).duration().spec_case(), v1::DurationSpec::kOpen)
            << e.id() << " phases[" << i << "]";
        EXPECT_GT(PhaseDurationMs(e.phases(i).duration(), p, 5000), 0)
            << e.id() << " phases[" << i << "]";
      }
    }
  }
}

// The number of quantities in which two prescriptions differ.
int Differences(const v1::Prescription& a, const v1::Prescription& b) {
  return (a.sets() != b.sets()) + (a.reps() != b.reps()) +
         (a.hold().SerializeAsString() != b.hold().SerializeAsString()) +
         (a.tempo().SerializeAsString() != b.tempo().SerializeAsString()) +
         (a.rest_between_sets_ms() != b.rest_between_sets_ms()) +
         (a.oscillations() != b.oscillations());
}

TEST(ContentPackTest, LaddersStartAtBackBasicsAndClimbOneStepPerLevel) {
  const v1::Routine* basics = Pack().FindRoutine("back_basics");
  for (const char* id : {"prone_lift", "prone_leg_lift", "prone_opposite_lift"}) {
    SCOPED_TRACE(id);
    const v1::Ladder* ladder = Pack().FindLadder(id);
    ASSERT_NE(ladder, nullptr);
    ASSERT_GE(ladder->levels_size(), 4);
    const v1::Block* block = nullptr;
    for (const v1::Block& b : basics->blocks()) {
      if (b.exercise_id() == id) block = &b;
    }
    ASSERT_NE(block, nullptr);
    EXPECT_EQ(ladder->levels(0).SerializeAsString(),
              EffectivePrescription(*block, Exercise(id)).SerializeAsString());
    EXPECT_EQ(ladder->levels(0).SerializeAsString(),
              Exercise(id).default_prescription().SerializeAsString());
    for (int k = 0; k < ladder->levels_size(); ++k) {
      EXPECT_THAT(ValidatePrescription(ladder->levels(k), Exercise(id), "level"), IsEmpty());
      if (k > 0) {
        EXPECT_EQ(Differences(ladder->levels(k - 1), ladder->levels(k)), 1) << k;
      }
    }
    // The top of every ladder adds a second set.
    EXPECT_EQ(ladder->levels(ladder->levels_size() - 1).sets(), 2u);
  }
  // prone_lift: hold 1 → 2 → 3 breaths, then reps 4 → 6 → 8.
  const v1::Ladder& lift = *Pack().FindLadder("prone_lift");
  std::vector<uint32_t> holds, reps;
  for (const v1::Prescription& p : lift.levels()) {
    holds.push_back(p.hold().breaths());
    reps.push_back(p.reps());
  }
  EXPECT_THAT(holds, ElementsAre(1u, 2u, 3u, 3u, 3u, 3u));
  EXPECT_THAT(reps, ElementsAre(4u, 4u, 4u, 6u, 8u, 8u));
}

TEST(ContentPackTest, AlternatingExercisesSwitchSidesWithACue) {
  for (const char* id : {"prone_leg_lift", "prone_opposite_lift"}) {
    const v1::Exercise& e = Exercise(id);
    bool switch_phase = false, switch_cue = false;
    for (const v1::Phase& p : e.phases()) {
      if (p.kind() == v1::PHASE_SWITCH_SIDE) {
        switch_phase = true;
        EXPECT_EQ(p.duration().fixed_ms(), 2000) << id;
      }
    }
    for (const v1::Cue& c : e.cues()) switch_cue |= c.trigger().kind() == v1::TRIGGER_SIDE_SWITCH;
    EXPECT_TRUE(switch_phase) << id;
    EXPECT_TRUE(switch_cue) << id;
  }
}

TEST(ContentPackTest, AnAsymmetryReportInTheLegLiftCuesLiftingTheOtherLegHigher) {
  const v1::Cue* cue = Catalog::FindCue(Exercise("prone_leg_lift"), "even_out_sides");
  ASSERT_NE(cue, nullptr);
  EXPECT_EQ(cue->trigger().kind(), v1::TRIGGER_REPORT);
  EXPECT_EQ(cue->trigger().report(), v1::REPORT_ASYMMETRY);
  EXPECT_TRUE(cue->kind() == v1::CUE_KIND_MISTAKE || cue->kind() == v1::CUE_KIND_FORM);
  EXPECT_EQ(cue->priority(), v1::CUE_PRIORITY_INSTRUCTION);
}

TEST(ContentPackTest, TheCommonMistakeIsLengthNotHeight) {
  const v1::Exercise& lift = Exercise("prone_lift");
  ASSERT_GE(lift.mistakes_size(), 1);
  const v1::Cue* cue = Catalog::FindCue(lift, lift.mistakes(0).cue_id());
  ASSERT_NE(cue, nullptr);
  EXPECT_EQ(cue->kind(), v1::CUE_KIND_MISTAKE);
  const std::string text = absl::AsciiStrToLower(cue->text());
  EXPECT_TRUE(absl::StrContains(text, "not height")) << text;
  EXPECT_TRUE(absl::StrContains(text, "long")) << text;
}

TEST(ContentPackTest, CuesUseASpreadOfTriggersKindsAndPriorities) {
  std::set<int> triggers, priorities;
  for (const v1::Exercise& e : Pack().proto().exercises()) {
    for (const v1::Cue& c : e.cues()) {
      triggers.insert(c.trigger().kind());
      priorities.insert(c.priority());
    }
  }
  for (v1::TriggerKind kind :
       {v1::TRIGGER_PHASE_ENTRY, v1::TRIGGER_PHASE_OFFSET, v1::TRIGGER_BEFORE_PHASE_END,
        v1::TRIGGER_EVERY_NTH_REP, v1::TRIGGER_FIRST_REP, v1::TRIGGER_SIDE_SWITCH,
        v1::TRIGGER_REPORT, v1::TRIGGER_EXERCISE_START}) {
    EXPECT_TRUE(triggers.count(kind)) << v1::TriggerKind_Name(kind);
  }
  EXPECT_THAT(priorities, ElementsAre(v1::CUE_PRIORITY_TIP, v1::CUE_PRIORITY_FORM,
                                      v1::CUE_PRIORITY_INSTRUCTION, v1::CUE_PRIORITY_SAFETY));
}

TEST(ContentPackTest, SessionCuesCoverStartEndSafetyPainAndAsymmetry) {
  const v1::Cue* start = nullptr;
  const v1::Cue* end = nullptr;
  const v1::Cue* stop = nullptr;
  const v1::Cue* pain = nullptr;
  const v1::Cue* asymmetry = nullptr;
  for (const v1::Cue& c : Pack().proto().session_cues()) {
    switch (c.trigger().kind()) {
      case v1::TRIGGER_SESSION_START:
        start = &c;
        break;
      case v1::TRIGGER_SESSION_END:
        end = &c;
        break;
      case v1::TRIGGER_SAFETY_STOP:
        stop = &c;
        break;
      case v1::TRIGGER_REPORT:
        if (c.trigger().report() == v1::REPORT_PAIN) pain = &c;
        if (c.trigger().report() == v1::REPORT_ASYMMETRY) asymmetry = &c;
        break;
      default:
        break;
    }
  }
  ASSERT_NE(start, nullptr);
  EXPECT_TRUE(absl::StrContains(absl::AsciiStrToLower(start->text()), "get ready"));
  EXPECT_NE(end, nullptr);
  ASSERT_NE(stop, nullptr);
  EXPECT_EQ(stop->priority(), v1::CUE_PRIORITY_SAFETY);
  ASSERT_NE(pain, nullptr);
  EXPECT_EQ(pain->priority(), v1::CUE_PRIORITY_SAFETY);
  EXPECT_EQ(pain->trigger().min_value(), 4u);
  EXPECT_EQ(pain->trigger().max_value(), 5u);
  EXPECT_NE(asymmetry, nullptr);
}

// Cue texts are in our own words: none repeats a run of six words of the seed's instructions.
TEST(ContentPackTest, CueTextsDoNotCopyTheSeed) {
  const char* const kSeed[] = {
      "start to float the crown of your head to the ceiling taking a deep breath",
      "engage your abs and pull your shoulder blades down your back",
      "your chin should naturally tuck towards the chest",
      "grow through the spine first then lift arms and thighs slightly off the floor",
      "just maintain growing through the spine in the position softening the joints",
      "your gaze will be on the mat like your in love with the mat",
      "maintain growing through the spine bringing legs up and down slowly",
      "try to use glutes and don't bend at the knees keep them soft",
      "notice if one side of your lower back takes over",
      "practice lifting the other leg higher to help both sides work evenly",
      "maintain symmetry and stabilization in the shoulders and hips",
      "push up with your hands to your best spine extension",
      "maintain a determined ab engagement stabilizing hips spine and shoulders",
      "think of pulling your feet towards the wall then the ceiling",
      "lead with your center not the head",
      "try to rock slower and bigger"};
  auto words = [](const std::string& text) {
    std::vector<std::string> out(1);
    for (char c : absl::AsciiStrToLower(text)) {
      if (std::isalpha(static_cast<unsigned char>(c)) || c == '\'') {
        out.back() += c;
      } else if (!out.back().empty()) {
        out.emplace_back();
      }
    }
    if (out.back().empty()) out.pop_back();
    return out;
  };
  std::set<std::vector<std::string>> seed_runs;
  constexpr std::size_t kRun = 6;
  for (const char* sentence : kSeed) {
    const std::vector<std::string> w = words(sentence);
    for (std::size_t i = 0; i + kRun <= w.size(); ++i) {
      seed_runs.emplace(w.begin() + i, w.begin() + i + kRun);
    }
  }
  std::vector<std::string> texts;
  for (const v1::Exercise& e : Pack().proto().exercises()) {
    for (const v1::Cue& c : e.cues()) {
      texts.push_back(c.text());
      texts.insert(texts.end(), c.variants().begin(), c.variants().end());
    }
  }
  for (const v1::Cue& c : Pack().proto().session_cues()) texts.push_back(c.text());
  for (const v1::Habit& h : Pack().proto().habits()) texts.push_back(h.text());
  ASSERT_GT(texts.size(), 30u);
  for (const std::string& text : texts) {
    const std::vector<std::string> w = words(text);
    for (std::size_t i = 0; i + kRun <= w.size(); ++i) {
      EXPECT_FALSE(seed_runs.count({w.begin() + i, w.begin() + i + kRun})) << text;
    }
  }
}

}  // namespace
}  // namespace regimen
