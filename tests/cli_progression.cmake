# `regimen generate`, `regimen progress` and `regimen schedule`, run as the built tool (included
# by tests/CMakeLists.txt). tests/cli/progression_cli.py holds the checks; the fixtures are in
# tests/data/progression/ (tests/cli/progression_make_fixtures.py writes them).
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  foreach(check no_attestation unlock pain7 schedule_dst errors)
    add_test(NAME cli_progression_${check}
      COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/cli/progression_cli.py
        $<TARGET_FILE:regimen_cli> ${CMAKE_CURRENT_LIST_DIR}/data/progression ${check})
  endforeach()
else()
  message(WARNING "python3 not found: the cli_progression_* tests are not registered")
endif()
