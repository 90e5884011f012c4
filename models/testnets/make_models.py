#!/usr/bin/env python3
# ===- make_models.py - Test ONNX models for Kiln -------------------------=== #
#
# Builds the small ONNX models the end-to-end tests compile, with seeded
# weights, seeded inputs and reference outputs computed by onnxruntime (CPU),
# plus the malformed models the error-path tests feed to `kiln compile`.
#
#   make_models.py --outdir DIR            generate everything
#   make_models.py --verify DIR            re-check generated models (checker,
#                                          onnxruntime run == expected_<k>.npy)
#   make_models.py --list                  print the good model names
#
# Layout (see models/testnets/README.md):
#   DIR/<name>/model.onnx, input_<k>.npy, expected_<k>.npy, meta.json
#   DIR/bad/<name>.onnx, DIR/bad/expected_errors.json, DIR/bad/README.md,
#   DIR/bad/wrong_shape_input.npy
#
# ===----------------------------------------------------------------------=== #

import argparse
import json
import os
import shutil
import sys
import zlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
# IR version 8 is the one that goes with opset 13; onnxruntime 1.30 reads it.
IR_VERSION = 8
# The IR versions of the other opsets a model may ask for (GraphBuilder.opset).
IR_VERSION_OF = {14: 8, 19: 9}


