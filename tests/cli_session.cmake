# `regimen simulate` and `regimen play` from the outside (included by tests/CMakeLists.txt).
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME cli_simulate
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/cli/simulate_cli.py
            $<TARGET_FILE:regimen_cli> ${PROJECT_SOURCE_DIR})
  # Plays back_basics at 20x in a pseudo-terminal, pausing and resuming with keys.
  add_test(NAME cli_play_pty
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/cli/play_pty.py
            $<TARGET_FILE:regimen_cli>)
  set_tests_properties(cli_play_pty PROPERTIES TIMEOUT 120)
endif()

# The golden traces run the CLI: build it with the test.
if(TARGET session_golden_test)
  add_dependencies(session_golden_test regimen_cli)
endif()
