#!/usr/bin/env bash
# The bad-input and fault cases of a new user, on the real MNIST files: each case runs the real command
# (scripts/run.sh, Spark's SparkSubmit on local[*]) and the table gives its exit code, how many lines it
# printed on the console, what it left in --out, and its last line.
#   scripts/failure-cases.sh [WORK_DIR]   (default: .cache/failure-cases; MNIST is fetched into data/mnist)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
use_loopback
work=${1:-$ROOT/.cache/failure-cases}
ensure_built
ensure_mnist "$ROOT/data/mnist"
rm -rf "$work"
mkdir -p "$work"
mnist=$ROOT/data/mnist
run=$ROOT/scripts/run.sh
table=$work/cases.md

# data/NAME: the four MNIST files gzipped, NAME's changes applied by the caller.
data_copy() {
  local d=$work/data/$1 f
  mkdir -p "$d"
  for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    gzip -c "$mnist/$f" > "$d/$f.gz"
  done
  echo "$d"
}

# python3 one-liners that damage a file in place
flip_middle() { python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); m=len(b)//2
for i in range(200): b[m+i]^=0xa5
open(p,"wb").write(b)' "$1"; }
cut_half() { python3 -c 'import sys; p=sys.argv[1]; b=open(p,"rb").read(); open(p,"wb").write(b[:len(b)//2])' "$1"; }
flip_crc() { python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[-8]^=1; open(p,"wb").write(b)' "$1"; }
set_label() {  # FILE.gz INDEX VALUE
  python3 -c 'import gzip, sys; p, i, v = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]); b = bytearray(gzip.open(p).read())
b[8 + i] = v; gzip.open(p, "wb").write(bytes(b))' "$1" "$2" "$3"
}

echo "| case | exit | console lines | left in --out | last line |" > "$table"
echo "|---|---|---|---|---|" >> "$table"
# case NAME OUT CMD...: runs CMD, records its exit code, console lines, the --out listing and last line
case_() {
  local name=$1 out=$2 code=0 log=$work/logs/$1.txt left lines last
  shift 2
  mkdir -p "${log%/*}"
  "$@" > "$log" 2>&1 < /dev/null || code=$?
  lines=$(grep -cv '^WARNING: Using incubator modules' "$log" || true)
  last=$(tail -n 1 "$log" | cut -c1-240)
  if [[ -z $out ]]; then left="-"
  elif [[ -e $out ]]; then left=$(cd "$out" && find . -maxdepth 1 -mindepth 1 -printf '%f ' | tr -s ' ' | sed 's/ $//'); left=${left:-empty}
  else left="nothing"; fi
  printf '| %s | %s | %s | %s | `%s` |\n' "$name" "$code" "$lines" "$left" "${last//|/\\|}" >> "$table"
  printf '%-44s exit %3s  %3s lines  %s\n' "$name" "$code" "$lines" "$last" >&2
}

good=$(data_copy good)
say "a reference run (1 epoch, checkpoints) for evaluate and --resume"
"$ROOT/scripts/train.sh" --data "$good" --epochs 2 --checkpoint-every 1 --out "$work/ref" > "$work/ref.log" 2>&1

d=$(data_copy mid); flip_middle "$d/train-images-idx3-ubyte.gz"
case_ "gzip: 200 bytes flipped mid-stream (train)" "$work/o1" "$run" train --data "$d" --out "$work/o1"
cp "$d/train-images-idx3-ubyte.gz" "$d/t10k-images-idx3-ubyte.gz"
case_ "gzip: 200 bytes flipped mid-stream (evaluate)" "$work/e1" "$run" evaluate --model "$work/ref" --data "$d" --out "$work/e1"
d=$(data_copy crc); flip_crc "$d/train-images-idx3-ubyte.gz"
case_ "gzip: CRC-32 of the trailer changed" "$work/o2" "$run" train --data "$d" --out "$work/o2"
d=$(data_copy cut); cut_half "$d/train-images-idx3-ubyte.gz"
case_ "gzip: truncated to half" "$work/o3" "$run" train --data "$d" --out "$work/o3"
d=$(data_copy label); set_label "$d/train-labels-idx1-ubyte.gz" 12345 12
case_ "label 12 in the training labels (train)" "$work/o4" "$run" train --data "$d" --out "$work/o4"
set_label "$d/t10k-labels-idx1-ubyte.gz" 77 255
case_ "label 255 in the test labels (evaluate)" "$work/e2" "$run" evaluate --model "$work/ref" --data "$d" --out "$work/e2"
: > "$work/a-file"
case_ "--out under a file" "" "$run" train --data "$good" --out "$work/a-file/run"
case_ "--out not writable (/proc)" "" "$run" train --data "$good" --out /proc/shardprop/run
case_ "divergence: --loss xent --lr 1e6 --init he" "$work/o5" "$run" train --data "$good" --out "$work/o5" \
  --loss xent --lr 1e6 --init he --batch-size 256 --checkpoint-every 1
mkdir -p "$work/precious" && echo "keep me" > "$work/precious/precious.txt"
case_ "--overwrite of a folder ShardProp did not write" "$work/precious" "$run" train --data "$good" \
  --out "$work/precious" --overwrite
case_ "--partitions -1" "" "$run" train --data "$good" --out "$work/o6" --partitions -1
case_ "--resume with another --hidden" "$work/ref" "$ROOT/scripts/train.sh" --data "$good" --out "$work/ref" \
  --epochs 3 --resume --hidden 50
case_ "--resume with another --lr" "$work/ref" "$ROOT/scripts/train.sh" --data "$good" --out "$work/ref" \
  --epochs 3 --resume --lr 0.1
case_ "--resume of a finished run" "$work/ref" "$ROOT/scripts/train.sh" --data "$good" --out "$work/ref" \
  --epochs 2 --resume
case_ "SIGTERM after 25 s (timeout)" "$work/o7" timeout --preserve-status -s TERM 25 "$ROOT/scripts/train.sh" --data "$good" \
  --out "$work/o7" --epochs 200 --checkpoint-every 1
printf 'epochs=abc\n' > "$work/bad.properties"
case_ "a bad value in a --config file" "" "$run" train --data "$good" --out "$work/o8" --config "$work/bad.properties"
echo >&2
cat "$table"
