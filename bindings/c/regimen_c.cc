// The C API (include/regimen/regimen.h) over the C++ engine: argument checks, Status to
// rgm_status, a per-thread last error, and a fence that keeps every C++ exception inside.
//
// Every entry point follows one shape: check the arguments, do the work into locals, and only
// when everything succeeded write the outputs, so that a failed call changes nothing.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bindings/c/plan_cache.h"
#include "regimen/catalog.h"
#include "regimen/fit.h"
#include "regimen/format.h"
#include "regimen/generator.h"
#include "regimen/progression.h"
#include "regimen/regimen.h"
#include "regimen/schedule.h"
#include "regimen/session.h"
#include "regimen/v1/profile.pb.h"
#include "regimen/v1/progression.pb.h"
#include "regimen/v1/routine.pb.h"
#include "regimen/v1/session.pb.h"

struct rgm_catalog {
  explicit rgm_catalog(regimen::Catalog c) : catalog(std::move(c)) {}
  regimen::Catalog catalog;
  // Plans of recent sessions, shared by sessions of the same routine and options bytes.
  mutable regimen::capi::PlanCache plans;
};

struct rgm_session {
  std::unique_ptr<regimen::Session> session;
};

// The C enums and the engine's must agree; the engine promises it, this holds it to that.
static_assert(static_cast<int>(RGM_INVALID_ARGUMENT) ==
              static_cast<int>(absl::StatusCode::kInvalidArgument));
static_assert(static_cast<int>(RGM_NOT_FOUND) == static_cast<int>(absl::StatusCode::kNotFound));
static_assert(static_cast<int>(RGM_RESOURCE_EXHAUSTED) ==
              static_cast<int>(absl::StatusCode::kResourceExhausted));
static_assert(static_cast<int>(RGM_FAILED_PRECONDITION) ==
              static_cast<int>(absl::StatusCode::kFailedPrecondition));
static_assert(static_cast<int>(RGM_OUT_OF_RANGE) ==
              static_cast<int>(absl::StatusCode::kOutOfRange));
static_assert(static_cast<int>(RGM_UNIMPLEMENTED) ==
              static_cast<int>(absl::StatusCode::kUnimplemented));
static_assert(static_cast<int>(RGM_INTERNAL) == static_cast<int>(absl::StatusCode::kInternal));
static_assert(static_cast<int>(RGM_FORMAT_BINARY) == static_cast<int>(regimen::Format::kBinary));
static_assert(static_cast<int>(RGM_FORMAT_JSON) == static_cast<int>(regimen::Format::kJson));
static_assert(static_cast<int>(RGM_FORMAT_TEXT) == static_cast<int>(regimen::Format::kText));
static_assert(static_cast<int>(RGM_SIGNAL_PAUSE) == regimen::v1::SIGNAL_PAUSE);
static_assert(static_cast<int>(RGM_SIGNAL_STOP) == regimen::v1::SIGNAL_STOP);
static_assert(static_cast<int>(RGM_REPORT_PAIN) == regimen::v1::REPORT_PAIN);
static_assert(static_cast<int>(RGM_REPORT_EFFORT) == regimen::v1::REPORT_EFFORT);
static_assert(static_cast<int>(RGM_SIDE_LEFT) == regimen::v1::LEFT);
static_assert(static_cast<int>(RGM_SIDE_RIGHT) == regimen::v1::RIGHT);
static_assert(static_cast<int>(RGM_EVENT_SESSION_STARTED) ==
              regimen::v1::SessionEvent::SESSION_STARTED);
static_assert(static_cast<int>(RGM_EVENT_SESSION_COMPLETED) ==
              regimen::v1::SessionEvent::SESSION_COMPLETED);
static_assert(static_cast<int>(RGM_EVENT_CUE_SKIPPED) == regimen::v1::SessionEvent::CUE_SKIPPED);

