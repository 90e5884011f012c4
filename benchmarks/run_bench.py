#!/usr/bin/env python3
"""Kiln CPU benchmarks: FMA peak, per-kernel Conv2D GFLOP/s, end-to-end.

  run_bench.py [--build DIR] [--kernels-only] [--models resnet50,mobilenetv2]

1. Builds benchmarks/peak_probe.cpp with -march=native and runs it (the
   single-core fp32 FMA roofline).
2. Runs DIR/bin/kiln-kernel-bench --peak <peak> (single-thread Conv2D).
3. For each model found under DIR/models/zoo/<name> (or build-zoo/...):
   compiles it with DIR/bin/kiln, runs the executable 1-thread and compares
   its median latency with onnxruntime 1-thread and its output with
   expected_0.npy.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(cmd, **kw):
    print("$ " + " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], check=True, text=True,
                          capture_output=True, **kw).stdout


def peak(build):
    exe = build / "benchmarks" / "peak_probe"
    exe.parent.mkdir(parents=True, exist_ok=True)
    run(["c++", "-O2", "-march=native", ROOT / "benchmarks/peak_probe.cpp",
         "-o", exe])
    out = run([exe])
    print(out.strip())
    return float(re.search(r"peak ([0-9.]+) GFLOP/s", out).group(1))


def find_model(build, name):
    for base in (build, ROOT / "build-zoo", ROOT / "build-lead", ROOT / "build"):
        d = base / "models" / "zoo" / name
        if (d / "model.onnx").exists():
            return d
    return None


def ort_median(model, x, repeat):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(str(model), so,
                                providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name
    sess.run(None, {name: x})
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        sess.run(None, {name: x})
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2] * 1e3, times[0] * 1e3


def end_to_end(build, name, repeat):
    import numpy as np
    d = find_model(build, name)
    if d is None:
        print(f"{name}: no model.onnx found, skipped")
        return None
    work = build / "bench" / name
    work.mkdir(parents=True, exist_ok=True)
    exe = work / "net"
    t0 = time.time()
    run([build / "bin" / "kiln", "compile", d / "model.onnx", "-o", exe,
         "--target=host", "--emit=exe"])
    compile_s = time.time() - t0
    out = run([exe, "--input", d / "input_0.npy", "--output", work / "o.npy",
               "--repeat", repeat, "--threads", 1])
    print(out.strip())
    m = re.search(r"latency: ([0-9.]+) ms", out)
    kiln_ms = float(m.group(1)) if m else float("nan")
    got = np.load(work / "o.npy")
    want = np.load(d / "expected_0.npy")
    diff = float(np.max(np.abs(got - want)))
    scale = float(np.max(np.abs(want)))
    x = np.load(d / "input_0.npy")
    ort_ms, ort_best = ort_median(d / "model.onnx", x, repeat)
    row = dict(model=name, kiln_ms=kiln_ms, ort_ms=ort_ms,
               ratio=kiln_ms / ort_ms, max_abs_diff=diff, ref_scale=scale,
               ok=diff < 1e-3 * max(1.0, scale), compile_s=round(compile_s, 1))
    print(json.dumps(row))
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=str(ROOT / "build"))
    ap.add_argument("--kernels-only", action="store_true")
    ap.add_argument("--models", default="resnet50,mobilenetv2")
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    build = Path(args.build).resolve()
    os.environ.setdefault("HL_NUM_THREADS", "1")
    p = peak(build)
    print(run([build / "bin" / "kiln-kernel-bench", "--peak", p]))
    if args.kernels_only:
        return 0
    rows = [end_to_end(build, m, args.repeat) for m in args.models.split(",")]
    ok = all(r is None or r["ok"] for r in rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
