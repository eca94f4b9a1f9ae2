#!/usr/bin/env python3
"""Writes the figures of scripts/tabular.sh (out/tabular/tabular.json) as a markdown table between the markers
<!-- tabular:begin --> and <!-- tabular:end --> of a page (atomically; the markers are added at the end of the page
if it has none). Usage: scripts/tabular_doc.py FIGURES.json PAGE.md
"""
import json
import os
import platform
import sys

BEGIN, END = "<!-- tabular:begin -->", "<!-- tabular:end -->"


def f4(x):
    return "—" if x is None else f"{x:.4f}"


def render(fig):
    rows = []
    for name, what in (("diabetes", "diabetes (442 rows, 10 features; nearly linear)"),
                       ("friedman1", "Friedman #1 (20,000 rows, 10 features)")):
        r = fig[name]
        rows.append([what, f4(r["shardprop_r2"]), f4(r["linear_regression_r2"]), f4(r.get("sklearn_mlp_r2")),
                     f4(r.get("sklearn_linear_r2")), f"{r['shardprop_cv_seconds']:.1f}"])
    i, w = fig["iris"], fig["imbalanced"]
    md = [BEGIN, "", f"Machine: {platform.machine()}, {os.cpu_count()} cores; `local[*]`"
          + (f"; BLAS: {fig['blas'].split(' at ')[0]}" if fig.get("blas") else "") + ". Held-out 20 % of each set.", "",
          "| held-out R² | `StandardScaler → ShardPropRegressor` (`CrossValidator`, 2 × 2 grid, 3 folds) | "
          "Spark `LinearRegression` | scikit-learn `MLPRegressor` (defaults) | scikit-learn `LinearRegression` | "
          "ShardProp's `CrossValidator` fit, s |",
          "|---|---|---|---|---|---|"]
    md += ["| " + " | ".join(r) + " |" for r in rows]
    two = fig.get("friedman1x2")
    if two:
        def target(key, j):
            v = two.get(key)
            return f4(v[j] if v else None)
        md += ["", "| two targets a row (20,000 rows, 10 features; an array label), held-out R² | "
               "`StandardScaler → ShardPropRegressor` (defaults, one fit) | Spark `LinearRegression` (one a target) | "
               "scikit-learn `MLPRegressor` (defaults, both targets) | scikit-learn `LinearRegression` |",
               "|---|---|---|---|---|"]
        for j, what in ((0, "y0: Friedman #1 (scale ~5)"), (1, "y1: 100 x5 x6 + 50 sin(2π x7) + noise (scale ~40)")):
            md.append(f"| {what} | {target('shardprop_r2_targets', j)} | {target('linear_regression_r2_targets', j)} | "
                      f"{target('sklearn_mlp_r2_targets', j)} | {target('sklearn_linear_r2_targets', j)} |")
        md.append(f"| mean (`r2_score`'s uniform average) | {f4(two['shardprop_r2'])} | "
                  f"{f4(two['linear_regression_r2'])} | {f4(two.get('sklearn_mlp_r2'))} | "
                  f"{f4(two.get('sklearn_linear_r2'))} |")
    md += ["", "| iris, `CrossValidator` fit (4 grid points × 3 folds, then the refit) | wall s | test accuracy |",
           "|---|---|---|",
           f"| `ShardPropClassifier` | {i['shardprop']['seconds']:.2f} | {f4(i['shardprop']['accuracy'])} |",
           f"| MLlib `MultilayerPerceptronClassifier` | {i['mlpc']['seconds']:.2f} | {f4(i['mlpc']['accuracy'])} |",
           "", f"ShardProp's `CrossValidator` time is {i['time_ratio']:.2f}× MLPC's (each run twice in turns, the second "
           "counted). Balanced accuracy on the 95/5 set: "
           f"{f4(w['unweighted_balanced_accuracy'])} unweighted, {f4(w['weighted_balanced_accuracy'])} with balanced "
           "class weights (`weightCol`).", "", END]
    return "\n".join(md) + "\n"


def main():
    fig = json.load(open(sys.argv[1], encoding="utf-8"))
    page = sys.argv[2]
    text = open(page, encoding="utf-8").read() if os.path.exists(page) else ""
    block = render(fig)
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block.rstrip("\n") + text[text.index(END) + len(END):]
    else:
        text = text + ("\n" if text and not text.endswith("\n") else "") + "\n" + block
    tmp = page + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, page)
    print(f"tabular figures written to {page}")


if __name__ == "__main__":
    main()
