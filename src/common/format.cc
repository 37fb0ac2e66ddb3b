#include "regimen/format.h"

#ifndef REGIMEN_PROTOBUF_LITE
#define REGIMEN_PROTOBUF_LITE 0
#endif

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#if !REGIMEN_PROTOBUF_LITE
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/message.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
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
    if (first_.empty()) first_ = absl::StrCat("line ", line + 1, ":", column + 1, ": ", message);
  }
  void AddWarning(int, google::protobuf::io::ColumnNumber, const std::string&) override {}
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

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

absl::Status ParseMessage(absl::string_view data, Format format,
                          google::protobuf::MessageLite* message) {
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
            absl::StrCat("not a valid JSON ", type, ": ", std::string(status.message())));
      }
      break;
    }
    case Format::kText: {
      google::protobuf::TextFormat::Parser parser;
      ErrorCollector errors;
      parser.RecordErrorsTo(&errors);
      if (!parser.ParseFromString(std::string(data), Full(parsed.get()))) {
        return absl::InvalidArgumentError(
            absl::StrCat("not a valid text-format ", type, ": ", errors.first()));
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

absl::StatusOr<std::string> SerializeMessage(const google::protobuf::MessageLite& message,
                                             Format format, SerializeOptions options) {
  std::string out;
  switch (format) {
    case Format::kBinary:
      if (!message.SerializeToString(&out)) {
        return absl::InternalError(absl::StrCat("cannot serialize ", message.GetTypeName()));
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
