#!/usr/bin/env python3
# ===- peak_scaling.py - Per-kind share of peak and 2-thread scaling ------=== #
#
#   peak_scaling.py EXE --input X.npy --report DUMP/report.json
#                   --peak GFLOPS [--rounds R] [--runs K] [--json OUT]
#
# Issue 5's check 2 for one Kiln executable (e.g. ResNet-50 as run_bench.py
# builds it: build/bench/work/resnet50/net and its dump's report.json; the
# peak from build/bench/latest_meta.json or peak_probe). Profiles
# (`EXE --profile`, K timed runs each) at 1 and 2 threads alternate for R
# rounds, so drift on a shared machine hits both alike. Per kernel it keeps
# the minimum and the median over all runs, then prints
#   - per kernel kind (run_bench.layer_kind: 3x3 conv, 1x1 conv, ...) and
#     for the whole network, at 1 thread: GFLOP/s as a % of the peak, from
#     the kernels' minima and from their medians. FLOPs are 2 x the MACs of
#     the report (the direct convolution's, also for Winograd convs);
#   - the 2-thread speed-up: the sum of the 1-thread kernel times over the
#     sum of the 2-thread ones (minima, and medians).
# The executable and the report must come from the same compile (the
# kernels are matched by index, and their count must agree).
#
# ===----------------------------------------------------------------------=== #

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_bench import layer_kind  # noqa: E402


def fail(msg):
    print(f"peak_scaling.py: error: {msg}", file=sys.stderr)
    sys.exit(2)


def profile(exe, inp, threads, runs, path):
    """One `--profile` run of `runs` timed calls: {index: (min_ns, median_ns)}."""
    cmd = [exe, "--input", inp, "--threads", str(threads), "--repeat", str(runs),
           "--warmup", "3", "--profile", path]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        fail(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stderr.strip()}")
    with open(path) as f:
        return {k["index"]: (k["min_ns"], k["median_ns"])
                for k in json.load(f)["kernels"]}


def percent(macs, ns, peak):
    return 100.0 * 2 * macs / ns / peak if ns else None


def main():
    ap = argparse.ArgumentParser(
        description="per-kind % of peak at 1 thread and 2-thread scaling "
                    "of a Kiln executable (issue 5, check 2)")
    ap.add_argument("exe", help="a Kiln executable")
    ap.add_argument("--input", required=True, help="its input, FILE.npy")
    ap.add_argument("--report", required=True,
                    help="report.json of `kiln compile --dump` for the same compile")
    ap.add_argument("--peak", type=float, required=True,
                    help="one core's peak, GFLOP/s (benchmarks/peak_probe)")
    ap.add_argument("--rounds", type=int, default=6, help="alternating rounds (default 6)")
    ap.add_argument("--runs", type=int, default=20,
                    help="timed runs per profile (default 20)")
    ap.add_argument("--json", help="also write the result here")
    args = ap.parse_args()
    if args.rounds < 1 or args.runs < 1 or not args.peak > 0:
        fail("--rounds and --runs must be >= 1 and --peak > 0")
    if not (os.path.isfile(args.exe) and os.access(args.exe, os.X_OK)):
        fail(f"{args.exe} is not an executable")
    for what, path in (("--input", args.input), ("--report", args.report)):
        if not os.path.isfile(path):
            fail(f"{what} {path} does not exist")
    try:
        with open(args.report) as f:
            layers = {l["index"]: l for l in json.load(f)["layers"]}
    except (OSError, ValueError, KeyError, TypeError) as e:
        fail(f"{args.report} is not a kiln report ({e})")

    times = {1: {}, 2: {}}  # threads -> index -> [(min_ns, median_ns)]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "profile.json")
        for _ in range(args.rounds):
            for t in (1, 2):
                for i, v in profile(args.exe, args.input, t, args.runs, path).items():
                    times[t].setdefault(i, []).append(v)
    if set(times[1]) != set(layers):
        fail(f"the executable has {len(times[1])} kernels, the report "
             f"{len(layers)}: not the same compile")

    def kernel(t, i):
        vs = times[t][i]
        return min(v[0] for v in vs), statistics.median(v[1] for v in vs)

    kinds = {}
    for i, l in layers.items():
        k = kinds.setdefault(layer_kind(l), {"layers": 0, "macs": 0, "min_ns": 0.0,
                                             "median_ns": 0.0})
        lo, mid = kernel(1, i)
        k["layers"] += 1
        k["macs"] += l["macs"]
        k["min_ns"] += lo
        k["median_ns"] += mid
    sums = {t: [sum(kernel(t, i)[j] for i in layers) for j in (0, 1)] for t in (1, 2)}
    macs = sum(l["macs"] for l in layers.values())
    rows = []
    for name, k in sorted(kinds.items(), key=lambda kv: -kv[1]["median_ns"]):
        rows.append({"kind": name, "layers": k["layers"], "macs": k["macs"],
                     "min_ms": k["min_ns"] / 1e6, "median_ms": k["median_ns"] / 1e6,
                     "percent_of_peak_at_min": percent(k["macs"], k["min_ns"], args.peak),
                     "percent_of_peak_at_median": percent(k["macs"], k["median_ns"],
                                                          args.peak)})
    result = {
        "exe": args.exe, "peak_gflops": args.peak, "rounds": args.rounds,
        "runs": args.runs, "kinds": rows,
        "network": {"macs": macs, "min_ms": sums[1][0] / 1e6,
                    "median_ms": sums[1][1] / 1e6,
                    "percent_of_peak_at_min": percent(macs, sums[1][0], args.peak),
                    "percent_of_peak_at_median": percent(macs, sums[1][1], args.peak)},
        "two_threads": {"min_ms": sums[2][0] / 1e6, "median_ms": sums[2][1] / 1e6,
                        "scaling_at_min": sums[1][0] / sums[2][0],
                        "scaling_at_median": sums[1][1] / sums[2][1]}}

    def pct(v):
        return f"{v:.1f} %" if v is not None else "-"

    print(f"{args.exe}: {args.rounds} rounds x {args.runs} runs at 1 and 2 threads, "
          f"peak {args.peak} GFLOP/s; per kernel the minimum / median over the runs")
    print(f"{'kind':18s} {'layers':>6s} {'GMACs':>7s} {'min ms':>8s} {'med ms':>8s} "
          f"{'% peak @min':>12s} {'% peak @med':>12s}")
    for r in rows + [dict(result["network"], kind="network", layers=len(layers))]:
        print(f"{r['kind']:18s} {r['layers']:6d} {r['macs'] / 1e9:7.3f} "
              f"{r['min_ms']:8.3f} {r['median_ms']:8.3f} "
              f"{pct(r['percent_of_peak_at_min']):>12s} "
              f"{pct(r['percent_of_peak_at_median']):>12s}")
    two = result["two_threads"]
    print(f"2 threads: {two['min_ms']:.3f} ms by minima, {two['median_ms']:.3f} by "
          f"medians; {two['scaling_at_min']:.3f}x / {two['scaling_at_median']:.3f}x "
          f"faster than 1 thread")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
