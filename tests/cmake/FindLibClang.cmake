# FindLibClang.cmake — finds libclang's C API (clang-c/Index.h, libclang.so).
#
# Used by tests/tools/inspect.c.  On Debian the package is libclang-dev,
# which installs under /usr/lib/llvm-N; LLVM 14 is preferred (the version
# the tool is tested with), then whatever llvm-config reports.
#
# Input (optional):
#   LibClang_LLVM_CONFIG   the llvm-config to ask (default: llvm-config-14, llvm-config)
#   LibClang_ROOT          a prefix holding include/clang-c and lib/libclang.so
#
# Output:
#   LibClang_FOUND, LibClang_VERSION
#   LibClang_INCLUDE_DIR   the directory holding clang-c/Index.h
#   LibClang_LIBRARY       libclang.so
#   LibClang_RESOURCE_DIR  clang's resource directory of the same version
#                          (<dir>/include/stddef.h ...); libclang needs it
#                          passed as -resource-dir, since it guesses it from
#                          where libclang.so lies, which packagers move.
#                          Empty when not found.
#   LibClang::LibClang     imported target: headers and library

find_program(LibClang_LLVM_CONFIG
  NAMES llvm-config-14 llvm-config
  HINTS ${LibClang_ROOT}/bin /usr/lib/llvm-14/bin)

set(_lc_include_hint "")
set(_lc_lib_hint "")
set(_lc_bin_hint "")
if(LibClang_LLVM_CONFIG)
  foreach(_lc_what version includedir libdir bindir)
    execute_process(COMMAND ${LibClang_LLVM_CONFIG} --${_lc_what}
      OUTPUT_VARIABLE _lc_${_lc_what} OUTPUT_STRIP_TRAILING_WHITESPACE
      RESULT_VARIABLE _lc_rc ERROR_QUIET)
    if(NOT _lc_rc EQUAL 0)
      set(_lc_${_lc_what} "")
    endif()
  endforeach()
  set(_lc_include_hint ${_lc_includedir})
  set(_lc_lib_hint ${_lc_libdir})
  set(_lc_bin_hint ${_lc_bindir})
endif()

# The hints first and alone: /usr/include may hold an older clang-c.
find_path(LibClang_INCLUDE_DIR clang-c/Index.h
  HINTS ${LibClang_ROOT}/include ${_lc_include_hint} /usr/lib/llvm-14/include
  NO_DEFAULT_PATH)
find_path(LibClang_INCLUDE_DIR clang-c/Index.h)
find_library(LibClang_LIBRARY NAMES clang libclang clang-14
  HINTS ${LibClang_ROOT}/lib ${_lc_lib_hint} /usr/lib/llvm-14/lib
  NO_DEFAULT_PATH)
find_library(LibClang_LIBRARY NAMES clang libclang clang-14)

# The version: llvm-config's when it describes the library found, else the
# directory under <libdir>/clang/ that holds the resource headers.
get_filename_component(_lc_found_libdir "${LibClang_LIBRARY}" DIRECTORY)
if(_lc_version AND _lc_libdir AND _lc_found_libdir STREQUAL _lc_libdir)
  set(LibClang_VERSION ${_lc_version})
else()
  file(GLOB _lc_versions LIST_DIRECTORIES true "${_lc_found_libdir}/clang/*")
  if(_lc_versions)
    list(GET _lc_versions -1 _lc_last)
    get_filename_component(LibClang_VERSION "${_lc_last}" NAME)
  endif()
endif()

# The resource directory: ask the clang that sits beside libclang (same
# version by construction), else take <libdir>/clang/<version>.
if(NOT LibClang_RESOURCE_DIR)
  set(_lc_resource "")
  find_program(LibClang_CLANG_EXECUTABLE NAMES clang
    HINTS ${_lc_bin_hint} "${_lc_found_libdir}/../bin" NO_DEFAULT_PATH)
  if(LibClang_CLANG_EXECUTABLE)
    execute_process(COMMAND ${LibClang_CLANG_EXECUTABLE} -print-resource-dir
      OUTPUT_VARIABLE _lc_resource OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  endif()
  if(NOT EXISTS "${_lc_resource}/include/stddef.h" AND LibClang_VERSION)
    set(_lc_resource "${_lc_found_libdir}/clang/${LibClang_VERSION}")
  endif()
  if(EXISTS "${_lc_resource}/include/stddef.h")
    get_filename_component(_lc_resource "${_lc_resource}" REALPATH)
    set(LibClang_RESOURCE_DIR "${_lc_resource}" CACHE PATH "clang resource directory for libclang")
  endif()
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LibClang
  REQUIRED_VARS LibClang_LIBRARY LibClang_INCLUDE_DIR
  VERSION_VAR LibClang_VERSION)

if(LibClang_FOUND AND NOT TARGET LibClang::LibClang)
  add_library(LibClang::LibClang UNKNOWN IMPORTED)
  set_target_properties(LibClang::LibClang PROPERTIES
    IMPORTED_LOCATION "${LibClang_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${LibClang_INCLUDE_DIR}")
endif()
if(LibClang_FOUND AND NOT LibClang_RESOURCE_DIR)
  message(STATUS "LibClang: no resource directory found; inspect will ask clang at run time")
endif()
mark_as_advanced(LibClang_LLVM_CONFIG LibClang_INCLUDE_DIR LibClang_LIBRARY
  LibClang_CLANG_EXECUTABLE LibClang_RESOURCE_DIR)
