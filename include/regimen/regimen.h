/* Regimen's C API: the stable surface that apps in any language (C, Swift, Java through JNI,
 * Python through ctypes, ...) use to load content packs and drive guided exercise sessions.
 *
 * A complete host, error handling elided (examples/c_host.c has the full program):
 *
 *   rgm_catalog* catalog;
 *   rgm_buffer routine;
 *   rgm_session* session;
 *   rgm_catalog_default(&catalog);
 *   rgm_catalog_routine(catalog, "back_basics", RGM_FORMAT_BINARY, &routine);
 *   rgm_session_new(catalog, routine.data, routine.size, RGM_FORMAT_BINARY, &session);
 *   rgm_buffer_free(&routine);
 *   rgm_session_start(session, now_ms());
 *   while (!rgm_session_finished(session)) {
 *     rgm_event ev = {0};
 *     ev.struct_size = sizeof ev;
 *     while (rgm_session_poll(session, &ev)) {
 *       if (ev.type == RGM_EVENT_CUE) speak(ev.text);
 *     }
 *     sleep_until(rgm_session_next_deadline(session));   (-1: nothing is timed; wait for input)
 *     rgm_session_tick(session, now_ms());
 *   }
 *   rgm_session_free(session);
 *   rgm_catalog_free(catalog);
 *
 * Conventions
 * -----------
 * - Names: every function, type and macro starts with rgm_ / RGM_ / REGIMEN_; the shared
 *   library exports nothing else.
 * - Handles are opaque. rgm_catalog_default/_parse and rgm_session_new/_new_with_options/_restore
 *   create them; the matching rgm_catalog_free/rgm_session_free release them, and accept NULL.
 * - Errors: every fallible call returns rgm_status, whose numeric values equal absl::StatusCode.
 *   rgm_last_error() gives the message of the most recent failed call on the calling thread. A
 *   failed call changes nothing: no handle, no session state and no output argument (*out) is
 *   touched.
 * - Invalid arguments: NULL where a pointer is required, an enum value outside its list (e.g.
 *   (rgm_format)7), a time before the previous one: RGM_INVALID_ARGUMENT, never a crash. Input
 *   bigger than 4 MiB (the engine's limit on any parsed input): RGM_RESOURCE_EXHAUSTED.
 * - Bytes in: (const void* data, size_t size, rgm_format format). data must not be NULL, even
 *   when size is 0. The library never keeps a pointer to caller memory after a call returns.
 * - Bytes out: an rgm_buffer owned by the caller, released with rgm_buffer_free.
 * - Strings out: const char* owned by the library. rgm_version, rgm_status_name and
 *   rgm_event_type_name return static strings; rgm_last_error's string lives until the next
 *   failed call on the same thread; an event's strings live until the next call that is given
 *   the same session, or until it is freed.
 * - Times are int64_t milliseconds of the host's monotonic clock. The engine never reads a
 *   clock: the host passes the time with every input, and it must never go backwards.
 * - Exceptions and crashes never cross this API: an allocation failure is
 *   RGM_RESOURCE_EXHAUSTED, any other unexpected failure inside the library RGM_INTERNAL.
 *
 * Threads
 * -------
 * Distinct handles may be used from distinct threads at once; one handle from one thread at a
 * time (a session is not locked). A catalog is immutable once created and may be shared by any
 * number of threads and sessions at once, including while sessions created from it run.
 * rgm_last_error is per thread.
 *
 * Compatibility
 * -------------
 * Plain C99 (also valid C++). Enum values and struct layouts are fixed within a major version;
 * rgm_event carries its size so that fields can be added at its end.
 */
#ifndef REGIMEN_REGIMEN_H_
#define REGIMEN_REGIMEN_H_

#include <stddef.h>
#include <stdint.h>

/* The library's version; kept equal to CMake's project(VERSION) (a configure-time check fails
 * the build otherwise). rgm_version() returns the same numbers as a string, "0.1.0". */
#define REGIMEN_VERSION_MAJOR 0
#define REGIMEN_VERSION_MINOR 1
#define REGIMEN_VERSION_PATCH 0

/* RGM_API marks the exported functions. The library's own build defines REGIMEN_BUILDING;
 * Windows users of the static library define REGIMEN_STATIC. */
