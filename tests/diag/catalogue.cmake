# diag.catalogue: docs/diagnostics.md shows each catalogued case's .err file
# as it is, so the page cannot drift from what mgc prints.  A case is
# catalogued when the page names it as **`NAME`**; its block must then hold
# the whole .err file, except for the cases in EXCERPTS, shown in part.
#   cmake -DDOC=docs/diagnostics.md -DCASES=tests/diag -P catalogue.cmake
cmake_minimum_required(VERSION 3.20)
set(EXCERPTS too_many_errors)
file(READ "${DOC}" doc)
file(GLOB errs "${CASES}/*.err" "${CASES}/generated/*.err")
set(stale "")
set(checked 0)
foreach(err IN LISTS errs)
  get_filename_component(name "${err}" NAME_WE)
  string(FIND "${doc}" "**`${name}`**" named)
  if(named EQUAL -1 OR name IN_LIST EXCERPTS)
    continue()
  endif()
  file(READ "${err}" text)
  string(FIND "${doc}" "```text\n${text}```" at)
  if(at EQUAL -1)
    string(APPEND stale "  ${name}\n")
  endif()
  math(EXPR checked "${checked} + 1")
endforeach()
if(stale)
  message(FATAL_ERROR "docs/diagnostics.md shows an old output for:\n${stale}"
    "copy each tests/diag/NAME.err into its block")
endif()
if(checked LESS 50)
  message(FATAL_ERROR "only ${checked} catalogued cases found in ${DOC}: is the page's format changed?")
endif()
message(STATUS "${checked} catalogued cases match their .err files")
