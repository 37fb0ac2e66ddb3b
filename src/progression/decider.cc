// The Decider's order of phases, and the naming of the decided routine (see decider.h).
#include "src/progression/decider.h"

#include <memory>
#include <utility>

#include "regimen/routine.h"
#include "src/generator/profile_util.h"

namespace regimen::internal {

Decider::Decider(const Catalog& catalog, Lookups& lookups, const v1::Profile& profile,
                 RecordSpan records, v1::ProgressDecision* decision)
    : catalog_(catalog),
      words_(catalog),
      lookups_(lookups),
      profile_(profile),
      records_(records),
      decision_(decision) {
  // Clear() would delete the routine message (its notes and levels): it is kept aside.
  std::unique_ptr<v1::Routine> routine(decision->release_routine());
  decision->Clear();
  if (routine != nullptr) {
    while (!routine->blocks().empty())
      spares_.emplace_back(routine->mutable_blocks()->ReleaseLast());
    routine->Clear();
    decision->set_allocated_routine(routine.release());
  }
  // Highest priority first, ties in catalog order (an insertion sort: stable, no allocation).
  for (const v1::ProgressionRule& rule : catalog.proto().rules()) {
    rules_.push_back(&rule);
    for (size_t i = rules_.size() - 1; i > 0 && rules_[i - 1]->priority() < rule.priority(); --i) {
      std::swap(rules_[i - 1], rules_[i]);
    }
  }
}

absl::Status Decider::Decide(const v1::Routine& routine) {
  works_.reserve(static_cast<size_t>(routine.blocks_size()) +
                 static_cast<size_t>(catalog_.proto().exercises_size()));
  for (int i = 0; i < routine.blocks_size(); ++i) {
    Work work;
    work.source = &routine.blocks(i);
    work.owned = NewBlock(routine.blocks(i));
    work.exercise = lookups_.Exercise(work.block().exercise_id());
    work.ladder = lookups_.Ladder(work.block().exercise_id());
    work.level = routine.levels_size() == 0 ? 0 : routine.levels(i);
    // A partial prescription is the exercise's default with the given fields: decide on all of it.
    if (work.exercise != nullptr && work.block().has_prescription()) {
      v1::Prescription* given = work.block().mutable_prescription();
      *given = WithDefaults(*given, work.exercise->default_prescription());
    }
    works_.push_back(std::move(work));
  }
  ApplyConditions();
  ApplyGates();
  ApplyLevels();
  ApplyBias();
  ApplyUnlocks();
  if (works_.empty()) {
    return absl::InvalidArgumentError("routine: has no primer block to keep");
  }
  if (absl::Status status = FitBudget(); !status.ok()) return status;
  v1::Routine* out = decision_->mutable_routine();
  out->set_id(internal::RoutineIdFor(catalog_, *out));
  if (const v1::Routine* known = catalog_.FindRoutine(out->id()); known != nullptr) {
    out->set_name(known->name());
    out->set_description(known->description());
  } else if (out->id() == routine.id()) {
    out->set_name(routine.name());
    out->set_description(routine.description());
  } else {
    out->set_name(catalog_.EngineWord("generator.custom_name"));
  }
  return absl::OkStatus();
}

}  // namespace regimen::internal