#if defined(_WIN32) || defined(__CYGWIN__)
#if defined(REGIMEN_STATIC)
#define RGM_API
#elif defined(REGIMEN_BUILDING)
#define RGM_API __declspec(dllexport)
#else
#define RGM_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define RGM_API __attribute__((visibility("default")))
#else
#define RGM_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Status, errors, version
 */

/* The outcome of a call. Values equal absl::StatusCode's (and are fixed forever). */
typedef enum rgm_status {
  RGM_OK = 0,
  RGM_INVALID_ARGUMENT = 3,    /* NULL pointer, bad enum value, malformed or invalid input */
  RGM_NOT_FOUND = 5,           /* an id (routine, exercise, ...) that does not exist */
  RGM_RESOURCE_EXHAUSTED = 8,  /* a size limit exceeded, or out of memory */
  RGM_FAILED_PRECONDITION = 9, /* the call is not allowed now (e.g. the session has finished) */
  RGM_OUT_OF_RANGE = 11,       /* a value outside its allowed range */
  RGM_UNIMPLEMENTED = 12,      /* not supported by this build */
  RGM_INTERNAL = 13            /* a bug in the library; the message says where */
} rgm_status;

/* The status's name without prefix: "OK", "INVALID_ARGUMENT", ... . Every absl::StatusCode
 * value (0..16) is named (codes outside the list above are not expected, but would pass through
 * unchanged); "UNKNOWN" for anything else. Static storage; never NULL. */
RGM_API const char* rgm_status_name(rgm_status status);

/* The message of the most recent failed call on the calling thread, naming what was wrong and
 * where (e.g. a field path in a catalog); "" when no call on this thread has failed. Successful
 * calls leave it as it is. The string is owned by the library and stays valid until the next
 * failed call on the same thread. Never NULL. */
RGM_API const char* rgm_last_error(void);

/* "MAJOR.MINOR.PATCH" of the library actually loaded (compare with the REGIMEN_VERSION_* macros
 * the host was compiled with). Static storage. */
RGM_API const char* rgm_version(void);

/* ---------------------------------------------------------------------------------------------
 * Formats and buffers
 */

/* How messages (catalogs, routines, profiles, snapshots, records, ...) are encoded. */
typedef enum rgm_format {
  RGM_FORMAT_BINARY = 0, /* protobuf wire format */
  RGM_FORMAT_JSON = 1,   /* protobuf JSON mapping (lowerCamelCase field names) */
  RGM_FORMAT_TEXT = 2    /* protobuf text format */
} rgm_format;

/* Bytes returned by the library. The caller owns them and releases them with rgm_buffer_free.
 * data is NUL-terminated one past size (handy for JSON and text), which size does not count. */
typedef struct rgm_buffer {
  char* data;
  size_t size;
} rgm_buffer;

/* Releases buffer->data and sets it to {NULL, 0}. Accepts NULL, and a buffer already freed or
 * zero-initialized. */
RGM_API void rgm_buffer_free(rgm_buffer* buffer);

/* ---------------------------------------------------------------------------------------------
 * Catalog: a validated, immutable content pack (exercises, routines, habits, progression rules).
 */

typedef struct rgm_catalog rgm_catalog;

/* The content pack compiled into the library (back care: routines "back_basics" and
 * "back_basics_plus"). On success *out is a new handle to release with rgm_catalog_free. */
RGM_API rgm_status rgm_catalog_default(rgm_catalog** out);

/* Parses and validates a regimen.v1.Catalog. Errors: RGM_INVALID_ARGUMENT when malformed or
 * invalid (the message lists every problem with its field path, e.g.
 * "exercises[2].phases[1].duration.breaths: must be 1..20, got 0"); RGM_RESOURCE_EXHAUSTED when
 * over 4 MiB or past a catalog limit. On success *out is a new handle. */
RGM_API rgm_status rgm_catalog_parse(const void* data, size_t size, rgm_format format,
                                     rgm_catalog** out);

/* Releases a catalog. Sessions created from it do not need it: they may outlive it. Accepts
 * NULL. */
RGM_API void rgm_catalog_free(rgm_catalog* catalog);

/* The catalog's routine `routine_id` (a regimen.v1.Routine) in `format`, written to *out, which
 * the caller releases with rgm_buffer_free. Errors: RGM_NOT_FOUND when the catalog has no such
 * routine. */
