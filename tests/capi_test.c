/* The C API from C: every function, every error path, the names and numeric values that
 * /work/shared/CAPI.md fixes, a hands-free back_basics run, snapshot/restore, records, and
 * generate/progress/schedule. Links the shared library (libregimen.so) only.
 *
 * Run: capi_test [-v]. Prints each failed check with its line; exits 1 when any failed. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capi_check.h"
#include "regimen/regimen.h"

static int contains(const rgm_buffer* buffer, const char* needle) {
  return buffer->data != NULL && strstr(buffer->data, needle) != NULL;
}

/* A sentinel that failed calls must leave in their out-arguments. */
static char sentinel_storage;
#define SENTINEL_CATALOG ((rgm_catalog*)(void*)&sentinel_storage)
#define SENTINEL_SESSION ((rgm_session*)(void*)&sentinel_storage)

static rgm_event new_event(void) {
  rgm_event ev;
  memset(&ev, 0, sizeof ev);
  ev.struct_size = sizeof ev;
  return ev;
}

/* --- A recorded event trace, to compare runs --------------------------------------------- */

typedef struct {
  rgm_event_type type;
  int64_t at_ms;
  int32_t block_index, set_index, rep_index;
  rgm_side side;
  int64_t duration_ms;
  char exercise_id[64], phase[32], cue_id[64], text[512];
} stored_event;

typedef struct {
  stored_event* events;
  size_t size, capacity;
} trace;

static void copy_string(char* to, size_t capacity, const char* from) {
  size_t n = strlen(from);
  if (n >= capacity) n = capacity - 1;
  memcpy(to, from, n);
  to[n] = '\0';
}

static void trace_add(trace* t, const rgm_event* ev) {
  stored_event* s;
  if (t->size == t->capacity) {
    t->capacity = t->capacity ? 2 * t->capacity : 256;
    t->events = (stored_event*)realloc(t->events, t->capacity * sizeof *t->events);
    if (t->events == NULL) abort();
  }
  s = &t->events[t->size++];
  s->type = ev->type;
  s->at_ms = ev->at_ms;
  s->block_index = ev->block_index;
  s->set_index = ev->set_index;
  s->rep_index = ev->rep_index;
  s->side = ev->side;
  s->duration_ms = ev->duration_ms;
  copy_string(s->exercise_id, sizeof s->exercise_id, ev->exercise_id);
  copy_string(s->phase, sizeof s->phase, ev->phase);
  copy_string(s->cue_id, sizeof s->cue_id, ev->cue_id);
  copy_string(s->text, sizeof s->text, ev->text);
}

static int stored_equal(const stored_event* a, const stored_event* b) {
  return a->type == b->type && a->at_ms == b->at_ms && a->block_index == b->block_index &&
         a->set_index == b->set_index && a->rep_index == b->rep_index && a->side == b->side &&
         a->duration_ms == b->duration_ms && strcmp(a->exercise_id, b->exercise_id) == 0 &&
         strcmp(a->phase, b->phase) == 0 && strcmp(a->cue_id, b->cue_id) == 0 &&
         strcmp(a->text, b->text) == 0;
}

/* Polls every pending event into t (when not NULL); returns how many there were. Checks the
 * invariants every event must hold. */
static size_t drain(rgm_session* s, trace* t) {
  size_t n = 0;
  rgm_event ev = new_event();
  while (rgm_session_poll(s, &ev)) {
    ++n;
    CHECK(ev.type >= RGM_EVENT_SESSION_STARTED && ev.type <= RGM_EVENT_CUE_SKIPPED);
    CHECK(ev.exercise_id != NULL && ev.phase != NULL && ev.cue_id != NULL && ev.text != NULL);
    CHECK(ev.side == RGM_SIDE_NONE || ev.side == RGM_SIDE_LEFT || ev.side == RGM_SIDE_RIGHT);
    if (ev.type == RGM_EVENT_CUE || ev.type == RGM_EVENT_CUE_SKIPPED) {
      CHECK(ev.cue_id[0] != '\0' && ev.text[0] != '\0');
    } else {
      CHECK(ev.cue_id[0] == '\0');
    }
    if (ev.type == RGM_EVENT_PHASE_STARTED) CHECK(ev.phase[0] != '\0');
    if (t != NULL) {
      if (t->size > 0) CHECK(ev.at_ms >= t->events[t->size - 1].at_ms);
      trace_add(t, &ev);
    }
    ev = new_event();
  }
  return n;
}

/* Ticks from deadline to deadline until the session finishes; the run must never wait for a
 * signal. Returns the number of ticks. */
static int run_to_end(rgm_session* s, trace* t) {
  int ticks = 0;
  drain(s, t);
  while (!rgm_session_finished(s)) {
    int64_t deadline = rgm_session_next_deadline(s);
    CHECK(deadline >= 0);
    if (deadline < 0 || ticks > 100000) break;
    CHECK_OK(rgm_session_tick(s, deadline));
    ++ticks;
    /* A tick at the deadline emits what was due then. */
    CHECK(drain(s, t) > 0);
  }
  return ticks;
}

static rgm_catalog* default_catalog(void) {
  rgm_catalog* catalog = NULL;
  CHECK_OK(rgm_catalog_default(&catalog));
  CHECK(catalog != NULL);
  return catalog;
}

static rgm_session* new_session(const rgm_catalog* catalog, const char* routine_id) {
  rgm_buffer routine = {NULL, 0};
  rgm_session* session = NULL;
  CHECK_OK(rgm_catalog_routine(catalog, routine_id, RGM_FORMAT_BINARY, &routine));
  CHECK_OK(rgm_session_new(catalog, routine.data, routine.size, RGM_FORMAT_BINARY, &session));
  rgm_buffer_free(&routine);
  CHECK(session != NULL);
  return session;
}

/* --- The fixed names and values --------------------------------------------------------- */

