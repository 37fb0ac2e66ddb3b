// regimen::Session, the public face of the session engine: it checks every input, hands it to
// the engine (src/session/engine.h) and returns the status. The engine's parts live beside it:
// stage_walk (where the session is and how it moves), speech_scheduler, cue_triggers,
// event_queue, session_record and snapshot.
#include "regimen/session.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "regimen/plan.h"
#include "src/session/engine.h"
#include "src/session/prepared_plan.h"
#include "src/session/snapshot.h"

namespace regimen {
namespace {

using session_internal::Engine;
using session_internal::kMaxTimeMs;

// The longest location a pain report may carry.
constexpr size_t kMaxLocationChars = 200;

absl::Status CheckTime(int64_t now) {
  if (now < 0 || now > kMaxTimeMs) {
    return absl::InvalidArgumentError(absl::StrCat("time ", now, " ms is out of range 0..2^53 ms"));
  }
  return absl::OkStatus();
}

// The checks every input after Start shares.
absl::Status CheckInput(const session_internal::SessionClock& clock, int64_t now) {
  if (!clock.started) return absl::FailedPreconditionError("session not started: call Start first");
  if (clock.finished) return absl::FailedPreconditionError("session already finished");
  if (absl::Status status = CheckTime(now); !status.ok()) return status;
  if (now < clock.last_input) {
    return absl::InvalidArgumentError(
        absl::StrCat("time went backwards: ", now, " ms after ", clock.last_input, " ms"));
  }
  return absl::OkStatus();
}

// A report's value and side, normalized as the engine takes them (asymmetry: value is the side
// that takes over, from `side` or else from `value`).
absl::Status CheckReport(v1::ReportKind kind, int32_t* value, v1::Side* side,
                         absl::string_view location) {
  if (*side < v1::SIDE_UNSPECIFIED || *side > v1::RIGHT) {
    return absl::InvalidArgumentError(absl::StrCat("unknown side ", static_cast<int>(*side)));
  }
  if (location.size() > kMaxLocationChars) {
    return absl::InvalidArgumentError(absl::StrCat(
        "location is ", location.size(), " characters; the limit is ", kMaxLocationChars));
  }
  switch (kind) {
    case v1::REPORT_PAIN:
    case v1::REPORT_EFFORT:
      if (*value < 0 || *value > 10) {
        return absl::InvalidArgumentError(absl::StrCat(kind == v1::REPORT_PAIN ? "pain" : "effort",
                                                       " must be 0..10, got ", *value));
      }
      return absl::OkStatus();
    case v1::REPORT_ASYMMETRY:
      if (*side == v1::SIDE_UNSPECIFIED) {
        if (*value != v1::LEFT && *value != v1::RIGHT) {
          return absl::InvalidArgumentError(absl::StrCat(
              "asymmetry needs the side that takes over (side LEFT or RIGHT, or value 1 or 2), "
              "got value ",
              *value));
        }
        *side = static_cast<v1::Side>(*value);
      }
      *value = *side;
      return absl::OkStatus();
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("unknown report kind ", static_cast<int>(kind)));
  }
}

}  // namespace

const char* EventTypeName(v1::SessionEvent::Type type) {
  if (!v1::SessionEvent::Type_IsValid(type)) return "";
  return v1::SessionEvent::Type_Name(type).c_str();
}

v1::SessionEvent EventToProto(const Event& event) {
  v1::SessionEvent out;
  out.set_type(event.type);
  out.set_at_ms(event.at_ms);
  out.set_block_index(event.block_index);
  out.set_set_index(event.set_index);
  out.set_rep_index(event.rep_index);
  out.set_side(event.side);
  out.set_duration_ms(event.duration_ms);
  out.set_exercise_id(event.exercise_id == nullptr ? "" : event.exercise_id);
  out.set_phase(event.phase == nullptr ? "" : event.phase);
  out.set_cue_id(event.cue_id == nullptr ? "" : event.cue_id);
  out.set_text(event.text == nullptr ? "" : event.text);
  out.set_cue_kind(event.cue_kind);
  out.set_priority(event.priority);
  out.set_speak_ms(event.speak_ms);
  return out;
}

Session::Session(std::unique_ptr<Engine> engine) : engine_(std::move(engine)) {}
Session::~Session() = default;

absl::StatusOr<std::unique_ptr<Session>> Session::Create(const Catalog& catalog,
                                                         const v1::Routine& routine,
                                                         const v1::SessionOptions& options) {
  absl::StatusOr<v1::Plan> plan = CompilePlan(catalog, routine, options);
  if (!plan.ok()) return plan.status();
  // CompilePlan validated the routine and resolved the options: the plan is not checked again.
  return FromPrepared(PreparedPlan::FromCompiled(*std::move(plan)));
}

absl::StatusOr<std::shared_ptr<const PreparedPlan>> Session::Prepare(v1::Plan plan) {
  return PreparedPlan::Make(std::move(plan));
}

