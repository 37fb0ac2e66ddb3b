// Regimen's benchmarks (issue 7): the cost of ticking, of a whole session against a hand-written
// lower bound, of snapshots, catalog parsing, generation and progression, and how each grows
// with the routine's length. docs/performance.md has the figures and the commands.
//
// Allocation counting: this binary replaces the global operator new, so a benchmark can report
// how many allocations happened inside its timed region (`allocs_per_tick`).
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "regimen/catalog.h"
#include "regimen/generator.h"
#include "regimen/l10n.h"
#include "regimen/plan.h"
#include "regimen/progression.h"
#include "regimen/regimen.h"
#include "regimen/session.h"

namespace {
std::atomic<int64_t> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace regimen::internal {
extern const unsigned char kDefaultCatalogData[];
extern const std::size_t kDefaultCatalogSize;
}  // namespace regimen::internal

namespace {

using regimen::Catalog;
using regimen::Event;
using regimen::Session;

void Check(const absl::Status& status, benchmark::State& state) {
  if (!status.ok()) state.SkipWithError(std::string(status.message()).c_str());
}

const regimen::v1::Routine& DefaultRoutine() {
  static const regimen::v1::Routine* routine = Catalog::Default().FindRoutine("back_basics");
  return *routine;
}

// A routine of `blocks` blocks: the primer (every routine starts with it), then blocks cycling
// through the core exercises of the default pack, each at its default prescription with a short
// rest between blocks.
regimen::v1::Routine RoutineOfBlocks(int blocks) {
  const char* kExercises[] = {"prone_lift", "prone_leg_lift", "prone_opposite_lift"};
  regimen::v1::Routine routine;
  routine.set_id(absl::StrCat("blocks_", blocks));
  routine.set_name(routine.id());
  for (int i = 0; i < blocks; ++i) {
    regimen::v1::Block* block = routine.add_blocks();
    block->set_exercise_id(i == 0 ? "grow_through_spine" : kExercises[(i - 1) % 3]);
    block->set_rest_after_ms(5000);
  }
  return routine;
}

regimen::v1::Plan PlanFor(const regimen::v1::Routine& routine, const std::string& locale = "") {
  regimen::v1::SessionOptions options;
  options.set_locale(locale);
  auto plan = regimen::CompilePlan(Catalog::Default(), routine, options);
  if (!plan.ok()) {
    std::fprintf(stderr, "CompilePlan: %s\n", std::string(plan.status().message()).c_str());
    std::abort();
  }
  return *std::move(plan);
}

std::unique_ptr<Session> NewSession(const regimen::v1::Plan& plan) {
  auto session = Session::FromPlan(plan);
  if (!session.ok()) std::abort();
  return *std::move(session);
}

// Drains the queue, folding every event into a value the optimizer cannot drop.
inline int64_t Drain(Session& session) {
  Event event;
  int64_t sum = 0;
  while (session.Poll(&event)) sum += event.at_ms + static_cast<int64_t>(event.text[0]);
  return sum;
}

// Runs a started session from deadline to deadline to SESSION_COMPLETED, polling every event as
// it comes; returns a value folded from them and adds how many were polled to *events.
inline int64_t RunToEnd(Session& session, int64_t* events) {
  int64_t sum = 0;
  Event event;
  while (!session.Finished()) {
    (void)session.Tick(session.NextDeadline());
    while (session.Poll(&event)) {
      sum += event.at_ms;
      ++*events;
    }
  }
  return sum;
}

void BM_TickIdle(benchmark::State& state) {
  std::unique_ptr<Session> session = NewSession(PlanFor(DefaultRoutine()));
  Check(session->Start(0), state);
  Drain(*session);
  const int64_t now = session->NextDeadline() - 1;  // strictly before anything is due
  Check(session->Tick(now), state);
  const int64_t before = g_allocations.load();
  for (auto _ : state) {
    benchmark::DoNotOptimize(session->Tick(now).ok());
  }
  state.counters["allocs_per_tick"] = benchmark::Counter(
      static_cast<double>(g_allocations.load() - before) / static_cast<double>(state.iterations()));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TickIdle);

// A tick at the next deadline: crosses at least one transition and emits its events, which are
// polled. Sessions are re-created (outside the timed region) when one finishes.
void TickTransition(benchmark::State& state, const regimen::v1::Plan& plan) {
  std::unique_ptr<Session> session = NewSession(plan);
  Check(session->Start(0), state);
  Drain(*session);
  int64_t allocations = 0;
  int64_t events = 0;
  for (auto _ : state) {
    const int64_t before = g_allocations.load(std::memory_order_relaxed);
    const int64_t deadline = session->NextDeadline();
    benchmark::DoNotOptimize(session->Tick(deadline).ok());
    Event event;
    while (session->Poll(&event)) {
      benchmark::DoNotOptimize(event.text);
      ++events;
    }
    allocations += g_allocations.load(std::memory_order_relaxed) - before;
    if (session->Finished()) {
      state.PauseTiming();
      session = NewSession(plan);
      Check(session->Start(0), state);
      Drain(*session);
      state.ResumeTiming();
    }
  }
  state.counters["allocs_per_tick"] = benchmark::Counter(static_cast<double>(allocations) /
                                                         static_cast<double>(state.iterations()));
  state.counters["events_per_tick"] =
      benchmark::Counter(static_cast<double>(events) / static_cast<double>(state.iterations()));
  state.SetItemsProcessed(state.iterations());
}

void BM_TickTransition(benchmark::State& state) {
  TickTransition(state, PlanFor(DefaultRoutine()));
}
BENCHMARK(BM_TickTransition);

void BM_TickTransitionBlocks(benchmark::State& state) {
  TickTransition(state, PlanFor(RoutineOfBlocks(static_cast<int>(state.range(0)))));
}
BENCHMARK(BM_TickTransitionBlocks)->Arg(1)->Arg(10)->Arg(100);

// A whole session, start to SESSION_COMPLETED, jumping from deadline to deadline, every event
// polled: what a host running many sessions of a routine does (Session::Prepare once, one
// session object Reset for each run, nothing allocated per run).
void SimulateSession(benchmark::State& state, const regimen::v1::Plan& plan) {
  auto prepared = Session::Prepare(plan);
  if (!prepared.ok()) std::abort();
  std::unique_ptr<Session> session = Session::FromPrepared(*prepared);
  int64_t events = 0;
  // One run outside the count, so that the session's queue and vectors have their size.
  session->Reset(*prepared);
  (void)session->Start(0);
  RunToEnd(*session, &events);
  events = 0;
  const int64_t before = g_allocations.load();
  for (auto _ : state) {
    session->Reset(*prepared);
    (void)session->Start(0);
    int64_t sum = 0;
    Event event;
    while (session->Poll(&event)) sum += event.at_ms;
    sum += RunToEnd(*session, &events);
    benchmark::DoNotOptimize(sum);
  }
  state.counters["allocs_per_session"] = benchmark::Counter(
      static_cast<double>(g_allocations.load() - before) / static_cast<double>(state.iterations()));
  state.counters["events_per_session"] =
      benchmark::Counter(static_cast<double>(events) / static_cast<double>(state.iterations()));
  state.SetItemsProcessed(state.iterations());
}

void BM_SimulateSession_back_basics(benchmark::State& state) {
  SimulateSession(state, PlanFor(DefaultRoutine()));
}
BENCHMARK(BM_SimulateSession_back_basics)->Name("BM_SimulateSession/back_basics");

// The same session in German and Spanish: a localized plan runs as fast as the source's.
void BM_SimulateSessionLocale(benchmark::State& state) {
  SimulateSession(state, PlanFor(DefaultRoutine(), state.range(0) == 0 ? "de" : "es"));
}
BENCHMARK(BM_SimulateSessionLocale)->Arg(0)->Arg(1)->ArgName("de0_es1");

// CompilePlan of back_basics in a locale (the translations were laid over the pack when it was
// parsed, so this is the source's compile plus the locale lookup).
void BM_CompilePlanLocale(benchmark::State& state) {
  const regimen::v1::Routine routine = DefaultRoutine();
  regimen::v1::SessionOptions options;
  if (state.range(0) == 1) options.set_locale("de-AT");
  for (auto _ : state) {
    auto plan = regimen::CompilePlan(Catalog::Default(), routine, options);
    benchmark::DoNotOptimize(plan);
  }
}
BENCHMARK(BM_CompilePlanLocale)->Arg(0)->Arg(1)->ArgName("source0_deAT1");

void BM_SimulateSessionBlocks(benchmark::State& state) {
  SimulateSession(state, PlanFor(RoutineOfBlocks(static_cast<int>(state.range(0)))));
}
BENCHMARK(BM_SimulateSessionBlocks)->Arg(1)->Arg(10)->Arg(100);

// A whole session made from a plan prepared once and shared (Session::FromPrepared inside the
// timed region): creation, the run to SESSION_COMPLETED, destruction.
void SimulateSessionPrepared(benchmark::State& state, const regimen::v1::Plan& plan) {
  auto prepared = Session::Prepare(plan);
  if (!prepared.ok()) std::abort();
  int64_t events = 0;
  for (auto _ : state) {
    std::unique_ptr<Session> session = Session::FromPrepared(*prepared);
    (void)session->Start(0);
    int64_t sum = 0;
    Event event;
    while (session->Poll(&event)) sum += event.at_ms;
    sum += RunToEnd(*session, &events);
    benchmark::DoNotOptimize(sum);
  }
  state.counters["events_per_session"] =
      benchmark::Counter(static_cast<double>(events) / static_cast<double>(state.iterations()));
  state.SetItemsProcessed(state.iterations());
}

void BM_SimulateSessionPrepared_back_basics(benchmark::State& state) {
  SimulateSessionPrepared(state, PlanFor(DefaultRoutine()));
}
BENCHMARK(BM_SimulateSessionPrepared_back_basics)->Name("BM_SimulateSessionPrepared/back_basics");

// The lower bound: a minimal hand-written timer over the same flattened timeline the engine
// walks (the same events at the same times, the same cue texts handed out), with none of the
// engine's features: no pause, skip, reports, speech scheduling, snapshots or records. Like the
// engine, it is driven by the host through tick(deadline) and hands out Event structs through a
// queue that the host polls. Every step is handled alike: once its time has come, its event is
// queued, and that is all the lower bound does per event.
class BaselineTimer {
 public:
  // `steps` in time order, each emitted at its at_ms.
  explicit BaselineTimer(const std::vector<Event>* steps) : steps_(steps) {}
  int64_t next_deadline() const { return next_ < steps_->size() ? (*steps_)[next_].at_ms : -1; }
  bool finished() const { return next_ >= steps_->size() && head_ == tail_; }
  void tick(int64_t now) {
    while (next_ < steps_->size() && (*steps_)[next_].at_ms <= now) {
      queue_[tail_++ % kQueue] = (*steps_)[next_++];
    }
  }
  bool poll(Event* out) {
    if (head_ == tail_) return false;
    *out = queue_[head_++ % kQueue];
    return true;
  }

