# mgrt_blas.cmake: build settings for libmgrt's matrix products
# (runtime/matmul.c, docs/matmul.md).
#
#   include(cmake/mgrt_blas.cmake)
#   mgrt_configure_native(mgrt)   # MGC_NATIVE: -O3 -march=native
#   mgrt_configure_openmp(mgrt)   # MGC_OPENMP: threads, links OpenMP::OpenMP_C
#   mgrt_configure_blas(mgrt)     # MGC_BLAS:   cblas_sgemm/dgemm from OpenBLAS
#
# libmgrt is a static library, so what it links (OpenMP's runtime, OpenBLAS)
# must also be on the link line of every program that uses it.  CMake targets
# that link mgrt get it automatically; a generated program built by hand
# needs the flags that mgrt_link_flags() below returns.

option(MGC_NATIVE "Build libmgrt for this machine's CPU (-O3 -march=native): AVX-512/AVX2 matrix kernels" ON)
# Off by default: with it, every program that links libmgrt also needs the
# OpenMP runtime (-fopenmp), which `cc train.c -lmgrt -lm` does not give.
option(MGC_OPENMP "Use OpenMP threads in libmgrt's matrix products" OFF)
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
function(mgrt_configure_openmp target)
  if(NOT MGC_OPENMP)
    return()
  endif()
  find_package(OpenMP COMPONENTS C)
  if(OpenMP_C_FOUND)
    target_link_libraries(${target} PRIVATE OpenMP::OpenMP_C)
  else()
    message(WARNING "MGC_OPENMP: no OpenMP for ${CMAKE_C_COMPILER_ID}; matrix products use one thread")
  endif()
endfunction()

# With MGC_BLAS the public mgrt_matmul_* functions call cblas_sgemm and
# cblas_dgemm (runtime/matmul.c, MGRT_USE_BLAS).  Debian: libopenblas-dev.
function(mgrt_configure_blas target)
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
endfunction()

# mgrt_link_flags(<var>): sets <var> to the extra libraries a program built
# outside CMake must link after libmgrt.a, as a list: the OpenMP runtime as a
# full path (so that gcc and clang alike can link it) and OpenBLAS.  Call it
# after the configure functions; it reads their imported targets.
function(mgrt_link_flags var)
  set(deps "")
  if(MGC_OPENMP)
    list(APPEND deps OpenMP::OpenMP_C)
  endif()
  if(MGC_BLAS)
    list(APPEND deps BLAS::BLAS)
  endif()
  set(flags "")
  foreach(dep IN LISTS deps)
    if(TARGET ${dep})
      get_target_property(libs ${dep} INTERFACE_LINK_LIBRARIES)
      if(libs)
        list(APPEND flags ${libs})
      endif()
    endif()
  endforeach()
  set(${var} "${flags}" PARENT_SCOPE)
endfunction()
