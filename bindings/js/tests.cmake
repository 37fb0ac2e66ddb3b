# The JS package's tests (included by cmake/RegimenWasm.cmake, in the wasm build only), run by Node's
# own test runner, label js; and the player page's browser test, label browser:
#   js_api        bindings/js/test/api.test.mjs: the API of index.d.ts, errors, memory
#   js_golden     every golden script of tests/golden (and tests/golden/locales, de and es)
#                 through the package, field by field
#   js_snapshot   snapshots wasm -> native (bin/snapshot_bridge of the native build) -> wasm
#   js_types      tsc --noEmit over index.d.ts and test/types_check.ts
#   js_pack       npm pack, installed into a fresh project, runs the package README's session
#   js_locale     sessions in a locale (de, es-MX, xx, de_AT), speechEnded, the pack's translations
#   js_size       the .wasm gzipped within its 300 KiB budget
#   browser_player  examples/web in Debian's Chromium driven by playwright-core (tests/browser)
# scripts/build-wasm runs `npm ci` in bindings/js and tests/browser first.
set(REGIMEN_NATIVE_BUILD_DIR "" CACHE PATH
  "The native build folder whose bin/snapshot_bridge the js_snapshot test runs")
set(_js_dir ${PROJECT_SOURCE_DIR}/bindings/js)
foreach(name api golden snapshot pack locale size)
  add_test(NAME js_${name} COMMAND ${REGIMEN_NODE} --test ${_js_dir}/test/${name}.test.mjs
    WORKING_DIRECTORY ${_js_dir})
  set_tests_properties(js_${name} PROPERTIES LABELS js)
endforeach()
set_tests_properties(js_snapshot PROPERTIES
  ENVIRONMENT REGIMEN_SNAPSHOT_BRIDGE=${REGIMEN_NATIVE_BUILD_DIR}/bin/snapshot_bridge)
add_test(NAME js_types COMMAND ${_js_dir}/node_modules/.bin/tsc --noEmit -p ${_js_dir}/tsconfig.json)
set_tests_properties(js_types PROPERTIES LABELS js)
if(EXISTS ${PROJECT_SOURCE_DIR}/tests/browser/player_test.mjs)
  add_test(NAME browser_player COMMAND ${REGIMEN_NODE} ${PROJECT_SOURCE_DIR}/tests/browser/player_test.mjs
    ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/browser
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}/tests/browser)
  set_tests_properties(browser_player PROPERTIES LABELS browser TIMEOUT 300)
endif()