namespace {

#define RGM_STRINGIZE2(x) #x
#define RGM_STRINGIZE(x) RGM_STRINGIZE2(x)
constexpr const char kVersion[] = RGM_STRINGIZE(REGIMEN_VERSION_MAJOR) "." RGM_STRINGIZE(
    REGIMEN_VERSION_MINOR) "." RGM_STRINGIZE(REGIMEN_VERSION_PATCH);

// The message of the last failed call on this thread; when even that could not be stored (no
// memory), last_error_lost is set and rgm_last_error says so instead.
thread_local std::string last_error;
thread_local bool last_error_lost = false;

// Records `message` as this thread's last error and returns `code`. Never throws.
rgm_status Fail(rgm_status code, const char* where, absl::string_view message) noexcept {
  try {
    last_error = absl::StrCat(where, ": ", message);
    last_error_lost = false;
  } catch (...) {
    last_error.clear();
    last_error_lost = true;
  }
  return code;
}

rgm_status Fail(const absl::Status& status, const char* where) noexcept {
  // Values equal absl::StatusCode's by contract, so the code passes through unchanged.
  return Fail(static_cast<rgm_status>(static_cast<int>(status.code())), where, status.message());
}

// The integer an enum argument holds, read without loading it as the enum type: a C caller may
// pass any int (e.g. (rgm_format)7), which C++ must not treat as an enum value.
template <typename E>
int64_t RawEnum(const E& value) {
  std::underlying_type_t<E> raw;
  std::memcpy(&raw, &value, sizeof raw);
  return static_cast<int64_t>(raw);
}

// Runs `body`, turning any exception into a status: allocation failure is RESOURCE_EXHAUSTED,
// anything else INTERNAL. `body` returns rgm_status.
template <typename Body>
rgm_status Guard(const char* where, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return Fail(RGM_RESOURCE_EXHAUSTED, where, "out of memory");
  } catch (const std::exception& e) {
    return Fail(RGM_INTERNAL, where, absl::StrCat("unexpected exception: ", e.what()));
  } catch (...) {
    return Fail(RGM_INTERNAL, where, "unexpected exception");
  }
}

rgm_status NullArgument(const char* where, const char* name) {
  return Fail(RGM_INVALID_ARGUMENT, where, absl::StrCat(name, " is NULL"));
}

// Checks a format argument; on success sets *format.
rgm_status CheckFormat(const char* where, const rgm_format& raw, regimen::Format* format) {
  const int64_t value = RawEnum(raw);
  if (value < RGM_FORMAT_BINARY || value > RGM_FORMAT_TEXT) {
    return Fail(RGM_INVALID_ARGUMENT, where,
                absl::StrCat("format must be 0 (binary), 1 (json) or 2 (text), got ", value));
  }
  *format = static_cast<regimen::Format>(value);
  return RGM_OK;
}

// Checks an input byte range and a format. `what` names the argument in messages.
rgm_status CheckInput(const char* where, const char* what, const void* data, size_t size,
                      const rgm_format& raw_format, regimen::Format* format) {
  if (data == nullptr) return NullArgument(where, what);
  if (size > regimen::kMaxInputBytes) {
    return Fail(RGM_RESOURCE_EXHAUSTED, where,
                absl::StrCat(what, " is ", size, " bytes; the limit is ", regimen::kMaxInputBytes,
                             " bytes (4 MiB)"));
  }
  return CheckFormat(where, raw_format, format);
}

absl::string_view Bytes(const void* data, size_t size) {
  return absl::string_view(static_cast<const char*>(data), size);
}

// Checks and parses `data` into `message`, naming the argument in the error; sets *format.
rgm_status ParseInput(const char* where, const char* what, const void* data, size_t size,
                      const rgm_format& raw_format, google::protobuf::MessageLite* message,
                      regimen::Format* format) {
  if (rgm_status s = CheckInput(where, what, data, size, raw_format, format); s != RGM_OK) {
    return s;
  }
  absl::Status status = regimen::ParseMessage(Bytes(data, size), *format, message);
  if (!status.ok()) {
    return Fail(static_cast<rgm_status>(static_cast<int>(status.code())), where,
                absl::StrCat(what, ": ", status.message()));
  }
  return RGM_OK;
}

