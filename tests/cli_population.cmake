# `regimen simulate-population` from the outside (included by tests/CMakeLists.txt):
# tests/cli/population_cli.py checks the summary's unlock lines on the default pack and on
# changed copies of it; tests/cli/population_export.py checks --export.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  foreach(check default renamed two_gated)
    add_test(NAME cli_population_unlocks_${check}
      COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/cli/population_cli.py
        $<TARGET_FILE:regimen_cli> ${PROJECT_SOURCE_DIR}/catalog/back_care.textproto ${check})
  endforeach()
  # The progress line on a terminal, silence otherwise (tests/cli/population_progress.py).
  add_test(NAME cli_population_progress
    COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/cli/population_progress.py
      $<TARGET_FILE:regimen_cli>)
  add_test(NAME cli_population_export
    COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/cli/population_export.py
      $<TARGET_FILE:regimen_cli>)
else()
  message(WARNING "python3 not found: the cli_population_* tests are not registered")
endif()
