// Cue triggers: which cues fire when a phase starts (the session's first cues, a block's lead
// cues, exercise start, side switch, every-nth-rep and first-rep cues, and cues timed on entry,
// at an offset into the phase or before its end), when the user reports, when the session ends
// and when it stops for safety. They hand what fires to the speech scheduler, which decides when
// (and whether) it is said.
#ifndef REGIMEN_SRC_SESSION_CUE_TRIGGERS_H_
#define REGIMEN_SRC_SESSION_CUE_TRIGGERS_H_

#include <cstdint>

#include "regimen/v1/exercise.pb.h"
#include "regimen/v1/session.pb.h"
#include "src/session/prepared_plan.h"
#include "src/session/speech_scheduler.h"

namespace regimen::session_internal {

// A phase that starts, as the triggers see it.
struct PhaseEntry {
  int64_t at = 0;         // when it starts
  int64_t end = kNever;   // when it ends; kNever when open without a timeout
  int64_t planned = -1;   // its planned length; -1 when open
  int32_t exercise = -1;  // the exercise it belongs to; -1 for the count-in and block rests
  int32_t phase = -1;     // its index among the exercise's phases; -1 for an engine phase
  v1::PhaseKind kind = v1::PHASE_KIND_UNSPECIFIED;
  bool in_rep = false;  // a phase of a rep (`where` holds its set, rep and side)
  bool first_of_session = false, first_of_block = false, first_of_rep = false;
  bool side_switch = false;  // the first phase of a rep on the other side than the rep before
  CuePosition where;         // the position the cues' events carry
};

// The cues that fire as `entry` starts.
void FireEntryCues(const PreparedPlan& plan, const PhaseEntry& entry, SpeechScheduler* speech);

// The cue that answers a report at t: the REPORT cue of `exercise` (-1 outside an exercise) that
// matches kind and value, else the catalog's session cue that does, else none. It is not bound
// to the phase (only max_cue_delay_ms can drop it).
void FireReportCue(const PreparedPlan& plan, int32_t exercise, v1::ReportKind kind, int32_t value,
                   int64_t t, const CuePosition& where, SpeechScheduler* speech);

// The session cues of `list` (session end, safety stop) at t, bound to no phase.
void FireSessionCues(const PreparedPlan& plan, const CueList& list, int64_t t,
                     const CuePosition& where, SpeechScheduler* speech);

}  // namespace regimen::session_internal

#endif  // REGIMEN_SRC_SESSION_CUE_TRIGGERS_H_
