// The FIT writer (src/export/fit_writer.h) and the two exports at the byte level; their content
// is checked with Garmin's own decoder in tests/fit/fit_test.mjs.
#include "src/export/fit_writer.h"

#include <string>

#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/fit.h"
#include "regimen/l10n.h"

namespace regimen {
namespace {

uint16_t Little16(const std::string& bytes, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(bytes[at]) | static_cast<uint8_t>(bytes[at + 1])
                                                                     << 8);
}

// The FIT CRC is CRC-16/ARC: its check value is that of "123456789".
TEST(FitWriter, CrcIsCrc16Arc) {
  EXPECT_EQ(fit::Crc(0, "123456789", 9), 0xBB3D);
  EXPECT_EQ(fit::Crc(fit::Crc(0, "1234", 4), "56789", 5), 0xBB3D);
}

TEST(FitWriter, HeaderSizeAndCrcs) {
  static constexpr fit::FieldDef kFields[] = {{0, fit::BaseType::kEnum},
                                              {1, fit::BaseType::kString}};
  static constexpr fit::MessageDef kDef{42, kFields};
  fit::Writer writer;
  writer.Add(kDef, {fit::Value(uint64_t{7}), fit::Value(std::string("ab"))});
  writer.Add(kDef, {fit::Value(uint64_t{8}), fit::Value(std::string("cd"))});   // same layout
  writer.Add(kDef, {fit::Value::Absent(), fit::Value(std::string("longer"))});  // redefined
  const std::string file = writer.Finish();
  ASSERT_GE(file.size(), 16u);
  EXPECT_EQ(file[0], 14);
  EXPECT_EQ(file.substr(8, 4), ".FIT");
  const uint32_t data_size = static_cast<uint8_t>(file[4]) | static_cast<uint8_t>(file[5]) << 8;
  EXPECT_EQ(data_size, file.size() - 14 - 2);
  EXPECT_EQ(Little16(file, 12), fit::Crc(0, file.data(), 12));
  EXPECT_EQ(Little16(file, file.size() - 2), fit::Crc(0, file.data(), file.size() - 2));
  // definition (6 + 2×3 bytes) + data (1 + 1 + 3) + data (5) + definition (12) + data (1+1+7)
  EXPECT_EQ(data_size, 12u + 5 + 5 + 12 + 9);
  EXPECT_EQ(static_cast<uint8_t>(file[14]), 0x40);  // a definition of local type 0
  EXPECT_EQ(Little16(file, 14 + 3), 42);            // its global number
  // The absent enum is written as FIT's invalid value.
  EXPECT_EQ(static_cast<uint8_t>(file[14 + 12 + 5 + 5 + 12 + 1]), 0xFF);
}

TEST(FitWriter, LongStringsAreCutAtACharacterBoundary) {
  static constexpr fit::FieldDef kFields[] = {{0, fit::BaseType::kString}};
  static constexpr fit::MessageDef kDef{1, kFields};
  std::string text;
  for (int i = 0; i < 200; ++i) text += "\xc3\xa9";  // é, two bytes each
  fit::Writer writer;
  writer.Add(kDef, {fit::Value(text)});
  const std::string file = writer.Finish();
  const uint8_t size = static_cast<uint8_t>(file[14 + 6 + 1]);
  EXPECT_EQ(size, 255);  // 127 whole characters (254 bytes) + NUL: the most a field holds
  EXPECT_EQ(file[14 + 9 + 1 + 254], '\0');
  std::string odd = "x" + text;  // now byte 254 would split a character: cut before it
  fit::Writer writer2;
  writer2.Add(kDef, {fit::Value(odd)});
  const std::string file2 = writer2.Finish();
  EXPECT_EQ(static_cast<uint8_t>(file2[14 + 6 + 1]), 254);  // "x" + 126 characters + NUL
}

TEST(FitExport, WorkoutsAreDeterministicAndCarryTheirCrc) {
  const Catalog& catalog = Catalog::Default();
  const v1::Routine* routine = catalog.FindRoutine("back_basics");
  ASSERT_NE(routine, nullptr);
  absl::StatusOr<std::string> a = ExportFitWorkout(catalog, *routine);
  absl::StatusOr<std::string> b = ExportFitWorkout(catalog, *routine);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(Little16(*a, a->size() - 2), fit::Crc(0, a->data(), a->size() - 2));
  EXPECT_NE(a->find("Prone leg lift (left)"), std::string::npos);
}

// A workout in a locale names its steps in that language.
TEST(FitExport, StepNamesInTheSessionsLanguage) {
  const Catalog& catalog = Catalog::Default();
  v1::SessionOptions options;
  options.set_locale("de");
  absl::StatusOr<std::string> de =
      ExportFitWorkout(catalog, *catalog.FindRoutine("back_basics"), options);
  ASSERT_TRUE(de.ok()) << de.status();
  const std::string leg_lift =
      catalog.Localize("de")->catalog.FindExercise("prone_leg_lift")->name();
  EXPECT_NE(de->find(leg_lift + " (links)"), std::string::npos);
  EXPECT_NE(de->find(std::string("Pause")), std::string::npos);
  EXPECT_EQ(de->find("(left)"), std::string::npos);
  EXPECT_EQ(de->find("Rest"), std::string::npos);
  options.set_locale("es");
  absl::StatusOr<std::string> es =
      ExportFitWorkout(catalog, *catalog.FindRoutine("back_basics"), options);
  ASSERT_TRUE(es.ok()) << es.status();
  EXPECT_NE(es->find("(derecha)"), std::string::npos);
}

TEST(FitExport, GatedRoutinesNeedTheirAttestations) {
  const Catalog& catalog = Catalog::Default();
  const v1::Routine* plus = catalog.FindRoutine("back_basics_plus");
  ASSERT_NE(plus, nullptr);
  absl::StatusOr<std::string> refused = ExportFitWorkout(catalog, *plus);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  v1::SessionOptions options;
  options.add_attestations("spine_flexible_strong_balanced");
  EXPECT_TRUE(ExportFitWorkout(catalog, *plus, options).ok());
}

TEST(FitExport, ActivitiesNeedWallClockTimesInOrder) {
  const Catalog& catalog = Catalog::Default();
  v1::SessionRecord record;
  record.set_routine_id("back_basics");
  record.set_started_at_ms(0);
  record.set_ended_at_ms(1000);
  absl::StatusOr<std::string> fit = ExportFitActivity(catalog, record);
  EXPECT_EQ(fit.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(fit.status().message().find("record.started_at_ms"), std::string::npos);

  record.set_started_at_ms(1796284800000);
  record.set_ended_at_ms(1796284700000);
  fit = ExportFitActivity(catalog, record);
  EXPECT_NE(fit.status().message().find("record.ended_at_ms"), std::string::npos);

  record.set_ended_at_ms(1796284900000);
  v1::BlockRecord* block = record.add_blocks();
  block->set_exercise_id("prone_lift");
  block->set_started_at_ms(1796284950000);  // after the session's end
  block->set_ended_at_ms(1796284960000);
  fit = ExportFitActivity(catalog, record);
  EXPECT_NE(fit.status().message().find("record.blocks[0]"), std::string::npos) << fit.status();

  block->set_started_at_ms(1796284810000);
  block->set_ended_at_ms(1796284850000);
  block->set_exercise_id("nope");
  fit = ExportFitActivity(catalog, record);
  EXPECT_EQ(fit.status().code(), absl::StatusCode::kNotFound);

  block->set_exercise_id("prone_lift");
  fit = ExportFitActivity(catalog, record);
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_EQ(fit->substr(8, 4), ".FIT");
}

}  // namespace
}  // namespace regimen
