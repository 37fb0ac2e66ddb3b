/* The checks the C API's C tests share (capi_test.c, capi_safety_test.c, capi_quiet_test.c): each
 * failed check prints its line to stderr and counts; a test exits 1 when `failures` is not 0.
 * One translation unit per test program, so the counters are plain statics. */
#ifndef REGIMEN_TESTS_CAPI_CHECK_H_
#define REGIMEN_TESTS_CAPI_CHECK_H_

#include <stdio.h>
#include <string.h>

#include "regimen/regimen.h"

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    ++checks;                                                                  \
    if (!(cond)) {                                                             \
      ++failures;                                                              \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

/* Checks that `call` returns `expected`, showing both names and the last error otherwise. */
#define CHECK_STATUS(call, expected)                                                       \
  do {                                                                                     \
    rgm_status check_status_ = (call);                                                     \
    ++checks;                                                                              \
    if (check_status_ != (expected)) {                                                     \
      ++failures;                                                                          \
      fprintf(stderr, "%s:%d: %s\n  returned %s, expected %s; last error: %s\n", __FILE__, \
              __LINE__, #call, rgm_status_name(check_status_), rgm_status_name(expected),  \
              rgm_last_error());                                                           \
    }                                                                                      \
  } while (0)

#define CHECK_OK(call) CHECK_STATUS(call, RGM_OK)

/* The last error mentions `needle`. */
#define CHECK_ERROR_HAS(needle)                                                      \
  do {                                                                               \
    ++checks;                                                                        \
    if (strstr(rgm_last_error(), (needle)) == NULL) {                                \
      ++failures;                                                                    \
      fprintf(stderr, "%s:%d: last error \"%s\" lacks \"%s\"\n", __FILE__, __LINE__, \
              rgm_last_error(), (needle));                                           \
    }                                                                                \
  } while (0)

#endif /* REGIMEN_TESTS_CAPI_CHECK_H_ */
