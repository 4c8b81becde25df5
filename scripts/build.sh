#!/bin/sh
# Configures and builds mgc and libmgrt into build/ (or $1), after setup.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
dir=${1:-build}
shift 2>/dev/null || true
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$dir" -j "$(nproc)"
