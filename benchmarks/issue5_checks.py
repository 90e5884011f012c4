#!/usr/bin/env python3
# ===- issue5_checks.py - Issue 5's measurable checks in one run ----------=== #
#
#   issue5_checks.py [--build build] [--from-latest] [--rounds 12] [--runs 3]
#                    [--json OUT]
#
# Measures issue 5's checks 1-4 on this machine and prints one verdict per
# item, so a session can tell at once whether the issue holds here:
#   1. run_bench.py (Kiln, onnxruntime, OpenVINO; ResNet-18/50, MobileNetV2,
#      GoogLeNet; 1 and 2 threads; --no-fusion --no-layers): Kiln's median
#      over onnxruntime's <= 0.85 (ResNet-50), 0.8 (GoogLeNet), 0.7
#      (MobileNetV2) at each thread count, and <= 1.0 of OpenVINO's for
#      those three. With --from-latest the last run's build/bench/latest.json
#      is read instead of running the benchmark.
#   2. peak_scaling.py on the benchmark's ResNet-50 executable: at 1 thread
#      the 3x3 convs >= 90 % of the measured peak, the 1x1 convs >= 85 %,
#      the network >= 85 % (judged on the kernels' medians; the minima are
#      printed beside them), 2 threads >= 1.9x faster than 1.
#   3. every Kiln output of the benchmark matched onnxruntime.
#   4. `kiln compile` of ResNet-50 with an empty kernel cache within 60 s,
#      again with the cache filled under 5 s (the times kiln prints).
# Check 5 (the table in benchmarks/README.md) is a document, not measured.
# No thresholds are asserted as tests: this is a benchmark; the exit status
# is 0 whatever the verdicts (2 on a tool error).
#
# ===----------------------------------------------------------------------=== #

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# Check 1: Kiln / onnxruntime at most this, at 1 and 2 threads.
ORT_LIMITS = {"resnet50": 0.85, "googlenet": 0.8, "mobilenetv2": 0.7}
OPENVINO_LIMIT = 1.0
# Check 2: % of the measured peak at 1 thread, per kernel kind.
PEAK_LIMITS = {"3x3 conv": 90.0, "1x1 conv": 85.0, "network": 85.0}
SCALING_LIMIT = 1.9
# Check 4: seconds.
COLD_COMPILE_LIMIT = 60.0
CACHED_COMPILE_LIMIT = 5.0


def fail(msg):
    print(f"issue5_checks.py: error: {msg}", file=sys.stderr)
    sys.exit(2)


def item(check, what, value, limit, met, detail=""):
    return {"check": check, "what": what, "value": value, "limit": limit,
            "met": bool(met), "detail": detail}


def check_ratios(rows):
    """Checks 1 and 3 from run_bench.py's rows (latest.json)."""
    items = []
    kiln = {(r["model"], r["threads"]): r for r in rows if r["engine"] == "kiln"}
    for model, limit in ORT_LIMITS.items():
        for threads in (1, 2):
            r = kiln.get((model, threads))
            if r is None:
                items.append(item(1, f"{model} {threads} thr vs onnxruntime", None,
                                  limit, False, "not measured"))
                continue
            ratio = r.get("ratio_vs_onnxruntime")
            items.append(item(1, f"{model} {threads} thr vs onnxruntime", ratio, limit,
                              ratio is not None and ratio <= limit,
                              f"paired {r.get('ratio_vs_onnxruntime_paired')}, "
                              f"at minima {r.get('ratio_vs_onnxruntime_at_min')}"))
            ov = r.get("ratio_vs_openvino")
            items.append(item(1, f"{model} {threads} thr vs openvino", ov,
                              OPENVINO_LIMIT, ov is not None and ov <= OPENVINO_LIMIT))
    mismatched = sorted(f"{m} {t} thr" for (m, t), r in kiln.items()
                        if not r.get("matches_onnxruntime"))
    items.append(item(3, "Kiln outputs match onnxruntime", len(kiln) - len(mismatched),
                      len(kiln), kiln and not mismatched,
                      ("mismatch: " + ", ".join(mismatched)) if mismatched else ""))
    return items


def check_peak(scaling):
    """Check 2 from peak_scaling.py's JSON."""
    items = []
    kinds = {k["kind"]: k for k in scaling["kinds"]}
    kinds["network"] = scaling["network"]
    for kind, limit in PEAK_LIMITS.items():
        k = kinds.get(kind)
        med = k and k["percent_of_peak_at_median"]
        items.append(item(2, f"ResNet-50 {kind} % of peak (1 thr)", med, limit,
                          med is not None and med >= limit,
                          f"at minima {k['percent_of_peak_at_min']:.1f}" if k else
                          "no such kernels"))
    two = scaling["two_threads"]
    items.append(item(2, "ResNet-50 2 thr speed-up", two["scaling_at_median"],
                      SCALING_LIMIT, two["scaling_at_median"] >= SCALING_LIMIT,
                      f"at minima {two['scaling_at_min']:.3f}"))
    return items


