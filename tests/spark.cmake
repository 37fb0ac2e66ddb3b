# The weekly progression on Apache Spark (included by tests/CMakeLists.txt):
# tests/spark/weekly_progression_test.py builds the wheel and installs it into the Spark venv,
# exports 1,000 synthetic users with `regimen simulate-population --export`, runs
# examples/spark/weekly_progression.py in local[2] mode and checks every decision against a
# single-process loop and the simulation, byte for byte (docs/spark.md). Registered only when
# scripts/test has made both venvs: .venv-spark (examples/spark/requirements.txt: PySpark,
# pandas, pyarrow) and the tools venv that builds the wheel (bindings.cmake).
set(REGIMEN_PYTHON_SPARK ${PROJECT_SOURCE_DIR}/.venv-spark/bin/python CACHE FILEPATH
  "Python with PySpark, pandas and pyarrow for the Spark example's test")
if(EXISTS ${REGIMEN_PYTHON_SPARK} AND EXISTS ${REGIMEN_PYTHON_TOOLS})
  add_test(NAME spark_weekly_progression
    COMMAND ${REGIMEN_PYTHON_SPARK} ${CMAKE_CURRENT_LIST_DIR}/spark/weekly_progression_test.py
      ${PROJECT_BINARY_DIR} $<TARGET_FILE:regimen_cli> ${REGIMEN_PYTHON_TOOLS})
  # The wheel's CMake build dir (python-wheel/) is python_wheel's too: one build at a time.
  set_tests_properties(spark_weekly_progression PROPERTIES
    ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1"
    RESOURCE_LOCK regimen_python_wheel_build
    TIMEOUT 1500 LABELS "bindings;no_sanitize;spark")
endif()
