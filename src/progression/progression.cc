// Progression (see include/regimen/progression.h and docs/progression.md).
#include "regimen/progression.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "regimen/generator.h"
#include "regimen/routine.h"
#include "src/catalog/catalog_internal.h"
#include "src/generator/profile_util.h"
#include "src/progression/metrics.h"

namespace regimen {
namespace {

using internal::Phrases;
using internal::RecordSpan;

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
  bool unlocked = false;
};

class Decider {
 public:
  // Writes the decision into *decision, reusing its memory: the blocks of its routine become
  // spares for this decision's blocks, its changes and notes are cleared for reuse.
  Decider(const Catalog& catalog, Lookups& lookups, const v1::Profile& profile, RecordSpan records,
          v1::ProgressDecision* decision)
      : catalog_(catalog),
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
      for (size_t i = rules_.size() - 1; i > 0 && rules_[i - 1]->priority() < rule.priority();
           --i) {
        std::swap(rules_[i - 1], rules_[i]);
      }
    }
  }

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
  // Sets work.block()'s prescription to that of `level` on the ladder, keeping the side order and
  // bias of `current` (the effective prescription before).
  static void SetLevel(Work& work, uint32_t level, const v1::Prescription& current);
  // Moves the blocks of works_ into `out` (the catalog's rest after a block without one) and
  // estimates it; TakeBack moves them back as they were.
  absl::StatusOr<int64_t> Estimate(v1::Routine* out);
  void TakeBack(v1::Routine* out);

  void ApplyConditions();
  void ApplyGates();
  void ApplyLevels();
  void ApplyBias();
  void ApplyUnlocks();
  absl::Status FitBudget();

  const Catalog& catalog_;
  Lookups& lookups_;
  const v1::Profile& profile_;
  RecordSpan records_;
  absl::InlinedVector<const v1::ProgressionRule*, 16> rules_;
  absl::InlinedVector<Work, 8> works_;
  absl::InlinedVector<const std::string*, 8> locked_;
  v1::ProgressDecision* decision_;
  absl::InlinedVector<std::unique_ptr<v1::Block>, 8> spares_;
};

// Starts a change's reason, "advanced prone_lift to ", with room for the rest.
void StartReason(absl::string_view verb, absl::string_view id, absl::string_view preposition,
                 std::string* out) {
  out->reserve(240);
  out->append(verb.data(), verb.size())
      .append(id.data(), id.size())
      .append(preposition.data(), preposition.size());
}

// "level 2 of 4".
void AppendLevel(uint32_t level, const v1::Ladder* ladder, std::string* out) {
  out->append("level ");
  internal::AppendInt(level + 1, out);
  out->append(" of ");
  internal::AppendInt(ladder == nullptr ? 1 : ladder->levels_size(), out);
}
std::string Level(uint32_t level, const v1::Ladder* ladder) {
  std::string out;
  AppendLevel(level, ladder, &out);
  return out;
}

// Appends ": last 2 sessions: completion 100% ≥ 100%, max pain 2 ≤ 3" (the rule's id is in the
// change).
void AppendRuleWords(const v1::ProgressionRule& rule, const Phrases& why, std::string* out) {
  if (why.empty()) {
    if (!rule.description().empty()) absl::StrAppend(out, ": ", rule.description());
    return;
  }
  out->append(": ");
  internal::AppendWhy(why, out);
}
std::string RuleWords(const v1::ProgressionRule& rule, const Phrases& why) {
  std::string out;
  AppendRuleWords(rule, why, &out);
  return out;
}

// The largest metric window a condition looks at (0 when it has no metric).
uint32_t MaxWindow(const v1::Condition& condition) {
  switch (condition.kind_case()) {
    case v1::Condition::kMetric:
      return condition.metric().window();
    case v1::Condition::kAll:
    case v1::Condition::kAny: {
      uint32_t window = 0;
      const v1::ConditionList& list = condition.has_all() ? condition.all() : condition.any();
      for (const v1::Condition& sub : list.conditions()) window = std::max(window, MaxWindow(sub));
      return window;
    }
    default:
      return 0;
  }
}

bool Sided(const v1::Exercise& exercise) {
  return exercise.laterality() == v1::LATERALITY_ALTERNATING ||
         exercise.laterality() == v1::LATERALITY_PER_SIDE;
}

const char* SideName(v1::Side side) { return side == v1::LEFT ? "left" : "right"; }

