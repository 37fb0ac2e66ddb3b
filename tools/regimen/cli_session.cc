// `regimen simulate`: runs a routine on a virtual clock and prints one JSON object per event.
// The whole run happens before any output: a bad input prints nothing on stdout.
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "regimen/format.h"
#include "regimen/session.h"
#include "tools/regimen/cli_util.h"
#include "tools/regimen/commands.h"

namespace regimen::cli {

const CommandHelp kSimulateHelp = {
    "simulate",
    "simulate ROUTINE [--catalog F] [--script F] [--options F] [--attest NAME]... [--locale TAG] "
    "[--record]",
    "runs a routine on a virtual clock and prints one JSON event per line",
    "Starts the session at the script's startMs (default 0), feeds the script's inputs at their\n"
    "times, ticking from deadline to deadline between them, and runs to the end. The whole run\n"
    "is checked before anything is printed: a bad input, or a script that leaves the session\n"
    "paused (a pause with no later resume), prints nothing on stdout and exits 1.\n",
    {
        {"--catalog", "F", "the content pack to read instead of the built-in one"},
        {"--script", "F", "timed inputs (signals, reports) to feed the session"},
        {"--options", "F", "session options (breath period, count-in, pain threshold, ...)"},
        {"--attest", "NAME",
         "an attestation the user gives (repeatable); a routine with a gated\n"
         "exercise runs only with every attestation its gate names"},
        {"--locale", "TAG",
         "the language of the words (BCP 47: de, de-AT, es, pt-BR); falls back\n"
         "de-AT → de → the pack's language, with a note on stderr and in the record"},
        {"--record", nullptr, "print the session record (JSON) after the events"},
    },
    {
        RoutineInput(),
        {"--script F", &v1::SessionScript::descriptor,
         "the inputs in time order, e.g. examples/cli/script.textproto"},
        {"--options F", &v1::SessionOptions::descriptor,
         "unset fields take their defaults, e.g. examples/cli/options.json"},
    },
    "regimen simulate examples/cli/routine.json --script examples/cli/script.textproto "
    "--options examples/cli/options.json --record",
};

namespace {

// What a script run produced: the event lines, and whether the session was left paused.
struct Trace {
  std::string lines;
  bool paused = false;
  int64_t paused_at_ms = 0;
};

absl::StatusOr<Trace> RunToBuffer(Session& session, const v1::SessionScript& script) {
  SerializeOptions json;
  json.json_all_fields = true;
  Trace trace;
  absl::Status failed;
  absl::Status status = RunScript(session, script, [&](const Event& event) {
    if (event.type == v1::SessionEvent::PAUSED) {
      trace.paused = true;
      trace.paused_at_ms = event.at_ms;
    }
    if (event.type == v1::SessionEvent::RESUMED) trace.paused = false;
    absl::StatusOr<std::string> line = SerializeMessage(EventToProto(event), Format::kJson, json);
    if (!line.ok()) {
      if (failed.ok()) failed = line.status();
      return;
    }
    absl::StrAppend(&trace.lines, *line, "\n");
  });
  if (!status.ok()) return status;
  if (!failed.ok()) return failed;
  if (trace.paused && !session.Finished()) {
    int last_pause = -1;
    for (int i = 0; i < script.inputs_size(); ++i) {
      if (script.inputs(i).signal() == v1::SIGNAL_PAUSE) last_pause = i;
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "inputs[", last_pause, "]: the session is paused at ", trace.paused_at_ms,
        " ms and no later input resumes it, so it never ends; add an input with signal "
        "SIGNAL_RESUME (or SIGNAL_STOP) after it"));
  }
  return trace;
}

}  // namespace

int RunSimulate(const std::vector<std::string>& argv) {
  const char* usage = kSimulateHelp.synopsis;
  absl::StatusOr<Args> args = Args::Parse(argv, kSimulateHelp);
  if (!args.ok()) return UsageError(args.status().message(), usage);
  if (args->positional().size() != 1) return UsageError("expected one routine", usage);
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
  if (auto locale = args->Get("--locale"); locale.has_value()) options.set_locale(*locale);
  v1::SessionScript script;
  if (auto path = args->Get("--script"); path.has_value()) {
    if (absl::Status s = ReadMessage(*path, &script); !s.ok()) return Fail(s);
  }
  absl::StatusOr<std::unique_ptr<Session>> session = Session::Create(*catalog, *routine, options);
  if (!session.ok()) return FailSession(session.status());
  if (const std::string& note = (*session)->plan().locale_note(); !note.empty()) {
    std::cerr << "regimen: note: " << note << "\n";
  }
  absl::StatusOr<Trace> trace = RunToBuffer(**session, script);
  if (!trace.ok()) {
    const std::string where = args->Get("--script").value_or("the session");
    return Fail(
        absl::Status(trace.status().code(), absl::StrCat(where, ": ", trace.status().message())));
  }
  std::string out = std::move(trace->lines);
  if (args->Has("--record")) {
    SerializeOptions json;
    json.json_all_fields = true;
    absl::StatusOr<std::string> line = SerializeMessage((*session)->Record(), Format::kJson, json);
    if (!line.ok()) return Fail(line.status());
    absl::StrAppend(&out, *line, "\n");
  }
  std::cout << out << std::flush;
  if (!(*session)->Finished()) {
    std::cerr << "regimen: the session did not finish: it waits for REP_DONE, which the script "
                 "does not give\n";
  }
  return 0;
}

}  // namespace regimen::cli
