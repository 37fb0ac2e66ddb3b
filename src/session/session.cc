// The session engine. A session walks its plan with a cursor (block, stage, set, rep, phase):
// steps are never expanded into a list, so the plan stays compact and a snapshot small. Every
// time is an int64 of ms; nothing is decided by floating point; nothing allocates after Start
// unless the host lets the event queue overflow its preallocated ring or makes reports.
//
// The plan is read through a PreparedPlan (src/session/prepared_plan.h): flat tables built once
// per plan and shared by every session made from it, so the hot path touches no protobuf
// accessor. The main loop (RunUntil) repeatedly takes the earliest of two deadlines: the end of
// the current phase and the emission of the next cue chosen by the speech scheduler
// (SelectCue), cue first on a tie, until both lie after `now`.
#include "regimen/session.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "regimen/plan.h"
#include "src/session/prepared_plan.h"

namespace regimen {
namespace {

using session_internal::BlockCounts;
using session_internal::BlockInfo;
using session_internal::CueInfo;
using session_internal::CueList;
using session_internal::ExerciseInfo;
using session_internal::PhaseInfo;
using session_internal::SideCounts;
using session_internal::Timeline;
using session_internal::TimelineMode;

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
constexpr int64_t kChannelFree = std::numeric_limits<int64_t>::min() / 4;
constexpr size_t kInitialQueue = 256;
constexpr size_t kMaxQueue = 1 << 20;
constexpr size_t kMaxLocationChars = 200;

// Where the cursor is. Values are stored in snapshots: never renumber.
enum Stage : uint32_t {
  kIdle = 0,       // not started
  kCountIn = 1,    // the count-in phase
  kExStart = 2,    // EXERCISE_START phases of `block`
  kSetStart = 3,   // SET_START phases of `set`
  kRep = 4,        // REP phases of `rep` (phase -1: the rep has not begun)
  kRepRest = 5,    // rest between reps
  kSetRest = 6,    // rest between sets (`set` is already the next one)
  kExEnd = 7,      // EXERCISE_END phases
  kBlockRest = 8,  // rest after `block`, before the next
  kEnding = 9,     // every block done; the end cue may still wait for the speech channel
  kDone = 10,
};

enum Label : uint8_t { kLabelDefault = 0, kLabelStopped = 1 };

// Plain data: the ring is allocated uninitialized and only written slots are read.
struct QEvent {
  int64_t at_ms;
  int64_t duration_ms;
  int32_t block, set, rep;
  int32_t phase_index;
  int32_t cue_owner;
  uint32_t cue, variant;
  uint8_t type, side, phase_kind, label;
};

struct PendingCue {
  int32_t owner = -1;  // -1 session cue, else exercise index
  uint32_t cue = 0;
  int64_t sched = 0;      // when it should start speaking
  int64_t known = 0;      // when it became known (its event is never earlier)
  int64_t phase_end = 0;  // kNever when not known
  uint64_t seq = 0;       // plan order
  int32_t block = -1, set = -1, rep = -1;
  int32_t priority = 0;  // the cue's, copied so the scheduler reads only this array
  bool protect = false;  // the cue's
  uint8_t side = 0, phase_kind = 0;
};

const char* const kPhaseNames[] = {"",     "setup",       "lift",    "hold",  "lower",   "rock",
                                   "rest", "switch_side", "breathe", "relax", "count_in"};

const char* PhaseName(int kind) {
  return kind >= 0 && kind <= v1::PHASE_COUNT_IN ? kPhaseNames[kind] : "";
}

v1::Side Other(v1::Side side) { return side == v1::LEFT ? v1::RIGHT : v1::LEFT; }

bool InExercise(uint32_t stage) { return stage >= kExStart && stage <= kExEnd; }

// Times are the host's monotonic milliseconds, 0..2^53 (some 285,000 years): every sum stays
// exact and -1 can mean "none" in snapshots.
constexpr int64_t kMaxTimeMs = int64_t{1} << 53;

}  // namespace

struct Session::State {
  // Timeline mode: while `tl` is set, the session follows its plan's nominal run (Timeline, in
  // src/session/prepared_plan.h) and `run` (the Session's NominalCursor, which the inline
  // Session::Tick and Poll advance) says where it stands. Of the other fields only prepared,
  // p, started and started_at then hold (finished and last_input after SyncFromCursor);
  // Materialize() rebuilds the rest before anything needs it.
  const Timeline* tl = nullptr;
  NominalCursor* run = nullptr;  // the owning Session's (never null once it has one)
  bool materialize_failed = false;
  // Whether the full engine ran (Begin, RestoreState) since Init or the last full Reset: when
  // not, the state is as they left it but for what timeline mode writes.
  bool engine_ran = false;

  std::shared_ptr<const PreparedPlan> prepared;
  const PreparedPlan* p = nullptr;  // prepared.get()

  bool started = false, finished = false, paused = false;
  int64_t started_at = 0, last_input = 0, pause_started = 0;
  int32_t block = -1;
  uint32_t stage = kIdle;
  int32_t set = -1, rep = -1, phase = -1;
  int64_t phase_start = 0, phase_end = kNever, phase_planned = -1;
  v1::PhaseKind phase_kind = v1::PHASE_KIND_UNSPECIFIED;
  v1::Side extra_side = v1::SIDE_UNSPECIFIED, prev_side = v1::SIDE_UNSPECIFIED;
  uint32_t extra_reps = 0;
  int64_t busy_until = kChannelFree;
  uint64_t cue_seq = 0;
  std::vector<PendingCue> pending;
  std::vector<uint32_t> fired;
  std::vector<uint32_t> next_variant;  // per cue: fired % its texts (no division per cue said)
  std::unique_ptr<QEvent[]> ring;
  size_t ring_size = 0;
  size_t head = 0, count = 0;
  int64_t last_event = 0;
  bool has_last_event = false;
  int64_t block_started_active = 0;
  uint32_t reports_applied = 0;
  // The record: scalars, reports and safety stops here (no routine id, no blocks); the blocks
  // as plain counters.
  v1::SessionRecord record;
  std::vector<BlockCounts> counts;
  // A safety-stop record allocated before an input that may need it (see PrepareSafetyStop).
  std::unique_ptr<v1::SafetyStopRecord> spare_stop;

  // Transient: set while entering the first phase of a block or of the session.
  bool first_of_block = false, first_of_session = false;
  // The speech scheduler's choice (recomputed by SelectCue; -1 when none).
  int next_cue = -1;
  // Whether the choice must be recomputed: the pending cues or the channel changed since.
  bool choice_stale = true;
  int64_t next_cue_start = 0, next_cue_emit = kNever;

  // --- plan access ---------------------------------------------------------------------------
  const BlockInfo& Block() const { return p->blocks[block]; }
  const ExerciseInfo& Exercise() const { return p->exercises[Block().exercise]; }
  int32_t ExerciseIndex() const { return static_cast<int32_t>(Block().exercise); }
  bool Sided() const { return Exercise().sided; }
  const PhaseInfo& ExercisePhase(int index) const {
    return p->phases[Exercise().phase_begin + index];
  }

  int64_t SpeakMs(int32_t owner, uint32_t cue, uint32_t variant) const {
    return p->speak_ms[p->Cue(owner, cue).text_begin + variant];
  }

  void Init(std::shared_ptr<const PreparedPlan> plan) {
    prepared = std::move(plan);
    p = prepared.get();
    fired.assign(p->cues.size(), 0);
    next_variant.assign(p->cues.size(), 0);
    counts = p->initial_counts;
    pending.reserve(64);
    ResizeRing(kInitialQueue);
  }
  // Makes this state what a fresh State with Init(plan) would be, keeping the memory it holds
  // (the event ring, the pending cues', fired counts' and block counts' capacity, the record's
  // messages). A ring that grew stays bigger: it only grows when full and keeps the order, so a
  // bigger ring emits the same events.
  void Reset(std::shared_ptr<const PreparedPlan> plan) {
    if (!engine_ran && plan == prepared && ring != nullptr) {
      // Only timeline mode ran since Init or the last Reset: undo what it wrote.
      tl = nullptr;
      if (run != nullptr) *run = NominalCursor();
      started = finished = false;
      started_at = last_input = 0;
      record.mutable_reports()->Clear();
      return;
    }
    std::unique_ptr<QEvent[]> keep_ring = std::move(ring);
    const size_t keep_ring_size = ring_size;
    std::vector<PendingCue> keep_pending = std::move(pending);
    std::vector<uint32_t> keep_fired = std::move(fired);
    std::vector<uint32_t> keep_variant = std::move(next_variant);
    std::vector<BlockCounts> keep_counts = std::move(counts);
    v1::SessionRecord keep_record;
    keep_record.Swap(&record);
    NominalCursor* const keep_run = run;
    *this = State();
    run = keep_run;
    if (run != nullptr) *run = NominalCursor();
    prepared = std::move(plan);
    p = prepared.get();
    keep_fired.assign(p->cues.size(), 0);
    fired = std::move(keep_fired);
    keep_variant.assign(p->cues.size(), 0);
    next_variant = std::move(keep_variant);
    keep_counts.assign(p->initial_counts.begin(), p->initial_counts.end());
    counts = std::move(keep_counts);
    keep_pending.clear();
    keep_pending.reserve(64);
    pending = std::move(keep_pending);
    keep_record.Clear();
    record.Swap(&keep_record);
    if (keep_ring != nullptr) {
      ring = std::move(keep_ring);
      ring_size = keep_ring_size;
      head = 0;
      count = 0;
    } else {
      ResizeRing(kInitialQueue);
    }
  }
  void ResizeRing(size_t size) {
    ring.reset(new QEvent[size]);
    ring_size = size;
    head = 0;
    count = 0;
  }

  // When the next timed event is due while running (kNever when none).
  int64_t Deadline() const {
    if (stage == kEnding && pending.empty()) return phase_start;
    const int64_t cue = next_cue >= 0 ? next_cue_emit : kNever;
    return cue < phase_end ? cue : phase_end;
  }

  int64_t Active(int64_t t) const {
    return t - started_at - record.paused_ms() - (paused ? t - pause_started : 0);
  }