static void test_names_and_values(void) {
  char expected[32];
  CHECK(RGM_OK == 0);
  CHECK(RGM_INVALID_ARGUMENT == 3);
  CHECK(RGM_NOT_FOUND == 5);
  CHECK(RGM_RESOURCE_EXHAUSTED == 8);
  CHECK(RGM_FAILED_PRECONDITION == 9);
  CHECK(RGM_OUT_OF_RANGE == 11);
  CHECK(RGM_UNIMPLEMENTED == 12);
  CHECK(RGM_INTERNAL == 13);
  CHECK(strcmp(rgm_status_name(RGM_OK), "OK") == 0);
  CHECK(strcmp(rgm_status_name(RGM_INVALID_ARGUMENT), "INVALID_ARGUMENT") == 0);
  CHECK(strcmp(rgm_status_name(RGM_NOT_FOUND), "NOT_FOUND") == 0);
  CHECK(strcmp(rgm_status_name(RGM_RESOURCE_EXHAUSTED), "RESOURCE_EXHAUSTED") == 0);
  CHECK(strcmp(rgm_status_name(RGM_FAILED_PRECONDITION), "FAILED_PRECONDITION") == 0);
  CHECK(strcmp(rgm_status_name(RGM_OUT_OF_RANGE), "OUT_OF_RANGE") == 0);
  CHECK(strcmp(rgm_status_name(RGM_UNIMPLEMENTED), "UNIMPLEMENTED") == 0);
  CHECK(strcmp(rgm_status_name(RGM_INTERNAL), "INTERNAL") == 0);
  CHECK(strcmp(rgm_status_name((rgm_status)99), "UNKNOWN") == 0);
  CHECK(strcmp(rgm_status_name((rgm_status)-1), "UNKNOWN") == 0);

  CHECK(RGM_FORMAT_BINARY == 0 && RGM_FORMAT_JSON == 1 && RGM_FORMAT_TEXT == 2);
  CHECK(RGM_SIGNAL_PAUSE == 1 && RGM_SIGNAL_RESUME == 2 && RGM_SIGNAL_SKIP == 3 &&
        RGM_SIGNAL_REP_DONE == 4 && RGM_SIGNAL_STOP == 5);
  CHECK(RGM_REPORT_PAIN == 1 && RGM_REPORT_ASYMMETRY == 2 && RGM_REPORT_EFFORT == 3);
  CHECK(RGM_SIDE_NONE == 0 && RGM_SIDE_LEFT == 1 && RGM_SIDE_RIGHT == 2);
  CHECK(RGM_EVENT_SESSION_STARTED == 1 && RGM_EVENT_EXERCISE_STARTED == 2 &&
        RGM_EVENT_PHASE_STARTED == 3 && RGM_EVENT_CUE == 4 && RGM_EVENT_REP_COMPLETED == 5 &&
        RGM_EVENT_SET_COMPLETED == 6 && RGM_EVENT_EXERCISE_COMPLETED == 7 &&
        RGM_EVENT_PAUSED == 8 && RGM_EVENT_RESUMED == 9 && RGM_EVENT_SAFETY_STOP == 10 &&
        RGM_EVENT_SESSION_COMPLETED == 11 && RGM_EVENT_CUE_SKIPPED == 12);
  CHECK(strcmp(rgm_event_type_name(RGM_EVENT_CUE_SKIPPED), "CUE_SKIPPED") == 0);
  CHECK(strcmp(rgm_event_type_name(RGM_EVENT_SESSION_STARTED), "SESSION_STARTED") == 0);
  CHECK(strcmp(rgm_event_type_name(RGM_EVENT_CUE), "CUE") == 0);
  CHECK(strcmp(rgm_event_type_name(RGM_EVENT_SAFETY_STOP), "SAFETY_STOP") == 0);
  CHECK(strcmp(rgm_event_type_name(RGM_EVENT_SESSION_COMPLETED), "SESSION_COMPLETED") == 0);
  CHECK(strcmp(rgm_event_type_name((rgm_event_type)0), "UNKNOWN") == 0);
  CHECK(strcmp(rgm_event_type_name((rgm_event_type)13), "UNKNOWN") == 0);

  /* The struct's documented layout: struct_size first, so it can grow. */
  CHECK(offsetof(rgm_event, struct_size) == 0);
  CHECK(sizeof(rgm_buffer) == sizeof(char*) + sizeof(size_t));

  snprintf(expected, sizeof expected, "%d.%d.%d", REGIMEN_VERSION_MAJOR, REGIMEN_VERSION_MINOR,
           REGIMEN_VERSION_PATCH);
  CHECK(strcmp(rgm_version(), expected) == 0);
  CHECK(strcmp(rgm_version(), "0.1.0") == 0);
}

static void test_buffer_free(void) {
  rgm_buffer empty = {NULL, 0};
  rgm_catalog* catalog = default_catalog();
  rgm_buffer b = {NULL, 0};
  rgm_buffer_free(NULL);
  rgm_buffer_free(&empty);
  CHECK(empty.data == NULL && empty.size == 0);
  CHECK_OK(rgm_catalog_routine(catalog, "back_basics", RGM_FORMAT_TEXT, &b));
  CHECK(b.data != NULL && b.size > 0);
  CHECK(b.data[b.size] == '\0'); /* NUL-terminated past size */
  CHECK(strlen(b.data) == b.size);
  rgm_buffer_free(&b);
  CHECK(b.data == NULL && b.size == 0);
  rgm_buffer_free(&b); /* a freed buffer may be freed again */
  rgm_catalog_free(catalog);
}

/* --- Catalog ---------------------------------------------------------------------------- */

static char* read_file(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  char* data;
  long n;
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  data = (char*)malloc((size_t)n + 1);
  if (data == NULL || fread(data, 1, (size_t)n, f) != (size_t)n) {
    free(data);
    fclose(f);
    return NULL;
  }
  fclose(f);
  data[n] = '\0';
  *size = (size_t)n;
  return data;
}

