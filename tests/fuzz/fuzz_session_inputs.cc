// Fuzzes the session engine: FuzzedDataProvider drives random ticks, signals and reports, with
// random (sometimes backwards) times, against the built-in back_basics routine, and checks the
// engine's invariants:
//   - event times never decrease, and nothing follows SESSION_COMPLETED;
//   - nothing is emitted while paused (ticks and reports are silent, NextDeadline is -1; only
//     RESUME or STOP emit);
//   - a failed input changes nothing (pending events and deadline unchanged), time going
//     backwards is INVALID_ARGUMENT and every input after the end is FAILED_PRECONDITION;
//   - a snapshot taken at a random point (in a random format) and restored continues exactly
//     as the original: same statuses, same events, same deadlines, same record.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "fuzz_check.h"
#include "fuzz_event.h"
#include "google/protobuf/util/message_differencer.h"
#include "regimen/catalog.h"
#include "regimen/format.h"
#include "regimen/session.h"

namespace {

using regimen::Event;
using regimen::Session;
using regimen::v1::SessionEvent;

// One session under test and what the checks need to know about it.
struct Tracked {
  std::unique_ptr<Session> session;
  int64_t last_input = INT64_MIN;  // time of the last accepted input
  int64_t last_at = INT64_MIN;     // time of the last polled event
  bool paused = false;             // by the PAUSED / RESUMED events polled
  bool completed = false;          // SESSION_COMPLETED polled
  std::vector<std::string> trace;  // every event polled and every status returned
};

enum class Op { kStart, kTick, kSignal, kReport };

struct Input {
  Op op;
  int64_t now_ms;
  int signal;
  int report;
  int32_t value;
  int side;
};

// Drains the queue, checking times and silence after the end.
void PollAll(Tracked& t) {
  Event event;
  while (t.session->Poll(&event)) {
    FUZZ_CHECK(!t.completed, "event after SESSION_COMPLETED: %s", DescribeEvent(event).c_str());
    FUZZ_CHECK(event.at_ms >= t.last_at, "time went back: %s after %lld",
               DescribeEvent(event).c_str(), static_cast<long long>(t.last_at));
    t.last_at = event.at_ms;
    if (event.type == SessionEvent::PAUSED) t.paused = true;
    if (event.type == SessionEvent::RESUMED) t.paused = false;
    if (event.type == SessionEvent::SESSION_COMPLETED) t.completed = true;
    t.trace.push_back(DescribeEvent(event));
  }
}

absl::Status Apply(Tracked& t, const Input& in) {
  Session& s = *t.session;
  const size_t pending_before = s.Pending();
  const int64_t deadline_before = s.NextDeadline();
  const bool was_paused = t.paused;
  const bool was_finished = s.Finished();
  absl::Status status;
  switch (in.op) {
    case Op::kStart:
      status = s.Start(in.now_ms);
      break;
    case Op::kTick:
      status = s.Tick(in.now_ms);
      break;
    case Op::kSignal:
      status = s.Signal(static_cast<regimen::v1::Signal>(in.signal), in.now_ms);
      break;
    case Op::kReport:
      status = s.Report(static_cast<regimen::v1::ReportKind>(in.report), in.value,
                        static_cast<regimen::v1::Side>(in.side), in.now_ms);
      break;
  }
  if (!status.ok()) {
    FUZZ_CHECK(s.Pending() == pending_before && s.NextDeadline() == deadline_before,
               "a failed input changed the session: %s", status.ToString().c_str());
    FUZZ_CHECK(!status.message().empty(), "error without a message");
    if (was_finished) {
      FUZZ_CHECK(status.code() == absl::StatusCode::kFailedPrecondition, "input after the end: %s",
                 status.ToString().c_str());
    }
  } else {
    FUZZ_CHECK(!was_finished || in.op == Op::kStart, "input accepted after the end");
    FUZZ_CHECK(in.op == Op::kStart || t.last_input == INT64_MIN || in.now_ms >= t.last_input,
               "time going backwards accepted: %lld after %lld", static_cast<long long>(in.now_ms),
               static_cast<long long>(t.last_input));
    t.last_input = in.now_ms;
  }
  if (in.op != Op::kStart && t.last_input != INT64_MIN && in.now_ms < t.last_input) {
    // Backwards time is refused: as an argument error, unless the call was not allowed anyway.
    FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument ||
                   status.code() == absl::StatusCode::kFailedPrecondition,
               "backwards time: %s", status.ToString().c_str());
  }
  const size_t pending_after = s.Pending();
  if (was_paused) {
    const bool may_emit = in.op == Op::kSignal && (in.signal == regimen::v1::SIGNAL_RESUME ||
                                                   in.signal == regimen::v1::SIGNAL_STOP);
    if (!may_emit) {
      FUZZ_CHECK(pending_after == pending_before, "emitted while paused (op %d)",
                 static_cast<int>(in.op));
    }
    if (status.ok() && !may_emit) {
      FUZZ_CHECK(s.NextDeadline() == -1, "a deadline while paused");
    }
  }
  t.trace.push_back(status.ToString());
  PollAll(t);
  return status;
}

