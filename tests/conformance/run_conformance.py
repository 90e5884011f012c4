#!/usr/bin/env python3
# ===- run_conformance.py - ONNX backend node tests through kiln ----------=== #
#
#   run_conformance.py --kiln BIN [--data DIR] [--workdir W] [--jobs 2]
#                      [--filter REGEX] [--no-batch]
#
# Runs the ONNX backend node tests (Debian's libonnx-testdata:
# DIR/test_*/{model.onnx, test_data_set_*/{input,output}_*.pb}) of the ops
# kiln supports through `kiln compile` and the generated executable, and
# compares with the expected outputs (|got - want| <= atol + rtol |want|,
# rtol 1e-3, atol 1e-5 as onnxruntime uses for this suite).
#
# Selection: a test belongs to an op when its model is that single op (so
# test_convtranspose_* is ConvTranspose and test_basic_conv_* is Conv);
# `<name>_expanded` tests (the op's function body in other ops) belong to the
# op of `<name>`.
#
# Every node test of this suite has one data set; test_data_set_0 is used.
#
# Each test ends as one of
#   passed       compiled, ran, every output within tolerance;
#   unsupported  `kiln compile` exited non-zero with a message containing
#                "unsupported" (the reason is listed);
#   failed       anything else: wrong answer, crash, a run error, or a
#                compile error that is not a clear "unsupported".
# The exit status is 1 when any test failed, 77 when the data is missing.
#
# Input freezing: kiln compiles static graphs, so operands that ONNX allows
# to be computed but that fix shapes or modes (Reshape's shape, Pad's pads,
# constant_value and axes, Squeeze's / Unsqueeze's axes, Dropout's
# training_mode) are turned into
# initializers holding the test's input values when the test feeds them as
# graph inputs. Such tests are marked "frozen: NAME" in the listing. Float
# data operands (e.g. Clip's min/max) are never frozen. Scalar inputs and
# outputs are passed as one-element vectors, kiln's form of a scalar.
#
# Where the ONNX reference (which wrote the expected outputs) and
# onnxruntime disagree on a test, kiln follows onnxruntime: the tests in
# ORT_REFERENCE are compared with onnxruntime's outputs (graph optimizations
# off) instead, and listed with the reason.
#
# Speed: compiling and linking one executable takes seconds, so the tests of
# one opset that pass a quick import/kernelize check are merged into one
# model (names prefixed per test) and compiled once; a batch that fails to
# compile or run is retried test by test so every verdict is the test's own.
# Nothing is cached between runs (KILN_CACHE_DIR=off for kiln's kernel cache).
#
# ===----------------------------------------------------------------------=== #

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import helper, numpy_helper

DEFAULT_DATA = "/usr/share/libonnx-testdata/data/node"
RTOL = 1e-3
ATOL = 1e-5
SKIP = 77

SUPPORTED_OPS = [
    "Conv", "BatchNormalization", "Relu", "Clip", "Add", "Mul", "Sigmoid",
    "HardSigmoid", "HardSwish", "MaxPool", "AveragePool", "GlobalAveragePool",
    "Concat", "Gemm", "MatMul", "Flatten", "Reshape", "Softmax", "Pad", "LRN",
    "Identity", "Dropout", "Squeeze", "Unsqueeze", "Transpose", "Sub", "Div",
    "LeakyRelu", "GlobalMaxPool", "ReduceSum", "ReduceMean", "ReduceMax",
    "ReduceMin", "PRelu", "Shape", "Gather", "Resize", "Upsample",
    "ConvTranspose", "Slice", "Split", "Tanh", "Softplus", "Mish", "Elu",
    "Selu", "DepthToSpace", "SpaceToDepth",
]

