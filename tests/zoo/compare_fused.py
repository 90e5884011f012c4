#!/usr/bin/env python3
# ===- compare_fused.py - Fused and unfused builds of a model agree -------=== #
#
#   compare_fused.py --fused NET --unfused NET_NOFUSE --model-dir DIR --workdir W
#
# Runs the executable built with the default pipeline (zoo.host.<model>) and
# the one built with `kiln compile --no-fuse` (zoo.host.nofuse.<model>) on
# the same inputs (every case meta.json lists, e.g. "default" and "image";
# else DIR/input_<k>.npy) and checks that every output agrees elementwise,
# |fused - unfused| <= atol + rtol * |unfused| (rtol 1e-3, atol 1e-4), and
# that the classifier top-5 is the same. Both are also compared with the
# onnxruntime reference by their own tests; this one pins down that fusion
# itself changes nothing beyond rounding.
#
# ===----------------------------------------------------------------------=== #

import argparse
import os
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from e2e_common import (ATOL, RTOL, E2EFailure, check_top5, compare,  # noqa: E402
                        load_meta, main_wrapper, run_checked)


def run_exe(exe, meta, model_dir, in_files, out_dir):
    argv = [exe]
    for k, i in enumerate(meta["inputs"]):
        argv += ["--input", f"{i['name']}={os.path.join(model_dir, in_files[k])}"]
    paths = []
    for k, o in enumerate(meta["outputs"]):
        paths.append(os.path.join(out_dir, f"out_{k}.npy"))
        argv += ["--output", f"{o['name']}={paths[-1]}"]
    os.makedirs(out_dir, exist_ok=True)
    run_checked(argv, f"running {exe}")
    return [np.load(p) for p in paths]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--fused", required=True, help="executable of the default pipeline")
    ap.add_argument("--unfused", required=True, help="executable built with --no-fuse")
    ap.add_argument("--model-dir", required=True, help="the zoo model's folder")
    ap.add_argument("--workdir", required=True, help="scratch folder (recreated)")
    ap.add_argument("--rtol", type=float, default=RTOL)
    ap.add_argument("--atol", type=float, default=ATOL)
    args = ap.parse_args()

    def body():
        for exe in (args.fused, args.unfused):
            if not os.path.exists(exe):
                raise E2EFailure(f"{exe}: missing (did its compile test fail?)")
        meta = load_meta(args.model_dir)
        work = os.path.abspath(args.workdir)
        shutil.rmtree(work, ignore_errors=True)
        cases = {name: spec["inputs"] for name, spec in meta.get("cases", {}).items()}
        cases = cases or {"default": [f"input_{k}.npy" for k in range(len(meta["inputs"]))]}
        failures = []
        for case, in_files in cases.items():
            fused = run_exe(args.fused, meta, args.model_dir, in_files,
                            os.path.join(work, case, "fused"))
            unfused = run_exe(args.unfused, meta, args.model_dir, in_files,
                              os.path.join(work, case, "unfused"))
            for k, o in enumerate(meta["outputs"]):
                label = f"{meta['name']} [{case}] output {k} '{o['name']}' fused vs unfused"
                try:
                    max_abs = compare(fused[k], unfused[k], args.rtol, args.atol, label)
                    print(f"{label}: shape {list(fused[k].shape)} max abs diff {max_abs:.3g}")
                    if k in meta.get("classifier_outputs", []):
                        check_top5(fused[k], unfused[k], args.rtol, args.atol, label)
                        print(f"{label}: top-5 matches")
                except E2EFailure as e:
                    failures.append(str(e))
        if failures:
            raise E2EFailure("\n".join(failures))
        print(f"PASS {meta['name']}: fused and unfused builds agree")
        return 0

    return main_wrapper(body)


if __name__ == "__main__":
    sys.exit(main())