RGM_API rgm_status rgm_catalog_routine(const rgm_catalog* catalog, const char* routine_id,
                                       rgm_format format, rgm_buffer* out);

/* The whole catalog (a regimen.v1.Catalog: its exercises with their cues, routines, habits,
 * ladders and rules) in `format`, written to *out, which the caller releases with
 * rgm_buffer_free: what a player shows (routine names, habit prompts) without parsing the pack
 * itself. (An addition to the contract, for bindings and players.) */
RGM_API rgm_status rgm_catalog_serialize(const rgm_catalog* catalog, rgm_format format,
                                         rgm_buffer* out);

/* ---------------------------------------------------------------------------------------------
 * Session: a running routine. Feed it time and user inputs; poll the events it emits.
 *
 * Semantics: a tick at now_ms emits, in order, every event scheduled at or before now_ms (a long
 * gap is caught up, each event keeping its own time). Pause while paused and resume while
 * running are accepted and change nothing. Pause freezes every timer (no phase or cue events
 * while paused; next_deadline is -1) and resume shifts the rest of the schedule by exactly the
 * paused time. Skip ends the current exercise and moves to the next. Stop ends the session
 * (SESSION_COMPLETED follows; the record says stopped). A pain report of at least the stop
 * threshold (default 6 of 10) emits SAFETY_STOP and ends the session (EXERCISE_COMPLETED and
 * SESSION_COMPLETED follow; the record's end reason is SAFETY_STOP). A cue that cannot be spoken
 * in time is emitted as CUE_SKIPPED with its id and text, so a host can show it. Once
 * SESSION_COMPLETED has been emitted every input returns RGM_FAILED_PRECONDITION. An input
 * whose now_ms is before the previous input's is RGM_INVALID_ARGUMENT and changes nothing.
 */

typedef struct rgm_session rgm_session;

/* A user signal. */
typedef enum rgm_signal {
  RGM_SIGNAL_PAUSE = 1,
  RGM_SIGNAL_RESUME,   /* 2 */
  RGM_SIGNAL_SKIP,     /* 3: end the current exercise, go to the next */
  RGM_SIGNAL_REP_DONE, /* 4: ends a phase that waits for the user */
  RGM_SIGNAL_STOP      /* 5: end the session */
} rgm_signal;

/* What a user reports. */
typedef enum rgm_report {
  RGM_REPORT_PAIN = 1,  /* value 0..10; side optional (where it hurts) */
  RGM_REPORT_ASYMMETRY, /* 2: side (LEFT or RIGHT) is the side that takes over; value unused */
  RGM_REPORT_EFFORT     /* 3: value 0..10, rate of perceived exertion */
} rgm_report;

/* A body side; NONE for bilateral exercises. */
typedef enum rgm_side { RGM_SIDE_NONE = 0, RGM_SIDE_LEFT, RGM_SIDE_RIGHT } rgm_side;

/* What an event announces. */
typedef enum rgm_event_type {
  RGM_EVENT_SESSION_STARTED = 1,
  RGM_EVENT_EXERCISE_STARTED,   /* 2 */
  RGM_EVENT_PHASE_STARTED,      /* 3 */
  RGM_EVENT_CUE,                /* 4: something to say or show: cue_id, text */
  RGM_EVENT_REP_COMPLETED,      /* 5 */
  RGM_EVENT_SET_COMPLETED,      /* 6 */
  RGM_EVENT_EXERCISE_COMPLETED, /* 7 */
  RGM_EVENT_PAUSED,             /* 8 */
  RGM_EVENT_RESUMED,            /* 9 */
  RGM_EVENT_SAFETY_STOP,        /* 10 */
  RGM_EVENT_SESSION_COMPLETED,  /* 11: the last event of a session */
  RGM_EVENT_CUE_SKIPPED         /* 12: a cue that could not be spoken in time: cue_id, text */
} rgm_event_type;

/* The event type's name without prefix, e.g. "CUE", "SESSION_COMPLETED"; "UNKNOWN" for a value
 * not listed above. Static storage. (An addition to the contract, for bindings and logs.) */
RGM_API const char* rgm_event_type_name(rgm_event_type type);

