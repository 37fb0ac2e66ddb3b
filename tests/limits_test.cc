// Every limit of the engine (include/regimen/catalog.h, format.h) at the limit and one past it,
// through the C API: 4 MiB of input to every call that parses, 10,000 exercises, 64 phases per
// exercise, 500 characters per cue text, 200 blocks per routine, 4 hours per routine. Past a
// limit the answer is RGM_RESOURCE_EXHAUSTED (absl::StatusCode::kResourceExhausted in C++)
// with a message naming the limit, and the call changes nothing. (tests/catalog_test.cc checks
// the C++ validation messages; this file checks that the limits hold wherever input enters.)
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/format.h"
#include "regimen/regimen.h"
#include "regimen/routine.h"
#include "regimen/session.h"

namespace regimen {
namespace {

using ::testing::HasSubstr;

// One exercise of one fixed 1 s phase, and a routine of one block of it.
constexpr char kTiny[] = R"pb(
  id: "limits"
  name: "Limits"
  exercises {
    id: "primer"
    name: "Primer"
    primer: true
    level: 1
    phases {
      kind: PHASE_BREATHE
      duration { fixed_ms: 1000 }
    }
    cues {
      id: "breathe"
      text: "Breathe."
      trigger { kind: TRIGGER_PHASE_ENTRY phase: PHASE_BREATHE }
    }
    safe_ranges { reps { min: 1 max: 100 } }
  }
  routines {
    id: "r"
    name: "R"
    blocks { exercise_id: "primer" }
  }
)pb";

v1::Catalog Tiny() {
  v1::Catalog catalog;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(kTiny, &catalog));
  return catalog;
}

std::string Binary(const google::protobuf::Message& message) {
  std::string out;
  EXPECT_TRUE(message.SerializeToString(&out));
  return out;
}

// rgm_catalog_parse on binary bytes; the handle is freed, only the status is kept.
rgm_status ParseStatus(const std::string& bytes, rgm_format format = RGM_FORMAT_BINARY) {
  rgm_catalog* catalog = nullptr;
  const rgm_status status = rgm_catalog_parse(bytes.data(), bytes.size(), format, &catalog);
  EXPECT_EQ(status == RGM_OK, catalog != nullptr);
  rgm_catalog_free(catalog);
  return status;
}

// rgm_session_new for `routine` against `catalog` (binary), freed again.
rgm_status SessionNewStatus(const v1::Catalog& catalog, const v1::Routine& routine) {
  rgm_catalog* c = nullptr;
  const std::string catalog_bytes = Binary(catalog);
  EXPECT_EQ(rgm_catalog_parse(catalog_bytes.data(), catalog_bytes.size(), RGM_FORMAT_BINARY, &c),
            RGM_OK)
      << rgm_last_error();
  const std::string routine_bytes = Binary(routine);
  rgm_session* session = reinterpret_cast<rgm_session*>(&session);  // a sentinel, must stay
  const rgm_status status =
      rgm_session_new(c, routine_bytes.data(), routine_bytes.size(), RGM_FORMAT_BINARY, &session);
  if (status == RGM_OK) {
    rgm_session_free(session);
  } else {
    EXPECT_EQ(session, reinterpret_cast<rgm_session*>(&session)) << "a failed call wrote *out";
  }
  rgm_catalog_free(c);
  return status;
}

// `json` padded with spaces to exactly `size` bytes (whitespace is valid JSON anywhere between
// tokens).
std::string PadJson(std::string json, size_t size) {
  EXPECT_LE(json.size(), size);
  json.append(size - json.size(), ' ');
  return json;
}

TEST(InputLimitTest, CatalogOf4MiBParsesAndOneByteMoreIsResourceExhausted) {
  std::string text = kTiny;
  text += "\n#";
  text.append(kMaxInputBytes - text.size() - 1, 'x');
  text += "\n";
  ASSERT_EQ(text.size(), kMaxInputBytes);
  EXPECT_EQ(ParseStatus(text, RGM_FORMAT_TEXT), RGM_OK) << rgm_last_error();
  text.insert(text.size() - 1, "x");
  EXPECT_EQ(ParseStatus(text, RGM_FORMAT_TEXT), RGM_RESOURCE_EXHAUSTED);
  EXPECT_THAT(rgm_last_error(), HasSubstr("4194305 bytes; the limit is 4194304 bytes"));
}

