#!/usr/bin/env bash
# Train on this machine: build if needed, fetch MNIST if missing, run `train` through Spark's own
# SparkSubmit on ${SHARDPROP_MASTER:-local[*]}. Options are the app's (scripts/train.sh --help).
# Defaults added unless given: --config conf/mnist.properties --data data/mnist (both not with --format
# libsvm|parquet|csv) --out out/run-<time>
# (conf/seed.properties is the notebook's exact run: scripts/train.sh --config conf/seed.properties).
# Env: SHARDPROP_MASTER (local[*]), SHARDPROP_DRIVER_MEMORY (4g), JAVA_HOME.
set -euo pipefail
# When this script started (ms since the epoch): the run logs how long its first epoch line took from here.
export SHARDPROP_LAUNCHED_MS=${SHARDPROP_LAUNCHED_MS:-$(date +%s%3N)}
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# --train-images and the like each override one file of --data, so --data is needed unless all four are given.
has_config=false has_data=false has_out=false help=false files=0 config= prev= rows=false
for arg in "$@"; do
  [[ $prev == --config ]] && config=$arg
  [[ $prev == --format && $arg != idx ]] && rows=true
  prev=$arg
  case $arg in
    --config) has_config=true ;;
    --config=*) has_config=true config=${arg#--config=} ;;
    --data|--data=*) has_data=true ;;
    --train-images|--train-labels|--test-images|--test-labels) files=$((files + 1)) ;;
    --train-images=*|--train-labels=*|--test-images=*|--test-labels=*) files=$((files + 1)) ;;
    --out|--out=*) has_out=true ;;
    --format=*) [[ ${arg#--format=} == idx ]] || rows=true ;;
    -h|--help|-V|--version) help=true ;;
  esac
done
# A local config file may set them too (keys are the long option names): then it is not overridden here.
if [[ -n $config && -f $config ]]; then
  grep -qE '^[[:space:]]*data[[:space:]]*[=:]' "$config" && has_data=true
  grep -qE '^[[:space:]]*out[[:space:]]*[=:]' "$config" && has_out=true
  files=$((files + $(grep -cE '^[[:space:]]*(train|test)-(images|labels)[[:space:]]*[=:]' "$config" || true)))
fi
[[ $files -lt 4 ]] || has_data=true

defaults=()
if ! $help; then
  # the MNIST preset and data are for IDX images: rows of --format libsvm|parquet|csv get train's own defaults
  $has_config || $rows || defaults+=(--config "$ROOT/conf/mnist.properties")
  $has_data || $rows || { ensure_mnist "$ROOT/data/mnist"; defaults+=(--data "$ROOT/data/mnist"); }
  $has_out || defaults+=(--out "$ROOT/out/run-$(date +%Y%m%d-%H%M%S)")
fi

master=${SHARDPROP_MASTER:-local[*]}
[[ $master != local* ]] || use_loopback
ensure_built
ensure_cds
exec_maven_spark_submit --master "$master" --class "$MAIN_CLASS" "$JAR" train "${defaults[@]}" "$@"
