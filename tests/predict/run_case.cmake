cmake_minimum_required(VERSION 3.20)
# Runs the program of MG with ARGS in WORK and checks the outcome: a bad
# --predict file (or target) gets a located error, a non-zero status, and
# --predict-out's file (out.csv, made beforehand) stays as it was, with no
# temporary left beside it.
#   build.cmake's variables, and ARGS ("|" between arguments; run in WORK),
#   EXPECT_STATUS, EXPECT_STDERR and EXPECT_STDOUT (regexes; "" for none),
#   NO_STDOUT (stdout must be empty)
include("${CMAKE_CURRENT_LIST_DIR}/build.cmake")
string(REPLACE "|" ";" ARGS "${ARGS}")
set(previous "previous predictions\n")
file(WRITE "${WORK}/out.csv" "${previous}")
execute_process(COMMAND "${exe}" ${ARGS} WORKING_DIRECTORY "${WORK}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 600)
message("status ${rc}\nstderr: ${err}")
if(NOT rc EQUAL EXPECT_STATUS)
  message(FATAL_ERROR "exit status ${rc}, expected ${EXPECT_STATUS}")
endif()
if(EXPECT_STDERR AND NOT err MATCHES "${EXPECT_STDERR}")
  message(FATAL_ERROR "stderr does not match '${EXPECT_STDERR}'")
endif()
if(EXPECT_STDOUT AND NOT out MATCHES "${EXPECT_STDOUT}")
  message(FATAL_ERROR "stdout does not match '${EXPECT_STDOUT}':\n${out}")
endif()
if(NO_STDOUT AND NOT out STREQUAL "")
  message(FATAL_ERROR "expected no stdout, got:\n${out}")
endif()
file(READ "${WORK}/out.csv" now)
file(GLOB leftovers "${WORK}/out.csv.tmp.*")
if(NOT EXPECT_STATUS EQUAL 0 AND (NOT now STREQUAL previous OR leftovers))
  message(FATAL_ERROR "out.csv was changed (or a temporary left: ${leftovers}):\n${now}")
endif()
