#!/usr/bin/env python3
# ===- fake_kiln.py - Stand-in for `kiln` to test the e2e harness ---------=== #
#
# Implements just enough of the kiln CLI for run_e2e.py, with onnxruntime as
# the "compiled code", so the harness can be tested without the compiler:
#   fake_kiln.py compile MODEL -o OUT --target=T --emit=exe
#       writes OUT, a shell script that runs MODEL with onnxruntime;
#   OUT [--input [NAME=]FILE.npy]... [--output [NAME=]FILE.npy]...
# FAKE_KILN_PERTURB=<float> added to output 0 at run time lets a test check
# that the harness notices a wrong result.
#
# ===----------------------------------------------------------------------=== #

import os
import shlex
import stat
import sys

import numpy as np


def parse_bindings(argv, flag):
    vals = [argv[i + 1] for i, a in enumerate(argv) if a == flag]
    return [tuple(v.split("=", 1)) if "=" in v else (None, v) for v in vals]


def run_model(model, argv):
    import onnxruntime as ort
    sess = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    ins, outs = parse_bindings(argv, "--input"), parse_bindings(argv, "--output")
    feed = {}
    for k, (name, path) in enumerate(ins):
        feed[name or sess.get_inputs()[k].name] = np.load(path)
    names = [o.name for o in sess.get_outputs()]
    results = dict(zip(names, sess.run(None, feed)))
    perturb = float(os.environ.get("FAKE_KILN_PERTURB", "0"))
    for k, (name, path) in enumerate(outs):
        arr = results[name or names[k]]
        if k == 0:
            arr = arr + np.float32(perturb)
        np.save(path, arr.astype(np.float32))
    return 0


def main(argv):
    if len(argv) >= 2 and argv[0] == "run":
        return run_model(argv[1], argv[2:])
    if not argv or argv[0] != "compile":
        print("fake_kiln: only 'compile' is supported", file=sys.stderr)
        return 2
    model = os.path.abspath(argv[1])
    out = argv[argv.index("-o") + 1]
    with open(out, "w") as f:
        f.write("#!/bin/sh\nexec %s %s run %s \"$@\"\n" % (
            shlex.quote(sys.executable), shlex.quote(os.path.abspath(__file__)),
            shlex.quote(model)))
    os.chmod(out, os.stat(out).st_mode | stat.S_IXUSR)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
