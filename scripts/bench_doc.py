#!/usr/bin/env python3
"""Write scripts/bench.sh's tables into a markdown page (docs/performance.md by default).

    bench_doc.py --out-dir out/bench --command "scripts/bench.sh" DOC     # from a bench run's files
    bench_doc.py --figures FIGURES.json DOC                               # from figures recorded earlier

The tables go between the markers BEGIN and END of DOC; the text outside them is kept (a DOC without them is
created with the markers alone). The page is written to a temporary file, then renamed over DOC. The output has no
date and no absolute path: the command line, the machine, the BLAS, then one table per measurement. With
--out-dir the figures are also written to OUT_DIR/figures.json (the same shape --figures reads).
"""
import argparse
import csv
import json
import os
import re
import statistics
import sys

BEGIN = "<!-- bench.sh:begin: written by scripts/bench.sh from its own run; edit outside these markers only -->"
END = "<!-- bench.sh:end -->"
SUMMARY_BEGIN = "<!-- bench.sh:summary:begin: written by scripts/bench.sh from its own run (docs/performance.md) -->"
SUMMARY_END = "<!-- bench.sh:summary:end -->"


def cell(fig, title, prefix, col):
    """The column col of the row that starts with prefix in the table titled title, or an em dash."""
    for t in fig["tables"]:
        if t["title"] == title:
            for row in t["rows"]:
                if str(row[0]).startswith(prefix):
                    return str(row[col]) if col < len(row) and str(row[col]) else "—"
    return "—"


def summary(fig):
    """The README's results table: ShardProp beside PyTorch and MLPC, picked from the run's tables."""
    torch = "ShardProp beside PyTorch"
    fit = "Spark ML fit"

    def both(title, first, second, col):
        a, b = cell(fig, title, first, col), cell(fig, title, second, col)
        return "—" if a == "—" and b == "—" else f"{a} / {b}"

    rows = [
        ["preset (`conf/mnist.properties`, float32): test accuracy after its epochs",
         cell(fig, torch, "preset: test accuracy", 1), cell(fig, torch, "preset: test accuracy", 2), ""],
        ["preset: median epoch s (ours: local steps, 1 sync an epoch)",
         cell(fig, torch, "preset (`conf/mnist.properties`, float32): median epoch", 1),
         cell(fig, torch, "preset (`conf/mnist.properties`, float32): median epoch", 2), ""],
        ["preset: whole run, start-up included, s", cell(fig, torch, "preset: whole run", 1),
         cell(fig, torch, "preset: whole run", 2), ""],
        ["preset `--precision float64`: median epoch s / test accuracy",
         both(torch, "preset `--precision float64`: median epoch", "preset float64: test accuracy", 1),
         both(torch, "preset `--precision float64`: median epoch", "preset float64: test accuracy", 2), ""],
        ["seed full batch (`conf/seed.properties`), float64: median epoch s",
         cell(fig, torch, "seed full batch", 1), cell(fig, torch, "seed full batch", 2), ""],
        ["Spark ML `fit` on the 60,000 training rows: wall s / test accuracy (ours: the preset; MLPC: its defaults, "
         "l-bfgs)", cell(fig, fit, "`ShardPropClassifier`", 1) + " / " + cell(fig, fit, "`ShardPropClassifier`", 2), "",
         cell(fig, fit, "`MultilayerPerceptronClassifier`", 1) + " / " + cell(fig, fit, "`MultilayerPerceptronClassifier`", 2)],
        ["one full-batch epoch of the notebook's model, float64, s, in one session (MLPC: `gd`, marginal iteration, "
         "interleaved)", cell(fig, "Interleaved pairs: the headline ratios", "seed epoch in the bench's session", 1), "",
         cell(fig, "Interleaved pairs: the headline ratios", "seed epoch in the bench's session", 2)],
    ]
    md = [SUMMARY_BEGIN, "", f"From `{fig['command']}` on {fig['machine']}; BLAS `{fig['blas']}`; medians.", "",
          "| MNIST 785→100→10, `local[2]` | ShardProp | PyTorch (2 threads) | MLlib MLPC |", "|---|---|---|---|"]
    md += ["| " + " | ".join(r) + " |" for r in rows]
    md.append("")
    for t in fig["tables"]:
        if t["title"] == fit and t.get("after"):
            md += [t["after"], ""]
    md.append(SUMMARY_END)
    return "\n".join(md) + "\n"


