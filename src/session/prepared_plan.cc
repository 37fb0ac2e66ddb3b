// Building a PreparedPlan's tables from a validated plan.
#include "src/session/prepared_plan.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "regimen/plan.h"
#include "src/model/labels.h"
#include "src/model/timing.h"

namespace regimen {
namespace {

bool Timed(int32_t trigger) {
  return trigger == v1::TRIGGER_PHASE_ENTRY || trigger == v1::TRIGGER_PHASE_OFFSET ||
         trigger == v1::TRIGGER_BEFORE_PHASE_END;
}

// Whether a cue of an exercise can fire on entry to a phase of `kind` (any entry).
// How long a waiting cue stays worth saying (CueUntil): count, instruction and breath cues and
// countdowns belong to their phase; the rest hold for the whole exercise.
v1::CueUntil UntilOf(const v1::PlanCue& cue) {
  if (cue.until() != v1::CUE_UNTIL_UNSPECIFIED) return cue.until();
  const bool phase_bound =
      cue.kind() == v1::CUE_KIND_COUNT || cue.kind() == v1::CUE_KIND_INSTRUCTION ||
      cue.kind() == v1::CUE_KIND_BREATH || cue.trigger().kind() == v1::TRIGGER_BEFORE_PHASE_END;
  return phase_bound ? v1::CUE_UNTIL_PHASE_END : v1::CUE_UNTIL_EXERCISE_END;
}

bool FiresOnEntryTo(const session_internal::CueInfo& cue, int32_t kind) {
  switch (cue.trigger) {
    case v1::TRIGGER_EXERCISE_START:
    case v1::TRIGGER_SIDE_SWITCH:
      return true;
    case v1::TRIGGER_EVERY_NTH_REP:
    case v1::TRIGGER_FIRST_REP:
    case v1::TRIGGER_PHASE_ENTRY:
    case v1::TRIGGER_PHASE_OFFSET:
    case v1::TRIGGER_BEFORE_PHASE_END:
      return cue.phase == v1::PHASE_KIND_UNSPECIFIED || cue.phase == kind;
    default:
      return false;
  }
}

// The same for an entry that starts no block and no side switch (first_of_rep: it starts a rep).
bool FiresOnPlainEntryTo(const session_internal::CueInfo& cue, int32_t kind, bool first_of_rep) {
  switch (cue.trigger) {
    case v1::TRIGGER_EVERY_NTH_REP:
    case v1::TRIGGER_FIRST_REP:
      return cue.phase == kind || (first_of_rep && cue.phase == v1::PHASE_KIND_UNSPECIFIED);
    case v1::TRIGGER_PHASE_ENTRY:
    case v1::TRIGGER_PHASE_OFFSET:
    case v1::TRIGGER_BEFORE_PHASE_END:
      return cue.phase == v1::PHASE_KIND_UNSPECIFIED || cue.phase == kind;
    default:
      return false;
  }
}

}  // namespace

absl::StatusOr<std::shared_ptr<const PreparedPlan>> PreparedPlan::Make(v1::Plan plan) {
  if (absl::Status status = ValidatePlan(plan); !status.ok()) return status;
  absl::StatusOr<v1::SessionOptions> options = ResolveSessionOptions(plan.options());
  if (!options.ok()) return options.status();
  *plan.mutable_options() = *std::move(options);
  return FromCompiled(std::move(plan));
}

std::shared_ptr<const PreparedPlan> PreparedPlan::FromCompiled(v1::Plan plan) {
  return std::shared_ptr<const PreparedPlan>(new PreparedPlan(std::move(plan)));
}

PreparedPlan::PreparedPlan(v1::Plan plan) : plan_(std::move(plan)) {
  const v1::SessionOptions& options = plan_.options();
  count_in_ms = options.count_in_ms();
  cue_lead_ms = options.cue_lead_ms();
  cue_gap_ms = options.cue_gap_ms();
  max_cue_delay_ms = options.max_cue_delay_ms();
  pain_stop_threshold = options.pain_stop_threshold();
  await_speech_end = options.has_await_speech_end() ? (options.await_speech_end() ? 1 : 0) : -1;
  BuildCues();
  BuildCueLists();
  BuildEngineWords();
  for (int e = 0; e < plan_.exercises_size(); ++e) BuildExercise(e);
  for (int b = 0; b < plan_.blocks_size(); ++b) BuildBlock(b);
  v1::Plan copy = plan_;
  timing::ClearDefaultOptions(copy.mutable_options());
  copy.SerializeToString(&snapshot_bytes_);
}

void PreparedPlan::BuildEngineWords() {
  auto word = [&](const std::string& id, const char* fallback) {
    auto it = plan_.engine_words().find(id);
    return it != plan_.engine_words().end() && !it->second.empty() ? it->second.c_str() : fallback;
  };
  for (int kind = 0; kind <= v1::PHASE_COUNT_IN; ++kind) {
    const auto phase = static_cast<v1::PhaseKind>(kind);
    engine_phase_labels[kind] = word(absl::StrCat("engine.phase.", labels::PhaseKindName(kind)),
                                     labels::EnginePhaseLabel(phase));
  }
  for (int t = 0; t < kEventTypes; ++t) {
    event_labels[t] =
        labels::EventLabel(static_cast<v1::SessionEvent::Type>(t), v1::SESSION_END_COMPLETED);
  }
  for (const labels::EventWord& event : labels::EventWords()) {
    const char* text = word(event.id, labels::EventLabel(event.type, event.end));
    if (event.type != v1::SessionEvent::SESSION_COMPLETED) {
      event_labels[event.type] = text;
      continue;
    }
    session_end_labels[event.end] = text;
    if (event.end == v1::SESSION_END_COMPLETED) {
      event_labels[event.type] = session_end_labels[v1::SESSION_END_UNSPECIFIED] = text;
    }
  }
}

const char* PreparedPlan::EventLabel(v1::SessionEvent::Type type, v1::SessionEnd end) const {
  if (type == v1::SessionEvent::SESSION_COMPLETED && end >= 0 && end < kSessionEnds) {
    return session_end_labels[end];
  }
  return type >= 0 && type < kEventTypes ? event_labels[type] : "";
}

const char* PreparedPlan::EnginePhaseLabel(v1::PhaseKind kind) const {
  return kind >= 0 && kind <= v1::PHASE_COUNT_IN ? engine_phase_labels[kind]
                                                 : labels::EnginePhaseLabel(kind);
}

void PreparedPlan::BuildCues() {
  const uint32_t words_per_minute = plan_.options().words_per_minute();
  const int64_t half_breath_ms = plan_.options().breath_period_ms() / 2;
  auto add_cue = [&](const v1::PlanCue& cue, bool session_cue) {
    CueInfo& info = cues.emplace_back();
    info.id = cue.id().c_str();
    info.text_begin = static_cast<uint32_t>(texts.size());
    info.texts = static_cast<uint32_t>(cue.texts_size());
    for (int k = 0; k < cue.texts_size(); ++k) {
      const std::string& text = cue.texts(k);
      texts.push_back(text.c_str());
      // The text's own time (a translator's or TTS engine's), else the cue's, else the estimate.
      int64_t ms = cue.text_speak_ms_size() > 0
                       ? (k < cue.text_speak_ms_size() ? cue.text_speak_ms(k) : 0)
                       : cue.speak_ms();
      speak_ms.push_back(ms > 0 ? ms : EstimateSpeakMs(text, words_per_minute));
    }
    info.kind = cue.kind();
    info.priority = cue.priority();
    const v1::CueTrigger& trigger = cue.trigger();
    info.trigger = trigger.kind();
    info.protect = cue.priority() == v1::CUE_PRIORITY_SAFETY ||
                   (session_cue && (trigger.kind() == v1::TRIGGER_SAFETY_STOP ||
                                    trigger.kind() == v1::TRIGGER_SESSION_END));
    info.until_exercise_end = UntilOf(cue) == v1::CUE_UNTIL_EXERCISE_END;
    info.max_delay_ms = cue.max_delay_ms() > 0 ? cue.max_delay_ms() : max_cue_delay_ms;
    info.phase = trigger.phase();
    info.offset_ms = trigger.offset_ms() + half_breath_ms * trigger.half_breaths();
    info.every_n = std::max<int32_t>(1, static_cast<int32_t>(trigger.every_n()));
    info.from_rep = static_cast<int32_t>(trigger.from_rep());
    info.side = trigger.side();
    info.report = trigger.report();
    info.min_value = static_cast<int64_t>(trigger.min_value());
    info.max_value = static_cast<int64_t>(trigger.max_value());
    if (info.trigger == v1::TRIGGER_REPORT &&
        (info.report == v1::REPORT_PAIN || info.report == v1::REPORT_EFFORT)) {
      uint32_t& mask = info.report == v1::REPORT_PAIN ? pain_cue_values : effort_cue_values;
      for (int64_t v = 0; v <= 10; ++v) {
        if (v >= info.min_value && (info.max_value == 0 || v <= info.max_value)) mask |= 1u << v;
      }
    }
  };
  cue_base.push_back(0);
  for (const v1::PlanCue& cue : plan_.session_cues()) add_cue(cue, true);
  for (const v1::PlanExercise& exercise : plan_.exercises()) {
    cue_base.push_back(static_cast<uint32_t>(cues.size()));
    for (const v1::PlanCue& cue : exercise.cues()) add_cue(cue, false);
  }
  cue_base.push_back(static_cast<uint32_t>(cues.size()));
}

template <typename Pick>
PreparedPlan::CueList PreparedPlan::List(Pick pick, int32_t owner) {
  CueList list;
  list.begin = static_cast<uint32_t>(lists.size());
  const uint32_t count = CueCount(owner);
  for (uint32_t i = 0; i < count; ++i) {
    if (pick(Cue(owner, i))) lists.push_back(static_cast<uint16_t>(i));
  }
  list.size = static_cast<uint32_t>(lists.size()) - list.begin;
  return list;
}

void PreparedPlan::BuildCueLists() {
  auto trigger_is = [](int32_t kind) {
    return [kind](const CueInfo& cue) { return cue.trigger == kind; };
  };
  session_start_cues = List(trigger_is(v1::TRIGGER_SESSION_START), -1);
  session_end_cues = List(trigger_is(v1::TRIGGER_SESSION_END), -1);
  safety_stop_cues = List(trigger_is(v1::TRIGGER_SAFETY_STOP), -1);
  auto timed_in = [](int32_t phase) {
    return [phase](const CueInfo& cue) { return Timed(cue.trigger) && cue.phase == phase; };
  };
  count_in_cues = List(timed_in(v1::PHASE_COUNT_IN), -1);
  for (int32_t owner = -1; owner < plan_.exercises_size(); ++owner) {
    rest_cues.push_back(List(timed_in(v1::PHASE_REST), owner));
  }
}

void PreparedPlan::BuildExercise(int index) {
  const v1::PlanExercise& exercise = plan_.exercises(index);
  ExerciseInfo& info = exercises.emplace_back();
  info.id = exercise.id().c_str();
  longest_exercise_id = std::max(longest_exercise_id, exercise.id().size());
  info.name = exercise.name().c_str();
  info.laterality = exercise.laterality();
  info.sided = timing::IsSided(exercise.laterality());
  info.phase_begin = static_cast<uint32_t>(phases.size());
  info.phases = static_cast<uint32_t>(exercise.phases_size());
  for (const v1::PlanPhase& phase : exercise.phases()) {
    PhaseInfo& out = phases.emplace_back();
    out.kind = phase.kind();
    out.scope = phase.scope();
    out.open = phase.open();
    out.label = phase.label().c_str();
    if (phase.scope() == v1::PHASE_SCOPE_REP && phase.kind() == v1::PHASE_HOLD) {
      ++info.holds_per_rep;
    }
    const int32_t kind = phase.kind();
    entry_cues.push_back(List([kind](const CueInfo& c) { return FiresOnEntryTo(c, kind); }, index));
    entry_cues_rep.push_back(
        List([kind](const CueInfo& c) { return FiresOnPlainEntryTo(c, kind, true); }, index));
    entry_cues_plain.push_back(
        List([kind](const CueInfo& c) { return FiresOnPlainEntryTo(c, kind, false); }, index));
  }
}

void PreparedPlan::BuildBlock(int index) {
  const v1::PlanBlock& block = plan_.blocks(index);
  const ExerciseInfo& exercise = exercises[block.exercise()];
  BlockInfo& info = blocks.emplace_back();
  info.exercise = block.exercise();
  info.sets = block.sets();
  info.reps = block.reps();
  info.first_side = block.first_side();
  info.bias_side = block.bias_side();
  info.bias_extra_reps = block.bias_extra_reps();
  info.rest_between_sets_ms = block.rest_between_sets_ms();
  info.rest_between_reps_ms = block.rest_between_reps_ms();
  info.rest_after_ms = block.rest_after_ms();
  info.phase_ms_begin = static_cast<uint32_t>(phase_ms.size());
  phase_ms.insert(phase_ms.end(), block.phase_ms().begin(), block.phase_ms().end());
  info.lead_begin = static_cast<uint32_t>(lead_cues.size());
  info.leads = static_cast<uint32_t>(block.lead_cues_size());
  lead_cues.insert(lead_cues.end(), block.lead_cues().begin(), block.lead_cues().end());
  const timing::SetPattern pattern =
      timing::PatternOf(block, static_cast<v1::Laterality>(exercise.laterality));
  const uint32_t reps = static_cast<uint32_t>(timing::ShapeOf(pattern).reps);
  info.reps_per_set = reps;
  info.sided = exercise.sided;
  info.side_begin = static_cast<uint32_t>(rep_sides.size());
  info.sides = exercise.sided ? reps : 0;
  // Planned counts: every rep of a set on its side.
  BlockCounts& counts = initial_counts.emplace_back();
  for (uint32_t rep = 0; rep < reps; ++rep) {
    const v1::Side side = timing::RepSide(pattern, rep);
    if (exercise.sided) rep_sides.push_back(static_cast<uint8_t>(side));
    session_internal::SideCounts& side_counts = counts.sides[side == v1::RIGHT ? 1 : 0];
    side_counts.reps_planned += info.sets;
    side_counts.holds_planned += info.sets * exercise.holds_per_rep;
  }
}

}  // namespace regimen
