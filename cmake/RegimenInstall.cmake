# Installs the headers, both libraries, the CLI, an exported CMake package
# (find_package(regimen CONFIG) -> regimen::regimen) and regimen.pc for pkg-config.
include(CMakePackageConfigHelpers)

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
install(TARGETS regimen_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT regimenTargets NAMESPACE regimen:: FILE regimenTargets.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/regimen)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/regimenConfig.cmake.in
  ${PROJECT_BINARY_DIR}/regimenConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/regimen)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/regimenConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/regimenConfig.cmake
  ${PROJECT_BINARY_DIR}/regimenConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/regimen)
configure_file(${PROJECT_SOURCE_DIR}/cmake/regimen.pc.in ${PROJECT_BINARY_DIR}/regimen.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/regimen.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
