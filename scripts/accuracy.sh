#!/usr/bin/env bash
# Accuracy and time-to-accuracy of a recipe, measured in one script run on Spark (local[2]) and in a
# single process (--engine local), from the command to the first epoch line whose test accuracy reaches
# the target. Usage: scripts/accuracy.sh [--target 0.975] [train options, e.g. --config conf/mnist.properties]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

target=0.975
if [[ ${1:-} == --target ]]; then target=$2; shift 2; fi
out=$ROOT/out/accuracy
mkdir -p "$out"
ensure_built
ensure_mnist "$ROOT/data/mnist"

# Runs train with the given engine, prefixing each stdout line with the seconds since the command started.
timed() {
  local name=$1; shift
  local start=$EPOCHREALTIME
  SHARDPROP_MASTER='local[2]' "$ROOT/scripts/train.sh" "$@" --out "$out/$name" --overwrite 2> "$out/$name.log" |
    while IFS= read -r line; do
      printf '%.1f %s\n' "$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')" "$line"
    done > "$out/$name.txt"
  awk -v t="$target" -v n="$name" '
    { total = $1 }
    /^[0-9.]+ epoch [0-9]+\/[0-9]+  loss/ { for (i = 1; i <= NF; i++) if ($i == "test_acc") acc = $(i + 1);
      last = $0; lastacc = acc; epochs = $3; if (!hit && acc + 0 >= t) { hit = 1; at = $1; ep = $3 } }
    END { printf "%-6s final test accuracy %s after %s epochs, %s s in all; %s %s\n", n, lastacc, epochs, total,
          hit ? "reached " t " at epoch " ep " after" : "never reached " t, hit ? at " s" : "" }' "$out/$name.txt"
}

timed spark "$@"
timed local --engine local "$@"
echo "logs: $out/{spark,local}.txt"
