#!/bin/sh
# The README's second command: installs what is missing, builds, and runs
# the whole test suite with CTest.
set -eu
cd "$(dirname "$0")/.."
sh scripts/build.sh build
cd build
ctest --output-on-failure -j "$(nproc)" "$@"
