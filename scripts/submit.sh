#!/usr/bin/env bash
# Submit `train` to a cluster: scripts/submit.sh --master URL [spark-submit options] -- [train options]
# e.g. scripts/submit.sh --master yarn --deploy-mode cluster --executor-memory 4g -- --data hdfs:///mnist --out hdfs:///runs/1
# Uses $SPARK_HOME/bin/spark-submit when SPARK_HOME is set, otherwise Spark's SparkSubmit from the
# Maven classpath (driver heap then from SHARDPROP_DRIVER_MEMORY, default 4g).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() { echo "usage: ${0##*/} --master URL [spark-submit options] -- [train options]" >&2; exit 2; }

submit_opts=() master=""
while [[ $# -gt 0 && $1 != -- ]]; do
  case $1 in
    --master) [[ $# -ge 2 ]] || usage; master=$2 ;;
    --master=*) master=${1#--master=} ;;
  esac
  submit_opts+=("$1"); shift
done
[[ -n $master && $# -gt 0 ]] || usage
shift  # the --

[[ $master != local* ]] || use_loopback
ensure_built
if [[ -n ${SPARK_HOME:-} ]]; then
  exec "$SPARK_HOME/bin/spark-submit" --class "$MAIN_CLASS" "${submit_opts[@]}" "$JAR" train "$@"
fi
exec_maven_spark_submit --class "$MAIN_CLASS" "${submit_opts[@]}" "$JAR" train "$@"
