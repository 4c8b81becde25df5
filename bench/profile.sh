#!/bin/sh
# Where a training step's time goes (bench/README.md, "Profile"): builds
# libmgrt and mgc with frame pointers and debug information in its own build
# directory, compiles the lab 9 MLP (examples/lab09_mlp.mg) and the lab 9-5
# network (examples/lab09_dropout.mg, and bench/lab09_nodropout.mg, the same
# without dropout) as bench/run.sh does plus -g -fno-omit-frame-pointer
# -fno-optimize-sibling-calls (so every caller keeps its frame in the chain;
# neither flag changes the arithmetic),
# records each program's `--bench --threads 1 --epochs 1` with
# `perf record --call-graph=fp`, and writes the breakdown per phase, per
# library function and per block of the generated C
# (bench/profile_report.py) into bench/profile.md.
#
#   sh bench/profile.sh
#
# Environment: PROFILE_BUILD_DIR (default build-profile), PROFILE_OUT
# (default bench/profile.md), PROFILE_FREQ (samples per second, default
# 4000), CC (default cc).  Needs perf (Debian linux-perf) and a
# kernel.perf_event_paranoid of 2 or less (the default lets a user profile
# their own processes).
set -eu
cd "$(dirname "$0")/.."

BUILD=${PROFILE_BUILD_DIR:-build-profile}
OUT=${PROFILE_OUT:-bench/profile.md}
FREQ=${PROFILE_FREQ:-4000}
CC=${CC:-cc}
WORK=$BUILD/profile
say() { echo "profile: $*" >&2; }

command -v perf >/dev/null 2>&1 || { say "error: perf is not installed (Debian: linux-perf)"; exit 1; }
flags="-march=native -g -fno-omit-frame-pointer -fno-optimize-sibling-calls"
say "building mgc and libmgrt in $BUILD ($flags)"
sh scripts/build.sh "$BUILD" -DBUILD_TESTING=OFF -DMGC_NATIVE=ON -DMGC_OPENMP=ON "-DCMAKE_C_FLAGS=$flags" >&2
mkdir -p "$WORK"
cflags="-O3 -march=native -std=c11 -fopenmp -g -fno-omit-frame-pointer -fno-optimize-sibling-calls"

load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
report=$WORK/profile.md
: >"$report.body"
for entry in "lab09_mlp:examples/lab09_mlp.mg" "lab09_dropout:examples/lab09_dropout.mg" \
             "lab09_nodropout:bench/lab09_nodropout.mg"; do
  name=${entry%%:*}
  src=${entry#*:}
  say "compiling and recording $name"
  "$BUILD/mgc" -O2 "$src" -o "$WORK/$name.c"
  # shellcheck disable=SC2086
  $CC $cflags "$WORK/$name.c" -Iruntime "$BUILD/libmgrt.a" -lz -lm -o "$WORK/$name"
  OMP_NUM_THREADS=1 perf record -q -F "$FREQ" --call-graph=fp -o "$WORK/$name.perf" \
    "$WORK/$name" --bench --threads 1 --epochs 1 >"$WORK/$name.out" 2>"$WORK/$name.err"
  med=$(awk '/^bench:/ { for (i = 2; i < NF; i += 2) if ($i == "step_us_median") print $(i + 1) }' "$WORK/$name.out")
  [ -n "$med" ] || { say "error: $name printed no bench line"; cat "$WORK/$name.err" >&2; exit 1; }
  {
    echo "## $name ($src)"
    echo
    echo "\`$(cat "$WORK/$name.out")\`"
    echo
    python3 bench/profile_report.py "$WORK/$name" "$WORK/$name.c" "$WORK/$name.perf" "$med"
    echo
  } >>"$report.body"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
{
  echo "# Where the training step's time goes"
  echo
  echo "Made by \`sh bench/profile.sh\` (bench/README.md, \"Profile\", explains the recipe)."
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Machine: ${cpu:-unknown CPU}, $(nproc) online CPUs"
  echo "- Load average (1, 5, 15 min): $load_before before, $load_after after"
  echo "- mgc: commit $commit; \`$CC $cflags\`, libmgrt built with \`$flags\`; one thread; \`perf record -F $FREQ --call-graph=fp\` of \`--bench --threads 1 --epochs 1\` (600 steps)"
  echo
  echo "Shares are of the samples taken inside the step (forward, backward, update, train_step); µs/step is that share of the run's median step, so on a busy machine the microseconds carry its noise while the shares hold better."
  echo
  cat "$report.body"
} >"$report"
cp "$report" "$OUT"
say "report saved as $OUT"
