#!/usr/bin/env bash
# Benchmark, side by side in one script run (not a test: it asserts nothing):
#   (a) the single-process core trainer (--engine local, all cores for BLAS),
#   (b) ShardProp on local[2], (c) MLlib's MultilayerPerceptronClassifier (gd, [784,100,10]) on the same
#   cached data in the same SparkSession, (d) ShardProp on tiny data (Spark's own cost per step),
#   plus the wall time of a whole 20-epoch seed run against MLPC's, ShardProp with --precision float32,
#   (e) ShardProp again with netlib's pure-Java BLAS (VectorBLAS), native BLAS disabled, and
#   (f) one row per BLAS: the default (auto), the bundled OpenBLAS and the system's libblas.so.3 when there is one
#   (as it loads, and with OPENBLAS_CORETYPE forced to this CPU's kernel), pure Java: the first layer's
#   products on one thread and a seed epoch on local[2] with each, and
#   (g) the README's train command (conf/mnist.properties, local steps), whole run on local[2], beside the
#   same recipe with a sync every step (the synchronous trainer, a few epochs), and with --precision float64,
#   (h) PyTorch (CPU, 2 threads) on the same two recipes, float64 and float32 (scripts/torch_recipes.py), with
#   the ratios; skipped with a note where torch is not installed (pip install torch), and
#   (i) Spark ML fit on the MNIST DataFrame: MLPC's defaults (l-bfgs, 100 iterations) against
#   ShardPropClassifier with the preset (its defaults and shift 1, 30 epochs), wall time of fit and test accuracy (in the (b)-(d) session),
#   (j) interleaved pairs (scripts/bench_pairs.py): scripts/train.sh and PyTorch alternating, 5 pairs, medians: the seed
#   epoch with and without the test pass, the preset's whole run and epoch, and where the start-up goes,
#   (k) Spark ML on small tabular sets (scripts/tabular.sh): ShardPropRegressor against LinearRegression and
#   scikit-learn, CrossValidator fits of ShardPropClassifier and MLPC on iris, class weights; its table goes to
#   docs/spark-ml.md (a full run) or out/tabular/tabular.md (--quick).
# Prints tables (medians, min-max, ratios, BLAS) and writes out/bench/bench.json and out/bench/blas-*.json; then
# writes the tables as markdown (scripts/bench_doc.py, atomically, with this command line, the machine and the
# BLAS) between the markers of docs/performance.md, or of --doc FILE, and (a full run) the results table of
# README.md from the same figures. --quick never writes the docs: its page is out/bench/performance.md unless
# --doc is given.
# Usage: scripts/bench.sh [--epochs N] [--quick] [--doc FILE]   (--quick: N=2 and a 3-epoch whole run, for CI)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

epochs=10 run_epochs=20 pure_epochs=5 blas_epochs=5 blas_rounds=3 blas_seconds=2 preset_epochs=30 sync_epochs=3
fit_iterations=100 fit_epochs=0 pairs=5 pair_seed_epochs=10
command_line="scripts/bench.sh${*:+ $*}"  # for the doc: the command as given (no dates, no paths but --doc's)
doc= quick=false
while [[ $# -gt 0 ]]; do
  case $1 in
    --epochs) epochs=$2; shift 2 ;;
    --quick) epochs=2 run_epochs=3 pure_epochs=1 blas_epochs=2 blas_rounds=1 blas_seconds=0.5 preset_epochs=2 sync_epochs=2
      fit_iterations=2 fit_epochs=1 pairs=1 pair_seed_epochs=2 quick=true; shift ;;
    --doc) doc=$2; shift 2 ;;
    *) echo "usage: ${0##*/} [--epochs N] [--quick] [--doc FILE]" >&2; exit 2 ;;
  esac
done

use_loopback
ensure_built
ensure_mnist "$ROOT/data/mnist"
ensure_cds  # what scripts/train.sh uses: the bench's own JVMs start as users' do
out=$ROOT/out/bench
mkdir -p "$out"
if [[ -z $doc ]]; then
  if $quick; then doc=$out/performance.md; else doc=$ROOT/docs/performance.md; fi
