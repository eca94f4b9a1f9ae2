# Sourced by train.sh and submit.sh: paths, JVM flags, and build/classpath/data helpers.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$ROOT/spark-job/target/shardprop-job.jar
# shellcheck disable=SC2034  # used by the scripts that source this file
MAIN_CLASS=io.shardprop.job.Main
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

# What spark-submit's launcher adds on Java 17 (Spark's launcher JavaModuleOptions): the spark.add-opens
# property of pom.xml (surefire's argLine), which the build writes to this file; ensure_built reads it
# into the array JAVA_MODULE_OPTS.
JAVA_OPTIONS_FILE=$ROOT/spark-job/target/java-options.txt

say() { echo "${0##*/}: $*" >&2; }

# The system's libblas.so.3 (Debian's alternatives: OpenBLAS, BLIS, reference), as dlopen finds it: in
# ld.so's cache or, when the cache is stale (a package unpacked without its ldconfig trigger, seen on a CI
# machine), in the default library folders. Prints its path; fails when there is none.
system_libblas() {
  local path
  path=$(ldconfig -p 2>/dev/null | awk '$1 == "libblas.so.3" && /x86-64|aarch64|AArch64/ { print $NF; exit }')
  [[ -z $path ]] && path=$(ls /lib/*-linux-gnu*/libblas.so.3 /usr/lib/*-linux-gnu*/libblas.so.3 /usr/lib/libblas.so.3 \
    /lib/libblas.so.3 2>/dev/null | head -n 1)
  [[ -n $path ]] && echo "$path"
}

# Local mode binds Spark to loopback (host names may resolve oddly). Not for clusters: executors
# must reach the driver, so submit.sh calls this only for a local master.
use_loopback() { export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}; }

# Spark already runs one task per core: a multi-threaded native BLAS inside each task would oversubscribe
# the cores (measured here: 0.9 s instead of 0.6 s an epoch on local[2]); the single-process engine runs
# one worker thread per core the same way. One BLAS thread is also what makes float32 results the same
# bits on every engine: a multi-threaded sgemm may split a product differently. Clusters: see README.
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1} MKL_NUM_THREADS=${MKL_NUM_THREADS:-1}

# A phase of the first run (build, Spark's classpath, data) as one line on stderr: what it does, then how
# long it took. Its own output goes to .cache/logs/NAME.log, shown (the last 40 lines) only if it fails.
phase() {
  local name=$1 what=$2 start=$EPOCHREALTIME log
  shift 2
  log=$ROOT/.cache/logs/$name.log
  mkdir -p "${log%/*}"
  printf '%s: %s ... ' "${0##*/}" "$what" >&2
  if "$@" > "$log" 2>&1; then
    awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "done in %.1f s\n", b - a }' >&2
  else
    echo "failed; the end of $log:" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
}

# Build the shaded jar if it is missing or older than a main source file or a pom.
ensure_built() {
  if [[ ! -f $JAR || ! -f $JAVA_OPTIONS_FILE ]] || [[ -n $(cd "$ROOT" && find core/src/main spark-job/src/main \
        pom.xml core/pom.xml spark-job/pom.xml -newer "$JAR" -print -quit) ]]; then
    local what="building the jar"
    [[ -d ${MAVEN_REPO:-$HOME/.m2/repository}/org/apache/spark ]] \
      || what+=" (first run: Maven downloads Spark and OpenBLAS, about 400 MB)"
    phase build "$what" bash -c "cd '$ROOT' && mvn -B -DskipTests -pl spark-job -am package"
  fi
  read -r -a JAVA_MODULE_OPTS < "$JAVA_OPTIONS_FILE"
}

# Print the classpath of Spark's jars: spark-job's provided dependencies (Spark, Scala, Hadoop, log4j,
# slf4j, Jackson, ...).
# Cached in spark-job/target/spark-classpath.txt until a pom changes.
spark_classpath() {
  local file=$ROOT/spark-job/target/spark-classpath.txt
  if [[ ! -s $file ]] || [[ -n $(cd "$ROOT" && find pom.xml core/pom.xml spark-job/pom.xml \
        -newer "$file" -print -quit) ]]; then
    rm -f "$file"  # the plugin leaves an unchanged file untouched, so it would stay older than the poms
    # -am package: Maven resolves shardprop-core only from a packaged reactor.
    # The relative outputFile is per module, so spark-job's lands in spark-job/target. Provided scope only:
    # our own dependencies (OpenBLAS, JNA, picocli, JFreeChart) come with the shaded jar.
    phase classpath "resolving Spark's classpath into ${file#"$ROOT"/}" bash -c "cd '$ROOT' && \
      mvn -B -DskipTests -pl spark-job -am package dependency:build-classpath -DincludeScope=provided \
      -Dmdep.outputFile=target/spark-classpath.txt"
  fi
  cat "$file"
}