/* One event. Before polling, the caller sets struct_size to sizeof(rgm_event), the size its
 * code was compiled with. Later versions add fields only at the end, after `text`, and
 * rgm_session_poll writes only the fields that lie wholly within struct_size, never a byte at
 * or past it; so a host compiled against this header keeps working with later libraries, and
 * one compiled against a later header (a bigger struct_size) works with this library. */
typedef struct rgm_event {
  uint32_t struct_size; /* the caller sets sizeof(rgm_event); lets the struct grow later */
  rgm_event_type type;
  int64_t at_ms;       /* when it was scheduled to happen (catch-up events keep their time) */
  int32_t block_index; /* position in the routine, -1 where none */
  int32_t set_index;   /* 0-based, -1 where none */
  int32_t rep_index;   /* 0-based, -1 where none */
  rgm_side side;
  int64_t duration_ms;     /* planned length of the phase that starts; -1 open-ended or n/a */
  const char* exercise_id; /* borrowed: valid until the next call on this session; "" if none */
  const char* phase;       /* phase kind name, e.g. "hold"; "" if none */
  const char* cue_id;      /* CUE and CUE_SKIPPED only, else "" */
  const char* text;        /* CUE, CUE_SKIPPED: the words to show or speak; others: a short label */
} rgm_event;

/* The size of rgm_event's first version, which ends with `text` (every field above): the least
 * struct_size rgm_session_poll accepts. It stays the same when fields are added. (An addition to
 * the contract, for hosts and bindings that lay the struct out themselves.) */
#define RGM_EVENT_SIZE_V1 (offsetof(rgm_event, text) + sizeof(const char*))

/* A session running `routine` (a regimen.v1.Routine in `format`) against `catalog`, with the
 * default session options. The session copies what it needs (it carries its compiled plan), so
 * the routine bytes and the catalog may be released right after. Errors: RGM_INVALID_ARGUMENT
 * for a malformed routine, or one the catalog cannot run: an empty routine, an unknown exercise
 * id, a prescription outside the exercise's safe ranges (the message names the field, e.g.
 * "blocks[1].exercise_id: unknown exercise \"nope\""), a first block that is not the catalog's
 * primer ("blocks[0]: a routine starts with the primer grow_through_spine, got prone_lift");
 * RGM_FAILED_PRECONDITION for a routine holding a gated exercise (prone_rock, so
 * back_basics_plus), which needs the attestations of rgm_session_new_with_options;
 * RGM_RESOURCE_EXHAUSTED for more than 200 blocks or more than 4 hours. On success *out is a
 * new handle to release with rgm_session_free. */
RGM_API rgm_status rgm_session_new(const rgm_catalog* catalog, const void* routine, size_t size,
                                   rgm_format format, rgm_session** out);

/* The same with a regimen.v1.SessionOptions message (breath period, speaking rate, pain
 * threshold, cue timing, attestations) in `options_format`; NULL/0 = the defaults.
 * options may be NULL only with options_size 0; options_size 0 means the defaults whatever
 * options points to; options_format is checked in every case. Gate: a routine holding a gated
 * exercise is refused with RGM_FAILED_PRECONDITION, nothing created, unless the options'
 * `attestations` hold every attestation its gate names; rgm_last_error names the exercise and
 * the missing attestation ("... exercise prone_rock is gated and the session options lack the
 * attestation spine_flexible_strong_balanced ..."). (The history half of a gate, a pain-free
 * and balanced record, is applied by rgm_progress.) Errors besides rgm_session_new's:
 * RGM_INVALID_ARGUMENT for options that do not parse, a value out of its range (the message
 * names the option) or an attestation the catalog does not declare; RGM_RESOURCE_EXHAUSTED for
 * options over 4 MiB. */
RGM_API rgm_status rgm_session_new_with_options(const rgm_catalog* catalog, const void* routine,
                                                size_t size, rgm_format format, const void* options,
                                                size_t options_size, rgm_format options_format,
                                                rgm_session** out);

/* Releases a session. Accepts NULL. */
RGM_API void rgm_session_free(rgm_session* session);

/* Starts the session at now_ms (emits SESSION_STARTED and the count-in). Errors:
 * RGM_FAILED_PRECONDITION when already started. Every other input (tick, signal, report) before
 * start is RGM_FAILED_PRECONDITION too. */