def render(fig):
    md = [BEGIN, "", f"Command: `{fig['command']}`  ", f"Machine: {fig['machine']}  ", f"BLAS: `{fig['blas']}`", ""]
    if fig.get("provenance"):
        md += [fig["provenance"], ""]
    for t in fig["tables"]:
        md += [f"### {t['title']}", ""]
        if t.get("note"):
            md += [t["note"], ""]
        md.append("| " + " | ".join(t["header"]) + " |")
        md.append("|" + "---|" * len(t["header"]))
        for row in t["rows"]:
            md.append("| " + " | ".join(str(c) for c in row) + " |")
        md.append("")
        if t.get("after"):
            md += [t["after"], ""]
    md.append(END)
    return "\n".join(md) + "\n"


def write(doc, region, begin=BEGIN, end=END):
    old = open(doc, encoding="utf-8").read() if os.path.exists(doc) else ""
    if begin in old and end in old:
        text = old[:old.index(begin)] + region + old[old.index(end) + len(end) + 1:]
    else:
        text = old + ("\n" if old else "") + region
    os.makedirs(os.path.dirname(os.path.abspath(doc)), exist_ok=True)
    tmp = os.path.join(os.path.dirname(os.path.abspath(doc)), "." + os.path.basename(doc) + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, doc)


# ---- collecting the figures of a run (the files scripts/bench.sh leaves in out/bench) ----

def s3(x):
    return f"{x:.3f}"


def pct(x):
    return f"{100 * x:.2f} %"


def ratio(a, b):
    return f"{a / b:.2f}×" if b and b > 0 and a > 0 else ""


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def metrics(run_dir):
    """Median epoch seconds (first epoch left out, as bench.sh's tables), last test accuracy, epochs."""
    rows = list(csv.DictReader(open(os.path.join(run_dir, "metrics.csv"), encoding="utf-8")))
    return (statistics.median(float(r["seconds"]) for r in rows[1:] or rows), float(rows[-1]["test_accuracy"]),
            len(rows))


def machine():
    name = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                name = re.sub(r"\s+", " ", line.split(":", 1)[1]).strip()
                break
    except OSError:
        pass
    return f"{name}, {os.cpu_count()} cores"


def blas_line(summary):
    return re.sub(r" at /\S*", "", summary)  # no absolute path of the library


def pairs_table(p, b):
    """The headline ratios, each from interleaved repetitions (bench_pairs.py's pairs; MLPC's in the bench session)."""
    def r(what, fig, fmt=s3):
        return [what, fmt(fig["ours"]), fmt(fig["torch"]), ratio(fig["ours"], fig["torch"])]
    rows = [r("seed full batch (`conf/seed.properties`), float64: epoch s, beside PyTorch float64", p["seed_epoch"]),
            r("the same epoch with its test pass, as `train` prints them, s", p["seed_epoch_with_test"]),
            r(f"preset (`conf/mnist.properties`), float32: whole `scripts/train.sh` run of {p['preset_epochs']} epochs, "
              "s, beside PyTorch float32's", p["preset_wall"], lambda x: f"{x:.1f}"),
            r("preset: epoch s, beside PyTorch float32's", p["preset_epoch"])]
    ours = b.get("shardprop_epoch_bytes")
    m = b.get("mlpc")
    if ours and m and "pairs" in m:
        o = ours["median_seconds"]
        rows.append([f"seed epoch in the bench's session (byte cache, as `train`), beside MLlib MLPC `gd`'s marginal "
                     f"iteration ({m['pairs']} interleaved pairs)", s3(o), s3(m["marginal_iteration_seconds"]),
                     ratio(o, m["marginal_iteration_seconds"])])
        for key, what in (("gemm_floor_bytes", "its floor: the first layer's two products alone as training runs them "
                                               "({}), same tasks"),
                          ("gemm_floor", "the dense float64 products alone (BLAS), same tasks")):
            if key in b:
                rows.append([f"the same epoch beside {what.format(b[key].get('products', 'dense'))}", s3(o),
                             s3(b[key]["epoch_seconds"]), ratio(o, b[key]["epoch_seconds"])])
    f = p["first_epoch_line"]
    phases = ", ".join(f"{k} {v:.2f}" for k, v in f["phases_median_seconds"].items())
    rows.append([f"first epoch line after `scripts/train.sh` started, s (median of {f['runs']} runs; the slowest "
                 f"{f['max_seconds']:.1f}): {phases}", f"{f['median_seconds']:.1f}", "", ""])
    t = p["torch"]
    return {"title": "Interleaved pairs: the headline ratios",
            "header": [f"{p['pairs']} interleaved pairs (ShardProp, peer, ShardProp, ...), medians; PyTorch "
                       f"{t['version']} ({t['threads']} threads, {t['blas']})", "ShardProp", "peer", "ratio"],
            "rows": rows}