// Copies `bytes` into a new malloc'ed, NUL-terminated buffer and, only then, into *out.
rgm_status WriteBytes(const char* where, const absl::StatusOr<std::string>& bytes,
                      rgm_buffer* out) {
  if (!bytes.ok()) return Fail(bytes.status(), where);
  char* data = static_cast<char*>(std::malloc(bytes->size() + 1));
  if (data == nullptr) return Fail(RGM_RESOURCE_EXHAUSTED, where, "out of memory");
  std::memcpy(data, bytes->data(), bytes->size());
  data[bytes->size()] = '\0';
  out->data = data;
  out->size = bytes->size();
  return RGM_OK;
}

// Serializes `message` in `format` into *out.
rgm_status WriteOutput(const char* where, const google::protobuf::MessageLite& message,
                       regimen::Format format, rgm_buffer* out) {
  return WriteBytes(where, regimen::SerializeMessage(message, format), out);
}

// The shape shared by generate, progress and schedule: parse a request, run `compute` (which
// returns StatusOr<Answer>), write the answer in the same format.
template <typename Request, typename Compute>
rgm_status RequestResponse(const char* where, const char* what, const rgm_catalog* catalog,
                           const void* data, size_t size, const rgm_format& raw_format,
                           rgm_buffer* out, Compute&& compute) {
  return Guard(where, [&]() -> rgm_status {
    if (catalog == nullptr) return NullArgument(where, "catalog");
    if (out == nullptr) return NullArgument(where, "out");
    regimen::Format format = regimen::Format::kBinary;  // set by the check below
    Request request;
    if (rgm_status s = ParseInput(where, what, data, size, raw_format, &request, &format);
        s != RGM_OK) {
      return s;
    }
    auto answer = compute(catalog->catalog, request);
    if (!answer.ok()) return Fail(answer.status(), where);
    return WriteOutput(where, *answer, format, out);
  });
}

// The shape of the FIT exports: parse a message, write the bytes `compute` makes (not a message).
template <typename Input, typename Compute>
rgm_status ExportBytes(const char* where, const char* what, const rgm_catalog* catalog,
                       const void* data, size_t size, const rgm_format& raw_format, rgm_buffer* out,
                       Compute&& compute) {
  return Guard(where, [&]() -> rgm_status {
    if (catalog == nullptr) return NullArgument(where, "catalog");
    if (out == nullptr) return NullArgument(where, "out");
    regimen::Format format = regimen::Format::kBinary;  // set by the check below
    Input input;
    if (rgm_status s = ParseInput(where, what, data, size, raw_format, &input, &format);
        s != RGM_OK) {
      return s;
    }
    return WriteBytes(where, compute(catalog->catalog, input), out);
  });
}

rgm_status FromStatus(const absl::Status& status, const char* where) {
  return status.ok() ? RGM_OK : Fail(status, where);
}

}  // namespace

