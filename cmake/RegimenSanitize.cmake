# REGIMEN_SANITIZE: OFF, ON (AddressSanitizer + UndefinedBehaviorSanitizer, aborting on the first
# report) or thread (ThreadSanitizer). Applies to every target of the build.
string(TOLOWER "${REGIMEN_SANITIZE}" _regimen_sanitize)
if(_regimen_sanitize STREQUAL "on" OR _regimen_sanitize STREQUAL "address")
  set(_flags -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
elseif(_regimen_sanitize STREQUAL "thread")
  set(_flags -fsanitize=thread -fno-omit-frame-pointer)
elseif(_regimen_sanitize STREQUAL "off" OR _regimen_sanitize STREQUAL "")
  set(_flags "")
else()
  message(FATAL_ERROR "REGIMEN_SANITIZE must be OFF, ON or thread, got '${REGIMEN_SANITIZE}'")
endif()
if(_flags)
  message(STATUS "Regimen: sanitizers ${_flags}")
  add_compile_options(${_flags})
  add_link_options(${_flags})
  # clang puts UBSan's C++ handlers (vptr, function) in a runtime it links only into C++
  # programs; the C programs that link the C++ library (the C API tests, examples/c_host) need
  # it too, and with it the C++ library it uses.
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang" AND _regimen_sanitize MATCHES "^(on|address)$")
    add_link_options(-fsanitize-link-c++-runtime LINKER:--push-state,--no-as-needed -lstdc++
      LINKER:--pop-state)
  endif()
endif()