  // --- reps and sides ------------------------------------------------------------------------
  uint32_t RepsInSet() const {
    const BlockInfo& b = Block();
    const bool sided = Sided();
    uint32_t n = sided ? 2 * b.reps : b.reps;
    return n + b.bias_extra_reps + (sided ? extra_reps : 0);
  }
  v1::Side RepSide(int32_t r) const {
    const BlockInfo& info = Block();
    if (!info.sided) return v1::SIDE_UNSPECIFIED;
    if (static_cast<uint32_t>(r) < info.sides) {
      return static_cast<v1::Side>(p->rep_sides[info.side_begin + static_cast<uint32_t>(r)]);
    }
    return RepSideSlow(r);
  }
  // RepSide from the block's prescription (the table covers reps 0 .. sides - 1).
  v1::Side RepSideSlow(int32_t r) const {
    const ExerciseInfo& ex = Exercise();
    if (!ex.sided) return v1::SIDE_UNSPECIFIED;
    const BlockInfo& b = Block();
    const v1::Side first = static_cast<v1::Side>(b.first_side);
    const int32_t reps = static_cast<int32_t>(b.reps);
    if (r < 2 * reps) {
      if (ex.laterality == v1::LATERALITY_ALTERNATING) {
        return r % 2 == 0 ? first : Other(first);
      }
      return r < reps ? first : Other(first);
    }
    r -= 2 * reps;
    return r < static_cast<int32_t>(b.bias_extra_reps) ? static_cast<v1::Side>(b.bias_side)
                                                       : extra_side;
  }
  SideCounts& SideRecord(v1::Side side) {
    return counts[block].sides[Sided() && side == v1::RIGHT ? 1 : 0];
  }

  // --- the event queue -----------------------------------------------------------------------
  // Takes the oldest queued event off the queue (null when empty); the slot stays readable
  // until the next event is queued.
  const QEvent* PopFront() {
    if (count == 0) return nullptr;
    const QEvent* q = &ring[head];
    if (++head == ring_size) head = 0;
    --count;
    return q;
  }
  // A new slot at the back of the queue (written in place: no copy of the event).
  QEvent& Slot() {
    if (count == ring_size) {
      // Only when the host lets events pile up: grow, keeping their order.
      const size_t bigger_size = std::min(ring_size * 2, kMaxQueue);
      if (bigger_size == ring_size) {  // the host never polls: drop the oldest
        head = (head + 1) % ring_size;
        --count;
      } else {
        std::unique_ptr<QEvent[]> bigger(new QEvent[bigger_size]);
        for (size_t i = 0; i < count; ++i) bigger[i] = ring[(head + i) % ring_size];
        ring = std::move(bigger);
        ring_size = bigger_size;
        head = 0;
      }
    }
    size_t at = head + count;
    if (at >= ring_size) at -= ring_size;
    ++count;
    return ring[at];
  }
  // Queues an event of `type` at `at` (never earlier than the one before) with no block, set,
  // rep, side, phase or cue; the caller fills in what applies.
  QEvent& Emit(v1::SessionEvent::Type type, int64_t at) {
    QEvent& e = Slot();
    e.duration_ms = -1;
    e.block = e.set = e.rep = -1;
    e.phase_index = -1;
    e.cue_owner = -1;
    e.cue = e.variant = 0;
    e.side = e.phase_kind = e.label = 0;
    e.type = static_cast<uint8_t>(type);
    if (has_last_event && at < last_event) at = last_event;
    e.at_ms = at;
    last_event = at;
    has_last_event = true;
    return e;
  }
  // An event about the cursor's position (block, set, rep and side where they apply).
  void EmitHere(v1::SessionEvent::Type type, int64_t at, uint8_t label = kLabelDefault) {
    QEvent& e = Emit(type, at);
    e.label = label;
    if (InExercise(stage)) {
      e.block = block;
      if (stage == kRep) {
        e.set = set;
        e.rep = rep;
        e.side = static_cast<uint8_t>(RepSide(rep));
      }
    }
    e.phase_kind = static_cast<uint8_t>(phase_kind);
  }

  // --- cues ----------------------------------------------------------------------------------
  void AddCue(int32_t owner, uint32_t cue, int64_t sched, int64_t now, int64_t phase_end_at,
              int32_t ev_block, int32_t ev_set, int32_t ev_rep, v1::Side side) {
    const CueInfo& info = p->Cue(owner, cue);
    PendingCue& c = pending.emplace_back();
    c.owner = owner;
    c.cue = cue;
    c.sched = sched;
    c.known = now;
    c.phase_end = phase_end_at;
    c.seq = cue_seq++;
    c.block = ev_block;
    c.set = ev_set;
    c.rep = ev_rep;
    c.priority = info.priority;
    c.protect = info.protect;
    c.side = static_cast<uint8_t>(side);
    c.phase_kind = static_cast<uint8_t>(phase_kind);
    choice_stale = true;
  }

  // Drops what can no longer be said in time and picks the next cue to speak.
  void SelectCue() {
    if (!choice_stale) return;
    choice_stale = false;
    next_cue = -1;
    next_cue_emit = kNever;
    for (;;) {
      const int n = static_cast<int>(pending.size());
      if (n == 0) return;
      int64_t min_sched = kNever;
      for (const PendingCue& c : pending) min_sched = std::min(min_sched, c.sched);
      const int64_t start = std::max(busy_until, min_sched);
      int best = -1;
      for (int i = 0; i < n; ++i) {
        const PendingCue& c = pending[i];
        if (c.sched > start) continue;
        if (best < 0) {
          best = i;
          continue;
        }
        const PendingCue& b = pending[best];
        if (c.priority > b.priority || (c.priority == b.priority && c.seq < b.seq)) best = i;
      }
      const PendingCue& c = pending[best];
      if (!c.protect && (start - c.sched > p->max_cue_delay_ms || start >= c.phase_end)) {
        record.set_cues_dropped(record.cues_dropped() + 1);
        pending.erase(pending.begin() + best);
        continue;
      }
      next_cue = best;
      next_cue_start = start;
      next_cue_emit = std::max(start - p->cue_lead_ms, c.known);
      return;
    }
  }

  void EmitCue() {
    const PendingCue c = pending[next_cue];
    pending.erase(pending.begin() + next_cue);
    const uint32_t index = p->CueIndex(c.owner, c.cue);
    const CueInfo& cue = p->cues[index];
    const uint32_t variant = next_variant[index];
    next_variant[index] = variant + 1 >= cue.texts ? 0 : variant + 1;
    ++fired[index];
    QEvent& e = Emit(v1::SessionEvent::CUE, next_cue_emit);
    e.block = c.block;
    e.set = c.set;
    e.rep = c.rep;
    e.side = c.side;
    e.phase_kind = c.phase_kind;
    e.cue_owner = c.owner;
    e.cue = c.cue;
    e.variant = variant;
    busy_until = next_cue_start + p->speak_ms[cue.text_begin + variant] + p->cue_gap_ms;
    record.set_cues_spoken(record.cues_spoken() + 1);
    if (next_cue_start > c.sched) record.set_cues_deferred(record.cues_deferred() + 1);
    next_cue = -1;
    choice_stale = true;
  }

  // The current phase ends at t: its cues timed after `keep_until` are forgotten (they never
  // came due), the others may not start after t (SelectCue drops them).
  void CutPending(int64_t t, int64_t keep_until) {
    size_t out = 0;
    for (size_t i = 0; i < pending.size(); ++i) {
      PendingCue c = pending[i];
      if (!c.protect) {
        if (c.sched > keep_until) continue;
        c.phase_end = std::min(c.phase_end, t);
      }
      pending[out++] = c;
    }
    pending.resize(out);
    next_cue = -1;
    choice_stale = true;
  }

  // Cues of the phase that starts now (and of the block or session when it is their first).
  void ScheduleEntryCues(int64_t t, bool first_of_rep) {
    const int64_t end = phase_end;
    const bool no_end = end == kNever;
    const int64_t planned = phase_planned;
    const bool in_exercise = InExercise(stage);
    const bool exercise_phase = phase >= 0 && in_exercise;
    int32_t ev_block = in_exercise ? block : -1;
    int32_t ev_set = stage == kRep ? set : -1;
    int32_t ev_rep = stage == kRep ? rep : -1;
    v1::Side side = stage == kRep ? RepSide(rep) : v1::SIDE_UNSPECIFIED;
    auto timed = [&](int32_t owner, uint32_t i, const CueInfo& trig) {
      switch (trig.trigger) {
        case v1::TRIGGER_PHASE_ENTRY:
          AddCue(owner, i, t, t, end, ev_block, ev_set, ev_rep, side);
          break;
        case v1::TRIGGER_PHASE_OFFSET:
          if (no_end || trig.offset_ms < planned) {
            AddCue(owner, i, t + trig.offset_ms, t, end, ev_block, ev_set, ev_rep, side);
          }
          break;
        case v1::TRIGGER_BEFORE_PHASE_END:
          if (!no_end && trig.offset_ms <= planned) {
            AddCue(owner, i, end - trig.offset_ms, t, end, ev_block, ev_set, ev_rep, side);
          }
          break;
        default:
          break;
      }
    };
    const uint16_t* lists = p->lists.data();
    if (first_of_session) {
      first_of_session = false;
      const CueList& l = p->session_start_cues;
      for (uint32_t k = 0; k < l.size; ++k) {
        AddCue(-1, lists[l.begin + k], t, t, end, ev_block, ev_set, ev_rep, side);
      }
    }
    if (!exercise_phase) {
      // Engine phases (count-in, rests): timed cues that name the phase kind exactly.
      const int32_t owner = in_exercise ? ExerciseIndex() : -1;
      CueList l;
      if (phase_kind == v1::PHASE_REST) {
        l = p->rest_cues[owner + 1];
      } else if (phase_kind == v1::PHASE_COUNT_IN && owner < 0) {
        l = p->count_in_cues;
      }
      const uint32_t base = p->cue_base[owner + 1];
      for (uint32_t k = 0; k < l.size; ++k) {
        const uint32_t i = lists[l.begin + k];
        timed(owner, i, p->cues[base + i]);
      }
      return;
    }
    const int32_t owner = ExerciseIndex();
    const ExerciseInfo& ex = Exercise();
    const BlockInfo& b = Block();
    if (first_of_block) {
      for (uint32_t k = 0; k < b.leads; ++k) {
        AddCue(owner, p->lead_cues[b.lead_begin + k], t, t, end, ev_block, ev_set, ev_rep, side);
      }
    }
    const bool side_switch = stage == kRep && first_of_rep && prev_side != v1::SIDE_UNSPECIFIED &&
                             side != v1::SIDE_UNSPECIFIED && side != prev_side;
    const uint32_t at = ex.phase_begin + phase;
    const CueList& l = first_of_block || side_switch ? p->entry_cues[at]
                       : first_of_rep                ? p->entry_cues_rep[at]
                                                     : p->entry_cues_plain[at];
    const uint32_t base = p->cue_base[owner + 1];
    for (uint32_t k = 0; k < l.size; ++k) {
      const uint32_t i = lists[l.begin + k];
      const CueInfo& trig = p->cues[base + i];
      // Rep triggers with no phase fire on the rep's first phase.
      const bool rep_match =
          trig.phase == v1::PHASE_KIND_UNSPECIFIED ? first_of_rep : trig.phase == phase_kind;
      switch (trig.trigger) {
        case v1::TRIGGER_EXERCISE_START:
          if (first_of_block) AddCue(owner, i, t, t, end, ev_block, ev_set, ev_rep, side);
          break;
        case v1::TRIGGER_EVERY_NTH_REP:
          if (stage == kRep && rep_match && rep % trig.every_n == 0) {
            AddCue(owner, i, t, t, end, ev_block, ev_set, ev_rep, side);
          }
          break;
        case v1::TRIGGER_FIRST_REP:
          if (stage == kRep && rep_match && set == 0 && rep == 0) {
            AddCue(owner, i, t, t, end, ev_block, ev_set, ev_rep, side);
          }
          break;
        case v1::TRIGGER_SIDE_SWITCH:
          if (side_switch) AddCue(owner, i, t, t, end, ev_block, ev_set, ev_rep, side);
          break;
        default:
          timed(owner, i, trig);  // the list holds only those whose phase matches
          break;
      }
    }
    first_of_block = false;
  }

