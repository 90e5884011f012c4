#!/usr/bin/env python3
# ===- test_ort_profile.py - ort_profile.py on small test models ---------=== #
#
#   test_ort_profile.py --models-dir DIR --workdir W
#
# Runs benchmarks/ort_profile.py on the democnn test model and checks its
# JSON (one row per executed node, every row timed --runs times, minimum <=
# median, positive finite times, the sums equal to the rows' sums, a Conv
# among the ops) and text report (a row per node, --top K rows, slowest
# first), --input with the model's own input file, and the errors (missing
# model, --input on a two-input model, an input of the wrong shape, bad
# counts). No timing thresholds.
#
# ===----------------------------------------------------------------------=== #

import json
import math
import os
import re
import sys

import check_util
from check_util import check, finish, tool_test_args

HERE = os.path.dirname(os.path.abspath(__file__))


def run(args, expect_rc):
    return check_util.run(
        [sys.executable, os.path.join(HERE, "ort_profile.py")] + list(args),
        expect_rc)


def table_rows(stdout):
    return [l for l in stdout.splitlines() if re.match(r"^\s*\d+\s+\S", l)]


def main():
    a = tool_test_args(kiln=False)
    os.makedirs(a.workdir, exist_ok=True)
    demo = os.path.join(a.models_dir, "democnn")
    model = os.path.join(demo, "model.onnx")
    out = os.path.join(a.workdir, "democnn_profile.json")

    p = run([model, "--runs", 4, "--warmup", 1, "--json", out], 0)
    with open(out) as f:
        d = json.load(f)
    rows = d["nodes"]
    check(len(rows) >= 3, f"only {len(rows)} node rows")
    check(d["threads"] == 1 and d["runs"] == 4 and d["warmup"] == 1,
          f"settings echoed as {d['threads']}/{d['runs']}/{d['warmup']}")
    for r in rows:
        ok = all(math.isfinite(r[k]) and r[k] > 0 for k in ("median_ms", "min_ms"))
        check(ok and r["min_ms"] <= r["median_ms"] and r["runs"] == 4,
              f"row {r}")
    check([r["index"] for r in rows] == list(range(len(rows))),
          "rows are not indexed in run order")
    check(abs(d["sum_of_medians_ms"] - sum(r["median_ms"] for r in rows)) < 1e-9,
          "sum of medians differs from the rows")
    check(abs(d["sum_of_minimums_ms"] - sum(r["min_ms"] for r in rows)) < 1e-9,
          "sum of minimums differs from the rows")
    check(any(r["op"] == "Conv" for r in rows), "no Conv node in democnn's profile")
    printed = table_rows(p.stdout)
    check(len(printed) == len(rows), f"{len(printed)} table rows for {len(rows)} nodes")
    medians = [float(l.split()[-2]) for l in printed]
    check(medians == sorted(medians, reverse=True), "table not slowest first")
    check(re.search(rf"{len(rows)} nodes, sum of medians", p.stdout) is not None,
          "header does not count the nodes")

    p = run([model, "--runs", 2, "--top", 3, "--input",
             os.path.join(demo, "input_0.npy")], 0)
    check(len(table_rows(p.stdout)) == 3, "--top 3 did not print 3 rows")

    p = run([os.path.join(a.workdir, "missing.onnx")], 1)
    check("missing.onnx" in p.stderr, "missing model not named")
    p = run([os.path.join(a.models_dir, "multi_io", "model.onnx"), "--input",
             os.path.join(demo, "input_0.npy")], 1)
    check("one input" in p.stderr, "two-input model with --input not explained")
    wrong = os.path.join(a.workdir, "wrong_shape.npy")
    import numpy as np
    np.save(wrong, np.zeros((1, 3, 5, 5), np.float32))
    p = run([model, "--input", wrong], 1)
    check("wrong_shape.npy" in p.stderr and "float32" in p.stderr,
          "wrong input shape not named")
    p = run([model, "--runs", 0], 1)
    check("--runs" in p.stderr, "bad --runs not named")

    return finish("ort_profile")


if __name__ == "__main__":
    sys.exit(main())
