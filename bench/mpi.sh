#!/bin/sh
# Data-parallel scale on this machine (docs/mpi.md): the MLP (batches of
# 100) and the synthetic softmax regression (full batch of 100000 rows) with
# 1, 2 and, oversubscribed, 4 processes under mpirun, one thread each.
# Reports the median step time, steps/s, the speed-up over one process and
# the reduction's share of the step (mean reduction over mean step, from the
# generated program's --bench line),
# as Markdown on stdout, also saved as bench/mpi_results.md.
#
#   sh bench/mpi.sh
#
# Environment: BENCH_BUILD_DIR (default build-bench-mpi; an MPI build already
# there, e.g. build-mpi, is used as it is), BENCH_OUT (default
# bench/mpi_results.md), BENCH_PROCS (default "1 2 4"), CC (default cc).
# Measures only; exits non-zero only when a workload cannot be built or run.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BENCH_BUILD_DIR:-build-bench-mpi}
OUT=${BENCH_OUT:-bench/mpi_results.md}
PROCS=${BENCH_PROCS:-1 2 4}
CC=${CC:-cc}
WORK=$BUILD/bench
say() { echo "bench/mpi: $*" >&2; }

if [ -x "$BUILD/mgc" ] && nm "$BUILD/libmgrt.a" 2>/dev/null | grep -q ' U MPI_Init_thread'; then
  say "using mgc and the MPI libmgrt already built in $BUILD"
else
  say "building mgc and an MPI libmgrt in $BUILD"
  sh scripts/build.sh "$BUILD" -DMGC_MPI=ON -DBUILD_TESTING=OFF >&2
fi
mkdir -p "$WORK"
omp=""
nm "$BUILD/libmgrt.a" 2>/dev/null | grep -Eq ' U (GOMP_|omp_)' && omp="-fopenmp"
mpi_libs=$(mpicc --showme:link)
"$CC" -O2 -std=c11 bench/synthetic_data.c -o "$WORK/synthetic_data"
"$WORK/synthetic_data" "$WORK" 100000 >&2

flags="--oversubscribe"
[ "$(id -u)" -eq 0 ] && flags="$flags --allow-run-as-root"
# shared memory only.  (OMPI_MCA_mpi_yield_when_idle=1 was tried on this
# busy machine: the MLP's 2-process step went from 10 ms to 180 ms.)
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none

field() { awk -v k="$1" '/^bench:/ { for (i = 2; i < NF; i += 2) if ($i == k) { print $(i + 1); exit } }' "$2"; }

{
  echo "# Data-parallel scale, measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores"
  echo
  echo "\`sh bench/mpi.sh\`: \`mpirun -np K ./prog --bench --threads 1\`, one thread per process;"
  echo "K = 4 oversubscribes this machine's cores, so it shows the reduction's cost, not a speed-up."
  echo "Load average when the run began: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine slows every figure)."
  echo
  echo "| workload | processes | step (us, median) | steps/s | speed-up | reduction (us, mean) | reduction's share |"
  echo "|---|---|---|---|---|---|---|"
} >"$OUT.tmp"

for entry in lab09_mlp:examples/lab09_mlp.mg synthetic_softmax:bench/synthetic_softmax.mg; do
  name=${entry%%:*} src=${entry#*:}
  say "compiling $src"
  "$BUILD/mgc" -O2 "$src" -o "$WORK/$name.c"
  # shellcheck disable=SC2086
  $CC -O3 -march=native -std=c11 $omp "$WORK/$name.c" -Iruntime "$BUILD/libmgrt.a" -lz $mpi_libs -lm -o "$WORK/$name"
  base=""
  for k in $PROCS; do
    say "  $name, $k processes"
    (cd "$WORK" && OMP_NUM_THREADS=1 mpirun $flags -np "$k" "./$name" --bench --threads 1) >"$WORK/out" 2>"$WORK/out.err" ||
      { say "error: $name with $k processes failed"; cat "$WORK/out.err" >&2; exit 1; }
    med=$(field step_us_median "$WORK/out")
    red=$(field reduce_us_mean "$WORK/out")
    share=$(field reduce_share "$WORK/out")
    [ -z "$base" ] && base=$med
    awk -v n="$name" -v k="$k" -v m="$med" -v b="$base" -v r="${red:--}" -v s="${share:--}" 'BEGIN {
      printf "| %s | %d | %.1f | %.1f | %.2fx | %s | %s |\n", n, k, m, 1e6 / m, b / m, r,
             s == "-" ? "-" : sprintf("%.1f%%", 100 * s) }' >>"$OUT.tmp"
  done
done
mv "$OUT.tmp" "$OUT"
cat "$OUT"
