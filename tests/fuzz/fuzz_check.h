// What the fuzz targets share: a check that reports the broken invariant and aborts (so that
// libFuzzer, and the replay test, see a crash), and reading enums the way a C caller passes them.
#ifndef REGIMEN_TESTS_FUZZ_FUZZ_CHECK_H_
#define REGIMEN_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition, ...)                                                             \
  do {                                                                                         \
    if (!(condition)) {                                                                        \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n  ", __FILE__, __LINE__, #condition); \
      std::fprintf(stderr, __VA_ARGS__);                                                       \
      std::fprintf(stderr, "\n");                                                              \
      std::abort();                                                                            \
    }                                                                                          \
  } while (0)

#endif  // REGIMEN_TESTS_FUZZ_FUZZ_CHECK_H_
