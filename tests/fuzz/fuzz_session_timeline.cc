// Fuzzes the nominal-run fast path (session_internal::Timeline) against the full engine:
// FuzzedDataProvider drives two sessions of one prepared plan, one that may follow the plan's
// nominal run and one that may not, with the same random starts, ticks, signals, reports (with
// random, sometimes backwards or out-of-range times), polls of part of the queue, records and
// snapshots, and checks after every call that they cannot be told apart: the same status, the
// same events field by field, Pending, NextDeadline and Finished, the same record and snapshot.
// Reports are biased toward the ones that keep a session on its nominal run (pain 0..3, effort).
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "fuzz_check.h"
#include "fuzz_event.h"
#include "regimen/catalog.h"
#include "regimen/format.h"
#include "regimen/plan.h"
#include "regimen/session.h"
#include "src/session/prepared_plan.h"

namespace {

using regimen::Event;
using regimen::Session;
using regimen::session_internal::SetTimelineMode;
using regimen::session_internal::TimelineMode;

const std::shared_ptr<const regimen::PreparedPlan>& Plan(int which) {
  static const std::shared_ptr<const regimen::PreparedPlan>* const plans = [] {
    const regimen::Catalog& pack = regimen::Catalog::Default();
    auto* out = new std::shared_ptr<const regimen::PreparedPlan>[2];
    const char* ids[] = {"back_basics", "back_basics_plus"};
    for (int i = 0; i < 2; ++i) {
      const regimen::v1::Routine* routine = pack.FindRoutine(ids[i]);
      FUZZ_CHECK(routine != nullptr, "no %s in the default pack", ids[i]);
      auto plan = regimen::CompilePlan(pack, *routine, {});
      FUZZ_CHECK(plan.ok(), "%s", plan.status().ToString().c_str());
      auto prepared = Session::Prepare(*std::move(plan));
      FUZZ_CHECK(prepared.ok(), "%s", prepared.status().ToString().c_str());
      out[i] = *std::move(prepared);
    }
    return out;
  }();
  return plans[which];
}

void Same(Session& full, Session& fast, const char* after) {
  FUZZ_CHECK(full.Pending() == fast.Pending(), "Pending %zu vs %zu after %s", full.Pending(),
             fast.Pending(), after);
  FUZZ_CHECK(full.NextDeadline() == fast.NextDeadline(), "NextDeadline %lld vs %lld after %s",
             static_cast<long long>(full.NextDeadline()),
             static_cast<long long>(fast.NextDeadline()), after);
  FUZZ_CHECK(full.Finished() == fast.Finished(), "Finished differs after %s", after);
}

void PollBoth(Session& full, Session& fast, int n) {
  for (int i = 0; i < n; ++i) {
    Event a, b;
    const bool got_a = full.Poll(&a);
    const bool got_b = fast.Poll(&b);
    FUZZ_CHECK(got_a == got_b, "one polled an event, the other not");
    if (!got_a) return;
    const std::string da = DescribeEvent(a), db = DescribeEvent(b);
    FUZZ_CHECK(da == db, "events differ:\n  full: %s\n  fast: %s", da.c_str(), db.c_str());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  const auto& plan = Plan(fdp.ConsumeIntegralInRange<int>(0, 1));
  std::unique_ptr<Session> full = Session::FromPrepared(plan);
  std::unique_ptr<Session> fast = Session::FromPrepared(plan);
  int64_t clock = fdp.ConsumeIntegralInRange<int64_t>(-1000, int64_t{1} << 40);
  const int steps = fdp.ConsumeIntegralInRange<int>(0, 200);
  for (int i = 0; i < steps && fdp.remaining_bytes() > 0; ++i) {
    switch (fdp.ConsumeIntegralInRange<int>(0, 9)) {
      case 0:
        clock -= fdp.ConsumeIntegralInRange<int64_t>(1, 5000);
        break;
      case 1:
        clock += fdp.ConsumeIntegralInRange<int64_t>(0, 3600000);
        break;
      case 2:
      case 3:
      case 4:
        if (full->NextDeadline() >= 0) clock = full->NextDeadline();
        break;
      default:
        clock += fdp.ConsumeIntegralInRange<int64_t>(0, 8000);
    }
    const int op = fdp.ConsumeIntegralInRange<int>(0, 15);
    absl::Status a, b;
    const char* what = "tick";
    if (op == 0) {
      what = "start";
      SetTimelineMode(TimelineMode::kOff);
      a = full->Start(clock);
      SetTimelineMode(TimelineMode::kAlways);
      b = fast->Start(clock);
      SetTimelineMode(TimelineMode::kShared);
    } else if (op <= 7) {
      a = full->Tick(clock);
      b = fast->Tick(clock);
    } else if (op == 8) {
      what = "signal";
      const auto signal = static_cast<regimen::v1::Signal>(fdp.ConsumeIntegralInRange<int>(0, 6));
      a = full->Signal(signal, clock);
      b = fast->Signal(signal, clock);
    } else if (op <= 11) {
      what = "report";
      const int kind = fdp.ConsumeIntegralInRange<int>(0, 5);
      // Pain, effort, pain; then asymmetry, none, and a kind that does not exist.
      const int kinds[] = {1, 3, 1, 2, 0, 7};
      const auto report = static_cast<regimen::v1::ReportKind>(kinds[kind]);
      const int32_t value = fdp.ConsumeIntegralInRange<int32_t>(-1, 11);
      const auto side = static_cast<regimen::v1::Side>(fdp.ConsumeIntegralInRange<int>(0, 3));
      a = full->Report(report, value, side, clock, "back");
      b = fast->Report(report, value, side, clock, "back");
    } else if (op == 12) {
      what = "record";
      FUZZ_CHECK(full->Record().SerializeAsString() == fast->Record().SerializeAsString(),
                 "records differ");
    } else if (op == 13) {
      what = "snapshot";
      auto sa = full->Snapshot(regimen::Format::kBinary);
      auto sb = fast->Snapshot(regimen::Format::kBinary);
      FUZZ_CHECK(sa.ok() && sb.ok(), "snapshot failed");
      FUZZ_CHECK(*sa == *sb, "snapshots differ");
    } else {
      what = "poll";
    }
    FUZZ_CHECK(a == b, "%s: full %s, fast %s", what, a.ToString().c_str(), b.ToString().c_str());
    Same(*full, *fast, what);
    PollBoth(*full, *fast, fdp.ConsumeIntegralInRange<int>(0, 12));
    Same(*full, *fast, "polling");
  }
  PollBoth(*full, *fast, 1 << 20);
  Same(*full, *fast, "the end");
  FUZZ_CHECK(full->Record().SerializeAsString() == fast->Record().SerializeAsString(),
             "records differ at the end");
  return 0;
}
