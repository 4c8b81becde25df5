# package.pkg_config: the installed tree as a Unix tool sees it.
#
#   1. installs with DESTDIR and moves the tree (nothing may remember where it
#      was installed); checks man/man1/mgc.1, the docs under share/doc/mgc
#      and lib/pkgconfig/mgrt.pc;
#   2. builds lab 5 with the pkg-config line, with every test compiler:
#        cc train.c $(pkg-config --cflags --libs mgrt) -o train
#      and checks that the flags are the ones libmgrt was built for;
#   3. runs the installed `mgc run` (which finds the installed libmgrt
#      relative to itself) and `mgc build`.
#
# Run with cmake -P and
#   BUILD_DIR, CONFIG, LIBDIR, MANDIR, DOCDIR   mgc's build and install layout
#   MG            examples/lab05_logistic.mg
#   CC_LIST       the compilers (a ;-list)
#   NATIVE        ON when libmgrt was built with -O3 -march=native
#   PKG_CONFIG    the pkg-config program
#   EXTRA_FLAGS   the sanitizers' runtime, when libmgrt.a needs it
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
    RESULT_VARIABLE rc OUTPUT_VARIABLE text ERROR_VARIABLE err TIMEOUT 600)
  if(NOT rc EQUAL 0)
    list(JOIN ARGN " " line)
    message(FATAL_ERROR "${what} failed (${rc}):\n${line}\n${text}\n${err}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
  set(${out}_err "${err}" PARENT_SCOPE)
endfunction()

# ---- 1. install (staged with DESTDIR), then move -------------------------------
set(staged_prefix "/mgc-pkg-config")
run(out "cmake --install" "${CMAKE_COMMAND}" -E env "DESTDIR=${WORK}/dest"
  "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${staged_prefix}" ${config_args})
set(prefix "${WORK}/prefix")
file(RENAME "${WORK}/dest${staged_prefix}" "${prefix}")
foreach(file "${MANDIR}/man1/mgc.1" "${DOCDIR}/README.md" "${DOCDIR}/building.md" "${DOCDIR}/data.md"
             "${LIBDIR}/pkgconfig/mgrt.pc" "bin/mgc")
  if(NOT EXISTS "${prefix}/${file}")
    message(FATAL_ERROR "the install has no ${file}:\n${out}")
  endif()
endforeach()
file(READ "${prefix}/${LIBDIR}/pkgconfig/mgrt.pc" pc)
message("mgrt.pc:\n${pc}")
string(FIND "${pc}" "${staged_prefix}" at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "mgrt.pc names the directory it was installed into")
endif()

# ---- 2. the pkg-config line -----------------------------------------------------
set(pkg_env "${CMAKE_COMMAND}" -E env "PKG_CONFIG_PATH=${prefix}/${LIBDIR}/pkgconfig")
run(flags "pkg-config" ${pkg_env} "${PKG_CONFIG}" --cflags --libs mgrt)
string(STRIP "${flags}" flags)
message("pkg-config --cflags --libs mgrt: ${flags}")
if(NATIVE AND NOT flags MATCHES "-O3 -march=native")
  message(FATAL_ERROR "libmgrt is built native, but mgrt.pc does not give -O3 -march=native")
endif()
separate_arguments(flag_list UNIX_COMMAND "${flags}")
# the header directory and the library are the moved tree's
set(include_ok OFF)
set(library_ok OFF)
foreach(flag IN LISTS flag_list)
  if(flag MATCHES "^-I(.*)")
    file(REAL_PATH "${CMAKE_MATCH_1}" dir)
    if(dir STREQUAL "${prefix}/include" AND EXISTS "${dir}/mgrt.h")
      set(include_ok ON)
    endif()
  elseif(flag MATCHES "libmgrt\\.a$")
    file(REAL_PATH "${flag}" lib)
    if(lib STREQUAL "${prefix}/${LIBDIR}/libmgrt.a")
      set(library_ok ON)
    endif()
  endif()
endforeach()
if(NOT include_ok OR NOT library_ok OR NOT flags MATCHES "-lm$")
  message(FATAL_ERROR "mgrt.pc does not point into the moved tree (include ${include_ok}, libmgrt.a ${library_ok}) or lacks -lm: ${flags}")
endif()
run(out "mgc" "${prefix}/bin/mgc" -w "${MG}" -o "${WORK}/train.c")
foreach(cc IN LISTS CC_LIST)
  get_filename_component(cc_name "${cc}" NAME)
  run(out "building with ${cc_name}" "${cc}" train.c ${flag_list} ${EXTRA_FLAGS} -o "train_${cc_name}")
  run(log "train_${cc_name}" "${WORK}/train_${cc_name}" --threads 2)
  if(NOT log MATCHES "Epoch 1000/1000 Cost: 0\\.01985[0-9]* accuracy: 1\\.000000\n$")
    message(FATAL_ERROR "train_${cc_name} printed an unexpected log:\n${log}")
  endif()
  message("${cc_name}: built with pkg-config's flags, trained: ok")
endforeach()

# ---- 3. the installed mgc run and mgc build ------------------------------------
set(mgc_env "${CMAKE_COMMAND}" -E env "MGC_CACHE_DIR=${WORK}/cache")
run(log "mgc run" ${mgc_env} "${prefix}/bin/mgc" run -v "${MG}")
if(NOT log_err MATCHES "mgc: libmgrt: ${prefix}/bin/\\.\\./${LIBDIR}/libmgrt\\.a \\(found in the tree mgc is installed in\\)")
  message(FATAL_ERROR "the installed mgc run did not use the installed libmgrt:\n${log_err}")
endif()
if(NOT log MATCHES "Epoch 1000/1000 Cost: 0\\.01985[0-9]* accuracy: 1\\.000000\n$")
  message(FATAL_ERROR "the installed mgc run printed an unexpected log:\n${log}")
endif()
run(out "mgc build" ${mgc_env} "${prefix}/bin/mgc" build -v "${MG}" -o prog)
if(NOT out_err MATCHES "mgc: cached: ")
  message(FATAL_ERROR "mgc build after mgc run did not reuse the cache:\n${out_err}")
endif()
run(help "prog --help" "${WORK}/prog" --help)
message("installed mgc run and mgc build: ok")
