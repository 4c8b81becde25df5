# Checks one Graphviz picture from mgc --emit=dot.  Run with cmake -P and:
#   MGC, MG, OPT       mgc, the .mg and the -O flag: the picture is
#                      `mgc --emit=dot OPT MG`, written once with -o and once
#                      to stdout (the default), and the two must be the same
#                      bytes: the output is deterministic
#   GEN                instead of MGC/MG: a program that writes a DOT file to
#                      the path it is given (tests/dot/test_emit_dot.c)
#   DOT                Graphviz's dot: the picture must render to a non-empty
#                      SVG, with nothing on stderr (a warning is a failure)
#   WORK               a scratch directory for this test (emptied first)
#   EXPECT_COUNTS      OP=N pairs (a ;-list): exactly N nodes whose class is
#                      "op-OP ..." -- the stable handle emit_dot.c gives every
#                      node, so counting never depends on the label wording
#   EXPECT_DOT         regular expressions the DOT must match (a ;-list)
#   REJECT_DOT         regular expressions it must not match
#   EXPECT_SVG         regular expressions the SVG must match
# Every edge must join two declared nodes: Graphviz would silently invent
# an unlabelled node for a dangling end.
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(dot_file "${WORK}/graph.dot")
set(svg_file "${WORK}/graph.svg")

# ---- make the picture ----------------------------------------------------------
if(GEN)
  execute_process(COMMAND "${GEN}" "${dot_file}" RESULT_VARIABLE rc ERROR_VARIABLE err TIMEOUT 60)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${GEN} failed (${rc}):\n${err}")
  endif()
else()
  execute_process(COMMAND "${MGC}" --emit=dot -w ${OPT} "${MG}" -o "${dot_file}"
    RESULT_VARIABLE rc ERROR_VARIABLE err TIMEOUT 60)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "mgc --emit=dot ${OPT} failed (${rc}):\n${err}")
  endif()
  execute_process(COMMAND "${MGC}" --emit=dot -w ${OPT} "${MG}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE again ERROR_VARIABLE err TIMEOUT 60)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "mgc --emit=dot ${OPT} to stdout failed (${rc}):\n${err}")
  endif()
  file(WRITE "${WORK}/again.dot" "${again}")
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${dot_file}" "${WORK}/again.dot"
    RESULT_VARIABLE differ)
  if(differ)
    message(FATAL_ERROR "two runs of mgc --emit=dot ${OPT} differ: ${dot_file} and ${WORK}/again.dot")
  endif()
endif()
file(READ "${dot_file}" text)
if(NOT text MATCHES "^digraph \"[^\n]*\" {\n" OR NOT text MATCHES "\n}\n$")
  message(FATAL_ERROR "not one digraph:\n${text}")
endif()

# ---- every edge joins declared nodes ----------------------------------------------
# (on a copy without brackets: CMake does not split a list at a ";" inside [])
string(REPLACE "[" "<" flat "${text}")
string(REGEX MATCHALL "\n    n[0-9]+ <" declared "${flat}")
string(REGEX REPLACE "[^0-9;]" "" declared "${declared}")
string(REGEX MATCHALL "\n  n[0-9]+ -> n[0-9]+" edges "${text}")
foreach(edge IN LISTS edges)
  string(REGEX MATCH "n([0-9]+) -> n([0-9]+)" _ "${edge}")
  foreach(end IN ITEMS "${CMAKE_MATCH_1}" "${CMAKE_MATCH_2}")
    if(NOT end IN_LIST declared)
      message(FATAL_ERROR "edge${edge} reaches n${end}, which is not declared:\n${text}")
    endif()
  endforeach()
endforeach()

# ---- what the picture shows ---------------------------------------------------------
foreach(pair IN LISTS EXPECT_COUNTS)
  string(REGEX MATCH "^([a-z_]+)=([0-9]+)$" _ "${pair}")
  set(op "${CMAKE_MATCH_1}")
  set(want "${CMAKE_MATCH_2}")
  string(REGEX MATCHALL "\n    n[0-9]+ <class=\"op-${op}[ \"]" found "${flat}")
  list(LENGTH found got)
  if(NOT got EQUAL want)
    message(FATAL_ERROR "expected ${want} ${op} node(s), found ${got}:\n${text}")
  endif()
endforeach()
foreach(re IN LISTS EXPECT_DOT)
  if(NOT text MATCHES "${re}")
    message(FATAL_ERROR "the DOT does not match '${re}':\n${text}")
  endif()
endforeach()
foreach(re IN LISTS REJECT_DOT)
  if(text MATCHES "${re}")
    message(FATAL_ERROR "the DOT matches '${re}', which it must not:\n${text}")
  endif()
endforeach()

# ---- Graphviz draws it -------------------------------------------------------------------
if(NOT DOT)
  message(FATAL_ERROR "Graphviz's dot was not found when the build was configured: "
                      "install it (sh scripts/setup.sh installs graphviz) and reconfigure")
endif()
execute_process(COMMAND "${DOT}" -Tsvg "${dot_file}" -o "${svg_file}"
  RESULT_VARIABLE rc ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0 OR NOT err STREQUAL "")
  message(FATAL_ERROR "dot -Tsvg exited with ${rc}:\n${err}")
endif()
file(READ "${svg_file}" svg)
if(NOT svg MATCHES "<svg" OR NOT svg MATCHES "</svg>")
  message(FATAL_ERROR "dot -Tsvg wrote no SVG (${svg_file})")
endif()
foreach(re IN LISTS EXPECT_SVG)
  if(NOT svg MATCHES "${re}")
    message(FATAL_ERROR "the SVG does not match '${re}' (${svg_file})")
  endif()
endforeach()
