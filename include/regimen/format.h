// Reading and writing Regimen's protobuf messages in the three formats every API accepts:
// binary wire format, the protobuf JSON mapping and protobuf text format.
//
//   regimen::v1::Profile profile;
//   absl::Status s = regimen::ParseMessage(json, regimen::Format::kJson, &profile);
//   absl::StatusOr<std::string> out = regimen::SerializeMessage(profile, regimen::Format::kText);
//
// Thread-safe: the functions keep no state.
#ifndef REGIMEN_FORMAT_H_
#define REGIMEN_FORMAT_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message_lite.h"

namespace regimen {

// Values equal rgm_format.
enum class Format { kBinary = 0, kJson = 1, kText = 2 };

// "binary", "json" or "text".
const char* FormatName(Format format);

// Largest input any parse accepts: 4 MiB. Past it: RESOURCE_EXHAUSTED.
inline constexpr std::size_t kMaxInputBytes = 4u << 20;

// True when the library is built against libprotobuf-lite (REGIMEN_PROTOBUF_LITE=ON): only the
// binary format is available then, and JSON and text are UNIMPLEMENTED.
bool JsonAndTextAvailable();

// Where in a JSON or text input a parse failed: 1-based line and column (characters, tabs
// counting one), 0 when unknown (binary input, or a JSON error that names no place).
struct InputPosition {
  int line = 0;
  int column = 0;
};

// Replaces *message with `data` parsed in `format`. Unknown JSON fields are an error.
// Errors: INVALID_ARGUMENT (malformed input, with the position and the reason: "not a valid
// JSON regimen.v1.Profile: line 3, column 21: Expected an object key or }."),
// RESOURCE_EXHAUSTED (more than kMaxInputBytes), UNIMPLEMENTED (JSON or text in the
// protobuf-lite build). On error *message is left unchanged and, when `where` is given, it
// receives the position (else {0, 0}).
absl::Status ParseMessage(absl::string_view data, Format format,
                          google::protobuf::MessageLite* message, InputPosition* where = nullptr);

struct SerializeOptions {
  // JSON: print fields that hold their default value too.
  bool json_all_fields = false;
  // JSON: indent and break lines.
  bool json_pretty = false;
};

// `message` in `format`. Errors: INTERNAL when protobuf fails to serialize, UNIMPLEMENTED (JSON or
// text in the protobuf-lite build).
absl::StatusOr<std::string> SerializeMessage(const google::protobuf::MessageLite& message,
                                             Format format, SerializeOptions options = {});

}  // namespace regimen

#endif  // REGIMEN_FORMAT_H_
