# mgc_add_model: compile a .mg model into a C library at build time.
#
#   mgc_add_model(<target> <model.mg>
#                 [PREFIX <name>]          symbol prefix (default: <target> as a C identifier)
#                 [OPTIMIZE O0|O1|O2]      mgc's -O level (default: mgc's, O2)
#                 [DTYPE f32|f64]          number type (default: mgc's, f32)
#                 [MGC_ARGS <arg>...])     anything else for mgc, e.g. -Werror
#
# At build time runs
#   mgc --emit=lib <model.mg> -o <bin>/<target>/<target>.c --prefix <name> [-O..] [--dtype=..]
# which writes <target>.c and <target>.h into ${CMAKE_CURRENT_BINARY_DIR}/<target>/.
# It reruns whenever the .mg or the mgc executable changes. The generated C becomes
# the static library <target>; its directory is a PUBLIC include directory, so
# linking <target> is enough to `#include "<target>.h"`, and it links PUBLIC to
# mgc::mgrt (libmgrt, zlib, libm, the OpenMP runtime).  docs/cmake.md has the
# whole story.
#
# The same function serves two settings:
#   - installed: find_package(mgc) defines the imported targets mgc::mgc (the
#     compiler) and mgc::mgrt (the runtime), then includes this file;
#   - in-tree: mgc's own CMakeLists.txt defines mgc::mgc and mgc::mgrt as
#     ALIASes of its targets mgc and mgrt, then includes this file.
# Setting MGC_EXECUTABLE to a path uses that mgc instead of mgc::mgc (for
# example a host mgc when cross-compiling).
#
# Target properties set on <target> for later use: MGC_MODEL (the .mg),
# MGC_PREFIX, MGC_SOURCE and MGC_HEADER (the generated files).

include_guard(GLOBAL)

function(mgc_add_model target mg)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "PREFIX;OPTIMIZE;DTYPE" "MGC_ARGS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "mgc_add_model(${target}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}"
                        " (expected PREFIX, OPTIMIZE, DTYPE, MGC_ARGS)")
  endif()
  if(arg_KEYWORDS_MISSING_VALUES)
    message(FATAL_ERROR "mgc_add_model(${target}): ${arg_KEYWORDS_MISSING_VALUES} needs a value")
  endif()

  # The compiler: a path the user chose, else the (imported or aliased) target.
  if(MGC_EXECUTABLE)
    set(mgc_command "${MGC_EXECUTABLE}")
    set(mgc_depend "${MGC_EXECUTABLE}")
  elseif(TARGET mgc::mgc)
    # A target name as COMMAND runs its file and orders the build after it
    # (in-tree); $<TARGET_FILE> in DEPENDS reruns mgc when mgc itself changes.
    set(mgc_command mgc::mgc)
    set(mgc_depend "$<TARGET_FILE:mgc::mgc>")
  else()
    message(FATAL_ERROR "mgc_add_model(${target}): no mgc compiler: call find_package(mgc) first, "
                        "or set MGC_EXECUTABLE to the mgc program")
  endif()
  if(NOT TARGET mgc::mgrt)
    message(FATAL_ERROR "mgc_add_model(${target}): no target mgc::mgrt (the runtime library): "
                        "call find_package(mgc) first")
  endif()
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  if(NOT "C" IN_LIST languages)
    message(FATAL_ERROR "mgc_add_model(${target}): the generated model is C: enable C in your "
                        "project, e.g. project(app LANGUAGES C CXX) or enable_language(C)")
  endif()

  get_filename_component(mg "${mg}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  get_source_file_property(mg_generated "${mg}" GENERATED)
  if(NOT EXISTS "${mg}" AND NOT mg_generated)
    message(FATAL_ERROR "mgc_add_model(${target}): model file not found: ${mg}")
  endif()

  if(DEFINED arg_PREFIX)
    set(prefix "${arg_PREFIX}")
    if(NOT prefix MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
      message(FATAL_ERROR "mgc_add_model(${target}): PREFIX '${prefix}' is not a C identifier")
    endif()
  else()
    string(MAKE_C_IDENTIFIER "${target}" prefix)
  endif()

  set(options --emit=lib --prefix "${prefix}")
  if(DEFINED arg_OPTIMIZE)
    if(NOT arg_OPTIMIZE MATCHES "^O[012]$")
      message(FATAL_ERROR "mgc_add_model(${target}): OPTIMIZE must be O0, O1 or O2, not '${arg_OPTIMIZE}'")
    endif()
    list(APPEND options -${arg_OPTIMIZE})
  endif()
  if(DEFINED arg_DTYPE)
    if(NOT arg_DTYPE MATCHES "^f(32|64)$")
      message(FATAL_ERROR "mgc_add_model(${target}): DTYPE must be f32 or f64, not '${arg_DTYPE}'")
    endif()
    list(APPEND options --dtype=${arg_DTYPE})
  endif()
  list(APPEND options ${arg_MGC_ARGS})

  set(dir "${CMAKE_CURRENT_BINARY_DIR}/${target}")
  set(c "${dir}/${target}.c")
  set(h "${dir}/${target}.h")
  file(MAKE_DIRECTORY "${dir}")
  get_filename_component(mg_name "${mg}" NAME)
  add_custom_command(
    OUTPUT "${c}" "${h}"
    COMMAND ${mgc_command} ${options} "${mg}" -o "${c}"
    DEPENDS "${mg}" "${mgc_depend}"
    WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
    COMMENT "mgc: generating ${target}/${target}.c and .h from ${mg_name}"
    VERBATIM)

  # The .mg is listed as a source so that IDEs show it; it compiles to nothing.
  add_library(${target} STATIC "${c}" "${h}" "${mg}")
  target_include_directories(${target} PUBLIC "${dir}")
  target_link_libraries(${target} PUBLIC mgc::mgrt)
  target_compile_features(${target} PRIVATE c_std_11)
  set_target_properties(${target} PROPERTIES
    MGC_MODEL "${mg}" MGC_PREFIX "${prefix}" MGC_SOURCE "${c}" MGC_HEADER "${h}")
endfunction()
