#!/usr/bin/env python3
"""PyTorch on ShardProp's two recipes, for scripts/bench.sh's side-by-side rows (a benchmark, not a test).

  preset  conf/mnist.properties: 785 -> 100 -> 10 (bias vectors), He init, mean cross-entropy, SGD with
          momentum 0.9 and weight decay 1e-4 (PyTorch's form, as ShardProp's), lr 0.2 with a cosine schedule
          by step, batch 256 shuffled each epoch, each image moved by up to a pixel at random (--shift 1),
          a test pass each epoch. Synchronous: one process, one update
          a batch (ShardProp's preset averages two replicas once an epoch instead).
  seed    conf/seed.properties: the notebook's full-batch step: x W1 (ones column, 785 -> 100), ReLU, W2,
          softmax with 1e-12, log with 1e-12, gradient of the summed -label . log p, W -= 1e-5 grad,
          N(0, 1) init; the loss and accuracy of that forward pass and a test pass each epoch. Also on the
          training set four times over (240,000 rows), for the per-row and fixed cost of a training step.

Prints one JSON object: per-epoch seconds (the training work, test pass excluded, as ShardProp's metrics.csv;
also with it), test accuracy, threads, torch version, and the wall time from the
start of this script (imports and reading MNIST included).
Usage: torch_recipes.py MNIST_DIR {preset,seed} [--dtype float64|float32] [--epochs N] [--threads T]
"""
import argparse
import gzip
import json
import math
import os
import sys
import time

START = time.time()

import numpy as np  # noqa: E402
import torch  # noqa: E402


def idx(path):
    """An IDX file (raw or .gz) as a numpy array."""
    for p in (path, path + ".gz"):
        if os.path.exists(p):
            with (gzip.open(p, "rb") if p.endswith(".gz") else open(p, "rb")) as f:
                data = f.read()
            dims = data[3]
            shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
            return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)
    sys.exit(f"torch_recipes.py: {path}: no such file (nor .gz)")


def mnist(folder, dtype):
    def x(name):
        a = idx(os.path.join(folder, name)).reshape(-1, 784)
        return torch.from_numpy(a.astype(np.float64) / 255.0).to(dtype)

    def y(name):
        return torch.from_numpy(idx(os.path.join(folder, name)).astype(np.int64))

    return (x("train-images-idx3-ubyte"), y("train-labels-idx1-ubyte"),
            x("t10k-images-idx3-ubyte"), y("t10k-labels-idx1-ubyte"))


def shifted(x, gen, max_shift=1):
    """Each 28 x 28 image of the batch moved by its own (dy, dx) in -max..max, uncovered pixels 0 (--shift)."""
    n = len(x)
    m = max_shift
    padded = torch.nn.functional.pad(x.view(n, 28, 28), (m, m, m, m))
    d = torch.randint(-m, m + 1, (2, n), generator=gen)
    out = torch.empty_like(x).view(n, 28, 28)
    for dy in range(-m, m + 1):
        for dx in range(-m, m + 1):
            sel = ((d[0] == dy) & (d[1] == dx)).nonzero().squeeze(1)
            if len(sel):
                out[sel] = padded[sel, m - dy:m - dy + 28, m - dx:m - dx + 28]
    return out.view(n, 784)


def preset(data, dtype, epochs):
    xtr, ytr, xte, yte = data
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10)).to(dtype)
    for layer in (model[0], model[2]):
        torch.nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
        torch.nn.init.zeros_(layer.bias)
    batch, lr = 256, 0.2
    steps = math.ceil(len(xtr) / batch)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 0.5 * (1 + math.cos(math.pi * min(t, epochs * steps)
                                                                              / (epochs * steps))))
    loss_fn = torch.nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(0)
    rows = []
    for epoch in range(1, epochs + 1):
        t = time.perf_counter()
        order = torch.randperm(len(xtr), generator=gen)
        total, correct = 0.0, 0
        for s in range(steps):
            i = order[s * batch:(s + 1) * batch]
            out = model(shifted(xtr[i], gen))
            loss = loss_fn(out, ytr[i])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(i)
            correct += (out.argmax(1) == ytr[i]).sum().item()
        train = time.perf_counter() - t
        with torch.no_grad():
            test_acc = (model(xte).argmax(1) == yte).double().mean().item()
        rows.append({"epoch": epoch, "seconds": train, "seconds_with_test": time.perf_counter() - t,
                     "train_loss": total / len(xtr),
                     "train_accuracy": correct / len(xtr), "test_accuracy": test_acc})
    return rows


