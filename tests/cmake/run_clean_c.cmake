# The generated C of one .mg, as an expert would leave it: mgc writes it
# (MGC_ARGS: -O2, -O1, --emit=lib ...), the inspect tool finds no loop that
# cannot run and no function that does nothing in it, and every compiler of
# CC_LIST compiles it at -std=c11 -Wall -Wextra -pedantic -Werror.
#   MGC, INSPECT, MG, WORK, RUNTIME_INCLUDE, CC_LIST, MGC_ARGS (a ;-list)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
get_filename_component(stem "${MG}" NAME_WE)
set(c_file "${WORK}/${stem}.c")
execute_process(COMMAND "${MGC}" -w ${MGC_ARGS} "${MG}" -o "${c_file}" RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mgc failed (${rc}):\n${err}")
endif()
execute_process(COMMAND "${INSPECT}" "${c_file}" -I "${RUNTIME_INCLUDE}"
    --expect-no-dead-loops --expect-no-empty-functions
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "inspect: the generated C has leftovers (status ${rc})")
endif()
foreach(cc IN LISTS CC_LIST)
  get_filename_component(cc_name "${cc}" NAME)
  execute_process(COMMAND "${cc}" -std=c11 -Wall -Wextra -pedantic -Werror -O2 -c "${c_file}"
      -I "${RUNTIME_INCLUDE}" -o "${WORK}/${stem}.${cc_name}.o"
    RESULT_VARIABLE rc OUTPUT_VARIABLE cout ERROR_VARIABLE cerr TIMEOUT 300)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${cc} rejected the generated C:\n${cout}${cerr}")
  endif()
  message("${cc_name}: compiled warning-free")
endforeach()