std::unique_ptr<Session> Session::FromPrepared(std::shared_ptr<const PreparedPlan> plan) {
  if (plan == nullptr) return nullptr;
  return std::unique_ptr<Session>(new Session(std::make_unique<Engine>(std::move(plan))));
}

bool Session::Reset(std::shared_ptr<const PreparedPlan> plan) {
  if (plan == nullptr) return false;
  engine_->Reset(std::move(plan));
  return true;
}

absl::StatusOr<std::unique_ptr<Session>> Session::FromPlan(v1::Plan plan) {
  absl::StatusOr<std::shared_ptr<const PreparedPlan>> prepared = Prepare(std::move(plan));
  if (!prepared.ok()) return prepared.status();
  return FromPrepared(*std::move(prepared));
}

absl::StatusOr<std::unique_ptr<Session>> Session::Restore(absl::string_view snapshot,
                                                          Format format) {
  absl::StatusOr<std::unique_ptr<Engine>> engine = session_internal::ReadSnapshot(snapshot, format);
  if (!engine.ok()) return engine.status();
  return std::unique_ptr<Session>(new Session(*std::move(engine)));
}

absl::Status Session::Start(int64_t now_ms) {
  if (engine_->clock().started) return absl::FailedPreconditionError("session already started");
  if (absl::Status status = CheckTime(now_ms); !status.ok()) return status;
  engine_->Start(now_ms);
  return absl::OkStatus();
}

absl::Status Session::Tick(int64_t now_ms) {
  const session_internal::SessionClock& clock = engine_->clock();
  // The common case first: a tick of a running session, in time.
  if (clock.started && !clock.finished && now_ms >= clock.last_input && now_ms <= kMaxTimeMs) {
    engine_->Tick(now_ms);
    return absl::OkStatus();
  }
  return CheckInput(clock, now_ms);  // fails: the common case's conditions did not hold
}

absl::Status Session::Signal(v1::Signal signal, int64_t now_ms) {
  if (absl::Status status = CheckInput(engine_->clock(), now_ms); !status.ok()) return status;
  if (signal < v1::SIGNAL_PAUSE || signal > v1::SIGNAL_STOP) {
    return absl::InvalidArgumentError(absl::StrCat("unknown signal ", static_cast<int>(signal)));
  }
  if (engine_->clock().paused && (signal == v1::SIGNAL_SKIP || signal == v1::SIGNAL_REP_DONE)) {
    return absl::FailedPreconditionError(
        absl::StrCat("session is paused: resume before ", v1::Signal_Name(signal)));
  }
  engine_->Signal(signal, now_ms);
  return absl::OkStatus();
}

absl::Status Session::Report(v1::ReportKind kind, int32_t value, v1::Side side, int64_t now_ms,
                             absl::string_view location) {
  if (absl::Status status = CheckInput(engine_->clock(), now_ms); !status.ok()) return status;
  if (absl::Status status = CheckReport(kind, &value, &side, location); !status.ok()) {
    return status;
  }
  engine_->Report(kind, value, side, now_ms, location);
  return absl::OkStatus();
}

absl::Status Session::SpeechEnded(absl::string_view cue_id, int64_t now_ms) {
  const session_internal::SessionClock& clock = engine_->clock();
  // The end of the last cue may be reported after the session finished: nothing left to do.
  if (clock.finished && clock.started) {
    if (absl::Status status = CheckTime(now_ms); !status.ok()) return status;
    return absl::OkStatus();
  }
  if (absl::Status status = CheckInput(clock, now_ms); !status.ok()) return status;
  if (cue_id.empty()) return absl::InvalidArgumentError("cue_id is empty");
  if (!engine_->SpeechEnded(cue_id, now_ms)) {
    return absl::NotFoundError(absl::StrCat("no cue \"", cue_id, "\" in the session's plan"));
  }
  return absl::OkStatus();
}

int64_t Session::NextDeadline() const { return engine_->NextDeadline(); }

bool Session::Finished() const { return engine_->clock().finished; }

bool Session::Poll(Event* out) { return engine_->Poll(out); }

size_t Session::Pending() const { return engine_->Pending(); }

const v1::Plan& Session::plan() const { return engine_->plan().proto(); }

std::shared_ptr<const PreparedPlan> Session::prepared_plan() const {
  return engine_->shared_plan();
}

v1::SessionRecord Session::Record() const {
  v1::SessionRecord record;
  Record(&record);
  return record;
}

void Session::Record(v1::SessionRecord* out) const {
  if (out != nullptr) engine_->FillRecord(out);
}

v1::SessionSnapshot Session::SnapshotProto() const {
  return session_internal::SnapshotProto(*engine_);
}

absl::StatusOr<std::string> Session::Snapshot(Format format) const {
  return session_internal::WriteSnapshot(*engine_, format);
}

}  // namespace regimen
