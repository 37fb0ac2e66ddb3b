// The soak run (label `soak`, not in the default run; `scripts/test --soak`): 100,000 sessions
// of back_basics through the C API on 2 threads, each driven by random inputs (ticks, pauses,
// skips, pain, asymmetry and effort reports), every fifth one snapshotted mid-way in a random
// format and restored. Checks every status is one the contract allows, event times never go
// back, nothing follows SESSION_COMPLETED, every session finishes, and memory stays flat: the
// resident set grows by less than 1 MiB between the warm-up (the first 10% of sessions) and the
// end. Prints the figures docs/reliability.md quotes.
//
//   capi_soak [SESSIONS] [THREADS]     defaults 100000 and 2
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "regimen/regimen.h"

namespace {

std::atomic<long> failures{0};

#define SOAK_CHECK(cond, ...)                                           \
  do {                                                                  \
    if (!(cond)) {                                                      \
      if (failures.fetch_add(1) < 20) {                                 \
        std::fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, #cond); \
        std::fprintf(stderr, __VA_ARGS__);                              \
        std::fprintf(stderr, "\n");                                     \
      }                                                                 \
    }                                                                   \
  } while (0)

long ResidentKiB() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

bool Allowed(rgm_status status) {
  // A random input may come while paused (skip), after the end, or be out of range; never
  // anything else (no INTERNAL, no RESOURCE_EXHAUSTED with memory to spare).
  return status == RGM_OK || status == RGM_FAILED_PRECONDITION || status == RGM_INVALID_ARGUMENT;
}

struct Totals {
  long sessions = 0;
  long events = 0;
  long restores = 0;
};

// Polls every event, checking order; returns false once SESSION_COMPLETED was seen.
void Drain(rgm_session* session, int64_t* last_at, bool* completed, Totals* totals) {
  rgm_event event;
  event.struct_size = sizeof event;
  while (rgm_session_poll(session, &event) == 1) {
    ++totals->events;
    SOAK_CHECK(!*completed, "an event after SESSION_COMPLETED: %d", event.type);
    SOAK_CHECK(event.at_ms >= *last_at, "time went back: %" PRId64 " after %" PRId64, event.at_ms,
               *last_at);
    *last_at = event.at_ms;
    if (event.type == RGM_EVENT_SESSION_COMPLETED) *completed = true;
  }
}

rgm_session* SnapshotAndRestore(rgm_session* session, std::mt19937_64& random) {
  const rgm_format format = static_cast<rgm_format>(random() % 3);
  rgm_buffer bytes = {nullptr, 0};
  if (rgm_session_snapshot(session, format, &bytes) != RGM_OK) {
    SOAK_CHECK(false, "snapshot: %s", rgm_last_error());
    return session;
  }
  rgm_session* restored = nullptr;
  const rgm_status status = rgm_session_restore(bytes.data, bytes.size, format, &restored);
  rgm_buffer_free(&bytes);
  SOAK_CHECK(status == RGM_OK, "restore: %s", rgm_last_error());
  if (status != RGM_OK) return session;
  rgm_session_free(session);
  return restored;
}

void RandomInput(rgm_session* session, int64_t now, std::mt19937_64& random) {
  const unsigned roll = static_cast<unsigned>(random() % 100);
  rgm_status status = RGM_OK;
  if (roll < 4) {
    status = rgm_session_signal(session, RGM_SIGNAL_PAUSE, now);
  } else if (roll < 10) {
    status = rgm_session_signal(session, RGM_SIGNAL_RESUME, now);
  } else if (roll < 12) {
    status = rgm_session_signal(session, RGM_SIGNAL_SKIP, now);
  } else if (roll < 16) {
    // Pain 0..7: mostly easing off, now and then a safety stop.
    status = rgm_session_report(session, RGM_REPORT_PAIN, static_cast<int32_t>(random() % 8),
                                RGM_SIDE_NONE, now);
  } else if (roll < 19) {
    status = rgm_session_report(session, RGM_REPORT_ASYMMETRY, 0,
                                random() % 2 ? RGM_SIDE_LEFT : RGM_SIDE_RIGHT, now);
  } else if (roll < 22) {
    status = rgm_session_report(session, RGM_REPORT_EFFORT, static_cast<int32_t>(random() % 11),
                                RGM_SIDE_NONE, now);
  } else {
    status = rgm_session_tick(session, now);
  }
  SOAK_CHECK(Allowed(status), "input %u at %" PRId64 ": %d %s", roll, now, status,
             rgm_last_error());
}

void RunSession(const rgm_buffer& routine, const rgm_catalog* catalog, long index,
                std::mt19937_64& random, Totals* totals) {
  rgm_session* session = nullptr;
  if (rgm_session_new(catalog, routine.data, routine.size, RGM_FORMAT_BINARY, &session) != RGM_OK) {
    SOAK_CHECK(false, "new: %s", rgm_last_error());
    return;
  }
  SOAK_CHECK(rgm_session_start(session, 0) == RGM_OK, "start: %s", rgm_last_error());
  int64_t now = 0, last_at = 0;
  bool completed = false;
  const bool restore = index % 5 == 0;
  const int restore_at = static_cast<int>(random() % 40);
  for (int step = 0; !rgm_session_finished(session) && step < 5000; ++step) {
    const int64_t deadline = rgm_session_next_deadline(session);
    // Mostly to the next deadline, sometimes a random input a little later.
    if (deadline >= 0 && random() % 4 != 0) {
      now = deadline > now ? deadline : now;
      SOAK_CHECK(rgm_session_tick(session, now) == RGM_OK, "tick: %s", rgm_last_error());
    } else {
      now += static_cast<int64_t>(random() % 3000);
      RandomInput(session, now, random);
      if (deadline < 0 && random() % 2 == 0) rgm_session_signal(session, RGM_SIGNAL_RESUME, now);
    }
    Drain(session, &last_at, &completed, totals);
    if (restore && step == restore_at) {
      session = SnapshotAndRestore(session, random);
      ++totals->restores;
    }
  }
  if (!rgm_session_finished(session)) {
    rgm_session_signal(session, RGM_SIGNAL_STOP, now);
    Drain(session, &last_at, &completed, totals);
  }
  SOAK_CHECK(rgm_session_finished(session) == 1 && completed, "session %ld did not finish", index);
  rgm_buffer record = {nullptr, 0};
  SOAK_CHECK(rgm_session_record(session, RGM_FORMAT_BINARY, &record) == RGM_OK, "record: %s",
             rgm_last_error());
  rgm_buffer_free(&record);
  rgm_session_free(session);
  ++totals->sessions;
}

}  // namespace