# (op, input index) operands that are frozen into initializers when a test
# feeds them as graph inputs (see the file comment).
FREEZABLE = {("Reshape", 1), ("Pad", 1), ("Pad", 2), ("Pad", 3),
             ("Dropout", 2), ("Squeeze", 1), ("Unsqueeze", 1),
             ("ReduceSum", 1), ("ReduceMean", 1), ("ReduceMax", 1),
             ("ReduceMin", 1), ("Resize", 1), ("Resize", 2), ("Resize", 3),
             ("Upsample", 1), ("Slice", 1), ("Slice", 2), ("Slice", 3),
             ("Slice", 4), ("Split", 1), ("Gather", 1)}

# test -> why its expected output comes from onnxruntime (see above).
ORT_REFERENCE = {
    "test_resize_downsample_scales_linear_align_corners":
        "align_corners with scales: the reference maps by the unrounded "
        "length input * scale (2.4), onnxruntime by the output's (2)",
    "test_resize_downsample_scales_cubic_align_corners":
        "the same for cubic: the reference maps by 4 * 0.8 = 3.2, "
        "onnxruntime by the output's 3",
}

COMPILE_TIMEOUT = 300
RUN_TIMEOUT = 60
BATCH_SIZE = 16


class Test:
    def __init__(self, name, op, path):
        self.name, self.op, self.path = name, op, path
        self.status = None  # passed | failed | unsupported
        self.detail = ""
        self.frozen = []
        self.model = None  # the (possibly frozen) ModelProto
        self.inputs = []  # [(graph input name, np.ndarray)] per data set 0
        self.outputs = []  # [(graph output name, np.ndarray)]
        self.opset = None

    def verdict(self, status, detail=""):
        self.status, self.detail = status, detail


# --------------------------------------------------------------------------
# Discovery
# --------------------------------------------------------------------------

def discover(data_dir, pattern):
    """Tests of the supported ops, sorted by name."""
    names = sorted(d for d in os.listdir(data_dir) if d.startswith("test_"))
    single_op = {}
    for name in names:
        path = os.path.join(data_dir, name, "model.onnx")
        if not os.path.exists(path):
            continue
        model = onnx.load(path, load_external_data=False)
        nodes = model.graph.node
        if len(nodes) == 1 and nodes[0].domain in ("", "ai.onnx"):
            single_op[name] = nodes[0].op_type
    tests = []
    for name in names:
        op = single_op.get(name)
        if op is None and name.endswith("_expanded"):
            op = single_op.get(name[: -len("_expanded")])
        if op not in SUPPORTED_OPS:
            continue
        if pattern and not re.search(pattern, name):
            continue
        tests.append(Test(name, op, os.path.join(data_dir, name)))
    return tests


def read_tensor(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return t


def data_sets(test):
    return sorted(d for d in os.listdir(test.path) if d.startswith("test_data_set_"))


def prepare(test):
    """Loads the model and data set 0, freezing operands (see FREEZABLE).

    Returns False (with a verdict) when the test data cannot be read as
    tensors, e.g. sequence or optional inputs: then kiln decides.
    """
    model = onnx.load(os.path.join(test.path, "model.onnx"))
    graph = model.graph
    test.opset = max((o.version for o in model.opset_import
                      if o.domain in ("", "ai.onnx")), default=0)
    initialized = {i.name for i in graph.initializer}
    graph_inputs = [i for i in graph.input if i.name not in initialized]
    sets = data_sets(test)
    if not sets:
        test.verdict("failed", "no test_data_set_* folder")
        return False
    folder = os.path.join(test.path, sets[0])
    freezable = set()
    for node in graph.node:
        for k, name in enumerate(node.input):
            if (node.op_type, k) in FREEZABLE and name:
                freezable.add(name)
    kept = []
    test.inputs = []
    for k, vi in enumerate(graph_inputs):
        path = os.path.join(folder, f"input_{k}.pb")
        value = None
        if os.path.exists(path) and vi.type.HasField("tensor_type"):
            value = numpy_helper.to_array(read_tensor(path))
        if vi.name in freezable and value is not None:
            graph.initializer.append(numpy_helper.from_array(value, vi.name))
            test.frozen.append(vi.name)
            continue
        kept.append(vi)
        test.inputs.append((vi.name, value))
    del graph.input[:]
    graph.input.extend(kept)
    test.outputs = []
    for k, vo in enumerate(graph.output):
        path = os.path.join(folder, f"output_{k}.pb")
        value = None
        if os.path.exists(path) and vo.type.HasField("tensor_type"):
            value = numpy_helper.to_array(read_tensor(path))
        test.outputs.append((vo.name, value))
    test.model = model
    if test.name in ORT_REFERENCE:
        test.outputs = onnxruntime_outputs(model, test.inputs)
    return True


def onnxruntime_outputs(model, inputs):
    """[(name, value)] of `model` run by onnxruntime (optimizations off)."""
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(model.SerializeToString(), options,
                                   providers=["CPUExecutionProvider"])
    values = session.run(None, dict(inputs))
    return [(o.name, v) for o, v in zip(session.get_outputs(), values)]


# --------------------------------------------------------------------------
# Compile and run
# --------------------------------------------------------------------------

# Nothing is reused between runs: kiln's kernel cache is off.
ENV = dict(os.environ, KILN_CACHE_DIR="off")


def run_process(argv, timeout, cwd=None):
    """(returncode, combined output); a timeout is returncode None."""
    try:
        p = subprocess.run(argv, cwd=cwd, capture_output=True, text=True,
                           timeout=timeout, env=ENV)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout} s"
    return p.returncode, (p.stderr + p.stdout).strip()


