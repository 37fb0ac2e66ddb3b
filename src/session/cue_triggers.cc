// Which cues fire on phase entry, on reports, at the end and at a safety stop.
#include "src/session/cue_triggers.h"

namespace regimen::session_internal {
namespace {

// A cue timed within the phase (on entry, at an offset, before its end), if it falls inside.
void FireTimed(const PreparedPlan& plan, int32_t owner, uint32_t cue, const PhaseEntry& entry,
               SpeechScheduler* speech) {
  const CueInfo& trigger = plan.Cue(owner, cue);
  const bool open = entry.end == kNever;
  int64_t sched;
  switch (trigger.trigger) {
    case v1::TRIGGER_PHASE_ENTRY:
      sched = entry.at;
      break;
    case v1::TRIGGER_PHASE_OFFSET:
      if (!open && trigger.offset_ms >= entry.planned) return;
      sched = entry.at + trigger.offset_ms;
      break;
    case v1::TRIGGER_BEFORE_PHASE_END:
      if (open || trigger.offset_ms > entry.planned) return;
      sched = entry.end - trigger.offset_ms;
      break;
    default:
      return;
  }
  speech->Add(plan, owner, cue, sched, entry.at, entry.end, entry.where);
}

// Whether a rep-counting trigger (every nth rep, first rep) fires on this entry.
bool RepTriggerFires(const CueInfo& trigger, const PhaseEntry& entry) {
  if (!entry.in_rep) return false;
  // Rep triggers with no phase fire on the rep's first phase.
  const bool phase_matches = trigger.phase == v1::PHASE_KIND_UNSPECIFIED
                                 ? entry.first_of_rep
                                 : trigger.phase == entry.kind;
  if (!phase_matches) return false;
  if (trigger.trigger == v1::TRIGGER_FIRST_REP) return entry.where.set == 0 && entry.where.rep == 0;
  const int32_t rep = entry.where.rep - trigger.from_rep;
  return rep >= 0 && rep % trigger.every_n == 0;
}

// A cue counted from the phase's entry (exercise start, side switch, rep triggers): at its
// offset into the phase, if that falls inside.
void FireFromEntry(const PreparedPlan& plan, int32_t owner, uint32_t cue, const PhaseEntry& entry,
                   SpeechScheduler* speech) {
  const int64_t offset = plan.Cue(owner, cue).offset_ms;
  if (offset > 0 && entry.end != kNever && offset >= entry.planned) return;
  speech->Add(plan, owner, cue, entry.at + offset, entry.at, entry.end, entry.where);
}

// Engine phases (count-in, rests): the timed cues that name the phase kind exactly.
void FireEnginePhaseCues(const PreparedPlan& plan, const PhaseEntry& entry,
                         SpeechScheduler* speech) {
  const int32_t owner = entry.exercise;
  CueList list;
  if (entry.kind == v1::PHASE_REST) {
    list = plan.rest_cues[owner + 1];
  } else if (entry.kind == v1::PHASE_COUNT_IN && owner < 0) {
    list = plan.count_in_cues;
  }
  for (uint32_t k = 0; k < list.size; ++k) {
    FireTimed(plan, owner, plan.lists[list.begin + k], entry, speech);
  }
}

}  // namespace

void FireEntryCues(const PreparedPlan& plan, const PhaseEntry& entry, SpeechScheduler* speech) {
  if (entry.first_of_session) {
    const CueList& list = plan.session_start_cues;
    for (uint32_t k = 0; k < list.size; ++k) {
      speech->Add(plan, -1, plan.lists[list.begin + k], entry.at, entry.at, entry.end, entry.where);
    }
  }
  if (entry.phase < 0 || entry.exercise < 0) return FireEnginePhaseCues(plan, entry, speech);
  const int32_t owner = entry.exercise;
  const BlockInfo& block = plan.blocks[entry.where.block];
  if (entry.first_of_block) {
    for (uint32_t k = 0; k < block.leads; ++k) {
      speech->Add(plan, owner, plan.lead_cues[block.lead_begin + k], entry.at, entry.at, entry.end,
                  entry.where);
    }
  }
  // The cues that can fire on entry to this phase, narrowed to those that can fire when it
  // starts no block and no side (and no rep).
  const uint32_t at = plan.exercises[owner].phase_begin + entry.phase;
  const CueList& list = entry.first_of_block || entry.side_switch ? plan.entry_cues[at]
                        : entry.first_of_rep                      ? plan.entry_cues_rep[at]
                                                                  : plan.entry_cues_plain[at];
  for (uint32_t k = 0; k < list.size; ++k) {
    const uint32_t cue = plan.lists[list.begin + k];
    const CueInfo& trigger = plan.Cue(owner, cue);
    bool fires;
    switch (trigger.trigger) {
      case v1::TRIGGER_EXERCISE_START:
        fires = entry.first_of_block;
        break;
      case v1::TRIGGER_EVERY_NTH_REP:
      case v1::TRIGGER_FIRST_REP:
        fires = RepTriggerFires(trigger, entry);
        break;
      case v1::TRIGGER_SIDE_SWITCH:
        fires = entry.side_switch;
        break;
      default:
        FireTimed(plan, owner, cue, entry, speech);  // the list holds only those whose phase fits
        continue;
    }
    if (fires) FireFromEntry(plan, owner, cue, entry, speech);
  }
}

void FireReportCue(const PreparedPlan& plan, int32_t exercise, v1::ReportKind kind, int32_t value,
                   int64_t t, const CuePosition& where, SpeechScheduler* speech) {
  auto matches = [&](const CueInfo& cue) {
    if (cue.trigger != v1::TRIGGER_REPORT || cue.report != kind) return false;
    if (kind == v1::REPORT_ASYMMETRY) return cue.side == 0 || cue.side == value;
    return value >= cue.min_value && (cue.max_value == 0 || value <= cue.max_value);
  };
  auto fire_first_match = [&](int32_t owner) {
    const uint32_t count = plan.CueCount(owner);
    for (uint32_t cue = 0; cue < count; ++cue) {
      if (matches(plan.Cue(owner, cue))) {
        speech->Add(plan, owner, cue, t, t, kNever, where);
        return true;
      }
    }
    return false;
  };
  if (exercise >= 0 && fire_first_match(exercise)) return;
  fire_first_match(-1);
}

void FireSessionCues(const PreparedPlan& plan, const CueList& list, int64_t t,
                     const CuePosition& where, SpeechScheduler* speech) {
  for (uint32_t k = 0; k < list.size; ++k) {
    speech->Add(plan, -1, plan.lists[list.begin + k], t, t, kNever, where);
  }
}

}  // namespace regimen::session_internal
