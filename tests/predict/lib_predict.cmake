cmake_minimum_required(VERSION 3.20)
# Library mode's predict equals the program's: a model's training
# program (built by build.cmake) trains and saves, LIB_PREDICT (lib_predict.c
# for the zoo MLP, lib_predict_sequence.c for sequences) loads that
# checkpoint into the library and predicts; the CSV must match PyTorch's
# expected one (evaluation mode: no dropout) within TOLERANCE.
#   build.cmake's variables, and TRAIN_ARGS, LIB_PREDICT, PREDICT, EXPECT, LOGCMP, TOLERANCE
include("${CMAKE_CURRENT_LIST_DIR}/build.cmake")
string(REPLACE "|" ";" TRAIN_ARGS "${TRAIN_ARGS}")
execute_process(COMMAND "${exe}" ${TRAIN_ARGS} --quiet --save "${WORK}/model.safetensors" RESULT_VARIABLE rc
  ERROR_VARIABLE err TIMEOUT 600)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "training failed (${rc}): ${err}")
endif()
execute_process(COMMAND "${LIB_PREDICT}" "${WORK}/model.safetensors" "${PREDICT}"
  OUTPUT_FILE "${WORK}/lib_predicted.csv" RESULT_VARIABLE rc ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lib_predict failed (${rc}): ${err}")
endif()
execute_process(COMMAND "${LOGCMP}" "${EXPECT}" "${WORK}/lib_predicted.csv" "${TOLERANCE}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE cmp)
message("${cmp}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "library mode's predictions differ from PyTorch's")
endif()
