# Compiles a .mg with mgc and asks the inspect tool (tools/inspect.c)
# questions about the generated C.
#   MGC, INSPECT, MG, WORK, RUNTIME_INCLUDE
#   MGC_ARGS       extra mgc arguments (a ;-list), e.g. -O0
#   ARGS           inspect queries / assertions (a ;-list)
#   EXPECT_OUTPUT  a regular expression the inspect output must match (optional)
#   COMPARE_O0     if set: also compile at -O0 and require that
#                  --loops-total of each function in COMPARE_O0 (a ;-list) is
#                  smaller at MGC_ARGS than at -O0
file(MAKE_DIRECTORY "${WORK}")
get_filename_component(stem "${MG}" NAME_WE)

function(generate out_c)
  execute_process(COMMAND "${MGC}" -w ${ARGN} "${MG}" -o "${out_c}" RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "mgc failed (${rc}):\n${err}")
  endif()
endfunction()

function(loops_total c_file fn out_var)
  execute_process(COMMAND "${INSPECT}" "${c_file}" -I "${RUNTIME_INCLUDE}" --loops-total ${fn}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "inspect failed on ${c_file}:\n${out}${err}")
  endif()
  string(STRIP "${out}" out)
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

set(c_file "${WORK}/${stem}.c")
generate("${c_file}" ${MGC_ARGS})
if(ARGS)
  execute_process(COMMAND "${INSPECT}" "${c_file}" -I "${RUNTIME_INCLUDE}" ${ARGS}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "inspect: an assertion failed (status ${rc})")
  endif()
  if(EXPECT_OUTPUT AND NOT out MATCHES "${EXPECT_OUTPUT}")
    message(FATAL_ERROR "inspect output does not match '${EXPECT_OUTPUT}'")
  endif()
endif()
if(COMPARE_O0)
  set(o0 "${WORK}/${stem}_O0.c")
  generate("${o0}" -O0)
  foreach(fn IN LISTS COMPARE_O0)
    loops_total("${c_file}" ${fn} optimized)
    loops_total("${o0}" ${fn} plain)
    message("${fn}: ${optimized} loops (${MGC_ARGS}) against ${plain} at -O0")
    if(NOT optimized LESS plain)
      message(FATAL_ERROR "${fn} does not have fewer loops than at -O0")
    endif()
  endforeach()
endif()
