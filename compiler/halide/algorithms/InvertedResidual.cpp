//===- InvertedResidual.cpp - Expand, depthwise, project in one kernel ----===//
//
// ex[n,e,y,x]    = exAct(exBias[e] + sum_c ex_w[e,c] * x[n,c,y,x])
// mid[n,e,oy,ox] = dwAct(dwBias[e] + sum_{ky,kx} dw[e,0,ky,kx] *
//                        pad0(ex)[n, e, oy*sh + ky*dh - padTop,
//                                   ox*sw + kx*dw - padLeft])
// y[n,m,oy,ox]   = act(pwBias[m] + residual[n,m,oy,ox] +
//                      sum_e pw[m,e,0,0] * mid[n,e,oy,ox])
//
// MobileNetV2's inverted residual block. The separable stages are those of
// SeparableConv.cpp (flat pixels q = oy * rowPitch + ox over the
// phase-split padded grid). The expand stage is computed on that same grid,
// from the phase-split padded copy of x: ex(i, phase, e, n) is the 1x1 conv
// of the input pixel at grid cell (i, phase), so the depthwise taps read it
// at the same constant offsets as they read the input of a separable conv.
// Grid cells in the padding hold 0: the conv's zero padding applies to the
// activated expanded tensor (exAct(exBias) is not 0 in general), so a
// per-cell mask selects 0 there after the activation.
//
// This is the form for OIHW weights; with weights packed in blocks of 16
// (weight_block=16) every stage runs on channel vectors instead
// (InvertedResidualChannelVectors.cpp).
//
//===----------------------------------------------------------------------===//

#include "compiler/halide/algorithms/Algorithms.h"
#include "compiler/kernels/ConvWeightLayout.h"

namespace kiln {

using namespace Halide;

KernelFuncs buildInvertedResidual(const KernelSpec &spec,
                                  const std::vector<ImageParam> &in,
                                  int fullRateLanes) {
  if (spec.weightBlock == kConvChannelVectorBlock)
    return buildInvertedResidualChannelVectors(spec, in, fullRateLanes);
  if (spec.weightBlock)
    specFail("inverted residual weights are OIHW or packed in blocks of " +
             std::to_string(kConvChannelVectorBlock) + " (weight_block=" +
             std::to_string(spec.weightBlock) + ")");
  const auto &xs = requireRank(spec, 0, 4, "x");
  int64_t C = xs[1], H = xs[2], W = xs[3];
  const auto &exs = requireRank(spec, 1, 4, "expand weights");
  int64_t E = exs[0];
  if (exs[1] != C || exs[2] != 1 || exs[3] != 1)
    specFail("expand weights " + shapeText(exs) + " must be [E," +
             std::to_string(C) + ",1,1]");
  requireVector(spec, 2, E, "expand bias");
  SeparableOperands ops = requireSeparableOperands(spec, 3, E, xs);
  int64_t KH = ops.kernelHeight, KW = ops.kernelWidth, M = ops.M;
  int64_t OH = ops.OH, OW = ops.OW;
  Window2D win = ops.win;
  int residualIndex = ops.residualIndex;

  KernelFuncs f = makeOutputFuncs(spec);
  Var ox = f.vars[0], oy = f.vars[1], m = f.vars[2], n = f.vars[3];
  // The padded input copy (C channels, the narrow side of the block): the
  // expand stage reads it with dense loads, and its zero border keeps the
  // reads of the last (rounded-up) tiles in bounds.
  PhaseSplitInput split =
      phaseSplitInput(in[0], W, H, win, /*alwaysCopy=*/true);
  f.paddedInputs.push_back(split.flat);
  f.flatRowPitch = split.rowPitch;
  int pitch = (int)split.rowPitch;

  // Expand stage on the grid: accumulator, then activation and padding.
  Var i("i"), p("p"), e("e");
  RDom rc(0, (int)C, "rc");
  Func exAcc("ex_acc");
  exAcc(i, p, e, n) = in[2](e);
  exAcc(i, p, e, n) += in[1](0, 0, rc, e) * split.flat(i, p, rc, n);
  // 1 where grid cell (i, p) is an input pixel, 0 in the padding. A Func
  // of its own so a schedule computes it once per block, not per channel.
  Expr col = (i % pitch) * (int)win.sw + p % (int)win.sw - (int)win.padLeft;
  Expr row = (i / pitch) * (int)win.sh + p / (int)win.sw - (int)win.padTop;
  Func inside("ex_inside");
  inside(i, p) =
      select(col >= 0 && col < (int)W && row >= 0 && row < (int)H, 1.0f, 0.0f);
  Func ex("ex");
  ex(i, p, e, n) =
      select(inside(i, p) != 0.0f,
             applyStageActivation(spec.exActivation, spec.exActParam0,
                                  spec.exActParam1, exAcc(i, p, e, n)),
             0.0f);

  // Depthwise stage, taps unrolled, reading ex like SeparableConv.cpp
  // reads the padded input.
  Var q("q"), c("c");
  Expr sum = in[4](c);
  for (int ky = 0; ky < (int)KH; ++ky)
    for (int kx = 0; kx < (int)KW; ++kx)
      sum += depthwiseWeight(in[3], kx, ky, c) *
             ex(q + split.tapOffset(kx, ky), split.tapPhase(kx, ky), c, n);
  Func mid("dw_mid");
  mid(q, c, n) = applyStageActivation(spec.dwActivation, spec.dwActParam0,
                                      spec.dwActParam1, sum);
  f.depthwiseStage = mid;

  // Pointwise (project) stage over the same flat pixels.
  RDom r(0, 1, 0, 1, 0, (int)E, "r");
  Func acc("pw_acc");
  acc(q, m, n) = in[6](m);
  acc(q, m, n) += in[5](0, 0, r.z, m) * mid(q, r.z, n);
  Expr v = acc(oy * pitch + ox, m, n);
  if (residualIndex >= 0)
    v += in[residualIndex](ox, oy, m, n);
  f.output(ox, oy, m, n) = applyActivation(spec, v);

  f.accumulator = acc;
  f.accumulatorDomain = r;
  f.conv.form = ConvForm::FlatPixels;
  f.conv.accVars = {q, m, n};
  f.conv.vecExtent = split.vecExtent(OH, OW);
  f.conv.channels = M;
  f.conv.inputChannels = E;
  f.conv.kernelWidth = 1;

  f.expandStage = ex;
  f.expandAccumulator = exAcc;
  f.expandDomain = rc;
  f.expandMask = inside;
  f.expandConv.form = ConvForm::FlatPixels;
  f.expandConv.accVars = {i, e, p, n};
  // The grid rows the depthwise taps read, all phases: about the whole
  // padded input; the register tile is sized for that extent.
  f.expandConv.vecExtent =
      split.rowPitch * (H + win.padTop + win.padBottom + win.sh - 1) / win.sh;
  // The expand stage's output is the padded input grid.
  f.expandConv.outWidth = W + win.padLeft + win.padRight;
  f.expandConv.outHeight = H + win.padTop + win.padBottom;
  f.expandConv.channels = E;
  f.expandConv.inputChannels = C;
  f.expandConv.kernelWidth = 1;
  return f;
}

} // namespace kiln
