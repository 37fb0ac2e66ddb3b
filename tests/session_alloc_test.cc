// The hot path allocates nothing: after Start, ticking (idle or across transitions), polling,
// pausing, resuming and NextDeadline make no heap allocation while the host polls. Counted with
// a replacement operator new in this test binary.
#include <atomic>
#include <cstdlib>
#include <new>

#include "gtest/gtest.h"
#include "regimen/session.h"

// GCC 12 cannot see through inlining that the replacement new/delete pair below is matched
// (malloc and free), and warns where the engine's inline calls delete what new made.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace {
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace regimen {
namespace {

TEST(SessionAlloc, SteppingAWholeSessionAllocatesNothing) {
  const Catalog& pack = Catalog::Default();
  for (const char* id : {"back_basics", "back_basics_plus"}) {
    const long at_create = allocations.load();
    v1::SessionOptions attested;  // back_basics_plus holds the gated rock
    attested.add_attestations("spine_flexible_strong_balanced");
    auto session = Session::Create(pack, *pack.FindRoutine(id), attested);
    ASSERT_TRUE(session.ok()) << session.status();
    EXPECT_GT(allocations.load(), at_create);  // the counter counts
    Session& s = **session;
    ASSERT_TRUE(s.Start(0).ok());
    Event event;
    long events = 0;
    const long before = allocations.load();
    while (s.Poll(&event)) ++events;
    bool paused_once = false;
    while (!s.Finished()) {
      const int64_t d = s.NextDeadline();
      if (!s.Tick(d - 1).ok()) break;  // an idle tick: nothing due
      if (!s.Tick(d).ok()) break;
      while (s.Poll(&event)) ++events;
      if (!paused_once && d > 60000) {
        paused_once = true;
        if (!s.Signal(v1::SIGNAL_PAUSE, d).ok() || !s.Signal(v1::SIGNAL_RESUME, d + 5000).ok()) {
          break;
        }
        while (s.Poll(&event)) ++events;
      }
    }
    EXPECT_EQ(allocations.load() - before, 0) << id;
    EXPECT_TRUE(s.Finished()) << id;
    EXPECT_GT(events, 100) << id;
  }
}

}  // namespace
}  // namespace regimen