RGM_API rgm_status rgm_session_start(rgm_session* s, int64_t now_ms);

/* Advances time to now_ms, emitting every event due at or before it. */
RGM_API rgm_status rgm_session_tick(rgm_session* s, int64_t now_ms);

/* A user signal at now_ms (events due at or before now_ms are emitted first). REP_DONE ends a
 * phase that waits for the user; on a timed phase it changes nothing, so a stray tap never
 * shortens a hold. Errors: RGM_INVALID_ARGUMENT for a value outside rgm_signal. */
RGM_API rgm_status rgm_session_signal(rgm_session* s, rgm_signal signal, int64_t now_ms);

/* A user report at now_ms: see rgm_report for value and side. Pain at or above the stop
 * threshold (default 6) emits the safety cue and SAFETY_STOP and ends the session
 * (EXERCISE_COMPLETED, SESSION_COMPLETED); pain 4..5 gives an ease-off cue; asymmetry gives the
 * corrective cue and one extra rep per set on the weaker side for the rest of the exercise; effort
 * is recorded. Errors: RGM_INVALID_ARGUMENT for a bad kind or side, pain or effort outside 0..10,
 * an asymmetry without a side. */
RGM_API rgm_status rgm_session_report(rgm_session* s, rgm_report kind, int32_t value, rgm_side side,
                                      int64_t now_ms);

/* The host's speech of the cue `cue_id` (the cue_id of its RGM_EVENT_CUE) really ended at now_ms
 * (a host that speaks knows when an utterance ends; the plan only estimates it). The next cue
 * then starts no earlier than now_ms plus the cue gap. With SessionOptions.await_speech_end
 * unset, once a host has reported one end, every later cue waits for its own report (at most its
 * estimate plus max_cue_delay_ms); hosts that report nothing keep the estimated schedule. A report
 * of a cue other than the one last said, or after the session finished, changes nothing.
 * Errors: RGM_INVALID_ARGUMENT for a NULL or empty cue_id or time going backwards; RGM_NOT_FOUND
 * when the session's plan has no cue of that id; RGM_FAILED_PRECONDITION before start. */
RGM_API rgm_status rgm_session_speech_ended(rgm_session* s, const char* cue_id, int64_t now_ms);

/* When the next timed transition is due, ms; -1 when no timer is pending (not started, paused,
 * waiting for a signal, finished) or when s is NULL. Tick at that time (or later). */
RGM_API int64_t rgm_session_next_deadline(const rgm_session* s);

/* 1 once SESSION_COMPLETED was emitted, else 0 (also 0 when s is NULL). */
RGM_API int rgm_session_finished(const rgm_session* s);

/* Takes the oldest pending event and writes it to *out: returns 1, or 0 when the queue is
 * empty. REQUIRES: out->struct_size >= RGM_EVENT_SIZE_V1 (sizeof(rgm_event) is always enough).
 * It writes the fields of rgm_event that lie wholly within out->struct_size (with this
 * header: every field after struct_size, which it never writes), nothing at or past
 * out->struct_size, and leaves fields it does not know (of a later header) as they were. When
 * s or out is NULL, or out->struct_size is smaller than RGM_EVENT_SIZE_V1, it returns 0, leaves
 * *out and the queue untouched (the event is not consumed: the next poll returns it) and sets
 * rgm_last_error (status RGM_INVALID_ARGUMENT), so a host that sees 0 with a queue it expects
 * non-empty can check there. The event's strings are borrowed: valid until the next call given
 * this session. */
RGM_API int rgm_session_poll(rgm_session* s, rgm_event* out);

/* The session's complete state (a regimen.v1.SessionSnapshot, with its compiled plan and every
 * pending event) in `format`, into *out (released with rgm_buffer_free). Restoring it yields a
 * session that behaves exactly as this one would, even if the catalog changed meanwhile. */
RGM_API rgm_status rgm_session_snapshot(const rgm_session* s, rgm_format format, rgm_buffer* out);

/* A session from a snapshot made by rgm_session_snapshot; needs no catalog. Errors:
 * RGM_INVALID_ARGUMENT for a malformed or inconsistent snapshot (e.g. truncated),
 * RGM_FAILED_PRECONDITION for a snapshot of another version, RGM_RESOURCE_EXHAUSTED over 4 MiB.
 * On success *out is a new handle. */
