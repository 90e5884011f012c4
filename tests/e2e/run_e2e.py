#!/usr/bin/env python3
# ===- run_e2e.py - Compile one test model with kiln, run it, compare -----=== #
#
#   run_e2e.py --kiln BIN --model-dir DIR --target host|arm-64-linux --workdir W
#              [--kiln-flag=FLAG ...]
#
# Compiles DIR/model.onnx to an executable, runs it on DIR/input_<k>.npy
# (arm-64-linux under qemu-aarch64) and compares every output with
# DIR/expected_<k>.npy (onnxruntime reference): |got-want| <= atol+rtol*|want|,
# plus identical top-5 for the outputs meta.json marks as classifier outputs.
# --case NAME (repeatable) runs the one executable on the input/expected
# files meta.json lists under "cases"/NAME instead (the zoo's "image" case).
#
# ===----------------------------------------------------------------------=== #

import argparse
import os
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import (ATOL, RTOL, E2EFailure, check_top5, compare,  # noqa: E402
                        kiln_compile, load_meta, main_wrapper, run_checked,
                        target_runner)


def case_files(meta, case):
    """(input files, expected files) of a case; None = input_<k>/expected_<k>."""
    ins, outs = meta["inputs"], meta["outputs"]
    if case is None:
        return ([f"input_{k}.npy" for k in range(len(ins))],
                [f"expected_{k}.npy" for k in range(len(outs))])
    spec = meta.get("cases", {}).get(case)
    if spec is None:
        raise E2EFailure(f"{meta['name']}: meta.json has no case '{case}'")
    return spec["inputs"], spec["expected"]


def build_io_args(meta, model_dir, workdir, io_form, case=None):
    """Returns (argv, output paths). Named form: --input NAME=FILE."""
    ins, outs = meta["inputs"], meta["outputs"]
    positional = io_form == "positional" or (
        io_form == "auto" and len(ins) == 1 and len(outs) == 1)
    if io_form == "positional" and (len(ins) != 1 or len(outs) != 1):
        raise E2EFailure("--io-form=positional needs a model with one input and one output")
    argv, out_paths = [], []
    in_files = case_files(meta, case)[0]
    for k, i in enumerate(ins):
        path = os.path.join(os.path.abspath(model_dir), in_files[k])
        argv += ["--input", path if positional else f"{i['name']}={path}"]
    for k, o in enumerate(outs):
        path = os.path.join(workdir, f"out_{k}.npy" if case is None else f"out_{case}_{k}.npy")
        out_paths.append(path)
        argv += ["--output", path if positional else f"{o['name']}={path}"]
    return argv, out_paths


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kiln", required=True, help="path of the kiln compiler")
    ap.add_argument("--model-dir", required=True, help="one generated model folder")
    ap.add_argument("--target", default="host",
                    help="host | arm-64-linux | x86-64-linux-avx2 | x86-64-linux-avx512")
    ap.add_argument("--workdir", required=True, help="scratch folder (recreated)")
    ap.add_argument("--io-form", choices=["named", "positional", "auto"], default="named",
                    help="executable argument form; auto = positional for 1-in/1-out")
    ap.add_argument("--qemu", default="qemu-aarch64", help="runner for arm-64-linux")
    ap.add_argument("--rtol", type=float, default=RTOL)
    ap.add_argument("--atol", type=float, default=ATOL)
    ap.add_argument("--kiln-flag", action="append", default=[], metavar="FLAG",
                    help="extra flag for `kiln compile` (repeatable; write "
                         "--kiln-flag=--no-fuse so it is not parsed as ours)")
    ap.add_argument("--trace-threads", type=int, default=0, metavar="N",
                    help="also run on N threads with --trace and check the "
                         "trace (check_trace)")
    ap.add_argument("--case", action="append",
                    help="run meta.json's case NAME (repeatable); default: input_<k>")
    args = ap.parse_args()

    def body():
        meta = load_meta(args.model_dir)
        work = os.path.abspath(args.workdir)
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        exe = os.path.join(work, "net")
        # meta.json's kiln_flags: what the model needs to compile at all
        # (e.g. --input-shape for a dynamic batch), before the test's own.
        kiln_compile(args.kiln, os.path.join(args.model_dir, "model.onnx"), exe,
                     args.target, "exe", list(meta.get("kiln_flags", [])) + args.kiln_flag)

        runner = target_runner(args.target, args.qemu)
        failures = []
        for case in args.case or [None]:
            failures += run_case(meta, args, work, exe, runner, case)
        if args.trace_threads:
            failures += check_trace(meta, args, work, exe, runner)
        if failures:
            raise E2EFailure("\n".join(failures))
        print(f"PASS {meta['name']} ({args.target})")
        return 0

    return main_wrapper(body)


