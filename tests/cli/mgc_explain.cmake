# mgc --explain: status 0, and every regex of EXPECT (a list) found in its
# notes on stderr, every regex of REJECT absent.
#   cmake -DMGC=... -DMG=... -DARGS=a;b -DEXPECT=r1;r2 -DREJECT=r3 -DWORK=dir -P mgc_explain.cmake
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND "${MGC}" --explain ${ARGS} "${MG}" -o "${WORK}/out.c"
  RESULT_VARIABLE status ERROR_VARIABLE stderr OUTPUT_VARIABLE stdout TIMEOUT 10)
if(NOT status STREQUAL "0")
  message(FATAL_ERROR "mgc --explain ${ARGS}: exit status '${status}', expected 0\n${stderr}")
endif()
foreach(want IN LISTS EXPECT)
  if(NOT stderr MATCHES "${want}")
    message(FATAL_ERROR "mgc --explain ${ARGS}: no note matches '${want}':\n${stderr}")
  endif()
endforeach()
foreach(unwanted IN LISTS REJECT)
  if(stderr MATCHES "${unwanted}")
    message(FATAL_ERROR "mgc --explain ${ARGS}: a note matches '${unwanted}':\n${stderr}")
  endif()
endforeach()
