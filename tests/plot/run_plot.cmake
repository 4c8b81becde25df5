# Runs `mgc plot` on a history and checks the outcome.  Run with cmake -P and:
#   MGC, SVGCHECK      the compiler and the SVG checker
#   WORK               a scratch directory for this test (emptied first)
#   INPUT              the history; copied into WORK (as COPY_AS if given) so
#                      the default output lands there too.  Left as it is if it
#                      does not exist (the missing-file case).  Empty: no
#                      history argument at all (the usage case).
#   OUTPUT             the output's name in WORK, passed with -o; "-" for
#                      stdout; empty for mgc's default (HISTORY with .svg)
#   ARGS               more arguments for mgc plot (a ;-list)
#   EXPECT_STATUS      mgc's exit status (default 0)
#   EXPECT_STDERR      a regular expression stderr must match (with a non-zero status)
#   EXPECT_SVG         regular expressions the SVG must match (a ;-list)
# On success the SVG must pass svgcheck (well-formed, one polyline per series
# with one point per finite value) and xmllint when it is installed, and a
# second run must give the same bytes.  On failure WORK must hold nothing
# but the input: no output file, no temporary file.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
if(NOT DEFINED EXPECT_STATUS)
  set(EXPECT_STATUS 0)
endif()

set(history "")
set(before "")
if(INPUT)
  set(history "${INPUT}")
  if(EXISTS "${INPUT}")
    if(NOT COPY_AS)
      get_filename_component(COPY_AS "${INPUT}" NAME)
    endif()
    set(history "${WORK}/${COPY_AS}")
    configure_file("${INPUT}" "${history}" COPYONLY)
    set(before "${history}")
  endif()
endif()

set(out_args "")
if(OUTPUT STREQUAL "-")
  set(out_args -o -)
  set(svg "${WORK}/stdout.svg")
elseif(OUTPUT)
  set(out_args -o "${WORK}/${OUTPUT}")
  set(svg "${WORK}/${OUTPUT}")
else()
  get_filename_component(dir "${history}" DIRECTORY)
  get_filename_component(stem "${history}" NAME_WLE)
  set(svg "${dir}/${stem}.svg")
endif()

execute_process(COMMAND "${MGC}" plot ${history} ${out_args} ${ARGS}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
message("mgc plot exited with ${rc}; stderr:\n${err}")
if(NOT rc STREQUAL "${EXPECT_STATUS}")
  message(FATAL_ERROR "expected exit status ${EXPECT_STATUS}")
endif()
if(EXPECT_STDERR AND NOT err MATCHES "${EXPECT_STDERR}")
  message(FATAL_ERROR "stderr does not match '${EXPECT_STDERR}'")
endif()

if(NOT rc EQUAL 0)
  file(GLOB_RECURSE left "${WORK}/*")
  if(NOT left STREQUAL before)
    message(FATAL_ERROR "a failed plot left files behind: ${left}")
  endif()
  return()
endif()

if(NOT err STREQUAL "")
  message(FATAL_ERROR "a successful plot printed on stderr")
endif()
if(OUTPUT STREQUAL "-")
  file(WRITE "${svg}" "${out}")
elseif(NOT out STREQUAL "")
  message(FATAL_ERROR "mgc plot printed on stdout although it wrote ${svg}:\n${out}")
endif()
if(NOT EXISTS "${svg}")
  message(FATAL_ERROR "no output at ${svg}")
endif()

execute_process(COMMAND "${SVGCHECK}" "${svg}" "${history}" RESULT_VARIABLE rc
  OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "svgcheck rejected ${svg}")
endif()

find_program(XMLLINT xmllint)
if(XMLLINT)
  execute_process(COMMAND "${XMLLINT}" --noout "${svg}" RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "xmllint rejected ${svg}:\n${err}")
  endif()
  message("xmllint: well-formed")
else()
  message("xmllint is not installed (Debian: libxml2-utils): that check is skipped")
endif()

file(READ "${svg}" text)
foreach(regex IN LISTS EXPECT_SVG)
  if(NOT text MATCHES "${regex}")
    message(FATAL_ERROR "the SVG does not match '${regex}'")
  endif()
endforeach()

# Deterministic: the same history gives the same bytes.
if(NOT OUTPUT STREQUAL "-")
  execute_process(COMMAND "${MGC}" plot ${history} -o "${WORK}/again.svg" ${ARGS}
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${svg}" "${WORK}/again.svg"
    RESULT_VARIABLE differ)
  if(NOT rc EQUAL 0 OR differ)
    message(FATAL_ERROR "a second run gave different bytes (or failed: ${err})")
  endif()
endif()
file(GLOB leftovers "${WORK}/*.tmp*")
if(leftovers)
  message(FATAL_ERROR "temporary files left: ${leftovers}")
endif()
