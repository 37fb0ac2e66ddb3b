# Installs the headers, both libraries, the CLI, an exported CMake package and regimen.pc.
#
#   find_package(regimen CONFIG REQUIRED)          # regimen::regimen: libregimen.so, the C API;
#   target_link_libraries(app PRIVATE regimen::regimen)   # works from project(x LANGUAGES C)
#
#   find_package(regimen CONFIG REQUIRED COMPONENTS static)   # also regimen::regimen_static:
#   target_link_libraries(app PRIVATE regimen::regimen_static) # libregimen.a, the C++ API too
#
# The shared library's own dependencies (protobuf, Abseil) are recorded in it (DT_NEEDED) and
# resolved by the dynamic loader, so regimen::regimen carries no link dependency and a C project
# needs neither a C++ compiler nor protobuf's or Abseil's CMake packages. The static library does
# need them; asking for the `static` component finds them.
include(CMakePackageConfigHelpers)
include(${PROJECT_SOURCE_DIR}/cmake/RegimenCheckVersion.cmake)

set(REGIMEN_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/regimen)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/regimen
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${REGIMEN_PROTO_OUT}/regimen
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.pb.h")
install(TARGETS regimen EXPORT regimenTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES $<TARGET_FILE:regimen_static> DESTINATION ${CMAKE_INSTALL_LIBDIR})
if(TARGET regimen_cli)
  install(TARGETS regimen_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(EXPORT regimenTargets NAMESPACE regimen:: FILE regimenTargets.cmake
  DESTINATION ${REGIMEN_INSTALL_CMAKEDIR})

# What regimen::regimen_static links, spelled for the package config (targets of Abseil's and
# protobuf's own packages).
set(REGIMEN_STATIC_LINK_LIBRARIES ${REGIMEN_PROTOBUF_TARGET} ${REGIMEN_ABSL_LIBS} Threads::Threads)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/regimenConfig.cmake.in
  ${PROJECT_BINARY_DIR}/regimenConfig.cmake.configured
  INSTALL_DESTINATION ${REGIMEN_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_LIBDIR)
# The static library's file name is known at generate time only.
file(GENERATE OUTPUT ${PROJECT_BINARY_DIR}/regimenConfig.cmake
  INPUT ${PROJECT_BINARY_DIR}/regimenConfig.cmake.configured)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/regimenConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/regimenConfig.cmake
  ${PROJECT_BINARY_DIR}/regimenConfigVersion.cmake
  DESTINATION ${REGIMEN_INSTALL_CMAKEDIR})

# pkg-config: `-lregimen` links the shared library; `pkg-config --static` adds what the static
# library needs (protobuf's and Abseil's own .pc files).
if(REGIMEN_PROTOBUF_LITE)
  set(REGIMEN_PC_REQUIRES_PRIVATE protobuf-lite)
else()
  set(REGIMEN_PC_REQUIRES_PRIVATE protobuf)
endif()
foreach(_lib ${REGIMEN_ABSL_LIBS})
  string(REPLACE "absl::" "absl_" _pc ${_lib})
  string(APPEND REGIMEN_PC_REQUIRES_PRIVATE " ${_pc}")
endforeach()
# The prefix is found relative to the .pc file itself, so an install moved elsewhere (or made
# with cmake --install --prefix) still works.
file(RELATIVE_PATH REGIMEN_PC_TO_PREFIX /root/${CMAKE_INSTALL_LIBDIR}/pkgconfig /root)
string(REGEX REPLACE "/$" "" REGIMEN_PC_TO_PREFIX "${REGIMEN_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/regimen.pc.in ${PROJECT_BINARY_DIR}/regimen.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/regimen.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
