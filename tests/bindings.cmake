# Binding tests (included by tests/CMakeLists.txt): the Python package's unittests against the
# built libregimen.so, the fresh-venv install acceptance, and the Java binding when a JDK is
# present. Labelled no_sanitize: a Python or Java host cannot load a sanitizer-built library
# without preloading the sanitizer runtime, so `scripts/test --sanitize` leaves them out.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME python_binding_test
    COMMAND ${Python3_EXECUTABLE} -m unittest discover -v
      -s ${PROJECT_SOURCE_DIR}/bindings/python/tests -t ${PROJECT_SOURCE_DIR}/bindings/python/tests)
  set_tests_properties(python_binding_test PROPERTIES
    ENVIRONMENT "REGIMEN_LIBRARY=$<TARGET_FILE:regimen>;REGIMEN_SOURCE_DIR=${PROJECT_SOURCE_DIR};PYTHONDONTWRITEBYTECODE=1"
    TIMEOUT 300 LABELS "bindings;no_sanitize")

  # A new venv in a temp dir, `pip install bindings/python` (offline: the in-tree backend needs
  # nothing from an index), then the README's example with the bundled library.
  add_test(NAME python_binding_venv
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/bindings/python/tests/venv_acceptance.py
      $<TARGET_FILE:regimen>)
  set_tests_properties(python_binding_venv PROPERTIES
    ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1"
    TIMEOUT 600 LABELS "bindings;no_sanitize")

  add_test(NAME python_example_run_session
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/examples/python/run_session.py)
  set_tests_properties(python_example_run_session PROPERTIES
    ENVIRONMENT "REGIMEN_LIBRARY=$<TARGET_FILE:regimen>;PYTHONPATH=${PROJECT_SOURCE_DIR}/bindings/python;PYTHONDONTWRITEBYTECODE=1"
    PASS_REGULAR_EXPRESSION "session completed" LABELS "bindings;no_sanitize")
  # back_basics_plus holds the gated rock: the example passes the user's attestation.
  add_test(NAME python_example_run_session_gated
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/examples/python/run_session.py
      back_basics_plus spine_flexible_strong_balanced)
  set_tests_properties(python_example_run_session_gated PROPERTIES
    ENVIRONMENT "REGIMEN_LIBRARY=$<TARGET_FILE:regimen>;PYTHONPATH=${PROJECT_SOURCE_DIR}/bindings/python;PYTHONDONTWRITEBYTECODE=1"
    PASS_REGULAR_EXPRESSION "prone_rock.*session completed" LABELS "bindings;no_sanitize")
endif()

find_package(JNI COMPONENTS JVM)
find_package(Java COMPONENTS Development Runtime)
if(JNI_FOUND AND Java_FOUND)
  add_subdirectory(${PROJECT_SOURCE_DIR}/bindings/java ${PROJECT_BINARY_DIR}/bindings/java)
endif()