// The exercise's corrective cue for an asymmetry: its cue triggered by an asymmetry report.
const v1::Cue* CorrectiveCue(const v1::Exercise& exercise) {
  for (const v1::Cue& cue : exercise.cues()) {
    if (cue.trigger().kind() == v1::TRIGGER_REPORT &&
        cue.trigger().report() == v1::REPORT_ASYMMETRY) {
      return &cue;
    }
  }
  return nullptr;
}

// The side reported to take over most often in `records` for `exercise` (ties: the latest).
v1::Side TakeoverSide(RecordSpan records, const std::string& exercise) {
  int left = 0;
  int right = 0;
  v1::Side latest = v1::SIDE_UNSPECIFIED;
  for (const v1::SessionRecord* record : records) {
    for (const v1::ReportRecord& report : record->reports()) {
      if (report.kind() != v1::REPORT_ASYMMETRY ||
          !internal::Counts(exercise, report.exercise_id())) {
        continue;
      }
      v1::Side side = report.side();
      if (side == v1::SIDE_UNSPECIFIED && (report.value() == 1 || report.value() == 2)) {
        side = static_cast<v1::Side>(report.value());
      }
      if (side == v1::LEFT) ++left;
      if (side == v1::RIGHT) ++right;
      if (side != v1::SIDE_UNSPECIFIED) latest = side;
    }
  }
  if (left > right) return v1::LEFT;
  if (right > left) return v1::RIGHT;
  return latest;
}

// The prescription `block` runs with (EffectivePrescription without the copy).
const v1::Prescription& Effective(const v1::Block& block, const v1::Exercise& exercise) {
  return block.has_prescription() ? block.prescription() : exercise.default_prescription();
}

void Decider::SetLevel(Work& work, uint32_t level, const v1::Prescription& current) {
  const v1::Side first_side = current.first_side();
  const bool has_bias = current.has_bias();
  v1::SideBias bias;
  if (has_bias) bias = current.bias();  // `current` may be the prescription overwritten below
  v1::Prescription* out = work.block().mutable_prescription();
  *out = work.ladder->levels(static_cast<int>(level));
  if (first_side != v1::SIDE_UNSPECIFIED) out->set_first_side(first_side);
  if (has_bias) *out->mutable_bias() = bias;
}

// The position of an exercise in the catalog.
int CatalogIndex(const Catalog& catalog, const std::string& exercise_id) {
  const auto& exercises = catalog.proto().exercises();
  for (int i = 0; i < exercises.size(); ++i) {
    if (exercises.Get(i).id() == exercise_id) return i;
  }
  return exercises.size();
}

