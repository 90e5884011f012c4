#!/usr/bin/env python3
"""Kiln CPU benchmarks against onnxruntime and OpenVINO, in one run.

  run_bench.py [--build DIR] [--models resnet18,resnet50,mobilenetv2,googlenet]
               [--threads 1,2] [--rounds R] [--runs K] [--quick]
               [--layers resnet50,mobilenetv2 | --no-layers] [--no-fusion]
               [--kernels]

1. Peak: benchmarks/peak_probe.cpp built with -march=native (single-core fp32
   FMA roofline, GFLOP/s).
2. End to end, batch 1, fp32, for every model x thread count: Kiln (the zoo
   model compiled by DIR/bin/kiln, timed with `kiln bench`), onnxruntime and
   OpenVINO (bench_common.py: engine settings), timed INTERLEAVED: R rounds,
   each a block of warm-up + K timed runs per engine, engine order rotating.
   Medians and p90 over all R*K runs, Kiln/ORT and Kiln/OpenVINO ratios,
   Kiln's GFLOP/s = 2*MACs/median (MACs: `kiln stats --json`) and its % of
   peak x threads. Kiln's and OpenVINO's outputs on the model's input_0.npy
   are checked against onnxruntime (rtol 1e-3, atol 1e-4).
   -> DIR/bench/latest.json
3. Per-layer breakdown (1 thread) for --layers models: report.json of
   `kiln compile --dump` (per-layer MACs, shapes, fusion) joined with the
   executable's `--profile` (median ns per kernel call, --threads 1):
   GFLOP/s and % of peak per layer, totals per kind (3x3 conv, 1x1 conv,
   depthwise, dw+pw fused, inverted residual, other; Winograd 3x3 convs
   count as 3x3 convs with the direct conv's MACs). -> DIR/bench/layers.json
4. Fusion on/off (fusion_bench.py) unless --no-fusion. -> DIR/bench/fusion.json
5. --kernels: DIR/bin/kiln-kernel-bench --peak <peak> (single Conv2D kernels).

Exit status 1 if a Kiln output does not match onnxruntime.
"""
import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_common as bc  # noqa: E402

DEFAULT_MODELS = "resnet18,resnet50,mobilenetv2,googlenet"
LABELS = {"resnet18": "ResNet-18", "resnet50": "ResNet-50", "mobilenetv2": "MobileNetV2",
          "googlenet": "GoogLeNet", "mobilenetv1": "MobileNetV1",
          "efficientnet_lite0": "EfficientNet-Lite0", "shufflenetv2": "ShuffleNetV2"}


