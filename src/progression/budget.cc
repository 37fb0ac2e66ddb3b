// The session budget of the Decider: the decided routine is estimated and, when too long,
// shortened by undoing this decision's unlocks and advances, then leaving exercises out.
#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "regimen/generator.h"
#include "regimen/v1/session.pb.h"
#include "src/catalog/catalog_internal.h"
#include "src/generator/profile_util.h"
#include "src/progression/decider.h"
#include "src/progression/reasons.h"
#include "src/progression/words.h"

namespace regimen::internal {
namespace {

int64_t CatalogRestAfter(const Catalog& catalog, const std::string& exercise_id) {
  for (const v1::Routine& routine : catalog.proto().routines()) {
    for (const v1::Block& block : routine.blocks()) {
      if (block.exercise_id() == exercise_id) return block.rest_after_ms();
    }
  }
  return 0;
}

}  // namespace

void Decider::UndoAdvance(Work& work) {
  // The block keeps what the later phases decided (the bias and its corrective lead cue, which
  // cost no time; the side order): only the prescription goes back a level.
  SetLevel(work, work.previous_level, Effective(work.block(), *work.exercise));
  work.level = work.previous_level;
  work.advanced = false;
  if (work.bias_change >= 0) {
    v1::Change* bias = decision_->mutable_changes(work.bias_change);
    bias->set_from_level(work.level);
    bias->set_to_level(work.level);
  }
}

void Decider::LeaveOutLast(const std::string& why) {
  const Work& last = works_.back();
  const std::string& id = last.exercise->id();
  auto* changes = decision_->mutable_changes();
  changes->erase(
      std::remove_if(changes->begin(), changes->end(),
                     [&id](const v1::Change& change) { return change.exercise_id() == id; }),
      changes->end());
  if (last.bias_note >= 0) {
    auto* notes = decision_->mutable_routine()->mutable_notes();
    notes->erase(notes->begin() + last.bias_note);
    for (Work& work : works_) {
      if (work.bias_note > last.bias_note) --work.bias_note;
    }
  }
  words_.Append(Word::kBudgetLeftOut, {{"exercise", id}, {"why", why}},
                AddChange(id, v1::LOCK, last.level, last.level, "budget"));
  locked_.push_back(&id);
  works_.pop_back();
}

absl::StatusOr<int64_t> Decider::Estimate(v1::Routine* out) {
  out->clear_blocks();
  out->clear_levels();
  out->mutable_blocks()->Reserve(static_cast<int>(works_.size()));
  out->mutable_levels()->Reserve(static_cast<int>(works_.size()));
  for (size_t i = 0; i < works_.size(); ++i) {
    Work& work = works_[i];
    v1::Block* block = work.owned.get();
    out->mutable_blocks()->AddAllocated(work.owned.release());
    if (i + 1 < works_.size() && block->rest_after_ms() == 0) {
      if (work.catalog_rest < 0)
        work.catalog_rest = CatalogRestAfter(catalog_, block->exercise_id());
      block->set_rest_after_ms(work.catalog_rest);
      work.rest_filled = true;
    }
    out->add_levels(work.level);
  }
  // EstimateRoutineMs, with the exercises already looked up: the estimate asks for them block
  // by block, in order.
  size_t next = 0;
  const internal::ExerciseLookup exercises = [this,
                                              &next](absl::string_view id) -> const v1::Exercise* {
    if (next < works_.size() && works_[next].exercise->id() == id) return works_[next++].exercise;
    return lookups_.Exercise(id);
  };
  return internal::EstimateRoutineMsWith(*out, exercises, v1::SessionOptions::default_instance());
}

void Decider::TakeBack(v1::Routine* out) {
  for (size_t i = works_.size(); i > 0; --i) {
    Work& work = works_[i - 1];
    work.owned.reset(out->mutable_blocks()->ReleaseLast());
    if (work.rest_filled) {
      work.block().set_rest_after_ms(0);
      work.rest_filled = false;
    }
  }
  out->clear_blocks();
  out->clear_levels();
}

// The routine must fit the session budget: undo this decision's advances and unlocks first,
// then drop the last exercises; the primer alone must fit.
absl::Status Decider::FitBudget() {
  const int64_t budget = SessionBudgetMs(profile_);
  v1::Routine* routine = decision_->mutable_routine();
  absl::StatusOr<int64_t> estimate = Estimate(routine);
  if (!estimate.ok()) return estimate.status();
  // "8:00", written once when a change needs it.
  std::string budget_text;
  auto budget_words = [&budget_text, budget]() -> const std::string& {
    if (budget_text.empty()) budget_text = internal::MinutesSeconds(budget);
    return budget_text;
  };
  while (*estimate > budget) {
    TakeBack(routine);
    // The words for what is undone, built only for the change that uses them.
    const int64_t over_ms = *estimate;
    auto over = [this, over_ms, &budget_words](Word word) {
      return words_.Fill(
          word, {{"estimate", internal::MinutesSeconds(over_ms)}, {"budget", budget_words()}});
    };
    bool undone = false;
    for (size_t i = works_.size(); i > 0 && !undone; --i) {
      Work& work = works_[i - 1];
      if (work.unlocked) {
        v1::Change* change = decision_->mutable_changes(work.change);
        change->set_action(v1::HOLD);
        change->clear_reason();
        words_.Append(Word::kBudgetStaysLocked,
                      {{"exercise", work.exercise->id()}, {"why", over(Word::kBudgetOver)}},
                      change->mutable_reason());
        works_.erase(works_.begin() + static_cast<std::ptrdiff_t>(i - 1));
        undone = true;
      }
    }
    for (size_t i = works_.size(); i > 0 && !undone; --i) {
      Work& work = works_[i - 1];
      if (work.advanced) {
        v1::Change* change = decision_->mutable_changes(work.change);
        change->set_action(v1::HOLD);
        change->set_to_level(work.previous_level);
        change->clear_reason();
        words_.Append(Word::kBudgetHeld,
                      {{"exercise", work.exercise->id()},
                       {"level", Level(words_, work.previous_level, work.ladder)},
                       {"why", over(Word::kBudgetLonger)}},
                      change->mutable_reason());
        UndoAdvance(work);
        undone = true;
      }
    }
    if (!undone) {
      if (works_.size() <= 1) {
        const v1::Exercise& first = *works_.front().exercise;
        return absl::OutOfRangeError(absl::StrCat(
            "profile.minutes_per_week: the smallest routine (", first.id(), " alone) takes ",
            internal::MinutesSeconds(*estimate), " (", (*estimate + 999) / 1000,
            " s), more than the session budget of ", internal::MinutesSeconds(budget)));
      }
      LeaveOutLast(over(Word::kBudgetOver));
    }
    estimate = Estimate(routine);
    if (!estimate.ok()) return estimate.status();
  }
  routine->set_estimated_duration_ms(*estimate);
  return absl::OkStatus();
}

}  // namespace regimen::internal
