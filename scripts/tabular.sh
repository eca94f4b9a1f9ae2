#!/usr/bin/env bash
# Spark ML on small tabular sets, as a new user would write the programs (not a test: it asserts nothing):
# scripts/tabular.py writes scikit-learn's diabetes data, a 20,000-row Friedman #1 set, iris and a 95/5 set into
# data/tabular (each with a 20 % held-out "test" column) and scikit-learn's own R² on them (its default
# MLPRegressor and LinearRegression); then `tabular-bench` (io.shardprop.job.bench.TabularBench) runs, in one
# SparkSession: StandardScaler -> ShardPropRegressor (its defaults, CrossValidator over weight decay x activation)
# against StandardScaler -> LinearRegression; two targets a row (one fit of the defaults, an array label) against a
# LinearRegression a target; CrossValidator fits of ShardPropClassifier and MLPC on iris, timed
# in turns; and class weights (weightCol) on the 95/5 set. The figures go to out/tabular/tabular.json and, as a
# table, between the tabular markers of docs/spark-ml.md (or --doc FILE; --no-doc: out/tabular/tabular.md).
# Needs python3 with scikit-learn (pip install scikit-learn); without it, says so and exits 0.
# Usage: scripts/tabular.sh [--doc FILE | --no-doc]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

doc=$ROOT/docs/spark-ml.md
while [[ $# -gt 0 ]]; do
  case $1 in
    --doc) doc=$2; shift 2 ;;
    --no-doc) doc=; shift ;;
    *) echo "usage: ${0##*/} [--doc FILE | --no-doc]" >&2; exit 2 ;;
  esac
done
if ! python3 -c 'import sklearn' 2> /dev/null; then
  say "no tabular figures: scikit-learn is not installed here (pip install scikit-learn)"
  exit 0
fi
use_loopback
out=$ROOT/out/tabular
mkdir -p "$out"
say "data and scikit-learn's figures into data/tabular"
python3 "$ROOT/scripts/tabular.py" "$ROOT/data/tabular"
say "Spark ML programs on them (tabular-bench)"
"$ROOT/scripts/run.sh" tabular-bench --data "$ROOT/data/tabular" --json "$out/tabular.json" 2> "$out/tabular.log" \
  | tee "$out/tabular.txt"
python3 "$ROOT/scripts/tabular_doc.py" "$out/tabular.json" "${doc:-$out/tabular.md}"
