#!/usr/bin/env bash
# Submit `train` to a cluster: scripts/submit.sh --master URL [spark-submit options] -- [train options]
# e.g. scripts/submit.sh --master yarn --deploy-mode cluster --executor-memory 4g -- --data hdfs:///mnist --out hdfs:///runs/1
# Uses $SPARK_HOME/bin/spark-submit when there is one, otherwise Spark's SparkSubmit from the Maven
# classpath (driver heap then from SHARDPROP_DRIVER_MEMORY, default 4g). A local master or one on
# loopback (scripts/cluster.sh's spark://127.0.0.1:7077) binds the driver to loopback as well.
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

# A local master, or a cluster on loopback (scripts/cluster.sh): the driver must be reachable there too.
case $master in local*|spark://127.0.0.1:*|spark://localhost:*) use_loopback ;; esac
ensure_built
if [[ -n ${SPARK_HOME:-} && -x $SPARK_HOME/bin/spark-submit ]]; then
  exec "$SPARK_HOME/bin/spark-submit" --class "$MAIN_CLASS" "${submit_opts[@]}" "$JAR" train "$@"
fi
# A Spark home without bin/ (e.g. scripts/cluster.sh's jars-only one): Spark's own SparkSubmit from Maven.
[[ -z ${SPARK_HOME:-} ]] || say "no $SPARK_HOME/bin/spark-submit: using SparkSubmit from the Maven classpath"
ensure_cds
exec_maven_spark_submit --class "$MAIN_CLASS" "${submit_opts[@]}" "$JAR" train "$@"
