#!/usr/bin/env bash
# The cluster test (run by .ci/run): the full-MNIST seed run (conf/seed.properties, full batch, one Spark
# job per epoch; SHARDPROP_CLUSTER_TEST_EPOCHS, default 5) submitted with the shaded jar through
# scripts/submit.sh, four times:
#   1. on local[2], for the weight hash and epoch times to compare with;
#   2. on a 2-Worker standalone cluster (scripts/cluster.sh, loopback, any free ports), undisturbed;
#   3. the same with the executor JVM of one Worker killed with kill -9 in a task of epoch 2 (its Worker
#      starts another);
#   4. the same with a whole Worker killed with kill -9 in a task of epoch 2: its JVM and its executor's,
#      as when its machine goes; the run finishes on the other Worker.
# Then the cluster preset (conf/cluster.properties: 32 replicas of local steps, more than the executors) on
# MNIST for 3 epochs, on local[2] and on the cluster with an executor killed in epoch 2: the same weight hash,
# and every round using every task slot (tasks a round = slots, from Spark's listener).
# Every run must finish with the weight hash of run 1 (model.json "weights"."sha256": sums are exact, so
# neither partitioning nor retried tasks change a bit), and the executors' logs must show the killed
# tasks re-run and the lost cached blocks rebuilt from the files. Prints the epoch times side by side and
# the time each kill cost. Stops everything it started, also on failure (logs are then kept and named; with
# SHARDPROP_CLUSTER_TEST_KEEP=1 always). About 4 minutes on 2 busy cores, mostly JVM and Spark start-up.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

EPOCHS=${SHARDPROP_CLUSTER_TEST_EPOCHS:-5}
DATA=$ROOT/data/mnist
export SPARK_LOCAL_IP=127.0.0.1
work=$(mktemp -d "${TMPDIR:-/tmp}/shardprop-cluster-test.XXXXXX")
# Own state folder and free ports: no clash with a cluster someone runs with scripts/cluster.sh.
export SHARDPROP_CLUSTER_DIR=$work/cluster SHARDPROP_MASTER_PORT=0 SHARDPROP_UI_PORT=0
driver="" stamper="" cluster_started=false

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $driver ]] && kill -0 "$driver" 2>/dev/null; then
    say "stopping the driver (pid $driver)"
    kill -TERM "$driver" 2>/dev/null || true
    wait "$driver" 2>/dev/null || true
  fi
  if [[ -n $stamper ]]; then kill "$stamper" 2>/dev/null || true; fi
  if $cluster_started; then
    "$ROOT/scripts/cluster.sh" stop >&2 || rc=1
  fi
  if ((rc == 0)) && [[ -z ${SHARDPROP_CLUSTER_TEST_KEEP:-} ]]; then
    rm -rf "$work"
  else
    ((rc == 0)) || say "FAILED (exit $rc)"
    say "logs kept in $work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() { say "FAIL: $*"; exit 1; }
stamp() { local line; while IFS= read -r line; do printf '%s\t%s\n' "$EPOCHREALTIME" "$line"; done; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# The weight hash: weights.sha256 of model.json.
weights_hash() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["weights"]["sha256"])' "$1/model/model.json" 2>/dev/null; }

# wait_for_line FILE REGEX: until the driver prints it (fails if the driver exits first).
wait_for_line() {
  local deadline=$((SECONDS + 600))
  until grep -q -- "$2" "$1" 2>/dev/null; do
    kill -0 "$driver" 2>/dev/null || fail "the driver exited before printing '$2' (see $1)"
    ((SECONDS < deadline)) || fail "no '$2' in $1 after 600 s"
    sleep 0.05
  done
}

pids() { "$ROOT/scripts/cluster.sh" pids; }

# pid_of KIND WORKER: the pid of Worker I ("worker") or of its executor ("executor"), waiting for the
# app's executor to be launched.
pid_of() {
  local pid deadline=$((SECONDS + 120))
  until pid=$(pids | awk -v k="$1" -v i="$2" '$1 == k && $2 == i { print $3; exit }') && [[ -n $pid ]]; do
    kill -0 "$driver" 2>/dev/null || fail "the driver exited before Worker $2 had an executor"
    ((SECONDS < deadline)) || fail "no $1 of Worker $2 after 120 s: $(pids | tr '\n' ' ')"
    sleep 0.2
  done
  echo "$pid"
}