def check_compile(cold_s, cached_s):
    """Check 4 from the two compile times."""
    return [item(4, "ResNet-50 compile, empty cache (s)", cold_s, COLD_COMPILE_LIMIT,
                 cold_s is not None and cold_s <= COLD_COMPILE_LIMIT),
            item(4, "ResNet-50 compile, cached (s)", cached_s, CACHED_COMPILE_LIMIT,
                 cached_s is not None and cached_s < CACHED_COMPILE_LIMIT)]


def compile_seconds(stderr):
    """The total time of kiln's 'wrote ... in X s' line."""
    m = re.search(r"kiln: wrote .* in ([0-9.]+) s", stderr)
    return float(m.group(1)) if m else None


def measure_compile(kiln, model):
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as out:
        env = dict(os.environ, KILN_CACHE_DIR=cache)
        times = []
        for _ in range(2):
            p = subprocess.run([kiln, "compile", model, "-o", os.path.join(out, "net")],
                               capture_output=True, text=True, env=env)
            if p.returncode:
                fail(f"kiln compile {model} exited {p.returncode}:\n{p.stderr}")
            times.append(compile_seconds(p.stderr + p.stdout))
        return times


def run_step(cmd):
    print("+ " + " ".join(cmd), flush=True)
    if subprocess.run(cmd).returncode:
        fail(f"{cmd[1] if len(cmd) > 1 else cmd[0]} failed")


def print_table(items):
    print(f"\n{'check':5s} {'item':42s} {'measured':>9s} {'limit':>7s}  verdict")
    for it in items:
        v = it["value"]
        value = "-" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))
        print(f"{it['check']:<5d} {it['what']:42s} {value:>9s} {it['limit']:>7} "
              f" {'met' if it['met'] else 'NOT MET'}"
              + (f"  ({it['detail']})" if it["detail"] else ""))
    missed = [it for it in items if not it["met"]]
    print(f"\nchecks 1-4: {len(items) - len(missed)} of {len(items)} items met"
          + ("; not met: " + ", ".join(it["what"] for it in missed) if missed else ""))


def main():
    ap = argparse.ArgumentParser(description="issue 5's checks 1-4 on this machine")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--from-latest", action="store_true",
                    help="read the last benchmark (build/bench/latest.json) instead "
                         "of running it")
    ap.add_argument("--rounds", type=int, default=12)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", help="write the verdicts here (default "
                                   "BUILD/bench/issue5_checks.json)")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    bench = os.path.join(build, "bench")
    kiln = os.path.join(build, "bin", "kiln")
    zoo = os.path.join(build, "models", "zoo")
    if not os.access(kiln, os.X_OK):
        fail(f"no kiln at {kiln} (build first: ./dev.sh build)")
    if not args.from_latest:
        run_step([sys.executable, os.path.join(HERE, "run_bench.py"), "--build", build,
                  "--no-fusion", "--no-layers", "--rounds", str(args.rounds),
                  "--runs", str(args.runs)])
    try:
        with open(os.path.join(bench, "latest.json")) as f:
            rows = json.load(f)
        with open(os.path.join(bench, "latest_meta.json")) as f:
            meta = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"cannot read the benchmark's results in {bench}: {e}")
    items = check_ratios(rows)

    r50 = os.path.join(bench, "work", "resnet50")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "scaling.json")
        run_step([sys.executable, os.path.join(HERE, "peak_scaling.py"),
                  os.path.join(r50, "net"),
                  "--input", os.path.join(zoo, "resnet50", "input_0.npy"),
                  "--report", os.path.join(r50, "dump", "report.json"),
                  "--peak", str(meta["peak_gflops_per_core"]), "--json", out])
        with open(out) as f:
            items += check_peak(json.load(f))

    print("+ kiln compile resnet50 twice with an empty kernel cache", flush=True)
    cold, cached = measure_compile(kiln, os.path.join(zoo, "resnet50", "model.onnx"))
    items += check_compile(cold, cached)

    print(f"\nIssue 5 on {meta['machine'].get('cpu')} (nproc {meta['machine'].get('nproc')}"
          f", peak {meta['peak_gflops_per_core']} GFLOP/s per core), benchmark of "
          f"{meta['machine'].get('date_utc')}:")
    print_table(items)
    path = args.json or os.path.join(bench, "issue5_checks.json")
    with open(path, "w") as f:
        json.dump({"machine": meta["machine"], "peak_gflops_per_core":
                   meta["peak_gflops_per_core"], "items": items}, f, indent=1)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
