# alloc_failure_test tells allocation failures inside protobuf's own code (which leaks on
# std::bad_alloc in places; docs/reliability.md) from the engine's by the function that called
# operator new; it names the functions of libraries by their exported symbols.
if(TARGET alloc_failure_test)
  set_target_properties(alloc_failure_test PROPERTIES ENABLE_EXPORTS ON)
endif()
