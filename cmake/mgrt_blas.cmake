# mgrt_blas.cmake: build settings for libmgrt's matrix products
# (runtime/matmul.c, docs/matmul.md).
#
#   include(cmake/mgrt_blas.cmake)
#   mgrt_configure_native(mgrt)   # MGC_NATIVE: -O3 -march=native
#   mgrt_configure_openmp(mgrt)   # MGC_OPENMP: threads, links OpenMP::OpenMP_C
#   mgrt_configure_blas(mgrt)     # MGC_BLAS:   cblas_sgemm/dgemm from OpenBLAS
#   mgrt_link_flags(MGRT_LINK_FLAGS)   # what a hand-built link line needs
#
# libmgrt is a static library, so what it links (zlib, OpenMP's runtime,
# OpenBLAS) must also be on the link line of every program that uses it.
# CMake targets that link mgrt get it automatically (and the installed
# package finds the same dependencies, cmake/mgcConfig.cmake.in); a generated
# program built by hand needs the flags that mgrt_link_flags() below returns,
# and an installed libmgrt comes with a linker script libmgrt.so that names
# them, so that `cc train.c -lmgrt -lm` links (mgrt_install_linker_script).

option(MGC_NATIVE "Build libmgrt for this machine's CPU (-O3 -march=native): AVX-512/AVX2 matrix kernels" ON)
# On by default: large products share their tiles between the threads that
# the generated programs' --threads N (or OMP_NUM_THREADS) asks for.  Every
# program that links libmgrt then also needs the OpenMP runtime: CMake
# consumers get it from the mgrt target or the package, hand-built link lines
# from mgrt_link_flags() or, installed, from the linker script libmgrt.so.
# Without an OpenMP compiler the library is built without threads.
option(MGC_OPENMP "Use OpenMP threads in libmgrt's matrix products" ON)
option(MGC_BLAS "Use a system BLAS (OpenBLAS) for matrix products" OFF)

# The matrix kernels are chosen when the library is compiled (AVX-512, AVX2
# with FMA, or portable vectors), so building for the host CPU is what makes
# them fast: about 6x the portable SSE2 build on an AVX-512 machine.  The
# library then only runs on CPUs with the same instruction sets; turn
# MGC_NATIVE off for binaries that move to other machines.  -O3 is left out
# of Debug builds so that they stay debuggable.
function(mgrt_configure_native target)
  if(NOT MGC_NATIVE)
    return()
  endif()
  include(CheckCCompilerFlag)
  check_c_compiler_flag(-march=native MGRT_HAVE_MARCH_NATIVE)
  if(MGRT_HAVE_MARCH_NATIVE)
    target_compile_options(${target} PRIVATE -march=native $<$<NOT:$<CONFIG:Debug>>:-O3>)
  else()
    message(WARNING "MGC_NATIVE: ${CMAKE_C_COMPILER_ID} does not take -march=native; portable kernels")
  endif()
endfunction()

# OpenMP shares the tiles of large products between threads (results are the
# same bits whatever the thread count).  PRIVATE is enough: for a static
# library CMake still passes the OpenMP runtime on to whatever links it.
# Sets MGRT_WITH_OPENMP (ON when the library really uses OpenMP) in the
# caller's scope: the installed package then finds OpenMP for its consumers.
function(mgrt_configure_openmp target)
  set(MGRT_WITH_OPENMP OFF PARENT_SCOPE)
  if(NOT MGC_OPENMP)
    return()
  endif()
  find_package(OpenMP COMPONENTS C)
  if(OpenMP_C_FOUND)
    target_link_libraries(${target} PRIVATE OpenMP::OpenMP_C)
    set(MGRT_WITH_OPENMP ON PARENT_SCOPE)
  else()
    message(WARNING "MGC_OPENMP: no OpenMP for ${CMAKE_C_COMPILER_ID}; matrix products use one thread")
  endif()
endfunction()

# With MGC_BLAS the public mgrt_matmul_* functions call cblas_sgemm and
# cblas_dgemm (runtime/matmul.c, MGRT_USE_BLAS).  Debian: libopenblas-dev.
# Sets MGRT_WITH_BLAS in the caller's scope, as mgrt_configure_openmp does.
function(mgrt_configure_blas target)
  set(MGRT_WITH_BLAS OFF PARENT_SCOPE)
  if(NOT MGC_BLAS)
    return()
  endif()
  set(BLA_VENDOR OpenBLAS)
  find_package(BLAS)
  find_path(MGRT_CBLAS_INCLUDE_DIR cblas.h
    PATH_SUFFIXES openblas openblas-pthread openblas-openmp)
  if(NOT BLAS_FOUND OR NOT MGRT_CBLAS_INCLUDE_DIR)
    message(FATAL_ERROR "MGC_BLAS=ON but OpenBLAS (library and cblas.h) was not found: "
                        "install libopenblas-dev, or configure with -DMGC_BLAS=OFF")
  endif()
  target_compile_definitions(${target} PRIVATE MGRT_USE_BLAS)
  target_include_directories(${target} PRIVATE ${MGRT_CBLAS_INCLUDE_DIR})
  target_link_libraries(${target} PRIVATE BLAS::BLAS)
  message(STATUS "libmgrt matrix products: OpenBLAS (${BLAS_LIBRARIES})")
  set(MGRT_WITH_BLAS ON PARENT_SCOPE)
