// protobuf's log handler, installed once, and the per-thread captures it fills.
#include "src/common/protobuf_log.h"

#include <mutex>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/stubs/logging.h"

namespace regimen::internal {
namespace {

// The innermost capture alive on this thread, or null.
thread_local std::string* current = nullptr;
google::protobuf::LogHandler* previous = nullptr;

void Handle(google::protobuf::LogLevel level, const char* filename, int line,
            const std::string& message) {
  if (current != nullptr) {
    absl::StrAppend(current, current->empty() ? "" : "; ", message);
    return;
  }
  if (previous != nullptr) previous(level, filename, line, message);
}

void Install() {
  static std::once_flag once;
  std::call_once(once, [] { previous = google::protobuf::SetLogHandler(&Handle); });
}

}  // namespace

ProtobufLogCapture::ProtobufLogCapture() : outer_(current) {
  Install();
  current = &text_;
}

ProtobufLogCapture::~ProtobufLogCapture() { current = outer_; }

std::string ProtobufLogCapture::Explain(absl::string_view message) const {
  if (text_.empty()) return std::string(message);
  return absl::StrCat(message, " (protobuf: ", text_, ")");
}

}  // namespace regimen::internal
