#!/bin/sh
# The README's first command: installs what is missing, builds mgc, then
# compiles two lessons to C and trains them: logistic regression (lab 5) and
# the 784-256-256-10 MLP on Fashion-MNIST (lab 9, the full 15 epochs).
set -eu
cd "$(dirname "$0")/.."
sh scripts/build.sh build
out=build/demo
mkdir -p "$out"
for lesson in lab05_logistic lab09_mlp; do
  echo "== mgc examples/$lesson.mg -o $out/$lesson.c"
  build/mgc "examples/$lesson.mg" -o "$out/$lesson.c"
  cc -O2 -march=native -std=c11 "$out/$lesson.c" -Iruntime build/libmgrt.a -lz -lm -o "$out/$lesson"
  echo "== ./$lesson"
  (cd examples && "../$out/$lesson" --progress)
done
