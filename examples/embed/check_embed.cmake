# e2e.embed: runs the embed example and checks it (cmake -P with EMBED, the
# program; LOGCMP, tests/tools/logcmp; EXPECT, the lesson's reference log;
# WORK, a scratch directory).  Its training lines must match the log within
# the e2e suite's 2e-6; the model reloaded from the checkpoint must agree
# exactly with the trained one and classify every new point right.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND "${EMBED}" "${WORK}/xor.safetensors" WORKING_DIRECTORY "${WORK}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 300)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "embed exited with ${rc}")
endif()

string(REGEX MATCHALL "Epoch [^\n]*\n" log "${out}")
string(JOIN "" log ${log})
file(WRITE "${WORK}/train.log" "${log}")
execute_process(COMMAND "${LOGCMP}" "${EXPECT}" "${WORK}/train.log" 2e-6
  RESULT_VARIABLE rc OUTPUT_VARIABLE cmp ERROR_VARIABLE cmp)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the training log differs from ${EXPECT}:\n${cmp}")
endif()

if(NOT EXISTS "${WORK}/xor.safetensors")
  message(FATAL_ERROR "embed saved no checkpoint")
endif()
foreach(line "8/8 right" "the loaded model agrees exactly with the trained one")
  string(FIND "${out}" "${line}\n" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "embed did not print '${line}'")
  endif()
endforeach()
