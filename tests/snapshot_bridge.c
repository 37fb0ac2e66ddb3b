/* snapshot_bridge IN.snapshot UNTIL_MS OUT.snapshot: the native half of the JS package's snapshot
 * test (bindings/js/test/snapshot.test.mjs). Restores a binary SessionSnapshot made by the
 * WebAssembly build, runs it natively from deadline to deadline up to UNTIL_MS, prints every event
 * as one JSON object per line (the JS package's SessionEvent shape) and writes the session's own
 * snapshot to OUT, which the JS side restores in turn. Exit 1 with the reason on stderr. */
#include <stdio.h>
#include <stdlib.h>

#include "regimen/regimen.h"

static const char* const kSides[] = {"NONE", "LEFT", "RIGHT"};

static void print_string(const char* s) {
  putchar('"');
  for (; *s != '\0'; ++s) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      printf("\\%c", c);
    } else if (c < 0x20) {
      printf("\\u%04x", c);
    } else {
      putchar(c);
    }
  }
  putchar('"');
}

static void print_events(rgm_session* session) {
  rgm_event e;
  e.struct_size = sizeof e;
  while (rgm_session_poll(session, &e)) {
    printf("{\"type\":\"%s\",\"atMs\":%lld,\"blockIndex\":%d,\"setIndex\":%d,\"repIndex\":%d,",
           rgm_event_type_name(e.type), (long long)e.at_ms, (int)e.block_index, (int)e.set_index,
           (int)e.rep_index);
    printf("\"side\":\"%s\",\"durationMs\":%lld,\"exerciseId\":", kSides[e.side],
           (long long)e.duration_ms);
    print_string(e.exercise_id);
    printf(",\"phase\":");
    print_string(e.phase);
    printf(",\"cueId\":");
    print_string(e.cue_id);
    printf(",\"text\":");
    print_string(e.text);
    printf("}\n");
  }
}

static int fail(const char* what) {
  fprintf(stderr, "snapshot_bridge: %s: %s\n", what, rgm_last_error());
  return 1;
}

int main(int argc, char** argv) {
  FILE* in;
  FILE* out;
  char* bytes;
  long size;
  long long until;
  rgm_session* session = NULL;
  rgm_buffer snapshot = {NULL, 0};
  if (argc != 4) {
    fprintf(stderr, "usage: snapshot_bridge IN.snapshot UNTIL_MS OUT.snapshot\n");
    return 2;
  }
  until = atoll(argv[2]);
  in = fopen(argv[1], "rb");
  if (in == NULL) {
    perror(argv[1]);
    return 1;
  }
  fseek(in, 0, SEEK_END);
  size = ftell(in);
  fseek(in, 0, SEEK_SET);
  bytes = malloc(size > 0 ? (size_t)size : 1);
  if (bytes == NULL || fread(bytes, 1, (size_t)size, in) != (size_t)size) {
    fprintf(stderr, "snapshot_bridge: cannot read %s\n", argv[1]);
    return 1;
  }
  fclose(in);
  if (rgm_session_restore(bytes, (size_t)size, RGM_FORMAT_BINARY, &session) != RGM_OK) {
    return fail("restore");
  }
  free(bytes);
  print_events(session);
  while (!rgm_session_finished(session)) {
    int64_t deadline = rgm_session_next_deadline(session);
    if (deadline < 0 || deadline > until) break;
    if (rgm_session_tick(session, deadline) != RGM_OK) return fail("tick");
    print_events(session);
  }
  if (rgm_session_snapshot(session, RGM_FORMAT_BINARY, &snapshot) != RGM_OK)
    return fail("snapshot");
  out = fopen(argv[3], "wb");
  if (out == NULL || fwrite(snapshot.data, 1, snapshot.size, out) != snapshot.size) {
    fprintf(stderr, "snapshot_bridge: cannot write %s\n", argv[3]);
    return 1;
  }
  fclose(out);
  rgm_buffer_free(&snapshot);
  rgm_session_free(session);
  return 0;
}
