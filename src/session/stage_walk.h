// The stage walk: where a session stands in its plan (a cursor of block, stage, set, rep and
// phase, with the current phase's times) and how it moves: through each block's exercise-start
// and set-start phases, its reps (and their phases, switching sides), the rests between reps,
// sets and blocks, the exercise-end phases, then the end of the session; and the ways a session
// leaves that path (a skip, an early end, a stop, a pause). Steps are never expanded into a
// list, so the plan stays compact and a snapshot small. Every time is an int64 of ms.
//
// The walk emits the position events (EXERCISE_STARTED, PHASE_STARTED, REP_COMPLETED, …) into
// the event queue, hands each phase entry to the cue triggers, and counts into the record. The
// main loop (RunUntil) takes the earlier of two deadlines, the end of the current phase and the
// speech scheduler's next cue (the cue first on a tie), until both lie after `now`.
#ifndef REGIMEN_SRC_SESSION_STAGE_WALK_H_
#define REGIMEN_SRC_SESSION_STAGE_WALK_H_

#include <cstdint>

#include "regimen/v1/exercise.pb.h"
#include "regimen/v1/session.pb.h"
#include "src/session/event_queue.h"
#include "src/session/prepared_plan.h"
#include "src/session/session_record.h"
#include "src/session/speech_scheduler.h"

namespace regimen::session_internal {

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

inline bool InExercise(uint32_t stage) { return stage >= kExStart && stage <= kExEnd; }

// Times are the host's monotonic milliseconds, 0..2^53 (some 285,000 years): every sum stays
// exact and -1 can mean "none" in snapshots.
inline constexpr int64_t kMaxTimeMs = int64_t{1} << 53;

// The session's clock: whether it started, finished or is paused, and its times.
struct SessionClock {
  bool started = false, finished = false, paused = false;
  int64_t started_at = 0, last_input = 0, pause_started = 0;
};

struct Cursor {
  uint32_t stage = kIdle;
  int32_t block = -1, set = -1, rep = -1, phase = -1;
  int64_t phase_start = 0, phase_end = kNever, phase_planned = -1;
  v1::PhaseKind phase_kind = v1::PHASE_KIND_UNSPECIFIED;
  // An asymmetry report's extra rep per set (on extra_side), for the rest of the block.
  v1::Side extra_side = v1::SIDE_UNSPECIFIED;
  uint32_t extra_reps = 0;
  v1::Side prev_side = v1::SIDE_UNSPECIFIED;  // the side of the rep before
  int64_t block_started_active = 0;           // active ms when the block started
};

class StageWalk {
 public:
  StageWalk(EventQueue* queue, SpeechScheduler* speech, SessionRecorder* recorder)
      : queue_(queue), speech_(speech), recorder_(recorder) {}

  // Not started, for a session of `plan` (which outlives the walk's use of it).
  void Reset(const PreparedPlan* plan);

  // Starts the clock at `now`: SESSION_STARTED and the count-in or the first exercise (the
  // main loop then emits whatever is due at once).
  void Start(int64_t now);
  // Emits everything due by `now`, in order.
  void RunUntil(int64_t now);
  // When the next timed event is due while running (kNever when none).
  int64_t Deadline() const {
    if (cursor_.stage == kEnding && speech_->empty()) return cursor_.phase_start;
    const int64_t cue = speech_->NextEmitMs();
    return cue < cursor_.phase_end ? cue : cursor_.phase_end;
  }

  // The current phase ran to its end at t (or REP_DONE ended an open one).
  void EndPhase(int64_t t);
  // Ends the current exercise (or count-in or rest) early at t with `outcome` and moves on.
  void EndEarly(int64_t t, v1::BlockOutcome outcome);
  // The session ends at t before its end: the user stopped it (SESSION_END_STOPPED) or a safety
  // stop did (SESSION_END_SAFETY_STOP). Due cues never said are skipped; EXERCISE_COMPLETED
  // (when in one) and SESSION_COMPLETED.
  void Stop(int64_t t, v1::SessionEnd end);
  // Pause at t: PAUSED, every timer frozen. Resume at t: every time shifted by the pause, then
  // RESUMED.
  void Pause(int64_t t);
  void Resume(int64_t t);
  // An event about the cursor's position (block, set, rep and side where they apply).
  QueuedEvent& EmitHere(v1::SessionEvent::Type type, int64_t t);
  // The position a cue fired now carries.
  CuePosition Here() const;

  // The side of rep `rep` of the current block's sets (asymmetry reps included).
  v1::Side RepSide(int32_t rep) const {
    const BlockInfo& block = plan_->blocks[cursor_.block];
    if (!block.sided) return v1::SIDE_UNSPECIFIED;
    if (static_cast<uint32_t>(rep) < block.sides) {
      return static_cast<v1::Side>(plan_->rep_sides[block.side_begin + rep]);
    }
    return cursor_.extra_side;
  }
  // The reps of one set of the current block (asymmetry reps included).
  uint32_t RepsInSet() const {
    const BlockInfo& block = plan_->blocks[cursor_.block];
    return block.reps_per_set + (block.sided ? cursor_.extra_reps : 0);
  }
  // Active ms at t: since the start, less every pause.
  int64_t ActiveMs(int64_t t) const;
  // The current exercise's index in the plan (the cursor is in a block).
  int32_t ExerciseIndex() const {
    return static_cast<int32_t>(plan_->blocks[cursor_.block].exercise);
  }

  Cursor& cursor() { return cursor_; }
  const Cursor& cursor() const { return cursor_; }
  SessionClock& clock() { return clock_; }
  const SessionClock& clock() const { return clock_; }

 private:
  void Walk(int64_t t);
  // Walk's steps: what follows the last REP phase of a rep (false: Walk goes on).
  bool EndRep(int64_t t);
  void EnterPhase(int64_t t, uint32_t stage, int32_t index, v1::PhaseKind kind, int64_t planned,
                  bool open, bool first_of_rep);
  void EnterExercisePhase(int64_t t, uint32_t stage, int index, bool first_of_rep);
  void EnterRest(int64_t t, uint32_t stage, int64_t ms) {
    EnterPhase(t, stage, -1, v1::PHASE_REST, ms, false, false);
  }
  // The next phase of `scope` after index `after`, or -1.
  int NextScoped(v1::PhaseScope scope, int after) const;
  // The next REP phase after `after` (a side switch only when the side changes), or -1.
  int NextRepPhase(int after) const;
  void StartBlock(int32_t block, int64_t t);
  void CompleteBlock(int64_t t, v1::BlockOutcome outcome);
  void BeginEnding(int64_t t);
  void FinishSession(int64_t t, v1::SessionEnd end);

  const PreparedPlan* plan_ = nullptr;
  EventQueue* const queue_;
  SpeechScheduler* const speech_;
  SessionRecorder* const recorder_;
  SessionClock clock_;
  Cursor cursor_;
  // Set while entering the first phase of a block or of the session.
  bool first_of_block_ = false, first_of_session_ = false;
};

}  // namespace regimen::session_internal

#endif  // REGIMEN_SRC_SESSION_STAGE_WALK_H_
