// The session engine: a routine running as a deterministic state machine that a host drives
// with time and user input and reads events from.
//
//   auto session = regimen::Session::Create(catalog, *routine);  // StatusOr<unique_ptr<Session>>
//   (*session)->Start(now_ms);
//   for (;;) {
//     regimen::Event event;
//     while ((*session)->Poll(&event)) Show(event);       // strings are borrowed, see Event
//     if ((*session)->Finished()) break;
//     int64_t deadline = (*session)->NextDeadline();       // sleep until then (-1: until input)
//     ... wait for the deadline or a user input ...
//     (*session)->Tick(now_ms);                            // or Signal / Report
//   }
//   regimen::v1::SessionRecord record = (*session)->Record();
//
// Semantics (docs/sessions.md has the full reference):
// - Every input carries the host's monotonic time in ms. An input first catches up every event
//   scheduled at or before its time (each keeping its scheduled time), then takes effect; events
//   it causes carry its time.
// - Pause freezes every timer (NextDeadline() is -1 and nothing is emitted); resume shifts the
//   rest of the schedule by exactly the paused time. Pause while paused and resume while running
//   are accepted and change nothing.
// - Skip ends the current exercise (or count-in or rest) and the session moves on. Stop ends the
//   session: EXERCISE_COMPLETED (when in one) and SESSION_COMPLETED, the record says stopped.
// - REP_DONE ends an open phase (a phase that waits for the user); on a timed phase it is
//   accepted and changes nothing, so a stray tap never shortens a hold.
// - A pain report at or above SessionOptions.pain_stop_threshold (default 6) emits SAFETY_STOP
//   and ends the session (EXERCISE_COMPLETED, SESSION_COMPLETED; the record's end is
//   SESSION_END_SAFETY_STOP); pain 4..5 gives the ease-off cue (a REPORT cue); an asymmetry
//   report gives the corrective cue at once and adds one rep per set on the weaker side (the one
//   opposite the side that takes over) for the rest of the exercise; effort is recorded.
// - Errors: FAILED_PRECONDITION for any call before Start, Start twice, or any call after the
//   session finished; INVALID_ARGUMENT for a time outside 0..2^53 ms or earlier than the last
//   input's time, a bad signal or report kind, pain or effort outside 0..10, an asymmetry
//   without a side. A failed call changes nothing.
//
// Many sessions of one plan: prepare it once and share it (Session::Prepare, FromPrepared); each
// session then costs a few small allocations and nothing per plan.
//
//   auto prepared = regimen::Session::Prepare(*plan);                // StatusOr<shared_ptr<...>>
//   for (...) { auto session = regimen::Session::FromPrepared(*prepared); ... }
//
// or make one session and Reset it to the next plan (or the same) between runs.
//
// Cost: Create and Restore allocate; after Start, Tick, Signal, Poll and NextDeadline do not
// allocate while the host polls the queue (it only grows when the host lets events pile up);
// a report allocates its record. docs/performance.md has the figures.
//
// Thread safety: a Session may be used from one thread at a time; distinct sessions are
// independent.
#ifndef REGIMEN_SESSION_H_
#define REGIMEN_SESSION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regimen/catalog.h"
#include "regimen/format.h"
#include "regimen/v1/plan.pb.h"
#include "regimen/v1/routine.pb.h"
#include "regimen/v1/session.pb.h"