  // --- walking the plan ----------------------------------------------------------------------
  void EnterPhase(int64_t t, uint32_t new_stage, int32_t index, v1::PhaseKind kind, int64_t planned,
                  bool open, bool first_of_rep) {
    stage = new_stage;
    phase = index;
    phase_kind = kind;
    phase_start = t;
    phase_planned = open ? -1 : planned;
    phase_end = open ? (planned > 0 ? t + planned : kNever) : t + planned;
    QEvent& e = Emit(v1::SessionEvent::PHASE_STARTED, t);
    e.duration_ms = phase_planned;
    e.phase_index = index;
    e.phase_kind = static_cast<uint8_t>(kind);
    if (InExercise(stage)) {
      e.block = block;
      if (stage == kRep) {
        e.set = set;
        e.rep = rep;
        e.side = static_cast<uint8_t>(RepSide(rep));
      } else if (stage == kSetStart || stage == kRepRest) {
        e.set = set;
      }
    }
    ScheduleEntryCues(t, first_of_rep);
  }
  void EnterRest(int64_t t, uint32_t new_stage, int64_t ms) {
    EnterPhase(t, new_stage, -1, v1::PHASE_REST, ms, false, false);
  }

  // The next phase of `scope` after index `after`, or -1.
  int NextScoped(v1::PhaseScope scope, int after) const {
    const ExerciseInfo& ex = Exercise();
    const PhaseInfo* phases = &p->phases[ex.phase_begin];
    for (int i = after + 1; i < static_cast<int>(ex.phases); ++i) {
      if (phases[i].scope == scope) return i;
    }
    return -1;
  }
  int NextRepPhase(int after) const {
    const ExerciseInfo& ex = Exercise();
    const PhaseInfo* phases = &p->phases[ex.phase_begin];
    const bool switched = rep > 0 && RepSide(rep) != RepSide(rep - 1);
    for (int i = after + 1; i < static_cast<int>(ex.phases); ++i) {
      const PhaseInfo& ph = phases[i];
      if (ph.scope != v1::PHASE_SCOPE_REP) continue;
      if (ph.kind == v1::PHASE_SWITCH_SIDE && !switched) continue;
      return i;
    }
    return -1;
  }
  void EnterExercisePhase(int64_t t, uint32_t new_stage, int index, bool first_of_rep) {
    const PhaseInfo& ph = ExercisePhase(index);
    EnterPhase(t, new_stage, index, static_cast<v1::PhaseKind>(ph.kind),
               p->phase_ms[Block().phase_ms_begin + index], ph.open, first_of_rep);
  }

  void StartBlock(int32_t b, int64_t t) {
    block = b;
    stage = kExStart;
    phase = -1;
    set = -1;
    rep = -1;
    extra_reps = 0;
    extra_side = v1::SIDE_UNSPECIFIED;
    prev_side = v1::SIDE_UNSPECIFIED;
    first_of_block = true;
    phase_kind = v1::PHASE_KIND_UNSPECIFIED;
    block_started_active = Active(t);
    QEvent& e = Emit(v1::SessionEvent::EXERCISE_STARTED, t);
    e.block = b;
  }

  // Ends the block at t with `outcome` and moves on: the rest after it, the next block (stage
  // kExStart, nothing entered yet) or the end of the session.
  void CompleteBlock(int64_t t, v1::BlockOutcome outcome) {
    QEvent& e = Emit(v1::SessionEvent::EXERCISE_COMPLETED, t);
    e.block = block;
    BlockCounts& r = counts[block];
    r.outcome = outcome;
    r.active_ms = Active(t) - block_started_active;
    extra_reps = 0;
    extra_side = v1::SIDE_UNSPECIFIED;
    if (block + 1 < static_cast<int32_t>(p->blocks.size())) {
      if (Block().rest_after_ms > 0) {
        EnterRest(t, kBlockRest, Block().rest_after_ms);
      } else {
        StartBlock(block + 1, t);
      }
      return;
    }
    BeginEnding(t);
  }

  void BeginEnding(int64_t t) {
    stage = kEnding;
    phase = -1;
    phase_kind = v1::PHASE_KIND_UNSPECIFIED;
    phase_start = t;
    phase_end = kNever;
    phase_planned = -1;
    CutPending(t, t - 1);
    const CueList& l = p->session_end_cues;
    for (uint32_t k = 0; k < l.size; ++k) {
      AddCue(-1, p->lists[l.begin + k], t, t, kNever, -1, -1, -1, v1::SIDE_UNSPECIFIED);
    }
  }

  void FinishSession(int64_t t, v1::SessionEnd end) {
    QEvent& e = Emit(v1::SessionEvent::SESSION_COMPLETED, t);
    e.label = end == v1::SESSION_END_STOPPED ? kLabelStopped : kLabelDefault;
    t = e.at_ms;
    if (paused) {
      record.set_paused_ms(record.paused_ms() + (t - pause_started));
      paused = false;
    }
    stage = kDone;
    phase = -1;
    phase_end = kNever;
    finished = true;
    pending.clear();
    next_cue = -1;
    choice_stale = true;
    record.set_end(end);
    record.set_ended_at_ms(t);
    record.set_active_ms(t - started_at - record.paused_ms());
  }

  // Walks from the step just finished at t to the next phase, emitting what lies between.
  void Walk(int64_t t) {
    for (;;) {
      switch (stage) {
        case kCountIn:
          StartBlock(0, t);
          continue;
        case kExStart: {
          const int next = NextScoped(v1::PHASE_SCOPE_EXERCISE_START, phase);
          if (next >= 0) return EnterExercisePhase(t, kExStart, next, false);
          stage = kSetStart;
          set = 0;
          phase = -1;
          continue;
        }
        case kSetStart: {
          const int next = NextScoped(v1::PHASE_SCOPE_SET_START, phase);
          if (next >= 0) return EnterExercisePhase(t, kSetStart, next, false);
          stage = kRep;
          rep = 0;
          phase = -1;
          continue;
        }
        case kRep: {
          const int next = NextRepPhase(phase);
          if (next >= 0) return EnterExercisePhase(t, kRep, next, phase < 0);
          const v1::Side side = RepSide(rep);
          QEvent& e = Emit(v1::SessionEvent::REP_COMPLETED, t);
          e.block = block;
          e.set = set;
          e.rep = rep;
          e.side = static_cast<uint8_t>(side);
          ++SideRecord(side).reps_done;
          prev_side = side;
          ++rep;
          phase = -1;
          const BlockInfo& b = Block();
          if (rep < static_cast<int32_t>(RepsInSet())) {
            if (b.rest_between_reps_ms > 0) {
              return EnterRest(t, kRepRest, b.rest_between_reps_ms);
            }
            continue;
          }
          QEvent& s = Emit(v1::SessionEvent::SET_COMPLETED, t);
          s.block = block;
          s.set = set;
          ++counts[block].sets_done;
          ++set;
          rep = -1;
          if (set < static_cast<int32_t>(b.sets)) {
            if (b.rest_between_sets_ms > 0) {
              return EnterRest(t, kSetRest, b.rest_between_sets_ms);
            }
            stage = kSetStart;
            continue;
          }
          stage = kExEnd;
          continue;
        }
        case kRepRest:
          stage = kRep;
          phase = -1;
          continue;
        case kSetRest:
          stage = kSetStart;
          phase = -1;
          continue;
        case kExEnd: {
          const int next = NextScoped(v1::PHASE_SCOPE_EXERCISE_END, phase);
          if (next >= 0) return EnterExercisePhase(t, kExEnd, next, false);
          CompleteBlock(t, v1::BLOCK_OUTCOME_COMPLETED);
          if (stage == kExStart) continue;
          return;
        }
        case kBlockRest:
          StartBlock(block + 1, t);
          continue;
        default:
          return;
      }
    }
  }

  // The current phase ran to its end at t (or REP_DONE ended an open one).
  void EndPhase(int64_t t) {
    if (stage == kRep && phase_kind == v1::PHASE_HOLD) {
      ++SideRecord(RepSide(rep)).holds_achieved;
    }
    // Cues timed at or after the end never came due within their phase.
    CutPending(t, t - 1);
    Walk(t);
  }

  void RunUntil(int64_t now) {
    for (;;) {
      if (finished || paused) return;
      SelectCue();
      if (stage == kEnding && pending.empty()) {
        FinishSession(phase_start, v1::SESSION_END_COMPLETED);
        return;
      }
      const int64_t cue_at = next_cue >= 0 ? next_cue_emit : kNever;
      if (cue_at != kNever && cue_at <= phase_end && cue_at <= now) {
        EmitCue();
        if (stage == kEnding) phase_start = std::max(phase_start, last_event);
        continue;
      }
      if (phase_end != kNever && phase_end <= now) {
        EndPhase(phase_end);
        continue;
      }
      return;
    }
  }

