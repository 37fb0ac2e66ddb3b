// The speech scheduler: the cues waiting to be spoken, one speech channel, and the choice of the
// next cue to say. Cues never overlap: a cue starts when the channel is free (the last cue's
// speaking time plus the gap after it) and not before its own time; of the cues due then the
// highest priority goes first, plan order breaking ties, and a cue does not start when a pending
// cue of higher priority would come due while it (and the gap after it) lasts. A cue may wait up to
// its latest time (Cue.max_delay_ms, else max_cue_delay_ms, after its time) and, by its CueUntil,
// until its phase ends or into the next phases of its exercise; one that cannot start by then is
// skipped: a CUE_SKIPPED event carries it to the host, and the record counts it. Protected cues
// (safety cues, the safety-stop and end cues) are never skipped. Spoken cues rotate through their
// text variants in order.
#ifndef REGIMEN_SRC_SESSION_SPEECH_SCHEDULER_H_
#define REGIMEN_SRC_SESSION_SPEECH_SCHEDULER_H_

#include <cstdint>
#include <limits>
#include <vector>

#include "regimen/v1/session.pb.h"
#include "src/session/event_queue.h"
#include "src/session/prepared_plan.h"

namespace regimen::session_internal {

inline constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
// busy_until of a channel that never spoke (snapshots store it as -1).
inline constexpr int64_t kChannelFree = std::numeric_limits<int64_t>::min() / 4;

// Where a cue's event is (the position of the session when the cue fired).
struct CuePosition {
  int32_t block = -1, set = -1, rep = -1;
  uint8_t side = 0, phase_kind = 0;
};

struct PendingCue {
  int32_t owner = -1;  // -1 session cue, else exercise index
  uint32_t cue = 0;
  int64_t sched = 0;  // when it should start speaking
  int64_t known = 0;  // when it became known (its event is never earlier)
  // The time it must start before: its phase's end, or kNever while it may wait into the next
  // phases of its exercise (then the exercise's end sets it).
  int64_t phase_end = 0;
  uint64_t seq = 0;  // plan order
  CuePosition where;
  // The cue's, copied so that the choice reads only this array.
  int64_t max_delay = 0;
  int32_t priority = 0;
  bool protect = false;
};

class SpeechScheduler {
 public:
  // Speaks into `queue` and counts into `record` (both outlive it).
  SpeechScheduler(EventQueue* queue, v1::SessionRecord* record) : queue_(queue), record_(record) {}

  // Empty, for a session of `plan` (keeps the memory it holds).
  void Reset(const PreparedPlan& plan);

  // A cue of `owner` fires: it should start at `sched`, became known at `known`, and may not
  // start after `phase_end` (the end of the phase it fired in; a cue that may wait into the next
  // phases of its exercise ignores it).
  void Add(const PreparedPlan& plan, int32_t owner, uint32_t cue, int64_t sched, int64_t known,
           int64_t phase_end, const CuePosition& where) {
    const CueInfo& info = plan.Cue(owner, cue);
    PendingCue& pending = pending_.emplace_back();
    pending.owner = owner;
    pending.cue = cue;
    pending.sched = sched;
    pending.known = known;
    pending.phase_end = info.until_exercise_end && owner >= 0 ? kNever : phase_end;
    pending.seq = seq_++;
    pending.where = where;
    pending.max_delay = info.max_delay_ms;
    pending.priority = info.priority;
    pending.protect = info.protect;
    record_->set_cues_triggered(record_->cues_triggered() + 1);
    stale_ = true;
  }

  // Skips what can no longer be said in time and picks the next cue to say; then HasNext and
  // NextEmitMs tell what and when.
  void Choose(const PreparedPlan& plan) {
    if (stale_) ChooseNow(plan);
  }
  bool HasNext() const { return next_ >= 0; }
  // When the chosen cue's event is due (early by cue_lead_ms, never before it became known);
  // kNever when none is chosen.
  int64_t NextEmitMs() const { return next_ >= 0 ? next_emit_ : kNever; }

