// Cue coverage: does a routine deliver every cue its content holds? For content tools (and
// `regimen validate`): runs real sessions of the engine, hands-free, under a set of option sets
// and scripted reports, and counts what the speech scheduler did with each cue that fired.
//
//   for (const regimen::CueCoverage& c : *regimen::CheckCatalogCoverage(catalog)) {
//     if (!c.ok()) std::cerr << c.routine_id << " " << c.case_name << ": " << c.skipped << "\n";
//   }
//
// A cue id counts as "never spoken" when its exercise (or the catalog's session cues) is in the
// routine, its trigger occurs in the run (report cues only when they fired; session-start and
// session-end cues always), and no CUE event of it was emitted.
#ifndef REGIMEN_COVERAGE_H_
#define REGIMEN_COVERAGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "regimen/catalog.h"
#include "regimen/v1/routine.pb.h"
#include "regimen/v1/session.pb.h"

namespace regimen {

// One way to run a routine for the coverage check.
struct CoverageCase {
  std::string name;  // e.g. "defaults", "words_per_minute=120", "asymmetry"
  v1::SessionOptions options;
  // A report made during the session, or none (kind unspecified). It is made as the first rep
  // of the first block it applies to completes: an asymmetry in the first sided block, pain or
  // effort in the first block after the primer.
  v1::Report report;
  // Or scripted inputs (reports and signals at their times, e.g. tests/golden/scripts/): the
  // session is ticked deadline to deadline and each input applied at its time.
  v1::SessionScript script;
};

// What one run did with its cues.
struct CueCoverage {
  std::string routine_id, case_name;
  // The locale the run spoke (the case's SessionOptions.locale resolved; "" for the source).
  std::string locale;
  uint32_t triggered = 0, spoken = 0, deferred = 0, skipped = 0;
  int64_t max_delay_ms = 0;  // the largest delay of a spoken cue past its time
  // "exercise_id/cue_id" ("session/cue_id" for the catalog's session cues), in plan order.
  std::vector<std::string> skipped_ids, never_spoken;

  // No cue skipped and every cue id spoken.
  bool ok() const { return skipped == 0 && never_spoken.empty(); }
};

// The option matrix every shipped routine must pass: defaults; words per minute 120, 150 and
// 180; breath period 4000 and 8000 ms; cue_gap_ms 250 and 800; an asymmetry report (LEFT
// takes over); moderate pain (4, ease off).
std::vector<CoverageCase> StandardCoverageCases();

// Runs `routine` of `catalog` once under `coverage_case` (with every attestation the catalog
// declares, so gated exercises run). Errors: those of Session::Create for the routine and
// options.
absl::StatusOr<CueCoverage> CheckCueCoverage(const Catalog& catalog, const v1::Routine& routine,
                                             const CoverageCase& coverage_case);

// Every routine of the catalog under every standard case, routine by routine.
absl::StatusOr<std::vector<CueCoverage>> CheckCatalogCoverage(const Catalog& catalog);
// The same in `locale` (every case's options get it): the words, and so the speaking times, of
// that locale. Errors: INVALID_ARGUMENT for a malformed tag.
absl::StatusOr<std::vector<CueCoverage>> CheckCatalogCoverage(const Catalog& catalog,
                                                              absl::string_view locale);

}  // namespace regimen

#endif  // REGIMEN_COVERAGE_H_