def first_error(text):
    for line in text.splitlines():
        if "error" in line.lower() or "unsupported" in line.lower():
            return line.strip()
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1].strip() if lines else "(no output)"


def shorten(line):
    """Drops "kiln: error: <scratch path>/model.onnx: " from a message."""
    return re.sub(r"^kiln: error: \S*?model\.onnx: ", "", line.strip())


def classify_compile_failure(rc, text):
    """(status, detail) for a kiln compile that did not succeed."""
    if rc is None:
        return "failed", "kiln compile " + text
    if rc < 0 or rc > 128:
        return "failed", f"kiln compile crashed (status {rc}): {first_error(text)}"
    line = first_error(text)
    if re.search(r"unsupported", text, re.IGNORECASE):
        match = [l for l in text.splitlines() if re.search("unsupported", l, re.I)]
        return "unsupported", shorten(match[0] if match else line)
    return "failed", f"kiln compile exited {rc}: {shorten(line)}"


def kiln_compile(kiln, model_path, out, stop_after=None):
    argv = [kiln, "compile", model_path, "-o", out, "-q"]
    if stop_after:
        argv.append("--compile-to=" + stop_after)
    return run_process(argv, COMPILE_TIMEOUT)


def as_kiln_array(value):
    """float32, C order; scalars as one-element vectors."""
    a = np.ascontiguousarray(np.asarray(value), dtype=np.float32)
    return a.reshape(1) if a.ndim == 0 else a


def compare(got, want):
    """None when equal within tolerance, else a message."""
    want = np.asarray(want)
    if want.ndim == 0:
        want = want.reshape(1)
    got = np.asarray(got)
    if got.shape != want.shape:
        return f"shape {list(got.shape)} != expected {list(want.shape)}"
    if want.size == 0:
        return None
    g = got.astype(np.float64)
    w = want.astype(np.float64)
    same_nan = np.isnan(g) & np.isnan(w)
    same_inf = np.isinf(w) & (g == w)
    diff = np.abs(g - w)
    bad = ~(diff <= ATOL + RTOL * np.abs(w)) & ~same_nan & ~same_inf
    if not bad.any():
        return None
    idx = tuple(int(i) for i in np.argwhere(bad)[0])
    return (f"{int(bad.sum())} of {g.size} elements out of tolerance; first at "
            f"{list(idx)}: got {g[idx]:.7g}, want {w[idx]:.7g}")


