#!/usr/bin/env bash
# A standalone Spark cluster on this machine, on loopback, from the Maven-resolved Spark jars (no Spark
# install): one Master and N Workers, each a detached JVM started and stopped by its recorded pid.
#
#   scripts/cluster.sh start [N]   Master + N Workers (default 2); prints the master URL and web UIs
#   scripts/cluster.sh stop        stops the Workers (they kill their executors), any executor left, the Master
#   scripts/cluster.sh status      what runs (exit 0), or exit 3 when the Master is not running
#   scripts/cluster.sh url         the master URL only (for scripts)
#   scripts/cluster.sh pids        "master PID", "worker I PID", "executor I PID" lines (for scripts)
#
# Then: scripts/submit.sh --master spark://127.0.0.1:7077 --executor-memory 1g \
#         -- --config conf/seed.properties --epochs 5 --data data/mnist --out out/cluster-seed
#
# Env: SHARDPROP_CLUSTER_DIR   state: pids, logs, worker dirs (default $ROOT/.cache/cluster)
#      SHARDPROP_MASTER_PORT   (7077; 0 = any free port)   SHARDPROP_UI_PORT  Master UI (8080, Workers
#                              8081...; 0 = any free ports)
#      SHARDPROP_WORKER_CORES  (1)   SHARDPROP_WORKER_MEMORY  memory a Worker offers executors (2g)
#      SHARDPROP_SPARK_HOME    the jars-only Spark home (default $ROOT/.cache/spark-home, filled from Maven)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

STATE=${SHARDPROP_CLUSTER_DIR:-$ROOT/.cache/cluster}
# Resolved: executors are recognised by their working directory, which the kernel reports resolved.
if [[ -d $STATE ]]; then STATE=$(cd "$STATE" && pwd -P); fi
MASTER_CLASS=org.apache.spark.deploy.master.Master
WORKER_CLASS=org.apache.spark.deploy.worker.Worker
EXECUTOR_CLASS=org.apache.spark.executor.CoarseGrainedExecutorBackend

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

cmdline() { { tr '\0' ' ' < "/proc/$1/cmdline"; } 2>/dev/null || true; }

# True when PID is a live JVM of CLASS started by this script for this state folder (not a reused pid).
ours() {
  local cmd
  [[ -n $1 ]] && cmd=$(cmdline "$1") || return 1
  [[ $cmd == *" -Dshardprop.cluster=$STATE "* && $cmd == *" $2 "* ]]
}

pid_of() { cat "$STATE/$1.pid" 2>/dev/null || true; }

workers() {  # indices of the Workers started, in order
  local f
  for f in "$STATE"/worker-*.pid; do
    [[ -f $f ]] || continue
    f=${f##*/worker-}
    echo "${f%.pid}"
  done | sort -n
}

# Executor JVMs of our Workers (all, or Worker I's): found by their working directory, which their Worker
# creates under its --work-dir (WORKDIR/app-…/ID), so executors whose Worker died are found as well.
executor_pids() {
  local prefix=$STATE/worker-${1:+$1/} p cwd
  for p in /proc/[0-9]*; do
    cwd=$(readlink "$p/cwd" 2>/dev/null) || continue
    [[ $cwd == "$prefix"* ]] || continue
    [[ $(cmdline "${p#/proc/}") == *" $EXECUTOR_CLASS "* ]] && echo "${p#/proc/}"
  done
  return 0
}

# Closes inherited descriptors above 2, so a daemon never holds its caller's pipes open.
close_fds() {
  local fd
  for fd in "/proc/$BASHPID/fd"/*; do
    fd=${fd##*/}
    if [[ $fd -gt 2 ]]; then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}

# launch NAME [VAR=VALUE...] -- CLASS ARGS...: a detached JVM (own session, stdin from /dev/null, output
# to NAME.log), its pid in NAME.pid. setsid does not fork here (the subshell leads no process group), so
# the recorded pid is the JVM's.
launch() {
  local name=$1 env=()
  shift
  while [[ $1 != -- ]]; do env+=("$1"); shift; done
  shift
  (
    close_fds
    cd "$STATE"
    exec setsid env "${env[@]}" "$JAVA" -Xmx"${SHARDPROP_DAEMON_MEMORY:-512m}" "${JAVA_MODULE_OPTS[@]}" \
      -Dshardprop.cluster="$STATE" -cp "$HOME_DIR/jars/*" "$@" < /dev/null > "$STATE/$name.log" 2>&1
  ) &
  echo $! > "$STATE/$name.pid"
}

# wait_for NAME CLASS PATTERN SECONDS: until NAME.log has PATTERN; fails if the JVM exits or time runs out.
wait_for() {
  local deadline=$((SECONDS + $4))
  until grep -q -- "$3" "$STATE/$1.log" 2>/dev/null; do
    if ! ours "$(pid_of "$1")" "$2"; then
      say "$1 exited before '$3'; end of $STATE/$1.log:"
      tail -20 "$STATE/$1.log" >&2 || true
      return 1
    fi
    if ((SECONDS >= deadline)); then
      say "$1: no '$3' after $4 s; end of $STATE/$1.log:"
      tail -20 "$STATE/$1.log" >&2 || true
      return 1
    fi
    sleep 0.2
  done
}

# The address a daemon's log says it serves: log_url NAME 'Starting Spark master at' -> spark://…
log_url() { sed -n "s|.*$2 \\([a-z]*://[^ ,]*\\).*|\\1|p" "$STATE/$1.log" | head -1; }

