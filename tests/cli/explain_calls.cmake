# mgc --explain names exactly the fused libmgrt calls the generated C makes:
# the set of mgrt_matmul_*_bias / mgrt_matmul_*_softmax_ce names in its notes
# equals the set of such calls in the C (a call may appear in several
# phases: evaluation and prediction both compute the logits).
#   cmake -DMGC=... -DMG=... -DARGS=a;b -DWORK=dir -P explain_calls.cmake
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND "${MGC}" --explain ${ARGS} "${MG}" -o "${WORK}/out.c"
  RESULT_VARIABLE status ERROR_VARIABLE notes OUTPUT_QUIET TIMEOUT 30)
if(NOT status STREQUAL "0")
  message(FATAL_ERROR "mgc --explain ${ARGS} ${MG}: exit status '${status}'\n${notes}")
endif()
set(call_re "mgrt_matmul_(nn|nt|tn)_(bias|bias_f64|softmax_ce)")
string(REGEX MATCHALL "\\(${call_re}\\)" explained "${notes}")
string(REGEX REPLACE "[()]" "" explained "${explained}")
file(READ "${WORK}/out.c" c_text)
string(REGEX MATCHALL "${call_re}\\(" called "${c_text}")
string(REPLACE "(" "" called "${called}")
foreach(list explained called)
  if(${list})
    list(REMOVE_DUPLICATES ${list})
    list(SORT ${list})
  endif()
endforeach()
if(NOT "${explained}" STREQUAL "${called}")
  message(FATAL_ERROR "mgc --explain ${ARGS} ${MG}: the notes name [${explained}], the C calls [${called}]\n${notes}")
endif()
message(STATUS "fused calls: [${called}]")
