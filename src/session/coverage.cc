// The cue coverage check: real sessions of the engine, run hands-free deadline to deadline,
// with one scripted report; what was spoken and skipped is read from the events and the record.
#include "regimen/coverage.h"

#include <memory>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "regimen/session.h"

namespace regimen {
namespace {

constexpr int kMaxSteps = 1000000;  // far more deadlines than a routine of kMaxBlocks has

std::string CueKey(absl::string_view owner, absl::string_view cue) {
  return absl::StrCat(owner, "/", cue);
}

// Whether the coverage case's report belongs in `block`.
bool ReportGoesIn(const Catalog& catalog, const v1::Routine& routine, int block,
                  v1::ReportKind kind) {
  const v1::Exercise* exercise = catalog.FindExercise(routine.blocks(block).exercise_id());
  if (exercise == nullptr) return false;
  if (kind == v1::REPORT_ASYMMETRY) {
    return exercise->laterality() == v1::LATERALITY_ALTERNATING ||
           exercise->laterality() == v1::LATERALITY_PER_SIDE;
  }
  return !exercise->primer();
}

int ReportBlock(const Catalog& catalog, const v1::Routine& routine, v1::ReportKind kind) {
  if (kind == v1::REPORT_KIND_UNSPECIFIED) return -1;
  for (int b = 0; b < routine.blocks_size(); ++b) {
    if (ReportGoesIn(catalog, routine, b, kind)) return b;
  }
  return -1;
}

// The cue ids a run must speak, given the ids that fired (spoken or skipped) in it.
std::vector<std::string> ExpectedCues(const Catalog& catalog, const v1::Routine& routine,
                                      const std::set<std::string>& fired) {
  std::vector<std::string> expected;
  std::set<std::string> seen;
  auto consider = [&](absl::string_view owner, const v1::Cue& cue) {
    const std::string key = CueKey(owner, cue.id());
    const v1::TriggerKind kind = cue.trigger().kind();
    const bool conditional = kind == v1::TRIGGER_REPORT || kind == v1::TRIGGER_SAFETY_STOP;
    if ((!conditional || fired.count(key) > 0) && seen.insert(key).second) {
      expected.push_back(key);
    }
  };
  for (const v1::Cue& cue : catalog.proto().session_cues()) consider("session", cue);
  for (const v1::Block& block : routine.blocks()) {
    const v1::Exercise* exercise = catalog.FindExercise(block.exercise_id());
    if (exercise == nullptr) continue;
    for (const v1::Cue& cue : exercise->cues()) consider(exercise->id(), cue);
  }
  return expected;
}

// The key of a cue event: the exercise's cue when its exercise has one of that id, else the
// catalog's session cue.
std::string EventCueKey(const Catalog& catalog, const Event& event) {
  const v1::Exercise* exercise =
      event.exercise_id[0] != '\0' ? catalog.FindExercise(event.exercise_id) : nullptr;
  if (exercise != nullptr && Catalog::FindCue(*exercise, event.cue_id) != nullptr) {
    return CueKey(exercise->id(), event.cue_id);
  }
  return CueKey("session", event.cue_id);
}

// A scripted report or signal at its time (start and tick inputs need nothing here).
absl::Status ApplyInput(Session& session, const v1::SessionInput& input) {
  const int64_t at = input.at_ms();
  if (absl::Status status = session.Tick(at); !status.ok()) return status;
  if (input.has_report()) {
    const v1::Report& report = input.report();
    return session.Report(report.kind(), report.value(), report.side(), at, report.location());
  }
  if (input.input_case() == v1::SessionInput::kSignal) return session.Signal(input.signal(), at);
  return absl::OkStatus();
}

v1::SessionOptions WithAttestations(const Catalog& catalog, v1::SessionOptions options) {
  for (const v1::AttestationDef& attestation : catalog.proto().attestations()) {
    options.add_attestations(attestation.id());
  }
  return options;
}

}  // namespace

std::vector<CoverageCase> StandardCoverageCases() {
  std::vector<CoverageCase> cases;
  auto add = [&cases](std::string name) -> CoverageCase& {
    CoverageCase& added = cases.emplace_back();
    added.name = std::move(name);
    return added;
  };
  add("defaults");
  for (uint32_t wpm : {120u, 150u, 180u}) {
    add(absl::StrCat("words_per_minute=", wpm)).options.set_words_per_minute(wpm);
  }
  for (int64_t breath : {4000, 8000}) {
    add(absl::StrCat("breath_period_ms=", breath)).options.set_breath_period_ms(breath);
  }
  for (int64_t gap : {250, 800}) add(absl::StrCat("cue_gap_ms=", gap)).options.set_cue_gap_ms(gap);
  CoverageCase& asymmetry = add("asymmetry");
  asymmetry.report.set_kind(v1::REPORT_ASYMMETRY);
  asymmetry.report.set_side(v1::LEFT);
  CoverageCase& ease_off = add("ease_off");
  ease_off.report.set_kind(v1::REPORT_PAIN);
  ease_off.report.set_value(4);
  return cases;
}

absl::StatusOr<CueCoverage> CheckCueCoverage(const Catalog& catalog, const v1::Routine& routine,
                                             const CoverageCase& coverage_case) {
  absl::StatusOr<std::unique_ptr<Session>> made =
      Session::Create(catalog, routine, WithAttestations(catalog, coverage_case.options));
  if (!made.ok()) return made.status();
  Session& session = **made;
  const v1::Report& report = coverage_case.report;
  const int report_block = ReportBlock(catalog, routine, report.kind());
  bool reported = report_block < 0;
  CueCoverage coverage;
  coverage.routine_id = routine.id();
  coverage.case_name = coverage_case.name;
  coverage.locale = session.plan().locale();
  std::set<std::string> spoken, fired;
  if (absl::Status status = session.Start(0); !status.ok()) return status;
  // Takes every queued event; makes the report once its moment comes.
  auto drain = [&]() -> absl::Status {
    Event event;
    while (session.Poll(&event)) {
      if (event.type == v1::SessionEvent::CUE || event.type == v1::SessionEvent::CUE_SKIPPED) {
        const std::string key = EventCueKey(catalog, event);
        fired.insert(key);
        if (event.type == v1::SessionEvent::CUE) spoken.insert(key);
        if (event.type == v1::SessionEvent::CUE_SKIPPED) coverage.skipped_ids.push_back(key);
      }
      if (!reported && event.type == v1::SessionEvent::REP_COMPLETED &&
          event.block_index == report_block && event.set_index == 0 && event.rep_index == 0) {
        reported = true;
        absl::Status status =
            session.Report(report.kind(), report.value(), report.side(), event.at_ms);
        if (!status.ok()) return status;
      }
    }
    return absl::OkStatus();
  };
  const auto& inputs = coverage_case.script.inputs();
  int next_input = 0;
  for (int step = 0; step < kMaxSteps && !session.Finished(); ++step) {
    if (absl::Status status = drain(); !status.ok()) return status;
    const int64_t deadline = session.NextDeadline();
    if (next_input < inputs.size() && (deadline < 0 || inputs[next_input].at_ms() <= deadline)) {
      if (absl::Status status = ApplyInput(session, inputs[next_input++]); !status.ok()) {
        return status;
      }
      continue;
    }
    if (deadline < 0) break;  // a phase that waits for the user: not hands-free
    if (absl::Status status = session.Tick(deadline); !status.ok()) return status;
  }
  if (absl::Status status = drain(); !status.ok()) return status;
  const v1::SessionRecord record = session.Record();
  coverage.triggered = record.cues_triggered();
  coverage.spoken = record.cues_spoken();
  coverage.deferred = record.cues_deferred();
  coverage.skipped = record.cues_dropped();
  coverage.max_delay_ms = record.max_cue_delay_ms();
  for (const std::string& key : ExpectedCues(catalog, routine, fired)) {
    if (spoken.count(key) == 0) coverage.never_spoken.push_back(key);
  }
  return coverage;
}

absl::StatusOr<std::vector<CueCoverage>> CheckCatalogCoverage(const Catalog& catalog) {
  return CheckCatalogCoverage(catalog, "");
}

absl::StatusOr<std::vector<CueCoverage>> CheckCatalogCoverage(const Catalog& catalog,
                                                              absl::string_view locale) {
  std::vector<CueCoverage> all;
  std::vector<CoverageCase> cases = StandardCoverageCases();
  for (CoverageCase& coverage_case : cases) coverage_case.options.set_locale(std::string(locale));
  for (const v1::Routine& routine : catalog.proto().routines()) {
    for (const CoverageCase& coverage_case : cases) {
      absl::StatusOr<CueCoverage> coverage = CheckCueCoverage(catalog, routine, coverage_case);
      if (!coverage.ok()) {
        return absl::Status(coverage.status().code(),
                            absl::StrCat("routine ", routine.id(), ", ", coverage_case.name, ": ",
                                         coverage.status().message()));
      }
      all.push_back(*std::move(coverage));
    }
  }
  return all;
}

}  // namespace regimen
