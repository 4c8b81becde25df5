#!/bin/sh
# A safe stop: starts a long training run, sends SIGNAL once it has logged
# its first line, and checks that it exits with status 130, says where it
# stopped, and leaves a checkpoint that loads and that training resumed
# from continues (a lower cost than a fresh start's).  Never hangs: every
# wait is bounded, and a program that does not stop is killed.
#   stop.sh PROGRAM WORK SIGNAL [PROGRAM ARGUMENTS...]
set -u
prog=$1 work=$2 sig=$3
shift 3
mkdir -p "$work"
ckpt=$work/stopped.safetensors
rm -f "$ckpt" "$work"/stopped.safetensors.tmp.*
fail() {
  echo "FAIL: $*"
  echo "--- stdout"; cat "$work/log"; echo "--- stderr"; cat "$work/err"
  exit 1
}
# Background jobs of a non-interactive shell ignore SIGINT, and the program
# keeps an ignored SIGINT ignored: give it the default action back.
env --default-signal=INT "$prog" "$@" --epochs 100000000 --log-every 100000000 --save "$ckpt" \
  > "$work/log" 2> "$work/err" &
pid=$!
i=0
while [ ! -s "$work/log" ] && kill -0 "$pid" 2> /dev/null && [ $i -lt 1200 ]; do
  sleep 0.1
  i=$((i + 1))
done
kill -0 "$pid" 2> /dev/null || fail "the program ended before it was signalled"
[ -s "$work/log" ] || { kill -KILL "$pid"; fail "no log line within 120 s"; }
sleep 0.5
kill -s "$sig" "$pid"
i=0
while kill -0 "$pid" 2> /dev/null && [ $i -lt 600 ]; do
  sleep 0.1
  i=$((i + 1))
done
if kill -0 "$pid" 2> /dev/null; then
  kill -KILL "$pid"
  fail "still running 60 s after SIG$sig"
fi
wait "$pid"
status=$?
[ "$status" -eq 130 ] || fail "exit status $status, expected 130"
grep -Eq "stopped at epoch [0-9]+, step [0-9]+" "$work/err" || fail "no 'stopped at epoch E, step S' on stderr"
grep -q "saved the params to $ckpt" "$work/err" || fail "no word of the save"
[ -s "$ckpt" ] || fail "no checkpoint at $ckpt"
ls "$work"/stopped.safetensors.tmp.* > /dev/null 2>&1 && fail "a temporary checkpoint was left behind"
echo "stopped: $(cat "$work/err")"

# The checkpoint loads, and training resumed from it continues: its first
# logged cost is below a fresh start's.
cost() { sed -n 's/^Epoch *1\/1 Cost: \([0-9.]*\).*/\1/p' "$1"; }
"$prog" "$@" --epochs 1 --log-every 1 --load "$ckpt" > "$work/resumed" 2> "$work/err" ||
  fail "--load of the checkpoint failed"
"$prog" "$@" --epochs 1 --log-every 1 > "$work/fresh" 2> "$work/err" || fail "a fresh run failed"
resumed=$(cost "$work/resumed")
fresh=$(cost "$work/fresh")
echo "epoch 1 cost: resumed $resumed, fresh $fresh"
[ -n "$resumed" ] && [ -n "$fresh" ] || fail "no epoch 1 cost line"
awk -v r="$resumed" -v f="$fresh" 'BEGIN { exit !(r < f) }' || fail "the resumed run does not continue from the checkpoint"
echo "ok"