# kill_during_epoch_2 OUT executor|worker: when the driver has printed epoch 1's line and the victim
# executor has started a task of epoch 2, kill -9 it: the executor JVM of Worker 1, or Worker 2 with its
# executor (the whole Worker, as when its machine goes). Found by the cluster's state (pid files, executors
# by their Worker's work dir), never by name. Describes the kill in OUT.kill.
kill_during_epoch_2() {
  local out=$1 what=$2 wpid="" epid log started epochs worker=1 cwd deadline=$((SECONDS + 120))
  if [[ $what != executor ]]; then
    worker=2
    wpid=$(pid_of worker 2)
  fi
  # this app's executor: the last app's may still be exiting when this one starts (its cwd is an older app-*)
  until epid=$(pid_of executor "$worker") && cwd=$(readlink "/proc/$epid/cwd" 2>/dev/null) \
      && [[ " $APPS_BEFORE " != *" $(basename "$(dirname "$cwd")") "* ]]; do
    ((SECONDS < deadline)) || fail "no executor of this app on Worker $worker after 120 s"
    sleep 0.2
  done
  log=$cwd/stderr  # the executor's log (Spark's default log4j: INFO)
  wait_for_line "$out.stdout" $'\tepoch 1/[0-9]*  loss'   # epoch 1's line, not a progress line of its rounds
  started=$(grep -c 'Running task' "$log" || true)
  until (($(grep -c 'Running task' "$log" || true) > started)); do
    kill -0 "$driver" 2>/dev/null || fail "the driver exited before epoch 2 ran a task on executor $epid"
    sleep 0.02
  done
  if [[ -n $wpid ]]; then kill -KILL "$wpid"; fi
  kill -KILL "$epid"
  epochs=$(grep -cE $'\tepoch [0-9]+/[0-9]+  loss' "$out.stdout" || true)
  ((epochs == 1)) || fail "epoch $epochs had already ended when the $what was killed"
  if [[ -n $wpid ]]; then
    echo "Worker 2 (pid $wpid) and its executor (pid $epid), in a task of epoch 2" > "$out.kill"
  else
    echo "the executor of Worker 1 (pid $epid), in a task of epoch 2" > "$out.kill"
  fi
}

