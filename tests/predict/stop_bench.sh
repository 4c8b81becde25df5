#!/bin/sh
# SIGINT during --bench: the steps timed so far are reported and the status
# is 130.  Bounded waits: a program that does not stop is killed.
#   stop_bench.sh PROGRAM WORK
set -u
prog=$1 work=$2
mkdir -p "$work"
env --default-signal=INT "$prog" --bench --epochs 100000000 > "$work/bench" 2> "$work/err" &
pid=$!
sleep 2
kill -INT "$pid"
i=0
while kill -0 "$pid" 2> /dev/null && [ $i -lt 600 ]; do
  sleep 0.1
  i=$((i + 1))
done
if kill -0 "$pid" 2> /dev/null; then
  kill -KILL "$pid"
  echo "FAIL: still running 60 s after SIGINT"
  exit 1
fi
wait "$pid"
status=$?
cat "$work/bench" "$work/err"
[ "$status" -eq 130 ] || { echo "FAIL: exit status $status, expected 130"; exit 1; }
grep -Eq "^bench: steps [1-9][0-9]* step_us_median" "$work/bench" || { echo "FAIL: no bench report"; exit 1; }
echo ok
