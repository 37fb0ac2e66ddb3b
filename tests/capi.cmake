# The C API's tests (issue 5):
#   capi_test           tests/capi_test.c, in C, against the shared library;
#   capi_safety_test    tests/capi_safety_test.c: rgm_session_new_with_options, the gate, pain 7;
#   capi_quiet_test     tests/capi_quiet_test.c: nothing on stderr, protobuf's words in the error;
#   capi_header_c/_cxx  regimen.h compiled alone as C99 and as C++17, warnings as errors;
#   capi_exports        only rgm_ symbols are exported from libregimen.so (nm -D);
#   capi_consumer       install to a temporary prefix, then build and run examples/c_host.c with
#                       find_package(regimen CONFIG) and with pkg-config.
# (capi_thread_test.cc is a GoogleTest program, registered with the other *_test.cc.)
include(${PROJECT_SOURCE_DIR}/cmake/RegimenCheckVersion.cmake)

# A test program in C99 (no extensions) linked to the shared library only, with the shared
# checks of tests/capi_check.h.
function(regimen_c_api_test name)
  add_executable(${name} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/${name}.c)
  target_link_libraries(${name} PRIVATE regimen::regimen)
  target_compile_options(${name} PRIVATE ${REGIMEN_WARNINGS})
  target_compile_definitions(${name} PRIVATE REGIMEN_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  set_target_properties(${name} PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
  add_test(NAME ${name} COMMAND ${name})
endfunction()

regimen_c_api_test(capi_test)
regimen_c_api_test(capi_safety_test)  # rgm_session_new_with_options, the gate, the pain-7 script
regimen_c_api_test(capi_quiet_test)   # protobuf's complaints go into the error, not to stderr

if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  set(_regimen_header ${PROJECT_SOURCE_DIR}/include/regimen/regimen.h)
  add_test(NAME capi_header_c COMMAND ${CMAKE_C_COMPILER} -std=c99 -Wall -Wextra -pedantic
    -Werror -fsyntax-only -x c ${_regimen_header})
endif()
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  add_test(NAME capi_header_cxx COMMAND ${CMAKE_CXX_COMPILER} -std=c++17 -Wall -Wextra -pedantic
    -Werror -fsyntax-only -x c++ ${_regimen_header})
endif()

if(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND CMAKE_NM)
  add_test(NAME capi_exports COMMAND ${CMAKE_COMMAND} -DNM=${CMAKE_NM}
    -DLIBRARY=$<TARGET_FILE:regimen> -DHEADER=${PROJECT_SOURCE_DIR}/include/regimen/regimen.h
    -P ${CMAKE_CURRENT_LIST_DIR}/capi/check_exports.cmake)
endif()

if(REGIMEN_INSTALL AND CMAKE_SYSTEM_NAME STREQUAL "Linux")
  find_program(REGIMEN_PKG_CONFIG pkg-config)
  add_test(NAME capi_consumer COMMAND ${CMAKE_COMMAND}
    -DBUILD_DIR=${PROJECT_BINARY_DIR}
    -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
    -DWORK_DIR=${PROJECT_BINARY_DIR}/capi_consumer
    -DGENERATOR=${CMAKE_GENERATOR}
    -DC_COMPILER=${CMAKE_C_COMPILER}
    -DPKG_CONFIG=${REGIMEN_PKG_CONFIG}
    -DCONFIG=$<CONFIG>
    -P ${CMAKE_CURRENT_LIST_DIR}/capi/consumer.cmake)
  # Installing reads the whole build tree; run it alone so no other test rebuilds meanwhile.
  set_tests_properties(capi_consumer PROPERTIES TIMEOUT 600 RUN_SERIAL ON)
  # The consumer is an outside project built without sanitizer flags; a sanitized libregimen.so
  # cannot be loaded by it (ASan's runtime must come first), so scripts/test --sanitize skips it.
  set_property(TEST capi_consumer APPEND PROPERTY LABELS no_sanitize)
endif()

# bindings/swift/module.modulemap, imported as a Clang module as Swift would (no Swift here).
find_program(REGIMEN_CLANG NAMES clang)
if(REGIMEN_CLANG)
  add_test(NAME capi_modulemap COMMAND ${REGIMEN_CLANG} -x objective-c -fmodules
    -fmodules-cache-path=${PROJECT_BINARY_DIR}/capi_module_cache
    -fmodule-map-file=${PROJECT_SOURCE_DIR}/bindings/swift/module.modulemap
    -fsyntax-only -Wall -Wextra -Werror ${CMAKE_CURRENT_LIST_DIR}/capi/modulemap_check.m)
endif()

# The native half of the JS package's snapshot test (bindings/js/test/snapshot.test.mjs, run by
# the wasm build's ctest): restores a snapshot made in wasm, continues, snapshots again.
add_executable(snapshot_bridge ${CMAKE_CURRENT_LIST_DIR}/snapshot_bridge.c)
target_link_libraries(snapshot_bridge PRIVATE regimen::regimen)
target_compile_options(snapshot_bridge PRIVATE ${REGIMEN_WARNINGS})
set_target_properties(snapshot_bridge PROPERTIES C_STANDARD 99 RUNTIME_OUTPUT_DIRECTORY
  ${PROJECT_BINARY_DIR}/bin)