static void test_catalog(void) {
  rgm_catalog* catalog = SENTINEL_CATALOG;
  rgm_catalog* parsed = NULL;
  rgm_buffer b = {NULL, 0};
  rgm_buffer untouched = {NULL, 7};
  const char* bad_text = "exercises { id: \"x\" name: ";
  const char* invalid = "id: \"tiny\" exercises { id: \"Bad Id!\" name: \"x\" }";
  size_t size = 0, big_size = (4u << 20) + 1;
  char* text = read_file(REGIMEN_SOURCE_DIR "/catalog/back_care.textproto", &size);
  char* big = (char*)malloc(big_size);

  /* rgm_catalog_default */
  CHECK_STATUS(rgm_catalog_default(NULL), RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("rgm_catalog_default");
  CHECK_ERROR_HAS("out is NULL");

  /* rgm_catalog_parse: every error leaves *out as it was. */
  CHECK_STATUS(rgm_catalog_parse(NULL, 10, RGM_FORMAT_TEXT, &catalog), RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("data is NULL");
  CHECK(catalog == SENTINEL_CATALOG);
  CHECK_STATUS(rgm_catalog_parse("", 0, RGM_FORMAT_TEXT, NULL), RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_catalog_parse("", 0, (rgm_format)7, &catalog), RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("got 7");
  CHECK_STATUS(rgm_catalog_parse("", 0, (rgm_format)-1, &catalog), RGM_INVALID_ARGUMENT);
  CHECK(catalog == SENTINEL_CATALOG);
  CHECK_STATUS(rgm_catalog_parse(bad_text, strlen(bad_text), RGM_FORMAT_TEXT, &catalog),
               RGM_INVALID_ARGUMENT);
  CHECK(catalog == SENTINEL_CATALOG);
  CHECK_STATUS(rgm_catalog_parse("{\"nope\": 1}", 11, RGM_FORMAT_JSON, &catalog),
               RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_catalog_parse("\xff\xff\xff", 3, RGM_FORMAT_BINARY, &catalog),
               RGM_INVALID_ARGUMENT);
  /* Well-formed but invalid: the message names the field. */
  CHECK_STATUS(rgm_catalog_parse(invalid, strlen(invalid), RGM_FORMAT_TEXT, &catalog),
               RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("exercises[0]");
  CHECK(catalog == SENTINEL_CATALOG);
  CHECK(big != NULL);
  if (big != NULL) {
    memset(big, ' ', big_size);
    CHECK_STATUS(rgm_catalog_parse(big, big_size, RGM_FORMAT_TEXT, &catalog),
                 RGM_RESOURCE_EXHAUSTED);
    CHECK_ERROR_HAS("4 MiB");
    CHECK(catalog == SENTINEL_CATALOG);
  }

  /* The content pack's source parses as text and gives the same routines. */
  CHECK(text != NULL);
  if (text != NULL) {
    CHECK_OK(rgm_catalog_parse(text, size, RGM_FORMAT_TEXT, &parsed));
    CHECK(parsed != NULL);
  }

  catalog = default_catalog();
  /* rgm_catalog_routine in the three formats. */
  CHECK_OK(rgm_catalog_routine(catalog, "back_basics", RGM_FORMAT_JSON, &b));
  CHECK(contains(&b, "\"id\":\"back_basics\""));
  CHECK(contains(&b, "grow_through_spine") && contains(&b, "prone_lift") &&
        contains(&b, "prone_leg_lift") && contains(&b, "prone_opposite_lift"));
  CHECK(!contains(&b, "prone_rock"));
  rgm_buffer_free(&b);
  CHECK_OK(rgm_catalog_routine(catalog, "back_basics_plus", RGM_FORMAT_TEXT, &b));
  CHECK(contains(&b, "id: \"back_basics_plus\"") && contains(&b, "prone_rock"));
  rgm_buffer_free(&b);
  CHECK_OK(rgm_catalog_routine(catalog, "back_basics", RGM_FORMAT_BINARY, &b));
  CHECK(b.size > 0);
  if (parsed != NULL) {
    rgm_buffer b2 = {NULL, 0};
    CHECK_OK(rgm_catalog_routine(parsed, "back_basics", RGM_FORMAT_BINARY, &b2));
    CHECK(b2.size == b.size && memcmp(b.data, b2.data, b.size) == 0);
    rgm_buffer_free(&b2);
  }
  rgm_buffer_free(&b);

  /* rgm_catalog_serialize: the whole pack, which parses back into the same catalog. */
  CHECK_OK(rgm_catalog_serialize(catalog, RGM_FORMAT_JSON, &b));
  CHECK(contains(&b, "\"back_basics_plus\"") && contains(&b, "posture_check") &&
        contains(&b, "Elbows and knees soft"));
  rgm_buffer_free(&b);
  CHECK_OK(rgm_catalog_serialize(catalog, RGM_FORMAT_BINARY, &b));
  {
    rgm_catalog* again = NULL;
    rgm_buffer b2 = {NULL, 0};
    CHECK_OK(rgm_catalog_parse(b.data, b.size, RGM_FORMAT_BINARY, &again));
    CHECK_OK(rgm_catalog_serialize(again, RGM_FORMAT_BINARY, &b2));
    CHECK(b2.size == b.size && memcmp(b.data, b2.data, b.size) == 0);
    rgm_buffer_free(&b2);
    rgm_catalog_free(again);
  }
  rgm_buffer_free(&b);
  CHECK_STATUS(rgm_catalog_serialize(NULL, RGM_FORMAT_JSON, &b), RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("catalog is NULL");
  CHECK_STATUS(rgm_catalog_serialize(catalog, (rgm_format)7, &untouched), RGM_INVALID_ARGUMENT);
  CHECK(untouched.data == NULL && untouched.size == 7);
  CHECK_STATUS(rgm_catalog_serialize(catalog, RGM_FORMAT_JSON, NULL), RGM_INVALID_ARGUMENT);

  CHECK_STATUS(rgm_catalog_routine(catalog, "nope", RGM_FORMAT_JSON, &untouched), RGM_NOT_FOUND);
  CHECK_ERROR_HAS("nope");
  CHECK(untouched.data == NULL && untouched.size == 7);
  CHECK_STATUS(rgm_catalog_routine(NULL, "back_basics", RGM_FORMAT_JSON, &b), RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("catalog is NULL");
  CHECK_STATUS(rgm_catalog_routine(catalog, NULL, RGM_FORMAT_JSON, &b), RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("routine_id is NULL");
  CHECK_STATUS(rgm_catalog_routine(catalog, "back_basics", RGM_FORMAT_JSON, NULL),
               RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_catalog_routine(catalog, "back_basics", (rgm_format)3, &untouched),
               RGM_INVALID_ARGUMENT);
  CHECK(untouched.data == NULL && untouched.size == 7);

  rgm_catalog_free(NULL);
  rgm_catalog_free(parsed);
  rgm_catalog_free(catalog);
  free(text);
  free(big);
}

/* --- Sessions --------------------------------------------------------------------------- */

static void test_session_new_errors(void) {
  rgm_catalog* catalog = default_catalog();
  rgm_session* session = SENTINEL_SESSION;
  rgm_buffer routine = {NULL, 0};
  const char* unknown = "id: \"x\" blocks { exercise_id: \"no_such_exercise\" }";
  const char* empty = "id: \"x\"";
  char* big = (char*)calloc((4u << 20) + 1, 1);

  CHECK_OK(rgm_catalog_routine(catalog, "back_basics", RGM_FORMAT_BINARY, &routine));
  CHECK_STATUS(rgm_session_new(NULL, routine.data, routine.size, RGM_FORMAT_BINARY, &session),
               RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("catalog is NULL");
  CHECK_STATUS(rgm_session_new(catalog, NULL, routine.size, RGM_FORMAT_BINARY, &session),
               RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("routine is NULL");
  CHECK_STATUS(rgm_session_new(catalog, routine.data, routine.size, RGM_FORMAT_BINARY, NULL),
               RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_session_new(catalog, routine.data, routine.size, (rgm_format)7, &session),
               RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_session_new(catalog, "{", 1, RGM_FORMAT_JSON, &session), RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_session_new(catalog, unknown, strlen(unknown), RGM_FORMAT_TEXT, &session),
               RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("no_such_exercise");
  CHECK_STATUS(rgm_session_new(catalog, empty, strlen(empty), RGM_FORMAT_TEXT, &session),
               RGM_INVALID_ARGUMENT);
  if (big != NULL) {
    CHECK_STATUS(rgm_session_new(catalog, big, (4u << 20) + 1, RGM_FORMAT_BINARY, &session),
                 RGM_RESOURCE_EXHAUSTED);
  }
  CHECK(session == SENTINEL_SESSION);
  rgm_session_free(NULL);
  rgm_buffer_free(&routine);
  rgm_catalog_free(catalog);
  free(big);
}

/* back_basics from start to SESSION_COMPLETED, hands-free: only ticks at next_deadline. */
static void test_hands_free_run(void) {
  static const char* const kExercises[] = {"grow_through_spine", "prone_lift", "prone_leg_lift",
                                           "prone_opposite_lift"};
  rgm_catalog* catalog = default_catalog();
  rgm_session* s = new_session(catalog, "back_basics");
  trace t = {NULL, 0, 0};
  rgm_buffer record = {NULL, 0};
  size_t i, started = 0, cues = 0, phases = 0;
  int ticks;
  rgm_event ev = new_event();

  rgm_catalog_free(catalog); /* the session does not need it */
  /* Before start nothing is timed and nothing but start is allowed. */
  CHECK(rgm_session_next_deadline(s) == -1);
  CHECK(rgm_session_finished(s) == 0);
  CHECK(rgm_session_poll(s, &ev) == 0);
  CHECK_STATUS(rgm_session_tick(s, 0), RGM_FAILED_PRECONDITION);
  CHECK_STATUS(rgm_session_signal(s, RGM_SIGNAL_PAUSE, 0), RGM_FAILED_PRECONDITION);

  CHECK_OK(rgm_session_start(s, 1000));
  CHECK_STATUS(rgm_session_start(s, 1000), RGM_FAILED_PRECONDITION);
  CHECK(rgm_session_next_deadline(s) > 1000);
  ticks = run_to_end(s, &t);
  CHECK(ticks > 10);
  CHECK(rgm_session_finished(s) == 1);
  CHECK(rgm_session_next_deadline(s) == -1);

  CHECK(t.size > 20);
  if (t.size > 0) {
    CHECK(t.events[0].type == RGM_EVENT_SESSION_STARTED);
    CHECK(t.events[0].at_ms == 1000);
    CHECK(t.events[t.size - 1].type == RGM_EVENT_SESSION_COMPLETED);
  }
  for (i = 0; i < t.size; ++i) {
    const stored_event* e = &t.events[i];
    CHECK(e->type != RGM_EVENT_PAUSED && e->type != RGM_EVENT_RESUMED &&
          e->type != RGM_EVENT_SAFETY_STOP);
    if (e->type == RGM_EVENT_EXERCISE_STARTED) {
      CHECK(started < 4);
      if (started < 4) CHECK(strcmp(e->exercise_id, kExercises[started]) == 0);
      CHECK(e->block_index == (int32_t)started);
      ++started;
    }
    if (e->type == RGM_EVENT_CUE) ++cues;
    if (e->type == RGM_EVENT_PHASE_STARTED) {
      ++phases;
      CHECK(e->duration_ms > 0); /* hands-free: no open-ended phase */
    }
    if (e->type == RGM_EVENT_SESSION_COMPLETED) CHECK(i == t.size - 1);
  }
  CHECK(started == 4);
  CHECK(cues > 4);
  CHECK(phases > 10);

  /* Calls after the end. */
  CHECK_STATUS(rgm_session_tick(s, 10000000), RGM_FAILED_PRECONDITION);
  CHECK_STATUS(rgm_session_signal(s, RGM_SIGNAL_STOP, 10000000), RGM_FAILED_PRECONDITION);
  CHECK_STATUS(rgm_session_report(s, RGM_REPORT_EFFORT, 3, RGM_SIDE_NONE, 10000000),
               RGM_FAILED_PRECONDITION);
  CHECK_STATUS(rgm_session_start(s, 10000000), RGM_FAILED_PRECONDITION);
  CHECK(rgm_session_poll(s, &ev) == 0);

  CHECK_OK(rgm_session_record(s, RGM_FORMAT_JSON, &record));
  CHECK(contains(&record, "\"routineId\"") && contains(&record, "back_basics"));
  CHECK(contains(&record, "SESSION_END_COMPLETED"));
  CHECK(contains(&record, "prone_opposite_lift"));
  rgm_buffer_free(&record);
  rgm_session_free(s);
  free(t.events);
}

/* A session at the start of its first phase after the count-in, with the queue drained. */
static rgm_session* started_session(rgm_catalog* catalog, int64_t* now) {
  rgm_session* s = new_session(catalog, "back_basics");
  CHECK_OK(rgm_session_start(s, 0));
  drain(s, NULL);
  *now = rgm_session_next_deadline(s);
  CHECK_OK(rgm_session_tick(s, *now));
  drain(s, NULL);
  return s;
}

/* Polls the next event; its type, or 0 when none. */
static rgm_event_type next_type(rgm_session* s, rgm_event* ev) {
  *ev = new_event();
  return rgm_session_poll(s, ev) ? ev->type : (rgm_event_type)0;
}

static void test_signals(void) {
  rgm_catalog* catalog = default_catalog();
  int64_t now, deadline;
  rgm_event ev;
  rgm_buffer record = {NULL, 0};
  rgm_session* s = started_session(catalog, &now);
  trace t = {NULL, 0, 0};

  /* Time going backwards is an error that changes nothing. */
  deadline = rgm_session_next_deadline(s);
  CHECK(deadline > now);
  CHECK_STATUS(rgm_session_tick(s, now - 1), RGM_INVALID_ARGUMENT);
  CHECK(rgm_session_next_deadline(s) == deadline);
  CHECK(rgm_session_poll(s, &ev) == 0);

  /* Pause freezes the timers; pause again changes nothing; resume shifts by the pause. */
  CHECK_OK(rgm_session_signal(s, RGM_SIGNAL_PAUSE, now + 100));
  CHECK(next_type(s, &ev) == RGM_EVENT_PAUSED);
  CHECK(ev.at_ms == now + 100);
  CHECK(rgm_session_next_deadline(s) == -1);
  CHECK_OK(rgm_session_signal(s, RGM_SIGNAL_PAUSE, now + 200));
  CHECK(rgm_session_poll(s, &ev) == 0);
  CHECK_OK(rgm_session_tick(s, deadline + 60000));
  CHECK(rgm_session_poll(s, &ev) == 0); /* nothing while paused */
  CHECK_OK(rgm_session_signal(s, RGM_SIGNAL_RESUME, now + 100 + 70000));
  CHECK(next_type(s, &ev) == RGM_EVENT_RESUMED);
  CHECK(rgm_session_next_deadline(s) == deadline + 70000);
  CHECK_OK(rgm_session_signal(s, RGM_SIGNAL_RESUME, now + 100 + 70000));
  CHECK(rgm_session_poll(s, &ev) == 0); /* resume while running changes nothing */
  now += 100 + 70000;

  /* REP_DONE on a timed phase changes nothing. */
  CHECK_OK(rgm_session_signal(s, RGM_SIGNAL_REP_DONE, now));
  CHECK(rgm_session_next_deadline(s) == deadline + 70000);

  /* Skip ends the current exercise and moves on. */
  CHECK_OK(rgm_session_signal(s, RGM_SIGNAL_SKIP, now));
  drain(s, &t);
  {
    size_t i;
    int completed = 0, next_started = 0;
    for (i = 0; i < t.size; ++i) {
      if (t.events[i].type == RGM_EVENT_EXERCISE_COMPLETED &&
          strcmp(t.events[i].exercise_id, "grow_through_spine") == 0) {
        completed = 1;
      }
    }
    CHECK(completed);
    /* The next exercise follows (after the rest between blocks, when there is one). */
    while (!next_started && !rgm_session_finished(s)) {
      deadline = rgm_session_next_deadline(s);
      CHECK(deadline >= now);
      if (deadline < 0) break;
      CHECK_OK(rgm_session_tick(s, deadline));
      while (rgm_session_poll(s, &ev)) {
        if (ev.type == RGM_EVENT_EXERCISE_STARTED) {
          next_started = 1;
          CHECK(strcmp(ev.exercise_id, "prone_lift") == 0);
          CHECK(ev.block_index == 1);
        }
      }
      now = deadline;
    }
    CHECK(next_started);
  }

  /* Bad signals change nothing. */
  CHECK_STATUS(rgm_session_signal(s, (rgm_signal)0, now), RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("got 0");
  CHECK_STATUS(rgm_session_signal(s, (rgm_signal)6, now), RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_session_signal(NULL, RGM_SIGNAL_PAUSE, now), RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_session_tick(NULL, now), RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_session_start(NULL, now), RGM_INVALID_ARGUMENT);

  /* Stop ends the session: SESSION_COMPLETED follows, the record says stopped. */
  CHECK_OK(rgm_session_signal(s, RGM_SIGNAL_STOP, now));
  CHECK(rgm_session_finished(s) == 1);
  {
    int saw_end = 0;
    while (rgm_session_poll(s, &ev)) saw_end = ev.type == RGM_EVENT_SESSION_COMPLETED;
    CHECK(saw_end);
  }
  CHECK(rgm_session_next_deadline(s) == -1);
  CHECK_OK(rgm_session_record(s, RGM_FORMAT_JSON, &record));
  CHECK(contains(&record, "SESSION_END_STOPPED"));
  CHECK(contains(&record, "BLOCK_OUTCOME_SKIPPED"));
  rgm_buffer_free(&record);
  rgm_session_free(s);
  rgm_catalog_free(catalog);
  free(t.events);
}

static void test_reports(void) {
  rgm_catalog* catalog = default_catalog();
  int64_t now;
  rgm_event ev;
  rgm_buffer record = {NULL, 0};
  rgm_session* s = started_session(catalog, &now);
  int saw_stop = 0, saw_completed = 0;
  int64_t deadline = rgm_session_next_deadline(s);

  /* Bad arguments: nothing changes. */
  CHECK_STATUS(rgm_session_report(NULL, RGM_REPORT_PAIN, 2, RGM_SIDE_NONE, now),
               RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_session_report(s, (rgm_report)0, 2, RGM_SIDE_NONE, now), RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_session_report(s, (rgm_report)4, 2, RGM_SIDE_NONE, now), RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_session_report(s, RGM_REPORT_PAIN, 2, (rgm_side)3, now), RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("got 3");
  CHECK_STATUS(rgm_session_report(s, RGM_REPORT_PAIN, 11, RGM_SIDE_NONE, now),
               RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_session_report(s, RGM_REPORT_EFFORT, -1, RGM_SIDE_NONE, now),
               RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_session_report(s, RGM_REPORT_ASYMMETRY, 0, RGM_SIDE_NONE, now),
               RGM_INVALID_ARGUMENT);
  CHECK(rgm_session_poll(s, &ev) == 0);
  CHECK(rgm_session_next_deadline(s) == deadline);

  CHECK_OK(rgm_session_report(s, RGM_REPORT_EFFORT, 4, RGM_SIDE_NONE, now));
  /* Pain at the threshold (6) ends the session: SAFETY_STOP, EXERCISE_COMPLETED, then
   * SESSION_COMPLETED, and no exercise starts after it. */
  CHECK_OK(rgm_session_report(s, RGM_REPORT_PAIN, 6, RGM_SIDE_LEFT, now));
  ev = new_event();
  while (rgm_session_poll(s, &ev)) {
    if (ev.type == RGM_EVENT_SAFETY_STOP) {
      saw_stop = 1;
      CHECK(ev.at_ms == now);
      CHECK(strcmp(ev.exercise_id, "grow_through_spine") == 0);
    }
    if (ev.type == RGM_EVENT_EXERCISE_COMPLETED) saw_completed = saw_stop;
    if (ev.type == RGM_EVENT_EXERCISE_STARTED) CHECK(!saw_stop);
    if (ev.type == RGM_EVENT_SESSION_COMPLETED) CHECK(saw_completed);
  }
  CHECK(saw_stop);
  CHECK(saw_completed);
  CHECK(rgm_session_finished(s) == 1);
  CHECK_STATUS(rgm_session_tick(s, now + 1), RGM_FAILED_PRECONDITION);
  CHECK_OK(rgm_session_record(s, RGM_FORMAT_JSON, &record));
  CHECK(contains(&record, "\"safetyStops\""));
  CHECK(contains(&record, "BLOCK_OUTCOME_SAFETY_STOPPED"));
  CHECK(contains(&record, "SESSION_END_SAFETY_STOP"));
  rgm_buffer_free(&record);
  rgm_session_free(s);
  rgm_catalog_free(catalog);
}

static void test_poll_errors(void) {
  rgm_catalog* catalog = default_catalog();
  rgm_session* s = new_session(catalog, "back_basics");
  rgm_event ev = new_event();
  rgm_event short_ev;

  CHECK(rgm_session_poll(NULL, &ev) == 0);
  CHECK_ERROR_HAS("session is NULL");
  CHECK(rgm_session_next_deadline(NULL) == -1);
  CHECK(rgm_session_finished(NULL) == 0);
  CHECK_OK(rgm_session_start(s, 0));
  CHECK(rgm_session_poll(s, NULL) == 0);
  CHECK_ERROR_HAS("out is NULL");
  /* A struct smaller than RGM_EVENT_SIZE_V1: refused, event kept, *out untouched. */
  memset(&short_ev, 0xAB, sizeof short_ev);
  short_ev.struct_size = (uint32_t)offsetof(rgm_event, text);
  CHECK(rgm_session_poll(s, &short_ev) == 0);
  CHECK_ERROR_HAS("struct_size");
  CHECK(short_ev.at_ms != 0 && short_ev.struct_size == (uint32_t)offsetof(rgm_event, text));
  {
    unsigned char probe[sizeof(int64_t)];
    memset(probe, 0xAB, sizeof probe);
    CHECK(memcmp(&short_ev.at_ms, probe, sizeof probe) == 0);
  }
  short_ev.struct_size = 0;
  CHECK(rgm_session_poll(s, &short_ev) == 0);
  CHECK(rgm_session_poll(s, &ev) == 1);
  CHECK(ev.type == RGM_EVENT_SESSION_STARTED);
  /* A bigger struct (from a newer header) is fine. */
  ev.struct_size = sizeof ev + 64;
  CHECK(rgm_session_poll(s, &ev) == 1);
  rgm_session_free(s);
  rgm_catalog_free(catalog);
}

/* rgm_session_poll serves any struct_size from RGM_EVENT_SIZE_V1 up (a host compiled against an
 * older or newer header), writes nothing at or past it, and refuses a smaller one without
 * consuming the event. The polls take turns on one session, compared with a reference session
 * polled the ordinary way. */
static void test_poll_struct_size(void) {
  enum { kSlack = 64 };
  union {
    rgm_event ev;
    unsigned char bytes[sizeof(rgm_event) + kSlack];
  } big, before;
  rgm_catalog* catalog = default_catalog();
  rgm_session* reference = new_session(catalog, "back_basics");
  rgm_session* s = new_session(catalog, "back_basics");
  trace want = {NULL, 0, 0}, got = {NULL, 0, 0};
  rgm_event ev = new_event();
  size_t i, polls = 0;
  int intact;

  CHECK(RGM_EVENT_SIZE_V1 == offsetof(rgm_event, text) + sizeof(const char*));
  CHECK(RGM_EVENT_SIZE_V1 <= sizeof(rgm_event));
  CHECK_OK(rgm_session_start(reference, 0));
  CHECK_OK(rgm_session_start(s, 0));
  CHECK(drain(reference, &want) >= 3);

  /* The full size: every field written, struct_size kept. */
  CHECK(rgm_session_poll(s, &ev) == 1);
  CHECK(ev.struct_size == sizeof ev);
  CHECK(ev.type == RGM_EVENT_SESSION_STARTED && ev.at_ms == 0);
  CHECK(ev.exercise_id != NULL && ev.phase != NULL && ev.cue_id != NULL && ev.text != NULL);
  trace_add(&got, &ev);

  /* The first version's size in a bigger buffer: the fields through text, nothing after. */
  memset(&big, 0xAB, sizeof big);
  big.ev.struct_size = (uint32_t)RGM_EVENT_SIZE_V1;
  CHECK(rgm_session_poll(s, &big.ev) == 1);
  CHECK(big.ev.struct_size == (uint32_t)RGM_EVENT_SIZE_V1);
  CHECK(big.ev.text != NULL && big.ev.exercise_id != NULL);
  intact = 1;
  for (i = RGM_EVENT_SIZE_V1; i < sizeof big.bytes; ++i) intact &= big.bytes[i] == 0xAB;
  CHECK(intact);
  trace_add(&got, &big.ev);

  /* One byte short: refused with the reason, nothing written, the event kept for the next. */
  memset(&big, 0xCD, sizeof big);
  big.ev.struct_size = (uint32_t)(RGM_EVENT_SIZE_V1 - 1);
  memcpy(&before, &big, sizeof big);
  CHECK(rgm_session_poll(s, &big.ev) == 0);
  CHECK_ERROR_HAS("struct_size");
  CHECK_ERROR_HAS("RGM_EVENT_SIZE_V1");
  CHECK(memcmp(&big, &before, sizeof big) == 0);
  big.ev.struct_size = 0;
  CHECK(rgm_session_poll(s, &big.ev) == 0);

  /* The rest, alternating the two accepted sizes: exactly the reference's events, in order. */
  for (;;) {
    rgm_event* out = &ev;
    if (polls++ % 2 == 0) {
      memset(&big, 0xAB, sizeof big);
      big.ev.struct_size = (uint32_t)RGM_EVENT_SIZE_V1;
      out = &big.ev;
    } else {
      ev = new_event();
    }
    if (!rgm_session_poll(s, out)) break;
    trace_add(&got, out);
  }
  CHECK(got.size == want.size);
  for (i = 0; i < got.size && i < want.size; ++i) {
    CHECK(stored_equal(&got.events[i], &want.events[i]));
  }

  free(want.events);
  free(got.events);
  rgm_session_free(reference);
  rgm_session_free(s);
  rgm_catalog_free(catalog);
}

/* Snapshot in the middle, restore, and continue: the same events and record as without. */
static void test_snapshot_restore(void) {
  rgm_format formats[3] = {RGM_FORMAT_BINARY, RGM_FORMAT_JSON, RGM_FORMAT_TEXT};
  rgm_catalog* catalog = default_catalog();
  int f;
  for (f = 0; f < 3; ++f) {
    rgm_session* s = new_session(catalog, "back_basics");
    rgm_session* restored = SENTINEL_SESSION;
    rgm_buffer snap = {NULL, 0}, untouched = {NULL, 3}, r1 = {NULL, 0}, r2 = {NULL, 0};
    trace a = {NULL, 0, 0}, b = {NULL, 0, 0};
    int i;
    size_t k;
    CHECK_OK(rgm_session_start(s, 500));
    for (i = 0; i < 25 && !rgm_session_finished(s); ++i) {
      CHECK_OK(rgm_session_tick(s, rgm_session_next_deadline(s)));
    }
    /* Some events stay queued: the snapshot must carry them too. */
    CHECK_OK(rgm_session_signal(s, RGM_SIGNAL_PAUSE, rgm_session_next_deadline(s) - 1));
    CHECK_OK(rgm_session_snapshot(s, formats[f], &snap));
    CHECK(snap.size > 0);
    CHECK_OK(rgm_session_restore(snap.data, snap.size, formats[f], &restored));
    CHECK(restored != SENTINEL_SESSION && restored != NULL);
    if (restored == SENTINEL_SESSION || restored == NULL) return;
    CHECK(rgm_session_next_deadline(restored) == rgm_session_next_deadline(s));
    CHECK(rgm_session_finished(restored) == rgm_session_finished(s));
    CHECK_OK(rgm_session_signal(s, RGM_SIGNAL_RESUME, 400000));
    CHECK_OK(rgm_session_signal(restored, RGM_SIGNAL_RESUME, 400000));
    run_to_end(s, &a);
    run_to_end(restored, &b);
    CHECK(a.size == b.size && a.size > 10);
    for (k = 0; k < a.size && k < b.size; ++k) CHECK(stored_equal(&a.events[k], &b.events[k]));
    CHECK_OK(rgm_session_record(s, RGM_FORMAT_BINARY, &r1));
    CHECK_OK(rgm_session_record(restored, RGM_FORMAT_BINARY, &r2));
    CHECK(r1.size == r2.size && memcmp(r1.data, r2.data, r1.size) == 0);

    /* Errors. */
    CHECK_STATUS(rgm_session_snapshot(NULL, formats[f], &untouched), RGM_INVALID_ARGUMENT);
    CHECK_STATUS(rgm_session_snapshot(s, formats[f], NULL), RGM_INVALID_ARGUMENT);
    CHECK_STATUS(rgm_session_snapshot(s, (rgm_format)7, &untouched), RGM_INVALID_ARGUMENT);
    CHECK_STATUS(rgm_session_record(NULL, RGM_FORMAT_JSON, &untouched), RGM_INVALID_ARGUMENT);
    CHECK_STATUS(rgm_session_record(s, RGM_FORMAT_JSON, NULL), RGM_INVALID_ARGUMENT);
    CHECK_STATUS(rgm_session_record(s, (rgm_format)-3, &untouched), RGM_INVALID_ARGUMENT);
    CHECK(untouched.data == NULL && untouched.size == 3);
    rgm_session_free(restored);
    restored = SENTINEL_SESSION;
    CHECK_STATUS(rgm_session_restore(NULL, 10, formats[f], &restored), RGM_INVALID_ARGUMENT);
    CHECK_STATUS(rgm_session_restore(snap.data, snap.size, formats[f], NULL), RGM_INVALID_ARGUMENT);
    CHECK_STATUS(rgm_session_restore(snap.data, snap.size, (rgm_format)9, &restored),
                 RGM_INVALID_ARGUMENT);
    CHECK_STATUS(rgm_session_restore(snap.data, snap.size / 2, formats[f], &restored),
                 RGM_INVALID_ARGUMENT);
    CHECK(restored == SENTINEL_SESSION);

    rgm_buffer_free(&snap);
    rgm_buffer_free(&r1);
    rgm_buffer_free(&r2);
    rgm_session_free(s);
    free(a.events);
    free(b.events);
  }
  rgm_catalog_free(catalog);
}

/* --- Generate, progress, schedule ------------------------------------------------------- */

static void test_generate_progress_schedule(void) {
  rgm_catalog* catalog = default_catalog();
  const char* profile = "{\"minutesPerWeek\": 20, \"sessionsPerWeek\": 2, \"seed\": \"7\"}";
  const char* gated =
      "{\"minutesPerWeek\": 60, \"sessionsPerWeek\": 2, "
      "\"attestations\": [\"spine_flexible_strong_balanced\"]}";
  const char* bad_profile = "{\"sessionsPerWeek\": 9}";
  const char* schedule =
      "{\"profile\": {\"timeZone\": \"Europe/Berlin\", \"sessionsPerWeek\": 2}, "
      "\"startDate\": \"2026-10-19\", \"days\": 14}";
  const char* bad_schedule = "{\"startDate\": \"2026-10-19\", \"days\": 0}";
  rgm_buffer routine = {NULL, 0}, again = {NULL, 0}, out = {NULL, 0}, untouched = {NULL, 5};
  rgm_buffer record = {NULL, 0};
  rgm_session* s;
  char* request;
  size_t request_size;

  CHECK_OK(rgm_routine_generate(catalog, profile, strlen(profile), RGM_FORMAT_JSON, &routine));
  CHECK(contains(&routine, "grow_through_spine") && contains(&routine, "\"blocks\""));
  CHECK(!contains(&routine, "\"exerciseId\":\"prone_rock\""));
  CHECK(contains(&routine, "\"notes\"") && contains(&routine, "prone_rock")); /* a note says why */
  /* Deterministic. */
  CHECK_OK(rgm_routine_generate(catalog, profile, strlen(profile), RGM_FORMAT_JSON, &again));
  CHECK(again.size == routine.size && strcmp(again.data, routine.data) == 0);
  rgm_buffer_free(&again);
  /* A generated routine has no history, so the gated prone_rock never appears. */
  CHECK_OK(rgm_routine_generate(catalog, gated, strlen(gated), RGM_FORMAT_JSON, &out));
  CHECK(!contains(&out, "\"exerciseId\":\"prone_rock\""));
  rgm_buffer_free(&out);
  CHECK_STATUS(
      rgm_routine_generate(catalog, bad_profile, strlen(bad_profile), RGM_FORMAT_JSON, &untouched),
      RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("sessions_per_week");
  CHECK_STATUS(rgm_routine_generate(NULL, profile, strlen(profile), RGM_FORMAT_JSON, &untouched),
               RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_routine_generate(catalog, NULL, 3, RGM_FORMAT_JSON, &untouched),
               RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_routine_generate(catalog, profile, strlen(profile), RGM_FORMAT_JSON, NULL),
               RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_routine_generate(catalog, profile, strlen(profile), (rgm_format)7, &untouched),
               RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_routine_generate(catalog, "{", 1, RGM_FORMAT_JSON, &untouched),
               RGM_INVALID_ARGUMENT);
  CHECK(untouched.data == NULL && untouched.size == 5);

  /* Run the generated routine, then progress from its record. */
  CHECK_OK(rgm_session_new(catalog, routine.data, routine.size, RGM_FORMAT_JSON, &s));
  CHECK_OK(rgm_session_start(s, 0));
  run_to_end(s, NULL);
  CHECK_OK(rgm_session_record(s, RGM_FORMAT_JSON, &record));
  rgm_session_free(s);
  request_size = routine.size + record.size + strlen(profile) + 64;
  request = (char*)malloc(request_size);
  CHECK(request != NULL);
  if (request != NULL) {
    snprintf(request, request_size, "{\"routine\": %s, \"profile\": %s, \"records\": [%s]}",
             routine.data, profile, record.data);
    CHECK_OK(rgm_progress(catalog, request, strlen(request), RGM_FORMAT_JSON, &out));
    CHECK(contains(&out, "\"routine\"") && contains(&out, "\"changes\""));
    CHECK(contains(&out, "\"exerciseId\"") && contains(&out, "\"reason\""));
    CHECK(contains(&out, "\"action\""));
    rgm_buffer_free(&out);
    CHECK_STATUS(rgm_progress(NULL, request, strlen(request), RGM_FORMAT_JSON, &untouched),
                 RGM_INVALID_ARGUMENT);
    CHECK_STATUS(rgm_progress(catalog, request, strlen(request), RGM_FORMAT_JSON, NULL),
                 RGM_INVALID_ARGUMENT);
    CHECK_STATUS(rgm_progress(catalog, request, strlen(request), (rgm_format)5, &untouched),
                 RGM_INVALID_ARGUMENT);
    free(request);
  }
  CHECK_STATUS(rgm_progress(catalog, NULL, 1, RGM_FORMAT_JSON, &untouched), RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_progress(catalog, "{\"records\": 3}", 14, RGM_FORMAT_JSON, &untouched),
               RGM_INVALID_ARGUMENT);
  CHECK(untouched.data == NULL && untouched.size == 5);

  CHECK_OK(rgm_schedule(catalog, schedule, strlen(schedule), RGM_FORMAT_JSON, &out));
  CHECK(contains(&out, "\"sessions\"") && contains(&out, "\"date\":\"2026-10-") &&
        contains(&out, "\"routineId\""));
  CHECK(contains(&out, "\"prompts\"") && contains(&out, "\"habitId\":\"posture_check\""));
  CHECK(contains(&out, "+02:00")); /* Berlin's summer offset before the change on 25 Oct */
  rgm_buffer_free(&out);
  CHECK_STATUS(
      rgm_schedule(catalog, bad_schedule, strlen(bad_schedule), RGM_FORMAT_JSON, &untouched),
      RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("days");
  CHECK_STATUS(rgm_schedule(NULL, schedule, strlen(schedule), RGM_FORMAT_JSON, &untouched),
               RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_schedule(catalog, NULL, 0, RGM_FORMAT_JSON, &untouched), RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_schedule(catalog, schedule, strlen(schedule), RGM_FORMAT_JSON, NULL),
               RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_schedule(catalog, schedule, strlen(schedule), (rgm_format)3, &untouched),
               RGM_INVALID_ARGUMENT);
  CHECK(untouched.data == NULL && untouched.size == 5);
  {
    /* Only tz database names; only dates 1970-01-01..2199-12-31. */
    static const char* const kZones[] = {
        "localtime",           "posixrules",     "Factory", "Europe/Berlin\\u0000xyz",
        "posix/Europe/Berlin", "../zoneinfo/UTC"};
    for (size_t i = 0; i < sizeof kZones / sizeof kZones[0]; ++i) {
      char zoned[200];
      snprintf(zoned, sizeof zoned,
               "{\"profile\": {\"timeZone\": \"%s\"}, \"startDate\": \"2026-10-19\", \"days\": 3}",
               kZones[i]);
      CHECK_STATUS(rgm_schedule(catalog, zoned, strlen(zoned), RGM_FORMAT_JSON, &untouched),
                   RGM_INVALID_ARGUMENT);
      CHECK_ERROR_HAS("profile.time_zone: unknown IANA time zone");
    }
    static const char kOld[] = "{\"startDate\": \"1969-12-31\", \"days\": 3}";
    CHECK_STATUS(rgm_schedule(catalog, kOld, strlen(kOld), RGM_FORMAT_JSON, &untouched),
                 RGM_OUT_OF_RANGE);
    CHECK_ERROR_HAS("request.start_date: must be 1970-01-01..2199-12-31");
    static const char kLate[] = "{\"startDate\": \"2199-12-31\", \"days\": 2}";
    CHECK_STATUS(rgm_schedule(catalog, kLate, strlen(kLate), RGM_FORMAT_JSON, &untouched),
                 RGM_OUT_OF_RANGE);
    CHECK_ERROR_HAS("request.days");
    CHECK(untouched.data == NULL && untouched.size == 5);
  }

  rgm_buffer_free(&record);
  rgm_buffer_free(&routine);
  rgm_catalog_free(catalog);
}

/* The FIT CRC (CRC-16/ARC), to check the exports' file CRC from outside the library. */
static unsigned fit_crc(const char* data, size_t size) {
  static const unsigned table[16] = {0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00,
                                     0x2800, 0xE401, 0xA001, 0x6C00, 0x7800, 0xB401,
                                     0x5000, 0x9C01, 0x8801, 0x4400};
  unsigned crc = 0;
  size_t i;
  for (i = 0; i < size; ++i) {
    unsigned byte = (unsigned char)data[i];
    unsigned tmp = table[crc & 0xF];
    crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ table[byte & 0xF];
    tmp = table[crc & 0xF];
    crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ table[(byte >> 4) & 0xF];
  }
  return crc;
}

static int is_fit(const rgm_buffer* b) {
  unsigned stored;
  if (b->size < 16 || b->data[0] != 14 || memcmp(b->data + 8, ".FIT", 4) != 0) return 0;
  stored = (unsigned char)b->data[b->size - 2] | (unsigned)(unsigned char)b->data[b->size - 1] << 8;
  return stored == fit_crc(b->data, b->size - 2);
}

/* Whether `needle` occurs in the buffer's bytes (which hold NULs). */
static int has_bytes(const rgm_buffer* b, const char* needle) {
  size_t n = strlen(needle);
  size_t i;
  for (i = 0; i + n <= b->size; ++i) {
    if (memcmp(b->data + i, needle, n) == 0) return 1;
  }
  return 0;
}

/* rgm_routine_export_fit and rgm_record_export_fit (Garmin's SDK decodes them in tests/fit). */
static void test_fit_exports(void) {
  rgm_catalog* catalog = default_catalog();
  rgm_buffer routine = {NULL, 0};
  rgm_buffer record = {NULL, 0};
  rgm_buffer fit = {NULL, 0};
  rgm_buffer untouched = {NULL, 7};
  rgm_session* session = NULL;
  trace t;
  static const char kAtZero[] = "{\"routineId\":\"back_basics\",\"endedAtMs\":\"1000\"}";
  static const char kJsonRoutine[] =
      "{\"id\":\"r\",\"blocks\":[{\"exerciseId\":\"grow_through_spine\"}]}";

  CHECK_OK(rgm_catalog_routine(catalog, "back_basics", RGM_FORMAT_BINARY, &routine));
  CHECK_OK(rgm_routine_export_fit(catalog, routine.data, routine.size, RGM_FORMAT_BINARY, &fit));
  CHECK(is_fit(&fit));
  CHECK(has_bytes(&fit, "Prone lift"));
  rgm_buffer_free(&fit);
  CHECK_OK(rgm_routine_export_fit(catalog, kJsonRoutine, sizeof kJsonRoutine - 1, RGM_FORMAT_JSON,
                                  &fit));
  CHECK(is_fit(&fit));
  rgm_buffer_free(&fit);

  /* A session on the wall clock (2026-12-03T08:00:00Z), its record as an activity. */
  CHECK_OK(rgm_session_new(catalog, routine.data, routine.size, RGM_FORMAT_BINARY, &session));
  CHECK_OK(rgm_session_start(session, INT64_C(1796284800000)));
  memset(&t, 0, sizeof t);
  CHECK(run_to_end(session, &t));
  free(t.events);
  CHECK_OK(rgm_session_record(session, RGM_FORMAT_BINARY, &record));
  CHECK_OK(rgm_record_export_fit(catalog, record.data, record.size, RGM_FORMAT_BINARY, &fit));
  CHECK(is_fit(&fit));
  rgm_buffer_free(&fit);
  rgm_buffer_free(&record);
  rgm_session_free(session);

  /* Errors change nothing. */
  CHECK_STATUS(
      rgm_record_export_fit(catalog, kAtZero, sizeof kAtZero - 1, RGM_FORMAT_JSON, &untouched),
      RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("record.started_at_ms");
  CHECK(untouched.data == NULL && untouched.size == 7);
  CHECK_OK(rgm_catalog_routine(catalog, "back_basics_plus", RGM_FORMAT_BINARY, &record));
  CHECK_STATUS(
      rgm_routine_export_fit(catalog, record.data, record.size, RGM_FORMAT_BINARY, &untouched),
      RGM_FAILED_PRECONDITION);
  CHECK_ERROR_HAS("prone_rock");
  rgm_buffer_free(&record);
  CHECK_STATUS(rgm_routine_export_fit(NULL, routine.data, routine.size, RGM_FORMAT_BINARY, &fit),
               RGM_INVALID_ARGUMENT);
  CHECK_ERROR_HAS("catalog is NULL");
  CHECK_STATUS(rgm_routine_export_fit(catalog, routine.data, routine.size, RGM_FORMAT_BINARY, NULL),
               RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_routine_export_fit(catalog, "junk", 4, RGM_FORMAT_BINARY, &untouched),
               RGM_INVALID_ARGUMENT);
  CHECK_STATUS(rgm_record_export_fit(catalog, NULL, 3, RGM_FORMAT_BINARY, &untouched),
               RGM_INVALID_ARGUMENT);
  CHECK(untouched.data == NULL && untouched.size == 7);
  rgm_buffer_free(&routine);
  rgm_catalog_free(catalog);
}

int main(int argc, char** argv) {
  int verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
  /* No call has failed on this thread yet. */
  CHECK(rgm_last_error() != NULL && rgm_last_error()[0] == '\0');

  test_names_and_values();
  test_buffer_free();
  test_catalog();
  test_session_new_errors();
  test_hands_free_run();
  test_signals();
  test_reports();
  test_poll_errors();
  test_poll_struct_size();
  test_snapshot_restore();
  test_generate_progress_schedule();
  test_fit_exports();

  if (verbose || failures) printf("%d of %d checks failed\n", failures, checks);
  return failures == 0 ? 0 : 1;
}
