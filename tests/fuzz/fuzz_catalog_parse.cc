// Fuzzes catalog parsing and validation: the first byte picks the format (binary, JSON, text),
// the rest is the catalog. Whatever the bytes, parsing returns OK, INVALID_ARGUMENT or
// RESOURCE_EXHAUSTED with a message; the C API agrees with the C++ API; an accepted catalog
// round-trips through the binary format and its routines estimate and run as sessions.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "fuzz_check.h"
#include "regimen/catalog.h"
#include "regimen/format.h"
#include "regimen/regimen.h"
#include "regimen/routine.h"
#include "regimen/session.h"

namespace {

// Runs `routine` to its end on a virtual clock (at most 2000 steps), checking that
// event times never decrease.
void RunRoutine(const regimen::Catalog& catalog, const regimen::v1::Routine& routine) {
  // Estimating must not crash whatever the routine (it may refuse it).
  (void)regimen::EstimateRoutineMs(routine, catalog);
  auto session = regimen::Session::Create(catalog, routine);
  if (!session.ok()) {
    FUZZ_CHECK(!session.status().message().empty(), "error without a message");
    return;
  }
  regimen::Session& s = **session;
  FUZZ_CHECK(s.Start(0).ok(), "Start of a new session failed");
  int64_t last_at = 0;
  regimen::Event event;
  for (int step = 0; step < 2000; ++step) {
    while (s.Poll(&event)) {
      FUZZ_CHECK(event.at_ms >= last_at, "event at %lld after %lld",
                 static_cast<long long>(event.at_ms), static_cast<long long>(last_at));
      last_at = event.at_ms;
    }
    if (s.Finished()) break;
    int64_t deadline = s.NextDeadline();
    // Open-ended phases wait for the user: tap.
    absl::Status status =
        deadline < 0 ? s.Signal(regimen::v1::SIGNAL_REP_DONE, last_at) : s.Tick(deadline);
    FUZZ_CHECK(status.ok(), "input failed: %s", status.ToString().c_str());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int format_byte = data[0] % 3;
  const auto format = static_cast<regimen::Format>(format_byte);
  const absl::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);

  absl::StatusOr<regimen::Catalog> catalog = regimen::Catalog::Parse(body, format);

  // The C API gives the same answer.
  rgm_catalog* c_catalog = nullptr;
  const rgm_status c_status =
      rgm_catalog_parse(body.data(), body.size(), static_cast<rgm_format>(format_byte), &c_catalog);
  FUZZ_CHECK(static_cast<int>(c_status) == static_cast<int>(catalog.status().code()),
             "C API %d, C++ %s", static_cast<int>(c_status), catalog.status().ToString().c_str());
  FUZZ_CHECK((c_catalog != nullptr) == catalog.ok(), "C handle and status disagree");
  rgm_catalog_free(c_catalog);

  if (!catalog.ok()) {
    const absl::StatusCode code = catalog.status().code();
    FUZZ_CHECK(
        code == absl::StatusCode::kInvalidArgument || code == absl::StatusCode::kResourceExhausted,
        "unexpected code: %s", catalog.status().ToString().c_str());
    FUZZ_CHECK(!catalog.status().message().empty(), "error without a message");
    return 0;
  }

  // An accepted catalog is valid, and stays so through the binary format.
  FUZZ_CHECK(regimen::ValidateCatalog(catalog->proto()).empty(), "accepted but invalid");
  std::string binary;
  FUZZ_CHECK(catalog->proto().SerializeToString(&binary), "cannot serialize");
  absl::StatusOr<regimen::Catalog> again =
      regimen::Catalog::Parse(binary, regimen::Format::kBinary);
  FUZZ_CHECK(again.ok(), "binary round trip refused: %s", again.status().ToString().c_str());

  // Its routines run (a handful: a hostile pack may hold many).
  int routines = 0;
  for (const regimen::v1::Routine& routine : catalog->proto().routines()) {
    if (++routines > 4) break;
    RunRoutine(*catalog, routine);
  }
  return 0;
}