int64_t CatalogRestAfter(const Catalog& catalog, const std::string& exercise_id) {
  for (const v1::Routine& routine : catalog.proto().routines()) {
    for (const v1::Block& block : routine.blocks()) {
      if (block.exercise_id() == exercise_id) return block.rest_after_ms();
    }
  }
  return 0;
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

// Conditions of the profile: a primer_only condition leaves the primer alone; a contraindicated
// exercise goes.
void Decider::ApplyConditions() {
  const v1::ConditionDef* primer_only = internal::PrimerOnlyCondition(catalog_, profile_);
  for (size_t i = 0; i < works_.size();) {
    const Work& work = works_[i];
    const std::string& id = work.exercise->id();
    if (primer_only != nullptr && !work.exercise->primer()) {
      AddChange(id, v1::LOCK, work.level, work.level, absl::StrCat("condition:", primer_only->id()),
                absl::StrCat("removed ", id, ": only the primer with ", primer_only->id(),
                             primer_only->advice().empty() ? "" : ". ", primer_only->advice()));
      Remove(id);
      continue;
    }
    if (std::string condition = internal::ContraindicatingCondition(*work.exercise, profile_);
        !condition.empty()) {
      AddChange(id, v1::LOCK, work.level, work.level, absl::StrCat("condition:", condition),
                absl::StrCat("removed ", id, ": contraindicated with ", condition));
      Remove(id);
      continue;
    }
    ++i;
  }
  if (primer_only != nullptr && !primer_only->advice().empty()) Note(primer_only->advice());
}

// A gated exercise stays only while its gate holds; then the catalog's LOCK rules.
void Decider::ApplyGates() {
  for (size_t i = 0; i < works_.size();) {
    const Work& work = works_[i];
    const v1::Exercise& exercise = *work.exercise;
    if (!internal::IsGated(exercise)) {
      ++i;
      continue;
    }
    const std::string& id = exercise.id();
    std::string missing;
    std::string why;
    if (!internal::GateAttested(exercise.gate(), profile_, &missing)) {
      AddChange(id, v1::LOCK, work.level, 0, "gate",
                absl::StrCat("locked ", id, ": the profile does not attest ", missing));
      Remove(id);
      continue;
    }
    if (!HistoryMet(exercise.gate().history(), records_, &why)) {
      AddChange(id, v1::LOCK, work.level, 0, "gate",
                absl::StrCat("locked ", id, ": its gate no longer holds (", why, ")"));
      Remove(id);
      continue;
    }
    bool removed = false;
    for (const v1::ProgressionRule* rule : rules_) {
      if (rule->action() != v1::LOCK || !Applies(*rule, id)) continue;
      Phrases phrases;
      if (internal::Evaluate(rule->when(), records_, profile_, id, work.level, &phrases)) {
        AddChange(id, v1::LOCK, work.level, 0, rule->id(),
                  absl::StrCat("locked ", id, RuleWords(*rule, phrases)));
        Remove(id);
        removed = true;
        break;
      }
    }
    if (!removed) ++i;
  }
}

// Advance, hold or regress each laddered exercise: of the rules that hold, the most cautious
// action wins (regress, then hold, then advance), the first of that action in rule order.
void Decider::ApplyLevels() {
  const v1::SessionRecord* latest = records_.empty() ? nullptr : records_.back();
  const int pain = latest == nullptr ? -1 : internal::MaxPain(*latest, "");
  const int stops = latest == nullptr ? 0 : internal::SafetyStops(*latest, "");
  for (Work& work : works_) {
    if (work.ladder == nullptr || work.ladder->levels_size() == 0) continue;
    const std::string& id = work.exercise->id();
    const v1::ProgressionRule* chosen[4] = {nullptr, nullptr, nullptr, nullptr};
    Phrases why[4];
    for (const v1::ProgressionRule* rule : rules_) {
      const v1::ProgressAction action = rule->action();
      if (action != v1::ADVANCE && action != v1::HOLD && action != v1::REGRESS) continue;
      if (chosen[action] != nullptr || !Applies(*rule, id)) continue;
      // A more cautious action already holds: this rule cannot change the outcome (a rule that
      // does not hold leaves `why` as it was, so not evaluating it changes nothing).
      if (chosen[v1::REGRESS] != nullptr) break;
      if (action == v1::ADVANCE && chosen[v1::HOLD] != nullptr) continue;
      if (internal::Evaluate(rule->when(), records_, profile_, id, work.level, &why[action])) {
        chosen[action] = rule;
      }
    }
    const uint32_t from = work.level;
    const uint32_t top = static_cast<uint32_t>(work.ladder->levels_size() - 1);
    if (chosen[v1::REGRESS] != nullptr) {
      const std::string words = RuleWords(*chosen[v1::REGRESS], why[v1::REGRESS]);
      if (from == 0) {
        AddChange(id, v1::HOLD, 0, 0, chosen[v1::REGRESS]->id(),
                  absl::StrCat("held ", id, " at ", Level(0, work.ladder),
                               ", its lowest, instead of regressing", words));
      } else {
        work.level = from - 1;
        SetLevel(work, work.level, Effective(work.block(), *work.exercise));
        std::string* reason =
            AddChange(id, v1::REGRESS, from, work.level, chosen[v1::REGRESS]->id());
        StartReason("regressed ", id, " to ", reason);
        AppendLevel(work.level, work.ladder, reason);
        reason->append(words);
      }
      continue;
    }
    if (chosen[v1::HOLD] != nullptr) {
      std::string* reason = AddChange(id, v1::HOLD, from, from, chosen[v1::HOLD]->id());
      StartReason("held ", id, " at ", reason);
      AppendLevel(from, work.ladder, reason);
      AppendRuleWords(*chosen[v1::HOLD], why[v1::HOLD], reason);
      continue;
    }
    if (chosen[v1::ADVANCE] == nullptr) {
      std::string* reason = AddChange(id, v1::HOLD, from, from, "");
      StartReason("held ", id, " at ", reason);
      AppendLevel(from, work.ladder, reason);
      reason->append(": no progression rule holds yet");
      continue;
    }
    const v1::ProgressionRule& rule = *chosen[v1::ADVANCE];
    // Never through pain, whatever the rules say: no advance after a session with pain above
    // the safe zone or a safety stop, in any exercise.
    if (pain > kSafePainMax || stops > 0) {
      AddChange(id, v1::HOLD, from, from, "safety",
                absl::StrCat("held ", id, " at ", Level(from, work.ladder), ": rule ", rule.id(),
                             " would advance it, but the latest session had ",
                             stops > 0 ? "a safety stop"
                                       : absl::StrCat("pain ", pain, " > ", kSafePainMax)));
      continue;
    }
    if (from >= top) {
      std::string* reason = AddChange(id, v1::HOLD, from, from, rule.id());
      StartReason("held ", id, " at ", reason);
      AppendLevel(from, work.ladder, reason);
      reason->append(", the top of its ladder");
      AppendRuleWords(rule, why[v1::ADVANCE], reason);
      continue;
    }
    // Every level of a ladder is valid for its exercise (a Catalog exists only once validated,
    // ValidateCatalog checks each level with ValidatePrescription), and first_side is not
    // validated: the next prescription can only be invalid through the bias it keeps.
    const v1::Prescription& current = Effective(work.block(), *work.exercise);
    bool valid = true;
    if (current.has_bias()) {
      v1::Prescription next = work.ladder->levels(static_cast<int>(from + 1));
      if (current.first_side() != v1::SIDE_UNSPECIFIED) next.set_first_side(current.first_side());
      *next.mutable_bias() = current.bias();
      valid = ValidatePrescription(next, *work.exercise, "prescription").empty();
    }
    if (!valid) {
      AddChange(id, v1::HOLD, from, from, "safety",
                absl::StrCat("held ", id, " at ", Level(from, work.ladder), ": ",
                             Level(from + 1, work.ladder), " with its side bias would leave ", id,
                             "'s safe ranges"));
      continue;
    }
    work.advanced = true;
    work.previous_level = from;
    work.level = from + 1;
    SetLevel(work, work.level, current);
    work.change = decision_->changes_size();
    std::string* reason = AddChange(id, v1::ADVANCE, from, work.level, rule.id());
    StartReason("advanced ", id, " to ", reason);
    AppendLevel(work.level, work.ladder, reason);
    AppendRuleWords(rule, why[v1::ADVANCE], reason);
  }
}

// Asymmetry: while a BIAS_SIDE rule holds, one extra rep per set on the weaker side (the one
// opposite the side that takes over) and the corrective cue first; removed when none holds.
void Decider::ApplyBias() {
  for (Work& work : works_) {
    const v1::Exercise& exercise = *work.exercise;
    if (!Sided(exercise)) continue;
    const std::string& id = exercise.id();
    bool managed = false;
    const v1::ProgressionRule* chosen = nullptr;
    Phrases why;
    for (const v1::ProgressionRule* rule : rules_) {
      if (rule->action() != v1::BIAS_SIDE || !Applies(*rule, id)) continue;
      managed = true;
      if (internal::Evaluate(rule->when(), records_, profile_, id, work.level, &why)) {
        chosen = rule;
        break;
      }
    }
    if (!managed) continue;
    if (chosen == nullptr) {
      if (Effective(work.block(), exercise).bias().extra_reps() > 0 ||
          work.block().lead_cue_ids_size() > 0) {
        v1::Prescription prescription = EffectivePrescription(work.block(), exercise);
        prescription.clear_bias();
        *work.block().mutable_prescription() = std::move(prescription);
        work.block().clear_lead_cue_ids();
        AddChange(
            id, v1::BIAS_SIDE, work.level, work.level, "",
            absl::StrCat("removed the side bias of ", id, ": no asymmetry rule holds any more"));
      }
      continue;
    }
    const uint32_t window = std::max<uint32_t>(1, MaxWindow(chosen->when()));
    const v1::Side takeover = TakeoverSide(internal::LastRecords(records_, window), id);
    if (takeover == v1::SIDE_UNSPECIFIED) {
      Note(absl::StrCat("no side bias for ", id, ": the asymmetry reports name no side"));
      continue;
    }
    const v1::Side weaker = takeover == v1::LEFT ? v1::RIGHT : v1::LEFT;
    v1::Prescription prescription = EffectivePrescription(work.block(), exercise);
    prescription.mutable_bias()->set_side(weaker);
    prescription.mutable_bias()->set_extra_reps(1);
    if (!ValidatePrescription(prescription, exercise, "prescription").empty()) {
      Note(absl::StrCat("no side bias for ", id, ": an extra rep would leave its safe ranges"));
      continue;
    }
    *work.block().mutable_prescription() = std::move(prescription);
    work.block().clear_lead_cue_ids();
    const v1::Cue* cue = CorrectiveCue(exercise);
    if (cue != nullptr) work.block().add_lead_cue_ids(cue->id());
    AddChange(id, v1::BIAS_SIDE, work.level, work.level, chosen->id(),
              absl::StrCat("biased ", id, " to the weaker ", SideName(weaker), " side (",
                           SideName(takeover), " side takes over): +1 rep per set",
                           cue != nullptr ? absl::StrCat(", leading with cue ", cue->id()) : "",
                           RuleWords(*chosen, why)));
  }
}

// A gated exercise joins when an UNLOCK rule holds and its gate is met.
void Decider::ApplyUnlocks() {
  const v1::ConditionDef* primer_only = internal::PrimerOnlyCondition(catalog_, profile_);
  for (const v1::Exercise& exercise : catalog_.proto().exercises()) {
    if (!internal::IsGated(exercise) || InRoutine(exercise.id()) || Locked(exercise.id())) {
      continue;
    }
    const std::string& id = exercise.id();
    const v1::ProgressionRule* chosen = nullptr;
    Phrases why;
    bool any_rule = false;
    for (const v1::ProgressionRule* rule : rules_) {
      if (rule->action() != v1::UNLOCK || !Applies(*rule, id)) continue;
      any_rule = true;
      // Unlock rules look at the whole session: the exercise has no history of its own yet.
      if (internal::Evaluate(rule->when(), records_, profile_, "", 0, &why)) {
        chosen = rule;
        break;
      }
    }
    if (!any_rule) continue;
    std::string missing;
    std::string history_why;
    const std::string condition = internal::ContraindicatingCondition(exercise, profile_);
    if (primer_only != nullptr || !condition.empty()) {
      Note(absl::StrCat(id, " stays locked: not with ",
                        primer_only != nullptr ? primer_only->id() : condition));
    } else if (!internal::GateAttested(exercise.gate(), profile_, &missing)) {
      Note(absl::StrCat(id, " stays locked: the profile does not attest ", missing));
    } else if (!HistoryMet(exercise.gate().history(), records_, &history_why)) {
      Note(absl::StrCat(id, " stays locked: its gate needs ", history_why));
    } else if (chosen == nullptr) {
      Note(absl::StrCat(id, " stays locked: no unlock rule holds"));
    } else {
      Work work;
      work.exercise = &exercise;
      work.owned = NewBlock();
      work.block().set_exercise_id(id);
      work.ladder = lookups_.Ladder(id);
      if (work.ladder != nullptr && work.ladder->levels_size() > 0) {
        *work.block().mutable_prescription() = work.ladder->levels(0);
      }
      work.unlocked = true;
      work.change = decision_->changes_size();
      // In catalog order: after every block whose exercise comes earlier in the catalog.
      const int rank = CatalogIndex(catalog_, exercise.id());
      size_t at = works_.size();
      while (at > 0 && CatalogIndex(catalog_, works_[at - 1].exercise->id()) > rank) --at;
      works_.insert(works_.begin() + static_cast<std::ptrdiff_t>(at), std::move(work));
      AddChange(id, v1::UNLOCK, 0, 0, chosen->id(),
                absl::StrCat("unlocked ", id, RuleWords(*chosen, why), "; its gate is met"));
    }
  }
}

// The routine must fit the session budget: undo this decision's advances and unlocks first,
// then drop the last exercises; the primer alone must fit.
absl::Status Decider::FitBudget() {
  const int64_t budget = SessionBudgetMs(profile_);
  v1::Routine* routine = decision_->mutable_routine();
  absl::StatusOr<int64_t> estimate = Estimate(routine);
  if (!estimate.ok()) return estimate.status();
  // ", over the session budget of 8:00", written once when a change needs it.
  std::string over_budget;
  auto budget_words = [&over_budget, budget]() -> const std::string& {
    if (over_budget.empty()) {
      over_budget = absl::StrCat(", over the session budget of ", internal::MinutesSeconds(budget));
    }
    return over_budget;
  };
  while (*estimate > budget) {
    TakeBack(routine);
    // The words for what is undone, built only for the change that uses them.
    const int64_t over_ms = *estimate;
    auto over = [over_ms, &budget_words] {
      return absl::StrCat("the routine would take ", internal::MinutesSeconds(over_ms),
                          budget_words());
    };
    auto longer = [over_ms, &budget_words] {
      return absl::StrCat("it would make the routine ", internal::MinutesSeconds(over_ms),
                          budget_words());
    };
    bool undone = false;
    for (size_t i = works_.size(); i > 0 && !undone; --i) {
      Work& work = works_[i - 1];
      if (work.unlocked) {
        v1::Change* change = decision_->mutable_changes(work.change);
        change->set_action(v1::HOLD);
        change->set_reason(absl::StrCat(work.exercise->id(), " stays locked: ", over()));
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
        change->set_reason(absl::StrCat("held ", work.exercise->id(), " at ",
                                        Level(work.previous_level, work.ladder), ": advancing ",
                                        longer()));
        // Keep the bias decided after the advance.
        const v1::Prescription& advanced = Effective(work.block(), *work.exercise);
        const v1::Side first_side = advanced.first_side();
        const bool has_bias = advanced.has_bias();
        v1::SideBias bias;
        if (has_bias) bias = advanced.bias();
        work.block() = *work.source;
        v1::Prescription* held = work.block().mutable_prescription();
        *held = work.ladder->levels(static_cast<int>(work.previous_level));
        held->set_first_side(first_side);
        if (has_bias) *held->mutable_bias() = bias;
        work.level = work.previous_level;
        work.advanced = false;
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
      const Work& last = works_.back();
      AddChange(last.exercise->id(), v1::LOCK, last.level, last.level, "budget",
                absl::StrCat("left out ", last.exercise->id(), ": ", over()));
      locked_.push_back(&last.exercise->id());
      works_.pop_back();
    }
    estimate = Estimate(routine);
    if (!estimate.ok()) return estimate.status();
  }
  routine->set_estimated_duration_ms(*estimate);
  return absl::OkStatus();
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
    out->set_name("Custom routine");
  }
  return absl::OkStatus();
}

absl::Status CheckRecords(const v1::ProgressRequest& request) {
  for (int i = 0; i < request.records_size(); ++i) {
    const v1::SessionRecord& record = request.records(i);
    for (int j = 0; j < record.reports_size(); ++j) {
      const v1::ReportRecord& report = record.reports(j);
      if ((report.kind() == v1::REPORT_PAIN || report.kind() == v1::REPORT_EFFORT) &&
          (report.value() < 0 || report.value() > 10)) {
        return absl::InvalidArgumentError(
            absl::StrCat("records[", i, "].reports[", j,
                         "].value: ", report.kind() == v1::REPORT_PAIN ? "pain" : "effort",
                         " must be 0..10, got ", report.value()));
      }
    }
    for (int j = 0; j < record.safety_stops_size(); ++j) {
      const int pain = record.safety_stops(j).pain();
      if (pain < 0 || pain > 10) {
        return absl::InvalidArgumentError(
            absl::StrCat("records[", i, "].safety_stops[", j, "].pain: must be 0..10, got ", pain));
      }
    }
  }
  return absl::OkStatus();
}

// ValidateRoutine(routine, catalog), with the catalog's answers remembered for the decision.
absl::Status CheckRoutine(const v1::Routine& routine, Lookups& lookups) {
  std::vector<ValidationError> errors;
  const internal::ExerciseLookup exercises = [&lookups](absl::string_view id) {
    return lookups.Exercise(id);
  };
  const internal::LadderLookup ladders = [&lookups](absl::string_view id) {
    return lookups.Ladder(id);
  };
  internal::ValidateRoutineWith(routine, exercises, &ladders, "", &errors);
  if (!errors.empty()) {
    for (ValidationError& error : errors) error.path = absl::StrCat("routine.", error.path);
    return ErrorsToStatus(errors);
  }
  if (routine.levels_size() != 0 && routine.levels_size() != routine.blocks_size()) {
    return absl::InvalidArgumentError(absl::StrCat("routine.levels: has ", routine.levels_size(),
                                                   " entries for ", routine.blocks_size(),
                                                   " blocks"));
  }
  for (int i = 0; i < routine.levels_size(); ++i) {
    const v1::Ladder* ladder = lookups.Ladder(routine.blocks(i).exercise_id());
    const int size = ladder == nullptr ? 1 : std::max(1, ladder->levels_size());
    if (routine.levels(i) >= static_cast<uint32_t>(size)) {
      return absl::InvalidArgumentError(
          absl::StrCat("routine.levels[", i, "]: ", routine.blocks(i).exercise_id(), " has ", size,
                       size == 1 ? " level (0)" : absl::StrCat(" levels (0..", size - 1, ")"),
                       ", got ", routine.levels(i)));
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool HistoryMet(const v1::HistoryRequirement& requirement,
                absl::Span<const v1::SessionRecord* const> records, std::string* why) {
  const uint32_t needed = requirement.sessions();
  if (needed == 0) return true;
  auto fail = [why](std::string text) {
    if (why != nullptr) *why = std::move(text);
    return false;
  };
  if (records.size() < needed) {
    return fail(absl::StrCat("the last ", needed, " sessions on record, found ", records.size()));
  }
  const RecordSpan recent = internal::LastRecords(records, needed);
  int pain = 0;
  int complete = 0;
  int asymmetric = 0;
  for (const v1::SessionRecord* record : recent) {
    pain = std::max(pain, internal::MaxPain(*record, ""));
    complete += internal::CompletedInFull(*record);
    asymmetric += internal::HasAsymmetry(*record, "");
  }
  const bool incomplete = requirement.completed() && complete < static_cast<int>(needed);
  const bool painful = pain > static_cast<int>(requirement.max_pain());
  const bool uneven = requirement.no_asymmetry() && asymmetric > 0;
  if (!incomplete && !painful && !uneven) return true;
  if (why == nullptr) return false;
  // "last 4 sessions: all complete, but 3 of 4 were, max pain 7 > 3", written in place.
  why->clear();
  why->append("last ");
  internal::AppendInt(needed, why);
  why->append(" sessions: ");
  const char* separator = "";
  if (incomplete) {
    why->append("all complete, but ");
    internal::AppendInt(complete, why);
    why->append(" of ");
    internal::AppendInt(needed, why);
    why->append(" were");
    separator = ", ";
  }
  if (painful) {
    why->append(separator).append("max pain ");
    internal::AppendInt(pain, why);
    why->append(" > ");
    internal::AppendInt(requirement.max_pain(), why);
    separator = ", ";
  }
  if (uneven) {
    why->append(separator).append("no asymmetry report, but ");
    internal::AppendInt(asymmetric, why);
    why->append(" had one");
  }
  return false;
}

absl::StatusOr<v1::ProgressDecision> Progress(const Catalog& catalog,
                                              const v1::ProgressRequest& request) {
  v1::ProgressDecision decision;
  if (absl::Status status = Progress(catalog, request, &decision); !status.ok()) return status;
  return decision;
}

absl::Status Progress(const Catalog& catalog, const v1::ProgressRequest& request,
                      v1::ProgressDecision* decision) {
  // The decision reads only the profile's conditions and attestations and its session budget
  // (SessionBudgetMs applies the defaults itself), so the normalized copy is needed only to
  // generate a routine.
  const bool generate = request.routine().blocks_size() == 0;
  absl::StatusOr<v1::Profile> normalized;
  if (generate) {
    normalized = NormalizeProfile(catalog, request.profile());
    if (!normalized.ok()) return normalized.status();
  } else if (absl::Status status = internal::CheckProfile(catalog, request.profile());
             !status.ok()) {
    return status;
  }
  const v1::Profile& profile = generate ? *normalized : request.profile();
  if (absl::Status status = CheckRecords(request); !status.ok()) return status;
  Lookups lookups(catalog);
  v1::Routine generated;
  const v1::Routine* routine = &request.routine();
  if (generate) {
    absl::StatusOr<v1::Routine> fresh = GenerateRoutine(catalog, profile);
    if (!fresh.ok()) return fresh.status();
    generated = *std::move(fresh);
    routine = &generated;
  } else if (absl::Status status = CheckRoutine(*routine, lookups); !status.ok()) {
    return status;
  }
  absl::InlinedVector<const v1::SessionRecord*, 16> records;
  records.reserve(static_cast<size_t>(request.records_size()));
  for (const v1::SessionRecord& record : request.records()) records.push_back(&record);
  Decider decider(catalog, lookups, profile, records, decision);
  return decider.Decide(*routine);
}

}  // namespace regimen