  // Ends the current exercise (or count-in or rest) early at t.
  void EndEarly(int64_t t, v1::BlockOutcome outcome) {
    CutPending(t, t);
    if (InExercise(stage)) {
      CompleteBlock(t, outcome);
      if (stage == kExStart) Walk(t);
    } else if (stage == kCountIn || stage == kBlockRest) {
      Walk(t);
    }
  }

  void SafetyStop(int64_t t, int32_t pain) {
    EmitHere(v1::SessionEvent::SAFETY_STOP, t);
    v1::SafetyStopRecord* r = spare_stop.get();
    if (r != nullptr) {
      record.mutable_safety_stops()->AddAllocated(spare_stop.release());
    } else {
      r = record.add_safety_stops();
    }
    r->set_at_ms(t);
    r->set_block_index(InExercise(stage) ? block : -1);
    r->set_exercise_id(InExercise(stage) ? Exercise().id : "");
    r->set_pain(pain);
    const CueList& l = p->safety_stop_cues;
    for (uint32_t k = 0; k < l.size; ++k) {
      AddCue(-1, p->lists[l.begin + k], t, t, kNever, InExercise(stage) ? block : -1, -1, -1,
             v1::SIDE_UNSPECIFIED);
    }
    // Say it now when the channel is free, before the session moves on.
    for (;;) {
      SelectCue();
      if (next_cue < 0 || next_cue_emit > t) break;
      EmitCue();
    }
    if (InExercise(stage)) EndEarly(t, v1::BLOCK_OUTCOME_SAFETY_STOPPED);
  }

  // A report's cue: the exercise's REPORT cue that matches, else the catalog's session cue. It
  // answers the user, so it is not bound to the phase (only max_cue_delay_ms can drop it).
  void ReportCue(int64_t t, v1::ReportKind kind, int32_t value) {
    auto matches = [&](const CueInfo& cue) {
      if (cue.trigger != v1::TRIGGER_REPORT || cue.report != kind) return false;
      if (kind == v1::REPORT_ASYMMETRY) return true;
      return value >= cue.min_value && (cue.max_value == 0 || value <= cue.max_value);
    };
    const int32_t ev_block = InExercise(stage) ? block : -1;
    const int32_t ev_set = stage == kRep ? set : -1;
    const int32_t ev_rep = stage == kRep ? rep : -1;
    const v1::Side side = stage == kRep ? RepSide(rep) : v1::SIDE_UNSPECIFIED;
    if (InExercise(stage)) {
      const int32_t owner = ExerciseIndex();
      const uint32_t n = p->CueCount(owner);
      for (uint32_t i = 0; i < n; ++i) {
        if (matches(p->Cue(owner, i))) {
          return AddCue(owner, i, t, t, kNever, ev_block, ev_set, ev_rep, side);
        }
      }
    }
    const uint32_t n = p->CueCount(-1);
    for (uint32_t i = 0; i < n; ++i) {
      if (matches(p->Cue(-1, i))) {
        return AddCue(-1, i, t, t, kNever, ev_block, ev_set, ev_rep, side);
      }
    }
  }

  // Allocates what a safety stop records, so that an input that may stop the session can fail
  // (bad_alloc) before it changes anything.
  // Allocations that the session keeps come last, so that when one fails, what was allocated
  // before it is freed again.
  void PrepareSafetyStop() {
    if (spare_stop == nullptr) {
      auto stop = std::make_unique<v1::SafetyStopRecord>();
      stop->mutable_exercise_id()->reserve(p->longest_exercise_id);
      record.mutable_safety_stops()->Reserve(record.safety_stops_size() + 1);
      spare_stop = std::move(stop);
    } else {
      record.mutable_safety_stops()->Reserve(record.safety_stops_size() + 1);
    }
  }

  void ApplyReport(const v1::ReportRecord& report, int64_t t) {
    switch (report.kind()) {
      case v1::REPORT_PAIN:
        if (report.value() >= static_cast<int32_t>(p->pain_stop_threshold)) {
          SafetyStop(t, report.value());
        } else {
          ReportCue(t, v1::REPORT_PAIN, report.value());
        }
        break;
      case v1::REPORT_ASYMMETRY: {
        ReportCue(t, v1::REPORT_ASYMMETRY, report.side());
        if (InExercise(stage) && stage != kExEnd && Sided() && extra_reps == 0) {
          extra_side = Other(report.side());
          extra_reps = 1;
          const uint32_t sets_left = Block().sets - static_cast<uint32_t>(std::max(set, 0));
          SideCounts& sr = SideRecord(extra_side);
          sr.reps_planned += sets_left;
          sr.holds_planned += sets_left * Exercise().holds_per_rep;
        }
        break;
      }
      default:
        ReportCue(t, report.kind(), report.value());
        break;
    }
  }

  // The record's blocks as messages (with_plan_fields: also what the plan determines: block
  // index, exercise id, planned sets, level and sides; snapshots leave those out).
  void AddBlocks(v1::SessionRecord* r, bool with_plan_fields) const {
    const v1::Plan& plan = p->proto();
    r->mutable_blocks()->Reserve(static_cast<int>(counts.size()));
    for (size_t b = 0; b < counts.size(); ++b) {
      const BlockCounts& c = counts[b];
      const BlockInfo& info = p->blocks[b];
      const ExerciseInfo& ex = p->exercises[info.exercise];
      v1::BlockRecord* out = r->add_blocks();
      if (with_plan_fields) {
        out->set_block_index(static_cast<int32_t>(b));
        out->set_exercise_id(ex.id);
        out->set_sets_planned(info.sets);
        out->set_level(plan.blocks(static_cast<int>(b)).level());
      }
      out->set_outcome(static_cast<v1::BlockOutcome>(c.outcome));
      out->set_sets_done(c.sets_done);
      out->set_active_ms(c.active_ms);
      const int nsides = ex.sided ? 2 : 1;
      for (int i = 0; i < nsides; ++i) {
        v1::SideRecord* s = out->add_sides();
        if (with_plan_fields) {
          s->set_side(!ex.sided ? v1::SIDE_UNSPECIFIED : i == 0 ? v1::LEFT : v1::RIGHT);
        }
        s->set_reps_planned(c.sides[i].reps_planned);
        s->set_reps_done(c.sides[i].reps_done);
        s->set_holds_planned(c.sides[i].holds_planned);
        s->set_holds_achieved(c.sides[i].holds_achieved);
      }
    }
  }

  // --- starting and the nominal run -----------------------------------------------------------
  // Starts the clock at `now` (checked by the caller): SESSION_STARTED and the count-in or the
  // first exercise, then whatever is due at once.
  void Begin(int64_t now) {
    engine_ran = true;
    started = true;
    started_at = now;
    last_input = now;
    record.set_started_at_ms(now);
    Emit(v1::SessionEvent::SESSION_STARTED, now);
    first_of_session = true;
    if (p->count_in_ms > 0) {
      EnterPhase(now, kCountIn, -1, v1::PHASE_COUNT_IN, p->count_in_ms, false, false);
    } else {
      stage = kCountIn;
      Walk(now);
    }
    RunUntil(now);
  }

  // The nominal run of `plan`, made on first use (null when too long to keep).
  static const Timeline* NominalTimeline(const std::shared_ptr<const PreparedPlan>& plan);
  // The timeline a session of `plan` starting now follows (TimelineMode), or null.
  static const Timeline* TimelineToFollow(const std::shared_ptr<const PreparedPlan>& plan);

  // Starts following `timeline` at `now`: what Begin(now) would emit, as its first group.
  void BeginTimeline(const Timeline* timeline, int64_t now) {
    tl = timeline;
    started = true;
    started_at = now;
    last_input = now;
    NominalCursor& r = *run;
    r.events = timeline->events.data();
    r.deadlines = timeline->deadlines.data();
    r.ends = timeline->ends.data();
    r.groups = static_cast<uint32_t>(timeline->deadlines.size());
    r.finishes = timeline->finishes;
    r.started_at = now;
    r.last_input = now;
    r.group = 1;
    r.emitted = timeline->ends[0];
    r.polled = 0;
    r.finished = r.group == r.groups && r.finishes;
    r.deadline = r.group < r.groups ? now + r.deadlines[r.group] : -1;
    finished = r.finished;
  }
  // In timeline mode the cursor holds the time of the last input and whether the session
  // finished: copies them here, for the checks of an input.
  void SyncFromCursor() {
    if (tl == nullptr) return;
    last_input = run->last_input;
    finished = run->finished;
  }

  // Leaves timeline mode: rebuilds the full state the engine would hold after the same inputs
  // (Begin at the start time, a tick at each group's deadline, the last input's time) and drops
  // from the queue the events the host already polled. On failure (bad_alloc) the session stays
  // in timeline mode, as it was.
  void Materialize() {
    const Timeline* const timeline = tl;
    if (timeline == nullptr) return;
    const NominalCursor cursor = *run;
    const int64_t origin = cursor.started_at;
    *run = NominalCursor();
    try {
      if (materialize_failed) {
        // Reports recorded on the nominal run stay.
        google::protobuf::RepeatedPtrField<v1::ReportRecord> reports;
        reports.Swap(record.mutable_reports());
        Reset(prepared);
        record.mutable_reports()->Swap(&reports);
      } else {
        // The rest of the state is as Init or Reset left it: timeline mode never touches it.
        tl = nullptr;
        started = finished = false;
      }
      Begin(origin);
      uint32_t dropped = 0;
      auto drop = [&] {
        while (dropped < cursor.polled && PopFront() != nullptr) ++dropped;
      };
      drop();
      for (uint32_t g = 1; g < cursor.group; ++g) {
        RunUntil(origin + timeline->deadlines[g]);
        drop();
      }
      last_input = cursor.last_input;
      reports_applied = static_cast<uint32_t>(record.reports_size());
    } catch (...) {
      tl = timeline;
      started = true;
      started_at = origin;
      *run = cursor;
      SyncFromCursor();
      materialize_failed = true;  // the next attempt starts from a Reset
      throw;
    }
  }

  // Session::Poll off its timeline fast path.
  bool Poll(Event* out);
  // What Session::Record gives (the full state, out of timeline mode).
  void FillRecord(v1::SessionRecord* out) const;

