// ParseMessage names the line and column of a JSON or text-format error: syntax errors where the
// scanner stops, field errors at the key or value that protobuf's message names by path.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regimen/format.h"
#include "regimen/v1/progression.pb.h"

namespace regimen {
namespace {

using ::testing::HasSubstr;

struct Case {
  const char* input;
  int line;
  int column;
  const char* reason;  // a part of the message after the position
};

void ExpectPosition(Format format, const Case& c) {
  v1::ProgressRequest request;
  request.mutable_profile()->set_seed(7);
  InputPosition where;
  const absl::Status status = ParseMessage(c.input, format, &request, &where);
  ASSERT_FALSE(status.ok()) << c.input;
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(where.line, c.line) << c.input << "\n" << status;
  EXPECT_EQ(where.column, c.column) << c.input << "\n" << status;
  EXPECT_THAT(std::string(status.message()),
              HasSubstr(absl::StrCat("line ", c.line, ", column ", c.column, ": ")));
  EXPECT_THAT(std::string(status.message()), HasSubstr(c.reason));
  EXPECT_EQ(request.profile().seed(), 7u) << "the message changed on error";
}

TEST(InputPosition, JsonSyntaxErrors) {
  for (const Case& c : {
           Case{"{\"profile\": {\"seed\": 3,,\n}}", 1, 24, "Expected"},
           Case{"{\n  \"profile\": {\"seed\": 1}\n} x", 3, 3, "terminated"},
           Case{"{\"profile\": {\"seed\": 1}", 1, 24, "end of string"},
           Case{"{\"profile\":\n  {\"conditions\": [\"a\" \"b\"]}}", 2, 23, ""},
       }) {
    ExpectPosition(Format::kJson, c);
  }
}

TEST(InputPosition, JsonFieldErrorsPointAtTheKeyOrValue) {
  for (const Case& c : {
           // An unknown key, at top level and nested (the path in proto names, the JSON in
           // lowerCamelCase), at the key.
           Case{"{\n  \"profle\": {}\n}", 2, 3, "profle: Cannot find field"},
           Case{"{\"routine\": {\"blocks\": [{\"exerciseId\": \"a\"},\n {\"exerciseId\": \"b\", "
                "\"rpes\": 2}]}}",
                2, 22, "(routine.blocks[1]) rpes"},
           // A bad value, at the value.
           Case{"{\"profile\": {\n  \"minutesPerWeek\": \"ten\"}}", 2, 21, "invalid value"},
           Case{"{\"profile\": {\"minutes_per_week\": -1}}", 1, 34, "invalid value"},
           Case{"{\"profile\": {\"conditions\": [\"a\", 7]}}", 1, 34, "(profile.conditions[1])"},
           // Columns count characters: "é" is two bytes and one column.
           Case{"{\"profile\": {\"conditions\": [\"é\"], \"seed\": \"x\"}}", 1, 43,
                "(profile.seed)"},
       }) {
    ExpectPosition(Format::kJson, c);
  }
}

TEST(InputPosition, TextFormatErrors) {
  for (const Case& c : {
           Case{"profile {\n  sed: 3\n}", 2, 6, "no field named \"sed\""},
           // A tab counts as one column (protobuf's tokenizer counts it to the next multiple
           // of 8).
           Case{"profile {\n\tseed: x\n}", 2, 8, "Expected integer"},
       }) {
    ExpectPosition(Format::kText, c);
  }
}

TEST(InputPosition, BinaryAndSuccessHaveNone) {
  v1::ProgressRequest request;
  InputPosition where{5, 5};
  EXPECT_FALSE(ParseMessage("\xff\xff\xff", Format::kBinary, &request, &where).ok());
  EXPECT_EQ(where.line, 0);
  EXPECT_EQ(where.column, 0);
  where = {5, 5};
  EXPECT_TRUE(ParseMessage("{\"profile\": {\"seed\": 2}}", Format::kJson, &request, &where).ok());
  EXPECT_EQ(where.line, 0);
  EXPECT_EQ(request.profile().seed(), 2u);
}

}  // namespace
}  // namespace regimen
