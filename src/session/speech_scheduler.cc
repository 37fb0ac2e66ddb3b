// The speech scheduler's choice, speaking, and the changes phases and pauses make to it.
#include "src/session/speech_scheduler.h"

#include <algorithm>
#include <utility>

namespace regimen::session_internal {

void SpeechScheduler::Reset(const PreparedPlan& plan) {
  pending_.clear();
  pending_.reserve(64);
  said_.assign(plan.cues.size(), 0);
  next_variant_.assign(plan.cues.size(), 0);
  busy_until_ = kChannelFree;
  seq_ = 0;
  next_ = -1;
  stale_ = true;
  next_start_ = 0;
  next_emit_ = kNever;
  speaking_ = -1;
  speaking_started_ = 0;
  speech_end_reported_ = false;
}

void SpeechScheduler::ChooseNow(const PreparedPlan& plan) {
  stale_ = false;
  next_ = -1;
  next_emit_ = kNever;
  for (;;) {
    const int count = static_cast<int>(pending_.size());
    if (count == 0) return;
    int64_t earliest = kNever;
    for (const PendingCue& cue : pending_) earliest = std::min(earliest, cue.sched);
    const int64_t start = std::max(busy_until_, earliest);
    int best = -1;
    for (int i = 0; i < count; ++i) {
      const PendingCue& cue = pending_[i];
      if (cue.sched > start) continue;
      if (best < 0) {
        best = i;
        continue;
      }
      const PendingCue& chosen = pending_[best];
      if (cue.priority > chosen.priority ||
          (cue.priority == chosen.priority && cue.seq < chosen.seq)) {
        best = i;
      }
    }
    const PendingCue& cue = pending_[best];
    if (!cue.protect && (start - cue.sched > cue.max_delay || start >= cue.phase_end)) {
      Skip(plan, static_cast<size_t>(best), cue.known);
      pending_.erase(pending_.begin() + best);
      continue;
    }
    // A cue does not start when a pending cue of higher priority comes due before it and the
    // gap after it are over: that one goes first, at its time, and this one waits.
    const int64_t until = start + SpeakMs(plan, cue) + plan.cue_gap_ms;
    int ahead = -1;
    for (int i = 0; i < count; ++i) {
      const PendingCue& other = pending_[i];
      if (other.priority > cue.priority && other.sched > start && other.sched < until &&
          (ahead < 0 || other.sched < pending_[ahead].sched)) {
        ahead = i;
      }
    }
    const int chosen = ahead >= 0 ? ahead : best;
    next_ = chosen;
    next_start_ = ahead >= 0 ? pending_[ahead].sched : start;
    next_emit_ = std::max(next_start_ - plan.cue_lead_ms, pending_[chosen].known);
    return;
  }
}

int64_t SpeechScheduler::SpeakMs(const PreparedPlan& plan, const PendingCue& cue) const {
  const uint32_t index = plan.CueIndex(cue.owner, cue.cue);
  return plan.speak_ms[plan.cues[index].text_begin + next_variant_[index]];
}

void SpeechScheduler::Skip(const PreparedPlan& plan, size_t index, int64_t at) {
  const PendingCue& cue = pending_[index];
  QueuedEvent& event = queue_->Push(v1::SessionEvent::CUE_SKIPPED, at);
  event.block = cue.where.block;
  event.set = cue.where.set;
  event.rep = cue.where.rep;
  event.side = cue.where.side;
  event.phase_kind = cue.where.phase_kind;
  event.cue_owner = cue.owner;
  event.cue = cue.cue;
  event.variant = next_variant_[plan.CueIndex(cue.owner, cue.cue)];
  record_->set_cues_dropped(record_->cues_dropped() + 1);
}

void SpeechScheduler::SayNext(const PreparedPlan& plan) {
  const PendingCue cue = pending_[next_];
  pending_.erase(pending_.begin() + next_);
  const uint32_t index = plan.CueIndex(cue.owner, cue.cue);
  const CueInfo& info = plan.cues[index];
  const uint32_t variant = next_variant_[index];
  next_variant_[index] = variant + 1 >= info.texts ? 0 : variant + 1;
  ++said_[index];
  QueuedEvent& event = queue_->Push(v1::SessionEvent::CUE, next_emit_);
  event.block = cue.where.block;
  event.set = cue.where.set;
  event.rep = cue.where.rep;
  event.side = cue.where.side;
  event.phase_kind = cue.where.phase_kind;
  event.cue_owner = cue.owner;
  event.cue = cue.cue;
  event.variant = variant;
  busy_until_ = next_start_ + plan.speak_ms[info.text_begin + variant] + plan.cue_gap_ms;
  // A host that reports when speech really ends holds the channel until it does (at most the
  // estimate plus max_cue_delay_ms, so a lost report cannot silence the session).
  if (plan.await_speech_end > 0 || (plan.await_speech_end < 0 && speech_end_reported_)) {
    busy_until_ += plan.max_cue_delay_ms;
  }
  speaking_ = static_cast<int32_t>(index);
  speaking_started_ = next_start_;
  record_->set_cues_spoken(record_->cues_spoken() + 1);
  if (next_start_ > cue.sched) {
    record_->set_cues_deferred(record_->cues_deferred() + 1);
    record_->set_max_cue_delay_ms(std::max(record_->max_cue_delay_ms(), next_start_ - cue.sched));
  }
  next_ = -1;
  stale_ = true;
}

bool SpeechScheduler::SpeechEnded(const PreparedPlan& plan, uint32_t index, int64_t now) {
  if (speaking_ < 0 || static_cast<uint32_t>(speaking_) != index) return false;
  speech_end_reported_ = true;
  if (plan.await_speech_end != 0 || now < busy_until_ - plan.cue_gap_ms) {
    busy_until_ = std::max(now, speaking_started_) + plan.cue_gap_ms;
  }
  speaking_ = -1;
  stale_ = true;
  return true;
}

void SpeechScheduler::End(int64_t t, int64_t keep_until, bool exercise) {
  size_t kept = 0;
  for (size_t i = 0; i < pending_.size(); ++i) {
    PendingCue cue = pending_[i];
    if (!cue.protect) {
      if (cue.sched > keep_until) continue;
      if (exercise || cue.phase_end != kNever) cue.phase_end = std::min(cue.phase_end, t);
    }
    pending_[kept++] = cue;
  }
  pending_.resize(kept);
  next_ = -1;
  stale_ = true;
}

void SpeechScheduler::Shift(int64_t shift, int64_t paused_at) {
  if (busy_until_ > paused_at) busy_until_ += shift;
  for (PendingCue& cue : pending_) {
    cue.sched += shift;
    cue.known += shift;
    if (cue.phase_end != kNever) cue.phase_end += shift;
  }
  stale_ = true;
}

void SpeechScheduler::Stop(const PreparedPlan& plan, int64_t t) {
  for (size_t i = 0; i < pending_.size(); ++i) {
    if (pending_[i].sched <= t) Skip(plan, i, t);
  }
  Clear();
}

void SpeechScheduler::Clear() {
  pending_.clear();
  next_ = -1;
  stale_ = true;
}

void SpeechScheduler::Restore(const PreparedPlan& plan, std::vector<PendingCue> pending,
                              const std::vector<uint32_t>& said, int64_t busy_until, uint64_t seq) {
  pending_ = std::move(pending);
  for (size_t i = 0; i < said.size(); ++i) {
    said_[i] = said[i];
    const uint32_t texts = plan.cues[i].texts;
    next_variant_[i] = texts > 0 ? said[i] % texts : 0;
  }
  busy_until_ = busy_until;
  seq_ = seq;
  next_ = -1;
  stale_ = true;
}

}  // namespace regimen::session_internal
