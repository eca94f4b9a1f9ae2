#!/usr/bin/env bash
# Measured growth, one script run (a benchmark: it asserts nothing): the same network, recipe and cache type on
# 60,000, 1,000,000 and 8,100,000 rows on local[2], for
#   preset: conf/mnist.properties (785-100-10, local steps, float32 products, shift 1) with --cache uint8 and
#           float32 (8.1M rows in float32 is 25 GB: more than the driver's heap, so Spark puts it on disk),
#   large:  conf/mnist-large.properties (785-800-10, elastic distortions on the fly) with uint8 and float32
#           (8.1M rows: uint8 only),
#   seed:   conf/seed.properties (the notebook's full-batch float64 epoch) with uint8 and float64 (60,000 rows).
# Rows: MNIST's training set (data/mnist), the first part of the 8.1M-row set (1,000,000 rows) and the whole set
# (data/mnist8m-idx, made by `augment` if missing, 2 GB gzipped); the test set is MNIST's each time.
# Prints one table (rows/s of training from metrics.csv's epoch seconds, past the first epoch where there are
# several; seconds to read and cache, bytes cached a row, in memory and on disk, as model.json states them; the
# driver's heap and its peak resident memory; the weights' hash) and writes it to out/growth/growth.md
# (out/growth/seed-cost.md with --seed-cost).
# The 16 GB heap holds the 8.1M rows as bytes (6.4 GB).
# Beyond memory: the seed recipe on 1,000,000 rows in float64 runs in a 4 GB heap (its 6.3 GB cache does not
# fit: Spark puts the partitions on disk and reads them back every epoch), and the preset on 1,000,000 rows in
# float32 in a 2 GB heap with 4 syncs an epoch (a task holds its round's blocks); each must give the weights of
# the same recipe with the uint8 cache in memory (same hash). The float caches of 8.1M rows (25 and 51 GB) are
# not run: they exceed this machine's memory, and with local steps a partition on disk is read every round.
# The cost of the uint8 cache on the notebook's full-batch float64 epoch (blocks of 2,000 rows expanded in the
# step): the seed recipe on 60,000 rows, uint8 and float64 alternately, 4 runs of 11 epochs each; the medians
# and minima of their epochs past the first.
# Usage: scripts/growth.sh [--quick | --seed-cost]   (--quick: 60,000 and 1,000,000 rows only; --seed-cost:
# only the uint8 against float64 seed epochs)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

quick=false seed_cost=false
case ${1:-} in
  --quick) quick=true ;;
  --seed-cost) seed_cost=true ;;
  "") ;;
  *) echo "usage: ${0##*/} [--quick | --seed-cost]" >&2; exit 2 ;;
esac
use_loopback
ensure_built
ensure_mnist "$ROOT/data/mnist"
big=$ROOT/data/mnist8m-idx
if ! $seed_cost && [[ ! -f $big/augment.json ]]; then
  say "making the 8.1M-row set in ${big#"$ROOT"/} (about 2 minutes)"
  "$ROOT/scripts/run.sh" augment --data "$ROOT/data/mnist" --copies 134 --out "$big" --gzip \
    --rows-per-file 1000000 --elastic-alpha 34 --rotate 15 --scale 0.15 --shear 15
fi
for f in t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  $seed_cost || [[ -f $big/$f ]] || cp "$ROOT/data/mnist/$f" "$big/$f"
done
out=$ROOT/out/growth
mkdir -p "$out"
export SHARDPROP_MASTER='local[2]'

declare -A rows_args=(
  [60k]="--data $ROOT/data/mnist"
  [1m]="--data $ROOT/data/mnist --train-images $big/train-images-idx3-ubyte.part-00000.gz --train-labels $big/train-labels-idx1-ubyte.part-00000.gz"
  [8m]="--data $big"
)
# recipe size cache epochs heap [options]: the heap is the driver's (local[2]: the executors' too)
runs=()
for k in 1 2 3 4; do
  runs+=("seed 60k uint8 11 16g" "seed 60k float64 11 16g")
done
if ! $seed_cost; then
  runs+=(
    "seed 1m uint8 2 16g" "seed 1m float64 2 4g"
    "preset 60k uint8 6 16g" "preset 60k float32 6 16g" "preset 1m uint8 2 16g" "preset 1m float32 2 16g"
    "preset 1m uint8 2 16g --syncs-per-epoch 4" "preset 1m float32 2 2g --syncs-per-epoch 4"
    "large 60k uint8 3 16g" "large 60k float32 3 16g" "large 1m uint8 1 16g" "large 1m float32 1 16g"
  )
  $quick || runs+=("preset 8m uint8 1 16g" "large 8m uint8 1 16g")
