# ===- e2e_common.py - Shared helpers of the Kiln end-to-end tests --------=== #
#
# Result comparison (elementwise tolerance + classifier top-5) and process
# helpers used by run_e2e.py, run_bad_inputs.py, run_mutated_models.py and
# c_api/run_c_api.py.
#
# ===----------------------------------------------------------------------=== #

import json
import os
import shlex
import signal
import subprocess
import sys

import numpy as np

RTOL = 1e-3
ATOL = 1e-4


def target_runner(target, qemu="qemu-aarch64"):
    """The command prefix that runs an executable built for `target` here:
    arm-64-linux ones under qemu with the cross toolchain's sysroot."""
    if target.startswith("arm-64"):
        return [qemu, "-L", "/usr/aarch64-linux-gnu"]
    return []


class E2EFailure(Exception):
    """A check failed; the message says which and why."""


def compare(got, want, rtol=RTOL, atol=ATOL, label="output"):
    """Checks |got - want| <= atol + rtol * |want| elementwise.

    Returns the max absolute difference; raises E2EFailure with the worst
    element on mismatch (shape, NaN or tolerance).
    """
    got = np.asarray(got)
    want = np.asarray(want)
    if got.shape != want.shape:
        raise E2EFailure(f"{label}: shape {list(got.shape)} != expected {list(want.shape)}")
    if got.size == 0:
        return 0.0
    g = got.astype(np.float64)
    w = want.astype(np.float64)
    if not np.all(np.isfinite(g)):
        bad = np.argwhere(~np.isfinite(g))[0]
        raise E2EFailure(f"{label}: non-finite value {g[tuple(bad)]} at index {bad.tolist()}")
    diff = np.abs(g - w)
    excess = diff - (atol + rtol * np.abs(w))
    max_abs = float(diff.max())
    if np.any(excess > 0):
        idx = tuple(int(i) for i in np.unravel_index(int(np.argmax(excess)), excess.shape))
        count = int(np.count_nonzero(excess > 0))
        raise E2EFailure(
            f"{label}: {count} of {g.size} elements out of tolerance "
            f"(rtol={rtol}, atol={atol}); worst at {list(idx)}: got {g[idx]:.7g}, "
            f"want {w[idx]:.7g}; max abs diff {max_abs:.3g}")
    return max_abs


def check_top5(got, want, rtol=RTOL, atol=ATOL, label="output", k=5):
    """Per row of a [batch, classes] output: the top-k classes must match.

    A different class at rank i is accepted only when its expected score ties
    (within tolerance) with the expected score of the rank-i class.
    """
    g = np.asarray(got, np.float64).reshape(got.shape[0], -1)
    w = np.asarray(want, np.float64).reshape(want.shape[0], -1)
    k = min(k, w.shape[1])
    for row in range(w.shape[0]):
        # Stable sorts so exact ties order identically on both sides.
        gt = np.argsort(-g[row], kind="stable")[:k]
        wt = np.argsort(-w[row], kind="stable")[:k]
        for rank, (gi, wi) in enumerate(zip(gt, wt)):
            if gi == wi:
                continue
            tol = atol + rtol * abs(w[row, wi])
            if abs(w[row, gi] - w[row, wi]) > tol:
                raise E2EFailure(
                    f"{label}: row {row} top-{k} differs at rank {rank}: got classes "
                    f"{gt.tolist()}, want {wt.tolist()}")


def load_meta(model_dir):
    path = os.path.join(model_dir, "meta.json")
    if not os.path.exists(path):
        raise E2EFailure(f"{path}: missing (were the models generated?)")
    with open(path) as f:
        return json.load(f)


def reference_session(model, quiet=False):
    """An onnxruntime CPU session of `model` (a path or serialized bytes)
    with graph optimizations off: reference semantics, as the test models'
    own references. With them on, onnxruntime moved a zero Pad into a
    MaxPool (whose padding never wins the max) and changed a BN-folded
    conv's rounding beyond the tolerance (mutation seed 61, cases 27 and
    55). `quiet` silences its log (its refusals may be expected)."""
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    if quiet:
        opts.log_severity_level = 4
    return ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])


def clear_inferred_shapes(model):
    """Drops a ModelProto's intermediate and output shapes, so that a
    changed input shape is propagated anew (by onnxruntime, by kiln)."""
    del model.graph.value_info[:]
    for o in model.graph.output:
        o.type.tensor_type.ClearField("shape")


# Exit codes catch signals; these catch crash reports printed by handlers
# (LLVM's stack dump, libstdc++'s uncaught-exception message, assert()).
CRASH_MARKERS = ("segmentation", "assertion", "core dumped", "stack dump",
                 "please submit a bug report", "terminate called")


def crash_signs(text):
    """The crash markers found in a process's output (case-insensitive)."""
    low = text.lower()
    return [m for m in CRASH_MARKERS if m in low]


def describe_exit(rc):
    if rc < 0:
        try:
            return f"killed by signal {signal.Signals(-rc).name}"
        except ValueError:
            return f"killed by signal {-rc}"
    return f"exit code {rc}"


def run(cmd, cwd=None, timeout=600, echo=True):
    """Runs cmd, returns CompletedProcess with text stdout/stderr."""
    if echo:
        print("+ " + " ".join(shlex.quote(str(c)) for c in cmd), flush=True)
    try:
        return subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True,
                              text=True, errors="replace", timeout=timeout)
    except FileNotFoundError as e:
        raise E2EFailure(f"cannot run {cmd[0]}: {e}")
    except subprocess.TimeoutExpired:
        raise E2EFailure(f"timed out after {timeout}s: {' '.join(map(str, cmd))}")


def run_checked(cmd, what, **kw):
    """Runs cmd and raises E2EFailure (with its output) unless it exits 0."""
    p = run(cmd, **kw)
    if p.returncode != 0:
        raise E2EFailure(f"{what} failed ({describe_exit(p.returncode)})\n"
                         f"--- stdout ---\n{p.stdout}\n--- stderr ---\n{p.stderr}")
    return p


def kiln_compile(kiln, model, out, target, emit, extra=()):
    cmd = [kiln, "compile", model, "-o", out, f"--target={target}", f"--emit={emit}", *extra]
    run_checked(cmd, f"kiln compile ({emit}, {target})")
    if not os.path.exists(out):
        raise E2EFailure(f"kiln compile exited 0 but did not write {out}")


def main_wrapper(fn):
    """Runs fn(); turns E2EFailure into a clear message and exit code 1."""
    try:
        rc = fn()
    except E2EFailure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1
    return rc or 0
