#!/bin/sh
# Fuzzes mgc with libFuzzer (tests/fuzz/README.md):
#
#   sh scripts/fuzz.sh HARNESS SECONDS [libFuzzer options...]
#
# HARNESS is compile, csv, idx, safetensors, options or all (each in turn).
# Builds the harnesses with clang, AddressSanitizer and UndefinedBehavior-
# Sanitizer into build-fuzz/, runs every input that ever crashed a harness
# (tests/fuzz/crashes/HARNESS/), then fuzzes for SECONDS from the committed
# corpus (tests/fuzz/corpus/HARNESS/; for compile also every .mg file of
# examples/ and tests/).  New inputs go to build-fuzz/corpus/HARNESS/, a
# crashing one to build-fuzz/artifacts/HARNESS/.  Exits non-zero on a
# finding.  The last line per harness gives its executions and coverage.
set -eu
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
  echo "usage: sh scripts/fuzz.sh compile|csv|idx|safetensors|options|all SECONDS [libFuzzer options]" >&2
  exit 2
fi
which=$1
seconds=$2
shift 2
case $which in
  all) harnesses="compile csv idx safetensors options" ;;
  compile|csv|idx|safetensors|options) harnesses=$which ;;
  *) echo "fuzz.sh: unknown harness '$which'" >&2; exit 2 ;;
esac
case $seconds in
  ''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, not '$seconds'" >&2; exit 2 ;;
esac

sh scripts/setup.sh
out=build-fuzz
CC=${FUZZ_CC:-clang} cmake -S . -B $out -DMGC_FUZZ=ON -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
targets=""
for h in $harnesses; do targets="$targets fuzz_$h"; done
cmake --build $out -j "$(nproc)" --target $targets >/dev/null

# UBSan findings are fatal (-fno-sanitize-recover), and both sanitizers
# abort so that libFuzzer saves the input.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

for h in $harnesses; do
  bin=$out/tests/fuzz/harness/fuzz_$h
  work=$out/corpus/$h
  mkdir -p "$work" "$out/artifacts/$h"
  extra=""
  if [ "$h" = compile ]; then
    extra="-dict=tests/fuzz/mg.dict"
    # seeds: every program of the examples and the tests
    find examples tests -name '*.mg' -size -64k -exec cp {} "$work/" \;
  fi
  # options --help prints its usage to stdout: keep it quiet
  [ "$h" = options ] && extra="$extra -close_fd_mask=1"
  crashes=$(find tests/fuzz/crashes/$h -type f 2>/dev/null | sort)
  if [ -n "$crashes" ]; then
    echo "fuzz.sh: $h: $(echo "$crashes" | wc -l) inputs that once crashed it" >&2
    # shellcheck disable=SC2086
    "$bin" $extra $crashes >"$out/artifacts/$h/crashes.log" 2>&1 || {
      cat "$out/artifacts/$h/crashes.log" >&2
      echo "fuzz.sh: $h: an input that once crashed it fails again" >&2
      exit 1
    }
  fi
  echo "fuzz.sh: $h: fuzzing for $seconds s" >&2
  log=$out/artifacts/$h/fuzz.log
  # shellcheck disable=SC2086
  if ! "$bin" $extra -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$out/artifacts/$h/" "$@" "$work" "tests/fuzz/corpus/$h" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "fuzz.sh: $h: a finding; the input is in $out/artifacts/$h/" >&2
    exit 1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\).*/\1 edges, \2 features/p')
  echo "fuzz.sh: $h: nothing found in $seconds s: $execs executions, coverage $cov, corpus $(ls "$work" | wc -l) inputs"
done