  // Whether a report (checked) changes nothing but the record: no REPORT cue answers it and it
  // cannot stop the session. Such a report keeps a session on its nominal run.
  bool Silent(v1::ReportKind kind, int32_t value) const {
    if (kind == v1::REPORT_PAIN) {
      return value < static_cast<int32_t>(p->pain_stop_threshold) &&
             (p->pain_cue_values >> value & 1u) == 0;
    }
    return kind == v1::REPORT_EFFORT && (p->effort_cue_values >> value & 1u) == 0;
  }
  // Timeline mode: the groups due by `now` (what a tick at `now` emits).
  void CatchUp(int64_t now) {
    run->Advance(now);
    SyncFromCursor();
  }

  // --- snapshots (below the public API) ------------------------------------------------------
  // Writes everything but the plan into *st.
  void WriteState(v1::SessionState* st) const;
  // Checks `st` against the plan and takes it over (the plan and Init are done).
  absl::Status RestoreState(v1::SessionState& st);
};

// --- the public API ----------------------------------------------------------------------------

const char* EventTypeName(v1::SessionEvent::Type type) {
  if (!v1::SessionEvent::Type_IsValid(type)) return "";
  return v1::SessionEvent::Type_Name(type).c_str();
}

v1::SessionEvent EventToProto(const Event& e) {
  v1::SessionEvent out;
  out.set_type(e.type);
  out.set_at_ms(e.at_ms);
  out.set_block_index(e.block_index);
  out.set_set_index(e.set_index);
  out.set_rep_index(e.rep_index);
  out.set_side(e.side);
  out.set_duration_ms(e.duration_ms);
  out.set_exercise_id(e.exercise_id == nullptr ? "" : e.exercise_id);
  out.set_phase(e.phase == nullptr ? "" : e.phase);
  out.set_cue_id(e.cue_id == nullptr ? "" : e.cue_id);
  out.set_text(e.text == nullptr ? "" : e.text);
  out.set_cue_kind(e.cue_kind);
  out.set_priority(e.priority);
  out.set_speak_ms(e.speak_ms);
  return out;
}

Session::Session(std::unique_ptr<State> state) : s_(std::move(state)) { s_->run = &run_; }
Session::~Session() = default;

absl::StatusOr<std::unique_ptr<Session>> Session::Create(const Catalog& catalog,
                                                         const v1::Routine& routine,
                                                         const v1::SessionOptions& options) {
  absl::StatusOr<v1::Plan> plan = CompilePlan(catalog, routine, options);
  if (!plan.ok()) return plan.status();
  return FromPlan(*std::move(plan));
}

absl::StatusOr<std::shared_ptr<const PreparedPlan>> Session::Prepare(v1::Plan plan) {
  return PreparedPlan::Make(std::move(plan));
}

std::unique_ptr<Session> Session::FromPrepared(std::shared_ptr<const PreparedPlan> plan) {
  if (plan == nullptr) return nullptr;
  auto state = std::make_unique<State>();
  state->Init(std::move(plan));
  return std::unique_ptr<Session>(new Session(std::move(state)));
}

bool Session::Reset(std::shared_ptr<const PreparedPlan> plan) {
  if (plan == nullptr) return false;
  s_->Reset(std::move(plan));
  return true;
}

absl::StatusOr<std::unique_ptr<Session>> Session::FromPlan(v1::Plan plan) {
  absl::StatusOr<std::shared_ptr<const PreparedPlan>> prepared = Prepare(std::move(plan));
  if (!prepared.ok()) return prepared.status();
  return FromPrepared(*std::move(prepared));
}

namespace {

absl::Status CheckTime(int64_t now) {
  if (now < 0 || now > kMaxTimeMs) {
    return absl::InvalidArgumentError(absl::StrCat("time ", now, " ms is out of range 0..2^53 ms"));
  }
  return absl::OkStatus();
}

absl::Status CheckInput(bool started, bool finished, int64_t last, int64_t now) {
  if (!started) return absl::FailedPreconditionError("session not started: call Start first");
  if (finished) return absl::FailedPreconditionError("session already finished");
  if (absl::Status s = CheckTime(now); !s.ok()) return s;
  if (now < last) {
    return absl::InvalidArgumentError(
        absl::StrCat("time went backwards: ", now, " ms after ", last, " ms"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Session::Start(int64_t now_ms) {
  State& s = *s_;
  if (s.started) return absl::FailedPreconditionError("session already started");
  if (absl::Status st = CheckTime(now_ms); !st.ok()) return st;
  if (const Timeline* timeline = State::TimelineToFollow(s.prepared)) {
    s.BeginTimeline(timeline, now_ms);
  } else {
    s.Begin(now_ms);
  }
  return absl::OkStatus();
}

absl::Status Session::TickQueue(int64_t now_ms) {
  State& s = *s_;
  if (s.tl != nullptr) {  // the inline Tick refused it
    s.SyncFromCursor();
    return CheckInput(s.started, s.finished, s.last_input, now_ms);
  }
  // The common case, a tick with nothing due: a few comparisons.
  if (s.started && !s.finished && now_ms >= s.last_input && now_ms <= kMaxTimeMs) {
    if (s.paused || now_ms < s.Deadline()) {
      s.last_input = now_ms;
      return absl::OkStatus();
    }
    s.last_input = now_ms;
    s.RunUntil(now_ms);
    return absl::OkStatus();
  }
  if (absl::Status st = CheckInput(s.started, s.finished, s.last_input, now_ms); !st.ok()) {
    return st;
  }
  s.last_input = now_ms;
  s.RunUntil(now_ms);
  return absl::OkStatus();
}
absl::Status Session::Signal(v1::Signal signal, int64_t now_ms) {
  State& s = *s_;
  s.SyncFromCursor();
  if (absl::Status st = CheckInput(s.started, s.finished, s.last_input, now_ms); !st.ok()) {
    return st;
  }
  if (signal < v1::SIGNAL_PAUSE || signal > v1::SIGNAL_STOP) {
    return absl::InvalidArgumentError(absl::StrCat("unknown signal ", static_cast<int>(signal)));
  }
  s.Materialize();
  if (s.paused && (signal == v1::SIGNAL_SKIP || signal == v1::SIGNAL_REP_DONE)) {
    return absl::FailedPreconditionError(
        absl::StrCat("session is paused: resume before ", v1::Signal_Name(signal)));
  }
  if (signal == v1::SIGNAL_RESUME && s.paused &&
      s.reports_applied < static_cast<uint32_t>(s.record.reports_size())) {
    s.PrepareSafetyStop();  // reports made while paused take effect now
  }
  s.last_input = now_ms;
  s.RunUntil(now_ms);
  if (s.finished) return absl::OkStatus();  // the catch-up reached the end
  switch (signal) {
    case v1::SIGNAL_PAUSE:
      if (s.paused) break;
      s.EmitHere(v1::SessionEvent::PAUSED, now_ms);
      s.paused = true;
      s.pause_started = now_ms;
      s.record.set_pauses(s.record.pauses() + 1);
      break;
    case v1::SIGNAL_RESUME: {
      if (!s.paused) break;
      const int64_t shift = now_ms - s.pause_started;
      s.paused = false;
      s.record.set_paused_ms(s.record.paused_ms() + shift);
      s.phase_start += shift;
      if (s.phase_end != kNever) s.phase_end += shift;
      if (s.busy_until > s.pause_started) s.busy_until += shift;
      s.choice_stale = true;
      for (PendingCue& c : s.pending) {
        c.sched += shift;
        c.known += shift;
        if (c.phase_end != kNever) c.phase_end += shift;
      }
      s.EmitHere(v1::SessionEvent::RESUMED, now_ms);
      while (s.reports_applied < static_cast<uint32_t>(s.record.reports_size()) && !s.finished) {
        const v1::ReportRecord report = s.record.reports(static_cast<int>(s.reports_applied++));
        s.ApplyReport(report, now_ms);
      }
      break;
    }
    case v1::SIGNAL_SKIP:
      if (s.stage == kEnding) break;
      s.record.set_skips(s.record.skips() + 1);
      s.EndEarly(now_ms, v1::BLOCK_OUTCOME_SKIPPED);
      break;
    case v1::SIGNAL_REP_DONE:
      if (s.phase >= 0 && InExercise(s.stage) && s.ExercisePhase(s.phase).open) {
        s.EndPhase(now_ms);
      }
      break;
    case v1::SIGNAL_STOP: {
      // Due cues that were never said count as dropped; the rest are forgotten.
      for (const PendingCue& c : s.pending) {
        if (c.sched <= now_ms) s.record.set_cues_dropped(s.record.cues_dropped() + 1);
      }
      s.pending.clear();
      s.choice_stale = true;
      if (InExercise(s.stage)) {
        QEvent& e = s.Emit(v1::SessionEvent::EXERCISE_COMPLETED, now_ms);
        e.block = s.block;
        BlockCounts& r = s.counts[s.block];
        r.outcome = v1::BLOCK_OUTCOME_STOPPED;
        r.active_ms = s.Active(now_ms) - s.block_started_active;
      }
      s.FinishSession(now_ms, v1::SESSION_END_STOPPED);
      return absl::OkStatus();
    }
    default:
      break;
  }
  s.RunUntil(now_ms);
  return absl::OkStatus();
}

absl::Status Session::Report(v1::ReportKind kind, int32_t value, v1::Side side, int64_t now_ms,
                             absl::string_view location) {
  State& s = *s_;
  s.SyncFromCursor();
  if (absl::Status st = CheckInput(s.started, s.finished, s.last_input, now_ms); !st.ok()) {
    return st;
  }
  if (side < v1::SIDE_UNSPECIFIED || side > v1::RIGHT) {
    return absl::InvalidArgumentError(absl::StrCat("unknown side ", static_cast<int>(side)));
  }
  if (location.size() > kMaxLocationChars) {
    return absl::InvalidArgumentError(absl::StrCat(
        "location is ", location.size(), " characters; the limit is ", kMaxLocationChars));
  }
  switch (kind) {
    case v1::REPORT_PAIN:
    case v1::REPORT_EFFORT:
      if (value < 0 || value > 10) {
        return absl::InvalidArgumentError(absl::StrCat(kind == v1::REPORT_PAIN ? "pain" : "effort",
                                                       " must be 0..10, got ", value));
      }
      break;
    case v1::REPORT_ASYMMETRY:
      if (side == v1::SIDE_UNSPECIFIED) {
        if (value != v1::LEFT && value != v1::RIGHT) {
          return absl::InvalidArgumentError(absl::StrCat(
              "asymmetry needs the side that takes over (side LEFT or RIGHT, or value 1 or 2), "
              "got value ",
              value));
        }
        side = static_cast<v1::Side>(value);
      }
      value = side;
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("unknown report kind ", static_cast<int>(kind)));
  }
  const bool stay_nominal = s.tl != nullptr && s.Silent(kind, value);
  if (!stay_nominal) s.Materialize();
  // Whatever may allocate comes before the session changes, so that a failed allocation
  // (bad_alloc, which the C API turns into RGM_RESOURCE_EXHAUSTED) leaves it as it was.
  auto report = std::make_unique<v1::ReportRecord>();
  report->set_location(std::string(location));
  report->mutable_exercise_id()->reserve(s.p->longest_exercise_id);
  s.record.mutable_reports()->Reserve(s.record.reports_size() + 1);
  int32_t block = -1;  // where the session is once it caught up
  if (stay_nominal) {
    s.CatchUp(now_ms);
    if (s.finished) return absl::OkStatus();
    block = s.tl->blocks[s.run->group - 1];
  } else {
    if (kind == v1::REPORT_PAIN) s.PrepareSafetyStop();
    s.last_input = now_ms;
    s.RunUntil(now_ms);
    if (s.finished) return absl::OkStatus();
    if (InExercise(s.stage)) block = s.block;
  }
  v1::ReportRecord* r = report.get();
  s.record.mutable_reports()->AddAllocated(report.release());
  r->set_at_ms(now_ms);
  r->set_kind(kind);
  r->set_value(value);
  r->set_side(side);
  r->set_block_index(block);
  r->set_exercise_id(block >= 0 ? s.p->exercises[s.p->blocks[block].exercise].id : "");
  if (stay_nominal) return absl::OkStatus();  // recorded, and nothing else: it stays nominal
  if (!s.paused) {
    // Reports made while paused take effect on resume.
    s.reports_applied = static_cast<uint32_t>(s.record.reports_size());
    s.ApplyReport(*r, now_ms);
    s.RunUntil(now_ms);
  }
  return absl::OkStatus();
}

int64_t Session::QueueDeadline() const {
  const State& s = *s_;
  if (!s.started || s.finished || s.paused) return -1;
  const int64_t next = s.Deadline();
  return next == kNever ? -1 : next;
}

bool Session::QueueFinished() const { return s_->finished; }

size_t Session::Pending() const {
  return run_.events != nullptr ? run_.emitted - run_.polled : s_->count;
}

const v1::Plan& Session::plan() const { return s_->p->proto(); }

std::shared_ptr<const PreparedPlan> Session::prepared_plan() const { return s_->prepared; }

namespace {

// The public form of a queued event (every field of *out is written).
void ToEvent(const PreparedPlan& p, const QEvent& q, Event* out) {
  Event& e = *out;
  e.exercise_id = e.phase = e.cue_id = e.text = "";
  e.cue_kind = v1::CUE_KIND_UNSPECIFIED;
  e.priority = v1::CUE_PRIORITY_UNSPECIFIED;
  e.speak_ms = 0;
  e.type = static_cast<v1::SessionEvent::Type>(q.type);
  e.at_ms = q.at_ms;
  e.block_index = q.block;
  e.set_index = q.set;
  e.rep_index = q.rep;
  e.side = static_cast<v1::Side>(q.side);
  e.duration_ms = q.type == v1::SessionEvent::PHASE_STARTED ? q.duration_ms : -1;
  const ExerciseInfo* ex = q.block >= 0 ? &p.exercises[p.blocks[q.block].exercise] : nullptr;
  if (ex != nullptr) e.exercise_id = ex->id;
  switch (q.type) {
    case v1::SessionEvent::SESSION_STARTED:
      e.text = p.proto().routine_name().c_str();
      break;
    case v1::SessionEvent::EXERCISE_STARTED:
    case v1::SessionEvent::EXERCISE_COMPLETED:
      e.text = ex != nullptr ? ex->name : "";
      break;
    case v1::SessionEvent::PHASE_STARTED:
      e.phase = PhaseName(q.phase_kind);
      if (q.phase_index >= 0 && ex != nullptr) {
        e.text = p.phases[ex->phase_begin + q.phase_index].label;
      } else {
        e.text = q.phase_kind == v1::PHASE_COUNT_IN ? "Get ready" : "Rest";
      }
      break;
    case v1::SessionEvent::CUE: {
      e.phase = PhaseName(q.phase_kind);
      const CueInfo& cue = p.Cue(q.cue_owner, q.cue);
      e.cue_id = cue.id;
      e.text = p.texts[cue.text_begin + q.variant];
      e.cue_kind = static_cast<v1::CueKind>(cue.kind);
      e.priority = static_cast<v1::CuePriority>(cue.priority);
      e.speak_ms = p.speak_ms[cue.text_begin + q.variant];
      break;
    }
    case v1::SessionEvent::REP_COMPLETED:
      e.text = "Rep done";
      break;
    case v1::SessionEvent::SET_COMPLETED:
      e.text = "Set done";
      break;
    case v1::SessionEvent::PAUSED:
      e.phase = PhaseName(q.phase_kind);
      e.text = "Paused";
      break;
    case v1::SessionEvent::RESUMED:
      e.phase = PhaseName(q.phase_kind);
      e.text = "Resumed";
      break;
    case v1::SessionEvent::SAFETY_STOP:
      e.phase = PhaseName(q.phase_kind);
      e.text = "Safety stop";
      break;
    case v1::SessionEvent::SESSION_COMPLETED:
      e.text = q.label == kLabelStopped ? "Session stopped" : "Session completed";
      break;
    default:
      break;
  }
}

std::atomic<TimelineMode> g_timeline_mode{TimelineMode::kShared};

}  // namespace

void session_internal::SetTimelineMode(TimelineMode mode) { g_timeline_mode.store(mode); }
TimelineMode session_internal::GetTimelineMode() { return g_timeline_mode.load(); }

bool Session::PollQueue(Event* out) { return s_->Poll(out); }

bool Session::State::Poll(Event* out) {
  if (out == nullptr) return false;
  const QEvent* q = PopFront();
  if (q == nullptr) return false;
  ToEvent(*p, *q, out);
  return true;
}

// The nominal run of `plan`, made on first use (null when too long to keep).
const Timeline* Session::State::NominalTimeline(const std::shared_ptr<const PreparedPlan>& plan) {
  std::call_once(plan->timeline_once, [&] {
    auto timeline = std::make_unique<Timeline>();
    State s;
    s.Init(plan);
    auto take = [&]() -> bool {
      for (Event e; s.Poll(&e);) timeline->events.push_back(e);
      timeline->ends.push_back(static_cast<uint32_t>(timeline->events.size()));
      timeline->blocks.push_back(InExercise(s.stage) ? s.block : -1);
      return timeline->events.size() <= session_internal::kMaxTimelineEvents;
    };
    s.Begin(0);
    timeline->deadlines.push_back(0);
    if (!take()) return;
    while (!s.finished) {
      const int64_t deadline = s.Deadline();
      if (deadline == kNever) break;                       // waits for REP_DONE
      if (deadline <= timeline->deadlines.back()) return;  // no progress: keep no timeline
      s.last_input = deadline;
      s.RunUntil(deadline);
      timeline->deadlines.push_back(deadline);
      if (!take()) return;
    }
    timeline->finishes = s.finished;
    if (s.finished) s.FillRecord(&timeline->record);
    plan->timeline = std::move(timeline);
  });
  return plan->timeline.get();
}

// The timeline a session starting now follows, or null (the full engine).
const Timeline* Session::State::TimelineToFollow(const std::shared_ptr<const PreparedPlan>& plan) {
  switch (g_timeline_mode.load(std::memory_order_relaxed)) {
    case TimelineMode::kOff:
      return nullptr;
    case TimelineMode::kShared:
      if (plan->sessions_started.fetch_add(1, std::memory_order_relaxed) == 0) return nullptr;
      return State::NominalTimeline(plan);
    case TimelineMode::kAlways:
      return State::NominalTimeline(plan);
  }
  return nullptr;
}

v1::SessionRecord Session::Record() const {
  v1::SessionRecord r;
  Record(&r);
  return r;
}

void Session::Record(v1::SessionRecord* out) const {
  if (out == nullptr) return;
  State& s = *s_;
  if (s.tl != nullptr && run_.finished) {
    // The nominal run's record, moved to this session's start, with its reports.
    out->CopyFrom(s.tl->record);
    out->set_started_at_ms(run_.started_at);
    out->set_ended_at_ms(s.tl->record.ended_at_ms() + run_.started_at);
    out->mutable_reports()->CopyFrom(s.record.reports());
    return;
  }
  s.Materialize();
  s.FillRecord(out);
}

void Session::State::FillRecord(v1::SessionRecord* out) const {
  const State& s = *this;
  // CopyFrom and add_blocks reuse the messages and strings *out already holds.
  out->CopyFrom(s.record);
  out->set_routine_id(s.p->proto().routine_id());
  s.AddBlocks(out, /*with_plan_fields=*/true);
  if (s.started && !s.finished) {
    out->set_active_ms(s.Active(s.last_input));
    out->set_paused_ms(s.record.paused_ms() + (s.paused ? s.last_input - s.pause_started : 0));
  }
}

// --- snapshots ---------------------------------------------------------------------------------

v1::SessionSnapshot Session::SnapshotProto() const {
  s_->Materialize();
  const State& s = *s_;
  v1::SessionSnapshot snap;
  snap.set_version(kSnapshotVersion);
  // Keep snapshots small: options at their defaults are left out (restored from the plan).
  *snap.mutable_plan() = s.p->proto();
  session_internal::ClearDefaultOptions(snap.mutable_plan()->mutable_options());
  s.WriteState(snap.mutable_state());
  return snap;
}

absl::StatusOr<std::string> Session::Snapshot(Format format) const {
  if (format != Format::kBinary) return SerializeMessage(SnapshotProto(), format);
  // The bytes SerializeMessage(SnapshotProto()) would give, without copying the plan: its
  // serialized form is kept by the PreparedPlan. Fields are written in number order, as
  // protobuf does.
  using google::protobuf::internal::WireFormatLite;
  s_->Materialize();
  const std::string& plan = s_->p->SnapshotBytes();
  v1::SessionState state;
  s_->WriteState(&state);
  const size_t state_size = state.ByteSizeLong();
  std::string out;
  out.resize(3 * 12 + plan.size() + state_size);
  uint8_t* begin = reinterpret_cast<uint8_t*>(&out[0]);
  uint8_t* at = begin;
  namespace io = google::protobuf::io;
  at = io::CodedOutputStream::WriteTagToArray(
      WireFormatLite::MakeTag(1, WireFormatLite::WIRETYPE_VARINT), at);
  at = io::CodedOutputStream::WriteVarint32ToArray(kSnapshotVersion, at);
  at = io::CodedOutputStream::WriteTagToArray(
      WireFormatLite::MakeTag(2, WireFormatLite::WIRETYPE_LENGTH_DELIMITED), at);
  at = io::CodedOutputStream::WriteVarint32ToArray(static_cast<uint32_t>(plan.size()), at);
  std::memcpy(at, plan.data(), plan.size());
  at += plan.size();
  at = io::CodedOutputStream::WriteTagToArray(
      WireFormatLite::MakeTag(3, WireFormatLite::WIRETYPE_LENGTH_DELIMITED), at);
  at = io::CodedOutputStream::WriteVarint32ToArray(static_cast<uint32_t>(state_size), at);
  at = state.SerializeWithCachedSizesToArray(at);
  out.resize(static_cast<size_t>(at - begin));
  return out;
}

void Session::State::WriteState(v1::SessionState* st) const {
  const State& s = *this;
  st->set_started(s.started);
  st->set_finished(s.finished);
  st->set_paused(s.paused);
  st->set_started_at_ms(s.started_at);
  st->set_last_input_ms(s.last_input);
  st->set_pause_started_ms(s.pause_started);
  st->set_block(s.block);
  st->set_stage(s.stage);
  st->set_set(s.set);
  st->set_rep(s.rep);
  st->set_phase(s.phase);
  st->set_phase_start_ms(s.phase_start);
  st->set_phase_end_ms(s.phase_end == kNever ? -1 : s.phase_end);
  st->set_phase_planned_ms(s.phase_planned);
  st->set_phase_kind(s.phase_kind);
  st->set_extra_side(s.extra_side);
  st->set_extra_reps(s.extra_reps);
  st->set_prev_side(s.prev_side);
  st->set_busy_until_ms(s.busy_until == kChannelFree ? -1 : s.busy_until);
  st->set_cue_seq(s.cue_seq);
  st->mutable_pending()->Reserve(static_cast<int>(s.pending.size()));
  for (const PendingCue& c : s.pending) {
    v1::SnapshotCue* p = st->add_pending();
    p->set_owner(c.owner);
    p->set_cue(c.cue);
    p->set_sched_ms(c.sched);
    p->set_known_ms(c.known);
    p->set_phase_end_ms(c.phase_end == kNever ? -1 : c.phase_end);
    p->set_seq(c.seq);
    p->set_block_index(c.block);
    p->set_set_index(c.set);
    p->set_rep_index(c.rep);
    p->set_side(static_cast<v1::Side>(c.side));
    p->set_phase(static_cast<v1::PhaseKind>(c.phase_kind));
  }
  st->mutable_fired()->Add(s.fired.begin(), s.fired.end());
  st->mutable_queue()->Reserve(static_cast<int>(s.count));
  for (size_t i = 0; i < s.count; ++i) {
    const QEvent& q = s.ring[(s.head + i) % s.ring_size];
    v1::SnapshotEvent* e = st->add_queue();
    e->set_type(static_cast<v1::SessionEvent::Type>(q.type));
    e->set_at_ms(q.at_ms);
    e->set_block_index(q.block);
    e->set_set_index(q.set);
    e->set_rep_index(q.rep);
    e->set_side(static_cast<v1::Side>(q.side));
    e->set_duration_ms(q.duration_ms);
    e->set_phase(static_cast<v1::PhaseKind>(q.phase_kind));
    e->set_phase_index(q.phase_index);
    e->set_cue_owner(q.cue_owner);
    e->set_cue(q.cue);
    e->set_variant(q.variant);
    e->set_label(q.label);
  }
  st->set_last_event_ms(s.last_event);
  st->set_has_last_event(s.has_last_event);
  st->set_block_started_active_ms(s.block_started_active);
  st->set_reports_applied(s.reports_applied);
  // The record without what the plan determines (routine and exercise ids, planned sets, ...).
  *st->mutable_record() = s.record;
  s.AddBlocks(st->mutable_record(), /*with_plan_fields=*/false);
}

namespace {

absl::Status Bad(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("snapshot: ", what));
}

bool ValidSide(int side) { return side >= v1::SIDE_UNSPECIFIED && side <= v1::RIGHT; }

absl::Status BadVersion(uint32_t version) {
  return absl::FailedPreconditionError(
      absl::StrCat("snapshot: this library reads version ", kSnapshotVersion, ", got ", version));
}

// Plans restored recently, so that restoring a snapshot whose plan bytes are exactly those of a
// plan already parsed and validated skips parsing and validating them again (hosts restore the
// same plan over and over: every app launch, every step of a long session). Only the plan is
// taken on trust, and only on a byte-for-byte match; the state is always parsed and checked.
class RecentPlans {
 public:
  static RecentPlans& Get() {
    static RecentPlans* recent = new RecentPlans();
    return *recent;
  }
  std::shared_ptr<const PreparedPlan> Find(absl::string_view bytes) {
    absl::MutexLock lock(&mu_);
    for (const Entry& entry : entries_) {
      if (entry.bytes == bytes) return entry.plan;
    }
    return nullptr;
  }
  // `bytes` parsed into `plan`.
  void Add(absl::string_view bytes, std::shared_ptr<const PreparedPlan> plan) {
    Entry entry{std::string(bytes), std::move(plan)};  // allocated outside the lock
    absl::MutexLock lock(&mu_);
    if (entries_.size() < kCapacity) {
      entries_.push_back(std::move(entry));
    } else {
      entries_[next_] = std::move(entry);
      next_ = (next_ + 1) % kCapacity;
    }
  }

 private:
  static constexpr size_t kCapacity = 8;
  struct Entry {
    std::string bytes;
    std::shared_ptr<const PreparedPlan> plan;
  };
  absl::Mutex mu_;
  std::vector<Entry> entries_ ABSL_GUARDED_BY(mu_);
  size_t next_ ABSL_GUARDED_BY(mu_) = 0;
};

// The three top-level fields of a binary snapshot written in the canonical way (version, plan,
// state, each once, in that order); false for anything else (then the general path parses it).
bool SplitSnapshot(absl::string_view bytes, uint32_t* version, absl::string_view* plan,
                   absl::string_view* state) {
  namespace io = google::protobuf::io;
  io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  auto length_delimited = [&](uint32_t field, absl::string_view* out) {
    if (in.ReadTag() != (field << 3 | 2)) return false;
    uint32_t size = 0;
    const void* data = nullptr;
    int available = 0;
    if (!in.ReadVarint32(&size)) return false;
    if (!in.GetDirectBufferPointer(&data, &available) && size > 0) return false;
    if (size > static_cast<uint32_t>(available) || !in.Skip(static_cast<int>(size))) return false;
    *out = absl::string_view(static_cast<const char*>(data), size);
    return true;
  };
  *version = 0;
  if (in.ReadTag() != (1 << 3 | 0) || !in.ReadVarint32(version)) return false;
  if (!length_delimited(2, plan) || !length_delimited(3, state)) return false;
  return in.ReadTag() == 0 && in.ConsumedEntireMessage();
}

}  // namespace

absl::Status Session::State::RestoreState(v1::SessionState& st) {
  State& s = *this;
  s.engine_ran = true;
  const PreparedPlan& plan = *s.p;
  const int nblocks = static_cast<int>(plan.blocks.size());
  const int nexercises = static_cast<int>(plan.exercises.size());
  if (st.stage() > kDone) return Bad("state.stage out of range");
  if (!st.started() && (st.stage() != kIdle || st.finished())) return Bad("state: not started");
  if (st.started() && st.stage() == kIdle) return Bad("state: started without a stage");
  if (st.finished() != (st.stage() == kDone)) return Bad("state: finished and stage disagree");
  if (st.stage() == kEnding && st.phase_end_ms() >= 0) return Bad("state: ending with a phase");
  if (st.stage() == kCountIn && st.block() != -1) return Bad("state: count-in inside a block");
  for (int64_t t :
       {st.started_at_ms(), st.last_input_ms(), st.pause_started_ms(), st.phase_start_ms(),
        st.phase_end_ms(), st.busy_until_ms(), st.last_event_ms(), st.block_started_active_ms(),
        st.phase_planned_ms(), st.record().paused_ms(), st.record().started_at_ms()}) {
    if (t < -kMaxTimeMs || t > kMaxTimeMs) return Bad("state: a time is out of range");
  }
  for (const v1::SnapshotCue& p : st.pending()) {
    for (int64_t t : {p.sched_ms(), p.known_ms(), p.phase_end_ms()}) {
      if (t < -kMaxTimeMs || t > kMaxTimeMs) return Bad("pending cue: a time is out of range");
    }
  }
  if (st.block() < -1 || st.block() >= nblocks) return Bad("state.block out of range");
  const bool needs_block = InExercise(st.stage()) || st.stage() == kBlockRest;
  if (needs_block && st.block() < 0) return Bad("state.block missing");
  if (st.stage() == kBlockRest && st.block() + 1 >= nblocks) return Bad("state.block: no next");
  if (st.fired_size() != static_cast<int>(s.fired.size())) return Bad("state.fired size");
  if (st.record().blocks_size() != nblocks) return Bad("state.record.blocks size");
  for (int b = 0; b < nblocks; ++b) {
    const int sides = plan.exercises[plan.blocks[b].exercise].sided ? 2 : 1;
    if (st.record().blocks(b).sides_size() != sides) return Bad("state.record.blocks sides");
  }
  if (!ValidSide(st.extra_side()) || !ValidSide(st.prev_side()) || st.extra_reps() > 1) {
    return Bad("state sides");
  }
  if (st.reports_applied() > static_cast<uint32_t>(st.record().reports_size())) {
    return Bad("state.reports_applied");
  }
  if (static_cast<size_t>(st.queue_size()) > kMaxQueue || st.pending_size() > 4096) {
    return Bad("state: too many queued events or cues");
  }
  s.started = st.started();
  s.finished = st.finished();
  s.paused = st.paused();
  s.started_at = st.started_at_ms();
  s.last_input = st.last_input_ms();
  s.pause_started = st.pause_started_ms();
  s.block = st.block();
  s.stage = st.stage();
  s.set = st.set();
  s.rep = st.rep();
  s.phase = st.phase();
  if (s.block >= 0) {
    const int nphases = static_cast<int>(s.Exercise().phases);
    if (s.phase < -1 || s.phase >= nphases) return Bad("state.phase out of range");
    if (s.set < -1 || s.set > static_cast<int32_t>(s.Block().sets)) return Bad("state.set");
    s.extra_reps = st.extra_reps();
    s.extra_side = st.extra_side();
    if (s.extra_reps > 0 && s.extra_side == v1::SIDE_UNSPECIFIED) return Bad("state.extra_side");
    if (s.rep < -1 || s.rep > static_cast<int32_t>(s.RepsInSet())) return Bad("state.rep");
    if (s.stage == kRep &&
        (s.rep < 0 || s.set < 0 || s.rep >= static_cast<int32_t>(s.RepsInSet()) ||
         s.set >= static_cast<int32_t>(s.Block().sets))) {
      return Bad("state: rep or set outside the block");
    }
    if ((s.stage == kSetStart || s.stage == kSetRest || s.stage == kRepRest) &&
        (s.set < 0 || s.set >= static_cast<int32_t>(s.Block().sets))) {
      return Bad("state.set outside the block");
    }
  } else if (s.phase != -1) {
    return Bad("state.phase without a block");
  }
  s.phase_start = st.phase_start_ms();
  s.phase_end = st.phase_end_ms() < 0 ? kNever : st.phase_end_ms();
  s.phase_planned = st.phase_planned_ms();
  if (!v1::PhaseKind_IsValid(st.phase_kind())) return Bad("state.phase_kind");
  s.phase_kind = st.phase_kind();
  s.prev_side = st.prev_side();
  s.busy_until = st.busy_until_ms() < 0 ? kChannelFree : st.busy_until_ms();
  s.cue_seq = st.cue_seq();
  for (const v1::SnapshotCue& c : st.pending()) {
    if (c.owner() < -1 || c.owner() >= nexercises) return Bad("pending cue owner");
    if (c.cue() >= plan.CueCount(c.owner())) return Bad("pending cue index");
    if (c.block_index() < -1 || c.block_index() >= nblocks || !ValidSide(c.side()) ||
        !v1::PhaseKind_IsValid(c.phase())) {
      return Bad("pending cue position");
    }
    const CueInfo& info = plan.Cue(c.owner(), c.cue());
    PendingCue q;
    q.owner = c.owner();
    q.cue = c.cue();
    q.sched = c.sched_ms();
    q.known = c.known_ms();
    q.phase_end = c.phase_end_ms() < 0 ? kNever : c.phase_end_ms();
    q.seq = c.seq();
    q.block = c.block_index();
    q.set = c.set_index();
    q.rep = c.rep_index();
    q.priority = info.priority;
    q.protect = info.protect;
    q.side = static_cast<uint8_t>(c.side());
    q.phase_kind = static_cast<uint8_t>(c.phase());
    s.pending.push_back(q);
  }
  for (int i = 0; i < st.fired_size(); ++i) {
    s.fired[i] = st.fired(i);
    const uint32_t texts = s.p->cues[i].texts;
    s.next_variant[i] = texts > 0 ? s.fired[i] % texts : 0;
  }
  size_t cap = kInitialQueue;
  while (cap < static_cast<size_t>(st.queue_size())) cap *= 2;
  if (cap != s.ring_size) s.ResizeRing(cap);
  s.count = 0;
  s.head = 0;
  for (const v1::SnapshotEvent& e : st.queue()) {
    if (!v1::SessionEvent::Type_IsValid(e.type()) || e.type() == 0 || e.block_index() < -1 ||
        e.block_index() >= nblocks || !ValidSide(e.side()) || !v1::PhaseKind_IsValid(e.phase())) {
      return Bad("queued event");
    }
    if (e.type() == v1::SessionEvent::PHASE_STARTED && e.phase_index() >= 0) {
      if (e.block_index() < 0 ||
          e.phase_index() >=
              static_cast<int32_t>(plan.exercises[plan.blocks[e.block_index()].exercise].phases)) {
        return Bad("queued event phase");
      }
    }
    if (e.type() == v1::SessionEvent::CUE) {
      if (e.cue_owner() < -1 || e.cue_owner() >= nexercises) return Bad("queued cue");
      if (e.cue() >= plan.CueCount(e.cue_owner())) return Bad("queued cue");
      if (e.variant() >= plan.Cue(e.cue_owner(), e.cue()).texts) return Bad("queued cue text");
    }
    const int64_t previous = s.count > 0 ? s.ring[s.count - 1].at_ms : 0;
    if (e.at_ms() < previous || e.at_ms() > st.last_event_ms() || !st.has_last_event()) {
      return Bad("queued events out of order");
    }
    QEvent q;
    q.type = static_cast<uint8_t>(e.type());
    q.at_ms = e.at_ms();
    q.block = e.block_index();
    q.set = e.set_index();
    q.rep = e.rep_index();
    q.side = static_cast<uint8_t>(e.side());
    q.duration_ms = e.duration_ms();
    q.phase_kind = static_cast<uint8_t>(e.phase());
    q.phase_index = e.phase_index();
    q.cue_owner = e.cue_owner();
    q.cue = e.cue();
    q.variant = e.variant();
    q.label = static_cast<uint8_t>(e.label());
    s.ring[s.count++] = q;
  }
  s.last_event = st.last_event_ms();
  s.has_last_event = st.has_last_event();
  s.block_started_active = st.block_started_active_ms();
  s.reports_applied = st.reports_applied();
  v1::SessionRecord& record = *st.mutable_record();
  for (int b = 0; b < nblocks; ++b) {
    const v1::BlockRecord& in = record.blocks(b);
    BlockCounts& c = s.counts[b];
    c.outcome = in.outcome();
    c.sets_done = in.sets_done();
    c.active_ms = in.active_ms();
    for (int i = 0; i < in.sides_size(); ++i) {
      const v1::SideRecord& side = in.sides(i);
      c.sides[i].reps_planned = side.reps_planned();
      c.sides[i].reps_done = side.reps_done();
      c.sides[i].holds_planned = side.holds_planned();
      c.sides[i].holds_achieved = side.holds_achieved();
    }
  }
  record.clear_blocks();
  record.clear_routine_id();
  s.record.Swap(&record);
  if (!s.finished && !s.paused && s.started) s.SelectCue();
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Session>> Session::Restore(absl::string_view snapshot,
                                                          Format format) {
  std::shared_ptr<const PreparedPlan> prepared;
  v1::SessionState state;
  uint32_t version = 0;
  absl::string_view plan_bytes, state_bytes;
  const bool binary = format == Format::kBinary && snapshot.size() <= kMaxInputBytes;
  const bool canonical = binary && SplitSnapshot(snapshot, &version, &plan_bytes, &state_bytes);
  if (canonical) {
    prepared = RecentPlans::Get().Find(plan_bytes);
    if (prepared != nullptr) {
      if (!state.ParseFromArray(state_bytes.data(), static_cast<int>(state_bytes.size()))) {
        return absl::InvalidArgumentError(
            absl::StrCat("not a valid binary ", v1::SessionSnapshot().GetTypeName(), " message"));
      }
      if (version != kSnapshotVersion) return BadVersion(version);
    }
  }
  if (prepared == nullptr) {
    v1::SessionSnapshot snap;
    if (binary) {
      // ParseMessage's checks and message, without its copy.
      if (!snap.ParseFromArray(snapshot.data(), static_cast<int>(snapshot.size()))) {
        return absl::InvalidArgumentError(
            absl::StrCat("not a valid binary ", snap.GetTypeName(), " message"));
      }
    } else if (absl::Status s = ParseMessage(snapshot, format, &snap); !s.ok()) {
      return s;
    }
    if (snap.version() != kSnapshotVersion) return BadVersion(snap.version());
    absl::StatusOr<std::shared_ptr<const PreparedPlan>> made =
        PreparedPlan::Make(std::move(*snap.mutable_plan()));
    if (!made.ok()) return made.status();
    prepared = *std::move(made);
    if (canonical) RecentPlans::Get().Add(plan_bytes, prepared);
    state.Swap(snap.mutable_state());
  }
  std::unique_ptr<Session> session = FromPrepared(std::move(prepared));
  if (absl::Status s = session->s_->RestoreState(state); !s.ok()) return s;
  return session;
}

absl::Status RunScript(Session& session, const v1::SessionScript& script,
                       absl::FunctionRef<void(const Event&)> on_event) {
  Event event;
  auto drain = [&] {
    while (session.Poll(&event)) on_event(event);
  };
  auto catch_up = [&](int64_t until) -> absl::Status {
    for (int64_t d = session.NextDeadline(); d >= 0 && d <= until; d = session.NextDeadline()) {
      if (absl::Status s = session.Tick(d); !s.ok()) return s;
      drain();
    }
    return absl::OkStatus();
  };
  bool has_start = false;
  for (const v1::SessionInput& input : script.inputs()) {
    if (input.input_case() == v1::SessionInput::kStart) has_start = true;
  }
  if (!has_start) {
    if (absl::Status s = session.Start(script.start_ms()); !s.ok()) return s;
    drain();
  }
  for (int i = 0; i < script.inputs_size(); ++i) {
    const v1::SessionInput& input = script.inputs(i);
    absl::Status status;
    if (input.input_case() != v1::SessionInput::kStart && !session.Finished() &&
        !script.ticks_only_at_inputs()) {
      status = catch_up(input.at_ms());
    }
    if (status.ok()) {
      switch (input.input_case()) {
        case v1::SessionInput::kStart:
          status = session.Start(input.at_ms());
          break;
        case v1::SessionInput::kTick:
          status = session.Tick(input.at_ms());
          break;
        case v1::SessionInput::kSignal:
          status = session.Signal(input.signal(), input.at_ms());
          break;
        case v1::SessionInput::kReport:
          status = session.Report(input.report().kind(), input.report().value(),
                                  input.report().side(), input.at_ms(), input.report().location());
          break;
        default:
          status = absl::InvalidArgumentError("no input set");
          break;
      }
    }
    drain();
    if (!status.ok()) {
      return absl::Status(status.code(), absl::StrCat("inputs[", i, "]: ", status.message()));
    }
  }
  while (!session.Finished()) {
    const int64_t d = session.NextDeadline();
    if (d < 0) break;
    if (absl::Status s = session.Tick(d); !s.ok()) return s;
    drain();
  }
  drain();
  return absl::OkStatus();
}

}  // namespace regimen
