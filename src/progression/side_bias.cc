// The side bias of the Decider: an extra rep on the weaker side while an asymmetry rule holds.
#include <algorithm>
#include <string>
#include <utility>

#include "regimen/routine.h"
#include "src/progression/decider.h"
#include "src/progression/metrics.h"
#include "src/progression/reasons.h"
#include "src/progression/words.h"

namespace regimen::internal {
namespace {

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

}  // namespace

bool Decider::HasBias(const Work& work) {
  return Effective(work.block(), *work.exercise).bias().extra_reps() > 0 ||
         work.block().lead_cue_ids_size() > 0;
}

void Decider::RemoveBias(Work& work, Word why) {
  v1::Prescription prescription = EffectivePrescription(work.block(), *work.exercise);
  prescription.clear_bias();
  *work.block().mutable_prescription() = std::move(prescription);
  work.block().clear_lead_cue_ids();
  work.bias_change = decision_->changes_size();
  words_.Append(Word::kBiasRemoved, {{"exercise", work.exercise->id()}, {"why", words_.Get(why)}},
                AddChange(work.exercise->id(), v1::BIAS_SIDE, work.level, work.level, ""));
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
      if (HasBias(work)) RemoveBias(work, Word::kBiasNoRule);
      continue;
    }
    Bias(work, *chosen, why);
  }
}

void Decider::Bias(Work& work, const v1::ProgressionRule& rule, const Phrases& why) {
  const v1::Exercise& exercise = *work.exercise;
  const std::string& id = exercise.id();
  const uint32_t window = std::max<uint32_t>(1, MaxWindow(rule.when()));
  const v1::Side takeover = TakeoverSide(internal::LastRecords(records_, window), id);
  if (takeover == v1::SIDE_UNSPECIFIED) {
    // The rule still holds: a bias decided before stays as it is.
    work.bias_note = NoteCount();
    Note(words_.Fill(HasBias(work) ? Word::kBiasKeptNoSide : Word::kBiasNoneNoSide,
                     {{"exercise", id}}));
    return;
  }
  const v1::Side weaker = takeover == v1::LEFT ? v1::RIGHT : v1::LEFT;
  v1::Prescription prescription = EffectivePrescription(work.block(), exercise);
  prescription.mutable_bias()->set_side(weaker);
  prescription.mutable_bias()->set_extra_reps(1);
  if (!ValidatePrescription(prescription, exercise, "prescription").empty()) {
    if (HasBias(work)) {
      RemoveBias(work, Word::kBiasOutOfRange);
    } else {
      work.bias_note = NoteCount();
      Note(words_.Fill(Word::kBiasNoneOutOfRange, {{"exercise", id}}));
    }
    return;
  }
  *work.block().mutable_prescription() = std::move(prescription);
  work.block().clear_lead_cue_ids();
  const v1::Cue* cue = CorrectiveCue(exercise);
  if (cue != nullptr) work.block().add_lead_cue_ids(cue->id());
  work.bias_change = decision_->changes_size();
  auto side = [this](v1::Side s) { return words_.Get(s == v1::LEFT ? Word::kLeft : Word::kRight); };
  words_.Append(
      Word::kBiased,
      {{"exercise", id},
       {"weaker", side(weaker)},
       {"takeover", side(takeover)},
       {"lead", cue != nullptr ? words_.Fill(Word::kBiasedLead, {{"cue", cue->id()}}) : ""},
       {"because", Because(words_, rule, why)}},
      AddChange(id, v1::BIAS_SIDE, work.level, work.level, rule.id()));
}

}  // namespace regimen::internal
