cmake_minimum_required(VERSION 3.20)
# Builds the program of MG and runs stop.sh on it (SIGNAL, ARGS), or
# stop_bench.sh when SIGNAL is "bench".
include("${CMAKE_CURRENT_LIST_DIR}/build.cmake")
string(REPLACE "|" ";" ARGS "${ARGS}")
if(SIGNAL STREQUAL "bench")
  set(script stop_bench.sh)
else()
  set(script stop.sh)
endif()
execute_process(COMMAND sh "${CMAKE_CURRENT_LIST_DIR}/${script}" "${exe}" "${WORK}" "${SIGNAL}" ${ARGS}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 500)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "stop.sh failed (${rc})")
endif()
