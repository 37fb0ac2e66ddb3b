// Building routines from code: a fluent builder that checks every block against a catalog and
// the exercise's safe ranges, and fills in the estimated duration.
//
//   absl::StatusOr<regimen::v1::Routine> routine =
//       regimen::RoutineBuilder(regimen::Catalog::Default())
//           .Id("mine")
//           .Name("My back routine")
//           .Add("grow_through_spine")
//           .Add("prone_lift").Sets(2).Reps(6).HoldBreaths(2).Tempo(2000, 2000).RestAfterMs(10000)
//           .Add("prone_leg_lift").Reps(5).Bias(regimen::v1::LEFT, 1)
//           .Build();
//   if (!routine.ok()) { /* every problem, one per line: "blocks[1].reps: must be 4..12 …" */ }
//
// Add() starts a block with the exercise's default prescription; the calls after it change
// that block only. Every routine starts with the catalog's primer (Catalog::Primer(),
// grow_through_spine in the default pack): the builder adds nothing by itself, so the first
// Add() must be the primer, or Build() refuses with "blocks[0]: a routine starts with the
// primer grow_through_spine, got prone_lift". Build() returns every problem at once, each with its
// field path. A builder is not thread-safe; it copies the Catalog (cheap), so the catalog need not
// outlive it.
#ifndef REGIMEN_ROUTINE_BUILDER_H_
#define REGIMEN_ROUTINE_BUILDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "regimen/catalog.h"
#include "regimen/routine.h"
#include "regimen/v1/routine.pb.h"

namespace regimen {

class RoutineBuilder {
 public:
  explicit RoutineBuilder(const Catalog& catalog);

  // The routine's slug (required) and name (defaults to the id) and description.
  RoutineBuilder& Id(std::string id);
  RoutineBuilder& Name(std::string name);
  RoutineBuilder& Description(std::string description);
  RoutineBuilder& Note(std::string note);

  // Starts a new block of `exercise_id` with its default prescription. An unknown id is
  // reported by Build() with the block's path.
  RoutineBuilder& Add(std::string exercise_id);

  // Change the prescription of the last added block. Calling one before any Add() is an error
  // reported by Build().
  RoutineBuilder& Sets(uint32_t sets);
  RoutineBuilder& Reps(uint32_t reps);
  RoutineBuilder& HoldMs(int64_t ms);
  RoutineBuilder& HoldBreaths(uint32_t breaths);
  // Clears the block's own hold: the exercise's default hold applies.
  RoutineBuilder& DefaultHold();
  RoutineBuilder& Tempo(int64_t lift_ms, int64_t lower_ms);
  RoutineBuilder& RestBetweenSetsMs(int64_t ms);
  RoutineBuilder& RestBetweenRepsMs(int64_t ms);
  RoutineBuilder& FirstSide(v1::Side side);
  RoutineBuilder& Bias(v1::Side side, uint32_t extra_reps);
  RoutineBuilder& Oscillations(uint32_t count);
  // Rest after the last added block, ms (0..300000).
  RoutineBuilder& RestAfterMs(int64_t ms);
  // A cue of the block's exercise said first when it starts.
  RoutineBuilder& LeadCue(std::string cue_id);
  // The block's progression level (index in its exercise's ladder).
  RoutineBuilder& Level(uint32_t level);

  // The routine, validated (ValidateRoutine) with estimated_duration_ms filled in
  // (EstimateRoutineMs, default options). Errors: INVALID_ARGUMENT listing every problem, one
  // per line with its path ("blocks[1].prescription.reps: must be 4..12 for prone_lift, got
  // 20"); RESOURCE_EXHAUSTED when over kMaxBlocksPerRoutine blocks or kMaxRoutineMs.
  absl::StatusOr<v1::Routine> Build() const;

 private:
  // The prescription of the last block, or null (and an error recorded) when there is none.
  v1::Prescription* Current(const char* call);

  Catalog catalog_;
  v1::Routine routine_;
  bool any_level_ = false;
  std::vector<ValidationError> errors_;
};

}  // namespace regimen

#endif  // REGIMEN_ROUTINE_BUILDER_H_
