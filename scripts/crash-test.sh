#!/usr/bin/env bash
# Crash consistency of a run folder, as users meet it (not a unit test: it takes ~15 minutes; its small form,
# CrashConsistencyTest, runs in scripts/test.sh). The notebook's run on MNIST (conf/seed.properties, --epochs 6,
# a checkpoint every epoch) through scripts/train.sh on Spark, stopped two ways:
#   - kill -9 of the driver at --kills random instants of the run (start-up, epochs, checkpoint and model writes);
#   - a full disk: --out on a size-limited tmpfs at --budgets sizes spread over what the run writes (needs root to
#     mount; without it, says so and skips them).
# After each stop, the folder must hold no temporary file under a name a reader takes, and the next commands must
# neither mix outputs nor overwrite silently: a plain run on the folder is refused (exit 2, one line saying what it
# found), then --resume continues to the uninterrupted run's weight hash, or, when there is no checkpoint to resume,
# says so in one line (exit 2) and --overwrite reaches it. Prints a table (also out/crash-test/crash-test.md, and
# between the crash-test markers of docs/outputs.md unless --no-doc) and exits 1 if any folder was mixed or
# unresumable.
# Usage: scripts/crash-test.sh [--kills N] [--budgets N] [--seed S] [--no-doc]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

kills=50 budgets=10 seed=1 doc=$ROOT/docs/outputs.md
while [[ $# -gt 0 ]]; do
  case $1 in
    --kills) kills=$2; shift 2 ;;
    --budgets) budgets=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --no-doc) doc=; shift ;;
    *) echo "usage: ${0##*/} [--kills N] [--budgets N] [--seed S] [--no-doc]" >&2; exit 2 ;;
  esac
done
use_loopback
RANDOM=$seed
report=$ROOT/out/crash-test
mkdir -p "$report"
work=$(mktemp -d "${TMPDIR:-/tmp}/shardprop-crash.XXXXXX")
mounts=()
cleanup() {
  for m in "${mounts[@]}"; do umount "$m" 2> /dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

run_args=(--config "$ROOT/conf/seed.properties" --epochs 6 --checkpoint-every 1)
train() { "$ROOT/scripts/train.sh" "${run_args[@]}" "$@"; }
hash_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["weights"]["sha256"])' "$1/model/model.json"; }
one_line() { [[ $(grep -c . "$1") -eq 1 ]]; }  # the command's own lines (train.sh's phase lines aside)

ensure_built  # once, before anything is timed
say "the uninterrupted run (reference)"
"$ROOT/scripts/train.sh" --config "$ROOT/conf/seed.properties" --epochs 1 --out "$work/warm-up" > /dev/null 2>&1 \
  || { say "the warm-up run failed"; exit 1; }  # Spark's class path and the class-data archive, once
rm -rf "$work/warm-up"
train --out "$work/reference" > "$work/reference.out" 2> "$work/reference.err"
reference=$(hash_of "$work/reference")
start=$EPOCHREALTIME  # the kills fall within a run's own wall time: timed on a second run, as the kills' runs go
train --out "$work/timed" > /dev/null 2>&1
duration=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }')
[[ $(hash_of "$work/timed") == "$reference" ]] || { say "two uninterrupted runs differ"; exit 1; }
rm -rf "$work/timed"
bytes=$(du -sb "$work/reference" | cut -f1)
say "reference: weights $reference, ${duration} ms, $bytes bytes written"

rows=() bad=0
# What a stopped folder holds: its marker, newest complete checkpoint, a claim file, temporary files a reader takes.
state() {
  local out=$1 marker=none ck=none claim=no tmps
  [[ -d $out ]] || { echo "nothing written"; return; }
  for m in _SUCCESS _FAILED _RUNNING; do [[ -e $out/$m ]] && marker=$m; done
  ck=$(find "$out/checkpoints" -maxdepth 1 -name 'epoch-*' -printf '%f\n' 2> /dev/null | sort | tail -n 1)
  [[ -e $(dirname "$out")/.$(basename "$out").claim ]] && claim=yes
  tmps=$(find "$out" -name '*.tmp' ! -name '.*' | wc -l)
  echo "$marker, ${ck:-no checkpoint}, claim $claim, $tmps visible .tmp"
}
# After a stop: a plain run refused; --resume (or, with no checkpoint, --overwrite) to the reference.
recover() {
  local out=$1 extra_err=$2 outcome
  if [[ ! -d $out ]]; then  # stopped before the folder existed (a claim may be left): a new run goes ahead
    train --out "$out" > /dev/null 2> "$work/fresh.err" || { echo "UNCLEAR: $(tail -1 "$work/fresh.err")"; return 1; }
    [[ $(hash_of "$out") == "$reference" ]] && { echo "no folder: a new run, the reference weights"; return; }
    echo "MIXED: a new run reached other weights"; return 1
  fi
  if [[ -e $out/_SUCCESS ]]; then
    [[ $(hash_of "$out") == "$reference" ]] && { echo "it had finished: ok"; return; }
    echo "FINISHED WITH OTHER WEIGHTS"; return 1
  fi
  if train --out "$out" > /dev/null 2> "$work/plain.err"; then echo "MIXED: a plain run was let in"; return 1; fi
  grep -q "already exists: a run that" "$work/plain.err" || { echo "UNCLEAR: $(tail -1 "$work/plain.err")"; return 1; }
  if train --out "$out" --resume > /dev/null 2> "$work/resume.err"; then
    outcome="--resume"
  elif grep -q -- "--resume: no complete checkpoint" "$work/resume.err"; then
    train --out "$out" --overwrite > /dev/null 2> "$work/overwrite.err" \
      || { echo "UNRESUMABLE: --overwrite failed: $(tail -1 "$work/overwrite.err")"; return 1; }
    outcome="no checkpoint: --overwrite"
  else
    echo "UNRESUMABLE: $(grep 'shardprop train' "$work/resume.err" | tail -1)"; return 1
  fi
  if [[ $(hash_of "$out") != "$reference" ]]; then echo "MIXED: $outcome reached other weights"; return 1; fi
  if [[ -n $(find "$out" -name '*.tmp') ]]; then echo "LEFT .tmp after $outcome"; return 1; fi
  echo "$outcome: the reference weights"
}

