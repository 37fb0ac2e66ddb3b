# `regimen play` resumed after SIGKILL, and the history loop (play, history, next, play next),
# run as the built tool (included by tests/CMakeLists.txt).
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME cli_play_kill_and_resume
    COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/cli/play_resume.py
      $<TARGET_FILE:regimen_cli> ${CMAKE_CURRENT_BINARY_DIR}/cli_play_resume)
  add_test(NAME cli_history_next
    COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/cli/history_next.py
      $<TARGET_FILE:regimen_cli> ${CMAKE_CURRENT_BINARY_DIR}/cli_history_next)
  set_tests_properties(cli_play_kill_and_resume cli_history_next PROPERTIES TIMEOUT 300)
else()
  message(WARNING "python3 not found: the cli_play_* tests are not registered")
endif()
