#!/usr/bin/env python3
# ===- run_mutated_models.py - kiln on seeded mutations of the test models -=== #
#
#   run_mutated_models.py --kiln BIN --models DIR --workdir W
#                         [--seed S] [--malformed N] [--valid N]
#                         [--target host|arm-64-linux] [--qemu BIN]
#
# Two seeded, reproducible campaigns over the generated test models
# (DIR/*/model.onnx), each case a copy of one model with 1-3 mutations:
#
#  * malformed (--malformed N): breaks the graph (dropped or extra node
#    inputs, duplicated outputs, deleted or reordered nodes, swapped op
#    types, extreme attribute values, wrong initializer dims / types /
#    truncated data, odd input shapes, a few flipped bytes). `kiln compile
#    --compile-to=kernelize` must either accept the model or exit with an
#    error that names the model file, never by a signal, a timeout or a
#    crash report.
#  * valid (--valid N): keeps the graph well-formed but moves it off the
#    shapes and values the fixed tests use (input height / width, batch,
#    strides, pads, dilations, auto_pad, pool windows, epsilons, Gemm
#    alpha / beta, Pad modes (also a conv's or pool's padding moved into a
#    Pad node of a random mode), new initializer values: zeroed, scaled, half
#    zero or random weights, biases, statistics, Clip bounds), compiled
#    with one of kiln's option sets (fusion off, layouts, direct convs,
#    zero-skipping, AVX2; with --target arm-64-linux for that target and
#    run under qemu). Cases onnxruntime rejects are skipped; kiln may
#    reject a case only with an error of ALLOWED_REJECTIONS; otherwise its
#    executable's outputs must match onnxruntime's on a random input
#    (rtol 1e-3, atol 1e-4).
#
# A failing case is kept in the work folder (malformed_<n>.onnx, or
# valid_<n>_model.onnx with its inputs and outputs) with the command
# that failed. The case list depends only on the seed and the models.
#
# ===----------------------------------------------------------------------=== #

import argparse
import glob
import json
import os
import platform
import random
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import (E2EFailure, clear_inferred_shapes, compare,  # noqa: E402
                        crash_signs, describe_exit, main_wrapper,
                        reference_session, run, target_runner)

# Values that stress the importer's arithmetic and checks.
EXTREME_INTS = (0, -1, 1, 2, 3, -7, 7, 65536, 1000000, 1 << 31, -(1 << 31), 1 << 62)
OPS = ("Conv", "Relu", "Add", "Concat", "MaxPool", "AveragePool", "Gemm", "Flatten",
       "Reshape", "BatchNormalization", "Clip", "GlobalAveragePool", "Softmax", "MatMul",
       "Transpose", "Pad", "Mul", "Sub", "Div", "Squeeze", "Unsqueeze", "Slice", "Split")
# Errors kiln may give on a case onnxruntime runs: what it does not support,
# and a pool window wider than its input plus padding (onnxruntime and ONNX's
# shape inference truncate (in - window) / stride toward zero, so they give
# an output of 1 where the spec's floor gives 0; kiln refuses the window).
ALLOWED_REJECTIONS = ("unsupported", "does not fit input")
# Compile options of the valid campaign (one set per case), per --target.
HOST_OPTION_SETS = ([], ["--no-fuse"], ["--layout=nchw"], ["--layout=blocked"],
                    ["--conv-algorithm=direct"], ["--zero-skip=on"]) + (
                        (["--target=x86-64-linux-avx2"],)
                        if platform.machine() in ("x86_64", "AMD64") else ())
CROSS_OPTION_SETS = ([], ["--no-fuse"], ["--layout=blocked"], ["--conv-algorithm=direct"])


def option_sets(target):
    if target == "host":
        return HOST_OPTION_SETS
    return tuple([f"--target={target}"] + o for o in CROSS_OPTION_SETS)


