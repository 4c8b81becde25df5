#!/bin/sh
# Faults in a job of several processes: each case must end the whole job
# with a non-zero status and one clear message, within seconds, leaving no
# process waiting.  Every run is under a timeout (timeout(1) kills a job
# that hangs, and the test then fails).
#   faults.sh CASE WORK MGC CC RUNTIME_INCLUDE RUNTIME_LIB MPIRUN EXAMPLES BAD_DIR LIBS...
# CASE: missing_file, bad_row_one_rank, bad_checkpoint, save_unwritable,
#       rank_killed, batch_norm (refused in a job); and bench (--bench's processes stop together), predict
#       (rank 0 alone writes the predictions) and stop (SIGTERM to one rank:
#       every rank stops after the same step, rank 0 saves, status 130).
set -u
case_name=$1 work=$2 mgc=$3 cc=$4 include=$5 lib=$6 mpirun=$7 examples=$8 bad=$9
shift 9
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

flags="--oversubscribe"
[ "$(id -u)" -eq 0 ] && flags="$flags --allow-run-as-root"

build() {  # build MG as ./train: build MG LIBS...
  mg=$1
  shift
  "$mgc" -w "$mg" -o train.c && "$cc" -std=c11 -O2 train.c -I "$include" "$lib" "$@" -o train 2>build.err ||
    { echo "FAIL: cannot build $mg"; cat build.err; exit 1; }
}
# expect STATUS_NONZERO REGEX COUNT: the job failed, and stderr matches REGEX
# on exactly COUNT lines
expect() {
  rc=$1 regex=$2 count=$3
  if [ "$rc" -eq 0 ]; then echo "FAIL: the job exited with 0"; cat err.log; exit 1; fi
  if [ "$rc" -eq 124 ]; then echo "FAIL: the job was still running after the timeout"; cat err.log; exit 1; fi
  found=$(grep -c -E "$regex" err.log)
  if [ "$found" -ne "$count" ]; then
    echo "FAIL: stderr has $found lines matching '$regex', expected $count:"; cat err.log; exit 1
  fi
  echo "ok: status $rc, stderr:"; cat err.log
}

# signal_a_rank SIGNAL WHAT ARGS...: starts `mpirun -np 2 ./train ARGS` in the
# background, waits for its first log line, sends SIGNAL to one of its ranks
# (the last one pgrep lists) and waits at most 30 s for the job to end.
# Leaves the job's status in $rc.
signal_a_rank() {
  sig=$1 what=$2
  shift 2
  "$mpirun" $flags -np 2 ./train "$@" >out.log 2>err.log &
  job=$!
  victim=""
  for i in $(seq 1 100); do  # wait for the ranks to train (the first log line)
    sleep 0.1
    [ -s out.log ] && victim=$(pgrep -P "$job" -x train | tail -n 1) && [ -n "$victim" ] && break
  done
  if [ -z "$victim" ]; then echo "FAIL: the job did not start"; kill "$job"; cat err.log; exit 1; fi
  kill "-$sig" "$victim"
  for i in $(seq 1 300); do  # at most 30 s
    kill -0 "$job" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$job" 2>/dev/null; then
    echo "FAIL: the job was still running 30 s after $what"; kill -9 "$job"; exit 1
  fi
  wait "$job"
  rc=$?
}

libs="$*"
case $case_name in
missing_file)
  # every rank misses the file: one message, from one rank
  "$mgc" -w "$bad/missing_file.mg" -o train.c && "$cc" -std=c11 -O2 train.c -I "$include" "$lib" $libs -o train || exit 1
  timeout 60 "$mpirun" $flags -np 3 ./train --data-dir "$bad" >out.log 2>err.log
  expect $? "error: .*no_such_file.csv: cannot open" 1
  [ -s out.log ] && { echo "FAIL: training lines were printed"; exit 1; }
  ;;
batch_norm)
  # batch norm's statistics are the whole batch's: a job of several processes
  # is refused at start, once; one process trains
  build "$bad/../batch_norm_full.mg" $libs
  timeout 60 "$mpirun" $flags -np 2 ./train >out.log 2>err.log
  expect $? "error: batch norm is not supported with more than one process" 1
  [ -s out.log ] && { echo "FAIL: training lines were printed"; exit 1; }
  timeout 60 "$mpirun" $flags -np 1 ./train --epochs 1 >out.log 2>err.log ||
    { echo "FAIL: one process did not train"; cat err.log; exit 1; }
  grep -q "^Epoch    1/1 Cost: " out.log || { echo "FAIL: no log line from one process"; cat out.log; exit 1; }
  ;;
bad_row_one_rank)
  # rank 1 alone reads a bad file (its --data-dir differs): its message, once
  mkdir good
  printf '# x1,x2,y\n1,2,0\n2,3,0\n3,1,1\n4,3,1\n' >good/short_row.csv
  "$mgc" -w "$bad/short_row.mg" -o train.c && "$cc" -std=c11 -O2 train.c -I "$include" "$lib" $libs -o train || exit 1
  timeout 60 "$mpirun" $flags -np 1 ./train --data-dir good : -np 1 ./train --data-dir "$bad" >out.log 2>err.log
  expect $? "error: .*short_row.csv:4: expected 3 columns, found 2" 1
  ;;
