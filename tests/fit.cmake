# FIT exports (issue 16) checked with Garmin's own decoder: tests/fit/fit_test.mjs runs
# `regimen export` and decodes every file with @garmin/fitsdk (npm; scripts/test runs `npm ci` in
# tests/fit first). Node is the machine's own (Node 20).
find_program(REGIMEN_NODE_EXECUTABLE node)
if(REGIMEN_NODE_EXECUTABLE)
  add_test(NAME fit_garmin_sdk COMMAND ${REGIMEN_NODE_EXECUTABLE} --test fit_test.mjs
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/fit)
  set_tests_properties(fit_garmin_sdk PROPERTIES
    ENVIRONMENT REGIMEN_CLI=$<TARGET_FILE:regimen_cli> TIMEOUT 120)
else()
  add_test(NAME fit_garmin_sdk COMMAND ${CMAKE_COMMAND} -E echo
    "fit_garmin_sdk needs Node.js 20 (node on PATH) to run Garmin's FIT SDK")
  set_tests_properties(fit_garmin_sdk PROPERTIES WILL_FAIL OFF PASS_REGULAR_EXPRESSION "^$")
endif()
