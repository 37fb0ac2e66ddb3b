// `regimen simulate`: runs a routine on a virtual clock and prints one JSON object per event.
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "regimen/format.h"
#include "regimen/session.h"
#include "tools/regimen/cli_util.h"
#include "tools/regimen/commands.h"

namespace regimen::cli {
namespace {

constexpr const char* kUsage =
    "simulate ROUTINE_ID|FILE [--catalog F] [--script F] [--options F] [--attest NAME]... "
    "[--record]";

// A routine id of the catalog, or a file holding a Routine (any format).
absl::StatusOr<v1::Routine> LoadRoutine(const Catalog& catalog, const std::string& arg) {
  if (const v1::Routine* routine = catalog.FindRoutine(arg); routine != nullptr) return *routine;
  if (absl::StrContains(arg, '/') || absl::StrContains(arg, '.')) {
    v1::Routine routine;
    if (absl::Status s = ReadMessage(arg, &routine); !s.ok()) return s;
    return routine;
  }
  return absl::NotFoundError(absl::StrCat("no routine \"", arg, "\" in catalog ",
                                          catalog.proto().id(), " and no such file"));
}

}  // namespace

int RunSimulate(const std::vector<std::string>& argv) {
  absl::StatusOr<Args> args =
      Args::Parse(argv, {"--catalog", "--script", "--options", "--attest"}, {"--record"});
  if (!args.ok()) return UsageError(args.status().message(), kUsage);
  if (args->positional().size() != 1) return UsageError("expected one routine", kUsage);
  absl::StatusOr<Catalog> catalog = LoadCatalog(args->Get("--catalog"));
  if (!catalog.ok()) return Fail(catalog.status());
  absl::StatusOr<v1::Routine> routine = LoadRoutine(*catalog, args->positional()[0]);
  if (!routine.ok()) return Fail(routine.status());
  v1::SessionOptions options;
  if (auto path = args->Get("--options"); path.has_value()) {
    if (absl::Status s = ReadMessage(*path, &options); !s.ok()) return Fail(s);
  }
  for (std::string& attestation : args->GetAll("--attest")) {
    options.add_attestations(std::move(attestation));
  }
  v1::SessionScript script;
  if (auto path = args->Get("--script"); path.has_value()) {
    if (absl::Status s = ReadMessage(*path, &script); !s.ok()) return Fail(s);
  }
  absl::StatusOr<std::unique_ptr<Session>> session = Session::Create(*catalog, *routine, options);
  if (!session.ok()) return FailSession(session.status());
  SerializeOptions json;
  json.json_all_fields = true;
  std::string out;
  absl::Status failed;
  absl::Status status = RunScript(**session, script, [&](const Event& event) {
    absl::StatusOr<std::string> line = SerializeMessage(EventToProto(event), Format::kJson, json);
    if (!line.ok()) {
      if (failed.ok()) failed = line.status();
      return;
    }
    absl::StrAppend(&out, *line, "\n");
  });
  std::cout << out;
  if (!status.ok()) return Fail(status);
  if (!failed.ok()) return Fail(failed);
  if (args->Has("--record")) {
    absl::StatusOr<std::string> line = SerializeMessage((*session)->Record(), Format::kJson, json);
    if (!line.ok()) return Fail(line.status());
    std::cout << *line << "\n";
  }
  std::cout.flush();
  if (!(*session)->Finished()) {
    std::cerr << "regimen: the session did not finish (paused, or waiting for REP_DONE)\n";
  }
  return 0;
}

}  // namespace regimen::cli