# terminate PID CLASS: SIGTERM (the JVM's shutdown hooks run: a Worker kills its executors), SIGKILL after 20 s.
terminate() {
  local pid=$1 i
  ours "$pid" "$2" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    ours "$pid" "$2" || return 0
    sleep 0.2
  done
  say "pid $pid ($2) ignored SIGTERM for 20 s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

start() {
  local n=${1:-2} i url ui port=${SHARDPROP_MASTER_PORT:-7077} uiport=${SHARDPROP_UI_PORT:-8080}
  [[ $n =~ ^[1-9][0-9]*$ ]] || usage
  if [[ -d $STATE ]] && ours "$(pid_of master)" "$MASTER_CLASS"; then
    say "a cluster is already running from $STATE (scripts/cluster.sh stop first)"
    status
    return 1
  fi
  ensure_built  # also reads the JVM flags (JAVA_MODULE_OPTS)
  HOME_DIR=$(spark_home)
  rm -rf "$STATE"
  mkdir -p "$STATE"
  STATE=$(cd "$STATE" && pwd -P)
  echo "$HOME_DIR" > "$STATE/spark-home"
  trap 'say "start failed: stopping what was started"; stop >&2' ERR

  launch master SPARK_HOME="$HOME_DIR" SPARK_LOCAL_IP=127.0.0.1 -- \
    "$MASTER_CLASS" --host 127.0.0.1 --port "$port" --webui-port "$uiport"
  wait_for master "$MASTER_CLASS" 'Bound MasterWebUI' 60
  wait_for master "$MASTER_CLASS" 'I have been elected leader' 60
  url=$(log_url master 'Starting Spark master at')
  ui=$(log_url master 'and started at')
  [[ $url == spark://* ]] || { say "no master URL in $STATE/master.log"; false; }
  echo "$url" > "$STATE/master.url"
  echo "$ui" > "$STATE/master.ui"

  for ((i = 1; i <= n; i++)); do
    mkdir -p "$STATE/worker-$i/local"
    # Executors inherit the Worker's environment: the Spark home with its jars/, the Scala version
    # (no launcher/target/scala-2.13 to infer it from), loopback, one BLAS thread per task.
    launch "worker-$i" SPARK_HOME="$HOME_DIR" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 \
      SPARK_LOCAL_DIRS="$STATE/worker-$i/local" OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 -- \
      "$WORKER_CLASS" --host 127.0.0.1 --cores "${SHARDPROP_WORKER_CORES:-1}" \
      --memory "${SHARDPROP_WORKER_MEMORY:-2g}" --work-dir "$STATE/worker-$i" \
      --webui-port "$((uiport == 0 ? 0 : uiport + i))" "$url"
  done
  for ((i = 1; i <= n; i++)); do
    wait_for "worker-$i" "$WORKER_CLASS" 'Successfully registered with master' 60
  done
  trap - ERR
  status
  echo "submit: scripts/submit.sh --master $url --executor-memory 1g -- --config conf/seed.properties --epochs 5 --data data/mnist --out out/cluster-seed"
  echo "stop:   scripts/cluster.sh stop"
}

stop() {
  local i pid left
  if [[ ! -d $STATE ]]; then
    say "no cluster state in $STATE: nothing to stop"
    return 0
  fi
  for i in $(workers); do
    terminate "$(pid_of "worker-$i")" "$WORKER_CLASS"
    rm -f "$STATE/worker-$i.pid"
  done
  # A Worker stopped normally has killed its executors; one killed with SIGKILL has not (they exit when
  # they lose it, but not at once): kill those left, found by their working directory.
  for ((i = 0; i < 50; i++)); do
    left=$(executor_pids)
    [[ -n $left ]] || break
    if ((i == 25)); then
      say "executors left after their Workers stopped: SIGKILL ${left//$'\n'/ }"
      # shellcheck disable=SC2086  # a list of pids
      kill -KILL $left 2>/dev/null || true
    fi
    sleep 0.2
  done
  left=$(executor_pids)
  terminate "$(pid_of master)" "$MASTER_CLASS"
  rm -f "$STATE/master.pid"
  if [[ -n $left ]]; then
    say "executors still running: ${left//$'\n'/ }"
    return 1
  fi
  echo "cluster stopped (no executors left; logs in $STATE)"
}

status() {
  local i pid ex
  pid=$(pid_of master)
  if [[ ! -d $STATE ]] || ! ours "$pid" "$MASTER_CLASS"; then
    echo "master: not running (state: $STATE)"
    return 3
  fi
  echo "master:   $(cat "$STATE/master.url")  UI $(cat "$STATE/master.ui")  pid $pid"
  for i in $(workers); do
    pid=$(pid_of "worker-$i")
    if ours "$pid" "$WORKER_CLASS"; then
      ex=$(executor_pids "$i")
      echo "worker $i: pid $pid  UI $(log_url "worker-$i" 'and started at')  executors: ${ex:-none}" | tr '\n' ' '
      echo
    else
      echo "worker $i: not running (log $STATE/worker-$i.log)"
    fi
  done
  echo "state and logs: $STATE (executor logs: worker-I/app-*/ID/stderr)"
}

url() {
  ours "$(pid_of master)" "$MASTER_CLASS" || { say "master not running"; return 1; }
  cat "$STATE/master.url"
}

pids() {
  local i pid
  pid=$(pid_of master)
  ours "$pid" "$MASTER_CLASS" && echo "master $pid"
  for i in $(workers); do
    pid=$(pid_of "worker-$i")
    if ours "$pid" "$WORKER_CLASS"; then echo "worker $i $pid"; fi
    for pid in $(executor_pids "$i"); do echo "executor $i $pid"; done
  done
  return 0
}

[[ $# -ge 1 ]] || usage
cmd=$1
shift
case $cmd in
  start) [[ $# -le 1 ]] || usage; start "$@" ;;
  stop|status|url|pids) [[ $# -eq 0 ]] || usage; "$cmd" ;;
  *) usage ;;
esac
