// The Decider: one progression decision, from the request's routine to the next one, in phases
// (conditions, gates, levels, side bias, unlocks, then the session budget). Progress
// (progression.cc) checks the request and runs it. Not public.
//
// Each phase lives in the file named for it: decider.cc (the order of the phases), locks.cc
// (conditions, gates, LOCK and UNLOCK rules), levels.cc (ladder levels), side_bias.cc and
// budget.cc.
#ifndef REGIMEN_SRC_PROGRESSION_DECIDER_H_
#define REGIMEN_SRC_PROGRESSION_DECIDER_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regimen/catalog.h"
#include "regimen/v1/exercise.pb.h"
#include "regimen/v1/profile.pb.h"
#include "regimen/v1/progression.pb.h"
#include "regimen/v1/routine.pb.h"
#include "src/progression/metrics.h"
#include "src/progression/words.h"

namespace regimen::internal {

// Exercises and ladders by id for one decision, each looked up in the catalog once: validation,
// the estimates and the decision ask for the same few ids again and again. Keys are the
// catalog's own ids (they outlive the decision; a routine's strings may change under it), so an
// id the catalog does not know is not remembered.
class Lookups {
 public:
  explicit Lookups(const Catalog& catalog) : catalog_(catalog) {}

  const v1::Exercise* Exercise(absl::string_view id) {
    for (const auto& [key, exercise] : exercises_) {
      if (key == id) return exercise;
    }
    const v1::Exercise* exercise = catalog_.FindExercise(id);
    if (exercise != nullptr) exercises_.emplace_back(exercise->id(), exercise);
    return exercise;
  }
  // The ladder of exercise `id` (nullptr when it has none).
  const v1::Ladder* Ladder(absl::string_view id) {
    for (const auto& [key, ladder] : ladders_) {
      if (key == id) return ladder;
    }
    const v1::Exercise* exercise = Exercise(id);
    if (exercise == nullptr) return catalog_.FindLadder(id);
    const v1::Ladder* ladder = catalog_.FindLadder(id);
    ladders_.emplace_back(exercise->id(), ladder);
    return ladder;
  }

 private:
  const Catalog& catalog_;
  absl::InlinedVector<std::pair<absl::string_view, const v1::Exercise*>, 8> exercises_;
  absl::InlinedVector<std::pair<absl::string_view, const v1::Ladder*>, 8> ladders_;
};

// One block of the routine being decided.
struct Work {
  const v1::Exercise* exercise;
  // The block as decided so far; Estimate hands it to the decided routine (TakeBack takes it
  // back), so that it is copied once, from the request.
  std::unique_ptr<v1::Block> owned;
  v1::Block& block() { return *owned; }
  const v1::Block& block() const { return *owned; }
  uint32_t level = 0;
  const v1::Ladder* ladder = nullptr;
  // The block of the request this one started from (nullptr when unlocked by this decision).
  const v1::Block* source = nullptr;
  // Set when this decision advanced it: the level before, and its change's index.
  bool advanced = false;
  uint32_t previous_level = 0;
  // The catalog's rest after this exercise (CatalogRestAfter), once looked up.
  int64_t catalog_rest = -1;
  // Whether Estimate filled in the catalog's rest (TakeBack clears it again).
  bool rest_filled = false;
  int change = -1;
  // The index of its BIAS_SIDE change, when this decision made one, and of its side bias note
  // in the routine's notes, when it has one.
  int bias_change = -1;
  int bias_note = -1;
  bool unlocked = false;
};

// The prescription `block` runs with (EffectivePrescription without the copy).
inline const v1::Prescription& Effective(const v1::Block& block, const v1::Exercise& exercise) {
  return block.has_prescription() ? block.prescription() : exercise.default_prescription();
}

class Decider {
 public:
  // Writes the decision into *decision, reusing its memory: the blocks of its routine become
  // spares for this decision's blocks, its changes and notes are cleared for reuse. `catalog`
  // is the pack in the profile's locale (Catalog::Localize): the reasons, notes and names are
  // written in its words.
  Decider(const Catalog& catalog, Lookups& lookups, const v1::Profile& profile, RecordSpan records,
          v1::ProgressDecision* decision);

  absl::Status Decide(const v1::Routine& routine);

