# A usage error of mgc itself: exit status 2, the message on stderr, and no
# output file.
#   cmake -DMGC=... -DMG=... -DARGS=a;b -DEXPECT_STDERR=regex -DWORK=dir -P mgc_usage.cmake
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND "${MGC}" ${ARGS} "${MG}" -o "${WORK}/out.c"
  RESULT_VARIABLE status ERROR_VARIABLE stderr OUTPUT_VARIABLE stdout TIMEOUT 10)
if(NOT status STREQUAL "2")
  message(FATAL_ERROR "mgc ${ARGS}: exit status '${status}', expected 2\n${stderr}")
endif()
if(NOT stderr MATCHES "${EXPECT_STDERR}")
  message(FATAL_ERROR "mgc ${ARGS}: stderr does not match '${EXPECT_STDERR}':\n${stderr}")
endif()
if(EXISTS "${WORK}/out.c")
  message(FATAL_ERROR "mgc ${ARGS}: wrote ${WORK}/out.c after a usage error")
endif()
