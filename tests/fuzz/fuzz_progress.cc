// Fuzzes progression with hostile JSON: the input is a regimen.v1.ProgressRequest in the
// protobuf JSON mapping, given to rgm_progress and to the C++ Progress. Checks: both give the
// same code; errors are INVALID_ARGUMENT, RESOURCE_EXHAUSTED or OUT_OF_RANGE with a message;
// an accepted request gives a decision whose routine the catalog accepts (every prescription
// inside its safe ranges, a runnable session) and is the same through both APIs.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "fuzz_check.h"
#include "google/protobuf/util/message_differencer.h"
#include "regimen/catalog.h"
#include "regimen/format.h"
#include "regimen/progression.h"
#include "regimen/regimen.h"
#include "regimen/routine.h"
#include "regimen/session.h"

namespace {

const rgm_catalog* DefaultCatalog() {
  static rgm_catalog* const catalog = [] {
    rgm_catalog* c = nullptr;
    FUZZ_CHECK(rgm_catalog_default(&c) == RGM_OK, "rgm_catalog_default");
    return c;
  }();
  return catalog;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view json(reinterpret_cast<const char*>(data), size);
  const regimen::Catalog& catalog = regimen::Catalog::Default();

  rgm_buffer out = {nullptr, 0};
  const rgm_status c_status =
      rgm_progress(DefaultCatalog(), json.data(), json.size(), RGM_FORMAT_JSON, &out);

  regimen::v1::ProgressRequest request;
  absl::Status status = regimen::ParseMessage(json, regimen::Format::kJson, &request);
  absl::StatusOr<regimen::v1::ProgressDecision> decision;
  if (status.ok()) {
    decision = regimen::Progress(catalog, request);
    status = decision.status();
  }
  FUZZ_CHECK(static_cast<int>(c_status) == static_cast<int>(status.code()), "C %d, C++ %s",
             static_cast<int>(c_status), status.ToString().c_str());

  if (!status.ok()) {
    FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument ||
                   status.code() == absl::StatusCode::kResourceExhausted ||
                   status.code() == absl::StatusCode::kOutOfRange,
               "unexpected code: %s", status.ToString().c_str());
    FUZZ_CHECK(!status.message().empty(), "error without a message");
    FUZZ_CHECK(out.data == nullptr, "a failed call wrote its output");
    return 0;
  }

  // The C API's answer is the C++ one.
  regimen::v1::ProgressDecision from_c;
  FUZZ_CHECK(
      regimen::ParseMessage(absl::string_view(out.data, out.size), regimen::Format::kJson, &from_c)
          .ok(),
      "rgm_progress wrote unreadable JSON");
  rgm_buffer_free(&out);
  FUZZ_CHECK(google::protobuf::util::MessageDifferencer::Equals(from_c, *decision),
             "C and C++ decisions differ");

  // The next routine is one the engine accepts and can run.
  const auto errors = regimen::ValidateRoutine(decision->routine(), catalog);
  FUZZ_CHECK(errors.empty(), "decided an invalid routine: %s", errors[0].ToString().c_str());
  // With the profile's attestations, as a host gives them: a gated exercise needs them.
  regimen::v1::SessionOptions options;
  *options.mutable_attestations() = request.profile().attestations();
  auto session = regimen::Session::Create(catalog, decision->routine(), options);
  FUZZ_CHECK(session.ok(), "decided routine does not run: %s", session.status().ToString().c_str());
  for (const regimen::v1::Change& change : decision->changes()) {
    FUZZ_CHECK(!change.reason().empty(), "a change without a reason");
  }
  return 0;
}
