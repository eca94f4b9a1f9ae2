#!/usr/bin/env python3
"""The notebook's full-batch run in plain numpy (float64): the oracle the seed-parity tests compare with.

Re-creates the checked-in golden run (about a minute; needs numpy and the real MNIST):

    scripts/fetch-mnist.sh
    python3 scripts/golden.py data/mnist core/src/test/resources/golden/seed-parity

What it computes (the notebook, step by step): x = pixels / 255 with a column of ones appended (785 wide),
one-hot labels; W1 (785x100) and W2 (100x10) drawn from numpy.random.RandomState(SEED).normal, W1 first;
forward Matmul -> Relu -> Matmul -> Softmax (exp(h) / (sum exp(h) + 1e-12), no max subtraction) ->
Log(p + 1e-12); backward from G = -label through Log, Softmax, Matmul, Relu, Matmul; the gradient is the
sum over all 60,000 rows; W -= lr * grad. Loss and accuracy are those of the forward pass before each
update. Files written into OUT:

    W1.npy, W2.npy              the initial weights (float64, C order)
    epochs.csv                  epoch,loss,accuracy   one row per full-batch step, before its update
    test.csv                    test_loss,test_accuracy   on the 10,000 test images after the last step
    W1_final.npy, W2_final.npy  the weights after the last step
"""
import argparse
import os
import struct

import numpy as np

EPS = 1e-12


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 0x00000803:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, np.uint8, offset=16).reshape(count, rows * cols)
    if magic == 0x00000801:
        return np.frombuffer(data, np.uint8, offset=8)
    raise SystemExit(f"{path}: not an IDX image or label file (magic {magic:#x})")


def dataset(mnist, prefix):
    images = read_idx(os.path.join(mnist, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(os.path.join(mnist, f"{prefix}-labels-idx1-ubyte"))
    x = np.hstack([images / 255.0, np.ones((images.shape[0], 1))])
    y = np.eye(10)[labels]
    return x, y


def forward(x, w1, w2):
    h1 = x @ w1
    r = np.maximum(h1, 0.0)
    e = np.exp(r @ w2)
    p = e / (e.sum(axis=1, keepdims=True) + EPS)
    return h1, r, p, np.log(p + EPS)


def loss_and_accuracy(log_p, y):
    loss = np.mean(np.sum(-log_p * y, axis=1))
    accuracy = np.mean(log_p.argmax(axis=1) == y.argmax(axis=1))
    return float(loss), float(accuracy)


def step_gradients(x, y, w1, w2, h1, r, p):
    g_log = -y / (p + EPS)                                             # Log.backward(-label)
    g_h2 = g_log * p - p * np.sum(g_log * p, axis=1, keepdims=True)    # Softmax.backward
    g_w2 = r.T @ g_h2                                                  # Matmul(W2).backward
    g_h1 = (g_h2 @ w2.T) * (h1 > 0)                                    # Relu.backward
    g_w1 = x.T @ g_h1                                                  # Matmul(W1).backward
    return g_w1, g_w2


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mnist", help="folder with the four uncompressed MNIST IDX files")
    parser.add_argument("out", help="folder to write the golden run into")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--lr", type=float, default=1e-5)
    parser.add_argument("--hidden", type=int, default=100)
    args = parser.parse_args()

    x, y = dataset(args.mnist, "train")
    x_test, y_test = dataset(args.mnist, "t10k")
    rng = np.random.RandomState(args.seed)
    w1 = rng.normal(size=(785, args.hidden))
    w2 = rng.normal(size=(args.hidden, 10))
    os.makedirs(args.out, exist_ok=True)
    np.save(os.path.join(args.out, "W1.npy"), w1)
    np.save(os.path.join(args.out, "W2.npy"), w2)

    rows = []
    for epoch in range(args.epochs):
        h1, r, p, log_p = forward(x, w1, w2)
        rows.append((epoch,) + loss_and_accuracy(log_p, y))
        g_w1, g_w2 = step_gradients(x, y, w1, w2, h1, r, p)
        w1 = w1 - args.lr * g_w1
        w2 = w2 - args.lr * g_w2
    test_loss, test_accuracy = loss_and_accuracy(forward(x_test, w1, w2)[3], y_test)

    with open(os.path.join(args.out, "epochs.csv"), "w") as f:
        f.write("epoch,loss,accuracy\n")
        f.writelines(f"{e},{loss!r},{acc!r}\n" for e, loss, acc in rows)
    with open(os.path.join(args.out, "test.csv"), "w") as f:
        f.write(f"test_loss,test_accuracy\n{test_loss!r},{test_accuracy!r}\n")
    np.save(os.path.join(args.out, "W1_final.npy"), w1)
    np.save(os.path.join(args.out, "W2_final.npy"), w2)
    print(f"golden run, seed {args.seed}: epoch 0 loss {rows[0][1]:.6f}, epoch {rows[-1][0]} loss "
          f"{rows[-1][1]:.6f} accuracy {rows[-1][2]:.4f}; test loss {test_loss:.6f} accuracy {test_accuracy:.4f}")


if __name__ == "__main__":
    main()
