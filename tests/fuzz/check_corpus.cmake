# check_corpus.cmake — mgc on every file of a fuzz corpus (cmake -P):
#
#   cmake -DMGC=mgc -DDIR=corpus -DCC=gcc -DRUNTIME_INCLUDE=runtime -DWORK=scratch
#         -P check_corpus.cmake
#
# For each file, at -O0, -O1 and -O2 (f32, and f64 at -O2): mgc must exit by
# itself with 0 or 1 (1 with an "error:" line); when it accepts the program,
# the C must compile with CC -std=c11 -Wall -Wextra -pedantic -Werror -c.
cmake_minimum_required(VERSION 3.20)
foreach(var MGC DIR CC RUNTIME_INCLUDE WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_corpus.cmake: -D${var}=... is required")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
file(GLOB inputs "${DIR}/*")
list(LENGTH inputs count)
if(count EQUAL 0)
  message(FATAL_ERROR "no inputs in ${DIR}")
endif()
set(failures 0)
set(accepted 0)
foreach(input IN LISTS inputs)
  get_filename_component(name "${input}" NAME)
  foreach(flags "-O0" "-O1" "-O2" "-O2;--dtype=f64")
    set(c "${WORK}/out.c")
    file(REMOVE "${c}")
    execute_process(COMMAND "${MGC}" ${flags} "${input}" -o "${c}"
                    RESULT_VARIABLE status ERROR_VARIABLE err OUTPUT_QUIET TIMEOUT 60)
    if(NOT status MATCHES "^[01]$")
      message(SEND_ERROR "${name} (${flags}): mgc ended with '${status}'\n${err}")
      math(EXPR failures "${failures} + 1")
    elseif(status EQUAL 1 AND NOT err MATCHES "error:")
      message(SEND_ERROR "${name} (${flags}): mgc failed without an error message\n${err}")
      math(EXPR failures "${failures} + 1")
    elseif(status EQUAL 0)
      math(EXPR accepted "${accepted} + 1")
      execute_process(COMMAND "${CC}" -std=c11 -Wall -Wextra -pedantic -Werror -I "${RUNTIME_INCLUDE}"
                              -c "${c}" -o "${WORK}/out.o"
                      RESULT_VARIABLE cc_status ERROR_VARIABLE cc_err OUTPUT_QUIET)
      if(NOT cc_status EQUAL 0)
        file(COPY "${c}" DESTINATION "${WORK}/failed")
        file(RENAME "${WORK}/failed/out.c" "${WORK}/failed/${name}.c")
        message(SEND_ERROR "${name} (${flags}): the C does not compile\n${cc_err}")
        math(EXPR failures "${failures} + 1")
      endif()
    endif()
  endforeach()
endforeach()
message(STATUS "${count} inputs, ${accepted} compiles accepted, ${failures} failures")
