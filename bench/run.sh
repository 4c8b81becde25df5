#!/bin/sh
# The benchmark suite (bench/README.md): builds mgc, compiles every workload
# to C with -O3 -march=native, times its training step with the generated
# program's --bench, times the same step in PyTorch (when /usr/bin/python3 can
# import torch), runs bench/gemm_bench.c's matmul comparison when it is there,
# and prints a Markdown report on stdout, also saved as bench/results.md.
# Progress goes to stderr.
#
#   sh bench/run.sh
#
# Environment: BENCH_BUILD_DIR (default build-bench), BENCH_ROUNDS (default 3:
# every measurement is taken that many times, interleaving mgc and PyTorch,
# and the lowest median is kept), BENCH_OUT (default bench/results.md),
# PYTHON (default /usr/bin/python3), CC (default cc).
# Benchmarks measure; they never fail on a missed target.  The exit status is
# non-zero only when a workload could not be built or run.
set -eu
cd "$(dirname "$0")/.."

BUILD=${BENCH_BUILD_DIR:-build-bench}
ROUNDS=${BENCH_ROUNDS:-3}
OUT=${BENCH_OUT:-bench/results.md}
PY=${PYTHON:-/usr/bin/python3}
CC=${CC:-cc}
WORK=$BUILD/bench
RES=$WORK/results
failed=0

say() { echo "bench: $*" >&2; }

# ---- build ---------------------------------------------------------------------
# A build directory of its own, so that the flags here do not change the
# build that the tests use.  The CMakeLists' speed options (MGC_*NATIVE*,
# MGC_*OPENMP*, MGC_*OMP*), if it has any, are turned on.
cmake_opts="-DBUILD_TESTING=OFF -DCMAKE_C_FLAGS=-march=native"
# shellcheck disable=SC2013
for o in $(sed -n 's/^[[:space:]]*option(\(MGC_[A-Z0-9_]*\).*/\1/p' CMakeLists.txt 2>/dev/null |
           grep -E 'NATIVE|OPENMP|OMP'); do
  cmake_opts="$cmake_opts -D$o=ON"
done
say "building mgc and libmgrt in $BUILD ($cmake_opts)"
# shellcheck disable=SC2086
sh scripts/build.sh "$BUILD" $cmake_opts >&2
mkdir -p "$WORK"
rm -rf "$RES"
mkdir -p "$RES"

# OpenMP flags when the runtime was built with OpenMP (it then calls omp_* or GOMP_*).
omp_flags=""
if nm "$BUILD/libmgrt.a" 2>/dev/null | grep -Eq ' U (GOMP_|omp_)'; then
  omp_flags="-fopenmp"
fi
cflags="-O3 -march=native -std=c11 $omp_flags"

# ---- the synthetic data set (deterministic, regenerated each time) --------------
say "generating the synthetic softmax data in $WORK"
$CC -O2 -std=c11 bench/synthetic_data.c -o "$WORK/synthetic_data"
"$WORK/synthetic_data" "$WORK" 100000

# ---- compile the workloads ---------------------------------------------------------
# name:source
WORKLOADS="lab05_logistic:examples/lab05_logistic.mg
lab05_diabetes:examples/lab05_diabetes.mg
lab06_softmax_lowlevel:examples/lab06_softmax_lowlevel.mg
lab06_zoo:examples/lab06_zoo.mg
lab08_xor:examples/lab08_xor.mg
lab09_mlp:examples/lab09_mlp.mg
synthetic_softmax:bench/synthetic_softmax.mg"

