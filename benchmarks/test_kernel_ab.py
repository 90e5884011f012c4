#!/usr/bin/env python3
# ===- test_kernel_ab.py - kernel_ab.py on a small compiled model ---------=== #
#
#   test_kernel_ab.py --kiln KILN --models-dir DIR --workdir W
#
# Compiles democnn three ways (default: Winograd for its 16x16 3x3 convs;
# --conv-algorithm=direct: the same number of kernels, two of them
# different; --no-fuse: more kernels) and runs benchmarks/kernel_ab.py on
# the pairs. Checks the JSON (kernels paired by position with both names,
# positive finite times, each total equal to its kernels' sum and at most
# every round's sum, the paired ratio the median of the rounds' ratios,
# the change computed from the two times, the round order alternating so
# both builds ran every round), the report (one row
# per kernel, none with --changed above any change, "totals only" for
# builds with different kernels), and the errors (no --input, a missing
# input file, a non-executable, bad labels and counts, an input the
# executable rejects). No timing thresholds.
#
# ===----------------------------------------------------------------------=== #

import json
import math
import os
import re
import statistics
import sys

from check_util import check, finish, fresh_workdir, run, tool_test_args

HERE = os.path.dirname(os.path.abspath(__file__))


def ab(args, expect_rc=0):
    return run([sys.executable, os.path.join(HERE, "kernel_ab.py")] + args,
               expect_rc)


def kernel_rows(report):
    # "  12  conv2d_... from 'kiln.conv2d' ...   0.123   0.120   -2.4%"
    return [l for l in report.splitlines() if re.match(r"^\s*\d+  \S", l)]


def check_paired(r, rounds, label):
    ks = r["kernels"]
    check(r["paired"] and len(ks) > 0, f"{label}: not paired or no kernels")
    check(r["rounds"] == rounds, f"{label}: rounds {r['rounds']}")
    for b in (0, 1):
        sums = r["round_sums_ms"][b]
        check(len(sums) == rounds, f"{label}: {len(sums)} round sums of build {b}")
        key = ("ms_a", "ms_b")[b]
        total = sum(k[key] for k in ks)
        check(abs(total - r["totals_ms"][b]) <= 1e-9 * max(1.0, total),
              f"{label}: total {r['totals_ms'][b]} != kernels' sum {total}")
        check(r["totals_ms"][b] <= min(sums) + 1e-9,
              f"{label}: total of minima {r['totals_ms'][b]} above a round's "
              f"sum {min(sums)}")
    for k in ks:
        check(all(math.isfinite(k[x]) and k[x] > 0 for x in ("ms_a", "ms_b")),
              f"{label}: kernel {k['index']} times {k['ms_a']} / {k['ms_b']}")
        want = 100.0 * (k["ms_b"] - k["ms_a"]) / k["ms_a"]
        check(abs(k["change_percent"] - want) <= 1e-6,
              f"{label}: kernel {k['index']} change {k['change_percent']} "
              f"!= {want}")
        check(k["name_a"] and k["name_b"], f"{label}: kernel {k['index']} unnamed")
        check(math.isfinite(k["paired_change_percent"]) and k["paired_change_percent"] > -100,
              f"{label}: kernel {k['index']} paired change {k['paired_change_percent']}")
    sa, sb = r["round_sums_ms"]
    want = statistics.median(b / a for a, b in zip(sa, sb))
    check(abs(r["round_sum_ratio_median"] - want) <= 1e-9,
          f"{label}: paired ratio {r['round_sum_ratio_median']} != median of the "
          f"rounds' ratios {want}")


def main():
    args = tool_test_args()
    work = fresh_workdir(args.workdir)
    demo = os.path.join(args.models_dir, "democnn")
    model, x = os.path.join(demo, "model.onnx"), os.path.join(demo, "input_0.npy")
    auto, direct, nofuse = (os.path.join(work, n) for n in ("auto", "direct", "nofuse"))
    run([args.kiln, "compile", model, "-o", auto, "-q"])
    run([args.kiln, "compile", model, "-o", direct, "-q", "--conv-algorithm=direct"])
    run([args.kiln, "compile", model, "-o", nofuse, "-q", "--no-fuse"])

    # Same kernel count: paired row by row.
    out = os.path.join(work, "ab.json")
    p = ab([direct, auto, "--input", x, "--rounds", "3", "--repeat", "3",
            "--labels", "direct,winograd", "--json", out])
    with open(out) as f:
        r = json.load(f)
    check_paired(r, 3, "direct vs winograd")
    check(r["labels"] == ["direct", "winograd"], f"labels {r['labels']}")
    names = [(k["name_a"], k["name_b"]) for k in r["kernels"]]
    check(any(a != b for a, b in names),
          "the Winograd build's kernels are all named like the direct build's")
    rows = kernel_rows(p.stdout)
    check(len(rows) == len(r["kernels"]),
          f"{len(rows)} report rows for {len(r['kernels'])} kernels:\n{p.stdout}")
    check("total (sum of per-kernel minima): direct" in p.stdout,
          f"no totals line:\n{p.stdout}")
    # Two threads, NAME=FILE input, nothing above a 10^6 % change.
    with open(os.path.join(demo, "meta.json")) as f:
        input_name = json.load(f)["inputs"][0]["name"]
    p = ab([auto, auto, "--input", f"{input_name}={x}", "--threads", "2", "--rounds",
            "2", "--repeat", "2", "--warmup", "0", "--changed", "1000000"])
    rows = kernel_rows(p.stdout)
    check(rows == [], f"--changed 1e6 still printed rows:\n{p.stdout}")
    check("2 thread(s), 2 interleaved rounds" in p.stdout, p.stdout)

    # Different kernel counts: totals only.
    out2 = os.path.join(work, "ab_nofuse.json")
    p = ab([auto, nofuse, "--input", x, "--rounds", "2", "--repeat", "2",
            "--json", out2])
    with open(out2) as f:
        r = json.load(f)
    check(not r["paired"] and r["kernels"] == [], f"fused vs unfused paired: {r}")
    check(all(t > 0 for t in r["totals_ms"]), f"totals {r['totals_ms']}")
    check("different kernels: totals only" in p.stdout, p.stdout)

    # Errors: a clear message and exit 1 (2 for a missing required flag).
    p = ab([auto, direct], expect_rc=2)
    check("--input" in p.stderr, p.stderr)
    for bad, msg in (
            ([auto, direct, "--input", os.path.join(work, "none.npy")],
             "no such input file"),
            ([auto, model, "--input", x], "not an executable file"),
            ([auto, direct, "--input", x, "--labels", "one"], "--labels needs two"),
            ([auto, direct, "--input", x, "--rounds", "0"], "must be >= 1"),
            ([auto, direct, "--input", model], "exited with")):
        p = ab(bad, expect_rc=1)
        check(msg in p.stderr, f"expected '{msg}' in: {p.stderr}")

    return finish("kernel_ab")


if __name__ == "__main__":
    sys.exit(main())
