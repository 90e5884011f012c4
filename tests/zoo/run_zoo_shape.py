#!/usr/bin/env python3
# ===- run_zoo_shape.py - a zoo network at another input shape -----------=== #
#
#   run_zoo_shape.py --kiln BIN --model-dir DIR --shape N,C,H,W --workdir W
#                    [--kiln-flag=FLAG]...
#
# The zoo tests compile every network at its 224x224 (batch 1) shape; the
# kernels' tilings, tails and specializations depend on the image size. This
# rewrites the model's input to another shape (odd sizes, non-square, batch
# 2), lets onnxruntime infer the rest, compiles it with kiln and compares
# the outputs on a seeded random input (rtol 1e-3, atol 1e-4, top-5).
#
# ===----------------------------------------------------------------------=== #

import argparse
import os
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from e2e_common import (E2EFailure, check_top5, clear_inferred_shapes,  # noqa: E402
                        compare, kiln_compile, main_wrapper, reference_session,
                        run_checked)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kiln", required=True)
    ap.add_argument("--model-dir", required=True, help="the zoo model's folder")
    ap.add_argument("--shape", required=True, help="the new input shape, N,C,H,W")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--kiln-flag", action="append", default=[])
    args = ap.parse_args()

    def body():
        import onnx
        shape = [int(v) for v in args.shape.split(",")]
        m = onnx.load(os.path.join(args.model_dir, "model.onnx"))
        dims = m.graph.input[0].type.tensor_type.shape.dim
        if len(dims) != len(shape):
            raise E2EFailure(f"--shape {args.shape}: the model's input has rank {len(dims)}")
        for d, v in zip(dims, shape):
            d.dim_value = v
        clear_inferred_shapes(m)
        work = os.path.abspath(args.workdir)
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        model = os.path.join(work, "model.onnx")
        onnx.save(m, model)

        x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
        sess = reference_session(model)
        want = sess.run(None, {sess.get_inputs()[0].name: x})[0]
        exe = os.path.join(work, "net")
        kiln_compile(args.kiln, model, exe, "host", "exe", extra=args.kiln_flag)
        np.save(os.path.join(work, "x.npy"), x)
        run_checked([exe, "--input", os.path.join(work, "x.npy"),
                     "--output", os.path.join(work, "y.npy")], "the compiled model")
        got = np.load(os.path.join(work, "y.npy"))
        max_abs = compare(got, want)
        check_top5(got, want)
        print(f"PASS {os.path.basename(os.path.normpath(args.model_dir))} at "
              f"{'x'.join(map(str, shape))}: output {list(want.shape)}, max abs diff "
              f"{max_abs:.3g}, top-5 identical")
        return 0

    return main_wrapper(body)


if __name__ == "__main__":
    sys.exit(main())
