# The WebAssembly module of the npm package bindings/js (scripts/build-wasm configures this with
# emcmake and -DREGIMEN_PROTOBUF_LITE=ON). It links the same library objects as libregimen.so and
# exports the C API (every rgm_ function) plus malloc and free, as an ES module factory
# (regimen_wasm.mjs) with regimen_wasm.wasm beside it, both written into bindings/js/dist/.
#
# Time zones: the browser has no /usr/share/zoneinfo, so the module carries the zoneinfo files of
# the zones listed in bindings/js/wasm/zones.txt (read from the build machine's tzdata) and serves
# them to Abseil through cctz's zone_info_source_factory hook.
set(_js ${PROJECT_SOURCE_DIR}/bindings/js)
set(_dist ${_js}/dist)
file(STRINGS ${_js}/wasm/zones.txt _zones REGEX "^[A-Za-z]")
set(_zones_cc ${PROJECT_BINARY_DIR}/gen/regimen/zoneinfo_data.cc)
add_custom_command(OUTPUT ${_zones_cc} ${_dist}/zones.js
  COMMAND ${CMAKE_COMMAND} -DZONEINFO=/usr/share/zoneinfo -DLIST=${_js}/wasm/zones.txt
          -DOUT=${_zones_cc} -DOUT_JS=${_dist}/zones.js -P ${PROJECT_SOURCE_DIR}/cmake/RegimenEmbedZones.cmake
  DEPENDS ${_js}/wasm/zones.txt ${PROJECT_SOURCE_DIR}/cmake/RegimenEmbedZones.cmake
  COMMENT "Embedding the zoneinfo files of bindings/js/wasm/zones.txt")

# The exported functions: every RGM_API declaration of regimen.h, so the list cannot drift.
file(STRINGS ${PROJECT_SOURCE_DIR}/include/regimen/regimen.h _api REGEX "^RGM_API .*rgm_[a-z_]+\\(")
set(_exports "_malloc,_free")
foreach(line ${_api})
  string(REGEX MATCH "rgm_[a-z_]+\\(" name "${line}")
  string(REPLACE "(" "" name "${name}")
  string(APPEND _exports ",_${name}")
endforeach()

# Size: the code a host runs once per catalog, per weekly plan or on an error (catalog
# validation and localization, the generator, progression, schedules, the FIT export, error
# positions) and the schemas only that code uses are compiled for size (-Oz); the session engine,
# plan compilation, snapshots and the C API stay at -O3, since -Oz everywhere makes a JS session
# twice as slow (docs/performance.md, "WebAssembly and the JS package").
file(GLOB _cold_sources
  ${PROJECT_SOURCE_DIR}/src/catalog/catalog.cc ${PROJECT_SOURCE_DIR}/src/catalog/rules_validate.cc
  ${PROJECT_SOURCE_DIR}/src/catalog/routine_builder.cc
  ${PROJECT_SOURCE_DIR}/src/common/json_position.cc ${PROJECT_SOURCE_DIR}/src/common/protobuf_log.cc
  ${PROJECT_SOURCE_DIR}/src/l10n/*.cc ${PROJECT_SOURCE_DIR}/src/generator/*.cc
  ${PROJECT_SOURCE_DIR}/src/progression/*.cc ${PROJECT_SOURCE_DIR}/src/schedule/*.cc
  ${PROJECT_SOURCE_DIR}/src/export/*.cc ${PROJECT_SOURCE_DIR}/src/session/session_record.cc)
foreach(schema catalog l10n player profile progression)
  list(APPEND _cold_sources ${REGIMEN_PROTO_OUT}/regimen/v1/${schema}.pb.cc)
endforeach()
set_source_files_properties(${_cold_sources} PROPERTIES COMPILE_OPTIONS -Oz)

add_executable(regimen_wasm ${_js}/wasm/zoneinfo.cc ${_js}/wasm/layout.c ${_zones_cc}
  $<TARGET_OBJECTS:regimen_objects> $<TARGET_OBJECTS:regimen_proto>)
target_include_directories(regimen_wasm PRIVATE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR})
target_link_libraries(regimen_wasm PRIVATE ${REGIMEN_PROTOBUF_TARGET} ${REGIMEN_ABSL_LIBS})
target_compile_options(regimen_wasm PRIVATE ${REGIMEN_WARNINGS})
set_target_properties(regimen_wasm PROPERTIES SUFFIX ".mjs" RUNTIME_OUTPUT_DIRECTORY ${_dist})
target_link_options(regimen_wasm PRIVATE
  --no-entry -O3
  "SHELL:-s MODULARIZE=1" "SHELL:-s EXPORT_ES6=1" "SHELL:-s EXPORT_NAME=createRegimenModule"
  "SHELL:-s ENVIRONMENT=web,worker"
  "SHELL:-s WASM_BIGINT=1" "SHELL:-s ALLOW_MEMORY_GROWTH=1" "SHELL:-s FILESYSTEM=0"
  "SHELL:-s EXPORTED_FUNCTIONS=${_exports}"
  "SHELL:-s EXPORTED_RUNTIME_METHODS=UTF8ToString,stringToUTF8,lengthBytesUTF8"
  "SHELL:-s INCOMING_MODULE_JS_API=wasmBinary,instantiateWasm,locateFile,print,printErr")

# The schema table of the package's protobuf codec (bindings/js/src/proto.js), from the schemas.
find_program(REGIMEN_NODE node REQUIRED)
set(_descriptors ${PROJECT_BINARY_DIR}/regimen_schemas.pb)
add_custom_command(OUTPUT ${_dist}/schema.js
  COMMAND protobuf::protoc --descriptor_set_out=${_descriptors} -I ${PROJECT_SOURCE_DIR}/proto
          ${REGIMEN_PROTOS}
  COMMAND ${REGIMEN_NODE} ${_js}/tools/gen-schema.mjs ${_descriptors} ${_dist}/schema.js
  DEPENDS ${REGIMEN_PROTOS} ${_js}/tools/gen-schema.mjs ${_js}/src/proto.js
  COMMENT "Generating the package's schema table (bindings/js/dist/schema.js)")
add_custom_target(regimen_js_schema ALL DEPENDS ${_dist}/schema.js)

# The JS package's tests (Node) and the player page's browser test.
include(${PROJECT_SOURCE_DIR}/bindings/js/tests.cmake)

# The build-time catalog embedder runs under Node: give it the real file system, and compile its
# module synchronously (emscripten 3.1.6's loader would `fetch` a file path, which Node 20 refuses).
target_link_options(regimen_embed PRIVATE "SHELL:-s NODERAWFS=1" "SHELL:-s ALLOW_MEMORY_GROWTH=1"
  "SHELL:-s WASM_ASYNC_COMPILATION=0")

# emscripten's JS optimizer, run at link time, needs Debian's node-acorn under /usr/share/nodejs,
# where a Node.js other than Debian's own (e.g. NodeSource's) does not look.
set_property(GLOBAL PROPERTY RULE_LAUNCH_LINK "${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs")

# The C test of the lite build (tests/lite) runs under Node too (ctest's emulator is node).
if(TARGET lite_check)
  target_link_options(lite_check PRIVATE "SHELL:-s WASM_ASYNC_COMPILATION=0")
endif()
