#!/usr/bin/env python3
# ===- gen_halide_affine.py - a real AOT Halide kernel for runtime tests ---===#
#
# Compiles y(x, y) = 2 * input(x, y) + 1 (float32, 2-D) for the host without
# the Halide runtime (the test links one runtime, as the driver does).
#   gen_halide_affine.py OUT_DIR  ->  kiln_test_halide_affine.{o,h}
#
# ===----------------------------------------------------------------------===#
import os
import sys

import halide as hl

out_dir = sys.argv[1]
inp = hl.ImageParam(hl.Float(32), 2, "input")
x, y = hl.Var("x"), hl.Var("y")
affine = hl.Func("affine")
affine[x, y] = inp[x, y] * 2.0 + 1.0
affine.vectorize(x, 4, hl.TailStrategy.GuardWithIf).parallel(y)
target = hl.get_host_target().with_feature(hl.TargetFeature.NoRuntime)
affine.compile_to(
    {
        hl.OutputFileType.object: os.path.join(out_dir, "kiln_test_halide_affine.o"),
        hl.OutputFileType.c_header: os.path.join(out_dir, "kiln_test_halide_affine.h"),
    },
    [inp],
    "kiln_test_halide_affine",
    target,
)
