//===- Elementwise.cpp - Add, Mul, PRelu (broadcast), ChannelAffine, ... --===//

#include "compiler/halide/algorithms/Algorithms.h"

namespace kiln {

using namespace Halide;

namespace {

/// Call of input `index` at the output point `vars`, numpy broadcast: the
/// input's shape is right-aligned to the output (Halide dim i <-> output
/// dim i) and its size-1 dims read index 0.
Expr broadcastCall(const KernelSpec &spec, const ImageParam &param,
                   size_t index, const KernelFuncs &f) {
  std::vector<int64_t> shape = halideOrder(spec.inputShapes[index]);
  if (shape.size() > f.extents.size())
    specFail("input " + std::to_string(index) + " " +
             shapeText(spec.inputShapes[index]) +
             " has more dims than the output " + shapeText(spec.outputShape));
  std::vector<Expr> args;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == f.extents[i])
      args.push_back(f.vars[i]);
    else if (shape[i] == 1)
      args.push_back(0);
    else
      specFail("input " + std::to_string(index) + " " +
               shapeText(spec.inputShapes[index]) +
               " does not broadcast to the output " +
               shapeText(spec.outputShape));
  }
  return param(args);
}

/// The output of a binary op is the broadcast of both inputs: each output
/// dim must be reached by some input (a dim both inputs lack or hold as 1
/// must be 1).
void requireBroadcastOutput(const KernelSpec &spec, const KernelFuncs &f) {
  for (size_t i = 0; i < f.extents.size(); ++i) {
    int64_t widest = 1;
    for (size_t k = 0; k < 2; ++k) {
      std::vector<int64_t> s = halideOrder(spec.inputShapes[k]);
      if (i < s.size())
        widest = std::max(widest, s[i]);
    }
    if (widest != f.extents[i])
      specFail("output shape " + shapeText(spec.outputShape) +
               " is not the broadcast of the inputs");
  }
}

} // namespace

KernelFuncs buildAdd(const KernelSpec &spec,
                     const std::vector<ImageParam> &in) {
  KernelFuncs f = makeOutputFuncs(spec);
  requireBroadcastOutput(spec, f);
  Expr sum =
      broadcastCall(spec, in[0], 0, f) + broadcastCall(spec, in[1], 1, f);
  f.output(f.vars) = applyActivation(spec, sum);
  return f;
}

KernelFuncs buildMul(const KernelSpec &spec,
                     const std::vector<ImageParam> &in) {
  KernelFuncs f = makeOutputFuncs(spec);
  requireBroadcastOutput(spec, f);
  Expr product =
      broadcastCall(spec, in[0], 0, f) * broadcastCall(spec, in[1], 1, f);
  f.output(f.vars) = applyActivation(spec, product);
  return f;
}

KernelFuncs buildPRelu(const KernelSpec &spec,
                       const std::vector<ImageParam> &in) {
  requireOutputShape(spec, spec.inputShapes[0]);
  KernelFuncs f = makeOutputFuncs(spec);
  Expr x = in[0](f.vars);
  Expr slope = broadcastCall(spec, in[1], 1, f);
  f.output(f.vars) = applyActivation(spec, select(x < 0.0f, slope * x, x));
  return f;
}

KernelFuncs buildChannelAffine(const KernelSpec &spec,
                               const std::vector<ImageParam> &in) {
  int64_t C = requireChannelwise(spec);
  if (requireRank(spec, 1, 1, "scale")[0] != C ||
      requireRank(spec, 2, 1, "shift")[0] != C)
    specFail("scale and shift must be [" + std::to_string(C) + "]");
  KernelFuncs f = makeOutputFuncs(spec);
  Var c = f.vars[f.vars.size() - 2]; // ONNX dim 1.
  f.output(f.vars) = applyActivation(spec, in[0](f.vars) * in[1](c) + in[2](c));
  return f;
}

KernelFuncs buildActivation(const KernelSpec &spec,
                            const std::vector<ImageParam> &in) {
  requireOutputShape(spec, spec.inputShapes[0]);
  KernelFuncs f = makeOutputFuncs(spec);
  f.output(f.vars) = applyActivation(spec, in[0](f.vars));
  return f;
}

} // namespace kiln