TEST(InputLimitTest, EveryParsingCallAccepts4MiBAndRefusesOneByteMore) {
  rgm_catalog* catalog = nullptr;
  ASSERT_EQ(rgm_catalog_default(&catalog), RGM_OK);
  rgm_buffer routine = {nullptr, 0};
  ASSERT_EQ(rgm_catalog_routine(catalog, "back_basics", RGM_FORMAT_JSON, &routine), RGM_OK);
  rgm_session* session = nullptr;
  ASSERT_EQ(rgm_session_new(catalog, routine.data, routine.size, RGM_FORMAT_JSON, &session),
            RGM_OK);
  ASSERT_EQ(rgm_session_start(session, 0), RGM_OK);
  rgm_buffer snapshot = {nullptr, 0};
  ASSERT_EQ(rgm_session_snapshot(session, RGM_FORMAT_JSON, &snapshot), RGM_OK);

  const std::string routine_json(routine.data, routine.size);
  const std::string snapshot_json(snapshot.data, snapshot.size);
  const std::string profile_json = R"({"minutesPerWeek": 20, "sessionsPerWeek": 2})";
  const std::string progress_json = absl::StrCat(R"({"routine": )", routine_json, "}");
  const std::string schedule_json =
      R"({"profile": {"sessionsPerWeek": 2, "minutesPerWeek": 20}, "startDate": "2024-03-04", )"
      R"("days": 7})";

  for (const size_t size : {kMaxInputBytes, kMaxInputBytes + 1}) {
    SCOPED_TRACE(size);
    const rgm_status want = size == kMaxInputBytes ? RGM_OK : RGM_RESOURCE_EXHAUSTED;

    const std::string r = PadJson(routine_json, size);
    rgm_session* s = nullptr;
    EXPECT_EQ(rgm_session_new(catalog, r.data(), r.size(), RGM_FORMAT_JSON, &s), want)
        << rgm_last_error();
    EXPECT_EQ(s != nullptr, want == RGM_OK);
    rgm_session_free(s);

    const std::string snap = PadJson(snapshot_json, size);
    s = nullptr;
    EXPECT_EQ(rgm_session_restore(snap.data(), snap.size(), RGM_FORMAT_JSON, &s), want)
        << rgm_last_error();
    EXPECT_EQ(s != nullptr, want == RGM_OK);
    rgm_session_free(s);

    rgm_buffer out = {nullptr, 0};
    const std::string profile = PadJson(profile_json, size);
    EXPECT_EQ(rgm_routine_generate(catalog, profile.data(), profile.size(), RGM_FORMAT_JSON, &out),
              want)
        << rgm_last_error();
    EXPECT_EQ(out.data != nullptr, want == RGM_OK);
    rgm_buffer_free(&out);

    const std::string progress = PadJson(progress_json, size);
    EXPECT_EQ(rgm_progress(catalog, progress.data(), progress.size(), RGM_FORMAT_JSON, &out), want)
        << rgm_last_error();
    EXPECT_EQ(out.data != nullptr, want == RGM_OK);
    rgm_buffer_free(&out);

    const std::string schedule = PadJson(schedule_json, size);
    EXPECT_EQ(rgm_schedule(catalog, schedule.data(), schedule.size(), RGM_FORMAT_JSON, &out), want)
        << rgm_last_error();
    EXPECT_EQ(out.data != nullptr, want == RGM_OK);
    rgm_buffer_free(&out);
  }

  rgm_buffer_free(&snapshot);
  rgm_session_free(session);
  rgm_buffer_free(&routine);
  rgm_catalog_free(catalog);
}

TEST(CatalogLimitTest, TenThousandExercisesParseThroughTheCApiAndOneMoreIsResourceExhausted) {
  v1::Catalog catalog = Tiny();
  v1::Exercise copy = catalog.exercises(0);
  copy.set_primer(false);
  copy.clear_cues();
  while (catalog.exercises_size() < static_cast<int>(kMaxExercises)) {
    copy.set_id(absl::StrCat("e", catalog.exercises_size()));
    *catalog.add_exercises() = copy;
  }
  std::string bytes = Binary(catalog);
  ASSERT_LE(bytes.size(), kMaxInputBytes);
  EXPECT_EQ(ParseStatus(bytes), RGM_OK) << rgm_last_error();

  copy.set_id("one_too_many");
  *catalog.add_exercises() = copy;
  EXPECT_EQ(ParseStatus(Binary(catalog)), RGM_RESOURCE_EXHAUSTED);
  EXPECT_THAT(rgm_last_error(), HasSubstr("exercises: at most 10000 exercises per catalog, got "
                                          "10001"));
}

TEST(CatalogLimitTest, SixtyFourPhasesParseThroughTheCApiAndOneMoreIsResourceExhausted) {
  v1::Catalog catalog = Tiny();
  v1::Exercise* primer = catalog.mutable_exercises(0);
  while (primer->phases_size() < static_cast<int>(kMaxPhasesPerExercise)) {
    *primer->add_phases() = primer->phases(0);
  }
  EXPECT_EQ(ParseStatus(Binary(catalog)), RGM_OK) << rgm_last_error();
  *primer->add_phases() = primer->phases(0);
  EXPECT_EQ(ParseStatus(Binary(catalog)), RGM_RESOURCE_EXHAUSTED);
  EXPECT_THAT(rgm_last_error(),
              HasSubstr("exercises[0].phases: at most 64 phases per exercise, got 65"));
}

