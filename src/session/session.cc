// The session engine. A session walks its plan with a cursor (block, stage, set, rep, phase):
// steps are never expanded into a list, so the plan stays compact and a snapshot small. Every
// time is an int64 of ms; nothing is decided by floating point; nothing allocates after Start
// unless the host lets the event queue overflow its preallocated ring or makes reports.
//
// The main loop (RunUntil) repeatedly takes the earliest of two deadlines: the end of the
// current phase and the emission of the next cue chosen by the speech scheduler (SelectCue),
// cue first on a tie, until both lie after `now`.
#include "regimen/session.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "regimen/plan.h"

namespace regimen {
namespace {

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

struct QEvent {
  int64_t at_ms = 0;
  int64_t duration_ms = -1;
  int32_t block = -1, set = -1, rep = -1;
  int32_t phase_index = -1;
  int32_t cue_owner = -1;
  uint32_t cue = 0, variant = 0;
  uint8_t type = 0, side = 0, phase_kind = 0, label = 0;
};

struct PendingCue {
  int32_t owner = -1;  // -1 session cue, else exercise index
  uint32_t cue = 0;
  int64_t sched = 0;      // when it should start speaking
  int64_t known = 0;      // when it became known (its event is never earlier)
  int64_t phase_end = 0;  // kNever when not known
  uint64_t seq = 0;       // plan order
  int32_t block = -1, set = -1, rep = -1;
  uint8_t side = 0, phase_kind = 0;
};

const char* const kPhaseNames[] = {"",     "setup",       "lift",    "hold",  "lower",   "rock",
                                   "rest", "switch_side", "breathe", "relax", "count_in"};

const char* PhaseName(int kind) {
  return kind >= 0 && kind <= v1::PHASE_COUNT_IN ? kPhaseNames[kind] : "";
}

v1::Side Other(v1::Side side) { return side == v1::LEFT ? v1::RIGHT : v1::LEFT; }

bool InExercise(uint32_t stage) { return stage >= kExStart && stage <= kExEnd; }

void ClearDefaultOptions(v1::SessionOptions* o);

}  // namespace

struct Session::State {
  v1::Plan plan;
  int64_t lead = 0, gap = 0, max_delay = 0;
  uint32_t pain_threshold = 6;
  std::vector<uint32_t> fired_base;  // per owner + 1, offsets into `fired` and `text_base`
  std::vector<uint32_t> text_base;   // per cue, offset into `speak`
  std::vector<int64_t> speak;        // speaking time of every text of every cue

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
  std::vector<QEvent> ring;
  size_t head = 0, count = 0;
  int64_t last_event = 0;
  bool has_last_event = false;
  int64_t block_started_active = 0;
  uint32_t reports_applied = 0;
  v1::SessionRecord record;

  // Transient: set while entering the first phase of a block or of the session.
  bool first_of_block = false, first_of_session = false;
  // The speech scheduler's choice (recomputed by SelectCue; -1 when none).
  int next_cue = -1;
  int64_t next_cue_start = 0, next_cue_emit = kNever;

  // --- plan access ---------------------------------------------------------------------------
  const v1::PlanBlock& Block() const { return plan.blocks(block); }
  const v1::PlanExercise& Exercise() const { return plan.exercises(Block().exercise()); }
  int32_t ExerciseIndex() const { return static_cast<int32_t>(Block().exercise()); }
  bool Sided() const { return Exercise().laterality() != v1::LATERALITY_BILATERAL; }
  const v1::PlanCue& Cue(int32_t owner, uint32_t cue) const {
    return owner < 0 ? plan.session_cues(cue) : plan.exercises(owner).cues(cue);
  }

  int64_t SpeakMs(int32_t owner, uint32_t cue, uint32_t variant) const {
    return speak[text_base[fired_base[owner + 1] + cue] + variant];
  }

  void Init() {
    const v1::SessionOptions& o = plan.options();
    lead = o.cue_lead_ms();
    gap = o.cue_gap_ms();
    max_delay = o.max_cue_delay_ms();
    pain_threshold = o.pain_stop_threshold();
    fired_base.clear();
    uint32_t total = static_cast<uint32_t>(plan.session_cues_size());
    fired_base.push_back(0);
    for (const v1::PlanExercise& e : plan.exercises()) {
      fired_base.push_back(total);
      total += static_cast<uint32_t>(e.cues_size());
    }
    fired.assign(total, 0);
    text_base.clear();
    speak.clear();
    auto add_texts = [&](const v1::PlanCue& cue) {
      text_base.push_back(static_cast<uint32_t>(speak.size()));
      for (const std::string& text : cue.texts()) {
        speak.push_back(cue.speak_ms() > 0 ? cue.speak_ms()
                                           : EstimateSpeakMs(text, o.words_per_minute()));
      }
    };
    for (const v1::PlanCue& cue : plan.session_cues()) add_texts(cue);
    for (const v1::PlanExercise& e : plan.exercises()) {
      for (const v1::PlanCue& cue : e.cues()) add_texts(cue);
    }
    pending.reserve(64);
    ring.resize(kInitialQueue);
  }

