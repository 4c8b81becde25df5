#!/bin/sh
# Regenerates tests/predict's reference files: builds each case's program,
# saves its checkpoint as the test does (the programs are deterministic),
# and computes the expected predictions in PyTorch 1.13 (make_references.py).
#   sh tests/predict/make_references.sh [BUILD_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
py=/usr/bin/python3
$py "$here/make_references.py" idx /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz \
  "$here/fashion20-idx3-ubyte.gz"
# case  model  arguments of the training run  predict file
while read -r case mg file args; do
  "$build/mgc" -w "$mg" -o "$work/$case.c"
  cc -O2 "$work/$case.c" -I "$root/runtime" "$build/libmgrt.a" -lz -lm -fopenmp -o "$work/$case"
  # shellcheck disable=SC2086
  "$work/$case" $args --save "$work/$case.safetensors" > /dev/null
  $py "$here/make_references.py" "$case" "$work/$case.safetensors" "$here/$file" > "$here/$case.expected.csv"
  echo "wrote $case.expected.csv"
done <<LIST
lab05_logistic $root/examples/lab05_logistic.mg logistic_new.csv --quiet
zoo_mlp $here/zoo_mlp.mg zoo_new.csv --data-dir $root/examples
fashion_mlp $here/fashion_mlp.mg fashion20-idx3-ubyte.gz --epochs 0 --predict $here/fashion20-idx3-ubyte.gz
sequence_next $here/sequence_next.mg ../e2e/hihello.csv --data-dir $root/tests/e2e
LIST
