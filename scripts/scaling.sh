#!/usr/bin/env bash
# Scaling, measured and modelled. Trains short runs (3 epochs) on local[2] and on local standalone clusters of
# 1, 2, 4 and 8 executor JVMs (scripts/cluster.sh, 1 core each, loopback) and reads each run's training jobs from
# model.json (engine.rounds, from Spark's listener): tasks, executors, seconds and bytes to the driver a round.
#   calibration: the inputs of the cost model, each measured by runs of their own: the latency of a job and of a
#                task on local[2] and on each cluster (a 1-unit hidden layer, 2 and 256 or 64 tasks), the
#                arithmetic per row and parameter (the notebook's network on 60,000 rows in blocks of 40; local
#                steps of the preset and of the 785-800-10 network), the exact partial sums per task and parameter
#                (1M parameters on 2 tasks; 1M and 7,960 on 64);
#   measured:    full batch with 79,510, 1 million and 12 million parameters (Ciresan's
#                784-2500-2000-1500-1000-500-10) on 2-256, 2-256 and 2-64 tasks (2,560 rows, blocks of 40), and
#                local steps (8 replicas of 128 rows, 4 rounds an epoch, the averaged inner state) on local[2]
#                and on the clusters.
# Then scripts/scaling_model.py predicts every measured configuration from the calibration alone and projects the
# epoch time and time to 99.0 % of the 8.1M-row recipes on 2-128 cores at 1 and 10 Gbit/s. A benchmark: it
# asserts nothing. Usage: scripts/scaling.sh [--quick] [--out DIR]   (DIR: out/scaling; --quick: fewer runs)
# Writes DIR/runs.csv, DIR/model.md and a run folder per configuration; a full run into out/scaling also writes
# the tables into docs/performance.md (between its scaling markers). About 15 minutes (--quick: 5).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

out=$ROOT/out/scaling quick=false
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) quick=true; shift ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "scaling.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

use_loopback
ensure_built
ensure_mnist "$ROOT/data/mnist"
mkdir -p "$out"
tiny=$out/data-2560
if [[ ! -f $tiny/t10k-labels-idx1-ubyte ]]; then
  # the first 2,560 training and 500 test rows of MNIST: tiny data for the per-round costs of big models
  python3 - "$ROOT/data/mnist" "$tiny" <<'PY'
import os, struct, sys
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)
for prefix, keep in (("train", 2560), ("t10k", 500)):
    for what in ("images-idx3-ubyte", "labels-idx1-ubyte"):
        data = open(os.path.join(src, prefix + "-" + what), "rb").read()
        dims = data[3]
        shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
        row = (len(data) - 4 - 4 * dims) // shape[0]
        head = data[:4] + struct.pack(">" + "I" * dims, keep, *shape[1:])
        tmp = os.path.join(dst, "." + prefix + "-" + what + ".tmp")
        with open(tmp, "wb") as f:
            f.write(head + data[4 + 4 * dims:4 + 4 * dims + keep * row])
        os.replace(tmp, os.path.join(dst, prefix + "-" + what))
PY
fi

csv=$out/runs.csv
echo "set,name,master,executors,tasks,task_slots,params,rows,rounds,seconds_per_round,driver_bytes_per_round,shuffle_bytes_per_round,mode,block_size,replicas,rounds_per_epoch,partitions,epoch_seconds" > "$csv"

