# Compiles a .mg with mgc, builds the generated C warning-free, runs it and
# checks what it printed.  Run with cmake -P and these variables:
#   MGC, MG            the compiler and the .mg file
#   MGC_ARGS           extra mgc arguments (a ;-list), e.g. --dtype=f64
#   CC_LIST            compilers to build the C with (a ;-list; each must be warning-free)
#   RUNTIME_INCLUDE, RUNTIME_LIB, LIBS   where mgrt.h and libmgrt.a are, and what
#                      libmgrt.a needs after it (zlib, the OpenMP runtime, -lm)
#   WORK               a scratch directory for this test
#   CFLAGS             compiler flags for the generated C (a ;-list; default -O2)
#   RUN_ARGS           arguments for the training program (a ;-list)
#   RUN_DIR            the directory the program runs in (default WORK)
#   EXPECT             a reference log to compare stdout with (optional)
#   LOGCMP, TOLERANCE  the comparison tool and the absolute tolerance on numbers
#   RTOLERANCE         a relative tolerance added to it (default 0)
#   EVAL_TOLERANCE     the absolute tolerance on the Eval lines instead (default TOLERANCE)
#   EXPECT_STATUS      the program's exit status (default 0)
#   EXPECT_STDERR      a regular expression stderr must match (optional)
#   EXPECT_NO_STDOUT   stdout must be empty (e.g. no training lines after bad data)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
get_filename_component(stem "${MG}" NAME_WE)
set(c_file "${WORK}/${stem}.c")
set(exe "${WORK}/${stem}")

execute_process(COMMAND "${MGC}" ${MGC_ARGS} -w "${MG}" -o "${c_file}"
  RESULT_VARIABLE rc ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mgc failed (${rc}):\n${err}")
endif()

# The first compiler builds the program that runs; the others only check
# that the generated C compiles warning-free with them too.
set(out "${exe}")
if(NOT CFLAGS)
  set(CFLAGS -O2)
endif()
foreach(cc IN LISTS CC_LIST)
  execute_process(COMMAND "${cc}" -std=c11 -Wall -Wextra -pedantic -Werror ${CFLAGS}
      "${c_file}" -I "${RUNTIME_INCLUDE}" "${RUNTIME_LIB}" ${LIBS} -o "${out}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE cout ERROR_VARIABLE cerr TIMEOUT 300)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${cc} rejected the generated C:\n${cout}${cerr}")
  endif()
  get_filename_component(cc_name "${cc}" NAME)
  set(out "${WORK}/check_${cc_name}")
endforeach()

if(NOT RUN_DIR)
  set(RUN_DIR "${WORK}")
endif()
if(NOT DEFINED EXPECT_STATUS)
  set(EXPECT_STATUS 0)
endif()
execute_process(COMMAND "${exe}" ${RUN_ARGS}
  WORKING_DIRECTORY "${RUN_DIR}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 1200)
file(WRITE "${WORK}/stdout.log" "${out}")
file(WRITE "${WORK}/stderr.log" "${err}")
if(NOT rc STREQUAL "${EXPECT_STATUS}")
  message(FATAL_ERROR "${stem} exited with ${rc}, expected ${EXPECT_STATUS}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(EXPECT_STDERR AND NOT err MATCHES "${EXPECT_STDERR}")
  message(FATAL_ERROR "stderr does not match '${EXPECT_STDERR}':\n${err}")
endif()
if(EXPECT_NO_STDOUT AND NOT out STREQUAL "")
  message(FATAL_ERROR "expected no output on stdout, got:\n${out}")
endif()
if(EXPECT)
  if(NOT RTOLERANCE)
    set(RTOLERANCE 0)
  endif()
  set(eval_tolerance "")
  if(EVAL_TOLERANCE)
    set(eval_tolerance "${EVAL_TOLERANCE}")
  endif()
  execute_process(COMMAND "${LOGCMP}" "${EXPECT}" "${WORK}/stdout.log" "${TOLERANCE}" "${RTOLERANCE}" ${eval_tolerance}
    RESULT_VARIABLE rc OUTPUT_VARIABLE cmp)
  message("${cmp}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the log differs from ${EXPECT}")
  endif()
endif()
message("${out}")
