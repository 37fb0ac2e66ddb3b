# Localization: real speech timing with espeak-ng (tests/l10n/speech_overlap_test.py) through the
# Python binding over the built library. espeak-ng comes from Debian (scripts/setup).
find_program(REGIMEN_ESPEAK espeak-ng)
if(Python3_EXECUTABLE AND REGIMEN_ESPEAK)
  add_test(NAME l10n_speech_overlap
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/l10n/speech_overlap_test.py)
  set_tests_properties(l10n_speech_overlap PROPERTIES
    ENVIRONMENT "REGIMEN_LIBRARY=$<TARGET_FILE:regimen>;PYTHONPATH=${PROJECT_SOURCE_DIR}/bindings/python;PYTHONDONTWRITEBYTECODE=1"
    TIMEOUT 600 LABELS "l10n;bindings;no_sanitize")
else()
  message(WARNING "python3 or espeak-ng not found: l10n_speech_overlap is not registered")
endif()

# `regimen simulate --locale` (German cues, es-MX → es, xx → the source with a note, de_AT an
# error) and `regimen validate` per locale.
if(Python3_EXECUTABLE)
  add_test(NAME cli_locale
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/cli/locale_cli.py
            $<TARGET_FILE:regimen_cli> ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli_locale PROPERTIES TIMEOUT 120 LABELS "l10n")
endif()