endfunction()

# With MGC_MPI, runtime/dist.c is compiled against MPI (MGRT_WITH_MPI) and
# libmgrt's link interface names MPI::MPI_C; without it the same functions
# have their one-process meaning and nothing more is linked.
function(mgrt_configure_mpi target)
  set(MGRT_WITH_MPI OFF PARENT_SCOPE)
  if(NOT MGC_MPI)
    return()
  endif()
  find_package(MPI REQUIRED COMPONENTS C)
  target_compile_definitions(${target} PRIVATE MGRT_WITH_MPI)
  target_link_libraries(${target} PRIVATE MPI::MPI_C)
  set(MGRT_WITH_MPI ON PARENT_SCOPE)
endfunction()

# mgrt_link_flags(<var>): sets <var> to what a program built outside CMake
# must link after libmgrt.a, as a list: zlib, the OpenMP runtime (when
# libmgrt uses it) and OpenBLAS (with MGC_BLAS) as full paths, then -lm.  The
# full path of the OpenMP runtime (gcc's libgomp.so here) rather than
# -fopenmp links the very runtime libmgrt was compiled for, whatever the
# compiler of the link line (clang's -fopenmp would bring its libomp).
# Call it after the configure functions; it reads their imported targets.
# The top-level CMakeLists.txt stores the list in MGRT_LINK_FLAGS, which the
# tests put on every link line they build by hand.
function(mgrt_link_flags var)
  set(deps "")
  if(MGC_OPENMP)
    list(APPEND deps OpenMP::OpenMP_C)
  endif()
  if(MGC_BLAS)
    list(APPEND deps BLAS::BLAS)
  endif()
  if(MGC_MPI)
    list(APPEND deps MPI::MPI_C)
  endif()
  set(flags ${ZLIB_LIBRARIES})
  foreach(dep IN LISTS deps)
    if(TARGET ${dep})
      get_target_property(libs ${dep} INTERFACE_LINK_LIBRARIES)
      if(libs)
        list(APPEND flags ${libs})
      endif()
    endif()
  endforeach()
  list(APPEND flags -lm)
  set(${var} "${flags}" PARENT_SCOPE)
endfunction()

# mgrt_install_linker_script(<libdir>): installs into <libdir>, next to
# libmgrt.a, a GNU ld linker script named libmgrt.so (the trick of glibc's
# libc.so), so that `cc train.c -lmgrt -lm` links an installed libmgrt with
# everything it needs: -lmgrt finds libmgrt.so before libmgrt.a, and the
# script reads
#   GROUP ( libmgrt.a AS_NEEDED ( <zlib> <OpenMP runtime> <OpenBLAS> -lm ) )
# The archive is named without a directory: GNU ld (2.40 here), gold and lld
# look for it first beside the script, so the installed tree may still be
# moved or staged with DESTDIR.  The libraries are the full paths of
# mgrt_link_flags().  Only for ELF platforms (linkers that read scripts).
function(mgrt_install_linker_script libdir)
  if(NOT UNIX OR APPLE)
    return()
  endif()
  mgrt_link_flags(flags)
  set(needed "")
  foreach(flag IN LISTS flags)
    if(NOT flag MATCHES "^-")
      set(flag "\"${flag}\"")   # a path: quoted, in case of spaces
    endif()
    string(APPEND needed " ${flag}")
  endforeach()
  string(STRIP "${needed}" needed)
  set(script "${CMAKE_CURRENT_BINARY_DIR}/install/libmgrt.so")
  file(CONFIGURE OUTPUT "${script}" CONTENT
"/* GNU ld script
   libmgrt is a static library (libmgrt.a, beside this file).  This script
   lets `cc train.c -lmgrt -lm` link it with the libraries it needs: zlib,
   the OpenMP runtime when libmgrt was built with it, OpenBLAS when with it.
   Written by mgc's build (cmake/mgrt_blas.cmake). */
GROUP ( libmgrt.a AS_NEEDED ( @needed@ ) )
" @ONLY)
  install(FILES "${script}" DESTINATION "${libdir}")
endfunction()