  int64_t Active(int64_t t) const {
    return t - started_at - record.paused_ms() - (paused ? t - pause_started : 0);
  }

  // --- reps and sides ------------------------------------------------------------------------
  uint32_t RepsInSet() const {
    const v1::PlanBlock& b = Block();
    uint32_t n = Sided() ? 2 * b.reps() : b.reps();
    return n + b.bias_extra_reps() + (Sided() ? extra_reps : 0);
  }
  v1::Side RepSide(int32_t r) const {
    if (!Sided()) return v1::SIDE_UNSPECIFIED;
    const v1::PlanBlock& b = Block();
    const v1::Side first = b.first_side();
    const int32_t reps = static_cast<int32_t>(b.reps());
    if (r < 2 * reps) {
      if (Exercise().laterality() == v1::LATERALITY_ALTERNATING) {
        return r % 2 == 0 ? first : Other(first);
      }
      return r < reps ? first : Other(first);
    }
    r -= 2 * reps;
    return r < static_cast<int32_t>(b.bias_extra_reps()) ? b.bias_side() : extra_side;
  }
  v1::SideRecord* SideRecord(v1::Side side) {
    v1::BlockRecord* b = record.mutable_blocks(block);
    if (b->sides_size() == 1) return b->mutable_sides(0);
    return b->mutable_sides(side == v1::RIGHT ? 1 : 0);
  }

  // --- the event queue -----------------------------------------------------------------------
  void Push(const QEvent& e) {
    if (count == ring.size()) {
      // Only when the host lets events pile up: grow, keeping their order.
      std::vector<QEvent> bigger(std::min(ring.size() * 2, kMaxQueue));
      if (bigger.size() == ring.size()) {  // the host never polls: drop the oldest
        head = (head + 1) % ring.size();
        --count;
      } else {
        for (size_t i = 0; i < count; ++i) bigger[i] = ring[(head + i) % ring.size()];
        ring.swap(bigger);
        head = 0;
      }
    }
    ring[(head + count) % ring.size()] = e;
    ++count;
  }
  QEvent Make(v1::SessionEvent::Type type, int64_t at) {
    QEvent e;
    e.type = static_cast<uint8_t>(type);
    if (has_last_event && at < last_event) at = last_event;
    e.at_ms = at;
    last_event = at;
    has_last_event = true;
    return e;
  }
  // An event about the cursor's position (block, set, rep and side where they apply).
  void EmitHere(v1::SessionEvent::Type type, int64_t at, uint8_t label = kLabelDefault) {
    QEvent e = Make(type, at);
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
    Push(e);
  }

  // --- cues ----------------------------------------------------------------------------------
  void AddCue(int32_t owner, uint32_t cue, int64_t sched, int64_t now, int64_t phase_end_at,
              int32_t ev_block, int32_t ev_set, int32_t ev_rep, v1::Side side) {
    PendingCue c;
    c.owner = owner;
    c.cue = cue;
    c.sched = sched;
    c.known = now;
    c.phase_end = phase_end_at;
    c.seq = cue_seq++;
    c.block = ev_block;
    c.set = ev_set;
    c.rep = ev_rep;
    c.side = static_cast<uint8_t>(side);
    c.phase_kind = static_cast<uint8_t>(phase_kind);
    pending.push_back(c);
  }

  // Drops what can no longer be said in time and picks the next cue to speak.
  void SelectCue() {
    next_cue = -1;
    next_cue_emit = kNever;
    for (;;) {
      if (pending.empty()) return;
      int64_t min_sched = kNever;
      for (const PendingCue& c : pending) min_sched = std::min(min_sched, c.sched);
      const int64_t start = std::max(busy_until, min_sched);
      int best = -1;
      for (int i = 0; i < static_cast<int>(pending.size()); ++i) {
        const PendingCue& c = pending[i];
        if (c.sched > start) continue;
        if (best < 0) {
          best = i;
          continue;
        }
        const PendingCue& b = pending[best];
        const int pc = Cue(c.owner, c.cue).priority(), pb = Cue(b.owner, b.cue).priority();
        if (pc > pb || (pc == pb && c.seq < b.seq)) best = i;
      }
      const PendingCue& c = pending[best];
      if (!Protected(c) && (start - c.sched > max_delay || start >= c.phase_end)) {
        record.set_cues_dropped(record.cues_dropped() + 1);
        pending.erase(pending.begin() + best);
        continue;
      }
      next_cue = best;
      next_cue_start = start;
      next_cue_emit = std::max(start - lead, c.known);
      return;
    }
  }