bad_checkpoint)
  printf 'not a safetensors file at all\n' >bad.safetensors
  "$mgc" -w "$examples/lab06_zoo.mg" -o train.c && "$cc" -std=c11 -O2 train.c -I "$include" "$lib" $libs -o train || exit 1
  timeout 60 "$mpirun" $flags -np 2 ./train --data-dir "$examples" --load bad.safetensors >out.log 2>err.log
  expect $? "error: .*bad.safetensors" 1
  ;;
save_unwritable)
  # rank 0 saves after training, when the others are done: the job still
  # fails, and no half-written file is left
  "$mgc" -w "$examples/lab06_zoo.mg" -o train.c && "$cc" -std=c11 -O2 train.c -I "$include" "$lib" $libs -o train || exit 1
  mkdir ro && chmod 555 ro
  target=ro/model.safetensors
  [ "$(id -u)" -eq 0 ] && target=no_such_dir/model.safetensors  # root writes anywhere
  timeout 60 "$mpirun" $flags -np 2 ./train --data-dir "$examples" --epochs 3 --save "$target" >out.log 2>err.log
  expect $? "error: .*model.safetensors" 1
  [ -n "$(ls -A ro)" ] && { echo "FAIL: a file was left behind in ro/"; exit 1; }
  ;;
rank_killed)
  # one rank killed (SIGKILL) in the middle of a long run: the job ends
  "$mgc" -w "$examples/lab06_zoo.mg" -o train.c && "$cc" -std=c11 -O2 train.c -I "$include" "$lib" $libs -o train || exit 1
  signal_a_rank KILL "a rank was killed" --data-dir "$examples" --epochs 100000000
  expect $rc "exited on signal 9|killed|Killed" 1
  left=$(pgrep -P "$job" -x train)
  [ -n "$left" ] && { echo "FAIL: processes left: $left"; exit 1; }
  ;;
bench)
  # not a fault: --bench stops on a clock, and the processes must stop at
  # the same step (else one waits for the others forever)
  "$mgc" -w "$examples/lab06_zoo.mg" -o train.c && "$cc" -std=c11 -O2 train.c -I "$include" "$lib" $libs -o train || exit 1
  timeout 60 "$mpirun" $flags -np 2 ./train --data-dir "$examples" --bench >out.log 2>err.log
  rc=$?
  [ "$rc" -eq 0 ] || { echo "FAIL: status $rc"; cat err.log; exit 1; }
  grep -E "^bench: steps [0-9]+ .* processes 2 reduce_us_mean [0-9.]+ step_us_mean [0-9.]+ reduce_share [0-9.]+$" out.log ||
    { echo "FAIL: no bench line with the reduction's share:"; cat out.log; exit 1; }
  ;;
predict)
  # not a fault: rank 0 alone writes --predict's output, to --predict-out or
  # stdout, the one-process output byte for byte (same checkpoint)
  build "$examples/lab05_logistic.mg" $libs
  printf '1,2\n5,3\n4,1\n' >new.csv
  timeout 60 ./train --quiet --save one.safetensors --predict new.csv --predict-out one.csv 2>err.log ||
    { echo "FAIL: the one-process run failed"; cat err.log; exit 1; }
  timeout 60 "$mpirun" $flags -np 3 ./train --load one.safetensors --epochs 0 --predict new.csv --predict-out np3.csv \
    >out.log 2>err.log || { echo "FAIL: mpirun -np 3 --predict-out failed"; cat err.log; exit 1; }
  cmp one.csv np3.csv || { echo "FAIL: the job's predictions differ"; exit 1; }
  timeout 60 "$mpirun" $flags -np 2 ./train --load one.safetensors --epochs 0 --predict new.csv >stdout.csv 2>err.log ||
    { echo "FAIL: mpirun -np 2 --predict failed"; cat err.log; exit 1; }
  cmp one.csv stdout.csv || { echo "FAIL: the predictions on stdout are not the one-process ones, once"; exit 1; }
  [ -z "$(ls | grep '\.tmp\.')" ] || { echo "FAIL: a temporary file was left"; ls; exit 1; }
  ;;
stop)
  # SIGTERM to one rank alone of a long run: every rank stops after
  # the same step, rank 0 saves a checkpoint that loads, the job ends 130
  build "$examples/lab06_zoo.mg" $libs
  signal_a_rank TERM SIGTERM --data-dir "$examples" --epochs 100000000 --log-every 1000000 \
    --save stopped.safetensors
  [ "$rc" -eq 130 ] || { echo "FAIL: status $rc, expected 130"; cat err.log; exit 1; }
  [ "$(grep -c 'stopped at epoch' err.log)" -eq 1 ] || { echo "FAIL: not one 'stopped at' line:"; cat err.log; exit 1; }
  timeout 60 ./train --data-dir "$examples" --load stopped.safetensors --epochs 1 >resumed.log 2>err.log ||
    { echo "FAIL: the checkpoint does not load"; cat err.log; exit 1; }
  echo "ok: status 130"
  ;;
*)
  echo "unknown case $case_name"; exit 2 ;;
esac
exit 0
