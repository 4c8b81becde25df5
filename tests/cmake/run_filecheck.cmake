# Runs mgc --emit=ir on one .mg and checks the IR with LLVM's FileCheck
# against the CHECK lines in the .mg itself.  A line "# MGC-ARGS: ..." in
# the file gives extra mgc arguments (e.g. -O0; --emit=c checks the generated C
# instead, as tests/inspect/conv_comment.mg does).
#   MGC, FILECHECK, MG, WORK
file(STRINGS "${MG}" args_line REGEX "^# MGC-ARGS:")
set(args "")
if(args_line)
  string(REGEX REPLACE "^# MGC-ARGS:[ ]*" "" args "${args_line}")
  separate_arguments(args UNIX_COMMAND "${args}")
endif()
file(MAKE_DIRECTORY "${WORK}")
get_filename_component(stem "${MG}" NAME_WE)
set(ir "${WORK}/${stem}.ir")
execute_process(COMMAND "${MGC}" --emit=ir -w ${args} "${MG}" -o "${ir}"
  RESULT_VARIABLE rc ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mgc failed (${rc}):\n${err}")
endif()
execute_process(COMMAND "${FILECHECK}" "${MG}" --input-file "${ir}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc EQUAL 0)
  file(READ "${ir}" text)
  message(FATAL_ERROR "FileCheck failed:\n${err}\nIR:\n${text}")
endif()