def collect(out, command):
    b = load(f"{out}/bench.json")
    tables = []
    med = lambda key, src=b: src[key]["median_seconds"]  # noqa: E731
    if os.path.exists(f"{out}/torch-preset-float32.json"):
        t32, t64, ts = (load(f"{out}/torch-{n}.json") for n in ("preset-float32", "preset-float64", "seed-float64"))
        wall = lambda n: float(open(f"{out}/{n}.wall").read())  # noqa: E731
        e32, a32, n32 = metrics(f"{out}/preset")
        e64, a64, _ = metrics(f"{out}/preset-float64")
        es, _, _ = metrics(f"{out}/run")
        w32, w64 = wall("preset"), wall("preset-float64")
        tw32, tw64 = wall("torch-preset-float32"), wall("torch-preset-float64")
        with_test = med("shardprop_epoch_with_test")
        tables.append({
            "title": "ShardProp beside PyTorch",
            "header": [f"ShardProp on `local[2]` beside PyTorch {t64['torch']} ({t64['threads']} threads, "
                       f"{t64['blas']}), same recipe, same run", "ShardProp", "PyTorch", "ratio"],
            "rows": [
                ["preset (`conf/mnist.properties`, float32): median epoch s (ours: local steps, 1 sync)", s3(e32),
                 s3(t32["median_epoch_seconds"]), ratio(e32, t32["median_epoch_seconds"])],
                [f"preset: whole run, {n32} epochs, start-up included, s", f"{w32:.1f}", f"{tw32:.1f}", ratio(w32, tw32)],
                [f"preset: test accuracy after {n32} epochs", pct(a32), pct(t32["final_test_accuracy"]), ""],
                ["preset `--precision float64`: median epoch s", s3(e64), s3(t64["median_epoch_seconds"]),
                 ratio(e64, t64["median_epoch_seconds"])],
                ["preset float64: whole run, s", f"{w64:.1f}", f"{tw64:.1f}", ratio(w64, tw64)],
                [f"preset float64: test accuracy after {n32} epochs", pct(a64), pct(t64["final_test_accuracy"]), ""],
                ["seed full batch (`conf/seed.properties`) float64: median epoch s", s3(es),
                 s3(ts["median_epoch_seconds"]), ratio(es, ts["median_epoch_seconds"])],
                ["the same with the per-epoch test pass", s3(with_test), s3(ts["median_epoch_with_test_seconds"]),
                 ratio(with_test, ts["median_epoch_with_test_seconds"])],
            ]})
    if os.path.exists(f"{out}/pairs.json"):
        tables.append(pairs_table(load(f"{out}/pairs.json"), b))
    rows = [["ShardProp, `local[2]`, float64 (a float64 cache; the first layer's products sparse)", s3(med("shardprop_epoch"))],
            ["the same with the test pass (10,000 images), as `train` runs it", s3(med("shardprop_epoch_with_test"))],
            ["ShardProp, `local[2]`, `--precision float32`", s3(med("shardprop_float32_epoch"))]]
    if "core_single_process_epoch" in b:
        rows.append(["single-process `core` trainer (`--engine local`), float64", s3(med("core_single_process_epoch"))])
    if "mlpc" in b:
        rows.append(["MLlib MLPC `gd`, marginal iteration on the same cached data",
                     s3(b["mlpc"]["marginal_iteration_seconds"])])
    for key, p in (("gemm_floor", "float64"), ("gemm_floor_float32", "float32")):
        rows.append([f"floor: the two big products alone in the same tasks, dense (BLAS), {p} ({b[key]['gflops']:.0f} GFLOP/s)",
                     s3(b[key]["epoch_seconds"])])
    f = b.get("fixed_cost")
    if f:
        rows.append(["a training step, alternating with the same step on 240,000 rows (4 × the training set)",
                     f"{s3(f['step']['median_seconds'])} / {s3(f['step_4x']['median_seconds'])}"])
        rows.append(["fixed cost of a step, `a` in `a + b·rows` from those two: from the medians / the fastest of each",
                     f"{s3(f['fixed_seconds'])} / {s3(f['fixed_seconds_fastest'])}"])
    rows += [["Spark's share of a step: broadcast, 2 tasks, exact sums (tiny data)", s3(med("spark_overhead_step"))],
             ["Spark's share of a local-step round (2 replicas, one step each, tiny data)",
              s3(med("spark_overhead_round"))],
             ["Spark's job latency alone: an empty job of the same kind on the same tiny data",
              s3(med("spark_empty_job"))]]
    if os.path.exists(f"{out}/bench-pure-java.json"):
        rows.append(["ShardProp, `local[2]`, float64, pure-Java `VectorBLAS` for the other products (second pass)",
                     s3(med("shardprop_epoch", load(f"{out}/bench-pure-java.json")))])
    tables.append({"title": "One full-batch epoch", "header": [
        "one full-batch epoch of the notebook's model, 60,000 images, seconds", "median"], "rows": rows})
    raw = 60000 * 785 * 8
    tables.append({"title": "Memory and messages", "header": ["cached blocks and task results", "size"], "rows": [
        ["cached training blocks, float64 (× the raw float64 matrix)",
         f"{b['cached_blocks_bytes'] / 1e6:.0f} MB ({b['cached_blocks_bytes'] / raw:.3f}×)"],
        ["cached training blocks, float32", f"{b['cached_blocks_float32_bytes'] / 1e6:.0f} MB"],
        ["exact sums sent to the driver by a full-batch task (raw limbs)",
         f"{b['task_result']['bytes'] / 1e3:.0f} KB ({b['task_result']['raw_limbs_bytes'] / 1e6:.1f} MB)"]]})
    if "shardprop_run_seconds" in b:
        r = b["shardprop_run_seconds"]
        rows = [["ShardProp `train`, seed recipe, float64 (command to exit)", f"{r['wall_seconds']:.1f}"],
                ["ShardProp `train`, seed recipe, `--precision float32`",
                 f"{b['shardprop_float32_run_seconds']['wall_seconds']:.1f}"]]
        if "mlpc" in b:
            m = b["mlpc"]
            rows.append([f"MLPC: Spark start + load + DataFrame + fit of {m['fit_run_iterations']} iterations",
                         f"{b['spark_start_seconds'] + b['load_seconds'] + m['dataframe_seconds'] + m['fit_run_iterations_seconds']:.1f}"])
        tables.append({"title": "Whole run", "header": [
            f"whole run, {r['epochs']} epochs, start-up included, seconds", ""], "rows": rows})
    if os.path.exists(f"{out}/preset/metrics.csv"):
        def preset_row(label, run, wall):
            e, a, n = metrics(f"{out}/{run}")
            syncs = load(f"{out}/{run}/model/model.json")["syncs_per_epoch"]
            return [label.format(n=n), s3(e), str(syncs), wall, pct(a) + ("" if wall != "—" else f" after {n}")]
        tables.append({"title": "The train command", "header": [
            "`local[2]`", "median epoch s", "syncs an epoch", "whole `scripts/train.sh`, s", "test accuracy"], "rows": [
            preset_row("the preset: 2 replicas, 1 sync an epoch, float32, `--shift 1` ({n} epochs)", "preset",
                       f"{float(open(f'{out}/preset.wall').read()):.1f}"),
            preset_row("the same with `--precision float64`", "preset-float64",
                       f"{float(open(f'{out}/preset-float64.wall').read()):.1f}"),
            preset_row("a sync every step (`--syncs-per-epoch 0`, {n} epochs)", "preset-sync", "—")]})
    if "fit" in b and "mlpc" in b["fit"]:
        fit = b["fit"]
        tables.append({"title": "Spark ML fit", "header": ["`fit` on the 60,000 training rows", "wall s", "test accuracy"],
                       "rows": [[f"`MultilayerPerceptronClassifier` defaults (l-bfgs, blocks of 128), `maxIter` "
                                 f"{fit['mlpc']['max_iter']}", f"{fit['mlpc']['fit_seconds']:.1f}",
                                 pct(fit["mlpc"]["test_accuracy"])],
                                [f"`ShardPropClassifier` with the preset: its defaults and `set(TrainOptions.SHIFT, 1)` "
                                 f"({fit['shardprop']['epochs']} epochs, 2 replicas, 1 sync an epoch, float32)",
                                 f"{fit['shardprop']['fit_seconds']:.1f}", pct(fit["shardprop"]["test_accuracy"])]],
                       "after": f"`ShardPropClassifier.fit`: {fit['speedup']:.1f}× MLPC's speed, "
                                f"{fit['accuracy_points']:+.2f} points of accuracy."})
    prof = []
    for key, p in (("block_profile_one_core", "float64 (dgemm"), ("block_profile_float32_one_core", "float32 (sgemm")):
        x = b[key]
        prof.append([f"{p}, {x['gemm_gflops']:.1f} GFLOP/s)"] + [f"{x[k]:.2f}" for k in (
            "x_W1_gemm_ms", "rest_of_forward_ms", "rest_of_backward_ms", "dW1_gemm_ms", "exact_add_ms")])
    tables.append({"title": "Where an epoch goes", "note": "One 2000-row block on one core, ms.", "header": [
        "", "`x·W1`", "rest of forward", "rest of backward", "`dW1 += xᵀ·dh1`", "exact add"], "rows": prof})
    d = b.get("deformation_cost_one_core")
    if d:
        tables.append({"title": "Deformations", "note": f"One {d['rows']}-row {d['precision']} block on one core, ms: "
                       f"deforming its images ({d['deformation']}) against the training step of the {d['network']} "
                       "network on it (`--elastic-alpha` and the affine options; `--shift` alone is a copy).",
                       "header": ["", "ms", "vs the step", "µs an image"],
                       "rows": [[f"{d['network']} step (forward, backward)", f"{d['step_ms']:.2f}", "1.00×", ""],
                                ["elastic + affine, one resampling", f"{d['elastic_affine_ms']:.2f}",
                                 f"{d['elastic_affine_vs_step']:.2f}×", f"{d['elastic_affine_us_per_image']:.1f}"],
                                ["`--shift 1` alone", f"{d['shift_ms']:.2f}", f"{d['shift_vs_step']:.2f}×", ""]]})
    rows_file = f"{out}/blas-rows.txt"
    if os.path.exists(rows_file):
        rows, first = [], None
        for path in open(rows_file, encoding="utf-8").read().split():
            r = load(path)
            epoch = r.get("seed_epoch", {}).get("median_seconds")
            first = first if first is not None else epoch
            rows.append([r["label"], r.get("core") or "—", f"{r['xW1_gflops']:.1f}", f"{r['xT_dh1_gflops']:.1f}",
                         s3(epoch) if epoch else "—", ratio(epoch, first) if epoch and first else ""])
        tables.append({"title": "BLAS rows", "note": "Seed epoch on `local[2]` with each BLAS, runs taken in turns; "
                       "the products on one thread.", "header": [
            "BLAS", "core", "`x·W1` GFLOP/s", "`xᵀ·dh1` GFLOP/s", "seed epoch s", "vs first row"], "rows": rows})
    return {"command": command, "machine": machine(), "blas": blas_line(b["blas"]),
            "provenance": "Medians of this command's run; compare rows within a run (a VM's speed varies).",
            "tables": tables}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--out-dir", help="scripts/bench.sh's output folder (out/bench)")
    src.add_argument("--figures", help="figures as JSON (the shape --out-dir writes to figures.json)")
    ap.add_argument("--command", default="scripts/bench.sh", help="the command line that produced the figures")
    ap.add_argument("--summary", help="also write the results table between the summary markers of this page "
                    "(README.md)")
    ap.add_argument("doc", help="the markdown page to write (docs/performance.md)")
    a = ap.parse_args()
    if a.out_dir:
        fig = collect(a.out_dir, a.command)
        with open(f"{a.out_dir}/figures.json", "w", encoding="utf-8") as f:
            json.dump(fig, f, indent=1, ensure_ascii=False)
    else:
        fig = load(a.figures)
    write(a.doc, render(fig))
    print(f"{os.path.basename(sys.argv[0])}: wrote {a.doc}", file=sys.stderr)
    if a.summary:
        write(a.summary, summary(fig), SUMMARY_BEGIN, SUMMARY_END)
        print(f"{os.path.basename(sys.argv[0])}: wrote the results table of {a.summary}", file=sys.stderr)


if __name__ == "__main__":
    main()
