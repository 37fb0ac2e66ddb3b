# `regimen schedule`'s zone names, date range and RFC 3339 times, run as the built tool (included
# by tests/CMakeLists.txt); tests/cli/schedule_zones_cli.py holds the checks.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  foreach(check zones dates rfc3339)
    add_test(NAME cli_schedule_${check}
      COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/cli/schedule_zones_cli.py
        $<TARGET_FILE:regimen_cli> ${CMAKE_CURRENT_BINARY_DIR}/cli_schedule_${check} ${check})
  endforeach()
else()
  message(WARNING "python3 not found: the cli_schedule_* tests are not registered")
endif()