# run SET NAME MASTER EXECUTORS MODE [train options]: one run, its rounds appended to runs.csv
run() {
  local set=$1 name=$2 master=$3 executors=$4 mode=$5 dir=$out/$1-$2
  shift 5
  say "$set $name on $master"
  local opts=(--master "$master" --conf spark.executorEnv.OPENBLAS_NUM_THREADS=1)
  # TASKS=P: P tasks a pass (spark.default.parallelism; by default a pass runs one task a task slot)
  [[ -z ${TASKS:-} ]] || opts+=(--conf "spark.default.parallelism=$TASKS")
  [[ $master == local* ]] || opts+=(--executor-memory 3g --conf spark.executor.cores=1)
  if ! SHARDPROP_DRIVER_MEMORY=${SHARDPROP_DRIVER_MEMORY:-8g} "$ROOT/scripts/submit.sh" "${opts[@]}" -- \
      --epochs "${EPOCHS:-3}" --checkpoint-every 0 --overwrite --out "$dir" "$@" > "$dir.log" 2>&1; then
    say "$set $name failed, see $dir.log"
    return 0
  fi
  python3 - "$dir/model/model.json" "$set" "$name" "$master" "$executors" "$mode" >> "$csv" <<'PY'
import json, re, sys
m = json.load(open(sys.argv[1]))
r = m["engine"]["rounds"]
params = 0
for layer in m["architecture"]["layers"]:
    dims = re.search(r"\[([0-9 x]+)\]", layer)
    if dims:
        n = 1
        for d in dims.group(1).split("x"):
            n *= int(d)
        params += n
rows = sum(v["count"] for k, v in m["data"].items() if k.startswith("train-images"))
seconds = sorted(float(l.split(",")[5]) for l in open(sys.argv[1].replace("model/model.json", "metrics.csv")).readlines()[1:])
epoch = seconds[len(seconds) // 2]
print(",".join(map(str, [sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], r["tasks_per_round"], r["task_slots"],
      params, rows, r["jobs"], r["seconds_per_round"], r["driver_bytes_per_round"], r["shuffle_bytes_per_round"],
      sys.argv[6], m["options"]["block-size"], m["options"].get("replicas", 0), m["options"].get("syncs-per-epoch", 0),
      m["engine"]["partitions"], epoch])))
PY
}

full=(--config "$ROOT/conf/seed.properties" --loss xent --init he --bias)
tinyfull=("${full[@]}" --data "$tiny" --lr 1e-4)
big=(--hidden 2500,2000,1500,1000,500)
local=(--config "$ROOT/conf/mnist.properties" --data "$ROOT/data/mnist" --replicas 8 --replica-batch 128
  --syncs-per-epoch 4 --inner-state average)

# calibration: each input of the model from runs of its own
run calibration latency-2 'local[2]' 1 full "${tinyfull[@]}" --hidden 1 --block-size 10 --partitions 2
TASKS=256 run calibration latency-256 'local[2]' 1 full "${tinyfull[@]}" --hidden 1 --block-size 10 --partitions 256
run calibration compute 'local[2]' 1 full "${full[@]}" --data "$ROOT/data/mnist" --block-size 40 --partitions 2
run calibration compute-local 'local[2]' 1 local --config "$ROOT/conf/mnist.properties" --data "$ROOT/data/mnist" \
  --inner-state average --partitions 2
# the same for the 8.1M-row recipes' network (785-800-10: a wider layer runs its products more efficiently)
run calibration compute-local-800 'local[2]' 1 local --config "$ROOT/conf/mnist8m.properties" --data "$ROOT/data/mnist" \
  --inner-state average --partitions 2
run calibration exact-2 'local[2]' 1 full "${tinyfull[@]}" --hidden 1270 --block-size 40 --partitions 2
TASKS=64 run calibration exact-64 'local[2]' 1 full "${tinyfull[@]}" --hidden 1270 --block-size 40 --partitions 64
TASKS=64 run calibration shuffle-small 'local[2]' 1 full "${tinyfull[@]}" --hidden 10 --block-size 40 --partitions 64

# measured: full batch, tasks x parameters, on local[2]
tasks79k="2 8 32 128 256" tasks1m="16 256" tasks12m="2 16 64"
$quick && tasks79k="2 32 256" tasks1m="16" tasks12m="2 16"
for p in $tasks79k; do
  TASKS=$p run measured "79k-$p" 'local[2]' 1 full "${tinyfull[@]}" --hidden 100 --block-size 40 --partitions "$p"
