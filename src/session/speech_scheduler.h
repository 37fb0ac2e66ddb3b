// The speech scheduler: the cues waiting to be spoken, one speech channel, and the choice of the
// next cue to say. Cues never overlap: a cue starts when the channel is free (the last cue's
// speaking time plus the gap after it) and not before its own time; of the cues due then the
// highest priority goes first, plan order breaking ties. A cue that would start more than
// max_cue_delay_ms late, or after its phase ended, is dropped (counted in the record) unless it
// is protected (safety cues, the safety-stop and end cues). Spoken cues rotate through their
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
  int64_t sched = 0;      // when it should start speaking
  int64_t known = 0;      // when it became known (its event is never earlier)
  int64_t phase_end = 0;  // kNever when not bound to a phase end
  uint64_t seq = 0;       // plan order
  CuePosition where;
  int32_t priority = 0;  // the cue's, copied so that the choice reads only this array
  bool protect = false;  // the cue's
};

class SpeechScheduler {
 public:
  // Empty, for a session of `plan` (keeps the memory it holds).
  void Reset(const PreparedPlan& plan);

  // A cue of `owner` fires: it should start at `sched`, became known at `known`, and may not
  // start after `phase_end` (kNever: not bound to a phase).
  void Add(const PreparedPlan& plan, int32_t owner, uint32_t cue, int64_t sched, int64_t known,
           int64_t phase_end, const CuePosition& where) {
    const CueInfo& info = plan.Cue(owner, cue);
    PendingCue& pending = pending_.emplace_back();
    pending.owner = owner;
    pending.cue = cue;
    pending.sched = sched;
    pending.known = known;
    pending.phase_end = phase_end;
    pending.seq = seq_++;
    pending.where = where;
    pending.priority = info.priority;
    pending.protect = info.protect;
    stale_ = true;
  }

  // Drops what can no longer be said in time (counting it in `record`) and picks the next cue
  // to say; then HasNext and NextEmitMs tell what and when.
  void Choose(const PreparedPlan& plan, v1::SessionRecord* record) {
    if (stale_) ChooseNow(plan, record);
  }
  bool HasNext() const { return next_ >= 0; }
  // When the chosen cue's event is due (early by cue_lead_ms, never before it became known);
  // kNever when none is chosen.
  int64_t NextEmitMs() const { return next_ >= 0 ? next_emit_ : kNever; }

  // Says the chosen cue: its CUE event (at NextEmitMs), the channel busy until it is said, the
  // record's counts.
  void SayNext(const PreparedPlan& plan, EventQueue* queue, v1::SessionRecord* record);

  // The current phase ends at t: its cues timed after `keep_until` are forgotten (they never
  // came due), the others may not start after t. Protected cues stay as they are.
  void EndPhase(int64_t t, int64_t keep_until);
  // Resume after a pause that began at `paused_at`: every time moves `shift` ms later.
  void Shift(int64_t shift, int64_t paused_at);
  // Stop at t: due cues that were never said count as dropped; everything is forgotten.
  void Stop(int64_t t, v1::SessionRecord* record);
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
  void ChooseNow(const PreparedPlan& plan, v1::SessionRecord* record);

  std::vector<PendingCue> pending_;
  std::vector<uint32_t> said_;
  std::vector<uint32_t> next_variant_;  // per cue: said % its texts (no division per cue said)
  int64_t busy_until_ = kChannelFree;
  uint64_t seq_ = 0;
  // The choice (-1: none), and whether it must be made again (the cues or the channel changed).
  int next_ = -1;
  bool stale_ = true;
  int64_t next_start_ = 0, next_emit_ = kNever;
};

}  // namespace regimen::session_internal

#endif  // REGIMEN_SRC_SESSION_SPEECH_SCHEDULER_H_