for entry in $WORKLOADS; do
  name=${entry%%:*}
  src=${entry#*:}
  say "compiling $src"
  # shellcheck disable=SC2086
  if ! { "$BUILD/mgc" -O2 "$src" -o "$WORK/$name.c" &&
         $CC $cflags "$WORK/$name.c" -Iruntime "$BUILD/libmgrt.a" -lz -lm -o "$WORK/$name"; }; then
    say "error: $name did not build"
    rm -f "$WORK/$name"
    failed=1
  fi
done

have_torch=0
torch_version=""
if [ -x "$PY" ] && torch_version=$("$PY" -c 'import torch; print(torch.__version__)' 2>/dev/null); then
  have_torch=1
else
  say "PyTorch not found ($PY cannot import torch): mgc times only"
fi

# ---- running -------------------------------------------------------------------------
# Each measurement appends "median min steps samples_per_s threads blas_threads
# label" to $RES/KEY; the report keeps the line with the lowest median.

# field NAME: the value after NAME on the "bench:" line read from stdin
field() {
  awk -v k="$1" '/^bench:/ { for (i = 2; i < NF; i += 2) if ($i == k) { print $(i + 1); exit } }'
}

# record KEY SIDE OUTPUT_FILE: parses one run's output into $RES/KEY; the
# setting it names is the thread counts the program reports, not the ones asked for
record() {
  med=$(field step_us_median <"$3")
  if [ -z "$med" ]; then
    say "error: $1: no bench line in the output:"
    sed 's/^/  /' "$3" "$3.err" >&2 || true
    failed=1
    return 0
  fi
  min=$(field step_us_min <"$3")
  steps=$(field steps <"$3")
  sps=$(field samples_per_s <"$3")
  thr=$(field threads <"$3")
  blas=$(field blas_threads <"$3")
  if [ "$2" = torch ]; then
    label="torch=$thr,openblas=${blas:-?}"
  else
    label="threads=$thr"
  fi
  echo "$med $min $steps $sps $thr ${blas:--} $label" >>"$RES/$1"
}

# run_mgc KEY NAME THREADS [ARGS...]
run_mgc() {
  key=$1 name=$2 t=$3
  shift 3
  [ -x "$WORK/$name" ] || return 0
  say "  mgc     $key"
  OMP_NUM_THREADS=$t "$WORK/$name" --bench --threads "$t" "$@" >"$WORK/out" 2>"$WORK/out.err" || true
  record "$key.mgc" mgc "$WORK/out"
}

# run_torch KEY NAME TORCH_THREADS BLAS_THREADS [ARGS...]
run_torch() {
  key=$1 name=$2 t=$3 b=$4
  shift 4
  [ "$have_torch" = 1 ] || return 0
  say "  PyTorch $key (torch threads $t, OpenBLAS threads $b)"
  OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$b "$PY" bench/torch_bench.py "$name" --threads "$t" "$@" \
    >"$WORK/out" 2>"$WORK/out.err" || true
  record "$key.torch" torch "$WORK/out"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
round=1
while [ "$round" -le "$ROUNDS" ]; do
  say "round $round of $ROUNDS"
  for name in lab05_logistic lab05_diabetes lab06_softmax_lowlevel lab06_zoo lab08_xor; do
    run_mgc "$name" "$name" 1 --data-dir examples
    run_torch "$name" "$name" 1 1
  done
  run_mgc synthetic_softmax synthetic_softmax 1 --data-dir "$WORK"
  run_torch synthetic_softmax synthetic_softmax 1 1 --data-dir "$WORK"
  run_mgc lab09_mlp.1 lab09_mlp 1 --epochs 1
  run_torch lab09_mlp.1 lab09_mlp 1 1 --epochs 1
  run_mgc lab09_mlp.2 lab09_mlp 2 --epochs 1
  # PyTorch's best 2-core setting: every split of torch's and OpenBLAS's threads
  for tb in "2 2" "2 1" "1 2" "1 1"; do
    # shellcheck disable=SC2086
    set -- $tb
    run_torch lab09_mlp.2 lab09_mlp "$1" "$2" --epochs 1
  done
  round=$((round + 1))
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

# ---- the matmul comparison ---------------------------------------------------------------
gemm_note=""
gemm_out=""
if [ ! -f bench/gemm_bench.c ]; then
  gemm_note="bench/gemm_bench.c is not there yet: the matmul comparison is skipped."
else
  say "building and running bench/gemm_bench.c"
  # shellcheck disable=SC2086
  if $CC $cflags -Iruntime bench/gemm_bench.c "$BUILD/libmgrt.a" -lopenblas -lz -lm \
       -o "$WORK/gemm_bench" 2>"$WORK/gemm_build.err"; then
    if "$WORK/gemm_bench" >"$WORK/gemm.out" 2>&1; then
      gemm_out=$WORK/gemm.out
    else
      gemm_note="bench/gemm_bench failed (exit status $?); its output is in $WORK/gemm.out."
      failed=1
    fi
  else
    gemm_note="bench/gemm_bench.c did not build (OpenBLAS's cblas.h and -lopenblas are needed: Debian libopenblas-dev): $(head -n 3 "$WORK/gemm_build.err" | tr '\n' ' ')"
  fi
fi

# ---- the report ----------------------------------------------------------------------------

# best KEY: the line of $RES/KEY with the lowest median (empty if none)
best() {
  if [ -s "$RES/$1" ]; then
    sort -n -k1,1 "$RES/$1" | head -n 1
  fi
}

fmt_us() {
  [ -n "$1" ] || { echo "—"; return; }
  awk -v v="$1" 'BEGIN { if (v < 10) printf "%.3f\n", v; else if (v < 1000) printf "%.1f\n", v; else printf "%.0f\n", v }'
}

# row LABEL MGC_KEY TORCH_LINE TARGET_RATIO TARGET_TEXT
row() {
  m=$(best "$2")
  t=$3
  mu=${m%% *}
  tu=${t%% *}
  awk -v label="$1" -v mu="$mu" -v tu="$tu" -v want="$4" -v wtext="$5" -v mus="$(fmt_us "$mu")" \
      -v tus="$(fmt_us "$tu")" 'BEGIN {
    if (mu != "" && tu != "" && mu > 0) {
      r = tu / mu
      rs = r < 10 ? sprintf("%.2f×", r) : r < 100 ? sprintf("%.1f×", r) : sprintf("%.0f×", r)
      met = r >= want ? "yes" : "no"
    } else { rs = "—"; met = "—" }
    printf "| %s | %s | %s | %s | %s | %s |\n", label, mus, tus, rs, wtext, met
  }'
}

# detail KEY SIDE: one line of the details table
detail() {
  l=$(best "$1.$2")
  [ -n "$l" ] || return 0
  echo "$l" | awk -v key="$1" -v side="$2" '{
    printf "| %s | %s | %s | %s | %s | %s | %s |\n", key, side, $7, $3, $1, $2, $4 }'
}

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
sockets=$(lscpu 2>/dev/null | sed -n 's/^Socket(s):[[:space:]]*//p' | head -n 1)
per_socket=$(lscpu 2>/dev/null | sed -n 's/^Core(s) per socket:[[:space:]]*//p' | head -n 1)
per_core=$(lscpu 2>/dev/null | sed -n 's/^Thread(s) per core:[[:space:]]*//p' | head -n 1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit (with uncommitted changes)"
fi

mlp2_torch=$(best lab09_mlp.2.torch)

{
  echo "# mgc benchmark results"
  echo
  echo "Made by \`sh bench/run.sh\` (bench/README.md explains the workloads and how to read this)."
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Machine: ${cpu:-unknown CPU}, $(nproc) online CPUs (${sockets:-?} socket(s) × ${per_socket:-?} core(s) × ${per_core:-?} thread(s) per core)"
  echo "- Load average (1, 5, 15 min): $load_before before, $load_after after"
  echo "- mgc: commit $commit; generated C built with \`$($CC --version | head -n 1)\`, \`$cflags\`; libmgrt built with OpenMP: $([ -n "$omp_flags" ] && echo yes || echo no)"
  if [ "$have_torch" = 1 ]; then
    echo "- PyTorch $torch_version ($PY), OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}"
  else
    echo "- PyTorch: not installed; the PyTorch columns are empty"
  fi
  if [ -n "${OPENBLAS_CORETYPE:-}" ] && grep -q avx512f /proc/cpuinfo 2>/dev/null &&
     ! echo "$OPENBLAS_CORETYPE" | grep -Eqi 'skylakex|cooperlake|sapphire'; then
    echo "- Note: OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE picks an OpenBLAS kernel without AVX-512 on a CPU that has it; PyTorch's matrix products (and OpenBLAS's figures below) use that kernel, while \`-march=native\` code may use AVX-512"
  fi
  echo "- Each figure: median µs per training step; the lowest of $ROUNDS round(s)"
  echo
  echo "## Training step"
  echo
  echo "| workload | mgc µs/step | PyTorch µs/step | ratio (PyTorch/mgc) | target | met? |"
  echo "|---|---:|---:|---:|---|---|"
  row "lab05_logistic (lab 5 toy, 6×2)" lab05_logistic.mgc "$(best lab05_logistic.torch)" 300 "≥ 300×"
  row "lab05_diabetes (759×8)" lab05_diabetes.mgc "$(best lab05_diabetes.torch)" 50 "≥ 50×"
  row "lab06_softmax_lowlevel (lab 6 softmax, 8×4)" lab06_softmax_lowlevel.mgc "$(best lab06_softmax_lowlevel.torch)" 50 "≥ 50×"
  row "lab06_zoo (101×16)" lab06_zoo.mgc "$(best lab06_zoo.torch)" 50 "≥ 50×"
  row "lab08_xor (4×2, 2-2-1)" lab08_xor.mgc "$(best lab08_xor.torch)" 50 "≥ 50×"
  row "lab09_mlp, 1 thread (batch 100, one epoch)" lab09_mlp.1.mgc "$(best lab09_mlp.1.torch)" 2 "≤ ½ PyTorch (≥ 2×)"
  row "lab09_mlp, 2 threads vs PyTorch's best 2-core setting" lab09_mlp.2.mgc "$mlp2_torch" 2 "≤ ½ PyTorch (≥ 2×)"
  row "synthetic softmax 100000×64 → 10" synthetic_softmax.mgc "$(best synthetic_softmax.torch)" 6 "≥ 6×"
  echo
  if [ -z "$omp_flags" ]; then
    echo "libmgrt was built without OpenMP: the mgc program's \"2 threads\" run used one thread."
    echo
  fi
  if [ -n "$mlp2_torch" ]; then
    echo "PyTorch's best 2-core setting for lab09_mlp: ${mlp2_torch##* } (of torch threads × OpenBLAS threads in {1, 2}²)."
    echo
  fi
  echo "### Details"
  echo
  echo "For each measurement, the round with the lowest median; min is that round's fastest step, samples/s is rows per median step."
  echo
  echo "| measurement | side | setting | steps | median µs | min µs | samples/s |"
  echo "|---|---|---|---:|---:|---:|---:|"
  for key in lab05_logistic lab05_diabetes lab06_softmax_lowlevel lab06_zoo lab08_xor lab09_mlp.1 lab09_mlp.2 synthetic_softmax; do
    detail "$key" mgc
    detail "$key" torch
  done
  if [ -s "$RES/lab09_mlp.2.torch" ]; then
    echo
    echo "PyTorch lab09_mlp settings on 2 cores (median µs, best round):"
    echo
    echo "| setting | median µs |"
    echo "|---|---:|"
    sort -n -k1,1 "$RES/lab09_mlp.2.torch" | awk '!seen[$7]++ { printf "| %s | %.1f |\n", $7, $1 }'
  fi
  echo
  echo "## Matrix products: libmgrt against OpenBLAS (bench/gemm_bench.c)"
  echo
  if [ -n "$gemm_out" ]; then
    grep -v -E '^(product|[[:space:]]*$)' "$gemm_out" | awk '
      NF >= 11 && $(NF - 9) ~ /^(nn|nt|tn)$/ { next } { print "- " $0 }'
    echo
    echo "| product | op | m×k×n | threads | mgrt GFLOP/s | OpenBLAS GFLOP/s | mgrt/OpenBLAS | target | met? |"
    echo "|---|---|---|---:|---:|---:|---:|---|---|"
    awk '
      function mlp(v) { return v == 10 || v == 100 || v == 256 || v == 784 }
      NF >= 11 && $(NF - 9) ~ /^(nn|nt|tn)$/ {
        name = $1
        for (i = 2; i <= NF - 10; i++) name = name " " $i
        m = $(NF - 8); k = $(NF - 7); n = $(NF - 6)
        gm = $(NF - 2); gb = $(NF - 1)
        r = gb > 0 ? gm / gb : 0
        if (mlp(m) && mlp(k) && mlp(n)) { want = "≥ 90%"; met = r >= 0.9 ? "yes" : "no" }
        else { want = "— (not an MLP shape)"; met = "—" }
        printf "| %s | %s | %s×%s×%s | %s | %s | %s | %.0f%% | %s | %s |\n",
               name, $(NF - 9), m, k, n, $(NF - 5), gm, gb, 100 * r, want, met
      }' "$gemm_out"
  else
    echo "$gemm_note"
  fi
} >"$WORK/report.md"

cp "$WORK/report.md" "$OUT"
cat "$OUT"
say "report saved as $OUT"
[ "$failed" = 0 ] || say "some measurements failed (see above)"
exit "$failed"
