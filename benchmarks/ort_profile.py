#!/usr/bin/env python3
# ===- ort_profile.py - onnxruntime's own time per node ------------------=== #
#
#   ort_profile.py MODEL.onnx [--input X.npy] [--threads N] [--runs N]
#                  [--warmup N] [--json OUT.json] [--top K]
#
# Runs MODEL with onnxruntime's CPU provider and its built-in profiler
# (SessionOptions.enable_profiling) and prints, per executed node (after
# onnxruntime's own graph optimizations and fusions, so names like
# `relu_25_out_nchwc` are its fused NCHWc convs), the median and minimum
# kernel time over the timed runs, slowest first. Set next to a Kiln
# executable's `--profile` output, it shows layer by layer where the peer is
# faster (benchmarks/README.md, "Remaining bottlenecks").
#
# Same session settings as run_bench.py (bench_common.ort_session_options):
# intra-op threads N, one inter-op thread, sequential execution, all graph
# optimizations. Without --input the
# model's inputs get seeded uniform [-1, 1) data of their static shapes.
#
# ===----------------------------------------------------------------------=== #

import argparse
import json
import os
import statistics
import sys
import tempfile

from bench_common import ort_session_options


def fail(msg):
    print(f"ort_profile: error: {msg}", file=sys.stderr)
    sys.exit(1)


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="onnxruntime's per-node kernel times for an ONNX model")
    p.add_argument("model", help="the .onnx file")
    p.add_argument("--input", help=".npy input (models with one input)")
    p.add_argument("--threads", type=int, default=1,
                   help="intra-op threads (default 1)")
    p.add_argument("--runs", type=int, default=30,
                   help="timed runs (default 30)")
    p.add_argument("--warmup", type=int, default=3,
                   help="untimed runs first (default 3)")
    p.add_argument("--json", help="also write the rows to this file")
    p.add_argument("--top", type=int, default=0,
                   help="print only the K slowest nodes (default: all)")
    a = p.parse_args(argv)
    if a.threads < 1 or a.runs < 1 or a.warmup < 0 or a.top < 0:
        fail("--threads and --runs must be >= 1, --warmup and --top >= 0")
    if not os.path.isfile(a.model):
        fail(f"no such model file: {a.model}")
    if a.input and not os.path.isfile(a.input):
        fail(f"no such input file: {a.input}")
    return a


def make_feeds(session, input_path):
    import numpy as np
    inputs = session.get_inputs()
    if input_path:
        if len(inputs) != 1:
            fail(f"--input needs a model with one input, this one has "
                 f"{len(inputs)}")
        x = np.load(input_path)
        want = [d if isinstance(d, int) else -1 for d in inputs[0].shape]
        if list(x.shape) != want or x.dtype != np.float32:
            fail(f"{input_path}: {x.dtype}{list(x.shape)}, the model's input "
                 f"'{inputs[0].name}' is float32{want}")
        return {inputs[0].name: x}
    rng = np.random.default_rng(0)
    feeds = {}
    for i in inputs:
        if not all(isinstance(d, int) and d > 0 for d in i.shape):
            fail(f"input '{i.name}' has no static shape ({i.shape}): "
                 f"pass --input")
        feeds[i.name] = rng.uniform(-1, 1, i.shape).astype(np.float32)
    return feeds


def profile(a):
    import onnxruntime as ort
    so = ort_session_options(a.threads)
    with tempfile.TemporaryDirectory() as tmp:
        so.enable_profiling = True
        so.profile_file_prefix = os.path.join(tmp, "ort")
        try:
            session = ort.InferenceSession(
                a.model, so, providers=["CPUExecutionProvider"])
        except Exception as e:  # onnxruntime raises its own types
            fail(f"{a.model}: onnxruntime cannot load it: {e}")
        feeds = make_feeds(session, a.input)
        for _ in range(a.warmup + a.runs):
            session.run(None, feeds)
        with open(session.end_profiling()) as f:
            events = json.load(f)
    # Node events in run order; the last `runs` executions of each node are
    # the timed ones (the warm-up runs come first).
    times, ops, order = {}, {}, []
    for e in events:
        name = e.get("name", "")
        if e.get("cat") != "Node" or not name.endswith("_kernel_time"):
            continue
        node = name[: -len("_kernel_time")]
        if node not in times:
            times[node] = []
            ops[node] = e.get("args", {}).get("op_name", "")
            order.append(node)
        times[node].append(e["dur"] / 1000.0)  # microseconds -> ms
    rows = []
    for index, node in enumerate(order):
        t = times[node][-a.runs:]
        rows.append({"index": index, "node": node, "op": ops[node],
                     "runs": len(t), "median_ms": statistics.median(t),
                     "min_ms": min(t)})
    return rows


def main(argv):
    a = parse_args(argv)
    rows = profile(a)
    if not rows:
        fail(f"{a.model}: onnxruntime's profile holds no node times")
    total_median = sum(r["median_ms"] for r in rows)
    total_min = sum(r["min_ms"] for r in rows)
    shown = sorted(rows, key=lambda r: -r["median_ms"])
    if a.top:
        shown = shown[: a.top]
    width = max(len(r["node"]) for r in shown)
    print(f"onnxruntime {a.threads} thread(s), {a.runs} runs after "
          f"{a.warmup} warm-up: {len(rows)} nodes, sum of medians "
          f"{total_median:.3f} ms (of minimums {total_min:.3f} ms)")
    print(f"{'#':>4}  {'node':<{width}}  {'op':<22} {'median ms':>9} "
          f"{'min ms':>8}")
    for r in shown:
        print(f"{r['index']:>4}  {r['node']:<{width}}  {r['op']:<22} "
              f"{r['median_ms']:>9.3f} {r['min_ms']:>8.3f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"model": a.model, "threads": a.threads,
                       "runs": a.runs, "warmup": a.warmup,
                       "sum_of_medians_ms": total_median,
                       "sum_of_minimums_ms": total_min, "nodes": rows},
                      f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
