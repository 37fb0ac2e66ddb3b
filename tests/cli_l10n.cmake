# The translator tools of `regimen l10n` (issue 19): a gettext PO round trip through libgettextpo,
# import's report, and speaking times measured with espeak-ng (Debian, scripts/setup).
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME cli_l10n_po
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/cli/l10n_cli.py
            $<TARGET_FILE:regimen_cli> ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli_l10n_po PROPERTIES TIMEOUT 120)
  find_program(REGIMEN_ESPEAK espeak-ng)
  if(REGIMEN_ESPEAK)
    add_test(NAME cli_l10n_speak
      COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/cli/l10n_speak.py
              $<TARGET_FILE:regimen_cli> ${PROJECT_SOURCE_DIR})
    set_tests_properties(cli_l10n_speak PROPERTIES TIMEOUT 300 LABELS l10n)
  else()
    message(WARNING "espeak-ng not found: cli_l10n_speak is not registered (scripts/setup)")
  endif()
endif()
