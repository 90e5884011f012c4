#!/usr/bin/env python3
# ===- run_c_api.py - Use a kiln-compiled library from C ------------------=== #
#
#   run_c_api.py --kiln BIN --model-dir DIR --workdir W --kind static|shared
#
# Compiles DIR/model.onnx to WORK/libnet.a or WORK/libnet.so (the header
# WORK/net.h comes with it), builds c_api/main.c against it with gcc, runs it
# on the model's inputs (as raw float32) and compares its raw outputs with
# DIR/expected_<k>.npy.
#
# ===----------------------------------------------------------------------=== #

import argparse
import os
import shlex
import shutil
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from e2e_common import (ATOL, RTOL, E2EFailure, check_top5, compare,  # noqa: E402
                        kiln_compile, load_meta, main_wrapper, run_checked)

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kiln", required=True)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--kind", choices=["static", "shared"], required=True)
    ap.add_argument("--target", default="host")
    ap.add_argument("--cc", default="gcc")
    ap.add_argument("--runtime-include", default=os.path.join(REPO_ROOT, "runtime"),
                    help="folder with kiln.h")
    ap.add_argument("--extra-ldflags", default="", help="appended to the link line")
    args = ap.parse_args()

    def body():
        meta = load_meta(args.model_dir)
        work = os.path.abspath(args.workdir)
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)

        lib = os.path.join(work, "libnet.a" if args.kind == "static" else "libnet.so")
        kiln_compile(args.kiln, os.path.join(args.model_dir, "model.onnx"), lib,
                     args.target, args.kind)
        header = os.path.join(work, "net.h")
        if not os.path.exists(header):
            raise E2EFailure(f"kiln compile --emit={args.kind} did not write {header}")
        text = open(header).read()
        if "net_model" not in text or "kiln.h" not in text:
            raise E2EFailure(f"{header} does not declare net_model / include kiln.h")

        prog = os.path.join(work, "c_api_main")
        cmd = [args.cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-O1",
               os.path.join(HERE, "main.c"), "-I", work, "-I", args.runtime_include,
               "-o", prog, lib]
        if args.kind == "shared":
            cmd.append(f"-Wl,-rpath,{work}")
        cmd += ["-lpthread", "-ldl", "-lm"] + shlex.split(args.extra_ldflags)
        run_checked(cmd, f"building main.c against {os.path.basename(lib)}")

        raw_inputs = []
        for k in range(len(meta["inputs"])):
            arr = np.load(os.path.join(args.model_dir, f"input_{k}.npy"))
            path = os.path.join(work, f"input_{k}.raw")
            np.ascontiguousarray(arr, np.float32).tofile(path)
            raw_inputs.append(path)
        p = run_checked([prog, os.path.join(work, "out_")] + raw_inputs,
                        "running c_api_main", cwd=work)
        print(p.stdout.rstrip())

        for k, o in enumerate(meta["outputs"]):
            label = f"{meta['name']} output {k} '{o['name']}' via {args.kind} library"
            want = np.load(os.path.join(args.model_dir, f"expected_{k}.npy"))
            path = os.path.join(work, f"out_{k}.raw")
            got = np.fromfile(path, np.float32)
            if got.size != want.size:
                raise E2EFailure(f"{label}: {path} has {got.size} floats, want {want.size}")
            got = got.reshape(want.shape)
            max_abs = compare(got, want, RTOL, ATOL, label)
            print(f"{label}: max abs diff {max_abs:.3g}")
            if k in meta.get("classifier_outputs", []):
                check_top5(got, want, RTOL, ATOL, label)
        print(f"PASS c_api {args.kind} ({meta['name']})")
        return 0

    return main_wrapper(body)


if __name__ == "__main__":
    sys.exit(main())
