# Copies the compiler's sources to WORK, appends TEXT to FILE there, and
# expects the layer check to fail with a line matching EXPECT.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
file(COPY ${SRC}/ DESTINATION ${WORK}/compiler)
file(APPEND ${WORK}/compiler/${FILE} "\n${TEXT}\n")
execute_process(COMMAND ${SH} ${CHECK} ${WORK}/compiler RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "the check exited ${rc}, not 1, with the planted violation:\n${out}${err}")
endif()
if(NOT out MATCHES "${EXPECT}")
  message(FATAL_ERROR "the check's report does not match '${EXPECT}':\n${out}${err}")
endif()
message(STATUS "caught: ${out}")
