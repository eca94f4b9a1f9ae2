#!/usr/bin/env bash
# Benchmark, side by side in one script run (not a test: it asserts nothing):
#   (a) the single-process core trainer (--engine local, all cores for BLAS),
#   (b) ShardProp on local[2], (c) MLlib's MultilayerPerceptronClassifier (gd, [784,100,10]) on the same
#   cached data in the same SparkSession, (d) ShardProp on tiny data (Spark's own cost per step),
#   plus the wall time of a whole 20-epoch ShardProp run against MLPC's, ShardProp with --precision float32,
#   and (e) ShardProp again with netlib's pure-Java BLAS (VectorBLAS), native BLAS disabled.
# Prints a table (medians, min-max, ratios, BLAS class) and writes out/bench/bench.json.
# Usage: scripts/bench.sh [--epochs N] [--quick]      (--quick: N=2 and a 3-epoch whole run, for CI)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

epochs=10 run_epochs=20 pure_epochs=5
while [[ $# -gt 0 ]]; do
  case $1 in
    --epochs) epochs=$2; shift 2 ;;
    --quick) epochs=2 run_epochs=3 pure_epochs=1; shift ;;
    *) echo "usage: ${0##*/} [--epochs N] [--quick]" >&2; exit 2 ;;
  esac
done

use_loopback
ensure_built
ensure_mnist "$ROOT/data/mnist"
out=$ROOT/out/bench
mkdir -p "$out"
seed=(--config "$ROOT/conf/seed.properties" --data "$ROOT/data/mnist" --overwrite)

say "(a) single-process core trainer, $((epochs + 1)) epochs"
"$ROOT/scripts/train.sh" --engine local "${seed[@]}" \
  --epochs $((epochs + 1)) --out "$out/core" > "$out/core.log" 2>&1

say "whole ShardProp run of $run_epochs epochs on local[2], start-up included"
start=$EPOCHREALTIME
SHARDPROP_MASTER='local[2]' "$ROOT/scripts/train.sh" "${seed[@]}" --epochs "$run_epochs" --out "$out/run" > "$out/run.log" 2>&1
run_seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
say "the same whole run with --precision float32"
start=$EPOCHREALTIME
SHARDPROP_MASTER='local[2]' "$ROOT/scripts/train.sh" "${seed[@]}" --precision float32 --epochs "$run_epochs" \
  --out "$out/run-float32" > "$out/run-float32.log" 2>&1
run32_seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')

say "(b)-(d) ShardProp, Spark's overhead and MLPC in one SparkSession on local[2]"
java -Xmx"${SHARDPROP_DRIVER_MEMORY:-6g}" "${JAVA_MODULE_OPTS[@]}" \
  -Dlog4j.configurationFile="file:$ROOT/conf/log4j2.properties" -cp "$(spark_classpath)" \
  org.apache.spark.deploy.SparkSubmit --master 'local[2]' --class "$MAIN_CLASS" "$JAR" \
  bench --data "$ROOT/data/mnist" --epochs "$epochs" --json "$out/bench.json" \
  --local-metrics "$out/core/metrics.csv" --run-seconds "$run_seconds" \
  --run-seconds-float32 "$run32_seconds" --run-epochs "$run_epochs"
say "(e) ShardProp with netlib's pure-Java BLAS (native disabled), $pure_epochs timed epochs"
java -Xmx"${SHARDPROP_DRIVER_MEMORY:-6g}" "${JAVA_MODULE_OPTS[@]}" -Ddev.ludovic.netlib.blas.allowNative=false \
  -Dlog4j.configurationFile="file:$ROOT/conf/log4j2.properties" -cp "$(spark_classpath)" \
  org.apache.spark.deploy.SparkSubmit --master 'local[2]' --class "$MAIN_CLASS" "$JAR" \
  bench --data "$ROOT/data/mnist" --epochs "$pure_epochs" --mlpc false --json "$out/bench-pure-java.json"
say "figures in $out/bench.json and $out/bench-pure-java.json"
