/* The library writes nothing to the host's stderr: protobuf's own complaints about a damaged
 * message (e.g. invalid UTF-8 in a string field) end up in the returned error, not on stderr.
 * stderr is redirected to a temporary file around the calls, which must stay empty. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capi_check.h"
#include "regimen/regimen.h"

/* A binary Profile whose time_zone (field 7) is not UTF-8, and a binary Catalog whose id
 * (field 1) is not. */
static const char kBadProfile[] = {0x3a, 0x03, 'U', (char)0xff, (char)0xfe};
static const char kBadCatalog[] = {0x0a, 0x02, (char)0xc3, (char)0x28};

int main(void) {
  char path[] = "/tmp/regimen_quiet_XXXXXX";
  const int capture = mkstemp(path);
  CHECK(capture >= 0);
  if (capture < 0) return 1;
  fflush(stderr);
  const int saved = dup(STDERR_FILENO);
  dup2(capture, STDERR_FILENO);

  rgm_catalog* catalog = NULL;
  rgm_buffer out = {NULL, 0};
  const rgm_status defaults = rgm_catalog_default(&catalog);
  const rgm_status profile =
      rgm_routine_generate(catalog, kBadProfile, sizeof kBadProfile, RGM_FORMAT_BINARY, &out);
  char profile_error[512];
  snprintf(profile_error, sizeof profile_error, "%s", rgm_last_error());
  rgm_catalog* parsed = NULL;
  const rgm_status parse =
      rgm_catalog_parse(kBadCatalog, sizeof kBadCatalog, RGM_FORMAT_BINARY, &parsed);
  char catalog_error[512];
  snprintf(catalog_error, sizeof catalog_error, "%s", rgm_last_error());

  fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  const off_t written = lseek(capture, 0, SEEK_END);
  char said[512] = "";
  if (written > 0) {
    lseek(capture, 0, SEEK_SET);
    const ssize_t n = read(capture, said, sizeof said - 1);
    said[n > 0 ? n : 0] = '\0';
  }
  close(capture);
  unlink(path);

  CHECK(defaults == RGM_OK);
  CHECK(profile == RGM_INVALID_ARGUMENT);
  CHECK(strstr(profile_error, "regimen.v1.Profile") != NULL);
  CHECK(strstr(profile_error, "UTF-8") != NULL); /* protobuf's words, in the error */
  CHECK(parse == RGM_INVALID_ARGUMENT);
  CHECK(parsed == NULL);
  CHECK(strstr(catalog_error, "UTF-8") != NULL);
  CHECK(out.data == NULL);
  if (written != 0) printf("stderr got %ld bytes: %s\n", (long)written, said);
  CHECK(written == 0);
  printf("profile error: %s\ncatalog error: %s\n", profile_error, catalog_error);
  rgm_catalog_free(catalog);
  if (failures != 0) {
    printf("%d check(s) failed\n", failures);
    return 1;
  }
  printf("ok\n");
  return 0;
}
