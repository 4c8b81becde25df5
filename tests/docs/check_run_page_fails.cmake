# Runs run_page.cmake on a page whose four examples are wrong in four ways
# and checks that the page's test fails and reports each of them.
# Variables: those of run_page.cmake (PAGE is tests/docs/wrong_output.md).
execute_process(COMMAND "${CMAKE_COMMAND}" -DPAGE=${PAGE} -DDOCEX=${DOCEX} -DMGC=${MGC}
    "-DCC_LIST=${CC_LIST}" -DRUNTIME_INCLUDE=${RUNTIME_INCLUDE} -DRUNTIME_LIB=${RUNTIME_LIB}
    "-DLIBS=${LIBS}" -DLOGCMP=${LOGCMP} -DRUN_DIR=${RUN_DIR} -DWORK=${WORK}
    -P ${RUN_PAGE}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "the page's test passed, but its examples are wrong:\n${out}${err}")
endif()
foreach(expect "4 example(s) failed"
               "wrong_output.md:4 (wrong_numbers): the numbers differ from the page's"
               "wrong_output.md:25 (missing_line): the program printed"
               "wrong_output.md:45 (does_not_compile): mgc failed"
               "unknown function 'mena'"
               "wrong_output.md:57 (bad_data): the program exited with 1"
               "no_such_file.csv")
  string(FIND "${err}" "${expect}" at)
  if(at LESS 0)
    message(FATAL_ERROR "the page's test did not say '${expect}':\n${err}")
  endif()
endforeach()
message("${err}")
