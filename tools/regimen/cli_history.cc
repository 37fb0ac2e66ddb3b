// `regimen history` and `regimen next`: the sessions `play` recorded, and the routine for the
// next one, decided by progression over them (tools/regimen/history.h keeps both).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "regimen/catalog.h"
#include "regimen/format.h"
#include "regimen/progression.h"
#include "tools/regimen/cli_util.h"
#include "tools/regimen/commands.h"
#include "tools/regimen/history.h"

namespace regimen::cli {
namespace {

constexpr const char* kHistoryUsage = "history [--history FILE] [--json]";
constexpr const char* kNextUsage = "next --profile F [--history FILE] [--locale TAG] [--catalog F]";
constexpr const char* kHistoryFileText =
    "the history file (default $XDG_DATA_HOME/regimen/history.sqlite3, else\n"
    "~/.local/share/regimen/history.sqlite3)";

// Progression reads the most recent sessions; older ones change nothing it decides.
constexpr size_t kRecordsForProgression = 20;

struct Summary {
  double minutes = 0;
  int completion_percent = 0;
  int safety_stops = 0;
  int max_pain = 0;
};

Summary Summarize(const v1::SessionRecord& record) {
  Summary summary;
  summary.minutes = static_cast<double>(record.active_ms()) / 60000.0;
  uint64_t planned = 0;
  uint64_t done = 0;
  for (const v1::BlockRecord& block : record.blocks()) {
    for (const v1::SideRecord& side : block.sides()) {
      planned += side.reps_planned();
      done += std::min(side.reps_done(), side.reps_planned());
    }
  }
  summary.completion_percent = planned == 0 ? 0 : static_cast<int>(100 * done / planned);
  summary.safety_stops = record.safety_stops_size();
  for (const v1::ReportRecord& report : record.reports()) {
    if (report.kind() == v1::REPORT_PAIN)
      summary.max_pain = std::max(summary.max_pain, report.value());
  }
  for (const v1::SafetyStopRecord& stop : record.safety_stops()) {
    summary.max_pain = std::max(summary.max_pain, stop.pain());
  }
  return summary;
}

// The local date and time of a wall-clock instant, "2026-12-03 07:10".
std::string LocalTime(int64_t ms) {
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixMillis(ms), absl::LocalTimeZone());
}

absl::StatusOr<History> OpenHistory(const Args& args) {
  const std::optional<std::string> path = args.Get("--history");
  return History::Open(path.has_value() ? *path : History::DefaultPath());
}

}  // namespace

const CommandHelp kHistoryHelp = {
    "history",
    kHistoryUsage,
    "lists the sessions played (date, routine, minutes, completion, safety stops, max pain)",
    "The history is a SQLite file that regimen play appends to and regimen next reads.\n",
    {
        {"--history", "FILE", kHistoryFileText},
        {"--json", nullptr, "one SessionRecord (JSON) per line instead, oldest first"},
    },
    {{"--history FILE", nullptr,
      "a history that regimen made; a corrupt, foreign or newer file is refused\n"
      "and left untouched"}},
    "regimen history",
};

const CommandHelp kNextHelp = {
    "next",
    kNextUsage,
    "decides the routine for the next session from the history and prints it",
    "Runs progression over the last 20 sessions of the history, from the routine last played\n"
    "(or, with none yet, one generated for the profile); prints the ProgressDecision (JSON) and\n"
    "stores its routine as the next one, which regimen play next plays.\n",
    {
        {"--profile", "F", "the Profile (required)"},
        {"--history", "FILE", kHistoryFileText},
        {"--locale", "TAG",
         "the language of the notes and reasons (BCP 47: de, es-MX), instead of the\n"
         "profile's locale; an unknown one falls back with a note in the routine"},
        {"--catalog", "F", "the content pack to read instead of the built-in one"},
    },
    {{"--profile F", &v1::Profile::descriptor,
      "who exercises and how much time they give it, e.g. examples/cli/profile.json"}},
    "regimen next --profile examples/cli/profile.json",
};

