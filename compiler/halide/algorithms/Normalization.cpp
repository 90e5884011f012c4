//===- Normalization.cpp - LRN and run-time batch normalization -----------===//
//
// LRN (ONNX): y = x / (bias + alpha / size * sum of x^2 over the channel
// window c - floor((size-1)/2) .. c + ceil((size-1)/2))^beta, the window
// clipped to the existing channels.
//
// BatchNorm with parameters known only at run time (constant parameters are
// folded into a ChannelAffine by the kernelizer):
// y = act((x - mean) * scale / sqrt(var + epsilon) + shift).
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"

#include <cmath>

namespace kiln {

using namespace Halide;

KernelFuncs buildLRN(const KernelSpec &spec,
                     const std::vector<ImageParam> &in) {
  int64_t C = requireChannelwise(spec);
  if (spec.size < 1)
    specFail("size must be positive, got " + std::to_string(spec.size));
  if (!std::isfinite(spec.alpha) || !std::isfinite(spec.beta) ||
      !std::isfinite(spec.bias))
    specFail("alpha, beta and bias must be finite");
  KernelFuncs f = makeOutputFuncs(spec);
  size_t h = f.vars.size() - 2; // Halide dim of ONNX dim 1 (channels).
  int64_t below = (spec.size - 1) / 2;
  Var c = f.vars[h];
  RDom r(0, (int)spec.size, "r");
  Expr channel = c - (int)below + r;
  std::vector<Expr> args(f.vars.begin(), f.vars.end());
  // Clamped so bounds inference stays inside the input; outside channels
  // contribute zero.
  args[h] = clamp(channel, 0, (int)C - 1);
  Expr x = in[0](args);
  Func sumSq("lrn_sum");
  sumSq(f.vars) = 0.0f;
  sumSq(f.vars) += select(channel >= 0 && channel < (int)C, x * x, 0.0f);
  Expr scale = spec.bias + (spec.alpha / (float)spec.size) * sumSq(f.vars);
  f.output(f.vars) =
      applyActivation(spec, in[0](f.vars) / pow(scale, spec.beta));
  f.accumulator = sumSq;
  f.accumulatorDomain = r;
  return f;
}

KernelFuncs buildBatchNorm(const KernelSpec &spec,
                           const std::vector<ImageParam> &in) {
  int64_t C = requireChannelwise(spec);
  static const char *const roles[] = {"", "scale", "shift", "mean", "var"};
  for (size_t i = 1; i < 5; ++i)
    if (requireRank(spec, i, 1, roles[i])[0] != C)
      specFail("input " + std::to_string(i) + " (" + roles[i] + ") must be [" +
               std::to_string(C) + "]");
  if (!(spec.epsilon >= 0))
    specFail("epsilon must be non-negative");
  KernelFuncs f = makeOutputFuncs(spec);
  Var c = f.vars[f.vars.size() - 2]; // ONNX dim 1.
  Expr normalized =
      (in[0](f.vars) - in[3](c)) * in[1](c) / sqrt(in[4](c) + spec.epsilon) +
      in[2](c);
  f.output(f.vars) = applyActivation(spec, normalized);
  return f;
}

} // namespace kiln
