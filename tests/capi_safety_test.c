/* Safety through the C API, from C: rgm_session_new_with_options and the gate (a routine holding
 * a gated exercise needs its attestations in the options; NULL/0 options are the defaults; bad
 * options bytes are RGM_INVALID_ARGUMENT, and a failed call creates nothing), and the pain-7
 * script (pain 7 during the first core exercise ends the session: SAFETY_STOP,
 * EXERCISE_COMPLETED, SESSION_COMPLETED, no exercise after it, and the record's end is
 * SESSION_END_SAFETY_STOP). Links the shared library only.
 *
 * Run: capi_safety_test. Prints each failed check with its line; exits 1 when any failed. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capi_check.h"
#include "regimen/regimen.h"

/* What failed calls must leave in *out. */
static char sentinel_storage;
#define SENTINEL_SESSION ((rgm_session*)(void*)&sentinel_storage)

static const char kAttestation[] = "spine_flexible_strong_balanced";
static const char kAttestedJson[] = "{\"attestations\": [\"spine_flexible_strong_balanced\"]}";
static const char kAttestedText[] = "attestations: \"spine_flexible_strong_balanced\"";
/* The same SessionOptions in the wire format: field 8 (attestations), length 30. */
static const char kAttestedBinary[] =
    "\x42\x1e"
    "spine_flexible_strong_balanced";

static rgm_event new_event(void) {
  rgm_event ev;
  memset(&ev, 0, sizeof ev);
  ev.struct_size = sizeof ev;
  return ev;
}

static rgm_buffer routine_of(const rgm_catalog* catalog, const char* id) {
  rgm_buffer routine = {NULL, 0};
  CHECK_OK(rgm_catalog_routine(catalog, id, RGM_FORMAT_BINARY, &routine));
  return routine;
}

/* A session of back_basics_plus (binary) with `options`; NULL when refused. */
static rgm_session* plus_with(const rgm_catalog* catalog, const char* options, size_t size,
                              rgm_format format, rgm_status expected) {
  rgm_buffer routine = routine_of(catalog, "back_basics_plus");
  rgm_session* session = SENTINEL_SESSION;
  CHECK_STATUS(rgm_session_new_with_options(catalog, routine.data, routine.size, RGM_FORMAT_BINARY,
                                            options, size, format, &session),
               expected);
  rgm_buffer_free(&routine);
  if (expected != RGM_OK) {
    CHECK(session == SENTINEL_SESSION); /* nothing created, *out untouched */
    return NULL;
  }
  CHECK(session != NULL && session != SENTINEL_SESSION);
  return session;
}

/* Ticks deadline after deadline to the end; counts the events polled and the exercises started
 * (into *started, when not NULL, the id of each in turn). */
static size_t run_to_end(rgm_session* s, char started[][32], size_t* n_started) {
  size_t events = 0;
  int guard = 0;
  rgm_event ev = new_event();
  for (;;) {
    while (rgm_session_poll(s, &ev)) {
      ++events;
      if (ev.type == RGM_EVENT_EXERCISE_STARTED && started != NULL && *n_started < 8) {
        snprintf(started[*n_started], 32, "%s", ev.exercise_id);
        ++*n_started;
      }
      ev = new_event();
    }
    if (rgm_session_finished(s) || rgm_session_next_deadline(s) < 0 || ++guard > 100000) break;
    CHECK_OK(rgm_session_tick(s, rgm_session_next_deadline(s)));
  }
  return events;
}

static void test_gate(void) {
  rgm_catalog* catalog = NULL;
  rgm_buffer routine;
  rgm_session* session = SENTINEL_SESSION;
  char started[8][32];
  size_t n_started = 0;
  CHECK_OK(rgm_catalog_default(&catalog));

  /* rgm_session_new runs with the default options, which attest nothing: refused. */
  routine = routine_of(catalog, "back_basics_plus");
  CHECK_STATUS(rgm_session_new(catalog, routine.data, routine.size, RGM_FORMAT_BINARY, &session),
               RGM_FAILED_PRECONDITION);
  CHECK(session == SENTINEL_SESSION);
  CHECK_ERROR_HAS("rgm_session_new: blocks[4]: exercise prone_rock is gated");
  CHECK_ERROR_HAS(kAttestation);
  rgm_buffer_free(&routine);

  /* NULL/0 options are the defaults: refused alike. */
  plus_with(catalog, NULL, 0, RGM_FORMAT_BINARY, RGM_FAILED_PRECONDITION);
  CHECK_ERROR_HAS("rgm_session_new_with_options: ");
  CHECK_ERROR_HAS("prone_rock");
  CHECK_ERROR_HAS(kAttestation);
  /* Options that set other things do not open the gate. */
  plus_with(catalog, "{\"painStopThreshold\": 4}", 24, RGM_FORMAT_JSON, RGM_FAILED_PRECONDITION);
  CHECK_ERROR_HAS(kAttestation);

  /* With the attestation, in each format, the session runs, the rock included. */
  rgm_session_free(
      plus_with(catalog, kAttestedText, strlen(kAttestedText), RGM_FORMAT_TEXT, RGM_OK));
  rgm_session_free(
      plus_with(catalog, kAttestedBinary, sizeof kAttestedBinary - 1, RGM_FORMAT_BINARY, RGM_OK));
  session = plus_with(catalog, kAttestedJson, strlen(kAttestedJson), RGM_FORMAT_JSON, RGM_OK);
  if (session != NULL) {
    CHECK_OK(rgm_session_start(session, 0));
    run_to_end(session, started, &n_started);
    CHECK(rgm_session_finished(session) == 1);
    CHECK(n_started == 5);
    if (n_started == 5) CHECK(strcmp(started[4], "prone_rock") == 0);
  }
  rgm_session_free(session);
  rgm_catalog_free(catalog);
}

