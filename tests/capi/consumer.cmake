# ctest capi_consumer: installs the build to a temporary prefix, then builds examples/c_host.c
# against the installed package three times -- as a C-only CMake project with find_package(regimen
# CONFIG) (tests/consumer/), the same linking the static library, and with a plain compiler
# command from pkg-config -- and runs each: each must drive back_basics to SESSION_COMPLETED.
# Usage: cmake -DBUILD_DIR= -DSOURCE_DIR= -DWORK_DIR= -DGENERATOR= -DC_COMPILER= -DPKG_CONFIG=
#              -DCONFIG= -P consumer.cmake
cmake_minimum_required(VERSION 3.20)
set(_prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${_rc}):\n${ARGN}\n${_out}\n${_err}")
  endif()
  set(run_output "${_out}" PARENT_SCOPE)
endfunction()

# The host must reach the end of the session: c_host prints "session completed" last.
function(check_host_output what output)
  if(NOT output MATCHES "SESSION_COMPLETED")
    message(FATAL_ERROR "${what}: no SESSION_COMPLETED in its output:\n${output}")
  endif()
  if(NOT output MATCHES "EXERCISE_STARTED +prone_opposite_lift")
    message(FATAL_ERROR "${what}: back_basics did not reach prone_opposite_lift:\n${output}")
  endif()
endfunction()

set(_install_args --install ${BUILD_DIR} --prefix ${_prefix})
if(CONFIG)
  list(APPEND _install_args --config ${CONFIG})
endif()
run("cmake --install" ${CMAKE_COMMAND} ${_install_args})

foreach(_file include/regimen/regimen.h lib/cmake/regimen/regimenConfig.cmake
    lib/pkgconfig/regimen.pc)
  if(NOT EXISTS ${_prefix}/${_file})
    message(FATAL_ERROR "the install has no ${_file}")
  endif()
endforeach()

# 1. find_package(regimen CONFIG) from a C-only project.
run("configuring tests/consumer" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer
  -B ${WORK_DIR}/cmake_build -G ${GENERATOR} -DCMAKE_C_COMPILER=${C_COMPILER}
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${_prefix}
  -DREGIMEN_EXAMPLE_SOURCE=${SOURCE_DIR}/examples/c_host.c)
run("building tests/consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake_build)
# The build tree's RPATH points at the installed library: no LD_LIBRARY_PATH needed.
run("running the find_package host" ${WORK_DIR}/cmake_build/c_host)
check_host_output("find_package host" "${run_output}")

# 2. The same with the static library (find_package(regimen CONFIG COMPONENTS static)).
run("configuring tests/consumer (static)" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer
  -B ${WORK_DIR}/cmake_build_static -G ${GENERATOR} -DCMAKE_C_COMPILER=${C_COMPILER}
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${_prefix} -DREGIMEN_CONSUMER_STATIC=ON
  -DREGIMEN_EXAMPLE_SOURCE=${SOURCE_DIR}/examples/c_host.c)
run("building tests/consumer (static)" ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake_build_static)
run("running the static host" ${WORK_DIR}/cmake_build_static/c_host)
check_host_output("static host" "${run_output}")

# 3. pkg-config, with a plain compiler command line.
if(NOT PKG_CONFIG)
  message(FATAL_ERROR "pkg-config was not found; it is needed to test regimen.pc")
endif()
file(GLOB _pc_dirs ${_prefix}/lib*/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "${_pc_dirs}")
run("pkg-config --cflags --libs regimen" ${PKG_CONFIG} --cflags --libs regimen)
string(STRIP "${run_output}" _flags)
separate_arguments(_flags UNIX_COMMAND "${_flags}")
run("compiling with pkg-config's flags" ${C_COMPILER} -std=c99
  ${SOURCE_DIR}/examples/c_host.c ${_flags} -o ${WORK_DIR}/c_host_pkgconfig)
run("pkg-config --variable=libdir regimen" ${PKG_CONFIG} --variable=libdir regimen)
string(STRIP "${run_output}" _libdir)
run("running the pkg-config host" ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${_libdir}
  ${WORK_DIR}/c_host_pkgconfig)
check_host_output("pkg-config host" "${run_output}")
message(STATUS "installed to ${_prefix}; all three hosts ran back_basics to SESSION_COMPLETED")
