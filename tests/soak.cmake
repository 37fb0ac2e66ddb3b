# The soak run (tests/soak/capi_soak.cc): label `soak`, not in the default run; scripts/test
# --soak runs it (`ctest -L soak`).
if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/soak/capi_soak.cc)
  add_executable(capi_soak ${CMAKE_CURRENT_LIST_DIR}/soak/capi_soak.cc)
  target_link_libraries(capi_soak PRIVATE regimen::regimen Threads::Threads)
  target_compile_options(capi_soak PRIVATE ${REGIMEN_WARNINGS})
  add_test(NAME capi_soak COMMAND capi_soak 100000 2)
  set_tests_properties(capi_soak PROPERTIES LABELS soak TIMEOUT 1800)
endif()
