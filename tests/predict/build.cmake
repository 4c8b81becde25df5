cmake_minimum_required(VERSION 3.20)
# Included by the tests/predict scripts: compiles MG with mgc into
# WORK/STEM.c and builds it warning-free (-Werror) with every compiler in
# CC_LIST; the first one's program is WORK/STEM, which `exe` names.
#   MGC, MG, CC_LIST, RUNTIME_INCLUDE, RUNTIME_LIB, LIBS, WORK
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
get_filename_component(stem "${MG}" NAME_WE)
set(exe "${WORK}/${stem}")
execute_process(COMMAND "${MGC}" -w "${MG}" -o "${WORK}/${stem}.c" RESULT_VARIABLE rc ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mgc failed (${rc}):\n${err}")
endif()
set(out "${exe}")
foreach(cc IN LISTS CC_LIST)
  execute_process(COMMAND "${cc}" -std=c11 -Wall -Wextra -pedantic -Werror -O2 "${WORK}/${stem}.c"
      -I "${RUNTIME_INCLUDE}" "${RUNTIME_LIB}" ${LIBS} -o "${out}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE cout ERROR_VARIABLE cerr TIMEOUT 300)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${cc} rejected the generated C:\n${cout}${cerr}")
  endif()
  get_filename_component(cc_name "${cc}" NAME)
  set(out "${WORK}/check_${cc_name}")
endforeach()