  void EmitCue() {
    const PendingCue c = pending[next_cue];
    pending.erase(pending.begin() + next_cue);
    const v1::PlanCue& cue = Cue(c.owner, c.cue);
    uint32_t& fired_count = fired[fired_base[c.owner + 1] + c.cue];
    const uint32_t variant = fired_count % static_cast<uint32_t>(cue.texts_size());
    ++fired_count;
    QEvent e = Make(v1::SessionEvent::CUE, next_cue_emit);
    e.block = c.block;
    e.set = c.set;
    e.rep = c.rep;
    e.side = c.side;
    e.phase_kind = c.phase_kind;
    e.cue_owner = c.owner;
    e.cue = c.cue;
    e.variant = variant;
    Push(e);
    busy_until = next_cue_start + SpeakMs(c.owner, c.cue, variant) + gap;
    record.set_cues_spoken(record.cues_spoken() + 1);
    if (next_cue_start > c.sched) record.set_cues_deferred(record.cues_deferred() + 1);
    next_cue = -1;
  }

  // Safety cues and the session's safety-stop and end cues are never dropped.
  bool Protected(const PendingCue& c) const {
    const v1::PlanCue& cue = Cue(c.owner, c.cue);
    return cue.priority() == v1::CUE_PRIORITY_SAFETY ||
           (c.owner < 0 && (cue.trigger().kind() == v1::TRIGGER_SAFETY_STOP ||
                            cue.trigger().kind() == v1::TRIGGER_SESSION_END));
  }

  // The current phase ends at t: its cues timed after `keep_until` are forgotten (they never
  // came due), the others may not start after t (SelectCue drops them).
  void CutPending(int64_t t, int64_t keep_until) {
    size_t out = 0;
    for (size_t i = 0; i < pending.size(); ++i) {
      PendingCue c = pending[i];
      if (!Protected(c)) {
        if (c.sched > keep_until) continue;
        c.phase_end = std::min(c.phase_end, t);
      }
      pending[out++] = c;
    }
    pending.resize(out);
    next_cue = -1;
  }

