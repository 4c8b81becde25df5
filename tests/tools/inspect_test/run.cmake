# Runs one inspect self-test.  Run with cmake -P and these variables:
#   INSPECT         the tool
#   FILE            the fixture to inspect
#   ARGS            the rest of the command line (a ;-list)
#   EXPECT_STATUS   the exit status (default 0)
#   EXPECT_STDOUT   a file stdout must equal, byte for byte (optional)
#   EXPECT_STDERR   a regular expression stderr must match (optional)
# The exact status matters: 1 (a finding) and 2 (a usage error) must not be
# confused, which CTest's WILL_FAIL cannot tell apart.
if(NOT DEFINED EXPECT_STATUS OR EXPECT_STATUS STREQUAL "")
  set(EXPECT_STATUS 0)
endif()
execute_process(COMMAND "${INSPECT}" "${FILE}" ${ARGS}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
string(REPLACE ";" " " shown "${ARGS}")
set(report "command: inspect ${FILE} ${shown}\nstdout:\n${out}\nstderr:\n${err}")
if(NOT rc STREQUAL "${EXPECT_STATUS}")
  message(FATAL_ERROR "exit status ${rc}, expected ${EXPECT_STATUS}\n${report}")
endif()
if(EXPECT_STDOUT)
  file(READ "${EXPECT_STDOUT}" want)
  if(NOT out STREQUAL want)
    message(FATAL_ERROR "stdout differs from ${EXPECT_STDOUT}:\n${want}\n${report}")
  endif()
endif()
if(EXPECT_STDERR AND NOT err MATCHES "${EXPECT_STDERR}")
  message(FATAL_ERROR "stderr does not match '${EXPECT_STDERR}'\n${report}")
endif()
