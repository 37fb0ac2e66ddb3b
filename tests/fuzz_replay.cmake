# Replays every fuzz corpus (tests/fuzz/corpus/<target>/) through its target's
# LLVMFuzzerTestOneInput in the normal build, with whatever compiler builds it (the fuzz build
# itself needs clang: tests/fuzz/CMakeLists.txt). A corpus file that breaks an invariant aborts
# the replay and fails the test; fixed findings stay in the corpora as regression inputs.
# FuzzedDataProvider.h is a header-only part of LLVM's compiler-rt; the targets that use it are
# replayed only where it is installed (Debian: the clang package).
file(GLOB _regimen_fdp_dirs /usr/lib/llvm-*/lib/clang/*/include /usr/lib/clang/*/include
  /usr/local/lib/clang/*/include)
find_path(REGIMEN_FUZZED_DATA_PROVIDER_DIR fuzzer/FuzzedDataProvider.h HINTS ${_regimen_fdp_dirs})

# Only the one header is copied into the build: the folder it lives in also holds clang's own
# <stddef.h> and friends, which other compilers must not pick up.
if(REGIMEN_FUZZED_DATA_PROVIDER_DIR)
  set(_regimen_fdp_include ${CMAKE_CURRENT_BINARY_DIR}/fuzz_include)
  configure_file(${REGIMEN_FUZZED_DATA_PROVIDER_DIR}/fuzzer/FuzzedDataProvider.h
    ${_regimen_fdp_include}/fuzzer/FuzzedDataProvider.h COPYONLY)
endif()

set(_regimen_fuzz_dir ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
foreach(target fuzz_catalog_parse fuzz_session_inputs fuzz_capi_sequence fuzz_progress)
  file(READ ${_regimen_fuzz_dir}/${target}.cc _source)
  string(FIND "${_source}" "FuzzedDataProvider.h" _uses_fdp)
  if(NOT _uses_fdp EQUAL -1 AND NOT REGIMEN_FUZZED_DATA_PROVIDER_DIR)
    message(STATUS "Regimen: no fuzzer/FuzzedDataProvider.h; ${target}'s corpus is not replayed")
    continue()
  endif()
  add_executable(${target}_replay ${_regimen_fuzz_dir}/${target}.cc
    ${_regimen_fuzz_dir}/replay_main.cc)
  target_link_libraries(${target}_replay PRIVATE regimen_static)
  target_compile_options(${target}_replay PRIVATE ${REGIMEN_WARNINGS})
  if(NOT _uses_fdp EQUAL -1)
    target_include_directories(${target}_replay SYSTEM PRIVATE ${_regimen_fdp_include})
  endif()
  add_test(NAME ${target}_replay
    COMMAND ${target}_replay ${_regimen_fuzz_dir}/corpus/${target})
  set_tests_properties(${target}_replay PROPERTIES LABELS fuzz TIMEOUT 600)
endforeach()