  // Says the chosen cue: its CUE event (at NextEmitMs), the channel busy until it is said, the
  // record's counts.
  void SayNext(const PreparedPlan& plan);

  // The current phase ends at t: cues timed after `keep_until` are forgotten (they never came
  // due); those bound to the phase may not start after t. Protected cues stay as they are.
  void EndPhase(int64_t t, int64_t keep_until) { End(t, keep_until, /*exercise=*/false); }
  // The current exercise ends at t: the same for every cue that waits into its next phases.
  void EndExercise(int64_t t) { End(t, t, /*exercise=*/true); }
  // Resume after a pause that began at `paused_at`: every time moves `shift` ms later.
  void Shift(int64_t shift, int64_t paused_at);
  // Stop at t: due cues that were never said are skipped (CUE_SKIPPED at t); everything is
  // forgotten.
  void Stop(const PreparedPlan& plan, int64_t t);
  // A safety stop at t: the channel is free at once (what is being said is cut short).
  void FreeChannel() {
    busy_until_ = kChannelFree;
    speaking_ = -1;
    stale_ = true;
  }
  // The host says the cue `index` (CueIndex order) really finished speaking at `now`: when it is
  // the cue last said, the channel is free from now plus the gap (earlier or later than the
  // estimate), and, in the plan's automatic mode, every later cue waits for its own report.
  // Returns false when `index` is not the cue last said (a late or repeated report: no effect).
  bool SpeechEnded(const PreparedPlan& plan, uint32_t index, int64_t now);
  // The cue last said and not yet reported ended (CueIndex order), -1 for none; when it started.
  int32_t speaking() const { return speaking_; }
  int64_t speaking_started() const { return speaking_started_; }
  // Whether the host has reported a speech end in this session.
  bool speech_end_reported() const { return speech_end_reported_; }
  void RestoreSpeech(int32_t speaking, int64_t started, bool reported) {
    speaking_ = speaking;
    speaking_started_ = started;
    speech_end_reported_ = reported;
  }
  // Forgets every pending cue.
  void Clear();

  bool empty() const { return pending_.empty(); }
  const std::vector<PendingCue>& pending() const { return pending_; }
  // How often each cue of the plan was said (CueIndex order).
  const std::vector<uint32_t>& said() const { return said_; }
  int64_t busy_until() const { return busy_until_; }
  uint64_t seq() const { return seq_; }

  // Restoring a snapshot (the plan's counts already sized by Reset).
  void Restore(const PreparedPlan& plan, std::vector<PendingCue> pending,
               const std::vector<uint32_t>& said, int64_t busy_until, uint64_t seq);

 private:
  void ChooseNow(const PreparedPlan& plan);
  void End(int64_t t, int64_t keep_until, bool exercise);
  // How long `cue` takes to say with the text it would say next.
  int64_t SpeakMs(const PreparedPlan& plan, const PendingCue& cue) const;
  // The CUE_SKIPPED event of pending_[index] (not before `at`), counted; it stays pending.
  void Skip(const PreparedPlan& plan, size_t index, int64_t at);

  EventQueue* const queue_;
  v1::SessionRecord* const record_;
  std::vector<PendingCue> pending_;
  std::vector<uint32_t> said_;
  std::vector<uint32_t> next_variant_;  // per cue: said % its texts (no division per cue said)
  int64_t busy_until_ = kChannelFree;
  uint64_t seq_ = 0;
  // The choice (-1: none), and whether it must be made again (the cues or the channel changed).
  int next_ = -1;
  bool stale_ = true;
  // The speech-end reports (SessionOptions.await_speech_end).
  int32_t speaking_ = -1;
  int64_t speaking_started_ = 0;
  bool speech_end_reported_ = false;
  int64_t next_start_ = 0, next_emit_ = kNever;
};

}  // namespace regimen::session_internal

#endif  // REGIMEN_SRC_SESSION_SPEECH_SCHEDULER_H_
