#!/usr/bin/env python3
# ===- test_issue5_checks.py - issue5_checks.py's verdicts ----------------=== #
#
#   test_issue5_checks.py --kiln KILN --models-dir DIR --workdir W
#
# The verdicts of issue5_checks.py on hand-made benchmark rows and
# peak_scaling results (each limit just met and just missed, missing rows,
# an output mismatch), and its reading of the compile time that a real
# `kiln compile` (democnn) prints. No timing thresholds.
#
# ===----------------------------------------------------------------------=== #

import os
import subprocess
import sys

from check_util import check, finish, fresh_workdir, tool_test_args

import issue5_checks as ic


def kiln_row(model, threads, ort, ov, ok=True):
    return {"model": model, "threads": threads, "engine": "kiln",
            "ratio_vs_onnxruntime": ort, "ratio_vs_openvino": ov,
            "matches_onnxruntime": ok}


def verdicts(items):
    return {it["what"]: it["met"] for it in items}


def test_ratios():
    rows = [kiln_row("resnet50", 1, 0.85, 1.0), kiln_row("resnet50", 2, 0.851, 0.9),
            kiln_row("googlenet", 1, 0.8, 1.01), kiln_row("googlenet", 2, 0.5, 0.5),
            kiln_row("mobilenetv2", 1, 0.7, 0.6),
            {"model": "mobilenetv2", "threads": 1, "engine": "onnxruntime",
             "median_ms": 9.0}]
    v = verdicts(ic.check_ratios(rows))
    check(v["resnet50 1 thr vs onnxruntime"], "0.85 meets ResNet-50's 0.85")
    check(not v["resnet50 2 thr vs onnxruntime"], "0.851 misses ResNet-50's 0.85")
    check(v["resnet50 1 thr vs openvino"], "1.0 meets OpenVINO's 1.0")
    check(not v["googlenet 1 thr vs openvino"], "1.01 misses OpenVINO's 1.0")
    check(v["googlenet 1 thr vs onnxruntime"], "0.8 meets GoogLeNet's 0.8")
    check(v["mobilenetv2 1 thr vs onnxruntime"], "0.7 meets MobileNetV2's 0.7")
    check(not v["mobilenetv2 2 thr vs onnxruntime"],
          "an unmeasured MobileNetV2 row is not met")
    check(v["Kiln outputs match onnxruntime"], "all outputs matching is met")
    rows.append(kiln_row("resnet18", 1, 0.5, 0.5, ok=False))
    items = ic.check_ratios(rows)
    out = [it for it in items if it["check"] == 3][0]
    check(not out["met"] and "resnet18 1 thr" in out["detail"],
          f"a mismatching output is named: {out}")
    check(not verdicts(ic.check_ratios([]))["Kiln outputs match onnxruntime"],
          "no Kiln rows do not meet check 3")


def scaling(p3, p1, net, s):
    kind = lambda name, p: {"kind": name, "percent_of_peak_at_median": p,  # noqa: E731
                            "percent_of_peak_at_min": p + 1}
    return {"kinds": [kind("3x3 conv", p3), kind("1x1 conv", p1), kind("other", 10.0)],
            "network": {"percent_of_peak_at_median": net, "percent_of_peak_at_min": net},
            "two_threads": {"scaling_at_median": s, "scaling_at_min": s}}


def test_peak():
    v = verdicts(ic.check_peak(scaling(90.0, 85.0, 85.0, 1.9)))
    check(all(v.values()), f"limits exactly reached are met: {v}")
    v = verdicts(ic.check_peak(scaling(89.9, 84.9, 84.9, 1.89)))
    check(not any(v.values()), f"just below every limit is not met: {v}")
    no3x3 = scaling(95.0, 95.0, 95.0, 2.0)
    no3x3["kinds"] = no3x3["kinds"][1:]
    v = verdicts(ic.check_peak(no3x3))
    check(not v["ResNet-50 3x3 conv % of peak (1 thr)"], "missing 3x3 kernels not met")


def test_compile(args, work):
    v = verdicts(ic.check_compile(60.0, 4.99))
    check(all(v.values()), f"60 s cold and 4.99 s cached are met: {v}")
    v = verdicts(ic.check_compile(60.1, 5.0))
    check(not any(v.values()), f"60.1 s cold and 5.0 s cached are not met: {v}")
    check(not any(verdicts(ic.check_compile(None, None)).values()),
          "unparsed times are not met")
    model = os.path.join(args.models_dir, "democnn", "model.onnx")
    p = subprocess.run([args.kiln, "compile", model, "-o", os.path.join(work, "net")],
                       capture_output=True, text=True,
                       env=dict(os.environ, KILN_CACHE_DIR="off"))
    check(p.returncode == 0, f"kiln compile democnn: {p.stderr}")
    seconds = ic.compile_seconds(p.stderr + p.stdout)
    check(seconds is not None and 0 < seconds < 600,
          f"the compile time of kiln's output is read: {seconds} from {p.stderr!r}")


def main():
    args = tool_test_args()
    work = fresh_workdir(args.workdir)
    test_ratios()
    test_peak()
    test_compile(args, work)
    return finish("issue5_checks.py verdicts")


if __name__ == "__main__":
    sys.exit(main())
