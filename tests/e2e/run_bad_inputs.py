#!/usr/bin/env python3
# ===- run_bad_inputs.py - kiln must reject malformed input cleanly -------=== #
#
#   run_bad_inputs.py --kiln BIN --models DIR --workdir W [--valgrind BIN]
#
# For every model in DIR/bad/expected_errors.json: `kiln compile` must exit
# non-zero (not by a signal), print every expected substring on stderr
# (case-insensitive) and show no sign of a crash. Then the runtime case:
# democnn run on an input of the wrong shape (under valgrind when given) must
# fail with a message about the shape/size, without a memory error.
#
# ===----------------------------------------------------------------------=== #

import argparse
import json
import os
import platform
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import (E2EFailure, crash_signs, describe_exit,  # noqa: E402
                        kiln_compile, load_meta, main_wrapper, run)

VALGRIND_ERROR_RC = 99


def check_failure(what, p, expect_all=(), expect_any=()):
    """Returns a list of problems with a run that was supposed to fail cleanly."""
    problems = []
    if p.returncode == 0:
        problems.append("exited 0, expected an error")
    elif p.returncode < 0 or p.returncode >= 128:
        problems.append(f"crashed ({describe_exit(p.returncode)})")
    signs = crash_signs(p.stderr + p.stdout)
    if signs:
        problems.append(f"output shows a crash: {signs}")
    low = p.stderr.lower()
    missing = [s for s in expect_all if s.lower() not in low]
    if missing:
        problems.append(f"stderr lacks {missing}")
    if expect_any and not any(s.lower() in low for s in expect_any):
        problems.append(f"stderr mentions none of {list(expect_any)}")
    if problems:
        return [f"{what}: " + "; ".join(problems) +
                f"\n--- stderr ---\n{p.stderr.rstrip()}\n--------------"]
    print(f"ok   {what}: {describe_exit(p.returncode)}: {p.stderr.strip().splitlines()[-1:]}")
    return []


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kiln", required=True)
    ap.add_argument("--models", required=True, help="generated models folder (has bad/)")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--valgrind", default="", help="valgrind binary; empty: run directly")
    ap.add_argument("--runtime-target", default="",
                    help="target of the runtime case (default: x86-64-linux-avx2 on "
                         "x86-64, valgrind does not decode AVX-512; else host)")
    args = ap.parse_args()

    def body():
        bad = os.path.join(args.models, "bad")
        with open(os.path.join(bad, "expected_errors.json")) as f:
            spec = json.load(f)
        work = os.path.abspath(args.workdir)
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)

        problems = []
        for name, expect in spec["compile_errors"].items():
            model = os.path.join(bad, f"{name}.onnx")
            out = os.path.join(work, f"{name}.out")
            p = run([args.kiln, "compile", model, "-o", out, "--target=host", "--emit=exe"])
            problems += check_failure(f"compile {name}", p, expect_all=expect)

        # An output path kiln cannot write: said before compiling, naming it.
        first = next(iter(spec["runtime_errors"].values()))["model"]
        model = os.path.join(args.models, first, "model.onnx")
        for out, expect in ((os.path.join(work, "missing", "net"),
                             ["does not exist", os.path.join(work, "missing")]),
                            (work, ["is a folder"])):
            p = run([args.kiln, "compile", model, "-o", out, "--target=host"])
            problems += check_failure(f"compile -o {out}", p, expect_all=expect)

        for case, rt in spec["runtime_errors"].items():
            model_dir = os.path.join(args.models, rt["model"])
            meta = load_meta(model_dir)
            target = args.runtime_target or (
                "x86-64-linux-avx2" if platform.machine() in ("x86_64", "AMD64") else "host")
            exe = os.path.join(work, f"{rt['model']}_net")
            try:
                kiln_compile(args.kiln, os.path.join(model_dir, "model.onnx"), exe, target,
                             "exe")
            except E2EFailure as e:
                problems.append(f"runtime {case}: {e}")
                continue
            cmd = [exe, "--input", f"{meta['inputs'][0]['name']}={os.path.join(bad, rt['input'])}",
                   "--output", f"{meta['outputs'][0]['name']}={os.path.join(work, 'out.npy')}"]
            if args.valgrind:
                cmd = [args.valgrind, "-q", f"--error-exitcode={VALGRIND_ERROR_RC}",
                       "--leak-check=no"] + cmd
            p = run(cmd, cwd=work)
            if p.returncode == VALGRIND_ERROR_RC and args.valgrind:
                problems.append(f"runtime {case}: valgrind reported memory errors\n{p.stderr}")
            else:
                problems += check_failure(f"runtime {case}", p, expect_any=rt["expect_any"])

        if problems:
            raise E2EFailure(f"{len(problems)} bad-input case(s) failed:\n" + "\n".join(problems))
        print("PASS bad inputs")
        return 0

    return main_wrapper(body)


if __name__ == "__main__":
    sys.exit(main())
