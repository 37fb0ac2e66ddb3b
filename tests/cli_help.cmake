# The `regimen` tool as a new user meets it (issue 14): help for every command, routine files
# everywhere a routine is taken, and whole-input checks before any output.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME cli_help
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/cli/help_cli.py
            $<TARGET_FILE:regimen_cli> ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli_help PROPERTIES TIMEOUT 300)
  add_test(NAME cli_routine_files
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/cli/routine_files_cli.py
            $<TARGET_FILE:regimen_cli> ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli_routine_files PROPERTIES TIMEOUT 120)
  add_test(NAME cli_whole_input_first
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/cli/whole_input_cli.py
            $<TARGET_FILE:regimen_cli> ${PROJECT_SOURCE_DIR})
endif()
