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

constexpr const char* kCatalogText = "the content pack to read instead of the built-in one";
constexpr const char* kProfileText =
    "who exercises and how much time they give it, e.g. examples/cli/profile.json";
constexpr const char* kLocaleText =
    "the language of the notes and reasons (BCP 47: de, es-MX), instead of the\n"
    "profile's locale; an unknown one falls back with a note in the routine";

}  // namespace

const CommandHelp kGenerateHelp = {
    "generate",
    "generate --profile F [--locale TAG] [--catalog F]",
    "makes a routine for a profile and prints it (a Routine, JSON)",
    "The routine fits the weekly minutes over the weekly sessions, leaves out what the\n"
    "profile's conditions rule out and gated exercises not attested (its notes say why), and\n"
    "is the same for the same profile and seed. regimen play and simulate take the file.\n",
    {{"--profile", "F", "the Profile (required)"},
     {"--locale", "TAG", kLocaleText},
     {"--catalog", "F", kCatalogText}},
    {{"--profile F", &v1::Profile::descriptor, kProfileText}},
    "regimen generate --profile examples/cli/profile.json --locale de",
};

const CommandHelp kProgressHelp = {
    "progress",
    "progress --request F [--locale TAG] [--catalog F]",
    "decides the next routine after some sessions (a ProgressDecision, JSON)",
    "Runs the catalog's progression rules over the request's records: per exercise advance,\n"
    "hold, regress, unlock, lock or bias a side, each change with its reason. The records are\n"
    "what regimen simulate --record prints, oldest first; without a routine, one is generated\n"
    "for the profile. regimen play and simulate take the decision file (its routine).\n",
    {{"--request", "F", "the ProgressRequest (required)"},
     {"--locale", "TAG", kLocaleText},
     {"--catalog", "F", kCatalogText}},
    {{"--request F", &v1::ProgressRequest::descriptor,
      "the routine done so far, the profile and the session records, e.g.\n"
      "examples/cli/request.json"}},
    "regimen progress --request examples/cli/request.json",
};

const CommandHelp kScheduleHelp = {
    "schedule",
    "schedule --profile F --from YYYY-MM-DD --days N [--catalog F]",
    "plans session days and habit prompts for a profile (a Schedule, JSON)",
    "Sessions fall on the profile's weekdays (sessionsPerWeek of them), prompts between its\n"
    "wakeTime and sleepTime, every time in RFC 3339 with the offset of its timeZone.\n",
    {
        {"--profile", "F", "the Profile (required)"},
        {"--from", "YYYY-MM-DD", "the first day, in the profile's time zone (required)"},
        {"--days", "N", "how many days, 1..366 (required)"},
        {"--catalog", "F", kCatalogText},
    },
    {{"--profile F", &v1::Profile::descriptor, kProfileText}},
    "regimen schedule --profile examples/cli/profile.json --from 2026-10-19 --days 14",
};

int RunGenerate(const std::vector<std::string>& raw) {
  const char* usage = kGenerateHelp.synopsis;
  absl::StatusOr<Args> args = Args::Parse(raw, kGenerateHelp);
  if (!args.ok()) return UsageError(args.status().message(), usage);
  if (!args->positional().empty()) {
    return UsageError(absl::StrCat("unexpected argument ", args->positional()[0]), usage);
  }
  std::optional<std::string> profile_path = args->Get("--profile");
  if (!profile_path.has_value()) return UsageError("--profile is required", usage);
  absl::StatusOr<Catalog> catalog = LoadCatalog(args->Get("--catalog"));
  if (!catalog.ok()) return Fail(catalog.status());
  v1::Profile profile;
  if (absl::Status s = ReadMessage(*profile_path, &profile); !s.ok()) return Fail(s);
  if (auto locale = args->Get("--locale"); locale.has_value()) profile.set_locale(*locale);
  absl::StatusOr<v1::Routine> routine = GenerateRoutine(*catalog, profile);
  if (!routine.ok()) return Fail(routine.status());
  return PrintJson(*routine);
}

int RunProgress(const std::vector<std::string>& raw) {
  const char* usage = kProgressHelp.synopsis;
  absl::StatusOr<Args> args = Args::Parse(raw, kProgressHelp);
  if (!args.ok()) return UsageError(args.status().message(), usage);
  if (!args->positional().empty()) {
    return UsageError(absl::StrCat("unexpected argument ", args->positional()[0]), usage);
  }
  std::optional<std::string> request_path = args->Get("--request");
  if (!request_path.has_value()) return UsageError("--request is required", usage);
  absl::StatusOr<Catalog> catalog = LoadCatalog(args->Get("--catalog"));
  if (!catalog.ok()) return Fail(catalog.status());
  v1::ProgressRequest request;
  if (absl::Status s = ReadMessage(*request_path, &request); !s.ok()) return Fail(s);
  if (auto locale = args->Get("--locale"); locale.has_value()) {
    request.mutable_profile()->set_locale(*locale);
  }
  absl::StatusOr<v1::ProgressDecision> decision = Progress(*catalog, request);
  if (!decision.ok()) return Fail(decision.status());
  return PrintJson(*decision);
}

int RunSchedule(const std::vector<std::string>& raw) {
  const char* usage = kScheduleHelp.synopsis;
  absl::StatusOr<Args> args = Args::Parse(raw, kScheduleHelp);
  if (!args.ok()) return UsageError(args.status().message(), usage);
  if (!args->positional().empty()) {
    return UsageError(absl::StrCat("unexpected argument ", args->positional()[0]), usage);
  }
  std::optional<std::string> profile_path = args->Get("--profile");
  std::optional<std::string> from = args->Get("--from");
  std::optional<std::string> days_text = args->Get("--days");
  if (!profile_path.has_value() || !from.has_value() || !days_text.has_value()) {
    return UsageError("--profile, --from and --days are required", usage);
  }
  uint32_t days = 0;
  if (!absl::SimpleAtoi(*days_text, &days)) {
    return UsageError(absl::StrCat("--days must be a number of days, got \"", *days_text, "\""),
                      usage);
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