for ((i = 1; i <= kills; i++)); do
  out=$work/kill-$i
  at=$((RANDOM * 32768 + RANDOM))
  at=$((at % duration))
  setsid "$ROOT/scripts/train.sh" "${run_args[@]}" --out "$out" < /dev/null > /dev/null 2> "$work/kill.err" &
  pid=$!
  sleep "$(awk -v ms="$at" 'BEGIN { printf "%.3f", ms / 1000 }')"
  kill -9 "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  found=$(state "$out")
  if result=$(recover "$out" ""); then :; else bad=$((bad + 1)); fi
  rows+=("| kill -9 at ${at} ms | $found | $result |")
  say "kill $i/$kills at ${at} ms: $found -> $result"
  rm -rf "$out" "$(dirname "$out")/.$(basename "$out").claim"
done

if [[ $budgets -gt 0 ]] && [[ $(id -u) -eq 0 ]]; then
  for ((k = 0; k < budgets; k++)); do
    size=$(( (bytes * (2 * k + 1) / (2 * budgets) + 4095) / 4096 * 4 ))  # KiB, spread over what the run writes
    disk=$work/disk-$k
    mkdir -p "$disk"
    if ! mount -t tmpfs -o size=${size}k tmpfs "$disk" 2> "$work/mount.err"; then
      say "cannot mount a tmpfs ($(cat "$work/mount.err")): no disk budgets"; break
    fi
    mounts+=("$disk")
    out=$disk/run
    code=0
    train --out "$out" > /dev/null 2> "$work/full.err" || code=$?
    line=$(grep 'shardprop train' "$work/full.err" | tail -1 || true)
    found=$(state "$out")
    if [[ $code -eq 0 ]]; then
      outcome="fit in ${size} KiB"
    elif [[ $code -eq 1 && $line == *"no space left writing"* ]] && one_line <(grep 'shardprop train' "$work/full.err"); then
      mount -o remount,size=$((bytes / 1024 * 3))k "$disk"   # space freed
      if outcome=$(recover "$out" ""); then :; else bad=$((bad + 1)); fi
    else
      outcome="NOT ONE LINE / EXIT $code: ${line:-$(tail -1 "$work/full.err")}"; bad=$((bad + 1))
    fi
    rows+=("| tmpfs of ${size} KiB | exit $code, $found | $outcome |")
    say "tmpfs ${size} KiB: exit $code, $found -> $outcome"
    umount "$disk"
  done
elif [[ $budgets -gt 0 ]]; then
  say "no disk budgets: mounting a tmpfs needs root (CrashConsistencyTest covers full disks without it)"
fi

{
  echo "Machine: $(uname -m), $(nproc) cores. Reference: conf/seed.properties --epochs 6 --checkpoint-every 1, ${duration} ms, $bytes bytes, weights ${reference:0:16}…"
  echo
  echo "| stop | folder found (marker, newest checkpoint, claim, visible .tmp files) | next commands |"
  echo "|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "${#rows[@]} stops: $bad mixed or unresumable."
} | tee "$report/crash-test.md"
if [[ -n $doc ]]; then
  python3 - "$doc" "$report/crash-test.md" <<'PY'
import sys
doc, table = sys.argv[1], open(sys.argv[2]).read().strip()
text = open(doc).read()
begin, end = "<!-- crash-test:begin -->", "<!-- crash-test:end -->"
head, rest = text.split(begin, 1)
open(doc, "w").write(head + begin + "\n\n" + table + "\n\n" + end + rest.split(end, 1)[1])
PY
  say "table written into ${doc#"$ROOT"/}"
fi
[[ $bad -eq 0 ]]
