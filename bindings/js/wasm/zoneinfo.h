// The zoneinfo files the WebAssembly module carries (generated from zones.txt by
// cmake/RegimenEmbedZones.cmake), sorted by name.
#ifndef REGIMEN_BINDINGS_JS_WASM_ZONEINFO_H_
#define REGIMEN_BINDINGS_JS_WASM_ZONEINFO_H_

#include <cstddef>

namespace regimen::wasm {

struct EmbeddedZone {
  const char* name;
  const unsigned char* data;
  std::size_t size;
};

extern const EmbeddedZone kEmbeddedZones[];
extern const std::size_t kEmbeddedZoneCount;

}  // namespace regimen::wasm

#endif  // REGIMEN_BINDINGS_JS_WASM_ZONEINFO_H_
