// The FIT file format (Garmin's Flexible and Interoperable Data Transfer protocol 2.0) at its
// smallest: a 14-byte header, definition and data messages with normal record headers, and the
// CRCs, written from tables of message layouts (fit_messages.h) so that adding a message or a
// field is one line. Little-endian; strings are NUL-terminated UTF-8 of at most 254 bytes.
#ifndef REGIMEN_SRC_EXPORT_FIT_WRITER_H_
#define REGIMEN_SRC_EXPORT_FIT_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/types/span.h"

namespace regimen::fit {

// FIT base types (the byte a definition message carries for a field).
enum class BaseType : uint8_t {
  kEnum = 0x00,
  kUint8 = 0x02,
  kString = 0x07,
  kUint16 = 0x84,
  kUint32 = 0x86,
  kUint32z = 0x8C,
};

struct FieldDef {
  uint8_t number;
  BaseType type;
};

// A message layout: its global message number and the fields a data message of it carries, in
// order. Local message type = the index the writer gives it (at most 16 layouts per file).
struct MessageDef {
  uint16_t global;
  absl::Span<const FieldDef> fields;
};

// One field's value: a number, a string, or absent (written as the type's invalid value).
struct Value {
  Value() = default;
  Value(uint64_t n) : number(n) {}  // NOLINT: values are written in braced lists
  Value(std::string s) : text(std::move(s)), is_text(true) {}  // NOLINT
  static Value Absent() { return Value(); }
  std::optional<uint64_t> number;
  std::string text;
  bool is_text = false;
};

// Seconds since 1989-12-31T00:00:00Z (FIT's date_time) of a Unix time in ms.
inline constexpr int64_t kFitEpochUnixMs = 631065600000;
uint32_t FitTime(int64_t unix_ms);

// The FIT CRC-16 of `bytes`, continuing from `crc`.
uint16_t Crc(uint16_t crc, const char* bytes, size_t size);

class Writer {
 public:
  // Appends a data message of `def` (a definition message first when its layout, which includes
  // the sizes of its strings, differs from the last one written for it). `values` has one entry
  // per field of `def`.
  void Add(const MessageDef& def, absl::Span<const Value> values);

  // The whole file: header, messages, file CRC.
  std::string Finish() const;

 private:
  struct Local {
    const MessageDef* def;
    std::vector<uint8_t> sizes;
  };
  std::string records_;
  std::vector<Local> locals_;
};

}  // namespace regimen::fit

#endif  // REGIMEN_SRC_EXPORT_FIT_WRITER_H_
