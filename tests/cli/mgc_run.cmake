# mgc run and mgc build (compiler/cli_build.c): one case per test, each with
# its own cache directory (MGC_CACHE_DIR) in WORK.
#
#   cmake -DMGC=... -DCASE=... -DEXAMPLES=examples/ -DREF=tests/e2e/reference/
#         -DBAD_MG=a .mg with an error -DLOGCMP=... -DWORK=dir -P mgc_run.cmake
#
# Cases:
#   log       mgc run lab05 prints the lesson's log (PyTorch's, 2e-6), and
#             -v says it compiled
#   cached    a second mgc run -v says "cached" and compiles nothing; the
#             program's options after -- reach it; another -O, another entry;
#             work directories left by a killed mgc go after a day
#   status    the program's exit status is mgc run's (a usage error: 2)
#   cwd       relative data paths resolve against the caller's directory
#   build     mgc build -o prog, then ./prog --help; the default name
#   bad_model a .mg with an error: mgc's diagnostic, exit 1, an empty cache
#   cc_fails  CC=false: a clear error, exit 1, an empty cache, no -o file
#   usage     mgc run/build usage errors: exit 2 and the message
#   runtime_dir  MGC_RUNTIME_DIR without libmgrt: exit 1 naming it
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(cache "${WORK}/cache")
set(lab5 "${EXAMPLES}/lab05_logistic.mg")

# mgc(<prefix> [ENV k=v...] ARGS ...): runs mgc with the test's cache;
# sets <prefix>_status, <prefix>_out, <prefix>_err.
function(mgc prefix)
  cmake_parse_arguments(M "" "DIR" "ENV;ARGS" ${ARGN})
  if(NOT M_DIR)
    set(M_DIR "${WORK}")
  endif()
  execute_process(COMMAND "${CMAKE_COMMAND}" -E env "MGC_CACHE_DIR=${cache}" ${M_ENV} "${MGC}" ${M_ARGS}
    WORKING_DIRECTORY "${M_DIR}" RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 300)
  set(${prefix}_status "${status}" PARENT_SCOPE)
  set(${prefix}_out "${out}" PARENT_SCOPE)
  set(${prefix}_err "${err}" PARENT_SCOPE)
endfunction()

function(expect_status prefix want)
  if(NOT "${${prefix}_status}" STREQUAL "${want}")
    message(FATAL_ERROR "${prefix}: exit status '${${prefix}_status}', expected ${want}\n"
                        "stdout:\n${${prefix}_out}\nstderr:\n${${prefix}_err}")
  endif()
endfunction()

function(expect_match prefix stream regex)
  if(NOT "${${prefix}_${stream}}" MATCHES "${regex}")
    message(FATAL_ERROR "${prefix}: ${stream} does not match '${regex}':\n${${prefix}_${stream}}")
  endif()
endfunction()

function(expect_log prefix reference)
  file(WRITE "${WORK}/${prefix}.log" "${${prefix}_out}")
  execute_process(COMMAND "${LOGCMP}" "${reference}" "${WORK}/${prefix}.log" 2e-6 0
    RESULT_VARIABLE rc OUTPUT_VARIABLE cmp)
  message("${cmp}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${prefix}: the log differs from ${reference}")
  endif()
endfunction()

# The cache holds nothing: no entry, no work directory left behind.
function(expect_empty_cache what)
  file(GLOB left "${cache}/*")
  if(left)
    message(FATAL_ERROR "${what} left in the cache: ${left}")
  endif()
endfunction()

if(CASE STREQUAL "log")
  mgc(first ARGS run -v "${lab5}")
  expect_status(first 0)
  expect_match(first err "mgc: compiling: .* -o [^\n]*/program\n")
  expect_log(first "${REF}/lab05_logistic.log")
  file(GLOB entries LIST_DIRECTORIES true "${cache}/*")
  list(LENGTH entries n)
  if(NOT n EQUAL 1 OR NOT EXISTS "${entries}/program" OR NOT EXISTS "${entries}/program.c")
    message(FATAL_ERROR "expected one cache entry with program and program.c: ${entries}")
  endif()

elseif(CASE STREQUAL "cached")
  # work directories left by a killed mgc: one two days old is removed, a
  # fresh one (perhaps a build running now) is kept
  file(MAKE_DIRECTORY "${cache}/tmp-stale1" "${cache}/tmp-fresh1")
  file(WRITE "${cache}/tmp-stale1/program.c" "half\n")
  execute_process(COMMAND touch -d "2 days ago" "${cache}/tmp-stale1")
  mgc(first ARGS run "${lab5}")
  expect_status(first 0)
  if(EXISTS "${cache}/tmp-stale1" OR NOT EXISTS "${cache}/tmp-fresh1")
    message(FATAL_ERROR "the stale work directory should be gone and the fresh one kept")
  endif()
  file(REMOVE_RECURSE "${cache}/tmp-fresh1")
  mgc(second ARGS run -v "${lab5}" -- --epochs 300 --log-every 150)
  expect_status(second 0)
  expect_match(second err "^mgc: cached: [^\n]*/program\n$")
  expect_log(second "${EXAMPLES}/../tests/cli/lab05_300.log")
  # another mgc option is another program
  mgc(third ARGS run -v -O1 "${lab5}" -- --quiet)
  expect_status(third 0)
  expect_match(third err "mgc: compiling: ")
  file(GLOB entries LIST_DIRECTORIES true "${cache}/*")
  list(LENGTH entries n)
  if(NOT n EQUAL 2)
    message(FATAL_ERROR "expected two cache entries (-O2 and -O1): ${entries}")
  endif()