def mutate_malformed(onnx, numpy_helper, m, rng):
    """One structural mutation of model m (in place); returns its name."""
    g = m.graph
    kind = rng.randrange(12)
    if kind == 0 and g.node:
        n = rng.choice(g.node)
        if n.attribute:
            a = rng.choice(n.attribute)
            if a.ints:
                a.ints[rng.randrange(len(a.ints))] = rng.choice(EXTREME_INTS)
            elif a.type == onnx.AttributeProto.INT:
                a.i = rng.choice(EXTREME_INTS)
            elif a.type == onnx.AttributeProto.FLOAT:
                a.f = rng.choice([float("nan"), float("inf"), -1.0, 0.0, 1e30])
            elif a.type == onnx.AttributeProto.STRING:
                a.s = rng.choice([b"", b"SAME_UPPER", b"VALID", b"xx", b"NOTSET"])
        return "attribute"
    if kind == 1 and g.node:
        n = rng.choice(g.node)
        if n.input:
            del n.input[rng.randrange(len(n.input))]
        return "drop input"
    if kind == 2 and g.node:
        n = rng.choice(g.node)
        n.input.append(rng.choice(["", n.input[0] if n.input else "x", "nonexistent"]))
        return "extra input"
    if kind == 3 and g.initializer:
        t = rng.choice(g.initializer)
        if t.dims:
            t.dims[rng.randrange(len(t.dims))] = rng.choice([0, 1, 2, 3, -1, 7, 1 << 40])
        return "initializer dims"
    if kind == 4 and g.initializer:
        t = rng.choice(g.initializer)
        if t.raw_data:
            t.raw_data = t.raw_data[:rng.randrange(len(t.raw_data) + 1)]
        elif t.float_data:
            del t.float_data[rng.randrange(len(t.float_data)):]
        return "truncated initializer"
    if kind == 5 and g.initializer:
        rng.choice(g.initializer).data_type = rng.choice([0, 2, 6, 7, 10, 11, 16, 99])
        return "initializer type"
    if kind == 6 and g.input:
        dims = rng.choice(g.input).type.tensor_type.shape.dim
        if dims:
            d = dims[rng.randrange(len(dims))]
            how = rng.randrange(3)
            if how == 0:
                d.dim_value = rng.choice([0, 1, 2, 5, 1 << 33])
            elif how == 1:
                d.dim_param = "N"
            else:
                d.Clear()
        return "input shape"
    if kind == 7 and g.node:
        rng.choice(g.node).op_type = rng.choice(OPS)
        return "op type"
    if kind == 8 and g.node:
        n, o = rng.choice(g.node), rng.choice(g.node)
        if n.output and o.output:
            n.output[0] = o.output[0]
        return "duplicate output"
    if kind == 9 and g.node:
        del g.node[rng.randrange(len(g.node))]
        return "deleted node"
    if kind == 10 and g.initializer:
        t = rng.choice(g.initializer)
        try:
            a = numpy_helper.to_array(t).copy()
        except ValueError:  # already broken by an earlier mutation
            return "none"
        if a.dtype == np.float32 and a.size:
            a.flat[rng.randrange(a.size)] = rng.choice([np.nan, np.inf, -np.inf, 1e38])
            t.CopyFrom(numpy_helper.from_array(a, t.name))
        return "non-finite weight"
    if kind == 11 and g.node:
        nodes = list(g.node)
        rng.shuffle(nodes)
        del g.node[:]
        g.node.extend(nodes)
        return "node order"
    return "none"


def set_attribute(onnx, node, name, value, replaces=()):
    """Gives node attribute `name` = value, dropping any old one and those
    named in `replaces`."""
    for a in [a for a in node.attribute if a.name == name or a.name in replaces]:
        node.attribute.remove(a)
    node.attribute.append(onnx.helper.make_attribute(name, value))


