#!/usr/bin/env python3
"""Small tabular sets for the Spark ML comparisons, and scikit-learn's figures on them.

Writes, into DIR (default data/tabular):
  diabetes.csv   scikit-learn's diabetes data (442 rows, 10 features, a real target)
  friedman1.csv  Friedman #1 (make_friedman1, 20,000 rows, 10 features, noise 1.0, random_state 0)
  friedman1x2.csv two targets a row (y0, y1): Friedman #1's (random_state 1) and 100 x5 x6 + 50 sin(2 pi x7) + N(0, 5²)
                 over its features (20,000 rows; columns x0..x9, y0, y1, test)
  iris.csv       the iris sample (150 rows, 4 features, 3 classes)
  imbalanced.csv two classes 95/5 (make_classification, 4,000 rows, 8 features, random_state 0)
Each has columns x0..x(d-1), label and test (a boolean: the held-out 20 %, seeded, stratified for classes).
Then it fits scikit-learn's default MLPRegressor and LinearRegression on each regression set's training rows
(features standardized, as the Spark pipeline's StandardScaler does; both fit two targets at once) and writes their
held-out R² to DIR/sklearn.json (for two targets: each target's, then their mean as r2_score's uniform average).
Usage: scripts/tabular.py [DIR]
"""
import json
import warnings
import os
import sys

import numpy as np
from sklearn.datasets import load_diabetes, load_iris, make_classification, make_friedman1
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def write(path, x, y, test, label_fmt):
    tmp = path + ".tmp"
    targets = ["label"] if y.ndim == 1 else [f"y{j}" for j in range(y.shape[1])]
    with open(tmp, "w") as f:
        f.write(",".join([f"x{j}" for j in range(x.shape[1])] + targets + ["test"]) + "\n")
        for row, t, h in zip(x, y, test):
            f.write(",".join(repr(float(v)) for v in row) + "," + ",".join(label_fmt(v) for v in np.atleast_1d(t))
                    + "," + ("true" if h else "false") + "\n")
    os.replace(tmp, path)


def split(n, y=None, seed=0):
    idx = np.arange(n)
    _, held = train_test_split(idx, test_size=0.2, random_state=seed, stratify=y)
    test = np.zeros(n, dtype=bool)
    test[held] = True
    return test


def main():
    warnings.simplefilter("ignore")  # the default MLPRegressor does not converge on diabetes in 200 iterations
    out = sys.argv[1] if len(sys.argv) > 1 else "data/tabular"
    os.makedirs(out, exist_ok=True)
    sets = {}
    d = load_diabetes()
    sets["diabetes"] = (d.data, d.target)
    sets["friedman1"] = make_friedman1(n_samples=20000, n_features=10, noise=1.0, random_state=0)
    x, y0 = make_friedman1(n_samples=20000, n_features=10, noise=1.0, random_state=1)
    noise = np.random.default_rng(1).normal(0, 5, len(y0))
    y1 = 100 * x[:, 5] * x[:, 6] + 50 * np.sin(2 * np.pi * x[:, 7]) + noise
    sets["friedman1x2"] = (x, np.column_stack([y0, y1]))
    figures = {}
    for name, (x, y) in sets.items():
        test = split(len(y))
        write(os.path.join(out, name + ".csv"), x, y, test, lambda t: repr(float(t)))
        fig = {}
        for model_name, model in [("MLPRegressor", MLPRegressor(random_state=0)),
                                  ("LinearRegression", LinearRegression())]:
            p = make_pipeline(StandardScaler(), model)
            p.fit(x[~test], y[~test])
            predicted = p.predict(x[test])
            fig[model_name] = float(r2_score(y[test], predicted))
            if y.ndim == 2:
                fig[model_name + "_targets"] = [float(r2_score(y[test][:, j], predicted[:, j])) for j in range(y.shape[1])]
        figures[name] = fig
        print(f"{name}: {len(y)} rows; held-out R2: " + ", ".join(f"{k} {v:.4f}" for k, v in fig.items()
                                                                   if not isinstance(v, list)))
    iris = load_iris()
    write(os.path.join(out, "iris.csv"), iris.data, iris.target, split(len(iris.target), iris.target), lambda t: str(int(t)))
    x, y = make_classification(n_samples=4000, n_features=8, n_informative=4, weights=[0.95, 0.05], flip_y=0.01,
                               class_sep=0.8, random_state=0)
    write(os.path.join(out, "imbalanced.csv"), x, y, split(len(y), y), lambda t: str(int(t)))
    with open(os.path.join(out, "sklearn.json"), "w") as f:
        json.dump({"sklearn": __import__("sklearn").__version__, "r2": figures}, f, indent=2)


if __name__ == "__main__":
    main()