def end_to_end(args, build, kiln, peak, name, out_dir):
    import numpy as np
    d = bc.find_model(build, name)
    model = d / "model.onnx"
    x_path = d / "input_0.npy"
    x = np.load(x_path)
    work = out_dir / "work" / name
    dump = work / "dump" if name in args.layers else None
    exe, compile_s = bc.compile_model(kiln, model, work / "net", dump=dump)
    macs = bc.model_macs(kiln, model)

    rows, checks = [], {}
    for threads in args.threads:
        engines = [bc.KilnEngine(kiln, exe, threads, x_path),
                   bc.OrtEngine(model, threads, x),
                   bc.OpenVinoEngine(model, threads, x)]
        if threads == args.threads[0]:
            ref = engines[1].output()
            for e in (engines[0], engines[2]):
                ok, max_abs, bad = bc.compare(e.output(work), ref)
                checks[e.engine] = {"matches_onnxruntime": ok, "max_abs_diff": max_abs,
                                    "elements_out_of_tolerance": bad}
                bc.log(f"  {name}: {e.engine} output vs onnxruntime: "
                       f"{'OK' if ok else 'MISMATCH'} (max abs diff {max_abs:.3g}"
                       f"{'' if ok else f', {bad} elements out of tolerance'})")
        bc.log(f"  {name} threads={threads}: {args.rounds} rounds x "
               f"({args.warmup} warm-up + {args.runs} runs) per engine, interleaved")
        times = bc.interleaved(engines, args.rounds, args.runs, args.warmup)
        stats = {label: bc.summarize(t) for label, t in times.items()}
        kiln_ms = stats["kiln"]["median_ms"]
        for e in engines:
            s = stats[e.label]
            row = {"model": name, "threads": threads, "engine": e.engine,
                   "median_ms": round(s["median_ms"], 3), "p90_ms": round(s["p90_ms"], 3),
                   "min_ms": round(s["min_ms"], 3), "runs": s["runs"],
                   "macs": macs,
                   "gflops": round(2 * macs / (s["median_ms"] * 1e6), 2)}
            if e.engine == "kiln":
                row["percent_of_peak"] = round(100 * row["gflops"] / (peak * threads), 1)
                row["ratio_vs_onnxruntime"] = round(kiln_ms / stats["onnxruntime"]["median_ms"], 3)
                row["ratio_vs_openvino"] = round(kiln_ms / stats["openvino"]["median_ms"], 3)
                # The same ratios of the fastest runs: what each engine does
                # in the calmest moment of the run (this VM's noise slows a
                # near-peak kernel more than a peer's, so the medians of a
                # noisy run understate Kiln; see benchmarks/README.md).
                # Per round (each engine's block of runs), then the median
                # of the rounds' ratios: a slow phase spanning a round
                # cancels from it (bench_common.paired_round_ratio).
                for peer in ("onnxruntime", "openvino"):
                    row[f"ratio_vs_{peer}_paired"] = round(bc.paired_round_ratio(
                        times["kiln"], times[peer], args.runs), 3)
                kiln_min = stats["kiln"]["min_ms"]
                row["ratio_vs_onnxruntime_at_min"] = round(
                    kiln_min / stats["onnxruntime"]["min_ms"], 3)
                row["ratio_vs_openvino_at_min"] = round(kiln_min / stats["openvino"]["min_ms"], 3)
                row["arena_bytes"] = e.arena_bytes
                row["compile_s"] = round(compile_s, 1)
            else:
                row["version"] = e.version
            row.update(checks.get(e.engine, {}))
            rows.append(row)
        del engines
    return rows, exe, dump


def print_e2e(rows):
    table = []
    for r in rows:
        if r["engine"] != "kiln":
            continue
        peers = {p["engine"]: p for p in rows
                 if p["model"] == r["model"] and p["threads"] == r["threads"]}
        for eng in ("kiln", "onnxruntime", "openvino"):
            p = peers[eng]
            table.append([LABELS.get(r["model"], r["model"]), r["threads"], eng,
                          f"{p['median_ms']:.2f}", f"{p['p90_ms']:.2f}",
                          f"{r['ratio_vs_onnxruntime']:.2f}" if eng == "kiln" else "",
                          f"{r['ratio_vs_openvino']:.2f}" if eng == "kiln" else "",
                          f"{p['min_ms']:.2f}",
                          f"{r['ratio_vs_onnxruntime_at_min']:.2f}" if eng == "kiln" else "",
                          f"{r['ratio_vs_onnxruntime_paired']:.2f}" if eng == "kiln" else "",
                          f"{p['gflops']:.1f}",
                          f"{r['percent_of_peak']:.1f}%" if eng == "kiln" else "",
                          ("ok" if p["matches_onnxruntime"] else "MISMATCH")
                          if "matches_onnxruntime" in p else ("ref" if eng == "onnxruntime" else "")])
    print(bc.fmt_table(["model", "thr", "engine", "median ms", "p90 ms", "kiln/ort",
                        "kiln/ov", "min ms", "kiln/ort @min", "kiln/ort paired",
                        "GFLOP/s", "% peak*thr",
                        "output"], table))


# --- Per-layer breakdown --------------------------------------------------- #

