// The session engine behind regimen::Session (its pimpl): the parts of a running session (the
// stage walk with its clock, the speech scheduler, the event queue, the record) over one shared
// PreparedPlan, and what each input does to them. Inputs arrive checked (src/session/session.cc
// checks them and returns the errors); an input first catches up everything due by its time.
#ifndef REGIMEN_SRC_SESSION_ENGINE_H_
#define REGIMEN_SRC_SESSION_ENGINE_H_

#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/strings/string_view.h"
#include "regimen/session.h"
#include "regimen/v1/session.pb.h"
#include "src/session/event_queue.h"
#include "src/session/prepared_plan.h"
#include "src/session/session_record.h"
#include "src/session/speech_scheduler.h"
#include "src/session/stage_walk.h"

namespace regimen::session_internal {

class Engine {
 public:
  // A session of `plan` (not null) that has not started.
  explicit Engine(std::shared_ptr<const PreparedPlan> plan);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // What Engine(plan) would make, reusing the memory this one holds.
  void Reset(std::shared_ptr<const PreparedPlan> plan);

  const PreparedPlan& plan() const { return *plan_; }
  const std::shared_ptr<const PreparedPlan>& shared_plan() const { return plan_; }
  const SessionClock& clock() const { return walk_.clock(); }

  // The inputs (checked by the caller; the session has started, unless Start, and has not
  // finished; `now` is not before the last input).
  void Start(int64_t now);
  void Tick(int64_t now) {
    walk_.clock().last_input = now;
    // The common case, a tick with nothing due: a few comparisons.
    if (!walk_.clock().paused && now >= walk_.Deadline()) walk_.RunUntil(now);
  }
  // REQUIRES: not SKIP or REP_DONE while paused.
  void Signal(v1::Signal signal, int64_t now);
  // `value` and `side` as Session::Report normalizes them (asymmetry: value is the side). May
  // throw bad_alloc before it changes anything.
  void Report(v1::ReportKind kind, int32_t value, v1::Side side, int64_t now,
              absl::string_view location);
  // The host's speech of cue `cue_id` really ended at `now`; false when the plan has no cue of
  // that id (a report of a cue that is not the one being said changes nothing).
  bool SpeechEnded(absl::string_view cue_id, int64_t now);

  bool Poll(Event* out);
  int64_t NextDeadline() const;
  size_t Pending() const { return queue_.size(); }
  // The record so far, into *out (reusing its memory).
  void FillRecord(v1::SessionRecord* out) const;

  // The parts, for snapshots (src/session/snapshot.cc).
  EventQueue& queue() { return queue_; }
  const EventQueue& queue() const { return queue_; }
  SpeechScheduler& speech() { return speech_; }
  const SpeechScheduler& speech() const { return speech_; }
  SessionRecorder& recorder() { return recorder_; }
  const SessionRecorder& recorder() const { return recorder_; }
  StageWalk& walk() { return walk_; }
  const StageWalk& walk() const { return walk_; }
  // How many of the record's reports took effect (reports made while paused wait for resume).
  uint32_t reports_applied() const { return reports_applied_; }
  void set_reports_applied(uint32_t applied) { reports_applied_ = applied; }

 private:
  void ApplyReport(const v1::ReportRecord& report, int64_t t);
  void Asymmetry(v1::Side takes_over);
  void SafetyStop(int64_t t, int32_t pain);
  // Reports made while paused take effect on resume.
  void ApplyWaitingReports(int64_t t);

  std::shared_ptr<const PreparedPlan> plan_;
  EventQueue queue_;
  SessionRecorder recorder_;
  SpeechScheduler speech_{&queue_, &recorder_.proto()};
  StageWalk walk_{&queue_, &speech_, &recorder_};
  uint32_t reports_applied_ = 0;
};

}  // namespace regimen::session_internal

#endif  // REGIMEN_SRC_SESSION_ENGINE_H_
