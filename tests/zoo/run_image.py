#!/usr/bin/env python3
# ===- run_image.py - A compiled classifier's --image top-1 on the photo ---=== #
#
#   run_image.py --exe NET --zoo DIR --model efficientnet_lite0 --workdir W
#
# Runs `NET --image DIR/photo.png --output W/y.npy` (the executable's own
# decode + ImageNet preprocessing) and checks that its top-1 class is the one
# DIR/photo.json expects and the one onnxruntime gives on the NumPy-
# preprocessed photo (DIR/<model>/image_expected_0.npy), that its top-5
# matches onnxruntime's, and that the logits agree within tolerance.
#
# ===----------------------------------------------------------------------=== #

import argparse
import json
import os
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from e2e_common import (ATOL, RTOL, E2EFailure, check_top5, compare,  # noqa: E402
                        main_wrapper, run_checked)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--exe", required=True, help="compiled classifier executable")
    ap.add_argument("--zoo", required=True, help="generated zoo folder")
    ap.add_argument("--model", default="efficientnet_lite0")
    ap.add_argument("--workdir", required=True, help="scratch folder (recreated)")
    args = ap.parse_args()

    def body():
        if not os.path.exists(args.exe):
            raise E2EFailure(f"{args.exe}: missing (did the compile test fail?)")
        with open(os.path.join(args.zoo, "photo.json")) as f:
            photo = json.load(f)
        want_top1 = photo["expected_top1"]
        want = np.load(os.path.join(args.zoo, args.model, "image_expected_0.npy"))
        ort_top1 = int(np.argmax(want[0]))
        work = os.path.abspath(args.workdir)
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        out = os.path.join(work, "y.npy")
        p = run_checked([args.exe, "--image", os.path.join(args.zoo, "photo.png"),
                         "--output", out], f"running {args.exe} --image")
        print(p.stdout.rstrip())
        got = np.load(out)
        top1 = int(np.argmax(got[0]))
        print(f"kiln top-1 {top1}, onnxruntime top-1 {ort_top1}, expected {want_top1} "
              f"({photo['expected_top1_name']})")
        print(f"kiln top-5 {np.argsort(-got[0], kind='stable')[:5].tolist()}, onnxruntime "
              f"top-5 {np.argsort(-want[0], kind='stable')[:5].tolist()}")
        if top1 != want_top1 or top1 != ort_top1:
            raise E2EFailure(f"{args.model} --image top-1 is {top1}, expected {want_top1} "
                             f"(onnxruntime: {ort_top1})")
        check_top5(got, want, RTOL, ATOL, f"{args.model} --image")
        max_abs = compare(got, want, RTOL, ATOL, f"{args.model} --image logits")
        print(f"PASS {args.model} --image: top-1 {top1}, max abs diff {max_abs:.3g}")
        return 0

    return main_wrapper(body)


if __name__ == "__main__":
    sys.exit(main())
