# package.find_package: mgc's installed CMake package, used from outside the tree.
#
#   1. installs the build into a staging prefix, checks the layout, then moves
#      the whole tree elsewhere (the package must not remember where it was
#      installed);
#   2. configures consumer/ (a copy) with CMAKE_PREFIX_PATH at the moved prefix
#      and checks that find_package(mgc) found that package and its mgc;
#   3. builds it (mgc runs at build time through mgc_add_model), runs the
#      program and checks what the model's C API did;
#   4. rebuilds without change (mgc must not run), after touching the .mg,
#      after touching the installed mgc, and after editing the .mg (mgc must run
#      each time; the edit must show in the program's output).
#
# Run with cmake -P and
#   BUILD_DIR     mgc's build tree (what `cmake --install` installs)
#   CONFIG        its configuration (may be empty)
#   VERSION       mgc's version, which find_package must report
#   CONSUMER      tests/package/consumer
#   WORK          a scratch directory
#   GENERATOR, MAKE_PROGRAM, C_COMPILER   for the consumer's build
#   C_FLAGS       compile and link flags for the consumer (the sanitizers when
#                 mgc's build has them, since libmgrt.a then needs their runtime)
cmake_minimum_required(VERSION 3.20)

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(staged "${WORK}/staged")
set(prefix "${WORK}/prefix")
set(src "${WORK}/consumer")
set(build "${WORK}/build")
set(config_args "")
if(CONFIG)
  set(config_args --config "${CONFIG}")
endif()

# Runs a command; stops the test with its output if it fails.  The output
# (stdout and stderr together) is left in the variable named by `out`.
function(run out what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE text ERROR_VARIABLE text
    TIMEOUT 600)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n${text}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(expect text regex what)
  if(NOT text MATCHES "${regex}")
    message(FATAL_ERROR "${what}: no match for '${regex}' in:\n${text}")
  endif()
endfunction()

function(expect_text text substring what)
  string(FIND "${text}" "${substring}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${what}: no '${substring}' in:\n${text}")
  endif()
endfunction()

function(expect_not text regex what)
  if(text MATCHES "${regex}")
    message(FATAL_ERROR "${what}: unexpected match for '${regex}' in:\n${text}")
  endif()
endfunction()