def explicit_pads(node):
    """The pads of a Conv / MaxPool / AveragePool that pads explicitly (no
    auto_pad), or None."""
    if node.op_type not in ("Conv", "MaxPool", "AveragePool"):
        return None
    attrs = {a.name: a for a in node.attribute}
    if "auto_pad" in attrs and attrs["auto_pad"].s not in (b"", b"NOTSET"):
        return None
    pads = list(attrs["pads"].ints) if "pads" in attrs else []
    return pads if len(pads) == 4 and any(pads) else None


def mutate_pad_mode(onnx, numpy_helper, m, rng):
    """A random ONNX Pad mode (constant with a random value, edge, reflect,
    wrap) on an existing Pad node, or on a new Pad node that takes over the
    padding of a padded Conv / pool (whose own pads become 0), so every
    shape stays as it was. Wrap raises the model to opset 19, where it
    exists (the test models' other ops mean the same there)."""
    g = m.graph
    mode = rng.choice(["constant", "edge", "reflect", "wrap"])
    pad_nodes = [n for n in g.node if n.op_type == "Pad"]
    windows = [n for n in g.node if explicit_pads(n)]
    if not pad_nodes and not windows:
        return "none"
    if mode == "wrap":
        for o in m.opset_import:
            if o.domain in ("", "ai.onnx") and o.version < 19:
                o.version = 19
                m.ir_version = max(m.ir_version, 9)
    if pad_nodes and (not windows or rng.random() < 0.3):
        n = rng.choice(pad_nodes)
        set_attribute(onnx, n, "mode", mode)
        return f"{n.name}.mode={mode}"
    n = rng.choice(windows)
    top, left, bottom, right = explicit_pads(n)
    base = f"{n.name}_mut_pad"
    pads = np.array([0, 0, top, left, 0, 0, bottom, right], np.int64)
    g.initializer.append(numpy_helper.from_array(pads, f"{base}_pads"))
    inputs = [n.input[0], f"{base}_pads"]
    if mode == "constant":
        value = np.array(rng.choice([0.0, 0.5, -1.0]), np.float32)
        g.initializer.append(numpy_helper.from_array(value, f"{base}_value"))
        inputs.append(f"{base}_value")
    pad = onnx.helper.make_node("Pad", inputs, [f"{base}_out"], name=base, mode=mode)
    n.input[0] = f"{base}_out"
    set_attribute(onnx, n, "pads", [0, 0, 0, 0])
    nodes = list(g.node)
    nodes.insert(nodes.index(n), pad)
    del g.node[:]
    g.node.extend(nodes)
    return f"{n.name}'s pads as a Pad, mode={mode}"


ACTIVATIONS = ("Relu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "LeakyRelu",
               "PRelu")


def mutate_activation(onnx, numpy_helper, m, rng):
    """Replaces an activation node by another kind (all fuse into a conv or
    Gemm before them): LeakyRelu with an alpha below 0, in 0..1 or above 1,
    PRelu with one slope, HardSigmoid with new parameters, Relu, Sigmoid,
    HardSwish (opset >= 14)."""
    g = m.graph
    acts = [n for n in g.node if n.op_type in ACTIVATIONS]
    if not acts:
        return "none"
    n = rng.choice(acts)
    opset = max((o.version for o in m.opset_import if o.domain in ("", "ai.onnx")),
                default=1)
    kinds = [k for k in ACTIVATIONS if k != "Clip" and (k != "HardSwish" or opset >= 14)]
    kind = rng.choice(kinds)
    del n.input[1:]
    del n.attribute[:]
    n.op_type = kind
    if kind == "LeakyRelu":
        set_attribute(onnx, n, "alpha", rng.choice([-0.5, 0.01, 0.1, 0.3, 1.5]))
    elif kind == "HardSigmoid":
        set_attribute(onnx, n, "alpha", rng.choice([0.2, 0.5, 1.0 / 6.0]))
        set_attribute(onnx, n, "beta", rng.choice([0.5, 0.25]))
    elif kind == "PRelu":
        slope = n.name + "_slope"
        g.initializer.append(numpy_helper.from_array(
            np.array([rng.choice([-0.25, 0.1, 0.5])], np.float32), slope))
        n.input.append(slope)
    return f"{n.name} -> {kind}"


