// Internal helpers shared by the catalog's validation (catalog.cc) and the routine functions
// (routine.cc): they work on an exercise lookup so that a catalog's routines can be validated
// and timed before the Catalog object exists.
#ifndef REGIMEN_SRC_CATALOG_CATALOG_INTERNAL_H_
#define REGIMEN_SRC_CATALOG_CATALOG_INTERNAL_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regimen/catalog.h"
#include "regimen/v1/catalog.pb.h"
#include "regimen/v1/session.pb.h"

namespace regimen::internal {

// The exercise with an id, or nullptr.
using ExerciseLookup = std::function<const v1::Exercise*(absl::string_view)>;
// The ladder of an exercise, or nullptr.
using LadderLookup = std::function<const v1::Ladder*(absl::string_view)>;

// Appends one error.
void AddError(std::vector<ValidationError>* errors, std::string path, std::string message,
              absl::StatusCode code = absl::StatusCode::kInvalidArgument);

// "prefix.field", or "field" when prefix is empty.
std::string Join(absl::string_view prefix, absl::string_view field);
// "prefix[index]".
std::string Index(absl::string_view prefix, int index);

// Checks `id` is a slug ([a-z0-9_]+, at most 64 characters).
void ValidateSlug(const std::string& id, const std::string& path,
                  std::vector<ValidationError>* errors);

// Validates `routine` with paths under `prefix` ("" for routine-relative paths,
// "routines[3]" inside a catalog). `ladders` may be null (levels are then not checked).
// `primer` is the catalog's primer exercise, which the first block must be; null when the
// catalog has none (then any exercise may come first).
// The catalog's progression rules, every field range-checked (src/catalog/rules_validate.cc).
void ValidateRules(const v1::Catalog& catalog, const ExerciseLookup& find_exercise,
                   std::vector<ValidationError>* errors);

void ValidateRoutineWith(const v1::Routine& routine, const ExerciseLookup& exercises,
                         const LadderLookup* ladders, const v1::Exercise* primer,
                         const std::string& prefix, std::vector<ValidationError>* errors);

// EstimateRoutineMs over a lookup.
absl::StatusOr<int64_t> EstimateRoutineMsWith(const v1::Routine& routine,
                                              const ExerciseLookup& exercises,
                                              const v1::SessionOptions& options);

}  // namespace regimen::internal

#endif  // REGIMEN_SRC_CATALOG_CATALOG_INTERNAL_H_
