#include "regimen/routine_builder.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/catalog/catalog_internal.h"

namespace regimen {

RoutineBuilder::RoutineBuilder(const Catalog& catalog) : catalog_(catalog) {}

RoutineBuilder& RoutineBuilder::Id(std::string id) {
  routine_.set_id(std::move(id));
  return *this;
}

RoutineBuilder& RoutineBuilder::Name(std::string name) {
  routine_.set_name(std::move(name));
  return *this;
}

RoutineBuilder& RoutineBuilder::Description(std::string description) {
  routine_.set_description(std::move(description));
  return *this;
}

RoutineBuilder& RoutineBuilder::Note(std::string note) {
  routine_.add_notes(std::move(note));
  return *this;
}

RoutineBuilder& RoutineBuilder::Add(std::string exercise_id) {
  v1::Block* block = routine_.add_blocks();
  if (const v1::Exercise* exercise = catalog_.FindExercise(exercise_id)) {
    *block->mutable_prescription() = exercise->default_prescription();
  } else {
    block->mutable_prescription();  // reported as an unknown exercise by Build()
  }
  block->set_exercise_id(std::move(exercise_id));
  routine_.add_levels(0);
  return *this;
}

v1::Prescription* RoutineBuilder::Current(const char* call) {
  if (routine_.blocks_size() == 0) {
    internal::AddError(&errors_, "blocks",
                       absl::StrCat(call, "() called before Add(): no block to apply it to"));
    return nullptr;
  }
  return routine_.mutable_blocks(routine_.blocks_size() - 1)->mutable_prescription();
}

RoutineBuilder& RoutineBuilder::Sets(uint32_t sets) {
  if (v1::Prescription* p = Current("Sets")) p->set_sets(sets);
  return *this;
}

RoutineBuilder& RoutineBuilder::Reps(uint32_t reps) {
  if (v1::Prescription* p = Current("Reps")) p->set_reps(reps);
  return *this;
}

RoutineBuilder& RoutineBuilder::HoldMs(int64_t ms) {
  if (v1::Prescription* p = Current("HoldMs")) p->mutable_hold()->set_ms(ms);
  return *this;
}

RoutineBuilder& RoutineBuilder::HoldBreaths(uint32_t breaths) {
  if (v1::Prescription* p = Current("HoldBreaths")) p->mutable_hold()->set_breaths(breaths);
  return *this;
}

RoutineBuilder& RoutineBuilder::DefaultHold() {
  if (v1::Prescription* p = Current("DefaultHold")) p->clear_hold();
  return *this;
}

RoutineBuilder& RoutineBuilder::Tempo(int64_t lift_ms, int64_t lower_ms) {
  if (v1::Prescription* p = Current("Tempo")) {
    p->mutable_tempo()->set_lift_ms(lift_ms);
    p->mutable_tempo()->set_lower_ms(lower_ms);
  }
  return *this;
}

RoutineBuilder& RoutineBuilder::RestBetweenSetsMs(int64_t ms) {
  if (v1::Prescription* p = Current("RestBetweenSetsMs")) p->set_rest_between_sets_ms(ms);
  return *this;
}

RoutineBuilder& RoutineBuilder::RestBetweenRepsMs(int64_t ms) {
  if (v1::Prescription* p = Current("RestBetweenRepsMs")) p->set_rest_between_reps_ms(ms);
  return *this;
}

RoutineBuilder& RoutineBuilder::FirstSide(v1::Side side) {
  if (v1::Prescription* p = Current("FirstSide")) p->set_first_side(side);
  return *this;
}

RoutineBuilder& RoutineBuilder::Bias(v1::Side side, uint32_t extra_reps) {
  if (v1::Prescription* p = Current("Bias")) {
    p->mutable_bias()->set_side(side);
    p->mutable_bias()->set_extra_reps(extra_reps);
  }
  return *this;
}

RoutineBuilder& RoutineBuilder::Oscillations(uint32_t count) {
  if (v1::Prescription* p = Current("Oscillations")) p->set_oscillations(count);
  return *this;
}

RoutineBuilder& RoutineBuilder::RestAfterMs(int64_t ms) {
  if (Current("RestAfterMs") != nullptr) {
    routine_.mutable_blocks(routine_.blocks_size() - 1)->set_rest_after_ms(ms);
  }
  return *this;
}

RoutineBuilder& RoutineBuilder::LeadCue(std::string cue_id) {
  if (Current("LeadCue") != nullptr) {
    routine_.mutable_blocks(routine_.blocks_size() - 1)->add_lead_cue_ids(std::move(cue_id));
  }
  return *this;
}

RoutineBuilder& RoutineBuilder::Level(uint32_t level) {
  if (Current("Level") != nullptr) {
    routine_.set_levels(routine_.levels_size() - 1, level);
    any_level_ = true;
  }
  return *this;
}

absl::StatusOr<v1::Routine> RoutineBuilder::Build() const {
  v1::Routine routine = routine_;
  if (!any_level_) routine.clear_levels();
  if (routine.name().empty()) routine.set_name(routine.id());
  std::vector<ValidationError> errors = errors_;
  internal::ValidateSlug(routine.id(), "id", &errors);
  for (ValidationError& error : ValidateRoutine(routine, catalog_)) {
    errors.push_back(std::move(error));
  }
  if (absl::Status status = ErrorsToStatus(errors); !status.ok()) return status;
  absl::StatusOr<int64_t> ms = EstimateRoutineMs(routine, catalog_);
  if (!ms.ok()) return ms.status();
  routine.set_estimated_duration_ms(*ms);
  return routine;
}

}  // namespace regimen