class GraphBuilder:
    """Accumulates nodes and seeded initializers of one float32 graph."""

    def __init__(self, name, seed):
        self.name = name
        self.rng = np.random.default_rng(seed)
        self.nodes = []
        self.inits = []
        self.inputs = []
        self.outputs = []
        self.counter = 0
        self.opset = OPSET
        # The concrete shape of each input (a declared dim may be a name);
        # flags `kiln compile` needs for this model (meta.json kiln_flags).
        self.input_shapes = []
        self.kiln_flags = []

    def fresh(self, base):
        self.counter += 1
        return f"{base}_{self.counter}"

    def add_input(self, name, shape, declared=None):
        """`declared`: the dims the model states (names for dynamic ones);
        default `shape`, which the test input has."""
        self.inputs.append(helper.make_tensor_value_info(
            name, TensorProto.FLOAT, shape if declared is None else declared))
        self.input_shapes.append(list(shape))
        return name

    def add_output(self, name, shape):
        self.outputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, shape))

    def const(self, base, array):
        name = self.fresh(base)
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(self, op, inputs, base=None, num_outputs=1, **attrs):
        base = base or op.lower()
        name = self.fresh(base)
        outs = [f"{name}_out{i}" if num_outputs > 1 else f"{name}_out" for i in range(num_outputs)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=name, **attrs))
        return outs[0] if num_outputs == 1 else outs

    # --- layers with seeded weights -------------------------------------- #

    def conv(self, x, cin, cout, kernel, stride=1, pads=None, group=1, bias=True,
             dilations=None):
        kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
        sh, sw = (stride, stride) if isinstance(stride, int) else stride
        if pads is None:
            pads = [kh // 2, kw // 2, kh // 2, kw // 2]
        fan_in = (cin // group) * kh * kw
        w = self.rng.normal(0.0, np.sqrt(2.0 / fan_in), (cout, cin // group, kh, kw))
        ins = [x, self.const("W", w.astype(np.float32))]
        if bias:
            ins.append(self.const("B", self.rng.uniform(-0.2, 0.2, cout).astype(np.float32)))
        attrs = dict(kernel_shape=[kh, kw], strides=[sh, sw], pads=list(pads), group=group)
        if dilations is not None:
            attrs["dilations"] = list(dilations)
        return self.node("Conv", ins, "conv", **attrs)

    def bn(self, x, c, epsilon=1e-5):
        # Non-trivial statistics so a wrong fold cannot hide behind identity.
        gamma = self.rng.uniform(0.5, 1.5, c).astype(np.float32)
        beta = self.rng.uniform(-0.5, 0.5, c).astype(np.float32)
        mean = self.rng.normal(0.0, 0.5, c).astype(np.float32)
        var = self.rng.uniform(0.5, 2.0, c).astype(np.float32)
        ins = [x] + [self.const(n, a) for n, a in
                     (("gamma", gamma), ("beta", beta), ("mean", mean), ("var", var))]
        return self.node("BatchNormalization", ins, "bn", epsilon=epsilon)

    def relu(self, x):
        return self.node("Relu", [x], "relu")

    def conv_bn(self, x, cin, cout, kernel, stride=1, pads=None, group=1, relu=True):
        y = self.bn(self.conv(x, cin, cout, kernel, stride, pads, group, bias=False), cout)
        return self.relu(y) if relu else y

    def gemm(self, x, k, n, scale=1.0):
        w = self.rng.normal(0.0, scale * np.sqrt(1.0 / k), (n, k)).astype(np.float32)
        b = self.rng.uniform(-0.1, 0.1, n).astype(np.float32)
        return self.node("Gemm", [x, self.const("fcW", w), self.const("fcB", b)], "gemm",
                         transB=1)

    def residual(self, x, cin, cout, stride):
        """conv3x3-bn-relu-conv3x3-bn + shortcut, Relu. Projection when shape changes."""
        y = self.conv_bn(x, cin, cout, 3, stride)
        y = self.conv_bn(y, cout, cout, 3, 1, relu=False)
        if stride != 1 or cin != cout:
            s = self.conv_bn(x, cin, cout, 1, stride, pads=[0, 0, 0, 0], relu=False)
        else:
            s = x
        return self.relu(self.node("Add", [y, s], "add"))

    def finish(self, final, out_name, out_shape):
        """Renames the producer of `final` to write `out_name`."""
        for n in self.nodes:
            for i, o in enumerate(n.output):
                if o == final:
                    n.output[i] = out_name
        for n in self.nodes:
            for i, o in enumerate(n.input):
                if o == final:
                    n.input[i] = out_name
        self.add_output(out_name, out_shape)
        graph = helper.make_graph(self.nodes, self.name, self.inputs, self.outputs, self.inits)
        model = helper.make_model(graph, producer_name="kiln-testnets",
                                  opset_imports=[helper.make_opsetid("", self.opset)])
        model.ir_version = IR_VERSION if self.opset == OPSET else IR_VERSION_OF[self.opset]
        return model


# --- good models ------------------------------------------------------------ #
# Each builder returns (model, classifier_output_indices). Seeds are fixed per
# model (crc32 of the name) so one model's change does not shift the others.


def conv_bn_relu_pool_gemm_softmax(g):
    x = g.add_input("input", [1, 3, 16, 16])
    y = g.conv_bn(x, 3, 8, 3)
    y = g.node("MaxPool", [y], "maxpool", kernel_shape=[2, 2], strides=[2, 2])
    y = g.node("Flatten", [y], "flatten", axis=1)
    y = g.gemm(y, 8 * 8 * 8, 10, scale=3.0)
    y = g.node("Softmax", [y], "softmax", axis=1)
    return g.finish(y, "probs", [1, 10]), [0]


def _dw_pw(g, stride):
    c = 16
    x = g.add_input("input", [1, c, 14, 14])
    y = g.conv_bn(x, c, c, 3, stride, pads=[1, 1, 1, 1], group=c)
    y = g.conv_bn(y, c, 24, 1, 1, pads=[0, 0, 0, 0])
    hw = 14 if stride == 1 else 7
    return g.finish(y, "output", [1, 24, hw, hw]), []


def dw_pw_s1(g):
    return _dw_pw(g, 1)


def dw_pw_s2(g):
    return _dw_pw(g, 2)


def dw_pw_large(g):
    """Depthwise + pointwise on 30x30 (more than 14x14 pixels: the separable
    op runs as a depthwise and a 1x1 kernel), the 1x1 conv's output added
    to the input (a residual in the separable op), then ReLU."""
    c = 16
    x = g.add_input("input", [1, c, 30, 30])
    y = g.conv_bn(x, c, c, 3, 1, pads=[1, 1, 1, 1], group=c)
    y = g.conv_bn(y, c, c, 1, 1, pads=[0, 0, 0, 0], relu=False)
    y = g.relu(g.node("Add", [y, x], "add"))
    return g.finish(y, "output", [1, c, 30, 30]), []


def residual_identity(g):
    x = g.add_input("input", [1, 8, 12, 12])
    y = g.residual(x, 8, 8, 1)
    return g.finish(y, "output", [1, 8, 12, 12]), []


def residual_projection(g):
    x = g.add_input("input", [1, 8, 12, 12])
    y = g.residual(x, 8, 16, 2)
    return g.finish(y, "output", [1, 16, 6, 6]), []


def inception_block(g):
    x = g.add_input("input", [1, 16, 12, 12])
    b1 = g.conv_bn(x, 16, 8, 1, pads=[0, 0, 0, 0])
    b2 = g.conv_bn(g.conv_bn(x, 16, 6, 1, pads=[0, 0, 0, 0]), 6, 8, 3)
    b3 = g.conv_bn(g.conv_bn(x, 16, 4, 1, pads=[0, 0, 0, 0]), 4, 6, 5)
    p = g.node("MaxPool", [x], "maxpool", kernel_shape=[3, 3], strides=[1, 1],
               pads=[1, 1, 1, 1])
    b4 = g.conv_bn(p, 16, 4, 1, pads=[0, 0, 0, 0])
    y = g.node("Concat", [b1, b2, b3, b4], "concat", axis=1)
    return g.finish(y, "output", [1, 26, 12, 12]), []


def inception_blocked(g):
    """Two inception blocks whose branches all have whole blocks of 16
    channels: the first concat, its four slices and every reader (1x1s and
    a 3x3 stride-1 max pool) are channel-blocked (NCHW16c); the second
    concat is the model output, so its slices are written NCHW."""
    x = g.add_input("input", [1, 16, 14, 14])
    x = g.conv_bn(x, 16, 32, 3)

    def block(x, cin):
        b1 = g.conv_bn(x, cin, 16, 1, pads=[0, 0, 0, 0])
        b2 = g.conv_bn(g.conv_bn(x, cin, 16, 1, pads=[0, 0, 0, 0]), 16, 32, 3)
        b3 = g.conv_bn(g.conv_bn(x, cin, 16, 1, pads=[0, 0, 0, 0]), 16, 16, 5)
        p = g.node("MaxPool", [x], "maxpool", kernel_shape=[3, 3],
                   strides=[1, 1], pads=[1, 1, 1, 1])
        b4 = g.conv_bn(p, cin, 16, 1, pads=[0, 0, 0, 0])
        return g.node("Concat", [b1, b2, b3, b4], "concat", axis=1)

    y = block(block(x, 32), 80)
    return g.finish(y, "output", [1, 80, 14, 14]), []


def winograd_5x5(g):
    # Inception-style 5x5 branches on a 28x28 image: 16 -> 48 (F(2x2, 5x5)
    # on every x86 target), then 48 -> 32 with asymmetric pads (stays direct:
    # a pad of 3 reaches past a 5x5 window's).
    x = g.add_input("input", [1, 16, 28, 28])
    y = g.conv_bn(x, 16, 48, 5)
    y = g.conv_bn(y, 48, 32, 5, pads=[2, 1, 2, 3])
    return g.finish(y, "output", [1, 32, 28, 28]), []


def relu6_clip(g):
    x = g.add_input("input", [1, 3, 16, 16])
    y = g.conv(x, 3, 12, 3, stride=2)
    # Scale the conv's weight and bias so ~10% of activations exceed 6 and the
    # upper clamp matters.
    for i in (-2, -1):
        g.inits[i] = numpy_helper.from_array(numpy_helper.to_array(g.inits[i]) * 6.0,
                                             g.inits[i].name)
    y = g.node("Clip", [y, g.const("clip_min", np.array(0.0, np.float32)),
                        g.const("clip_max", np.array(6.0, np.float32))], "clip")
    y = g.node("GlobalAveragePool", [y], "gap")
    y = g.node("Flatten", [y], "flatten", axis=1)
    y = g.gemm(y, 12, 10, scale=2.0)
    return g.finish(y, "logits", [1, 10]), [0]


def batch2(g):
    x = g.add_input("input", [2, 3, 12, 12])
    y = g.conv_bn(x, 3, 8, 3)
    # Padded average pools: the two count_include_pad variants differ at borders.
    y = g.node("AveragePool", [y], "avgpool_incl", kernel_shape=[3, 3], strides=[2, 2],
               pads=[1, 1, 1, 1], count_include_pad=1)             # 12 -> 6
    y = g.conv_bn(y, 8, 8, 3)
    y = g.node("AveragePool", [y], "avgpool_excl", kernel_shape=[3, 3], strides=[2, 2],
               pads=[1, 1, 1, 1], count_include_pad=0)             # 6 -> 3
    y = g.node("Flatten", [y], "flatten", axis=1)
    y = g.gemm(y, 8 * 3 * 3, 10, scale=2.0)
    return g.finish(y, "logits", [2, 10]), [0]


def non_square(g):
    x = g.add_input("input", [1, 3, 20, 36])
    # pads = [top, left, bottom, right]: 20x36 -> 10x18 with stride 2.
    y = g.conv_bn(x, 3, 8, 3, stride=2, pads=[0, 1, 1, 0])
    # Non-square kernel and stride: 10x18 -> 10x9.
    y = g.conv_bn(y, 8, 6, (3, 5), stride=(1, 2), pads=[1, 2, 1, 1])
    y = g.node("MaxPool", [y], "maxpool", kernel_shape=[2, 3], strides=[2, 3])  # -> 5x3
    return g.finish(y, "output", [1, 6, 5, 3]), []


def matmul_add_head(g):
    x = g.add_input("input", [1, 4, 6, 6])
    y = g.node("Identity", [x], "identity")
    y = g.relu(g.conv(y, 4, 8, 3))
    y = g.node("Dropout", [y], "dropout")                      # inference: identity
    y = g.node("Reshape", [y, g.const("shape", np.array([0, -1], np.int64))], "reshape")
    w1 = g.rng.normal(0, np.sqrt(2.0 / 288), (288, 32)).astype(np.float32)
    y = g.node("MatMul", [y, g.const("mmW", w1)], "matmul")
    y = g.node("Add", [y, g.const("mmB", g.rng.uniform(-0.1, 0.1, 32).astype(np.float32))],
               "add")
    y = g.relu(y)
    y = g.node("Identity", [y], "identity")
    y = g.node("Reshape", [y, g.const("shape", np.array([1, 32, 1, 1], np.int64))],
               "reshape")
    y = g.node("Flatten", [y], "flatten", axis=1)
    w2 = g.rng.normal(0, np.sqrt(8.0 / 32), (32, 10)).astype(np.float32)
    y = g.node("MatMul", [y, g.const("mmW", w2)], "matmul")
    # 2-D bias [1, 10] (the first Add used a 1-D [32] bias).
    y = g.node("Add", [y, g.const("mmB", g.rng.uniform(-0.1, 0.1, (1, 10)).astype(np.float32))],
               "add")
    return g.finish(y, "output", [1, 10]), []


def external_data(g):
    x = g.add_input("input", [1, 3, 10, 10])
    y = g.conv_bn(x, 3, 8, 3)
    y = g.conv(y, 8, 4, 3, stride=2)
    return g.finish(y, "output", [1, 4, 5, 5]), []


def multi_io(g):
    # Two named inputs and two outputs: checks name-based binding and order.
    a = g.add_input("image_a", [1, 4, 8, 8])
    b = g.add_input("image_b", [1, 4, 8, 8])
    ya = g.conv_bn(a, 4, 8, 3)
    yb = g.conv_bn(b, 4, 8, 3, relu=False)
    s = g.relu(g.node("Add", [ya, yb], "add"))
    feat = g.node("Flatten", [g.node("GlobalAveragePool", [s], "gap")], "flatten", axis=1)
    logits = g.gemm(feat, 8, 5, scale=2.0)
    model = g.finish(logits, "logits", [1, 5])
    # Second output: the feature map itself (declared in graph output order 1).
    model.graph.output.append(helper.make_tensor_value_info(s, TensorProto.FLOAT,
                                                            [1, 8, 8, 8]))
    model.graph.output[1].name = "features"
    for n in model.graph.node:
        for i, o in enumerate(n.output):
            if o == s:
                n.output[i] = "features"
        for i, o in enumerate(n.input):
            if o == s:
                n.input[i] = "features"
    return model, [0]


def democnn(g):
    """Small ResNet-style classifier bundled as the demo model (1000 classes)."""
    x = g.add_input("image", [1, 3, 64, 64])
    y = g.conv_bn(x, 3, 16, 3, stride=2)                              # 32x32
    y = g.node("MaxPool", [y], "maxpool", kernel_shape=[3, 3], strides=[2, 2],
               pads=[1, 1, 1, 1])                                     # 16x16
    y = g.residual(y, 16, 16, 1)
    y = g.residual(y, 16, 32, 2)                                      # 8x8
    y = g.residual(y, 32, 32, 1)
    y = g.node("GlobalAveragePool", [y], "gap")
    y = g.node("Flatten", [y], "flatten", axis=1)
    y = g.gemm(y, 32, 1000, scale=0.5)
    y = g.node("Softmax", [y], "softmax", axis=1)
    return g.finish(y, "probs", [1, 1000]), [0]


def pads(g):
    """Explicit ONNX Pad nodes: zero pads that kiln-fold-pad moves into a conv
    and into max pools (after a ReLU; with -inf), and pads that stay Pad
    kernels (a non-zero value, a padded channel dim)."""
    x = g.add_input("input", [1, 3, 12, 12])

    def pad(y, amounts, value=None):
        ins = [y, g.const("pads", np.array(amounts, np.int64))]
        if value is not None:
            ins.append(g.const("pad_value", np.array(value, np.float32)))
        return g.node("Pad", ins, "pad", mode="constant")

    y = pad(x, [0, 0, 1, 2, 0, 0, 2, 1])                           # 15x15
    y = g.relu(g.conv(y, 3, 8, 3, pads=[0, 0, 0, 0]))                # 13x13
    y = pad(y, [0, 0, 1, 1, 0, 0, 1, 1])                           # 15x15
    y = g.node("MaxPool", [y], "maxpool", kernel_shape=[3, 3], strides=[2, 2])  # 7x7
    y = pad(y, [0, 0, 0, 1, 0, 0, 1, 0], 0.5)                      # 8x8
    y = g.conv(y, 8, 8, 3)                                           # 8x8
    y = pad(y, [0, 0, 1, 0, 0, 0, 0, 1], -np.inf)                  # 9x9
    y = g.node("MaxPool", [y], "maxpool", kernel_shape=[2, 2], strides=[2, 2])  # 4x4
    y = pad(y, [0, 1, 0, 0, 0, 2, 0, 0], -1.0)                     # 11 channels
    return g.finish(y, "output", [1, 11, 4, 4]), []


def pad_modes(g):
    """ONNX Pad's edge, reflect and wrap modes (opset 19 for wrap), none of
    which can fold into a conv: a reflect border before an unpadded conv (the
    style-transfer pattern), an asymmetric edge pad before a max pool, a wrap
    (circular) pad before a conv, and a reflect pad of the channel dim. Pads
    stay within n - 1 cells, where onnxruntime agrees with the ONNX
    reference (numpy.pad)."""
    g.opset = 19
    x = g.add_input("input", [1, 3, 10, 12])

    def pad(y, amounts, mode):
        ins = [y, g.const("pads", np.array(amounts, np.int64))]
        return g.node("Pad", ins, "pad", mode=mode)

    y = pad(x, [0, 0, 2, 2, 0, 0, 2, 2], "reflect")                 # 14x16
    y = g.relu(g.conv(y, 3, 8, 3, pads=[0, 0, 0, 0]))                # 12x14
    y = pad(y, [0, 0, 1, 0, 0, 0, 0, 1], "edge")                    # 13x15
    y = g.node("MaxPool", [y], "maxpool", kernel_shape=[2, 2], strides=[2, 2])  # 6x7
    y = pad(y, [0, 0, 1, 1, 0, 0, 1, 1], "wrap")                    # 8x9
    y = g.conv(y, 8, 8, 3, pads=[0, 0, 0, 0])                        # 6x7
    y = pad(y, [0, 1, 0, 0, 0, 2, 0, 0], "reflect")                 # 11 channels
    return g.finish(y, "output", [1, 11, 6, 7]), []


def shuffle_squeeze(g):
    """Shape ops of exported CNNs: ShuffleNet's channel shuffle (Reshape to
    groups, Transpose, Reshape back) between two convs, a global pool's
    Squeeze before the classifier and an Unsqueeze after it; a second
    output, the features under Transpose's default perm (dims reversed)."""
    x = g.add_input("input", [1, 8, 10, 10])
    y = g.relu(g.conv(x, 8, 16, 3))                                   # 16x10x10
    y = g.node("Reshape", [y, g.const("shape", np.array([1, 4, 4, 10, 10], np.int64))],
               "reshape")
    y = g.node("Transpose", [y], "transpose", perm=[0, 2, 1, 3, 4])
    y = g.node("Reshape", [y, g.const("shape", np.array([1, 16, 10, 10], np.int64))],
               "reshape")
    f = g.relu(g.conv(y, 16, 16, 1))
    y = g.node("GlobalAveragePool", [f], "gap")                       # 1x16x1x1
    y = g.node("Squeeze", [y, g.const("axes", np.array([2, 3], np.int64))], "squeeze")
    y = g.gemm(y, 16, 10)                                             # 1x10
    y = g.node("Unsqueeze", [y, g.const("axes", np.array([-1], np.int64))], "unsqueeze")
    g.finish(y, "output", [1, 10, 1])
    t = g.node("Transpose", [f], "transpose")                         # 10x10x16x1
    return g.finish(t, "features_t", [10, 10, 16, 1]), []


def sub_div(g):
    """Sub and Div as exported models use them: input normalization with
    per-channel constants ((x - mean) / std) before the first conv, a Sub
    of two computed tensors, a Div by a scalar constant and a Sub from a
    constant (1 - y)."""
    x = g.add_input("input", [1, 3, 16, 16])
    mean = g.const("mean", np.array([0.485, 0.456, 0.406], np.float32).reshape(1, 3, 1, 1))
    std = g.const("std", np.array([0.229, 0.224, 0.225], np.float32).reshape(1, 3, 1, 1))
    y = g.node("Div", [g.node("Sub", [x, mean], "sub"), std], "div")
    a = g.relu(g.conv(y, 3, 8, 3))
    b = g.conv(a, 8, 8, 1)
    y = g.node("Sub", [a, b], "sub")
    y = g.node("Div", [y, g.const("two", np.array(2.0, np.float32))], "div")
    y = g.node("Sub", [g.const("one", np.array([1.0], np.float32)), y], "sub")
    return g.finish(y, "output", [1, 8, 16, 16]), []


def activation_epilogues(g):
    """The activations of darknet / YOLO and MobileNetV3 backbones, each
    fused into the conv or dense before it: conv-BN-LeakyRelu(0.1) (the
    darknet block), a depthwise-separable pair with leaky stages, HardSwish
    after a conv, a squeeze-excite branch (GAP, 1x1 conv + Relu, 1x1 conv +
    HardSigmoid, Mul), a per-channel PRelu (slopes 32x1x1, some negative),
    a Sigmoid after a conv, a LeakyRelu after an Add
    (standalone: nothing to fuse into) and a leaky classifier (Gemm +
    LeakyRelu(0.2)). Opset 14 for HardSwish."""
    g.opset = 14
    x = g.add_input("input", [1, 3, 20, 20])

    def leaky(y, alpha=0.1):
        return g.node("LeakyRelu", [y], "leaky", alpha=alpha)

    y = leaky(g.conv_bn(x, 3, 16, 3, relu=False))                     # 16x20x20
    y = g.node("MaxPool", [y], "maxpool", kernel_shape=[2, 2], strides=[2, 2])  # 10x10
    y = leaky(g.conv_bn(y, 16, 16, 3, group=16, relu=False), 0.2)   # depthwise
    y = leaky(g.conv_bn(y, 16, 32, 1, pads=[0, 0, 0, 0], relu=False))
    h = g.node("HardSwish", [g.conv(y, 32, 32, 3)], "hswish")
    s = g.node("GlobalAveragePool", [h], "gap")                       # 32x1x1
    s = g.relu(g.conv(s, 32, 8, 1, pads=[0, 0, 0, 0]))
    s = g.node("HardSigmoid", [g.conv(s, 8, 32, 1, pads=[0, 0, 0, 0])], "hsig")
    y = g.node("Mul", [h, s], "mul")
    slope = g.rng.uniform(-0.5, 0.5, (32, 1, 1)).astype(np.float32)
    y = g.node("PRelu", [y, g.const("slope", slope)], "prelu")          # per channel
    z = g.node("Sigmoid", [g.conv(y, 32, 32, 1, pads=[0, 0, 0, 0])], "sigmoid")
    y = leaky(g.node("Add", [y, z], "add"), 0.05)
    y = g.node("GlobalAveragePool", [y], "gap")
    y = g.node("Flatten", [y], "flatten", axis=1)
    y = g.node("LeakyRelu", [g.gemm(y, 32, 10, scale=3.0)], "leaky", alpha=0.2)
    return g.finish(y, "output", [1, 10]), []


def cbam_reductions(g):
    """Reductions as exported CNNs use them: a CBAM block (channel attention
    from ReduceMean over H, W and GlobalMaxPool through 1x1 convs and a
    Sigmoid; spatial attention from ReduceMax and ReduceMean over channels,
    concatenated, a 7x7 conv and a Sigmoid, broadcast over the channels by
    Mul), a ReduceMean(H, W, keepdims=0) head before Gemm (the Keras /
    tf2onnx global pool), and a second output reducing W by ReduceMin and
    channels by ReduceSum (axes as an input: opset 13)."""
    x = g.add_input("input", [1, 3, 16, 16])
    y = g.relu(g.conv(x, 3, 16, 3))                                   # 16x16x16

    def mlp(v):
        v = g.relu(g.conv(v, 16, 4, 1, pads=[0, 0, 0, 0]))
        return g.conv(v, 4, 16, 1, pads=[0, 0, 0, 0])

    avg = g.node("ReduceMean", [y], "reducemean", axes=[2, 3])        # 16x1x1
    mx = g.node("GlobalMaxPool", [y], "globalmaxpool")
    att = g.node("Sigmoid", [g.node("Add", [mlp(avg), mlp(mx)], "add")], "sigmoid")
    y = g.node("Mul", [y, att], "mul")
    cmax = g.node("ReduceMax", [y], "reducemax", axes=[1])            # 1x16x16
    cmean = g.node("ReduceMean", [y], "reducemean", axes=[-3])
    s = g.node("Concat", [cmax, cmean], "concat", axis=1)             # 2x16x16
    s = g.node("Sigmoid", [g.conv(s, 2, 1, 7)], "sigmoid")
    y = g.node("Mul", [y, s], "mul")
    head = g.node("ReduceMean", [y], "reducemean", axes=[2, 3], keepdims=0)  # 1x16
    g.finish(g.gemm(head, 16, 10), "output", [1, 10])
    w = g.node("ReduceMin", [y], "reducemin", axes=[3], keepdims=0)  # 1x16x16
    w = g.node("ReduceSum", [w, g.const("axes", np.array([1], np.int64))],
               "reducesum", keepdims=0)                              # 1x16
    return g.finish(w, "row_profile", [1, 16]), []


def shape_flatten(g):
    """PyTorch's `x.view(x.size(0), -1)` as its exporter writes it, which
    kiln folds at import (every shape is static): Shape -> Gather(0) ->
    Unsqueeze -> Concat with -1 -> Reshape, here on batch 2; a Gather of
    a constant table along axis 1 scales the features; Shape with start /
    end is opset 15's, so this model stays at 13 with plain Shape."""
    x = g.add_input("input", [2, 3, 8, 8])
    y = g.relu(g.conv(x, 3, 6, 3))                                    # 2x6x8x8
    y = g.node("MaxPool", [y], "maxpool", kernel_shape=[2, 2], strides=[2, 2])  # 2x6x4x4
    s = g.node("Shape", [y], "shape")
    n = g.node("Gather", [s, g.const("zero", np.array(0, np.int64))], "gather", axis=0)
    n = g.node("Unsqueeze", [n, g.const("axes", np.array([0], np.int64))], "unsqueeze")
    target = g.node("Concat", [n, g.const("minus_one", np.array([-1], np.int64))],
                    "concat", axis=0)
    y = g.node("Reshape", [y, target], "reshape")                     # 2x96
    table = g.rng.uniform(0.5, 1.5, (3, 96)).astype(np.float32)
    scale = g.node("Gather", [g.const("table", table), g.const("row", np.array([2], np.int64))],
                   "gather", axis=0)                                  # 1x96
    y = g.node("Mul", [y, scale], "mul")
    return g.finish(g.gemm(y, 96, 5), "output", [2, 5]), []


def resize_fpn(g):
    """Resize as segmentation and detection necks use it: an FPN top-down
    path (F.interpolate(scale_factor=2), exported as nearest, asymmetric,
    floor) added to a lateral 1x1 conv; a U-Net style bilinear upsampling
    (align_corners=True); one by sizes to a non-integer ratio (linear,
    pytorch_half_pixel, 6x8 -> 10x16), a nearest downsampling by sizes
    (half_pixel, round_prefer_ceil, 24x32 -> 10x16) and a cubic branch
    (bicubic by sizes, A = -0.5 with exclude_outside and align_corners up
    by 1.5, asymmetric down by sizes), concatenated."""
    x = g.add_input("input", [1, 3, 24, 32])

    def resize(y, mode, coord, scales=None, sizes=None, **attrs):
        ins = [y, "", g.const("scales", np.array(scales, np.float32)) if scales else ""]
        if sizes:
            ins.append(g.const("sizes", np.array(sizes, np.int64)))
        return g.node("Resize", ins, "resize", mode=mode,
                      coordinate_transformation_mode=coord, **attrs)

    c3 = g.relu(g.conv(x, 3, 8, 3, stride=2))                         # 8x12x16
    c4 = g.relu(g.conv(c3, 8, 16, 3, stride=2))                       # 16x6x8
    up = resize(g.conv(c4, 16, 8, 1, pads=[0, 0, 0, 0]), "nearest", "asymmetric",
                scales=[1, 1, 2, 2], nearest_mode="floor")            # 8x12x16
    p3 = g.node("Add", [g.conv(c3, 8, 8, 1, pads=[0, 0, 0, 0]), up], "add")
    u = resize(p3, "linear", "align_corners", scales=[1, 1, 2, 2])    # 8x24x32
    u = g.relu(g.conv(u, 8, 4, 3))                                    # 4x24x32
    v = resize(c4, "linear", "pytorch_half_pixel", sizes=[1, 16, 10, 16])
    w = resize(u, "nearest", "half_pixel", sizes=[1, 4, 10, 16],
               nearest_mode="round_prefer_ceil")
    c = resize(c3, "cubic", "half_pixel", sizes=[1, 8, 10, 16])       # bicubic
    c = resize(g.relu(g.conv(c, 8, 4, 1, pads=[0, 0, 0, 0])), "cubic",
               "align_corners", scales=[1, 1, 1.5, 1.5], cubic_coeff_a=-0.5,
               exclude_outside=1)                                     # 4x15x24
    c = resize(c, "cubic", "asymmetric", sizes=[1, 4, 10, 16])        # 4x10x16
    y = g.node("Concat", [g.conv(v, 16, 4, 1, pads=[0, 0, 0, 0]), w, c], "concat",
               axis=1)
    return g.finish(y, "output", [1, 12, 10, 16]), []


def unet_decoder(g):
    """A U-Net / FCN decoder: ConvTranspose 2x2 stride 2 (the up-conv)
    concatenated with the encoder's skip, a 3x3 ConvTranspose stride 2 with
    pads 1 and output_padding 1 (PyTorch's usual exact doubling) followed
    by a LeakyRelu (fused), and a grouped, dilated one with SAME_UPPER
    auto_pad."""
    x = g.add_input("input", [1, 3, 16, 16])
    e1 = g.relu(g.conv(x, 3, 8, 3))                                   # 8x16x16
    e2 = g.relu(g.conv(e1, 8, 16, 3, stride=2))                       # 16x8x8

    def up(y, cin, cout, k, **attrs):
        group = attrs.get("group", 1)
        w = g.rng.normal(0.0, np.sqrt(1.0 / (cin * k)), (cin, cout // group, k, k))
        b = g.rng.uniform(-0.1, 0.1, cout).astype(np.float32)
        return g.node("ConvTranspose", [y, g.const("W", w.astype(np.float32)),
                                        g.const("B", b)], "convtranspose",
                      kernel_shape=[k, k], **attrs)

    u = g.relu(up(e2, 16, 8, 2, strides=[2, 2]))                      # 8x16x16
    y = g.node("Concat", [u, e1], "concat", axis=1)                   # 16x16x16
    y = g.relu(g.conv(y, 16, 8, 3, stride=2))                         # 8x8x8
    y = g.node("LeakyRelu", [up(y, 8, 8, 3, strides=[2, 2], pads=[1, 1, 1, 1],
                                output_padding=[1, 1])], "leaky", alpha=0.1)  # 8x16x16
    y = up(y, 8, 4, 3, strides=[2, 2], dilations=[2, 2], group=2,
           auto_pad="SAME_UPPER")                                     # 4x32x32
    return g.finish(y, "output", [1, 4, 32, 32]), []


def shufflenet_split(g):
    """ShuffleNetV2's unit (opset 19): the channels Split in two halves
    (`split` input), one half through 1x1 -> depthwise 3x3 -> 1x1, Concat
    with the other, channel shuffle; then a Split by num_outputs into
    uneven parts (6, 6, 4), Slices of two of them (spatial crops, a step 2,
    channels and columns read backwards, INT64 max / min as "to the end")
    added together, and PyTorch's flatten through Shape -> Slice -> Concat
    -> Reshape (folded at import). The third part is a second output."""
    g.opset = 19
    big = np.iinfo(np.int64).max

    def ints(base, values):
        return g.const(base, np.array(values, np.int64))

    x = g.add_input("input", [1, 16, 12, 12])
    y = g.relu(g.conv(x, 16, 16, 3))                                  # 16x12x12
    a, b = g.node("Split", [y, ints("split", [8, 8])], "split", num_outputs=2,
                  axis=1)
    b = g.conv_bn(b, 8, 8, 1, pads=[0, 0, 0, 0])
    b = g.conv_bn(b, 8, 8, 3, group=8, relu=False)
    b = g.conv_bn(b, 8, 8, 1, pads=[0, 0, 0, 0])
    y = g.node("Concat", [a, b], "concat", axis=1)
    y = g.node("Reshape", [y, ints("shape", [1, 2, 8, 12, 12])], "reshape")
    y = g.node("Transpose", [y], "transpose", perm=[0, 2, 1, 3, 4])
    y = g.node("Reshape", [y, ints("shape", [1, 16, 12, 12])], "reshape")
    p, q, r = g.node("Split", [y], "split", num_outputs=3, axis=-3)  # 6, 6, 4
    # (node()'s num_outputs names the outputs; ONNX's attribute is separate.)
    g.nodes[-1].attribute.append(helper.make_attribute("num_outputs", 3))
    p = g.node("Slice", [p, ints("starts", [1, 0]), ints("ends", [-1, big]),
                         ints("axes", [2, 3]), ints("steps", [1, 2])], "slice")  # 6x10x6
    q = g.node("Slice", [q, ints("starts", [-1, 10, -2]),
                         ints("ends", [-big, 0, -big]), ints("axes", [1, -2, 3]),
                         ints("steps", [-1, -1, -2])], "slice")       # 6x10x6
    z = g.relu(g.conv(g.node("Add", [p, q], "add"), 6, 8, 1, pads=[0, 0, 0, 0]))
    n = g.node("Slice", [g.node("Shape", [z], "shape"), ints("starts", [0]),
                         ints("ends", [2])], "slice")                 # [1, 8]
    flat = g.node("Reshape", [z, g.node("Concat", [n, ints("minus_one", [-1])],
                                        "concat", axis=0)], "reshape")
    g.finish(flat, "output", [1, 8, 60])
    return g.finish(r, "part", [1, 4, 12, 12]), []


def swish_mish(g):
    """The smooth activations of EfficientNet and YOLOv4-style backbones
    (opset 19): SiLU as exporters write it (x * Sigmoid(x)) after a
    conv-BN stem, in an MBConv block with squeeze-excite (SiLU inside the
    SE branch, a Sigmoid gate) and in one without (an inverted residual
    block with SiLU stages), Mish, Elu(0.5), Selu and Tanh after convs,
    Softplus after an Add, and a SiLU Gemm head."""
    g.opset = 19

    def silu(y):
        return g.node("Mul", [y, g.node("Sigmoid", [y], "sigmoid")], "mul")

    x = g.add_input("input", [1, 3, 16, 16])
    y = silu(g.conv_bn(x, 3, 16, 3, stride=2, relu=False))            # 16x8x8
    # MBConv with squeeze-excite.
    e = silu(g.conv_bn(y, 16, 64, 1, pads=[0, 0, 0, 0], relu=False))
    e = silu(g.conv_bn(e, 64, 64, 3, group=64, relu=False))
    s = g.node("GlobalAveragePool", [e], "gap")
    s = silu(g.conv(s, 64, 4, 1, pads=[0, 0, 0, 0]))
    s = g.node("Sigmoid", [g.conv(s, 4, 64, 1, pads=[0, 0, 0, 0])], "sigmoid")
    e = g.node("Mul", [e, s], "mul")
    y = g.node("Add", [g.conv_bn(e, 64, 16, 1, pads=[0, 0, 0, 0], relu=False), y], "add")
    # MBConv without: one inverted residual kernel.
    e = silu(g.conv_bn(y, 16, 64, 1, pads=[0, 0, 0, 0], relu=False))
    e = silu(g.conv_bn(e, 64, 64, 3, group=64, relu=False))
    y = g.node("Add", [g.conv_bn(e, 64, 16, 1, pads=[0, 0, 0, 0], relu=False), y], "add")
    y = g.node("Mish", [g.conv_bn(y, 16, 16, 3, relu=False)], "mish")
    a = g.node("Elu", [g.conv(y, 16, 8, 3)], "elu", alpha=0.5)
    b = g.node("Selu", [g.conv(y, 16, 8, 1, pads=[0, 0, 0, 0])], "selu")
    c = g.node("Tanh", [g.conv(y, 16, 8, 3)], "tanh")
    d = g.node("Softplus", [g.node("Add", [a, b], "add")], "softplus")
    out = g.node("Concat", [c, d], "concat", axis=1)                  # 16x8x8
    g.finish(out, "output", [1, 16, 8, 8])
    h = g.node("Flatten", [g.node("GlobalAveragePool", [y], "gap")], "flatten")
    return g.finish(silu(g.gemm(h, 16, 10)), "logits", [1, 10]), []


def pixel_shuffle(g):
    """DepthToSpace and SpaceToDepth: ESPCN's sub-pixel upsampling (a conv
    to 4 x 4 channels, DepthToSpace DCR by 2), YOLOv2's reorg (SpaceToDepth
    by 2 of a 16x16 map, concatenated with the 8x8 path) and a CRD-mode
    DepthToSpace by 2 at the end."""
    x = g.add_input("input", [1, 3, 8, 8])
    f = g.relu(g.conv(x, 3, 16, 3))                                   # 16x8x8
    up = g.node("DepthToSpace", [g.conv(f, 16, 16, 3)], "d2s", blocksize=2)  # 4x16x16
    r = g.node("SpaceToDepth", [g.relu(g.conv(up, 4, 4, 3))], "s2d", blocksize=2)  # 16x8x8
    y = g.node("Concat", [f, r], "concat", axis=1)                    # 32x8x8
    y = g.conv(y, 32, 12, 1, pads=[0, 0, 0, 0])
    y = g.node("DepthToSpace", [y], "d2s", blocksize=2, mode="CRD")   # 3x16x16
    return g.finish(y, "output", [1, 3, 16, 16]), []


def gather_transform_input(g):
    """Gather of a computed tensor by constant indices: torchvision
    Inception-v3's transform_input (x[:, c] per channel, Unsqueeze, scale
    and shift, Concat) after an RGB -> BGR swap (Gather [2, 1, 0]), and a
    Gather of feature columns [0, 2, -3, 1] before the head."""
    x = g.add_input("input", [1, 3, 12, 12])
    x = g.node("Gather", [x, g.const("bgr", np.array([2, 1, 0], np.int64))], "gather",
               axis=1)
    chans = []
    for c, (scale, shift) in enumerate([(0.458, -0.03), (0.448, -0.088), (0.45, -0.188)]):
        xc = g.node("Gather", [x, g.const("c", np.array(c, np.int64))], "gather", axis=1)
        xc = g.node("Unsqueeze", [xc, g.const("axes", np.array([1], np.int64))], "unsqueeze")
        xc = g.node("Mul", [xc, g.const("scale", np.array(scale, np.float32))], "mul")
        chans.append(g.node("Add", [xc, g.const("shift", np.array(shift, np.float32))], "add"))
    y = g.node("Concat", chans, "concat", axis=1)
    y = g.relu(g.conv(y, 3, 8, 3, stride=2))                          # 8x6x6
    y = g.node("Gather", [y, g.const("cols", np.array([0, 2, -3, 1], np.int64))],
               "gather", axis=-1)                                     # 8x6x4
    return g.finish(g.conv(y, 8, 4, 1, pads=[0, 0, 0, 0]), "output", [1, 4, 6, 4]), []


def dynamic_batch(g):
    """A classifier exported with a dynamic batch (input "batch" x 3 x 10 x
    10, logits "batch" x 10, as torch.onnx's dynamic_axes writes it),
    compiled for batch 3 with --input-shape (meta.json kiln_flags)."""
    x = g.add_input("image", [3, 3, 10, 10], declared=["batch", 3, 10, 10])
    g.kiln_flags = ["--input-shape=image=3x3x10x10"]
    y = g.conv_bn(x, 3, 8, 3, stride=2)                               # 8x5x5
    y = g.node("Flatten", [g.node("GlobalAveragePool", [y], "gap")], "flatten")
    return g.finish(g.gemm(y, 8, 10), "logits", ["batch", 10]), [0]


GOOD_MODELS = {f.__name__: f for f in (
    conv_bn_relu_pool_gemm_softmax, dw_pw_s1, dw_pw_s2, dw_pw_large,
    residual_identity,
    residual_projection, inception_block, inception_blocked, winograd_5x5,
    relu6_clip, batch2, non_square,
    matmul_add_head, external_data, multi_io, democnn, pads, pad_modes,
    shuffle_squeeze, sub_div, activation_epilogues, cbam_reductions,
    shape_flatten, resize_fpn, unet_decoder, shufflenet_split, swish_mish,
    pixel_shuffle, gather_transform_input, dynamic_batch)}


def seed_of(name):
    return zlib.crc32(name.encode())


def run_onnxruntime(model_path, inputs):
    import onnxruntime as ort
    so = ort.SessionOptions()
    # Reference semantics, not ORT's fused approximations.
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    sess = ort.InferenceSession(model_path, so, providers=["CPUExecutionProvider"])
    feed = {i.name: inputs[k] for k, i in enumerate(sess.get_inputs())}
    return sess.run(None, feed)


def write_good_model(outdir, name):
    g = GraphBuilder(name, seed_of(name))
    model, classifier_outputs = GOOD_MODELS[name](g)
    onnx.checker.check_model(model, full_check=True)
    mdir = os.path.join(outdir, name)
    shutil.rmtree(mdir, ignore_errors=True)
    os.makedirs(mdir)
    path = os.path.join(mdir, "model.onnx")
    if name == "external_data":
        onnx.save(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                  location="weights.bin", size_threshold=0)
        onnx.checker.check_model(path, full_check=True)
    else:
        onnx.save(model, path)

    in_rng = np.random.default_rng(seed_of(name) + 1)
    inputs = []
    for k, vi in enumerate(model.graph.input):
        arr = in_rng.uniform(-1.0, 1.0, g.input_shapes[k]).astype(np.float32)
        np.save(os.path.join(mdir, f"input_{k}.npy"), arr)
        inputs.append(arr)
    outputs = run_onnxruntime(path, inputs)
    for k, arr in enumerate(outputs):
        np.save(os.path.join(mdir, f"expected_{k}.npy"), np.asarray(arr, np.float32))

    meta = {
        "name": name,
        "opset": g.opset,
        "inputs": [{"name": vi.name, "shape": list(inputs[k].shape)}
                   for k, vi in enumerate(model.graph.input)],
        "outputs": [{"name": vo.name, "shape": list(outputs[k].shape)}
                    for k, vo in enumerate(model.graph.output)],
        "classifier_outputs": classifier_outputs,
        "ops": sorted({n.op_type for n in model.graph.node}),
    }
    if g.kiln_flags:
        meta["kiln_flags"] = g.kiln_flags
    with open(os.path.join(mdir, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    return meta


# --- bad models ------------------------------------------------------------- #


def _small_conv_graph(name, conv_attrs=None, w_shape=(4, 3, 3, 3), node_name="conv_node"):
    rng = np.random.default_rng(seed_of(name))
    w = numpy_helper.from_array(rng.normal(0, 0.3, w_shape).astype(np.float32), "W")
    attrs = dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    attrs.update(conv_attrs or {})
    node = helper.make_node("Conv", ["input", "W"], ["output"], name=node_name, **attrs)
    graph = helper.make_graph(
        [node], name, [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, None)], [w])
    model = helper.make_model(graph, producer_name="kiln-testnets",
                              opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = IR_VERSION
    return model


def write_bad_models(outdir, democnn_meta):
    bdir = os.path.join(outdir, "bad")
    shutil.rmtree(bdir, ignore_errors=True)
    os.makedirs(bdir)
    expected = {}

    data = _small_conv_graph("truncated").SerializeToString()
    with open(os.path.join(bdir, "truncated.onnx"), "wb") as f:
        f.write(data[: len(data) // 2])
    expected["truncated"] = ["truncated.onnx"]

    with open(os.path.join(bdir, "not_onnx.onnx"), "w") as f:
        f.write("This is a text file, not an ONNX protobuf.\n" * 4)
    expected["not_onnx"] = ["not_onnx.onnx"]

    m = _small_conv_graph("unsupported_op")
    m.graph.node.append(helper.make_node("Erf", ["output"], ["erf_out"], name="my_erf_node"))
    m.graph.output[0].name = "erf_out"
    onnx.save(m, os.path.join(bdir, "unsupported_op.onnx"))
    expected["unsupported_op"] = ["Erf", "my_erf_node"]

    # Weight expects 5 input channels, the input has 3.
    m = _small_conv_graph("conv_channel_mismatch", w_shape=(4, 5, 3, 3),
                          node_name="mismatch_conv")
    onnx.save(m, os.path.join(bdir, "conv_channel_mismatch.onnx"))
    expected["conv_channel_mismatch"] = ["mismatch_conv", "channel"]

    # Initializer whose external data points outside the model folder. The
    # target file exists and has the right size, so only the escape is wrong.
    m = _small_conv_graph("external_escape")
    w = m.graph.initializer[0]
    raw = numpy_helper.to_array(w).astype(np.float32).tobytes()
    with open(os.path.join(outdir, "x.bin"), "wb") as f:
        f.write(raw)
    w.ClearField("float_data")
    w.ClearField("raw_data")
    w.data_location = TensorProto.EXTERNAL
    for k, v in (("location", "../x.bin"), ("offset", "0"), ("length", str(len(raw)))):
        e = w.external_data.add()
        e.key, e.value = k, v
    with open(os.path.join(bdir, "external_escape.onnx"), "wb") as f:
        f.write(m.SerializeToString())
    expected["external_escape"] = ["../x.bin"]

    m = _small_conv_graph("zero_stride", conv_attrs=dict(strides=[0, 1]),
                          node_name="zero_stride_conv")
    onnx.save(m, os.path.join(bdir, "zero_stride.onnx"))
    expected["zero_stride"] = ["zero_stride_conv", "stride"]

    # Runtime case: democnn fed an input of the wrong shape (and byte size).
    good = democnn_meta["inputs"][0]["shape"]
    wrong = list(good[:-2]) + [good[-2] // 2, good[-1] // 2]
    np.save(os.path.join(bdir, "wrong_shape_input.npy"),
            np.zeros(wrong, np.float32))

    spec = {
        "match": "every substring must occur in stderr, compared case-insensitively",
        "compile_errors": expected,
        "runtime_errors": {
            "wrong_shape_input": {"model": "democnn", "input": "wrong_shape_input.npy",
                                  "expect_any": ["shape", "size"]},
        },
    }
    with open(os.path.join(bdir, "expected_errors.json"), "w") as f:
        json.dump(spec, f, indent=1)
    with open(os.path.join(bdir, "README.md"), "w") as f:
        f.write("Malformed models for `kiln compile` error tests; generated by "
                "models/testnets/make_models.py.\nExpected stderr substrings "
                "(case-insensitive) are in expected_errors.json.\n")


# --- verification ------------------------------------------------------------ #


def verify(outdir):
    failures = 0
    for name in GOOD_MODELS:
        mdir = os.path.join(outdir, name)
        path = os.path.join(mdir, "model.onnx")
        onnx.checker.check_model(path, full_check=True)
        with open(os.path.join(mdir, "meta.json")) as f:
            meta = json.load(f)
        inputs = [np.load(os.path.join(mdir, f"input_{k}.npy"))
                  for k in range(len(meta["inputs"]))]
        got = run_onnxruntime(path, inputs)
        for k, arr in enumerate(got):
            want = np.load(os.path.join(mdir, f"expected_{k}.npy"))
            ok = arr.shape == want.shape and np.allclose(arr, want, rtol=1e-5, atol=1e-6)
            failures += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {name} output {k} {list(want.shape)} "
                  f"range [{want.min():.4g}, {want.max():.4g}]")
    bdir = os.path.join(outdir, "bad")
    with open(os.path.join(bdir, "expected_errors.json")) as f:
        spec = json.load(f)
    for bad in spec["compile_errors"]:
        if not os.path.exists(os.path.join(bdir, bad + ".onnx")):
            print(f"FAIL missing bad model {bad}")
            failures += 1
    return failures == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--outdir", help="generate all models into this folder")
    ap.add_argument("--verify", metavar="DIR", help="re-check generated models")
    ap.add_argument("--list", action="store_true", help="print good model names")
    args = ap.parse_args()
    if args.list:
        print("\n".join(GOOD_MODELS))
        return 0
    if args.verify:
        return 0 if verify(args.verify) else 1
    if not args.outdir:
        ap.error("one of --outdir, --verify, --list is required")
    os.makedirs(args.outdir, exist_ok=True)
    metas = {}
    for name in GOOD_MODELS:
        metas[name] = write_good_model(args.outdir, name)
        m = metas[name]
        print(f"{name}: in {[i['shape'] for i in m['inputs']]} "
              f"out {[o['shape'] for o in m['outputs']]}")
    write_bad_models(args.outdir, metas["democnn"])
    print(f"wrote {len(metas)} models and bad/ into {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
