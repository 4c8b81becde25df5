#!/bin/sh
# The benchmark suite (bench/README.md): builds mgc, compiles every workload
# to C with -O3 -march=native, times its training step with the generated
# program's --bench, times the same step in PyTorch (when /usr/bin/python3 can
# import torch), measures the machine's FMA peak and memory bandwidth
# (bench/peak.c) and times a hand-written C + OpenBLAS step of the lab 9 MLP
# (bench/mlp_openblas.c) in the same rounds, runs bench/gemm_bench.c's matmul
# comparison and bench/step_bench.c when they are there, times the lab 10
# CNN (examples/lab10_cnn.mg when it exists, and the same step written by
# hand on libmgrt, bench/cnn_step.c) and its convolutions one by one
# (bench/conv_bench.c), and prints a Markdown report on stdout, also saved
# as bench/results.md.
# Progress goes to stderr.
#
#   sh bench/run.sh
#
# Environment: BENCH_BUILD_DIR (default build-bench), BENCH_ROUNDS (default 3:
# every measurement is taken that many times, interleaving mgc and PyTorch,
# and the lowest median is kept), BENCH_OUT (default bench/results.md),
# PYTHON (default /usr/bin/python3), CC (default cc), BENCH_ONLY (cnn: only
# the lab 10 CNN, its convolutions, pooling and batch norm and the machine's
# limits; the other rows of the report stay empty).
# Benchmarks measure; they never fail on a missed target.  The exit status is
# non-zero only when a workload could not be built or run.
set -eu
cd "$(dirname "$0")/.."

BUILD=${BENCH_BUILD_DIR:-build-bench}
ROUNDS=${BENCH_ROUNDS:-3}
OUT=${BENCH_OUT:-bench/results.md}
PY=${PYTHON:-/usr/bin/python3}
CC=${CC:-cc}
ONLY=${BENCH_ONLY:-}
case "$ONLY" in
  "" | cnn) ;;
  *) echo "bench: BENCH_ONLY must be empty or cnn, not '$ONLY'" >&2; exit 2 ;;
esac
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
lab09_dropout:examples/lab09_dropout.mg
lab09_nodropout:bench/lab09_nodropout.mg
lab10_cnn:examples/lab10_cnn.mg
synthetic_softmax:bench/synthetic_softmax.mg"

