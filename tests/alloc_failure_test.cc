// Allocation-failure injection, SQLite's way: a replacement operator new in this test binary
// fails the Nth allocation (and, in the persistent mode, every one after it too), for
// N = 1, 2, … until the call succeeds, around each C API call that allocates: catalog parsing
// (binary, JSON, text), the default catalog, session creation, start, ticking through a whole
// session, signals, reports, snapshots (each format), restores (each format), records,
// routine generation and progression. Every injected failure must come back as
// RGM_RESOURCE_EXHAUSTED with no output written, no session state changed (its snapshot is the
// same bytes) and no memory leaked (live allocations counted here; ASan's leak checker too under
// scripts/test --sanitize). Then the same call without injection succeeds.
//
// Everything allocates through operator new: libprotobuf, Abseil and the C++ library of the
// engine resolve it to the replacement below. (malloc itself is not failed: nothing in the
// engine calls it directly, and glibc's own uses are out of scope.)
#include <dlfcn.h>
#include <execinfo.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/regimen.h"

namespace {

// The injector. Only the thread that armed it is affected.
thread_local bool armed = false;
thread_local bool persistent = false;
thread_local long countdown = 0;  // allocations left before the failing one
thread_local bool fired = false;
thread_local long seen = 0;            // allocations of this attempt so far
thread_local long fired_at_index = 0;  // which of them failed first
std::atomic<long> live{0};             // allocations not yet freed, whole process
long protobuf_leaks = 0;  // attempts that leaked inside libprotobuf (see FiredInProtobuf)

// Where the injected failure happened, for the report when a check fails (backtrace() does not
// allocate once it has been called before).
thread_local void* fired_at[48];
thread_local int fired_depth = 0;

// Paths of libprotobuf 3.21 that crash when an allocation inside them throws, so the injector
// never fails an allocation made under them (docs/reliability.md): the JSON printer and the
// JSON parser (util::BinaryToJsonString/Stream behind MessageToJsonString,
// util::JsonToBinaryString/Stream behind JsonStringToMessage) unwind through
// io::CodedOutputStream's destructor, which flushes into the output string that the failed
// allocation left behind: a segmentation fault. Matched by exported symbol prefix.
//
// And one of Abseil 20220623 as Debian builds it: absl::StrFormat's FormatUntyped lets no
// exception out, so a failed allocation while formatting calls std::terminate (the engine uses
// StrFormat for the numbers in progression reasons, src/progression/metrics.cc).
//
// And adding to a repeated message or string field: RepeatedPtrFieldBase::InternalExtend (the
// larger pointer array) and RepeatedPtrField<std::string>::Add (which counts the new element
// before allocating it) leave the field inconsistent when the allocation throws, and its
// destructor then reads a pointer that was never written (ASan's fill pattern shows it: a bus
// error in ~RepeatedPtrField; without ASan it happens to pass).
constexpr const char* kUnsafeProtobufPaths[] = {
    "_ZN6google8protobuf8internal20RepeatedPtrFieldBase14InternalExtend",
    "_ZN6google8protobuf16RepeatedPtrFieldINSt7__cxx1112basic_string",
    "_ZN6google8protobuf4util18BinaryToJson",
    "_ZN6google8protobuf4util18JsonToBinary",
    "_ZN4absl7debian319str_format_internal13FormatUntyped",
    // Reflection's MutableMessage for a oneof field (the text-format parser's path) sets the
    // oneof case before it allocates the sub-message, as the generated code does (below).
    "_ZNK6google8protobuf10Reflection14MutableMessage",
};
thread_local long unsafe_skipped = 0;

bool InUnsafeProtobufPath() {
  for (int i = 0; i < fired_depth; ++i) {
    Dl_info info;
    if (dladdr(fired_at[i], &info) == 0 || info.dli_sname == nullptr) continue;
    for (const char* prefix : kUnsafeProtobufPaths) {
      if (std::strncmp(info.dli_sname, prefix, std::strlen(prefix)) == 0) return true;
    }
  }
  return false;
}

bool InGeneratedOneofMutator();

bool ShouldFail() {
  if (!armed) return false;
  if (fired && persistent) return true;
  if (fired) return false;
  ++seen;
  if (--countdown > 0) return false;
  fired_depth = backtrace(fired_at, 48);
  if (InUnsafeProtobufPath() || InGeneratedOneofMutator()) {
    // Not here: fail the next allocation that is outside such a path instead.
    countdown = 1;
    ++unsafe_skipped;
    return false;
  }
  fired = true;
  fired_at_index = seen;
  return true;
}

// Whether the injected failure hit an allocation made by protobuf's own code: libprotobuf, its
// header templates, or the code protoc generated for regimen.v1 (e.g. a generated copy
// constructor that leaks its first sub-message when allocating the second throws). The first
// caller of operator new that is not the C++ library decides; functions compiled into this
// program are named by addr2line (binutils) from the debug information, since the library's
// symbols are hidden. Without addr2line every leak counts as the engine's.
bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// The function names (innermost inlined first) at `pc` in this program.
std::vector<std::string> FunctionsAt(const void* pc, const Dl_info& info) {
  const auto offset = reinterpret_cast<uintptr_t>(pc) - 1 -
                      reinterpret_cast<uintptr_t>(info.dli_fbase);  // the call, not the return
  char command[512];
  std::snprintf(command, sizeof command, "addr2line -C -f -i -e /proc/%d/exe 0x%lx 2>/dev/null",
                static_cast<int>(getpid()), static_cast<unsigned long>(offset));
  std::vector<std::string> names;
  FILE* pipe = popen(command, "r");
  if (pipe == nullptr) return names;
  char line[4096];
  for (int n = 0; std::fgets(line, sizeof line, pipe) != nullptr; ++n) {
    if (n % 2 == 0) names.emplace_back(line, std::strcspn(line, "\n"));
  }
  pclose(pipe);
  return names;
}

// And the code protoc 3.21 generates for a message-typed oneof field (DurationSpec.spec,
// Condition.kind, SessionInput.input): _internal_mutable_X() sets the oneof case before it
// allocates the sub-message, and the union's constructor leaves the pointer unset, so when that
// allocation throws the destructor deletes whatever the memory held (clang's build crashes there
// under ASan's fill pattern). Those names are hidden, so addr2line tells them, once per call
// site: the caller of operator new, looked up with the injector disarmed, the answer kept.
// The same lookup finds the unsafe repeated-field paths above where the compiler inlined them
// into this program's code (clang does), out of reach of their exported names.
constexpr const char* kUnsafeGeneratedCode[] = {
    "regimen::v1::DurationSpec::_internal_mutable_",
    "regimen::v1::Condition::_internal_mutable_",
    "regimen::v1::SessionInput::_internal_mutable_",
    "google::protobuf::RepeatedPtrField<std::__cxx11::basic_string",
    "google::protobuf::internal::RepeatedPtrFieldBase::InternalExtend",
};
constexpr int kCallSites = 4096;
constexpr int kCallerFrames = 3;  // the caller of operator new and the two above it
struct CallSite {
  void* pcs[kCallerFrames];
  bool used;
  bool unsafe;
};
CallSite call_sites[kCallSites];  // open addressing: no allocation while armed
void* program_base = nullptr;     // where this program is loaded (its own functions' dli_fbase)
void ProgramAnchor() {}

bool InGeneratedOneofMutator() {
  if (program_base == nullptr) {
    Dl_info self;
    if (dladdr(reinterpret_cast<void*>(&ProgramAnchor), &self) != 0) program_base = self.dli_fbase;
  }
  int caller = -1;  // nothing here may allocate until the injector is disarmed below
  for (int i = 0; i < fired_depth; ++i) {
    Dl_info info;
    if (dladdr(fired_at[i], &info) != 0 && info.dli_sname != nullptr &&
        (std::strncmp(info.dli_sname, "_Znw", 4) == 0 ||
         std::strncmp(info.dli_sname, "_Zna", 4) == 0)) {
      caller = i + 1;
    }
  }
  if (caller < 0 || caller >= fired_depth) return false;
  CallSite site{};
  uintptr_t hash = 0;
  for (int k = 0; k < kCallerFrames && caller + k < fired_depth; ++k) {
    site.pcs[k] = fired_at[caller + k];
    hash = hash * 31 + (reinterpret_cast<uintptr_t>(site.pcs[k]) >> 2);
  }
  size_t slot = hash % kCallSites;
  for (int probe = 0; probe < kCallSites && call_sites[slot].used;
       ++probe, slot = (slot + 1) % kCallSites) {
    if (std::memcmp(call_sites[slot].pcs, site.pcs, sizeof site.pcs) == 0) {
      return call_sites[slot].unsafe;
    }
  }
  const bool was_armed = armed;
  armed = false;  // addr2line's pipe and strings are not the call's
  for (int k = 0; k < kCallerFrames && site.pcs[k] != nullptr && !site.unsafe; ++k) {
    Dl_info info;
    // addr2line reads this program's debug information: frames in shared libraries are named
    // by their exported symbols (InUnsafeProtobufPath) instead.
    if (dladdr(site.pcs[k], &info) == 0 || info.dli_sname != nullptr ||
        info.dli_fbase != program_base) {
      continue;
    }
    for (const std::string& name : FunctionsAt(site.pcs[k], info)) {
      for (const char* prefix : kUnsafeGeneratedCode) {
        site.unsafe = site.unsafe || StartsWith(name, prefix);
      }
    }
  }
  armed = was_armed;
  site.used = true;
  if (!call_sites[slot].used) call_sites[slot] = site;
  return site.unsafe;
}

bool FiredInProtobuf() {
  int caller = 0;  // the frames up to operator new (_Znwm, _Znam, ...) are the injector's
  for (int i = 0; i < fired_depth; ++i) {
    Dl_info info;
    if (dladdr(fired_at[i], &info) != 0 && info.dli_sname != nullptr &&
        (StartsWith(info.dli_sname, "_Znw") || StartsWith(info.dli_sname, "_Zna"))) {
      caller = i + 1;
    }
  }
  for (int i = caller; i < fired_depth; ++i) {
    Dl_info info;
    if (dladdr(fired_at[i], &info) == 0 || info.dli_fname == nullptr) return false;
    if (std::strstr(info.dli_fname, "libprotobuf") != nullptr) return true;
    if (std::strstr(info.dli_fname, "libstdc++") != nullptr) continue;
    for (const std::string& name : FunctionsAt(fired_at[i], info)) {
      if (StartsWith(name, "std::") || StartsWith(name, "__gnu_cxx::")) continue;
      return StartsWith(name, "google::protobuf::") || StartsWith(name, "regimen::v1::");
    }
    return false;
  }
  return false;
}

void PrintWhereItFired() {
  std::fprintf(stderr, "the injected failure was at:\n");
  backtrace_symbols_fd(fired_at, fired_depth, STDERR_FILENO);
}

void* Allocate(std::size_t size, std::size_t align) {
  if (ShouldFail()) return nullptr;
  if (size == 0) size = 1;
  void* p = align > alignof(std::max_align_t)
                ? std::aligned_alloc(align, (size + align - 1) / align * align)
                : std::malloc(size);
  if (p != nullptr) live.fetch_add(1, std::memory_order_relaxed);
  return p;
}

void Free(void* p) {
  if (p == nullptr) return;
  live.fetch_sub(1, std::memory_order_relaxed);
  std::free(p);
}

}  // namespace

