# Generates C from a .mg and checks its text: REQUIRE (a regular
# expression) must match it, REJECT must not.
#   MGC, MG, WORK, MGC_ARGS (a ;-list), REQUIRE, REJECT
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
get_filename_component(stem "${MG}" NAME_WE)
set(c_file "${WORK}/${stem}.c")
execute_process(COMMAND "${MGC}" -w ${MGC_ARGS} "${MG}" -o "${c_file}" RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mgc failed (${rc}):\n${err}")
endif()
file(READ "${c_file}" text)
if(REQUIRE AND NOT text MATCHES "${REQUIRE}")
  message(FATAL_ERROR "${c_file} does not match '${REQUIRE}'")
endif()
if(REJECT AND text MATCHES "${REJECT}")
  message(FATAL_ERROR "${c_file} matches '${REJECT}': ${CMAKE_MATCH_0}")
endif()
