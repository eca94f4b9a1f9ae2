#!/usr/bin/env bash
# Run any ShardProp command on this machine: scripts/run.sh COMMAND [options], e.g.
#   scripts/run.sh evaluate --model out/run --data data/mnist
#   scripts/run.sh predict --model out/run --images data/mnist/t10k-images-idx3-ubyte --out out/pred.csv
# Builds if needed and runs through Spark's own SparkSubmit on ${SHARDPROP_MASTER:-local[*]}, like train.sh,
# but adds no default options. Env: SHARDPROP_MASTER (local[*]), SHARDPROP_DRIVER_MEMORY (4g), JAVA_HOME.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [[ $# -eq 0 ]]; then
  echo "usage: ${0##*/} COMMAND [options]   (train, evaluate, predict, gradcheck, augment, bench; COMMAND --help)" >&2
  exit 2
fi
master=${SHARDPROP_MASTER:-local[*]}
[[ $master != local* ]] || use_loopback
ensure_built
ensure_cds
exec_maven_spark_submit --master "$master" --class "$MAIN_CLASS" "$JAR" "$@"
