// regimen export: a routine as a FIT workout, a session record as a FIT activity.
#include <cstdint>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "regimen/fit.h"
#include "tools/regimen/cli_util.h"
#include "tools/regimen/commands.h"

namespace regimen::cli {

const CommandHelp kExportHelp = {
    "export",
    "export --fit ROUTINE|FILE -o FILE.fit [--attest NAME]... [--locale TAG] [--catalog F] | "
    "export --fit-activity RECORD -o FILE.fit [--start TIME] [--catalog F]",
    "writes a routine as a FIT workout (for a watch) or a session record as a FIT activity",
    "FIT is Garmin's file format, read by Garmin Connect, most sports watches and many training\n"
    "logs. A workout has one step per exercise and side (reps, or time for a single timed rep\n"
    "such as the primer), Garmin's exercise category and name, the exercise's setup cues as\n"
    "notes, repeats for sets and rest steps; a gated exercise needs its attestations, as for a\n"
    "session. An activity has a lap and a set per block reached, rest sets between, and the\n"
    "session's elapsed and active time. A record's times must be the wall clock (Unix ms, as\n"
    "regimen play records them); --start places a simulated record (which starts at 0) in time.\n",
    {
        {"--fit", "ROUTINE", "the routine to write as a workout: an id of the catalog, or a file"},
        {"--fit-activity", "RECORD", "the SessionRecord file to write as an activity"},
        {"-o", "FILE", "the FIT file to write (required)"},
        {"--start", "TIME",
         "RFC 3339 (2026-12-03T08:00:00Z): move the record's times so that it starts then"},
        {"--attest", "NAME", "an attestation the user gives (repeatable), for a gated exercise"},
        {"--locale", "TAG", "--fit: the language of the step names (BCP 47: de, es, ...)"},
        {"--catalog", "F", "the content pack to read instead of the built-in one"},
    },
    {
        RoutineInput(),
        {"--fit-activity RECORD", &v1::SessionRecord::descriptor,
         "what regimen simulate --record prints last, or a record of regimen history"},
    },
    "regimen export --fit back_basics -o /tmp/back_basics.fit",
};

namespace {

// The record moved in time so that it starts at `start_ms` (block times that are 0, i.e. not
// reached, stay 0).
void MoveRecord(int64_t start_ms, v1::SessionRecord* record) {
  const int64_t delta = start_ms - record->started_at_ms();
  record->set_started_at_ms(record->started_at_ms() + delta);
  record->set_ended_at_ms(record->ended_at_ms() + delta);
  for (v1::BlockRecord& block : *record->mutable_blocks()) {
    if (block.started_at_ms() != 0) block.set_started_at_ms(block.started_at_ms() + delta);
    if (block.ended_at_ms() != 0) block.set_ended_at_ms(block.ended_at_ms() + delta);
  }
}

int WriteFit(const std::string& path, const std::string& bytes, const std::string& what) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Fail(absl::UnavailableError(absl::StrCat("cannot write ", path)));
  std::cout << "wrote " << path << ": " << what << ", " << bytes.size() << " bytes\n";
  return 0;
}

}  // namespace

int RunExport(const std::vector<std::string>& raw) {
  const char* usage = kExportHelp.synopsis;
  absl::StatusOr<Args> args = Args::Parse(raw, kExportHelp);
  if (!args.ok()) return UsageError(args.status().message(), usage);
  if (!args->positional().empty()) {
    return UsageError(absl::StrCat("unexpected argument ", args->positional()[0]), usage);
  }
  const std::optional<std::string> routine_arg = args->Get("--fit");
  const std::optional<std::string> record_arg = args->Get("--fit-activity");
  const std::optional<std::string> output = args->Get("-o");
  if (routine_arg.has_value() == record_arg.has_value()) {
    return UsageError("give one of --fit ROUTINE and --fit-activity RECORD", usage);
  }
  if (!output.has_value()) return UsageError("-o FILE.fit is required", usage);
  if (routine_arg.has_value() && args->Has("--start")) {
    return UsageError("--start applies to --fit-activity only", usage);
  }
  absl::StatusOr<Catalog> catalog = LoadCatalog(args->Get("--catalog"));
  if (!catalog.ok()) return Fail(catalog.status());

  if (routine_arg.has_value()) {
    absl::StatusOr<v1::Routine> routine = LoadRoutine(*catalog, *routine_arg);
    if (!routine.ok()) return Fail(routine.status());
    v1::SessionOptions options;
    for (std::string& attestation : args->GetAll("--attest")) {
      options.add_attestations(std::move(attestation));
    }
    // The workout's step names in the user's language.
    if (auto locale = args->Get("--locale"); locale.has_value()) options.set_locale(*locale);
    absl::StatusOr<std::string> fit = ExportFitWorkout(*catalog, *routine, options);
    if (!fit.ok()) return FailSession(fit.status());
    return WriteFit(*output, *fit, absl::StrCat("FIT workout \"", routine->name(), "\""));
  }

  v1::SessionRecord record;
  if (absl::Status s = ReadMessage(*record_arg, &record); !s.ok()) return Fail(s);
  if (std::optional<std::string> start = args->Get("--start"); start.has_value()) {
    absl::Time time;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, *start, &time, &error)) {
      return UsageError(absl::StrCat("--start must be an RFC 3339 time such as "
                                     "2026-12-03T08:00:00Z, got \"",
                                     *start, "\" (", error, ")"),
                        usage);
    }
    MoveRecord(absl::ToUnixMillis(time), &record);
  }
  absl::StatusOr<std::string> fit = ExportFitActivity(*catalog, record);
  if (!fit.ok()) return Fail(fit.status());
  return WriteFit(
      *output, *fit,
      absl::StrCat("FIT activity of ", record.routine_id(), ", ", record.blocks_size(), " blocks"));
}

}  // namespace regimen::cli