elseif(CASE STREQUAL "status")
  mgc(run ARGS run "${lab5}" -- --frobnicate)
  expect_status(run 2)
  expect_match(run err "^lab05_logistic: usage error: unknown option '--frobnicate'")

elseif(CASE STREQUAL "cwd")
  # lab05_diabetes reads data/diabetes.csv: from examples/ it is found
  mgc(in_examples DIR "${EXAMPLES}" ARGS run "${EXAMPLES}/lab05_diabetes.mg")
  expect_status(in_examples 0)
  expect_log(in_examples "${REF}/lab05_diabetes.log")
  # and from elsewhere it is not, with the data error naming the path
  mgc(elsewhere ARGS run "${EXAMPLES}/lab05_diabetes.mg")
  expect_status(elsewhere 1)
  expect_match(elsewhere err "data/diabetes.csv: cannot open")

elseif(CASE STREQUAL "build")
  mgc(build ARGS build "${lab5}" -o prog)
  expect_status(build 0)
  execute_process(COMMAND "${WORK}/prog" --help WORKING_DIRECTORY "${WORK}"
    RESULT_VARIABLE help_status OUTPUT_VARIABLE help_out ERROR_VARIABLE help_err)
  expect_status(help 0)
  expect_match(help out "^usage: prog ")
  expect_match(help out "--epochs")
  # without -o: the model's name, in the current directory; from the cache
  mgc(default ARGS build -v "${lab5}")
  expect_status(default 0)
  expect_match(default err "mgc: cached: ")
  execute_process(COMMAND "${WORK}/lab05_logistic" --epochs 1000 OUTPUT_VARIABLE default_run_out RESULT_VARIABLE rc)
  set(default_run_status ${rc})
  expect_status(default_run 0)
  expect_log(default_run "${REF}/lab05_logistic.log")

elseif(CASE STREQUAL "bad_model")
  mgc(bad ARGS run "${BAD_MG}")
  expect_status(bad 1)
  get_filename_component(name "${BAD_MG}" NAME)
  expect_match(bad err "${name}:[0-9]+:[0-9]+: error: ")
  expect_match(bad out "^$")
  expect_empty_cache("a .mg with an error")
  mgc(bad_build ARGS build "${BAD_MG}" -o prog)
  expect_status(bad_build 1)
  if(EXISTS "${WORK}/prog")
    message(FATAL_ERROR "mgc build wrote prog from a .mg with an error")
  endif()

elseif(CASE STREQUAL "cc_fails")
  mgc(run ENV CC=false ARGS run "${lab5}")
  expect_status(run 1)
  expect_match(run err "mgc: error: the C compiler failed \\(exit status 1\\) on the C generated from the model: false\n")
  expect_match(run out "^$")
  expect_empty_cache("a failed C compiler")
  mgc(build ENV CC=false ARGS build "${lab5}" -o prog)
  expect_status(build 1)
  if(EXISTS "${WORK}/prog")
    message(FATAL_ERROR "mgc build wrote prog although the C compiler failed")
  endif()
  expect_empty_cache("a failed C compiler")
  mgc(missing ENV CC=/no/such/cc ARGS run "${lab5}")
  expect_status(missing 1)
  expect_match(missing err "mgc: error: cannot run the C compiler '/no/such/cc': No such file or directory")
  expect_empty_cache("a missing C compiler")

elseif(CASE STREQUAL "usage")
  foreach(c "none:run:mgc run: error: no model file"
            "program_option:run,MG,--epochs,3:mgc run: error: unknown option '--epochs'; the program's options go after --"
            "two_models:run,MG,MG:mgc run: error: more than one model"
            "emit:run,--emit=ir,MG:mgc run: error: unknown option '--emit=ir'"
            "o_in_run:run,MG,-o,x:mgc run: error: -o is for mgc build"
            "dashdash_in_build:build,MG,--,--epochs:mgc build: error: '--' passes options to the program in mgc run only"
            "o_without_name:build,MG,-o:mgc build: error: -o needs a file name")
    string(REPLACE ":" ";" parts "${c}")
    list(GET parts 0 name)
    list(GET parts 1 args)
    list(GET parts 2 message)
    string(REPLACE "," ";" args "${args}")
    string(REPLACE "MG" "${lab5}" args "${args}")
    mgc(${name} ARGS ${args})
    expect_status(${name} 2)
    string(REPLACE "'" "." message "${message}")
    expect_match(${name} err "^${message}")
  endforeach()
  expect_empty_cache("a usage error")
  mgc(help ARGS run --help)
  expect_status(help 0)
  expect_match(help out "^usage: mgc run MODEL.mg")

elseif(CASE STREQUAL "runtime_dir")
  mgc(run ENV MGC_RUNTIME_DIR=${WORK} ARGS run "${lab5}")
  expect_status(run 1)
  expect_match(run err "mgc: error: MGC_RUNTIME_DIR='${WORK}' holds no libmgrt")

else()
  message(FATAL_ERROR "unknown CASE '${CASE}'")
endif()
