#!/usr/bin/env python3
"""Interleaved pairs for scripts/bench.sh: ShardProp as a user runs it (scripts/train.sh on local[2]) and PyTorch
(scripts/torch_recipes.py, 2 threads) on the same recipe, one after the other, A B A B ..., so that a VM whose speed
drifts during the bench shifts both sides alike. Two recipes:

  seed    conf/seed.properties (full batch, float64) beside PyTorch's seed recipe in float64: the median training
          epoch (metrics.csv; PyTorch: its JSON), and the epoch with the test pass: the time between two epoch
          lines as train prints them (PyTorch: its epoch with its test pass);
  preset  conf/mnist.properties (the README's command, float32) beside PyTorch's preset in float32: the whole
          run from the command's start to its exit, and the median epoch.

Every ShardProp run also logs where its start-up went ("start-up, to the first epoch line ..."): the medians of
those phases are reported too. Prints a table and writes the figures as JSON (--json). Not a test: it asserts
nothing. Usage: bench_pairs.py --root ROOT --json FILE [--pairs 5] [--seed-epochs 10] [--preset-epochs 30]
"""
import argparse
import csv
import json
import os
import re
import statistics
import subprocess
import sys
import time

START_UP = re.compile(r"start-up, to the first epoch line ([0-9.]+) s: (.*)$")


def run_train(root, out, args):
    """scripts/train.sh on local[2]: wall time, epoch-line times, start-up phases."""
    env = dict(os.environ, SHARDPROP_MASTER="local[2]")
    start = time.time()
    p = subprocess.Popen([f"{root}/scripts/train.sh", *args, "--out", out, "--overwrite"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, env=env)
    lines, startup = [], None
    for line in p.stdout:
        now = time.time()
        if line.startswith("epoch ") and " loss " in line:
            lines.append(now)
        m = START_UP.search(line)
        if m:
            phases = {}
            for part in m.group(2).split(", "):
                name, _, secs = part.rpartition(" ")
                phases[re.sub(r" \(.*\)", "", name)] = float(secs)
            startup = {"seconds": float(m.group(1)), "phases": phases}
    if p.wait() != 0:
        sys.exit(f"bench_pairs: scripts/train.sh {' '.join(args)} failed (exit {p.returncode})")
    wall = time.time() - start
    with open(f"{out}/metrics.csv") as f:
        rows = list(csv.DictReader(f))
    epochs = [float(r["seconds"]) for r in rows[1:]] or [float(rows[0]["seconds"])]
    gaps = [b - a for a, b in zip(lines, lines[1:])]
    return {"wall_seconds": wall, "median_epoch_seconds": statistics.median(epochs),
            "median_epoch_with_test_seconds": statistics.median(gaps) if gaps else None, "start_up": startup}


def run_torch(root, recipe, dtype, epochs):
    start = time.time()
    r = subprocess.run([sys.executable, f"{root}/scripts/torch_recipes.py", f"{root}/data/mnist", recipe,
                        "--dtype", dtype, "--epochs", str(epochs)], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"bench_pairs: torch_recipes.py {recipe} failed: {r.stderr.strip()[-400:]}")
    out = json.loads(r.stdout)
    out["wall_seconds"] = time.time() - start
    return out


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--seed-epochs", type=int, default=10)
    ap.add_argument("--preset-epochs", type=int, default=30)
    a = ap.parse_args()
    root, work = a.root, os.path.join(os.path.dirname(os.path.abspath(a.json)), "pairs")
    data = ["--data", f"{root}/data/mnist"]
    seed = {"ours": [], "torch": []}
    preset = {"ours": [], "torch": []}
    for i in range(a.pairs):
        print(f"bench_pairs: pair {i + 1}/{a.pairs}: seed ({a.seed_epochs} epochs), then preset "
              f"({a.preset_epochs} epochs), ShardProp then PyTorch", file=sys.stderr)
        seed["ours"].append(run_train(root, f"{work}/seed", ["--config", f"{root}/conf/seed.properties", *data,
                                                             "--epochs", str(a.seed_epochs)]))
        seed["torch"].append(run_torch(root, "seed", "float64", a.seed_epochs))
        preset["ours"].append(run_train(root, f"{work}/preset", ["--config", f"{root}/conf/mnist.properties",
                                                                 *data, "--epochs", str(a.preset_epochs)]))
        preset["torch"].append(run_torch(root, "preset", "float32", a.preset_epochs))

    def both(runs, key):
        ours, theirs = med([r[key] for r in runs["ours"]]), med([r[key] for r in runs["torch"]])
        per_pair = med([o[key] / t[key] for o, t in zip(runs["ours"], runs["torch"]) if o[key] and t[key]])
        return {"ours": ours, "torch": theirs, "ratio": ours / theirs if ours and theirs else None,
                "ratio_median_of_pairs": per_pair}

    starts = [r["start_up"] for r in seed["ours"] + preset["ours"] if r["start_up"]]
    phases = {}
    for s in starts:
        for name in s["phases"]:
            phases.setdefault(name, []).append(s["phases"][name])
    t = seed["torch"][0]
    result = {
        "pairs": a.pairs, "seed_epochs": a.seed_epochs, "preset_epochs": a.preset_epochs,
        "torch": {"version": t.get("torch"), "threads": t.get("threads"), "blas": t.get("blas")},
        "seed_epoch": both(seed, "median_epoch_seconds"),
        "seed_epoch_with_test": both(seed, "median_epoch_with_test_seconds"),
        "preset_epoch": both(preset, "median_epoch_seconds"),
        "preset_wall": both(preset, "wall_seconds"),
        "first_epoch_line": {"median_seconds": med([s["seconds"] for s in starts]),
                             "max_seconds": max((s["seconds"] for s in starts), default=None),
                             "runs": len(starts),
                             "phases_median_seconds": {k: statistics.median(v) for k, v in phases.items()}},
        "runs": {"seed": seed, "preset": preset},
    }
    with open(a.json + ".tmp", "w") as f:
        json.dump(result, f, indent=1)
    os.replace(a.json + ".tmp", a.json)

    def row(what, r, fmt="{:9.3f}"):
        ratio = f"{r['ratio']:6.2f}x" if r["ratio"] else "      -"
        print(f"{what:58} {fmt.format(r['ours'])} {fmt.format(r['torch'])} {ratio}")
    print(f"\nInterleaved pairs ({a.pairs}; medians): ShardProp via scripts/train.sh on local[2] beside PyTorch "
          f"{t.get('torch')} ({t.get('threads')} threads)")
    print(f"{'':58} {'ShardProp':>9} {'PyTorch':>9} {'ratio':>7}")
    row("seed full batch float64: epoch s (training)", result["seed_epoch"])
    row("seed: epoch with the test pass, s", result["seed_epoch_with_test"])
    row(f"preset float32: epoch s", result["preset_epoch"])
    row(f"preset float32: whole run of {a.preset_epochs} epochs, s", result["preset_wall"], "{:9.1f}")
    f = result["first_epoch_line"]
    print(f"first epoch line after scripts/train.sh started: median {f['median_seconds']:.1f} s, "
          f"slowest {f['max_seconds']:.1f} s ({f['runs']} runs); median phases: "
          + ", ".join(f"{k} {v:.2f}" for k, v in f["phases_median_seconds"].items()))


if __name__ == "__main__":
    main()