/* NULL/0 options give exactly the session rgm_session_new gives. */
static void test_null_options_are_the_defaults(void) {
  rgm_catalog* catalog = NULL;
  rgm_buffer routine, with_new = {NULL, 0}, with_options = {NULL, 0};
  rgm_session *a = NULL, *b = NULL, *c = NULL;
  CHECK_OK(rgm_catalog_default(&catalog));
  routine = routine_of(catalog, "back_basics");
  CHECK_OK(rgm_session_new(catalog, routine.data, routine.size, RGM_FORMAT_BINARY, &a));
  CHECK_OK(rgm_session_new_with_options(catalog, routine.data, routine.size, RGM_FORMAT_BINARY,
                                        NULL, 0, RGM_FORMAT_BINARY, &b));
  /* A size of 0 means the defaults whatever the pointer (here: not even valid JSON). */
  CHECK_OK(rgm_session_new_with_options(catalog, routine.data, routine.size, RGM_FORMAT_BINARY, "{",
                                        0, RGM_FORMAT_JSON, &c));
  if (a != NULL && b != NULL && c != NULL) {
    CHECK_OK(rgm_session_start(a, 0));
    CHECK_OK(rgm_session_start(b, 0));
    CHECK_OK(rgm_session_start(c, 0));
    CHECK(run_to_end(a, NULL, NULL) == run_to_end(b, NULL, NULL));
    CHECK(run_to_end(c, NULL, NULL) > 0);
    CHECK_OK(rgm_session_record(a, RGM_FORMAT_BINARY, &with_new));
    CHECK_OK(rgm_session_record(b, RGM_FORMAT_BINARY, &with_options));
    CHECK(with_new.size == with_options.size &&
          memcmp(with_new.data, with_options.data, with_new.size) == 0);
    rgm_buffer_free(&with_new);
    CHECK_OK(rgm_session_snapshot(a, RGM_FORMAT_BINARY, &with_new));
    rgm_buffer_free(&with_options);
    CHECK_OK(rgm_session_snapshot(b, RGM_FORMAT_BINARY, &with_options));
    CHECK(with_new.size == with_options.size &&
          memcmp(with_new.data, with_options.data, with_new.size) == 0);
  }
  rgm_buffer_free(&with_new);
  rgm_buffer_free(&with_options);
  rgm_session_free(a);
  rgm_session_free(b);
  rgm_session_free(c);
  rgm_buffer_free(&routine);
  rgm_catalog_free(catalog);
}

/* Options that do not parse, or that name what is out of range or unknown: RGM_INVALID_ARGUMENT,
 * the message naming what is wrong, nothing created. */