 private:
  static bool Applies(const v1::ProgressionRule& rule, const std::string& exercise_id) {
    return rule.exercise_id().empty() || rule.exercise_id() == exercise_id;
  }
  // Adds a change (a cleared one of an earlier decision when there is one) and returns its
  // reason, empty, for the caller to write.
  std::string* AddChange(const std::string& exercise_id, v1::ProgressAction action, uint32_t from,
                         uint32_t to, absl::string_view rule_id) {
    v1::Change* change = decision_->add_changes();
    change->set_exercise_id(exercise_id);
    change->set_action(action);
    change->set_from_level(from);
    change->set_to_level(to);
    if (!rule_id.empty()) change->mutable_rule_id()->assign(rule_id.data(), rule_id.size());
    return change->mutable_reason();
  }
  void AddChange(const std::string& exercise_id, v1::ProgressAction action, uint32_t from,
                 uint32_t to, absl::string_view rule_id, std::string reason) {
    *AddChange(exercise_id, action, from, to, rule_id) = std::move(reason);
  }
  void Note(std::string note) { decision_->mutable_routine()->add_notes(std::move(note)); }
  int NoteCount() const { return decision_->routine().notes_size(); }
  // A block for this decision: a spare of an earlier one, or a new one.
  std::unique_ptr<v1::Block> NewBlock() {
    if (spares_.empty()) return std::make_unique<v1::Block>();
    std::unique_ptr<v1::Block> block = std::move(spares_.back());
    spares_.pop_back();
    return block;
  }
  // A copy of `from`, in a spare block when there is one.
  std::unique_ptr<v1::Block> NewBlock(const v1::Block& from) {
    if (spares_.empty()) return std::make_unique<v1::Block>(from);
    std::unique_ptr<v1::Block> block = NewBlock();
    *block = from;
    return block;
  }
  // `exercise_id` must outlive the decider (the catalog's).
  void Remove(const std::string& exercise_id) {
    locked_.push_back(&exercise_id);
    works_.erase(std::remove_if(works_.begin(), works_.end(),
                                [&](const Work& w) { return w.exercise->id() == exercise_id; }),
                 works_.end());
  }
  bool Locked(const std::string& exercise_id) const {
    for (const std::string* locked : locked_) {
      if (*locked == exercise_id) return true;
    }
    return false;
  }
  bool InRoutine(const std::string& exercise_id) const {
    for (const Work& w : works_) {
      if (w.exercise->id() == exercise_id) return true;
    }
    return false;
  }

  // locks.cc: which exercises the routine holds.
  void ApplyConditions();
  void ApplyGates();
  void ApplyUnlocks();

  // levels.cc: advance, hold or regress along the ladders.
  void ApplyLevels();
  // Fills chosen[action] and why[action] (action: ADVANCE, HOLD, REGRESS) with the first rule of
  // that action that holds for `work`, and the words that show it; a rule that a more cautious
  // action already holding makes moot is not evaluated.
  void ChooseLevelRules(const Work& work, const v1::ProgressionRule* chosen[4],
                        Phrases why[4]) const;
  // Regresses `work` one level as `rule` says (holds it at its lowest level).
  void Regress(Work& work, const v1::ProgressionRule& rule, const Phrases& why);
  // Advances `work` one level as `rule` says, unless the latest session's `pain` or safety
  // `stops`, the top of its ladder or its side bias forbid it (it holds then).
  void Advance(Work& work, const v1::ProgressionRule& rule, const Phrases& why, int pain,
               int stops);
  // Sets work.block()'s prescription to that of `level` on the ladder, keeping the side order and
  // bias of `current` (the effective prescription before).
  static void SetLevel(Work& work, uint32_t level, const v1::Prescription& current);

  // side_bias.cc.
  void ApplyBias();
  // Biases `work` to its weaker side as `rule` (which holds, shown by `why`) says, when the
  // reports name a side and the extra rep stays inside the safe ranges.
  void Bias(Work& work, const v1::ProgressionRule& rule, const Phrases& why);
  // Whether `work` carries a side bias or a lead cue.
  static bool HasBias(const Work& work);
  // Clears the bias and lead cues of `work`, with a change saying `why`.
  void RemoveBias(Work& work, Word why);

  // budget.cc.
  absl::Status FitBudget();
  // Puts `work`, advanced by this decision, back at the level before, keeping everything else
  // decided for it (side order, bias, lead cues) and the levels its bias change names.
  void UndoAdvance(Work& work);
  // Leaves the last exercise out of the routine: its earlier changes and its side bias note no
  // longer describe the routine, so one LOCK change replaces them.
  void LeaveOutLast(const std::string& why);
  // Moves the blocks of works_ into `out` (the catalog's rest after a block without one) and
  // estimates it; TakeBack moves them back as they were.
  absl::StatusOr<int64_t> Estimate(v1::Routine* out);
  void TakeBack(v1::Routine* out);

  const Catalog& catalog_;
  const Words words_;
  Lookups& lookups_;
  const v1::Profile& profile_;
  RecordSpan records_;
  absl::InlinedVector<const v1::ProgressionRule*, 16> rules_;
  absl::InlinedVector<Work, 8> works_;
  absl::InlinedVector<const std::string*, 8> locked_;
  v1::ProgressDecision* decision_;
  absl::InlinedVector<std::unique_ptr<v1::Block>, 8> spares_;
};

}  // namespace regimen::internal

#endif  // REGIMEN_SRC_PROGRESSION_DECIDER_H_
