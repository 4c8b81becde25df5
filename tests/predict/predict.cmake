cmake_minimum_required(VERSION 3.20)
# Train, --save, then --load CHECKPOINT --epochs 0 --predict FILE: the CSV
# must match EXPECT (PyTorch's outputs from the same checkpoint, made by
# make_references.py) within TOLERANCE, whether written by --predict-out
# or to stdout; and --predict after training in the same run prints the
# same CSV on stdout with the training log on stderr.
#   build.cmake's variables, and TRAIN_ARGS ("|" between arguments), PREDICT (the file),
#   EXPECT, LOGCMP, TOLERANCE, LOG (a regex the one-run log must match)
include("${CMAKE_CURRENT_LIST_DIR}/build.cmake")
string(REPLACE "|" ";" TRAIN_ARGS "${TRAIN_ARGS}")
function(run status_var out_var err_var)
  execute_process(COMMAND "${exe}" ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 600)
  set(${status_var} "${rc}" PARENT_SCOPE)
  set(${out_var} "${out}" PARENT_SCOPE)
  set(${err_var} "${err}" PARENT_SCOPE)
endfunction()
set(ckpt "${WORK}/model.safetensors")
run(rc out err ${TRAIN_ARGS} --save "${ckpt}")
if(NOT rc EQUAL 0 OR NOT EXISTS "${ckpt}")
  message(FATAL_ERROR "training failed (${rc}): ${err}")
endif()

run(rc out err --load "${ckpt}" --epochs 0 --predict "${PREDICT}" --predict-out "${WORK}/predicted.csv")
if(NOT rc EQUAL 0 OR NOT out STREQUAL "" OR NOT err STREQUAL "")
  message(FATAL_ERROR "--predict-out run: status ${rc}, stdout '${out}', stderr '${err}'")
endif()
execute_process(COMMAND "${LOGCMP}" "${EXPECT}" "${WORK}/predicted.csv" "${TOLERANCE}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE cmp)
message("${cmp}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the predictions differ from PyTorch's")
endif()
file(READ "${WORK}/predicted.csv" written)

run(rc out err --load "${ckpt}" --epochs 0 --predict "${PREDICT}")
if(NOT rc EQUAL 0 OR NOT out STREQUAL written OR NOT err STREQUAL "")
  message(FATAL_ERROR "--predict to stdout: status ${rc}, stderr '${err}', stdout differs from --predict-out's file:\n${out}")
endif()

run(rc out err ${TRAIN_ARGS} --predict "${PREDICT}")
if(NOT rc EQUAL 0 OR NOT out STREQUAL written OR NOT err MATCHES "${LOG}")
  message(FATAL_ERROR "train and --predict in one run: status ${rc}, stderr '${err}' (want ${LOG}), stdout:\n${out}")
endif()
message("the same CSV from --predict-out, stdout, and after training in one run")
