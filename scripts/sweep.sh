#!/usr/bin/env bash
# Local steps, swept: the preset (conf/mnist.properties) with --replicas R x --syncs-per-epoch K, each
# for its epochs (20), on the single-process engine (the same bits as Spark with the same R: replicas run
# in threads). Prints test accuracy after the last epoch, the best epoch's, and the median epoch time, so
# that users see where averaging starts to cost accuracy. A benchmark: it asserts nothing.
# Usage: scripts/sweep.sh [--replicas "2 8 32"] [--syncs "1 4 16"] [--epochs N] [train options...]
# Writes out/sweep/R<r>-K<k>/ (a run each) and out/sweep/sweep.csv.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

replicas="2 8 32" syncs="1 4 16" extra=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --replicas) replicas=$2; shift 2 ;;
    --syncs) syncs=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) extra+=("$1"); shift ;;
  esac
done

use_loopback
ensure_mnist "$ROOT/data/mnist"
ensure_built
out=$ROOT/out/sweep
mkdir -p "$out"
cp=$JAR:$(spark_classpath)
echo "replicas,syncs_per_epoch,final_test_accuracy,best_test_accuracy,median_epoch_seconds" > "$out/sweep.csv"
for r in $replicas; do
  for k in $syncs; do
    run=$out/R$r-K$k
    say "R=$r K=$k"
    "$JAVA" -Xmx"${SHARDPROP_DRIVER_MEMORY:-4g}" "${JAVA_MODULE_OPTS[@]}" \
      -Dlog4j.configurationFile="file:$ROOT/conf/log4j2.properties" -cp "$cp" "$MAIN_CLASS" train \
      --config "$ROOT/conf/mnist.properties" --data "$ROOT/data/mnist" --engine local --overwrite \
      --replicas "$r" --syncs-per-epoch "$k" --block-size 0 "${extra[@]}" --out "$run" > "$run.log" 2>&1 \
      || { say "R=$r K=$k failed, see $run.log"; continue; }
    # metrics.csv: epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds
    final=$(tail -n 1 "$run/metrics.csv" | cut -d, -f5)
    best=$(tail -n +2 "$run/metrics.csv" | cut -d, -f5 | sort -g | tail -n 1)
    median=$(tail -n +2 "$run/metrics.csv" | cut -d, -f6 | sort -g \
      | awk '{ s[NR] = $1 } END { printf "%.3f", (NR % 2) ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2 }')
    echo "$r,$k,$final,$best,$median" >> "$out/sweep.csv"
  done
done
say "test accuracy (final / best epoch) and median epoch seconds, --engine local on this machine:"
column -t -s, "$out/sweep.csv" >&2
