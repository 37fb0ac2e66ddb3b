/* The protobuf-lite build (REGIMEN_PROTOBUF_LITE=ON): the binary format works end to end, and
 * JSON and text are refused with RGM_UNIMPLEMENTED and a message that says why. */
#include <stdio.h>
#include <string.h>

#include "regimen/regimen.h"

static int failures = 0;

#define CHECK(cond)                                                     \
  do {                                                                  \
    if (!(cond)) {                                                      \
      fprintf(stderr, "%s:%d: CHECK(%s) failed; last error: %s\n",      \
              __FILE__, __LINE__, #cond, rgm_last_error());             \
      ++failures;                                                       \
    }                                                                   \
  } while (0)

int main(void) {
  rgm_catalog* catalog = NULL;
  rgm_buffer routine = {NULL, 0};
  rgm_buffer out = {NULL, 0};
  rgm_session* session = NULL;
  rgm_event event;
  int events = 0;
  int64_t now = 0;
  static const char kJson[] = "{\"id\":\"x\"}";

  CHECK(rgm_catalog_default(&catalog) == RGM_OK);
  CHECK(rgm_catalog_routine(catalog, "back_basics", RGM_FORMAT_BINARY, &routine) == RGM_OK);

  /* JSON and text are unavailable, and nothing is written. */
  CHECK(rgm_catalog_routine(catalog, "back_basics", RGM_FORMAT_JSON, &out) == RGM_UNIMPLEMENTED);
  CHECK(out.data == NULL && out.size == 0);
  CHECK(strstr(rgm_last_error(), "lite") != NULL);
  {
    rgm_catalog* parsed = NULL;
    CHECK(rgm_catalog_parse(kJson, sizeof kJson - 1, RGM_FORMAT_JSON, &parsed) ==
          RGM_UNIMPLEMENTED);
    CHECK(parsed == NULL);
    CHECK(rgm_catalog_parse(kJson, sizeof kJson - 1, RGM_FORMAT_TEXT, &parsed) ==
          RGM_UNIMPLEMENTED);
    CHECK(parsed == NULL);
  }

  /* A whole session in binary, hands-free. */
  CHECK(rgm_session_new(catalog, routine.data, routine.size, RGM_FORMAT_BINARY, &session) ==
        RGM_OK);
  if (session != NULL) {
    CHECK(rgm_session_start(session, now) == RGM_OK);
    while (!rgm_session_finished(session)) {
      now = rgm_session_next_deadline(session);
      if (now < 0) break;
      CHECK(rgm_session_tick(session, now) == RGM_OK);
      memset(&event, 0, sizeof event);
      event.struct_size = sizeof event;
      while (rgm_session_poll(session, &event)) {
        ++events;
        event.struct_size = sizeof event;
      }
    }
    CHECK(rgm_session_finished(session) == 1);
    CHECK(events > 100);
    CHECK(rgm_session_snapshot(session, RGM_FORMAT_BINARY, &out) == RGM_OK);
    CHECK(out.size > 0);
    rgm_buffer_free(&out);
    CHECK(rgm_session_record(session, RGM_FORMAT_JSON, &out) == RGM_UNIMPLEMENTED);
    CHECK(rgm_session_record(session, RGM_FORMAT_BINARY, &out) == RGM_OK);
    rgm_buffer_free(&out);
  }
  rgm_session_free(session);
  rgm_buffer_free(&routine);
  rgm_catalog_free(catalog);
  printf("lite_check: %d events, %d failures\n", events, failures);
  return failures == 0 ? 0 : 1;
}
