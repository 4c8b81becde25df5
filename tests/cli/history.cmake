# --history FILE.csv: "epoch,cost,accuracy", then a row for every logged
# epoch, with the numbers the log prints; an unwritable path is an error.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND "${MGC}" -w "${MG}" -o "${WORK}/train.c" RESULT_VARIABLE rc)
execute_process(COMMAND "${CC}" -O2 "${WORK}/train.c" -I "${RUNTIME_INCLUDE}" "${RUNTIME_LIB}" ${LIBS}
  -o "${WORK}/train" RESULT_VARIABLE rc2)
if(NOT rc EQUAL 0 OR NOT rc2 EQUAL 0)
  message(FATAL_ERROR "could not build the program")
endif()
execute_process(COMMAND "${WORK}/train" --history "${WORK}/h.csv" RESULT_VARIABLE rc OUTPUT_VARIABLE log)
file(STRINGS "${WORK}/h.csv" rows)
list(LENGTH rows n)
list(GET rows 0 header)
list(GET rows 11 last)
message("${header}\n${last}")
if(NOT rc EQUAL 0 OR NOT n EQUAL 12 OR NOT header STREQUAL "epoch,cost,accuracy"
   OR NOT last MATCHES "^1000,0\\.01985[0-9]*,1$")
  message(FATAL_ERROR "unexpected history (${n} rows)")
endif()
execute_process(COMMAND "${WORK}/train" --history "${WORK}/no/such/dir/h.csv"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT err MATCHES "cannot write .*no/such/dir/h.csv")
  message(FATAL_ERROR "an unwritable history path was not refused (status ${rc}): ${err}")
endif()
