// The FIT writer (fit_writer.h).
#include "src/export/fit_writer.h"

#include <algorithm>

namespace regimen::fit {
namespace {

constexpr uint8_t kProtocolVersion = 0x20;  // 2.0
constexpr uint16_t kProfileVersion = 2132;  // 21.32: every message and field written here
constexpr size_t kMaxString = 255;          // bytes with the NUL (a field's size is one byte)

size_t SizeOf(BaseType type) {
  switch (type) {
    case BaseType::kEnum:
    case BaseType::kUint8:
      return 1;
    case BaseType::kUint16:
      return 2;
    case BaseType::kUint32:
    case BaseType::kUint32z:
      return 4;
    case BaseType::kString:
      return 0;  // per value
  }
  return 0;
}

uint64_t InvalidOf(BaseType type) {
  switch (type) {
    case BaseType::kEnum:
    case BaseType::kUint8:
      return 0xFF;
    case BaseType::kUint16:
      return 0xFFFF;
    case BaseType::kUint32:
      return 0xFFFFFFFF;
    case BaseType::kUint32z:
    case BaseType::kString:
      return 0;
  }
  return 0;
}

void PutLittle(std::string* out, uint64_t value, size_t size) {
  for (size_t i = 0; i < size; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

// A string cut to what fits a field, at a UTF-8 character boundary.
std::string Clip(const std::string& text) {
  if (text.size() < kMaxString) return text;
  size_t end = kMaxString - 1;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace

uint32_t FitTime(int64_t unix_ms) {
  return static_cast<uint32_t>((unix_ms - kFitEpochUnixMs) / 1000);
}

uint16_t Crc(uint16_t crc, const char* bytes, size_t size) {
  static constexpr uint16_t kTable[16] = {0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00,
                                          0x2800, 0xE401, 0xA001, 0x6C00, 0x7800, 0xB401,
                                          0x5000, 0x9C01, 0x8801, 0x4400};
  for (size_t i = 0; i < size; ++i) {
    const uint8_t byte = static_cast<uint8_t>(bytes[i]);
    uint16_t tmp = kTable[crc & 0xF];
    crc = (crc >> 4) & 0x0FFF;
    crc = crc ^ tmp ^ kTable[byte & 0xF];
    tmp = kTable[crc & 0xF];
    crc = (crc >> 4) & 0x0FFF;
    crc = crc ^ tmp ^ kTable[(byte >> 4) & 0xF];
  }
  return crc;
}

void Writer::Add(const MessageDef& def, absl::Span<const Value> values) {
  std::vector<std::string> texts(def.fields.size());
  std::vector<uint8_t> sizes(def.fields.size());
  for (size_t i = 0; i < def.fields.size(); ++i) {
    if (def.fields[i].type == BaseType::kString) {
      texts[i] = i < values.size() ? Clip(values[i].text) : std::string();
      sizes[i] = static_cast<uint8_t>(texts[i].size() + 1);
    } else {
      sizes[i] = static_cast<uint8_t>(SizeOf(def.fields[i].type));
    }
  }
  auto local =
      std::find_if(locals_.begin(), locals_.end(), [&](const Local& l) { return l.def == &def; });
  if (local == locals_.end()) {
    locals_.push_back({&def, {}});
    local = locals_.end() - 1;
  }
  const uint8_t type = static_cast<uint8_t>(local - locals_.begin()) & 0x0F;
  if (local->sizes != sizes) {
    local->sizes = sizes;
    records_.push_back(static_cast<char>(0x40 | type));  // definition message
    records_.push_back(0);                               // reserved
    records_.push_back(0);                               // little-endian
    PutLittle(&records_, def.global, 2);
    records_.push_back(static_cast<char>(def.fields.size()));
    for (size_t i = 0; i < def.fields.size(); ++i) {
      records_.push_back(static_cast<char>(def.fields[i].number));
      records_.push_back(static_cast<char>(sizes[i]));
      records_.push_back(static_cast<char>(def.fields[i].type));
    }
  }
  records_.push_back(static_cast<char>(type));  // data message
  for (size_t i = 0; i < def.fields.size(); ++i) {
    const BaseType base = def.fields[i].type;
    if (base == BaseType::kString) {
      records_.append(texts[i]);
      records_.push_back('\0');
      continue;
    }
    const Value* value = i < values.size() ? &values[i] : nullptr;
    const uint64_t n =
        value != nullptr && value->number.has_value() ? *value->number : InvalidOf(base);
    PutLittle(&records_, n, sizes[i]);
  }
}

std::string Writer::Finish() const {
  std::string out;
  out.reserve(14 + records_.size() + 2);
  out.push_back(14);
  out.push_back(static_cast<char>(kProtocolVersion));
  PutLittle(&out, kProfileVersion, 2);
  PutLittle(&out, records_.size(), 4);
  out.append(".FIT");
  PutLittle(&out, Crc(0, out.data(), out.size()), 2);
  out.append(records_);
  PutLittle(&out, Crc(0, out.data(), out.size()), 2);
  return out;
}

}  // namespace regimen::fit
