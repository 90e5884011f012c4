# ===- zoo_graph.py - ONNX graph builder with an eager NumPy forward pass --=== #
#
# ZooGraph appends opset-13 ONNX nodes and, at the same time, evaluates every
# node in NumPy on a calibration batch (seeded noise
# and a natural photo, neither of them a test input). The values are used only to pick
# seeded weights that keep activations O(1) through 50+ layers:
#   * each randomly initialized conv is He-initialized, then rescaled so its
#     output on the calibration input has unit standard deviation (LSUV);
#   * each batch norm gets NON-trivial statistics: running_mean = the channel's
#     calibration mean + N(0, 0.25^2) noise, running_var ~ U[0.5, 2],
#     gamma ~ U[0.75, 1.25], beta ~ U[-0.2, 0.2], so a wrong fold cannot hide;
#   * the classifier is rescaled so the calibration logits have std <= 2.
# Pretrained weights (EfficientNet-Lite0) are passed in and used unchanged.
# The reference outputs are computed by onnxruntime, never by this NumPy code.
#
# ===----------------------------------------------------------------------=== #

import math

import numpy as np
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
IR_VERSION = 8  # goes with opset 13; what the test nets use too


def _window_out(size, k, s, pad_lo, pad_hi, ceil_mode):
    span = size + pad_lo + pad_hi - k
    out = (-(-span // s) if ceil_mode else span // s) + 1
    if ceil_mode and (out - 1) * s >= size + pad_lo:
        out -= 1  # the last window must start inside the input or left pad
    return out


def _windows(x, kh, kw, sh, sw, oh, ow):
    """x (C, H, W) padded -> strided view (C, oh, ow, kh, kw)."""
    v = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(1, 2))
    return v[:, ::sh, ::sw][:, :oh, :ow]


class ZooGraph:
    """One float32 graph; every value also has a NumPy calibration value."""

    def __init__(self, name, seed):
        self.name = name
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits, self.inputs, self.outputs = [], [], [], []
        self.values = {}
        self.counter = 0

    # --- plumbing ----------------------------------------------------------- #

    def fresh(self, base):
        self.counter += 1
        return f"{base}_{self.counter}"

    def input(self, name, calib):
        """calib: calibration batch (N, C, H, W); the graph input has batch 1."""
        shape = [1] + list(calib.shape[1:])
        self.inputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, shape))
        self.values[name] = calib.astype(np.float32)
        return name

    def const(self, base, array):
        name = self.fresh(base)
        self.inits.append(numpy_helper.from_array(np.array(array, order="C"), name))
        return name

    def emit(self, op, inputs, value, base, **attrs):
        name = self.fresh(base)
        out = f"{name}_out"
        self.nodes.append(helper.make_node(op, inputs, [out], name=name, **attrs))
        self.values[out] = value.astype(np.float32)
        return out

    def shape(self, x):
        return self.values[x].shape

    # --- layers ------------------------------------------------------------- #

    def conv(self, x, cout, k, stride=1, pads=None, group=1, weight=None, bias=None,
             base="conv"):
        """Conv, NCHW. pads = [top, left, bottom, right] (ONNX order)."""
        v = self.values[x]
        cin, h, w = v.shape[1:]
        kh, kw = (k, k) if isinstance(k, int) else k
        pads = [kh // 2, kw // 2, kh // 2, kw // 2] if pads is None else list(pads)
        oh = _window_out(h, kh, stride, pads[0], pads[2], False)
        ow = _window_out(w, kw, stride, pads[1], pads[3], False)
        xp = np.pad(v, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
        random_init = weight is None
        if random_init:
            fan_in = (cin // group) * kh * kw
            weight = self.rng.normal(0.0, math.sqrt(2.0 / fan_in),
                                     (cout, cin // group, kh, kw)).astype(np.float32)
        y = np.stack([self._conv_np(xb, weight, stride, oh, ow, group) for xb in xp])
        if random_init:
            # LSUV: unit output std on the calibration input.
            scale = 1.0 / max(float(y.std()), 1e-6)
            weight = (weight * scale).astype(np.float32)
            y = y * scale
        ins = [x, self.const("W", weight)]
        if bias is not None:
            ins.append(self.const("B", bias))
            y = y + bias[:, None, None]
        return self.emit("Conv", ins, y, base, kernel_shape=[kh, kw],
                         strides=[stride, stride], pads=pads, group=group)

    @staticmethod
    def _conv_np(xp, weight, s, oh, ow, group):
        cout, cin_g, kh, kw = weight.shape
        win = _windows(xp, kh, kw, s, s, oh, ow)  # (C, oh, ow, kh, kw)
        if group == 1:
            cols = win.transpose(1, 2, 0, 3, 4).reshape(oh * ow, -1)
            return (cols @ weight.reshape(cout, -1).T).T.reshape(cout, oh, ow)
        if cin_g == 1 and cout == xp.shape[0]:  # depthwise
            return np.einsum("chwij,cij->chw", win, weight[:, 0], optimize=True)
        raise NotImplementedError("grouped conv other than depthwise")

    def bn(self, x, epsilon=1e-5, params=None, base="bn"):
        """BatchNormalization; params = (gamma, beta, mean, var) or seeded."""
        v = self.values[x]
        c = v.shape[1]
        if params is None:
            r = self.rng
            gamma = r.uniform(0.75, 1.25, c)
            beta = r.uniform(-0.2, 0.2, c)
            mean = v.transpose(1, 0, 2, 3).reshape(c, -1).mean(axis=1) + r.normal(0.0, 0.25, c)
            var = r.uniform(0.5, 2.0, c)
            params = [np.asarray(a, np.float32) for a in (gamma, beta, mean, var)]
        gamma, beta, mean, var = params
        y = (v - mean[:, None, None]) / np.sqrt(var[:, None, None] + epsilon)
        y = y * gamma[:, None, None] + beta[:, None, None]
        ins = [x] + [self.const(n, a) for n, a in
                     zip(("gamma", "beta", "mean", "var"), params)]
        return self.emit("BatchNormalization", ins, y, base, epsilon=epsilon)

    def relu(self, x):
        return self.emit("Relu", [x], np.maximum(self.values[x], 0), "relu")

    def relu6(self, x):
        """ReLU6 as exported by PyTorch at opset >= 11: Clip(x, 0, 6)."""
        lo = self.const("clip_min", np.array(0.0, np.float32))
        hi = self.const("clip_max", np.array(6.0, np.float32))
        return self.emit("Clip", [x, lo, hi], np.clip(self.values[x], 0, 6), "relu6")

    def add(self, a, b):
        return self.emit("Add", [a, b], self.values[a] + self.values[b], "add")

    def concat(self, xs, axis=1):
        return self.emit("Concat", xs, np.concatenate([self.values[x] for x in xs], axis),
                         "concat", axis=axis)

    def maxpool(self, x, k, stride, pad=0, ceil_mode=0):
        v = self.values[x]
        h, w = v.shape[2:]
        oh = _window_out(h, k, stride, pad, pad, ceil_mode)
        ow = _window_out(w, k, stride, pad, pad, ceil_mode)
        # Right/bottom padding large enough for ceil-mode windows.
        ph = max((oh - 1) * stride + k - h - pad, pad)
        pw = max((ow - 1) * stride + k - w - pad, pad)
        xp = np.pad(v, ((0, 0), (0, 0), (pad, ph), (pad, pw)), constant_values=-np.inf)
        y = np.stack([_windows(xb, k, k, stride, stride, oh, ow).max(axis=(3, 4))
                      for xb in xp])
        attrs = dict(kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4)
        if ceil_mode:
            attrs["ceil_mode"] = 1
        return self.emit("MaxPool", [x], y, "maxpool", **attrs)

    def split(self, x, parts, axis=1):
        """Split into `parts` (sizes along `axis`), the sizes an input as
        torch.onnx exports chunk() at opset 13."""
        v = self.values[x]
        name = self.fresh("split")
        outs = [f"{name}_out{i}" for i in range(len(parts))]
        sizes = self.const("split_sizes", np.array(parts, np.int64))
        self.nodes.append(helper.make_node("Split", [x, sizes], outs, name=name,
                                           axis=axis))
        for out, part in zip(outs, np.split(v, np.cumsum(parts)[:-1], axis=axis)):
            self.values[out] = part.astype(np.float32)
        return outs

    def reshape(self, x, shape):
        v = self.values[x]
        target = self.const("shape", np.array(shape, np.int64))
        return self.emit("Reshape", [x, target], v.reshape([v.shape[0]] + list(shape[1:])),
                         "reshape")

    def transpose(self, x, perm):
        return self.emit("Transpose", [x], self.values[x].transpose(perm), "transpose",
                         perm=list(perm))

    def reduce_mean_hw(self, x):
        """x.mean([2, 3]) as torch.onnx exports it: ReduceMean, keepdims 0."""
        return self.emit("ReduceMean", [x], self.values[x].mean(axis=(2, 3)), "mean",
                         axes=[2, 3], keepdims=0)

    def global_avg_pool(self, x):
        return self.emit("GlobalAveragePool", [x],
                         self.values[x].mean(axis=(2, 3), keepdims=True), "gap")

    def flatten(self, x):
        v = self.values[x]
        return self.emit("Flatten", [x], v.reshape(v.shape[0], -1), "flatten", axis=1)

    def dropout(self, x, ratio):
        """Inference Dropout (identity), as torch.onnx exports nn.Dropout."""
        r = self.const("dropout_ratio", np.array(ratio, np.float32))
        return self.emit("Dropout", [x, r], self.values[x], "dropout")

    def gemm(self, x, n, weight=None, bias=None, logit_std=2.0):
        v = self.values[x]
        k = v.shape[1]
        if weight is None:
            weight = self.rng.normal(0.0, math.sqrt(1.0 / k), (n, k)).astype(np.float32)
            bias = self.rng.uniform(-0.1, 0.1, n).astype(np.float32)
            # The calibration sample with the widest logits gets std logit_std.
            spread = max(float((v @ weight.T)[i].std()) for i in range(v.shape[0]))
            weight = (weight * (logit_std / max(spread, 1e-6))).astype(np.float32)
        y = v @ weight.T + bias
        return self.emit("Gemm", [x, self.const("fcW", weight), self.const("fcB", bias)],
                         y, "gemm", transB=1)

    # --- composites --------------------------------------------------------- #

    def conv_bn(self, x, cout, k, stride=1, pads=None, group=1, act="relu", epsilon=1e-5):
        y = self.bn(self.conv(x, cout, k, stride, pads, group), epsilon)
        if act == "relu":
            return self.relu(y)
        if act == "relu6":
            return self.relu6(y)
        return y

    def finish(self, final, out_name, producer="kiln-zoo"):
        """Renames `final` to `out_name`, declares it the output, returns the model."""
        for n in self.nodes:
            for seq in (n.output, n.input):
                for i, o in enumerate(seq):
                    if o == final:
                        seq[i] = out_name
        self.values[out_name] = self.values[final]
        self.outputs.append(helper.make_tensor_value_info(
            out_name, TensorProto.FLOAT, [1] + list(self.values[final].shape[1:])))
        graph = helper.make_graph(self.nodes, self.name, self.inputs, self.outputs,
                                  self.inits)
        model = helper.make_model(graph, producer_name=producer,
                                  opset_imports=[helper.make_opsetid("", OPSET)])
        model.ir_version = IR_VERSION
        return model

    def param_count(self):
        """Learned parameters, counted like torchvision (BN running stats,
        the Clip/Dropout scalars and the int64 shape operands excluded)."""
        return int(sum(np.prod(t.dims) for t in self.inits
                       if t.data_type == TensorProto.FLOAT and not t.name.startswith(
                           ("clip_", "dropout_", "mean_", "var_"))))
