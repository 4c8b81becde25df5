# chain.cmake — a program of LINES dependent lets (let a1 = a0 * 0.5 + 1,
# ...), compiled by mgc at each of LEVELS (cmake -P):
#
#   cmake -DMGC=mgc -DLINES=20000 -DLEVELS=0,1,2 -DWORK=scratch -P chain.cmake
#
# mgc must accept it and write the C: the compiler recursed once per line in
# places (a stack overflow at 10,500 lines) and took quadratic time.  The
# time is not checked (docs/limits.md has measurements).  awk writes the
# program: cmake's own loops take minutes for 100,000 lines.
cmake_minimum_required(VERSION 3.20)
foreach(var MGC LINES LEVELS WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "chain.cmake: -D${var}=... is required")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(mg "${WORK}/chain.mg")
execute_process(
  COMMAND awk -v n=${LINES} "BEGIN {
    print \"input x: f32[N, 2]\"; print \"param W: f32[2, 1] = zeros\"; print \"let a0 = x @ W\"
    for (i = 1; i < n; i++) printf \"let a%d = a%d * 0.5 + 1\\n\", i, i - 1
    printf \"let cost = mean(a%d)\\ntrain {\\n  loss = cost\\n  data = inline(x = [[1, 2]])\\n\", n - 1
    printf \"  optimizer = sgd(lr = 0.1)\\n  epochs = 1\\n}\\n\" }"
  OUTPUT_FILE "${mg}" RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "awk could not write ${mg}")
endif()
string(REPLACE "," ";" levels "${LEVELS}")
foreach(level IN LISTS levels)
  set(c "${WORK}/chain_O${level}.c")
  execute_process(COMMAND "${MGC}" -O${level} "${mg}" -o "${c}" RESULT_VARIABLE status ERROR_VARIABLE err)
  if(NOT status EQUAL 0 OR NOT EXISTS "${c}")
    message(FATAL_ERROR "mgc -O${level} on ${LINES} lines: '${status}'\n${err}")
  endif()
  file(SIZE "${c}" size)
  message(STATUS "-O${level}: ${LINES} lines compiled, ${size} bytes of C")
  file(REMOVE "${c}")
endforeach()
