#!/usr/bin/env python3
"""ShardProp's cost model of a training round, from scripts/scaling.sh's runs.csv.

Every input is measured by runs of its own (the "calibration" rows), then the model predicts every "measured" row
(seconds and driver bytes a round) and projects the 8.1M-row recipes on 2-128 cores at 1 and 10 Gbit/s.

A round (one Spark job: a full-batch step, or a round of local steps) with T tasks on C cores:

  t = L_job + L_task * ceil(T' / C)                      latency: the job, and each wave of its T' tasks (T map
                                                         tasks, and the tree's level or the reduce-scatter's)
    + (W_rows + T * n * c) / C                           arithmetic (with each block's or replica's exact add),
                                                         and each task's exact partial sum (encode, decode,
                                                         merge; c = c_shuffle when it goes through a shuffle:
                                                         the tree's level or the reduce-scatter; else c_direct)
    + D * n * c                                          the driver: D partial sums (1 with the reduce-scatter)
    + network: the weights broadcast (8n bytes), a task's partial to the executor that sums its piece
      (T/E * 9.5n bytes a link), the summed pieces to the driver (D * 9.5n bytes) at the link bandwidth

W_rows = rows * n * c_row (full batch, blocks of 40) or rows/K * n * c_row_local (a round of local steps of 128
rows; n is then twice the parameters: the weight changes and the averaged momentum).
Usage: scaling_model.py runs.csv [--curve R=metrics.csv ...] [--cores N] [--loopback-gbits X]
"""
import argparse
import csv
import math
import os
import socket
import threading
import time

BYTES_PER_COMPONENT = 9.5      # a used exact sum's component, encoded (ExactSum's writeObject); measured below
DRIVER_BYTES = 64 << 20        # Aggregation.DRIVER_BYTES: partial sums the driver takes whole
PIECE_BYTES = 8 << 20
MIN_PIECE = 4096