class Seed:
    """The notebook's model and full-batch step, hand-written forward as in the notebook, autograd for the backward."""

    def __init__(self, dtype):
        g = torch.Generator().manual_seed(0)
        self.dtype = dtype
        self.w1 = torch.randn(785, 100, generator=g, dtype=dtype).requires_grad_()
        self.w2 = torch.randn(100, 10, generator=g, dtype=dtype).requires_grad_()

    def inputs(self, x, y):
        return torch.cat([x, torch.ones(len(x), 1, dtype=self.dtype)], 1), torch.nn.functional.one_hot(y, 10).to(self.dtype)

    def log_probs(self, inputs):
        e = torch.exp(torch.relu(inputs @ self.w1) @ self.w2)
        return torch.log(e / (e.sum(1, keepdim=True) + 1e-12) + 1e-12)

    def step(self, x, label):
        """One full-batch step; returns the log-probabilities of its forward pass and the summed loss."""
        lp = self.log_probs(x)
        summed = -(lp * label).sum()
        self.w1.grad = self.w2.grad = None
        summed.backward()
        with torch.no_grad():
            self.w1 -= 1e-5 * self.w1.grad
            self.w2 -= 1e-5 * self.w2.grad
        return lp.detach(), summed.item()


def seed_epochs(xtr, ytr, xte, yte, dtype, epochs):
    model = Seed(dtype)
    x, label = model.inputs(xtr, ytr)
    xt, label_t = model.inputs(xte, yte)
    rows = []
    for epoch in range(1, epochs + 1):
        t = time.perf_counter()
        lp, summed = model.step(x, label)
        with torch.no_grad():
            loss = summed / len(x)
            acc = (lp.argmax(1) == ytr).double().mean().item()
            step = time.perf_counter() - t
            lpt = model.log_probs(xt)
            test_loss = -(lpt * label_t).sum().item() / len(xt)
            test_acc = (lpt.argmax(1) == yte).double().mean().item()
        rows.append({"epoch": epoch, "seconds": step, "seconds_with_test": time.perf_counter() - t, "train_loss": loss,
                     "train_accuracy": acc, "test_loss": test_loss, "test_accuracy": test_acc})
    return rows


def fixed_cost(xtr, ytr, dtype, steps):
    """Full-batch steps on the training set and on it four times over, alternating after two warm-ups each:
    a = (4 t1 - t4) / 3 and b = (t4 - t1) / (3 rows), from the medians and from the fastest of each."""
    model = Seed(dtype)
    x, label = model.inputs(xtr, ytr)
    x4, label4 = torch.cat([x] * 4), torch.cat([label] * 4)
    one, four = [], []
    for i in range(steps + 2):
        t = time.perf_counter()
        model.step(x, label)
        t1 = time.perf_counter()
        model.step(x4, label4)
        t4 = time.perf_counter()
        if i >= 2:
            one.append(t1 - t)
            four.append(t4 - t1)
    fit = lambda a, b: {"fixed_seconds": (4 * a - b) / 3, "per_row_microseconds": (b - a) / (3 * len(x)) * 1e6}
    return {"steps": steps, "step_median_seconds": median(one), "step_4x_median_seconds": median(four),
            "from_medians": fit(median(one), median(four)), "from_fastest": fit(min(one), min(four))}


def median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data")
    p.add_argument("recipe", choices=["preset", "seed"])
    p.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    dtype = getattr(torch, a.dtype)
    data = mnist(a.data, dtype)
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "dtype": a.dtype, "recipe": a.recipe,
           "blas": torch.__config__.show().split("BLAS_INFO=")[-1].split(",")[0] if "BLAS_INFO=" in torch.__config__.show() else "?"}
    if a.recipe == "preset":
        rows = preset(data, dtype, a.epochs)
    else:
        rows = seed_epochs(*data, dtype, a.epochs)
        out["fixed_cost"] = fixed_cost(data[0], data[1], dtype, max(a.epochs, 8))
    out["epochs"] = rows
    out["median_epoch_seconds"] = median([r["seconds"] for r in rows[1:]] or [rows[0]["seconds"]])
    out["median_epoch_with_test_seconds"] = median([r["seconds_with_test"] for r in rows[1:]] or [rows[0]["seconds_with_test"]])
    out["final_test_accuracy"] = rows[-1]["test_accuracy"]
    hit = [r["epoch"] for r in rows if r["test_accuracy"] >= 0.98]
    out["first_epoch_at_98"] = hit[0] if hit else None
    out["seconds_to_98"] = sum(r["seconds"] for r in rows[:hit[0]]) if hit else None
    out["wall_seconds"] = time.time() - START
    print(json.dumps(out))


if __name__ == "__main__":
    main()
