// Keeps protobuf's own log lines (e.g. "String field 'regimen.v1.Profile.time_zone' contains
// invalid UTF-8 data when parsing a protocol buffer") out of the host's stderr: while a capture
// is alive on a thread, what protobuf logs there is kept for the status message instead. Lines
// logged outside a capture (the host's own use of protobuf) go where they went before.
#ifndef REGIMEN_SRC_COMMON_PROTOBUF_LOG_H_
#define REGIMEN_SRC_COMMON_PROTOBUF_LOG_H_

#include <string>

#include "absl/strings/string_view.h"

namespace regimen::internal {

class ProtobufLogCapture {
 public:
  ProtobufLogCapture();
  ~ProtobufLogCapture();
  ProtobufLogCapture(const ProtobufLogCapture&) = delete;
  ProtobufLogCapture& operator=(const ProtobufLogCapture&) = delete;

  // What protobuf logged on this thread since the capture began ("" when nothing).
  const std::string& text() const { return text_; }
  // `message`, followed by " (protobuf: <text>)" when protobuf said something.
  std::string Explain(absl::string_view message) const;

 private:
  std::string text_;
  std::string* outer_;
};

}  // namespace regimen::internal

#endif  // REGIMEN_SRC_COMMON_PROTOBUF_LOG_H_