def layer_kind(layer):
    """3x3 conv (direct or Winograd: MACs are always the direct conv's), 1x1
    conv, depthwise, dw+pw fused, inverted residual (expand + dw + pw), or
    other."""
    op = layer.get("op", "")
    kind = layer.get("kernel_kind", "")
    shapes = layer.get("input_shapes", [])
    if "inverted_residual" in op or kind == "InvertedResidual":
        return "inverted residual"
    if "separable" in op or "Separable" in kind or "depthwise_pointwise" in op:
        return "dw+pw fused"
    if op == "conv2d" and layer.get("algorithm", "").startswith("winograd"):
        return "3x3 conv"
    # Weights are OIHW, or packed [M/8][C/g][KH][KW][8] (weight pre-packing).
    if op == "conv2d" and len(shapes) >= 2 and len(shapes[1]) in (4, 5):
        _, cg, kh, kw = shapes[1][:4]
        c, m = shapes[0][1], layer["output_shape"][1]
        if cg == 1 and c > 1 and m >= c:
            return "depthwise"
        if c == cg:
            if (kh, kw) == (3, 3):
                return "3x3 conv"
            if (kh, kw) == (1, 1):
                return "1x1 conv"
    return "other"


def layer_breakdown(build, kiln, peak, name, exe, dump, out_dir, runs):
    report = json.loads((dump / "report.json").read_text())
    prof_path = out_dir / "work" / name / "profile_t1.json"
    x = bc.find_model(build, name) / "input_0.npy"
    bc.run([exe, "--input", x, "--threads", 1, "--repeat", runs, "--warmup", 3,
            "--profile", prof_path], quiet=True)
    prof = json.loads(prof_path.read_text())
    by_index = {k["index"]: k for k in prof["kernels"]}
    layers, kinds = [], {}
    for l in report["layers"]:
        k = by_index.get(l["index"])
        ns = k["median_ns"] if k else None
        min_ns = k["min_ns"] if k else None
        kind = layer_kind(l)
        w = l["input_shapes"][1] if len(l.get("input_shapes", [])) > 1 else None
        gflops = 2 * l["macs"] / ns if ns and l["macs"] else None
        layers.append({
            "index": l["index"], "node": l["node"], "op": l["op"], "kind": kind,
            "algorithm": l.get("algorithm"),
            "fused_ops": l["fused_ops"], "input_shape": l["input_shapes"][0] if l["input_shapes"] else None,
            "weight_shape": w, "output_shape": l["output_shape"], "macs": l["macs"],
            "median_ms": ns / 1e6 if ns else None,
            "min_ms": min_ns / 1e6 if min_ns else None,
            "gflops": round(gflops, 2) if gflops else None,
            "percent_of_peak": round(100 * gflops / peak, 1) if gflops else None})
        t = kinds.setdefault(kind, {"kind": kind, "layers": 0, "macs": 0, "ms": 0.0,
                                    "min_ms": 0.0})
        t["layers"] += 1
        t["macs"] += l["macs"]
        t["ms"] += ns / 1e6 if ns else 0.0
        t["min_ms"] += min_ns / 1e6 if min_ns else 0.0
    total_ms = sum(t["ms"] for t in kinds.values())
    total_min_ms = sum(t["min_ms"] for t in kinds.values())
    for t in kinds.values():
        t["ms"] = round(t["ms"], 3)
        t["min_ms"] = round(t["min_ms"], 3)
        t["share_of_time"] = round(100 * t["ms"] / total_ms, 1) if total_ms else None
        t["gflops"] = round(2 * t["macs"] / (t["ms"] * 1e6), 2) if t["ms"] and t["macs"] else None
        t["percent_of_peak"] = round(100 * t["gflops"] / peak, 1) if t["gflops"] else None
        t["gflops_at_min"] = (round(2 * t["macs"] / (t["min_ms"] * 1e6), 2)
                              if t["min_ms"] and t["macs"] else None)
    total_macs = sum(t["macs"] for t in kinds.values())
    result = {"model": name, "threads": 1, "profile_runs": prof["runs"], "peak_gflops": peak,
              "sum_of_kernel_medians_ms": round(total_ms, 3),
              "sum_of_kernel_minimums_ms": round(total_min_ms, 3),
              "gflops": round(2 * total_macs / (total_ms * 1e6), 2) if total_ms else None,
              "arena_bytes": report["totals"]["arena_bytes"],
              "arena_bytes_without_reuse": report["totals"]["arena_bytes_without_reuse"],
              "kinds": sorted(kinds.values(), key=lambda t: -t["ms"]), "layers": layers}
    result["percent_of_peak"] = (round(100 * result["gflops"] / peak, 1)
                                 if result["gflops"] else None)
    return result