def mutate_valid(onnx, numpy_helper, m, rng):
    """One shape-moving mutation that keeps model m well-formed."""
    g = m.graph
    kind = rng.randrange(10)
    if kind == 9:
        return mutate_activation(onnx, numpy_helper, m, rng)
    if kind == 6:  # new values for a float initializer: weights, biases,
        # batch-norm statistics, Clip bounds, Pad values
        floats = [t for t in g.initializer if t.data_type == onnx.TensorProto.FLOAT]
        if not floats:
            return "none"
        t = rng.choice(floats)
        a = numpy_helper.to_array(t).astype(np.float32)
        how = rng.randrange(4)
        if how == 0:
            a = np.zeros_like(a)
        elif how == 1:
            a = a * np.float32(rng.choice([-1.0, 0.25, 4.0]))
        elif how == 2:  # half the values zero (sparse weights, dead channels)
            a = np.where(rng_normal(rng, a.shape) > 0, a, 0).astype(np.float32)
        else:
            a = rng_normal(rng, a.shape) * np.float32(rng.choice([0.1, 1.0, 3.0]))
        if "var" in t.name:  # variances stay positive
            a = np.abs(a) + np.float32(1e-3)
        t.CopyFrom(numpy_helper.from_array(a.astype(np.float32), t.name))
        return f"{t.name} values"
    if kind == 7:  # Gemm scale factors
        gemms = [n for n in g.node if n.op_type == "Gemm"]
        if not gemms:
            return "none"
        n = rng.choice(gemms)
        for name in ("alpha", "beta"):
            set_attribute(onnx, n, name, rng.choice([0.5, 1.0, -2.0]))
        return f"{n.name}.alpha/beta"
    if kind == 8:  # Pad modes
        return mutate_pad_mode(onnx, numpy_helper, m, rng)
    if kind in (0, 1):
        names = ("strides", "pads", "dilations", "kernel_shape", "ceil_mode",
                 "count_include_pad", "epsilon")
        cands = [(n, a) for n in g.node for a in n.attribute if a.name in names]
        if not cands:
            return "none"
        n, a = rng.choice(cands)
        if a.name in ("strides", "dilations"):
            a.ints[rng.randrange(len(a.ints))] = rng.choice([1, 2, 3])
        elif a.name == "pads":
            a.ints[rng.randrange(len(a.ints))] = rng.choice([0, 1, 2, 3])
        elif a.name == "kernel_shape":
            if n.op_type == "Conv":  # must match the weights
                return "none"
            a.ints[rng.randrange(len(a.ints))] = rng.choice([1, 2, 3, 5])
        elif a.name == "epsilon":
            a.f = rng.choice([1e-3, 1e-5, 0.1])
        else:
            a.i = 1 - a.i
        return f"{n.name}.{a.name}"
    dims = g.input[0].type.tensor_type.shape.dim
    if kind == 2 and len(dims) == 4:
        dims[2].dim_value = rng.choice([7, 9, 13, 17, 23, 31, 33, 40])
        dims[3].dim_value = rng.choice([7, 9, 13, 17, 23, 31, 33, 40])
        return "input size"
    if kind == 3 and dims:
        dims[0].dim_value = rng.choice([1, 2, 3])
        return "batch"
    if kind == 4:
        convs = [n for n in g.node if n.op_type == "Conv"]
        if not convs:
            return "none"
        n = rng.choice(convs)
        d = rng.choice([2, 3])
        set_attribute(onnx, n, "dilations", [d, rng.choice([1, d])])
        return f"{n.name}.dilations"
    if kind == 5:
        n = rng.choice(g.node)
        if n.op_type not in ("Conv", "MaxPool", "AveragePool"):
            return "none"
        set_attribute(onnx, n, "auto_pad", rng.choice(["SAME_UPPER", "SAME_LOWER", "VALID"]),
                      replaces=("pads",))
        return f"{n.name}.auto_pad"
    return "none"