int main(int argc, char** argv) {
  const long sessions = argc > 1 ? std::atol(argv[1]) : 100000;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 2;
  rgm_catalog* catalog = nullptr;
  rgm_buffer routine = {nullptr, 0};
  if (rgm_catalog_default(&catalog) != RGM_OK ||
      rgm_catalog_routine(catalog, "back_basics", RGM_FORMAT_BINARY, &routine) != RGM_OK) {
    std::fprintf(stderr, "setup: %s\n", rgm_last_error());
    return 1;
  }
  const long warm_up = sessions / 10;
  std::atomic<long> next{0};
  std::atomic<long> done{0};
  std::atomic<long> warm_kib{0};
  std::vector<Totals> totals(static_cast<size_t>(threads));
  const auto begin = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::mt19937_64 random(0x50a6 + static_cast<uint64_t>(t));
      for (long index; (index = next.fetch_add(1)) < sessions;) {
        RunSession(routine, catalog, index, random, &totals[static_cast<size_t>(t)]);
        if (done.fetch_add(1) + 1 == warm_up) warm_kib = ResidentKiB();
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  const long end_kib = ResidentKiB();
  Totals all;
  for (const Totals& part : totals) {
    all.sessions += part.sessions;
    all.events += part.events;
    all.restores += part.restores;
  }
  const long growth = end_kib - warm_kib.load();
  std::printf(
      "soak: %ld sessions on %d threads in %.1f s (%.0f sessions/s), %ld events, %ld snapshot "
      "restores; resident %ld KiB after the warm-up (%ld sessions), %ld KiB at the end: "
      "growth %ld KiB\n",
      all.sessions, threads, seconds, static_cast<double>(all.sessions) / seconds, all.events,
      all.restores, warm_kib.load(), warm_up, end_kib, growth);
  SOAK_CHECK(all.sessions == sessions, "ran %ld of %ld sessions", all.sessions, sessions);
  SOAK_CHECK(growth < 1024, "resident memory grew by %ld KiB (limit 1024)", growth);
  rgm_buffer_free(&routine);
  rgm_catalog_free(catalog);
  if (failures.load() != 0) {
    std::printf("soak: %ld check(s) failed\n", failures.load());
    return 1;
  }
  std::printf("soak: ok\n");
  return 0;
}