def print_layers(res, top=12):
    name = LABELS.get(res["model"], res["model"])
    print(f"\n{name}, 1 thread, per kernel kind: sum of kernel medians "
          f"{res['sum_of_kernel_medians_ms']:.2f} ms (of minimums "
          f"{res['sum_of_kernel_minimums_ms']:.2f} ms), {res['gflops']} GFLOP/s = "
          f"{res['percent_of_peak']}% of peak ({res['profile_runs']} profiled runs; "
          f"GFLOP/s from medians)")
    print(bc.fmt_table(["kind", "layers", "GMACs", "ms", "min ms", "% time", "GFLOP/s",
                        "% peak", "GFLOP/s @min"],
                       [[t["kind"], t["layers"], f"{t['macs'] / 1e9:.3f}", f"{t['ms']:.2f}",
                         f"{t['min_ms']:.2f}", f"{t['share_of_time']}", t["gflops"] or "",
                         t["percent_of_peak"] or "", t["gflops_at_min"] or ""]
                        for t in res["kinds"]]))
    slow = sorted((l for l in res["layers"] if l["median_ms"]), key=lambda l: -l["median_ms"])
    print(f"slowest {top} layers:")
    print(bc.fmt_table(
        ["#", "node", "kind", "in", "weight", "out", "ms", "min ms", "GFLOP/s", "% peak"],
        [[l["index"], l["node"], l["kind"], "x".join(map(str, l["input_shape"] or [])),
          "x".join(map(str, l["weight_shape"] or [])),
          "x".join(map(str, l["output_shape"] or [])), f"{l['median_ms']:.3f}",
          f"{l['min_ms']:.3f}",
          l["gflops"] or "", l["percent_of_peak"] or ""] for l in slow[:top]]))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", help="build folder (default: build, else build-bench)")
    ap.add_argument("--models", default=DEFAULT_MODELS)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, help="interleaved rounds (default 5, --quick 2)")
    ap.add_argument("--runs", type=int, help="timed runs per engine per round (default 10, --quick 5)")
    ap.add_argument("--warmup", type=int, default=2, help="untimed runs per block (default 2)")
    ap.add_argument("--quick", action="store_true", help="fewer rounds and runs (a smoke run)")
    ap.add_argument("--layers", default="resnet50,mobilenetv2",
                    help="models for the 1-thread per-layer breakdown")
    ap.add_argument("--no-layers", action="store_true")
    ap.add_argument("--no-fusion", action="store_true", help="skip fusion_bench.py")
    ap.add_argument("--fusion-only", action="store_true", help="only fusion_bench.py")
    ap.add_argument("--layers-only", action="store_true",
                    help="only the per-layer breakdown of the --layers models")
    ap.add_argument("--kernels", action="store_true", help="also run kiln-kernel-bench")
    args = ap.parse_args()
    args.rounds = args.rounds or (2 if args.quick else 5)
    args.runs = args.runs or (5 if args.quick else 10)
    args.threads = [int(t) for t in args.threads.split(",")]
    args.models = [m for m in args.models.split(",") if m]
    args.layers = [] if args.no_layers else [m for m in args.layers.split(",") if m]
    for m in args.layers:
        if m not in args.models:
            args.models.append(m)

    build = bc.find_build(args.build)
    kiln = build / "bin" / "kiln"
    out_dir = build / "bench"
    fusion_cmd = [sys.executable, Path(__file__).resolve().parent / "fusion_bench.py",
                  "--build", build, "--rounds", args.rounds, "--runs", args.runs,
                  "--warmup", args.warmup, "--threads", ",".join(map(str, args.threads))]
    if args.fusion_only:
        os.execv(sys.executable, [str(c) for c in fusion_cmd])

    info = bc.machine_info()
    bc.log(f"machine: {info['cpu']}, nproc {info['nproc']}, load average "
           f"{info['loadavg_start'][0]:.2f} at the start, {info['date_utc']}")
    peak, core_start = bc.probe_core(build)
    if args.kernels:
        kb = build / "bin" / "kiln-kernel-bench"
        if kb.exists():
            print(bc.run([kb, "--peak", peak], env={**os.environ, "HL_NUM_THREADS": "1"}))
        else:
            bc.log(f"{kb} not built (cmake --build {build} --target kiln-kernel-bench): skipped")

    if args.layers_only:
        results = []
        for name in args.layers:
            work = out_dir / "work" / name
            exe, _ = bc.compile_model(kiln, bc.find_model(build, name) / "model.onnx",
                                      work / "net", dump=work / "dump")
            results.append(layer_breakdown(build, kiln, peak, name, exe, work / "dump",
                                           out_dir, runs=max(args.runs, 10)))
            print_layers(results[-1])
        bc.write_json(out_dir / "layers.json", results)
        return 0

    rows, layer_results = [], []
    for name in args.models:
        bc.log(f"== {name}")
        model_rows, exe, dump = end_to_end(args, build, kiln, peak, name, out_dir)
        rows += model_rows
        if dump is not None:
            layer_results.append(layer_breakdown(build, kiln, peak, name, exe, dump, out_dir,
                                                 runs=max(args.runs, 10)))

    info["loadavg_end"] = list(os.getloadavg())
    # The probe's median short run against its best, before and after: the
    # share of its FMA throughput the core gave (on a shared VM another
    # tenant takes it at times, and Kiln's near-peak kernels lose more of
    # their speed then than a peer's). Contention for the caches and memory
    # does not show in it.
    core_end = bc.probe_core(build)[1]
    info["fma_median_gflops_start"], info["fma_median_gflops_end"] = core_start, core_end
    print(f"\nEnd to end, batch 1, fp32 ({info['cpu']}, nproc {info['nproc']}, peak "
          f"{peak:.1f} GFLOP/s per core; load average {info['loadavg_start'][0]:.2f} -> "
          f"{info['loadavg_end'][0]:.2f}; core share (FMA probe median / peak) "
          f"{100 * core_start / peak:.0f}% -> {100 * core_end / peak:.0f}%); medians of "
          f"{args.rounds} interleaved rounds x {args.runs} runs:")
    print_e2e(rows)
    bc.write_json(out_dir / "latest.json", rows)
    bc.write_json(out_dir / "latest_meta.json",
                  {"machine": info, "peak_gflops_per_core": peak, "rounds": args.rounds,
                   "runs_per_round": args.runs, "warmup_per_block": args.warmup})
    for res in layer_results:
        print_layers(res)
    if layer_results:
        bc.write_json(out_dir / "layers.json", layer_results)

    ok = all(r.get("matches_onnxruntime", True) for r in rows if r["engine"] == "kiln")
    if not ok:
        print("FAIL: a Kiln output does not match onnxruntime (see above)")
    if not args.no_fusion:
        sys.stdout.flush()
        rc = __import__("subprocess").call([str(c) for c in fusion_cmd])
        ok = ok and rc == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
