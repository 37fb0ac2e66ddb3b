# The `regimen catalog` and `regimen validate` subcommands, run as the built tool
# (included by tests/CMakeLists.txt). tests/data/cli_expect.cmake checks exit codes and output.
set(_cli_expect ${CMAKE_CURRENT_LIST_DIR}/data/cli_expect.cmake)

# The content pack is valid: exit 0, a summary line, then the cue coverage of each routine under
# each of the 10 standard option sets (2 routines: 20 lines after the header), nothing skipped.
add_test(NAME cli_validate_pack COMMAND ${CMAKE_COMMAND}
  -DCLI=$<TARGET_FILE:regimen_cli>
  "-DARGS=validate;${PROJECT_SOURCE_DIR}/catalog/back_care.textproto"
  -DEXPECT_RC=0 -DEXPECT_COUNT=66
  "-DEXPECT=valid catalog back_care: 5 exercises, 2 routines, 1 habit, 3 ladders;cue coverage in en (triggered / spoken / deferred / skipped, largest delay):;cue coverage in de (triggered / spoken / deferred / skipped, largest delay):;cue coverage in es (triggered / spoken / deferred / skipped, largest delay):;locale de (Deutsch): 205 of 205 texts translated, 0 missing, 0 outdated, 0 obsolete;  back_basics defaults: 77 / 77 /;  back_basics_plus ease_off: 87 / 87 /"
  -P ${_cli_expect})
add_test(NAME cli_validate_pack_strict COMMAND ${CMAKE_COMMAND}
  -DCLI=$<TARGET_FILE:regimen_cli>
  "-DARGS=validate;--strict;${PROJECT_SOURCE_DIR}/catalog/back_care.textproto"
  -DEXPECT_RC=0 -DEXPECT_COUNT=66 "-DEXPECT=back_basics_plus cue_gap_ms=800: 86 / 86 /"
  -P ${_cli_expect})

# The pack with one cue too long for the hold it starts: valid, but --strict fails and names it.
set(_pack ${PROJECT_SOURCE_DIR}/catalog/back_care.textproto)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_pack})
file(READ ${_pack} _crowded)
string(REPLACE "  cues {\n    id: \"length_not_height\""
  "  cues {\n    id: \"long_story\"\n    text: \"A very long cue that says far more than any hold of one breath has room for, and then goes on.\"\n    kind: CUE_KIND_INSTRUCTION\n    trigger { kind: TRIGGER_PHASE_ENTRY phase: PHASE_HOLD }\n    priority: CUE_PRIORITY_INSTRUCTION\n  }\n  cues {\n    id: \"length_not_height\""
  _crowded "${_crowded}")
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/back_care_crowded.textproto "${_crowded}")
add_test(NAME cli_validate_crowded_strict_fails COMMAND ${CMAKE_COMMAND}
  -DCLI=$<TARGET_FILE:regimen_cli>
  "-DARGS=validate;--strict;${CMAKE_CURRENT_BINARY_DIR}/back_care_crowded.textproto"
  -DEXPECT_RC=1 "-DEXPECT=skipped: prone_lift/;(--strict)"
  -P ${_cli_expect})
add_test(NAME cli_validate_crowded_lenient COMMAND ${CMAKE_COMMAND}
  -DCLI=$<TARGET_FILE:regimen_cli>
  "-DARGS=validate;${CMAKE_CURRENT_BINARY_DIR}/back_care_crowded.textproto"
  -DEXPECT_RC=0 "-DEXPECT=skipped: prone_lift/"
  -P ${_cli_expect})

# A copy broken in five places: exit 1 and every one of the five errors, one per line.
add_test(NAME cli_validate_broken_reports_all_five COMMAND ${CMAKE_COMMAND}
  -DCLI=$<TARGET_FILE:regimen_cli>
  "-DARGS=validate;${CMAKE_CURRENT_LIST_DIR}/data/back_care_broken.textproto"
  -DEXPECT_RC=1 -DEXPECT_COUNT=5
  "-DEXPECT=exercises[0].phases[1].duration.breaths: must be 1..20, got 0;exercises[1].mistakes[0].cue_id: unknown cue \"length_not_heigth\" in exercise prone_lift;exercises[4].gate.attestations[0]: unknown attestation \"spine_flexible\";routines[0].blocks[1].prescription.reps: must be 4..12 for prone_lift, got 20;habits[0].times_per_day: must be 1..48, got 0;5 errors"
  -P ${_cli_expect})