# What the executors of the last app did: retried task attempts (N.1, N.2, ...) and cached blocks built
# (an undisturbed run builds 2 per partition: training and test), from their logs.
app_dir() { find "$SHARDPROP_CLUSTER_DIR"/worker-* -maxdepth 1 -name 'app-*' -printf '%f\n' | sort -t- -k3n | tail -1; }
retried_tasks() { cat "$SHARDPROP_CLUSTER_DIR"/worker-*/"$1"/*/stderr | grep -cE 'Running task [0-9]+\.[1-9]' || true; }
cached_blocks() {
  cat "$SHARDPROP_CLUSTER_DIR"/worker-*/"$1"/*/stderr \
    | grep -cE 'Block rdd_[0-9]+_[0-9]+ stored as|Persisting block rdd_[0-9]+_[0-9]+ to disk' || true
}

# run NAME MASTER [executor|worker]: one training run; with a kill, kill -9 that during epoch 2.
# Sets WALL (seconds) and HASH; the kill's description goes to NAME.kill.
run() {
  local name=$1 master=$2 what=${3:-} out=$work/runs/$1 t0
  local opts=(--master "$master" --conf spark.executorEnv.OPENBLAS_NUM_THREADS=1)
  [[ $master == local* ]] || opts+=(--executor-memory 1g)
  say "run $name: $master${what:+, kill -9 of one $what during epoch 2}"
  mkdir -p "$work/runs"
  t0=$(now)
  # The driver's stdout with the time each line arrived (for the epochs' wall time), through a FIFO so
  # that $driver is the driver JVM itself (submit.sh execs it).
  APPS_BEFORE=$(find "$SHARDPROP_CLUSTER_DIR"/worker-* -maxdepth 1 -name 'app-*' -printf '%f ' 2>/dev/null || true)
  mkfifo "$out.fifo"
  stamp < "$out.fifo" > "$out.stdout" &
  stamper=$!
  "$ROOT/scripts/submit.sh" "${opts[@]}" -- --config "$ROOT/conf/${CONFIG:-seed.properties}" --epochs "${RUN_EPOCHS:-$EPOCHS}" \
    --checkpoint-every 0 --data "$DATA" --out "$out" > "$out.fifo" 2> "$out.stderr" &
  driver=$!
  if [[ -n $what ]]; then
    kill_during_epoch_2 "$out" "$what"
  fi
  if ! wait "$driver"; then
    driver=""
    tail -30 "$out.stderr" >&2
    fail "run $name failed (driver log $out.stderr)"
  fi
  driver=""
  wait "$stamper"
  WALL=$(secs "$t0" "$(now)")
  [[ -f $out/_SUCCESS ]] || fail "run $name: no $out/_SUCCESS"
  HASH=$(weights_hash "$out")
  [[ -n $HASH ]] || fail "run $name: no weights hash in $out/model/model.json"
  cut -f2- "$out.stdout" | sed 's/^/  /' >&2
  say "run $name: ${WALL} s wall, weights sha256 $HASH"
}

epoch_seconds() { tail -n +2 "$work/runs/$1/metrics.csv" | cut -d, -f6; }
# Seconds from epoch 1's line to the last epoch's line: epochs 2..N with their test passes, as the driver saw them.
after_epoch_1() { grep -E $'\tepoch [0-9]+/[0-9]+  loss' "$work/runs/$1.stdout" | awk -F'\t' 'NR == 1 { a = $1 } END { printf "%.2f", $1 - a }'; }
sum_seconds() { epoch_seconds "$1" | awk '{ s += $1 } END { printf "%.2f", s }'; }

ensure_built
ensure_mnist "$DATA"

run local 'local[2]'
local_hash=$HASH local_wall=$WALL

"$ROOT/scripts/cluster.sh" start 2 >&2 || { cluster_started=true; fail "the cluster did not start"; }
cluster_started=true
url=$("$ROOT/scripts/cluster.sh" url)

run cluster "$url"
cluster_wall=$WALL
[[ $HASH == "$local_hash" ]] || fail "cluster weights $HASH differ from local[2]'s $local_hash"
app=$(app_dir)
cluster_blocks=$(cached_blocks "$app")
(($(retried_tasks "$app") == 0)) || fail "tasks were retried in the undisturbed run ($app)"

# check_kill NAME: the same bits, and the executors' logs show the lost tasks re-run and the lost cached
# blocks rebuilt from the files. Sets RETRIED, REBUILT.
check_kill() {
  local app
  [[ $HASH == "$local_hash" ]] || fail "weights after the kill in run $1: $HASH, expected $local_hash"
  grep -q 'Lost executor' "$work/runs/$1.stderr" || fail "the driver never lost an executor in run $1"
  app=$(app_dir)
  RETRIED=$(retried_tasks "$app")
  REBUILT=$(($(cached_blocks "$app") - cluster_blocks))
  ((RETRIED > 0)) || fail "run $1: no task attempt was retried (executor logs of $app)"
  ((REBUILT > 0)) || fail "run $1: no cached block was rebuilt (executor logs of $app)"
}

run executor-killed "$url" executor
executor_wall=$WALL
check_kill executor-killed
executor_retried=$RETRIED executor_rebuilt=$REBUILT
grep -q 'finished with state EXITED message Command exited with code 137' "$SHARDPROP_CLUSTER_DIR/worker-1.log" \
  || fail "Worker 1's log does not show the killed executor"
# Worker 1 replaced it: the app had two executor folders there.
executor_replaced=$(find "$SHARDPROP_CLUSTER_DIR/worker-1/$(app_dir)" -mindepth 1 -maxdepth 1 -type d | wc -l)

run worker-killed "$url" worker
worker_wall=$WALL
check_kill worker-killed
worker_retried=$RETRIED worker_rebuilt=$REBUILT

# The cluster preset (conf/cluster.properties: local steps, 32 replicas of 128 rows, their momentum averaged
# at every sync), on MNIST, 3 epochs: local[2], then the cluster with an executor killed during epoch 2. More
# replicas than executors: each task runs its partition's replicas one after the other, and every round must use
# every task slot (tasks a round = slots, from Spark's listener: model.json engine.rounds). The same bits (each
# round is recomputed from the broadcast weights and inner state, which live on the driver).
# slots_used NAME: "tasks slots" of the run's training jobs
slots_used() {
  python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["engine"]["rounds"]; print(int(r["tasks_per_round"]), r["task_slots"])' \
    "$work/runs/$1/model/model.json"
}
CONFIG=cluster.properties RUN_EPOCHS=3 run preset-local 'local[2]'
preset_hash=$HASH
read -r tasks slots < <(slots_used preset-local)
((tasks == slots)) || fail "cluster preset on local[2]: $tasks tasks a round for $slots task slots"
CONFIG=cluster.properties RUN_EPOCHS=3 run preset-executor-killed "$url" executor
[[ $HASH == "$preset_hash" ]] || fail "cluster preset weights after the executor kill: $HASH, expected local[2]'s $preset_hash"
grep -q 'Lost executor' "$work/runs/preset-executor-killed.stderr" || fail "the preset run never lost an executor"
preset_retried=$(retried_tasks "$(app_dir)")
((preset_retried > 0)) || fail "preset run: no task attempt was retried"
read -r cluster_tasks cluster_slots < <(slots_used preset-executor-killed)
((cluster_tasks == cluster_slots)) || fail "cluster preset on the cluster: $cluster_tasks tasks a round for $cluster_slots task slots"

# Report: epoch times side by side, and what each kill cost.
lost() {  # lost NAME: what the run took more than the undisturbed cluster run
  awk -v a="$(after_epoch_1 cluster)" -v b="$(after_epoch_1 "$1")" -v c="$(sum_seconds cluster)" \
    -v d="$(sum_seconds "$1")" 'BEGIN { printf "%+.2f s from epoch 1 to the end (%+.2f s of epoch time)", b - a, d - c }'
}
{
  echo
  echo "cluster test: $EPOCHS epochs of the full-MNIST seed run (conf/seed.properties); weights sha256 $local_hash"
  echo "  in all four runs. Epoch seconds (metrics.csv: the epoch's training work, as train prints it):"
  printf '  %-6s %10s %10s %16s %14s\n' epoch 'local[2]' cluster 'executor killed' 'worker killed'
  paste -d' ' <(epoch_seconds local) <(epoch_seconds cluster) <(epoch_seconds executor-killed) \
      <(epoch_seconds worker-killed) | awk '{ printf "  %-6d %10.2f %10.2f %16.2f %14.2f\n", NR, $1, $2, $3, $4 }'
  printf '  %-6s %10.2f %10.2f %16.2f %14.2f\n' sum "$(sum_seconds local)" "$(sum_seconds cluster)" \
    "$(sum_seconds executor-killed)" "$(sum_seconds worker-killed)"
  printf '  %-6s %10.2f %10.2f %16.2f %14.2f\n' '2..end' "$(after_epoch_1 local)" "$(after_epoch_1 cluster)" \
    "$(after_epoch_1 executor-killed)" "$(after_epoch_1 worker-killed)"
  printf '  %-6s %10s %10s %16s %14s\n' wall "$local_wall" "$cluster_wall" "$executor_wall" "$worker_wall"
  echo "  cluster: 2 Workers of 1 core, one executor each (--executor-memory 1g); local[2]: 2 task threads in the"
  echo "  driver JVM. 2..end: from epoch 1's line to the last epoch's (training and test passes, what a kill"
  echo "  during epoch 2 can slow down). wall: submit to exit (JVM and Spark start, caching the 70,000 samples,"
  echo "  training, model files; on a busy machine the start-up varies by several seconds)."
  echo "  executor kill: $(cat "$work/runs/executor-killed.kill");"
  echo "    $executor_retried task attempt(s) re-run, $executor_rebuilt cached block(s) rebuilt from the files," \
    "Worker 1 started a new executor ($executor_replaced executor folders)"
  echo "    time lost: $(lost executor-killed "$executor_wall")"
  echo "  Worker kill: $(cat "$work/runs/worker-killed.kill");"
  echo "    $worker_retried task attempt(s) re-run, $worker_rebuilt cached block(s) rebuilt from the files on Worker 1"
  echo "    time lost: $(lost worker-killed "$worker_wall")"
  echo "  cluster preset (conf/cluster.properties on MNIST: 32 replicas, averaged inner state, 3 epochs): weights"
  echo "    sha256 $preset_hash on local[2] and on the cluster with $(cat "$work/runs/preset-executor-killed.kill");"
  echo "    $preset_retried task attempt(s) re-run; $tasks tasks a round for $slots slots on local[2], $cluster_tasks for"
  echo "    $cluster_slots on the cluster (every slot, more replicas than executors)"
  echo "cluster test: PASS"
} | tee "$work/report.txt"