Input NextInput(FuzzedDataProvider& fdp, int64_t& clock) {
  Input in{};
  in.op = static_cast<Op>(fdp.ConsumeIntegralInRange<int>(0, 3));
  // Mostly forward steps of up to a minute, sometimes a long gap, sometimes backwards.
  switch (fdp.ConsumeIntegralInRange<int>(0, 7)) {
    case 0:
      clock -= fdp.ConsumeIntegralInRange<int64_t>(1, 10000);
      break;
    case 1:
      clock += fdp.ConsumeIntegralInRange<int64_t>(0, 3600000);
      break;
    default:
      clock += fdp.ConsumeIntegralInRange<int64_t>(0, 60000);
  }
  in.now_ms = clock;
  in.signal = fdp.ConsumeIntegralInRange<int>(0, 6);
  in.report = fdp.ConsumeIntegralInRange<int>(0, 4);
  in.value = fdp.ConsumeIntegralInRange<int32_t>(-2, 12);
  in.side = fdp.ConsumeIntegralInRange<int>(0, 3);
  return in;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const regimen::v1::Routine* const routine =
      regimen::Catalog::Default().FindRoutine("back_basics");
  FUZZ_CHECK(routine != nullptr, "no back_basics in the default pack");
  FuzzedDataProvider fdp(data, size);

  auto created = Session::Create(regimen::Catalog::Default(), *routine);
  FUZZ_CHECK(created.ok(), "%s", created.status().ToString().c_str());
  Tracked a;
  a.session = std::move(*created);

  const int inputs = fdp.ConsumeIntegralInRange<int>(0, 64);
  const int snapshot_at = fdp.ConsumeIntegralInRange<int>(0, inputs);
  const auto snapshot_format = static_cast<regimen::Format>(fdp.ConsumeIntegralInRange<int>(0, 2));
  int64_t clock = fdp.ConsumeIntegralInRange<int64_t>(-1000000, 1000000);
  std::unique_ptr<Tracked> b;

  for (int i = 0; i <= inputs; ++i) {
    if (i == snapshot_at) {
      absl::StatusOr<std::string> bytes = a.session->Snapshot(snapshot_format);
      FUZZ_CHECK(bytes.ok(), "snapshot: %s", bytes.status().ToString().c_str());
      auto restored = Session::Restore(*bytes, snapshot_format);
      FUZZ_CHECK(restored.ok(), "restore: %s", restored.status().ToString().c_str());
      b = std::make_unique<Tracked>();
      b->session = std::move(*restored);
      b->last_input = a.last_input;
      b->last_at = a.last_at;
      b->paused = a.paused;
      b->completed = a.completed;
      FUZZ_CHECK(b->session->NextDeadline() == a.session->NextDeadline(), "deadline differs");
      FUZZ_CHECK(b->session->Finished() == a.session->Finished(), "finished differs");
      a.trace.clear();
    }
    if (i == inputs) break;
    const Input in = NextInput(fdp, clock);
    const absl::Status sa = Apply(a, in);
    if (b) {
      const absl::Status sb = Apply(*b, in);
      FUZZ_CHECK(sa == sb, "restored session answered %s, original %s", sb.ToString().c_str(),
                 sa.ToString().c_str());
    }
  }

  // Run both to the end (or until nothing is timed) and compare.
  for (Tracked* t : {&a, b.get()}) {
    for (int step = 0; step < 1000 && !t->session->Finished(); ++step) {
      const int64_t deadline = t->session->NextDeadline();
      if (deadline < 0) break;
      Input tick{Op::kTick, deadline, 0, 0, 0, 0};
      FUZZ_CHECK(Apply(*t, tick).ok(), "tick at the deadline failed");
    }
  }
  FUZZ_CHECK(a.trace == b->trace, "restored session diverged (%zu vs %zu entries)", a.trace.size(),
             b->trace.size());
  FUZZ_CHECK(
      google::protobuf::util::MessageDifferencer::Equals(a.session->Record(), b->session->Record()),
      "records differ");
  return 0;
}
