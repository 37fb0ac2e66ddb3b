// RunScript: a SessionScript played on a session on a virtual clock.
#include "absl/strings/str_cat.h"
#include "regimen/session.h"

namespace regimen {

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
        case v1::SessionInput::kSpeechEnded:
          status = session.SpeechEnded(input.speech_ended(), input.at_ms());
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
