//===- Common.cpp - Helpers shared by the kernel algorithms ---------------===//

#include "compiler/halide/algorithms/Algorithms.h"
#include "compiler/kernels/ActivationLayout.h"

#include <algorithm>

namespace kiln {

using namespace Halide;

void specFail(const std::string &message) { throw SpecError(message); }

std::vector<int64_t> halideOrder(const std::vector<int64_t> &onnxShape) {
  return std::vector<int64_t>(onnxShape.rbegin(), onnxShape.rend());
}

std::string shapeText(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

KernelFuncs makeOutputFuncs(const KernelSpec &spec) {
  KernelFuncs f;
  f.output = Func("out");
  // A channel-blocked output (Conv2D) is 5-D: (j, x, y, c / 16, n).
  f.extents = halideOrder(spec.blockedOutput
                              ? blockedActivationShape(spec.outputShape)
                              : spec.outputShape);
  for (size_t i = 0; i < f.extents.size(); ++i)
    f.vars.push_back(Var("d" + std::to_string(i)));
  return f;
}

/// log(1 + exp(v)) without overflow: exp of a large v would be inf.
static Expr softplus(Expr v) {
  return max(v, 0.0f) + log(1.0f + exp(-abs(v)));
}

Expr applyActivation(const KernelSpec &spec, Expr v) {
  switch (spec.activation) {
  case Activation::None:
    return v;
  case Activation::Relu:
    return max(v, 0.0f);
  case Activation::Clip:
    if (!(spec.clipMin <= spec.clipMax))
      specFail("clip activation needs clipMin <= clipMax, got " +
               std::to_string(spec.clipMin) + " > " +
               std::to_string(spec.clipMax));
    return min(max(v, spec.clipMin), spec.clipMax);
  case Activation::Sigmoid:
    return 1.0f / (1.0f + exp(-v));
  case Activation::HardSigmoid:
    return clamp(spec.actAlpha * v + spec.actBeta, 0.0f, 1.0f);
  case Activation::HardSwish:
    return v * clamp(v * (1.0f / 6.0f) + 0.5f, 0.0f, 1.0f);
  case Activation::LeakyRelu:
    return select(v < 0.0f, v * spec.actAlpha, v);
  case Activation::Silu:
    return v / (1.0f + exp(-v));
  case Activation::Tanh:
    return tanh(v);
  case Activation::Softplus:
    return softplus(v);
  case Activation::Mish:
    return v * tanh(softplus(v));
  case Activation::Elu:
    return select(v < 0.0f, spec.actAlpha * (exp(v) - 1.0f), v);
  case Activation::Selu:
    return spec.actBeta * select(v <= 0.0f, spec.actAlpha * (exp(v) - 1.0f), v);
  }
  specFail("unknown activation");
}

Expr applyStageActivation(Activation act, float param0, float param1,
                          Expr v) {
  KernelSpec stage;
  stage.activation = act;
  stage.clipMin = stage.actAlpha = param0;
  stage.clipMax = stage.actBeta = param1;
  return applyActivation(stage, v);
}

const std::vector<int64_t> &requireRank(const KernelSpec &spec, size_t index,
                                        size_t rank, const char *role) {
  const std::vector<int64_t> &shape = spec.inputShapes.at(index);
  if (shape.size() != rank)
    specFail("input " + std::to_string(index) + " (" + role + ") must have " +
             std::to_string(rank) + " dims, got " + shapeText(shape));
  return shape;
}

void requireVector(const KernelSpec &spec, size_t index, int64_t extent,
                   const char *role) {
  if (requireRank(spec, index, 1, role)[0] != extent)
    specFail(std::string(role) + " must be [" + std::to_string(extent) + "]");
}

int requireResidual(const KernelSpec &spec, size_t index) {
  if (!spec.hasResidual)
    return -1;
  if (requireRank(spec, index, spec.outputShape.size(), "residual") !=
      spec.outputShape)
    specFail("residual must have the output shape " +
             shapeText(spec.outputShape));
  return (int)index;
}

EpilogueInputs requireEpilogueInputs(const KernelSpec &spec, size_t first,
                                     int64_t M) {
  EpilogueInputs e;
  size_t next = first;
  if (spec.hasBias) {
    e.bias = (int)next;
    requireVector(spec, next++, M, "bias");
  }
  e.residual = requireResidual(spec, next);
  return e;
}

void requireOutputShape(const KernelSpec &spec,
                        const std::vector<int64_t> &expected) {
  if (spec.outputShape != expected)
    specFail("output shape " + shapeText(spec.outputShape) +
             " does not match the computed " + shapeText(expected));
}

int64_t requireChannelwise(const KernelSpec &spec) {
  const auto &xs = spec.inputShapes[0];
  if (xs.size() < 2)
    specFail("input 0 (x) needs a channel dim (rank >= 2), got " +
             shapeText(xs));
  requireOutputShape(spec, xs);
  return xs[1];
}

int64_t Window2D::outExtent(int64_t in, int64_t k, int64_t s, int64_t d,
                            int64_t padBegin, int64_t padEnd, bool ceilMode) {
  int64_t span = in + padBegin + padEnd - d * (k - 1) - 1;
  if (span < 0)
    return 0;
  int64_t out = (ceilMode ? (span + s - 1) / s : span / s) + 1;
  // ONNX ceil mode drops a last window that would start in the end padding.
  if (ceilMode && (out - 1) * s >= in + padBegin)
    --out;
  return out;
}

Window2D readWindow(const KernelSpec &spec, int64_t kh, int64_t kw) {
  if (spec.kernel.size() != 2 || spec.strides.size() != 2 ||
      spec.dilations.size() != 2 || spec.pads.size() != 4)
    specFail("window attributes need kernel[2], strides[2], dilations[2], "
             "pads[4]");
  if (spec.kernel[0] != kh || spec.kernel[1] != kw)
    specFail("kernel " + shapeText(spec.kernel) + " does not match " +
             shapeText({kh, kw}));
  Window2D w{kh,
             kw,
             spec.strides[0],
             spec.strides[1],
             spec.dilations[0],
             spec.dilations[1],
             spec.pads[0],
             spec.pads[1],
             spec.pads[2],
             spec.pads[3]};
  if (kh < 1 || kw < 1 || w.sh < 1 || w.sw < 1 || w.dh < 1 || w.dw < 1)
    specFail("kernel, strides and dilations must be positive");
  if (w.padTop < 0 || w.padLeft < 0 || w.padBottom < 0 || w.padRight < 0)
    specFail("pads must be non-negative, got " + shapeText(spec.pads));
  return w;
}

std::pair<int64_t, int64_t> convOutputExtents(const Window2D &win,
                                              const std::vector<int64_t> &xs) {
  int64_t OH = Window2D::outExtent(xs[2], win.kh, win.sh, win.dh, win.padTop,
                                   win.padBottom, false);
  int64_t OW = Window2D::outExtent(xs[3], win.kw, win.sw, win.dw, win.padLeft,
                                   win.padRight, false);
  if (OH < 1 || OW < 1)
    specFail("window larger than the padded input " + shapeText(xs));
  return {OH, OW};
}

Func padSpatial(const ImageParam &in, int64_t width, int64_t height, Expr value,
                const std::string &name) {
  Var x("x"), y("y"), c("c"), n("n");
  Func padded(name);
  Expr inside = x >= 0 && x < (int)width && y >= 0 && y < (int)height;
  Expr cx = clamp(x, 0, (int)width - 1);
  Expr cy = clamp(y, 0, (int)height - 1);
  padded(x, y, c, n) = select(inside, in(cx, cy, c, n), value);
  return padded;
}

Expr blockedAt(const Func &f, Expr x, Expr y, Expr c, Expr n) {
  return f(c % (int)kActivationBlock, x, y, c / (int)kActivationBlock, n);
}

Func padSpatialBlocked(const ImageParam &in, int64_t width, int64_t height,
                       Expr value, const std::string &name) {
  // Bounded in x and y only (an undefined range leaves a dim unbounded).
  Func bounded = BoundaryConditions::constant_exterior(
      in, value,
      {Range(), {0, (int)width}, {0, (int)height}, Range(), Range()});
  Var k("k"), x("x"), y("y"), cb("cb"), n("n");
  Func padded(name);
  padded(k, x, y, cb, n) = bounded(k, x, y, cb, n);
  return padded;
}

Func padSpatialInPlace(const ImageParam &in, bool blocked, int64_t width,
                       int64_t height, Expr value, const std::string &name) {
  if (blocked)
    return padSpatialBlocked(in, width, height, value, name);
  Func bounded = BoundaryConditions::constant_exterior(
      in, value, {{0, (int)width}, {0, (int)height}, Range(), Range()});
  Var x("x"), y("y"), c("c"), n("n");
  Func padded(name);
  padded(x, y, c, n) = bounded(x, y, c, n);
  return padded;
}

BlockedConvInputs requireBlockedConvInputs(const KernelSpec &spec,
                                           int residualIndex) {
  uint32_t allowed = 1u | (residualIndex >= 0 ? 1u << residualIndex : 0u);
  if (spec.blockedInputs & ~allowed)
    specFail("only the data input and the residual can be channel-blocked");
  return {spec.inputBlocked(0),
          residualIndex >= 0 && spec.inputBlocked(residualIndex)};
}

} // namespace kiln