def kiln_error_problems(p, model):
    """Why a run that exited non-zero is not a clean, attributed error."""
    problems = []
    if p.returncode < 0 or p.returncode >= 128:
        problems.append(f"crashed ({describe_exit(p.returncode)})")
    signs = crash_signs(p.stderr + p.stdout)
    if signs:
        problems.append(f"output shows a crash: {signs}")
    if f"error: {model}" not in p.stderr:
        problems.append("the error does not name the model file")
    return problems


def run_malformed(args, onnx, numpy_helper, models, rng, work):
    failures, counts = [], {"accepted": 0, "rejected": 0}
    for i in range(args.malformed):
        src = rng.choice(models)
        m = onnx.load(src)
        kinds = [mutate_malformed(onnx, numpy_helper, m, rng) for _ in range(rng.randint(1, 3))]
        data = m.SerializeToString()
        if rng.random() < 0.1:
            raw = bytearray(data)
            for _ in range(rng.randint(1, 5)):
                raw[rng.randrange(len(raw))] = rng.randrange(256)
            data = bytes(raw)
            kinds.append("flipped bytes")
        model = os.path.join(work, f"malformed_{i}.onnx")
        with open(model, "wb") as f:
            f.write(data)
        what = f"malformed case {i} ({os.path.basename(os.path.dirname(src))}: {', '.join(kinds)})"
        try:
            p = run([args.kiln, "compile", model, "-o", os.path.join(work, "out"),
                     "--compile-to=kernelize"], timeout=120, echo=False)
        except E2EFailure as e:
            failures.append(f"{what}: {e}")
            continue
        problems = kiln_error_problems(p, model) if p.returncode else []
        if problems:
            failures.append(f"{what}: " + "; ".join(problems) + f"\n{p.stderr.rstrip()}")
            continue
        counts["rejected" if p.returncode else "accepted"] += 1
        os.remove(model)
    print(f"malformed: {args.malformed} cases, {counts['rejected']} rejected cleanly, "
          f"{counts['accepted']} accepted, {len(failures)} failed")
    return failures


