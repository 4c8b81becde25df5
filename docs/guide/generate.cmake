# Generates docs/reading-generated-c.md from reading-generated-c.md.in and
# mgc's real output, so that the guide cannot drift from the compiler:
#
#   cmake -DMGC=build/mgc -P docs/guide/generate.cmake
#
# Variables (paths relative to the current directory):
#   MGC     the mgc to run (required)
#   OUT     where to write (default: docs/reading-generated-c.md in this repo)
#   CHECK   if set: a committed guide that OUT must equal; a difference fails
#           with a diff and the command above (the docs.guide_up_to_date test)
#   WORK    scratch directory for the generated C (default: guide-work/ beside MGC)
#
# Markers, each alone on a line of the template, become fenced blocks:
#   @@INCLUDE stem NAME [flags]@@
#                           the definition of NAME in the C that `mgc
#                           [flags] examples/stem.mg` generates: a function (`static
#                           void NAME(`, `int main(`) or `typedef struct NAME {`,
#                           through the `}` at column 0 that closes it, with
#                           the comment right above it
#   @@IR stem [flags]@@     `mgc --emit=ir [flags] examples/stem.mg`
#   @@FILE path@@           a file of the repository, as it is
cmake_minimum_required(VERSION 3.20)
get_filename_component(repo "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
set(template "${CMAKE_CURRENT_LIST_DIR}/reading-generated-c.md.in")
set(regenerate "cmake -DMGC=build/mgc -P docs/guide/generate.cmake")

if(NOT MGC)
  message(FATAL_ERROR "usage: ${regenerate}  (MGC: the mgc to run)")
endif()
get_filename_component(MGC "${MGC}" ABSOLUTE)
if(NOT OUT)
  set(OUT "${repo}/docs/reading-generated-c.md")
endif()
get_filename_component(OUT "${OUT}" ABSOLUTE)
if(NOT WORK)
  get_filename_component(WORK "${MGC}" DIRECTORY)
  set(WORK "${WORK}/guide-work")
endif()
get_filename_component(WORK "${WORK}" ABSOLUTE)
file(REMOVE_RECURSE "${WORK}/c")
file(MAKE_DIRECTORY "${WORK}/c")

# Runs mgc in the repository on examples/STEM.mg into FILE.  Relative paths
# keep the build directory out of the text.
function(run_mgc file stem)
  execute_process(COMMAND "${MGC}" -w ${ARGN} "examples/${stem}.mg" -o "${file}"
    WORKING_DIRECTORY "${repo}" RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "mgc ${ARGN} examples/${stem}.mg failed (${rc}):\n${err}")
  endif()
endfunction()

# NAME's definition in C: from its first line at column 0 to the next line
# that starts with "}", plus the comment that ends right above it.
# Plain string searches, not lists: C is full of semicolons.
function(extract_definition outvar c name where)
  set(c "\n${c}")
  string(REGEX MATCH "\n(typedef struct ${name} {|[a-z][a-z0-9_ ]*[ *]${name}\\([^\n]*\\) {)\n" head "${c}")
  if(NOT head)
    message(FATAL_ERROR "${where}: the generated C defines no '${name}'")
  endif()
  string(FIND "${c}" "${head}" start)
  math(EXPR start "${start} + 1")
  string(SUBSTRING "${c}" ${start} -1 rest)
  string(FIND "${rest}" "\n}" end)
  if(end LESS 0)
    message(FATAL_ERROR "${where}: '${name}' has no closing brace at column 0")
  endif()
  string(SUBSTRING "${rest}" 0 ${end} body)
  string(SUBSTRING "${rest}" ${end} -1 tail)
  string(REGEX MATCH "^\n}[^\n]*" close "${tail}")
  string(SUBSTRING "${c}" 0 ${start} before)
  if(before MATCHES "\\*/\n$")
    string(FIND "${before}" "\n/*" comment REVERSE)
    math(EXPR comment "${comment} + 1")
    string(SUBSTRING "${before}" ${comment} -1 above)
    set(body "${above}${body}")
  endif()
  set(${outvar} "${body}${close}" PARENT_SCOPE)
endfunction()

# The fenced block that replaces one marker.
function(expand outvar kind args where)
  separate_arguments(args UNIX_COMMAND "${args}")
  list(GET args 0 first)
  list(REMOVE_AT args 0)
  if(kind STREQUAL "INCLUDE")
    list(LENGTH args n)
    if(n LESS 1)
      message(FATAL_ERROR "${where}: @@INCLUDE stem NAME [flags]@@ takes two words and flags")
    endif()
    list(GET args 0 name)
    list(REMOVE_AT args 0)
    string(REPLACE "-" "_" tag "${args}")
    string(REPLACE ";" "" tag "${tag}")
    set(c_file "${WORK}/c/${first}${tag}.c")
    if(NOT EXISTS "${c_file}")  # each example is compiled once per set of flags
      run_mgc("${c_file}" ${first} ${args})
    endif()
    file(READ "${c_file}" c)
    extract_definition(text "${c}" ${name} "${where}")
    set(block "```c\n${text}\n```")
  elseif(kind STREQUAL "IR")
    run_mgc("${WORK}/ir" ${first} --emit=ir ${args})
    file(READ "${WORK}/ir" text)
    string(REGEX REPLACE "\n$" "" text "${text}")
    set(block "```\n${text}\n```")
  elseif(kind STREQUAL "FILE")
    if(NOT EXISTS "${repo}/${first}")
      message(FATAL_ERROR "${where}: no file ${first}")
    endif()
    file(READ "${repo}/${first}" text)
    string(REGEX REPLACE "\n$" "" text "${text}")
    set(lang "")
    if(first MATCHES "\\.py$")
      set(lang python)
    elseif(first MATCHES "\\.mg$")
      set(lang mg)  # a complete program: the docs tests run it
    endif()
    set(block "```${lang}\n${text}\n```")
  else()
    message(FATAL_ERROR "${where}: unknown marker @@${kind}@@ (INCLUDE, IR or FILE)")
  endif()
  set(${outvar} "${block}" PARENT_SCOPE)
endfunction()

# ---- substitute ---------------------------------------------------------------
file(READ "${template}" in)
set(out "<!-- Generated by docs/guide/generate.cmake from docs/guide/reading-generated-c.md.in\n")
string(APPEND out "     and mgc's output: edit the template, then run ${regenerate} -->\n")
set(line 1)
while(TRUE)
  string(FIND "${in}" "@@" at)
  if(at LESS 0)
    string(APPEND out "${in}")
    break()
  endif()
  string(SUBSTRING "${in}" 0 ${at} plain)
  string(APPEND out "${plain}")
  string(REGEX MATCHALL "\n" newlines "${plain}")
  list(LENGTH newlines n)
  math(EXPR line "${line} + ${n}")
  string(SUBSTRING "${in}" ${at} -1 in)
  if(NOT in MATCHES "^@@([A-Z]+) ([^@\n]+)@@")
    message(FATAL_ERROR "${template}:${line}: a marker must read @@KIND args@@")
  endif()
  set(marker "${CMAKE_MATCH_0}")
  expand(block ${CMAKE_MATCH_1} "${CMAKE_MATCH_2}" "${template}:${line}")
  string(APPEND out "${block}")
  string(LENGTH "${marker}" len)
  string(SUBSTRING "${in}" ${len} -1 in)
endwhile()

file(WRITE "${OUT}" "${out}")

# ---- compare with the committed guide -------------------------------------------
if(CHECK)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${CHECK}" "${OUT}" RESULT_VARIABLE differ)
  if(differ)
    find_program(DIFF diff)
    if(DIFF)
      execute_process(COMMAND "${DIFF}" -u "${CHECK}" "${OUT}" OUTPUT_VARIABLE diff_text)
      message("${diff_text}")
    endif()
    message(FATAL_ERROR
      "docs/reading-generated-c.md is out of date: the C or IR that mgc generates, "
      "or the template, changed (the diff above, committed -> now).  "
      "Regenerate it from the top of the repository with\n"
      "  ${regenerate}\n"
      "reread the prose around what changed, and commit the result.")
  endif()
endif()
