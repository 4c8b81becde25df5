# run_diag.cmake — one case of the diag suite (cmake -P, no other tools).
#
#   cmake -DMGC=path/to/mgc -DMG=dir/NAME.mg -DERR=dir/NAME.err -DWORK=scratch/NAME
#         -P run_diag.cmake
#
# Runs `mgc NAME.mg -o WORK/out/out.c` in the .mg's own directory, so that
# messages name the file as "NAME.mg" wherever the tree is, and checks:
#   - mgc exited by itself (no signal) within 10 s;
#   - its exit status is 1 when NAME.err holds an error, else 0 (warnings only);
#   - its stderr equals NAME.err byte for byte (a line diff is shown if not);
#   - after an error no output file and no temporary file is left in WORK/out,
#     and after warnings only the output file is there.
# The actual stderr is kept in WORK/stderr.txt, to inspect or to accept.

cmake_minimum_required(VERSION 3.20)  # policies: lists keep empty lines

foreach(var MGC MG ERR WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_diag.cmake: -D${var}=... is required")
  endif()
endforeach()

get_filename_component(mg_dir "${MG}" DIRECTORY)
get_filename_component(mg_name "${MG}" NAME)
set(out_dir "${WORK}/out")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${out_dir}")

execute_process(
  COMMAND "${MGC}" "${mg_name}" -o "${out_dir}/out.c"
  WORKING_DIRECTORY "${mg_dir}"
  RESULT_VARIABLE status
  OUTPUT_VARIABLE stdout
  ERROR_VARIABLE stderr
  TIMEOUT 10)
file(WRITE "${WORK}/stderr.txt" "${stderr}")

# A number is an exit status; anything else is a signal or the timeout.
# Failure reports go out unformatted (message(FATAL_ERROR) would rewrap them).
function(fail text)
  message("${text}")
  message(FATAL_ERROR "diag case ${mg_name} failed")
endfunction()

if(NOT status MATCHES "^[0-9]+$")
  fail("mgc did not finish normally on ${mg_name}: ${status}\nstderr:\n${stderr}")
endif()
if(stderr MATCHES "Sanitizer|runtime error:|internal error at")
  fail("mgc failed inside on ${mg_name} (exit status ${status}):\n${stderr}")
endif()

file(READ "${ERR}" expected)
if(expected MATCHES ": error: ")
  set(want_status 1)
else()
  set(want_status 0)
endif()

set(failures "")

if(NOT status EQUAL want_status)
  string(APPEND failures "exit status ${status}, expected ${want_status}\n")
endif()

# Splits text into a list of lines.  ';' and brackets would confuse CMake's
# lists, so they travel encoded and print_lines decodes them.
function(split_lines text out)
  string(REPLACE ";" "<semicolon>" text "${text}")
  string(REPLACE "[" "<lbracket>" text "${text}")
  string(REPLACE "]" "<rbracket>" text "${text}")
  string(REPLACE "\n" ";" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(decode line out)
  string(REPLACE "<semicolon>" ";" line "${line}")
  string(REPLACE "<lbracket>" "[" line "${line}")
  string(REPLACE "<rbracket>" "]" line "${line}")
  set(${out} "${line}" PARENT_SCOPE)
endfunction()

# A line-by-line comparison: "  " same, "- " expected only, "+ " actual only.
function(line_diff expected actual out)
  split_lines("${expected}" want)
  split_lines("${actual}" got)
  list(LENGTH want n_want)
  list(LENGTH got n_got)
  set(n ${n_want})
  if(n_got GREATER n)
    set(n ${n_got})
  endif()
  set(text "--- ${ERR}\n+++ mgc's stderr\n")
  set(i 0)
  while(i LESS n)
    set(w "<none>")
    set(g "<none>")
    if(i LESS n_want)
      list(GET want ${i} w)
    endif()
    if(i LESS n_got)
      list(GET got ${i} g)
    endif()
    decode("${w}" w)
    decode("${g}" g)
    if(w STREQUAL g)
      string(APPEND text "  ${w}\n")
    else()
      if(i LESS n_want)
        string(APPEND text "- ${w}\n")
      endif()
      if(i LESS n_got)
        string(APPEND text "+ ${g}\n")
      endif()
    endif()
    math(EXPR i "${i} + 1")
  endwhile()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

if(NOT stderr STREQUAL expected)
  line_diff("${expected}" "${stderr}" diff)
  string(APPEND failures "stderr differs from ${mg_name}'s .err:\n${diff}"
                         "(the actual stderr is in ${WORK}/stderr.txt)\n")
endif()

file(GLOB left_behind LIST_DIRECTORIES true "${out_dir}/*")
if(want_status EQUAL 1)
  if(left_behind)
    string(APPEND failures "files left behind after an error: ${left_behind}\n")
  endif()
else()
  if(NOT left_behind STREQUAL "${out_dir}/out.c")
    string(APPEND failures "expected only ${out_dir}/out.c after a warning, found: ${left_behind}\n")
  endif()
endif()

if(NOT stdout STREQUAL "")
  string(APPEND failures "unexpected output on stdout:\n${stdout}\n")
endif()

if(failures)
  fail("${failures}")
endif()