void* operator new(std::size_t size) {
  if (void* p = Allocate(size, 0)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  if (void* p = Allocate(size, 0)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return Allocate(size, 0); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return Allocate(size, 0); }
void* operator new(std::size_t size, std::align_val_t align) {
  if (void* p = Allocate(size, static_cast<std::size_t>(align))) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size, std::align_val_t align) {
  if (void* p = Allocate(size, static_cast<std::size_t>(align))) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { Free(p); }
void operator delete[](void* p) noexcept { Free(p); }
void operator delete(void* p, std::size_t) noexcept { Free(p); }
void operator delete[](void* p, std::size_t) noexcept { Free(p); }
void operator delete(void* p, std::align_val_t) noexcept { Free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { Free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { Free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { Free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { Free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { Free(p); }

// Under ASan (scripts/test --sanitize) LeakSanitizer checks every attempt at exit. The leaks
// that protobuf's own code makes when an allocation throws (counted above, listed in
// docs/reliability.md) are allocated by libprotobuf or by the code protoc generated for
// regimen.v1; those stacks are suppressed. A leak allocated directly by the engine has neither
// in its allocation stack and is still reported.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libprotobuf.so\n"
         "leak:regimen::v1::\n"
         "leak:google::protobuf::\n";
}

namespace {

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(REGIMEN_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Take(rgm_buffer* buffer) {
  std::string out(buffer->data, buffer->size);
  rgm_buffer_free(buffer);
  return out;
}

// Fails allocation N = 1, 2, … of `call` until it returns without an injected failure.
// `call` makes one attempt and releases whatever it created; `unchanged` (optional) checks that
// a failed attempt left everything as it was. Returns the number of allocations the successful
// attempt made (the N tried). Each failed attempt must return RGM_RESOURCE_EXHAUSTED and leave
// the count of live allocations where it was.
// `prepare` (optional) runs before each attempt, outside the live count: what it frees and
// makes (e.g. a fresh session to try the call on) is not the call's.
long FailEachAllocation(const std::string& what, const std::function<rgm_status()>& call,
                        const std::function<void()>& unchanged = nullptr, bool count_leaks = true,
                        const std::function<void()>& prepare = nullptr) {
  // A first run fills every cache a call may keep for good (descriptors, default instances,
  // the embedded catalog), and a long error message gives the per-thread last-error string all
  // the room later messages need, so that live counts compare equal.
  if (prepare) prepare();
  EXPECT_EQ(call(), RGM_OK) << what << ": " << rgm_last_error();
  void* warm[1];
  backtrace(warm, 1);
  rgm_catalog* unused = nullptr;
  rgm_catalog_default(&unused);
  rgm_buffer none = {nullptr, 0};
  EXPECT_EQ(rgm_catalog_routine(unused, std::string(300, 'x').c_str(), RGM_FORMAT_JSON, &none),
            RGM_NOT_FOUND);
  rgm_catalog_free(unused);

  protobuf_leaks = 0;
  unsafe_skipped = 0;
  for (const bool keep_failing : {false, true}) {
    for (long n = 1;; ++n) {
      if (prepare) prepare();
      const long live_before = live.load();
      persistent = keep_failing;
      countdown = n;
      seen = 0;
      fired = false;
      armed = true;
      const rgm_status status = call();
      armed = false;
      const long leaked = live.load() - live_before;  // before gtest allocates anything
      // Allocations skipped inside unsafe protobuf paths need no attempt of their own.
      if (fired) n = fired_at_index;
      if (!fired) {
        EXPECT_EQ(status, RGM_OK) << what << ": " << rgm_last_error();
        if (keep_failing) {
          std::printf(
              "%-36s %5ld allocations; %ld attempts leaked inside protobuf; %ld "
              "allocations in unsafe library paths not failed\n",
              what.c_str(), n - 1, protobuf_leaks, unsafe_skipped);
          return n - 1;
        }
        break;
      }
      SCOPED_TRACE(
          absl::StrCat(what, ": allocation ", n, keep_failing ? " onwards" : " only", " fails"));
      if (status == RGM_OK) {
        // The engine may recover from a failure inside a library (e.g. a cache it can rebuild);
        // fine, as long as the result is right (call() checks it).
        continue;
      }
      EXPECT_EQ(status, RGM_RESOURCE_EXHAUSTED) << rgm_last_error();
      if (!count_leaks) {
        // Checked by ASan's leak checker instead (scripts/test --sanitize).
      } else if (leaked != 0 && FiredInProtobuf()) {
        // libprotobuf 3.21 is not exception-safe everywhere (docs/reliability.md lists where):
        // counted and reported, not failed.
        ++protobuf_leaks;
      } else {
        EXPECT_EQ(leaked, 0) << "allocations leaked";
      }
      if (unchanged) unchanged();
      if (::testing::Test::HasFailure()) {
        PrintWhereItFired();
        return -1;
      }
    }
  }
  return -1;
}

class AllocFailureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(rgm_catalog_default(&catalog_), RGM_OK);
    rgm_buffer routine = {nullptr, 0};
    ASSERT_EQ(rgm_catalog_routine(catalog_, "back_basics", RGM_FORMAT_BINARY, &routine), RGM_OK);
    routine_ = Take(&routine);
  }
  void TearDown() override { rgm_catalog_free(catalog_); }

  // A started back_basics session, ticked to `now_ms`.
  rgm_session* NewSession(int64_t now_ms) {
    rgm_session* s = nullptr;
    EXPECT_EQ(rgm_session_new(catalog_, routine_.data(), routine_.size(), RGM_FORMAT_BINARY, &s),
              RGM_OK);
    EXPECT_EQ(rgm_session_start(s, 0), RGM_OK);
    if (now_ms > 0) {
      EXPECT_EQ(rgm_session_tick(s, now_ms), RGM_OK);
    }
    return s;
  }

  static std::string Snapshot(const rgm_session* s) {
    rgm_buffer out = {nullptr, 0};
    EXPECT_EQ(rgm_session_snapshot(s, RGM_FORMAT_BINARY, &out), RGM_OK);
    return Take(&out);
  }

  // Checks an operation on a live session: `op` on a session `prepare`d fresh for each
  // attempt; a failed attempt must leave the session's snapshot as it was (`strong`), or at
  // least leave a session that snapshots, restores and runs to the end.
  long OnSession(const std::string& what, int64_t prepare_ms,
                 const std::function<rgm_status(rgm_session*)>& op, bool strong = true) {
    rgm_session* s = nullptr;
    std::string before;
    auto prepare = [&] {  // a fresh session for each attempt, outside the live count
      rgm_session_free(s);
      s = NewSession(prepare_ms);
      before = Snapshot(s);
    };
    auto call = [&]() -> rgm_status { return op(s); };
    auto unchanged = [&] {
      if (strong) {
        EXPECT_TRUE(Snapshot(s) == before) << "a failed call changed the session";
        return;
      }
      // The weaker guarantee: the session is still whole. Its snapshot restores, and both it
      // and the restored copy run to the end.
      rgm_buffer bytes = {nullptr, 0};
      ASSERT_EQ(rgm_session_snapshot(s, RGM_FORMAT_BINARY, &bytes), RGM_OK);
      rgm_session* copy = nullptr;
      ASSERT_EQ(rgm_session_restore(bytes.data, bytes.size, RGM_FORMAT_BINARY, &copy), RGM_OK)
          << rgm_last_error();
      rgm_buffer_free(&bytes);
      for (rgm_session* run : {s, copy}) {
        EXPECT_EQ(rgm_session_tick(run, 100000000), RGM_OK) << rgm_last_error();
        EXPECT_EQ(rgm_session_finished(run), 1);
      }
      rgm_session_free(copy);
    };
    // A call that may change the session before it fails may free what the session held, so
    // live counts prove nothing there.
    const long n = FailEachAllocation(what, call, unchanged, /*count_leaks=*/strong, prepare);
    rgm_session_free(s);
    return n;
  }

  rgm_catalog* catalog_ = nullptr;
  std::string routine_;
};

TEST_F(AllocFailureTest, CatalogParseInEachFormat) {
  const std::string text = ReadSource("catalog/back_care.textproto");
  rgm_catalog* parsed = nullptr;
  ASSERT_EQ(rgm_catalog_parse(text.data(), text.size(), RGM_FORMAT_TEXT, &parsed), RGM_OK);
  rgm_catalog_free(parsed);
  // The same pack in binary and JSON, by way of a routine-free round trip is not offered by the
  // C API; the text pack is the one authors ship. Binary and JSON inputs are covered through
  // sessions, snapshots and requests below.
  const long n = FailEachAllocation("rgm_catalog_parse(text)", [&] {
    rgm_catalog* out = nullptr;
    const rgm_status s = rgm_catalog_parse(text.data(), text.size(), RGM_FORMAT_TEXT, &out);
    if (s != RGM_OK) {
      EXPECT_EQ(out, nullptr);
    }
    rgm_catalog_free(out);
    return s;
  });
  EXPECT_GT(n, 100);
  std::printf("rgm_catalog_parse(text, default pack): %ld allocations\n", n);
}

// The first use of a locale lays the translation over the pack (Catalog::Localize, here by a
// routine generated for a German profile): a failure leaves the pack usable, and the attempt
// after it localizes. The pack keeps what it localized when only a later step failed, so live
// counts are not compared (ASan's leak checker checks this test: scripts/test --sanitize).
TEST_F(AllocFailureTest, FirstUseOfALocale) {
  // The embedded pack with its translations (the text pack alone has none).
  const std::string pack = regimen::Catalog::Default().proto().SerializeAsString();
  rgm_catalog* fresh = nullptr;
  auto prepare = [&] {  // a pack not localized yet for each attempt
    rgm_catalog_free(fresh);
    fresh = nullptr;
    ASSERT_EQ(rgm_catalog_parse(pack.data(), pack.size(), RGM_FORMAT_BINARY, &fresh), RGM_OK);
  };
  const std::string profile_de =
      R"({"minutesPerWeek": 20, "sessionsPerWeek": 2, "seed": 7, "locale": "de"})";
  const std::string profile_en =
      R"({"minutesPerWeek": 20, "sessionsPerWeek": 2, "seed": 7, "locale": "en"})";
  // The routine generated for `profile`; nothing allocated here besides the call itself.
  auto generate = [](const rgm_catalog* catalog, const std::string& profile, rgm_buffer* out) {
    const rgm_status s =
        rgm_routine_generate(catalog, profile.data(), profile.size(), RGM_FORMAT_JSON, out);
    if (s != RGM_OK) {
      EXPECT_EQ(out->data, nullptr);
    }
    return s;
  };
  rgm_buffer buffer = {nullptr, 0};
  ASSERT_EQ(generate(catalog_, profile_de, &buffer), RGM_OK);
  const std::string german = Take(&buffer);
  ASSERT_EQ(generate(catalog_, profile_en, &buffer), RGM_OK);
  ASSERT_NE(german, Take(&buffer));
  const long n = FailEachAllocation(
      "rgm_routine_generate(de, first use)",
      [&] {
        rgm_buffer routine = {nullptr, 0};
        const rgm_status status = generate(fresh, profile_de, &routine);
        if (status == RGM_OK) {
          EXPECT_TRUE(absl::string_view(routine.data, routine.size) == german);
        }
        rgm_buffer_free(&routine);
        return status;
      },
      nullptr, /*count_leaks=*/false, prepare);
  rgm_catalog_free(fresh);
  EXPECT_GT(n, 1000);  // the translation laid over the pack
  std::printf("rgm_routine_generate(de, first use): %ld allocations\n", n);
}

TEST_F(AllocFailureTest, CatalogDefault) {
  const long n = FailEachAllocation("rgm_catalog_default", [&] {
    rgm_catalog* out = nullptr;
    const rgm_status s = rgm_catalog_default(&out);
    if (s != RGM_OK) {
      EXPECT_EQ(out, nullptr);
    }
    rgm_catalog_free(out);
    return s;
  });
  EXPECT_GE(n, 1);
}

TEST_F(AllocFailureTest, CatalogRoutineInEachFormat) {
  for (rgm_format format : {RGM_FORMAT_BINARY, RGM_FORMAT_JSON, RGM_FORMAT_TEXT}) {
    FailEachAllocation(absl::StrCat("rgm_catalog_routine format ", format), [&] {
      rgm_buffer out = {nullptr, 0};
      const rgm_status s = rgm_catalog_routine(catalog_, "back_basics", format, &out);
      if (s != RGM_OK) {
        EXPECT_EQ(out.data, nullptr);
      }
      rgm_buffer_free(&out);
      return s;
    });
  }
}

TEST_F(AllocFailureTest, SessionNew) {
  const long n = FailEachAllocation("rgm_session_new", [&] {
    rgm_session* out = nullptr;
    const rgm_status s =
        rgm_session_new(catalog_, routine_.data(), routine_.size(), RGM_FORMAT_BINARY, &out);
    if (s != RGM_OK) {
      EXPECT_EQ(out, nullptr);
    }
    rgm_session_free(out);
    return s;
  });
  EXPECT_GT(n, 10);
  std::printf("rgm_session_new(back_basics): %ld allocations\n", n);
}

// Reports are checked as strictly as every other input: a report that runs out of memory
// leaves the session exactly as it was (same snapshot bytes, same queue).

TEST_F(AllocFailureTest, StartTickSignalAndReport) {
  auto fresh = [&](const std::string& what, const std::function<rgm_status(rgm_session*)>& op) {
    rgm_session* s = nullptr;
    std::string before;
    auto call = [&]() -> rgm_status {
      const bool was_armed = armed;
      armed = false;
      rgm_session_free(s);
      EXPECT_EQ(rgm_session_new(catalog_, routine_.data(), routine_.size(), RGM_FORMAT_BINARY, &s),
                RGM_OK);
      before = Snapshot(s);
      armed = was_armed;
      return op(s);
    };
    FailEachAllocation(what, call,
                       [&] { EXPECT_TRUE(Snapshot(s) == before) << "the session changed"; });
    rgm_session_free(s);
  };
  fresh("rgm_session_start", [](rgm_session* s) { return rgm_session_start(s, 0); });

  // One tick across the whole session: every event of it is queued at once.
  const long n = OnSession("rgm_session_tick to the end", 0,
                           [](rgm_session* s) { return rgm_session_tick(s, 10000000); });
  std::printf("rgm_session_tick(whole session): %ld allocations\n", n);
  OnSession("rgm_session_tick mid-session", 60000,
            [](rgm_session* s) { return rgm_session_tick(s, 130000); });
  OnSession("rgm_session_signal pause", 60000,
            [](rgm_session* s) { return rgm_session_signal(s, RGM_SIGNAL_PAUSE, 61000); });
  OnSession("rgm_session_signal skip", 60000,
            [](rgm_session* s) { return rgm_session_signal(s, RGM_SIGNAL_SKIP, 61000); });
  OnSession("rgm_session_signal stop", 60000,
            [](rgm_session* s) { return rgm_session_signal(s, RGM_SIGNAL_STOP, 61000); });
  OnSession("rgm_session_report asymmetry", 130000, [](rgm_session* s) {
    return rgm_session_report(s, RGM_REPORT_ASYMMETRY, 0, RGM_SIDE_LEFT, 131000);
  });
  OnSession("rgm_session_report pain stop", 130000, [](rgm_session* s) {
    return rgm_session_report(s, RGM_REPORT_PAIN, 7, RGM_SIDE_NONE, 131000);
  });
  OnSession("rgm_session_report effort", 130000, [](rgm_session* s) {
    return rgm_session_report(s, RGM_REPORT_EFFORT, 5, RGM_SIDE_NONE, 131000);
  });
}

TEST_F(AllocFailureTest, SnapshotRestoreAndRecordInEachFormat) {
  for (rgm_format format : {RGM_FORMAT_BINARY, RGM_FORMAT_JSON, RGM_FORMAT_TEXT}) {
    const std::string f = absl::StrCat(" format ", format);
    OnSession("rgm_session_snapshot" + f, 130000, [format](rgm_session* s) {
      rgm_buffer out = {nullptr, 0};
      const rgm_status status = rgm_session_snapshot(s, format, &out);
      if (status != RGM_OK) {
        EXPECT_EQ(out.data, nullptr);
      }
      rgm_buffer_free(&out);
      return status;
    });
    OnSession("rgm_session_record" + f, 130000, [format](rgm_session* s) {
      rgm_buffer out = {nullptr, 0};
      const rgm_status status = rgm_session_record(s, format, &out);
      if (status != RGM_OK) {
        EXPECT_EQ(out.data, nullptr);
      }
      rgm_buffer_free(&out);
      return status;
    });

    rgm_session* s = NewSession(130000);
    rgm_buffer bytes = {nullptr, 0};
    ASSERT_EQ(rgm_session_snapshot(s, format, &bytes), RGM_OK);
    const std::string snapshot = Take(&bytes);
    const std::string expected = Snapshot(s);
    rgm_session_free(s);
    const long n = FailEachAllocation("rgm_session_restore" + f, [&] {
      rgm_session* out = nullptr;
      const rgm_status status = rgm_session_restore(snapshot.data(), snapshot.size(), format, &out);
      if (status != RGM_OK) {
        EXPECT_EQ(out, nullptr);
      }
      if (status == RGM_OK) {
        const bool was_armed = armed;
        armed = false;
        EXPECT_TRUE(Snapshot(out) == expected) << "the restored session differs";
        armed = was_armed;
      }
      rgm_session_free(out);
      return status;
    });
    std::printf("rgm_session_restore(%s): %ld allocations\n", f.c_str(), n);
  }
}

TEST_F(AllocFailureTest, GenerateAndProgress) {
  const std::string profile = R"({"minutesPerWeek": 20, "sessionsPerWeek": 2, "seed": 7})";
  FailEachAllocation("rgm_routine_generate", [&] {
    rgm_buffer out = {nullptr, 0};
    const rgm_status s =
        rgm_routine_generate(catalog_, profile.data(), profile.size(), RGM_FORMAT_JSON, &out);
    if (s != RGM_OK) {
      EXPECT_EQ(out.data, nullptr);
    }
    rgm_buffer_free(&out);
    return s;
  });
  const std::string request = ReadSource("tests/data/progression/request_unlock.json");
  ASSERT_FALSE(request.empty());
  const long n = FailEachAllocation("rgm_progress", [&] {
    rgm_buffer out = {nullptr, 0};
    const rgm_status s =
        rgm_progress(catalog_, request.data(), request.size(), RGM_FORMAT_JSON, &out);
    if (s != RGM_OK) {
      EXPECT_EQ(out.data, nullptr);
    }
    rgm_buffer_free(&out);
    return s;
  });
  std::printf("rgm_progress(request_unlock.json): %ld allocations\n", n);
}

}  // namespace
