#!/usr/bin/env bash
# Local steps, swept: a recipe (default conf/mnist.properties) with --replicas R x --syncs-per-epoch K x
# --inner-state S, each for the recipe's epochs, on the single-process engine (the same bits as Spark with the
# same R: replicas run in threads). Prints the last epoch's test accuracy, the best epoch's, the last test loss
# and the median epoch time, so that users see where averaging starts to cost accuracy. A benchmark: it asserts
# nothing. Choose recipes on held-out data (--data data/mnist-holdout or data/holdout1m-idx), never the test set.
# Usage: scripts/sweep.sh [--config FILE] [--data DIR] [--replicas "2 8 32"] [--syncs "1 4 16"]
#                         [--inner-states "reset"] [--out DIR] [train options...]
# Writes OUT/R<r>-K<k>-<state>/ (a run each) and OUT/sweep.csv (OUT: out/sweep).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

replicas="2 8 32" syncs="1 4 16" states="reset" config=$ROOT/conf/mnist.properties data=$ROOT/data/mnist
out=$ROOT/out/sweep extra=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --replicas) replicas=$2; shift 2 ;;
    --syncs) syncs=$2; shift 2 ;;
    --inner-states) states=$2; shift 2 ;;
    --config) config=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) extra+=("$1"); shift ;;
  esac
done

use_loopback
[[ $data != "$ROOT/data/mnist" ]] || ensure_mnist "$ROOT/data/mnist"
ensure_built
mkdir -p "$out"
cp=$JAR:$(spark_classpath)
echo "replicas,syncs_per_epoch,inner_state,final_test_accuracy,best_test_accuracy,final_test_loss,median_epoch_seconds" \
  > "$out/sweep.csv"
for r in $replicas; do
  for k in $syncs; do
    for s in $states; do
      run=$out/R$r-K$k-$s
      say "R=$r K=$k inner state $s"
      "$JAVA" -Xmx"${SHARDPROP_DRIVER_MEMORY:-4g}" "${JAVA_MODULE_OPTS[@]}" \
        -Dlog4j.configurationFile="file:$ROOT/conf/log4j2.properties" -cp "$cp" "$MAIN_CLASS" train \
        --config "$config" --data "$data" --engine local --overwrite \
        --replicas "$r" --syncs-per-epoch "$k" --inner-state "$s" --block-size 0 "${extra[@]}" --out "$run" \
        > "$run.log" 2>&1 || { say "R=$r K=$k $s failed, see $run.log"; continue; }
      # metrics.csv: epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds
      final=$(tail -n 1 "$run/metrics.csv" | cut -d, -f5)
      loss=$(tail -n 1 "$run/metrics.csv" | cut -d, -f4)
      best=$(tail -n +2 "$run/metrics.csv" | cut -d, -f5 | sort -g | tail -n 1)
      median=$(tail -n +2 "$run/metrics.csv" | cut -d, -f6 | sort -g \
        | awk '{ s[NR] = $1 } END { printf "%.3f", (NR % 2) ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2 }')
      echo "$r,$k,$s,$final,$best,$loss,$median" >> "$out/sweep.csv"
    done
  done
done
say "test accuracy (final / best epoch), final test loss and median epoch seconds, --engine local on this machine:"
column -t -s, "$out/sweep.csv" >&2