def run_executable(exe, workdir, io):
    """io: [(test, prefix)]; writes inputs, runs once, returns
    ({test name: error or None}, run failure message or None)."""
    argv = [exe]
    out_paths = []
    for test, prefix in io:
        for k, (name, value) in enumerate(test.inputs):
            path = os.path.join(workdir, f"{prefix}in{k}.npy")
            np.save(path, as_kiln_array(value))
            argv += ["--input", f"{prefix}{name}={path}"]
        for k, (name, _) in enumerate(test.outputs):
            path = os.path.join(workdir, f"{prefix}out{k}.npy")
            argv += ["--output", f"{prefix}{name}={path}"]
            out_paths.append(path)
    rc, text = run_process(argv, RUN_TIMEOUT, cwd=workdir)
    if rc != 0:
        what = "timed out" if rc is None else f"exited {rc}"
        return None, f"executable {what}: {first_error(text)}"
    results = {}
    for test, prefix in io:
        errors = []
        for k, (name, want) in enumerate(test.outputs):
            path = os.path.join(workdir, f"{prefix}out{k}.npy")
            if not os.path.exists(path):
                errors.append(f"output '{name}' was not written")
                continue
            message = compare(np.load(path), want)
            if message:
                errors.append(f"output '{name}': {message}")
        results[test.name] = "; ".join(errors) or None
    return results, None


# --------------------------------------------------------------------------
# Test steps
# --------------------------------------------------------------------------

def check_test(kiln, test, workdir):
    """Quick import + kernelize; sets a verdict when the test cannot pass."""
    if not prepare(test):
        return
    folder = os.path.join(workdir, test.name)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "model.onnx")
    onnx.save(test.model, path)
    rc, text = kiln_compile(kiln, path, os.path.join(folder, "net"),
                            stop_after="kernelize")
    if rc != 0:
        test.verdict(*classify_compile_failure(rc, text))
        return
    for name, value in test.inputs + test.outputs:
        if value is None:
            test.verdict("failed", f"'{name}' has no tensor data but kiln "
                                   "compiled the model")
            return


def run_single(kiln, test, workdir):
    folder = os.path.join(workdir, test.name)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "model.onnx")
    onnx.save(test.model, path)
    exe = os.path.join(folder, "net")
    rc, text = kiln_compile(kiln, path, exe)
    if rc != 0:
        test.verdict(*classify_compile_failure(rc, text))
        return
    results, failure = run_executable(exe, folder, [(test, "")])
    if failure:
        test.verdict("failed", failure)
    elif results[test.name]:
        test.verdict("failed", results[test.name])
    else:
        test.verdict("passed")


def merge(tests):
    """One model holding every test's graph, names prefixed with t<k>_."""
    graph = helper.make_graph([], "conformance_batch", [], [])
    prefixes = []
    ir_version = max(t.model.ir_version for t in tests)
    for k, test in enumerate(tests):
        prefix = f"t{k}_"
        prefixes.append(prefix)
        g = test.model.graph
        rename = lambda n: prefix + n if n else n  # noqa: E731
        for init in g.initializer:
            copy = onnx.TensorProto()
            copy.CopyFrom(init)
            copy.name = rename(init.name)
            graph.initializer.append(copy)
        for vi_list, target in ((g.input, graph.input), (g.output, graph.output)):
            for vi in vi_list:
                copy = onnx.ValueInfoProto()
                copy.CopyFrom(vi)
                copy.name = rename(vi.name)
                target.append(copy)
        for node in g.node:
            copy = onnx.NodeProto()
            copy.CopyFrom(node)
            copy.name = rename(node.name or node.op_type)
            del copy.input[:]
            copy.input.extend(rename(n) for n in node.input)
            del copy.output[:]
            copy.output.extend(rename(n) for n in node.output)
            graph.node.append(copy)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", tests[0].opset)])
    model.ir_version = ir_version
    return model, prefixes


