# mgc --list: status 0, nothing on stderr, and stdout equal to the golden
# file EXPECT byte for byte (a line diff on a mismatch).  When a builtin,
# layer kind, initializer, optimizer or setting is added on purpose,
# regenerate it with `mgc --list > tests/cli/mgc_list.txt` and review the diff.
#   cmake -DMGC=... -DEXPECT=mgc_list.txt -P mgc_list.cmake
cmake_minimum_required(VERSION 3.20)
execute_process(COMMAND "${MGC}" --list
  RESULT_VARIABLE status ERROR_VARIABLE stderr OUTPUT_VARIABLE stdout TIMEOUT 10)
if(NOT status STREQUAL "0")
  message(FATAL_ERROR "mgc --list: exit status '${status}', expected 0\n${stderr}")
endif()
if(NOT stderr STREQUAL "")
  message(FATAL_ERROR "mgc --list wrote to stderr:\n${stderr}")
endif()
file(READ "${EXPECT}" expected)
if(NOT stdout STREQUAL expected)
  string(REPLACE "\n" ";" want "${expected}")
  string(REPLACE "\n" ";" got "${stdout}")
  set(diff "")
  foreach(line IN LISTS want)
    if(NOT line IN_LIST got)
      string(APPEND diff "- ${line}\n")
    endif()
  endforeach()
  foreach(line IN LISTS got)
    if(NOT line IN_LIST want)
      string(APPEND diff "+ ${line}\n")
    endif()
  endforeach()
  message(FATAL_ERROR "mgc --list differs from ${EXPECT}:\n${diff}")
endif()