TEST(CatalogLimitTest, CueTextOf500CharactersParsesThroughTheCApiAnd501IsResourceExhausted) {
  v1::Catalog catalog = Tiny();
  v1::Cue* cue = catalog.mutable_exercises(0)->mutable_cues(0);
  std::string text;
  for (size_t i = 0; i < kMaxCueTextChars; ++i) text += "\xC3\xA9";  // é: characters, not bytes
  cue->set_text(text);
  EXPECT_EQ(ParseStatus(Binary(catalog)), RGM_OK) << rgm_last_error();
  cue->set_text(text + "a");
  EXPECT_EQ(ParseStatus(Binary(catalog)), RGM_RESOURCE_EXHAUSTED);
  EXPECT_THAT(rgm_last_error(),
              HasSubstr("exercises[0].cues[0].text: must be at most 500 characters, got 501"));
}

TEST(RoutineLimitTest, TwoHundredBlocksRunAndOneMoreIsResourceExhaustedInCatalogAndSession) {
  v1::Catalog catalog = Tiny();
  v1::Routine routine;
  routine.set_id("long");
  routine.set_name("Long");
  for (size_t i = 0; i < kMaxBlocksPerRoutine; ++i) routine.add_blocks()->set_exercise_id("primer");
  EXPECT_EQ(SessionNewStatus(catalog, routine), RGM_OK) << rgm_last_error();
  *catalog.add_routines() = routine;
  EXPECT_EQ(ParseStatus(Binary(catalog)), RGM_OK) << rgm_last_error();

  routine.add_blocks()->set_exercise_id("primer");
  EXPECT_EQ(SessionNewStatus(Tiny(), routine), RGM_RESOURCE_EXHAUSTED);
  EXPECT_THAT(rgm_last_error(), HasSubstr("blocks: 201 blocks; the limit is 200"));
  *catalog.mutable_routines(1) = routine;
  EXPECT_EQ(ParseStatus(Binary(catalog)), RGM_RESOURCE_EXHAUSTED);
  EXPECT_THAT(rgm_last_error(), HasSubstr("routines[1].blocks: at most 200 blocks per routine"));
}

TEST(RoutineLimitTest, FourHoursRunAndOneMsMoreIsResourceExhaustedInCatalogAndSession) {
  v1::Catalog catalog = Tiny();
  // Count-in 5000 + 25 reps of 575800 = 14,400,000 ms, 4 hours exactly.
  catalog.mutable_exercises(0)->mutable_phases(0)->mutable_duration()->set_fixed_ms(575800);
  v1::Routine routine;
  routine.set_id("four_hours");
  routine.set_name("Four hours");
  v1::Block* block = routine.add_blocks();
  block->set_exercise_id("primer");
  block->mutable_prescription()->set_reps(25);
  absl::StatusOr<Catalog> parsed = Catalog::FromProto(catalog);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(*EstimateRoutineMs(routine, *parsed), kMaxRoutineMs);
  EXPECT_EQ(SessionNewStatus(catalog, routine), RGM_OK) << rgm_last_error();

  // The session really lasts that long: SESSION_COMPLETED at exactly 4 hours.
  auto session = Session::Create(*parsed, routine);
  ASSERT_TRUE(session.ok()) << session.status();
  ASSERT_TRUE((*session)->Start(0).ok());
  while (!(*session)->Finished()) ASSERT_TRUE((*session)->Tick((*session)->NextDeadline()).ok());
  Event event, last;
  while ((*session)->Poll(&event)) last = event;
  EXPECT_EQ(last.type, v1::SessionEvent::SESSION_COMPLETED);
  EXPECT_EQ(last.at_ms, kMaxRoutineMs);

  *catalog.add_routines() = routine;
  EXPECT_EQ(ParseStatus(Binary(catalog)), RGM_OK) << rgm_last_error();

  // One ms more: 25 reps of 575801 = 14,400,025 ms.
  catalog.mutable_exercises(0)->mutable_phases(0)->mutable_duration()->set_fixed_ms(575801);
  EXPECT_EQ(ParseStatus(Binary(catalog)), RGM_RESOURCE_EXHAUSTED);
  EXPECT_THAT(rgm_last_error(), HasSubstr("the limit is 14400000 ms (4 hours)"));
  catalog.mutable_routines()->RemoveLast();
  EXPECT_EQ(SessionNewStatus(catalog, routine), RGM_RESOURCE_EXHAUSTED);
  EXPECT_THAT(rgm_last_error(), HasSubstr("the limit is 14400000 ms (4 hours)"));
}

}  // namespace
}  // namespace regimen