def model_meta(model_path):
    """The meta.json beside a generated model, or {}."""
    path = os.path.join(os.path.dirname(model_path), "meta.json")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def run_valid(args, onnx, numpy_helper, models, rng, work):
    failures = []
    counts = {"compared": 0, "onnxruntime rejects": 0, "kiln rejects": 0,
              "not finite": 0}
    for i in range(args.valid):
        src = rng.choice(models)
        m = onnx.load(src)
        kinds = [mutate_valid(onnx, numpy_helper, m, rng) for _ in range(rng.randint(1, 2))]
        options = rng.choice(option_sets(args.target))
        # An input still dynamic after the mutation (dynamic_batch) runs at
        # its meta.json shape, given to kiln with --input-shape.
        given = {x["name"]: x["shape"] for x in model_meta(src).get("inputs", [])}
        clear_inferred_shapes(m)
        data = m.SerializeToString()
        what = (f"valid case {i} ({os.path.basename(os.path.dirname(src))}: "
                f"{', '.join(kinds)}; {' '.join(options) or 'default options'})")
        try:
            sess = reference_session(data, quiet=True)  # refusals are expected
            feeds = {}
            for x in sess.get_inputs():
                shape = [int(d) for d in x.shape] \
                    if all(isinstance(d, int) for d in x.shape) else given[x.name]
                if shape != list(x.shape):
                    options = [*options, f"--input-shape={x.name}=" +
                               "x".join(str(d) for d in shape)]
                feeds[x.name] = np.asarray(rng_normal(rng, shape))
            wants = sess.run(None, feeds)
        except Exception:  # noqa: BLE001 - any onnxruntime refusal skips the case
            counts["onnxruntime rejects"] += 1
            if args.verbose:
                print(f"{what}: onnxruntime rejects it")
            continue
        # onnxruntime's MaxPool gives the lowest float where a window holds
        # only -inf (kiln: -inf): such outputs are not compared.
        if any(not np.all(np.abs(w) < 1e38) for w in wants):
            counts["not finite"] += 1
            if args.verbose:
                print(f"{what}: not finite")
            continue
        prefix = os.path.join(work, f"valid_{i}_")
        model = prefix + "model.onnx"
        with open(model, "wb") as f:
            f.write(data)
        exe = prefix + "net"
        try:
            p = run([args.kiln, "compile", model, "-o", exe, *options], timeout=600, echo=False)
            if p.returncode:
                problems = kiln_error_problems(p, model)
                if not problems and any(r in p.stderr for r in ALLOWED_REJECTIONS):
                    counts["kiln rejects"] += 1
                    print(f"{what}: {p.stderr.strip().splitlines()[-1]}")
                    continue
                failures.append(f"{what}: compile: " + "; ".join(problems or ["rejected"]) +
                                f"\n{p.stderr.rstrip()}")
                continue
            cmd, outs = [exe], []
            for k, (name, x) in enumerate(feeds.items()):
                path = f"{prefix}in_{k}.npy"
                np.save(path, x)
                cmd += ["--input", f"{name}={path}"]
            for k, o in enumerate(sess.get_outputs()):
                outs.append(f"{prefix}out_{k}.npy")
                cmd += ["--output", f"{o.name}={outs[-1]}"]
            p = run(target_runner(args.target, args.qemu) + cmd, timeout=300, echo=False)
            if p.returncode:
                failures.append(f"{what}: run: {describe_exit(p.returncode)}\n{p.stderr.rstrip()}")
                continue
            for k, (path, want) in enumerate(zip(outs, wants)):
                compare(np.load(path), want, label=f"output {k}")
        except E2EFailure as e:
            failures.append(f"{what}: {e}")
            continue
        counts["compared"] += 1
        if args.verbose:
            print(f"{what}: matches onnxruntime")
        for path in glob.glob(prefix + "*"):
            os.remove(path)
    print("valid: " + ", ".join(f"{v} {k}" for k, v in counts.items()) +
          f", {len(failures)} failed")
    # Most cases must reach the comparison, else the campaign proves little.
    if args.valid and counts["compared"] < args.valid // 3:
        failures.append(f"only {counts['compared']} of {args.valid} valid cases were compared")
    return failures


def rng_normal(rng, shape):
    """A float32 standard-normal array drawn from rng (reproducible)."""
    return np.random.default_rng(rng.randrange(1 << 32)).standard_normal(shape).astype(np.float32)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kiln", required=True)
    ap.add_argument("--models", required=True, help="generated models folder")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--malformed", type=int, default=100, help="malformed cases")
    ap.add_argument("--valid", type=int, default=20, help="valid cases")
    ap.add_argument("--verbose", action="store_true",
                    help="print every valid case and its verdict")
    ap.add_argument("--target", default="host",
                    help="kiln target of the valid cases: host or arm-64-linux (run under "
                         "--qemu)")
    ap.add_argument("--qemu", default="qemu-aarch64", help="runner for arm-64-linux")
    args = ap.parse_args()

    def body():
        import onnx
        from onnx import numpy_helper
        models = sorted(p for p in glob.glob(os.path.join(args.models, "*", "model.onnx"))
                        if os.path.basename(os.path.dirname(p)) != "external_data")
        if not models:
            raise E2EFailure(f"no models under {args.models} (were they generated?)")
        work = os.path.abspath(args.workdir)
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        rng = random.Random(args.seed)
        failures = run_malformed(args, onnx, numpy_helper, models, rng, work)
        failures += run_valid(args, onnx, numpy_helper, models, rng, work)
        if failures:
            raise E2EFailure(f"{len(failures)} mutated-model case(s) failed (seed "
                             f"{args.seed}; cases kept in {work}):\n" + "\n".join(failures))
        print("PASS mutated models")
        return 0

    return main_wrapper(body)


if __name__ == "__main__":
    sys.exit(main())
