# mgc_cli_config.cmake: what `mgc run` and `mgc build` (compiler/cli_build.c)
# need to know about the libmgrt they link, recorded when mgc is configured,
# and the installed pkg-config file mgrt.pc that gives the same flags to a
# hand-written build line (docs/building.md).
#
#   include(cmake/mgc_cli_config.cmake)
#   mgc_write_cli_config(<header>)     # the C compiler, flags, libraries, layout
#   mgc_add_version_header(<target> <header>)   # mgc --version with the git commit
#   mgc_install_pkg_config(<libdir> <includedir>)   # lib/pkgconfig/mgrt.pc
#
# Call after mgrt_configure_native/openmp/blas and mgrt_link_flags
# (cmake/mgrt_blas.cmake): the flags are the ones libmgrt was built for.

# The compile flags of a program that links libmgrt: -O3 -march=native when
# libmgrt's kernels were built for this CPU (MGC_NATIVE), else -O2.  The
# generated C itself has no OpenMP pragmas (the threads are inside libmgrt),
# so OpenMP appears only on the link line, as libmgrt's runtime library.
function(mgc_program_cflags var)
  if(MGC_NATIVE AND MGRT_HAVE_MARCH_NATIVE)
    set(${var} -O3 -march=native PARENT_SCOPE)
  else()
    set(${var} -O2 PARENT_SCOPE)
  endif()
endfunction()

# A CMake list as the body of a C array of strings: "a", "b".
function(mgc_c_string_list var)
  set(out "")
  foreach(item IN LISTS ARGN)
    string(REPLACE "\\" "\\\\" item "${item}")
    string(REPLACE "\"" "\\\"" item "${item}")
    string(APPEND out "\"${item}\", ")
  endforeach()
  set(${var} "${out}" PARENT_SCOPE)
endfunction()

# mgc_write_cli_config(<header>): writes <header> (mgc_config.h), which
# compiler/runtime_find.c reads.  The libraries are MGRT_LINK_FLAGS (zlib, the
# OpenMP runtime, OpenBLAS as full paths, -lm), and with MGC_SANITIZE the
# sanitizers' runtime that libmgrt.a then needs.
function(mgc_write_cli_config header)
  mgc_program_cflags(cflags)
  set(libs ${MGRT_LINK_FLAGS})
  if(MGC_SANITIZE)
    list(APPEND libs -fsanitize=address,undefined)
  endif()
  mgc_c_string_list(MGC_CONF_CFLAGS ${cflags})
  mgc_c_string_list(MGC_CONF_LIBS ${libs})
  # The installed layout, relative to the directory of the installed mgc:
  # `cmake --install --prefix P` and moving the tree keep it.
  foreach(dir LIBDIR INCLUDEDIR)
    if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
      set(MGC_CONF_REL_${dir} "${CMAKE_INSTALL_${dir}}")
    else()
      file(RELATIVE_PATH rel "/prefix/${CMAKE_INSTALL_BINDIR}" "/prefix/${CMAKE_INSTALL_${dir}}")
      set(MGC_CONF_REL_${dir} "${rel}")
    endif()
  endforeach()
  set(MGC_CONF_CC "${CMAKE_C_COMPILER}")
  set(MGC_CONF_SOURCE_RUNTIME "${PROJECT_SOURCE_DIR}/runtime")
  file(CONFIGURE OUTPUT "${header}" CONTENT
"/* mgc_config.h: written by cmake/mgc_cli_config.cmake when mgc was
   configured.  How `mgc run` and `mgc build` compile a generated program:
   the flags and libraries that libmgrt was built for. */
#define MGC_CONF_CC \"@MGC_CONF_CC@\"
#define MGC_CONF_CFLAGS @MGC_CONF_CFLAGS@
#define MGC_CONF_LIBS @MGC_CONF_LIBS@
/* the build tree: runtime headers in the source tree, libmgrt.a beside mgc */
#define MGC_CONF_SOURCE_RUNTIME \"@MGC_CONF_SOURCE_RUNTIME@\"
/* an installed tree, relative to the directory that holds mgc */
#define MGC_CONF_REL_LIBDIR \"@MGC_CONF_REL_LIBDIR@\"
#define MGC_CONF_REL_INCLUDEDIR \"@MGC_CONF_REL_INCLUDEDIR@\"
" @ONLY)
endfunction()

# mgc_add_version_header(<target> <header>): <header> defines MGC_VERSION_TEXT,
# the version and, in a git checkout, `git describe --always --dirty`.  It is
# rewritten before every build of <target> (only when it changes, so nothing
# recompiles otherwise), so a commit or an edit shows without reconfiguring.
function(mgc_add_version_header target header)
  add_custom_target(${target}_version
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DVERSION=${PROJECT_VERSION}
      -DOUT=${header} -P ${PROJECT_SOURCE_DIR}/cmake/mgc_version.cmake
    BYPRODUCTS ${header}
    COMMENT "mgc --version: checking the git commit")
  add_dependencies(${target} ${target}_version)
endfunction()

# mgc_install_pkg_config(<libdir> <includedir>): installs <libdir>/pkgconfig/
# mgrt.pc.  Its paths are relative to the file itself (${pcfiledir}), so the
# installed tree can be staged with DESTDIR or moved.  Libs names libmgrt.a
# and what it needs (MGRT_LINK_FLAGS) as the CMake package does; Cflags the
# flags of mgc_program_cflags.
function(mgc_install_pkg_config libdir includedir)
  mgc_program_cflags(cflags)
  list(JOIN cflags " " MGRT_PC_CFLAGS)
  set(libs "")
  foreach(flag IN LISTS MGRT_LINK_FLAGS)
    if(NOT flag MATCHES "^-" AND flag MATCHES " ")
      message(WARNING "mgrt.pc: a library path with a space cannot be written there: ${flag}")
    endif()
    string(APPEND libs " ${flag}")
  endforeach()
  string(STRIP "${libs}" MGRT_PC_LIBS)
  if(IS_ABSOLUTE "${libdir}" OR IS_ABSOLUTE "${includedir}")
    set(MGRT_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
    set(MGRT_PC_LIBDIR "${libdir}")
    set(MGRT_PC_INCLUDEDIR "${includedir}")
  else()
    # <prefix>/<libdir>/pkgconfig back to <prefix>
    file(RELATIVE_PATH up "/prefix/${libdir}/pkgconfig" "/prefix")
    string(REGEX REPLACE "/$" "" up "${up}")
    set(MGRT_PC_PREFIX "\${pcfiledir}/${up}")
    set(MGRT_PC_LIBDIR "\${prefix}/${libdir}")
    set(MGRT_PC_INCLUDEDIR "\${prefix}/${includedir}")
  endif()
  set(MGRT_PC_VERSION "${PROJECT_VERSION}")
  set(pc "${CMAKE_CURRENT_BINARY_DIR}/install/mgrt.pc")
  configure_file("${PROJECT_SOURCE_DIR}/cmake/mgrt.pc.in" "${pc}" @ONLY)
  install(FILES "${pc}" DESTINATION "${libdir}/pkgconfig")
endfunction()