fi
rm -f "$out/blas-rows.txt" "$out"/*.wall "$out"/torch-*.json "$out/pairs.json"  # no figures of an earlier run in the doc
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

say "(b)-(d), (i) ShardProp, Spark's overhead and MLPC in one SparkSession on local[2]"
SHARDPROP_DRIVER_MEMORY=${SHARDPROP_DRIVER_MEMORY:-6g} maven_spark_submit --master 'local[2]' --class "$MAIN_CLASS" "$JAR" \
  bench --data "$ROOT/data/mnist" --epochs "$epochs" --json "$out/bench.json" \
  --measured local-metrics="$out/core/metrics.csv" --measured run-seconds="$run_seconds" \
  --measured run-seconds-float32="$run32_seconds" --measured run-epochs="$run_epochs" \
  --fit-iterations "$fit_iterations" --fit-epochs "$fit_epochs"
say "(e) ShardProp with netlib's pure-Java BLAS (native disabled), $pure_epochs timed epochs"
SHARDPROP_BLAS=java SHARDPROP_DRIVER_MEMORY=${SHARDPROP_DRIVER_MEMORY:-6g} maven_spark_submit --master 'local[2]' \
  --class "$MAIN_CLASS" "$JAR" bench --data "$ROOT/data/mnist" --epochs "$pure_epochs" --mlpc false \
  --json "$out/bench-pure-java.json"

# (f) One row per BLAS, each in fresh JVMs with its settings: seed runs on local[2] (their metrics.csv give
# the median epoch), then `blas` for the products' rates. The first row is what users get by default. The
# runs go round-robin over the rows, $blas_rounds rounds, so that a VM getting slower or faster during the
# bench (it does) shifts every row alike.
names=() labels=() envs=() epochs_of=()
blas_config() { names+=("$1"); labels+=("$2"); epochs_of+=("$3"); envs+=("$4"); }  # NAME LABEL EPOCHS "VAR=V ..."
blas_config default "default (SHARDPROP_BLAS=auto)" "$blas_epochs" "SHARDPROP_BLAS="
if system_libblas > /dev/null; then
  blas_config bundled "bundled OpenBLAS" "$blas_epochs" "SHARDPROP_BLAS=bundled"
  blas_config system "system libblas.so.3" "$blas_epochs" "SHARDPROP_BLAS=system"
  flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
  core=
  case " $flags " in *" avx512f "*) core=SkylakeX ;; *" avx2 "*) core=Haswell ;; esac
  if [[ -n $core ]]; then
    blas_config "system-$core" "system, OPENBLAS_CORETYPE=$core" "$blas_epochs" \
      "SHARDPROP_BLAS=system OPENBLAS_CORETYPE=$core"
  fi
else
  say "(f) no system libblas.so.3: no system BLAS row (Debian/Ubuntu: apt-get install libopenblas0-pthread)"
fi
blas_config java "pure Java (netlib VectorBLAS)" 3 "SHARDPROP_BLAS=java"
declare -A metrics=()
for round in $(seq "$blas_rounds"); do
  for i in "${!names[@]}"; do
    say "(f) BLAS row ${labels[$i]}, round $round/$blas_rounds: seed run of ${epochs_of[$i]} epochs on local[2]"
    run=$out/blas-${names[$i]}-$round
    # shellcheck disable=SC2086  # envs[i] is a list of VAR=VALUE words
    env ${envs[$i]} SHARDPROP_MASTER='local[2]' "$ROOT/scripts/train.sh" "${seed[@]}" --epochs "${epochs_of[$i]}" \
      --out "$run" > "$run.log" 2>&1
    metrics[$i]+=" --metrics $run/metrics.csv"
  done
done
rows=()
for i in "${!names[@]}"; do
  # shellcheck disable=SC2086
  env ${envs[$i]} "$JAVA" "${JAVA_MODULE_OPTS[@]}" -Dlog4j.configurationFile="file:$ROOT/conf/log4j2.properties" \
    -cp "$JAR:$(spark_classpath)" "$MAIN_CLASS" blas --label "${labels[$i]}" --seconds "$blas_seconds" \
    ${metrics[$i]} --json "$out/blas-${names[$i]}.json" 2>> "$out/blas-${names[$i]}-1.log"
  rows+=("$out/blas-${names[$i]}.json")
done
printf '%s\n' "${rows[@]}" > "$out/blas-rows.txt"  # the rows in order, for the doc
"$JAVA" "${JAVA_MODULE_OPTS[@]}" -Dlog4j.configurationFile="file:$ROOT/conf/log4j2.properties" \
  -cp "$JAR:$(spark_classpath)" "$MAIN_CLASS" blas --table "${rows[@]}" 2> /dev/null | tee "$out/blas.txt"

# (g) The README's train command as a user runs it (start-up included), and the same recipe synchronously.
syncs_per_epoch() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["syncs_per_epoch"])' "$1/model/model.json"; }
median_epoch() { tail -n +3 "$1" | cut -d, -f6 | sort -g | awk '{ s[NR] = $1 } END { printf "%.3f", (NR % 2) ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2 }'; }
say "(g) scripts/train.sh (conf/mnist.properties), $preset_epochs epochs on local[2], start-up included"
start=$EPOCHREALTIME
SHARDPROP_MASTER='local[2]' "$ROOT/scripts/train.sh" --epochs "$preset_epochs" --out "$out/preset" --overwrite \
  > "$out/preset.log" 2>&1
preset_wall=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
echo "$preset_wall" > "$out/preset.wall"
say "(g) the same recipe with a sync every step (--syncs-per-epoch 0), $sync_epochs epochs"
SHARDPROP_MASTER='local[2]' "$ROOT/scripts/train.sh" --syncs-per-epoch 0 --block-size 64 --epochs "$sync_epochs" \
  --out "$out/preset-sync" --overwrite > "$out/preset-sync.log" 2>&1
say "(g) the preset with --precision float64, $preset_epochs epochs on local[2], start-up included"
start=$EPOCHREALTIME
SHARDPROP_MASTER='local[2]' "$ROOT/scripts/train.sh" --precision float64 --epochs "$preset_epochs" \
  --out "$out/preset-float64" --overwrite > "$out/preset-float64.log" 2>&1
preset64_wall=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
echo "$preset64_wall" > "$out/preset-float64.wall"
{
  printf '\n%-62s %9s %9s %8s %9s\n' "conf/mnist.properties on local[2] (785-100-10, batch 256)" "epoch s" "syncs" "wall s" "test acc"
  printf '%-62s %9s %9s %8s %9s\n' "the preset: 2 replicas, 1 sync an epoch, float32" "$(median_epoch "$out/preset/metrics.csv")" \
    "$(syncs_per_epoch "$out/preset")" "$preset_wall" "$(tail -1 "$out/preset/metrics.csv" | cut -d, -f5)"
  printf '%-62s %9s %9s %8s %9s\n' "the preset with --precision float64" "$(median_epoch "$out/preset-float64/metrics.csv")" \
    "$(syncs_per_epoch "$out/preset-float64")" "$preset64_wall" "$(tail -1 "$out/preset-float64/metrics.csv" | cut -d, -f5)"
  printf '%-62s %9s %9s %8s %9s\n' "a sync every step (--syncs-per-epoch 0, $sync_epochs epochs)" "$(median_epoch "$out/preset-sync/metrics.csv")" \
    "$(syncs_per_epoch "$out/preset-sync")" "-" "$(tail -1 "$out/preset-sync/metrics.csv" | cut -d, -f5)"
  echo "epoch s: median (first epoch left out)"
} | tee "$out/preset.txt"

# (h) PyTorch on the same recipes, same machine, same run: the preset in float64 and float32, the seed's
# full-batch step in float64 (and on 4x the rows, for its fixed cost). Wall time from the command's start.
if python3 -c 'import torch' 2> /dev/null; then
  torch_run() {  # NAME ARGS...: runs scripts/torch_recipes.py, its JSON in $out/torch-NAME.json, wall in NAME.wall
    local name=$1 start=$EPOCHREALTIME
    shift
    say "(h) PyTorch: $name"
    python3 "$ROOT/scripts/torch_recipes.py" "$ROOT/data/mnist" "$@" > "$out/torch-$name.json"
    awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }' > "$out/torch-$name.wall"
  }
  torch_run preset-float64 preset --dtype float64 --epochs "$preset_epochs"
  torch_run preset-float32 preset --dtype float32 --epochs "$preset_epochs"
  torch_run seed-float64 seed --dtype float64 --epochs "$((epochs + 1))"
  python3 - "$out" "$preset64_wall" "$preset_wall" << 'PY' | tee "$out/torch.txt"
import csv, json, statistics, sys
out, wall64, wall32 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
def metrics(run):
    rows = list(csv.DictReader(open(f"{out}/{run}/metrics.csv")))
    return statistics.median(float(r["seconds"]) for r in rows[1:] or rows), float(rows[-1]["test_accuracy"])
def torch(name):
    return json.load(open(f"{out}/torch-{name}.json")), float(open(f"{out}/torch-{name}.wall").read())
bench = json.load(open(f"{out}/bench.json"))
t64, tw64 = torch("preset-float64")
t32, tw32 = torch("preset-float32")
ts, _ = torch("seed-float64")
print(f"\nShardProp (local[2]) beside PyTorch {t64['torch']} ({t64['threads']} threads, {t64['blas']}), same recipe, same run")
print(f"{'':56} {'ShardProp':>10} {'PyTorch':>10} {'ratio':>7}")
def row(what, ours, theirs, fmt="{:10.3f}"):
    ratio = f"{ours / theirs:6.2f}x" if theirs else "      -"
    print(f"{what:56} {fmt.format(ours)} {fmt.format(theirs)} {ratio}")
for label, run, t, ours_wall, their_wall in (("float32", "preset", t32, wall32, tw32),
                                             ("float64", "preset-float64", t64, wall64, tw64)):
    epoch, acc = metrics(run)
    row(f"preset {label}: median epoch s (ours: local steps)", epoch, t["median_epoch_seconds"])
    row(f"preset {label}: whole run s, start-up included", ours_wall, their_wall, "{:10.1f}")
    row(f"preset {label}: test accuracy after {len(t['epochs'])} epochs", acc, t["final_test_accuracy"], "{:10.4f}")
seed_epoch, _ = metrics("run")
row("seed full batch float64: median epoch s", seed_epoch, ts["median_epoch_seconds"])
row("  with the test pass (bench; PyTorch: the same epochs)", bench["shardprop_epoch_with_test"]["median_seconds"],
    ts["median_epoch_with_test_seconds"])
f, tf = bench.get("fixed_cost"), ts["fixed_cost"]
if f:
    row("  a training step, alternating with 240,000 rows: median s", f["step"]["median_seconds"], tf["step_median_seconds"])
    row("  the step on 240,000 rows (4 x the training set): median s", f["step_4x"]["median_seconds"], tf["step_4x_median_seconds"])
    row("  fixed cost of a step, s (a in a + b.rows), from the medians", f["fixed_seconds"], tf["from_medians"]["fixed_seconds"])
    row("  fixed cost of a step, s, from the fastest of each", f["fixed_seconds_fastest"], tf["from_fastest"]["fixed_seconds"])
print("epoch s: the training work (test pass excluded, as metrics.csv), median, first epoch left out. Ours: "
      "conf/mnist.properties (2 replicas, 1 sync an epoch) and conf/seed.properties via scripts/train.sh; PyTorch: "
      "scripts/torch_recipes.py (synchronous, one update per batch of 256)")
PY
  # (j) The ratios that matter to users, each from interleaved pairs (ShardProp, PyTorch, ShardProp, ...; medians):
  # the seed epoch with and without the test pass, the preset's whole run and epoch, and the start-up phases.
  say "(j) interleaved pairs: scripts/train.sh and PyTorch, $pairs pairs"
  python3 "$ROOT/scripts/bench_pairs.py" --root "$ROOT" --json "$out/pairs.json" --pairs "$pairs" \
    --seed-epochs "$pair_seed_epochs" --preset-epochs "$preset_epochs" | tee "$out/pairs.txt"
else
  say "(h), (j) no PyTorch rows: torch is not installed here (pip install torch, CPU wheel)"
fi
# (k) Spark ML on small tabular sets (needs scikit-learn for the data; skipped with a note without it)
say "(k) Spark ML on small tabular sets: scripts/tabular.sh"
if $quick; then "$ROOT/scripts/tabular.sh" --no-doc; else "$ROOT/scripts/tabular.sh"; fi
summary=()  # a full run also rewrites the README's results table from its figures; --quick never does
if ! $quick; then summary=(--summary "$ROOT/README.md"); fi
python3 "$ROOT/scripts/bench_doc.py" --out-dir "$out" --command "$command_line" "${summary[@]}" "$doc"
say "figures in $out/bench.json, $out/bench-pure-java.json, $out/blas-*.json and $out/torch-*.json (tables: $out/blas.txt, $out/preset.txt, $out/torch.txt)"