def run_batch(kiln, tests, workdir, index):
    """Compiles the tests as one model; falls back to one by one."""
    if len(tests) == 1:
        run_single(kiln, tests[0], workdir)
        return
    folder = os.path.join(workdir, f"batch{index}")
    os.makedirs(folder, exist_ok=True)
    model, prefixes = merge(tests)
    path = os.path.join(folder, "model.onnx")
    onnx.save(model, path)
    exe = os.path.join(folder, "net")
    rc, _ = kiln_compile(kiln, path, exe)
    results = None
    if rc == 0:
        results, _ = run_executable(exe, folder, list(zip(tests, prefixes)))
    if results is None:
        for test in tests:
            run_single(kiln, test, workdir)
        return
    for test in tests:
        error = results[test.name]
        if error:  # The test's own compile gives the verdict.
            run_single(kiln, test, workdir)
        else:
            test.verdict("passed")


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def report(tests):
    ops = {}
    for t in tests:
        ops.setdefault(t.op, {"passed": 0, "failed": 0, "unsupported": 0})
        ops[t.op][t.status] += 1
    width = max([len(op) for op in ops] + [5])
    print(f"{'op':<{width}}  passed  failed  unsupported")
    total = {"passed": 0, "failed": 0, "unsupported": 0}
    for op in SUPPORTED_OPS:
        if op not in ops:
            continue
        c = ops[op]
        for key in total:
            total[key] += c[key]
        print(f"{op:<{width}}  {c['passed']:6}  {c['failed']:6}  {c['unsupported']:11}")
    print(f"{'total':<{width}}  {total['passed']:6}  {total['failed']:6}  "
          f"{total['unsupported']:11}   ({len(tests)} tests)")
    frozen = [t for t in tests if t.frozen]
    if frozen:
        print("\nfrozen operands (given as graph inputs, compiled as constants):")
        for t in frozen:
            print(f"  {t.name}: {', '.join(t.frozen)}")
    by_ort = [t for t in tests if t.name in ORT_REFERENCE]
    if by_ort:
        print("\ncompared with onnxruntime (the ONNX reference differs):")
        for t in by_ort:
            print(f"  {t.name}: {t.status}; {ORT_REFERENCE[t.name]}")
    unsupported = [t for t in tests if t.status == "unsupported"]
    if unsupported:
        print("\nunsupported:")
        for t in unsupported:
            print(f"  {t.name}: {t.detail}")
    failed = [t for t in tests if t.status == "failed"]
    if failed:
        print("\nFAILED:")
        for t in failed:
            print(f"  {t.name}: {t.detail}")
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kiln", required=True, help="path of the kiln compiler")
    ap.add_argument("--data", default=DEFAULT_DATA,
                    help="folder of the node tests (test_*/model.onnx)")
    ap.add_argument("--workdir", help="scratch folder (default: a temporary one, "
                    "removed afterwards)")
    ap.add_argument("--jobs", type=int, default=2, help="parallel tests")
    ap.add_argument("--filter", help="only tests whose name matches this regex")
    ap.add_argument("--no-batch", action="store_true",
                    help="compile every test on its own (slow)")
    args = ap.parse_args()

    if not os.path.isdir(args.data):
        print(f"skipped: ONNX node test data not found at {args.data} "
              "(install libonnx-testdata)")
        return SKIP
    kiln = os.path.abspath(args.kiln)
    start = time.time()
    tests = discover(args.data, args.filter)
    if not tests:
        print("no tests selected")
        return 1
    workdir = args.workdir or tempfile.mkdtemp(prefix="kiln-conformance-")
    if args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
        os.makedirs(workdir)
    try:
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            list(pool.map(lambda t: check_test(kiln, t, workdir), tests))
            pending = [t for t in tests if t.status is None]
            batches = []
            if args.no_batch:
                batches = [[t] for t in pending]
            else:
                by_opset = {}
                for t in pending:
                    by_opset.setdefault(t.opset, []).append(t)
                for group in by_opset.values():
                    for i in range(0, len(group), BATCH_SIZE):
                        batches.append(group[i:i + BATCH_SIZE])
            list(pool.map(lambda ib: run_batch(kiln, ib[1], workdir, ib[0]),
                          enumerate(batches)))
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    total = report(tests)
    print(f"\n{time.time() - start:.0f} s")
    return 1 if total["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
