# package.hand_link: a generated program linked by hand against an installed
# libmgrt, with the line the manual shows and mgc prints:
#
#   cc train.c -I<prefix>/include -L<prefix>/lib -lmgrt -lm
#
# -lmgrt finds the linker script lib/libmgrt.so, which adds libmgrt.a and what
# it needs (zlib, the OpenMP runtime when libmgrt was built with it).  The
# tree is installed with DESTDIR and then moved, so the script must not
# depend on where it was installed.
#
# Run with cmake -P and
#   BUILD_DIR     mgc's build tree (what `cmake --install` installs)
#   CONFIG        its configuration (may be empty)
#   LIBDIR        CMAKE_INSTALL_LIBDIR of that build (relative, e.g. lib)
#   MG            the model (examples/lab05_logistic.mg)
#   CC_LIST       the compilers to link with (a ;-list)
#   EXTRA_FLAGS   added to the link line only when libmgrt needs more than
#                 the script can give (the sanitizers' runtime)
#   WORK          a scratch directory
cmake_minimum_required(VERSION 3.20)

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(config_args "")
if(CONFIG)
  set(config_args --config "${CONFIG}")
endif()

function(run out what)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${WORK}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE text ERROR_VARIABLE text TIMEOUT 600)
  if(NOT rc EQUAL 0)
    list(JOIN ARGN " " line)
    message(FATAL_ERROR "${what} failed (${rc}):\n${line}\n${text}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# ---- install (staged with DESTDIR), then move ---------------------------------
set(staged_prefix "/mgc-hand-link")
run(out "cmake --install" "${CMAKE_COMMAND}" -E env "DESTDIR=${WORK}/dest"
  "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${staged_prefix}" ${config_args})
set(prefix "${WORK}/prefix")
file(RENAME "${WORK}/dest${staged_prefix}" "${prefix}")
set(libdir "${prefix}/${LIBDIR}")
foreach(file "${libdir}/libmgrt.a" "${libdir}/libmgrt.so" "${prefix}/include/mgrt.h" "${prefix}/bin/mgc")
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "the install has no ${file}:\n${out}")
  endif()
endforeach()
file(READ "${libdir}/libmgrt.so" script)
message("${libdir}/libmgrt.so:\n${script}")
if(NOT script MATCHES "GNU ld script" OR NOT script MATCHES "GROUP \\( libmgrt\\.a AS_NEEDED \\(")
  message(FATAL_ERROR "libmgrt.so is not the expected linker script")
endif()
string(FIND "${script}" "${staged_prefix}" at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "libmgrt.so names the directory it was installed into")
endif()

# ---- generate, link by hand, run ----------------------------------------------
run(out "mgc" "${prefix}/bin/mgc" -w "${MG}" -o "${WORK}/train.c")
set(exe "")
foreach(cc IN LISTS CC_LIST)
  get_filename_component(cc_name "${cc}" NAME)
  set(out_exe "${WORK}/train_${cc_name}")
  run(out "linking with ${cc_name}"
    "${cc}" train.c "-I${prefix}/include" "-L${libdir}" -lmgrt -lm ${EXTRA_FLAGS} -o "${out_exe}")
  if(NOT exe)
    set(exe "${out_exe}")
  endif()
  # lab 5's log (tests/e2e/reference/lab05_logistic.log), last line; two
  # threads exercise the OpenMP runtime if libmgrt has one.
  run(log "train_${cc_name}" "${out_exe}" --threads 2)
  if(NOT log MATCHES "Epoch 1000/1000 Cost: 0\\.01985[0-9]* accuracy: 1\\.000000\n$")
    message(FATAL_ERROR "train_${cc_name} printed an unexpected log:\n${log}")
  endif()
  message("${cc_name}: linked with -lmgrt -lm, trained: ok")
endforeach()
