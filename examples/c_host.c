/* A complete Regimen host in C: loads the embedded content pack, runs a routine (back_basics by
 * default) hands-free, and prints what to say and when.
 *
 *   c_host [ROUTINE_ID] [--realtime] [--record] [--attest NAME]...
 *
 * By default time is simulated: the host jumps straight to each deadline the session asks for,
 * so a 10-minute routine prints in milliseconds. With --realtime it sleeps on the monotonic
 * clock between deadlines, as an app would (a phone sleeps until next_deadline). --record prints
 * the session record as JSON at the end. --attest NAME passes an attestation the user gives in
 * the session options: a routine with a gated exercise needs it (back_basics_plus, whose rock
 * needs spine_flexible_strong_balanced). Exit status: 0 when the session completed. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <regimen/regimen.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int64_t monotonic_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_until(int64_t deadline_ms) {
  int64_t wait_ms = deadline_ms - monotonic_ms();
  if (wait_ms > 0) {
    struct timespec ts;
    ts.tv_sec = (time_t)(wait_ms / 1000);
    ts.tv_nsec = (long)(wait_ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
  }
}

/* Reports a failed call with the library's message; returns 1 when the call succeeded. */
static int ok(rgm_status status, const char* what) {
  if (status == RGM_OK) return 1;
  fprintf(stderr, "c_host: %s: %s: %s\n", what, rgm_status_name(status), rgm_last_error());
  return 0;
}

/* One line per event: session time, type, and what to show or say. */
static void print_event(const rgm_event* ev, int64_t start_ms) {
  int64_t t = ev->at_ms - start_ms;
  printf("%3" PRId64 ":%02" PRId64 ".%03" PRId64 "  %-18s", t / 60000, t / 1000 % 60, t % 1000,
         rgm_event_type_name(ev->type));
  switch (ev->type) {
    case RGM_EVENT_CUE:
      printf(" say \"%s\"", ev->text);
      break;
    case RGM_EVENT_EXERCISE_STARTED:
      printf(" %s (%s)", ev->exercise_id, ev->text);
      break;
    case RGM_EVENT_PHASE_STARTED:
      printf(" %s%s for %" PRId64 " ms", ev->phase,
             ev->side == RGM_SIDE_LEFT    ? " left"
             : ev->side == RGM_SIDE_RIGHT ? " right"
                                          : "",
             ev->duration_ms);
      break;
    default:
      printf(" %s", ev->text);
      break;
  }
  printf("\n");
}

int main(int argc, char** argv) {
  const char* routine_id = "back_basics";
  int realtime = 0, print_record = 0, i, completed = 0;
  rgm_catalog* catalog = NULL;
  rgm_session* session = NULL;
  rgm_buffer routine = {NULL, 0}, record = {NULL, 0};
  rgm_event ev;
  int64_t start_ms, now_ms;
  /* The session options (regimen.v1.SessionOptions, JSON): the attestations given. */
  char options[1024] = "{\"attestations\": [";
  size_t attestations = 0;

  for (i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--realtime") == 0)
      realtime = 1;
    else if (strcmp(argv[i], "--record") == 0)
      print_record = 1;
    else if (strcmp(argv[i], "--attest") == 0 && i + 1 < argc &&
             strlen(options) + strlen(argv[i + 1]) + 8 < sizeof options) {
      /* Attestation ids are slugs ([a-z0-9_]), so they need no JSON escaping. */
      if (attestations++ > 0) strcat(options, ", ");
      strcat(options, "\"");
      strcat(options, argv[++i]);
      strcat(options, "\"");
    } else if (argv[i][0] != '-')
      routine_id = argv[i];
    else {
      fprintf(stderr, "usage: c_host [ROUTINE_ID] [--realtime] [--record] [--attest NAME]...\n");
      return 2;
    }
  }
  printf("regimen %s, routine %s, %s clock\n", rgm_version(), routine_id,
         realtime ? "real" : "simulated");

  /* The session copies what it needs: the routine bytes and the catalog can go right away. */
  if (!ok(rgm_catalog_default(&catalog), "loading the default catalog")) return 1;
  if (ok(rgm_catalog_routine(catalog, routine_id, RGM_FORMAT_BINARY, &routine), routine_id)) {
    strcat(options, "]}");
    ok(rgm_session_new_with_options(catalog, routine.data, routine.size, RGM_FORMAT_BINARY, options,
                                    strlen(options), RGM_FORMAT_JSON, &session),
       "creating the session");
  }
  rgm_buffer_free(&routine);
  rgm_catalog_free(catalog);
  if (session == NULL) return 1;

  start_ms = now_ms = realtime ? monotonic_ms() : 0;
  if (!ok(rgm_session_start(session, now_ms), "starting")) goto done;
  memset(&ev, 0, sizeof ev);
  ev.struct_size = sizeof ev;
  for (;;) {
    int64_t deadline;
    while (rgm_session_poll(session, &ev)) print_event(&ev, start_ms);
    if (rgm_session_finished(session)) break;
    deadline = rgm_session_next_deadline(session);
    if (deadline < 0) { /* this host sends no signals, so a wait for one would never end */
      fprintf(stderr, "c_host: the session waits for a signal; %s is not hands-free\n", routine_id);
      goto done;
    }
    if (realtime) {
      sleep_until(deadline);
      now_ms = monotonic_ms();
    } else {
      now_ms = deadline;
    }
    if (!ok(rgm_session_tick(session, now_ms), "ticking")) goto done;
  }
  completed = 1;
  if (print_record && ok(rgm_session_record(session, RGM_FORMAT_JSON, &record), "recording")) {
    printf("%s\n", record.data);
    rgm_buffer_free(&record);
  }
done:
  rgm_session_free(session);
  return completed ? 0 : 1;
}