 private:
  static constexpr size_t kQueue = 64;
  const std::vector<Event>* steps_;  // strings borrowed from the engine's plan
  size_t next_ = 0;
  size_t head_ = 0;
  size_t tail_ = 0;
  Event queue_[kQueue];
};

void BM_Baseline_SimulateSession(benchmark::State& state) {
  // Flatten the engine's own run of back_basics into steps once (the plan, expanded).
  std::unique_ptr<Session> session = NewSession(PlanFor(DefaultRoutine()));
  (void)session->Start(0);
  std::vector<Event> steps;
  auto take = [&] {
    Event event;
    while (session->Poll(&event)) steps.push_back(event);
  };
  take();
  while (!session->Finished()) {
    (void)session->Tick(session->NextDeadline());
    take();
  }
  int64_t events = 0;
  for (auto _ : state) {
    BaselineTimer timer(&steps);
    timer.tick(0);
    int64_t sum = 0;
    Event event;
    while (!timer.finished()) {
      while (timer.poll(&event)) {
        sum += event.at_ms;
        ++events;
      }
      if (timer.next_deadline() >= 0) timer.tick(timer.next_deadline());
    }
    benchmark::DoNotOptimize(sum);
  }
  state.counters["events_per_session"] =
      benchmark::Counter(static_cast<double>(events) / static_cast<double>(state.iterations()));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Baseline_SimulateSession);

// A session of `plan` some 40 deadlines in (the middle of back_basics), events polled.
std::unique_ptr<Session> SessionMidway(const regimen::v1::Plan& plan) {
  std::unique_ptr<Session> session = NewSession(plan);
  (void)session->Start(0);
  Drain(*session);
  for (int i = 0; i < 40 && !session->Finished(); ++i) {
    (void)session->Tick(session->NextDeadline());
    Drain(*session);
  }
  return session;
}

// Snapshot plus restore, each iteration of the next of `sessions` in turn.
void SnapshotRestoreEach(benchmark::State& state,
                         const std::vector<std::unique_ptr<Session>>& sessions) {
  size_t next = 0;
  size_t bytes = 0;
  for (auto _ : state) {
    auto snapshot = sessions[next]->Snapshot(regimen::Format::kBinary);
    next = (next + 1) % sessions.size();
    if (!snapshot.ok()) {
      state.SkipWithError("snapshot failed");
      break;
    }
    bytes = snapshot->size();
    auto restored = Session::Restore(*snapshot, regimen::Format::kBinary);
    if (!restored.ok()) {
      state.SkipWithError(std::string(restored.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(restored->get());
  }
  state.counters["snapshot_bytes"] = static_cast<double>(bytes);
  state.SetItemsProcessed(state.iterations());
}

// Snapshot of a session in the middle of back_basics, then restore.
void SnapshotRestore(benchmark::State& state, const regimen::v1::Plan& plan) {
  std::vector<std::unique_ptr<Session>> sessions;
  sessions.push_back(SessionMidway(plan));
  SnapshotRestoreEach(state, sessions);
}

void BM_SnapshotRestore(benchmark::State& state) {
  SnapshotRestore(state, PlanFor(DefaultRoutine()));
}
BENCHMARK(BM_SnapshotRestore);

void BM_SnapshotRestoreBlocks(benchmark::State& state) {
  SnapshotRestore(state, PlanFor(RoutineOfBlocks(static_cast<int>(state.range(0)))));
}
BENCHMARK(BM_SnapshotRestoreBlocks)->Arg(1)->Arg(10)->Arg(100);

// Snapshot plus restore when the plan is not among the few that Restore keeps prepared (the
// first restore of a plan in a process): nine sessions whose plans differ only in the routine
// name are snapshotted and restored in turn, so every restore parses and validates its plan.
void BM_SnapshotRestoreUncached(benchmark::State& state) {
  std::vector<std::unique_ptr<Session>> sessions;
  for (int i = 0; i < 9; ++i) {
    regimen::v1::Plan plan = PlanFor(DefaultRoutine());
    plan.set_routine_name(absl::StrCat("Back basics ", i));
    sessions.push_back(SessionMidway(plan));
  }
  SnapshotRestoreEach(state, sessions);
}
BENCHMARK(BM_SnapshotRestoreUncached);

// The embedded pack's bytes, as the library parses them for Catalog::Default().
absl::string_view DefaultPackBytes() {
  return absl::string_view(reinterpret_cast<const char*>(regimen::internal::kDefaultCatalogData),
                           regimen::internal::kDefaultCatalogSize);
}

// The embedded pack parsed afresh; nullopt (and the benchmark stopped) when it does not parse.
std::optional<Catalog> ParseDefaultPack(benchmark::State& state) {
  absl::StatusOr<Catalog> catalog = Catalog::Parse(DefaultPackBytes(), regimen::Format::kBinary);
  if (!catalog.ok()) {
    state.SkipWithError("parse failed");
    return std::nullopt;
  }
  return *std::move(catalog);
}

void BM_CatalogParseDefault(benchmark::State& state) {
  for (auto _ : state) {
    std::optional<Catalog> catalog = ParseDefaultPack(state);
    if (!catalog.has_value()) break;
    benchmark::DoNotOptimize(catalog->proto().exercises_size());
  }
  state.counters["bytes"] = static_cast<double>(DefaultPackBytes().size());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CatalogParseDefault);

// What a host pays the first time it uses a locale of a freshly parsed pack: the parse, then the
// German translation laid over it (Catalog::Localize, once per catalog and locale). The
// difference to BM_CatalogParseDefault is the first use's own cost.
void BM_CatalogParseAndFirstLocalize(benchmark::State& state) {
  for (auto _ : state) {
    std::optional<Catalog> catalog = ParseDefaultPack(state);
    if (!catalog.has_value()) break;
    auto german = catalog->Localize("de");
    if (!german.ok() || german->locale != "de") {
      state.SkipWithError("no German");
      break;
    }
    benchmark::DoNotOptimize(german->catalog.proto().exercises_size());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CatalogParseAndFirstLocalize);

regimen::v1::Profile BenchProfile() {
  regimen::v1::Profile profile;
  profile.set_minutes_per_week(10);
  profile.set_sessions_per_week(2);
  profile.set_seed(42);
  profile.set_time_zone("UTC");
  return profile;
}

void BM_GenerateRoutine(benchmark::State& state) {
  const Catalog& catalog = Catalog::Default();
  const regimen::v1::Profile profile = BenchProfile();
  for (auto _ : state) {
    auto routine = regimen::GenerateRoutine(catalog, profile);
    if (!routine.ok()) {
      state.SkipWithError(std::string(routine.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(routine->blocks_size());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GenerateRoutine);

// A decision over 10 records of real back_basics sessions; the Locale variant writes it in
// German for the profile's "de-AT" (the localized pack looked up, the templates translated).
void ProgressBench(benchmark::State& state, const char* locale) {
  const Catalog& catalog = Catalog::Default();
  regimen::v1::ProgressRequest request;
  *request.mutable_routine() = DefaultRoutine();
  *request.mutable_profile() = BenchProfile();
  request.mutable_profile()->set_locale(locale);
  const regimen::v1::Plan plan = PlanFor(DefaultRoutine());
  for (int i = 0; i < 10; ++i) {
    std::unique_ptr<Session> session = NewSession(plan);
    (void)session->Start(0);
    Drain(*session);
    int64_t events = 0;
    RunToEnd(*session, &events);
    *request.add_records() = session->Record();
  }
  for (auto _ : state) {
    auto decision = regimen::Progress(catalog, request);
    if (!decision.ok()) {
      state.SkipWithError(std::string(decision.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(decision->changes_size());
  }
  state.SetItemsProcessed(state.iterations());
}
void BM_Progress(benchmark::State& state) { ProgressBench(state, ""); }
BENCHMARK(BM_Progress);
void BM_ProgressLocale(benchmark::State& state) { ProgressBench(state, "de-AT"); }
BENCHMARK(BM_ProgressLocale);

// A whole session through the C API, as a binding drives it: rgm_session_new from the routine's
// bytes, start, tick from deadline to deadline, every event polled, free. One catalog handle for
// every session, so from the second on the plan is the one the handle keeps for those bytes
// (bindings/c/plan_cache.h); the Uncached variant makes a new handle for each session, so every
// session parses and compiles its routine (the cost before the cache: issue 17). The JS
// package's bench (bindings/js/bench/session_bench.mjs) does the same through WebAssembly.
void CApiSimulateSession(benchmark::State& state, bool fresh_handle) {
  rgm_catalog* catalog = nullptr;
  rgm_buffer routine = {nullptr, 0};
  if (rgm_catalog_default(&catalog) != RGM_OK ||
      rgm_catalog_routine(catalog, "back_basics", RGM_FORMAT_BINARY, &routine) != RGM_OK) {
    state.SkipWithError(rgm_last_error());
    return;
  }
  int64_t events = 0;
  for (auto _ : state) {
    if (fresh_handle) {
      rgm_catalog_free(catalog);
      (void)rgm_catalog_default(&catalog);
    }
    rgm_session* session = nullptr;
    if (rgm_session_new(catalog, routine.data, routine.size, RGM_FORMAT_BINARY, &session) !=
        RGM_OK) {
      state.SkipWithError(rgm_last_error());
      break;
    }
    rgm_event event;
    event.struct_size = sizeof event;
    int64_t sum = 0;
    (void)rgm_session_start(session, 0);
    for (;;) {
      while (rgm_session_poll(session, &event)) {
        sum += event.at_ms;
        ++events;
      }
      if (rgm_session_finished(session)) break;
      (void)rgm_session_tick(session, rgm_session_next_deadline(session));
    }
    benchmark::DoNotOptimize(sum);
    rgm_session_free(session);
  }
  state.counters["events_per_session"] =
      benchmark::Counter(static_cast<double>(events) / static_cast<double>(state.iterations()));
  rgm_buffer_free(&routine);
  rgm_catalog_free(catalog);
  state.SetItemsProcessed(state.iterations());
}
void BM_CApiSimulateSession(benchmark::State& state) { CApiSimulateSession(state, false); }
BENCHMARK(BM_CApiSimulateSession)->Name("BM_CApiSimulateSession/back_basics");
void BM_CApiSimulateSessionUncached(benchmark::State& state) { CApiSimulateSession(state, true); }
BENCHMARK(BM_CApiSimulateSessionUncached)->Name("BM_CApiSimulateSessionUncached/back_basics");

// rgm_session_new + rgm_session_free alone, with the handle's plan (Cached) and with a new handle
// each time (the routine parsed and compiled each time), and the new handle alone.
void CApiSessionNew(benchmark::State& state, bool fresh_handle) {
  rgm_catalog* catalog = nullptr;
  rgm_buffer routine = {nullptr, 0};
  if (rgm_catalog_default(&catalog) != RGM_OK ||
      rgm_catalog_routine(catalog, "back_basics", RGM_FORMAT_BINARY, &routine) != RGM_OK) {
    state.SkipWithError(rgm_last_error());
    return;
  }
  for (auto _ : state) {
    if (fresh_handle) {
      rgm_catalog_free(catalog);
      (void)rgm_catalog_default(&catalog);
    }
    rgm_session* session = nullptr;
    if (rgm_session_new(catalog, routine.data, routine.size, RGM_FORMAT_BINARY, &session) !=
        RGM_OK) {
      state.SkipWithError(rgm_last_error());
      break;
    }
    rgm_session_free(session);
  }
  rgm_buffer_free(&routine);
  rgm_catalog_free(catalog);
  state.SetItemsProcessed(state.iterations());
}
void BM_CApiSessionNewCached(benchmark::State& state) { CApiSessionNew(state, false); }
BENCHMARK(BM_CApiSessionNewCached)->Name("BM_CApiSessionNew/cached");
void BM_CApiSessionNewUncached(benchmark::State& state) { CApiSessionNew(state, true); }
BENCHMARK(BM_CApiSessionNewUncached)->Name("BM_CApiSessionNew/uncached");
void BM_CApiCatalogHandle(benchmark::State& state) {
  for (auto _ : state) {
    rgm_catalog* catalog = nullptr;
    (void)rgm_catalog_default(&catalog);
    rgm_catalog_free(catalog);
  }
}
BENCHMARK(BM_CApiCatalogHandle);

}  // namespace

BENCHMARK_MAIN();
