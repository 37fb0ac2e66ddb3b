// A validated, immutable catalog (content pack): exercises, routines, habits, ladders, rules.
//
//   const regimen::Catalog& pack = regimen::Catalog::Default();  // the embedded back-care pack
//   absl::StatusOr<regimen::Catalog> mine = regimen::Catalog::Parse(bytes, regimen::Format::kText);
//   if (!mine.ok()) { /* mine.status().message() lists every error with its field path */ }
//   const regimen::v1::Exercise* lift = pack.FindExercise("prone_lift");
//
// A Catalog is cheap to copy (it shares its immutable data) and may be used from any number of
// threads at once.
#ifndef REGIMEN_CATALOG_H_
#define REGIMEN_CATALOG_H_

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regimen/format.h"
#include "regimen/v1/catalog.pb.h"

namespace regimen {

// Limits of a catalog; past each, validation fails with RESOURCE_EXHAUSTED.
inline constexpr std::size_t kMaxExercises = 10000;
inline constexpr std::size_t kMaxPhasesPerExercise = 64;
inline constexpr std::size_t kMaxCueTextChars = 500;
inline constexpr std::size_t kMaxBlocksPerRoutine = 200;
inline constexpr int64_t kMaxRoutineMs = 4LL * 60 * 60 * 1000;

// One problem found by validation.
struct ValidationError {
  absl::StatusCode code = absl::StatusCode::kInvalidArgument;
  // Field path, e.g. "exercises[2].phases[1].duration.breaths".
  std::string path;
  // What is wrong, with the offending value, e.g. "must be 1..20, got 0".
  std::string message;

  // "exercises[2].phases[1].duration.breaths: must be 1..20, got 0".
  std::string ToString() const;
};

// Every problem of `catalog`, in field order; empty when it is valid. Never stops at the first.
std::vector<ValidationError> ValidateCatalog(const v1::Catalog& catalog);

// The status for a list of errors: OK when empty; otherwise the most severe code
// (RESOURCE_EXHAUSTED over INVALID_ARGUMENT) and a message listing every error, one per line.
absl::Status ErrorsToStatus(const std::vector<ValidationError>& errors);

struct LocalizedCatalog;  // regimen/l10n.h

class Catalog {
 public:
  // Parses and validates. Errors: INVALID_ARGUMENT (malformed or invalid, every problem listed
  // with its path), RESOURCE_EXHAUSTED (a limit above is exceeded, or input over 4 MiB).
  static absl::StatusOr<Catalog> Parse(absl::string_view data, Format format);
  // Validates a catalog already in memory.
  static absl::StatusOr<Catalog> FromProto(v1::Catalog catalog);
  // The embedded back-care pack, parsed and validated once (thread-safe, never fails: a test
  // guards that the embedded pack is valid).
  static const Catalog& Default();

  const v1::Catalog& proto() const;

  // nullptr when there is no such id. The pointers live as long as any copy of this Catalog.
  const v1::Exercise* FindExercise(absl::string_view id) const;
  const v1::Routine* FindRoutine(absl::string_view id) const;
  const v1::Ladder* FindLadder(absl::string_view exercise_id) const;
  const v1::Habit* FindHabit(absl::string_view id) const;
  const v1::ConditionDef* FindCondition(absl::string_view id) const;
  const v1::AttestationDef* FindAttestation(absl::string_view id) const;
  // The exercise's cue with this id, or nullptr.
  static const v1::Cue* FindCue(const v1::Exercise& exercise, absl::string_view cue_id);
  // The primer exercise (Exercise.primer), or nullptr when the catalog has none.
  const v1::Exercise* Primer() const;

  // Localization (regimen/l10n.h). The locale of this catalog's words: the pack's source
  // locale (Catalog.locale, "en" when unset), or a translation's for a localized catalog.
  const std::string& Locale() const;
  // The source locale, then every locale the pack is translated into.
  std::vector<std::string> Locales() const;
  // The pack with its words in `locale` (a BCP 47 tag), looked up from the most specific tag
  // to the least ("de-AT", then "de"), then the source language with a note. The localized
  // catalogs are made once each, on the first call for their locale (thread-safe), and live as long
  // as this catalog. INVALID_ARGUMENT for a malformed tag.
  absl::StatusOr<LocalizedCatalog> Localize(absl::string_view locale) const;
  // The engine's word `id` ("engine.phase.rest") in this catalog's locale, the built-in
  // English when the translation has none; "" for an unknown id.
  const std::string& EngineWord(absl::string_view id) const;
  // The translated engine words by id (empty in the source language).
  const std::map<std::string, std::string, std::less<>>& EngineWords() const;

 private:
  struct Data;
  explicit Catalog(std::shared_ptr<const Data> data);
  std::shared_ptr<const Data> data_;
};

}  // namespace regimen

#endif  // REGIMEN_CATALOG_H_
