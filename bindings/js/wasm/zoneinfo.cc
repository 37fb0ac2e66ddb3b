// Serves the embedded zoneinfo files (zoneinfo.h) to Abseil's time zone loader through cctz's
// extension point, so absl::LoadTimeZone works in a browser, which has no /usr/share/zoneinfo.
// A zone not embedded is unknown: the module has no file system, so Abseil's own loader (files
// under $TZDIR) is not asked ("UTC" and fixed offsets need no file).
#include "bindings/js/wasm/zoneinfo.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <memory>
#include <string>

#include "absl/time/internal/cctz/include/cctz/zone_info_source.h"

namespace regimen::wasm {
namespace {

namespace cctz = absl::time_internal::cctz;

class EmbeddedSource : public cctz::ZoneInfoSource {
 public:
  explicit EmbeddedSource(const EmbeddedZone& zone) : zone_(zone) {}

  std::size_t Read(void* ptr, std::size_t size) override {
    size = std::min(size, zone_.size - offset_);
    std::memcpy(ptr, zone_.data + offset_, size);
    offset_ += size;
    return size;
  }

  int Skip(std::size_t offset) override {
    if (offset > zone_.size - offset_) return -1;
    offset_ += offset;
    return 0;
  }

 private:
  const EmbeddedZone& zone_;
  std::size_t offset_ = 0;
};

std::unique_ptr<cctz::ZoneInfoSource> EmbeddedFactory(
    const std::string& name,
    const std::function<std::unique_ptr<cctz::ZoneInfoSource>(const std::string&)>&) {
  const EmbeddedZone* end = kEmbeddedZones + kEmbeddedZoneCount;
  const EmbeddedZone* zone =
      std::lower_bound(kEmbeddedZones, end, name, [](const EmbeddedZone& z, const std::string& n) {
        return std::strcmp(z.name, n.c_str()) < 0;
      });
  if (zone != end && name == zone->name) return std::make_unique<EmbeddedSource>(*zone);
  return nullptr;
}

}  // namespace
}  // namespace regimen::wasm

namespace absl {
ABSL_NAMESPACE_BEGIN
namespace time_internal {
namespace cctz_extension {
ZoneInfoSourceFactory zone_info_source_factory = regimen::wasm::EmbeddedFactory;
}  // namespace cctz_extension
}  // namespace time_internal
ABSL_NAMESPACE_END
}  // namespace absl
