// The stage walk: moving the cursor through the plan, and the main loop.
#include "src/session/stage_walk.h"

#include <algorithm>

#include "src/session/cue_triggers.h"

namespace regimen::session_internal {

void StageWalk::Reset(const PreparedPlan* plan) {
  plan_ = plan;
  clock_ = SessionClock();
  cursor_ = Cursor();
  first_of_block_ = first_of_session_ = false;
}

int64_t StageWalk::ActiveMs(int64_t t) const {
  return t - clock_.started_at - recorder_->proto().paused_ms() -
         (clock_.paused ? t - clock_.pause_started : 0);
}

void StageWalk::Start(int64_t now) {
  clock_.started = true;
  clock_.started_at = now;
  clock_.last_input = now;
  recorder_->proto().set_started_at_ms(now);
  queue_->Push(v1::SessionEvent::SESSION_STARTED, now);
  first_of_session_ = true;
  if (plan_->count_in_ms > 0) {
    EnterPhase(now, kCountIn, -1, v1::PHASE_COUNT_IN, plan_->count_in_ms, false, false);
  } else {
    cursor_.stage = kCountIn;
    Walk(now);
  }
  RunUntil(now);
}

void StageWalk::RunUntil(int64_t now) {
  for (;;) {
    if (clock_.finished || clock_.paused) return;
    speech_->Choose(*plan_);
    if (cursor_.stage == kEnding && speech_->empty()) {
      FinishSession(cursor_.phase_start, v1::SESSION_END_COMPLETED);
      return;
    }
    const int64_t cue_at = speech_->NextEmitMs();
    if (cue_at != kNever && cue_at <= cursor_.phase_end && cue_at <= now) {
      speech_->SayNext(*plan_);
      if (cursor_.stage == kEnding) {
        cursor_.phase_start = std::max(cursor_.phase_start, queue_->last_at());
      }
      continue;
    }
    if (cursor_.phase_end != kNever && cursor_.phase_end <= now) {
      EndPhase(cursor_.phase_end);
      continue;
    }
    return;
  }
}

CuePosition StageWalk::Here() const {
  CuePosition where;
  if (InExercise(cursor_.stage)) {
    where.block = cursor_.block;
    if (cursor_.stage == kRep) {
      where.set = cursor_.set;
      where.rep = cursor_.rep;
      where.side = static_cast<uint8_t>(RepSide(cursor_.rep));
    }
  }
  where.phase_kind = static_cast<uint8_t>(cursor_.phase_kind);
  return where;
}

QueuedEvent& StageWalk::EmitHere(v1::SessionEvent::Type type, int64_t t) {
  const CuePosition where = Here();
  QueuedEvent& event = queue_->Push(type, t);
  event.block = where.block;
  event.set = where.set;
  event.rep = where.rep;
  event.side = where.side;
  event.phase_kind = where.phase_kind;
  return event;
}

void StageWalk::EnterPhase(int64_t t, uint32_t stage, int32_t index, v1::PhaseKind kind,
                           int64_t planned, bool open, bool first_of_rep) {
  Cursor& at = cursor_;
  at.stage = stage;
  at.phase = index;
  at.phase_kind = kind;
  at.phase_start = t;
  at.phase_planned = open ? -1 : planned;
  at.phase_end = open ? (planned > 0 ? t + planned : kNever) : t + planned;
  QueuedEvent& event = queue_->Push(v1::SessionEvent::PHASE_STARTED, t);
  event.duration_ms = at.phase_planned;
  event.phase_index = index;
  event.phase_kind = static_cast<uint8_t>(kind);
  const bool in_exercise = InExercise(stage);
  if (in_exercise) {
    event.block = at.block;
    if (stage == kRep) {
      event.set = at.set;
      event.rep = at.rep;
      event.side = static_cast<uint8_t>(RepSide(at.rep));
    } else if (stage == kSetStart || stage == kRepRest) {
      event.set = at.set;
    }
  }
  PhaseEntry entry;
  entry.at = t;
  entry.end = at.phase_end;
  entry.planned = at.phase_planned;
  entry.exercise = in_exercise ? ExerciseIndex() : -1;
  entry.phase = index;
  entry.kind = kind;
  entry.in_rep = stage == kRep;
  entry.first_of_session = first_of_session_;
  entry.first_of_block = first_of_block_;
  entry.first_of_rep = first_of_rep;
  entry.where = Here();
  const v1::Side side = static_cast<v1::Side>(entry.where.side);
  entry.side_switch = entry.in_rep && first_of_rep && at.prev_side != v1::SIDE_UNSPECIFIED &&
                      side != v1::SIDE_UNSPECIFIED && side != at.prev_side;
  FireEntryCues(*plan_, entry, speech_);
  first_of_session_ = false;
  if (index >= 0 && in_exercise) first_of_block_ = false;
}

void StageWalk::EnterExercisePhase(int64_t t, uint32_t stage, int index, bool first_of_rep) {
  const BlockInfo& block = plan_->blocks[cursor_.block];
  const PhaseInfo& phase = plan_->phases[plan_->exercises[block.exercise].phase_begin + index];
  EnterPhase(t, stage, index, static_cast<v1::PhaseKind>(phase.kind),
             plan_->phase_ms[block.phase_ms_begin + index], phase.open, first_of_rep);
}

int StageWalk::NextScoped(v1::PhaseScope scope, int after) const {
  const ExerciseInfo& exercise = plan_->exercises[ExerciseIndex()];
  const PhaseInfo* phases = &plan_->phases[exercise.phase_begin];
  for (int i = after + 1; i < static_cast<int>(exercise.phases); ++i) {
    if (phases[i].scope == scope) return i;
  }
  return -1;
}

int StageWalk::NextRepPhase(int after) const {
  const ExerciseInfo& exercise = plan_->exercises[ExerciseIndex()];
  const PhaseInfo* phases = &plan_->phases[exercise.phase_begin];
  const int32_t rep = cursor_.rep;
  const bool switched = rep > 0 && RepSide(rep) != RepSide(rep - 1);
  for (int i = after + 1; i < static_cast<int>(exercise.phases); ++i) {
    const PhaseInfo& phase = phases[i];
    if (phase.scope != v1::PHASE_SCOPE_REP) continue;
    if (phase.kind == v1::PHASE_SWITCH_SIDE && !switched) continue;
    return i;
  }
  return -1;
}

void StageWalk::StartBlock(int32_t block, int64_t t) {
  Cursor& at = cursor_;
  at.block = block;
  at.stage = kExStart;
  at.phase = at.set = at.rep = -1;
  at.extra_reps = 0;
  at.extra_side = at.prev_side = v1::SIDE_UNSPECIFIED;
  at.phase_kind = v1::PHASE_KIND_UNSPECIFIED;
  at.block_started_active = ActiveMs(t);
  recorder_->block(block).started_at = t;
  first_of_block_ = true;
  queue_->Push(v1::SessionEvent::EXERCISE_STARTED, t).block = block;
}

void StageWalk::CompleteBlock(int64_t t, v1::BlockOutcome outcome) {
  Cursor& at = cursor_;
  speech_->EndExercise(t);
  queue_->Push(v1::SessionEvent::EXERCISE_COMPLETED, t).block = at.block;
  BlockCounts& counts = recorder_->block(at.block);
  counts.outcome = outcome;
  counts.active_ms = ActiveMs(t) - at.block_started_active;
  counts.ended_at = t;
  at.extra_reps = 0;
  at.extra_side = v1::SIDE_UNSPECIFIED;
  if (at.block + 1 < static_cast<int32_t>(plan_->blocks.size())) {
    const int64_t rest = plan_->blocks[at.block].rest_after_ms;
    if (rest > 0) {
      EnterRest(t, kBlockRest, rest);
    } else {
      StartBlock(at.block + 1, t);
    }
    return;
  }
  BeginEnding(t);
}

void StageWalk::BeginEnding(int64_t t) {
  Cursor& at = cursor_;
  at.stage = kEnding;
  at.phase = -1;
  at.phase_kind = v1::PHASE_KIND_UNSPECIFIED;
  at.phase_start = t;
  at.phase_end = kNever;
  at.phase_planned = -1;
  speech_->EndPhase(t, t - 1);
  FireSessionCues(*plan_, plan_->session_end_cues, t, Here(), speech_);
}

void StageWalk::FinishSession(int64_t t, v1::SessionEnd end) {
  QueuedEvent& event = queue_->Push(v1::SessionEvent::SESSION_COMPLETED, t);
  event.label = end == v1::SESSION_END_STOPPED       ? kLabelStopped
                : end == v1::SESSION_END_SAFETY_STOP ? kLabelSafetyStop
                                                     : kLabelDefault;
  t = event.at_ms;
  v1::SessionRecord& record = recorder_->proto();
  if (clock_.paused) {
    record.set_paused_ms(record.paused_ms() + (t - clock_.pause_started));
    clock_.paused = false;
  }
  cursor_.stage = kDone;
  cursor_.phase = -1;
  cursor_.phase_end = kNever;
  clock_.finished = true;
  speech_->Clear();
  record.set_end(end);
  record.set_ended_at_ms(t);
  record.set_active_ms(t - clock_.started_at - record.paused_ms());
}

bool StageWalk::EndRep(int64_t t) {
  Cursor& at = cursor_;
  const v1::Side side = RepSide(at.rep);
  QueuedEvent& rep_done = queue_->Push(v1::SessionEvent::REP_COMPLETED, t);
  rep_done.block = at.block;
  rep_done.set = at.set;
  rep_done.rep = at.rep;
  rep_done.side = static_cast<uint8_t>(side);
  ++recorder_->side(*plan_, at.block, side).reps_done;
  at.prev_side = side;
  ++at.rep;
  at.phase = -1;
  const BlockInfo& block = plan_->blocks[at.block];
  if (at.rep < static_cast<int32_t>(RepsInSet())) {
    if (block.rest_between_reps_ms <= 0) return false;
    EnterRest(t, kRepRest, block.rest_between_reps_ms);
    return true;
  }
  QueuedEvent& set_done = queue_->Push(v1::SessionEvent::SET_COMPLETED, t);
  set_done.block = at.block;
  set_done.set = at.set;
  ++recorder_->block(at.block).sets_done;
  ++at.set;
  at.rep = -1;
  if (at.set >= static_cast<int32_t>(block.sets)) {
    at.stage = kExEnd;
    return false;
  }
  if (block.rest_between_sets_ms <= 0) {
    at.stage = kSetStart;
    return false;
  }
  EnterRest(t, kSetRest, block.rest_between_sets_ms);
  return true;
}

void StageWalk::Walk(int64_t t) {
  Cursor& at = cursor_;
  for (;;) {
    int next;
    switch (at.stage) {
      case kCountIn:
      case kBlockRest:
        StartBlock(at.stage == kCountIn ? 0 : at.block + 1, t);
        break;
      case kExStart:
        next = NextScoped(v1::PHASE_SCOPE_EXERCISE_START, at.phase);
        if (next >= 0) return EnterExercisePhase(t, kExStart, next, false);
        at.stage = kSetStart;
        at.set = 0;
        at.phase = -1;
        break;
      case kSetStart:
        next = NextScoped(v1::PHASE_SCOPE_SET_START, at.phase);
        if (next >= 0) return EnterExercisePhase(t, kSetStart, next, false);
        at.stage = kRep;
        at.rep = 0;
        at.phase = -1;
        break;
      case kRep:
        next = NextRepPhase(at.phase);
        if (next >= 0) return EnterExercisePhase(t, kRep, next, at.phase < 0);
        if (EndRep(t)) return;
        break;
      case kRepRest:
      case kSetRest:
        at.stage = at.stage == kRepRest ? kRep : kSetStart;
        at.phase = -1;
        break;
      case kExEnd:
        next = NextScoped(v1::PHASE_SCOPE_EXERCISE_END, at.phase);
        if (next >= 0) return EnterExercisePhase(t, kExEnd, next, false);
        CompleteBlock(t, v1::BLOCK_OUTCOME_COMPLETED);
        if (at.stage != kExStart) return;
        break;
      default:
        return;
    }
  }
}

void StageWalk::EndPhase(int64_t t) {
  if (cursor_.stage == kRep && cursor_.phase_kind == v1::PHASE_HOLD) {
    ++recorder_->side(*plan_, cursor_.block, RepSide(cursor_.rep)).holds_achieved;
  }
  // Cues timed at or after the end never came due within their phase.
  speech_->EndPhase(t, t - 1);
  Walk(t);
}

void StageWalk::EndEarly(int64_t t, v1::BlockOutcome outcome) {
  speech_->EndPhase(t, t);
  if (InExercise(cursor_.stage)) {
    CompleteBlock(t, outcome);
    if (cursor_.stage == kExStart) Walk(t);
  } else if (cursor_.stage == kCountIn || cursor_.stage == kBlockRest) {
    Walk(t);
  }
}

void StageWalk::Stop(int64_t t, v1::SessionEnd end) {
  speech_->Stop(*plan_, t);
  if (InExercise(cursor_.stage)) {
    queue_->Push(v1::SessionEvent::EXERCISE_COMPLETED, t).block = cursor_.block;
    BlockCounts& counts = recorder_->block(cursor_.block);
    counts.outcome = end == v1::SESSION_END_SAFETY_STOP ? v1::BLOCK_OUTCOME_SAFETY_STOPPED
                                                        : v1::BLOCK_OUTCOME_STOPPED;
    counts.active_ms = ActiveMs(t) - cursor_.block_started_active;
    counts.ended_at = t;
  }
  FinishSession(t, end);
}

void StageWalk::Pause(int64_t t) {
  EmitHere(v1::SessionEvent::PAUSED, t);
  clock_.paused = true;
  clock_.pause_started = t;
  v1::SessionRecord& record = recorder_->proto();
  record.set_pauses(record.pauses() + 1);
}

void StageWalk::Resume(int64_t t) {
  const int64_t shift = t - clock_.pause_started;
  clock_.paused = false;
  v1::SessionRecord& record = recorder_->proto();
  record.set_paused_ms(record.paused_ms() + shift);
  cursor_.phase_start += shift;
  if (cursor_.phase_end != kNever) cursor_.phase_end += shift;
  speech_->Shift(shift, clock_.pause_started);
  EmitHere(v1::SessionEvent::RESUMED, t);
}

}  // namespace regimen::session_internal