def pieces(partitions, components):
    """Aggregation.pieces: 0 when the partial sums go to the driver whole."""
    partial = components * 12
    if partitions * partial <= DRIVER_BYTES:
        return 0
    return min(max(1, components // MIN_PIECE), max(-(-partial // PIECE_BYTES), partitions))


def tree_partials(p):
    """Partial sums a reduce (treeReduce at depth 2 from 6 partitions on) hands the driver."""
    scale = max(math.ceil(p ** 0.5), 2)
    n = p
    while n > scale + math.ceil(n / scale):
        n //= scale
    return n


def driver_sums(tasks, components):
    return 1 if pieces(tasks, components) else tree_partials(tasks)


def stage_tasks(tasks, components):
    """Tasks of a round's jobs: the map tasks, and the reduce-scatter's pieces or the tree's level."""
    k = pieces(tasks, components)
    if k:
        return tasks + k
    level = tree_partials(tasks)
    return tasks + (level if level != tasks else 0)


def loopback_bandwidth(total=1 << 30):
    """Bytes/s through a loopback TCP socket, measured here (what the local clusters' shuffles move over)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    got = [0]

    def sink():
        conn, _ = server.accept()
        while True:
            b = conn.recv(1 << 20)
            if not b:
                break
            got[0] += len(b)
        conn.close()

    t = threading.Thread(target=sink)
    t.start()
    c = socket.create_connection(server.getsockname())
    chunk = b"\0" * (1 << 20)
    start = time.perf_counter()
    for _ in range(total >> 20):
        c.sendall(chunk)
    c.close()
    t.join()
    server.close()
    return got[0] / (time.perf_counter() - start)


class Model:
    def __init__(self, cal, cores, bandwidth):
        self.cores = cores
        self.bw = bandwidth
        # latency of a job and of a wave of tasks, on each master measured: local[2] ("local"), and each local
        # standalone cluster ("cluster-N"); a 1-unit network, 2 and 256 (clusters: 64) tasks
        self.lat = {}
        for name in cal:
            if name.endswith("latency-2"):
                key = name[:-len("-latency-2")] if name != "latency-2" else "local"
                many = next(cal[k] for k in cal if k.startswith(name[:-1]) and k != name)
                few = cal[name]
                w1 = math.ceil(stage_tasks(few["tasks"], few["n"]) / min(few["slots"], cores))
                w2 = math.ceil(stage_tasks(many["tasks"], many["n"]) / min(many["slots"], cores))
                l_task = (many["t"] - few["t"]) / (w2 - w1)
                self.lat[key] = (few["t"] - l_task * w1, l_task)
        self.l_job, self.l_task = self.lat["local"]
        comp = cal["compute"]
        c = min(comp["slots"], cores, comp["tasks"])
        self.c_row = (comp["t"] - self.latency(comp)) * c / (comp["rows"] * comp["n"])
        loc = cal["compute-local"]
        self.c_row_local = None
        # a task's exact partial sum, on each of the two ways it travels (Aggregation): straight to the driver as a
        # task result (a plain reduce; 1M parameters, 2 tasks), or through a shuffle (the tree's level or the
        # reduce-scatter: written, read and merged by another task): a cost a task and a cost a parameter and task,
        # from 64 tasks of a 1M- and of a 7,960-parameter network
        e2, e64 = cal["exact-2"], cal["exact-64"]
        n = e2["n"]
        self.a_shuffle = self.c_direct = self.c_shuffle = 0.0
        self.c_direct = self._per_component(e2)
        small = cal.get("shuffle-small")
        if small:
            big_task = self._per_task(e64)
            small_task = self._per_task(small)
            self.c_shuffle = (big_task - small_task) / (e64["n"] - small["n"])
            self.a_shuffle = small_task - self.c_shuffle * small["n"]
        else:
            self.c_shuffle = self._per_component(e64)
        self.bytes_per_component = e2["bytes"] / (driver_sums(e2["tasks"], n) * n)
        # local steps: a round's arithmetic per row and parameter, from the 2-replica preset run
        state = 2  # delta and momentum: the averaged inner state doubles what is summed
        cl = min(loc["slots"], cores, loc["tasks"])
        rest = loc["t"] - self.latency(loc) - self.exact(loc["tasks"], loc["n"] * state, cl)
        self.c_row_local = rest * cl / (loc["rows"] / loc["rounds_per_epoch"] * loc["n"])
        # the recipes' network for the projections, when measured (else the preset's)
        self.c_row_local_800 = self.c_row_local
        if "compute-local-800" in cal:
            big = cal["compute-local-800"]
            cb = min(big["slots"], cores, big["tasks"])
            rest = big["t"] - self.latency(big) - self.exact(big["tasks"], big["n"] * state, cb)
            self.c_row_local_800 = rest * cb / (big["rows"] / big["rounds_per_epoch"] * big["n"])

    def _per_component(self, r):
        """What a run's exact sums cost a component and a task: its time less latency and arithmetic."""
        c = min(r["slots"], self.cores, r["tasks"])
        rest = r["t"] - self.latency(r) - r["rows"] * r["n"] * self.c_row / c
        return rest / ((r["tasks"] / c + driver_sums(r["tasks"], r["n"])) * r["n"])

    def _per_task(self, r):
        """What a run's exact sums cost a task (the driver's share counted as tasks' too): time less latency, arithmetic."""
        c = min(r["slots"], self.cores, r["tasks"])
        rest = r["t"] - self.latency(r) - r["rows"] * r["n"] * self.c_row / c
        return rest / (r["tasks"] / c + driver_sums(r["tasks"], r["n"]))

    def latency(self, r, components=None):
        n = r["n"] * (2 if r["mode"] == "local" else 1) if components is None else components
        l_job, l_task = self.lat.get(r.get("where", "local"), (self.l_job, self.l_task))
        return l_job + l_task * math.ceil(stage_tasks(r["tasks"], n) / min(r["slots"], self.cores))

    def exact(self, tasks, components, c):
        if stage_tasks(tasks, components) > tasks:  # through a shuffle
            per = self.a_shuffle + self.c_shuffle * components
            return (tasks / c + driver_sums(tasks, components)) * per
        return (tasks / c + driver_sums(tasks, components)) * components * self.c_direct

    def network(self, tasks, executors, components, bw):
        if bw is None:
            return 0.0
        b = self.bytes_per_component
        shuffle = tasks / max(1, executors) * b * components if pieces(tasks, components) else 0
        return (8 * components + shuffle + driver_sums(tasks, components) * b * components) / bw

    def round(self, r, bw=None):
        c = min(r["slots"], self.cores, r["tasks"])
        n = r["n"]
        if r["mode"] == "full":
            work = r["rows"] * n * self.c_row
            exact = self.exact(r["tasks"], n, c)
        else:
            work = r["rows"] / r["rounds_per_epoch"] * n * self.c_row_local
            n = 2 * n
            exact = self.exact(r["tasks"], n, c)
        return self.latency(r) + work / c + exact + self.network(r["tasks"], r["executors"], n, bw)

    def driver_bytes(self, r):
        n = r["n"] * (2 if r["mode"] == "local" else 1)
        return driver_sums(r["tasks"], n) * self.bytes_per_component * n


def load(path):
    rows = []
    with open(path) as f:
        for x in csv.DictReader(f):
            rows.append(x)
    return rows


def describe(x, cores):
    r = {"slots": int(x["task_slots"]), "n": int(x["params"]), "rows": int(x["rows"]),
         "t": float(x["seconds_per_round"]), "mode": x["mode"], "executors": int(x["executors"]),
         "bytes": float(x["driver_bytes_per_round"]), "all_tasks": int(round(float(x["tasks"])))}
    r["block"] = int(x["block_size"])
    r["where"] = "local" if x["master"].startswith("local") else f"cluster-{x['executors']}"
    parts = int(x["partitions"])
    # map tasks: a partition holds whole blocks (full batch) or whole replicas (local steps); a pass runs one task a
    # task slot (spark.default.parallelism) when there are more partitions
    held = min(parts, int(x["replicas"])) if x["mode"] == "local" else min(parts, -(-r["rows"] // r["block"]))
    r["tasks"] = min(held, r["slots"])
    if x["mode"] == "local":
        r["replicas"] = int(x["replicas"])
        r["rounds_per_epoch"] = int(x["rounds_per_epoch"])
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("runs")
    ap.add_argument("--curve", action="append", default=[], help="R=metrics.csv of an 8.1M-row run with R replicas")
    ap.add_argument("--cores", type=int, default=os.cpu_count())
    ap.add_argument("--syncs", default="32=32,128=8",
                    help="rounds an epoch of the 8.1M recipes by replicas (conf/cluster.properties: 32; 128: 8)")
    args = ap.parse_args()
    runs = load(args.runs)
    cal = {x["name"]: describe(x, args.cores) for x in runs if x["set"] == "calibration"}
    for x in runs:  # the 8.1M recipe's arithmetic: its own run on the 1M-row slice, when scaling.sh had the slice
        if x["set"] == "presets" and x["name"] == "mnist8m":
            cal["compute-local-800"] = describe(x, args.cores)
    loop = loopback_bandwidth()
    m = Model(cal, args.cores, None)
    print("# ShardProp's cost model: calibration, predictions, projections\n")
    print(f"Measured inputs (this machine, {args.cores} cores; `scripts/scaling.sh`):\n")
    print("| input | value | from |")
    print("|---|---|---|")
    for key, (lj, lt) in sorted(m.lat.items()):
        what = "local[2]" if key == "local" else f"a standalone cluster of {key[8:]} executor(s)"
        many = "256" if key == "local" else "64"
        print(f"| job latency L_job, {what} | {lj * 1e3:.1f} ms | 1-unit network, 2 tasks |")
        print(f"| task latency L_task (a wave), {what} | {lt * 1e3:.2f} ms | 1-unit network, 2 and {many} tasks |")
    print(f"| arithmetic c_row (full batch, blocks of 40, with each block's exact add) | {m.c_row * 1e9:.3f} ns per row and parameter | the notebook's network, 60,000 rows |")
    print(f"| arithmetic c_row_local (local steps of 128 rows) | {m.c_row_local * 1e9:.3f} ns per row and parameter | the preset, 2 replicas, 1 round an epoch |")
    print(f"| the same, 785-800-10 (the projections') | {m.c_row_local_800 * 1e9:.3f} ns per row and parameter | conf/mnist8m.properties, 8 rounds an epoch, on the 1M-row slice (else MNIST) |")
    print(f"| a task's exact partial sum, a task result to the driver c_direct | {m.c_direct * 1e9:.2f} ns per parameter and task | 1M parameters, 2 tasks |")
    print(f"| a task's exact partial sum through a shuffle: a task a_shuffle | {m.a_shuffle * 1e3:.2f} ms a task | 7,960 and 1M parameters, 64 tasks |")
    print(f"| and a parameter c_shuffle | {m.c_shuffle * 1e9:.2f} ns per parameter and task | 7,960 and 1M parameters, 64 tasks |")
    print(f"| bytes a component of an exact partial sum | {m.bytes_per_component:.2f} B | 1M parameters, 2 tasks: bytes to the driver |")
    print(f"| loopback bandwidth | {loop * 8 / 1e9:.1f} Gbit/s | a TCP socket here |")
    print()
    print("Predicted from those inputs alone, against measured (seconds a round: median of the run's training jobs;")
    print("bytes a round the driver received, Spark's `resultSize`):\n")
    print("| run | master | tasks (map + reduce) | parameters | measured s | predicted s | error | driver bytes measured | predicted |")
    print("|---|---|---|---|---|---|---|---|---|")
    worst = 0.0
    for x in runs:
        if x["set"] != "measured":
            continue
        r = describe(x, args.cores)
        p = m.round(r, loop if not x["master"].startswith("local") else None)
        err = (p - r["t"]) / r["t"]
        worst = max(worst, abs(err))
        print(f"| {x['name']} | {x['master'].split('//')[0].rstrip(':')} | {r['tasks']} + {r['all_tasks'] - r['tasks']} | {r['n']:,} | {r['t']:.3f} | "
              f"{p:.3f} | {err * 100:+.0f} % | {int(r['bytes']):,} | {int(m.driver_bytes(r)):,} |")
    print(f"\nLargest error: {worst * 100:.0f} %.\n")
    presets = {x["name"]: float(x["epoch_seconds"]) for x in runs if x["set"] == "presets"}
    if "mnist8m" in presets and "cluster" in presets:
        print(f"The cluster preset's epoch on this machine (conf/cluster.properties, 32 replicas) against the 2-replica"
              f" recipe's (conf/mnist8m.properties), one epoch each of the 1M-row held-out slice: {presets['cluster']:.1f}"
              f" s against {presets['mnist8m']:.1f} s, {presets['cluster'] / presets['mnist8m']:.2f}x.\n")
    print("The exact sums' share of a round (each task's partial sum and the driver's, as the model has them), and")
    print("what they cost a parameter and a task:\n")
    print("| run | tasks | parameters | exact sums s | round s (measured) | share |")
    print("|---|---|---|---|---|---|")
    for x in runs:
        if x["set"] == "measured" and x["mode"] == "full" and x["master"].startswith("local"):
            r = describe(x, args.cores)
            e = m.exact(r["tasks"], r["n"], min(r["slots"], args.cores, r["tasks"]))
            print(f"| {x['name']} | {r['tasks']} | {r['n']:,} | {e:.3f} | {r['t']:.3f} | {e / r['t'] * 100:.0f} % |")
    print(f"\nPer parameter and task: {m.c_direct * 1e9:.1f} ns of one core as a task result, {m.c_shuffle * 1e9:.1f} ns"
          f" (and {m.a_shuffle * 1e3:.1f} ms a task) through a shuffle, and about {m.bytes_per_component:.1f} bytes.\n")
    # projections: the 8.1M-row recipes, 785-800-10 (636,010 parameters), replicas of 128 rows, --syncs rounds
    n, rows = 636_010, 8_100_000
    syncs = {int(a): int(b) for a, b in (x.split("=") for x in args.syncs.split(","))}
    curves = {}
    for c in args.curve:
        r, path = c.split("=", 1)
        with open(path) as f:
            acc = [float(l["test_accuracy"]) for l in csv.DictReader(f)]
        curves[int(r)] = acc
    print(f"Projected epoch of the 8.1M-row set (785-800-10, rounds an epoch as the recipes: {args.syncs} by replicas; the averaged inner state; one task")
    print("a core, as many replicas as the recipe has; parallel efficiency: the arithmetic alone on one core over")
    print("cores x the epoch):\n")
    print("| replicas | cores | Gbit/s | epoch s | efficiency | epochs to 99.0 % | time to 99.0 % |")
    print("|---|---|---|---|---|---|---|")
    import copy
    pm = copy.copy(m)
    pm.cores = 10 ** 6  # a cluster: the inputs as measured here, no cap from this machine's cores
    pm.c_row_local = m.c_row_local_800
    clusters = sorted((k for k in m.lat if k != "local"), key=lambda k: int(k[8:]))
    where = clusters[-1] if clusters else "local"
    for reps in sorted(set([32, 128] + list(curves))):
        k = syncs.get(reps, 8)
        for cores in (2, 8, 32, 128):
            for gbits in (1, 10):
                tasks = min(reps, cores)
                r = {"mode": "local", "tasks": tasks, "slots": cores, "n": n, "rows": rows, "executors": cores,
                     "replicas": reps, "rounds_per_epoch": k, "where": where}
                epoch = k * pm.round(r, gbits * 1e9 / 8)
                serial = rows * n * pm.c_row_local
                eff = serial / (cores * epoch)
                acc = curves.get(reps)
                first = next((i + 1 for i, a in enumerate(acc) if a >= 0.99), None) if acc else None
                t99 = f"{first * epoch / 60:.1f} min" if first else "n/a"
                print(f"| {reps} | {cores} | {gbits} | {epoch:.1f} | {eff:.2f} | {first or 'n/a'} | {t99} |")
    print()


if __name__ == "__main__":
    main()
