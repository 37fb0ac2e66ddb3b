#include "regimen/format.h"

#ifndef REGIMEN_PROTOBUF_LITE
#define REGIMEN_PROTOBUF_LITE 0
#endif

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/common/protobuf_log.h"
#if !REGIMEN_PROTOBUF_LITE
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/message.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "src/common/json_position.h"
#endif

namespace regimen {
namespace {

#if REGIMEN_PROTOBUF_LITE
absl::Status LiteUnavailable(Format format) {
  return absl::UnimplementedError(absl::StrCat(
      "the ", FormatName(format),
      " format is not available in this build of Regimen (built against libprotobuf-lite; "
      "use the binary format)"));
}
#else

// Collects the text-format parser's complaints instead of letting it log them.
class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!first_.empty()) return;
    first_ = message;
    line_ = line;
    column_ = column;
  }
  void AddWarning(int, google::protobuf::io::ColumnNumber, const std::string&) override {}
  const std::string& first() const { return first_; }
  // The 0-based line and the tokenizer's 0-based column (tabs advance it to a multiple of 8).
  int line() const { return line_; }
  int column() const { return column_; }

 private:
  std::string first_;
  int line_ = 0;
  int column_ = 0;
};

// Moves the tokenizer's column (tabs to the next multiple of 8) to a character count on `line`.
int CharacterColumn(absl::string_view data, int line, int tokenizer_column) {
  size_t at = 0;
  for (int i = 0; i < line && at != absl::string_view::npos; ++i) {
    at = data.find('\n', at);
    if (at != absl::string_view::npos) ++at;
  }
  if (at == absl::string_view::npos) return tokenizer_column + 1;
  int column = 0;
  int characters = 0;
  for (; at < data.size() && data[at] != '\n' && column < tokenizer_column; ++at) {
    if ((static_cast<unsigned char>(data[at]) & 0xC0) == 0x80) continue;
    column = data[at] == '\t' ? (column / 8 + 1) * 8 : column + 1;
    ++characters;
  }
  return characters + 1;
}

// The JSON parser's complaint with the line and column it is about, found by scanning the text
// (protobuf 3.21 reports no position). The first line only: protobuf appends a snippet.
std::string JsonError(absl::string_view data, absl::string_view error, InputPosition* where) {
  const absl::string_view first = error.substr(0, error.find('\n'));
  size_t offset = internal::JsonSyntaxError(data, nullptr);
  if (offset == internal::kNoOffset) offset = internal::JsonErrorOffset(data, first);
  if (offset == internal::kNoOffset) return std::string(error);
  internal::LineAndColumn(data, offset, &where->line, &where->column);
  return absl::StrCat("line ", where->line, ", column ", where->column, ": ", first);
}

// The path of the first string field of `message` that is not valid UTF-8, or "" when all are.
// The binary and JSON parsers refuse such strings but the text parser accepts them (as "\xff"
// escapes), and a message holding one cannot be written in binary or JSON and read back: a
// session snapshot of it would not restore.
std::string FirstInvalidUtf8(const google::protobuf::Message& message) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const int count = field->is_repeated() ? reflection->FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
      const std::string where =
          field->is_repeated() ? absl::StrCat(field->name(), "[", i, "]") : field->name();
      if (field->type() == FieldDescriptor::TYPE_STRING) {
        std::string scratch;
        const std::string& value =
            field->is_repeated()
                ? reflection->GetRepeatedStringReference(message, field, i, &scratch)
                : reflection->GetStringReference(message, field, &scratch);
        if (!google::protobuf::internal::IsStructurallyValidUTF8(value.data(),
                                                                 static_cast<int>(value.size()))) {
          return where;
        }
      } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const google::protobuf::Message& child =
            field->is_repeated() ? reflection->GetRepeatedMessage(message, field, i)
                                 : reflection->GetMessage(message, field);
        std::string inner = FirstInvalidUtf8(child);
        if (!inner.empty()) return absl::StrCat(where, ".", inner);
      }
    }
  }
  return "";
}

// The full-runtime view of a generated message (every generated message is one in this build).
google::protobuf::Message* Full(google::protobuf::MessageLite* message) {
  return dynamic_cast<google::protobuf::Message*>(message);
}
const google::protobuf::Message* Full(const google::protobuf::MessageLite& message) {
  return dynamic_cast<const google::protobuf::Message*>(&message);
}
#endif  // REGIMEN_PROTOBUF_LITE

}  // namespace

bool JsonAndTextAvailable() { return !REGIMEN_PROTOBUF_LITE; }

const char* FormatName(Format format) {
  switch (format) {
    case Format::kBinary:
      return "binary";
    case Format::kJson:
      return "json";
    case Format::kText:
      return "text";
  }
  return "unknown";
}

