// `regimen generate`, `regimen progress` and `regimen schedule`: routines for a profile, the
// next routine after some sessions, and a calendar of sessions and habit prompts. Each prints
// its result as protobuf JSON (the field names hosts rely on, CAPI.md).
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "regimen/catalog.h"
#include "regimen/format.h"
#include "regimen/generator.h"
#include "regimen/progression.h"
#include "regimen/schedule.h"
#include "tools/regimen/cli_util.h"
#include "tools/regimen/commands.h"

namespace regimen::cli {
namespace {

constexpr const char* kGenerateUsage = "generate --profile F [--catalog F]";
constexpr const char* kProgressUsage = "progress --request F [--catalog F]";
constexpr const char* kScheduleUsage =
    "schedule --profile F --from YYYY-MM-DD --days N [--catalog F]";

int PrintJson(const google::protobuf::Message& message) {
  SerializeOptions options;
  options.json_pretty = true;
  absl::StatusOr<std::string> json = SerializeMessage(message, Format::kJson, options);
  if (!json.ok()) return Fail(json.status());
  std::cout << *json;
  if (json->empty() || json->back() != '\n') std::cout << "\n";
  return 0;
}

}  // namespace

int RunGenerate(const std::vector<std::string>& raw) {
  absl::StatusOr<Args> args = Args::Parse(raw, {"--profile", "--catalog"}, {});
  if (!args.ok()) return UsageError(args.status().message(), kGenerateUsage);
  if (!args->positional().empty()) {
    return UsageError(absl::StrCat("unexpected argument ", args->positional()[0]), kGenerateUsage);
  }
  std::optional<std::string> profile_path = args->Get("--profile");
  if (!profile_path.has_value()) return UsageError("--profile is required", kGenerateUsage);
  absl::StatusOr<Catalog> catalog = LoadCatalog(args->Get("--catalog"));
  if (!catalog.ok()) return Fail(catalog.status());
  v1::Profile profile;
  if (absl::Status s = ReadMessage(*profile_path, &profile); !s.ok()) return Fail(s);
  absl::StatusOr<v1::Routine> routine = GenerateRoutine(*catalog, profile);
  if (!routine.ok()) return Fail(routine.status());
  return PrintJson(*routine);
}

int RunProgress(const std::vector<std::string>& raw) {
  absl::StatusOr<Args> args = Args::Parse(raw, {"--request", "--catalog"}, {});
  if (!args.ok()) return UsageError(args.status().message(), kProgressUsage);
  if (!args->positional().empty()) {
    return UsageError(absl::StrCat("unexpected argument ", args->positional()[0]), kProgressUsage);
  }
  std::optional<std::string> request_path = args->Get("--request");
  if (!request_path.has_value()) return UsageError("--request is required", kProgressUsage);
  absl::StatusOr<Catalog> catalog = LoadCatalog(args->Get("--catalog"));
  if (!catalog.ok()) return Fail(catalog.status());
  v1::ProgressRequest request;
  if (absl::Status s = ReadMessage(*request_path, &request); !s.ok()) return Fail(s);
  absl::StatusOr<v1::ProgressDecision> decision = Progress(*catalog, request);
  if (!decision.ok()) return Fail(decision.status());
  return PrintJson(*decision);
}

int RunSchedule(const std::vector<std::string>& raw) {
  absl::StatusOr<Args> args = Args::Parse(raw, {"--profile", "--from", "--days", "--catalog"}, {});
  if (!args.ok()) return UsageError(args.status().message(), kScheduleUsage);
  if (!args->positional().empty()) {
    return UsageError(absl::StrCat("unexpected argument ", args->positional()[0]), kScheduleUsage);
  }
  std::optional<std::string> profile_path = args->Get("--profile");
  std::optional<std::string> from = args->Get("--from");
  std::optional<std::string> days_text = args->Get("--days");
  if (!profile_path.has_value() || !from.has_value() || !days_text.has_value()) {
    return UsageError("--profile, --from and --days are required", kScheduleUsage);
  }
  uint32_t days = 0;
  if (!absl::SimpleAtoi(*days_text, &days)) {
    return UsageError(absl::StrCat("--days must be a number of days, got \"", *days_text, "\""),
                      kScheduleUsage);
  }
  absl::StatusOr<Catalog> catalog = LoadCatalog(args->Get("--catalog"));
  if (!catalog.ok()) return Fail(catalog.status());
  v1::ScheduleRequest request;
  if (absl::Status s = ReadMessage(*profile_path, request.mutable_profile()); !s.ok()) {
    return Fail(s);
  }
  request.set_start_date(*from);
  request.set_days(days);
  absl::StatusOr<v1::Schedule> schedule = MakeSchedule(*catalog, request);
  if (!schedule.ok()) return Fail(schedule.status());
  return PrintJson(*schedule);
}

}  // namespace regimen::cli
