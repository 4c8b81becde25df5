cmake_minimum_required(VERSION 3.20)
# Golden files of generated C: mgc's output for a few examples, compared
# with the committed copy (diff -u on a difference).  After an intended change
# to the emitter, regenerate them all with
#   cmake -DMGC=build/mgc -DUPDATE=ON -P tests/golden/golden.cmake
# Variables: MGC; UPDATE (regenerate instead of comparing); WORK (scratch).
get_filename_component(here "${CMAKE_CURRENT_LIST_FILE}" DIRECTORY)
get_filename_component(MGC "${MGC}" ABSOLUTE)
get_filename_component(examples "${here}/../../examples" ABSOLUTE)
if(NOT WORK)
  set(WORK "${here}")
endif()
set(cases "lab05_logistic:" "lab06_cross_entropy:" "lab05_logistic.none:--annotate=none")
set(failed "")
foreach(case IN LISTS cases)
  string(REPLACE ":" ";" parts "${case}")
  list(GET parts 0 name)
  list(GET parts 1 args)
  string(REGEX REPLACE "\\..*" "" stem "${name}")
  # Run from examples/ with a relative path so the C does not depend on
  # where the tree is checked out.
  execute_process(COMMAND "${MGC}" ${args} ${stem}.mg -o "${WORK}/${name}.c.new"
    WORKING_DIRECTORY "${examples}" RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "mgc failed on ${stem}.mg (${rc}): ${err}")
  endif()
  if(UPDATE)
    file(RENAME "${WORK}/${name}.c.new" "${here}/${name}.c")
    message("updated ${name}.c")
    continue()
  endif()
  file(READ "${WORK}/${name}.c.new" got)
  file(READ "${here}/${name}.c" want)
  if(NOT got STREQUAL want)
    execute_process(COMMAND diff -u "${here}/${name}.c" "${WORK}/${name}.c.new")
    list(APPEND failed ${name})
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "generated C differs from the golden copy for: ${failed}\n"
          "if the change is intended: cmake -DMGC=build/mgc -DUPDATE=ON -P tests/golden/golden.cmake")
endif()
