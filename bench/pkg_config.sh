#!/bin/sh
# bench/pkg_config.sh [BUILD_DIR] [RUNS]: lab 9's MLP built three ways, each
# run with --bench --threads 1, alternating (docs/building.md, "Measured"):
#   pc      cc train.c $(pkg-config --cflags --libs mgrt)   (an install of BUILD_DIR)
#   readme  cc -O3 -march=native train.c -Iruntime BUILD_DIR/libmgrt.a -lz -lm -fopenmp
#   plain   cc train.c -lmgrt -lm                             (no optimization; 2 runs)
# Prints one --bench line per run.  Needs Fashion-MNIST (scripts/setup.sh).
set -eu
cd "$(dirname "$0")/.."
build=$(cd "${1:-build}" && pwd)
runs=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
DESTDIR="$work/dest" cmake --install "$build" --prefix /p >/dev/null
mv "$work/dest/p" "$work/prefix"
"$build/mgc" -w examples/lab09_mlp.mg -o "$work/train.c"
cd "$work"
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
cc train.c $(pkg-config --cflags --libs mgrt) -o train_pc
cc -O3 -march=native train.c -I"$OLDPWD/runtime" "$build/libmgrt.a" -lz -lm -fopenmp -o train_readme
cc train.c -I"$work/prefix/include" -L"$work/prefix/lib" -lmgrt -lm -o train_plain
i=0
while [ "$i" -lt "$runs" ]; do
  for v in pc readme; do
    printf '%s ' "$v"; ./train_$v --bench --epochs 1 --threads 1 2>&1 | tail -1
  done
  i=$((i + 1))
done
for i in 1 2; do
  printf 'plain '; ./train_plain --bench --epochs 1 --threads 1 2>&1 | tail -1
done