fi
declare -A config=([seed]=conf/seed.properties [preset]=conf/mnist.properties [large]=conf/mnist-large.properties)
: > "$out/runs.txt"
i=0
for r in "${runs[@]}"; do
  read -r recipe size cache epochs heap extra <<< "$r"
  i=$((i + 1))
  name=$(printf '%02d-%s-%s-%s' "$i" "$recipe" "$size" "$cache")
  say "$name: $epochs epoch(s), heap $heap${extra:+, $extra}"
  # shellcheck disable=SC2086  # rows_args and extra hold several options
  SHARDPROP_DRIVER_MEMORY=$heap /usr/bin/time -f '%M' -o "$out/$name.rss" "$ROOT/scripts/train.sh" \
    --config "$ROOT/${config[$recipe]}" ${rows_args[$size]} --cache "$cache" --epochs "$epochs" ${extra:-} \
    --out "$out/$name" --overwrite > "$out/$name.log" 2>&1
  echo "$name $recipe $size $cache $out/$name $(cat "$out/$name.rss") $heap ${extra// /_}" >> "$out/runs.txt"
done
table=growth.md
$seed_cost && table=seed-cost.md
python3 - "$out" "$table" <<'PY'
import csv, json, os, statistics, sys
out, table = sys.argv[1], sys.argv[2]
rows = []
for line in open(os.path.join(out, "runs.txt")):
    name, recipe, size, cache, run, rss, heap, *extra = line.split()
    if extra and extra[0]:
        recipe += " (" + extra[0].replace("_", " ") + ")"
    m = json.load(open(os.path.join(run, "model", "model.json")))
    seconds = [float(r["seconds"]) for r in csv.DictReader(open(os.path.join(run, "metrics.csv")))]
    train = m["engine"]["cache"]["training"]
    steady = seconds[1:] if len(seconds) > 1 else seconds
    rows.append(dict(recipe=recipe, size=size, cache=cache, n=train["rows"],
                     rps=train["rows"] / statistics.median(steady), load=train["seconds_to_read_and_cache"],
                     per_row=train["bytes_per_row"], mem=train["bytes_in_memory"], disk=train["bytes_on_disk"],
                     rss=int(rss) * 1024, heap=heap, sha=m["weights"]["sha256"][:12], epochs=len(seconds)))
epochs = {}
for line in open(os.path.join(out, "runs.txt")):
    name, recipe, size, cache, run = line.split()[:5]
    if recipe == "seed" and size == "60k":
        seconds = [float(r["seconds"]) for r in csv.DictReader(open(os.path.join(run, "metrics.csv")))]
        epochs.setdefault(cache, []).extend(seconds[1:])
lines = ["| recipe | rows | cache | epochs | training rows/s | × its 60,000-row figure | read + cache s | bytes a row | "
         "in memory | on disk | driver heap / peak RSS | weights sha256 |", "|" + "---|" * 12]
base = {}
for r in rows:
    if r["size"] == "60k":
        base.setdefault((r["recipe"], r["cache"]), []).append(r["rps"])
shown = set()
for r in rows:
    if r["recipe"] == "seed" and r["size"] == "60k":
        if r["cache"] in shown:
            continue  # the alternating runs: one row each, their epochs pooled below
        shown.add(r["cache"])
        runs_of = sum(1 for x in rows if x["recipe"] == "seed" and x["size"] == "60k" and x["cache"] == r["cache"])
        r = dict(r, rps=r["n"] / statistics.median(epochs[r["cache"]]), epochs="%d × %d" % (runs_of, r["epochs"]))
    b = base.get((r["recipe"], r["cache"]))
    ratio = "" if r["size"] == "60k" or not b else "%.2f" % (r["rps"] / statistics.median(b))
    lines.append("| %s | %s | %s | %s | %s | %s | %.1f | %.0f | %.2f GB | %.2f GB | %s / %.1f GB | `%s` |" % (
        r["recipe"], format(r["n"], ","), r["cache"], r["epochs"], format(round(r["rps"]), ","), ratio, r["load"],
        r["per_row"], r["mem"] / 1e9, r["disk"] / 1e9, r["heap"], r["rss"] / 1e9, r["sha"]))
if "uint8" in epochs and "float64" in epochs:
    u, f = epochs["uint8"], epochs["float64"]
    lines.append("")
    lines.append("The notebook's full-batch epoch (60,000 rows, float64 products), %d epochs of each cache from "
                 "alternating runs: median %.3f s with uint8 against %.3f s with float64 (uint8 / float64 = %.3f); "
                 "fastest %.3f s against %.3f s (%.3f)." % (len(u), statistics.median(u), statistics.median(f),
                 statistics.median(u) / statistics.median(f), min(u), min(f), min(u) / min(f)))
text = "\n".join(lines) + "\n"
print(text)
open(os.path.join(out, table), "w").write(text)
PY