  // Cues of the phase that starts now (and of the block or session when it is their first).
  void ScheduleEntryCues(int64_t t, bool first_of_rep) {
    const int64_t end = phase_end;
    const bool no_end = end == kNever;
    const int64_t planned = phase_planned;
    const bool exercise_phase = phase >= 0 && InExercise(stage);
    int32_t ev_block = InExercise(stage) ? block : -1;
    int32_t ev_set = stage == kRep ? set : -1;
    int32_t ev_rep = stage == kRep ? rep : -1;
    v1::Side side = stage == kRep ? RepSide(rep) : v1::SIDE_UNSPECIFIED;
    auto timed = [&](int32_t owner, uint32_t i, const v1::CueTrigger& trig, bool match) {
      if (!match) return;
      switch (trig.kind()) {
        case v1::TRIGGER_PHASE_ENTRY:
          AddCue(owner, i, t, t, end, ev_block, ev_set, ev_rep, side);
          break;
        case v1::TRIGGER_PHASE_OFFSET:
          if (no_end || trig.offset_ms() < planned) {
            AddCue(owner, i, t + trig.offset_ms(), t, end, ev_block, ev_set, ev_rep, side);
          }
          break;
        case v1::TRIGGER_BEFORE_PHASE_END:
          if (!no_end && trig.offset_ms() <= planned) {
            AddCue(owner, i, end - trig.offset_ms(), t, end, ev_block, ev_set, ev_rep, side);
          }
          break;
        default:
          break;
      }
    };
    if (first_of_session) {
      first_of_session = false;
      for (int i = 0; i < plan.session_cues_size(); ++i) {
        if (plan.session_cues(i).trigger().kind() == v1::TRIGGER_SESSION_START) {
          AddCue(-1, i, t, t, end, ev_block, ev_set, ev_rep, side);
        }
      }
    }
    if (!exercise_phase) {
      // Engine phases (count-in, rests): cues that name the phase kind exactly.
      const int32_t owner = InExercise(stage) ? ExerciseIndex() : -1;
      const auto& cues = owner < 0 ? plan.session_cues() : plan.exercises(owner).cues();
      for (int i = 0; i < cues.size(); ++i) {
        timed(owner, i, cues[i].trigger(), cues[i].trigger().phase() == phase_kind);
      }
      return;
    }
    const int32_t owner = ExerciseIndex();
    const v1::PlanExercise& ex = Exercise();
    if (first_of_block) {
      for (uint32_t lead_cue : Block().lead_cues()) {
        AddCue(owner, lead_cue, t, t, end, ev_block, ev_set, ev_rep, side);
      }
    }
    const bool side_switch = stage == kRep && first_of_rep && prev_side != v1::SIDE_UNSPECIFIED &&
                             side != v1::SIDE_UNSPECIFIED && side != prev_side;
    for (int i = 0; i < ex.cues_size(); ++i) {
      const v1::CueTrigger& trig = ex.cues(i).trigger();
      const bool match = trig.phase() == v1::PHASE_KIND_UNSPECIFIED || trig.phase() == phase_kind;
      // Rep triggers with no phase fire on the rep's first phase.
      const bool rep_match =
          trig.phase() == v1::PHASE_KIND_UNSPECIFIED ? first_of_rep : trig.phase() == phase_kind;
      switch (trig.kind()) {
        case v1::TRIGGER_EXERCISE_START:
          if (first_of_block) AddCue(owner, i, t, t, end, ev_block, ev_set, ev_rep, side);
          break;
        case v1::TRIGGER_EVERY_NTH_REP:
          if (stage == kRep && rep_match && rep % std::max<int32_t>(1, trig.every_n()) == 0) {
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
          timed(owner, i, trig, match);
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
    QEvent e = Make(v1::SessionEvent::PHASE_STARTED, t);
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
    Push(e);
    ScheduleEntryCues(t, first_of_rep);
  }
  void EnterRest(int64_t t, uint32_t new_stage, int64_t ms) {
    EnterPhase(t, new_stage, -1, v1::PHASE_REST, ms, false, false);
  }

  // The next phase of `scope` after index `after`, or -1.
  int NextScoped(v1::PhaseScope scope, int after) const {
    const v1::PlanExercise& ex = Exercise();
    for (int i = after + 1; i < ex.phases_size(); ++i) {
      if (ex.phases(i).scope() == scope) return i;
    }
    return -1;
  }
  int NextRepPhase(int after) const {
    const v1::PlanExercise& ex = Exercise();
    const bool switched = rep > 0 && RepSide(rep) != RepSide(rep - 1);
    for (int i = after + 1; i < ex.phases_size(); ++i) {
      const v1::PlanPhase& p = ex.phases(i);
      if (p.scope() != v1::PHASE_SCOPE_REP) continue;
      if (p.kind() == v1::PHASE_SWITCH_SIDE && !switched) continue;
      return i;
    }
    return -1;
  }
  void EnterExercisePhase(int64_t t, uint32_t new_stage, int index, bool first_of_rep) {
    const v1::PlanPhase& p = Exercise().phases(index);
    EnterPhase(t, new_stage, index, p.kind(), Block().phase_ms(index), p.open(), first_of_rep);
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
    QEvent e = Make(v1::SessionEvent::EXERCISE_STARTED, t);
    e.block = b;
    Push(e);
  }

  // Ends the block at t with `outcome` and moves on: the rest after it, the next block (stage
  // kExStart, nothing entered yet) or the end of the session.
  void CompleteBlock(int64_t t, v1::BlockOutcome outcome) {
    QEvent e = Make(v1::SessionEvent::EXERCISE_COMPLETED, t);
    e.block = block;
    Push(e);
    v1::BlockRecord* r = record.mutable_blocks(block);
    r->set_outcome(outcome);
    r->set_active_ms(Active(t) - block_started_active);
    extra_reps = 0;
    extra_side = v1::SIDE_UNSPECIFIED;
    if (block + 1 < plan.blocks_size()) {
      if (Block().rest_after_ms() > 0) {
        EnterRest(t, kBlockRest, Block().rest_after_ms());
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
    for (int i = 0; i < plan.session_cues_size(); ++i) {
      if (plan.session_cues(i).trigger().kind() == v1::TRIGGER_SESSION_END) {
        AddCue(-1, i, t, t, kNever, -1, -1, -1, v1::SIDE_UNSPECIFIED);
      }
    }
  }

  void FinishSession(int64_t t, v1::SessionEnd end) {
    QEvent e = Make(v1::SessionEvent::SESSION_COMPLETED, t);
    e.label = end == v1::SESSION_END_STOPPED ? kLabelStopped : kLabelDefault;
    Push(e);
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
          QEvent e = Make(v1::SessionEvent::REP_COMPLETED, t);
          e.block = block;
          e.set = set;
          e.rep = rep;
          e.side = static_cast<uint8_t>(side);
          Push(e);
          v1::SideRecord* sr = SideRecord(side);
          sr->set_reps_done(sr->reps_done() + 1);
          prev_side = side;
          ++rep;
          phase = -1;
          if (rep < static_cast<int32_t>(RepsInSet())) {
            if (Block().rest_between_reps_ms() > 0) {
              return EnterRest(t, kRepRest, Block().rest_between_reps_ms());
            }
            continue;
          }
          QEvent s = Make(v1::SessionEvent::SET_COMPLETED, t);
          s.block = block;
          s.set = set;
          Push(s);
          v1::BlockRecord* br = record.mutable_blocks(block);
          br->set_sets_done(br->sets_done() + 1);
          ++set;
          rep = -1;
          if (set < static_cast<int32_t>(Block().sets())) {
            if (Block().rest_between_sets_ms() > 0) {
              return EnterRest(t, kSetRest, Block().rest_between_sets_ms());
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
      v1::SideRecord* sr = SideRecord(RepSide(rep));
      sr->set_holds_achieved(sr->holds_achieved() + 1);
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
    v1::SafetyStopRecord* r = record.add_safety_stops();
    r->set_at_ms(t);
    r->set_block_index(InExercise(stage) ? block : -1);
    r->set_exercise_id(InExercise(stage) ? Exercise().id() : "");
    r->set_pain(pain);
    for (int i = 0; i < plan.session_cues_size(); ++i) {
      if (plan.session_cues(i).trigger().kind() == v1::TRIGGER_SAFETY_STOP) {
        AddCue(-1, i, t, t, kNever, InExercise(stage) ? block : -1, -1, -1, v1::SIDE_UNSPECIFIED);
      }
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
    auto matches = [&](const v1::PlanCue& cue) {
      const v1::CueTrigger& trig = cue.trigger();
      if (trig.kind() != v1::TRIGGER_REPORT || trig.report() != kind) return false;
      if (kind == v1::REPORT_ASYMMETRY) return true;
      return value >= static_cast<int64_t>(trig.min_value()) &&
             (trig.max_value() == 0 || value <= static_cast<int64_t>(trig.max_value()));
    };
    const int32_t ev_block = InExercise(stage) ? block : -1;
    const int32_t ev_set = stage == kRep ? set : -1;
    const int32_t ev_rep = stage == kRep ? rep : -1;
    const v1::Side side = stage == kRep ? RepSide(rep) : v1::SIDE_UNSPECIFIED;
    if (InExercise(stage)) {
      const v1::PlanExercise& ex = Exercise();
      for (int i = 0; i < ex.cues_size(); ++i) {
        if (matches(ex.cues(i))) {
          return AddCue(ExerciseIndex(), i, t, t, kNever, ev_block, ev_set, ev_rep, side);
        }
      }
    }
    for (int i = 0; i < plan.session_cues_size(); ++i) {
      if (matches(plan.session_cues(i))) {
        return AddCue(-1, i, t, t, kNever, ev_block, ev_set, ev_rep, side);
      }
    }
  }

  void ApplyReport(const v1::ReportRecord& report, int64_t t) {
    switch (report.kind()) {
      case v1::REPORT_PAIN:
        if (report.value() >= static_cast<int32_t>(pain_threshold)) {
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
          const uint32_t sets_left = Block().sets() - static_cast<uint32_t>(std::max(set, 0));
          uint32_t holds_per_rep = 0;
          for (const v1::PlanPhase& p : Exercise().phases()) {
            if (p.scope() == v1::PHASE_SCOPE_REP && p.kind() == v1::PHASE_HOLD) ++holds_per_rep;
          }
          v1::SideRecord* sr = SideRecord(extra_side);
          sr->set_reps_planned(sr->reps_planned() + sets_left);
          sr->set_holds_planned(sr->holds_planned() + sets_left * holds_per_rep);
        }
        break;
      }
      default:
        ReportCue(t, report.kind(), report.value());
        break;
    }
  }

  void InitRecord() {
    record.set_routine_id(plan.routine_id());
    for (int b = 0; b < plan.blocks_size(); ++b) {
      block = b;
      const v1::PlanBlock& pb = plan.blocks(b);
      v1::BlockRecord* r = record.add_blocks();
      r->set_block_index(b);
      r->set_exercise_id(Exercise().id());
      r->set_sets_planned(pb.sets());
      r->set_level(pb.level());
      uint32_t holds_per_rep = 0;
      for (const v1::PlanPhase& p : Exercise().phases()) {
        if (p.scope() == v1::PHASE_SCOPE_REP && p.kind() == v1::PHASE_HOLD) ++holds_per_rep;
      }
      if (Sided()) {
        r->add_sides()->set_side(v1::LEFT);
        r->add_sides()->set_side(v1::RIGHT);
      } else {
        r->add_sides()->set_side(v1::SIDE_UNSPECIFIED);
      }
      const int32_t n = static_cast<int32_t>(RepsInSet());
      for (int32_t i = 0; i < n; ++i) {
        v1::SideRecord* sr = SideRecord(RepSide(i));
        sr->set_reps_planned(sr->reps_planned() + pb.sets());
        sr->set_holds_planned(sr->holds_planned() + pb.sets() * holds_per_rep);
      }
    }
    block = -1;
  }
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

Session::Session(std::unique_ptr<State> state) : s_(std::move(state)) {}
Session::~Session() = default;

absl::StatusOr<std::unique_ptr<Session>> Session::Create(const Catalog& catalog,
                                                         const v1::Routine& routine,
                                                         const v1::SessionOptions& options) {
  absl::StatusOr<v1::Plan> plan = CompilePlan(catalog, routine, options);
  if (!plan.ok()) return plan.status();
  return FromPlan(*std::move(plan));
}

absl::StatusOr<std::unique_ptr<Session>> Session::FromPlan(v1::Plan plan) {
  if (absl::Status s = ValidatePlan(plan); !s.ok()) return s;
  *plan.mutable_options() = *ResolveSessionOptions(plan.options());
  auto state = std::make_unique<State>();
  state->plan = std::move(plan);
  state->Init();
  state->InitRecord();
  return std::unique_ptr<Session>(new Session(std::move(state)));
}

namespace {

// Times are the host's monotonic milliseconds, 0..2^53 (some 285,000 years): every sum stays
// exact and -1 can mean "none" in snapshots.
constexpr int64_t kMaxTimeMs = int64_t{1} << 53;

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
  s.started = true;
  s.started_at = now_ms;
  s.last_input = now_ms;
  s.record.set_started_at_ms(now_ms);
  QEvent e = s.Make(v1::SessionEvent::SESSION_STARTED, now_ms);
  s.Push(e);
  s.first_of_session = true;
  if (s.plan.options().count_in_ms() > 0) {
    s.EnterPhase(now_ms, kCountIn, -1, v1::PHASE_COUNT_IN, s.plan.options().count_in_ms(), false,
                 false);
  } else {
    s.stage = kCountIn;
    s.Walk(now_ms);
  }
  s.RunUntil(now_ms);
  return absl::OkStatus();
}

absl::Status Session::Tick(int64_t now_ms) {
  State& s = *s_;
  // The common case, a tick with nothing due: a few comparisons.
  if (s.started && !s.finished && now_ms >= s.last_input && now_ms <= kMaxTimeMs) {
    const int64_t deadline = NextDeadline();
    if (deadline < 0 || now_ms < deadline) {
      s.last_input = now_ms;
      return absl::OkStatus();
    }
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
  if (absl::Status st = CheckInput(s.started, s.finished, s.last_input, now_ms); !st.ok()) {
    return st;
  }
  if (signal < v1::SIGNAL_PAUSE || signal > v1::SIGNAL_STOP) {
    return absl::InvalidArgumentError(absl::StrCat("unknown signal ", static_cast<int>(signal)));
  }
  if (s.paused && (signal == v1::SIGNAL_SKIP || signal == v1::SIGNAL_REP_DONE)) {
    return absl::FailedPreconditionError(
        absl::StrCat("session is paused: resume before ", v1::Signal_Name(signal)));
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
      if (s.phase >= 0 && InExercise(s.stage) && s.Exercise().phases(s.phase).open()) {
        s.EndPhase(now_ms);
      }
      break;
    case v1::SIGNAL_STOP: {
      // Due cues that were never said count as dropped; the rest are forgotten.
      for (const PendingCue& c : s.pending) {
        if (c.sched <= now_ms) s.record.set_cues_dropped(s.record.cues_dropped() + 1);
      }
      s.pending.clear();
      if (InExercise(s.stage)) {
        QEvent e = s.Make(v1::SessionEvent::EXERCISE_COMPLETED, now_ms);
        e.block = s.block;
        s.Push(e);
        v1::BlockRecord* r = s.record.mutable_blocks(s.block);
        r->set_outcome(v1::BLOCK_OUTCOME_STOPPED);
        r->set_active_ms(s.Active(now_ms) - s.block_started_active);
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
  s.last_input = now_ms;
  s.RunUntil(now_ms);
  if (s.finished) return absl::OkStatus();
  v1::ReportRecord* r = s.record.add_reports();
  r->set_at_ms(now_ms);
  r->set_kind(kind);
  r->set_value(value);
  r->set_side(side);
  r->set_location(std::string(location));
  r->set_block_index(InExercise(s.stage) ? s.block : -1);
  r->set_exercise_id(InExercise(s.stage) ? s.Exercise().id() : "");
  if (!s.paused) {
    // Reports made while paused take effect on resume.
    s.reports_applied = static_cast<uint32_t>(s.record.reports_size());
    s.ApplyReport(*r, now_ms);
    s.RunUntil(now_ms);
  }
  return absl::OkStatus();
}

int64_t Session::NextDeadline() const {
  const State& s = *s_;
  if (!s.started || s.finished || s.paused) return -1;
  int64_t next = s.phase_end;
  if (s.next_cue >= 0 && s.next_cue_emit < next) next = s.next_cue_emit;
  if (s.stage == kEnding && s.pending.empty()) next = s.phase_start;
  return next == kNever ? -1 : next;
}

bool Session::Finished() const { return s_->finished; }

size_t Session::Pending() const { return s_->count; }

const v1::Plan& Session::plan() const { return s_->plan; }

bool Session::Poll(Event* out) {
  State& s = *s_;
  if (out == nullptr || s.count == 0) return false;
  const QEvent& q = s.ring[s.head];
  s.head = (s.head + 1) % s.ring.size();
  --s.count;
  Event e;
  e.type = static_cast<v1::SessionEvent::Type>(q.type);
  e.at_ms = q.at_ms;
  e.block_index = q.block;
  e.set_index = q.set;
  e.rep_index = q.rep;
  e.side = static_cast<v1::Side>(q.side);
  e.duration_ms = q.type == v1::SessionEvent::PHASE_STARTED ? q.duration_ms : -1;
  const v1::PlanExercise* ex =
      q.block >= 0 ? &s.plan.exercises(s.plan.blocks(q.block).exercise()) : nullptr;
  if (ex != nullptr) e.exercise_id = ex->id().c_str();
  if (q.type == v1::SessionEvent::PHASE_STARTED || q.type == v1::SessionEvent::CUE ||
      q.type == v1::SessionEvent::PAUSED || q.type == v1::SessionEvent::RESUMED ||
      q.type == v1::SessionEvent::SAFETY_STOP) {
    e.phase = PhaseName(q.phase_kind);
  }
  switch (q.type) {
    case v1::SessionEvent::SESSION_STARTED:
      e.text = s.plan.routine_name().c_str();
      break;
    case v1::SessionEvent::EXERCISE_STARTED:
    case v1::SessionEvent::EXERCISE_COMPLETED:
      e.text = ex != nullptr ? ex->name().c_str() : "";
      break;
    case v1::SessionEvent::PHASE_STARTED:
      if (q.phase_index >= 0 && ex != nullptr) {
        e.text = ex->phases(q.phase_index).label().c_str();
      } else {
        e.text = q.phase_kind == v1::PHASE_COUNT_IN ? "Get ready" : "Rest";
      }
      break;
    case v1::SessionEvent::CUE: {
      const v1::PlanCue& cue = s.Cue(q.cue_owner, q.cue);
      e.cue_id = cue.id().c_str();
      e.text = cue.texts(static_cast<int>(q.variant)).c_str();
      e.cue_kind = cue.kind();
      e.priority = cue.priority();
      e.speak_ms = s.SpeakMs(q.cue_owner, q.cue, q.variant);
      break;
    }
    case v1::SessionEvent::REP_COMPLETED:
      e.text = "Rep done";
      break;
    case v1::SessionEvent::SET_COMPLETED:
      e.text = "Set done";
      break;
    case v1::SessionEvent::PAUSED:
      e.text = "Paused";
      break;
    case v1::SessionEvent::RESUMED:
      e.text = "Resumed";
      break;
    case v1::SessionEvent::SAFETY_STOP:
      e.text = "Safety stop";
      break;
    case v1::SessionEvent::SESSION_COMPLETED:
      e.text = q.label == kLabelStopped ? "Session stopped" : "Session completed";
      break;
    default:
      break;
  }
  *out = e;
  return true;
}

v1::SessionRecord Session::Record() const {
  const State& s = *s_;
  v1::SessionRecord r = s.record;
  if (s.started && !s.finished) {
    r.set_active_ms(s.Active(s.last_input));
    r.set_paused_ms(s.record.paused_ms() + (s.paused ? s.last_input - s.pause_started : 0));
  }
  return r;
}

// --- snapshots ---------------------------------------------------------------------------------

v1::SessionSnapshot Session::SnapshotProto() const {
  const State& s = *s_;
  v1::SessionSnapshot snap;
  snap.set_version(kSnapshotVersion);
  *snap.mutable_plan() = s.plan;
  // Keep snapshots small: options at their defaults and the record's exercise ids (both
  // restored from the plan) are left out.
  ClearDefaultOptions(snap.mutable_plan()->mutable_options());
  v1::SessionState* st = snap.mutable_state();
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
  for (uint32_t f : s.fired) st->add_fired(f);
  for (size_t i = 0; i < s.count; ++i) {
    const QEvent& q = s.ring[(s.head + i) % s.ring.size()];
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
  *st->mutable_record() = s.record;
  for (v1::BlockRecord& b : *st->mutable_record()->mutable_blocks()) b.clear_exercise_id();
  return snap;
}

absl::StatusOr<std::string> Session::Snapshot(Format format) const {
  return SerializeMessage(SnapshotProto(), format);
}

namespace {

void ClearDefaultOptions(v1::SessionOptions* o) {
  if (o->breath_period_ms() == 5000) o->clear_breath_period_ms();
  if (o->count_in_ms() == 5000) o->clear_count_in_ms();
  if (o->words_per_minute() == 150) o->clear_words_per_minute();
  if (o->pain_stop_threshold() == 6) o->clear_pain_stop_threshold();
  if (o->cue_lead_ms() == 0) o->clear_cue_lead_ms();
  if (o->cue_gap_ms() == 250) o->clear_cue_gap_ms();
  if (o->max_cue_delay_ms() == 4000) o->clear_max_cue_delay_ms();
}

absl::Status Bad(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("snapshot: ", what));
}

bool ValidSide(int side) { return side >= v1::SIDE_UNSPECIFIED && side <= v1::RIGHT; }

}  // namespace

absl::StatusOr<std::unique_ptr<Session>> Session::Restore(absl::string_view snapshot,
                                                          Format format) {
  v1::SessionSnapshot snap;
  if (absl::Status s = ParseMessage(snapshot, format, &snap); !s.ok()) return s;
  if (snap.version() != kSnapshotVersion) {
    return absl::FailedPreconditionError(absl::StrCat("snapshot: this library reads version ",
                                                      kSnapshotVersion, ", got ", snap.version()));
  }
  absl::StatusOr<std::unique_ptr<Session>> made = FromPlan(std::move(*snap.mutable_plan()));
  if (!made.ok()) return made.status();
  State& s = *(*made)->s_;
  const v1::SessionState& st = snap.state();
  const int nblocks = s.plan.blocks_size();
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
    const v1::PlanExercise& ex = s.plan.exercises(s.plan.blocks(b).exercise());
    const int sides = ex.laterality() == v1::LATERALITY_BILATERAL ? 1 : 2;
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
    const int nphases = s.Exercise().phases_size();
    if (s.phase < -1 || s.phase >= nphases) return Bad("state.phase out of range");
    if (s.set < -1 || s.set > static_cast<int32_t>(s.Block().sets())) return Bad("state.set");
    s.extra_reps = st.extra_reps();
    s.extra_side = st.extra_side();
    if (s.extra_reps > 0 && s.extra_side == v1::SIDE_UNSPECIFIED) return Bad("state.extra_side");
    if (s.rep < -1 || s.rep > static_cast<int32_t>(s.RepsInSet())) return Bad("state.rep");
    if (s.stage == kRep &&
        (s.rep < 0 || s.set < 0 || s.rep >= static_cast<int32_t>(s.RepsInSet()) ||
         s.set >= static_cast<int32_t>(s.Block().sets()))) {
      return Bad("state: rep or set outside the block");
    }
    if ((s.stage == kSetStart || s.stage == kSetRest || s.stage == kRepRest) &&
        (s.set < 0 || s.set >= static_cast<int32_t>(s.Block().sets()))) {
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
  for (const v1::SnapshotCue& p : st.pending()) {
    if (p.owner() < -1 || p.owner() >= s.plan.exercises_size()) return Bad("pending cue owner");
    const int ncues =
        p.owner() < 0 ? s.plan.session_cues_size() : s.plan.exercises(p.owner()).cues_size();
    if (p.cue() >= static_cast<uint32_t>(ncues)) return Bad("pending cue index");
    if (p.block_index() < -1 || p.block_index() >= nblocks || !ValidSide(p.side()) ||
        !v1::PhaseKind_IsValid(p.phase())) {
      return Bad("pending cue position");
    }
    PendingCue c;
    c.owner = p.owner();
    c.cue = p.cue();
    c.sched = p.sched_ms();
    c.known = p.known_ms();
    c.phase_end = p.phase_end_ms() < 0 ? kNever : p.phase_end_ms();
    c.seq = p.seq();
    c.block = p.block_index();
    c.set = p.set_index();
    c.rep = p.rep_index();
    c.side = static_cast<uint8_t>(p.side());
    c.phase_kind = static_cast<uint8_t>(p.phase());
    s.pending.push_back(c);
  }
  for (int i = 0; i < st.fired_size(); ++i) s.fired[i] = st.fired(i);
  s.count = 0;
  s.head = 0;
  size_t cap = kInitialQueue;
  while (cap < static_cast<size_t>(st.queue_size())) cap *= 2;
  s.ring.assign(cap, QEvent());
  for (const v1::SnapshotEvent& e : st.queue()) {
    if (!v1::SessionEvent::Type_IsValid(e.type()) || e.type() == 0 || e.block_index() < -1 ||
        e.block_index() >= nblocks || !ValidSide(e.side()) || !v1::PhaseKind_IsValid(e.phase())) {
      return Bad("queued event");
    }
    if (e.type() == v1::SessionEvent::PHASE_STARTED && e.phase_index() >= 0) {
      if (e.block_index() < 0 ||
          e.phase_index() >=
              s.plan.exercises(s.plan.blocks(e.block_index()).exercise()).phases_size()) {
        return Bad("queued event phase");
      }
    }
    if (e.type() == v1::SessionEvent::CUE) {
      if (e.cue_owner() < -1 || e.cue_owner() >= s.plan.exercises_size()) return Bad("queued cue");
      const v1::PlanCue* cue = nullptr;
      if (e.cue_owner() < 0) {
        if (e.cue() >= static_cast<uint32_t>(s.plan.session_cues_size())) return Bad("queued cue");
        cue = &s.plan.session_cues(e.cue());
      } else {
        if (e.cue() >= static_cast<uint32_t>(s.plan.exercises(e.cue_owner()).cues_size())) {
          return Bad("queued cue");
        }
        cue = &s.plan.exercises(e.cue_owner()).cues(e.cue());
      }
      if (e.variant() >= static_cast<uint32_t>(cue->texts_size())) return Bad("queued cue text");
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
  s.record = st.record();
  for (int b = 0; b < nblocks; ++b) {
    s.record.mutable_blocks(b)->set_exercise_id(s.plan.exercises(s.plan.blocks(b).exercise()).id());
  }
  if (!s.finished && !s.paused && s.started) s.SelectCue();
  return made;
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
