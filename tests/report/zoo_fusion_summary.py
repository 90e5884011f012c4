#!/usr/bin/env python3
"""Fusion counts of the zoo networks (issue 4, check 3) against the ONNX graph.

For each model, `kiln compile --compile-to=kernelize --dump` writes
report.json; its `summary` must say that every fusion candidate was fused,
and the candidate counts must equal those found independently here by walking
the ONNX graph with the onnx package:

  * depthwise -> pointwise pairs: a Conv with group == C_in == C_out whose
    result reaches (through single-reader BatchNormalization / Relu / Clip
    nodes) a 1x1, stride-1, unpadded, ungrouped Conv as its only reader;
  * inverted residual expand convs: a 1x1, stride-1, unpadded, ungrouped
    Conv whose result reaches (through single-reader BatchNormalization /
    Relu / Clip nodes) the depthwise Conv of such a pair as its only reader
    (MobileNetV2's expand conv) and that is not itself the pointwise Conv of
    a pair (MobileNetV1's, fused with its own depthwise conv); those whose
    output has at least 256 KiB on an image larger than 14x14
    (kiln-fuse-inverted-residual's default min-expanded-bytes and
    min-image-pixels) must be fused into the pair's kernel, the others must
    not;
  * residual adds: an Add of two same-shaped tensors, one of them a Conv
    output (directly or through a BatchNormalization);
  * concat copies: none left (every Concat is elided at batch 1).

  zoo_fusion_summary.py --kiln BIN --zoo DIR --workdir DIR [--model NAME ...]
"""
import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import onnx
from onnx import shape_inference


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def graph_counts(path):
    model = shape_inference.infer_shapes(onnx.load(str(path)))
    g = model.graph
    shapes = {}
    for vi in list(g.value_info) + list(g.input) + list(g.output):
        dims = [d.dim_value for d in vi.type.tensor_type.shape.dim]
        shapes[vi.name] = dims
    inits = {t.name: list(t.dims) for t in g.initializer}
    producer = {o: n for n in g.node for o in n.output}
    readers = defaultdict(list)
    for n in g.node:
        for i in n.input:
            readers[i].append(n)
    outputs = {o.name for o in g.output}

    def only_reader(value):
        r = readers[value]
        return r[0] if len(r) == 1 and value not in outputs else None

    def is_pointwise(conv):
        a = attrs(conv)
        w = inits.get(conv.input[1])
        return (w is not None and w[2:] == [1, 1] and a.get("group", 1) == 1
                and all(s == 1 for s in a.get("strides", [1, 1]))
                and all(p == 0 for p in a.get("pads", [0, 0, 0, 0])))

    def expand_before(depthwise):
        """The expand Conv at the start of the depthwise conv's input chain."""
        v = depthwise.input[0]
        while only_reader(v) is not None:
            p = producer.get(v)
            if p is None:
                return None
            if p.op_type in ("BatchNormalization", "Relu", "Clip"):
                v = p.input[0]
                continue
            return p if p.op_type == "Conv" and is_pointwise(p) else None
        return None

    def output_bytes(node):
        n = 4
        for d in shapes.get(node.output[0], [0]):
            n *= d
        return n

    pair_convs = []  # (depthwise, pointwise)
    for n in g.node:
        if n.op_type != "Conv":
            continue
        w = inits.get(n.input[1])
        cin = shapes.get(n.input[0], [0, 0])[1]
        if w is None or w[1] != 1 or attrs(n).get("group", 1) != cin or w[0] != cin or cin <= 1:
            continue
        v = n.output[0]
        while True:
            r = only_reader(v)
            if r is None:
                break
            if r.op_type in ("BatchNormalization", "Relu", "Clip") and r.input[0] == v:
                v = r.output[0]
                continue
            if r.op_type == "Conv" and r.input[0] == v and is_pointwise(r):
                pair_convs.append((n, r))
            break
    pairs = len(pair_convs)
    pointwise_names = {pw.name for _, pw in pair_convs}
    expands = big_expands = 0
    for dw, _ in pair_convs:
        expand = expand_before(dw)
        if expand is None or expand.name in pointwise_names:
            continue
        expands += 1
        image_h, image_w = shapes.get(expand.output[0], [0, 0, 0, 0])[2:4]
        big_expands += (output_bytes(expand) >= 256 * 1024
                        and image_h * image_w > 14 * 14)

    def conv_output(value):
        p = producer.get(value)
        if p is not None and p.op_type == "BatchNormalization":
            p = producer.get(p.input[0])
        return p is not None and p.op_type == "Conv"

    residual = 0
    for n in g.node:
        if n.op_type == "Add" and len(n.input) == 2:
            a, b = n.input
            if shapes.get(a) and shapes.get(a) == shapes.get(b) and (conv_output(a) or conv_output(b)):
                residual += 1
    concats = sum(1 for n in g.node if n.op_type == "Concat")
    return pairs, expands, big_expands, residual, concats


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kiln", required=True)
    ap.add_argument("--zoo", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--model", action="append")
    args = ap.parse_args()
    zoo = Path(args.zoo)
    names = args.model or sorted(p.parent.name for p in zoo.glob("*/model.onnx"))
    failures = 0
    for name in names:
        onnx_path = zoo / name / "model.onnx"
        dump = Path(args.workdir) / name
        subprocess.run([args.kiln, "compile", str(onnx_path), "--compile-to=kernelize",
                        "-q", f"--dump={dump}"], check=True, stdout=subprocess.DEVNULL)
        s = json.loads((dump / "report.json").read_text())["summary"]
        pairs, expands, big_expands, residual, concats = graph_counts(onnx_path)
        print(f"{name}: depthwise->pointwise {s['depthwise_pointwise_fused']}/"
              f"{s['depthwise_pointwise_candidates']} (onnx: {pairs}), expand convs "
              f"{s['inverted_residual_fused']}/{s['inverted_residual_candidates']} "
              f"(onnx: {expands}, {big_expands} of >= 256 KiB on > 14x14), residual adds "
              f"{s['residual_adds_fused']}/{s['residual_adds_total']} (onnx: {residual}), "
              f"concat copies {s['concat_copies']} (onnx concats: {concats})")
        checks = [
            ("depthwise_pointwise_candidates", s["depthwise_pointwise_candidates"], pairs),
            ("depthwise_pointwise_fused", s["depthwise_pointwise_fused"], pairs),
            ("inverted_residual_candidates", s["inverted_residual_candidates"], expands),
            ("inverted_residual_fused", s["inverted_residual_fused"], big_expands),
            ("residual_adds_total", s["residual_adds_total"], residual),
            ("residual_adds_fused", s["residual_adds_fused"], residual),
            ("concat_copies", s["concat_copies"], 0),
        ]
        for key, got, want in checks:
            if got != want:
                print(f"  FAIL {name}: {key} = {got}, expected {want}")
                failures += 1
    if failures:
        sys.exit(1)
    print(f"all fusion counts match the ONNX graphs ({len(names)} models)")


if __name__ == "__main__":
    main()