static void test_bad_options(void) {
  static const char kNotJson[] = "{\"attestations\": [";
  static const char kBadWire[] = "\x42\x7f"; /* a string field longer than the bytes left */
  static const char kBadText[] = "no_such_field: 1";
  static const char kBadRange[] = "{\"breathPeriodMs\": \"1\"}";
  static const char kUnknown[] = "{\"attestations\": [\"spine_flexible\"]}";
  rgm_catalog* catalog = NULL;
  rgm_buffer routine;
  rgm_session* session = SENTINEL_SESSION;
  CHECK_OK(rgm_catalog_default(&catalog));

  plus_with(catalog, kNotJson, strlen(kNotJson), RGM_FORMAT_JSON, RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("options");
  plus_with(catalog, kBadWire, sizeof kBadWire - 1, RGM_FORMAT_BINARY, RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("options");
  plus_with(catalog, kBadText, strlen(kBadText), RGM_FORMAT_TEXT, RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("options");
  plus_with(catalog, kBadRange, strlen(kBadRange), RGM_FORMAT_JSON, RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("breath_period_ms");
  plus_with(catalog, kUnknown, strlen(kUnknown), RGM_FORMAT_JSON, RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("options.attestations[0]: unknown attestation \"spine_flexible\"");
  /* Valid options in the wrong format do not parse either. */
  plus_with(catalog, kAttestedJson, strlen(kAttestedJson), RGM_FORMAT_BINARY, RGM_INVALID_ARGUMENT);
  plus_with(catalog, NULL, 5, RGM_FORMAT_BINARY, RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("options is NULL");
  plus_with(catalog, kAttestedJson, strlen(kAttestedJson), (rgm_format)7, RGM_INVALID_ARGUMENT);
  plus_with(catalog, NULL, 0, (rgm_format)-1, RGM_INVALID_ARGUMENT);

  /* The other arguments are checked as rgm_session_new checks them. */
  routine = routine_of(catalog, "back_basics");
  CHECK_STATUS(rgm_session_new_with_options(NULL, routine.data, routine.size, RGM_FORMAT_BINARY,
                                            NULL, 0, RGM_FORMAT_BINARY, &session),
               RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_session_new_with_options(catalog, NULL, 0, RGM_FORMAT_BINARY, NULL, 0,
                                            RGM_FORMAT_BINARY, &session),
               RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_session_new_with_options(catalog, routine.data, routine.size, RGM_FORMAT_BINARY,
                                            NULL, 0, RGM_FORMAT_BINARY, NULL),
               RGM_INVALID_ARGUMENT);
  CHECK(session == SENTINEL_SESSION);
  rgm_buffer_free(&routine);
  rgm_catalog_free(catalog);
}

/* Pain 7 three seconds into prone_lift (block 1, the first core exercise) of back_basics_plus:
 * the session ends there, and the record says why. */
static void test_pain_seven(void) {
  rgm_catalog* catalog = NULL;
  rgm_session* s;
  rgm_buffer record = {NULL, 0};
  rgm_event ev = new_event();
  rgm_event_type after[64];
  size_t n_after = 0, i;
  int64_t now = -1;
  int guard = 0, later_start = 0;
  CHECK_OK(rgm_catalog_default(&catalog));
  s = plus_with(catalog, kAttestedJson, strlen(kAttestedJson), RGM_FORMAT_JSON, RGM_OK);
  if (s == NULL) {
    rgm_catalog_free(catalog);
    return;
  }
  CHECK_OK(rgm_session_start(s, 0));
  while (now < 0 && guard++ < 10000) {
    while (rgm_session_poll(s, &ev)) {
      if (ev.type == RGM_EVENT_EXERCISE_STARTED && ev.block_index == 1) {
        CHECK(strcmp(ev.exercise_id, "prone_lift") == 0);
        now = ev.at_ms + 3000;
      }
      ev = new_event();
    }
    if (now < 0) CHECK_OK(rgm_session_tick(s, rgm_session_next_deadline(s)));
  }
  CHECK(now > 0);
  CHECK_OK(rgm_session_tick(s, now));
  while (rgm_session_poll(s, &ev)) ev = new_event();
  CHECK_OK(rgm_session_report(s, RGM_REPORT_PAIN, 7, RGM_SIDE_NONE, now));
  for (guard = 0; guard < 10000; ++guard) {
    while (rgm_session_poll(s, &ev)) {
      if (ev.type == RGM_EVENT_EXERCISE_STARTED) later_start = 1;
      if (ev.type == RGM_EVENT_SAFETY_STOP) {
        CHECK(ev.at_ms == now);
        CHECK(strcmp(ev.exercise_id, "prone_lift") == 0);
      }
      if (ev.type != RGM_EVENT_CUE && ev.type != RGM_EVENT_CUE_SKIPPED && n_after < 64) {
        after[n_after++] = ev.type;
      }
      ev = new_event();
    }
    if (rgm_session_finished(s) || rgm_session_next_deadline(s) < 0) break;
    CHECK_OK(rgm_session_tick(s, rgm_session_next_deadline(s)));
  }
  CHECK(rgm_session_finished(s) == 1);
  CHECK(!later_start);
  CHECK(n_after == 3);
  if (n_after == 3) {
    CHECK(after[0] == RGM_EVENT_SAFETY_STOP);
    CHECK(after[1] == RGM_EVENT_EXERCISE_COMPLETED);
    CHECK(after[2] == RGM_EVENT_SESSION_COMPLETED);
  }
  for (i = 0; i < n_after; ++i) {
    if (after[i] != RGM_EVENT_SAFETY_STOP && after[i] != RGM_EVENT_EXERCISE_COMPLETED &&
        after[i] != RGM_EVENT_SESSION_COMPLETED) {
      fprintf(stderr, "unexpected event after the stop: %s\n", rgm_event_type_name(after[i]));
    }
  }
  CHECK_STATUS(rgm_session_tick(s, now + 1000), RGM_FAILED_PRECONDITION);

  CHECK_OK(rgm_session_record(s, RGM_FORMAT_JSON, &record));
  CHECK(record.data != NULL && strstr(record.data, "\"end\":\"SESSION_END_SAFETY_STOP\"") != NULL);
  CHECK(record.data != NULL && strstr(record.data, "\"pain\":7") != NULL);
  if (failures > 0 && record.data != NULL) fprintf(stderr, "record: %s\n", record.data);
  rgm_buffer_free(&record);
  rgm_session_free(s);
  rgm_catalog_free(catalog);
}

int main(void) {
  test_gate();
  test_null_options_are_the_defaults();
  test_bad_options();
  test_pain_seven();
  if (failures > 0) {
    fprintf(stderr, "%d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("capi_safety_test: %d checks passed\n", checks);
  return 0;
}
