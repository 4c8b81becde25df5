# Loads PyTorch's weights (NAME_torch.safetensors: NAME xor or bn), compares
# the predictions with PyTorch's (within 1e-6: the same float32 arithmetic up
# to exp's last bit), then reads the checkpoint the program wrote with
# safetensors_io.py and checks it holds the same tensors (names, dtypes,
# shapes, values) bit for bit.  With NAME_mgc.safetensors (an mgc program's
# checkpoint that PyTorch loaded strictly), also its predictions against
# PyTorch's from it.
file(MAKE_DIRECTORY "${WORK}")
function(predict_and_compare weights expected out_ckpt)
  execute_process(COMMAND "${INTEROP}" "${weights}" "${out_ckpt}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "interop failed (${rc}) on ${weights}: ${err}")
  endif()
  file(WRITE "${WORK}/${NAME}_predictions.txt" "${out}")
  execute_process(COMMAND "${LOGCMP}" "${expected}" "${WORK}/${NAME}_predictions.txt" 1e-6
    RESULT_VARIABLE rc OUTPUT_VARIABLE cmp)
  message("${weights}: ${cmp}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "mgc's predictions from ${weights} differ from PyTorch's")
  endif()
endfunction()
if(EXISTS "${DIR}/${NAME}_mgc.safetensors")
  predict_and_compare("${DIR}/${NAME}_mgc.safetensors" "${DIR}/${NAME}_mgc_torch_predictions.txt"
    "${WORK}/${NAME}_mgc_again.safetensors")
endif()
predict_and_compare("${DIR}/${NAME}_torch.safetensors" "${DIR}/${NAME}_torch_predictions.txt"
  "${WORK}/${NAME}_mgc.safetensors")
find_program(PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
execute_process(COMMAND "${PYTHON3}" -c "import numpy" RESULT_VARIABLE has_numpy OUTPUT_QUIET ERROR_QUIET)
if(NOT has_numpy EQUAL 0)
  message(FATAL_ERROR "python3 with numpy is needed (scripts/setup.sh installs python3-numpy)")
endif()
foreach(file ${NAME}_torch ${NAME}_mgc)
  set(path "${DIR}/${file}.safetensors")
  if(file STREQUAL "${NAME}_mgc")
    set(path "${WORK}/${file}.safetensors")
  endif()
  execute_process(COMMAND "${PYTHON3}" "${READER}" read "${path}" --hex
    RESULT_VARIABLE rc OUTPUT_VARIABLE dump_${file} ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "safetensors_io.py could not read ${path}: ${err}")
  endif()
  string(REGEX REPLACE "# metadata[^\n]*\n" "" dump_${file} "${dump_${file}}")
endforeach()
if(NOT dump_${NAME}_torch STREQUAL dump_${NAME}_mgc)
  message(FATAL_ERROR "the checkpoint mgc wrote differs from the weights it loaded:\n${dump_${NAME}_torch}\n---\n${dump_${NAME}_mgc}")
endif()
message("${dump_${NAME}_mgc}")