missing_note=""
for entry in $WORKLOADS; do
  name=${entry%%:*}
  src=${entry#*:}
  if [ "$ONLY" = cnn ] && [ "$name" != lab10_cnn ]; then
    rm -f "$WORK/$name"
    continue
  fi
  if [ ! -f "$src" ]; then
    # a workload whose program is not written yet (the lab 10 CNN before
    # the compiler has convolutions): reported as missing, not a failure
    say "$src is not there: $name is skipped"
    missing_note="$missing_note $src"
    rm -f "$WORK/$name"
    continue
  fi
  say "compiling $src"
  # shellcheck disable=SC2086
  if ! { "$BUILD/mgc" -O2 "$src" -o "$WORK/$name.c" &&
         $CC $cflags "$WORK/$name.c" -Iruntime "$BUILD/libmgrt.a" -lz -lm -o "$WORK/$name"; }; then
    say "error: $name did not build"
    rm -f "$WORK/$name"
    failed=1
  fi
done

# The machine's limits and the hand-written reference step.  peak.c's FMA
# loop needs its multiply-adds fused (-ffp-contract=fast; -std=c11 alone
# keeps them apart).
say "building bench/peak.c and bench/mlp_openblas.c"
# shellcheck disable=SC2086
if ! $CC -O3 -march=native -std=c11 -ffp-contract=fast $omp_flags bench/peak.c -o "$WORK/peak"; then
  say "error: bench/peak.c did not build"
  rm -f "$WORK/peak"
  failed=1
fi
openblas_note=""
if ! $CC -O3 -march=native -std=c11 bench/mlp_openblas.c -lopenblas -lm -o "$WORK/mlp_openblas" \
     2>"$WORK/mlp_openblas_build.err"; then
  rm -f "$WORK/mlp_openblas"
  openblas_note="bench/mlp_openblas.c did not build (OpenBLAS's cblas.h and -lopenblas are needed: Debian libopenblas-dev): $(head -n 3 "$WORK/mlp_openblas_build.err" | tr '\n' ' ')"
fi

# The lab 10 CNN's step by hand on libmgrt, its convolutions alone, and
# pooling and batch norm alone.
for b in cnn_step conv_bench layer_bench; do
  # shellcheck disable=SC2086
  if ! $CC $cflags -Iruntime "bench/$b.c" "$BUILD/libmgrt.a" -lz -lm -o "$WORK/$b"; then
    say "error: bench/$b.c did not build"
    rm -f "$WORK/$b"
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
  elif [ "$2" = libmgrt ]; then
    label="threads=$thr"
  elif [ "$2" = openblas ]; then
    label="openblas=$thr"
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

# run_openblas KEY THREADS: the hand-written step, as many steps as an epoch
run_openblas() {
  [ -x "$WORK/mlp_openblas" ] || return 0
  say "  C+OpenBLAS $1"
  OMP_NUM_THREADS=$2 "$WORK/mlp_openblas" --threads "$2" --steps 600 >"$WORK/out" 2>"$WORK/out.err" || true
  record "$1.openblas" openblas "$WORK/out"
}

# run_cnn_step KEY THREADS: the lab 10 CNN's step by hand on libmgrt
# (bench/cnn_step.c), an epoch's 600 steps; its "parts:" line (microseconds
# a step in each kind of kernel) is kept with the median in $RES/KEY.parts
run_cnn_step() {
  [ -x "$WORK/cnn_step" ] || return 0
  say "  libmgrt by hand $1"
  OMP_NUM_THREADS=$2 "$WORK/cnn_step" --threads "$2" --steps 600 >"$WORK/out" 2>"$WORK/out.err" || true
  record "$1.libmgrt" libmgrt "$WORK/out"
  med=$(field step_us_median <"$WORK/out")
  [ -z "$med" ] || echo "$med $(sed -n 's/^parts: //p' "$WORK/out")" >>"$RES/$1.parts"
}

# run_conv_bench: bench/conv_bench.c's "conv:" lines, "name threads ms gflop"
# appended to $RES/conv (the report keeps each one's fastest round)
run_conv_bench() {
  [ -x "$WORK/conv_bench" ] || return 0
  say "  convolutions (bench/conv_bench.c)"
  if "$WORK/conv_bench" 20 >"$WORK/out" 2>"$WORK/out.err"; then
    awk '/^conv:/ { print $2, $4, $6, $8 }' "$WORK/out" >>"$RES/conv"
  else
    say "error: bench/conv_bench failed"
    failed=1
  fi
}

# run_layer_bench: bench/layer_bench.c's "layer:" lines (pooling and batch
# norm at 1 and 2 threads), "name threads ms gbs" appended to $RES/layer
run_layer_bench() {
  [ -x "$WORK/layer_bench" ] || return 0
  say "  pooling and batch norm (bench/layer_bench.c)"
  for t in 1 2; do
    if OMP_NUM_THREADS=$t "$WORK/layer_bench" 50 "$t" >"$WORK/out" 2>"$WORK/out.err"; then
      awk '/^layer:/ { print $2, $4, $6, $8 }' "$WORK/out" >>"$RES/layer"
    else
      say "error: bench/layer_bench failed"
      failed=1
    fi
  done
}

# run_peak: the FMA peak and bandwidth on 1 and 2 threads, one line
# "fma1 fma2 bw1 bw2" appended to $RES/peak (the report keeps the highest)
run_peak() {
  [ -x "$WORK/peak" ] || return 0
  say "  peak FMA and bandwidth"
  if "$WORK/peak" 2 >"$WORK/out" 2>"$WORK/out.err"; then
    awk '/^peak:/ { print $3, $5, $7, $9 }' "$WORK/out" >>"$RES/peak"
  else
    say "error: bench/peak failed"
    failed=1
  fi
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

# run_others: every workload but the CNN, once
run_others() {
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
  run_openblas lab09_mlp.1 1
  run_openblas lab09_mlp.2 2
  run_mgc lab09_dropout.1 lab09_dropout 1 --epochs 1
  run_torch lab09_dropout.1 lab09_dropout 1 1 --epochs 1
  run_mgc lab09_dropout.2 lab09_dropout 2 --epochs 1
  run_mgc lab09_nodropout.1 lab09_nodropout 1 --epochs 1
  run_mgc lab09_nodropout.2 lab09_nodropout 2 --epochs 1
}


load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
round=1
while [ "$round" -le "$ROUNDS" ]; do
  say "round $round of $ROUNDS"
  run_peak
  [ "$ONLY" = cnn ] || run_others
  # the lab 10 CNN: the compiled program, the step by hand on libmgrt, and
  # PyTorch at 1 thread and in its best 2-core setting
  run_mgc lab10_cnn.1 lab10_cnn 1 --epochs 1
  run_cnn_step lab10_cnn.1 1
  run_torch lab10_cnn.1 lab10_cnn 1 1 --epochs 1
  run_mgc lab10_cnn.2 lab10_cnn 2 --epochs 1
  run_cnn_step lab10_cnn.2 2
  for tb in "2 2" "2 1" "1 2" "1 1"; do
    # shellcheck disable=SC2086
    set -- $tb
    run_torch lab10_cnn.2 lab10_cnn "$1" "$2" --epochs 1
  done
  run_conv_bench
  run_layer_bench
  round=$((round + 1))
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

# ---- the matmul comparison ---------------------------------------------------------------
gemm_note=""
gemm_out=""
if [ "$ONLY" = cnn ]; then
  gemm_note="BENCH_ONLY=cnn: the matmul comparison is skipped."
elif [ ! -f bench/gemm_bench.c ]; then
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

# ---- the step's other kernels (bench/step_bench.c) -------------------------------------------
step_out=""
if [ "$ONLY" != cnn ] && [ -f bench/step_bench.c ]; then
  say "building and running bench/step_bench.c"
  # shellcheck disable=SC2086
  if $CC $cflags -Iruntime bench/step_bench.c "$BUILD/libmgrt.a" -lz -lm -o "$WORK/step_bench" &&
     "$WORK/step_bench" >"$WORK/step.out" 2>&1; then
    step_out=$WORK/step.out
  else
    say "error: bench/step_bench.c did not build or run"
    failed=1
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

# cnn_report: the lab 10 CNN against the machine's limit (needs fma1 and fma2)
cnn_report() {
  echo
  echo "### The lab 10 CNN"
  echo
  echo "FLOP per step of lab10_cnn (2 per multiply-add, counted from the shapes; ReLU, pooling, the loss and Adam not counted): conv1 forward 45.2 M and weight gradient 45.2 M (its input is the data: no input gradient), conv2 forward, input gradient and weight gradient 722.5 M each, the linear layer 6.3 M forward and 6.3 M for each of its two gradients: 2276.7 M in all, 99% of it in the convolutions."
  echo
  for t in 1 2; do
    p=$(sort -n -k1,1 "$RES/lab10_cnn.$t.parts" 2>/dev/null | head -n 1)
    [ -n "$p" ] || continue
    echo "$p" | awk -v t="$t" '{
      printf "Where bench/cnn_step.c'"'"'s step goes at %d thread(s) (µs a step, mean over its round with the lowest median of %.0f µs): convolutions %s, pooling %s, ReLU and its gradient %s, the linear layer and loss %s, Adam %s.\n\n", t, $1, $3, $5, $7, $9, $11 }'
  done
  a=$(best lab10_cnn.1.libmgrt | cut -d' ' -f1)
  b=$(best lab10_cnn.2.libmgrt | cut -d' ' -f1)
  c=$(best lab10_cnn.1.mgc | cut -d' ' -f1)
  d=$(best lab10_cnn.2.mgc | cut -d' ' -f1)
  awk -v a="$a" -v b="$b" -v c="$c" -v d="$d" 'BEGIN {
    s = ""
    if (c > 0 && d > 0) s = sprintf("lab10_cnn %.2f×, ", c / d)
    if (a > 0 && b > 0) s = s sprintf("the step by hand on libmgrt %.2f×, ", a / b)
    if (s != "") printf "Two threads against one: %s.\n\n", substr(s, 1, length(s) - 2) }'
  if [ -s "$RES/conv" ]; then
    echo "The convolutions alone (bench/conv_bench.c: each call's median of 20, the fastest round; share of the FMA peak above, 1 or 2 threads; target: above 70% at 1 thread):"
    echo
    echo "| convolution | threads | ms | GFLOP/s | share of FMA peak |"
    echo "|---|---:|---:|---:|---:|"
    sort -k2,2n -k1,1 -k3,3n "$RES/conv" | awk -v p1="$fma1" -v p2="$fma2" '
      !seen[$1 " " $2]++ {
        p = $2 == 1 ? p1 : p2; g = $4 / ($3 * 1e-3)
        printf "| %s | %d | %.3f | %.1f | %.0f%% |\n", $1, $2, $3, g, 100 * g / p
        ms[$2] += $3; gf[$2] += $4 }
      END { for (t = 1; t <= 2; t++) if (ms[t] > 0) {
        p = t == 1 ? p1 : p2; g = gf[t] / (ms[t] * 1e-3)
        printf "| all five | %d | %.3f | %.1f | %.0f%% |\n", t, ms[t], g, 100 * g / p } }'
    echo
    awk -v p1="$fma1" '{ if (!seen[$1 " " $2]++ && $2 == 1) { ms += $3; gf += $4 } }
      END { if (ms > 0) { s = 100 * gf / (ms * 1e-3) / p1
        printf "Convolutions above 70%% of the FMA peak at 1 thread (all five together): %s (%.0f%%).\n", (s > 70 ? "met" : "not met"), s } }' \
      "$(sort -k2,2n -k1,1 -k3,3n "$RES/conv" >"$RES/conv.sorted" && echo "$RES/conv.sorted")"
  fi
  if [ -s "$RES/layer" ]; then
    echo
    echo "Pooling and batch norm alone (bench/layer_bench.c: each call's median of 50, the fastest round), in GB/s of the arrays they must read and write, next to the triad's bandwidth above:"
    echo
    echo "| kernel | threads | ms | GB/s | share of the triad's bandwidth |"
    echo "|---|---:|---:|---:|---:|"
    sort -k2,2n -k1,1 -k3,3n "$RES/layer" | awk -v b1="$bw1" -v b2="$bw2" '
      !seen[$1 " " $2]++ { b = $2 == 1 ? b1 : b2
        printf "| %s | %d | %.3f | %.1f | %.0f%% |\n", $1, $2, $3, $4, 100 * $4 / b }'
  fi
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
cnn1_torch=$(best lab10_cnn.1.torch)
cnn2_torch=$(best lab10_cnn.2.torch)

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
  row "lab09_dropout (lab 9-5, 784-512×4-10, dropout 0.3), 1 thread" lab09_dropout.1.mgc "$(best lab09_dropout.1.torch)" 2 "≥ 2×"
  row "lab10_cnn, 1 thread (batch 100, one epoch)" lab10_cnn.1.mgc "$cnn1_torch" 2 "≥ 2×"
  row "lab10_cnn, 2 threads vs PyTorch's best 2-core setting" lab10_cnn.2.mgc "$cnn2_torch" 2 "≥ 2×"
  row "lab10_cnn's step by hand on libmgrt (bench/cnn_step.c), 1 thread" lab10_cnn.1.libmgrt "$cnn1_torch" 2 "≥ 2×"
  row "lab10_cnn's step by hand on libmgrt, 2 threads vs PyTorch's best 2-core setting" lab10_cnn.2.libmgrt "$cnn2_torch" 2 "≥ 2×"
  echo
  if [ -n "$missing_note" ]; then
    echo "Not there yet, so not timed (their rows are empty):$missing_note."
    echo
  fi
  if [ -z "$omp_flags" ]; then
    echo "libmgrt was built without OpenMP: the mgc program's \"2 threads\" run used one thread."
    echo
  fi
  if [ -n "$mlp2_torch" ]; then
    echo "PyTorch's best 2-core setting for lab09_mlp: ${mlp2_torch##* } (of torch threads × OpenBLAS threads in {1, 2}²)."
    echo
  fi
  if [ -n "$cnn2_torch" ]; then
    echo "PyTorch's best 2-core setting for lab10_cnn: ${cnn2_torch##* }."
    echo
  fi
  echo "### Details"
  echo
  echo "For each measurement, the round with the lowest median; min is that round's fastest step, samples/s is rows per median step."
  echo
  echo "| measurement | side | setting | steps | median µs | min µs | samples/s |"
  echo "|---|---|---|---:|---:|---:|---:|"
  for key in lab05_logistic lab05_diabetes lab06_softmax_lowlevel lab06_zoo lab08_xor lab09_mlp.1 lab09_mlp.2 synthetic_softmax \
             lab09_dropout.1 lab09_dropout.2 lab09_nodropout.1 lab09_nodropout.2 lab10_cnn.1 lab10_cnn.2; do
    detail "$key" mgc
    detail "$key" libmgrt
    detail "$key" torch
    detail "$key" openblas
  done
  if [ -s "$RES/lab09_mlp.2.torch" ]; then
    echo
    echo "PyTorch lab09_mlp settings on 2 cores (median µs, best round):"
    echo
    echo "| setting | median µs |"
    echo "|---|---:|"
    sort -n -k1,1 "$RES/lab09_mlp.2.torch" | awk '!seen[$7]++ { printf "| %s | %.1f |\n", $7, $1 }'
  fi
  if [ -s "$RES/lab10_cnn.2.torch" ]; then
    echo
    echo "PyTorch lab10_cnn settings on 2 cores (median µs, best round):"
    echo
    echo "| setting | median µs |"
    echo "|---|---:|"
    sort -n -k1,1 "$RES/lab10_cnn.2.torch" | awk '!seen[$7]++ { printf "| %s | %.1f |\n", $7, $1 }'
  fi
  echo
  echo "## Against the machine's limit"
  echo
  peak=$(sort -n -k1,1 "$RES/peak" 2>/dev/null | tail -n 1)
  if [ -n "$peak" ]; then
    # the highest of the rounds, each figure on its own
    # shellcheck disable=SC2046
    set -- $(awk '{ for (i = 1; i <= 4; i++) if ($i > m[i]) m[i] = $i } END { print m[1], m[2], m[3], m[4] }' "$RES/peak")
    fma1=$1 fma2=$2 bw1=$3 bw2=$4
    echo "Measured in this run by \`bench/peak.c\` (the highest of the rounds): FMA peak $fma1 GFLOP/s on 1 thread, $fma2 GFLOP/s on 2 (a register-only loop of fused multiply-adds, single precision); memory bandwidth $bw1 GB/s on 1 thread, $bw2 GB/s on 2 (STREAM triad over 3 × 64 MiB)."
    echo
    echo "FLOP per step are the matrix products' (2·m·k·n each; the elementwise work, the loss and the update are not counted): lab 9 MLP 121.1 M, lab 9-5 network 635.5 M."
    echo
    echo "| step | threads | µs/step | GFLOP/s | share of FMA peak | PyTorch/mgc |"
    echo "|---|---:|---:|---:|---:|---:|"
    # limit LABEL KEY SIDE THREADS FLOP TORCH_LINE
    limit() {
      l=$(best "$2.$3")
      [ -n "$l" ] || return 0
      us=${l%% *}
      tu=${6%% *}
      awk -v label="$1" -v us="$us" -v t="$4" -v flop="$5" -v p1="$fma1" -v p2="$fma2" -v tu="$tu" 'BEGIN {
        g = flop / (us * 1e3); p = t == 1 ? p1 : p2
        r = tu != "" && us > 0 ? sprintf("%.2f×", tu / us) : "—"
        printf "| %s | %d | %.0f | %.1f | %.0f%% | %s |\n", label, t, us, g, 100 * g / p, r }'
    }
    limit "lab09_mlp (mgc)" lab09_mlp.1 mgc 1 121139200 "$(best lab09_mlp.1.torch)"
    limit "lab09_mlp (mgc)" lab09_mlp.2 mgc 2 121139200 "$mlp2_torch"
    limit "lab09_mlp by hand, C + OpenBLAS (bench/mlp_openblas.c)" lab09_mlp.1 openblas 1 121139200 "$(best lab09_mlp.1.torch)"
    limit "lab09_mlp by hand, C + OpenBLAS (bench/mlp_openblas.c)" lab09_mlp.2 openblas 2 121139200 "$mlp2_torch"
    limit "lab09_dropout (mgc)" lab09_dropout.1 mgc 1 635494400 "$(best lab09_dropout.1.torch)"
    limit "lab09_dropout (mgc)" lab09_dropout.2 mgc 2 635494400 ""
    limit "lab09_nodropout (mgc)" lab09_nodropout.1 mgc 1 635494400 ""
    limit "lab09_nodropout (mgc)" lab09_nodropout.2 mgc 2 635494400 ""
    limit "lab10_cnn (mgc)" lab10_cnn.1 mgc 1 2276736000 "$cnn1_torch"
    limit "lab10_cnn (mgc)" lab10_cnn.2 mgc 2 2276736000 "$cnn2_torch"
    limit "lab10_cnn by hand on libmgrt (bench/cnn_step.c)" lab10_cnn.1 libmgrt 1 2276736000 "$cnn1_torch"
    limit "lab10_cnn by hand on libmgrt (bench/cnn_step.c)" lab10_cnn.2 libmgrt 2 2276736000 "$cnn2_torch"
    echo
    awk -v a="$(best lab09_mlp.1.mgc | cut -d' ' -f1)" -v b="$(best lab09_mlp.2.mgc | cut -d' ' -f1)" \
        -v c="$(best lab09_dropout.1.mgc | cut -d' ' -f1)" -v d="$(best lab09_dropout.2.mgc | cut -d' ' -f1)" \
        -v e="$(best lab09_nodropout.1.mgc | cut -d' ' -f1)" 'BEGIN {
      if (a > 0 && b > 0) printf "Two threads against one: lab09_mlp %.2f×", a / b
      if (c > 0 && d > 0) printf ", lab09_dropout %.2f×", c / d
      if (c > 0 && e > 0) printf ". The dropout masks: lab09_dropout'"'"'s step is %.1f%% slower than lab09_nodropout'"'"'s (1 thread)", 100 * (c / e - 1)
      print "." }'
    cnn_report
  else
    echo "bench/peak.c did not run: no figures for the machine's limit."
  fi
  [ -z "$openblas_note" ] || { echo; echo "$openblas_note"; }
  if [ -n "$step_out" ]; then
    echo
    echo "### The step's other kernels (bench/step_bench.c)"
    echo
    echo '```'
    cat "$step_out"
    echo '```'
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