extern "C" {

// --- Status, errors, version -----------------------------------------------------------------

const char* rgm_status_name(rgm_status status) {
  // Every absl::StatusCode is named, since codes pass through unchanged.
  switch (RawEnum(status)) {
    case 0:
      return "OK";
    case 1:
      return "CANCELLED";
    case 2:
      return "UNKNOWN";
    case 3:
      return "INVALID_ARGUMENT";
    case 4:
      return "DEADLINE_EXCEEDED";
    case 5:
      return "NOT_FOUND";
    case 6:
      return "ALREADY_EXISTS";
    case 7:
      return "PERMISSION_DENIED";
    case 8:
      return "RESOURCE_EXHAUSTED";
    case 9:
      return "FAILED_PRECONDITION";
    case 10:
      return "ABORTED";
    case 11:
      return "OUT_OF_RANGE";
    case 12:
      return "UNIMPLEMENTED";
    case 13:
      return "INTERNAL";
    case 14:
      return "UNAVAILABLE";
    case 15:
      return "DATA_LOSS";
    case 16:
      return "UNAUTHENTICATED";
  }
  return "UNKNOWN";
}

const char* rgm_last_error(void) {
  return last_error_lost ? "out of memory (the error message could not be stored)"
                         : last_error.c_str();
}

const char* rgm_version(void) { return kVersion; }

void rgm_buffer_free(rgm_buffer* buffer) {
  if (buffer == nullptr) return;
  std::free(buffer->data);
  buffer->data = nullptr;
  buffer->size = 0;
}

const char* rgm_event_type_name(rgm_event_type type) {
  switch (RawEnum(type)) {
    case RGM_EVENT_SESSION_STARTED:
      return "SESSION_STARTED";
    case RGM_EVENT_EXERCISE_STARTED:
      return "EXERCISE_STARTED";
    case RGM_EVENT_PHASE_STARTED:
      return "PHASE_STARTED";
    case RGM_EVENT_CUE:
      return "CUE";
    case RGM_EVENT_REP_COMPLETED:
      return "REP_COMPLETED";
    case RGM_EVENT_SET_COMPLETED:
      return "SET_COMPLETED";
    case RGM_EVENT_EXERCISE_COMPLETED:
      return "EXERCISE_COMPLETED";
    case RGM_EVENT_PAUSED:
      return "PAUSED";
    case RGM_EVENT_RESUMED:
      return "RESUMED";
    case RGM_EVENT_SAFETY_STOP:
      return "SAFETY_STOP";
    case RGM_EVENT_SESSION_COMPLETED:
      return "SESSION_COMPLETED";
    case RGM_EVENT_CUE_SKIPPED:
      return "CUE_SKIPPED";
  }
  return "UNKNOWN";
}

// --- Catalog -----------------------------------------------------------------------------------

rgm_status rgm_catalog_default(rgm_catalog** out) {
  static constexpr char kWhere[] = "rgm_catalog_default";
  return Guard(kWhere, [&]() -> rgm_status {
    if (out == nullptr) return NullArgument(kWhere, "out");
    *out = new rgm_catalog{regimen::Catalog::Default()};
    return RGM_OK;
  });
}

rgm_status rgm_catalog_parse(const void* data, size_t size, rgm_format format, rgm_catalog** out) {
  static constexpr char kWhere[] = "rgm_catalog_parse";
  return Guard(kWhere, [&]() -> rgm_status {
    if (out == nullptr) return NullArgument(kWhere, "out");
    regimen::Format parsed_format = regimen::Format::kBinary;  // set by the check below
    if (rgm_status s = CheckInput(kWhere, "data", data, size, format, &parsed_format);
        s != RGM_OK) {
      return s;
    }
    absl::StatusOr<regimen::Catalog> catalog =
        regimen::Catalog::Parse(Bytes(data, size), parsed_format);
    if (!catalog.ok()) return Fail(catalog.status(), kWhere);
    *out = new rgm_catalog{*std::move(catalog)};
    return RGM_OK;
  });
}

void rgm_catalog_free(rgm_catalog* catalog) { delete catalog; }

rgm_status rgm_catalog_routine(const rgm_catalog* catalog, const char* routine_id,
                               rgm_format format, rgm_buffer* out) {
  static constexpr char kWhere[] = "rgm_catalog_routine";
  return Guard(kWhere, [&]() -> rgm_status {
    if (catalog == nullptr) return NullArgument(kWhere, "catalog");
    if (routine_id == nullptr) return NullArgument(kWhere, "routine_id");
    if (out == nullptr) return NullArgument(kWhere, "out");
    regimen::Format parsed_format = regimen::Format::kBinary;  // set by the check below
    if (rgm_status s = CheckFormat(kWhere, format, &parsed_format); s != RGM_OK) return s;
    const regimen::v1::Routine* routine = catalog->catalog.FindRoutine(routine_id);
    if (routine == nullptr) {
      return Fail(RGM_NOT_FOUND, kWhere,
                  absl::StrCat("no routine \"", routine_id, "\" in catalog \"",
                               catalog->catalog.proto().id(), "\""));
    }
    return WriteOutput(kWhere, *routine, parsed_format, out);
  });
}

rgm_status rgm_catalog_serialize(const rgm_catalog* catalog, rgm_format format, rgm_buffer* out) {
  static constexpr char kWhere[] = "rgm_catalog_serialize";
  return Guard(kWhere, [&]() -> rgm_status {
    if (catalog == nullptr) return NullArgument(kWhere, "catalog");
    if (out == nullptr) return NullArgument(kWhere, "out");
    regimen::Format parsed_format = regimen::Format::kBinary;  // set by the check below
    if (rgm_status s = CheckFormat(kWhere, format, &parsed_format); s != RGM_OK) return s;
    return WriteOutput(kWhere, catalog->catalog.proto(), parsed_format, out);
  });
}

// --- Session -----------------------------------------------------------------------------------

namespace {

// The body of rgm_session_new and rgm_session_new_with_options (`where` names the one called).
// Every argument is checked first; then a session of routine and options bytes seen recently on
// this catalog handle shares their compiled plan (rgm_catalog::plans), and other inputs are
// parsed, compiled and kept.
rgm_status NewSession(const char* where, const rgm_catalog* catalog, const void* routine,
                      size_t size, const rgm_format& format, const void* options,
                      size_t options_size, const rgm_format& options_format, rgm_session** out) {
  if (catalog == nullptr) return NullArgument(where, "catalog");
  if (out == nullptr) return NullArgument(where, "out");
  regimen::Format routine_format = regimen::Format::kBinary;  // set by the checks below
  regimen::Format parsed_options_format = regimen::Format::kBinary;
  if (rgm_status s = CheckInput(where, "routine", routine, size, format, &routine_format);
      s != RGM_OK) {
    return s;
  }
  if (options == nullptr && options_size != 0) {
    return Fail(RGM_INVALID_ARGUMENT, where,
                absl::StrCat("options is NULL but options_size is ", options_size));
  }
  const bool defaults = options == nullptr || options_size == 0;
  if (defaults) {
    if (rgm_status s = CheckFormat(where, options_format, &parsed_options_format); s != RGM_OK) {
      return s;
    }
  } else if (rgm_status s = CheckInput(where, "options", options, options_size, options_format,
                                       &parsed_options_format);
             s != RGM_OK) {
    return s;
  }
  const absl::string_view options_bytes =
      defaults ? absl::string_view() : Bytes(options, options_size);
  std::string key = regimen::capi::PlanCache::Key(
      Bytes(routine, size), static_cast<int>(routine_format), options_bytes,
      defaults ? -1 : static_cast<int>(parsed_options_format));
  if (std::shared_ptr<const regimen::PreparedPlan> plan = catalog->plans.Find(key)) {
    *out = new rgm_session{regimen::Session::FromPrepared(std::move(plan))};
    return RGM_OK;
  }

  regimen::v1::Routine parsed;
  if (rgm_status s = ParseInput(where, "routine", routine, size, format, &parsed, &routine_format);
      s != RGM_OK) {
    return s;
  }
  regimen::v1::SessionOptions parsed_options;
  if (!defaults) {
    if (rgm_status s = ParseInput(where, "options", options, options_size, options_format,
                                  &parsed_options, &parsed_options_format);
        s != RGM_OK) {
      return s;
    }
  }
  absl::StatusOr<std::unique_ptr<regimen::Session>> session =
      regimen::Session::Create(catalog->catalog, parsed, parsed_options);
  if (!session.ok()) return Fail(session.status(), where);
  *out = new rgm_session{*std::move(session)};
  catalog->plans.Insert(std::move(key), (*out)->session->prepared_plan());
  return RGM_OK;
}

}  // namespace

rgm_status rgm_session_new(const rgm_catalog* catalog, const void* routine, size_t size,
                           rgm_format format, rgm_session** out) {
  static constexpr char kWhere[] = "rgm_session_new";
  return Guard(kWhere, [&]() -> rgm_status {
    const rgm_format defaults = RGM_FORMAT_BINARY;
    return NewSession(kWhere, catalog, routine, size, format, nullptr, 0, defaults, out);
  });
}

rgm_status rgm_session_new_with_options(const rgm_catalog* catalog, const void* routine,
                                        size_t size, rgm_format format, const void* options,
                                        size_t options_size, rgm_format options_format,
                                        rgm_session** out) {
  static constexpr char kWhere[] = "rgm_session_new_with_options";
  return Guard(kWhere, [&]() -> rgm_status {
    return NewSession(kWhere, catalog, routine, size, format, options, options_size, options_format,
                      out);
  });
}

void rgm_session_free(rgm_session* session) { delete session; }

rgm_status rgm_session_start(rgm_session* s, int64_t now_ms) {
  static constexpr char kWhere[] = "rgm_session_start";
  return Guard(kWhere, [&]() -> rgm_status {
    if (s == nullptr) return NullArgument(kWhere, "session");
    return FromStatus(s->session->Start(now_ms), kWhere);
  });
}

rgm_status rgm_session_tick(rgm_session* s, int64_t now_ms) {
  static constexpr char kWhere[] = "rgm_session_tick";
  return Guard(kWhere, [&]() -> rgm_status {
    if (s == nullptr) return NullArgument(kWhere, "session");
    return FromStatus(s->session->Tick(now_ms), kWhere);
  });
}

rgm_status rgm_session_signal(rgm_session* s, rgm_signal signal, int64_t now_ms) {
  static constexpr char kWhere[] = "rgm_session_signal";
  return Guard(kWhere, [&]() -> rgm_status {
    if (s == nullptr) return NullArgument(kWhere, "session");
    const int64_t raw = RawEnum(signal);
    if (raw < RGM_SIGNAL_PAUSE || raw > RGM_SIGNAL_STOP) {
      return Fail(RGM_INVALID_ARGUMENT, kWhere,
                  absl::StrCat("signal must be 1 (PAUSE) .. 5 (STOP), got ", raw));
    }
    return FromStatus(s->session->Signal(static_cast<regimen::v1::Signal>(raw), now_ms), kWhere);
  });
}

rgm_status rgm_session_report(rgm_session* s, rgm_report kind, int32_t value, rgm_side side,
                              int64_t now_ms) {
  static constexpr char kWhere[] = "rgm_session_report";
  return Guard(kWhere, [&]() -> rgm_status {
    if (s == nullptr) return NullArgument(kWhere, "session");
    const int64_t raw_kind = RawEnum(kind);
    if (raw_kind < RGM_REPORT_PAIN || raw_kind > RGM_REPORT_EFFORT) {
      return Fail(RGM_INVALID_ARGUMENT, kWhere,
                  absl::StrCat("kind must be 1 (PAIN) .. 3 (EFFORT), got ", raw_kind));
    }
    const int64_t raw_side = RawEnum(side);
    if (raw_side < RGM_SIDE_NONE || raw_side > RGM_SIDE_RIGHT) {
      return Fail(RGM_INVALID_ARGUMENT, kWhere,
                  absl::StrCat("side must be 0 (NONE), 1 (LEFT) or 2 (RIGHT), got ", raw_side));
    }
    return FromStatus(s->session->Report(static_cast<regimen::v1::ReportKind>(raw_kind), value,
                                         static_cast<regimen::v1::Side>(raw_side), now_ms),
                      kWhere);
  });
}

rgm_status rgm_session_speech_ended(rgm_session* s, const char* cue_id, int64_t now_ms) {
  static constexpr char kWhere[] = "rgm_session_speech_ended";
  return Guard(kWhere, [&]() -> rgm_status {
    if (s == nullptr) return NullArgument(kWhere, "session");
    if (cue_id == nullptr) return NullArgument(kWhere, "cue_id");
    return FromStatus(s->session->SpeechEnded(cue_id, now_ms), kWhere);
  });
}

int64_t rgm_session_next_deadline(const rgm_session* s) {
  if (s == nullptr) {
    Fail(RGM_INVALID_ARGUMENT, "rgm_session_next_deadline", "session is NULL");
    return -1;
  }
  return s->session->NextDeadline();
}

int rgm_session_finished(const rgm_session* s) {
  if (s == nullptr) {
    Fail(RGM_INVALID_ARGUMENT, "rgm_session_finished", "session is NULL");
    return 0;
  }
  return s->session->Finished() ? 1 : 0;
}

// Every field of rgm_event so far belongs to its first version, so a struct_size that
// rgm_session_poll accepts holds all of them and it writes each one. This stops the build when
// a field is added after `text`: rgm_session_poll must then write it only when
// offsetof(rgm_event, field) + sizeof(out->field) <= out->struct_size.
static_assert(sizeof(rgm_event) == (RGM_EVENT_SIZE_V1 + alignof(rgm_event) - 1) /
                                       alignof(rgm_event) * alignof(rgm_event),
              "rgm_event grew: write the new fields only where out->struct_size holds them");

int rgm_session_poll(rgm_session* s, rgm_event* out) {
  static constexpr char kWhere[] = "rgm_session_poll";
  int written = 0;
  Guard(kWhere, [&]() -> rgm_status {
    if (s == nullptr) return NullArgument(kWhere, "session");
    if (out == nullptr) return NullArgument(kWhere, "out");
    // Checked against the first version's size, not this header's sizeof(rgm_event): a host
    // compiled against an older header is served the fields it knows.
    if (out->struct_size < RGM_EVENT_SIZE_V1) {
      return Fail(
          RGM_INVALID_ARGUMENT, kWhere,
          absl::StrCat("out->struct_size is ", out->struct_size, "; at least ", RGM_EVENT_SIZE_V1,
                       " (RGM_EVENT_SIZE_V1, rgm_event up to and including text) is "
                       "required: set it to sizeof(rgm_event)"));
    }
    regimen::Event event;
    if (!s->session->Poll(&event)) return RGM_OK;
    out->type = static_cast<rgm_event_type>(event.type);
    out->at_ms = event.at_ms;
    out->block_index = event.block_index;
    out->set_index = event.set_index;
    out->rep_index = event.rep_index;
    out->side = static_cast<rgm_side>(event.side);
    out->duration_ms = event.duration_ms;
    out->exercise_id = event.exercise_id;
    out->phase = event.phase;
    out->cue_id = event.cue_id;
    out->text = event.text;
    written = 1;
    return RGM_OK;
  });
  return written;
}

rgm_status rgm_session_snapshot(const rgm_session* s, rgm_format format, rgm_buffer* out) {
  static constexpr char kWhere[] = "rgm_session_snapshot";
  return Guard(kWhere, [&]() -> rgm_status {
    if (s == nullptr) return NullArgument(kWhere, "session");
    if (out == nullptr) return NullArgument(kWhere, "out");
    regimen::Format parsed_format = regimen::Format::kBinary;  // set by the check below
    if (rgm_status st = CheckFormat(kWhere, format, &parsed_format); st != RGM_OK) return st;
    return WriteBytes(kWhere, s->session->Snapshot(parsed_format), out);
  });
}

rgm_status rgm_session_restore(const void* snapshot, size_t size, rgm_format format,
                               rgm_session** out) {
  static constexpr char kWhere[] = "rgm_session_restore";
  return Guard(kWhere, [&]() -> rgm_status {
    if (out == nullptr) return NullArgument(kWhere, "out");
    regimen::Format parsed_format = regimen::Format::kBinary;  // set by the check below
    if (rgm_status s = CheckInput(kWhere, "snapshot", snapshot, size, format, &parsed_format);
        s != RGM_OK) {
      return s;
    }
    absl::StatusOr<std::unique_ptr<regimen::Session>> session =
        regimen::Session::Restore(Bytes(snapshot, size), parsed_format);
    if (!session.ok()) return Fail(session.status(), kWhere);
    *out = new rgm_session{*std::move(session)};
    return RGM_OK;
  });
}

rgm_status rgm_session_record(const rgm_session* s, rgm_format format, rgm_buffer* out) {
  static constexpr char kWhere[] = "rgm_session_record";
  return Guard(kWhere, [&]() -> rgm_status {
    if (s == nullptr) return NullArgument(kWhere, "session");
    if (out == nullptr) return NullArgument(kWhere, "out");
    regimen::Format parsed_format = regimen::Format::kBinary;  // set by the check below
    if (rgm_status st = CheckFormat(kWhere, format, &parsed_format); st != RGM_OK) return st;
    return WriteOutput(kWhere, s->session->Record(), parsed_format, out);
  });
}

// --- Routines, progression, schedules ----------------------------------------------------------

rgm_status rgm_routine_generate(const rgm_catalog* catalog, const void* profile, size_t size,
                                rgm_format format, rgm_buffer* out_routine) {
  return RequestResponse<regimen::v1::Profile>(
      "rgm_routine_generate", "profile", catalog, profile, size, format, out_routine,
      [](const regimen::Catalog& c, const regimen::v1::Profile& p) {
        return regimen::GenerateRoutine(c, p);
      });
}

rgm_status rgm_progress(const rgm_catalog* catalog, const void* request, size_t size,
                        rgm_format format, rgm_buffer* out_decision) {
  return RequestResponse<regimen::v1::ProgressRequest>(
      "rgm_progress", "request", catalog, request, size, format, out_decision,
      [](const regimen::Catalog& c, const regimen::v1::ProgressRequest& r) {
        return regimen::Progress(c, r);
      });
}

rgm_status rgm_schedule(const rgm_catalog* catalog, const void* request, size_t size,
                        rgm_format format, rgm_buffer* out_schedule) {
  return RequestResponse<regimen::v1::ScheduleRequest>(
      "rgm_schedule", "request", catalog, request, size, format, out_schedule,
      [](const regimen::Catalog& c, const regimen::v1::ScheduleRequest& r) {
        return regimen::MakeSchedule(c, r);
      });
}

rgm_status rgm_routine_export_fit(const rgm_catalog* catalog, const void* routine, size_t size,
                                  rgm_format format, rgm_buffer* out) {
  return ExportBytes<regimen::v1::Routine>(
      "rgm_routine_export_fit", "routine", catalog, routine, size, format, out,
      [](const regimen::Catalog& c, const regimen::v1::Routine& r) {
        return regimen::ExportFitWorkout(c, r);
      });
}

rgm_status rgm_record_export_fit(const rgm_catalog* catalog, const void* record, size_t size,
                                 rgm_format format, rgm_buffer* out) {
  return ExportBytes<regimen::v1::SessionRecord>(
      "rgm_record_export_fit", "record", catalog, record, size, format, out,
      [](const regimen::Catalog& c, const regimen::v1::SessionRecord& r) {
        return regimen::ExportFitActivity(c, r);
      });
}

}  // extern "C"
