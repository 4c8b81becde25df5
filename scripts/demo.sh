#!/bin/sh
# The README's first command: installs what is missing, builds mgc, then
# compiles two lessons to C and trains them: logistic regression (lab 5) and
# the 784-256-256-10 MLP on Fashion-MNIST (lab 9, the full 15 epochs).
set -eu
cd "$(dirname "$0")/.."
sh scripts/build.sh build
out=build/demo
mkdir -p "$out"
# libmgrt.a is static: a program linked by hand also links what it needs,
# zlib and, when it was built with OpenMP (MGC_OPENMP, the default), the
# OpenMP runtime.
omp=""
if nm build/libmgrt.a 2>/dev/null | grep -Eq ' U (GOMP_|omp_)'; then
  omp=-fopenmp
fi
for lesson in lab05_logistic lab09_mlp; do
  echo "== mgc examples/$lesson.mg -o $out/$lesson.c"
  build/mgc "examples/$lesson.mg" -o "$out/$lesson.c"
  cc -O3 -march=native -std=c11 "$out/$lesson.c" -Iruntime build/libmgrt.a -lz -lm $omp -o "$out/$lesson"
  echo "== ./$lesson"
  (cd examples && "../$out/$lesson" --progress)
done
