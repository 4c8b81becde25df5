# Runs a generated training program in one process and under mpirun with K
# processes, and checks that every job's log, history and checkpoint equal
# the one-process run's.  Run with cmake -P and these variables:
#   MGC, MG, MGC_ARGS  the compiler, the .mg file, extra mgc arguments
#   CC, RUNTIME_INCLUDE, RUNTIME_LIB, LIBS   how to build the program
#   MPIRUN             mpirun; --allow-run-as-root is added when running as
#                      root, --oversubscribe when K exceeds the cores
#   PROCS              the process counts (a ;-list), e.g. 2;3
#   WORK, RUN_ARGS     a scratch directory, the program's arguments
#   EXPECT, LOGCMP, TOLERANCE   the reference log (the one the one-process
#                      tests use) and its tolerance; every job's log is held
#                      to it, and to the one-process log with the same one
#   STCMP, CKPT_ATOL, CKPT_RTOL, CKPT_NORM  checkpoint comparison: every
#                      float within CKPT_ATOL + CKPT_RTOL * |one-process value|,
#                      or (CKPT_NORM) |A - B| / |A| at most that
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(c_file "${WORK}/train.c")
set(exe "${WORK}/train")
execute_process(COMMAND "${MGC}" ${MGC_ARGS} -w "${MG}" -o "${c_file}" RESULT_VARIABLE rc ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mgc failed (${rc}):\n${err}")
endif()
execute_process(COMMAND "${CC}" -std=c11 -Wall -Wextra -pedantic -Werror -O2 "${c_file}" -I "${RUNTIME_INCLUDE}"
    "${RUNTIME_LIB}" ${LIBS} -o "${exe}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE cout ERROR_VARIABLE cerr TIMEOUT 300)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${CC} rejected the generated C:\n${cout}${cerr}")
endif()

execute_process(COMMAND id -u OUTPUT_VARIABLE uid OUTPUT_STRIP_TRAILING_WHITESPACE)
cmake_host_system_information(RESULT cores QUERY NUMBER_OF_LOGICAL_CORES)

function(compare what a b tol)
  execute_process(COMMAND "${LOGCMP}" "${a}" "${b}" "${tol}" 0 RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  message("${what}: ${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what}: ${b} differs from ${a}")
  endif()
endfunction()

function(compare_checkpoints what a b)
  if(CKPT_NORM)
    execute_process(COMMAND "${STCMP}" "${a}" "${b}" 0 0 "${CKPT_NORM}" RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  else()
    execute_process(COMMAND "${STCMP}" "${a}" "${b}" "${CKPT_ATOL}" "${CKPT_RTOL}" RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  endif()
  message("${what}: ${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what}: ${b} differs from ${a}")
  endif()
endfunction()

# the one-process run
execute_process(COMMAND "${exe}" ${RUN_ARGS} --save "${WORK}/one.safetensors" --history "${WORK}/one.csv"
  WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE rc OUTPUT_FILE "${WORK}/one.log" ERROR_VARIABLE err TIMEOUT 900)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the one-process run exited with ${rc}:\n${err}")
endif()
compare("one process vs reference" "${EXPECT}" "${WORK}/one.log" "${TOLERANCE}")

foreach(k IN LISTS PROCS)
  set(flags "")
  if(uid STREQUAL "0")
    list(APPEND flags --allow-run-as-root)
  endif()
  if(k GREATER cores)
    list(APPEND flags --oversubscribe)
  endif()
  execute_process(COMMAND "${MPIRUN}" ${flags} -np ${k} "${exe}" ${RUN_ARGS}
      --save "${WORK}/np${k}.safetensors" --history "${WORK}/np${k}.csv"
    WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE rc OUTPUT_FILE "${WORK}/np${k}.log" ERROR_VARIABLE err TIMEOUT 900)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "mpirun -np ${k} exited with ${rc}:\n${err}")
  endif()
  compare("np ${k} vs reference" "${EXPECT}" "${WORK}/np${k}.log" "${TOLERANCE}")
  compare("np ${k} vs one process" "${WORK}/one.log" "${WORK}/np${k}.log" "${TOLERANCE}")
  # the history's numbers, separated by spaces as the tool wants them
  foreach(run one np${k})
    file(READ "${WORK}/${run}.csv" text)
    string(REPLACE "," " " text "${text}")
    file(WRITE "${WORK}/${run}.history" "${text}")
  endforeach()
  compare("np ${k} history vs one process" "${WORK}/one.history" "${WORK}/np${k}.history" "${TOLERANCE}")
  compare_checkpoints("np ${k} checkpoint vs one process" "${WORK}/one.safetensors" "${WORK}/np${k}.safetensors")
endforeach()
