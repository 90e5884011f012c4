#!/usr/bin/env python3
"""Fusion on/off: latency and peak activation memory (issue #4, check 4).

  fusion_bench.py [--build DIR] [--models mobilenetv2,resnet50,googlenet]
                  [--threads 1,2] [--rounds R] [--runs K] [--quick]

Compiles every model twice with DIR/bin/kiln: the default pipeline (every
fusion pass the compiler has, so new ones are picked up automatically) and
`--no-fuse` (canonicalize + CSE only). Checks that both builds' outputs agree
with onnxruntime (rtol 1e-3, atol 1e-4), then times the two executables with
`kiln bench` INTERLEAVED (rounds of warm-up + K runs each, order rotating) at
each thread count, and reports median / p90 latency, the activation arena
the runtime allocates (peak activation memory: `kiln bench` reads it from
the executable's --info) and the on/off ratios. -> DIR/bench/fusion.json
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_common as bc  # noqa: E402

LABELS = {"resnet50": "ResNet-50", "mobilenetv2": "MobileNetV2", "googlenet": "GoogLeNet",
          "resnet18": "ResNet-18", "mobilenetv1": "MobileNetV1",
          "efficientnet_lite0": "EfficientNet-Lite0", "shufflenetv2": "ShuffleNetV2"}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build")
    ap.add_argument("--models", default="mobilenetv2,resnet50,googlenet")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int)
    ap.add_argument("--runs", type=int)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    rounds = args.rounds or (2 if args.quick else 5)
    runs = args.runs or (5 if args.quick else 10)
    threads_list = [int(t) for t in args.threads.split(",")]
    import numpy as np
    import onnxruntime as ort

    build = bc.find_build(args.build)
    kiln = build / "bin" / "kiln"
    out_dir = build / "bench"
    rows, ok = [], True
    for name in args.models.split(","):
        bc.log(f"== {name}: fusion on (default) / off (--no-fuse)")
        d = bc.find_model(build, name)
        x_path = d / "input_0.npy"
        work = out_dir / "work" / name
        on, on_s = bc.compile_model(kiln, d / "model.onnx", work / "net")
        off, off_s = bc.compile_model(kiln, d / "model.onnx", work / "net_nofuse",
                                      flags=["--no-fuse"])
        sess = ort.InferenceSession(str(d / "model.onnx"), providers=["CPUExecutionProvider"])
        ref = sess.run(None, {sess.get_inputs()[0].name: np.load(x_path)})[0]
        checks = {}
        for label, exe in (("fused", on), ("unfused", off)):
            e = bc.KilnEngine(kiln, exe, 1, x_path, label=label)
            good, max_abs, bad = bc.compare(e.output(work), ref)
            checks[label] = (good, max_abs)
            ok &= good
            bc.log(f"  {label} output vs onnxruntime: {'OK' if good else 'MISMATCH'} "
                   f"(max abs diff {max_abs:.3g})")
        for threads in threads_list:
            engines = [bc.KilnEngine(kiln, on, threads, x_path, label="fused"),
                       bc.KilnEngine(kiln, off, threads, x_path, label="unfused")]
            times = bc.interleaved(engines, rounds, runs, args.warmup)
            s = {k: bc.summarize(v) for k, v in times.items()}
            row = {"model": name, "threads": threads,
                   "fused_median_ms": round(s["fused"]["median_ms"], 3),
                   "fused_p90_ms": round(s["fused"]["p90_ms"], 3),
                   "unfused_median_ms": round(s["unfused"]["median_ms"], 3),
                   "unfused_p90_ms": round(s["unfused"]["p90_ms"], 3),
                   "latency_ratio_on_off": round(s["fused"]["median_ms"] /
                                                 s["unfused"]["median_ms"], 3),
                   "fused_arena_bytes": engines[0].arena_bytes,
                   "unfused_arena_bytes": engines[1].arena_bytes,
                   "arena_ratio_on_off": round(engines[0].arena_bytes /
                                               engines[1].arena_bytes, 3),
                   "runs": s["fused"]["runs"],
                   "fused_matches_onnxruntime": checks["fused"][0],
                   "unfused_matches_onnxruntime": checks["unfused"][0],
                   "compile_s": {"fused": round(on_s, 1), "unfused": round(off_s, 1)}}
            rows.append(row)
            bc.log(f"  threads={threads}: fused {row['fused_median_ms']:.2f} ms, "
                   f"unfused {row['unfused_median_ms']:.2f} ms")

    print(f"\nFusion on (default) vs off (--no-fuse), batch 1, fp32; medians of {rounds} "
          f"interleaved rounds x {runs} runs; arena = activation memory the runtime allocates:")
    print(bc.fmt_table(
        ["model", "thr", "on ms", "off ms", "on/off", "on p90", "off p90",
         "arena on MiB", "arena off MiB", "arena on/off", "outputs"],
        [[LABELS.get(r["model"], r["model"]), r["threads"], f"{r['fused_median_ms']:.2f}",
          f"{r['unfused_median_ms']:.2f}", f"{r['latency_ratio_on_off']:.2f}",
          f"{r['fused_p90_ms']:.2f}", f"{r['unfused_p90_ms']:.2f}",
          f"{r['fused_arena_bytes'] / 2**20:.2f}", f"{r['unfused_arena_bytes'] / 2**20:.2f}",
          f"{r['arena_ratio_on_off']:.2f}",
          "ok" if r["fused_matches_onnxruntime"] and r["unfused_matches_onnxruntime"]
          else "MISMATCH"] for r in rows]))
    bc.write_json(out_dir / "fusion.json", rows)
    if not ok:
        print("FAIL: a fused or unfused output does not match onnxruntime")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
