# Runs a command and checks its exit code and output (cmake -P script, used by
# tests/cli_catalog.cmake). Variables:
#   CLI       the program;  ARGS  its arguments, ';'-separated
#   EXPECT_RC the exit code it must return
#   EXPECT    ';'-separated literal lines that must each appear in stdout+stderr
#   EXPECT_COUNT (optional) how many lines of stdout there must be
execute_process(COMMAND ${CLI} ${ARGS}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
if(NOT rc STREQUAL "${EXPECT_RC}")
  message(FATAL_ERROR "exit code ${rc}, expected ${EXPECT_RC}\n--- output:\n${all}")
endif()
foreach(line IN LISTS EXPECT)
  string(FIND "${all}" "${line}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "missing from the output: ${line}\n--- output:\n${all}")
  endif()
endforeach()
if(DEFINED EXPECT_COUNT)
  string(REGEX MATCHALL "\n" newlines "${out}")
  list(LENGTH newlines count)
  if(NOT count EQUAL EXPECT_COUNT)
    message(FATAL_ERROR "${count} lines of output, expected ${EXPECT_COUNT}\n--- output:\n${out}")
  endif()
endif()
