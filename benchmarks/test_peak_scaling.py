#!/usr/bin/env python3
# ===- test_peak_scaling.py - peak_scaling.py on a small compiled model ---=== #
#
#   test_peak_scaling.py --kiln KILN --models-dir DIR --workdir W
#
# Compiles democnn with its dump (report.json) and runs
# benchmarks/peak_scaling.py on it. Checks the JSON against the report and
# itself (every kernel counted once in its kind, the kinds' MACs and times
# adding up to the network's, each % of peak recomputed from MACs, time and
# peak, minima at most medians, the scaling the ratio of the two sums) and
# the errors (a report of another compile, a missing input or report, a
# non-executable, bad counts). No timing thresholds.
#
# ===----------------------------------------------------------------------=== #

import json
import math
import os
import sys

from check_util import check, finish, fresh_workdir, run, tool_test_args

HERE = os.path.dirname(os.path.abspath(__file__))
PEAK = 100.0


def peak_scaling(args, expect_rc=0):
    return run([sys.executable, os.path.join(HERE, "peak_scaling.py")] + args,
               expect_rc)


def close(a, b):
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def check_result(r, report):
    layers = report["layers"]
    macs = sum(l["macs"] for l in layers)
    net, kinds = r["network"], r["kinds"]
    check(sum(k["layers"] for k in kinds) == len(layers),
          f"kinds count {sum(k['layers'] for k in kinds)} kernels, report {len(layers)}")
    check(net["macs"] == macs and sum(k["macs"] for k in kinds) == macs,
          f"MACs: network {net['macs']}, kinds {sum(k['macs'] for k in kinds)}, "
          f"report {macs}")
    for key in ("min_ms", "median_ms"):
        check(close(sum(k[key] for k in kinds), net[key]),
              f"kinds' {key} do not add up to the network's {net[key]}")
    for row in kinds + [dict(net, kind="network")]:
        check(0 < row["min_ms"] <= row["median_ms"] and math.isfinite(row["median_ms"]),
              f"{row['kind']}: min {row['min_ms']} / median {row['median_ms']} ms")
        for at, key in (("min", "min_ms"), ("median", "median_ms")):
            want = 100.0 * 2 * row["macs"] / (row[key] * 1e6) / PEAK if row["macs"] else None
            got = row[f"percent_of_peak_at_{at}"]
            check((want is None and got is None) or (got is not None and close(got, want)),
                  f"{row['kind']}: % of peak at {at} {got}, want {want}")
    two = r["two_threads"]
    check(0 < two["min_ms"] <= two["median_ms"], f"2 threads: {two}")
    check(close(two["scaling_at_min"], net["min_ms"] / two["min_ms"]) and
          close(two["scaling_at_median"], net["median_ms"] / two["median_ms"]),
          f"scaling {two} from 1-thread sums {net['min_ms']} / {net['median_ms']}")
    check(r["rounds"] == 2 and r["runs"] == 3 and r["peak_gflops"] == PEAK,
          f"settings echoed wrong: {r['rounds']} {r['runs']} {r['peak_gflops']}")


def main():
    args = tool_test_args()
    work = fresh_workdir(args.workdir)
    demo = os.path.join(args.models_dir, "democnn")
    model, x = os.path.join(demo, "model.onnx"), os.path.join(demo, "input_0.npy")
    exe, dump = os.path.join(work, "net"), os.path.join(work, "dump")
    other, other_dump = os.path.join(work, "nofuse"), os.path.join(work, "nofuse_dump")
    run([args.kiln, "compile", model, "-o", exe, "-q", f"--dump={dump}"], fatal=True)
    run([args.kiln, "compile", model, "-o", other, "-q", "--no-fuse",
         f"--dump={other_dump}"], fatal=True)
    report = os.path.join(dump, "report.json")
    with open(report) as f:
        rep = json.load(f)

    out = os.path.join(work, "ps.json")
    p = peak_scaling([exe, "--input", x, "--report", report, "--peak", PEAK,
                      "--rounds", 2, "--runs", 3, "--json", out])
    if p.returncode == 0:
        with open(out) as f:
            check_result(json.load(f), rep)
        check("network" in p.stdout and "faster than 1 thread" in p.stdout,
              f"report lines missing:\n{p.stdout}")

    def error(extra, what, say):
        p = peak_scaling(extra, expect_rc=2)
        check(say in p.stderr, f"{what}: stderr does not say '{say}':\n{p.stderr}")

    base = ["--input", x, "--peak", PEAK, "--rounds", 1, "--runs", 1]
    error([exe, "--report", os.path.join(other_dump, "report.json")] + base,
          "another compile's report", "not the same compile")
    error([exe, "--report", os.path.join(work, "missing.json")] + base,
          "missing report", "does not exist")
    error([exe, "--report", report, "--input", os.path.join(work, "none.npy"),
           "--peak", PEAK], "missing input", "does not exist")
    error([x, "--report", report] + base, "non-executable", "is not an executable")
    error([exe, "--report", report, "--input", x, "--peak", PEAK, "--rounds", 0],
          "zero rounds", "must be >= 1")
    error([exe, "--report", x] + base, "not a report", "is not a kiln report")
    return finish("peak_scaling.py")


if __name__ == "__main__":
    sys.exit(main())
