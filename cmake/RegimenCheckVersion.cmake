# Fails the configure step when regimen.h's REGIMEN_VERSION_MAJOR/MINOR/PATCH differ from
# project(VERSION), the one source of the version: rgm_version() is built from those macros.
include_guard(GLOBAL)
file(STRINGS ${PROJECT_SOURCE_DIR}/include/regimen/regimen.h _regimen_version_lines
  REGEX "^#define REGIMEN_VERSION_(MAJOR|MINOR|PATCH) ")
foreach(_part MAJOR MINOR PATCH)
  set(_regimen_header_${_part} "")
  foreach(_line ${_regimen_version_lines})
    if(_line MATCHES "^#define REGIMEN_VERSION_${_part} +([0-9]+)")
      set(_regimen_header_${_part} ${CMAKE_MATCH_1})
    endif()
  endforeach()
  if(NOT "${_regimen_header_${_part}}" STREQUAL "${PROJECT_VERSION_${_part}}")
    message(FATAL_ERROR "include/regimen/regimen.h says REGIMEN_VERSION_${_part} "
      "'${_regimen_header_${_part}}' but project(VERSION ${PROJECT_VERSION}) says "
      "'${PROJECT_VERSION_${_part}}': update the header's version macros")
  endif()
endforeach()