namespace regimen {

// The version of the SessionSnapshot message this library writes and reads.
inline constexpr uint32_t kSnapshotVersion = 1;

// A plan validated and prepared for running (speaking times, flat tables of phases and cue
// triggers), immutable and shared by any number of sessions on any threads. Opaque; made by
// Session::Prepare.
class PreparedPlan;
namespace session_internal {
class Engine;  // src/session/engine.h
}  // namespace session_internal

// One event. Strings are borrowed: they point into the session's compiled plan (or static
// storage) and stay valid as long as the session lives. Never null; "" where none.
struct Event {
  v1::SessionEvent::Type type = v1::SessionEvent::TYPE_UNSPECIFIED;
  // When it was scheduled to happen (catch-up events keep their time; cues are early by
  // SessionOptions.cue_lead_ms but never earlier than the event before them).
  int64_t at_ms = 0;
  int32_t block_index = -1;  // -1 where none (count-in, rest between blocks, session events)
  int32_t set_index = -1;    // 0-based, -1 where none
  int32_t rep_index = -1;    // 0-based within the set, -1 where none
  v1::Side side = v1::SIDE_UNSPECIFIED;
  // PHASE_STARTED: the planned length of the phase, ms (-1 open-ended); other events -1.
  int64_t duration_ms = -1;
  const char* exercise_id = "";
  // Lower-case phase kind without the prefix ("hold", "count_in"); "" where none.
  const char* phase = "";
  const char* cue_id = "";  // CUE only
  // CUE: the words to show or speak; other events: a short label ("Hold", the exercise name).
  const char* text = "";
  v1::CueKind cue_kind = v1::CUE_KIND_UNSPECIFIED;          // CUE only
  v1::CuePriority priority = v1::CUE_PRIORITY_UNSPECIFIED;  // CUE only
  int64_t speak_ms = 0;                                     // CUE only: estimated speaking time
};

// The event as a message (strings copied), e.g. to print it as JSON.
v1::SessionEvent EventToProto(const Event& event);

// "SESSION_STARTED", "CUE", …: the type's name without prefix.
const char* EventTypeName(v1::SessionEvent::Type type);

class Session {
 public:
  // Compiles `routine` against `catalog` (see CompilePlan in plan.h; its errors) and makes a
  // session that has not started. The session keeps no reference to the catalog. A routine
  // holding a gated exercise (prone_rock in the default pack) is refused with
  // FAILED_PRECONDITION, naming the exercise and the missing attestation, unless
  // `options.attestations` hold every attestation its gate names; nothing is created.
  static absl::StatusOr<std::unique_ptr<Session>> Create(const Catalog& catalog,
                                                         const v1::Routine& routine,
                                                         const v1::SessionOptions& options = {});
  // A session from an already compiled plan. Errors: those of ValidatePlan.
  static absl::StatusOr<std::unique_ptr<Session>> FromPlan(v1::Plan plan);
  // Validates `plan` (ValidatePlan's errors) and prepares it once for any number of sessions.
  static absl::StatusOr<std::shared_ptr<const PreparedPlan>> Prepare(v1::Plan plan);
  // A session of a prepared plan, which it shares (no copy). Null only when `plan` is null.
  static std::unique_ptr<Session> FromPrepared(std::shared_ptr<const PreparedPlan> plan);
  // Makes this session what FromPrepared(plan) would make (not started, nothing emitted, an
  // empty record), reusing the memory it holds: a host running many sessions one after another
  // allocates next to nothing per session. Returns false and changes nothing when plan is null.
  bool Reset(std::shared_ptr<const PreparedPlan> plan);
  // A session from Snapshot()'s bytes; needs no catalog. A binary snapshot whose plan is byte for
  // byte one of the last few plans restored reuses that prepared plan (the state is always
  // parsed and checked). Errors: INVALID_ARGUMENT (malformed or
  // inconsistent), FAILED_PRECONDITION (another snapshot version), RESOURCE_EXHAUSTED (over
  // 4 MiB).
  static absl::StatusOr<std::unique_ptr<Session>> Restore(absl::string_view snapshot,
                                                          Format format);

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  // Starts the clock: SESSION_STARTED and the count-in (or the first exercise).
  absl::Status Start(int64_t now_ms);
  // Emits every event scheduled at or before now_ms.
  absl::Status Tick(int64_t now_ms);
  // Pause, resume, skip, rep done or stop.
  absl::Status Signal(v1::Signal signal, int64_t now_ms);
  // Pain (value 0..10, side and location optional), asymmetry (the side that takes over: `side`,
  // or `value` 1 LEFT / 2 RIGHT when side is unspecified), effort (value 0..10).
  // The host's speech of the cue `cue_id` (its CUE event's) really ended at now_ms. The next cue
  // then starts only after now_ms plus cue_gap_ms; with SessionOptions.await_speech_end unset,
  // once a host has reported one end, every later cue waits for its own report (or for its
  // estimate plus max_cue_delay_ms). A report of a cue other than the one last said, or after
  // the session finished, changes nothing. NOT_FOUND when the plan has no cue of that id;
  // INVALID_ARGUMENT for an empty id or time going backwards; FAILED_PRECONDITION before Start.
  absl::Status SpeechEnded(absl::string_view cue_id, int64_t now_ms);
  absl::Status Report(v1::ReportKind kind, int32_t value, v1::Side side, int64_t now_ms,
                      absl::string_view location = {});

  // When the next timed event is due, ms; -1 when none is pending (not started, paused,
  // finished, or waiting for REP_DONE). A Tick at this time emits it.
  int64_t NextDeadline() const;
  // True once SESSION_COMPLETED was emitted (it may still wait in the queue).
  bool Finished() const;
  // Takes the oldest queued event into *out; false when the queue is empty (or out is null).
  bool Poll(Event* out);
  // Events waiting to be polled.
  size_t Pending() const;

  // The whole session (plan and state), self-contained and versioned. Errors: INTERNAL when
  // serialization fails.
  absl::StatusOr<std::string> Snapshot(Format format) const;
  v1::SessionSnapshot SnapshotProto() const;
  // What happened so far (complete once Finished()).
  v1::SessionRecord Record() const;
  // The same into *out, reusing the memory *out already holds (a host recording many sessions
  // allocates next to nothing). Does nothing when out is null.
  void Record(v1::SessionRecord* out) const;
  const v1::Plan& plan() const;
  // The prepared plan the session runs (shared with the sessions made from it).
  std::shared_ptr<const PreparedPlan> prepared_plan() const;

 private:
  explicit Session(std::unique_ptr<session_internal::Engine> engine);
  std::unique_ptr<session_internal::Engine> engine_;
};

// Runs `script` (regimen.v1.SessionScript) on `session` on a virtual clock, handing every event to
// `on_event` as soon as it is emitted: Start at script.start_ms unless the script starts it,
// then before each input a Tick at every deadline up to the input's time (none when
// script.ticks_only_at_inputs), the input itself,
// and after the last input deadline after deadline until the session finishes (or nothing is
// pending: paused, or waiting for REP_DONE). Errors: the first failing input's status, its
// message prefixed with "inputs[i]: ".
absl::Status RunScript(Session& session, const v1::SessionScript& script,
                       absl::FunctionRef<void(const Event&)> on_event);

}  // namespace regimen

#endif  // REGIMEN_SESSION_H_
