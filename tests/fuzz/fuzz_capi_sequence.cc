// Fuzzes the C API as a careless host would call it (after leveldb's fuzz_db): random sequences
// of every rgm_ call on a few handle slots, with invalid calls mixed in — NULL handles and
// outputs, enum values outside their lists, bytes that are not what they claim, inputs before
// start and after the end, undersized event structs. A freed handle's slot is cleared, so
// handles are never used after free (that is undefined by contract, not a library bug).
// Checks: every status is one of the documented codes; a failed call writes no output and sets
// a non-empty last error; polled events carry readable strings.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "regimen/regimen.h"

namespace {

constexpr int kSlots = 3;

struct World {
  rgm_catalog* catalogs[kSlots] = {};
  rgm_session* sessions[kSlots] = {};
  rgm_buffer buffers[kSlots] = {};
  int64_t clock = 0;

  ~World() {
    for (int i = 0; i < kSlots; ++i) {
      rgm_catalog_free(catalogs[i]);
      rgm_session_free(sessions[i]);
      rgm_buffer_free(&buffers[i]);
    }
  }
};

bool Documented(rgm_status s) {
  switch (s) {
    case RGM_OK:
    case RGM_INVALID_ARGUMENT:
    case RGM_NOT_FOUND:
    case RGM_RESOURCE_EXHAUSTED:
    case RGM_FAILED_PRECONDITION:
    case RGM_OUT_OF_RANGE:
    case RGM_UNIMPLEMENTED:
      return true;
    default:
      return false;  // RGM_INTERNAL is a library bug
  }
}

void CheckStatus(rgm_status s, const char* call) {
  FUZZ_CHECK(Documented(s), "%s returned %d (%s): %s", call, static_cast<int>(s),
             rgm_status_name(s), rgm_last_error());
  if (s != RGM_OK) {
    FUZZ_CHECK(rgm_last_error() != nullptr && rgm_last_error()[0] != '\0',
               "%s failed without a message", call);
  }
}

// An enum value: mostly valid, sometimes out of its list.
template <typename E>
E AnyEnum(FuzzedDataProvider& fdp, int lo, int hi) {
  // Off the list too, but within what a C++ enum may hold (the smallest bit field that holds
  // its enumerators: loading anything else is undefined in C++, which clang's UBSan reports);
  // the C tests pass any int, which C allows.
  int top = 1;
  while (top <= hi) top <<= 1;
  return static_cast<E>(fdp.ConsumeBool() ? fdp.ConsumeIntegralInRange<int>(lo, hi)
                                          : fdp.ConsumeIntegralInRange<int>(0, top - 1));
}

// Input bytes: a buffer a slot holds (a routine, snapshot, record, decision), or raw fuzz bytes.
std::string SomeBytes(FuzzedDataProvider& fdp, World& w) {
  const int slot = fdp.ConsumeIntegralInRange<int>(0, kSlots);
  if (slot < kSlots && w.buffers[slot].data != nullptr) {
    std::string bytes(w.buffers[slot].data, w.buffers[slot].size);
    // Sometimes damage it: truncate or flip a byte.
    if (!bytes.empty() && fdp.ConsumeBool()) {
      const size_t at = fdp.ConsumeIntegralInRange<size_t>(0, bytes.size() - 1);
      if (fdp.ConsumeBool()) {
        bytes.resize(at);
      } else {
        bytes[at] ^= static_cast<char>(fdp.ConsumeIntegralInRange<int>(1, 255));
      }
    }
    return bytes;
  }
  return fdp.ConsumeRandomLengthString(512);
}

rgm_buffer* SomeBufferOut(FuzzedDataProvider& fdp, World& w, int* slot) {
  *slot = fdp.ConsumeIntegralInRange<int>(0, kSlots);
  if (*slot == kSlots) return nullptr;
  rgm_buffer_free(&w.buffers[*slot]);
  return &w.buffers[*slot];
}

// After a failed call that had a buffer output: it must be untouched (still freed).
void CheckBufferUntouched(rgm_status s, const rgm_buffer* out) {
  if (s != RGM_OK && out != nullptr) {
    FUZZ_CHECK(out->data == nullptr && out->size == 0, "a failed call wrote its output");
  }
  if (s == RGM_OK && out != nullptr) {
    FUZZ_CHECK(out->data != nullptr && out->data[out->size] == '\0', "bad output buffer");
  }
}

int64_t NextTime(FuzzedDataProvider& fdp, World& w) {
  if (fdp.ConsumeIntegralInRange<int>(0, 9) == 0) {
    return w.clock - fdp.ConsumeIntegralInRange<int64_t>(0, 5000);  // backwards
  }
  w.clock += fdp.ConsumeIntegralInRange<int64_t>(0, 120000);
  return w.clock;
}

void Step(FuzzedDataProvider& fdp, World& w) {
  const int slot = fdp.ConsumeIntegralInRange<int>(0, kSlots - 1);
  // Sometimes NULL in place of the handle.
  const bool null_handle = fdp.ConsumeIntegralInRange<int>(0, 15) == 0;
  rgm_catalog* catalog = null_handle ? nullptr : w.catalogs[slot];
  rgm_session* session = null_handle ? nullptr : w.sessions[slot];
  const auto format = AnyEnum<rgm_format>(fdp, 0, 2);

  switch (fdp.ConsumeIntegralInRange<int>(0, 20)) {
    case 0: {
      rgm_catalog* out = nullptr;
      const rgm_status s = rgm_catalog_default(null_handle ? nullptr : &out);
      CheckStatus(s, "rgm_catalog_default");
      if (s == RGM_OK) {
        rgm_catalog_free(w.catalogs[slot]);
        w.catalogs[slot] = out;
      }
      break;
    }
    case 1: {
      const std::string bytes = SomeBytes(fdp, w);
      rgm_catalog* out = nullptr;
      const rgm_status s = rgm_catalog_parse(bytes.data(), bytes.size(), format, &out);
      CheckStatus(s, "rgm_catalog_parse");
      FUZZ_CHECK((s == RGM_OK) == (out != nullptr), "handle and status disagree");
      if (s == RGM_OK) {
        rgm_catalog_free(w.catalogs[slot]);
        w.catalogs[slot] = out;
      }
      break;
    }
    case 2:
      rgm_catalog_free(w.catalogs[slot]);
      w.catalogs[slot] = nullptr;
      break;
    case 3: {
      static const char* const kIds[] = {"back_basics", "back_basics_plus", "", "nope"};
      const int pick = fdp.ConsumeIntegralInRange<int>(0, 4);
      const char* id = pick == 4 ? nullptr : kIds[pick];
      int out_slot;
      rgm_buffer* out = SomeBufferOut(fdp, w, &out_slot);
      const rgm_status s = rgm_catalog_routine(catalog, id, format, out);
      CheckStatus(s, "rgm_catalog_routine");
      CheckBufferUntouched(s, out);
      break;
    }
    case 4: {
      const std::string bytes = SomeBytes(fdp, w);
      rgm_session* out = nullptr;
      const rgm_status s = rgm_session_new(catalog, bytes.data(), bytes.size(), format, &out);
      CheckStatus(s, "rgm_session_new");
      FUZZ_CHECK((s == RGM_OK) == (out != nullptr), "handle and status disagree");
      if (s == RGM_OK) {
        rgm_session_free(w.sessions[slot]);
        w.sessions[slot] = out;
      }
      break;
    }
    case 5:
      rgm_session_free(w.sessions[slot]);
      w.sessions[slot] = nullptr;
      break;
    case 6:
      CheckStatus(rgm_session_start(session, NextTime(fdp, w)), "rgm_session_start");
      break;
    case 7:
      CheckStatus(rgm_session_tick(session, NextTime(fdp, w)), "rgm_session_tick");
      break;
    case 8: {
      // Tick at the deadline, as a real host does, so sessions get somewhere.
      const int64_t deadline = rgm_session_next_deadline(session);
      if (deadline >= 0) {
        if (deadline > w.clock) w.clock = deadline;
        CheckStatus(rgm_session_tick(session, deadline), "rgm_session_tick");
      }
      break;
    }
    case 9:
      CheckStatus(rgm_session_signal(session, AnyEnum<rgm_signal>(fdp, 1, 5), NextTime(fdp, w)),
                  "rgm_session_signal");
      break;
    case 10:
      CheckStatus(rgm_session_report(session, AnyEnum<rgm_report>(fdp, 1, 3),
                                     fdp.ConsumeIntegralInRange<int32_t>(-3, 13),
                                     AnyEnum<rgm_side>(fdp, 0, 2), NextTime(fdp, w)),
                  "rgm_session_report");
      break;
    case 11: {
      const int finished = rgm_session_finished(session);
      FUZZ_CHECK(finished == 0 || finished == 1, "finished is %d", finished);
      const int64_t deadline = rgm_session_next_deadline(session);
      FUZZ_CHECK(deadline >= -1, "deadline %lld", static_cast<long long>(deadline));
      break;
    }
    case 12: {
      rgm_event event;
      std::memset(&event, 0xAB, sizeof event);
      const bool small = fdp.ConsumeIntegralInRange<int>(0, 7) == 0;
      event.struct_size = small ? fdp.ConsumeIntegralInRange<uint32_t>(0, RGM_EVENT_SIZE_V1 - 1)
                                : static_cast<uint32_t>(sizeof event);
      const bool null_out = fdp.ConsumeIntegralInRange<int>(0, 15) == 0;
      for (int n = fdp.ConsumeIntegralInRange<int>(1, 50); n > 0; --n) {
        const int got = rgm_session_poll(session, null_out ? nullptr : &event);
        if (!got) break;
        FUZZ_CHECK(!small && !null_out && session != nullptr, "polled into a bad output");
        FUZZ_CHECK(event.type >= RGM_EVENT_SESSION_STARTED && event.type <= RGM_EVENT_CUE_SKIPPED,
                   "event type %d", static_cast<int>(event.type));
        FUZZ_CHECK(event.exercise_id && event.phase && event.cue_id && event.text,
                   "NULL string in an event");
        // Read every string through (ASan checks they are alive).
        volatile size_t total = std::strlen(event.exercise_id) + std::strlen(event.phase) +
                                std::strlen(event.cue_id) + std::strlen(event.text);
        (void)total;
      }
      break;
    }
    case 13: {
      int out_slot;
      rgm_buffer* out = SomeBufferOut(fdp, w, &out_slot);
      const rgm_status s = rgm_session_snapshot(session, format, out);
      CheckStatus(s, "rgm_session_snapshot");
      CheckBufferUntouched(s, out);
      break;
    }
    case 14: {
      const std::string bytes = SomeBytes(fdp, w);
      rgm_session* out = nullptr;
      const rgm_status s =
          rgm_session_restore(null_handle ? nullptr : bytes.data(), bytes.size(), format, &out);
      CheckStatus(s, "rgm_session_restore");
      FUZZ_CHECK((s == RGM_OK) == (out != nullptr), "handle and status disagree");
      if (s == RGM_OK) {
        rgm_session_free(w.sessions[slot]);
        w.sessions[slot] = out;
      }
      break;
    }
    case 15: {
      int out_slot;
      rgm_buffer* out = SomeBufferOut(fdp, w, &out_slot);
      const rgm_status s = rgm_session_record(session, format, out);
      CheckStatus(s, "rgm_session_record");
      CheckBufferUntouched(s, out);
      break;
    }
    case 16:
    case 17:
    case 18: {
      const std::string bytes = SomeBytes(fdp, w);
      int out_slot;
      rgm_buffer* out = SomeBufferOut(fdp, w, &out_slot);
      const int which = fdp.ConsumeIntegralInRange<int>(16, 18);
      rgm_status s;
      if (which == 16) {
        s = rgm_routine_generate(catalog, bytes.data(), bytes.size(), format, out);
        CheckStatus(s, "rgm_routine_generate");
      } else if (which == 17) {
        s = rgm_progress(catalog, bytes.data(), bytes.size(), format, out);
        CheckStatus(s, "rgm_progress");
      } else {
        s = rgm_schedule(catalog, bytes.data(), bytes.size(), format, out);
        CheckStatus(s, "rgm_schedule");
      }
      CheckBufferUntouched(s, out);
      break;
    }
    case 19:
      rgm_buffer_free(fdp.ConsumeBool() ? nullptr : &w.buffers[slot]);
      break;
    case 20: {
      const int code = fdp.ConsumeIntegralInRange<int>(-5, 20);
      FUZZ_CHECK(rgm_status_name(static_cast<rgm_status>(code)) != nullptr, "status name");
      FUZZ_CHECK(rgm_event_type_name(static_cast<rgm_event_type>(code)) != nullptr, "type name");
      FUZZ_CHECK(rgm_last_error() != nullptr, "last error");
      FUZZ_CHECK(rgm_version() != nullptr && rgm_version()[0] != '\0', "version");
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  World w;
  for (int steps = 0; steps < 200 && fdp.remaining_bytes() > 0; ++steps) Step(fdp, w);
  return 0;
}