# A Spark "installation" for standalone daemons and their executors (scripts/cluster.sh): a folder whose
# jars/ holds the jars of spark_classpath (hard links into the Maven repository where possible, else
# copies; not our own JFreeChart, which the shaded jar brings), rebuilt when that classpath changes.
# Outside tracked files: ${SHARDPROP_SPARK_HOME:-$ROOT/.cache/spark-home}. Prints the folder.
spark_home() {
  local home=${SHARDPROP_SPARK_HOME:-$ROOT/.cache/spark-home} cp jar
  local -a jars
  cp=$(spark_classpath)
  if [[ ! -d $home/jars || $(cat "$home/classpath.txt" 2>/dev/null) != "$cp" ]]; then
    say "filling $home/jars with Spark's jars"
    rm -rf "$home.tmp"
    mkdir -p "$home.tmp/jars"
    IFS=: read -r -a jars <<< "$cp"
    for jar in "${jars[@]}"; do
      case ${jar##*/} in jfreechart-*) continue ;; esac
      ln -f "$jar" "$home.tmp/jars/" 2>/dev/null || cp -f "$jar" "$home.tmp/jars/"
    done
    printf '%s' "$cp" > "$home.tmp/classpath.txt"
    rm -rf "$home"
    mv "$home.tmp" "$home"
  fi
  echo "$home"
}

# Fetch MNIST into DIR unless all four IDX files are there.
ensure_mnist() {
  local f
  for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    if [[ ! -f $1/$f ]]; then
      phase data "fetching MNIST into ${1#"$ROOT"/} (SHA-256 verified)" "$ROOT/scripts/fetch-mnist.sh" "$1"
      return
    fi
  done
}

# A class-data sharing archive for the driver JVM (Java's AppCDS): the classes a training run loads (Spark's,
# Scala's, Hadoop's, ours), already parsed and verified, mapped at start-up instead of read from ~300 jars.
# Measured here: the first epoch line 3-4 s sooner. Made once per build and Spark classpath, by a one-epoch
# run of the README's recipe on data/mnist with -XX:ArchiveClassesAtExit (about 20 s); kept under
# .cache/cds/, named by the jar's and the classpath's fingerprint, so a rebuild makes a new one. Without
# data/mnist, or with SHARDPROP_CDS=0, the driver starts without one. The JVM checks every archived class
# against the jar's bytes before using it, so a stale archive can only be slower, never wrong. Sets CDS_OPTS.
CDS_OPTS=()
ensure_cds() {
  CDS_OPTS=()
  [[ ${SHARDPROP_CDS:-1} != 0 ]] || return 0
  local data=$ROOT/data/mnist key dir archive tmp
  [[ -f $data/train-images-idx3-ubyte && -f $data/t10k-labels-idx1-ubyte ]] || return 0
  key=$( { stat -c '%s %Y' "$JAR"; spark_classpath; command -v "$JAVA"; } | cksum | cut -d' ' -f1)
  dir=$ROOT/.cache/cds
  archive=$dir/driver-$key.jsa
  if [[ ! -s $archive ]]; then
    mkdir -p "$dir"
    rm -f "$dir"/driver-*.jsa  # an older build's
    tmp=$(mktemp -d "$dir/run.XXXXXX")
    spark_submit_command
    phase cds "preparing the driver's class-data archive (once per build: faster start-up)" \
      "${SUBMIT[0]}" -XX:ArchiveClassesAtExit="$tmp/archive.jsa" "${SUBMIT[@]:1}" --master 'local[2]' \
      --class "$MAIN_CLASS" "$JAR" train --config "$ROOT/conf/mnist.properties" --data "$data" --epochs 1 \
      --out "$tmp/run"
    # Another run may have made it meanwhile: same classes, either is fine.
    if [[ -s $tmp/archive.jsa ]]; then mv -f "$tmp/archive.jsa" "$archive"; fi
    rm -rf "$tmp"
  fi
  [[ ! -s $archive ]] || CDS_OPTS=(-XX:SharedArchiveFile="$archive")
}

# The driver's full log (stack traces included; the console has one line per event): conf/log4j2.properties.
DRIVER_LOG=${SHARDPROP_LOG_FILE:-$ROOT/.cache/logs/driver.log}

# Run Spark's own SparkSubmit from the Maven classpath (no Spark install needed); exec_…: replacing this
# shell. The driver JVM is this one, so its heap is SHARDPROP_DRIVER_MEMORY, not --driver-memory.
spark_submit_command() {  # into the array SUBMIT
  mkdir -p "${DRIVER_LOG%/*}"
  SUBMIT=("$JAVA" "${CDS_OPTS[@]}" -Xmx"${SHARDPROP_DRIVER_MEMORY:-4g}" "${JAVA_MODULE_OPTS[@]}"
    -Dlog4j.configurationFile="file:$ROOT/conf/log4j2.properties" -Dshardprop.log.file="$DRIVER_LOG"
    -cp "$(spark_classpath)"
    org.apache.spark.deploy.SparkSubmit)
}
maven_spark_submit() { spark_submit_command; "${SUBMIT[@]}" "$@"; }
exec_maven_spark_submit() { spark_submit_command; exec "${SUBMIT[@]}" "$@"; }