namespace {

absl::Status ParseQuietly(absl::string_view data, Format format,
                          google::protobuf::MessageLite* message, InputPosition* where) {
  InputPosition ignored;
  if (where == nullptr) where = &ignored;
  *where = InputPosition();
  if (message == nullptr) return absl::InvalidArgumentError("message is null");
  const std::string type = message->GetTypeName();
  if (data.size() > kMaxInputBytes) {
    return absl::ResourceExhaustedError(absl::StrCat(type, " input is ", data.size(),
                                                     " bytes; the limit is ", kMaxInputBytes,
                                                     " bytes (4 MiB)"));
  }
  std::unique_ptr<google::protobuf::MessageLite> parsed(message->New());
  switch (format) {
    case Format::kBinary:
      if (!parsed->ParseFromArray(data.data(), static_cast<int>(data.size()))) {
        return absl::InvalidArgumentError(absl::StrCat("not a valid binary ", type, " message"));
      }
      break;
#if REGIMEN_PROTOBUF_LITE
    case Format::kJson:
    case Format::kText:
      return LiteUnavailable(format);
#else
    case Format::kJson: {
      google::protobuf::util::JsonParseOptions options;
      options.ignore_unknown_fields = false;
      auto status = google::protobuf::util::JsonStringToMessage(
          google::protobuf::StringPiece(data.data(), data.size()), Full(parsed.get()), options);
      if (!status.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("not a valid JSON ", type, ": ",
                         JsonError(data, std::string(status.message()), where)));
      }
      break;
    }
    case Format::kText: {
      google::protobuf::TextFormat::Parser parser;
      ErrorCollector errors;
      parser.RecordErrorsTo(&errors);
      if (!parser.ParseFromString(std::string(data), Full(parsed.get()))) {
        where->line = errors.line() + 1;
        where->column = CharacterColumn(data, errors.line(), errors.column());
        return absl::InvalidArgumentError(absl::StrCat("not a valid text-format ", type, ": line ",
                                                       where->line, ", column ", where->column,
                                                       ": ", errors.first()));
      }
      if (std::string path = FirstInvalidUtf8(*Full(parsed.get())); !path.empty()) {
        return absl::InvalidArgumentError(absl::StrCat("not a valid text-format ", type, ": ", path,
                                                       ": string is not valid UTF-8"));
      }
      break;
    }
#endif
    default:
      return absl::InvalidArgumentError(absl::StrCat("unknown format ", static_cast<int>(format)));
  }
#if REGIMEN_PROTOBUF_LITE
  message->Clear();
  message->CheckTypeAndMergeFrom(*parsed);
#else
  // A swap, not a merge: no copy, and nothing can fail once the parse has succeeded, so that
  // even an allocation failure leaves *message unchanged (a merge that runs out of memory leaves
  // it half-filled, and libprotobuf leaks the element it was adding; tests/alloc_failure_test).
  Full(message)->GetReflection()->Swap(Full(message), Full(parsed.get()));
#endif
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseMessage(absl::string_view data, Format format,
                          google::protobuf::MessageLite* message, InputPosition* where) {
  internal::ProtobufLogCapture log;  // what protobuf says goes into the status, not to stderr
  absl::Status status = ParseQuietly(data, format, message, where);
  if (status.ok() || log.text().empty()) return status;
  return absl::Status(status.code(), log.Explain(status.message()));
}

absl::StatusOr<std::string> SerializeMessage(const google::protobuf::MessageLite& message,
                                             Format format, SerializeOptions options) {
  internal::ProtobufLogCapture log;
  std::string out;
  switch (format) {
    case Format::kBinary:
      if (!message.SerializeToString(&out)) {
        return absl::InternalError(
            log.Explain(absl::StrCat("cannot serialize ", message.GetTypeName())));
      }
      return out;
#if REGIMEN_PROTOBUF_LITE
    case Format::kJson:
    case Format::kText:
      (void)options;
      return LiteUnavailable(format);
#else
    case Format::kJson: {
      google::protobuf::util::JsonPrintOptions print;
      print.always_print_primitive_fields = options.json_all_fields;
      print.add_whitespace = options.json_pretty;
      auto status = google::protobuf::util::MessageToJsonString(*Full(message), &out, print);
      if (!status.ok()) {
        return absl::InternalError(
            absl::StrCat("cannot write JSON: ", std::string(status.message())));
      }
      return out;
    }
    case Format::kText:
      if (!google::protobuf::TextFormat::PrintToString(*Full(message), &out)) {
        return absl::InternalError("cannot write text format");
      }
      return out;
#endif
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown format ", static_cast<int>(format)));
}

}  // namespace regimen