done
for p in $tasks1m; do
  TASKS=$p run measured "1m-$p" 'local[2]' 1 full "${tinyfull[@]}" --hidden 1270 --block-size 40 --partitions "$p"
done
for p in $tasks12m; do
  TASKS=$p run measured "12m-$p" 'local[2]' 1 full "${tinyfull[@]}" "${big[@]}" --block-size 40 --partitions "$p"
done
# the default: 16 partitions, one task a slot
run measured "12m-16-default" 'local[2]' 1 full "${tinyfull[@]}" "${big[@]}" --block-size 40 --partitions 16
run measured "local-steps" 'local[2]' 1 local "${local[@]}" --partitions 2

# the cluster preset's epoch beside the 2-replica recipe's on this machine, on the 1M-row held-out slice when there
slice=$ROOT/data/holdout1m-idx
if [[ -d $slice ]]; then
  for preset in mnist8m cluster; do
    EPOCHS=1 run presets "$preset" 'local[2]' 1 local --config "$ROOT/conf/$preset.properties" --data "$slice"
  done
fi

# measured: local steps on standalone clusters of 1, 2, 4 and 8 one-core executors (on this machine's cores)
sizes="1 2 4 8"
$quick && sizes="2 4"
export SHARDPROP_CLUSTER_DIR=$out/cluster SHARDPROP_MASTER_PORT=0 SHARDPROP_UI_PORT=0 SHARDPROP_WORKER_CORES=1
export SHARDPROP_WORKER_MEMORY=3g
trap '"$ROOT/scripts/cluster.sh" stop >/dev/null 2>&1 || true' EXIT
for n in $sizes; do
  "$ROOT/scripts/cluster.sh" start "$n" >&2
  url=$("$ROOT/scripts/cluster.sh" url)
  # this cluster's latency: a job's and a task's (the 1-unit network, 2 and 64 tasks)
  TASKS=2 run calibration "cluster-$n-latency-2" "$url" "$n" full "${tinyfull[@]}" --hidden 1 --block-size 10 \
    --partitions 2
  TASKS=64 run calibration "cluster-$n-latency-64" "$url" "$n" full "${tinyfull[@]}" --hidden 1 --block-size 10 \
    --partitions 64
  run measured "cluster-$n" "$url" "$n" local "${local[@]}" --partitions "$n"
  TASKS=64 run measured "cluster-$n-79k-64" "$url" "$n" full "${tinyfull[@]}" --hidden 100 --block-size 40 \
    --partitions 64
  "$ROOT/scripts/cluster.sh" stop >&2
done
trap - EXIT

curves=()
for r in 32 128; do
  f=$ROOT/out/mnist8m-R$r/metrics.csv   # the 8.1M-row recipes' runs (docs/recipes.md), when there
  if [[ -f $f ]]; then curves+=(--curve "$r=$f"); fi
done
{
  label=""; $quick && label=" --quick"
  echo "Command: \`scripts/scaling.sh$label\`  "
  echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)  "
  echo "BLAS: \`$(grep -m1 -ho 'BLAS: .*' "$out"/calibration-compute.log | sed 's/^BLAS: //')\`"
  echo
  python3 "$ROOT/scripts/scaling_model.py" "$csv" "${curves[@]}" | sed '1,2d'
} | tee "$out/model.md"
# the full run's tables into docs/performance.md, between its scaling markers (a temporary file renamed over it)
if ! $quick && [[ $out == "$ROOT/out/scaling" ]]; then
  python3 - "$ROOT/docs/performance.md" "$out/model.md" <<'PY'
import os, sys
page, tables = sys.argv[1], open(sys.argv[2]).read()
text = open(page).read()
begin, end = "<!-- scaling:begin -->", "<!-- scaling:end -->"
i, j = text.index(begin) + len(begin), text.index(end)
tmp = page + ".tmp"
with open(tmp, "w") as f:
    f.write(text[:i] + "\n" + tables.rstrip() + "\n" + text[j:])
os.replace(tmp, page)
PY
  say "wrote the tables into docs/performance.md"
fi
