// The session's event queue: events as compact plain structs in a ring that grows only when
// the host lets events pile up, and their conversion to the public regimen::Event (labels,
// phase names, cue texts looked up in the prepared plan).
#ifndef REGIMEN_SRC_SESSION_EVENT_QUEUE_H_
#define REGIMEN_SRC_SESSION_EVENT_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <memory>

#include "regimen/session.h"
#include "regimen/v1/session.pb.h"
#include "src/session/prepared_plan.h"

namespace regimen::session_internal {

// Which label a SESSION_COMPLETED carries. Stored in snapshots: never renumber.
enum EventLabel : uint8_t { kLabelDefault = 0, kLabelStopped = 1, kLabelSafetyStop = 2 };

// One queued event. Plain data: the ring is allocated uninitialized and only written slots are
// read.
struct QueuedEvent {
  int64_t at_ms;
  int64_t duration_ms;
  int32_t block, set, rep;
  int32_t phase_index;
  int32_t cue_owner;
  uint32_t cue, variant;
  uint8_t type, side, phase_kind, label;
};

class EventQueue {
 public:
  static constexpr size_t kInitialSize = 256;
  // Past this many unpolled events the oldest is dropped.
  static constexpr size_t kMaxSize = 1 << 20;

  EventQueue() { Resize(kInitialSize); }

  // Empty, as new, keeping the ring (a ring that grew stays bigger: it emits the same events).
  void Clear() {
    head_ = count_ = 0;
    last_at_ = 0;
    has_last_ = false;
  }

  // Queues an event of `type` at `at`, moved to the time of the event before when earlier, with
  // no block, set, rep, side, phase or cue: the caller fills in what applies.
  QueuedEvent& Push(v1::SessionEvent::Type type, int64_t at) {
    QueuedEvent& event = Slot();
    event.duration_ms = -1;
    event.block = event.set = event.rep = -1;
    event.phase_index = -1;
    event.cue_owner = -1;
    event.cue = event.variant = 0;
    event.side = event.phase_kind = event.label = 0;
    event.type = static_cast<uint8_t>(type);
    if (has_last_ && at < last_at_) at = last_at_;
    event.at_ms = at;
    last_at_ = at;
    has_last_ = true;
    return event;
  }

  // Takes the oldest event off the queue (null when empty); it stays readable until the next
  // Push.
  const QueuedEvent* PopFront() {
    if (count_ == 0) return nullptr;
    const QueuedEvent* event = &ring_[head_];
    if (++head_ == capacity_) head_ = 0;
    --count_;
    return event;
  }

  size_t size() const { return count_; }
  // The i-th oldest event.
  const QueuedEvent& at(size_t i) const { return ring_[(head_ + i) % capacity_]; }
  // The time of the last event queued (0 and false before the first).
  int64_t last_at() const { return last_at_; }
  bool has_last() const { return has_last_; }

  // Restoring: an empty queue with room for `events`, then each event as it was queued, then
  // the time of the last event the session queued.
  void BeginRestore(size_t events);
  void Append(const QueuedEvent& event) { ring_[count_++] = event; }
  void EndRestore(int64_t last_at, bool has_last) {
    last_at_ = last_at;
    has_last_ = has_last;
  }

 private:
  void Resize(size_t capacity);
  // A new slot at the back (grows the ring, or drops the oldest at kMaxSize, when full).
  QueuedEvent& Slot() {
    if (count_ == capacity_) Grow();
    size_t at = head_ + count_;
    if (at >= capacity_) at -= capacity_;
    ++count_;
    return ring_[at];
  }
  void Grow();

  std::unique_ptr<QueuedEvent[]> ring_;
  size_t capacity_ = 0, head_ = 0, count_ = 0;
  int64_t last_at_ = 0;
  bool has_last_ = false;
};

// Lower-case phase kind without the prefix ("hold", "count_in"); "" for none or out of range.
const char* PhaseName(int kind);

// The public form of a queued event of a session of `plan` (every field of *out is written).
void ToEvent(const PreparedPlan& plan, const QueuedEvent& event, Event* out);

}  // namespace regimen::session_internal

#endif  // REGIMEN_SRC_SESSION_EVENT_QUEUE_H_
