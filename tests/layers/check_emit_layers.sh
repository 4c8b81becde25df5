#!/bin/sh
# check_emit_layers.sh COMPILER_DIR: fails if a layer of the C emitter
# (COMPILER_DIR/emit/) reaches up into a higher one, or if the rest of the
# compiler reaches into the emitter past its entry points (emit/emit.h).
#
# The layers, bottom to top: base, kernels, step, program (emit/emit.h,
# the entry points, belongs to program).  A file may include the headers of
# its own layer and of the layers below it, and call the functions they
# declare; a function declared in a higher layer's header may not even be
# named in a lower layer's files (a call without the #include would still
# link).  Prints every violation as FILE:LINE: what, and exits 1 if any.
set -u
root=${1:?usage: check_emit_layers.sh COMPILER_DIR}
emit=$root/emit
[ -d "$emit/base" ] || { echo "check_emit_layers: no $emit/base" >&2; exit 2; }
layers="base kernels step program"
bad=0

rank() {  # the rank of a layer by name, 0 at the bottom
  r=0
  for l in $layers; do
    [ "$l" = "$1" ] && { echo $r; return; }
    r=$((r + 1))
  done
  echo 99
}

# The functions a layer's headers declare (program: emit/emit.h too).
declared() {
  files=$(ls "$emit/$1"/*.h 2>/dev/null)
  [ "$1" = program ] && files="$files $emit/emit.h"
  # a declaration: a line that starts with a type and names emit_NAME(
  sed -n 's/^[A-Za-z][A-Za-z0-9_ *]*[ *]\(emit_[a-z0-9_]*\)(.*/\1/p' $files | sort -u
}

# each layer's function names as one alternation, found once
for l in $layers; do
  eval "names_$l='$(declared $l | tr '\n' '|' | sed 's/|$//')'"
done

for l in $layers; do
  me=$(rank $l)
  for f in "$emit/$l"/*.c "$emit/$l"/*.h; do
    [ -f "$f" ] || continue
    # includes of a higher layer's header
    grep -n '#include "emit/' "$f" | while IFS= read -r line; do
      inc=$(echo "$line" | sed 's/.*#include "emit\/\([^"]*\)".*/\1/')
      case $inc in
        emit.h) to=program ;;
        */*) to=${inc%%/*} ;;
        *) to=unknown ;;
      esac
      if [ "$(rank $to)" -gt "$me" ]; then
        echo "$f:${line%%:*}: layer $l includes $inc, from the higher layer $to"
      fi
    done
    # names of a higher layer's functions
    for up in $layers; do
      [ "$(rank $up)" -gt "$me" ] || continue
      eval "names=\$names_$up"
      [ -n "$names" ] || continue
      grep -nowE "$names" "$f" | while IFS=: read -r n fn; do
        echo "$f:$n: layer $l names $fn, declared in the higher layer $up"
      done
    done
  done
done > "${TMPDIR:-/tmp}/emit_layers.$$"

# The rest of the compiler: emit/emit.h only.
for f in "$root"/*.c "$root"/*.h "$root"/passes/*.c "$root"/passes/*.h; do
  [ -f "$f" ] || continue
  grep -n '#include "emit/' "$f" | grep -v '#include "emit/emit.h"' | while IFS= read -r line; do
    echo "$f:${line%%:*}: outside the emitter, includes ${line#*#include } (only emit/emit.h is its interface)"
  done
done >> "${TMPDIR:-/tmp}/emit_layers.$$"

if [ -s "${TMPDIR:-/tmp}/emit_layers.$$" ]; then
  cat "${TMPDIR:-/tmp}/emit_layers.$$"
  bad=1
fi
rm -f "${TMPDIR:-/tmp}/emit_layers.$$"
if [ $bad = 0 ]; then
  n=$(ls "$emit"/*/*.c | wc -l)
  echo "ok: $n files in 4 layers, nothing reaches up"
fi
exit $bad