int RunHistory(const std::vector<std::string>& raw) {
  absl::StatusOr<Args> args = Args::Parse(raw, kHistoryHelp);
  if (!args.ok()) return UsageError(args.status().message(), kHistoryUsage);
  if (!args->positional().empty()) {
    return UsageError(absl::StrCat("unexpected argument ", args->positional()[0]), kHistoryUsage);
  }
  absl::StatusOr<History> history = OpenHistory(*args);
  if (!history.ok()) return Fail(history.status());
  absl::StatusOr<std::vector<HistoryEntry>> entries = history->Entries();
  if (!entries.ok()) return Fail(entries.status());
  if (args->Has("--json")) {  // one SessionRecord per line, oldest first
    for (const HistoryEntry& entry : *entries) {
      absl::StatusOr<std::string> json = SerializeMessage(entry.record, Format::kJson);
      if (!json.ok()) return Fail(json.status());
      std::cout << *json << "\n";
    }
    return 0;
  }
  if (entries->empty()) {
    std::cout << "no sessions yet in " << history->path() << " (regimen play records them)\n";
    return 0;
  }
  std::cout << absl::StrFormat("%-16s  %-20s  %7s  %10s  %12s  %8s\n", "date", "routine", "minutes",
                               "completion", "safety stops", "max pain");
  for (const HistoryEntry& entry : *entries) {
    const Summary s = Summarize(entry.record);
    std::cout << absl::StrFormat("%-16s  %-20s  %7.1f  %9d%%  %12d  %8d\n",
                                 LocalTime(entry.played_at_ms), entry.record.routine_id(),
                                 s.minutes, s.completion_percent, s.safety_stops, s.max_pain);
  }
  return 0;
}

int RunNext(const std::vector<std::string>& raw) {
  absl::StatusOr<Args> args = Args::Parse(raw, kNextHelp);
  if (!args.ok()) return UsageError(args.status().message(), kNextUsage);
  if (!args->positional().empty()) {
    return UsageError(absl::StrCat("unexpected argument ", args->positional()[0]), kNextUsage);
  }
  const std::optional<std::string> profile_path = args->Get("--profile");
  if (!profile_path.has_value()) return UsageError("--profile is required", kNextUsage);
  absl::StatusOr<Catalog> catalog = LoadCatalog(args->Get("--catalog"));
  if (!catalog.ok()) return Fail(catalog.status());
  v1::ProgressRequest request;
  if (absl::Status s = ReadMessage(*profile_path, request.mutable_profile()); !s.ok()) {
    return Fail(s);
  }
  if (auto locale = args->Get("--locale"); locale.has_value()) {
    request.mutable_profile()->set_locale(*locale);
  }
  absl::StatusOr<History> history = OpenHistory(*args);
  if (!history.ok()) return Fail(history.status());
  absl::StatusOr<std::vector<HistoryEntry>> entries = history->Entries();
  if (!entries.ok()) return Fail(entries.status());
  // From the routine last played (none yet: progression generates one for the profile), over
  // the most recent records, oldest first.
  if (!entries->empty()) *request.mutable_routine() = entries->back().routine;
  const size_t first =
      entries->size() > kRecordsForProgression ? entries->size() - kRecordsForProgression : 0;
  for (size_t i = first; i < entries->size(); ++i) {
    *request.add_records() = (*entries)[i].record;
  }
  absl::StatusOr<v1::ProgressDecision> decision = Progress(*catalog, request);
  if (!decision.ok()) return Fail(decision.status());
  if (absl::Status s = history->SetNext(decision->routine(), UnixMs()); !s.ok()) return Fail(s);
  if (int rc = PrintJson(*decision); rc != 0) return rc;
  std::cerr << "regimen: stored as the next routine in " << history->path()
            << "; `regimen play next` plays it\n";
  return 0;
}

}  // namespace regimen::cli
