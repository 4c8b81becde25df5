# unit.fold_matches_c: test_fold writes a C program comparing each
# operator's C template (ops.def) with what constant folding computes; this
# compiles it warning-free and runs it.
#   TEST_FOLD, CC, WORK
file(MAKE_DIRECTORY "${WORK}")
set(src "${WORK}/fold_cases.c")
execute_process(COMMAND "${TEST_FOLD}" "${src}" RESULT_VARIABLE rc ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "test_fold failed (${rc}):\n${err}")
endif()
# -O0: the compiler must not evaluate the templates itself (it may round
# differently from libm, which both sides call at run time).
execute_process(COMMAND "${CC}" -std=c11 -Wall -Wextra -pedantic -Werror -O0 "${src}" -lm -o "${WORK}/fold_cases"
  RESULT_VARIABLE rc ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the C of the fold cases does not compile (${rc}):\n${err}")
endif()
execute_process(COMMAND "${WORK}/fold_cases" RESULT_VARIABLE rc OUTPUT_VARIABLE out TIMEOUT 60)
message(STATUS "${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "folding and the C templates disagree:\n${out}")
endif()