# ---- 1. install, check the layout, move ------------------------------------
run(out "cmake --install" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${staged}" ${config_args})
foreach(file bin/mgc include/mgrt.h)
  if(NOT EXISTS "${staged}/${file}")
    message(FATAL_ERROR "the install has no ${file}:\n${out}")
  endif()
endforeach()
foreach(pattern */libmgrt.a */cmake/mgc/mgcConfig.cmake */cmake/mgc/mgcConfigVersion.cmake
                */cmake/mgc/mgcTargets.cmake */cmake/mgc/MgcAddModel.cmake)
  file(GLOB_RECURSE found RELATIVE "${staged}" "${staged}/${pattern}")
  if(NOT found)
    message(FATAL_ERROR "the install has no ${pattern}:\n${out}")
  endif()
endforeach()
list(GET found 0 found)  # MgcAddModel.cmake, the last pattern
file(READ "${staged}/${found}" text)
expect("${text}" "function\\(mgc_add_model" "the installed MgcAddModel.cmake")
file(RENAME "${staged}" "${prefix}")

# ---- 2. configure the consumer against the moved prefix -----------------------
# A copy, since step 4 edits its model.
file(COPY "${CONSUMER}/" DESTINATION "${src}")
set(configure "${CMAKE_COMMAND}" -S "${src}" -B "${build}" -G "${GENERATOR}"
  -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_C_COMPILER=${C_COMPILER}
  -DCMAKE_C_FLAGS=${C_FLAGS} -DCMAKE_EXE_LINKER_FLAGS=${C_FLAGS}
  # only the prefix above may provide mgc
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
if(MAKE_PROGRAM)
  list(APPEND configure -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM})
endif()
if(CONFIG)
  list(APPEND configure -DCMAKE_BUILD_TYPE=${CONFIG})
endif()
run(out "configuring the consumer" ${configure})
expect_text("${out}" "consumer: mgc ${VERSION} from ${prefix}/" "find_package(mgc)")
expect_text("${out}" "consumer: compiler ${prefix}/bin/mgc\n" "mgc::mgc")

# ---- 3. build, run, check ---------------------------------------------------
set(build_cmd "${CMAKE_COMMAND}" --build "${build}" ${config_args})
set(generating "mgc: generating my_model/my_model\\.c and \\.h from model\\.mg")
run(out "building the consumer" ${build_cmd})
expect("${out}" "${generating}" "the first build")
foreach(file my_model.c my_model.h)
  if(NOT EXISTS "${build}/my_model/${file}")
    message(FATAL_ERROR "mgc_add_model wrote no ${build}/my_model/${file}")
  endif()
endforeach()

set(exe "${build}/consumer")
if(NOT EXISTS "${exe}" AND CONFIG)
  set(exe "${build}/${CONFIG}/consumer")  # multi-configuration generators
endif()
set(checkpoint "${WORK}/my_model.safetensors")
run(out "the consumer" "${exe}" "${checkpoint}")
message("${out}")
expect("${out}" "params: W 2 elements, b 1\n" "my_model_param")
expect("${out}" "b: initially 0\\.000000\n" "the initial parameters")
# The lesson's log (tests/e2e/reference/lab05_logistic.log): 0.693147 at
# epoch 0 and 0.134722 at epoch 100; four decimals leave room for rounding.
expect("${out}" "cost: step 0 0\\.693147, step 100 0\\.1347[0-9]*\n" "my_model_train_step")
expect("${out}" "evaluate: cost 0\\.13[0-9]* accuracy 1\\.000000\n" "my_model_evaluate")
expect("${out}" "fresh model before load: 0\\.500000\n" "my_model_create")
expect("${out}" "loaded model: predictions equal the trained model's\n" "my_model_save/my_model_load")
expect("${out}" "classes: 0 0 0 1 1 1\n" "my_model_predict")
expect("${out}" "missing checkpoint: error reported\n" "my_model_load of a missing file")
if(NOT EXISTS "${checkpoint}")
  message(FATAL_ERROR "my_model_save wrote no ${checkpoint}")
endif()

# ---- 4. mgc reruns exactly when its inputs change --------------------------------
run(out "rebuilding with no change" ${build_cmd})
expect_not("${out}" "${generating}" "a rebuild with nothing changed")

# Filesystems with one-second timestamps could make the touched file look as
# old as the outputs: wait past that second.
execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 1.1)
run(out "touching model.mg" "${CMAKE_COMMAND}" -E touch "${src}/model.mg")
run(out "rebuilding after touching model.mg" ${build_cmd})
expect("${out}" "${generating}" "a rebuild after touching model.mg")

execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 1.1)
run(out "touching mgc" "${CMAKE_COMMAND}" -E touch "${prefix}/bin/mgc")
run(out "rebuilding after touching mgc" ${build_cmd})
expect("${out}" "${generating}" "a rebuild after touching the installed mgc")

execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 1.1)
file(READ "${src}/model.mg" model)
string(REPLACE "param b: f32[1] = zeros" "param b: f32[1] = full(0.25)" edited "${model}")
if(edited STREQUAL model)
  message(FATAL_ERROR "consumer/model.mg has no line 'param b: f32[1] = zeros' to edit")
endif()
file(WRITE "${src}/model.mg" "${edited}")
run(out "rebuilding after editing model.mg" ${build_cmd})
expect("${out}" "${generating}" "a rebuild after editing model.mg")
run(out "the consumer, rebuilt" "${exe}" "${checkpoint}")
expect("${out}" "b: initially 0\\.250000\n" "the rebuilt consumer (b = full(0.25))")
expect("${out}" "loaded model: predictions equal the trained model's\n" "the rebuilt consumer")
message("the rebuilt consumer:\n${out}")
