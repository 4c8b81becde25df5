#!/bin/sh
# Renders a plot the way a person sees it: `mgc plot` writes the SVG,
# headless Chromium takes an 800x600 screenshot of it, and pngcheck requires
# a picture that is neither blank nor filled and that shows each series'
# colour.  Exits 77 (CTest's SKIP_RETURN_CODE here) when Chromium is not
# installed (Debian package: chromium).
#
#   render.sh MGC PNGCHECK HISTORY WORK [RRGGBB MIN_PIXELS]...
set -eu
mgc=$1 pngcheck=$2 history=$3 work=$4
shift 4

browser=""
for name in chromium chromium-browser; do
  if command -v "$name" >/dev/null 2>&1; then
    browser=$(command -v "$name")
    break
  fi
done
if [ -z "$browser" ]; then
  echo "chromium is not installed (Debian: apt-get install chromium): rendering check skipped"
  exit 77
fi

rm -rf "$work"
mkdir -p "$work"
"$mgc" plot "$history" -o "$work/plot.svg"

# A throw-away profile, and no network or background activity: the page is
# a local file and the run must not depend on anything else.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
limit=""
command -v timeout >/dev/null 2>&1 && limit="timeout 120"
$limit "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --screenshot="$work/plot.png" --window-size=800,600 \
  "file://$work/plot.svg" >"$work/chromium.log" 2>&1 || {
  echo "chromium failed:"
  cat "$work/chromium.log"
  exit 1
}
if [ ! -s "$work/plot.png" ]; then
  echo "chromium wrote no screenshot:"
  cat "$work/chromium.log"
  exit 1
fi
"$pngcheck" "$work/plot.png" "$@"
