# Runs docex on a page with six mistakes and checks that it fails and
# names each one with its line.  Variables: DOCEX, PAGE, WORK.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND "${DOCEX}" "${PAGE}" "${WORK}" RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "docex exited with ${rc}, expected 1:\n${err}")
endif()
foreach(expect "bad_page.md:5: this block reads like .mg source"
               "bad_page.md:14: an ```output block must follow"
               "bad_page.md:20: unknown fence tag: mg-program"
               "bad_page.md:26: unknown test directive: <!-- test nmae: typo -->"
               "bad_page.md:28: an example name may hold letters, digits, '_' and '-': two words"
               "bad_page.md:34: code block not closed")
  string(FIND "${err}" "${expect}" at)
  if(at LESS 0)
    message(FATAL_ERROR "docex did not say '${expect}':\n${err}")
  endif()
endforeach()
message("${err}")
