// regimen::Catalog: loading in each format, every validation rule with its exact code and path,
// and every limit at and just past it.
#include "regimen/catalog.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "regimen/format.h"
#include "regimen/routine.h"

namespace regimen {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

absl::Status StatusOf(const absl::Status& status) { return status; }
template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

// The Abseil here predates StatusIs: a small local matcher on the code.
MATCHER_P(StatusIs, code, "") {
  const absl::Status status = StatusOf(arg);
  *result_listener << "status is " << status;
  return status.code() == code;
}

constexpr char kMini[] = R"pb(
  id: "mini"
  name: "Mini"
  conditions { id: "sore" description: "Sore back." }
  attestations { id: "strong" description: "Strong back." }
  exercises {
    id: "primer"
    name: "Primer"
    primer: true
    level: 1
    phases {
      kind: PHASE_BREATHE
      duration { breaths: 2 }
    }
    cues {
      id: "breathe"
      text: "Breathe."
      trigger { kind: TRIGGER_PHASE_ENTRY phase: PHASE_BREATHE }
    }
  }
  exercises {
    id: "lift"
    name: "Lift"
    level: 2
    laterality: LATERALITY_ALTERNATING
    phases {
      kind: PHASE_SWITCH_SIDE
      duration { fixed_ms: 1000 }
    }
    phases {
      kind: PHASE_LIFT
      duration { tempo: TEMPO_PART_LIFT }
    }
    phases {
      kind: PHASE_HOLD
      duration { prescribed_hold {} }
    }
    phases {
      kind: PHASE_LOWER
      duration { tempo: TEMPO_PART_LOWER }
    }
    cues {
      id: "up"
      text: "Up."
      trigger { kind: TRIGGER_PHASE_ENTRY phase: PHASE_LIFT }
    }
    cues {
      id: "long"
      text: "Long, not high."
      kind: CUE_KIND_MISTAKE
      trigger { kind: TRIGGER_EVERY_NTH_REP phase: PHASE_HOLD every_n: 2 }
    }
    mistakes { id: "high" description: "Too high." cue_id: "long" }
    safe_ranges {
      sets { min: 1 max: 3 }
      reps { min: 2 max: 10 }
      hold_breaths { min: 1 max: 3 }
      hold_ms { min: 1000 max: 10000 }
      tempo_ms { min: 1000 max: 4000 }
      rest_ms { min: 0 max: 60000 }
    }
    contraindications: "sore"
    gate {
      attestations: "strong"
      history { sessions: 2 max_pain: 3 }
      reason: "Because."
    }
    default_prescription {
      sets: 1
      reps: 3
      hold { breaths: 1 }
      tempo { lift_ms: 2000 lower_ms: 2000 }
    }
  }
  routines {
    id: "basic"
    name: "Basic"
    blocks { exercise_id: "primer" rest_after_ms: 5000 }
    blocks {
      exercise_id: "lift"
      prescription {
        sets: 2
        reps: 4
        hold { ms: 2000 }
        tempo { lift_ms: 1500 lower_ms: 1500 }
        rest_between_sets_ms: 10000
      }
      lead_cue_ids: "long"
    }
  }
  habits { id: "check" name: "Check" text: "Sit tall." times_per_day: 5 }
  ladders {
    exercise_id: "lift"
    levels {
      sets: 1
      reps: 3
      hold { breaths: 1 }
      tempo { lift_ms: 2000 lower_ms: 2000 }
    }
    levels {
      sets: 1
      reps: 4
      hold { breaths: 1 }
      tempo { lift_ms: 2000 lower_ms: 2000 }
    }
  }
  session_cues {
    id: "ready"
    text: "Get ready."
    trigger { kind: TRIGGER_SESSION_START }
  }
)pb";

v1::Catalog Mini() {
  v1::Catalog catalog;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(kMini, &catalog));
  return catalog;
}

// Each error as "path: message".
std::vector<std::string> Errors(const v1::Catalog& catalog) {
  std::vector<std::string> out;
  for (const ValidationError& error : ValidateCatalog(catalog)) out.push_back(error.ToString());
  return out;
}