RGM_API rgm_status rgm_session_restore(const void* snapshot, size_t size, rgm_format format,
                                       rgm_session** out);

/* What has happened so far (a regimen.v1.SessionRecord: per block reps and holds done per side,
 * skips, reports, safety stops, durations; `end` says completed or stopped) in `format`, into
 * *out. Valid at any time; records of finished sessions feed rgm_progress. */
RGM_API rgm_status rgm_session_record(const rgm_session* s, rgm_format format, rgm_buffer* out);

/* ---------------------------------------------------------------------------------------------
 * Routines, progression and schedules. Each takes a message in `format` and writes its answer
 * in the same format into an rgm_buffer the caller releases with rgm_buffer_free.
 */

/* A routine (regimen.v1.Routine) for `profile` (a regimen.v1.Profile: conditions,
 * attestations, minutesPerWeek, sessionsPerWeek, seed, ...). Deterministic for a given profile
 * seed. Gated exercises appear only when the profile meets their gate; `notes` says what was
 * left out and why. Errors: RGM_INVALID_ARGUMENT naming the profile field (e.g.
 * "profile.sessions_per_week: must be 1..7, got 9"); RGM_OUT_OF_RANGE when even the primer alone
 * does not fit the weekly budget. */
RGM_API rgm_status rgm_routine_generate(const rgm_catalog* catalog, const void* profile,
                                        size_t size, rgm_format format, rgm_buffer* out_routine);

/* The next step (a regimen.v1.ProgressDecision: `routine`, and `changes` each with exerciseId,
 * action and reason) for `request` (a regimen.v1.ProgressRequest: `routine`, `profile`,
 * `records` as returned by rgm_session_record, oldest first). */
RGM_API rgm_status rgm_progress(const rgm_catalog* catalog, const void* request, size_t size,
                                rgm_format format, rgm_buffer* out_decision);

/* Session days and daily habit prompts (a regimen.v1.Schedule: `sessions` with date and
 * routineId, `prompts` with an RFC 3339 time and habitId) for `request` (a
 * regimen.v1.ScheduleRequest: `profile`, `startDate` "YYYY-MM-DD", `days`). Errors:
 * RGM_INVALID_ARGUMENT naming the field, also for a time zone that is not a tz database name
 * ("Europe/Berlin"; not "localtime", "posixrules", "Factory", a path or a name with a NUL);
 * RGM_OUT_OF_RANGE for dates outside 1970-01-01..2199-12-31. */
RGM_API rgm_status rgm_schedule(const rgm_catalog* catalog, const void* request, size_t size,
                                rgm_format format, rgm_buffer* out_schedule);

/* ---------------------------------------------------------------------------------------------
 * FIT files (Garmin's Flexible and Interoperable Data Transfer format, read by Garmin Connect,
 * most sports watches and many training logs). The answer is the file's bytes, in an rgm_buffer
 * the caller releases with rgm_buffer_free. (Additions to the contract, issue 16.)
 */

/* A FIT workout file of `routine` (a regimen.v1.Routine in `format`): one step per exercise and
 * side with its rep count (or planned time, for a single timed rep such as the primer), Garmin's
 * exercise category and name from the exercise's `fit` mapping, notes from its setup cues;
 * repeat steps for sets; rest steps. Errors as rgm_session_new's for a routine a session would
 * refuse (a gated exercise: RGM_FAILED_PRECONDITION; the workout has no attestations). */
RGM_API rgm_status rgm_routine_export_fit(const rgm_catalog* catalog, const void* routine,
                                          size_t size, rgm_format format, rgm_buffer* out);

/* A FIT activity file of `record` (a regimen.v1.SessionRecord in `format`, as rgm_session_record
 * gives it): a lap and an active set (reps done, category) per block reached, rest sets between,
 * the session's elapsed and timer (active) time. The record's times must be Unix ms (the host's
 * wall clock): RGM_INVALID_ARGUMENT naming the field for a start before 1989-12-31 (FIT's epoch)
 * or times out of order; RGM_NOT_FOUND for an exercise the catalog lacks. */
RGM_API rgm_status rgm_record_export_fit(const rgm_catalog* catalog, const void* record,
                                         size_t size, rgm_format format, rgm_buffer* out);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* REGIMEN_REGIMEN_H_ */
