// Regression: the text format accepted string fields that are not UTF-8 ("\xff" escapes), which
// the binary and JSON formats refuse, so a catalog could load whose sessions then could not be
// snapshotted and restored. Found by fuzz_catalog_parse
// (tests/fuzz/corpus/fuzz_catalog_parse/regression_text_invalid_utf8).
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/format.h"
#include "regimen/regimen.h"
#include "regimen/v1/profile.pb.h"

namespace regimen {
namespace {

using ::testing::HasSubstr;

TEST(TextFormatInvalidUtf8Test, StringFieldThatIsNotUtf8IsInvalidArgumentNamingTheField) {
  v1::Profile profile;
  profile.add_conditions("kept");
  const absl::Status status =
      ParseMessage(R"pb(conditions: "ok" conditions: "bad \xff byte")pb", Format::kText, &profile);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("conditions[1]: string is not valid UTF-8"));
  ASSERT_EQ(profile.conditions_size(), 1);  // unchanged
  EXPECT_EQ(profile.conditions(0), "kept");
}

TEST(TextFormatInvalidUtf8Test, ValidUtf8AndEscapedUtf8StillParse) {
  v1::Profile profile;
  EXPECT_TRUE(
      ParseMessage(R"pb(conditions: "caf\303\251" conditions: "naïve")pb", Format::kText, &profile)
          .ok());
  ASSERT_EQ(profile.conditions_size(), 2);
  EXPECT_EQ(profile.conditions(0), "caf\xC3\xA9");
}

TEST(TextFormatInvalidUtf8Test, CatalogWithANonUtf8DescriptionIsRefusedWithItsPath) {
  std::ifstream in(std::string(REGIMEN_SOURCE_DIR) + "/catalog/back_care.textproto");
  std::stringstream text;
  text << in.rdbuf();
  std::string pack = text.str();
  const std::string strong = "strong,";
  const size_t at = pack.find(strong);
  ASSERT_NE(at, std::string::npos);
  pack.replace(at, strong.size(), "str\\317ng,");  // a lone lead byte
  absl::StatusOr<Catalog> catalog = Catalog::Parse(pack, Format::kText);
  EXPECT_EQ(catalog.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(catalog.status().message()),
              HasSubstr("attestations[0].description: string is not valid UTF-8"));

  rgm_catalog* c = nullptr;
  EXPECT_EQ(rgm_catalog_parse(pack.data(), pack.size(), RGM_FORMAT_TEXT, &c), RGM_INVALID_ARGUMENT);
  EXPECT_EQ(c, nullptr);
}

}  // namespace
}  // namespace regimen