std::vector<absl::StatusCode> Codes(const v1::Catalog& catalog) {
  std::vector<absl::StatusCode> out;
  for (const ValidationError& error : ValidateCatalog(catalog)) out.push_back(error.code);
  return out;
}

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(REGIMEN_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool Same(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

v1::Exercise* Lift(v1::Catalog* catalog) { return catalog->mutable_exercises(1); }

// --- Loading and formats --------------------------------------------------------------------

TEST(CatalogTest, MiniIsValid) { EXPECT_THAT(Errors(Mini()), IsEmpty()); }

TEST(CatalogTest, ParsesTheTextFormatPackFile) {
  absl::StatusOr<Catalog> catalog =
      Catalog::Parse(ReadSource("catalog/back_care.textproto"), Format::kText);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ(catalog->proto().id(), "back_care");
  EXPECT_EQ(catalog->proto().exercises_size(), 5);
}

TEST(CatalogTest, EachFormatRoundTrips) {
  const v1::Catalog original = Mini();
  for (Format format : {Format::kBinary, Format::kJson, Format::kText}) {
    SCOPED_TRACE(FormatName(format));
    absl::StatusOr<std::string> bytes = SerializeMessage(original, format);
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    absl::StatusOr<Catalog> parsed = Catalog::Parse(*bytes, format);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_TRUE(Same(parsed->proto(), original));
    // And once more, from what was parsed.
    absl::StatusOr<std::string> again = SerializeMessage(parsed->proto(), format);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *bytes);
  }
}

TEST(CatalogTest, DefaultPackRoundTripsThroughJson) {
  SerializeOptions options;
  options.json_pretty = true;
  absl::StatusOr<std::string> json =
      SerializeMessage(Catalog::Default().proto(), Format::kJson, options);
  ASSERT_TRUE(json.ok());
  absl::StatusOr<Catalog> parsed = Catalog::Parse(*json, Format::kJson);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(Same(parsed->proto(), Catalog::Default().proto()));
}

TEST(CatalogTest, MalformedTextIsInvalidArgumentWithTheParsersPosition) {
  absl::StatusOr<Catalog> catalog = Catalog::Parse("id: \"x\"\nexercises { id: ", Format::kText);
  EXPECT_THAT(catalog, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(catalog.status().message()), HasSubstr("line 2, column 17: "));
}

TEST(CatalogTest, MalformedJsonAndBinaryAreInvalidArgument) {
  EXPECT_THAT(Catalog::Parse("{\"exercises\": [", Format::kJson),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Catalog::Parse("{\"no_such_field\": 1}", Format::kJson),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Catalog::Parse("\x0a\xff\xff\xff", Format::kBinary),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CatalogTest, InvalidContentIsInvalidArgumentListingEveryError) {
  v1::Catalog catalog = Mini();
  catalog.mutable_habits(0)->set_times_per_day(0);
  Lift(&catalog)->set_name("");
  absl::StatusOr<Catalog> parsed = Catalog::FromProto(catalog);
  EXPECT_THAT(parsed, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(std::string(parsed.status().message()),
            "exercises[1].name: must not be empty\n"
            "habits[0].times_per_day: must be 1..48, got 0");
}

// --- Limits ---------------------------------------------------------------------------------

TEST(CatalogLimitsTest, InputOf4MiBParsesAndOneByteMoreIsResourceExhausted) {
  std::string text = kMini;
  text += "\n#";
  text.append(kMaxInputBytes - text.size() - 1, 'x');
  text += "\n";
  ASSERT_EQ(text.size(), kMaxInputBytes);
  EXPECT_TRUE(Catalog::Parse(text, Format::kText).ok());
  text.insert(text.size() - 1, "x");
  EXPECT_THAT(Catalog::Parse(text, Format::kText), StatusIs(absl::StatusCode::kResourceExhausted));
}

TEST(CatalogLimitsTest, TenThousandExercisesPassAndOneMoreIsResourceExhausted) {
  v1::Catalog catalog = Mini();
  const v1::Exercise primer = catalog.exercises(0);
  catalog.mutable_exercises(0)->set_primer(false);
  while (catalog.exercises_size() < static_cast<int>(kMaxExercises)) {
    v1::Exercise* e = catalog.add_exercises();
    *e = primer;
    e->set_primer(false);
    e->set_id(absl::StrCat("e", catalog.exercises_size()));
  }
  EXPECT_THAT(Errors(catalog), IsEmpty());
  v1::Exercise* extra = catalog.add_exercises();
  *extra = primer;
  extra->set_primer(false);
  extra->set_id("one_too_many");
  EXPECT_THAT(Errors(catalog), ElementsAre("exercises: at most 10000 exercises per catalog, got "
                                           "10001"));
  EXPECT_THAT(Codes(catalog), ElementsAre(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(Catalog::FromProto(catalog), StatusIs(absl::StatusCode::kResourceExhausted));
}

TEST(CatalogLimitsTest, SixtyFourPhasesPassAndOneMoreIsResourceExhausted) {
  v1::Catalog catalog = Mini();
  v1::Exercise* primer = catalog.mutable_exercises(0);
  while (primer->phases_size() < 64) *primer->add_phases() = primer->phases(0);
  EXPECT_THAT(Errors(catalog), IsEmpty());
  *primer->add_phases() = primer->phases(0);
  EXPECT_THAT(Errors(catalog),
              ElementsAre("exercises[0].phases: at most 64 phases per exercise, got 65"));
  EXPECT_THAT(Codes(catalog), ElementsAre(absl::StatusCode::kResourceExhausted));
}

TEST(CatalogLimitsTest, CueTextOf500CharactersPassesAnd501IsResourceExhausted) {
  v1::Catalog catalog = Mini();
  v1::Cue* cue = Lift(&catalog)->mutable_cues(0);
  // Characters, not bytes: 500 two-byte characters are allowed.
  std::string text;
  for (int i = 0; i < 500; ++i) text += "\xC3\xA9";  // é
  cue->set_text(text);
  EXPECT_THAT(Errors(catalog), IsEmpty());
  cue->set_text(std::string(500, 'a'));
  EXPECT_THAT(Errors(catalog), IsEmpty());
  cue->set_text(std::string(501, 'a'));
  EXPECT_THAT(Errors(catalog), ElementsAre("exercises[1].cues[0].text: must be at most 500 "
                                           "characters, got 501"));
  EXPECT_THAT(Codes(catalog), ElementsAre(absl::StatusCode::kResourceExhausted));
}

TEST(CatalogLimitsTest, CueVariantPast500CharactersIsResourceExhausted) {
  v1::Catalog catalog = Mini();
  v1::Cue* cue = catalog.mutable_session_cues(0);
  cue->add_variants("Ready?");
  cue->add_variants(std::string(501, 'b'));
  EXPECT_THAT(Errors(catalog), ElementsAre("session_cues[0].variants[1]: must be at most 500 "
                                           "characters, got 501"));
  EXPECT_THAT(Codes(catalog), ElementsAre(absl::StatusCode::kResourceExhausted));
}

TEST(CatalogLimitsTest, TwoHundredBlocksPassAndOneMoreIsResourceExhausted) {
  v1::Catalog catalog = Mini();
  v1::Routine* routine = catalog.mutable_routines(0);
  routine->clear_blocks();
  for (int i = 0; i < 200; ++i) routine->add_blocks()->set_exercise_id("primer");
  EXPECT_THAT(Errors(catalog), IsEmpty());
  routine->add_blocks()->set_exercise_id("primer");
  EXPECT_THAT(Errors(catalog),
              ElementsAre("routines[0].blocks: at most 200 blocks per routine, got 201"));
  EXPECT_THAT(Codes(catalog), ElementsAre(absl::StatusCode::kResourceExhausted));
}

TEST(CatalogLimitsTest, FourHourRoutinePassesAndOneMsMoreIsResourceExhausted) {
  v1::Catalog catalog = Mini();
  v1::Exercise* primer = catalog.mutable_exercises(0);
  primer->mutable_safe_ranges()->mutable_reps()->set_max(100);
  // count-in 5000 + 25 reps × 575800 = 14,400,000 ms = 4 hours exactly.
  primer->mutable_phases(0)->mutable_duration()->set_fixed_ms(575800);
  v1::Routine* routine = catalog.mutable_routines(0);
  routine->clear_blocks();
  v1::Block* block = routine->add_blocks();
  block->set_exercise_id("primer");
  block->mutable_prescription()->set_reps(25);
  absl::StatusOr<Catalog> ok = Catalog::FromProto(catalog);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(*EstimateRoutineMs(*routine, *ok), kMaxRoutineMs);

  primer->mutable_phases(0)->mutable_duration()->set_fixed_ms(575801);
  EXPECT_THAT(Errors(catalog),
              ElementsAre("routines[0].blocks: the routine lasts 14400025 ms by docs/timing.md; "
                          "the limit is 14400000 ms (4 hours)"));
  EXPECT_THAT(Codes(catalog), ElementsAre(absl::StatusCode::kResourceExhausted));
}

// --- Validation rules -----------------------------------------------------------------------

TEST(CatalogValidationTest, DuplicateIdsNameTheFirst) {
  v1::Catalog catalog = Mini();
  *catalog.add_exercises() = catalog.exercises(1);
  catalog.mutable_exercises(2)->set_primer(false);
  *catalog.add_routines() = catalog.routines(0);
  *Lift(&catalog)->add_cues() = catalog.exercises(1).cues(0);
  EXPECT_THAT(Errors(catalog),
              ElementsAre("exercises[1].cues[2].id: duplicate cue id \"up\" (first at "
                          "exercises[1].cues[0].id)",
                          "exercises[2].id: duplicate exercise id \"lift\" (first at "
                          "exercises[1].id)",
                          "routines[1].id: duplicate routine id \"basic\" (first at "
                          "routines[0].id)"));
}

TEST(CatalogValidationTest, IdsMustBeSlugsOfAtMost64Characters) {
  v1::Catalog catalog = Mini();
  catalog.mutable_habits(0)->set_id("Check-Posture");
  catalog.mutable_conditions(0)->set_id(std::string(65, 's'));
  Lift(&catalog)->add_contraindications(std::string(65, 's'));
  catalog.mutable_session_cues(0)->set_id("");
  EXPECT_THAT(Errors(catalog),
              ElementsAre(  // "sore" is no longer declared.
                  "exercises[1].contraindications[0]: unknown condition \"sore\" (not in the "
                  "catalog's conditions)",
                  "habits[0].id: must be a slug of [a-z0-9_], got \"Check-Posture\"",
                  "conditions[0].id: must be at most 64 characters, got 65",
                  "session_cues[0].id: must not be empty"));
}

TEST(CatalogValidationTest, NamesMustNotBeEmpty) {
  v1::Catalog catalog = Mini();
  catalog.mutable_exercises(0)->clear_name();
  catalog.mutable_routines(0)->clear_name();
  catalog.mutable_habits(0)->clear_name();
  EXPECT_THAT(Errors(catalog), ElementsAre("exercises[0].name: must not be empty",
                                           "routines[0].name: must not be empty",
                                           "habits[0].name: must not be empty"));
}

TEST(CatalogValidationTest, PhaseKindAndDurationMustBeSet) {
  v1::Catalog catalog = Mini();
  catalog.mutable_exercises(0)->add_phases();
  EXPECT_THAT(Errors(catalog),
              ElementsAre("exercises[0].phases[1].kind: must be set",
                          "exercises[0].phases[1].duration: must set one of fixed_ms, breaths, "
                          "tempo, oscillations, open, prescribed_hold"));
  EXPECT_THAT(Codes(catalog),
              ElementsAre(absl::StatusCode::kInvalidArgument, absl::StatusCode::kInvalidArgument));
}

TEST(CatalogValidationTest, FixedAndBreathDurationsHaveSaneRanges) {
  v1::Catalog catalog = Mini();
  catalog.mutable_exercises(0)->mutable_phases(0)->mutable_duration()->set_breaths(0);
  Lift(&catalog)->mutable_phases(0)->mutable_duration()->set_fixed_ms(600001);
  EXPECT_THAT(Errors(catalog),
              ElementsAre("exercises[0].phases[0].duration.breaths: must be 1..20, got 0",
                          "exercises[1].phases[0].duration.fixed_ms: must be 1..600000, got "
                          "600001"));
  catalog.mutable_exercises(0)->mutable_phases(0)->mutable_duration()->set_breaths(20);
  Lift(&catalog)->mutable_phases(0)->mutable_duration()->set_fixed_ms(600000);
  EXPECT_THAT(Errors(catalog), IsEmpty());
  catalog.mutable_exercises(0)->mutable_phases(0)->mutable_duration()->set_breaths(21);
  Lift(&catalog)->mutable_phases(0)->mutable_duration()->set_fixed_ms(0);
  EXPECT_THAT(Errors(catalog),
              ElementsAre("exercises[0].phases[0].duration.breaths: must be 1..20, got 21",
                          "exercises[1].phases[0].duration.fixed_ms: must be 1..600000, got 0"));
}

TEST(CatalogValidationTest, OscillationsAndOpenHaveSaneRanges) {
  v1::Catalog catalog = Mini();
  v1::DurationSpec* spec = catalog.mutable_exercises(0)->mutable_phases(0)->mutable_duration();
  spec->mutable_oscillations()->set_count(0);
  spec->mutable_oscillations()->set_period_ms(499);
  EXPECT_THAT(Errors(catalog),
              ElementsAre("exercises[0].phases[0].duration.oscillations.count: must be 1..100, "
                          "got 0",
                          "exercises[0].phases[0].duration.oscillations.period_ms: must be "
                          "500..20000, got 499"));
  spec->mutable_open()->set_timeout_ms(-1);
  EXPECT_THAT(Errors(catalog),
              ElementsAre("exercises[0].phases[0].duration.open.timeout_ms: must be 0..600000, "
                          "got -1"));
}

TEST(CatalogValidationTest, TempoPhasesNeedATempoAndPrescribedHoldsAHold) {
  v1::Catalog catalog = Mini();
  Lift(&catalog)->mutable_default_prescription()->clear_tempo();
  Lift(&catalog)->mutable_default_prescription()->clear_hold();
  EXPECT_THAT(Errors(catalog),
              ElementsAre("exercises[1].default_prescription.tempo.lift_ms: required by lift "
                          "phases[1] (tempo: TEMPO_PART_LIFT), got 0",
                          "exercises[1].default_prescription.tempo.lower_ms: required by lift "
                          "phases[3] (tempo: TEMPO_PART_LOWER), got 0",
                          "exercises[1].default_prescription.hold: required by lift phases[2] "
                          "(prescribed_hold), got none"));
}

TEST(CatalogValidationTest, CueTriggerFieldsMustBeConsistent) {
  v1::Catalog catalog = Mini();
  v1::Exercise* lift = Lift(&catalog);
  lift->mutable_cues(0)->clear_text();
  lift->mutable_cues(0)->mutable_trigger()->set_offset_ms(-5);
  lift->mutable_cues(1)->mutable_trigger()->set_every_n(0);
  v1::Cue* report = lift->add_cues();
  report->set_id("report");
  report->set_text("Even it out.");
  report->mutable_trigger()->set_kind(v1::TRIGGER_REPORT);
  report->mutable_trigger()->set_min_value(5);
  report->mutable_trigger()->set_max_value(4);
  v1::Cue* unset = lift->add_cues();
  unset->set_id("unset");
  unset->set_text("Nothing triggers me.");
  v1::Cue* rock = lift->add_cues();
  rock->set_id("rock");
  rock->set_text("Rock.");
  rock->mutable_trigger()->set_kind(v1::TRIGGER_PHASE_ENTRY);
  rock->mutable_trigger()->set_phase(v1::PHASE_ROCK);
  v1::Cue* start = lift->add_cues();
  start->set_id("start");
  start->set_text("Session!");
  start->mutable_trigger()->set_kind(v1::TRIGGER_SESSION_START);
  EXPECT_THAT(
      Errors(catalog),
      ElementsAre("exercises[1].cues[0].text: must not be empty",
                  "exercises[1].cues[0].trigger.offset_ms: must be 0..600000, got -5",
                  "exercises[1].cues[1].trigger.every_n: must be 1..100 for "
                  "TRIGGER_EVERY_NTH_REP, got 0",
                  "exercises[1].cues[2].trigger.report: must be set for TRIGGER_REPORT",
                  "exercises[1].cues[2].trigger.max_value: must be 0 (no limit) or at least "
                  "min_value 5, got 4",
                  "exercises[1].cues[3].trigger.kind: must be set",
                  "exercises[1].cues[4].trigger.phase: lift has no PHASE_ROCK phase",
                  "exercises[1].cues[5].trigger.kind: TRIGGER_SESSION_START is for the "
                  "catalog's session_cues only"));
}

TEST(CatalogValidationTest, MistakesReferenceCuesOfTheirExercise) {
  v1::Catalog catalog = Mini();
  Lift(&catalog)->mutable_mistakes(0)->set_cue_id("breathe");  // a cue of another exercise
  EXPECT_THAT(Errors(catalog), ElementsAre("exercises[1].mistakes[0].cue_id: unknown cue "
                                           "\"breathe\" in exercise lift"));
}

TEST(CatalogValidationTest, SafeRangesNeedMinAtMostMax) {
  v1::Catalog catalog = Mini();
  Lift(&catalog)->mutable_safe_ranges()->mutable_tempo_ms()->set_min(5000);
  Lift(&catalog)->mutable_safe_ranges()->mutable_rest_ms()->set_min(-1);
  EXPECT_THAT(
      Errors(catalog),
      ElementsAre("exercises[1].safe_ranges.tempo_ms: min 5000 must not exceed max 4000",
                  "exercises[1].safe_ranges.rest_ms.min: must be at least 0, got -1",
                  // The tempo of the prescriptions can no longer fit.
                  "exercises[1].default_prescription.tempo.lift_ms: must be 5000..4000 for "
                  "lift, got 2000",
                  "exercises[1].default_prescription.tempo.lower_ms: must be 5000..4000 for "
                  "lift, got 2000",
                  "routines[0].blocks[1].prescription.tempo.lift_ms: must be 5000..4000 for "
                  "lift, got 1500",
                  "routines[0].blocks[1].prescription.tempo.lower_ms: must be 5000..4000 for "
                  "lift, got 1500",
                  "ladders[0].levels[0].tempo.lift_ms: must be 5000..4000 for lift, got 2000",
                  "ladders[0].levels[0].tempo.lower_ms: must be 5000..4000 for lift, got 2000",
                  "ladders[0].levels[1].tempo.lift_ms: must be 5000..4000 for lift, got 2000",
                  "ladders[0].levels[1].tempo.lower_ms: must be 5000..4000 for lift, got 2000"));
}

TEST(CatalogValidationTest, DefaultPrescriptionMustLieInsideTheSafeRanges) {
  v1::Catalog catalog = Mini();
  v1::Prescription* p = Lift(&catalog)->mutable_default_prescription();
  p->set_sets(4);
  p->set_reps(1);
  p->mutable_hold()->set_breaths(4);
  p->set_oscillations(3);  // max 0: not allowed at all
  EXPECT_THAT(Errors(catalog),
              ElementsAre("exercises[1].default_prescription.sets: must be 1..3 for lift, got 4",
                          "exercises[1].default_prescription.reps: must be 2..10 for lift, got 1",
                          "exercises[1].default_prescription.hold.breaths: must be 1..3 for "
                          "lift, got 4",
                          "exercises[1].default_prescription.oscillations: not allowed for lift "
                          "(its safe range max is 0), got 3"));
}

TEST(CatalogValidationTest, ContraindicationsAndGatesNameDeclaredIds) {
  v1::Catalog catalog = Mini();
  Lift(&catalog)->add_contraindications("broken_leg");
  Lift(&catalog)->mutable_gate()->add_attestations("flexible");
  Lift(&catalog)->mutable_gate()->mutable_history()->set_max_pain(11);
  EXPECT_THAT(Errors(catalog),
              ElementsAre("exercises[1].contraindications[1]: unknown condition \"broken_leg\" "
                          "(not in the catalog's conditions)",
                          "exercises[1].gate.attestations[1]: unknown attestation \"flexible\" "
                          "(not in the catalog's attestations)",
                          "exercises[1].gate.history.max_pain: must be 0..10, got 11"));
}

TEST(CatalogValidationTest, RoutineBlocksReferenceKnownExercisesCuesAndSafePrescriptions) {
  v1::Catalog catalog = Mini();
  v1::Routine* routine = catalog.mutable_routines(0);
  routine->mutable_blocks(0)->set_rest_after_ms(300001);
  routine->mutable_blocks(1)->mutable_prescription()->set_reps(20);
  routine->mutable_blocks(1)->add_lead_cue_ids("nope");
  routine->add_blocks()->set_exercise_id("jumping_jacks");
  EXPECT_THAT(Errors(catalog),
              ElementsAre("routines[0].blocks[0].rest_after_ms: must be 0..300000, got 300001",
                          "routines[0].blocks[1].prescription.reps: must be 2..10 for lift, got 20",
                          "routines[0].blocks[1].lead_cue_ids[1]: unknown cue \"nope\" in "
                          "exercise lift",
                          "routines[0].blocks[2].exercise_id: unknown exercise \"jumping_jacks\""));
  routine->clear_blocks();
  EXPECT_THAT(Errors(catalog), ElementsAre("routines[0].blocks: must hold at least one block, "
                                           "got none"));
}

TEST(CatalogValidationTest, LaddersReferenceKnownExercisesOncePerExerciseWithSafeLevels) {
  v1::Catalog catalog = Mini();
  catalog.mutable_ladders(0)->mutable_levels(1)->set_reps(11);
  *catalog.add_ladders() = catalog.ladders(0);
  catalog.mutable_ladders(1)->mutable_levels(1)->set_reps(5);
  v1::Ladder* unknown = catalog.add_ladders();
  unknown->set_exercise_id("nope");
  *unknown->add_levels() = catalog.ladders(0).levels(0);
  EXPECT_THAT(Errors(catalog),
              ElementsAre("ladders[0].levels[1].reps: must be 2..10 for lift, got 11",
                          "ladders[1].exercise_id: exercise lift already has a ladder "
                          "(ladders[0])",
                          "ladders[2].exercise_id: unknown exercise \"nope\""));
}

TEST(CatalogValidationTest, ACompletionThresholdOnlyWhereTheMetricUsesItAndInZeroToOne) {
  v1::Catalog catalog = Mini();
  v1::ProgressionRule* rule = catalog.add_rules();
  rule->set_id("regress_on_incomplete");
  rule->set_action(v1::REGRESS);
  v1::ConditionList* any = rule->mutable_when()->mutable_any();
  v1::MetricCondition* low = any->add_conditions()->mutable_metric();
  low->set_metric(v1::METRIC_LOW_COMPLETION_SESSIONS);
  low->set_op(v1::GE);
  low->set_value(2);
  low->set_window(3);
  low->set_completion_below(0.6);
  EXPECT_THAT(Errors(catalog), IsEmpty());
  low->set_completion_below(0);
  v1::MetricCondition* pain = any->add_conditions()->mutable_metric();
  pain->set_metric(v1::METRIC_MAX_PAIN);
  pain->set_op(v1::GE);
  pain->set_window(1);
  pain->set_completion_below(0.5);
  EXPECT_THAT(Errors(catalog),
              ElementsAre("rules[0].when.any.conditions[0].metric.completion_below: must be in "
                          "(0, 1] for METRIC_LOW_COMPLETION_SESSIONS, got 0",
                          "rules[0].when.any.conditions[1].metric.completion_below: is used only "
                          "by METRIC_LOW_COMPLETION_SESSIONS"));
}

// One broken rule of each kind: every field of a rule is range-checked, with its path.
TEST(CatalogValidationTest, EveryFieldOfARuleIsChecked) {
  v1::Catalog catalog = Mini();
  ASSERT_TRUE(google::protobuf::TextFormat::MergeFromString(
      R"pb(
        rules {
          id: "ok"
          action: ADVANCE
          when { metric { metric: METRIC_MAX_PAIN op: LE value: 3 window: 2 } }
        }
        rules {
          id: "no_metric"
          action: HOLD
          when { metric { op: GE value: 1 window: 1 } }
        }
        rules {
          id: "no_op"
          action: HOLD
          when { metric { metric: METRIC_MAX_PAIN value: 1 window: 1 } }
        }
        rules {
          id: "window_0"
          action: HOLD
          when { metric { metric: METRIC_SAFETY_STOPS op: GE value: 1 } }
        }
        rules {
          id: "window_53"
          action: HOLD
          when { metric { metric: METRIC_SAFETY_STOPS op: GE value: 1 window: 53 } }
        }
        rules {
          id: "pain_11"
          action: HOLD
          when { metric { metric: METRIC_MAX_PAIN op: GE value: 11 window: 1 } }
        }
        rules {
          id: "ratio_2"
          action: HOLD
          when { metric { metric: METRIC_COMPLETION_RATIO op: LT value: 2 window: 1 } }
        }
        rules {
          id: "count_neg"
          action: HOLD
          when { metric { metric: METRIC_SESSION_COUNT op: GE value: -1 window: 1 } }
        }
        rules {
          id: "nan"
          action: HOLD
          when { metric { metric: METRIC_MEAN_EFFORT op: GE value: nan window: 1 } }
        }
        rules {
          id: "metric_exercise"
          action: HOLD
          when { metric { metric: METRIC_MAX_PAIN op: GE value: 4 window: 1 exercise_id: "nope" } }
        }
        rules {
          id: "unknown_attestation"
          action: UNLOCK
          exercise_id: "lift"
          when { attested: "flexible" }
        }
        rules {
          id: "empty_all"
          action: HOLD
          when { all {} }
        }
        rules {
          id: "empty_condition"
          action: HOLD
          when { all { conditions {} } }
        }
        rules {
          id: "no_action"
          when { attested: "strong" }
        }
        rules {
          id: "unlock_nothing"
          action: UNLOCK
          when { attested: "strong" }
        }
        rules {
          id: "unlock_ungated"
          action: UNLOCK
          exercise_id: "primer"
          when { attested: "strong" }
        }
        rules { id: "priority" action: HOLD priority: 5000 }
        rules { id: "ok" action: HOLD }
        rules { id: "Bad Id" action: HOLD }
        rules { id: "rule_exercise" action: HOLD exercise_id: "nope" }
      )pb",
      &catalog));
  EXPECT_THAT(
      Errors(catalog),
      ElementsAre(
          "rules[1].when.metric.metric: must be one of the metrics (METRIC_COMPLETION_RATIO ...), "
          "got 0",
          "rules[2].when.metric.op: must be LT, LE, EQ, GE or GT, got 0",
          "rules[3].when.metric.window: must be 1..52, got 0",
          "rules[4].when.metric.window: must be 1..52, got 53",
          "rules[5].when.metric.value: must be 0..10 for METRIC_MAX_PAIN (a 0..10 scale), got 11",
          "rules[6].when.metric.value: must be 0..1 for METRIC_COMPLETION_RATIO (a ratio), got 2",
          "rules[7].when.metric.value: must be 0..52 for METRIC_SESSION_COUNT (a count of "
          "sessions), got -1",
          "rules[8].when.metric.value: must be 0..10 for METRIC_MEAN_EFFORT (a 0..10 scale), got "
          "nan",
          "rules[9].when.metric.exercise_id: unknown exercise \"nope\"",
          "rules[10].when.attested: unknown attestation \"flexible\" (not in the catalog's "
          "attestations)",
          "rules[11].when.all.conditions: must hold at least one condition",
          "rules[12].when.all.conditions[0]: must hold a metric, all, any or attested",
          "rules[13].action: must be ADVANCE, HOLD, REGRESS, UNLOCK, LOCK or BIAS_SIDE, got 0",
          "rules[14].exercise_id: an UNLOCK rule names the gated exercise it adds or removes",
          "rules[15].exercise_id: primer has no gate: UNLOCK is for gated exercises",
          "rules[16].priority: must be -1000..1000, got 5000",
          "rules[17].id: duplicate rule id \"ok\" (first at rules[0].id)",
          ::testing::StartsWith("rules[18].id: "),
          "rules[19].exercise_id: unknown exercise \"nope\""));
}

TEST(CatalogValidationTest, HabitsTimesPerDayIs1To48) {
  v1::Catalog catalog = Mini();
  catalog.mutable_habits(0)->set_times_per_day(48);
  EXPECT_THAT(Errors(catalog), IsEmpty());
  catalog.mutable_habits(0)->set_times_per_day(49);
  EXPECT_THAT(Errors(catalog), ElementsAre("habits[0].times_per_day: must be 1..48, got 49"));
}

TEST(CatalogValidationTest, CollectsEveryErrorInFieldOrder) {
  v1::Catalog catalog = Mini();
  catalog.mutable_session_cues(0)->clear_trigger();
  catalog.mutable_habits(0)->clear_text();
  catalog.mutable_exercises(0)->mutable_phases(0)->clear_kind();
  catalog.mutable_routines(0)->mutable_blocks(0)->set_exercise_id("x");
  EXPECT_THAT(Errors(catalog), ElementsAre("exercises[0].phases[0].kind: must be set",
                                           "exercises[0].cues[0].trigger.phase: primer has no "
                                           "PHASE_BREATHE phase",
                                           "routines[0].blocks[0].exercise_id: unknown exercise "
                                           "\"x\"",
                                           "habits[0].text: must not be empty",
                                           "session_cues[0].trigger.kind: must be set"));
}

TEST(CatalogValidationTest, ErrorsToStatusPicksTheMostSevereCode) {
  EXPECT_TRUE(ErrorsToStatus({}).ok());
  std::vector<ValidationError> errors(2);
  errors[0].path = "a";
  errors[0].message = "bad";
  errors[1].code = absl::StatusCode::kResourceExhausted;
  errors[1].path = "b[1]";
  errors[1].message = "too big";
  absl::Status status = ErrorsToStatus(errors);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(status.message(), "a: bad\nb[1]: too big");
  errors.pop_back();
  EXPECT_THAT(ErrorsToStatus(errors), StatusIs(absl::StatusCode::kInvalidArgument));
}

// --- Lookups --------------------------------------------------------------------------------

TEST(CatalogTest, FindsEveryKindOfEntryByIdAndNothingElse) {
  absl::StatusOr<Catalog> catalog = Catalog::FromProto(Mini());
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  ASSERT_NE(catalog->FindExercise("lift"), nullptr);
  EXPECT_EQ(catalog->FindExercise("lift")->name(), "Lift");
  EXPECT_EQ(catalog->FindExercise("lif"), nullptr);
  EXPECT_EQ(catalog->FindRoutine("basic")->blocks_size(), 2);
  EXPECT_EQ(catalog->FindRoutine("lift"), nullptr);
  EXPECT_EQ(catalog->FindLadder("lift")->levels_size(), 2);
  EXPECT_EQ(catalog->FindLadder("primer"), nullptr);
  EXPECT_EQ(catalog->FindHabit("check")->times_per_day(), 5u);
  EXPECT_EQ(catalog->FindCondition("sore")->description(), "Sore back.");
  EXPECT_EQ(catalog->FindAttestation("strong")->description(), "Strong back.");
  EXPECT_EQ(catalog->FindAttestation("sore"), nullptr);
  EXPECT_EQ(Catalog::FindCue(*catalog->FindExercise("lift"), "long")->text(), "Long, not high.");
  EXPECT_EQ(Catalog::FindCue(*catalog->FindExercise("lift"), "breathe"), nullptr);
  EXPECT_EQ(catalog->Primer()->id(), "primer");
}

TEST(CatalogTest, CopiesShareTheSameImmutableData) {
  const v1::Exercise* found = nullptr;
  Catalog copy = [&] {
    absl::StatusOr<Catalog> catalog = Catalog::FromProto(Mini());
    found = catalog->FindExercise("lift");
    return *catalog;
  }();
  EXPECT_EQ(copy.FindExercise("lift"), found);  // still alive after the original went away
  EXPECT_EQ(copy.FindExercise("lift")->id(), "lift");
}

TEST(CatalogTest, AtMostOnePrimer) {
  v1::Catalog catalog = Mini();
  Lift(&catalog)->set_primer(true);
  EXPECT_THAT(Errors(catalog),
              ElementsAre("exercises[1].primer: a catalog has at most one primer exercise"));
}

}  // namespace
}  // namespace regimen
