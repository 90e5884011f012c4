//===- ZeroSkipSeparable.cpp - Separable conv skipping depthwise zeros ----===//
//
// A fused separable kernel (KernelSpec::zeroSkipPointwise) whose depthwise
// stage ends in a ReLU or ReLU6: about half of the depthwise results are
// exact zeros, at random, so no register tile of a dense 1x1 stage can
// skip them. Here the depthwise stage mid(j, x, y, cb, n)
// (ChannelVectorStages.cpp) is computed whole and stored pixel-major (the
// schedule's reorder_storage: each pixel's channels contiguous); the pointwise
// stage is the extern stage runtime/kiln_zero_skip_pointwise.h, which per
// pixel lists the nonzero channels and multiplies only their weight rows,
// and adds the bias, the residual and the activation. The output is its
// copy (the extern runs per task on the task's output region).
//
// MobileNetV2's 14x14 and 7x7 separable kernels on a Zen 3 core: see
// benchmarks/README.md "Zero-skipping pointwise stage (session 44)".
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"
#include "compiler/kernels/ConvWeightLayout.h"

namespace kiln {

using namespace Halide;

namespace {

/// The extern's activation code (kiln_zero_skip_pointwise.h).
int zeroSkipActivationCode(const KernelSpec &spec) {
  switch (spec.activation) {
  case Activation::None:
    return 0;
  case Activation::Relu:
    return 1;
  case Activation::Clip:
    return 2;
  default:
    specFail(std::string("zero_skip_pointwise supports no activation, relu "
                         "or clip after the pointwise stage, not ") +
             activationName(spec.activation));
  }
}

} // namespace

KernelFuncs buildZeroSkipSeparable(const KernelSpec &spec,
                                   const std::vector<ImageParam> &in,
                                   const SeparableOperands &ops, int64_t C,
                                   int64_t H, int64_t W) {
  const int block = (int)kConvChannelVectorBlock;
  BlockedConvInputs blocked = requireBlockedConvInputs(spec, ops.residualIndex);
  if (!blocked.input || !spec.blockedOutput || C % block || ops.M % block ||
      (ops.residualIndex >= 0 && !blocked.residual))
    specFail("zero_skip_pointwise needs a channel-blocked input, output and "
             "residual and whole blocks of " +
             std::to_string(block) + " channels in and out");
  if (spec.inputShapes[0][0] != 1)
    specFail("zero_skip_pointwise needs batch 1, got " +
             std::to_string(spec.inputShapes[0][0]));
  KernelFuncs f = makeOutputFuncs(spec);
  Func src = padSpatialInPlace(in[0], /*blocked=*/true, W, H, 0.0f, "x_padded");
  Func mid = depthwiseOnChannelVectors(
      src, in[1], in[2], ops.win, ops.kernelHeight, ops.kernelWidth,
      -(int)ops.win.padLeft, -(int)ops.win.padTop, spec, f);
  std::vector<ExternFuncArgument> args = {mid, in[3], in[4]};
  if (ops.residualIndex >= 0)
    args.push_back(in[ops.residualIndex]);
  for (int64_t v : {C, ops.OW, ops.OH, ops.M, (int64_t)zeroSkipActivationCode(spec)})
    args.push_back(Expr((int32_t)v));
  args.push_back(Expr(spec.clipMin));
  args.push_back(Expr(spec.clipMax));
  Func pw("pw_zero_skip");
  pw.define_extern(ops.residualIndex >= 0
                       ? "kiln_zero_skip_pointwise_residual"
                       : "kiln_zero_skip_pointwise",
                   args, Float(32), (int)f.vars.size(), NameMangling::C);
  f.output(f.vars) = pw(f.vars);
  f.depthwiseStage = mid;
  f.zeroSkipPointwise = pw;
  return f;
}

} // namespace kiln
