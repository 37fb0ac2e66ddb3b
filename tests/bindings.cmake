# Binding tests (included by tests/CMakeLists.txt): the Python package's tests against the
# built libregimen.so, the wheel built and installed into a fresh venv, mypy --strict, and the
# Java binding when a JDK is present. Labelled no_sanitize: a Python or Java host cannot load a
# sanitizer-built library without preloading the sanitizer runtime, so `scripts/test --sanitize`
# leaves them out.
find_package(Python3 COMPONENTS Interpreter)
# The tools venv scripts/test makes (pytest, hypothesis, mypy, scikit-build-core:
# bindings/python/requirements-dev.txt). Without it the unittests run under the system python
# (the hypothesis test skips) and python_wheel / python_mypy are not registered.
set(REGIMEN_PYTHON_TOOLS ${PROJECT_SOURCE_DIR}/.venv-tools/bin/python CACHE FILEPATH
  "Python with pytest, hypothesis, mypy and scikit-build-core for the binding's tests")
if(Python3_Interpreter_FOUND)
  set(_python_tests ${PROJECT_SOURCE_DIR}/bindings/python/tests)
  if(EXISTS ${REGIMEN_PYTHON_TOOLS})
    add_test(NAME python_binding_test
      COMMAND ${REGIMEN_PYTHON_TOOLS} -m pytest -v -p no:cacheprovider ${_python_tests})
  else()
    add_test(NAME python_binding_test
      COMMAND ${Python3_EXECUTABLE} -m unittest discover -v -s ${_python_tests} -t ${_python_tests})
  endif()
  set_tests_properties(python_binding_test PROPERTIES
    ENVIRONMENT "REGIMEN_LIBRARY=$<TARGET_FILE:regimen>;REGIMEN_SOURCE_DIR=${PROJECT_SOURCE_DIR};PYTHONDONTWRITEBYTECODE=1"
    TIMEOUT 300 LABELS "bindings;no_sanitize")

  if(EXISTS ${REGIMEN_PYTHON_TOOLS})
    # The wheel (scikit-build-core over bindings/python/CMakeLists.txt, its build kept in
    # python-wheel/ here), a fresh venv that installs it, run_session.py and the README example
    # with no REGIMEN_LIBRARY from outside the tree, then pytest against the installed package.
    add_test(NAME python_wheel
      COMMAND ${REGIMEN_PYTHON_TOOLS} ${_python_tests}/wheel_acceptance.py ${PROJECT_BINARY_DIR})
    set_tests_properties(python_wheel PROPERTIES
      ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1"
      RESOURCE_LOCK regimen_python_wheel_build  # its build dir is spark_weekly_progression's too
      TIMEOUT 1200 LABELS "bindings;no_sanitize")

    add_test(NAME python_mypy
      COMMAND ${REGIMEN_PYTHON_TOOLS} -m mypy --strict
        --cache-dir ${PROJECT_BINARY_DIR}/mypy-cache
        ${PROJECT_SOURCE_DIR}/bindings/python/regimen ${PROJECT_SOURCE_DIR}/examples/python)
    set_tests_properties(python_mypy PROPERTIES TIMEOUT 300 LABELS "bindings;no_sanitize")
  endif()

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
