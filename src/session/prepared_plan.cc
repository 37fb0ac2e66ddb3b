// Building a PreparedPlan's tables from a validated plan.
#include "src/session/prepared_plan.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "regimen/plan.h"

namespace regimen {
namespace {

bool Timed(int32_t trigger) {
  return trigger == v1::TRIGGER_PHASE_ENTRY || trigger == v1::TRIGGER_PHASE_OFFSET ||
         trigger == v1::TRIGGER_BEFORE_PHASE_END;
}

}  // namespace

void session_internal::ClearDefaultOptions(v1::SessionOptions* o) {
  if (o->breath_period_ms() == 5000) o->clear_breath_period_ms();
  if (o->count_in_ms() == 5000) o->clear_count_in_ms();
  if (o->words_per_minute() == 150) o->clear_words_per_minute();
  if (o->pain_stop_threshold() == 6) o->clear_pain_stop_threshold();
  if (o->cue_lead_ms() == 0) o->clear_cue_lead_ms();
  if (o->cue_gap_ms() == 250) o->clear_cue_gap_ms();
  if (o->max_cue_delay_ms() == 4000) o->clear_max_cue_delay_ms();
}

absl::StatusOr<std::shared_ptr<const PreparedPlan>> PreparedPlan::Make(v1::Plan plan) {
  if (absl::Status s = ValidatePlan(plan); !s.ok()) return s;
  absl::StatusOr<v1::SessionOptions> options = ResolveSessionOptions(plan.options());
  if (!options.ok()) return options.status();
  *plan.mutable_options() = *std::move(options);
  std::shared_ptr<PreparedPlan> prepared(new PreparedPlan());
  prepared->plan_ = std::move(plan);
  prepared->Build();
  return std::shared_ptr<const PreparedPlan>(std::move(prepared));
}

const std::string& PreparedPlan::SnapshotBytes() const {
  std::call_once(snapshot_once_, [this] {
    v1::Plan copy = plan_;
    session_internal::ClearDefaultOptions(copy.mutable_options());
    copy.SerializeToString(&snapshot_bytes_);
  });
  return snapshot_bytes_;
}

void PreparedPlan::Build() {
  const v1::Plan& plan = plan_;
  const v1::SessionOptions& o = plan.options();
  count_in_ms = o.count_in_ms();
  cue_lead_ms = o.cue_lead_ms();
  cue_gap_ms = o.cue_gap_ms();
  max_cue_delay_ms = o.max_cue_delay_ms();
  pain_stop_threshold = o.pain_stop_threshold();

  auto add_cue = [&](const v1::PlanCue& cue, bool session_cue) {
    CueInfo c;
    c.id = cue.id().c_str();
    c.text_begin = static_cast<uint32_t>(texts.size());
    c.texts = static_cast<uint32_t>(cue.texts_size());
    for (const std::string& text : cue.texts()) {
      texts.push_back(text.c_str());
      speak_ms.push_back(cue.speak_ms() > 0 ? cue.speak_ms()
                                            : EstimateSpeakMs(text, o.words_per_minute()));
    }
    c.kind = cue.kind();
    c.priority = cue.priority();
    const v1::CueTrigger& t = cue.trigger();
    c.trigger = t.kind();
    c.protect = cue.priority() == v1::CUE_PRIORITY_SAFETY ||
                (session_cue &&
                 (t.kind() == v1::TRIGGER_SAFETY_STOP || t.kind() == v1::TRIGGER_SESSION_END));
    c.phase = t.phase();
    c.offset_ms = t.offset_ms();
    c.every_n = std::max<int32_t>(1, static_cast<int32_t>(t.every_n()));
    c.report = t.report();
    c.min_value = static_cast<int64_t>(t.min_value());
    c.max_value = static_cast<int64_t>(t.max_value());
    if (c.trigger == v1::TRIGGER_REPORT &&
        (c.report == v1::REPORT_PAIN || c.report == v1::REPORT_EFFORT)) {
      uint32_t& mask = c.report == v1::REPORT_PAIN ? pain_cue_values : effort_cue_values;
      for (int64_t v = 0; v <= 10; ++v) {
        if (v >= c.min_value && (c.max_value == 0 || v <= c.max_value)) mask |= 1u << v;
      }
    }
    cues.push_back(c);
  };
  auto list = [&](auto&& pick, uint32_t owner_begin, uint32_t n) {
    CueList l;
    l.begin = static_cast<uint32_t>(lists.size());
    for (uint32_t i = 0; i < n; ++i) {
      if (pick(cues[owner_begin + i])) lists.push_back(static_cast<uint16_t>(i));
    }
    l.size = static_cast<uint32_t>(lists.size()) - l.begin;
    return l;
  };

  cue_base.push_back(0);
  for (const v1::PlanCue& cue : plan.session_cues()) add_cue(cue, true);
  for (const v1::PlanExercise& e : plan.exercises()) {
    cue_base.push_back(static_cast<uint32_t>(cues.size()));
    for (const v1::PlanCue& cue : e.cues()) add_cue(cue, false);
  }
  cue_base.push_back(static_cast<uint32_t>(cues.size()));

  const uint32_t nsession = cue_base[1];
  auto trigger_is = [](int32_t kind) {
    return [kind](const CueInfo& c) { return c.trigger == kind; };
  };
  session_start_cues = list(trigger_is(v1::TRIGGER_SESSION_START), 0, nsession);
  session_end_cues = list(trigger_is(v1::TRIGGER_SESSION_END), 0, nsession);
  safety_stop_cues = list(trigger_is(v1::TRIGGER_SAFETY_STOP), 0, nsession);
  auto timed_in = [](int32_t phase) {
    return [phase](const CueInfo& c) { return Timed(c.trigger) && c.phase == phase; };
  };
  count_in_cues = list(timed_in(v1::PHASE_COUNT_IN), 0, nsession);
  rest_cues.push_back(list(timed_in(v1::PHASE_REST), 0, nsession));

  for (int e = 0; e < plan.exercises_size(); ++e) {
    const v1::PlanExercise& ex = plan.exercises(e);
    const uint32_t owner_begin = cue_base[e + 1];
    const uint32_t ncues = cue_base[e + 2] - owner_begin;
    rest_cues.push_back(list(timed_in(v1::PHASE_REST), owner_begin, ncues));
    ExerciseInfo info;
    info.id = ex.id().c_str();
    longest_exercise_id = std::max(longest_exercise_id, ex.id().size());
    info.name = ex.name().c_str();
    info.laterality = ex.laterality();
    info.sided = ex.laterality() != v1::LATERALITY_BILATERAL;
    info.phase_begin = static_cast<uint32_t>(phases.size());
    info.phases = static_cast<uint32_t>(ex.phases_size());
    for (const v1::PlanPhase& p : ex.phases()) {
      PhaseInfo phase;
      phase.kind = p.kind();
      phase.scope = p.scope();
      phase.open = p.open();
      phase.label = p.label().c_str();
      phases.push_back(phase);
      if (p.scope() == v1::PHASE_SCOPE_REP && p.kind() == v1::PHASE_HOLD) ++info.holds_per_rep;
      const int32_t kind = p.kind();
      entry_cues.push_back(list(
          [kind](const CueInfo& c) {
            switch (c.trigger) {
              case v1::TRIGGER_EXERCISE_START:
              case v1::TRIGGER_SIDE_SWITCH:
                return true;
              case v1::TRIGGER_EVERY_NTH_REP:
              case v1::TRIGGER_FIRST_REP:
              case v1::TRIGGER_PHASE_ENTRY:
              case v1::TRIGGER_PHASE_OFFSET:
              case v1::TRIGGER_BEFORE_PHASE_END:
                return c.phase == v1::PHASE_KIND_UNSPECIFIED || c.phase == kind;
              default:
                return false;
            }
          },
          owner_begin, ncues));
      for (const bool first_of_rep : {true, false}) {
        (first_of_rep ? entry_cues_rep : entry_cues_plain)
            .push_back(list(
                [kind, first_of_rep](const CueInfo& c) {
                  switch (c.trigger) {
                    case v1::TRIGGER_EVERY_NTH_REP:
                    case v1::TRIGGER_FIRST_REP:
                      return c.phase == kind ||
                             (first_of_rep && c.phase == v1::PHASE_KIND_UNSPECIFIED);
                    case v1::TRIGGER_PHASE_ENTRY:
                    case v1::TRIGGER_PHASE_OFFSET:
                    case v1::TRIGGER_BEFORE_PHASE_END:
                      return c.phase == v1::PHASE_KIND_UNSPECIFIED || c.phase == kind;
                    default:
                      return false;
                  }
                },
                owner_begin, ncues));
      }
    }
    exercises.push_back(info);
  }

  for (int b = 0; b < plan.blocks_size(); ++b) {
    const v1::PlanBlock& pb = plan.blocks(b);
    const ExerciseInfo& ex = exercises[pb.exercise()];
    BlockInfo info;
    info.exercise = pb.exercise();
    info.sets = pb.sets();
    info.reps = pb.reps();
    info.first_side = pb.first_side();
    info.bias_side = pb.bias_side();
    info.bias_extra_reps = pb.bias_extra_reps();
    info.rest_between_sets_ms = pb.rest_between_sets_ms();
    info.rest_between_reps_ms = pb.rest_between_reps_ms();
    info.rest_after_ms = pb.rest_after_ms();
    info.phase_ms_begin = static_cast<uint32_t>(phase_ms.size());
    phase_ms.insert(phase_ms.end(), pb.phase_ms().begin(), pb.phase_ms().end());
    info.lead_begin = static_cast<uint32_t>(lead_cues.size());
    info.leads = static_cast<uint32_t>(pb.lead_cues_size());
    lead_cues.insert(lead_cues.end(), pb.lead_cues().begin(), pb.lead_cues().end());
    const uint32_t reps = ex.sided ? 2 * info.reps : info.reps;
    const uint32_t n = reps + info.bias_extra_reps;
    info.sided = ex.sided;
    info.side_begin = static_cast<uint32_t>(rep_sides.size());
    info.sides = ex.sided ? n : 0;

    // Planned counts: every rep of a set on its side (docs/timing.md's reps and sides).
    BlockCounts counts;
    for (uint32_t r = 0; r < n; ++r) {
      int32_t side = v1::SIDE_UNSPECIFIED;
      if (ex.sided) {
        const int32_t first = info.first_side;
        const int32_t other = first == v1::LEFT ? v1::RIGHT : v1::LEFT;
        if (r < 2 * info.reps) {
          side = ex.laterality == v1::LATERALITY_ALTERNATING ? (r % 2 == 0 ? first : other)
                                                             : (r < info.reps ? first : other);
        } else {
          side = info.bias_side;
        }
      }
      if (ex.sided) rep_sides.push_back(static_cast<uint8_t>(side));
      session_internal::SideCounts& sc = counts.sides[side == v1::RIGHT ? 1 : 0];
      sc.reps_planned += info.sets;
      sc.holds_planned += info.sets * ex.holds_per_rep;
    }
    blocks.push_back(info);
    initial_counts.push_back(counts);
  }
}

}  // namespace regimen
