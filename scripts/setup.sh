#!/bin/sh
# Installs what building and testing mgc needs on a Debian machine, if it is
# missing.  Run as root (or with sudo available).  Safe to run again.
set -eu

PACKAGES="cmake make gcc clang flex bison zlib1g-dev libclang-dev llvm-14-tools libclang-rt-14-dev
          libomp-dev dataset-fashion-mnist graphviz chromium libxml2-utils python3-numpy
          pkgconf groff-base openmpi-bin libopenmpi-dev libopenblas-dev"


missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "setup: installing$missing" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
