# mgc_version.cmake: writes OUT (mgc_version.h) with MGC_VERSION_TEXT, the
# text of `mgc --version`: VERSION, and in a git checkout the commit as
# `git describe --always --dirty` names it ("0.1.0 (git 9a22e06-dirty)").
# Outside git (a release tarball, also one unpacked inside another
# repository), or without git, just VERSION.  The file is
# written only when its text changes.  Run with cmake -P and SOURCE_DIR,
# VERSION, OUT.
set(text "${VERSION}")
find_program(GIT git)
if(GIT)
  # only mgc's own checkout: a source tree unpacked inside some other
  # repository must not name that repository's commit
  execute_process(COMMAND "${GIT}" rev-parse --show-toplevel
    WORKING_DIRECTORY "${SOURCE_DIR}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE top ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(rc EQUAL 0)
    file(REAL_PATH "${top}" top)
    file(REAL_PATH "${SOURCE_DIR}" source)
  endif()
  if(rc EQUAL 0 AND top STREQUAL source)
    execute_process(COMMAND "${GIT}" describe --always --dirty
      WORKING_DIRECTORY "${SOURCE_DIR}"
      RESULT_VARIABLE rc OUTPUT_VARIABLE described ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(rc EQUAL 0 AND described)
      set(text "${VERSION} (git ${described})")
    endif()
  endif()
endif()
set(content "/* mgc_version.h: written by cmake/mgc_version.cmake at build time. */\n#define MGC_VERSION_TEXT \"${text}\"\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
  if(old STREQUAL content)
    return()
  endif()
endif()
file(WRITE "${OUT}" "${content}")
