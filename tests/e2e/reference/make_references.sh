#!/bin/sh
# Regenerate the e2e reference logs from the PyTorch scripts beside this file.
# Needs Debian's python3-torch (PyTorch 1.13) and numpy under /usr/bin/python3,
# the reference BLAS and LAPACK (Debian libblas3, liblapack3), and Fashion-MNIST
# in /usr/share/datasets/fashion-mnist for the lab09 scripts.
# CI does not run this: the .log files are committed. See README.md.
set -eu
cd "$(dirname "$0")"
PY=/usr/bin/python3

# Debian's torch calls whatever libblas.so.3 the alternatives system selects;
# installing OpenBLAS switches it and changes the float32 rounding of every
# matmul. Pin the reference (Netlib) BLAS: sequential and deterministic.
MULTIARCH=$($PY -c 'import sysconfig; print(sysconfig.get_config_var("MULTIARCH"))')
NETLIB="/usr/lib/$MULTIARCH/blas:/usr/lib/$MULTIARCH/lapack"
for lib in "/usr/lib/$MULTIARCH/blas/libblas.so.3" "/usr/lib/$MULTIARCH/lapack/liblapack.so.3"; do
  [ -e "$lib" ] || { echo "make_references.sh: missing $lib (apt-get install libblas3 liblapack3)" >&2; exit 1; }
done
LD_LIBRARY_PATH="$NETLIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LD_LIBRARY_PATH

for script in *.py; do
  name=${script%.py}
  case $name in
    common) ;;
    lab09_*)
      # Long runs: the committed references are 2 epochs (`--epochs 2`).
      echo "$name (2 epochs)"
      $PY "$script" --epochs 2 > "$name.2ep.log.tmp"
      mv "$name.2ep.log.tmp" "$name.2ep.log"
      if [ "$name" = lab09_batchnorm ]; then
        # the first steps: 160 images, 4 epochs (e2e.lab09_batchnorm_small)
        echo "$name (160 images, 4 epochs)"
        $PY "$script" --images 160 --epochs 4 > "${name}_small.log.tmp"
        mv "${name}_small.log.tmp" "${name}_small.log"
      fi
      if [ "$name" = lab09_mlp ]; then
        # one epoch: what the MPI tests run (tests/mpi)
        echo "$name (1 epoch)"
        $PY "$script" --epochs 1 > "$name.1ep.log.tmp"
        mv "$name.1ep.log.tmp" "$name.1ep.log"
      fi ;;
    lab10_cnn)
      # CI's reference: the network on 200 images (tests/e2e/lab10_cnn_small.mg)
      echo "$name (200 images)"
      $PY "$script" --small > "${name}_small.log.tmp"
      mv "${name}_small.log.tmp" "${name}_small.log"
      # the whole lesson, lab10_cnn.15ep.log, only with MGREF_FULL=1: 15
      # epochs of the CNN take from a quarter of an hour to well over an
      # hour of one core (what the e2e suite's report compares by hand)
      if [ "${MGREF_FULL:-0}" = 1 ]; then
        echo "$name (15 epochs)"
        $PY "$script" > "$name.15ep.log.tmp"
        mv "$name.15ep.log.tmp" "$name.15ep.log"
      fi ;;
    *)
      echo "$name"
      $PY "$script" > "$name.log.tmp"
      mv "$name.log.tmp" "$name.log" ;;
  esac
done
