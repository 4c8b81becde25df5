# Loads PyTorch's XOR weights, compares the predictions with PyTorch's
# (within 1e-6: the same float32 arithmetic up to exp's last bit), then reads
# the checkpoint the program wrote with safetensors_io.py and checks it holds
# the same weights bit for bit.
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND "${INTEROP}" "${DIR}/xor_torch.safetensors" "${WORK}/xor_mgc.safetensors"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "interop failed (${rc}): ${err}")
endif()
file(WRITE "${WORK}/predictions.txt" "${out}")
execute_process(COMMAND "${LOGCMP}" "${DIR}/xor_torch_predictions.txt" "${WORK}/predictions.txt" 1e-6
  RESULT_VARIABLE rc OUTPUT_VARIABLE cmp)
message("${cmp}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mgc's predictions differ from PyTorch's")
endif()
find_program(PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
execute_process(COMMAND "${PYTHON3}" -c "import numpy" RESULT_VARIABLE has_numpy OUTPUT_QUIET ERROR_QUIET)
if(NOT has_numpy EQUAL 0)
  message(FATAL_ERROR "python3 with numpy is needed (scripts/setup.sh installs python3-numpy)")
endif()
foreach(file xor_torch xor_mgc)
  set(path "${DIR}/${file}.safetensors")
  if(file STREQUAL "xor_mgc")
    set(path "${WORK}/${file}.safetensors")
  endif()
  execute_process(COMMAND "${PYTHON3}" "${READER}" read "${path}" --hex
    RESULT_VARIABLE rc OUTPUT_VARIABLE dump_${file} ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "safetensors_io.py could not read ${path}: ${err}")
  endif()
  string(REGEX REPLACE "# metadata[^\n]*\n" "" dump_${file} "${dump_${file}}")
endforeach()
if(NOT dump_xor_torch STREQUAL dump_xor_mgc)
  message(FATAL_ERROR "the checkpoint mgc wrote differs from the weights it loaded:\n${dump_xor_torch}\n---\n${dump_xor_mgc}")
endif()
message("${dump_xor_mgc}")