# Malformed input: exit 1 with the parser's line and column.
add_test(NAME cli_validate_malformed COMMAND ${CMAKE_COMMAND}
  -DCLI=$<TARGET_FILE:regimen_cli>
  "-DARGS=validate;${PROJECT_SOURCE_DIR}/CMakeLists.txt"
  -DEXPECT_RC=1 "-DEXPECT=not a valid text-format regimen.v1.Catalog: line 1, column "
  -P ${_cli_expect})

# A missing file: exit 1.
add_test(NAME cli_validate_missing_file COMMAND ${CMAKE_COMMAND}
  -DCLI=$<TARGET_FILE:regimen_cli> "-DARGS=validate;/nonexistent/pack.textproto"
  -DEXPECT_RC=1 "-DEXPECT=cannot open /nonexistent/pack.textproto" -P ${_cli_expect})

# The embedded pack, listed: exercises with their access, routines with their duration, habits.
add_test(NAME cli_catalog_list COMMAND ${CMAKE_COMMAND}
  -DCLI=$<TARGET_FILE:regimen_cli> "-DARGS=catalog;list" -DEXPECT_RC=0
  "-DEXPECT=grow_through_spine;primer;prone_rock;gated;back_basics ;4:13 (253000 ms);posture_check;10 a day"
  -P ${_cli_expect})

# The same from a file.
add_test(NAME cli_catalog_list_file COMMAND ${CMAKE_COMMAND}
  -DCLI=$<TARGET_FILE:regimen_cli>
  "-DARGS=catalog;list;--catalog;${PROJECT_SOURCE_DIR}/catalog/back_care.textproto"
  -DEXPECT_RC=0 "-DEXPECT=prone_opposite_lift;back_basics_plus" -P ${_cli_expect})

# --catalog with an invalid file fails with the file's errors.
add_test(NAME cli_catalog_list_broken_file COMMAND ${CMAKE_COMMAND}
  -DCLI=$<TARGET_FILE:regimen_cli>
  "-DARGS=catalog;list;--catalog;${CMAKE_CURRENT_LIST_DIR}/data/back_care_broken.textproto"
  -DEXPECT_RC=1 "-DEXPECT=habits[0].times_per_day: must be 1..48, got 0" -P ${_cli_expect})

add_test(NAME cli_catalog_show COMMAND ${CMAKE_COMMAND}
  -DCLI=$<TARGET_FILE:regimen_cli> "-DARGS=catalog;show;prone_rock" -DEXPECT_RC=0
  "-DEXPECT=id: \"prone_rock\";attestations: \"spine_flexible_strong_balanced\"" -P ${_cli_expect})

add_test(NAME cli_catalog_show_unknown COMMAND ${CMAKE_COMMAND}
  -DCLI=$<TARGET_FILE:regimen_cli> "-DARGS=catalog;show;nope" -DEXPECT_RC=1
  "-DEXPECT=no exercise, routine or habit \"nope\";its routines back_basics, back_basics_plus"
  -P ${_cli_expect})

add_test(NAME cli_catalog_usage COMMAND ${CMAKE_COMMAND}
  -DCLI=$<TARGET_FILE:regimen_cli> "-DARGS=catalog;frobnicate" -DEXPECT_RC=2
  "-DEXPECT=usage: regimen catalog list" -P ${_cli_expect})

# A JSON error names the file, line and column and shows the line with a caret under the column;
# nothing goes to stdout.
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/profile_bad_value.json
  "{\n  \"seed\": 3,\n  \"minutesPerWeek\": \"ten\"\n}\n")
add_test(NAME cli_json_error_line_and_column COMMAND ${CMAKE_COMMAND}
  -DCLI=$<TARGET_FILE:regimen_cli>
  "-DARGS=generate;--profile;${CMAKE_CURRENT_BINARY_DIR}/profile_bad_value.json"
  -DEXPECT_RC=1 -DEXPECT_COUNT=0
  "-DEXPECT=profile_bad_value.json: not a valid JSON regimen.v1.Profile: line 3, column 21: (minutes_per_week): invalid value;\n    \"minutesPerWeek\": \"ten\"\n                      ^\n"
  -P ${_cli_expect})
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/catalog_bad_syntax.json "{\"id\": \"x\",\n \"exercises\": [{\"id\" \"a\"}]}\n")
add_test(NAME cli_json_syntax_error_line_and_column COMMAND ${CMAKE_COMMAND}
  -DCLI=$<TARGET_FILE:regimen_cli>
  "-DARGS=validate;${CMAKE_CURRENT_BINARY_DIR}/catalog_bad_syntax.json"
  -DEXPECT_RC=1 -DEXPECT_COUNT=0
  "-DEXPECT=catalog_bad_syntax.json: not a valid JSON regimen.v1.Catalog: line 2, column 22: ;\n   \"exercises\": [{\"id\" \"a\"}]}\n                       ^\n"
  -P ${_cli_expect})
