#!/usr/bin/env bash
# The held-out split that recipes are chosen on (never the test set): data/mnist-holdout/ with MNIST's file names,
# its "train" files the first 50,000 training images and labels, its "t10k" files the last 10,000 training images.
# Train on it with --data data/mnist-holdout: the "test" figures are then held-out figures. Deterministic (a cut,
# no shuffle), so every choice made on it can be reproduced. Usage: scripts/holdout.sh [DIR] [HELD_OUT]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

dir=${1:-$ROOT/data/mnist-holdout}
held=${2:-10000}
ensure_mnist "$ROOT/data/mnist"
python3 - "$ROOT/data/mnist" "$dir" "$held" <<'PY'
import os, struct, sys
src, dst, held = sys.argv[1], sys.argv[2], int(sys.argv[3])
def read(name):
    data = open(os.path.join(src, name), "rb").read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return data[2], shape, data[4 + 4 * dims:]
def write(name, kind, shape, payload):
    tmp = os.path.join(dst, "." + name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(bytes([0, 0, kind, len(shape)]) + struct.pack(">" + "I" * len(shape), *shape) + payload)
    os.replace(tmp, os.path.join(dst, name))
os.makedirs(dst, exist_ok=True)
for what in ("images-idx3-ubyte", "labels-idx1-ubyte"):
    kind, shape, payload = read("train-" + what)
    n = shape[0]
    row = len(payload) // n
    keep = n - held
    if not 0 < keep < n:
        sys.exit(f"holdout: {held} held out of {n} leaves nothing to train or to hold out")
    write("train-" + what, kind, (keep,) + shape[1:], payload[:keep * row])
    write("t10k-" + what, kind, (held,) + shape[1:], payload[keep * row:])
print(f"holdout: {dst}: {n - held} training and {held} held-out rows (the training set's last {held})")
PY