def run_case(meta, args, work, exe, runner, case):
    """Runs exe on one case's inputs; returns the list of failure messages."""
    io_argv, out_paths = build_io_args(meta, args.model_dir, work, args.io_form, case)
    p = run_checked(runner + [exe] + io_argv, f"running {meta['name']}", cwd=work)
    if p.stdout.strip():
        print(p.stdout.rstrip())
    expected_files = case_files(meta, case)[1]
    failures = []
    for k, o in enumerate(meta["outputs"]):
        label = f"{meta['name']} output {k} '{o['name']}'"
        if case is not None:
            label = f"{meta['name']} [{case}] output {k} '{o['name']}'"
        if not os.path.exists(out_paths[k]):
            failures.append(f"{label}: executable did not write {out_paths[k]}")
            continue
        got = np.load(out_paths[k])
        want = np.load(os.path.join(args.model_dir, expected_files[k]))
        if got.dtype != np.float32:
            failures.append(f"{label}: dtype {got.dtype}, expected float32")
            continue
        try:
            max_abs = compare(got, want, args.rtol, args.atol, label)
            print(f"{label}: shape {list(got.shape)} max abs diff {max_abs:.3g}")
            if k in meta.get("classifier_outputs", []):
                check_top5(got, want, args.rtol, args.atol, label)
                print(f"{label}: top-5 matches")
        except E2EFailure as e:
            failures.append(str(e))
    return failures


def check_trace(meta, args, work, exe, runner):
    """--trace of a run on N threads against the same run's --profile: one
    kernel row per kernel call with the profile's names, back to back; every
    task inside its kernel's interval, on a thread below N; and the run's
    outputs still right. Returns the list of failure messages."""
    import json
    io_argv, _ = build_io_args(meta, args.model_dir, work, args.io_form)
    trace, profile = os.path.join(work, "trace.json"), os.path.join(work, "profile.json")
    n = args.trace_threads
    run_checked(runner + [exe] + io_argv + ["--threads", str(n), "--repeat", "1",
                "--trace", trace, "--profile", profile],
                f"running {meta['name']} with --trace", cwd=work)
    failures = run_case(meta, args, work, exe, runner, None)
    with open(trace) as f:
        t = json.load(f)
    with open(profile) as f:
        names = [k["name"] for k in json.load(f)["kernels"]]
    events = t["traceEvents"]
    kernels = [e for e in events if e.get("cat") == "kernel"]
    tasks = [e for e in events if e.get("cat") == "task"]
    if [k["name"] for k in kernels] != names:
        failures.append(f"trace: kernel rows {len(kernels)} differ from the "
                        f"profile's {len(names)} kernel calls")
        return failures
    eps = 0.002  # us: the writer's rounding
    for a, b in zip(kernels, kernels[1:]):
        if abs(a["ts"] + a["dur"] - b["ts"]) > eps:
            failures.append(f"trace: kernel '{b['name']}' does not start where "
                            f"the one before ends")
    if t["otherData"]["tasks"] != len(tasks) or not tasks:
        failures.append(f"trace: {len(tasks)} task events, otherData says "
                        f"{t['otherData']['tasks']}")
    for e in tasks:
        k = kernels[e["args"]["call"]]
        if e["name"] != k["name"] or not 1 <= e["tid"] <= n:
            failures.append(f"trace: task {e} has the wrong kernel or thread")
        elif e["ts"] < k["ts"] - eps or e["ts"] + e["dur"] > k["ts"] + k["dur"] + eps:
            failures.append(f"trace: task {e['args']} of '{k['name']}' runs "
                            f"outside the kernel's interval")
    # The caller runs tasks of every loop it shares (its home range first).
    if not any(e["tid"] == 1 for e in tasks):
        failures.append("trace: no task on the caller's row (tid 1)")
    if failures:
        return failures[:10]
    print(f"{meta['name']}: trace of {len(kernels)} kernel calls, {len(tasks)} "
          f"tasks on threads {sorted({e['tid'] - 1 for e in tasks})}")
    return []


if __name__ == "__main__":
    sys.exit(main())
